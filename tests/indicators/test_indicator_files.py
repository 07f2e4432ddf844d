"""Issue 17, indicator files: a user's entry for a packaged indicator or count changes
only what it writes (an alias added, a name changed) and a note says so; an indicator
file inside an input folder is recognised (checked, no documents)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_target_book import copy_inputs

from generators.core import notes
from generators.core.errors import InputError
from generators.core.paths import SAMPLE_INPUTS
from generators.indicators.dictionary import load_dictionary
from generators.kinds.target_book import load_book
from generators.pipeline.plan import load_jobs, plan

PACKAGED = load_dictionary()
VISIT = "指标“产后访视率”（postpartum_visit_rate）在内置定义上修改："
KEEP = "；其余沿用内置定义"

# (file body, {name to look up: expected code}, expected attributes of postpartum_visit_rate, note)
MERGES = [
    (
        "indicators:\n  - {code: postpartum_visit_rate, aliases: [产后随访率]}\n",
        {"产后随访率": "postpartum_visit_rate", "产后访视率": "postpartum_visit_rate"},
        {"name": "产后访视率", "aliases": ("产后随访率",), "denominator": ("live_births",), "may_exceed": True},
        VISIT + "增加别名“产后随访率”" + KEEP,
    ),
    (
        "indicators:\n  - {name: 产后访视率, aliases: [产后随访率, 产后家访率]}\n",  # no code: found by its name
        {"产后家访率": "postpartum_visit_rate"},
        {"name": "产后访视率", "aliases": ("产后随访率", "产后家访率")},
        VISIT + "增加别名“产后随访率”、“产后家访率”" + KEEP,
    ),
    (
        "indicators:\n  - {code: postpartum_visit_rate, name: 产后家庭访视率}\n",
        {"产后家庭访视率": "postpartum_visit_rate", "产后访视率": "postpartum_visit_rate"},
        {"name": "产后家庭访视率", "aliases": ("产后访视率",), "unit": "%"},
        VISIT + "名称改为“产后家庭访视率”（原名称“产后访视率”仍可使用）" + KEEP,
    ),
    (
        "indicators:\n  - {code: postpartum_visit_rate, denominator: women_delivered, may_exceed: false}\n",
        {},
        {"name": "产后访视率", "denominator": ("women_delivered",), "may_exceed": False},
        VISIT + "修改 denominator、may_exceed" + KEEP,
    ),
    (
        "indicators:\n  - {code: postpartum_visit_rate, aliases: [产后访视率]}\n",  # its own name: nothing new
        {},
        {"aliases": ()},
        VISIT + "与内置定义相同" + KEEP,
    ),
    (
        "counts:\n  - {code: live_births, aliases: [活产婴儿数]}\n",
        {},
        {},
        "计数“活产数”（live_births）在内置定义上修改：增加别名“活产婴儿数”" + KEEP,
    ),
]


@pytest.mark.parametrize(("body", "finds", "attrs", "note"), MERGES, ids=[m[3][len(VISIT) :][:16] for m in MERGES])
def test_entry_merges_into_the_packaged_one(
    tmp_path: Path, body: str, finds: dict[str, str], attrs: dict[str, object], note: str
) -> None:
    path = tmp_path / "my.yaml"
    path.write_text(body, encoding="utf-8")
    with notes.collecting() as said:
        d = load_dictionary(path)
    assert said == [f"文件 {path}，第 2 行，字段“{body.split(':')[0]}[1]”：{note}"]
    for name, code in finds.items():
        assert d.find(name) is not None and d.find(name).code == code, name
    visit = d.indicators["postpartum_visit_rate"]
    for attr, value in attrs.items():
        assert getattr(visit, attr) == value, attr
    assert list(d.indicators) == list(PACKAGED.indicators)  # merged in place, nothing added
    if body.startswith("counts"):
        assert d.find_count("活产婴儿数") is not None and d.find_count("活产婴儿数").code == "live_births"


def test_merged_entry_is_still_checked(tmp_path: Path) -> None:
    path = tmp_path / "my.yaml"
    path.write_text("indicators:\n  - {code: postpartum_visit_rate, multiplier: 1000}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dictionary(path)
    assert caught.value.message == "单位 % 应配乘数 100，实际乘数是 1000"
    assert caught.value.line == 2


def test_new_name_clashing_with_another_indicator_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "my.yaml"
    path.write_text("indicators:\n  - {code: postpartum_visit_rate, aliases: [新生儿访视率]}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dictionary(path)
    assert caught.value.message.startswith("名称“新生儿访视率”重复：已用于 newborn_visit_rate")


def test_book_uses_an_alias_added_by_its_indicator_file(tmp_path: Path) -> None:
    (tmp_path / "my.yaml").write_text("indicators:\n  - {code: postpartum_visit_rate, aliases: [产后随访率]}\n")

    def edit(text: str) -> str:
        text = text.replace("成员单位: units.yaml", "成员单位: units.yaml\n指标文件: my.yaml")
        return text.replace("指标: [产后访视率, 新生儿访视率]", "指标: [产后随访率, 新生儿访视率]")

    book = load_book(copy_inputs(tmp_path, book=edit))
    assert any("postpartum_visit_rate" in goal.codes for item in book.goals for goal in item)


def test_indicator_file_in_an_input_folder(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS / "2012", folder, ignore=shutil.ignore_patterns("results", "supervision.yaml"))
    (folder / "my_indicators.yaml").write_text(
        "indicators:\n  - {code: postpartum_visit_rate, aliases: [产后随访率]}\n"
    )
    assert load_jobs(folder / "my_indicators.yaml") == []
    jobs = plan([folder])
    assert jobs and all(job.source.name != "my_indicators.yaml" for job in jobs)
    (folder / "my_indicators.yaml").write_text("indicators:\n  - {code: postpartum_visit_rate, unit: 个}\n")
    with pytest.raises(InputError) as caught:
        plan([folder])
    assert (Path(str(caught.value.file)).name, caught.value.line) == ("my_indicators.yaml", 2)
