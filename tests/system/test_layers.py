"""One direction through the code: generators/ is a stack of layer folders (the
contract in pyproject.toml, checked by import-linter), no module imports another in a
circle, and no import hides inside a function to dodge one."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generators"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# What may be imported inside a function: the renderers that load weasyprint and
# python-docx (slow to import; weasyprint must follow the fontconfig set-up), and
# anything the command line loads for one command only (start-up time).
LAZY_TARGETS = ("generators.render.pdf", "generators.render.docx", "generators.render.fetcher")
LAZY_IMPORTERS = ("generators.cli",)


def _modules(root: Path = PACKAGE) -> dict[str, Path]:
    out = {}
    for path in root.rglob("*.py"):
        name = ".".join(("generators", *path.relative_to(root).with_suffix("").parts))
        out[name.removesuffix(".__init__")] = path
    return out


def _imports(modules: dict[str, Path]) -> list[tuple[str, str, bool]]:
    """(importer, imported module, inside a function) for every import between modules."""
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("generators"):
                module = node.module or ""
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name in modules]
            elif isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{path}: relative import; the package uses absolute imports")
            for target in targets:
                if target in modules and target != name and not name.startswith(target + "."):
                    found.append((name, target, id(node) not in top))
    return found


def test_layers_contract_is_kept() -> None:
    result = subprocess.run([str(LINT_IMPORTS)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_no_import_cycles_between_modules() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for importer, imported, _ in _imports(_modules()):
        graph[importer].add(imported)
    # Tarjan's strongly connected components: any of more than one module is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in list(graph):
        if module not in index:
            visit(module)
    assert circles == []


def test_imports_inside_functions_are_only_the_lazy_ones() -> None:
    hidden = sorted(
        f"{importer} → {imported}"
        for importer, imported, inside in _imports(_modules())
        if inside and not importer.startswith(LAZY_IMPORTERS) and not imported.startswith(LAZY_TARGETS)
    )
    assert hidden == []


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The contract is not vacuous: core importing the pipeline is caught."""
    shutil.copytree(PACKAGE, tmp_path / "generators", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    errors = tmp_path / "generators" / "core" / "errors.py"
    errors.write_text(errors.read_text(encoding="utf-8") + "\nimport generators.pipeline.plan  # noqa\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([str(LINT_IMPORTS)], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode != 0, result.stdout
    assert "generators.core.errors -> generators.pipeline.plan" in result.stdout
