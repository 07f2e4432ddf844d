"""Synthetic quarterly results: INVENTED numbers (合成数据，不是真实统计) for samples,
tests and benchmarks.  Nothing here describes a real place or a real year.

The numbers are plausible, not real: live births per unit and quarter 600–2500 by
unit size, deaths rare, care counts at 90–99 % of their base, stock counts (children
under 7 …) nearly constant across quarters, and every numerator within its bounds.
Each unit meets its targets year to date, except a few planted (unit, indicator)
shortfalls that miss year to date at every quarter; one unit reports a zero
denominator in one quarter (its rate is "—").  Equal arguments give equal numbers:
every random stream is seeded by (seed, unit name, count code).

    python -m generators.cli.synthetic --help   (the command that writes the sample CSVs)
"""

from __future__ import annotations

import csv
import io
import itertools
import random
from collections.abc import Sequence
from pathlib import Path

from generators.core.names import slug
from generators.core.output import atomic_path
from generators.indicators.compute import Attainment, attainment, indicator_value, sum_over_time
from generators.indicators.dictionary import Count, Indicator, IndicatorDictionary
from generators.indicators.model import PeriodResults, required_counts
from generators.indicators.period import Period
from generators.indicators.strata import Split
from generators.indicators.targets import Target
from generators.indicators.units import Unit

NOTE = "合成数据，不是真实统计：数值由程序按固定随机种子生成，只供样例和测试使用。"
SEASON = (0.96, 0.97, 1.03, 1.04)  # births peak in the second half of the year
ENTRY_SHARE = (0.06, 0.04, 0.45, 0.05)  # childcare entry happens mostly in September
# Base counts (no indicator computes them): ratio of this quarter's live births …
PER_BIRTH = {
    "women_delivered": (0.985, 0.995),  # twins: fewer mothers than live births
    "perinatal_births": (1.003, 1.008),
    "pregnant_women_registered": (0.98, 1.05),
    "high_risk_women": (0.15, 0.25),
    "rural_hospital_deliveries": (0.5, 0.7),
    "mch_insurance_eligible": (0.9, 1.0),
    "marriage_registered_persons": (1.4, 1.9),
}
PER_ANNUAL_BIRTH = {"children_under7": (6.4, 6.8), "children_under3": (2.8, 3.0), "women_to_screen": (2.5, 3.5)}
# … or a + b × unit size (0–1): flow per quarter, stock at the quarter's end.
BY_SIZE = {
    "survey_respondents": (120, 180),
    "persons_to_train": (30, 150),
    "articles_submitted": (5, 12),
    "baby_friendly_reviewed": (1, 2),
    "childcare_institutions": (20, 80),
    "standard_clinics_planned": (3, 5),
    "digital_clinics_planned": (3, 5),
    "village_doctors": (150, 450),
    "midwifery_institutions": (4, 12),
    "mch_staff": (40, 200),
    "mch_technical_staff": (30, 150),
    "frail_children": (60, 300),
}
# Rate ranges (as fractions) for indicators without a target.
DEFAULT_RATES = {
    "caesarean_rate": (0.35, 0.5),
    "birth_defect_incidence": (0.008, 0.015),
    "maternal_mortality_ratio": (0.0, 0.00008),
    "infant_mortality_rate": (0.002, 0.004),
    "neonatal_mortality_rate": (0.001, 0.0025),
    "under5_mortality_rate": (0.003, 0.005),
    "pph_death_share": (0.2, 0.4),
    "birth_certificate_void_rate": (0.002, 0.008),
}
NESTED = (
    ("neonatal_deaths", "infant_deaths"),
    ("infant_deaths", "under5_deaths"),
    ("pph_maternal_deaths", "maternal_deaths"),
)
ZERO_CANDIDATES = ("childcare_entrants", "articles_submitted", "persons_to_train", "survey_respondents")
ZERO_QUARTER = 2

Series = list[int]  # one value per quarter


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(map(str, parts)))  # str seeds hash with SHA-512: stable


def _size(unit: Unit, seed: int) -> float:
    """0–1; counties (县) are larger than urban districts."""
    r = _rng(seed, unit.name, "size").random()
    return 0.45 + 0.55 * r if "县" in unit.name else 0.5 * r


def _base(code: str, count: Count, rng: random.Random, size: float, births: Series) -> Series:
    annual = sum(births)
    if code == "live_births":
        mean = 600 + 1900 * size
        return [round(mean * s * rng.uniform(0.97, 1.03)) for s in SEASON]
    if code == "childcare_entrants":
        return [max(1, round(annual * share * rng.uniform(0.7, 0.9))) for share in ENTRY_SHARE]
    if code in BY_SIZE and count.aggregation == "flow":
        a, b = BY_SIZE[code]
        return [max(1, round((a + b * size) * rng.uniform(0.85, 1.15))) for _ in SEASON]
    if code in BY_SIZE or code in PER_ANNUAL_BIRTH or count.aggregation == "stock":
        a, b = BY_SIZE.get(code, (0, 0))
        level = a + b * size if code in BY_SIZE else annual * rng.uniform(*PER_ANNUAL_BIRTH.get(code, (1.0, 1.5)))
        drift = rng.uniform(-0.002, 0.006) if level > 50 else 0.0
        return [max(1, round(level * (1 + drift * q))) for q in range(4)]
    lo, hi = PER_BIRTH.get(code, (0.4, 0.6))
    return [max(1, round(b * rng.uniform(lo, hi))) for b in births]


def _rate_range(indicator: Indicator, target: Target | None, short: bool) -> tuple[float, float]:
    m = indicator.multiplier
    cap = 1.05 if indicator.may_exceed else 1.0
    if target is None:
        default = (0.90, 0.99) if indicator.better == "higher" else (0.01, 0.05)
        return DEFAULT_RATES.get(indicator.code, default)
    t = float(target.value) / m
    if target.upper is not None:  # a range: its middle, or above it for a shortfall
        middle = (t + float(target.upper) / m) / 2
        return (float(target.upper) / m * 1.1,) * 2 if short else (middle, middle)
    if target.comparator == "==":
        return t, t
    if target.comparator in (">=", ">"):
        return (t * 0.92, t * 0.97) if short else (t + 0.2 * max(cap - t, 0), max(t + 0.8 * (cap - t), t))
    return (t * 1.3, t * 1.7) if short else (t * 0.5, t * 0.875)


def _numerator(indicator: Indicator, count: Count, values: dict[str, Series], f: float, rng: random.Random) -> Series:
    """Rate × base, rounded on the running total so the year-to-date rate stays near ``f``."""
    num = indicator.numerator
    base = [sum(values[c][q] for c in indicator.denominator if c != num) for q in range(4)]
    if count.aggregation == "stock":  # reported as at the quarter's end: a slow rise
        return [round(f * (1 + 0.002 * q) * b) for q, b in enumerate(base)]
    selfref = num in indicator.denominator  # 废证率: voided ÷ (issued + voided)
    rates = [min(f * rng.uniform(0.99, 1.01), 0.95 if selfref else 10.0) for _ in range(4)]
    wanted = [r / (1 - r) * b if selfref else r * b for r, b in zip(rates, base, strict=True)]
    running = list(itertools.accumulate(wanted))
    return [round(running[q]) - (round(running[q - 1]) if q else 0) for q in range(4)]


def _bounds(indicator: Indicator, values: dict[str, Series], q: int) -> tuple[int, int]:
    num = indicator.numerator
    base = sum(values[c][q] for c in indicator.denominator if c != num)
    hi = base * 2 + 10 if indicator.may_exceed else base
    lo = 0
    for small, large in NESTED:
        if num == small and large in values:
            hi = min(hi, values[large][q])
        if num == large and small in values:
            lo = max(lo, values[small][q])
    return lo, hi


def _ytd_state(
    dictionary: IndicatorDictionary, indicator: Indicator, target: Target, values: dict[str, Series], q: int
) -> Attainment:
    quarters = [{c: values[c][k] for c in indicator.counts} for k in range(q + 1)]
    return attainment(target, indicator_value(indicator, sum_over_time(dictionary, quarters)))


def _settle(
    dictionary: IndicatorDictionary, indicator: Indicator, target: Target, values: dict[str, Series], want_met: bool
) -> None:
    """Move each quarter's numerator (bisection, within bounds) until the year-to-date
    attainment is as planned."""
    if target.comparator == "==" or target.upper is not None:
        return
    series = values[indicator.numerator]
    up = (target.comparator in (">=", ">")) == want_met
    for q in range(4):

        def ok(n: int, q: int = q) -> bool:
            series[q] = n
            state = _ytd_state(dictionary, indicator, target, values, q)
            return state is Attainment.NO_DATA or (state is Attainment.MET) == want_met

        lo, hi = _bounds(indicator, values, q)
        current = min(max(series[q], lo), hi)
        if ok(current):
            continue
        a, b = (current + 1, hi) if up else (lo, current - 1)
        if a > b or not ok(b if up else a):
            raise RuntimeError(f"cannot plant {indicator.code} for quarter {q + 1}: bounds {lo}–{hi}")
        while a < b:  # ok is monotone in n: the first ok going up, the last going down
            if up:
                mid = (a + b) // 2
                a, b = (a, mid) if ok(mid) else (mid + 1, b)
            else:
                mid = (a + b + 1) // 2
                a, b = (mid, b) if ok(mid) else (a, mid - 1)
        series[q] = a


def pick_shortfalls(
    units: Sequence[Unit], targets: dict[str, dict[str, Target]], indicators: Sequence[Indicator], *, seed: int, n: int
) -> list[tuple[str, str]]:
    """``n`` (unit name, indicator code) pairs, distinct units where possible."""
    codes = [i.code for i in indicators]
    rng = _rng(seed, "shortfalls")
    order = list(units)
    rng.shuffle(order)
    out: list[tuple[str, str]] = []
    for k, unit in enumerate(itertools.islice(itertools.cycle(order), n)):
        own = [c for c in codes if c in targets.get(unit.name, {}) and (unit.name, c) not in out]
        if own:
            out.append((unit.name, own[_rng(seed, unit.name, k).randrange(len(own))]))
    return out


def pick_zero(units: Sequence[Unit], counts: Sequence[Count], *, seed: int) -> tuple[str, int, str] | None:
    """(unit name, quarter, count code) of the one planted zero denominator."""
    codes = {c.code for c in counts}
    code = next((c for c in ZERO_CANDIDATES if c in codes), None)
    if code is None or not units:
        return None
    return units[_rng(seed, "zero").randrange(len(units))].name, ZERO_QUARTER, code


def synthetic_year(
    year: int,
    units: Sequence[Unit],
    dictionary: IndicatorDictionary,
    indicators: Sequence[Indicator],
    targets: dict[str, dict[str, Target]],
    *,
    seed: int,
    shortfalls: int | Sequence[tuple[str, str]] = 3,
    zero_denominator: bool = True,
) -> dict[Period, PeriodResults]:
    """Four quarters of invented counts for ``units``: see the module docstring."""
    counts = required_counts(dictionary, indicators)
    if isinstance(shortfalls, int):
        shortfalls = pick_shortfalls(units, targets, indicators, seed=seed, n=shortfalls)
    planted = set(shortfalls)
    codes = {i.code for i in indicators}
    aimless = sorted(p for p in planted if p[1] not in codes or p[1] not in targets.get(p[0], {}))
    if aimless:
        raise ValueError(f"a shortfall needs a target for that unit and indicator: {aimless}")
    numerators = {i.numerator for i in indicators}
    zero = pick_zero(units, [c for c in counts if c.code not in numerators], seed=seed) if zero_denominator else None
    per_unit: dict[str, dict[str, Series]] = {}
    for unit in units:
        size = _size(unit, seed)
        values: dict[str, Series] = {}
        births = _base("live_births", dictionary.counts["live_births"], _rng(seed, unit.name, "live_births"), size, [])
        for count in counts:
            if count.code not in numerators:
                rng = _rng(seed, unit.name, count.code)
                values[count.code] = (
                    births if count.code == "live_births" else _base(count.code, count, rng, size, births)
                )
        if zero and zero[0] == unit.name:
            values[zero[2]][zero[1] - 1] = 0
        pending = list(indicators)
        while pending:
            ready = [i for i in pending if all(c in values for c in i.denominator if c != i.numerator)]
            if not ready:
                raise ValueError(f"indicators depend on each other in a cycle: {[i.code for i in pending]}")
            indicator = ready[0]
            pending.remove(indicator)
            if indicator.numerator in values:
                continue
            target = targets.get(unit.name, {}).get(indicator.code)
            short = (unit.name, indicator.code) in planted
            rng = _rng(seed, unit.name, indicator.numerator)
            f = rng.uniform(*_rate_range(indicator, target, short))
            series = _numerator(indicator, dictionary.counts[indicator.numerator], values, f, rng)
            values[indicator.numerator] = series
            for q in range(4):
                lo, hi = _bounds(indicator, values, q)
                series[q] = min(max(series[q], lo), hi)
            if target is not None:
                _settle(dictionary, indicator, target, values, want_met=not short)
        per_unit[unit.name] = values
    return {
        Period(year, q): PeriodResults(
            Period(year, q), {u.name: {c.code: per_unit[u.name][c.code][q - 1] for c in counts} for u in units}
        )
        for q in range(1, 5)
    }


_FIRST = "安白宝长东丰福高广海河华怀嘉金靖乐临龙满宁平清瑞寿泰桐万武西兴阳永玉云泽昭"
_SECOND = "城川丰和湖江康林陵宁平泉山水台阳州源安德"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = ("建国", "海燕", "立新", "秀英", "志强", "丽华", "文静", "国华", "晓明", "玉兰", "红梅", "春生")


def synthetic_units(n: int) -> list[Unit]:
    """``n`` invented member units (××县妇幼保健所 …) with distinct names and pinyin slugs."""
    stems = [a + b for a in _FIRST for b in _SECOND if a != b]
    _rng("units").shuffle(stems)
    out: list[Unit] = []
    slugs: set[str] = set()
    for stem in stems:
        if len(out) == n:
            break
        kind = "县" if len(out) % 3 != 2 else "区"
        name = f"{stem}{kind}妇幼保健所"
        if slug(name) in slugs:
            continue  # homophones would share an output file name
        slugs.add(slug(name))
        person = _SURNAMES[len(out) % len(_SURNAMES)] + _GIVEN[len(out) % len(_GIVEN)]
        out.append(Unit(名称=name, 简称=f"{stem}所", 法定代表人=person, 地址=f"{stem}{kind}（虚构）"))
    if len(out) < n:
        raise ValueError(f"at most {len(out)} synthetic units can be named")
    return out


def write_results_csv(target: Path, results: PeriodResults, counts: Sequence[Count], *, note: str) -> Path:
    """The quarter as CSV (UTF-8 with BOM, for Excel): ``#`` comment lines, then a
    header 单位名称, 活产数（人） …, one row per unit; a missing value is left empty."""
    buffer = io.StringIO()
    buffer.write(f"# {NOTE}\n")
    for line in note.splitlines():
        buffer.write(f"# {line}\n" if line.strip() else "#\n")
    buffer.write(f"# 期间：{results.period}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["单位名称", *(f"{c.name}（{c.measure}）" for c in counts)])
    for unit, row in results.counts.items():
        writer.writerow([unit, *("" if row.get(c.code) is None else row[c.code] for c in counts)])
    with atomic_path(target) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return Path(target)


def split_strata(
    year: dict[Period, PeriodResults],
    split: Split,
    targets: dict[str, dict[str, Target]],
    *,
    seed: int,
    shortfalls: Sequence[tuple[str, str]] = (),
) -> dict[Period, PeriodResults]:
    """``year`` with every split count also given per stratum (what a stratified form
    collects): a denominator divided by a share fixed per unit, so the strata add up to
    the total; a stratified indicator's numerator drawn per stratum against that
    stratum's target (``targets``: unit → stratum indicator code → target), missed year
    to date for the (unit, stratum indicator) pairs in ``shortfalls``."""
    numerators = {ind.numerator for parts in split.indicators.values() for ind in parts}
    out: dict[Period, PeriodResults] = {}
    for period, results in year.items():
        counts: dict[str, dict[str, int | None]] = {}
        for unit, own in results.counts.items():
            row = dict(own)
            for total, parts in split.counts.items():
                if any(p in numerators for p in parts) or own.get(total) is None:
                    continue
                shares = _shares(seed, unit, len(parts))
                values = [round(own[total] * s) for s in shares[:-1]]  # type: ignore[operator]
                row.update(zip(parts, [*values, own[total] - sum(values)], strict=True))  # type: ignore[operator]
            for strata in split.indicators.values():
                for ind in strata:
                    target = targets.get(unit, {}).get(ind.code)
                    f = _rng(seed, unit, ind.code).uniform(*_rate_range(ind, target, (unit, ind.code) in shortfalls))
                    den = sum(row.get(c) or 0 for c in ind.denominator if c != ind.numerator)
                    row[ind.numerator] = min(round(den * f), den * 2 + 10 if ind.may_exceed else den)
            for total, parts in split.counts.items():
                if any(p in numerators for p in parts):
                    row[total] = sum(row[p] or 0 for p in parts)
            counts[unit] = row
        out[period] = PeriodResults(period, counts)
    return out


def _shares(seed: int, unit: str, n: int) -> list[float]:
    """Each stratum's share of a unit's population, fixed across quarters and counts."""
    rng = _rng(seed, unit, "strata")
    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
    return [w / sum(weights) for w in weights]
