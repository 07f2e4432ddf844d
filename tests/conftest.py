from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The shared helpers (pdfmeasure, golden, readers, webserver) sit here; the tests, in one
# folder per source layer, also borrow fixtures' inputs from each other (test_target_book).
sys.path.insert(0, str(Path(__file__).parent))
sys.path += [
    str(folder) for folder in sorted(Path(__file__).parent.iterdir()) if folder.is_dir() and folder.name != "hostile"
]
os.environ.setdefault("FONTCONFIG_FILE", str(ROOT / "fonts" / "fonts.conf"))
# Document numbers: a registry of the session's own (session fixtures build the samples),
# and one per test (tests copy sample circulars, whose numbers would clash across tests).
os.environ.setdefault("GONGWEN_REGISTRY", str(Path(tempfile.mkdtemp(prefix="gongwen-registry-")) / "session.sqlite3"))


@pytest.fixture(autouse=True)
def _own_number_registry(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGWEN_REGISTRY", str(tmp_path_factory.mktemp("registry") / "registry.sqlite3"))


@pytest.fixture(autouse=True)
def _samples_allowed() -> Iterator[None]:
    """The sample circulars attach ../2012/*.yaml: tests that load them in-process run as
    `build --allow sample_inputs` would (the CLI default, no inputs, allows it too)."""
    from generators.core.safefile import allowed_roots

    with allowed_roots([ROOT / "sample_inputs"]):
        yield


CIRCULARS = {
    "000": "lian-fu-bao-ji-2012-5-hao",
    "001": "lian-fu-bao-ji-2012-2-hao",
}


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run make_reports.py as a user would."""
    return subprocess.run(
        [sys.executable, str(ROOT / "make_reports.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


@pytest.fixture(scope="session")
def circulars(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The two seed circulars built from sample_inputs/ by the CLI: {seed: {fmt: path}}."""
    out = tmp_path_factory.mktemp("outputs")
    samples = str(ROOT / "sample_inputs")  # the circulars attach ../2012/*.yaml
    result = run_cli(
        "build", str(ROOT / "sample_inputs" / "circulars"), "--out", str(out), "--allow", samples, "--quiet"
    )
    assert result.returncode == 0, result.stderr
    folder = out / "2012" / "tongzhi"
    return {seed: {fmt: folder / f"{stem}.{fmt}" for fmt in ("docx", "pdf")} for seed, stem in CIRCULARS.items()}


@pytest.fixture(scope="session")
def sample_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Everything `bash tasks.sh demo` makes: every sample input built and the 2012
    archive package, in a folder of the session's own (with its own number registry)."""
    from generators.core.fontcache import active_conf

    out = tmp_path_factory.mktemp("sample-year")
    # The font configuration users get (the pre-subset faces when `tasks.sh` made them),
    # not the plain one the rest of the suite measures layout with.
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    env["GONGWEN_REGISTRY"] = str(out.parent / "sample-year.sqlite3")
    assert active_conf() is not None, "make the font cache first: make_reports.py fonts --cache"
    built = run_cli("build", "--out", str(out), "--quiet", env=env)
    assert built.returncode == 0, built.stderr
    archived = run_cli("archive", "2012", "--fonds", "Z109", "-o", str(out), env=env)
    assert archived.returncode == 0, archived.stderr
    return out


@pytest.fixture(scope="session")
def libreoffice_prints(sample_year: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Every sample DOCX and XLSX printed to PDF by LibreOffice: {source: pdf}."""
    from readers import libreoffice_pdfs

    files = sorted([*sample_year.rglob("*.docx"), *sample_year.rglob("*.xlsx")])
    return libreoffice_pdfs(files, tmp_path_factory.mktemp("libreoffice-prints"))
