"""Done-when 5: the DOCX opened by a real client (LibreOffice headless, with the project's
font configuration) has as many pages as the PDF and 22 body lines on a full page."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfmeasure import body_lines, read_pages
from pypdf import PdfReader

from generators.core.paths import FONTS_CONF
from generators.document import geometry as g

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is installed by `bash tasks.sh test`")


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    return out_dir / (docx.stem + ".pdf")


@pytest.fixture(scope="module")
def converted(circulars, tmp_path_factory):
    out = tmp_path_factory.mktemp("libreoffice")
    return {seed: docx_to_pdf(paths["docx"], out) for seed, paths in circulars.items()}


@pytest.mark.parametrize("seed", ["000", "001"])
def test_same_page_count(circulars, converted, seed: str) -> None:
    ours = len(PdfReader(circulars[seed]["pdf"]).pages)
    theirs = len(PdfReader(converted[seed]).pages)
    assert theirs == ours


@pytest.mark.parametrize("seed", ["000", "001"])
def test_full_page_has_22_lines(converted, seed: str) -> None:
    counts = [len(body_lines(page)) for page in read_pages(converted[seed])]
    assert max(counts) == g.LINES_PER_PAGE, counts


def test_full_line_has_28_characters(converted) -> None:
    lines = [
        line
        for page in read_pages(converted["000"])
        for line in body_lines(page)
        if all("\u4e00" <= c["text"] <= "\u9fff" or c["text"] in "，、。；：《》（）" for c in line.chars)
        and line.x0 < g.MARGIN_INNER + 1
    ]
    assert max(len(line.chars) for line in lines) == g.CHARS_PER_LINE
