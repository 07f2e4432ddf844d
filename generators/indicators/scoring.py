"""Scores from a responsibility book's 考核 rules: per item, per unit, ranked, and the
half-year and year-end reviews weighted together.  Pure: rules and values in, exact
Fractions out (a score is rounded only when printed).

The rules are data (the book's ``考核与奖惩.评分``), because offices change them:
  达标得分   full points when the target is met, none otherwise;
  按比例     met: full points; missed: points × value ÷ target (lower-is-better targets:
             target ÷ value), never above full points;
  扣分       每差 N 扣 M 分: M points off per N of the indicator's own unit short of the
             target, never below zero for the item;
  一票否决   missed: the unit's total is zero, whatever else it scored;
  加分       met: the points are added as a bonus; all bonuses together are capped.
An item with no value (not reported) scores nothing and is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from generators.indicators.targets import Target, target_met

Method = Literal["达标得分", "按比例", "扣分", "一票否决", "加分"]
METHODS: tuple[Method, ...] = ("达标得分", "按比例", "扣分", "一票否决", "加分")
_DEDUCTION = re.compile(
    r"^每(?:差|低|少|超|高)(?P<per>\d+(?:\.\d+)?)(?:个百分点|个千分点|个)?扣(?P<points>\d+(?:\.\d+)?)分$"
)


class RuleError(ValueError):
    """A rule that cannot be read (the Chinese message names the part)."""


@dataclass(frozen=True)
class Rule:
    indicator: str  # code
    method: Method
    points: Fraction = Fraction(0)
    per: Fraction = Fraction(1)  # 扣分: this much short …
    deduct: Fraction = Fraction(1)  # … costs this many points


def parse_method(text: str) -> tuple[Method, Fraction, Fraction]:
    """方法 as written → (method, per, deduct); 每差1个百分点扣1分 is 扣分 (1, 1)."""
    text = re.sub(r"\s+", "", text)
    if text in METHODS:
        return text, Fraction(1), Fraction(1)
    if m := _DEDUCTION.match(text):
        return "扣分", Fraction(m["per"]), Fraction(m["points"])
    raise RuleError(f"评分方法“{text}”无法识别；可写：{'、'.join(METHODS[:2])}、每差1个百分点扣1分、一票否决、加分")


def shortfall(target: Target, value: Decimal) -> Fraction:
    """How far ``value`` is from meeting ``target``, in the target's unit (0: met)."""
    if target_met(target, value):
        return Fraction(0)
    v, t = Fraction(value), Fraction(target.value)
    upper = getattr(target, "upper", None)
    if upper is not None and v > Fraction(upper):
        return v - Fraction(upper)
    if target.comparator in (">=", ">"):
        return max(Fraction(0), t - v)
    if target.comparator in ("<=", "<"):
        return max(Fraction(0), v - t)
    return abs(v - t)


@dataclass(frozen=True)
class ItemScore:
    rule: Rule
    value: Decimal | None
    target: Target | None
    score: Fraction  # the points this item adds (bonus items included)
    met: bool | None  # None: no value or no target
    vetoed: bool = False


def item_score(rule: Rule, target: Target | None, value: Decimal | None) -> ItemScore:
    if target is None or value is None:
        return ItemScore(rule, value, target, Fraction(0), None)
    met = target_met(target, value)
    full = rule.points
    if rule.method == "一票否决":
        return ItemScore(rule, value, target, Fraction(0), met, vetoed=not met)
    if met:
        return ItemScore(rule, value, target, full, True)
    v, t = Fraction(value), Fraction(target.value)
    if rule.method == "按比例":
        if target.comparator in ("<=", "<"):  # lower is better: the mirror rule
            ratio = t / v if v else Fraction(1)
        else:
            ratio = v / t if t else Fraction(0)
        return ItemScore(rule, value, target, min(full, max(Fraction(0), full * ratio)), False)
    if rule.method == "扣分":
        lost = shortfall(target, value) / rule.per * rule.deduct
        return ItemScore(rule, value, target, max(Fraction(0), full - lost), False)
    return ItemScore(rule, value, target, Fraction(0), False)  # 达标得分, 加分


@dataclass(frozen=True)
class UnitScore:
    unit: str
    items: tuple[ItemScore, ...]
    bonus_cap: Fraction | None = None

    @property
    def vetoed(self) -> bool:
        return any(i.vetoed for i in self.items)

    @property
    def base(self) -> Fraction:
        return sum((i.score for i in self.items if i.rule.method != "加分"), Fraction(0))

    @property
    def bonus(self) -> Fraction:
        bonus = sum((i.score for i in self.items if i.rule.method == "加分"), Fraction(0))
        return bonus if self.bonus_cap is None else min(bonus, self.bonus_cap)

    @property
    def total(self) -> Fraction:
        return Fraction(0) if self.vetoed else self.base + self.bonus

    @property
    def full(self) -> Fraction:
        return sum((i.rule.points for i in self.items if i.rule.method not in ("加分", "一票否决")), Fraction(0))

    @property
    def unreported(self) -> tuple[str, ...]:
        return tuple(i.rule.indicator for i in self.items if i.value is None and i.target is not None)


def unit_score(
    unit: str,
    rules: Sequence[Rule],
    targets: Mapping[str, Target],
    values: Mapping[str, Decimal | None],
    bonus_cap: Fraction | None = None,
) -> UnitScore:
    """``targets`` and ``values`` by indicator code; a rule whose indicator the unit has no
    target for is left out of its score."""
    items = tuple(
        item_score(rule, targets[rule.indicator], values.get(rule.indicator))
        for rule in rules
        if rule.indicator in targets
    )
    return UnitScore(unit, items, bonus_cap)


@dataclass(frozen=True)
class Ranked:
    rank: int
    unit: str
    total: Fraction
    vetoed: bool = False
    parts: dict[str, Fraction] = field(default_factory=dict)


def ranking(totals: Mapping[str, Fraction], vetoed: frozenset[str] = frozenset()) -> list[Ranked]:
    """Highest first; equal totals share a rank (1, 2, 2, 4); ties keep the input order."""
    order = sorted(totals, key=lambda u: -totals[u])
    out: list[Ranked] = []
    for position, unit in enumerate(order, 1):
        rank = out[-1].rank if out and totals[unit] == out[-1].total else position
        out.append(Ranked(rank, unit, totals[unit], unit in vetoed))
    return out


def weighted(
    half: Mapping[str, Fraction], year: Mapping[str, Fraction], half_share: int, year_share: int
) -> dict[str, Fraction]:
    """The year's 综合考评: half-year review × half_share% + year-end × year_share%."""
    if half_share + year_share != 100:
        raise RuleError(f"半年占比和年终占比之和应为 100，实际是 {half_share + year_share}")
    return {u: (half.get(u, Fraction(0)) * half_share + year[u] * year_share) / 100 for u in year}
