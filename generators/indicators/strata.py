"""Stratified targets (早孕建卡率：农村达到45%、城市达到70%): one target per stratum.

In: a phrase and the strata a book declares (城市/农村 unless it declares its own).
Out: a ``Stratified`` target, and for the quarter's data a dictionary in which every
stratified indicator has one indicator per stratum (早孕建册率（农村）) over counts per
stratum (活产数（农村）).  The unstratified count is the sum of its strata, so it is
never collected twice; everything downstream (assessment, tables, forms) works on the
per-stratum indicators like on any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generators.core.errors import InputError, Where
from generators.core.names import slug
from generators.core.script import to_simplified
from generators.indicators.dictionary import Better, Count, Indicator, IndicatorDictionary
from generators.indicators.model import PeriodResults, bounded_pairs
from generators.indicators.targets import Target, parse_target

DEFAULT_STRATA = ("城市", "农村")
_SEPARATORS = re.compile(r"[、，,；;]")
_AFTER_NAME = "：:"


@dataclass(frozen=True)
class Stratified:
    """Targets per stratum, in the order written: (("农村", ≥45%), ("城市", ≥70%))."""

    text: str
    parts: tuple[tuple[str, Target], ...]

    @property
    def strata(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.parts)


AnyTarget = Target | Stratified


def _stratum(part: str, strata: Sequence[str]) -> str | None:
    folded = to_simplified(part)
    for name in sorted(strata, key=len, reverse=True):
        if folded.startswith(to_simplified(name)):
            return name
    return None


def _unknown_word(part: str, better: Better | None) -> str | None:
    """The word before a phrase that parses (山区 in 山区达到45%), or None (also when
    the part is a target by itself: 达到45% has no stratum word)."""
    for k in range(0, len(part)):
        try:
            parse_target(part[k:].lstrip(_AFTER_NAME), better=better)
        except InputError:
            continue
        return part[:k] or None
    return None


def looks_stratified(text: str, strata: Sequence[str]) -> bool:
    """A phrase with a part that starts with a stratum's name (农村达到45%…), or
    several parts that each are a word and a target (山区达到45%、城市达到70%)."""
    if not isinstance(text, str):
        return False
    pieces = [p for p in _SEPARATORS.split("".join(text.split()).strip("。；;")) if p]
    if any(_stratum(p, strata) is not None for p in pieces):
        return True
    return len(pieces) > 1 and all(_unknown_word(p, None) for p in pieces)


def parse_goal(
    text: str, *, strata: Sequence[str] = DEFAULT_STRATA, better: Better | None = None, **where: object
) -> AnyTarget:
    """A target phrase, stratified when it starts with a stratum's name; every stratum
    of ``strata`` must then have exactly one target.  ``where``: file, line, field."""
    at = Where(**where)  # type: ignore[typeddict-item]
    if not looks_stratified(text, strata):
        return parse_target(text, better=better, **at)
    written = "".join(text.split()).strip("。；;")
    parts: list[tuple[str, Target]] = []
    for piece in _SEPARATORS.split(written):
        if not piece:
            continue
        name = _stratum(piece, strata)
        if name is None:
            word = _unknown_word(piece, better)
            listed = "、".join(strata)
            head = f"分层目标“{text.strip()}”中的"
            if word is not None:
                message = f"{head}“{word}”不是分层名称（本责任书的分层：{listed}；另有分层请在“分层”中列出）"
            else:
                message = f"{head}“{piece}”无法识别：每一项应写成分层名称加目标，如“{strata[0]}达到70%”"
            raise InputError(message, **at)
        if name in dict(parts):
            raise InputError(f"分层目标“{text.strip()}”中“{name}”出现了两次", **at)
        rest = piece[len(name) :].lstrip(_AFTER_NAME)
        try:
            parts.append((name, parse_target(rest, better=better, **at)))
        except InputError as exc:
            raise InputError(f"分层目标“{text.strip()}”中{name}的目标：{exc.message}", **at) from None
    missing = [s for s in strata if s not in dict(parts)]
    if missing:
        raise InputError(
            f"分层目标“{text.strip()}”缺少“{'、'.join(missing)}”的目标：分层（{'、'.join(strata)}）每层都要写目标",
            **at,
        )
    return Stratified(text.strip(), tuple(parts))


# --- the quarter's data, per stratum --------------------------------------------


def stratum_code(code: str, strata: Sequence[str], stratum: str) -> str:
    """live_births, 农村 → live_births__s2_nong_cun (the index keeps homophones apart)."""
    return f"{code}__s{list(strata).index(stratum) + 1}_{slug(stratum).replace('-', '_')}"


@dataclass(frozen=True)
class Split:
    """A dictionary with per-stratum counts and indicators added."""

    dictionary: IndicatorDictionary
    strata: tuple[str, ...]
    indicators: dict[str, tuple[Indicator, ...]]  # stratified indicator code → one per stratum
    counts: dict[str, tuple[str, ...]]  # split count code → its stratum codes (summed for the total)
    base: dict[str, tuple[str, str]]  # stratum indicator code → (indicator code, stratum)

    def expand(self, indicators: Sequence[Indicator]) -> list[Indicator]:
        """Each stratified indicator replaced by its strata, in place."""
        return [s for ind in indicators for s in self.indicators.get(ind.code, (ind,))]


def split_dictionary(dictionary: IndicatorDictionary, codes: Sequence[str], strata: Sequence[str]) -> Split:
    """Per-stratum counts and indicators for the indicators ``codes``."""
    counts = dict(dictionary.counts)
    indicators = dict(dictionary.indicators)
    split_counts: dict[str, tuple[str, ...]] = {}
    per_indicator: dict[str, tuple[Indicator, ...]] = {}
    base: dict[str, tuple[str, str]] = {}
    for code in codes:
        ind = dictionary.indicators[code]
        for count_code in ind.counts:
            if count_code in split_counts:
                continue
            count = dictionary.counts[count_code]
            split_counts[count_code] = tuple(stratum_code(count_code, strata, s) for s in strata)
            for s in strata:
                new = _stratum_count(count, s, stratum_code(count_code, strata, s))
                counts[new.code] = new
        made = []
        for s in strata:
            new_ind = ind.model_copy(
                update={
                    "code": stratum_code(code, strata, s),
                    "name": f"{ind.name}（{s}）",
                    "aliases": tuple(f"{a}（{s}）" for a in ind.aliases),
                    "numerator": stratum_code(ind.numerator, strata, s),
                    "denominator": tuple(stratum_code(c, strata, s) for c in ind.denominator),
                }
            )
            indicators[new_ind.code] = new_ind
            base[new_ind.code] = (code, s)
            made.append(new_ind)
        per_indicator[code] = tuple(made)
    return Split(
        IndicatorDictionary(counts=counts, indicators=indicators),
        tuple(strata),
        per_indicator,
        split_counts,
        base,
    )


def _stratum_count(count: Count, stratum: str, code: str) -> Count:
    aliases = tuple(f"{a}（{stratum}）" for a in count.aliases)
    return count.model_copy(update={"code": code, "name": f"{count.name}（{stratum}）", "aliases": aliases})


def form_counts(split: Split, needed: Sequence[Count]) -> list[Count]:
    """The counts a form collects: a split count's strata instead of the count itself
    (in the place of the count, so 活产数（城市） stands where 活产数 stood)."""
    out: dict[str, Count] = {}
    parts_of = {p: total for total, parts in split.counts.items() for p in parts}
    for count in needed:
        total = parts_of.get(count.code, count.code)
        for code in split.counts.get(total, (total,)):
            out.setdefault(code, split.dictionary.counts[code])
    return list(out.values())


def with_totals(counts: Mapping[str, Mapping[str, int | None]], split: Split) -> dict[str, dict[str, int | None]]:
    """Each unit's counts with every split count's total: the sum of its strata, or
    None when a stratum was left blank."""
    out: dict[str, dict[str, int | None]] = {}
    for unit, own in counts.items():
        row = dict(own)
        for total, parts in split.counts.items():
            values = [own.get(p) for p in parts]
            if total not in own or own.get(total) is None:
                row[total] = None if any(v is None for v in values) else sum(v for v in values if v is not None)
        out[unit] = row
    return out


def check_total_bounds(
    results: PeriodResults, split: Split, indicators: Sequence[Indicator], names: Mapping[str, str]
) -> None:
    """Numerator ≤ denominator for the indicators that use a split count's total (the
    form reader checks only what the form holds: 孕产妇系统管理人数 against 活产数
    （城市）+（农村） is checked here).  InputError naming the unit and the cells."""
    split_totals = set(split.counts)
    for ind, num, dens in bounded_pairs(indicators):
        if not ({num, *dens} & split_totals):
            continue
        for unit, own in results.counts.items():
            value, parts = own.get(num), [own.get(d) for d in dens]
            if value is None or any(p is None for p in parts):
                continue
            total = sum(p for p in parts if p is not None)
            if value > total:
                den = "与".join(f"“{names[d]}”" for d in dens)
                where = "、".join(
                    results.cells[(unit, c)] for code in (num, *dens) for c in split.counts.get(code, (code,))
                    if (unit, c) in results.cells
                )  # fmt: skip
                message = (
                    f"“{unit}”的“{names[num]}”为 {value}，大于{den}（各层之和）{total}："
                    f"指标“{ind.name}”的分子不能大于分母，请核对（{where}）"
                )
                raise InputError(message, file=results.source)
