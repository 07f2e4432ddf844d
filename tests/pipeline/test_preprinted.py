"""``build --preprinted`` (套打 for a whole run): every document with a 版头 also comes
as ``<name>-taoda``, for paper with the issuer mark and red rules printed already: no
red ink on its first page, the title on the full version's baseline; documents without
a 版头 are written once."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from conftest import ROOT, run_cli

CIRCULAR = ROOT / "sample_inputs" / "circulars" / "2012-31_report_example.yaml"
PLAN = ROOT / "sample_inputs" / "plans" / "baby_friendly_hospital_plan.yaml"


def _red(page: pymupdf.Page) -> int:
    """Red marks on a page: drawn paths and text spans in red."""
    paths = sum(1 for d in page.get_drawings() if (d.get("color") or d.get("fill") or (0, 0, 0))[:3] == (1, 0, 0))
    spans = sum(
        1
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["color"] == 0xFF0000 and span["text"].strip()
    )
    return paths + spans


def _baseline(page: pymupdf.Page, text: str) -> float:
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            if text in "".join(span["text"] for span in line["spans"]):
                return round(line["spans"][0]["origin"][1], 2)
    raise AssertionError(text)


def test_preprinted_versions_beside_the_full_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        "build",
        str(CIRCULAR),
        str(PLAN),
        "--registry",
        str(tmp_path / "r.sqlite3"),
        "--allow",
        str(ROOT / "sample_inputs"),
    ]
    done = run_cli(*args, "--out", str(out), "--preprinted", "-f", "pdf,docx")
    assert done.returncode == 0, done.stderr
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    taoda = [p for p in pdfs if p.endswith("-taoda.pdf")]
    assert len(pdfs) == 3 and len(taoda) == 1, pdfs  # the plan has no 版头: once
    full = out / taoda[0].replace("-taoda.pdf", ".pdf")
    assert len(list(out.rglob("*-taoda.docx"))) == 1
    with pymupdf.open(full) as a, pymupdf.open(out / taoda[0]) as b:
        assert _red(a[0]) > 0 and _red(b[0]) == 0
        title = "关于"  # the title's first line starts so
        assert _baseline(a[0], title) == _baseline(b[0], title)
        assert "连妇保集〔2012〕31号" in b[0].get_text()  # the number is printed, not preprinted
    # Without the option no 套打 is written.
    again = run_cli(*args, "--out", str(tmp_path / "plain"), "-f", "pdf")
    assert again.returncode == 0, again.stderr
    assert not list((tmp_path / "plain").rglob("*-taoda.*"))


def test_preprinted_with_numbered_copies(tmp_path: Path) -> None:
    """With --copies too, the 套打 version is written a copy at a time as well."""
    source = tmp_path / "in" / "report.yaml"
    source.parent.mkdir()
    text = CIRCULAR.read_text(encoding="utf-8").replace("印发日期: 2012-07-26", "印发日期: 2012-07-26\n共印份数: 2")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli(
        "build",
        str(source),
        "--out",
        str(out),
        "--copies",
        "--preprinted",
        "-f",
        "pdf",
        "--registry",
        str(tmp_path / "r"),
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.stem.split("-hao-")[1] for p in out.rglob("*.pdf"))
    assert names == ["fenhao-000001", "fenhao-000002", "taoda-fenhao-000001", "taoda-fenhao-000002"]
