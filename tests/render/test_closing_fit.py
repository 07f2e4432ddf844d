"""Issue 13, closing that fits (GB/T 9704 7.3.5): circulars whose one paragraph grows a few
characters at a time.  In the PDF and in LibreOffice's print of the DOCX: the first page
always carries body text, the date never stands on a page without body text above the
signature, and everything stays inside the type area; where the signature did not fit,
the closing was tightened (line spacing) or its paragraph broken, never left alone."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pymupdf
import pytest
from circulars import ISSUER, circular_yaml
from pdfmeasure import Page, body_lines, read_pages

from generators.document import geometry as g
from generators.document import signoff
from generators.kinds.circular import build_circular, load_circular
from generators.render.docx import write_docx
from generators.render.pdf import page_plan, write_pdf

SENTENCE = "各单位要结合本地实际，认真制定实施方案，明确责任分工，细化工作措施，加强督促检查，确保各项任务按时完成。"
SWEEP = range(100, 400, 15)  # characters of the paragraph: one page to two, squeezed and split
SEALED_SWEEP = range(40, 400, 30)
MM = 72 / 25.4


def _yaml(chars: int, sealed: bool = False) -> str:
    tail = f"印章: {'true' if sealed else 'false'}\n附注: 联系人：张三，电话：12345678\n"
    return circular_yaml(chars, [(SENTENCE * 20)[:chars]], tail=tail)


def _build(out: Path, lengths: range, sealed: bool) -> dict[int, dict]:
    built = {}
    for chars in lengths:
        folder = out / str(chars)
        folder.mkdir()
        source = folder / "circular.yaml"
        source.write_text(_yaml(chars, sealed), encoding="utf-8")
        doc = build_circular(*load_circular(source))
        built[chars] = {
            "docx": write_docx(doc, folder / "circular.docx"),
            "pdf": write_pdf(doc, folder / "circular.pdf"),
            "closing": page_plan(doc).closing,
        }
    return built


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> dict[int, dict]:
    return _build(tmp_path_factory.mktemp("closing"), SWEEP, sealed=False)


@pytest.fixture(scope="module")
def sealed(tmp_path_factory) -> dict[int, dict]:
    return _build(tmp_path_factory.mktemp("sealed"), SEALED_SWEEP, sealed=True)


def _text_lines(page: Page) -> list:
    """Body text on a page: 16 pt lines that are not the signature, date or 附注."""
    return [
        line
        for line in body_lines(page)
        if line.text not in (ISSUER, "各区县卫生局：") and not line.text.startswith(("2024年", "（联系人", "某卫"))
    ]


def _check(pages: list[Page]) -> int:
    """Assert the rules on one print; give the page of the date."""
    assert _text_lines(pages[0]), "page 1 shows no body text"
    dated = [p for p in pages if any(line.text.startswith("2024年3月1日") for line in p.lines)]
    assert len(dated) == 1
    page = dated[0]
    name = next(line for line in page.lines if line.text == ISSUER)
    assert any(line.baseline < name.baseline for line in _text_lines(page)), f"signature alone on page {page.number}"
    for p in pages:
        for line in body_lines(p):
            assert line.em_bottom <= g.MARGIN_TOP + g.TYPE_HEIGHT + 0.5, (p.number, line.text)
    return page.number


def test_closing_fits_pdf(sweep) -> None:
    for files in sweep.values():
        _check(read_pages(files["pdf"]))
    # The sweep met every way of fitting (else it proves nothing).
    assert {files["closing"] for files in sweep.values()} == set(g.CLOSING_FITS)


def test_squeezed_closing_keeps_within_limits(sweep) -> None:
    """A squeezed closing's lines are no closer than geometry.SQUEEZED_LINE_PT."""
    for files in sweep.values():
        if files["closing"] != "squeeze":
            continue
        lines = [line for line in read_pages(files["pdf"])[0].lines if abs(line.size - g.BODY_PT) < 0.1]
        gaps = [b.baseline - a.baseline for a, b in pairwise(lines)]
        assert min(gaps) >= g.pt_to_mm(g.SQUEEZED_LINE_PT) - 0.05, gaps
        assert min(gaps) < g.LINE_PITCH - 0.5  # it was squeezed


@pytest.mark.slow
def test_closing_fits_libreoffice(sweep, tmp_path) -> None:
    from readers import libreoffice_pdfs

    prints = libreoffice_pdfs([files["docx"] for files in sweep.values()], tmp_path)
    for chars, files in sweep.items():
        theirs, ours = read_pages(prints[files["docx"]]), read_pages(files["pdf"])
        assert len(theirs) == len(ours), chars
        assert _check(theirs) == _check(ours), chars


@pytest.mark.slow
def test_sealed_closing_fits_libreoffice(sealed, tmp_path) -> None:
    from readers import libreoffice_pdfs

    prints = libreoffice_pdfs([files["docx"] for files in sealed.values()], tmp_path)
    for chars, files in sealed.items():
        theirs, ours = read_pages(prints[files["docx"]]), read_pages(files["pdf"])
        assert len(theirs) == len(ours), chars
        assert _check(theirs) == _check(ours), chars


def _seal(path: Path, page_number: int) -> pymupdf.Rect:
    """The dashed red circle on a page (the header's red rule, 156 mm long, left out)."""
    with pymupdf.open(path) as pdf:
        red = [
            d["rect"]
            for d in pdf[page_number - 1].get_drawings()
            # weasyprint fills a dashed border's dashes; other writers stroke them
            if any(c and tuple(round(v, 2) for v in c) == (1.0, 0.0, 0.0) for c in (d.get("color"), d.get("fill")))
            and d["rect"].width < 100 * MM
        ]
    assert red, f"no seal on page {page_number}"
    box = red[0]
    for rect in red[1:]:
        box |= rect
    return pymupdf.Rect(box.x0 / MM, box.y0 / MM, box.x1 / MM, box.y1 / MM)


def test_seal_over_name_and_date_clear_of_the_note(sealed) -> None:
    """The seal placeholder: its foot on the date line's foot, so the 附注 under it is not
    covered; name and date under its centre; its top within one line of the text above."""
    for chars, files in sealed.items():
        pages = read_pages(files["pdf"])
        number = _check(pages)
        page = pages[number - 1]
        seal = _seal(files["pdf"], number)
        assert abs(seal.height - signoff.SEAL_DIAMETER) <= 1.0, (chars, seal)
        date = next(line for line in page.lines if line.text.startswith("2024年3月1日"))
        name = next(line for line in page.lines if line.text == ISSUER)
        note = next(line for line in page.lines if line.text.startswith("（联系人"))
        assert seal.y1 <= note.em_top + 0.3, (chars, "seal over the 附注", seal.y1, note.em_top)
        assert name.em_top >= (seal.y0 + seal.y1) / 2 - 0.5, (chars, "name above the seal's centre")
        assert abs((seal.x0 + seal.x1) / 2 - (date.x0 + date.x1) / 2) <= 1.5, (chars, "seal not centred on the date")
        above = max(line.em_bottom for line in _text_lines(page) if line.baseline < name.baseline)
        assert above - 2.5 <= seal.y0 <= above + g.LINE_PITCH, (
            chars,
            "seal top not within a line of the text",
            seal.y0,
            above,
        )
