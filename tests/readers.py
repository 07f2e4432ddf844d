"""Independent PDF readers, for checking that every reader shows the same document.

MuPDF (PyMuPDF) follows ISO 32000 strictly where poppler and PDFium are lenient (CFF
glyphs selected by CID), so a file that all three draw alike is safe to send.  Pages
are rendered in grey at a low resolution and compared by ink: the share of dark pixels.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
import pypdfium2
from fontTools.ttLib import TTFont
from PIL import Image

DPI = 50
DARK = 230  # grey level below which a pixel counts as ink (hairlines are light grey at low resolution)
CELL = 8  # pixels a side of a cell (about 4 mm at 50 dpi)


def _ink(grey: np.ndarray) -> np.ndarray:
    """Which cells of the page carry ink: a missing glyph empties its cell, while the
    engines' different hairline weights (PDFium draws table rules heavier) do not
    change which cells a rule crosses."""
    dark = grey < DARK
    rows, cols = dark.shape[0] // CELL, dark.shape[1] // CELL
    return dark[: rows * CELL, : cols * CELL].reshape(rows, CELL, cols, CELL).any(axis=(1, 3))


def _grow(cells: np.ndarray) -> np.ndarray:
    """Cells that are inked or next to an inked cell."""
    padded = np.pad(cells, 1)
    out = np.zeros_like(cells)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            out |= padded[dy : dy + cells.shape[0], dx : dx + cells.shape[1]]
    return out


def disagreement(a: np.ndarray, b: np.ndarray) -> float:
    """Share of inked cells that the other page leaves blank, there and around: anti-
    aliased edges may fall into a neighbouring cell in one engine, a missing glyph
    leaves its cells and their neighbours blank."""
    if a.shape != b.shape:
        return 1.0
    inked = int(a.sum() + b.sum())
    unmatched = int((a & ~_grow(b)).sum() + (b & ~_grow(a)).sum())
    return unmatched / inked if inked else 0.0


@dataclass
class MupdfPages:
    ink: list[np.ndarray]
    warnings: str  # what MuPDF said while drawing (e.g. "cannot render glyph")


def mupdf_pages(path: Path, dpi: int = DPI) -> MupdfPages:
    pymupdf.TOOLS.reset_mupdf_warnings()
    ink = []
    with pymupdf.open(path) as doc:
        for page in doc:
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            ink.append(_ink(np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)))
    return MupdfPages(ink, pymupdf.TOOLS.mupdf_warnings())


def pdfium_pages(path: Path, dpi: int = DPI) -> list[np.ndarray]:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return [_ink(np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))) for page in pdf]
    finally:
        pdf.close()


def poppler_pages(path: Path, dpi: int = DPI) -> list[np.ndarray]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(path), f"{folder}/p"], check=True, timeout=300)
        files = sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [_ink(np.asarray(Image.open(f))) for f in files]


@dataclass(frozen=True)
class EmbeddedCff:
    name: str
    cid_keyed: bool
    glyphs: int
    cid_not_gid: int  # glyphs whose charset CID differs from their glyph id


def embedded_cff_fonts(path: Path) -> list[EmbeddedCff]:
    """Every CFF font program embedded in the PDF (FontFile3, bare CFF or OpenType)."""
    from fontTools.cffLib import CFFFontSet

    found = []
    with pymupdf.open(path) as doc:
        for xref in range(1, doc.xref_length()):
            subtype = doc.xref_get_key(xref, "Subtype")[1]
            if subtype not in ("/OpenType", "/CIDFontType0C", "/Type1C"):
                continue
            data = doc.xref_stream(xref)
            if data[:4] == b"OTTO":
                font = TTFont(io.BytesIO(data))
                if "CFF " not in font:
                    continue
                cff = font["CFF "].cff
            else:
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(data), None)
            top = cff.topDictIndex[0]
            charset = top.charset
            cid_keyed = hasattr(top, "ROS")
            wrong = 0
            if cid_keyed:
                wrong = sum(1 for gid, name in enumerate(charset) if gid and int(name[3:]) != gid)
            found.append(EmbeddedCff(cff.fontNames[0], cid_keyed, len(charset), wrong))
    return found


def libreoffice_pdfs(files: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Each DOCX or XLSX printed to PDF by LibreOffice (one headless run, the project's
    font configuration): {source: pdf}."""
    import os
    import shutil

    from generators.core.paths import FONTS_CONF

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by `bash tasks.sh test`"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    result = {}
    # LibreOffice names its output by the source's stem: one folder per source folder.
    by_folder: dict[Path, list[Path]] = {}
    for f in files:
        by_folder.setdefault(f.parent, []).append(f)
    for i, (_, group) in enumerate(sorted(by_folder.items())):
        target = out_dir / f"{i:03d}"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{out_dir / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(target),
                *map(str, group),
            ],
            check=True,
            capture_output=True,
            timeout=600,
            env=env,
        )
        for f in group:
            pdf = target / (f.stem + ".pdf")
            assert pdf.is_file(), f"LibreOffice wrote no PDF for {f}"
            result[f] = pdf
    return result
