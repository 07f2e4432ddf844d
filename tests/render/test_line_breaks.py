"""Issue 13: titles and headings break at word boundaries, titles in balanced lines,
never a one-character last line.  Measured on the PDFs of every sample input and on a
circular with long headings (PDF, and LibreOffice's print of its DOCX); each line break
is checked against jieba's segmentation of the whole title or heading (its own
dictionary: the test does not reuse the renderer's word list)."""

from __future__ import annotations

import logging
from pathlib import Path

import jieba
import pytest
from conftest import ROOT, run_cli
from pdfmeasure import Line, read_pages

from generators.core import fonts
from generators.document import geometry as g
from generators.kinds.circular import build_circular, load_circular
from generators.render.docx import write_docx
from generators.render.pdf import write_pdf

jieba.setLogLevel(logging.WARNING)

HEADINGS = (
    "一、加强新生儿听力障碍筛查和儿童听力障碍康复救助等工作",  # 27 cells: one would be left alone
    "二、以平台建设为基础抓信息化发展并全面推进妇幼保健服务工作",  # the 26th cell falls inside 服务
)


def _boundaries(text: str) -> set[int]:
    return {end for _, _, end in jieba.tokenize(text, HMM=False)}


def _face(line: Line) -> set[str]:
    return {c["fontname"].split("+", 1)[-1].replace("-", "").replace(" ", "").lower() for c in line.inked}


def _runs(lines: list[Line], same) -> list[list[Line]]:
    """Groups of consecutive lines that ``same`` says belong together."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and same(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _check_breaks(group: list[Line]) -> None:
    texts = [line.text for line in group]
    whole = "".join(texts)
    ends = _boundaries(whole)
    at = 0
    for text in texts[:-1]:
        at += len(text)
        assert at in ends, f"broken inside a word: {whole[:at]}|{whole[at:]}"
    assert len(texts[-1]) > 1, f"one character alone on the last line: {texts}"


def _titles(pages) -> list[list[Line]]:
    title = [line for page in pages for line in page.lines if abs(line.size - g.TITLE_PT) < 0.1]
    return [
        group for group in _runs(title, lambda a, b: 0 < b.baseline - a.baseline < 1.6 * g.LINE_PITCH) if len(group) > 1
    ]


@pytest.fixture(scope="module")
def sample_pdfs(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("samples")
    result = run_cli("build", "--out", str(out), "--format", "pdf", "--quiet")
    assert result.returncode == 0, result.stderr
    return sorted(out.rglob("*.pdf"))


def test_sample_titles_break_at_words_and_balance(sample_pdfs) -> None:
    seen = 0
    for path in sample_pdfs:
        for group in _titles(read_pages(path)):
            seen += 1
            _check_breaks(group)
            widths = [g.text_width_chars(line.text) for line in group]
            # Balanced: no line under half the longest (a full line and a stub is what
            # the standard's trapezoid and diamond rule out).
            assert min(widths) >= max(widths) / 2, (path.name, [line.text for line in group])
    assert seen >= 6  # the circulars' and the four 通报's titles, the责任书's


@pytest.fixture(scope="module")
def long_headings(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("headings")
    body = "\n".join(f"  {h}\n  各单位要结合本地实际，认真制定实施方案，明确责任分工。" for h in HEADINGS)
    source = folder / "circular.yaml"
    source.write_text(
        f"""文种: 通知
发文机关:
  名称: 某某市卫生局
  代字: 某卫
发文字号:
  年份: 2024
  序号: 3
标题: 关于加强新生儿听力障碍筛查和儿童听力障碍康复救助工作的通知
主送: 各区县卫生局
正文: |
{body}
署名: 某某市卫生局
成文日期: 2024-03-01
""",
        encoding="utf-8",
    )
    doc = build_circular(*load_circular(source))
    return {"pdf": write_pdf(doc, folder / "c.pdf"), "docx": write_docx(doc, folder / "c.docx")}


def _headings(pages) -> list[list[Line]]:
    # 黑体 is a sans face (Noto Sans CJK, which LibreOffice names by its JP member); the
    # body's 仿宋 and the title's 小标宋 are not.
    assert "sans" in fonts.resolve("heading1").family.lower()
    lines = [line for page in pages for line in page.lines if all("sans" in f for f in _face(line))]
    return _runs(lines, lambda a, b: 0 < b.baseline - a.baseline < 1.2 * g.LINE_PITCH)


def _check_headings(pages) -> None:
    groups = _headings(pages)
    assert ["".join(line.text for line in group) for group in groups] == list(HEADINGS)
    for group in groups:
        assert len(group) == 2
        _check_breaks(group)
        # The continuation starts at the margin, the first line two cells in.
        assert abs(group[1].x0 - g.MARGIN_INNER) <= 0.5
        assert abs(group[0].x0 - (g.MARGIN_INNER + 2 * g.TYPE_WIDTH / g.CHARS_PER_LINE)) <= 0.5


def test_long_headings_pdf(long_headings) -> None:
    pages = read_pages(long_headings["pdf"])
    _check_headings(pages)
    _check_breaks(_titles(pages)[0])


@pytest.mark.slow
def test_long_headings_libreoffice(long_headings, tmp_path) -> None:
    from readers import libreoffice_pdfs

    printed = libreoffice_pdfs([long_headings["docx"]], tmp_path)[long_headings["docx"]]
    pages = read_pages(printed)
    _check_headings(pages)
    _check_breaks(_titles(pages)[0])


def test_word_list_words_kept_whole() -> None:
    """听力障碍 and 妇幼保健 are words (the old hand-made list split 听力障|碍)."""
    from generators.document.titles import break_heading, break_title

    for title in ("关于开展新生儿听力障碍筛查工作的通知", "关于2012年第一季度妇幼保健工作督导情况的通报"):
        for lines in (break_title(title, width=w) for w in range(8, 20)):
            assert "".join(lines) == title
            assert not any(line.endswith(("听力障", "听", "妇幼", "妇")) for line in lines[:-1]), lines
            assert len(lines[-1]) > 1
        for lines in (break_heading(title, first=w, rest=w) for w in range(6, 20)):
            assert not any(line.endswith(("听力障", "妇幼")) for line in lines[:-1]), lines
            assert len(lines[-1]) > 1, lines


def test_root_has_samples() -> None:
    assert (ROOT / "sample_inputs" / "circulars").is_dir()
