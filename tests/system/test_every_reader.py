"""Every reader shows the same document (issue: PDF fonts valid to the spec, DOCX valid
to the schema).  The whole sample year is built once; each PDF is drawn by MuPDF,
PDFium and poppler, each DOCX checked against ECMA-376's child order and printed by
LibreOffice, whose 版记 is measured."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
import readers
from conftest import ROOT
from ooxml_order import check_docx

from generators.document import geometry as g

MM = 72 / 25.4
PRINTED = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发$")  # the 版记's 印发机关 and 印发日期 line
AGREEMENT = 0.02  # share of inked cells one engine may draw where another draws nothing


def _pdfs(folder: Path) -> list[Path]:
    pdfs = sorted(folder.rglob("*.pdf"))
    assert pdfs
    return pdfs


def test_sample_year_has_documents_and_archive(sample_year: Path) -> None:
    pdfs = _pdfs(sample_year)
    archived = [p for p in pdfs if "guidang" in p.parts]
    assert len(pdfs) > 60 and len(archived) > 30, (len(pdfs), len(archived))


def test_every_pdf_draws_alike_in_mupdf_pdfium_and_poppler(sample_year: Path) -> None:
    faults = []
    for pdf in _pdfs(sample_year):
        mupdf = readers.mupdf_pages(pdf)
        pdfium = readers.pdfium_pages(pdf)
        poppler = readers.poppler_pages(pdf)
        name = pdf.relative_to(sample_year)
        if mupdf.warnings:
            faults.append(f"{name}: MuPDF: {mupdf.warnings.splitlines()[0]}")
        if not len(mupdf.ink) == len(pdfium) == len(poppler):
            faults.append(f"{name}: pages {len(mupdf.ink)}/{len(pdfium)}/{len(poppler)}")
            continue
        for number, (a, b, c) in enumerate(zip(mupdf.ink, pdfium, poppler, strict=True), 1):
            worst = max(readers.disagreement(a, b), readers.disagreement(a, c), readers.disagreement(b, c))
            if worst > AGREEMENT:
                faults.append(f"{name} p.{number}: inked cells MuPDF {a.sum()}, PDFium {b.sum()}, poppler {c.sum()}")
            # The one blank page allowed is the one before the 版记 page (GB/T 9704 7.5),
            # and then every engine leaves it blank.
            intended = number == len(mupdf.ink) - 1 and not (b.any() or c.any())
            if not a.any() and not intended:
                faults.append(f"{name} p.{number}: blank page")
    assert not faults, "\n".join(faults[:20])


def test_every_embedded_cff_selects_glyphs_by_cid_equal_to_glyph_id(sample_year: Path) -> None:
    """ISO 32000-1 9.7.4.2: a CIDFontType0 selects CFF glyphs by CID through the charset;
    weasyprint writes glyph ids as CIDs (Identity-H), so CID g must be glyph g."""
    faults = []
    seen = 0
    for pdf in _pdfs(sample_year):
        for font in readers.embedded_cff_fonts(pdf):
            seen += 1
            if font.cid_not_gid:
                faults.append(f"{pdf.name} {font.name}: {font.cid_not_gid} of {font.glyphs} glyphs")
    assert seen > 100
    assert not faults, "\n".join(faults[:20])


def test_every_docx_keeps_ecma_376_child_order(sample_year: Path) -> None:
    docx = sorted(sample_year.rglob("*.docx"))
    assert len(docx) > 30
    faults = [f"{p.name} {f.part} {f.path}: {f.problem}" for p in docx for f in check_docx(p)]
    assert not faults, "\n".join(faults[:20])


def _record_page(pdf: Path) -> tuple[int, list[int], list[tuple[float, float, float]] | None]:
    """(pages, pages holding 版记 lines, horizontal rules of the 印发 page as (y, x0, x1) in
    mm, None without a 印发 line: a 信函's 版记 has neither it nor rules, GB/T 9704 10.1)."""
    with pdfplumber.open(pdf) as doc:
        holding = []
        rules: list[tuple[float, float, float]] | None = None
        for number, page in enumerate(doc.pages, 1):
            text = page.extract_text() or ""
            lines = [line.replace(" ", "") for line in text.splitlines()]
            if any(line.startswith(("抄送：", "抄报：")) or PRINTED.search(line) for line in lines):
                holding.append(number)
            if any(PRINTED.search(line) for line in lines):
                rules = [
                    (ln["top"] / MM, ln["x0"] / MM, ln["x1"] / MM)
                    for ln in page.lines
                    if ln["x1"] - ln["x0"] > 100 * MM
                ]
        return len(doc.pages), holding, rules


@pytest.mark.slow
def test_libreoffice_puts_the_record_whole_at_the_foot_of_the_last_page(
    sample_year: Path, libreoffice_prints: dict[Path, Path]
) -> None:
    """GB/T 9704 7.5: the 版记 at the foot of the last page, its last rule on the type
    area's bottom edge; LibreOffice's rendering of the DOCX, every sample with a 版记."""
    bottom = g.PAGE_HEIGHT - g.MARGIN_BOTTOM
    checked, faults = 0, []
    letters = 0
    for docx in sorted(sample_year.rglob("*.docx")):
        pages, holding, rules = _record_page(libreoffice_prints[docx])
        if not holding:
            continue
        checked += 1
        name = docx.relative_to(sample_year)
        if holding != [pages]:
            faults.append(f"{name}: 版记 lines on pages {holding} of {pages}")
        if rules is None:
            letters += 1
            continue
        if not rules or abs(max(y for y, _, _ in rules) - bottom) > 1:
            faults.append(f"{name}: last rule at {max((y for y, _, _ in rules), default=0):.1f} mm, not {bottom} mm")
        for y, x0, x1 in rules:
            if abs(x0 - g.MARGIN_INNER) > 1 or abs(x1 - (g.MARGIN_INNER + g.TYPE_WIDTH)) > 1:
                faults.append(f"{name}: rule at {y:.1f} mm spans {x0:.1f}–{x1:.1f} mm")
    assert checked >= 7 and letters == 1, (checked, letters)  # the sample 函 is the one letter
    assert not faults, "\n".join(faults)


def _glyphs_crossed_by_rules(page) -> list[str]:
    """Characters a horizontal table rule runs through: text taller than its row
    (a wrapped cell left at one line's height) spills over the row's rules."""
    rules = [(ln["top"], ln["x0"], ln["x1"]) for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.5]
    rules += [(r["top"] + r["height"] / 2, r["x0"], r["x1"]) for r in page.rects if r["height"] < 1.5]
    crossed = []
    for c in page.chars:
        if not c["text"].strip():
            continue
        for y, x0, x1 in rules:
            if x0 < c["x1"] - 1 and c["x0"] + 1 < x1 and c["top"] + 1 < y < c["bottom"] - 1:
                crossed.append(c["text"])
                break
    return crossed


def _instruction_texts(xlsx: Path) -> list[str]:
    """The notes of the form's instruction sheet (填表说明, column 说明), the cells that wrap."""
    import openpyxl

    wb = openpyxl.load_workbook(xlsx, read_only=True)
    if "填表说明" not in wb.sheetnames:
        return []
    rows = list(wb["填表说明"].iter_rows(values_only=True))
    head = next(i for i, row in enumerate(rows) if row and row[-1] == "说明")
    return [str(row[-1]) for row in rows[head + 1 :] if row and row[-1]]


def _column_text(page, header: str) -> str:
    """The text printed in the table column headed ``header``, top to bottom, without
    spaces: the characters right of that column's left rule and below its header."""
    words = page.extract_words()
    head = next((w for w in words if w["text"] == header), None)
    if head is None:
        return ""
    rules = [ln["x0"] for ln in page.lines if abs(ln["x1"] - ln["x0"]) < 0.5 and ln["x0"] < head["x0"]]
    rules += [r["x0"] for r in page.rects if r["width"] < 1.5 and r["x0"] < head["x0"]]
    left = max(rules, default=head["x0"] - 1)
    chars = [c for c in page.chars if c["x0"] > left and c["top"] > head["bottom"] and c["text"].strip()]
    return "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])))


@pytest.mark.slow
def test_spreadsheets_print_on_a4_legibly_with_units_on_every_page(
    sample_year: Path, libreoffice_prints: dict[Path, Path]
) -> None:
    from generators.indicators.units import load_units

    # Each year's units: 2012 the sample year, 2013 the county sample (issue 17).
    units_of = {
        year: [u.name for u in load_units(ROOT / "sample_inputs" / folder / "units.yaml")]
        for year, folder in (("2012", "2012"), ("2013", "county_traditional"))
    }
    workbooks = sorted(p for p in sample_year.rglob("*.xlsx") if p.parent.name in ("tongji", "tianbao"))
    assert len(workbooks) == 12
    faults = []
    for xlsx in workbooks:
        units = units_of[xlsx.relative_to(sample_year).parts[0]]
        with pdfplumber.open(libreoffice_prints[xlsx]) as pdf:
            name = xlsx.name
            data_pages = 0
            for number, page in enumerate(pdf.pages, 1):
                size = sorted((round(page.width / MM), round(page.height / MM)))
                if size != [210, 297]:
                    faults.append(f"{name} p.{number}: paper {size} mm, not A4")
                sizes = [c["size"] for c in page.chars if c["text"].strip()]
                if sizes and min(sizes) < 8 - 0.05:
                    faults.append(f"{name} p.{number}: text at {min(sizes):.1f} pt")
                crossed = _glyphs_crossed_by_rules(page)
                if crossed:
                    faults.append(f"{name} p.{number}: text over the table's rules: {''.join(crossed[:20])}")
                text = page.extract_text() or ""
                if "填表说明" in text or "计数名称" in text:
                    continue  # the form's instruction sheet: no unit rows
                data_pages += 1
                missing = [u for u in units if u not in text]
                if missing:
                    faults.append(f"{name} p.{number}: no row for {missing}")
            printed = "".join(_column_text(page, "说明") for page in pdf.pages)
            for text in _instruction_texts(xlsx):
                if re.sub(r"\s", "", text) not in printed:
                    faults.append(f"{name}: instruction cell cut off on paper: {text}")
            # The 2012 forms' 37 counts cannot fit one page at 8 pt (the county's 10 can).
            if data_pages < 2 and xlsx.relative_to(sample_year).parts[0] == "2012":
                faults.append(f"{name}: {data_pages} data page(s); its columns cannot fit one page at 8 pt")
    assert not faults, "\n".join(faults[:30])


@pytest.mark.slow
def test_statistical_table_names_the_reporting_body_and_the_preparer(
    sample_year: Path, libreoffice_prints: dict[Path, Path]
) -> None:
    table = next(sample_year.rglob("2012q1-zhuyao-zhibiao.xlsx"))
    with pdfplumber.open(libreoffice_prints[table]) as pdf:
        page = pdf.pages[0]
        text = "".join((p.extract_text() or "").replace(" ", "") for p in pdf.pages)
        # The 填报单位 cell wraps within the unit column: its characters, line by line.
        first = next(w for w in page.extract_words() if w["text"].startswith("填报单位"))
        cell = [
            c
            for c in page.chars
            if first["x0"] - 1 <= c["x0"] <= first["x1"] + 1 and first["top"] - 1 <= c["top"] <= first["top"] + 40
        ]
        reporter = "".join(c["text"] for c in sorted(cell, key=lambda c: (round(c["top"]), c["x0"])))
    assert reporter.startswith("填报单位：连云港市妇幼保健集团"), reporter
    assert "填表人：李某某（虚构）" in text and "李某某" not in reporter


# The faces fonts.conf and the font cache configure (GW … are the cached cuts).
CONFIGURED_FACES = ("GW-", "Fandol", "Noto-Serif-CJK", "Noto-Sans-CJK", "Liberation-Serif", "cwTeX", "AR-PL-UKai")


def test_every_sample_pdf_draws_only_with_the_configured_faces(sample_year: Path) -> None:
    """A character the role's face lacks falls back to whatever fontconfig finds (a
    DejaVu sans minus sign in 仿宋 table cells, once): none may in the samples."""
    import pymupdf

    faults = set()
    for pdf in _pdfs(sample_year):
        with pymupdf.open(pdf) as doc:
            for page in doc:
                for block in page.get_text("rawdict")["blocks"]:
                    for line in block.get("lines", []):
                        for span in line["spans"]:
                            face = span["font"].split("+", 1)[-1]
                            if not face.startswith(CONFIGURED_FACES):
                                chars = "".join(c["c"] for c in span["chars"])
                                faults.add(f"{pdf.relative_to(sample_year)}: {face} draws “{chars}”")
    assert not faults, "\n".join(sorted(faults)[:20])
