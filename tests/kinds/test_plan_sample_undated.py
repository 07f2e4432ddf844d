"""Issue 17's sample plan (sample_inputs/plans/township_plan_undated.yaml): no year, 条目
numbered ⑴, 要点 ① and unnumbered, several indicators per item.  Built by the CLI and
measured in the PDF (PyMuPDF; PDFium and poppler draw it alike) and in the DOCX
(python-docx, and printed by LibreOffice in the slow test)."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest
import readers
import yaml
from conftest import ROOT, run_cli
from docx import Document as OpenDocx

from generators.core.names import slug

SAMPLE = ROOT / "sample_inputs" / "plans" / "township_plan_undated.yaml"
MM = 25.4 / 72
CELL = 156 / 28  # mm: one character of the type area (GB/T 9704: 28 a line over 156 mm)
LEFT, RIGHT = 28.0, 210 - 26.0  # mm: the type area's edges
INDENT = LEFT + 2 * CELL  # a paragraph's first line: two characters in


def _spec() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def _stem() -> str:
    return slug(_spec()["标题"])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("undated")
    result = run_cli("build", str(SAMPLE), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return out / "jihua" / _stem()  # no year: no year folder


def _lines(pdf: Path) -> list[tuple[float, float, str]]:
    """(left mm, right mm, text) of every text line, page numbers left out."""
    out = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    text = "".join(span["text"] for span in line["spans"]).strip()
                    if text and not re.fullmatch(r"— \d+ —", text):
                        out.append((line["bbox"][0] * MM, line["bbox"][2] * MM, text))
    return out


def _paragraph_starts(spec: dict) -> dict[str, str]:
    """What the sample asks each kind of paragraph to begin with (from the YAML, not the
    code): ⑴ items, ① points, unnumbered points by their own first words."""
    items = [i for s in spec["章节"] for c in [s, *s.get("小节", [])] for i in c.get("条目", [])]
    points = [p for i in items if isinstance(i, dict) for p in i.get("要点", [])]
    unnumbered = [p["正文"][:8] for p in [*items, *points] if isinstance(p, dict) and p.get("编号") == "否"]
    return {"items": spec["编号"]["三级"], "points": spec["编号"]["四级"], **{u: u for u in unnumbered}}


def test_sample_has_the_new_shapes() -> None:
    spec = _spec()
    assert "年份" not in spec and "日期" not in spec and not re.search(r"\d{4}", spec["标题"])
    assert spec["编号"] == {"三级": "⑴", "四级": "①"}
    items = [i for s in spec["章节"] for i in s.get("条目", []) if isinstance(i, dict)]
    assert any(len(i.get("指标", [])) >= 2 for i in items)
    assert len(_paragraph_starts(spec)) - 2 >= 3  # unnumbered points and items


def test_pdf_labels_start_paragraphs_two_characters_in(built: Path) -> None:
    lines = _lines(built.with_suffix(".pdf"))
    starts = _paragraph_starts(_spec())
    labelled = [ln for ln in lines if ln[2][0] in "⑴⑵⑶①②③"]
    assert len(labelled) == _numbered(_spec())  # every numbered 条目 and 要点, none other
    for left, _right, text in labelled:
        assert abs(left - INDENT) < 0.3, (left, text)
    for words in [w for k, w in starts.items() if k not in ("items", "points")]:
        line = next(ln for ln in lines if ln[2].startswith(words))
        assert abs(line[0] - INDENT) < 0.3, line  # an unnumbered point: indented, no label
    # The 落款: the 制定单位 two characters from the right, and no date line after it.
    left, right, text = lines[-1]
    assert text == _spec()["制定单位"]
    assert abs(right - (RIGHT - 2 * CELL)) < 0.5, right
    assert not any(re.search(r"年\d{1,2}月|\d{4}", t) for _l, _r, t in lines)


def _numbered(spec: dict) -> int:
    """How many 条目 and 要点 the YAML numbers (those without 编号: 否)."""
    numbered = 0
    for section in spec["章节"]:
        for container in [section, *section.get("小节", [])]:
            for item in container.get("条目", []):
                if isinstance(item, str) or item.get("编号") != "否":
                    numbered += 1
                if isinstance(item, dict):
                    numbered += sum(1 for p in item.get("要点", []) if isinstance(p, str) or p.get("编号") != "否")
    return numbered


def test_docx_paragraphs_carry_the_labels_and_targets(built: Path) -> None:
    paragraphs = [p.text for p in OpenDocx(str(built.with_suffix(".docx"))).paragraphs if p.text.strip()]
    assert paragraphs[0] == _spec()["标题"] and paragraphs[-1] == _spec()["制定单位"]
    assert "⑴降低孕产妇和婴儿死亡率　孕产妇死亡率控制在15/10万以内、婴儿死亡率控制在8‰以内。" in paragraphs
    assert sum(1 for p in paragraphs if p[0] in "⑴⑵⑶①②③") == _numbered(_spec())
    assert "建册时逐项填写孕产妇保健手册，并录入信息系统。" in paragraphs
    assert not any(re.search(r"\d{4}", p) for p in paragraphs)


def test_three_readers_draw_the_pdf_alike(built: Path) -> None:
    pdf = built.with_suffix(".pdf")
    mupdf = readers.mupdf_pages(pdf)
    assert not mupdf.warnings
    for other in (readers.pdfium_pages(pdf), readers.poppler_pages(pdf)):
        assert len(other) == len(mupdf.ink)
        for a, b in zip(mupdf.ink, other, strict=True):
            assert readers.disagreement(a, b) < 0.02


@pytest.mark.slow
def test_libreoffice_prints_the_docx_as_the_pdf(sample_year: Path, libreoffice_prints: dict[Path, Path]) -> None:
    docx = sample_year / "jihua" / f"{_stem()}.docx"
    printed = _lines(libreoffice_prints[docx])
    ours = _lines((sample_year / "jihua" / _stem()).with_suffix(".pdf"))
    labelled = [ln for ln in printed if ln[2][0] in "⑴⑵⑶①②③"]
    assert len(labelled) == _numbered(_spec())
    for left, _right, text in labelled:
        assert abs(left - INDENT) < 0.5, (left, text)
    assert printed[-1][2] == _spec()["制定单位"]
    assert abs(printed[-1][1] - ours[-1][1]) < 1.0
    # Same text; LibreOffice's text layer may put a space between Latin and CJK (10 万).
    assert re.sub(r"\s", "", "".join(t for *_x, t in printed)) == re.sub(r"\s", "", "".join(t for *_x, t in ours))
