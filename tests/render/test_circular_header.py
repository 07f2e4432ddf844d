"""The optional header parts, 签发人, several attachments and the unsealed signature,
measured on the example report in sample_inputs/."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli
from pdfmeasure import body_lines, read_pages

from generators.core import fonts
from generators.document import geometry as g

CELL = g.TYPE_WIDTH / g.CHARS_PER_LINE  # mm


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    example = ROOT / "sample_inputs" / "circulars" / "2012-31_report_example.yaml"
    result = run_cli("build", str(example), "--out", str(out), "--format", "pdf", "-q")
    assert result.returncode == 0, result.stderr
    return read_pages(out / "2012" / "tongzhi" / "lian-fu-bao-ji-2012-31-hao.pdf")


def _font(line) -> str:
    return line.chars[-1]["fontname"].split("+", 1)[-1].replace("-", "").lower()


def test_copy_number_secrecy_urgency_on_first_three_lines(report) -> None:
    lines = body_lines(report[0])[:3]
    assert [line.text for line in lines] == ["000012", "内部★1年", "加急"]
    for i, line in enumerate(lines):
        assert abs(line.em_top - (g.MARGIN_TOP + i * g.LINE_PITCH)) <= 1.0
        assert abs(line.x0 - g.MARGIN_INNER) <= 1.0
    hei = fonts.resolve("heading1").family.replace(" ", "").lower()
    assert _font(lines[2]) == hei


def test_signer_on_the_number_line(report) -> None:
    line = next(line for line in report[0].lines if "签发人" in line.text)
    assert line.text.startswith("连妇保集〔2012〕31号")
    assert abs(line.x0 - (g.MARGIN_INNER + CELL)) <= 1.0
    assert abs(line.x1 - (g.MARGIN_INNER + g.TYPE_WIDTH - CELL)) <= 1.5
    kai = fonts.resolve("heading2").family.replace(" ", "").lower()
    assert _font(line) == kai  # the signer's name


def test_attachment_note_numbered_and_aligned(report) -> None:
    lines = [line for p in report for line in body_lines(p)]
    i = next(i for i, line in enumerate(lines) if line.text.startswith("附件："))
    first, second, wrapped = lines[i], lines[i + 1], lines[i + 2]
    assert first.text.startswith("附件：1.2012年") and second.text.startswith("2.2012年")
    name_x = first.chars[5]["x0"] / g.mm_to_pt(1)  # after 附件：1.
    assert abs(wrapped.x0 - name_x) <= 1.0  # a wrapped name aligns with the name above


def test_unsealed_signature_positions(report) -> None:
    lines = [line for p in report for line in body_lines(p)]
    name = next(line for line in lines if line.text == "连云港市妇幼保健集团")
    date = next(line for line in lines if line.text == "2012年7月25日")
    right = g.MARGIN_INNER + g.TYPE_WIDTH
    assert abs(name.x1 - (right - 2 * CELL)) <= 1.0  # 右空二字
    assert abs(date.x0 - (name.x0 + 2 * CELL)) <= 1.0  # date starts two cells right of the name
    note = next(line for line in lines if "联系人" in line.text)
    assert note.text.startswith("（") and note.text.endswith("）")


def test_fonts_command_fails_clearly_without_the_faces(tmp_path) -> None:
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        '<alias binding="strong"><family>仿宋_GB2312</family><prefer><family>Liberation Serif</family></prefer>'
        "</alias></fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "make_reports.py"), "fonts"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode != 0
    assert "仿宋_GB2312" in result.stderr and "缺少 GB2312 字符" in result.stderr
