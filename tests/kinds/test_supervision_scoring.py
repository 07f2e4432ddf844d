"""The sample year's scores, worked out here from the results files with Fractions
(the indicator definitions read from the data file, the rules from the book), against
the score table the 通报 prints; and the 整改台账 round trip: generate, mark two items
closed, and the next quarter's 通报 drops them and carries the rest."""

from __future__ import annotations

import csv
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli
from docx import Document as DocxDocument
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

DATA = yaml.safe_load((ROOT / "generators" / "data" / "indicators.yaml").read_text(encoding="utf-8"))
COUNTS = {c["name"]: c for c in DATA["counts"]}
INDICATORS = {name: i for i in DATA["indicators"] for name in [i["name"], *i.get("aliases", [])]}
# The sample book's targets for the scored indicators, as its 条目 write them.
TARGETS = {
    "孕产妇系统管理率": (">=", 95),
    "早孕建册率": (">=", 95),
    "新生儿访视率": (">=", 95),
    "7岁以下儿童保健管理率": (">=", 95),
    "婴儿死亡率": ("<=", 4),
    "出生医学证明废证率": ("<", 1),
    "孕产妇死亡率": ("<=", 5),
    "村医通开通率": (">=", 80),
    "采用率": (">=", 50),
}


def read_quarter(path: Path) -> dict[str, dict[str, int | None]]:
    lines = [ln for ln in path.read_text(encoding="utf-8-sig").splitlines() if not ln.startswith("#")]
    rows = list(csv.reader(lines))
    header = [re.sub(r"（[^）]*）$", "", h) for h in rows[0]]
    return {
        row[0]: {h: (int(v) if v.strip() else None) for h, v in zip(header[1:], row[1:], strict=True)}
        for row in rows[1:]
    }


def ytd(quarters: list[dict[str, dict[str, int | None]]], unit: str, code: str) -> Fraction | None:
    name = next(n for n, c in COUNTS.items() if c["code"] == code)
    values = [q[unit].get(name) for q in quarters]
    if COUNTS[name].get("aggregation") == "stock":
        values = values[-1:]
    return None if any(v is None for v in values) else Fraction(sum(values))  # type: ignore[arg-type]


def rate(name: str, quarters: list, unit: str) -> Fraction | None:
    ind = INDICATORS[name]
    dens = ind["denominator"] if isinstance(ind["denominator"], list) else [ind["denominator"]]
    num = ytd(quarters, unit, ind["numerator"])
    parts = [ytd(quarters, unit, d) for d in dens]
    if num is None or any(p is None for p in parts) or not sum(parts):  # type: ignore[arg-type]
        return None
    exact = num / sum(parts) * ind["multiplier"]  # type: ignore[arg-type]
    return Fraction(int(exact * 100 + Fraction(1, 2)), 100)  # two places, half up, as reports print


def met(name: str, v: Fraction) -> bool:
    op, t = TARGETS[name]
    return {">=": v >= t, "<=": v <= t, "<": v < t}[op]


def expected_total(rules: list[dict], cap: int, quarters: list, unit: str) -> Fraction:
    base = bonus = Fraction(0)
    for rule in rules:
        name = rule["指标"]
        v = rate(name, quarters, unit)
        op, t = TARGETS[name]
        points = Fraction(rule.get("分值", 0))
        if v is None:
            continue
        if rule["方法"] == "一票否决":
            if not met(name, v):
                return Fraction(0)
            continue
        if rule["方法"] == "加分":
            bonus += points if met(name, v) else 0
        elif met(name, v):
            base += points
        elif rule["方法"] == "按比例":
            base += min(points, points * (v / t if op == ">=" else Fraction(t) / v))
        elif rule["方法"] == "每差1个百分点扣2分":
            base += max(Fraction(0), points - (t - v) * 2)
    return base + min(bonus, cap)


def shown(score: Fraction) -> str:
    tenths = int(score * 10 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}"


def score_rows(docx: Path) -> dict[str, list[str]]:
    for table in DocxDocument(str(docx)).tables:
        cells = [[c.text.strip() for c in row.cells] for row in table.rows]
        if cells and cells[0][:3] == ["名次", "单位", "基本分"]:
            return {row[1]: row for row in cells[1:]}
    raise AssertionError("no score table in the 通报")


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scoring")
    done = run_cli(
        "build", str(ROOT / "sample_inputs" / "2012" / "supervision.yaml"), "--out", str(out), "-f", "docx,xlsx",
        "--registry", str(out / "r.sqlite3"), "-q",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def test_quarter_and_year_scores_match_an_independent_count(year: Path) -> None:
    book = yaml.safe_load((ROOT / "sample_inputs" / "2012" / "target_book.yaml").read_text(encoding="utf-8"))
    rules, cap = book["考核与奖惩"]["评分"], book["考核与奖惩"]["加分上限"]
    data = ROOT / "sample_inputs" / "2012" / "results"
    quarters = [read_quarter(data / f"2012Q{q}.csv") for q in range(1, 5)]
    units = list(quarters[0])
    totals = {}
    for q in (2, 4):
        rows = score_rows(year / "2012" / "dudao" / f"2012q{q}" / "tongbao.docx")
        assert set(rows) == set(units)
        for unit in units:
            totals[q, unit] = expected_total(rules, cap, quarters[:q], unit)
            assert rows[unit][4] == shown(totals[q, unit]), (q, unit)
    rows = score_rows(year / "2012" / "dudao" / "2012q4" / "tongbao.docx")
    for unit in units:
        combined = (totals[2, unit] * 40 + totals[4, unit] * 60) / 100
        assert rows[unit][5] == shown(combined), unit
    order = sorted(units, key=lambda u: -((totals[2, u] * 40 + totals[4, u] * 60) / 100))
    assert list(rows) == order  # ranked by the combined score
    vetoed = [u for u in units if not met("孕产妇死亡率", rate("孕产妇死亡率", quarters, u))]
    assert vetoed and all("一票否决：孕产妇死亡率" in rows[u][-1] for u in vetoed)


def test_the_ledger_round_trip(tmp_path: Path, year: Path) -> None:
    inputs = tmp_path / "2012"
    shutil.copytree(ROOT / "sample_inputs" / "2012", inputs)
    ledger = year / "2012" / "dudao" / "2012q1" / "zhenggai-taizhang.xlsx"
    wb = load_workbook(ledger)
    ws = wb["整改台账"]
    header = [c.value for c in ws[3]]
    status, unit_col, ind_col = header.index("整改状态") + 1, header.index("单位") + 1, header.index("指标") + 1
    items = [(ws.cell(r, unit_col).value, ws.cell(r, ind_col).value) for r in range(4, ws.max_row + 1)]
    assert len(items) >= 3
    for r in (4, 5):  # the units closed the first two items
        ws.cell(r, status).value = "已整改"
    wb.save(inputs / "results" / "2012Q1-zhenggai.xlsx")
    sup = inputs / "supervision.yaml"
    text = sup.read_text(encoding="utf-8")
    text = text.replace(
        "督导时间: 2012年7月10日至17日}", "督导时间: 2012年7月10日至17日, 整改台账: results/2012Q1-zhenggai.xlsx}"
    )
    sup.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("build", str(sup), "--out", str(out), "-f", "docx,xlsx", "--registry", str(tmp_path / "r"), "-q")
    assert done.returncode == 0, done.stderr
    report = "\n".join(p.text for p in DocxDocument(str(out / "2012" / "dudao" / "2012q2" / "tongbao.docx")).paragraphs)
    problems = report[report.index("四、存在的问题") : report.index("五、")]
    closed, still = items[:2], items[2:]
    for unit, indicator in closed:
        assert not re.search(rf"{indicator}未达到年度目标。[^（]*{unit}为", problems), (unit, indicator)
    assert f"上季度整改台账共{len(items)}项，已整改2项；尚未完成整改的{len(still)}项转入本季度整改台账" in problems
    for unit, indicator in still:
        assert f"{unit}{indicator}（2012Q1发现" in problems
    carried = load_workbook(out / "2012" / "dudao" / "2012q2" / "zhenggai-taizhang.xlsx")["整改台账"]
    rows = [[c.value for c in row] for row in carried.iter_rows(min_row=4)]
    found = {(r[1], r[2]): r[5] for r in rows}
    for key in still:
        assert found[key] == "2012Q1"  # carried forward, found in the first quarter
    for key in closed:
        assert found.get(key) != "2012Q1"  # a closed item is not carried (a new shortfall starts afresh)
