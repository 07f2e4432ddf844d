"""Quarterly supervision: the sample year built by the CLI, checked against figures
derived here from the CSV inputs without the project's computation code."""

from __future__ import annotations

import csv
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, run_cli
from docx import Document as OpenDocx
from golden import docx_text, pdf_text, squash

from generators.indicators.dictionary import default_dictionary
from generators.indicators.targets import Target
from generators.kinds.target_book import load_book, unit_targets

SAMPLE = ROOT / "sample_inputs" / "2012"
D = default_dictionary()
BOOK = load_book(SAMPLE / "target_book.yaml")
UNITS = [u.name for u in BOOK.units]
QUARTERS = (1, 2, 3, 4)


@pytest.fixture(scope="session")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("supervision")
    result = run_cli("build", str(SAMPLE / "supervision.yaml"), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return out / "2012"


# --- an independent reading of the inputs -----------------------------------------------


def read_csv(quarter: int) -> dict[str, dict[str, int]]:
    """Unit → count name → value, with the csv module (measures stripped from headers)."""
    path = SAMPLE / "results" / f"2012Q{quarter}.csv"
    lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#")]
    rows = list(csv.reader(lines))
    names = [re.sub(r"（[^（）]*）$", "", h) for h in rows[0][1:]]
    return {row[0]: {n: int(v) for n, v in zip(names, row[1:], strict=True)} for row in rows[1:]}


def year_to_date(quarter: int) -> dict[str, dict[str, int]]:
    """Flow counts summed over Q1..quarter; stock counts from the last quarter."""
    stock = {c.name for c in D.counts.values() if c.aggregation == "stock"}
    quarters = [read_csv(q) for q in range(1, quarter + 1)]
    return {
        unit: {
            name: quarters[-1][unit][name] if name in stock else sum(q[unit][name] for q in quarters)
            for name in quarters[-1][unit]
        }
        for unit in UNITS
    }


def rate(ind, counts: dict[str, int]) -> Fraction | None:
    num = counts[D.counts[ind.numerator].name]
    den = sum(counts[D.counts[c].name] for c in ind.denominator)
    return None if den == 0 else Fraction(num * ind.multiplier, den)


def two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def below(target: Target, value: Decimal) -> bool:
    ok = {
        ">=": value >= target.value,
        ">": value > target.value,
        "<=": value <= target.value,
        "<": value < target.value,
        "=": value == target.value,
    }[target.comparator]
    return not ok


def expected_shortfalls(quarter: int) -> set[tuple[str, str, str]]:
    """(unit, indicator name, value as printed) below target on year-to-date counts."""
    counts = year_to_date(quarter)
    out = set()
    for unit in BOOK.units:
        for code, target in unit_targets(BOOK, unit).items():
            ind = D.indicators[code]
            value = rate(ind, counts[unit.name])
            if value is not None and below(target, two_places(value)):
                out.add((unit.name, ind.name, f"{two_places(value)}{ind.unit}"))
    return out


def stated_shortfalls(text: str) -> set[tuple[str, str, str]]:
    """What section 四 of a 通报 says: （n）<indicator>未达到年度目标。<unit>为<value>，…"""
    flat = squash(text)
    section = flat[flat.index("四、存在的问题") : flat.index("五、下一步工作")]
    out = set()
    for item in re.finditer(
        r"（[一二三四五六七八九十]+）(.+?)未达到年度目标。(.+?)(?=（[一二三四五六七八九十]+）|$)", section
    ):
        indicator, rest = item.groups()
        for unit, value in re.findall(r"([^，。、（）]+?妇幼保健所)为([0-9.]+(?:%|‰|/10万))", rest):
            out.add((unit, indicator, value))
    return out


# --- the report says exactly what the data say ----------------------------------------------


@pytest.mark.parametrize("quarter", QUARTERS)
def test_problems_name_exactly_the_units_below_target(year: Path, quarter: int) -> None:
    expected = expected_shortfalls(quarter)
    assert expected, "the sample year plants shortfalls"
    folder = year / "dudao" / f"2012q{quarter}"
    assert stated_shortfalls(pdf_text(folder / "tongbao.pdf")) == expected
    assert stated_shortfalls(docx_text(folder / "tongbao.docx")) == expected


@pytest.mark.parametrize("quarter", QUARTERS)
def test_feedback_sheets_one_page_listing_the_units_shortfalls(year: Path, quarter: int) -> None:
    from generators.core.names import slug

    expected = expected_shortfalls(quarter)
    for unit in UNITS:
        path = year / "dudao" / f"2012q{quarter}" / "fankui" / f"{slug(unit)}.pdf"
        with pdfplumber.open(path) as pdf:
            assert len(pdf.pages) == 1, unit
        text = squash(pdf_text(path))
        assert f"被督导单位：{unit}" in text
        stated = set(re.findall(r"（[一二三四五六七八九十]+）([^（）]+?)2012年1—\d+月累计([0-9.]+(?:%|‰|/10万))", text))
        assert stated == {(ind, value) for u, ind, value in expected if u == unit}, unit


def test_group_figures_in_table_1_are_rates_of_summed_counts(year: Path) -> None:
    counts = year_to_date(2)
    docx = OpenDocx(str(year / "dudao" / "2012q2" / "tongbao.docx"))
    table = docx.tables[0]
    assert [c.text for c in table.rows[0].cells][:5] == ["序号", "指标", "年度目标", "本季度", "1—6月累计"]
    checked = 0
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        ind = D.find(cells[1])
        totals = {name: sum(counts[u][name] for u in UNITS) for name in counts[UNITS[0]]}
        value = rate(ind, totals)
        assert cells[4] == (f"{two_places(value)}{ind.unit}" if value is not None else "—"), cells
        checked += 1
    assert checked == 24


def test_chart_is_embedded_in_pdf_and_docx(year: Path) -> None:
    folder = year / "dudao" / "2012q1"
    with pdfplumber.open(folder / "tongbao.pdf") as pdf:
        images = [img for page in pdf.pages for img in page.images]
    assert len(images) == 1
    width_mm = (images[0]["x1"] - images[0]["x0"]) / 72 * 25.4
    assert abs(width_mm - 156) < 0.5
    docx = OpenDocx(str(folder / "tongbao.docx"))
    assert len(docx.inline_shapes) == 1
    assert abs(docx.inline_shapes[0].width.mm - 156) < 0.5
    assert "图1" in pdf_text(folder / "tongbao.pdf")


def test_report_frame_and_unit_table(year: Path) -> None:
    text = squash(pdf_text(year / "dudao" / "2012q4" / "tongbao.pdf"))
    assert "连妇保集〔2013〕38号" in text  # issued in January 2013
    assert "关于2012年第四季度妇幼保健工作督导情况的通报" in text
    docx = OpenDocx(str(year / "dudao" / "2012q4" / "tongbao.docx"))
    ranks = docx.tables[1]
    assert [c.text for c in ranks.rows[0].cells] == ["名次", "单位", "考核指标数", "达标数", "达标率", "未达标指标"]
    rows = [[c.text for c in r.cells] for r in ranks.rows[1:]]
    assert sorted(r[1] for r in rows) == sorted(UNITS)
    missed = {(u, ind) for u, ind, _ in expected_shortfalls(4)}
    for _rank, unit, assessed, met, _share, names in rows:
        mine = {ind for u, ind in missed if u == unit}
        assert int(met) == int(assessed) - len(mine)
        assert set(filter(None, names.split("、"))) - {"无"} == mine
    # Ranks never go down the table and ties share a rank.
    numbers = [int(r[0]) for r in rows]
    assert numbers == sorted(numbers) and numbers[0] == 1


def test_outputs_of_the_year(year: Path) -> None:
    for q in QUARTERS:
        assert (year / "tongji" / f"2012q{q}-zhuyao-zhibiao.xlsx").is_file()
        assert (year / "tianbao" / f"2012q{q}-tianbaobiao.xlsx").is_file()
        assert len(list((year / "dudao" / f"2012q{q}" / "fankui").glob("*.pdf"))) == len(UNITS)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_sample_statistical_table_recalculates_to_the_tools_values(year: Path, tmp_path: Path) -> None:
    import openpyxl
    import yaml
    from test_stat_table import recalc

    from generators.indicators.compute import indicator_value, pooled_value
    from generators.indicators.model import required_counts
    from generators.indicators.period import Period
    from generators.sheets.forms import read_results

    names = yaml.safe_load((SAMPLE / "supervision.yaml").read_text(encoding="utf-8"))["主要指标"]
    indicators = [D.find(n) for n in names]
    all_indicators = [D.indicators[c] for c in unit_targets(BOOK, BOOK.units[0])]
    results = read_results(
        SAMPLE / "results" / "2012Q2.csv",
        Period(2012, 2),
        list(BOOK.units),
        required_counts(D, all_indicators),
        all_indicators,
    )
    converted, _ = recalc([year / "tongji" / "2012q2-zhuyao-zhibiao.xlsx"], tmp_path / "lo")
    ws = openpyxl.load_workbook(converted["2012q2-zhuyao-zhibiao"], data_only=True).active
    rates = {}
    for r in range(1, ws.max_row + 1):
        rates[ws.cell(r, 1).value] = r
    header = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(4, c).value}
    worst = 0.0
    for ind in indicators:
        # the rate column is the last column of the indicator's merged header
        span = next(rng for rng in ws.merged_cells.ranges if rng.min_row == 4 and rng.min_col == header[ind.name])
        col = span.max_col
        for unit in UNITS:
            want = indicator_value(ind, results.counts[unit]).rate
            got = ws.cell(rates[unit], col).value
            assert (got == "—") if want is None else abs(got - float(want)) <= 1e-9, (unit, ind.name, got, want)
            worst = max(worst, 0 if want is None else abs(got - float(want)))
        group = pooled_value(ind, results.counts.values()).rate
        assert abs(ws.cell(rates["合计"], col).value - float(group)) <= 1e-9
    assert worst <= 1e-9


# --- command line: forms, checks and bad results ---------------------------------------


def test_cli_blank_form_then_check(tmp_path: Path) -> None:
    import openpyxl

    form = tmp_path / "2013q1.xlsx"
    book = str(SAMPLE / "target_book.yaml")
    result = run_cli("form", "2013Q1", "--book", book, "--out", str(form))
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(form)
    ws = wb["2013Q1"]
    for row in range(5, 5 + len(UNITS)):
        for col in range(2, 39):
            ws.cell(row, col).value = 0
    ws.cell(5, 2).value = 1200  # 活产数 of the first unit
    wb.save(form)
    result = run_cli("check", str(form), "--period", "2013Q1", "--book", book)
    assert result.returncode == 0, result.stderr
    assert "8 个单位、37 项计数，数据有效" in result.stdout
    ws.cell(6, 3).value = -5
    wb.save(form)
    result = run_cli("check", str(form), "--period", "2013Q1", "--book", book)
    assert result.returncode == 2
    assert "单元格 C6" in result.stderr, result.stderr


def _sample_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE, folder)
    return folder


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda t: re.sub(r"^赣榆县妇幼保健所,", "赣榆县妇幼保健所,-", t, count=1, flags=re.M),
            ["第 5 行", "第 2 列", "活产数"],
        ),
        (lambda t: t.replace("赣榆县妇幼保健所,", "赣榆县妇幼保健院,", 1), ["第 5 行", "赣榆县妇幼保健院"]),
        (lambda t: t.replace(",活产数（人）", ",活产人数（人）", 1), ["第 4 行", "活产人数"]),
    ],
)
def test_cli_bad_results_stop_the_build_before_any_output(tmp_path: Path, edit, words: list[str]) -> None:
    folder = _sample_copy(tmp_path)
    csv_path = folder / "results" / "2012Q3.csv"
    csv_path.write_text(edit(csv_path.read_text(encoding="utf-8-sig")), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(folder / "supervision.yaml"), "--out", str(out))
    assert result.returncode == 2, result.stdout
    assert "2012Q3.csv" in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert not out.exists()


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("期间: 2012Q3", "期间: 2012Q5", ["不是季度", "第 "]),
        ("期间: 2012Q3", "期间: 2011Q3", ["不在 2012 年"]),
        ("results/2012Q3.csv", "results/2012Q9.csv", ["文件不存在", "2012Q9.csv"]),
        ("  - {期间: 2012Q1", "  # - {期间: 2012Q1", ["需要 2012Q1 的数据"]),
        ("主要指标: [孕产妇死亡率,", "主要指标: [剖宫产率,", ["剖宫产率", "不是责任书中的考核指标"]),
    ],
)
def test_cli_bad_supervision_file(tmp_path: Path, old: str, new: str, words: list[str]) -> None:
    folder = _sample_copy(tmp_path)
    path = folder / "supervision.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--out", str(out))
    assert result.returncode == 2
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert not out.exists()


def test_sample_year_builds_byte_identical(tmp_path: Path) -> None:
    """Books, plan, 通报, feedback sheets, statistical tables and forms: two builds (one
    and two workers) give the same bytes, because no file carries the clock."""
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        result = run_cli("build", str(SAMPLE), "--out", str(out), "--jobs", jobs, "--quiet")
        assert result.returncode == 0, result.stderr
        outs.append(out)
    names = sorted(str(p.relative_to(outs[0])) for p in outs[0].rglob("*.*") if not p.name.startswith("."))
    assert {Path(n).suffix for n in names} == {".docx", ".pdf", ".xlsx"}
    assert len(names) > 90
    assert names == sorted(str(p.relative_to(outs[1])) for p in outs[1].rglob("*.*") if not p.name.startswith("."))
    different = [n for n in names if (outs[0] / n).read_bytes() != (outs[1] / n).read_bytes()]
    assert different == []


def test_report_numbers_are_reserved_in_the_registry(tmp_path: Path) -> None:
    """A 通报 may not take a number a circular holds (连妇保集〔2012〕5号)."""
    folder = _sample_copy(tmp_path)
    path = folder / "supervision.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("序号: 12,", "序号: 5,"), encoding="utf-8")
    circular = ROOT / "sample_inputs" / "circulars" / "2012-05_target_book_circular.yaml"
    out = tmp_path / "out"
    result = run_cli("build", str(circular), str(path), "--out", str(out), "--allow", str(ROOT / "sample_inputs"))
    assert result.returncode == 2, result.stdout
    assert "连妇保集〔2012〕5号" in result.stderr and "季度[1].序号" in result.stderr, result.stderr
    assert not out.exists()
    # Alone, the year's four 通报 hold four numbers, listed by the registry command.
    ok = run_cli("build", str(SAMPLE / "supervision.yaml"), "--out", str(out), "--format", "pdf", "--quiet")
    assert ok.returncode == 0, ok.stderr
    listing = run_cli("number", "list")
    assert all(f"连妇保集〔{y}〕{n}号" in listing.stdout for y, n in ((2012, 12), (2012, 21), (2012, 30), (2013, 38)))
