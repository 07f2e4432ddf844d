"""Scoring rules as data, checked against figures worked out here with Fractions
(not with the project's code)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from generators.indicators.scoring import (
    Rule,
    RuleError,
    item_score,
    parse_method,
    ranking,
    unit_score,
    weighted,
)
from generators.indicators.targets import parse_target

D = Decimal


def target(text: str, better: str = "higher"):
    return parse_target(text, better=better)


@pytest.mark.parametrize(
    ("method", "points", "target_text", "better", "value", "expected"),
    [
        ("达标得分", 5, "达95%", "higher", "95", Fraction(5)),
        ("达标得分", 5, "达95%", "higher", "94.99", Fraction(0)),
        ("按比例", 10, "达95%", "higher", "90", Fraction(10) * Fraction(90, 95)),
        ("按比例", 10, "达95%", "higher", "99", Fraction(10)),  # capped at full points
        ("按比例", 10, "控制在4‰以下", "lower", "5", Fraction(10) * Fraction(4, 5)),  # the mirror rule
        ("按比例", 10, "控制在4‰以下", "lower", "0", Fraction(10)),
        ("每差1个百分点扣1分", 8, "达95%", "higher", "92.5", Fraction(8) - Fraction(25, 10)),
        ("每差1个百分点扣2分", 8, "达95%", "higher", "80", Fraction(0)),  # never below zero
        ("每差0.5个百分点扣1分", 4, "达90%", "higher", "89", Fraction(2)),
        ("每超1个千分点扣1分", 6, "控制在4‰以下", "lower", "6.5", Fraction(6) - Fraction(25, 10)),
        ("加分", 2, "达80%以上", "higher", "85", Fraction(2)),
        ("加分", 2, "达80%以上", "higher", "70", Fraction(0)),
    ],
)
def test_item_rules(method: str, points: int, target_text: str, better: str, value: str, expected: Fraction) -> None:
    kind, per, deduct = parse_method(method)
    rule = Rule("x", kind, Fraction(points), per, deduct)
    score = item_score(rule, target(target_text, better), D(value)).score
    assert Fraction(score) == expected


def test_a_missed_veto_zeroes_the_unit_and_bonuses_are_capped() -> None:
    rules = [
        Rule("a", "按比例", Fraction(10)),
        Rule("b", "达标得分", Fraction(5)),
        Rule("death", "一票否决"),
        Rule("bonus1", "加分", Fraction(2)),
        Rule("bonus2", "加分", Fraction(2)),
    ]
    targets = {
        "a": target("达95%"),
        "b": target("达90%"),
        "death": target("控制在5/10万以下", "lower"),
        "bonus1": target("达50%"),
        "bonus2": target("达50%"),
    }
    values = {"a": D("76"), "b": D("91"), "death": D("0"), "bonus1": D("60"), "bonus2": D("70")}
    kept = unit_score("甲", rules, targets, values, bonus_cap=Fraction(3))
    assert Fraction(kept.total) == Fraction(10) * Fraction(76, 95) + 5 + 3
    assert kept.full == 15 and not kept.vetoed
    vetoed = unit_score("乙", rules, targets, {**values, "death": D("12.5")}, bonus_cap=Fraction(3))
    assert vetoed.vetoed and vetoed.total == 0
    unreported = unit_score("丙", rules, targets, {**values, "b": None})
    assert unreported.unreported == ("b",)
    assert Fraction(unreported.total) == Fraction(10) * Fraction(76, 95) + 2 + 2  # no cap given


def test_ranking_shares_ranks_and_weights_the_reviews() -> None:
    ranked = ranking({"甲": Fraction(90), "乙": Fraction(95), "丙": Fraction(90), "丁": Fraction(80)})
    assert [(r.rank, r.unit) for r in ranked] == [(1, "乙"), (2, "甲"), (2, "丙"), (4, "丁")]
    year = weighted({"甲": Fraction(80), "乙": Fraction(90)}, {"甲": Fraction(90), "乙": Fraction(85)}, 40, 60)
    assert Fraction(year["甲"]) == Fraction(80 * 40 + 90 * 60, 100)
    assert Fraction(year["乙"]) == Fraction(90 * 40 + 85 * 60, 100)
    with pytest.raises(RuleError, match="之和应为 100"):
        weighted({}, {}, 40, 50)


@pytest.mark.parametrize("text", ["看情况", "每差扣分", "按比列"])
def test_an_unknown_method_is_refused_with_the_choices(text: str) -> None:
    with pytest.raises(RuleError, match="无法识别"):
        parse_method(text)
