"""Fill-in forms round trip (blank XLSX → filled → read back), CSV results, the
synthetic 2012 year, and every bad input named by file and cell (or line and column)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from generators.cli import synthetic as synthetic_cli
from generators.core.errors import InputError
from generators.core.names import slug
from generators.indicators.compute import Attainment, attainment, indicator_value, sum_over_time
from generators.indicators.dictionary import Count, Indicator, default_dictionary
from generators.indicators.model import PeriodResults, bounded_pairs, required_counts
from generators.indicators.period import Period
from generators.indicators.units import Unit, load_units
from generators.kinds.target_book import load_book, unit_targets
from generators.sheets import synthetic
from generators.sheets.forms import read_results, write_blank_form
from generators.sheets.forms_write import due_date
from generators.sheets.synthetic import synthetic_units, synthetic_year, write_results_csv

SAMPLE = ROOT / "sample_inputs" / "2012"
RESULTS = SAMPLE / "results"
Q1 = Period(2012, 1)
GROUP = "连云港市妇幼保健集团"
SHEET = "工作表“2012Q1”"
PLANTED = {
    ("赣榆县妇幼保健所", "under7_health_management_rate"),
    ("开发区妇幼保健所", "satisfaction_rate"),
    ("海州区妇幼保健所", "infant_mortality_rate"),
    ("灌南县妇幼保健所", "maternal_mortality_ratio"),
}


class Setup:
    def __init__(self) -> None:
        self.book = load_book(SAMPLE / "target_book.yaml")
        self.dictionary = default_dictionary()
        self.units: list[Unit] = load_units(SAMPLE / "units.yaml")
        self.targets = {u.name: unit_targets(self.book, u) for u in self.units}
        codes = sorted(self.targets[self.units[0].name])
        self.indicators: list[Indicator] = [self.dictionary.indicators[c] for c in codes]
        self.counts: list[Count] = required_counts(self.dictionary, self.indicators)
        self.codes = [c.code for c in self.counts]

    def col(self, code: str) -> str:
        """Column letter of a count on the form (column A holds the unit names)."""
        return get_column_letter(2 + self.codes.index(code))

    def read(self, path: Path, period: Period = Q1) -> PeriodResults:
        return read_results(path, period, self.units, self.counts, self.indicators)

    def year(self, seed: int = 2012) -> dict[Period, PeriodResults]:
        return synthetic_year(2012, self.units, self.dictionary, self.indicators, self.targets, seed=seed)


@pytest.fixture(scope="module")
def s() -> Setup:
    return Setup()


@pytest.fixture(scope="module")
def sample(s: Setup) -> list[PeriodResults]:
    return [s.read(RESULTS / f"2012Q{q}.csv", Period(2012, q)) for q in range(1, 5)]


def blank(s: Setup, folder: Path, period: Period = Q1) -> Path:
    return write_blank_form(folder / f"{period}.xlsx", period, s.units, s.counts, group=GROUP)


def filled(s: Setup, folder: Path, values: PeriodResults, edit: Callable | None = None) -> Path:
    """The blank form filled by program with ``values``; ``edit(ws)`` spoils it afterwards."""
    wb = load_workbook(blank(s, folder))
    ws = wb["2012Q1"]
    for r, unit in enumerate(s.units, start=5):
        for code in s.codes:
            ws[f"{s.col(code)}{r}"] = values.counts[unit.name][code]
    if edit:
        edit(ws)
    path = folder / "filled.xlsx"
    wb.save(path)
    return path


def error_of(s: Setup, path: Path, *fragments: str, period: Period = Q1) -> str:
    with pytest.raises(InputError) as info:
        s.read(path, period)
    message = str(info.value)
    assert f"文件 {path}" in message
    for fragment in fragments:
        assert fragment in message, message
    return message


# --- the blank form -------------------------------------------------------------


def test_blank_form_layout(s: Setup, tmp_path: Path) -> None:
    wb = load_workbook(blank(s, tmp_path))
    assert wb.sheetnames == ["2012Q1", "填表说明"]
    ws = wb["2012Q1"]
    assert ws["A1"].value == "连云港市妇幼保健集团2012年第一季度妇幼保健工作数据填报表"
    assert ws["B2"].value == "2012Q1"
    assert [ws.cell(3, k).value for k in range(2, 2 + len(s.counts))] == [c.name for c in s.counts]
    measures = {c.name: ws.cell(4, k).value for k, c in enumerate(s.counts, start=2)}
    assert measures["活产数"] == "人" and measures["婴儿死亡数"] == "例" and measures["上报稿件数"] == "篇"
    assert measures["应培训人数"] == "人次" and measures["出生医学证明签发数"] == "份"
    assert [ws[f"A{r}"].value for r in range(5, 13)] == [u.name for u in s.units]
    last = f"{s.col(s.codes[-1])}12"
    assert last == "AL12"  # 37 counts from column B

    (check,) = ws.data_validations.dataValidation
    assert (check.type, check.operator, check.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert str(check.sqref) == f"B5:{last}" and check.showErrorMessage and "整数" in check.error
    assert ws.protection.sheet
    assert ws["A5"].protection.locked and ws["B3"].protection.locked and ws["B2"].protection.locked
    assert not ws["B5"].protection.locked and not ws[last].protection.locked
    assert ws.freeze_panes == "B5"
    assert ws.column_dimensions["A"].width >= 2 * len("赣榆县妇幼保健所")

    notes = wb["填表说明"]
    text = "\n".join(str(c.value) for row in notes.iter_rows() for c in row if c.value is not None)
    for phrase in (
        "未报",
        "公式",
        "整数",
        "2012年4月10日",
        "孕13周前建册",
        "时点数",
        "时期数",
        *(c.name for c in s.counts),
    ):
        assert phrase in text, phrase
    assert notes.protection.sheet
    assert wb.properties.created.year == 2012 and wb.properties.creator == GROUP


def test_due_date() -> None:
    assert due_date(Period(2012, 1)).isoformat() == "2012-04-10"
    assert due_date(Period(2012, 4)).isoformat() == "2013-01-10"


def test_blank_form_bytes_are_reproducible(s: Setup, tmp_path: Path) -> None:
    one = blank(s, tmp_path / "a").read_bytes()
    two = blank(s, tmp_path / "b").read_bytes()
    assert one == two
    assert blank(s, tmp_path / "c", Period(2012, 2)).read_bytes() != one
    assert not list((tmp_path / "a").glob(".*"))  # no temporary file left


# --- round trip -------------------------------------------------------------------


def test_round_trip(s: Setup, tmp_path: Path) -> None:
    values = s.year()[Q1]
    gap_unit, silent_unit = s.units[2].name, s.units[7].name

    def edit(ws) -> None:
        ws[f"{s.col('newborn_visited')}7"] = None  # left blank: 未报
        ws[f"{s.col('live_births')}5"] = float(values.counts[s.units[0].name]["live_births"])  # 1440.0
        for code in s.codes:
            ws[f"{s.col(code)}12"] = None  # the last unit sent nothing

    got = s.read(filled(s, tmp_path, values, edit))
    want = {u: dict(row) for u, row in values.counts.items()}
    want[gap_unit]["newborn_visited"] = None
    want[silent_unit] = dict.fromkeys(s.codes)
    assert got.counts == want
    assert list(got.counts) == [u.name for u in s.units]
    assert got.period == Q1 and got.source == tmp_path / "filled.xlsx"
    assert got.cells[(s.units[2].name, "women_delivered")] == f"{SHEET}单元格 C7"


def test_unit_without_row_is_all_blank(s: Setup, tmp_path: Path) -> None:
    values = s.year()[Q1]
    got = s.read(filled(s, tmp_path, values, lambda ws: ws.delete_rows(8)))  # 灌云县
    assert got.counts[s.units[3].name] == dict.fromkeys(s.codes)
    assert got.counts[s.units[4].name] == values.counts[s.units[4].name]


# --- the sample CSV files and the synthetic year --------------------------------------


def test_sample_csv_files(s: Setup, sample: list[PeriodResults]) -> None:
    for q, results in enumerate(sample, start=1):
        text = (RESULTS / f"2012Q{q}.csv").read_text(encoding="utf-8-sig")
        assert text.startswith("# 合成数据，不是真实统计") and f"# 期间：2012Q{q}" in text
        assert list(results.counts) == [u.name for u in s.units] and len(s.units) == 8
        for unit, row in results.counts.items():
            assert list(row) == s.codes and len(s.codes) == 37
            assert all(isinstance(v, int) for v in row.values()), unit
            for indicator, num, dens in bounded_pairs(s.indicators):
                assert row[num] <= sum(row[c] for c in dens), (q, unit, indicator.code)
            assert row["women_delivered"] <= row["live_births"]
            assert 500 <= row["live_births"] <= 2800
    for unit in s.units:
        under7 = [r.counts[unit.name]["children_under7"] for r in sample]
        assert max(under7) / min(under7) < 1.03  # a stock: nearly constant


def test_sample_files_are_what_the_readme_command_writes(tmp_path: Path) -> None:
    synthetic_cli.main(
        [
            str(SAMPLE / "target_book.yaml"),
            "--out",
            str(tmp_path),
            "--seed",
            "2012",
            "--shortfall",
            "灌南所:孕产妇死亡率",
        ]
    )
    for q in range(1, 5):
        assert (tmp_path / f"2012Q{q}.csv").read_bytes() == (RESULTS / f"2012Q{q}.csv").read_bytes()
    assert "--shortfall 灌南所:孕产妇死亡率" in (RESULTS / "README.md").read_text(encoding="utf-8")


def _ytd(s: Setup, sample: list[PeriodResults], unit: str, code: str, quarter: int) -> Attainment:
    counts = sum_over_time(s.dictionary, [r.counts[unit] for r in sample[:quarter]])
    indicator = s.dictionary.indicators[code]
    return attainment(s.targets[unit][code], indicator_value(indicator, counts))


def test_sample_shortfalls_and_zero_denominator(s: Setup, sample: list[PeriodResults]) -> None:
    for unit in s.units:
        for indicator in s.indicators:
            for q in range(1, 5):
                want = Attainment.MISSED if (unit.name, indicator.code) in PLANTED else Attainment.MET
                assert _ytd(s, sample, unit.name, indicator.code, q) is want, (unit.name, indicator.code, q)
    zeros = [
        (results.period.quarter, unit, indicator.code)
        for results in sample
        for unit, row in results.counts.items()
        for indicator in s.indicators
        if indicator_value(indicator, row).denominator == 0
    ]
    assert zeros == [(2, "东海县妇幼保健所", "certified_childcare_entry_rate")]
    assert [r.counts["灌南县妇幼保健所"]["maternal_deaths"] for r in sample] == [1, 0, 0, 0]


def test_synthetic_is_deterministic(s: Setup) -> None:
    one, two = s.year(), s.year()
    assert one == two and list(one) == [Period(2012, q) for q in range(1, 5)]
    assert s.year(seed=1) != one


def test_synthetic_default_shortfalls(s: Setup) -> None:
    year = list(s.year(seed=5).values())
    missed = [
        (u.name, i.code) for u in s.units for i in s.indicators if _ytd(s, year, u.name, i.code, 4) is Attainment.MISSED
    ]
    assert len(missed) == 3


def test_synthetic_units_scale(s: Setup) -> None:
    units = synthetic_units(100)
    for key in (lambda u: u.name, lambda u: u.short_name, lambda u: slug(u.name)):
        assert len({key(u) for u in units}) == 100
    assert synthetic_units(100) == units
    targets = {u.name: unit_targets(s.book, u) for u in units}
    everything = list(s.dictionary.indicators.values())
    year = synthetic_year(2012, units, s.dictionary, everything, targets, seed=3)
    for results in year.values():
        assert len(results.counts) == 100
        for unit, row in results.counts.items():
            assert row["neonatal_deaths"] <= row["infant_deaths"] <= row["under5_deaths"], unit
            assert row["maternal_deaths"] <= 1 and row["pph_maternal_deaths"] <= row["maternal_deaths"]
            assert 0.97 * row["live_births"] <= row["women_delivered"] <= row["live_births"]
            assert 1 <= row["infant_deaths"] <= 0.006 * row["live_births"] + 1
            for indicator, num, dens in bounded_pairs(everything):
                assert row[num] <= sum(row[c] for c in dens), (unit, indicator.code)


def test_write_results_csv_round_trip(s: Setup, tmp_path: Path) -> None:
    values = s.year()[Q1]
    values.counts[s.units[1].name]["articles_adopted"] = None
    path = write_results_csv(tmp_path / "q1.csv", values, s.counts, note="测试\n第二行")
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[:4] == ["# " + synthetic.NOTE, "# 测试", "# 第二行", "# 期间：2012Q1"]
    assert s.read(path).counts == values.counts


# --- bad XLSX forms ------------------------------------------------------------------


def _set(coord: str, value: object) -> Callable:
    return lambda ws: ws.__setitem__(coord, value)


XLSX_CASES = {
    "negative": (_set("C7", -3), ["单元格 C7", "灌南县妇幼保健所", "产妇数", "负数"]),
    "text": (_set("C7", "十二"), ["单元格 C7", "十二", "不是数字"]),
    "fraction": (_set("C7", 3.5), ["单元格 C7", "3.5", "整数"]),
    "text_fraction": (_set("C7", "3.5"), ["单元格 C7", "整数"]),
    "formula": (_set("C7", "=B7*0.99"), ["单元格 C7", "公式", "=B7*0.99"]),
    "unknown_unit": (_set("A6", "东海县妇幼保建所"), ["单元格 A6", "不是成员单位", "是否应为“东海县妇幼保健所”"]),
    "duplicate_unit": (_set("A7", "东海所"), ["单元格 A7", "东海县妇幼保健所", "重复", "单元格 A6"]),
    "missing_column": (lambda ws: ws.delete_cols(4), ["第 3 行（表头）", "缺少计数列", "孕产妇死亡数"]),
    "typo_header": (_set("D3", "孕产妇死忘数"), ["单元格 D3", "孕产妇死忘数", "是否应为“孕产妇死亡数”"]),
    "extra_header": (_set("AM3", "备注"), ["单元格 AM3", "“备注”不是本表要填的计数"]),
    "data_without_header": (_set("AN9", 5), ["单元格 AN9", "没有表头"]),
    "data_without_unit": (_set("A9", None), ["单元格 A9", "没有单位名称"]),
    "other_quarter": (_set("B2", "2012Q2"), ["单元格 B2", "2012Q2", "应为 2012Q1"]),
    "not_a_quarter": (_set("B2", "2012年上半年"), ["单元格 B2", "不是季度"]),
    "no_period": (_set("B2", None), ["单元格 B2", "不是季度"]),
}


@pytest.mark.parametrize("case", sorted(XLSX_CASES))
def test_bad_form(s: Setup, tmp_path: Path, case: str) -> None:
    edit, fragments = XLSX_CASES[case]
    error_of(s, filled(s, tmp_path, s.year()[Q1], edit), *fragments)


def test_formula_cell_is_refused_not_evaluated(s: Setup, tmp_path: Path) -> None:
    path = filled(s, tmp_path, s.year()[Q1], _set("C7", "=1+1"))
    assert load_workbook(path)["2012Q1"]["C7"].data_type == "f"
    error_of(s, path, "单元格 C7", "公式")


def test_numerator_above_denominator(s: Setup, tmp_path: Path) -> None:
    values = s.year()[Q1]
    births = values.counts["灌南县妇幼保健所"]["live_births"]
    cell = f"{s.col('newborn_visited')}7"
    path = filled(s, tmp_path, values, _set(cell, births + 1))
    error_of(
        s, path, f"单元格 {cell}", "新生儿访视率", f"“新生儿访视人数”为 {births + 1}", f"大于“活产数” {births}", "分母"
    )


def test_sum_of_denominators(s: Setup, tmp_path: Path) -> None:
    """A numerator may not exceed a summed denominator either (adopted > submitted)."""
    values = s.year()[Q1]
    cell = f"{s.col('articles_adopted')}5"
    submitted = values.counts[s.units[0].name]["articles_submitted"]
    error_of(s, filled(s, tmp_path, values, _set(cell, submitted + 2)), f"单元格 {cell}", "稿件采用率", "上报稿件数")


def test_file_limits(s: Setup, tmp_path: Path) -> None:
    error_of(s, tmp_path / "q1.xls", "不支持的文件类型")
    (tmp_path / "junk.xlsx").write_bytes(b"not a zip")
    error_of(s, tmp_path / "junk.xlsx", "不是有效的 Excel")
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as fh:
        fh.truncate(20 * 1024 * 1024 + 1)
    error_of(s, big, "20 MiB")
    wb = Workbook()
    for k in range(20):
        wb.create_sheet(f"表{k}")
    wb.save(tmp_path / "sheets.xlsx")
    error_of(s, tmp_path / "sheets.xlsx", "工作表多达 21 个")
    for name, coord in (("rows.xlsx", "A10001"), ("cols.xlsx", f"{get_column_letter(501)}1")):
        wb = Workbook()
        wb.active.title = "2012Q1"
        wb.active[coord] = 1
        wb.save(tmp_path / name)
        error_of(s, tmp_path / name, "超过 10000 行或 500 列")


# --- bad CSV files ---------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _sample_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO((RESULTS / "2012Q1.csv").read_text(encoding="utf-8-sig"))))


def _with(change: Callable[[list[list[str]]], None]) -> str:
    rows = _sample_rows()  # lines 1–3 comments, 4 header, 5–12 units
    change(rows)
    return _csv(rows)


def _cell(row: int, col: int, value: str) -> Callable[[list[list[str]]], None]:
    return lambda rows: rows[row - 1].__setitem__(col - 1, value)


CSV_CASES = {
    "negative": (_cell(7, 3, "-3"), ["第 7 行", "第 3 列（“产妇数（人）”）", "负数"]),
    "text": (_cell(7, 3, "约1500"), ["第 7 行", "第 3 列", "不是数字"]),
    "fraction": (_cell(7, 3, "3.5"), ["第 7 行", "第 3 列", "整数"]),
    "formula": (_cell(7, 3, "=B7"), ["第 7 行", "第 3 列", "公式"]),
    "unknown_unit": (
        _cell(6, 1, "东海妇幼所"),
        ["第 6 行", "第 1 列（“单位名称”）", "不是成员单位", "是否应为“东海县妇幼保健所”"],
    ),
    "duplicate_unit": (_cell(7, 1, "东海县妇幼保健所"), ["第 7 行", "重复", "第 6 行"]),
    "missing_column": (lambda rows: [r.pop(3) for r in rows[3:]], ["第 4 行", "表头", "缺少计数列：孕产妇死亡数"]),
    "typo_header": (_cell(4, 2, "活产数量"), ["第 4 行", "第 2 列", "“活产数量”不是本表要填的计数"]),
    "unit_header": (_cell(4, 1, "机构"), ["第 4 行", "第 1 列", "第一列表头应为“单位名称”"]),
    "too_high": (_cell(5, 11, "99999"), ["第 5 行", "第 11 列（“新生儿访视人数（人）”）", "新生儿访视率", "99999"]),
    "wrong_quarter": (_cell(3, 1, "# 期间：2012Q3"), ["第 3 行", "2012Q3", "应为 2012Q1"]),
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_bad_csv(s: Setup, tmp_path: Path, case: str) -> None:
    change, fragments = CSV_CASES[case]
    path = tmp_path / "q1.csv"
    path.write_text(_with(change), encoding="utf-8")
    error_of(s, path, *fragments)


def test_csv_variants(s: Setup, sample: list[PeriodResults], tmp_path: Path) -> None:
    """GB18030 from Excel, no comments, plain headers, 12.0 and 1,440, blanks and absent units."""
    rows = [r for r in _sample_rows() if not r[0].startswith("#")]
    rows[0] = ["单位", *(h[: h.rindex("（")] for h in rows[0][1:])]  # 活产数（人） → 活产数
    rows[1][1] = f"{int(rows[1][1]):,}"  # 1,440
    rows[2][2] = rows[2][2] + ".0"
    rows[3][4] = " "
    del rows[8]  # 开发区所: no row
    path = tmp_path / "gbk.csv"
    path.write_bytes(_csv(rows).encode("gb18030"))
    got = s.read(path)
    want = {u: dict(row) for u, row in sample[0].counts.items()}
    want["灌南县妇幼保健所"][s.codes[3]] = None
    want["开发区妇幼保健所"] = dict.fromkeys(s.codes)
    assert got.counts == want
    assert got.cells[("东海县妇幼保健所", "women_delivered")] == "第 3 行第 3 列（“产妇数”）"
