"""Issue 17, targets and names as offices write them: traditional script read through
a character mapping (one grammar), 不低于/不高于/不超过/以内, errors naming file, line,
field and the word not understood, and suggestions only for near misses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_target_book import copy_inputs, fails, line_of

from generators.core.errors import InputError
from generators.core.script import to_simplified, traditional_characters
from generators.indicators.dictionary import default_dictionary
from generators.indicators.targets import extract_targets, format_target, parse_target, phrase, target_met
from generators.kinds.target_book import build_book, load_book
from generators.sheets.stat_table import missed_formula

# (phrase, better, compact form): every lead word and tail the parser knows, in simplified
# and in traditional script.
PHRASES = [
    ("达96%", None, "≥96%"),
    ("達96%", None, "≥96%"),
    ("达到45%", None, "≥45%"),
    ("達到45%", None, "≥45%"),
    ("達95%以上", None, "≥95%"),
    ("達到85％以上", None, "≥85%"),
    ("不低于95%", None, "≥95%"),
    ("不低於95%", None, "≥95%"),
    ("不少於90%", None, "≥90%"),
    ("不小於90%", None, "≥90%"),
    ("提高到60%", None, "≥60%"),
    ("提升至60%", None, "≥60%"),
    ("力争达到95%", None, "≥95%"),
    ("力爭達到95%", None, "≥95%"),
    ("確保100%", None, "≥100%"),
    ("不高于5‰", None, "≤5‰"),
    ("不高於5‰", None, "≤5‰"),
    ("不超过5‰", None, "≤5‰"),
    ("不超過5‰", None, "≤5‰"),
    ("不大於5‰", None, "≤5‰"),
    ("控制在30/10万以内", None, "≤30/10万"),
    ("控制在30/10萬以內", None, "≤30/10万"),
    ("控制在30/10萬內", None, "≤30/10万"),
    ("控制在6.8‰之內", None, "≤6.8‰"),
    ("控制在5/10萬以下", None, "≤5/10万"),
    ("維持在95%以上", None, "≥95%"),
    ("穩定在95%以上", None, "≥95%"),
    ("保持在95%以上", None, "≥95%"),
    ("降至20%以下", None, "≤20%"),
    ("降低到20%", None, "≤20%"),
    ("下降至20%", None, "≤20%"),
    ("低於1%", None, "<1%"),
    ("高於70%", None, ">70%"),
    ("超過70%", None, ">70%"),
    ("大於70%", None, ">70%"),
    ("等於100%", None, "=100%"),
    ("為100%", None, "=100%"),
    ("≥95％", None, "≥95%"),
    ("≤15/10萬", None, "≤15/10万"),
    ("95%以上", None, "≥95%"),
    ("4‰以內", None, "≤4‰"),
    ("4‰", "lower", "≤4‰"),
    ("100%", None, "≥100%"),
    # ranges
    ("20%～30%", None, "20%～30%"),
    ("20%-30%", None, "20%～30%"),
    ("20%~30%", None, "20%～30%"),
    ("20至30%", None, "20%～30%"),
    ("20%到30%", None, "20%～30%"),
    ("控制在20%～30%之間", None, "20%～30%"),
    ("保持在90%至95%", None, "90%～95%"),
    ("控制在5~10/10萬以內", None, "5～10/10万"),
    ("6.5‰—8‰", None, "6.5‰～8‰"),
]


@pytest.mark.parametrize(("text", "better", "expected"), PHRASES, ids=[p[0] for p in PHRASES])
def test_phrase(text: str, better: str | None, expected: str) -> None:
    assert format_target(parse_target(text, better=better)) == expected  # type: ignore[arg-type]


# (range, value, met): both bounds meet, outside either does not
RANGE_VALUES = [
    ("20%～30%", "20", True),
    ("20%～30%", "25", True),
    ("20%～30%", "30", True),
    ("20%～30%", "19.9", False),
    ("20%～30%", "30.1", False),
]


@pytest.mark.parametrize(("text", "value", "met"), RANGE_VALUES, ids=[f"{r[0]}:{r[1]}" for r in RANGE_VALUES])
def test_range_met(text: str, value: str, met: bool) -> None:
    assert target_met(parse_target(text), Decimal(value)) is met


@pytest.mark.parametrize("text", ["20%～30%", "控制在5~10/10萬以內", "6.5‰—8‰"])
def test_range_round_trips(text: str) -> None:
    target = parse_target(text)
    for style in ("compact", "seed", "long"):
        again = parse_target(phrase(target, style))  # type: ignore[arg-type]
        assert (again.comparator, again.value, again.upper, again.unit) == (
            target.comparator,
            target.value,
            target.upper,
            target.unit,
        )


def test_range_in_the_statistical_table() -> None:
    assert missed_formula(parse_target("20%～30%"), 3, 7) == (
        "IF(ISNUMBER($C7),OR(ROUND($C7,2)<20,ROUND($C7,2)>30),FALSE)"
    )


def test_traditional_phrase_keeps_its_own_text() -> None:
    assert parse_target(" 達95%以上。").text == "達95%以上。"


LEADS = "数值前可写：达、达到、不低于、不少于、≥、控制在、不高于、不超过、≤、低于、高于、为"
TAILS = "数值后可写：以上、以下、以内、内"
# (phrase, exact message): the word that was not understood is named, as written.
REFUSED = [
    ("大約95%", f"无法识别的目标值“大約95%”：数值前的“大約”（按简体即“大约”）无法识别；{LEADS}"),
    ("大约95%", f"无法识别的目标值“大约95%”：数值前的“大约”无法识别；{LEADS}"),
    ("95%左右", f"无法识别的目标值“95%左右”：数值后的“左右”无法识别；{TAILS}"),
    ("達95%上下", f"无法识别的目标值“達95%上下”：数值后的“上下”无法识别；{TAILS}"),
    ("約達95%", f"无法识别的目标值“約達95%”：数值前的“約達”（按简体即“约达”）无法识别；{LEADS}"),
    ("達5%以下", "无法识别的目标值“達5%以下”：“達”与“以下”方向相反"),
    ("達到96人", "无法识别的目标值“達到96人”：“人”不是比率单位，目标值只能用 %、‰ 或 /10万"),
    ("農村達到45%、城市達到70%", "无法识别的目标值“農村達到45%、城市達到70%”：含有多个数值，一个目标只能有一个数"),
    ("", "无法识别的目标值“”：内容为空"),
    ("30%～20%", "无法识别的目标值“30%～20%”：范围的下限 30 应小于上限 20"),
    ("20%～20%", "无法识别的目标值“20%～20%”：范围的下限 20 应小于上限 20"),
    ("20‰～30%", "无法识别的目标值“20‰～30%”：范围两端的单位不同（‰ 与 %）"),
    (
        "明顯提高",
        "无法识别的目标值“明顯提高”（应写成如“达95%”“≥95%”“不低于95%”“控制在5/10万以下”“低于1%”“20%～30%”“比上年提高2个百分点”）",
    ),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[r[0] or "empty" for r in REFUSED])
def test_refused_phrase(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_target(text, file="b.yaml", line=3, field="目标")
    assert (caught.value.message, caught.value.line, caught.value.field) == (message, 3, "目标")


NAMES = [
    ("孕產婦死亡率", "孕产妇死亡率"),
    ("嬰兒死亡率", "婴儿死亡率"),
    ("早孕建卡率", "早孕建册率"),
    ("新生兒訪視率", "新生儿访视率"),
    ("產後訪視率", "产后访视率"),
    ("5歲以下兒童死亡率", "5岁以下儿童死亡率"),
    ("剖宮產率", "剖宫产率"),
    ("《出生醫學證明》簽發率", "出生医学证明签发率"),
    ("婚前醫學檢查率", "婚前医学检查率"),
]


@pytest.mark.parametrize(("written", "name"), NAMES, ids=[n[0] for n in NAMES])
def test_traditional_name_finds_the_simplified_entry(written: str, name: str) -> None:
    found = default_dictionary().find(written)
    assert found is not None and found.name == name


SUGGESTIONS = [
    ("孕产妇死忙率", "孕产妇死亡率"),  # one character wrong
    ("婴儿死亡律", "婴儿死亡率"),
    ("新生儿访视", "新生儿访视率"),  # one character missing
    ("孕產婦死忙率", "孕产妇死亡率"),  # traditional, and a typo
    ("出生缺陷监测覆盖率", None),  # shares a prefix with 出生缺陷发生率, but is another indicator
    ("产前筛查覆盖", None),
    ("流动人口管理率", None),
]


@pytest.mark.parametrize(("written", "hint"), SUGGESTIONS, ids=[s[0] for s in SUGGESTIONS])
def test_suggestion_only_when_close(written: str, hint: str | None) -> None:
    with pytest.raises(InputError) as caught:
        default_dictionary().require(written)
    tip = f"，是否应为“{hint}”？" if hint else "，请在指标文件中添加该指标"
    assert caught.value.message == f"未知指标“{written}”{tip}"


def test_mapping_keeps_length_and_simplified_text() -> None:
    simplified = "孕产妇死亡率控制在30/10万以内，早孕建册率达到95%以上"
    assert to_simplified(simplified) == simplified
    assert traditional_characters(simplified) == ""
    traditional = "孕產婦死亡率控制在30/10萬以內，早孕建冊率達到95%以上"
    assert to_simplified(traditional) == simplified
    assert traditional_characters(traditional) == "產婦萬內冊達"


def test_targets_in_traditional_running_text() -> None:
    found = extract_targets("孕產婦死亡率控制在30/10萬以內，嬰兒死亡率控制在6‰以下，早孕建冊率達到95%以上。")
    assert [(name, format_target(t)) for name, t in found] == [
        ("孕產婦死亡率", "≤30/10万"),
        ("嬰兒死亡率", "≤6‰"),
        ("早孕建冊率", "≥95%"),
    ]


# --- in a responsibility book: file, line and field ----------------------------------

BAD_BOOK_TARGETS = [
    (
        "{指标: 早孕建册率, 目标: 达95%}",
        "{指标: 早孕建册率, 目标: 達95%左右}",
        "工作任务及目标.条目[2].目标[2].目标",
        "无法识别的目标值“達95%左右”：数值后的“左右”无法识别；",
    ),
    (
        "{指标: 早孕建册率, 目标: 达95%}",
        "{指标: 早孕建檔率, 目标: 达95%}",
        "工作任务及目标.条目[2].目标[2].指标",
        "未知指标“早孕建檔率”，是否应为“早孕建卡率”？",  # 早孕建册率's alias, as near
    ),
    (
        "{指标: 婴儿死亡率, 目标: 控制在4‰以下}",
        "{指标: 嬰兒死亡率, 目标: 控制在4%以下}",
        "工作任务及目标.条目[3].目标[2].目标",
        "指标“婴儿死亡率”以 ‰ 表示，目标值“控制在4%以下”却用了 %",
    ),
    (
        "目标: [达到80%以上, 达到60%以上]}",
        "目标: [达到80%以上, 大約60%]}",
        "工作任务及目标.条目[9].目标[1].目标[2]",
        "无法识别的目标值“大約60%”：数值前的“大約”（按简体即“大约”）无法识别；",
    ),
]


@pytest.mark.parametrize(("old", "new", "field", "message"), BAD_BOOK_TARGETS, ids=[b[1] for b in BAD_BOOK_TARGETS])
def test_book_target_error_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    path = copy_inputs(tmp_path, book=lambda t: t.replace(old, new, 1))
    err = fails(tmp_path, path)
    assert err.message.startswith(message), err.message
    assert (Path(str(err.file)).name, err.line, err.field) == ("target_book.yaml", line_of(path, new), field)


def test_unit_override_error_names_its_field(tmp_path: Path) -> None:
    override = "单位目标:\n  东海所:\n    婴儿死亡率: 控制在4‰左右\n"
    path = copy_inputs(tmp_path, book=lambda t: t.replace("单位目标: {}\n", override))
    err = fails(tmp_path, path)
    assert err.field == "单位目标.东海所.婴儿死亡率"
    assert err.line == line_of(path, "控制在4‰左右")


def test_book_in_traditional_script_builds(tmp_path: Path) -> None:
    edits = [
        ("{指标: 婴儿死亡率, 目标: 控制在4‰以下}", "{指标: 嬰兒死亡率, 目标: 控制在4‰以內}"),
        ("{指标: 早孕建册率, 目标: 达95%}", "{指标: 早孕建卡率, 目标: 達95%}"),
        ("{指标: 产妇死亡率, 目标: 控制在5/10万以下}", "{指标: 孕產婦死亡率, 目标: 控制在5/10萬以下}"),
    ]

    def edit(text: str) -> str:
        for old, new in edits:
            assert old in text
            text = text.replace(old, new)
        return text

    book = load_book(copy_inputs(tmp_path, book=edit))
    targets = {
        code: format_target(t)
        for item in book.goals
        for goal in item
        for code, t in zip(goal.codes, goal.targets, strict=True)
    }
    assert targets["infant_mortality_rate"] == "≤4‰"
    assert targets["maternal_mortality_ratio"] == "≤5/10万"
    assert targets["early_pregnancy_registration_rate"] == "≥95%"
    text = "".join(b.full_text for b in build_book(book, book.units[0]).body if hasattr(b, "full_text"))
    assert "嬰兒死亡率控制在4‰以內" in text  # printed as the clerk wrote it
