"""Issue 13: a figure that does not fit the room left on its page is scaled down into it
(never below geometry.FIGURE_MIN_SCALE) instead of leaving the room blank; measured on
the PDF over a sweep of text lengths before it, and on LibreOffice's print of the DOCX."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

import pymupdf
import pytest

from generators.document import geometry as g
from generators.document.model import Document, Figure, Meta, Paragraph, Signing
from generators.render.charts import Bar, bar_chart
from generators.render.docx import write_docx
from generators.render.pdf import write_pdf

MM = 72 / 25.4
LINE = "全市孕产妇系统管理率、7岁以下儿童保健管理率总体稳定，早孕建册率仍有3个单位未达到年度目标，需加强督导。"


@cache
def _chart() -> Figure:
    bars = [Bar(f"指标{i}", Decimal(80 + i), Decimal(90), i % 2 == 0) for i in range(12)]
    png, height = bar_chart(bars, width_mm=g.TYPE_WIDTH)
    return Figure("图1　主要指标完成情况", png, g.TYPE_WIDTH, height)


def _doc(paragraphs: int) -> Document:
    body = (*(Paragraph(LINE) for _ in range(paragraphs)), _chart(), Paragraph("特此通报。"))
    meta = Meta(title="测试", author="测试", date=dt.date(2012, 7, 1), identifier=f"figure-{paragraphs}")
    signing = Signing("测试单位", "2012年7月1日")
    return Document(meta=meta, title_lines=("关于图表排版的测试",), body=body, signing=signing)


def _image(path: Path) -> tuple[int, float, float]:
    """(page, top, height) in mm of the one image."""
    with pymupdf.open(path) as pdf:
        for number, page in enumerate(pdf, 1):
            for info in page.get_image_info():
                y0, y1 = info["bbox"][1], info["bbox"][3]
                return number, y0 / MM, (y1 - y0) / MM
    raise AssertionError("no image")


def _text_bottom(path: Path, page: int) -> float:
    with pymupdf.open(path) as pdf:
        blocks = pdf[page - 1].get_text("blocks")
        bottom = g.MARGIN_TOP + g.TYPE_HEIGHT
        return max((b[3] / MM for b in blocks if b[3] / MM < bottom + 1), default=g.MARGIN_TOP)


SWEEP = range(4, 9)  # 4: fits; 5, 6: scaled; 7, 8: pushed (a 102 mm chart)


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> dict[int, Path]:
    out = tmp_path_factory.mktemp("figures")
    return {n: write_pdf(_doc(n), out / f"{n}.pdf") for n in SWEEP}


def test_figures_scaled_within_limits_never_leaving_room_for_them(swept) -> None:
    full = _chart().height_mm
    caption_and_margins = 2 * g.LINE_PITCH  # one caption line, half a line above and below
    scaled = 0
    for n, path in swept.items():
        page, top, height = _image(path)
        assert g.FIGURE_MIN_SCALE * full - 0.3 <= height <= full + 0.3, (n, height)
        assert top + height <= g.MARGIN_TOP + g.TYPE_HEIGHT + 0.5, n
        if height < full - 0.3:
            scaled += 1
            assert top > g.MARGIN_TOP + 5, n  # it stays under the text before it
        elif page > 1 and top < g.MARGIN_TOP + 5:
            # At the top of a page at full size: the page before had no room even at 60 %.
            room = g.MARGIN_TOP + g.TYPE_HEIGHT - _text_bottom(path, page - 1)
            assert room < g.FIGURE_MIN_SCALE * full + caption_and_margins, (n, room)
    assert scaled, "no length in the sweep needed a smaller figure"


def test_figure_scale_rule() -> None:
    assert g.figure_scale(100, 90, 80) == 1.0
    assert g.figure_scale(70, 90, 80) == 0.75
    assert g.figure_scale(50, 90, 80) is None  # would be 0.5


@pytest.mark.slow
def test_docx_draws_the_same_scaled_figure(swept, tmp_path) -> None:
    from readers import libreoffice_pdfs

    n = next(n for n, path in swept.items() if _image(path)[2] < _chart().height_mm - 0.3)
    docx = write_docx(_doc(n), tmp_path / f"{n}.docx")
    printed = libreoffice_pdfs([docx], tmp_path / "lo")[docx]
    ours, theirs = _image(swept[n]), _image(printed)
    assert theirs[0] == ours[0]
    assert abs(theirs[2] - ours[2]) <= 0.3
