"""Quarterly supervision (督导): one YAML per year → for each quarter a 通报 (DOCX,
PDF), a feedback sheet per unit (督导反馈意见), the statistical table (XLSX) and a
blank fill-in form (XLSX).

Every quarter's results are read and checked while planning, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

import generators.kinds.circular as circular
from generators.core.errors import InputError, Where
from generators.core.fields import Date, Strict, Text, TextList
from generators.core.yamlsrc import Located, validate
from generators.indicators.dictionary import Count, Indicator, IndicatorDictionary, load_dictionary
from generators.indicators.model import PeriodResults, required_counts
from generators.indicators.period import Period, parse_period
from generators.indicators.scoring import Rule, RuleError, parse_method
from generators.indicators.strata import (
    AnyTarget,
    Split,
    Stratified,
    check_total_bounds,
    form_counts,
    split_dictionary,
    with_totals,
)
from generators.indicators.targets import Target
from generators.kinds.supervision_notes import consistency_notes
from generators.kinds.supervision_previous import read_previous_year, resolve_relative
from generators.kinds.target_book import TargetBook, load_book, unit_targets
from generators.sheets.forms import read_results
from generators.sheets.ledger import LedgerItem, read_ledger


class FrameIn(circular.FrameIn):
    """The 公文 parts shared by the year's 通报 (same keys as a circular)."""

    kind: Text = Field("通报", alias="文种")


class QuarterIn(Strict):
    period: str = Field(alias="期间")
    data: Text = Field(alias="数据")  # results file (.csv or .xlsx), relative to the YAML
    # 发文字号 sequence (the year is the report date's), or auto: the registry's next.
    sequence: Annotated[int, Field(gt=0)] | Literal["auto"] = Field(alias="序号")
    date: Date = Field(alias="成文日期")
    visit: Text = Field(alias="督导时间")  # 2012年4月11日至18日
    report_date: Date | None = Field(None, alias="报出日期")  # of the statistical table
    # The previous quarter's 整改台账 as the units filled it in (its closed items leave
    # this quarter's problem list, the open ones are carried forward).
    ledger: str | None = Field(None, alias="整改台账")


class SupervisionIn(Strict):
    year: int = Field(alias="年份", ge=1949, le=2100)
    book: Text = Field(alias="责任书")  # the year's target book (units and targets)
    indicators_file: str | None = Field(None, alias="指标文件")
    frame: FrameIn = Field(alias="公文")
    methods: Text = Field("听取汇报、查阅资料、现场考核", alias="督导方式")
    # 主要指标: the statistical table's columns and the chart's bars (% ones); all if empty.
    main_indicators: list[Text] = Field(default_factory=list, alias="主要指标")
    next_steps: TextList = Field(alias="下一步工作")
    rectification: TextList = Field(alias="整改要求")  # on each unit's feedback sheet
    reporter: Text = Field(alias="填表人")
    # Folder of the previous year's results (2011Q1.csv …): 同比 and relative targets.
    previous: str | None = Field(None, alias="上年数据")
    quarters: list[QuarterIn] = Field(alias="季度", min_length=1, max_length=4)

    @model_validator(mode="after")
    def _distinct(self) -> SupervisionIn:
        seen = [q.period.strip().upper() for q in self.quarters]
        if len(set(seen)) != len(seen):
            raise ValueError("季度重复")
        return self


@dataclass(frozen=True)
class Quarter:
    spec: QuarterIn
    period: Period
    results: PeriodResults
    data_path: Path
    ledger: tuple[LedgerItem, ...] | None = None  # the previous quarter's, filled in


@dataclass(frozen=True)
class Supervision:
    spec: SupervisionIn
    book: TargetBook
    dictionary: IndicatorDictionary
    indicators: tuple[Indicator, ...]
    targets: dict[str, dict[str, Target]]  # unit name → indicator code → target
    group_targets: dict[str, Target]
    quarters: tuple[Quarter, ...]
    source: Located
    rules: tuple[Rule, ...] = ()  # the book's 评分 (none: no scores in the 通报)
    bonus_cap: Fraction | None = None
    split: Split | None = None  # per-stratum indicators of stratified targets
    previous: dict[Period, PeriodResults] = field(default_factory=dict)  # the year before's quarters

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.book.units)

    @property
    def main_indicators(self) -> tuple[Indicator, ...]:
        if not self.spec.main_indicators:
            return self.indicators
        codes = {self.dictionary.require(name).code for name in self.spec.main_indicators}
        base = self.split.base if self.split else {}
        return tuple(ind for ind in self.indicators if ind.code in codes or base.get(ind.code, ("",))[0] in codes)

    def last_year(self, period: Period) -> PeriodResults | None:
        """The same quarter of the previous year, when its results were given."""
        return self.previous.get(Period(period.year - 1, period.quarter))

    def results_by_period(self) -> dict[Period, PeriodResults]:
        return {q.period: q.results for q in self.quarters}


def book_targets(book: TargetBook) -> dict[str, AnyTarget]:
    """The group-wide target of every indicator the book assesses, in book order."""
    out: dict[str, AnyTarget] = {}
    for goals in book.goals:
        for goal in goals:
            out.update(zip(goal.codes, goal.targets, strict=True))
    return out


def book_split(book: TargetBook, dictionary: IndicatorDictionary) -> Split:
    """Per-stratum indicators and counts for the book's stratified targets."""
    stratified = [code for code, t in book_targets(book).items() if isinstance(t, Stratified)]
    return split_dictionary(dictionary, stratified, book.spec.strata_names)


def flat_targets(targets: dict[str, AnyTarget], split: Split) -> dict[str, Target]:
    """A stratified target as one target per stratum indicator."""
    out: dict[str, Target] = {}
    for code, target in targets.items():
        if isinstance(target, Stratified):
            parts = dict(target.parts)
            out.update({ind.code: parts[split.base[ind.code][1]] for ind in split.indicators[code]})
        else:
            out[code] = target
    return out


def plain_targets(book: TargetBook) -> dict[str, dict[str, Target]]:
    """Each unit's targets that need neither strata nor the previous year (for
    synthetic data: a relative target has no base there)."""
    return {
        u.name: {c: t for c, t in unit_targets(book, u).items() if isinstance(t, Target) and not t.unresolved}
        for u in book.units
    }


@dataclass(frozen=True)
class BookPlan:
    """What a year of synthetic results needs from a book."""

    split: Split
    indicators: list[Indicator]  # the book's, unstratified
    targets: dict[str, dict[str, Target]]  # unit → code → target, strata by stratum code; no relative ones
    counts: list[Count]  # what the form collects


def book_plan(book: TargetBook) -> BookPlan:
    """The book's indicators, targets and form counts for ``generators.cli.synthetic``."""
    split = book_split(book, book.dictionary)
    indicators = [book.dictionary.indicators[code] for code in book_targets(book)]
    targets = {
        u.name: {c: t for c, t in flat_targets(unit_targets(book, u), split).items() if not t.unresolved}
        for u in book.units
    }
    counts = form_counts(split, required_counts(split.dictionary, split.expand(indicators)))
    return BookPlan(split, indicators, targets, counts)


def book_counts(book_path: Path) -> tuple[TargetBook, list[Indicator], list[Count]]:
    """A book's assessed indicators (one per stratum for a stratified target) and the
    counts a quarter's form collects for them (with the book's own 指标文件, if any)."""
    book = load_book(book_path)
    split = book_split(book, book.dictionary)
    indicators = split.expand([book.dictionary.indicators[code] for code in book_targets(book)])
    return book, indicators, form_counts(split, required_counts(split.dictionary, indicators))


def load_supervision(located: Located) -> Supervision:

    spec = validate(SupervisionIn, located)
    book = load_book(located.named_file(spec.book, ("责任书",)))
    dictionary = (
        load_dictionary(located.named_file(spec.indicators_file, ("指标文件",)))
        if spec.indicators_file
        else book.dictionary
    )
    group_targets = book_targets(book)
    unknown = [code for code in group_targets if code not in dictionary.indicators]
    if unknown:
        raise InputError(
            f"责任书中的指标 {'、'.join(unknown)} 不在此处的“指标文件”中；请用责任书的指标文件，或删去“指标文件”一行",
            file=located.file,
            line=located.line_of(("指标文件",)),
            field="指标文件",
        )
    split = book_split(book, dictionary)
    dictionary = split.dictionary
    indicators = tuple(split.expand([dictionary.indicators[code] for code in group_targets]))
    for i, name in enumerate(spec.main_indicators):
        where: Where = {"file": located.file, "line": located.line_of(("主要指标", i)), "field": f"主要指标[{i + 1}]"}
        found = dictionary.require(name, **where)
        if found.code not in group_targets and found.code not in split.base:
            raise InputError(f"“{name}”不是责任书中的考核指标", **where)
    counts = form_counts(split, required_counts(dictionary, indicators))
    quarters: list[Quarter] = []
    for i, q in enumerate(spec.quarters):
        line = located.line_of(("季度", i, "期间"))
        period = parse_period(q.period, file=located.file, line=line)
        if period.year != spec.year:
            raise InputError(f"期间 {period} 不在 {spec.year} 年", file=located.file, line=line)
        data = located.named_file(q.data, ("季度", i, "数据"))
        results = read_results(data, period, list(book.units), counts, list(indicators))
        results = replace(results, counts=with_totals(results.counts, split))
        check_total_bounds(results, split, indicators, {c.code: c.name for c in dictionary.counts.values()})
        ledger = tuple(read_ledger(located.named_file(q.ledger, ("季度", i, "整改台账")))) if q.ledger else None
        quarters.append(Quarter(q, period, results, data, ledger))
    quarters.sort(key=lambda q: q.period)
    for quarter in quarters:
        for p in quarter.period.year_to_date:
            if p not in {x.period for x in quarters}:
                raise InputError(
                    f"{quarter.period} 的累计数需要 {p} 的数据，请在“季度”中列出 {p}",
                    file=located.file,
                    line=located.line_of(("季度",)),
                )
    previous = None
    if spec.previous:
        folder = located.named_file(spec.previous, ("上年数据",))
        if not folder.is_dir():
            raise InputError("“上年数据”应为文件夹（内有上年各季度的数据文件，如 2011Q1.csv）",
                             file=located.file, line=located.line_of(("上年数据",)), field="上年数据")  # fmt: skip
        previous = read_previous_year(folder, spec.year - 1, book.units, counts, indicators, split)
    targets, flat_group = resolve_relative(
        {u.name: flat_targets(unit_targets(book, u), split) for u in book.units},
        flat_targets(group_targets, split),
        dictionary=dictionary,
        previous=previous,
        year=spec.year,
        supervision_file=located.file,
    )
    consistency_notes(spec, located, book, [(q.spec, q.period, q.results) for q in quarters], previous)
    return Supervision(
        spec=spec,
        book=book,
        dictionary=dictionary,
        indicators=indicators,
        targets=targets,
        group_targets=flat_group,
        quarters=tuple(quarters),
        source=located,
        rules=scoring_rules(book, dictionary, {ind.code for ind in indicators}, split),
        bonus_cap=None if (cap := book.spec.assessment.bonus_cap) is None else Fraction(cap),
        split=split,
        previous=previous or {},
    )


def scoring_rules(
    book: TargetBook, dictionary: IndicatorDictionary, assessed: set[str], split: Split | None = None
) -> tuple[Rule, ...]:
    """The book's 评分 rules, each indicator found in the dictionary and assessed by the book
    (a stratified indicator by stratum: 早孕建册率（农村）)."""
    rules = []
    for i, rule in enumerate(book.spec.assessment.scoring):
        loc = ("考核与奖惩", "评分", i)
        where: Where = {
            "file": book.source.file,
            "line": book.source.line_of((*loc, "方法")),
            "field": f"考核与奖惩.评分[{i + 1}]",
        }
        indicator = dictionary.require(rule.indicator, **where)
        if split is not None and indicator.code in split.indicators:
            names = "、".join(f"“{i.name}”" for i in split.indicators[indicator.code])
            raise InputError(f"“{rule.indicator}”按分层考核，评分请按分层写：{names}", **where)
        if indicator.code not in assessed:
            raise InputError(f"“{rule.indicator}”不是责任书的考核指标，不能评分", **where)
        try:
            method, per, deduct = parse_method(rule.method)
        except RuleError as exc:
            raise InputError(str(exc), **where) from None
        if method not in ("一票否决",) and rule.points is None:
            raise InputError(f"“{rule.indicator}”的评分方法是{method}，须写“分值”", **where)
        rules.append(Rule(indicator.code, method, Fraction(rule.points or 0), per, deduct))
    return tuple(rules)


def report_date(q: Quarter) -> dt.date:
    """报出日期 of the statistical table: given, or the 10th of the month after the quarter."""
    if q.spec.report_date:
        return q.spec.report_date
    month = q.period.quarter * 3 + 1
    return dt.date(q.period.year + (month > 12), (month - 1) % 12 + 1, 10)
