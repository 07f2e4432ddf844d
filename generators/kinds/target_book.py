"""目标管理责任书 (target responsibility books): one book per member unit.

Input is structured YAML (targets per indicator, deposit, weights, signing parties);
wording comes from the plain-text Jinja2 templates in templates/target_book/ (see
target_wording), so an office can rephrase without touching Python.  Every target is parsed and checked
against the indicator dictionary when the book is loaded, before anything is written.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from pydantic import BeforeValidator, Field, model_validator

from generators.core.errors import InputError, Where
from generators.core.fields import Date, Strict, Text, TextList, TitleLines
from generators.core.names import pinyin_key, slug
from generators.core.yamlsrc import Loc, Located, field_path, one_line, read_yaml, validate
from generators.document.model import Block, Document, Meta, Paragraph, SignatureBlock
from generators.indicators.dictionary import Indicator, IndicatorDictionary, default_dictionary, load_dictionary
from generators.indicators.strata import DEFAULT_STRATA, AnyTarget, Stratified, parse_goal
from generators.indicators.targets import check_unit
from generators.indicators.units import Unit, find_unit, is_units_file, load_units
from generators.kinds.jobs import Job
from generators.kinds.target_wording import Clauses, clause, render, render_sentence

_CODE = re.compile(r"[a-z][a-z0-9_]*")  # an indicator given by code is shown by name


class TargetIn(Strict):
    """指标 (one or more names or codes) and 目标 (one shared phrase, or one each)."""

    indicators: TextList = Field(alias="指标", min_length=1)
    name: str | None = Field(None, alias="名称")  # as the sentence writes it
    targets: TextList = Field(alias="目标", min_length=1)

    @model_validator(mode="after")
    def _one_or_each(self) -> TargetIn:
        n, m = len(self.indicators), len(self.targets)
        if m not in (1, n):
            raise ValueError(f"列出 {n} 个指标，却有 {m} 个目标：应为 1 个（共用）或每个指标 1 个")
        return self


def _plain(value: Any) -> Any:
    return {"文字": value} if isinstance(value, str) else value


class ItemIn(Strict):
    """A plain 文字, or a 句式 (Jinja2 text using {{ 目标 }}) with structured 目标."""

    text: str | None = Field(None, alias="文字")
    sentence: str | None = Field(None, alias="句式")
    targets: list[TargetIn] = Field(default_factory=list, alias="目标")

    @model_validator(mode="after")
    def _one_form(self) -> ItemIn:
        if (self.text is None) == (self.sentence is None):
            raise ValueError("条目须有“文字”或“句式”之一（二者只能写一个）")
        if self.sentence is not None and not self.targets:
            raise ValueError("写了“句式”就要列出“目标”")
        if self.text is not None and self.targets:
            raise ValueError("“目标”只能配“句式”使用（句式中用 {{ 目标 }} 写出目标）")
        return self


class TasksIn(Strict):
    intro: str | None = Field(None, alias="导语")
    items: list[Annotated[ItemIn, BeforeValidator(_plain)]] = Field(alias="条目", min_length=1)


class ScoreRuleIn(Strict):
    """One 评分 rule: indicator, points, method (indicators.scoring reads the method)."""

    indicator: Text = Field(alias="指标")
    points: Decimal | None = Field(None, alias="分值", ge=0, le=1000)
    method: Text = Field(alias="方法")


class AssessmentIn(Strict):
    deposit: int = Field(alias="抵押金", gt=0)  # 元/人
    half_year: int = Field(alias="半年占比", ge=0, le=100)  # percent of the score
    year_end: int = Field(alias="年终占比", ge=0, le=100)
    rule: Text = Field(alias="奖惩办法")
    scoring: list[ScoreRuleIn] = Field(default_factory=list, alias="评分")  # scores in the 通报
    bonus_cap: Decimal | None = Field(None, alias="加分上限", ge=0)

    @model_validator(mode="after")
    def _weights(self) -> AssessmentIn:
        if self.half_year + self.year_end != 100:
            raise ValueError(f"半年占比与年终占比之和应为 100，实际是 {self.half_year + self.year_end}")
        return self


class BookIn(Strict):
    """What a clerk writes for one year's book (see docs/target_book.md)."""

    year: int = Field(alias="年份", ge=1949, le=2100)
    group: Text = Field(alias="集团")
    date: Date = Field(alias="日期")
    title: TitleLines = Field(alias="标题")
    units_file: Text = Field(alias="成员单位")
    order: Literal["输入顺序", "拼音"] = Field("输入顺序", alias="排序")
    indicators_file: str | None = Field(None, alias="指标文件")
    preamble: TextList = Field(alias="前言")
    duties: list[Text] = Field(alias="组织管理及职责", min_length=1)
    tasks: TasksIn = Field(alias="工作任务及目标")
    assessment: AssessmentIn = Field(alias="考核与奖惩")
    parties: list[Text] = Field(alias="签字", min_length=1)
    overrides: dict[str, dict[str, Text]] = Field(default_factory=dict, alias="单位目标")
    # Strata a stratified target (农村达到45%、城市达到70%) is written for; 城市、农村 if omitted.
    strata: list[Text] | None = Field(None, alias="分层", min_length=2)

    @model_validator(mode="after")
    def _distinct_strata(self) -> BookIn:
        if self.strata is not None and len(set(self.strata)) != len(self.strata):
            raise ValueError("分层名称重复")
        return self

    @property
    def strata_names(self) -> tuple[str, ...]:
        return tuple(self.strata) if self.strata else DEFAULT_STRATA


@dataclass(frozen=True)
class Goal:
    """One target entry: the name as written, its indicator codes, one Target per code."""

    name: str
    codes: tuple[str, ...]
    targets: tuple[AnyTarget, ...]


@dataclass(frozen=True)
class TargetBook:
    """A loaded, checked book: the input, its units in output order, resolved targets."""

    spec: BookIn
    units: tuple[Unit, ...]
    goals: tuple[tuple[Goal, ...], ...]  # per 条目; empty for plain text
    overrides: dict[str, dict[str, AnyTarget]]  # unit name → indicator code → target
    source: Located
    dictionary: IndicatorDictionary  # what the targets were checked against (its 指标文件 included)


# --- loading -------------------------------------------------------------------


def _error(source: Located, message: str, loc: Loc) -> InputError:
    return InputError(message, file=source.file, line=source.line_of(loc), field=field_path(loc))


def _where(source: Located, loc: Loc) -> Where:
    """File, line and field of ``loc``, for the indicator and target checks."""
    return Where(file=source.file, line=source.line_of(loc), field=field_path(loc))


def _goal(text: str, indicator: Indicator, strata: tuple[str, ...], at: Where) -> AnyTarget:
    """One target phrase (stratified or not), its unit checked against the indicator."""
    target = parse_goal(text, strata=strata, better=indicator.better, **at)
    for part in target.parts if isinstance(target, Stratified) else (("", target),):
        check_unit(part[1], indicator, **at)
    return target


def _resolve_goal(entry: TargetIn, loc: Loc, source: Located, d: IndicatorDictionary, strata: tuple[str, ...]) -> Goal:
    codes, names, targets = [], [], []
    for k, key in enumerate(entry.indicators):
        at = _where(source, (*loc, "指标", k) if len(entry.indicators) > 1 else (*loc, "指标"))
        indicator = d.require(key, **at)
        text = entry.targets[k if len(entry.targets) > 1 else 0]
        at = _where(source, (*loc, "目标", k) if len(entry.targets) > 1 else (*loc, "目标"))
        target = _goal(text, indicator, strata, at)
        codes.append(indicator.code)
        names.append(indicator.name if _CODE.fullmatch(key) else key)
        targets.append(target)
    return Goal(entry.name or "、".join(names), tuple(codes), tuple(targets))


def _key_line(source: Located, loc: Loc) -> int | None:
    """Line of a mapping key: yamlsrc records where the value starts, which for a block
    mapping (单位目标 → unit → indicators) is the line after the key."""
    line = source.line_of(loc)
    if line is None:
        return None
    raw = source.file.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # as yamlsrc.decode_yaml read it
        try:
            lines = raw.decode(encoding).splitlines()
            break
        except UnicodeDecodeError:
            continue
    else:
        return line
    for n in range(line, max(line - 3, 0), -1):
        if f"{loc[-1]}:" in lines[n - 1].replace("：", ":"):
            return n
    return line


def _resolve_overrides(
    spec: BookIn, units: list[Unit], goals: list[tuple[Goal, ...]], source: Located, d: IndicatorDictionary
) -> dict[str, dict[str, AnyTarget]]:
    group = {code: t for item in goals for goal in item for code, t in zip(goal.codes, goal.targets, strict=True)}
    out: dict[str, dict[str, AnyTarget]] = {}
    for key, changes in spec.overrides.items():
        unit = find_unit(units, key)
        if unit is None:
            hint = difflib.get_close_matches(key, [u.name for u in units], n=1, cutoff=0.5)
            tip = f"，是否应为“{hint[0]}”？" if hint else f"（成员单位见 {spec.units_file}）"
            message = f"单位目标中的“{key}”不是成员单位{tip}"
            raise InputError(message, file=source.file, line=_key_line(source, ("单位目标", key)))
        if unit.name in out:
            message = f"单位目标中“{unit.name}”出现了两次（名称和简称指同一单位）"
            raise InputError(message, file=source.file, line=_key_line(source, ("单位目标", key)))
        out[unit.name] = {}
        for name, text in changes.items():
            loc = ("单位目标", key, name)
            indicator = d.require(name, **_where(source, loc))
            if indicator.code not in group:
                raise _error(source, f"指标“{name}”在工作任务及目标中没有集团目标，无法按单位调整", loc)
            target = _goal(text, indicator, spec.strata_names, _where(source, loc))
            stratified = isinstance(group[indicator.code], Stratified)
            if isinstance(target, Stratified) != stratified:
                # One form serves all units: an indicator is stratified for all or for none.
                how = "也要分层写（如“农村达到45%、城市达到70%”）" if stratified else "不能分层写"
                message = f"指标“{name}”的集团目标{'是' if stratified else '不是'}分层目标，单位目标{how}"
                raise _error(source, message, loc)
            out[unit.name][indicator.code] = target
    return out


def load_book(path: Path, source: Located | None = None) -> TargetBook:
    """Read, validate and resolve a book file; every problem is an InputError with a line.
    ``source`` is the file already read (the batch has read it to detect its kind)."""
    source = source or read_yaml(path)
    spec = validate(BookIn, source)
    units = load_units(source.named_file(spec.units_file, ("成员单位",)))
    if spec.indicators_file:
        d = load_dictionary(source.named_file(spec.indicators_file, ("指标文件",)))
    else:
        d = default_dictionary()
    goals = [
        tuple(
            _resolve_goal(entry, ("工作任务及目标", "条目", i, "目标", j), source, d, spec.strata_names)
            for j, entry in enumerate(item.targets)
        )
        for i, item in enumerate(spec.tasks.items)
    ]
    overrides = _resolve_overrides(spec, units, goals, source, d)
    if spec.order == "拼音":
        units = sorted(units, key=lambda u: pinyin_key(u.name))
    book = TargetBook(spec, tuple(units), tuple(goals), overrides, source, d)
    book_blocks(book)  # render once so template and 句式 errors surface at load time
    return book


# --- text -----------------------------------------------------------------------


def _sentence(book: TargetBook, i: int, unit: Unit | None) -> str:
    item = book.spec.tasks.items[i]
    if item.sentence is None:
        return item.text or ""
    changes = book.overrides.get(unit.name, {}) if unit else {}
    clauses = Clauses(
        [
            clause(g.name, tuple(changes.get(c, t) for c, t in zip(g.codes, g.targets, strict=True)))
            for g in book.goals[i]
        ]
    )
    loc = ("工作任务及目标", "条目", i, "句式")
    try:
        text = render_sentence(item.sentence, 目标=clauses, 年份=book.spec.year, 集团=book.spec.group)
    except jinja2.TemplateSyntaxError as exc:
        raise _error(book.source, f"句式有误：{exc.message}", loc) from None
    except jinja2.UndefinedError as exc:
        usable = "{{ 目标 }}、{{ 目标[0] }}（第 1 个目标）、{{ 年份 }}、{{ 集团 }}"
        raise _error(book.source, f"句式中有不存在的名称或目标（{exc.message}）；可用 {usable}", loc) from None
    except jinja2.TemplateError as exc:
        raise _error(book.source, f"句式有误：{exc}", loc) from None
    except (OverflowError, MemoryError):  # the sandbox refuses huge ranges this way
        raise _error(book.source, "句式有误：计算量过大（如过大的 range）", loc) from None
    except (ValueError, TypeError, ArithmeticError, LookupError) as exc:  # 1/0, int("x"), [][5] …
        raise _error(book.source, f"句式有误：{type(exc).__name__}：{exc}", loc) from None
    missing = [str(k + 1) for k in range(len(clauses)) if k not in clauses.used]
    if missing:
        raise _error(book.source, f"句式中没有写出第 {'、'.join(missing)} 个目标（用 {{{{ 目标[序号-1] }}}}）", loc)
    return text


def unit_targets(book: TargetBook, unit: Unit) -> dict[str, AnyTarget]:
    """Indicator code → the target this unit is held to: the book's, or its override."""
    out: dict[str, AnyTarget] = {}
    for goals in book.goals:
        for goal in goals:
            out.update(zip(goal.codes, goal.targets, strict=True))
    out.update(book.overrides.get(unit.name, {}))
    return out


def book_blocks(book: TargetBook, unit: Unit | None = None) -> tuple[Block, ...]:
    """The book's text as blocks ending in a SignatureBlock; usable as an attachment.
    ``unit`` applies that unit's 单位目标; None gives the group-wide targets."""
    s = book.spec
    text = render(
        "book.txt.j2",
        年份=s.year,
        集团=s.group,
        前言=[one_line(p) for p in s.preamble],
        组织管理及职责=[one_line(d) for d in s.duties],
        工作任务及目标={
            "导语": one_line(s.tasks.intro) if s.tasks.intro else None,
            "条目": [one_line(_sentence(book, i, unit)) for i in range(len(s.tasks.items))],
        },
        考核与奖惩={
            "抵押金": s.assessment.deposit,
            "半年占比": s.assessment.half_year,
            "年终占比": s.assessment.year_end,
            "奖惩办法": one_line(s.assessment.rule),
        },
    )
    paragraphs = [Paragraph.recognise(line.strip(" \u3000\t")) for line in text.splitlines() if line.strip()]
    return (*paragraphs, SignatureBlock(tuple(s.parties)))


def build_book(spec: TargetBook, unit: Unit) -> Document:
    """The standalone book for one member unit: title, unit line, text, signatures."""
    s = spec.spec
    fields = {"名称": unit.name, "简称": unit.short_name, "法定代表人": unit.legal_representative, "地址": unit.address}
    lines = render("unit.txt.j2", 单位=fields, 年份=s.year, 集团=s.group).splitlines()
    head = tuple(Paragraph(line.strip(), indent=False) for line in lines if line.strip())
    title = "".join(s.title)
    meta = Meta(
        title=f"{title}（{unit.name}）",
        author=s.group,
        date=s.date,
        identifier=f"{title}/{unit.name}",
        subject="目标管理责任书",
        keywords=(unit.name, unit.short_name),
    )
    return Document(meta=meta, title_lines=tuple(s.title), body=head + book_blocks(spec, unit))


def book_jobs(located: Located) -> list[Job]:
    """Batch: one Job per member unit.  A units file on its own gives no documents
    (the books that name it do), but it is still checked."""
    if is_units_file(located.data):
        load_units(located.file)
        return []
    book = load_book(located.file, located)
    folder = Path(str(book.spec.year)) / "zerenshu"
    distinct = (("集团", book.spec.group),)
    return [
        Job(build_book(book, unit), folder / slug(unit.name), located.file, distinct=distinct) for unit in book.units
    ]
