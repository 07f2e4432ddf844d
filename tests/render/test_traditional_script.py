"""Traditional script in the right face: characters FandolFang and FandolKai lack come
from a 仿宋 or 楷体 face that has them (cwTeX 仿宋體, AR PL UKai), never from a sans or a
bold face; lines stay on the 22-line grid; `build` and `fonts` say what was replaced."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from pdfmeasure import body_lines, read_pages

from generators.core import fonts
from generators.core.fontcache import active_conf
from generators.document import geometry as g
from generators.document.model import Document, Meta, Paragraph
from generators.render import fonts_used

PLAN = ROOT / "sample_inputs" / "plans" / "traditional_script_plan.yaml"
SANS_OR_BOLD = ("Sans", "Bold", "Hei")


def _users_env() -> dict[str, str]:
    """The font configuration users get: the pre-subset faces first."""
    assert active_conf() is not None, "make the font cache first: make_reports.py fonts --cache"
    return {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}


@pytest.fixture(scope="module", params=["cached", "plain"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The traditional-script plan built with the users' and with the plain configuration."""
    out = tmp_path_factory.mktemp(f"traditional-{request.param}")
    env = _users_env() if request.param == "cached" else {**os.environ, "FONTCONFIG_FILE": str(fonts.FONTS_CONF)}
    result = run_cli("build", str(PLAN), "--out", str(out), "--format", "pdf", env=env)
    assert result.returncode == 0, result.stderr
    return next(out.rglob("*.pdf")), result.stdout


def test_full_pages_keep_22_lines_on_the_grid(built: tuple[Path, str]) -> None:
    pages = read_pages(built[0])
    counts = [len(body_lines(page)) for page in pages]
    assert max(counts) == g.LINES_PER_PAGE, counts
    for page in pages:
        baselines = [line.baseline for line in body_lines(page)]
        gaps = [b - a for a, b in itertools.pairwise(baselines)]
        # Headings sit on the grid too: every gap is one pitch (10.2 mm); 10.9 mm with a sans fallback.
        assert all(abs(gap - g.LINE_PITCH) < 0.1 for gap in gaps), (page.number, [round(x, 2) for x in gaps])


def test_missing_characters_come_from_faces_of_the_same_style(built: tuple[Path, str]) -> None:
    fallback_lines = 0
    for page in read_pages(built[0]):
        for line in body_lines(page):
            faces = line.fonts() - {"Liberation-Serif"}
            if any("Fang" in f for f in faces):  # a 仿宋 line: body text or a level-3 heading
                assert not [f for f in faces if any(word in f for word in SANS_OR_BOLD)], (line.text, faces)
                assert all("Fang" in f for f in faces), (line.text, faces)
                fallback_lines += "cwTeXFangSong-Medium" in faces
            if any("Kai" in f for f in faces):  # a 楷体 heading
                assert all("Kai" in f for f in faces), (line.text, faces)
    assert fallback_lines >= 10  # the sample does need the fallback: the test sees it at work


def test_build_names_every_replaced_character_by_role(built: tuple[Path, str]) -> None:
    stdout = built[1]
    body = next(line for line in stdout.splitlines() if "仿宋_GB2312" in line)
    assert "改用 cwTeXFangSong" in body and "產" in body and "強" in body
    assert any("楷体_GB2312" in line and "AR PL UKai" in line for line in stdout.splitlines())


def test_fonts_reports_traditional_coverage() -> None:
    result = run_cli("fonts", env=_users_env())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "繁体字：仿宋_GB2312 缺 Big5 常用字 955 个（955 个由 cwTeXFangSong 补）。" in lines
    assert any(line.startswith("繁体字：楷体_GB2312") and "AR PL UKai" in line for line in lines)
    assert "繁体字：黑体 覆盖 Big5 常用字 5401 个。" in lines


def test_character_no_face_has_is_reported() -> None:
    doc = Document(
        meta=Meta("t", "a", dt.date(2013, 1, 1), "t"),
        title_lines=("標題",),
        body=(Paragraph("婦幼\U000f0001保健"),),  # a private-use character: no face draws it
    )
    notes = fonts_used.fallback_notes(doc)
    assert any("仿宋_GB2312" in n and "没有字体能显示" in n for n in notes), notes
    assert not any("方正小标宋简体" in n for n in notes), notes  # 標 and 題: Noto Serif CJK has them


def test_simplified_samples_need_no_fallback() -> None:
    doc = Document(
        meta=Meta("t", "a", dt.date(2013, 1, 1), "t"),
        title_lines=("关于开展妇幼保健工作督导的通知",),
        body=(Paragraph("一、督导时间"), Paragraph("为进一步落实孕产妇系统管理，现将有关事项通知如下。")),
    )
    assert fonts_used.fallback_notes(doc) == []
