"""Issue 17, stratified and relative targets: every phrase, simplified and traditional,
with its parsed result or its message (naming file, line, field and the word not
understood); relative targets made absolute against a base and judged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generators.core.errors import InputError
from generators.indicators.dictionary import default_dictionary
from generators.indicators.strata import Stratified, parse_goal
from generators.indicators.targets import Target, check_unit, format_target, parse_target, resolve, target_met

WHERE = {"file": "b.yaml", "line": 7, "field": "工作任务及目标.条目[1].目标[1].目标"}
CITY_RURAL = ("城市", "农村")

# (phrase, declared strata, better, expected: stratum → compact form)
STRATIFIED = [
    ("农村达到45%、城市达到70%", CITY_RURAL, None, {"农村": "≥45%", "城市": "≥70%"}),
    ("農村達到45%、城市達到70%", CITY_RURAL, None, {"农村": "≥45%", "城市": "≥70%"}),
    ("农村：达到45%；城市：≥70%", CITY_RURAL, None, {"农村": "≥45%", "城市": "≥70%"}),
    ("農村：達到45%；城市：≥70%。", CITY_RURAL, None, {"农村": "≥45%", "城市": "≥70%"}),
    ("城市不低于70%，农村不低于45%", CITY_RURAL, None, {"城市": "≥70%", "农村": "≥45%"}),
    ("城市不低於70%，農村不低於45%", CITY_RURAL, None, {"城市": "≥70%", "农村": "≥45%"}),
    ("农村控制在30/10万以下、城市控制在20/10万以下", CITY_RURAL, "lower", {"农村": "≤30/10万", "城市": "≤20/10万"}),
    ("農村控制在30/10萬以內、城市控制在20/10萬以內", CITY_RURAL, "lower", {"农村": "≤30/10万", "城市": "≤20/10万"}),
    ("农村4‰、城市3‰", CITY_RURAL, "lower", {"农村": "≤4‰", "城市": "≤3‰"}),
    ("农村比上年提高2个百分点、城市达到70%", CITY_RURAL, None, {"农村": "比上年提高2个百分点", "城市": "≥70%"}),
    ("農村比上年提高2個百分點、城市達到70%", CITY_RURAL, None, {"农村": "比上年提高2个百分点", "城市": "≥70%"}),
    ("山区达到40%、平原达到60%", ("平原", "山区"), None, {"山区": "≥40%", "平原": "≥60%"}),
    ("山區達到40%、平原達到60%", ("平原", "山区"), None, {"山区": "≥40%", "平原": "≥60%"}),
    # Strata declared in traditional script match a phrase in simplified, and keep their own names.
    ("农村达到45%、城市达到70%", ("城市", "農村"), None, {"農村": "≥45%", "城市": "≥70%"}),
    ("城镇控制在60%～80%、农村40%至60%之间", ("城镇", "农村"), None, {"城镇": "60%～80%", "农村": "40%～60%"}),
]


@pytest.mark.parametrize(("text", "strata", "better", "expected"), STRATIFIED, ids=[s[0] for s in STRATIFIED])
def test_stratified_phrase(text: str, strata: tuple[str, ...], better: str | None, expected: dict) -> None:
    goal = parse_goal(text, strata=strata, better=better, **WHERE)  # type: ignore[arg-type]
    assert isinstance(goal, Stratified)
    assert {name: format_target(t) for name, t in goal.parts} == expected
    assert list(dict(goal.parts)) == list(expected)  # in the order written
    assert goal.text == text.strip()


def test_a_plain_phrase_is_not_stratified() -> None:
    assert isinstance(parse_goal("達到95%以上", strata=CITY_RURAL), Target)


HEAD = "分层目标“{}”中的"
# (phrase, declared strata, exact message)
STRATIFIED_REFUSED = [
    (
        "山区达到45%、城市达到70%",
        CITY_RURAL,
        HEAD.format("山区达到45%、城市达到70%")
        + "“山区”不是分层名称（本责任书的分层：城市、农村；另有分层请在“分层”中列出）",
    ),
    (
        "山區達到45%、城市達到70%",
        CITY_RURAL,
        HEAD.format("山區達到45%、城市達到70%")
        + "“山區”不是分层名称（本责任书的分层：城市、农村；另有分层请在“分层”中列出）",
    ),
    ("农村达到45%", CITY_RURAL, "分层目标“农村达到45%”缺少“城市”的目标：分层（城市、农村）每层都要写目标"),
    ("農村達到45%", CITY_RURAL, "分层目标“農村達到45%”缺少“城市”的目标：分层（城市、农村）每层都要写目标"),
    ("农村达到45%、农村达到70%", CITY_RURAL, "分层目标“农村达到45%、农村达到70%”中“农村”出现了两次"),
    (
        "农村达到45%、城市约70%",
        CITY_RURAL,
        HEAD.format("农村达到45%、城市约70%")[:-1] + "城市的目标：无法识别的目标值“约70%”：数值前的“约”无法识别；"
        "数值前可写：达、达到、不低于、不少于、≥、控制在、不高于、不超过、≤、低于、高于、为",
    ),
    (
        "農村達到45%、城市大約70%",
        CITY_RURAL,
        HEAD.format("農村達到45%、城市大約70%")[:-1]
        + "城市的目标：无法识别的目标值“大約70%”：数值前的“大約”（按简体即“大约”）无法识别；"
        "数值前可写：达、达到、不低于、不少于、≥、控制在、不高于、不超过、≤、低于、高于、为",
    ),
    (
        "农村达到45%、城市很多",
        CITY_RURAL,
        HEAD.format("农村达到45%、城市很多")[:-1] + "城市的目标：无法识别的目标值“很多”"
        "（应写成如“达95%”“≥95%”“不低于95%”“控制在5/10万以下”“低于1%”“20%～30%”“比上年提高2个百分点”）",
    ),
    (
        "农村达到45%、另外一些",
        CITY_RURAL,
        HEAD.format("农村达到45%、另外一些") + "“另外一些”无法识别：每一项应写成分层名称加目标，如“城市达到70%”",
    ),
    (
        "平原达到60%、山区达到40%",
        ("平原", "丘陵", "山区"),
        "分层目标“平原达到60%、山区达到40%”缺少“丘陵”的目标：分层（平原、丘陵、山区）每层都要写目标",
    ),
]


@pytest.mark.parametrize(("text", "strata", "message"), STRATIFIED_REFUSED, ids=[s[0] for s in STRATIFIED_REFUSED])
def test_stratified_phrase_refused(text: str, strata: tuple[str, ...], message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_goal(text, strata=strata, **WHERE)  # type: ignore[arg-type]
    error = caught.value
    assert (error.message, str(error.file), error.line, error.field) == (message, *WHERE.values())


# (phrase, comparator, kind, direction, amount, unit, words)
RELATIVE = [
    ("比上年提高2个百分点", ">=", "points", "up", "2", "%", "比上年提高2个百分点"),
    ("比上年提高2個百分點", ">=", "points", "up", "2", "%", "比上年提高2个百分点"),
    ("较上年提升1.5个百分点", ">=", "points", "up", "1.5", "%", "比上年提高1.5个百分点"),
    ("較上年提升1.5個百分點", ">=", "points", "up", "1.5", "%", "比上年提高1.5个百分点"),
    ("比去年同期上升3个百分点以上", ">=", "points", "up", "3", "%", "比上年提高3个百分点"),
    ("提高2个百分点", ">=", "points", "up", "2", "%", "比上年提高2个百分点"),
    ("力争比上年增长5%", ">=", "ratio", "up", "5", "%", "比上年提高5%"),
    ("力爭比上年增長5%", ">=", "ratio", "up", "5", "%", "比上年提高5%"),
    ("比上年下降10%", "<=", "ratio", "down", "10", "%", "比上年下降10%"),
    ("较上年降低10%", "<=", "ratio", "down", "10", "%", "比上年下降10%"),
    ("較上年降低10%", "<=", "ratio", "down", "10", "%", "比上年下降10%"),
    ("比上年度减少8%", "<=", "ratio", "down", "8", "%", "比上年下降8%"),
    ("比上一年減少8%", "<=", "ratio", "down", "8", "%", "比上年下降8%"),
    ("较去年下降1个千分点", "<=", "points", "down", "1", "‰", "比上年下降1个千分点"),
    ("較去年下降1個千分點", "<=", "points", "down", "1", "‰", "比上年下降1个千分点"),
    ("与上年相比下降0.5个百分点", "<=", "points", "down", "0.5", "%", "比上年下降0.5个百分点"),
]


@pytest.mark.parametrize(("text", "comparator", "kind", "direction", "amount", "unit", "words"), RELATIVE,
                         ids=[r[0] for r in RELATIVE])  # fmt: skip
def test_relative_phrase(
    text: str, comparator: str, kind: str, direction: str, amount: str, unit: str, words: str
) -> None:
    target = parse_target(text, **WHERE)  # type: ignore[arg-type]
    assert target.relative is not None and target.unresolved
    assert (target.comparator, target.relative.kind, target.relative.direction) == (comparator, kind, direction)
    assert (target.relative.amount, target.unit) == (Decimal(amount), unit)
    assert format_target(target) == words
    assert parse_target(words).relative == target.relative  # the words read back the same
    assert target.origin == {**WHERE, "where": None}
    with pytest.raises(ValueError):
        target_met(target, 95)  # never judged before its base is known


# (phrase, base, value that just meets, value that just misses, resolved compact form)
RESOLVED = [
    ("比上年提高2个百分点", "93.10", "95.10", "95.09", "≥95.10%"),
    ("比上年下降10%", "6.22", "5.598", "5.60", "≤5.598%"),
    ("比上年增长5%", "80", "84", "83.99", "≥84.00%"),
    ("较去年下降1个千分点", "4.50", "3.50", "3.51", "≤3.50‰"),
]


@pytest.mark.parametrize(("text", "base", "meets", "misses", "compact"), RESOLVED, ids=[r[0] for r in RESOLVED])
def test_relative_target_resolved(text: str, base: str, meets: str, misses: str, compact: str) -> None:
    target = resolve(parse_target(text), Decimal(base))
    assert not target.unresolved and target.relative is not None and target.relative.base == Decimal(base)
    assert format_target(target) == compact
    assert target_met(target, Decimal(meets)) and not target_met(target, Decimal(misses))


def test_relative_ratio_takes_the_indicators_unit() -> None:
    d = default_dictionary()
    target = parse_target("比上年下降10%")
    check_unit(target, d.require("婴儿死亡率"))  # a relative change fits a ‰ indicator
    assert resolve(target, Decimal("4.00"), "‰").unit == "‰"


# (phrase, indicator, exact message)
RELATIVE_REFUSED = [
    (
        "比上年下降2个百分点",
        "婴儿死亡率",
        "指标“婴儿死亡率”以 ‰ 表示，目标值“比上年下降2个百分点”的“个百分点”只用于以 % 表示的指标；"
        "可写成相对变化（如“比上年下降10%”）",
    ),
    (
        "比上年下降1个千分点",
        "早孕建册率",
        "指标“早孕建册率”以 % 表示，目标值“比上年下降1个千分点”的“个千分点”只用于以 ‰ 表示的指标；"
        "可写成相对变化（如“比上年下降10%”）",
    ),
]


@pytest.mark.parametrize(("text", "name", "message"), RELATIVE_REFUSED, ids=[r[0] for r in RELATIVE_REFUSED])
def test_relative_unit_refused(text: str, name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        check_unit(parse_target(text), default_dictionary().require(name), **WHERE)  # type: ignore[arg-type]
    assert (caught.value.message, caught.value.line, caught.value.field) == (message, 7, WHERE["field"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "比上年提高",
            "无法识别的目标值“比上年提高”（应写成如“达95%”“≥95%”“不低于95%”“控制在5/10万以下”“低于1%”“20%～30%”“比上年提高2个百分点”）",
        ),
        (
            "比上年明顯提高",
            "无法识别的目标值“比上年明顯提高”（应写成如“达95%”“≥95%”“不低于95%”“控制在5/10万以下”“低于1%”“20%～30%”“比上年提高2个百分点”）",
        ),
    ],
)
def test_relative_without_a_number_refused(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_target(text, **WHERE)  # type: ignore[arg-type]
    assert caught.value.message == message
