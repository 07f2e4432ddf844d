"""Indicators from raw counts: pure functions, no I/O.

Rates are never averaged.  A group or year-to-date figure is the rate of summed
counts (DHIS2's rule, shared/spec/indicators.md).  A zero denominator or a missing
count gives no value ("—"), never an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from generators.indicators.dictionary import Indicator, IndicatorDictionary
from generators.indicators.targets import Target, target_met

Counts = Mapping[str, int | None]  # count code → value; None = not reported

# Rates are shown and judged to two decimals: a reader who sees 95.00% against ≥95%
# must read 达标 (an exact 94.996 would otherwise be 未达标 while printed as 95.00).
PLACES = 2
_QUANTUM = Decimal(1).scaleb(-PLACES)
NO_VALUE = "—"


@dataclass(frozen=True)
class Value:
    """One indicator for one unit (or the group) in one period."""

    numerator: int | None
    denominator: int | None
    rate: Decimal | None  # None: a count is missing or the denominator is 0
    unstable: bool = False  # base below the indicator's unstable_below

    @property
    def rounded(self) -> Decimal | None:
        return None if self.rate is None else self.rate.quantize(_QUANTUM, ROUND_HALF_UP)

    def shown(self, unit: str = "") -> str:
        """95.24% / 3.12‰ / 12.50/10万, or — when there is no value."""
        return NO_VALUE if self.rounded is None else f"{self.rounded}{unit}"


def _value(indicator: Indicator, numerator: int | None, denominator: int | None) -> Value:
    if numerator is None or denominator is None or denominator == 0:
        return Value(numerator, denominator, None)
    rate = Decimal(numerator) * indicator.multiplier / Decimal(denominator)
    return Value(numerator, denominator, rate, indicator.is_unstable(denominator))


def indicator_value(indicator: Indicator, counts: Counts) -> Value:
    parts = [counts.get(code) for code in indicator.denominator]
    denominator = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
    return _value(indicator, counts.get(indicator.numerator), denominator)


def pooled_value(indicator: Indicator, per_unit: Iterable[Counts]) -> Value:
    """The group's value: numerators and denominators summed over the units that
    reported both, then divided once."""
    numerator = denominator = 0
    reported = False
    for counts in per_unit:
        value = indicator_value(indicator, counts)
        if value.numerator is not None and value.denominator is not None:
            numerator += value.numerator
            denominator += value.denominator
            reported = True
    return _value(indicator, numerator, denominator) if reported else Value(None, None, None)


def sum_over_time(dictionary: IndicatorDictionary, periods: Sequence[Counts]) -> dict[str, int | None]:
    """Year-to-date counts from quarters in order: flow counts add up (None if a quarter
    is missing), stock counts take the latest reported value."""
    codes = {code for counts in periods for code in counts}
    out: dict[str, int | None] = {}
    for code in codes:
        values = [counts.get(code) for counts in periods]
        count = dictionary.counts.get(code)
        if count is not None and count.aggregation == "stock":
            reported = [v for v in values if v is not None]
            out[code] = reported[-1] if reported else None
        else:
            out[code] = None if any(v is None for v in values) else sum(v for v in values if v is not None)
    return out


def change(current: Value, previous: Value | None) -> Decimal | None:
    """Difference in the shown unit (percentage points for %) against the previous period."""
    if previous is None or current.rate is None or previous.rate is None:
        return None
    return current.rounded - previous.rounded  # type: ignore[operator]


class Attainment(StrEnum):
    MET = "达标"
    MISSED = "未达标"
    NO_DATA = "无数据"


def attainment(target: Target, value: Value) -> Attainment:
    if value.rounded is None:
        return Attainment.NO_DATA
    return Attainment.MET if target_met(target, value.rounded) else Attainment.MISSED


def rank(values: Mapping[str, Value], indicator: Indicator) -> dict[str, int | None]:
    """Competition ranking (1, 2, 2, 4) from best to worst; units without a value or
    with an unstable base are not ranked (None)."""
    ranked = {k: v.rounded for k, v in values.items() if v.rounded is not None and not v.unstable}
    reverse = indicator.better == "higher"
    order = sorted(ranked.values(), reverse=reverse)
    out: dict[str, int | None] = dict.fromkeys(values)
    for key, rate in ranked.items():
        out[key] = order.index(rate) + 1
    return out


def rank_by_score(scores: Mapping[str, tuple[Decimal, int]]) -> dict[str, int]:
    """Rank units by (share of assessed targets met, number met), best first; ties share a rank."""
    order = sorted(scores.values(), reverse=True)
    return {key: order.index(score) + 1 for key, score in scores.items()}
