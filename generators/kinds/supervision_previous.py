"""The previous year's results, for 同比 and for relative targets (比上年提高2个百分点).

In: the folder the supervision input names under 上年数据, holding <year>Q1.csv (or
.xlsx) … <year>Q4 like the year's own results.  Out: the quarters found, and every
relative target made absolute against the unit's (or the group's) previous-year value:
the rate of the year's summed counts, rounded as the reports print it.  A relative
target without that value is an InputError at the book line that wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from generators.core import notes
from generators.core.errors import InputError
from generators.indicators import compute
from generators.indicators.dictionary import Count, Indicator, IndicatorDictionary
from generators.indicators.model import PeriodResults
from generators.indicators.period import Period
from generators.indicators.strata import Split, with_totals
from generators.indicators.targets import Target, resolve
from generators.indicators.units import Unit
from generators.sheets.forms import read_results

Read = Callable[[Path, Period], PeriodResults]


def quarter_file(folder: Path, period: Period) -> Path | None:
    for suffix in (".csv", ".xlsx", ".CSV", ".XLSX"):
        path = folder / f"{period}{suffix}"
        if path.is_file():
            return path
    return None


def read_previous_year(
    folder: Path,
    year: int,
    units: Sequence[Unit],
    counts: Sequence[Count],
    indicators: Sequence[Indicator],
    split: Split,
) -> dict[Period, PeriodResults]:
    """The quarters of ``year`` found in ``folder`` (a missing quarter is left out: 同比
    is then not shown for it).  Rows for units no longer in the book are skipped with a note."""
    out: dict[Period, PeriodResults] = {}
    for q in range(1, 5):
        period = Period(year, q)
        path = quarter_file(folder, period)
        if path is None:
            continue
        results = read_results(path, period, list(units), list(counts), list(indicators), others="note")
        out[period] = replace(results, counts=with_totals(results.counts, split))
    return out


def annual_counts(
    dictionary: IndicatorDictionary, previous: Mapping[Period, PeriodResults], unit: str, year: int
) -> dict[str, int | None]:
    """The unit's counts summed over the year (a quarter not given reads as unreported)."""
    quarters = [previous.get(Period(year, q)) for q in range(1, 5)]
    return compute.sum_over_time(dictionary, [p.counts.get(unit, {}) if p else {} for p in quarters])


def resolve_relative(
    targets: dict[str, dict[str, Target]],
    group: dict[str, Target],
    *,
    dictionary: IndicatorDictionary,
    previous: Mapping[Period, PeriodResults] | None,
    year: int,
    supervision_file: Path,
    previous_field: str = "上年数据",
) -> tuple[dict[str, dict[str, Target]], dict[str, Target]]:
    """``targets`` (unit → code → target) and ``group`` with every relative target resolved."""
    last = year - 1

    def fail(target: Target, indicator: Indicator, who: str, reason: str) -> InputError:
        message = f"{who}“{indicator.name}”的目标“{target.text}”要与 {last} 年比较，但{reason}"
        return InputError(message, **target.origin)

    def base(target: Target, code: str, who: str, per_unit: list[dict[str, int | None]]) -> Target:
        indicator = dictionary.indicators[code]
        if previous is None:
            reason = f"督导输入 {supervision_file} 没有写“{previous_field}”（{last} 年各季度数据所在的文件夹）"
            raise fail(target, indicator, who, reason)
        absent = [str(Period(last, q)) for q in range(1, 5) if Period(last, q) not in previous]
        if absent:
            raise fail(target, indicator, who, f"上年数据中没有 {'、'.join(absent)} 的数据文件（如 {absent[0]}.csv）")
        value = compute.pooled_value(indicator, per_unit)
        if value.rounded is None:
            names = [dictionary.counts[c].name for c in indicator.counts]
            reason = f"{last} 年数据中{who}{'、'.join(names)}未报齐或分母为 0，无法算出上年的值"
            raise fail(target, indicator, who, reason)
        resolved = resolve(target, value.rounded, indicator.unit)
        if indicator.unit == "%" and not indicator.may_exceed and resolved.value > 100:
            message = (
                f"{who}“{indicator.name}”的目标“{target.text}”按上年 {value.rounded}% 算得 {resolved.value}%，"
                "超过 100%，不可能达到，请核对目标"
            )
            notes.add(message, **{k: v for k, v in target.origin.items() if k != "where"})  # type: ignore[arg-type]
        return resolved

    annual: dict[str, dict[str, int | None]] = {}

    def of(unit: str) -> dict[str, int | None]:
        if unit not in annual:
            annual[unit] = annual_counts(dictionary, previous or {}, unit, last)
        return annual[unit]

    resolved = {
        unit: {code: base(t, code, f"“{unit}”的", [of(unit)]) if t.unresolved else t for code, t in own.items()}
        for unit, own in targets.items()
    }
    group_resolved = {
        code: base(t, code, "集团的", [of(u) for u in targets]) if t.unresolved else t for code, t in group.items()
    }
    return resolved, group_resolved
