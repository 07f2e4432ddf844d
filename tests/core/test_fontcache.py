"""The pre-subset font cache: PDFs made with it embed the small faces, keep every
glyph, read the same, and fall back to the full face outside the subset."""

from __future__ import annotations

import io
import os
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, run_cli
from fontTools.ttLib import TTFont
from golden import actual_circular, expected_circular, pdf_text
from pdfmeasure import FONT_FILES, font_descriptors

from generators.core import fontcache
from generators.core.charsets import big5_common_characters, gb2312_characters

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
            "--allow",
            str(ROOT / "sample_inputs"),
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
    assert any(n.startswith("GW-Fang") for n in names), names  # 仿宋 body
    for name, descriptor in font_descriptors(path).items():
        assert any(k in descriptor for k in FONT_FILES), name
    text = actual_circular(pdf_text(path), "连云港市妇幼保健集团文件", "连云港市妇幼保健集团", "二〇一二年六月二十日")
    assert text == expected_circular("000")


def test_character_outside_the_subset_falls_back_to_the_full_face(cached_build: Path) -> None:
    path = cached_build / "lian-fu-bao-ji-2012-32-hao.pdf"
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"] == "堃"]
    assert chars, "the rare character was not drawn"
    assert all("NotoSerifCJK" in c["fontname"].replace("-", "") for c in chars), chars[0]["fontname"]


def _embedded_faces(path: Path) -> dict[str, TTFont]:
    faces = {}
    for base_font, descriptor in font_descriptors(path).items():
        for key in ("/FontFile2", "/FontFile3"):
            if key in descriptor:
                faces[base_font.split("+", 1)[-1]] = TTFont(io.BytesIO(descriptor[key].get_object().get_data()))
    return faces


def test_embedded_subsets_stop_near_the_ranked_glyphs(cached_build: Path) -> None:
    """weasyprint keeps every glyph id up to the highest one used: with the ranked order
    a circular of the sample's own words embeds under a thousand glyph slots per face,
    where the face holds 7500–13000 (before reordering: 4679–13183 in a one-page sheet)."""
    path = cached_build / "lian-fu-bao-ji-2012-5-hao.pdf"
    faces = _embedded_faces(path)
    assert {"GW-Serif-Bold,-Bold", "GW-Fang", "GW-Sans"} <= set(faces), sorted(faces)
    limit = 95 + len(fontcache.ranked_characters()) + len(fontcache.EXTRA) + 1
    for name, face in faces.items():
        if name.startswith("GW-"):
            hint = "characters beyond the ranking: python -m generators.core.fontcache --rank"
            assert len(face.getGlyphOrder()) <= limit, (name, len(face.getGlyphOrder()), limit, hint)
            assert "vmtx" not in face and "VORG" not in face, name


@pytest.mark.parametrize("subset", fontcache.SUBSETS, ids=lambda s: s.family)
def test_cached_faces_put_ranked_characters_first(subset: fontcache.Subset) -> None:
    face = TTFont(fontcache.CACHE / f"{subset.postscript}.otf", lazy=True)
    cmap = face.getBestCmap()
    order = face.getGlyphOrder()
    wanted = [ch for ch in fontcache.characters() if ord(ch) in cmap]
    glyph_ids = [order.index(cmap[ord(ch)]) for ch in wanted[:400]]
    # Characters sharing one glyph (e.g. two code points, one shape) keep the first id.
    assert glyph_ids == sorted(glyph_ids) and glyph_ids[0] == 1, glyph_ids[:10]
    gb2312 = set(gb2312_characters())
    assert all(ord(ch) in cmap for ch in fontcache.characters() if "\u4e00" <= ch <= "\u9fff" and ch in gb2312)
    if subset.source_family.startswith("Noto"):  # Fandol has no traditional forms: cwTeX/UKai serve them
        assert all(ord(ch) in cmap for ch in big5_common_characters()), subset.family
    # CID g is glyph g (ISO 32000-1 9.7.4.2: a CIDFontType0 selects CFF glyphs by CID).
    charset = face["CFF "].cff.topDictIndex[0].charset
    assert [name for gid, name in enumerate(charset) if name != fontcache.cid_name(gid)] == [], subset.family
    for tag in fontcache.DROP_TABLES:
        assert tag not in face, (subset.family, tag)


def test_rank_text_orders_by_frequency_then_code_point(tmp_path: Path) -> None:
    for folder in fontcache.RANK_SOURCES:
        (tmp_path / folder).mkdir()
    (tmp_path / "templates" / "a.txt.j2").write_text("通知通知\n报告 {{ x }}", encoding="utf-8")
    (tmp_path / "sample_inputs" / "b.yaml").write_text("标题: 通报\u3000\u200b", encoding="utf-8")
    (tmp_path / "sample_inputs" / "c.md").write_text("不计", encoding="utf-8")
    # 通 ×3; 报 and 知 ×2 (U+62A5 before U+77E5); then once each in code-point order.
    # U+3000 counts, U+200B (a format character) does not, nor does a .md file.
    assert fontcache.rank_text(tmp_path) == "通报知\u3000告标题"


def test_slow_pdf_causes_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.text.ffi

    from generators.core import fonts

    assert fonts.pdf_speed_warnings() == []  # this machine: HarfBuzz subsetting and the cache
    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", None)
    monkeypatch.setattr(fontcache, "active_conf", lambda: None)
    warnings = fonts.pdf_speed_warnings()
    assert len(warnings) == 2
    assert "libharfbuzz-subset0" in warnings[0] and "fonts --cache" in warnings[1]
