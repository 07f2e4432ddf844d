"""The pre-subset font cache: PDFs made with it embed the small faces, keep every
glyph, read the same, and fall back to the full face outside the subset."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, run_cli
from golden import actual_circular, expected_circular, pdf_text
from pypdf import PdfReader

from generators.core import fontcache

CONF = fontcache.active_conf()
pytestmark = pytest.mark.skipif(CONF is None, reason="font cache not made (make_reports.py fonts --cache)")


@pytest.fixture(scope="module")
def cached_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cached")
    src = tmp_path_factory.mktemp("in") / "rare.yaml"
    text = (ROOT / "sample_inputs" / "circulars" / "2012-31_report_example.yaml").read_text(encoding="utf-8")
    # 堃 is outside GB2312 (and so outside the subset): it must come from the full face.
    src.write_text(text.replace("序号: 31", "序号: 32").replace("标题: 关于", "标题: 堃关于", 1), encoding="utf-8")
    old = os.environ["FONTCONFIG_FILE"]
    os.environ["FONTCONFIG_FILE"] = str(CONF)
    try:
        result = run_cli(
            "build",
            str(ROOT / "sample_inputs" / "circulars" / "2012-05_target_book_circular.yaml"),
            str(src),
            "--out",
            str(out),
            "--format",
            "pdf",
            "--quiet",
        )
    finally:
        os.environ["FONTCONFIG_FILE"] = old
    assert result.returncode == 0, result.stderr
    return out / "2012" / "tongzhi"


def test_small_faces_embedded_and_text_unchanged(cached_build: Path) -> None:
    path = cached_build / "lian-fu-bao-ji-2012-5-hao.pdf"
    names = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            names.update(c["fontname"].split("+", 1)[-1] for c in page.chars)
    assert any(n.startswith("GW-Serif-Bold") for n in names), names  # title
    assert any(n.startswith("GW-Sans") for n in names), names  # 黑体 headings
    assert any(n.startswith("FandolFang") for n in names), names  # body stays FandolFang
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    text = actual_circular(pdf_text(path), "连云港市妇幼保健集团文件", "连云港市妇幼保健集团", "二〇一二年六月二十日")
    assert text == expected_circular("000")


def test_character_outside_the_subset_falls_back_to_the_full_face(cached_build: Path) -> None:
    path = cached_build / "lian-fu-bao-ji-2012-32-hao.pdf"
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"] == "堃"]
    assert chars, "the rare character was not drawn"
    assert all("NotoSerifCJK" in c["fontname"].replace("-", "") for c in chars), chars[0]["fontname"]
