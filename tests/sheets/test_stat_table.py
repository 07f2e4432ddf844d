"""统计表 XLSX: values checked after a real recalculation by LibreOffice Calc, plus the
structure (merges, formats, conditional formatting, print set-up) read back by openpyxl.

All LibreOffice work is one session-scoped ``soffice --convert-to xlsx`` call over
several workbooks (start-up dominates its cost)."""

from __future__ import annotations

import csv
import datetime
import math
import shutil
import subprocess
import time
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter

from generators.core.errors import InputError
from generators.core.yamlsrc import read_yaml
from generators.indicators.compute import indicator_value, pooled_value
from generators.indicators.dictionary import default_dictionary
from generators.indicators.targets import Target, parse_target, target_met
from generators.kinds.supervision import load_supervision
from generators.kinds.supervision_jobs import _stat_table
from generators.sheets.stat_table import FIRST_DATA_ROW, SHEET_TITLE, write_stat_table

COUNTY = Path(__file__).resolve().parents[2] / "sample_inputs" / "county_traditional"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
D = default_dictionary()
DATE = datetime.date(2012, 4, 15)
TITLE = "连云港市妇幼保健集团2012年第一季度主要妇幼保健指标统计表"
REPORTER = "连云港市妇幼保健集团"
CODES = [
    "hospital_delivery_rate",  # %
    "maternal_mortality_ratio",  # /10万, lower is better
    "pph_death_share",  # % over maternal deaths: mostly 0 denominators
    "infant_mortality_rate",  # ‰, lower is better
    "birth_certificate_void_rate",  # 废证数 / (签发数 + 废证数), strict < target
    "premarital_examination_rate",  # one unit has its own target
]
INDICATORS = [D.indicators[c] for c in CODES]
U1, U2, U3, U4 = "连云港市妇幼保健院", "赣榆县妇幼保健所", "东海县妇幼保健所", "开发区妇幼保健所"
UNITS = [U1, U2, U3, U4]


def _counts(live, hosp, md, pph, infant, issued, voided, married, premarital) -> dict[str, int | None]:
    return {
        "live_births": live,
        "hospital_delivery_live_births": hosp,
        "maternal_deaths": md,
        "pph_maternal_deaths": pph,
        "infant_deaths": infant,
        "birth_certificates_issued": issued,
        "birth_certificates_voided": voided,
        "marriage_registered_persons": married,
        "premarital_examined": premarital,
    }


COUNTS = {
    U1: _counts(1893, 1893, 0, 0, 5, 1880, 12, 2400, 1310),
    U2: _counts(2150, 2141, 1, 0, 9, 2105, 23, 3100, None),  # 婚检 not reported
    U3: _counts(2476, 2469, 0, 0, 10, 2430, 24, 2900, 1130),
    U4: _counts(312, 312, 0, 0, 1, 0, 0, 0, 0),  # no certificates, no marriages: 0 denominators
}
GROUP = {
    "hospital_delivery_rate": parse_target("达98%"),
    "maternal_mortality_ratio": parse_target("控制在5/10万以下"),
    "infant_mortality_rate": parse_target("控制在4‰以下"),
    "birth_certificate_void_rate": parse_target("低于1%"),
    "premarital_examination_rate": parse_target("达50%"),
}
TARGETS = {u: dict(GROUP) for u in UNITS}
TARGETS[U3]["premarital_examination_rate"] = parse_target("达35%")  # 东海's override


def write(path: Path, **changes) -> Path:
    args = dict(
        title=TITLE,
        period_label="2012年第一季度",
        units=UNITS,
        indicators=INDICATORS,
        counts=COUNTS,
        targets=TARGETS,
        dictionary=D,
        reporter=REPORTER,
        report_date=DATE,
        group_targets=GROUP,
    )
    return write_stat_table(path, **(args | changes))


# --- reading a table back -------------------------------------------------------------


@dataclass
class Columns:
    counts: dict[str, int]  # count code → column
    rate: int


def columns(ws, indicators=INDICATORS) -> dict[str, Columns]:
    """Find each indicator's columns from the header rows, as a reader would."""
    by_name = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == rng.max_row == 4:
            by_name[ws.cell(4, rng.min_col).value] = (rng.min_col, rng.max_col)
    out = {}
    for ind in indicators:
        lo, hi = by_name[ind.name]
        names = {D.counts[c].name: c for c in ind.counts}
        out[ind.code] = Columns({names[ws.cell(5, c).value]: c for c in range(lo, hi)}, hi)
        assert ws.cell(5, hi).value == f"率（{ind.unit}）"
    return out


def unit_rows(ws) -> tuple[dict[str, int], int]:
    rows, r = {}, FIRST_DATA_ROW
    while ws.cell(r, 1).value != "合计":
        rows[ws.cell(r, 1).value] = r
        r += 1
    return rows, r


def expected_values(counts, units, indicators=INDICATORS):
    """(unit or None for 合计, code) → Decimal rate or None, from compute."""
    out = {}
    for ind in indicators:
        for u in units:
            out[u, ind.code] = indicator_value(ind, counts[u]).rate
        out[None, ind.code] = pooled_value(ind, [counts[u] for u in units]).rate
    return out


def compare(ws, counts, units, indicators=INDICATORS) -> float:
    """Assert LO's recalculated values equal the tool's; return the max |difference|."""
    cols, (rows, total) = columns(ws, indicators), unit_rows(ws)
    assert list(rows) == list(units)
    worst = 0.0
    for (unit, code), rate in expected_values(counts, units, indicators).items():
        got = ws.cell(total if unit is None else rows[unit], cols[code].rate).value
        if rate is None:
            assert got == "—", (unit, code, got)
        else:
            assert isinstance(got, (int, float)), (unit, code, got)
            worst = max(worst, abs(got - float(rate)))
            assert abs(got - float(rate)) <= 1e-9, (unit, code, got, rate)
    for ind in indicators:
        for code, col in cols[ind.code].counts.items():
            for u in units:
                assert ws.cell(rows[u], col).value == counts[u].get(code), (u, code)
            reported = [counts[u][code] for u in units if counts[u].get(code) is not None]
            assert ws.cell(total, col).value == (sum(reported) if reported else None), code
    return worst


# --- LibreOffice ------------------------------------------------------------------------

# Calc's default for OOXML is "never recalculate" on load; force it, so cached values
# in the converted file can only come from a recalculation.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def recalc(files: list[Path], out: Path) -> tuple[dict[str, Path], float]:
    """One soffice run converting every file to XLSX (recalculated) in ``out``."""
    profile = out.parent / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *files,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    seconds = time.perf_counter() - started
    results = {f.stem: out / f.name for f in files}
    missing = [name for name, path in results.items() if not path.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return results, seconds


def add_probes(path: Path) -> dict[str, str]:
    """Write every conditional-format test, moved to each cell it covers, into a spare
    column of the same row, so Calc evaluates exactly what would colour the cell.
    Returns probe cell → rate cell."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_TITLE]
    spare = ws.max_column + 3
    probes: dict[str, str] = {}
    for cf in ws.conditional_formatting:
        ranges = list(cf.sqref.ranges)
        anchor = ranges[0].coord.split(":")[0]
        for rule in cf.rules:
            for rng in ranges:
                for row in range(rng.min_row, rng.max_row + 1):
                    cell = f"{get_column_letter(rng.min_col)}{row}"
                    formula = Translator("=" + rule.formula[0], origin=anchor).translate_formula(cell)
                    probe = ws.cell(row, spare + rng.min_col)  # one probe column per rate column
                    assert cell not in probes.values(), f"{cell} is covered by two rules"
                    probe.value = formula
                    probes[probe.coordinate] = cell
    wb.save(path)
    return probes


EDGE_UNITS = ["甲", "乙", "丙", "丁"]
EDGE_CODES = ["hospital_delivery_rate", "infant_mortality_rate", "birth_certificate_void_rate"]
EDGE_COUNTS = {
    # 18999/20000 = 94.995% → 95.00, meets ≥95 (judged on 2 places like compute)
    "甲": {"live_births": 20000, "hospital_delivery_live_births": 18999, "infant_deaths": 40},
    # 801/200000 = 4.005‰ → 4.01, misses ≤4
    "乙": {"live_births": 200000, "hospital_delivery_live_births": 199000, "infant_deaths": 801},
    # 10/(990+10) = 1.00%, misses the strict <1%
    "丙": {"live_births": 1000, "hospital_delivery_live_births": 950, "infant_deaths": 4},
    # 8/2000 = 4.00‰, meets ≤4 (boundary included)
    "丁": {"live_births": 2000, "hospital_delivery_live_births": 1900, "infant_deaths": 8},
}
for _u, _v in zip(EDGE_UNITS, [(500, 2), (1000, 3), (990, 10), (1000, 9)], strict=True):
    EDGE_COUNTS[_u] |= {"birth_certificates_issued": _v[0], "birth_certificates_voided": _v[1]}
EDGE_GROUP = {
    "hospital_delivery_rate": parse_target("达95%"),
    "infant_mortality_rate": parse_target("≤4‰"),
    "birth_certificate_void_rate": parse_target("低于1%"),
}

INJECTIONS = ["=1+1", "+SUM(A1)", "-2", "@foo", "\tx", '=HYPERLINK("http://example.com","x")']


@dataclass
class Converted:
    main: Path  # as written by the tool
    lo: dict[str, Path]  # stem → workbook recalculated by LibreOffice
    probes: dict[str, dict[str, str]]  # stem → probe cell → rate cell
    seconds: float


@pytest.fixture(scope="session")
def converted(tmp_path_factory) -> Converted:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    base = tmp_path_factory.mktemp("stat_table")
    src = base / "in"
    main = write(src / "main.xlsx")
    # Liveness: a corrected count in the produced file, recalculated by Calc.
    edited = src / "edited.xlsx"
    wb = openpyxl.load_workbook(main)
    ws = wb[SHEET_TITLE]
    cols, (rows, _) = columns(ws), unit_rows(ws)
    ws.cell(rows[U1], cols["hospital_delivery_rate"].counts["hospital_delivery_live_births"]).value = 1850
    ws.cell(rows[U2], cols["premarital_examination_rate"].counts["premarital_examined"]).value = 1600
    wb.save(edited)
    probe = src / "probe.xlsx"
    shutil.copy(main, probe)
    edge = src / "edge.xlsx"
    write(
        edge,
        units=EDGE_UNITS,
        indicators=[D.indicators[c] for c in EDGE_CODES],
        counts=EDGE_COUNTS,
        targets={u: EDGE_GROUP for u in EDGE_UNITS},
        group_targets=EDGE_GROUP,
    )
    hand = src / "hand.xlsx"
    hand_counts = {
        "甲单位": {"hospital_delivery_live_births": 1, "live_births": 3},
        "乙单位": {"hospital_delivery_live_births": 2, "live_births": 5},
    }
    write(hand, units=list(hand_counts), indicators=[D.indicators["hospital_delivery_rate"]], counts=hand_counts)
    inject = src / "inject.xlsx"
    write(
        inject,
        title=INJECTIONS[0],
        reporter="@reporter",
        period_label="-2012",
        units=INJECTIONS,
        counts={u: {"live_births": 10, "hospital_delivery_live_births": 9} for u in INJECTIONS},
        targets={},
        group_targets=None,
    )
    probes = {"probe": add_probes(probe), "edge": add_probes(edge)}
    yoy = yoy_table(src / "yoy.xlsx")
    lo, seconds = recalc([main, edited, probe, edge, hand, inject, yoy], base / "lo")
    print(f"\nLibreOffice recalculated 7 workbooks in one run: {seconds:.2f} s")
    return Converted(main, lo, probes, seconds)


def yoy_table(target: Path) -> Path:
    """The county sample's 2013Q2 table: strata and a 同比 sheet (issue 17)."""
    sup = load_supervision(read_yaml(COUNTY / "supervision.yaml"))
    return _stat_table(sup, sup.quarters[1], target)


def test_libreoffice_computes_the_yoy_sheet(converted: Converted) -> None:
    """Calc's recalculated 同比 = this quarter's rate (from the 统计表 sheet's formula)
    less last year's, against Fractions from the two CSV files."""
    ws = openpyxl.load_workbook(converted.lo["yoy"], data_only=True)["同比"]

    def rates(path: Path, num: str, den: str) -> dict[str, Fraction]:  # exact, unrounded
        lines = [r for r in csv.reader(path.read_text(encoding="utf-8-sig").splitlines()) if r and r[0][0] != "#"]
        head = [h[: h.rindex("（")] for h in lines[0][1:]]
        out = {}
        for r in lines[1:]:
            v = dict(zip(head, map(int, r[1:]), strict=True))
            out[r[0]] = Fraction(100 * v[num], v[den])
        return out

    def half_up(x: Fraction) -> Fraction:
        return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)

    name = "早孕建册率（農村）"
    col = next(c for c in range(2, ws.max_column + 1) if ws.cell(3, c).value == name)
    now = rates(COUNTY / "results" / "2013Q2.csv", "早孕建册人数（農村）", "活产数（農村）")
    then = rates(COUNTY / "results" / "2012" / "2012Q2.csv", "早孕建册人数（農村）", "活产数（農村）")
    checked = 0
    for row in range(5, 5 + len(now)):
        unit = ws.cell(row, 1).value
        assert abs(Fraction(ws.cell(row, col).value) - now[unit]) < Fraction(1, 10**9)
        assert abs(Fraction(ws.cell(row, col + 2).value) - (half_up(now[unit]) - half_up(then[unit]))) < Fraction(
            1, 10**9
        )
        checked += 1
    assert checked == 4


def lo_sheet(converted: Converted, stem: str):
    return openpyxl.load_workbook(converted.lo[stem], data_only=True)[SHEET_TITLE]


# --- done-when: LibreOffice agrees with compute ----------------------------------------


def test_libreoffice_values_equal_compute(converted: Converted) -> None:
    mine = openpyxl.load_workbook(converted.main, data_only=True)[SHEET_TITLE]
    cols, (rows, total) = columns(mine), unit_rows(mine)
    rate_cells = [(r, c.rate) for c in cols.values() for r in [*rows.values(), total]]
    # openpyxl writes formulas without cached values ...
    assert all(mine.cell(r, c).value is None for r, c in rate_cells)
    ws = lo_sheet(converted, "main")
    # ... so a value here was computed by Calc.
    assert all(ws.cell(r, c).value is not None for r, c in rate_cells)
    worst = compare(ws, COUNTS, UNITS)
    print(f"max |LibreOffice - compute| = {worst:.3g}")


def test_edited_count_recalculates(converted: Converted) -> None:
    counts = {u: dict(c) for u, c in COUNTS.items()}
    counts[U1]["hospital_delivery_live_births"] = 1850
    counts[U2]["premarital_examined"] = 1600
    ws = lo_sheet(converted, "edited")
    compare(ws, counts, UNITS)
    cols, (rows, total) = columns(ws), unit_rows(ws)
    before = lo_sheet(converted, "main")
    for code, unit in (("hospital_delivery_rate", U1), ("premarital_examination_rate", U2)):
        for row in (rows[unit], total):
            assert ws.cell(row, cols[code].rate).value != before.cell(row, cols[code].rate).value
    # 1850/1893 and the group's (1850+2141+2469+312)/(1893+2150+2476+312)
    assert ws.cell(rows[U1], cols["hospital_delivery_rate"].rate).value == pytest.approx(1850 / 1893 * 100)
    assert ws.cell(total, cols["hospital_delivery_rate"].rate).value == pytest.approx(6772 / 6831 * 100)


def test_total_is_rate_of_sums_not_mean_of_rates(converted: Converted) -> None:
    ws = lo_sheet(converted, "hand")
    rate_col = 4  # B 住院分娩活产数, C 活产数, D 率
    assert ws.cell(7, rate_col).value == pytest.approx(100 / 3, abs=1e-9)
    assert ws.cell(8, rate_col).value == pytest.approx(40.0, abs=1e-9)
    assert ws.cell(9, 1).value == "合计"
    assert (ws.cell(9, 2).value, ws.cell(9, 3).value) == (3, 8)
    assert ws.cell(9, rate_col).value == pytest.approx(37.5, abs=1e-9)  # not (33.33 + 40) / 2


def test_zero_denominator_gives_no_error_value(converted: Converted) -> None:
    ws = lo_sheet(converted, "main")
    cols, (rows, _) = columns(ws), unit_rows(ws)
    for stem in ("main", "edited", "edge", "hand", "inject"):
        sheet = lo_sheet(converted, stem)
        errors = [c.coordinate for row in sheet.iter_rows() for c in row if str(c.value).startswith("#")]
        assert not errors, (stem, errors)
    # 开发区: no certificates and no marriages; pph share: no maternal deaths at 3 units
    assert ws.cell(rows[U4], cols["birth_certificate_void_rate"].rate).value == "—"
    assert ws.cell(rows[U4], cols["premarital_examination_rate"].rate).value == "—"
    assert [ws.cell(rows[u], cols["pph_death_share"].rate).value for u in UNITS] == ["—", 0, "—", "—"]


def _expected_missed(counts, units, group, per_unit, codes, ws) -> dict[str, bool]:
    cols, (rows, total) = columns(ws, [D.indicators[c] for c in codes]), unit_rows(ws)
    out = {}
    for code in codes:
        ind = D.indicators[code]
        judged = [(rows[u], indicator_value(ind, counts[u]), per_unit[u].get(code)) for u in units]
        judged.append((total, pooled_value(ind, [counts[u] for u in units]), group.get(code)))
        for row, value, target in judged:
            if target is not None:
                cell = f"{get_column_letter(cols[code].rate)}{row}"
                out[cell] = value.rounded is not None and not target_met(target, value.rounded)
    return out


@pytest.mark.parametrize("stem", ["probe", "edge"])
def test_conditional_format_marks_exactly_the_missed_targets(converted: Converted, stem: str) -> None:
    """Calc evaluates each rule's formula at each covered cell; the cells it would colour
    are those compute.attainment calls 未达标 (2 places, strict comparators, overrides)."""
    ws = lo_sheet(converted, stem)
    if stem == "probe":
        expected = _expected_missed(COUNTS, UNITS, GROUP, TARGETS, CODES, ws)
    else:
        per_unit = dict.fromkeys(EDGE_UNITS, EDGE_GROUP)
        expected = _expected_missed(EDGE_COUNTS, EDGE_UNITS, EDGE_GROUP, per_unit, EDGE_CODES, ws)
    got = {cell: ws[probe].value for probe, cell in converted.probes[stem].items()}
    assert got == expected
    assert any(got.values()) and not all(got.values())


def test_edge_cases_are_judged_like_compute(converted: Converted) -> None:
    ws = lo_sheet(converted, "edge")
    probes = {cell: ws[p].value for p, cell in converted.probes["edge"].items()}
    # rows 7..10 = 甲 乙 丙 丁; columns D (住院分娩率), G (婴儿死亡率), J (废证率)
    assert probes["D7"] is False  # 94.995 rounds to 95.00 ≥ 95
    assert probes["G8"] is True  # 4.005‰ rounds to 4.01 > 4
    assert probes["J9"] is True  # 1.00% is not < 1%
    assert probes["G10"] is False  # 4.00‰ ≤ 4‰


# --- formula injection ------------------------------------------------------------------


def test_injected_text_stays_text(tmp_path: Path, converted: Converted) -> None:
    ws = openpyxl.load_workbook(converted.main.parent / "inject.xlsx")[SHEET_TITLE]
    cells = {ws.cell(FIRST_DATA_ROW + i, 1): text for i, text in enumerate(INJECTIONS)}
    cells[ws["A1"]] = INJECTIONS[0]
    for cell, text in cells.items():
        assert cell.data_type == "s" and cell.value == text, (cell.coordinate, cell.value)
        assert cell.quotePrefix
    assert ws["A2"].value == "填报单位：@reporter"
    lo = lo_sheet(converted, "inject")
    assert [lo.cell(FIRST_DATA_ROW + i, 1).value for i in range(len(INJECTIONS))] == INJECTIONS
    assert lo["A1"].value == INJECTIONS[0]


def test_carriage_return_and_control_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "t.xlsx", units=["\r=1+1", "a\x01b"], counts={}, targets={}, group_targets=None)
    ws = openpyxl.load_workbook(path)[SHEET_TITLE]
    assert [(c.value, c.data_type, c.quotePrefix) for c in (ws["A7"], ws["A8"])] == [
        ("\n=1+1", "s", True),
        ("ab", "s", False),
    ]


# --- structure --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    return openpyxl.load_workbook(write(tmp_path_factory.mktemp("structure") / "t.xlsx"))[SHEET_TITLE]


def test_header_layout(sheet) -> None:
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # 住院分娩率 B-D, 孕产妇死亡率 E-G, 产后出血死亡率 H-J | 婴儿死亡率 K-M | 废证率 N-P | 婚检率 Q-S
    # The title spans the first printed page (A–J at 80 % on A4 landscape; K–S print on the second).
    expected = {"A1:J1", "A3:A5", "B3:J3", "K3:M3", "N3:P3", "Q3:S3", "B4:D4", "E4:G4", "N4:P4", "B6:D6", "Q6:S6"}
    assert expected <= merged
    assert sheet["A1"].value == TITLE
    assert [sheet.cell(3, c).value for c in (2, 11, 14, 17)] == [
        "孕产妇保健",
        "儿童保健",
        "出生医学证明",
        "出生缺陷防治",
    ]
    assert [sheet.cell(5, c).value for c in range(14, 17)] == ["出生医学证明废证数", "出生医学证明签发数", "率（%）"]
    assert [sheet.cell(5, c).value for c in (7, 13)] == ["率（/10万）", "率（‰）"]
    assert sheet["A6"].value == "目标值"
    assert [sheet[c].value for c in ("B6", "E6", "H6", "K6", "N6")] == ["≥98%", "≤5/10万", "无", "≤4‰", "<1%"]
    assert sheet["Q6"].value == f"≥50%\n{U3}：≥35%"
    assert sheet["A2"].value == f"填报单位：{REPORTER}" and "2012年第一季度" in sheet["F2"].value
    # 废证率 divides by 签发数 + 废证数 (one 废证数 column used twice)
    assert "N7/(O7+N7)*100" in sheet["P7"].value


def test_number_formats(sheet) -> None:
    rows = range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(UNITS) + 1)
    formats = {"D": '0.00"%"', "G": '0.00"/10万"', "M": '0.00"‰"', "P": '0.00"%"', "B": "#,##0", "O": "#,##0"}
    for col, fmt in formats.items():
        assert {sheet[f"{col}{r}"].number_format for r in rows} == {fmt}, col


def test_conditional_formatting_rules(sheet) -> None:
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in sheet.conditional_formatting}
    assert rules == {
        "D7:D11": ["IF(ISNUMBER($D7),ROUND($D7,2)<98,FALSE)"],
        "G7:G11": ["IF(ISNUMBER($G7),ROUND($G7,2)>5,FALSE)"],
        "M7:M11": ["IF(ISNUMBER($M7),ROUND($M7,2)>4,FALSE)"],
        "P7:P11": ["IF(ISNUMBER($P7),ROUND($P7,2)>=1,FALSE)"],
        "S7:S8 S10:S11": ["IF(ISNUMBER($S7),ROUND($S7,2)<50,FALSE)"],
        "S9": ["IF(ISNUMBER($S9),ROUND($S9,2)<35,FALSE)"],
    }
    assert all(r.dxf.fill is not None for cf in sheet.conditional_formatting for r in cf.rules)


def test_print_setup_and_footer(sheet) -> None:
    assert sheet.freeze_panes == "B7"
    ps = sheet.page_setup
    # A4 landscape at 80 %: the 10 pt cells print at 8 pt; wide tables go on more pages.
    assert (ps.orientation, int(ps.paperSize), int(ps.scale)) == ("landscape", 9, 80)
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$6" and sheet.print_title_cols == "$A:$A"
    assert sheet.print_options.horizontalCentered
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    total = FIRST_DATA_ROW + len(UNITS)
    assert sheet.cell(total, 1).value == "合计"
    signature = sheet.cell(total + 2, 2).value  # from column B: A is printed on every page
    assert "单位负责人：" in signature and "填表人：" in signature and signature.endswith("报出日期：2012年4月15日")
    notes = [sheet.cell(r, 2).value for r in range(total + 3, sheet.max_row + 1)]
    assert notes[0].startswith("注：1. 率 = 分子 ÷ 分母 × 100%") and "不是各单位率的平均" in notes[0]
    assert any("出生医学证明废证率的分母为出生医学证明签发数与出生医学证明废证数之和" in n for n in notes)
    assert sheet.print_area == f"'{SHEET_TITLE}'!$A$1:$S${sheet.max_row}"
    assert sheet.column_dimensions["A"].width >= 18  # 9 CJK characters
    assert sheet.row_dimensions[6].height > sheet.row_dimensions[7].height or sheet.row_dimensions[7].height is None


def test_byte_identical_and_properties(tmp_path: Path) -> None:
    a, b = write(tmp_path / "a.xlsx"), write(tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    props = openpyxl.load_workbook(a).properties
    midnight = datetime.datetime(2012, 4, 15)
    assert (props.creator, props.created, props.modified) == (REPORTER, midnight, midnight)
    c = write(tmp_path / "c.xlsx", report_date=datetime.date(2012, 4, 16))
    assert c.read_bytes() != a.read_bytes()


def test_default_group_target_is_the_majority(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write(tmp_path / "t.xlsx", group_targets=None))[SHEET_TITLE]
    assert ws["Q6"].value == f"≥50%\n{U3}：≥35%"
    assert "S7:S8 S10:S11" in {str(cf.sqref) for cf in ws.conditional_formatting}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"units": [U1, U1]}, "重复"),
        ({"targets": {U1: {"infant_mortality_rate": Target("<=", Decimal(4), "%", "4%")}}}, "‰"),
        ({"counts": {U1: {"live_births": "12"}}}, "应为整数"),
        ({"indicators": []}, "没有指标"),
    ],
)
def test_bad_input(tmp_path: Path, changes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        write(tmp_path / "t.xlsx", **changes)
    assert not (tmp_path / "t.xlsx").exists()
