"""Issue 13: the 版记 on an even page (GB/T 9704 7.4, 7.5).  Circulars of growing body
length end on odd and even pages; in the PDF and in LibreOffice's print of the DOCX the
版记 must be on the last page, an even one; a blank page is put before it when it would
otherwise stand on an odd page alone, and that blank page and the 版记 page carry no
page number; every other page is numbered."""

from __future__ import annotations

from pathlib import Path

import pytest
from circulars import circular_yaml
from pdfmeasure import Page, body_lines, page_number_line, read_pages

from generators.document import geometry as g
from generators.kinds.circular import build_circular, load_circular
from generators.render.docx import write_docx
from generators.render.pdf import page_plan, write_pdf

# A paragraph of two full lines and a short one; the sweep adds one paragraph at a time.
PARAGRAPH = "各单位要结合本地实际，认真制定实施方案，明确责任分工，细化工作措施，加强督促检查，确保各项任务按时完成，"
SWEEP = range(1, 22)


def _yaml(paragraphs: int) -> str:
    body = [f"{PARAGRAPH}第{i + 1}项工作按计划推进。" for i in range(paragraphs)]
    record = "抄送:\n  - 市人民政府办公室\n  - 市财政局\n印发机关: 某某市卫生局办公室\n印发日期: 2024-03-01\n"
    return circular_yaml(paragraphs, body, tail=record)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> dict[int, dict[str, Path]]:
    out = tmp_path_factory.mktemp("record-page")
    built = {}
    for n in SWEEP:
        folder = out / f"{n:02d}"  # LibreOffice names its prints by stem: one folder each
        folder.mkdir()
        source = folder / "circular.yaml"
        source.write_text(_yaml(n), encoding="utf-8")
        doc = build_circular(*load_circular(source))
        built[n] = {
            "docx": write_docx(doc, folder / "circular.docx"),
            "pdf": write_pdf(doc, folder / "circular.pdf"),
            "place": page_plan(doc).record,
        }
    return built


def _is_record(page: Page) -> bool:
    return any(line.text.startswith("抄送") for line in page.lines)


def _check(pages: list[Page]) -> str:
    """Assert the rule on one printed document; say which case it was."""
    holders = [p for p in pages if _is_record(p)]
    assert [p.number for p in holders] == [len(pages)], "版记 on the last page only"
    last = pages[-1]
    assert last.number % 2 == 0, f"版记 on page {last.number}, an odd page"
    before = pages[-2] if len(pages) > 1 else None
    blank_before = before is not None and not before.lines
    for page in pages:
        number = page_number_line(page)
        unnumbered = blank_before and page.number >= len(pages) - 1
        if unnumbered:
            assert number is None, f"page {page.number} (blank or 版记 after it) must carry no page number"
        else:
            assert number is not None, f"page {page.number} has no page number"
            assert number.text.replace(" ", "") == f"—{page.number}—"
            assert page.lines and (page is last or body_lines(page)), f"page {page.number} is empty"
    if blank_before:
        return "after-blank"
    return "with-body" if body_lines(last) else "next-page"


def test_record_on_even_page_pdf(sweep) -> None:
    cases = {}
    for n, files in sweep.items():
        cases[n] = _check(read_pages(files["pdf"]))
        assert cases[n] == files["place"].value, n
    # The sweep must have met every case (else it proves nothing).
    assert set(cases.values()) == {p.value for p in g.RecordPage}, cases


def test_record_bottom_rule_on_type_area_edge(sweep) -> None:
    for files in sweep.values():
        last = read_pages(files["pdf"])[-1]
        bottom = max(r["bottom"] for r in last.rects) / g.mm_to_pt(1)
        assert abs(bottom - (g.MARGIN_TOP + g.TYPE_HEIGHT)) <= 1.0


@pytest.mark.slow
def test_record_on_even_page_libreoffice(sweep, tmp_path) -> None:
    from readers import libreoffice_pdfs

    prints = libreoffice_pdfs([files["docx"] for files in sweep.values()], tmp_path)
    cases = {}
    for n, files in sweep.items():
        pages = read_pages(prints[files["docx"]])
        assert len(pages) == len(read_pages(files["pdf"])), n
        cases[n] = _check(pages)
        assert cases[n] == files["place"].value, n
    assert set(cases.values()) == {p.value for p in g.RecordPage}, cases


@pytest.mark.parametrize(
    ("page", "with_text", "expected"),
    [
        (2, True, g.RecordPage.WITH_BODY),
        (3, True, g.RecordPage.NEXT_PAGE),
        (4, False, g.RecordPage.NEXT_PAGE),  # alone on an even page: kept there, numbered
        (5, False, g.RecordPage.AFTER_BLANK),
    ],
)
def test_record_page_rule(page: int, with_text: bool, expected: g.RecordPage) -> None:
    assert g.record_page(page, with_text) is expected
