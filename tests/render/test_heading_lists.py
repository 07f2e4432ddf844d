"""A list of one-sentence numbered items (（一）…。（二）…。) is not a chain of headings
each kept with the next: the list may break across pages instead of moving whole to the
next page and leaving most of page 1 blank (the county 通报's feedback sheets did).  A
heading that heads text is still never the last line of a page.  Measured on the PDF
and on LibreOffice's print of the DOCX."""

from __future__ import annotations

from pathlib import Path

import pytest
from circulars import circular_yaml
from pdfmeasure import read_pages

from generators.document.model import Paragraph, heads_content
from generators.kinds.circular import build_circular, load_circular
from generators.render.docx import write_docx
from generators.render.pdf import write_pdf

ITEM = "某项指标本季度累计完成情况低于年度目标，本季度较上季度略有上升"
INTRO = "为全面掌握各单位工作进展，按照年度工作要点的要求，组织开展了季度督导检查，现将有关情况通报如下。"


def _yaml(items: int) -> str:
    body = (
        [INTRO * 3, "一、存在的问题"]
        + [f"（{'一二三四五六七八九十'[i]}）{ITEM}。" for i in range(items)]
        + ["二、整改要求", "请各单位对照上述问题认真分析原因，制定整改措施，明确责任人和完成时限。"]
    )
    return circular_yaml(items, body, title="关于季度督导情况的通知")


def test_heads_content() -> None:
    h1, h2a, h2b, text = (Paragraph.recognise(t) for t in ("一、问题", "（一）甲。", "（二）乙。", "正文。"))
    assert heads_content([h1, h2a], 0)  # a heading over its sub-headings keeps
    assert not heads_content([h2a, h2b], 0)  # a sibling follows: an item of a list
    assert not heads_content([h2a, h1], 0)  # a higher heading follows
    assert heads_content([h2a, text], 0) and heads_content([h2a], 0)
    assert not heads_content([text, h2a], 0)  # not a heading


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[int, dict[str, Path]]:
    out, files = tmp_path_factory.mktemp("lists"), {}
    for items in (6, 8):
        folder = out / str(items)
        folder.mkdir()
        (folder / "c.yaml").write_text(_yaml(items), encoding="utf-8")
        doc = build_circular(*load_circular(folder / "c.yaml"))
        files[items] = {"pdf": write_pdf(doc, folder / "c.pdf"), "docx": write_docx(doc, folder / "c.docx")}
    return files


def _check(pdf: Path) -> None:
    pages = read_pages(pdf)
    assert len(pages) == 2, len(pages)
    first = [line.text for line in pages[0].lines]
    # The list starts on page 1 under its heading, and breaks there.
    assert any(t.startswith("一、存在的问题") for t in first), first
    assert any(t.startswith("（一）") for t in first), first
    # A heading that heads text is never a page's last line.
    for page in pages:
        body = [line for line in page.lines if line.text.strip() and not line.text.startswith("—")]
        assert not body[-1].text.startswith(("一、", "二、")), (page.number, body[-1].text)


def test_a_list_of_items_breaks_across_pages_pdf(built) -> None:
    for files in built.values():
        _check(files["pdf"])


@pytest.mark.slow
def test_a_list_of_items_breaks_across_pages_libreoffice(built, tmp_path) -> None:
    from readers import libreoffice_pdfs

    prints = libreoffice_pdfs([files["docx"] for files in built.values()], tmp_path)
    for files in built.values():
        _check(prints[files["docx"]])
