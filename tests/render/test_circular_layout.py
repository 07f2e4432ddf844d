"""Done-when 3 and 4: geometry measured from character boxes; fonts by role."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfmeasure import (
    FONT_FILES,
    NO_LINE_END,
    NO_LINE_START,
    body_lines,
    font_descriptors,
    page_number_line,
    paragraph_first_lines,
    read_pages,
    record_rows,
)

from generators.core import fonts
from generators.document import geometry as g

TOL = 1.0  # mm


@pytest.fixture(scope="module", params=["000", "001"])
def pages(request, circulars):
    return read_pages(circulars[request.param]["pdf"])


def _is_cjk_full_line(line) -> bool:
    return all("\u4e00" <= c["text"] <= "\u9fff" or c["text"] in "，、。；：“”《》（）" for c in line.chars)


def test_page_size(pages) -> None:
    for page in pages:
        assert abs(page.width - 210) < 0.1 and abs(page.height - 297) < 0.1


def test_body_inside_type_area(pages) -> None:
    for page in pages:
        for line in body_lines(page):
            assert line.x0 >= g.MARGIN_INNER - TOL, (page.number, line.text)
            assert line.x1 <= g.MARGIN_INNER + g.TYPE_WIDTH + TOL, (page.number, line.text)
            assert line.em_top >= g.MARGIN_TOP - TOL, (page.number, line.text)
            assert line.em_bottom <= g.MARGIN_TOP + g.TYPE_HEIGHT + TOL, (page.number, line.text)


def test_margins_top_and_left(pages) -> None:
    # Body pages (ten lines or more) begin on the first grid line and reach the left margin.
    body_pages = [p for p in pages[1:] if len(body_lines(p)) >= 10]
    assert body_pages
    for page in body_pages:
        lines = body_lines(page)
        assert abs(lines[0].em_top - g.MARGIN_TOP) <= TOL, (page.number, lines[0].em_top)
        assert abs(min(line.x0 for line in lines) - g.MARGIN_INNER) <= TOL, page.number


def test_full_page_holds_22_lines(pages) -> None:
    counts = [len(body_lines(p)) for p in pages]
    assert max(counts) == g.LINES_PER_PAGE, counts
    full = [p for p in pages if len(body_lines(p)) == g.LINES_PER_PAGE]
    for page in full:
        lines = body_lines(page)
        pitch = (lines[-1].baseline - lines[0].baseline) / (len(lines) - 1)
        assert abs(pitch - g.LINE_PITCH) < 0.05, pitch


def test_full_line_holds_28_characters(pages) -> None:
    full = [
        line
        for p in pages
        for line in body_lines(p)
        if _is_cjk_full_line(line) and line.x1 > g.MARGIN_INNER + g.TYPE_WIDTH - 2 and line.x0 < g.MARGIN_INNER + 1
    ]
    assert full, "no full-width body line"
    assert {len(line.chars) for line in full} == {g.CHARS_PER_LINE}


def test_page_numbers(pages) -> None:
    # A blank page before the 版记 page, and that 版记 page, carry none (GB/T 9704 7.5).
    after_blank = len(pages) > 1 and not pages[-2].lines
    for page in pages:
        line = page_number_line(page)
        if after_blank and page.number >= len(pages) - 1:
            assert line is None, page.number
            continue
        assert line is not None, page.number
        assert line.text.replace(" ", "") == f"—{page.number}—"
        assert abs(line.size - g.PAGE_NUMBER_PT) < 0.1
        assert abs(line.em_top - (g.MARGIN_TOP + g.TYPE_HEIGHT + g.PAGE_NUMBER_BELOW)) <= TOL
        indent = g.pt_to_mm(g.PAGE_NUMBER_PT)
        if page.number % 2:  # odd: right, one character in
            assert abs(line.x1 - (g.MARGIN_INNER + g.TYPE_WIDTH - indent)) <= TOL
        else:
            assert abs(line.x0 - (g.MARGIN_INNER + indent)) <= TOL


def test_issuer_mark_and_rule_red(pages) -> None:
    first = pages[0]
    mark = [c for line in first.lines for c in line.chars if c["size"] > 30]
    assert "".join(c["text"] for c in mark) == "连云港市妇幼保健集团文件"
    assert all(tuple(c["non_stroking_color"]) == (1.0, 0.0, 0.0) for c in mark)
    mark_line = next(line for line in first.lines if line.size > 30)
    assert abs(mark_line.em_top - (g.MARGIN_TOP + g.ISSUER_MARK_TOP)) <= TOL
    red = [r for r in first.rects if tuple(r["non_stroking_color"]) == (1.0, 0.0, 0.0)]
    assert len(red) == 1
    rule = red[0]
    assert abs(rule["width"] / g.mm_to_pt(1) - g.TYPE_WIDTH) < 0.5
    number = next(line for line in first.lines if "〔" in line.text)
    gap = rule["top"] / g.mm_to_pt(1) - number.em_bottom
    assert abs(gap - g.RULE_BELOW_NUMBER) <= TOL


def test_record_on_last_page_below_body(pages) -> None:
    last = pages[-1]
    record = [line for line in last.lines if abs(line.size - g.RECORD_PT) < 0.1 and line is not page_number_line(last)]
    assert any(line.text.startswith("抄送") for line in record)
    assert any(line.text.replace(" ", "").endswith("印发") for line in record)
    body = body_lines(last)
    if body:
        assert min(line.em_top for line in record) > max(line.em_bottom for line in body)
    # The last thick rule coincides with the bottom of the type area.
    bottom_rule = max(r["bottom"] for r in last.rects) / g.mm_to_pt(1)
    assert abs(bottom_rule - (g.MARGIN_TOP + g.TYPE_HEIGHT)) <= TOL
    for page in pages[:-1]:
        assert not any(line.text.startswith("抄送") for line in page.lines)


def _norm(name: str) -> str:
    return name.split("+", 1)[-1].replace("-", "").replace(" ", "").lower()


@pytest.mark.parametrize("seed", ["000", "001"])
def test_fonts_by_role(circulars, seed: str) -> None:
    pages = read_pages(circulars[seed]["pdf"])
    lines = [line for p in pages for line in p.lines]
    expect = {role: _norm(fonts.resolve(role).family) for role in fonts.ROLES}
    title = [line for line in lines if abs(line.size - g.TITLE_PT) < 0.1]
    assert title and all(
        _norm(f).startswith((expect["title"], expect["latin"])) for line in title for f in line.fonts()
    )
    body = [line for line in lines if abs(line.size - g.BODY_PT) < 0.1 and line.text[:2] not in ("一、", "二、")]
    assert any(expect["body"] in {_norm(f) for f in line.fonts()} for line in body)
    h1 = [line for line in lines if line.text.startswith(("一、", "二、", "三、"))]
    assert h1 and all(expect["heading1"] in {_norm(c["fontname"]) for c in line.chars[:2]} for line in h1)
    if seed == "001":  # the plan has （一） level-2 headings
        h2 = [line for line in lines if line.text.startswith(("(一)", "（一）", "(二)"))]
        assert h2 and all(expect["heading2"] in {_norm(c["fontname"]) for c in line.chars[:3]} for line in h2)
    digits = [c for line in body for c in line.chars if c["text"] in "0123456789"]
    assert digits and all(_norm(c["fontname"]) == expect["latin"] for c in digits)


@pytest.mark.parametrize("seed", ["000", "001"])
def test_fonts_embedded_and_every_glyph_present(circulars, seed: str) -> None:
    path: Path = circulars[seed]["pdf"]
    for name, descriptor in font_descriptors(path).items():
        assert any(k in descriptor for k in FONT_FILES), name
    # Every character drawn is in the cmap of the face its role resolves to.
    faces = {_norm(fonts.resolve(role).family): fonts.resolve(role) for role in fonts.ROLES}
    for page in read_pages(path):
        for line in page.lines:
            for c in line.chars:
                key = next(k for k in faces if _norm(c["fontname"]).startswith(k))
                assert not fonts.missing_characters(faces[key], c["text"]), (c["text"], c["fontname"])


def test_first_line_holds_indent_and_26_characters(pages) -> None:
    """Issue 13: the two-cell indent is two grid cells (not two 16 pt ems), so the first
    line of a pure-Chinese paragraph holds 26 characters and ends on the grid's edge."""
    cell = g.TYPE_WIDTH / g.CHARS_PER_LINE
    firsts = paragraph_first_lines(pages, g.MARGIN_INNER, cell)
    assert firsts
    for line, after in firsts:
        inked = line.inked
        assert abs(line.x0 - (g.MARGIN_INNER + 2 * cell)) <= 0.2, line.text
        kinsoku = after.inked[0]["text"] in NO_LINE_START or inked[-1]["text"] in NO_LINE_END
        if kinsoku:  # a character moved down with punctuation that cannot start a line
            assert len(inked) >= g.CHARS_PER_LINE - 3, line.text
        else:
            assert len(inked) == g.CHARS_PER_LINE - 2, line.text
            assert abs(line.x1 - (g.MARGIN_INNER + g.TYPE_WIDTH)) <= 0.5, (line.text, line.x1)


def test_record_rows_single_height(pages) -> None:
    """Each 版记 row is as tall as its lines (one grid line each): no empty line above
    the closing rule."""
    last = pages[-1]
    rows = record_rows(last, g.RECORD_PT, g.TYPE_WIDTH)
    assert len(rows) >= 2
    for height, lines in rows:
        assert lines, height
        assert abs(height - len(lines) * g.LINE_PITCH) <= 0.6, (height, [line.text for line in lines])
