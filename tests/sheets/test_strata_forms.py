"""Issue 17: a stratified book's fill-in form collects the counts per stratum (blank
XLSX out, filled form read back, the total the sum of its strata), and the statistical
table shows the strata and, with the previous year's results, a 同比 sheet whose
values are checked against Fractions computed here from the CSV files."""

from __future__ import annotations

import csv
import datetime
import math
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import ROOT
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generators.core.errors import InputError
from generators.core.yamlsrc import read_yaml
from generators.indicators.period import Period
from generators.indicators.strata import with_totals
from generators.kinds.supervision import book_counts, book_split, load_supervision
from generators.kinds.supervision_jobs import _stat_table
from generators.sheets.forms import read_results, write_blank_form
from generators.sheets.forms_write import FIRST_COUNT_COL, FIRST_DATA_ROW, NAME_ROW
from generators.sheets.stat_table import layout

COUNTY = ROOT / "sample_inputs" / "county_traditional"
BOOK = COUNTY / "target_book.yaml"
Q1 = Period(2013, 1)


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    book, _indicators, counts = book_counts(BOOK)
    path = tmp_path_factory.mktemp("form") / "form.xlsx"
    write_blank_form(path, Q1, list(book.units), counts, group=book.spec.group)
    return path, counts


def test_blank_form_has_a_column_per_stratum(form) -> None:
    path, counts = form
    ws = load_workbook(path)["2013Q1"]
    header = [ws.cell(NAME_ROW, c).value for c in range(FIRST_COUNT_COL, FIRST_COUNT_COL + len(counts))]
    assert header[:2] == ["活产数（城市）", "活产数（農村）"]  # in the place of 活产数
    for count in ("早孕建册人数", "新生儿访视人数"):
        assert f"{count}（城市）" in header and f"{count}（農村）" in header and count not in header
    assert "活产数" not in header and "孕产妇系统管理人数" in header  # not stratified: one column
    assert len(header) == len(set(header)) == 10


def test_filled_form_read_back_with_totals(form, tmp_path: Path) -> None:
    path, counts = form
    book, indicators, _ = book_counts(BOOK)
    wb = load_workbook(path)
    ws = wb["2013Q1"]
    names = [ws.cell(NAME_ROW, FIRST_COUNT_COL + k).value for k in range(len(counts))]
    values = {"活产数（城市）": 300, "活产数（農村）": 500, "早孕建册人数（城市）": 240, "早孕建册人数（農村）": 200}
    for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(book.units)):
        for k, name in enumerate(names):
            ws.cell(r, FIRST_COUNT_COL + k, values.get(name, 10))
    ws.cell(FIRST_DATA_ROW + 1, FIRST_COUNT_COL + names.index("活产数（農村）")).value = None  # 東灣院 left it blank
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    results = read_results(filled, Q1, list(book.units), counts, indicators)
    split = book_split(book, book.dictionary)
    totals = with_totals(results.counts, split)
    births = "live_births"
    assert totals["示例縣城關鎮衛生院"][births] == 800
    assert totals["示例縣東灣鄉衛生院"][births] is None  # a blank stratum: no total
    early = split.counts["early_pregnancy_registered"]
    assert [totals["示例縣城關鎮衛生院"][c] for c in early] == [240, 200]


def test_a_form_without_the_strata_is_refused(tmp_path: Path) -> None:
    book, indicators, counts = book_counts(BOOK)
    path = tmp_path / "old.csv"
    path.write_text("单位名称,活产数,早孕建册人数\n示例縣城關鎮衛生院,800,440\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_results(path, Q1, list(book.units), counts, indicators)
    assert caught.value.message.startswith("表头“活产数”不是本表要填的计数")


def _rates(path: Path, num: str, dens: list[str], per: int) -> dict[str, Fraction | None]:
    rows = [r for r in csv.reader(path.read_text(encoding="utf-8-sig").splitlines()) if r and not r[0].startswith("#")]
    head = [h[: h.rindex("（")] for h in rows[0][1:]]
    out: dict[str, Fraction | None] = {}
    for r in rows[1:]:
        v = dict(zip(head, map(int, r[1:]), strict=True))
        den = sum(v[d] for d in dens)
        out[r[0]] = Fraction(math.floor(Fraction(v[num] * per, den) * 100 + Fraction(1, 2)), 100) if den else None
    return out


def test_stat_table_shows_strata_and_a_yoy_sheet(tmp_path: Path) -> None:
    sup = load_supervision(read_yaml(COUNTY / "supervision.yaml"))
    target = _stat_table(sup, sup.quarters[0], tmp_path / "table.xlsx")
    wb = load_workbook(target)
    assert wb.sheetnames == ["统计表", "同比"]
    main, yoy = wb["统计表"], wb["同比"]
    blocks = layout(list(sup.main_indicators))
    names = [b.indicator.name for b in blocks]
    assert "早孕建册率（城市）" in names and "早孕建册率（農村）" in names and "早孕建册率" not in names
    previous = COUNTY / "results" / "2012" / "2012Q1.csv"
    expected = {
        "早孕建册率（農村）": _rates(previous, "早孕建册人数（農村）", ["活产数（農村）"], 100),
        "孕产妇系统管理率": _rates(previous, "孕产妇系统管理人数", ["活产数（城市）", "活产数（農村）"], 100),
        "婴儿死亡率": _rates(previous, "婴儿死亡数", ["活产数（城市）", "活产数（農村）"], 1000),
    }
    units = list(sup.units)
    checked = 0
    for k, block in enumerate(blocks):
        col = 2 + 3 * k
        assert yoy.cell(3, col).value == block.indicator.name
        for r, unit in enumerate(units):
            row = 5 + r
            assert yoy.cell(row, 1).value == unit
            rate_ref = f"'统计表'!{get_column_letter(block.rate_col)}{7 + r}"
            assert yoy.cell(row, col).value == f"={rate_ref}"
            assert main.cell(7 + r, 1).value == unit  # the reference is the same unit's row
            if block.indicator.name in expected:
                assert Fraction(str(yoy.cell(row, col + 1).value)) == expected[block.indicator.name][unit]
                checked += 1
            assert yoy.cell(row, col + 2).value.startswith("=IF(AND(ISNUMBER(")
    assert checked == 3 * len(units)
    assert yoy.cell(5 + len(units), 1).value == "合计"


def test_stat_table_without_previous_year_has_one_sheet(tmp_path: Path) -> None:
    sup = load_supervision(read_yaml(ROOT / "sample_inputs" / "2012" / "supervision.yaml"))
    target = _stat_table(sup, sup.quarters[0], tmp_path / "table.xlsx")
    assert load_workbook(target).sheetnames == ["统计表"]
    assert sup.quarters[0].spec.date > datetime.date(2012, 3, 31)
