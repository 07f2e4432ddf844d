"""Issue 17: the traditional-script county sample (stratified and relative targets, the
previous year's results) judged right.  Every expected number is computed here from
the CSV files with Fractions and the csv module, not with the project's code."""

from __future__ import annotations

import csv
import math
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from generators.core import notes
from generators.core.errors import InputError
from generators.core.yamlsrc import read_yaml
from generators.indicators.compute import Attainment
from generators.indicators.period import Period
from generators.kinds.supervision import Supervision, load_supervision
from generators.kinds.supervision_jobs import assessments
from generators.kinds.supervision_report import indicator_table, report_body

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "sample_inputs" / "county_traditional"
SAMPLE_2012 = ROOT / "sample_inputs" / "2012"
UNITS = ["示例縣城關鎮衛生院", "示例縣東灣鄉衛生院", "示例縣北山鎮衛生院", "示例縣南河鄉衛生院"]
STRATA = ("城市", "農村")


def read_csv(path: Path) -> dict[str, dict[str, int | None]]:
    """unit → column name (measure dropped: 活产数（城市）（人） → 活产数（城市）) → value."""
    rows = [r for r in csv.reader(path.read_text(encoding="utf-8-sig").splitlines()) if r and not r[0].startswith("#")]
    names = [h[: h.rindex("（")] if h.endswith("）") and h.count("（") >= 1 else h for h in rows[0]]
    return {r[0]: {n: (int(v) if v.strip() else None) for n, v in zip(names[1:], r[1:], strict=True)} for r in rows[1:]}


def half_up(x: Fraction) -> Fraction:
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)


def rate(num: int, den: int, per: int) -> Fraction:
    return half_up(Fraction(num * per, den))


def quarter(folder: Path, period: str) -> dict[str, dict[str, int | None]]:
    return read_csv(folder / f"{period}.csv")


def total(rows: list[dict[str, dict[str, int | None]]], unit: str, name: str) -> int:
    return sum(r[unit][name] or 0 for r in rows)


def births(row: dict[str, int | None]) -> int:
    return sum(row[f"活产数（{s}）"] or 0 for s in STRATA)


@pytest.fixture(scope="module")
def county() -> tuple[Supervision, list]:
    sup = load_supervision(read_yaml(COUNTY / "supervision.yaml"))
    return sup, assessments(sup)


def _code(sup: Supervision, name: str) -> str:
    return sup.dictionary.require(name).code


@pytest.mark.parametrize("q", [1, 2])
@pytest.mark.parametrize(
    ("indicator", "count", "targets"),
    [
        ("早孕建册率", "早孕建册人数", {"城市": 70, "農村": 45}),
        ("新生儿访视率", "新生儿访视人数", {"城市": 90, "農村": 85}),
    ],
)
def test_each_stratum_judged_against_its_own_target(county, q: int, indicator: str, count: str, targets: dict) -> None:
    sup, assessed = county
    _, a = assessed[q - 1]
    rows = [quarter(COUNTY / "results", f"2013Q{k}") for k in range(1, q + 1)]
    checked = 0
    for unit in UNITS:
        for stratum, goal in targets.items():
            num = total(rows, unit, f"{count}（{stratum}）")
            den = total(rows, unit, f"活产数（{stratum}）")
            value = rate(num, den, 100)
            cell = a.cells[(unit, _code(sup, f"{indicator}（{stratum}）"))]
            assert Fraction(cell.ytd.rounded) == value
            assert cell.attainment is (Attainment.MET if value >= goal else Attainment.MISSED)
            checked += 1
    assert checked == 8


def test_the_planted_rural_shortfall_is_missed_and_reported(county) -> None:
    sup, assessed = county
    _, a = assessed[0]
    code = _code(sup, "早孕建册率（農村）")
    assert a.cells[("示例縣東灣鄉衛生院", code)].attainment is Attainment.MISSED
    assert a.cells[("示例縣東灣鄉衛生院", _code(sup, "早孕建册率（城市）"))].attainment is Attainment.MET
    text = "\n".join(getattr(b, "full_text", "") for b in report_body(
        a, count_names={c.code: c.name for c in sup.dictionary.counts.values()}, book_title="书",
        visit="2013年4月8日至12日", methods="查阅资料", next_steps="（一）整改。"))  # fmt: skip
    assert "早孕建册率（農村）未达到年度目标。示例縣東灣鄉衛生院为" in text
    # The book collects no 产妇数 or children counts: left out, not printed as 未统计.
    assert "未统计" not in text and "产妇数" not in text and "7岁以下儿童数" not in text
    assert "共报告活产数" in text and "，婴儿死亡数" in text


def _previous_annual(unit: str, count: str, per: int) -> Fraction:
    rows = [quarter(COUNTY / "results" / "2012", f"2012Q{k}") for k in range(1, 5)]
    return rate(total(rows, unit, count), sum(births(r[unit]) for r in rows), per)


@pytest.mark.parametrize("q", [1, 2])
def test_relative_targets_judged_against_the_previous_year(county, q: int) -> None:
    sup, assessed = county
    _, a = assessed[q - 1]
    rows = [quarter(COUNTY / "results", f"2013Q{k}") for k in range(1, q + 1)]
    verdicts = []
    for unit in UNITS:
        # 孕产妇系统管理率 比上年提高2个百分点: ≥ last year's value + 2
        goal = _previous_annual(unit, "孕产妇系统管理人数", 100) + 2
        value = rate(total(rows, unit, "孕产妇系统管理人数"), sum(births(r[unit]) for r in rows), 100)
        cell = a.cells[(unit, _code(sup, "孕产妇系统管理率"))]
        assert Fraction(cell.target.value) == goal and Fraction(cell.ytd.rounded) == value
        assert cell.attainment is (Attainment.MET if value >= goal else Attainment.MISSED)
        # 婴儿死亡率 比上年下降10%: ≤ last year's value × 0.9
        goal = _previous_annual(unit, "婴儿死亡数", 1000) * Fraction(9, 10)
        value = rate(total(rows, unit, "婴儿死亡数"), sum(births(r[unit]) for r in rows), 1000)
        cell = a.cells[(unit, _code(sup, "婴儿死亡率"))]
        assert Fraction(cell.target.value) == goal
        assert cell.attainment is (Attainment.MET if value <= goal else Attainment.MISSED)
        verdicts.append(cell.attainment)
    assert set(verdicts) == {Attainment.MET, Attainment.MISSED}  # the sample has both


@pytest.mark.parametrize("q", [1, 2])
def test_yoy_against_the_same_quarter_of_the_previous_year(county, q: int) -> None:
    sup, assessed = county
    _, a = assessed[q - 1]
    now, then = quarter(COUNTY / "results", f"2013Q{q}"), quarter(COUNTY / "results" / "2012", f"2012Q{q}")

    def pooled(rows: dict, num: str, den: str | None, per: int) -> Fraction:
        n = sum(rows[u][num] or 0 for u in UNITS)
        d = sum((rows[u][den] or 0) if den else births(rows[u]) for u in UNITS)
        return rate(n, d, per)

    cases = {
        "孕产妇系统管理率": ("孕产妇系统管理人数", None, 100),
        "婴儿死亡率": ("婴儿死亡数", None, 1000),
        "早孕建册率（城市）": ("早孕建册人数（城市）", "活产数（城市）", 100),
        "新生儿访视率（農村）": ("新生儿访视人数（農村）", "活产数（農村）", 100),
    }
    table = indicator_table(a, 1)
    assert table.header[0][6] == "同比"
    for name, (num, den, per) in cases.items():
        expected = pooled(now, num, den, per) - pooled(then, num, den, per)
        assert Fraction(a.group[_code(sup, name)].yoy) == expected
        row = next(r for r in table.rows if r[1] == name)
        shown = row[6].replace("−", "-").lstrip("+")
        assert Fraction(shown) == expected


def test_no_previous_year_no_yoy_column_and_no_sentence(tmp_path: Path) -> None:
    """The 2012 sample names no 上年数据: table 1 keeps its seven columns, the text its words."""
    sup = load_supervision(read_yaml(SAMPLE_2012 / "supervision.yaml"))
    _, a = assessments(sup)[0]
    assert len(indicator_table(a, 1).header[0]) == 7 and not sup.previous
    assert all(a.group[i.code].last_year is None for i in a.indicators)


def test_2012_sample_with_the_2011_results_has_yoy(tmp_path: Path) -> None:
    folder = tmp_path / "2012"
    shutil.copytree(SAMPLE_2012, folder)
    path = folder / "supervision.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("年份: 2012\n", "年份: 2012\n上年数据: results/2011\n"), "utf-8"
    )
    sup = load_supervision(read_yaml(path))
    _, a = assessments(sup)[2]
    now, then = quarter(folder / "results", "2012Q3"), quarter(folder / "results" / "2011", "2011Q3")
    units = list(now)
    for name, num, den in [("新生儿访视率", "新生儿访视人数", "活产数"), ("早孕建册率", "早孕建册人数", "活产数")]:
        expected = rate(sum(now[u][num] for u in units), sum(now[u][den] for u in units), 100) - rate(
            sum(then[u][num] for u in units), sum(then[u][den] for u in units), 100
        )
        assert Fraction(a.group[_code(sup, name)].yoy) == expected
    body = report_body(a, count_names={c.code: c.name for c in sup.dictionary.counts.values()}, book_title="书",
                       visit="v", methods="m", next_steps="（一）整改。")  # fmt: skip
    text = "\n".join(getattr(b, "full_text", "") for b in body)
    # More than five a direction: counted, as table 1's 同比 column shows them.
    column = [r[6] for r in indicator_table(a, 1).rows]
    up, down = sum(v.startswith("+") for v in column), sum(v.startswith("−") for v in column)
    assert up > 5 and down > 5
    assert f"与上年同季度相比，{up}项指标上升，{down}项指标下降" in text


# --- errors: a relative target without the previous year's value ------------------------


def _county(tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    shutil.copytree(COUNTY, folder)
    return folder


def _book_line(folder: Path, fragment: str) -> int:
    lines = (folder / "target_book.yaml").read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if fragment in line)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


RELATIVE_ERRORS = [
    (
        "no 上年数据",
        lambda f: _edit(f / "supervision.yaml", "上年数据: results/2012", "# 上年数据: results/2012"),
        "“示例縣城關鎮衛生院”的“孕产妇系统管理率”的目标“比上年提高2個百分點”要与 2012 年比较，"
        "但督导输入 {sup} 没有写“上年数据”（2012 年各季度数据所在的文件夹）",
    ),
    (
        "a quarter missing",
        lambda f: (f / "results" / "2012" / "2012Q3.csv").unlink(),
        "“示例縣城關鎮衛生院”的“孕产妇系统管理率”的目标“比上年提高2個百分點”要与 2012 年比较，"
        "但上年数据中没有 2012Q3 的数据文件（如 2012Q3.csv）",
    ),
    (
        "a unit missing in the previous year",
        lambda f: [
            (
                p.write_text(
                    "\n".join(x for x in p.read_text(encoding="utf-8-sig").splitlines() if "北山" not in x), "utf-8"
                )
            )
            for p in (f / "results" / "2012").glob("*.csv")
        ],
        "“示例縣北山鎮衛生院”的“孕产妇系统管理率”的目标“比上年提高2個百分點”要与 2012 年比较，"
        "但2012 年数据中“示例縣北山鎮衛生院”的孕产妇系统管理人数、活产数未报齐或分母为 0，无法算出上年的值",
    ),
]


@pytest.mark.parametrize(("why", "edit", "message"), RELATIVE_ERRORS, ids=[e[0] for e in RELATIVE_ERRORS])
def test_relative_target_needs_the_previous_year(tmp_path: Path, why: str, edit, message: str) -> None:
    folder = _county(tmp_path)
    edit(folder)
    with pytest.raises(InputError) as caught:
        load_supervision(read_yaml(folder / "supervision.yaml"))
    error = caught.value
    assert error.message == message.format(sup=folder / "supervision.yaml"), why
    assert Path(error.file) == folder / "target_book.yaml"
    assert error.line == _book_line(folder, "比上年提高2個百分點")
    assert error.field == "工作任务及目标.条目[1].目标[2].目标"


def test_a_former_unit_in_the_previous_year_is_a_note(tmp_path: Path) -> None:
    folder = _county(tmp_path)
    q1 = folder / "results" / "2012" / "2012Q1.csv"
    lines = q1.read_text(encoding="utf-8-sig").splitlines()
    lines.append("示例縣已撤併鄉衛生院" + lines[-1][lines[-1].index(",") :])
    q1.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with notes.collecting() as said:
        load_supervision(read_yaml(folder / "supervision.yaml"))
    assert (
        f"文件 {q1}，第 {len(lines)} 行：第 1 列（“单位名称”）：“示例縣已撤併鄉衛生院”不是本年的成员单位，该行不读取"
        in said
    )


# --- consistency notes -------------------------------------------------------------------

Q1 = "{期间: 2013Q1, 数据: results/2013Q1.csv, 序号: 6, 成文日期: 2013-04-26, 督导时间: 2013年4月8日至12日}"
# (why, (old, new) edits of supervision.yaml, expected notes as (line fragment, field, message))
NOTES = [
    ("consistent", [], []),
    (
        "book of another year",
        [("年份: 2013\n责任书", "年份: 2013\n责任书")],  # book year edited below
        [("责任书: target_book.yaml", "责任书", "责任书的年份是 2012，督导的年份是 2013：请核对是否用了当年的责任书")],
    ),
    (
        "通报 dated inside its quarter",
        [(Q1, Q1.replace("成文日期: 2013-04-26", "成文日期: 2013-03-20"))],
        [
            (
                "期间: 2013Q1",
                "季度[1].成文日期",
                "2013Q1 通报的成文日期 2013年3月20日 不晚于该季度结束（2013年3月31日），季度数据尚未报齐，请核对",
            ),
            ("期间: 2013Q1", "季度[1].督导时间", "督导从 2013年4月8日 开始，晚于通报的成文日期 2013年3月20日，请核对"),
        ],
    ),
    (
        "visit before the quarter ends",
        [(Q1, Q1.replace("2013年4月8日至12日", "2013年3月25日至28日"))],
        [
            (
                "期间: 2013Q1",
                "季度[1].督导时间",
                "督导时间从 2013年3月25日 开始，2013Q1 尚未结束（2013年3月31日），请核对",
            )
        ],
    ),
    (
        "序号 going backwards",
        [(Q1, Q1.replace("序号: 6", "序号: 20"))],
        [
            (
                "期间: 2013Q2",
                "季度[2].序号",
                "成文日期较晚的通报（2013年7月26日）序号为 15，小于较早的通报（2013年4月26日）的序号 20，请核对",
            )
        ],
    ),
    (
        "no same quarter last year",
        [],
        [("上年数据:", "上年数据", "上年数据中没有 2012Q2，2013Q2 的通报不列同比")],
    ),
]


@pytest.mark.parametrize(("why", "edits", "expected"), NOTES, ids=[n[0] for n in NOTES])
def test_consistency_notes(tmp_path: Path, why: str, edits: list, expected: list) -> None:
    folder = _county(tmp_path)
    path = folder / "supervision.yaml"
    for old, new in edits:
        _edit(path, old, new)
    if why == "book of another year":
        _edit(folder / "target_book.yaml", "年份: 2013", "年份: 2012")
    if why == "no same quarter last year":
        (folder / "results" / "2012" / "2012Q2.csv").unlink()
        _edit(folder / "target_book.yaml", "比上年提高2個百分點", "達到90%")
        _edit(folder / "target_book.yaml", "比上年下降10%", "控制在5‰以下")
    with notes.collecting() as said:
        load_supervision(read_yaml(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    wanted = [
        f"文件 {path}，第 {next(i + 1 for i, x in enumerate(lines) if frag in x)} 行，字段“{field}”：{message}"
        for frag, field, message in expected
    ]
    assert said == wanted, why


def test_period_of_another_quarter_in_the_file_name(tmp_path: Path) -> None:
    folder = _county(tmp_path)
    shutil.copy(folder / "results" / "2013Q1.csv", folder / "results" / "2013Q2-old.csv")
    q1 = "数据: results/2013Q1.csv"
    _edit(folder / "supervision.yaml", q1, "数据: results/2013Q2-old.csv")
    with notes.collecting() as said:
        load_supervision(read_yaml(folder / "supervision.yaml"))
    lines = (folder / "supervision.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i + 1 for i, x in enumerate(lines) if "期间: 2013Q1" in x)
    assert said == [
        f"文件 {folder / 'supervision.yaml'}，第 {line} 行，字段“季度[1].数据”："
        "数据文件“results/2013Q2-old.csv”的文件名是 2013Q2，却用于 2013Q1，请核对"
    ]


def test_previous_year_quarters_found(county) -> None:
    sup, _ = county
    assert sorted(sup.previous) == [Period(2012, q) for q in range(1, 5)]


def test_numerator_above_the_sum_of_the_strata_is_refused(tmp_path: Path) -> None:
    """听力筛查人数 is not stratified, its denominator 活产数 is (the sum of its strata):
    more screened than born is an error naming the unit and the cells."""
    folder = _county(tmp_path)
    q1 = folder / "results" / "2013Q1.csv"
    rows = [r for r in csv.reader(q1.read_text(encoding="utf-8-sig").splitlines())]
    head = next(i for i, r in enumerate(rows) if r and r[0] == "单位名称")
    cols = {name: k for k, name in enumerate(rows[head])}
    unit = rows[head + 2]  # 示例縣東灣鄉衛生院
    born = int(unit[cols["活产数（城市）（人）"]]) + int(unit[cols["活产数（農村）（人）"]])
    unit[cols["听力筛查人数（人）"]] = str(born + 1)
    q1.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_supervision(read_yaml(folder / "supervision.yaml"))
    line = head + 3
    assert caught.value.message == (
        f"“示例縣東灣鄉衛生院”的“听力筛查人数”为 {born + 1}，大于“活产数”（各层之和）{born}："
        "指标“新生儿听力筛查率”的分子不能大于分母，请核对"
        f"（第 {line} 行第 7 列（“听力筛查人数（人）”）、第 {line} 行第 2 列（“活产数（城市）（人）”）、"
        f"第 {line} 行第 3 列（“活产数（農村）（人）”））"
    )
    assert Path(caught.value.file) == q1
