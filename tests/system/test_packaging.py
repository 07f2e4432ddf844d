"""`pip install .` gives a package that runs on its own: a wheel built from the checkout,
installed into a fresh venv outside it, makes a circular with its `gongwen` command
(templates, font configuration and indicator dictionary come from inside the package)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

SAMPLE = ROOT / "sample_inputs" / "circulars" / "2012-31_report_example.yaml"


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", out, ROOT, cwd=out)
    assert built.returncode == 0, built.stderr
    return next(out.glob("gongwen_reports-*.whl"))


def test_wheel_carries_templates_fonts_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").rglob("*.j2"):
        assert f"generators/templates/{template.relative_to(ROOT / 'templates')}" in names
    assert {
        "generators/fonts/fonts.conf",
        "generators/fonts/glyph_order.txt",
        "generators/data/indicators.yaml",
    } <= names
    assert "generators/__main__.py" in names and "generators/cli/app.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "gongwen = generators.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_installed_gongwen_builds_a_circular_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
    site = Path(
        sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)})
    )  # the new venv's site-packages
    # The locked dependencies from the project's venv, without its editable finder
    # (plain paths in a .pth file are added to sys.path; their own .pth files are not run).
    (site / "project-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    python = venv / "bin" / "python"
    installed = _run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    work = tmp_path / "office"
    work.mkdir()
    shutil.copy(SAMPLE, work / "report.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("FONTCONFIG_FILE", "PYTHONPATH")}
    env |= {"HOME": str(tmp_path), "GONGWEN_REGISTRY": str(tmp_path / "registry.sqlite3")}
    where = _run(python, "-c", "import generators, sys; print(generators.__file__)", cwd=work, env=env)
    assert str(site) in where.stdout, where.stdout + where.stderr  # the wheel, not the checkout

    result = _run(venv / "bin" / "gongwen", "build", "report.yaml", "--out", "out", cwd=work, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    made = sorted(p.name for p in (work / "out").rglob("*") if p.suffix in (".docx", ".pdf"))
    assert made == ["lian-fu-bao-ji-2012-31-hao.docx", "lian-fu-bao-ji-2012-31-hao.pdf"], made
    module = _run(python, "-m", "generators", "fonts", cwd=work, env=env)
    # FandolFang lies outside fontconfig's default path: only the packaged fonts.conf finds it.
    assert module.returncode == 0 and "仿宋_GB2312" in module.stdout and "FandolFang" in module.stdout, module.stdout
