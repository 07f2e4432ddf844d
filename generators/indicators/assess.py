"""A quarter assessed: every unit × indicator computed, judged against its target and
ranked; the group's figures from summed counts.  Pure: data in, data out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import generators.indicators.compute as compute
from generators.indicators.compute import Attainment, Value
from generators.indicators.dictionary import Indicator, IndicatorDictionary
from generators.indicators.model import PeriodResults
from generators.indicators.period import Period
from generators.indicators.targets import Target


@dataclass(frozen=True)
class Cell:
    """One indicator for one unit (or the group): this quarter, year to date, the
    previous quarter of the same year, and the verdict on the year-to-date value
    (annual targets are judged on the cumulative figure)."""

    quarter: Value
    ytd: Value
    previous: Value | None
    target: Target | None
    attainment: Attainment | None  # None when the unit has no target for it
    rank: int | None = None  # year-to-date rank among units (None: unranked)
    last_year: Value | None = None  # the same quarter of the previous year (None: not given)

    @property
    def change(self) -> Decimal | None:
        return compute.change(self.quarter, self.previous)

    @property
    def yoy(self) -> Decimal | None:
        """同比: this quarter less the same quarter of the previous year (points for %)."""
        return compute.change(self.quarter, self.last_year)


@dataclass(frozen=True)
class Shortfall:
    unit: str
    indicator: Indicator
    cell: Cell


@dataclass(frozen=True)
class QuarterAssessment:
    period: Period
    units: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    cells: dict[tuple[str, str], Cell]  # (unit name, indicator code) → cell
    group: dict[str, Cell]  # indicator code → the group's cell
    unit_rank: dict[str, int]
    met: dict[str, tuple[int, int]]  # unit → (targets met, targets assessed)
    quarter_counts: dict[str, dict[str, int | None]]  # unit → counts of this quarter
    ytd_counts: dict[str, dict[str, int | None]]  # unit → year-to-date counts
    has_last_year: bool = False  # the same quarter of the previous year was given

    def yoy_indicators(self) -> tuple[Indicator, ...]:
        """Indicators with a 同比 for the group (both quarters have a value)."""
        return tuple(ind for ind in self.indicators if self.group[ind.code].yoy is not None)

    def cell(self, unit: str, indicator: Indicator) -> Cell:
        return self.cells[(unit, indicator.code)]

    def shortfalls(self) -> list[Shortfall]:
        """(unit, indicator) pairs below target year to date, in unit then indicator order."""
        return [
            Shortfall(unit, ind, self.cells[(unit, ind.code)])
            for unit in self.units
            for ind in self.indicators
            if self.cells[(unit, ind.code)].attainment is Attainment.MISSED
        ]

    def no_data(self) -> list[tuple[str, Indicator]]:
        return [
            (unit, ind)
            for unit in self.units
            for ind in self.indicators
            if self.cells[(unit, ind.code)].attainment is Attainment.NO_DATA
        ]


def _judge(target: Target | None, value: Value) -> Attainment | None:
    return None if target is None else compute.attainment(target, value)


def assess(
    period: Period,
    results: Mapping[Period, PeriodResults],
    units: Sequence[str],
    indicators: Sequence[Indicator],
    targets: Mapping[str, Mapping[str, Target]],
    group_targets: Mapping[str, Target],
    dictionary: IndicatorDictionary,
    last_year: PeriodResults | None = None,
) -> QuarterAssessment:
    """Assess ``period``; ``results`` must hold every quarter of its year so far;
    ``last_year``: the same quarter of the previous year, for 同比."""
    missing = [str(p) for p in period.year_to_date if p not in results]
    if missing:
        raise ValueError(f"results missing for {', '.join(missing)}")
    empty: dict[str, int | None] = {}
    quarter = {u: dict(results[period].counts.get(u, empty)) for u in units}
    previous = {u: results[period.previous].counts.get(u, empty) for u in units} if period.quarter > 1 else None
    before = {u: last_year.counts.get(u, empty) for u in units} if last_year is not None else None
    ytd = {
        u: compute.sum_over_time(dictionary, [results[p].counts.get(u, empty) for p in period.year_to_date])
        for u in units
    }
    cells: dict[tuple[str, str], Cell] = {}
    group: dict[str, Cell] = {}
    for ind in indicators:
        ytd_values = {u: compute.indicator_value(ind, ytd[u]) for u in units}
        ranks = compute.rank(ytd_values, ind)
        for u in units:
            target = targets.get(u, {}).get(ind.code)
            cells[(u, ind.code)] = Cell(
                quarter=compute.indicator_value(ind, quarter[u]),
                ytd=ytd_values[u],
                previous=compute.indicator_value(ind, previous[u]) if previous else None,
                target=target,
                attainment=_judge(target, ytd_values[u]),
                rank=ranks[u],
                last_year=compute.indicator_value(ind, before[u]) if before else None,
            )
        group_ytd = compute.pooled_value(ind, ytd.values())
        group[ind.code] = Cell(
            quarter=compute.pooled_value(ind, quarter.values()),
            ytd=group_ytd,
            previous=compute.pooled_value(ind, previous.values()) if previous else None,
            target=group_targets.get(ind.code),
            attainment=_judge(group_targets.get(ind.code), group_ytd),
            last_year=compute.pooled_value(ind, before.values()) if before else None,
        )
    met: dict[str, tuple[int, int]] = {}
    for u in units:
        verdicts = [cells[(u, ind.code)].attainment for ind in indicators]
        assessed = [v for v in verdicts if v in (Attainment.MET, Attainment.MISSED)]
        met[u] = (sum(v is Attainment.MET for v in assessed), len(assessed))
    scores = {u: (Decimal(m) / Decimal(n) if n else Decimal(0), m) for u, (m, n) in met.items()}
    return QuarterAssessment(
        period=period,
        units=tuple(units),
        indicators=tuple(indicators),
        cells=cells,
        group=group,
        unit_rank=compute.rank_by_score(scores),
        met=met,
        quarter_counts=quarter,
        ytd_counts=ytd,
        has_last_year=last_year is not None,
    )
