"""What a quarter's results are, and which counts a set of indicators needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generators.indicators.dictionary import Count, Indicator, IndicatorDictionary
from generators.indicators.period import Period


@dataclass(frozen=True)
class PeriodResults:
    """Raw counts of one quarter: unit name → count code → value (None = left blank)."""

    period: Period
    counts: dict[str, dict[str, int | None]]  # in the order of the member-units file
    source: Path | None = None
    # Where each value came from, for messages: (unit, code) → "工作表“2012Q1”单元格 C7"
    cells: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)


def required_counts(dictionary: IndicatorDictionary, indicators: Iterable[Indicator]) -> list[Count]:
    """Counts the indicators need, each once, in the dictionary's order (which groups
    them by domain: births and deaths first, then maternal care, child care …)."""
    needed = {code for ind in indicators for code in ind.counts}
    return [count for code, count in dictionary.counts.items() if code in needed]


def bounded_pairs(indicators: Iterable[Indicator]) -> list[tuple[Indicator, str, tuple[str, ...]]]:
    """(indicator, numerator code, denominator codes) where numerator > denominator is
    impossible, i.e. every indicator not marked ``may_exceed``."""
    return [(ind, ind.numerator, ind.denominator) for ind in indicators if not ind.may_exceed]
