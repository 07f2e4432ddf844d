"""Issue 17, output names: two inputs whose documents get the same name (same title and
year) are told apart by what differs (制定单位, 集团) instead of colliding; inputs that
nothing tells apart are still refused, in a fresh and in an incremental build alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli

from generators.core.errors import InputError
from generators.core.names import slug
from generators.core.paths import SAMPLE_INPUTS
from generators.pipeline.plan import plan

PLAN = (SAMPLE_INPUTS / "2012" / "work_plan.yaml").read_text(encoding="utf-8")
GROUP = "连云港市妇幼保健集团"
TITLE_SLUG = slug("连云港市妇幼保健集团2012年工作计划")
OTHER = "东海县妇幼保健所"


def _plans(folder: Path, *authors: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, author in enumerate(authors):
        text = PLAN.replace(f"制定单位: {GROUP}", f"制定单位: {author}")
        (folder / f"plan_{i}.yaml").write_text(text, encoding="utf-8")


ALIKE = "（制定单位也相同，无法区分：请改标题，或删去重复的输入）"
# (制定单位 of each input, expected output names under 2012/jihua/, or (input refused,
# the input it clashes with, the name))
CASES = [
    ((GROUP, OTHER), [TITLE_SLUG, f"{TITLE_SLUG}-{slug(OTHER)}"], None),
    ((OTHER, GROUP), [TITLE_SLUG, f"{TITLE_SLUG}-{slug(GROUP)}"], None),
    (
        (GROUP, OTHER, "灌云县妇幼保健所"),
        [TITLE_SLUG, f"{TITLE_SLUG}-{slug(OTHER)}", f"{TITLE_SLUG}-{slug('灌云县妇幼保健所')}"],
        None,
    ),
    ((GROUP, GROUP), None, (1, 0, TITLE_SLUG)),
    ((GROUP, OTHER, OTHER), None, (2, 1, f"{TITLE_SLUG}-{slug(OTHER)}")),
]


@pytest.mark.parametrize(("authors", "names", "error"), CASES, ids=["+".join(c[0]) for c in CASES])
def test_plans_with_one_title(
    tmp_path: Path, authors: tuple[str, ...], names: list[str] | None, error: tuple[int, int, str] | None
) -> None:
    folder = tmp_path / "in"
    _plans(folder, *authors)
    if error is None:
        jobs = plan([folder])
        assert [str(job.relpath) for job in jobs] == [f"2012/jihua/{n}" for n in names or []]
        return
    refused, holder, name = error
    with pytest.raises(InputError) as caught:
        plan([folder])
    assert caught.value.file == folder / f"plan_{refused}.yaml"
    assert caught.value.message == f"与 {folder / f'plan_{holder}.yaml'} 生成同名文件 2012/jihua/{name}{ALIKE}"


def test_books_of_two_groups_in_one_year(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(
        SAMPLE_INPUTS / "2012", folder, ignore=shutil.ignore_patterns("results", "supervision.yaml", "work_plan.yaml")
    )
    text = (folder / "target_book.yaml").read_text(encoding="utf-8")
    (folder / "target_book_2.yaml").write_text(
        text.replace(f"集团: {GROUP}", "集团: 东海县妇幼保健集团"), encoding="utf-8"
    )
    names = [str(job.relpath) for job in plan([folder])]
    first = [n for n in names if not n.endswith(slug("东海县妇幼保健集团"))]
    second = [n for n in names if n.endswith(f"-{slug('东海县妇幼保健集团')}")]
    assert len(first) == len(second) == 8 and len(set(names)) == 16


def test_build_notes_the_renaming_and_keeps_it(tmp_path: Path) -> None:
    _plans(tmp_path / "in", GROUP, OTHER)
    out = tmp_path / "out"
    renamed = f"2012/jihua/{TITLE_SLUG}-{slug(OTHER)}"
    note = (
        f"提示：文件 {tmp_path / 'in' / 'plan_1.yaml'}：与 {tmp_path / 'in' / 'plan_0.yaml'} 生成同名文件 "
        f"2012/jihua/{TITLE_SLUG}，本文件按制定单位“{OTHER}”改名为 {renamed}"
    )
    for _ in range(2):  # fresh, then incremental (nothing read again): the same note and files
        result = run_cli("build", str(tmp_path / "in"), "--out", str(out), "--format", "docx")
        assert result.returncode == 0, result.stderr
        assert note in result.stderr.splitlines(), result.stderr
        assert (out / f"{renamed}.docx").is_file() and (out / f"2012/jihua/{TITLE_SLUG}.docx").is_file()
