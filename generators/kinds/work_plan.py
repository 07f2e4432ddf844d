"""Work plans (工作计划 / 工作要点): a structured outline (YAML) → numbered paragraphs.

In: the plan YAML.  Out: a ``Plan`` (its blocks) and the ``Document`` to render.
The outline has up to four levels (章节 → 小节 → 条目 → 要点); the tool writes the
numbers in each level's style (一、 （一） 1. （1） by default, or any style of
``document.numbering``: 1、 ⑴ ① a. …) unless a title already carries one.  条目 and
要点 marked ``编号: 否`` are paragraphs without a label; numbered ones count on across
them.  Items name indicators of the dictionary with targets, one or several each.
A plan may have no year and no date: nothing is made up for them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, PlainValidator, Tag

from generators.core import notes
from generators.core.dates import DateStyle, format_date
from generators.core.errors import InputError, Where
from generators.core.fields import Date, Strict, Text, TextList, TitleLines, YesNo
from generators.core.safefile import named_file
from generators.core.yamlsrc import Loc, Located, field_path, one_line, read_yaml, validate
from generators.document.model import Block, Document, Meta, Paragraph, Signing, Table
from generators.document.numbering import STYLE_SAMPLES, LabelStyle, leading_label, parse_style
from generators.document.titles import break_title
from generators.indicators.dictionary import IndicatorDictionary, default_dictionary, load_dictionary
from generators.indicators.targets import Target, check_unit, parse_target

_INLINE_AFTER = "。！？：；"  # a title ending so is followed by its text on the same line
_SENTENCE_END = ("。", "！", "？", "；")


def _item(value: Any) -> Any:
    """A bare string in a list of items is its text."""
    return {"正文": value} if isinstance(value, str) else value


class TargetItemIn(Strict):
    indicator: Text = Field(alias="指标")
    target: Text = Field(alias="目标")
    name: str | None = Field(None, alias="名称")  # as the plan writes it (default: 指标)
    among: TargetItemIn | None = Field(None, alias="其中")  # 孕产妇死亡率≤15/10万，其中产后出血死亡率≤10%


class PointIn(Strict):  # 要点, level 4
    title: str | None = Field(None, alias="标题")
    text: TextList = Field(default_factory=list, alias="正文")
    numbered: YesNo = Field(True, alias="编号")  # 否: a paragraph without a label


class ItemIn(Strict):  # 条目, level 3
    title: str | None = Field(None, alias="标题")
    text: TextList = Field(default_factory=list, alias="正文")
    points: list[Annotated[PointIn, BeforeValidator(_item)]] = Field(default_factory=list, alias="要点")
    indicators: list[TargetItemIn] = Field(default_factory=list, alias="指标")  # several targets in one item
    numbered: YesNo = Field(True, alias="编号")


def _entry_kind(value: Any) -> str:
    """An indicator entry: a sentence, one indicator, or an item with several (指标: [...])."""
    if isinstance(value, str):
        return "文字"
    indicators = value.get("指标") if isinstance(value, dict) else getattr(value, "indicators", None)
    return "多项" if isinstance(indicators, list) else "单项"


IndicatorItem = Annotated[
    Annotated[TargetItemIn, Tag("单项")] | Annotated[ItemIn, Tag("多项")] | Annotated[str, Tag("文字")],
    Discriminator(_entry_kind),
]


class SubsectionIn(Strict):  # 小节, level 2
    title: Text = Field(alias="标题")
    text: TextList = Field(default_factory=list, alias="正文")
    items: list[Annotated[ItemIn, BeforeValidator(_item)]] = Field(default_factory=list, alias="条目")
    indicators: list[IndicatorItem] = Field(default_factory=list, alias="指标")


class SectionIn(Strict):  # 章节, level 1
    title: Text = Field(alias="标题")
    text: TextList = Field(default_factory=list, alias="正文")
    subsections: list[SubsectionIn] = Field(default_factory=list, alias="小节")
    items: list[Annotated[ItemIn, BeforeValidator(_item)]] = Field(default_factory=list, alias="条目")
    indicators: list[IndicatorItem] = Field(default_factory=list, alias="指标")


def _label_style(value: Any) -> LabelStyle:
    """A level's style, named by its first label (⑴, （1）, a.); YAML reads 1. as a number."""
    if isinstance(value, LabelStyle):
        return value
    if isinstance(value, float) and value == 1.0:
        value = "1."
    style = parse_style(value) if isinstance(value, str) else None
    if style is None:
        raise ValueError(f"编号样式“{value}”无法识别：写这一级第一个编号的样子，可选 {' '.join(STYLE_SAMPLES)}")
    return style


Style = Annotated[LabelStyle, PlainValidator(_label_style)]
LEVEL_NAMES = ("一级", "二级", "三级", "四级")


class StyleIn(Strict):
    level1: Style = Field(LabelStyle("一", "", "、"), alias="一级")
    level2: Style = Field(LabelStyle("一", "（", "）"), alias="二级")
    level3: Style = Field(LabelStyle("1", "", "."), alias="三级")
    level4: Style = Field(LabelStyle("1", "（", "）"), alias="四级")
    indicators: Literal["列表", "表格"] = Field("列表", alias="指标形式")

    def of(self, level: int) -> LabelStyle:
        return (self.level1, self.level2, self.level3, self.level4)[level - 1]


class PlanIn(Strict):
    title: TitleLines = Field(alias="标题")  # one string, or the title's lines
    author: Text = Field(alias="制定单位")
    year: int | None = Field(None, alias="年份", ge=1949, le=2100)  # neither year nor date: an undated plan
    date: Date | None = Field(None, alias="日期")
    indicators_file: str | None = Field(None, alias="指标文件")
    style: StyleIn = Field(default_factory=lambda: StyleIn.model_validate({}), alias="编号")
    preamble: TextList = Field(default_factory=list, alias="前言")
    sections: list[SectionIn] = Field(alias="章节", min_length=1)
    closing: TextList = Field(default_factory=list, alias="结语")  # 总之…: paragraphs after the last section
    signed: YesNo = Field(False, alias="落款")  # 制定单位 (and 日期, when there is one) under the text
    date_style: DateStyle = Field(DateStyle.arabic, alias="日期格式")


def is_plan(data: dict) -> bool:
    return "章节" in data


@dataclass(frozen=True)
class Plan:
    spec: PlanIn
    blocks: tuple[Block, ...]
    source: Located

    @property
    def title(self) -> str:
        return "".join(self.spec.title)

    @property
    def year(self) -> int | None:
        """The plan's year: 年份, else the year of 日期; None for an undated plan."""
        return self.spec.year or (self.spec.date.year if self.spec.date else None)

    @property
    def date(self) -> dt.date:
        """For the document properties: 日期, else 1 January of 年份; an undated plan
        takes the day its input was last saved (a fact about the file, not the plan)."""
        if self.spec.date:
            return self.spec.date
        if self.spec.year:
            return dt.date(self.spec.year, 1, 1)
        return dt.date.fromtimestamp(self.source.file.stat().st_mtime)


def _joined(phrases: list[str]) -> str:
    """Several targets in one sentence: 、 between them, ； when one has a comma."""
    return ("；" if any("，" in p for p in phrases) else "、").join(phrases) + "。"


class _Builder:
    """Walks the outline once, numbering and checking as it goes."""

    def __init__(self, spec: PlanIn, source: Located, dictionary: IndicatorDictionary) -> None:
        self.spec, self.source, self.d = spec, source, dictionary
        self.blocks: list[Block] = []
        self.used: set[int] = set()  # levels that printed a label

    def error(self, message: str, loc: Loc) -> InputError:
        return InputError(message, file=self.source.file, line=self.source.line_of(loc), field=field_path(loc))

    def label(self, level: int, n: int, loc: Loc) -> str:
        self.used.add(level)
        try:
            return self.spec.style.of(level).label(n)
        except ValueError as exc:
            raise self.error(str(exc), loc) from None

    def numbered(self, level: int, n: int | None, title: str | None, loc: Loc) -> str:
        """``title`` with the level's n-th label; unchanged when it carries a label of its
        own or is not numbered (n None)."""
        if not title:
            return ""
        if n is None or leading_label(title):
            return title
        return self.label(level, n, loc) + title

    def text(self, paragraphs: list[str]) -> None:
        self.blocks += [Paragraph(one_line(p)) for p in paragraphs if p.strip()]

    def heading(self, level: int, head: str, text: list[str]) -> None:
        """Levels 1–2 set the heading in its own face; a title ending in 。 carries the
        first paragraph on its line (（一）成立领导小组。由分管市长为组长……)."""
        rest = list(text)
        first = one_line(rest.pop(0)) if rest and level == 2 and head.endswith(tuple(_INLINE_AFTER)) else ""
        self.blocks.append(Paragraph(text=first, level=level, head=head))
        self.text(rest)

    def line(self, level: int, head: str, text: list[str]) -> None:
        """Levels 3–4 are body text: the title and the first paragraph share a line."""
        rest = [one_line(t) for t in text if t.strip()]
        if head and rest:
            gap = "" if head.endswith(tuple(_INLINE_AFTER)) else "　"
            self.blocks.append(Paragraph(text=head + gap + rest.pop(0), level=level))
        elif head:
            self.blocks.append(Paragraph(text=head, level=level))
        self.text(rest)

    def entry(self, level: int, n: int | None, title: str | None, text: list[str], loc: Loc) -> None:
        """One 条目 or 要点: its label (none when n is None), title and text on one line;
        an untitled one labels its first paragraph.  Unlabelled ones are plain paragraphs."""
        text = list(text)
        head = self.numbered(level, n, title, loc)
        if not head and text:
            head = self.numbered(level, n, one_line(text.pop(0)), loc)
        elif not head and n is not None:
            head = self.label(level, n, loc)
        self.line(level if n is not None else 0, head, text)

    def items(self, items: list[ItemIn], loc: Loc) -> None:
        n = 0
        for i, item in enumerate(items):
            here = (*loc, i)
            if not (item.title or item.text or item.points or item.indicators):
                raise self.error("条目为空：请写“标题”“正文”“要点”或“指标”", here)
            n += item.numbered
            text = list(item.text)
            if item.indicators:  # the targets close the item's last paragraph
                phrase = _joined([self.target_phrase(t, (*here, "指标", k)) for k, t in enumerate(item.indicators)])
                text = [*text[:-1], one_line(text[-1]) + phrase] if text else [phrase]
            self.entry(3, n if item.numbered else None, item.title, text, here)
            self.points(item, here)

    def points(self, item: ItemIn, loc: Loc) -> None:
        n = 0
        for j, point in enumerate(item.points):
            where = (*loc, "要点", j)
            if not (point.title or point.text):
                raise self.error("要点为空", where)
            if point.numbered and not item.numbered:
                message = "条目不编号时，其下的要点也不编号：请给这一要点写“编号: 否”，或给条目编号"
                raise self.error(message, where)
            n += point.numbered
            self.entry(4, n if point.numbered else None, point.title, list(point.text), where)

    def indicators(self, entries: list[Any], loc: Loc) -> None:
        if not entries:
            return
        rows: list[tuple[str, str, str]] = []
        lines: list[str] = []
        for i, entry in enumerate(entries, 1):
            here = (*loc, i - 1)
            if isinstance(entry, str):
                rows.append((str(i), one_line(entry).rstrip("。"), ""))
                lines.append(one_line(entry).rstrip("。") + "。")
            elif isinstance(entry, ItemIn):
                rows += self.group_rows(i, entry, here)
                lines.append(self.group_line(entry, here))
            else:
                name = entry.name or entry.indicator
                phrase = self.target_phrase(entry, here)
                rows.append((str(i), name, phrase[len(name) :]))
                lines.append(phrase + "。")
        if self.spec.style.indicators == "表格":
            self.blocks.append(
                Table(
                    caption="评价指标",
                    header=(("序号", "指标", "目标"),),
                    rows=tuple(rows),
                    widths=(1.2, 9.0, 5.0),
                    align=("center", "left", "left"),
                )
            )
            return
        for i, text in enumerate(lines, 1):
            self.blocks.append(Paragraph(text=self.label(3, i, (*loc, i - 1)) + text, level=3))

    def group_line(self, entry: ItemIn, loc: Loc) -> str:
        """An indicator entry with several targets (and perhaps a lead-in title)."""
        if not entry.indicators or entry.points or not entry.numbered:
            raise self.error("评价指标中同一条的几个指标写成“指标: [...]”（可加“标题”“正文”），不写“要点”和“编号”", loc)
        phrase = _joined([self.target_phrase(t, (*loc, "指标", k)) for k, t in enumerate(entry.indicators)])
        lead = one_line(entry.title or "") + "".join(one_line(t) for t in entry.text)
        if lead and not lead.endswith(tuple(_INLINE_AFTER)):
            lead += "："
        return lead + phrase

    def group_rows(self, n: int, entry: ItemIn, loc: Loc) -> list[tuple[str, str, str]]:
        rows: list[tuple[str, str, str]] = []
        if entry.title:
            rows.append((str(n), one_line(entry.title).rstrip("：:。"), ""))
        for k, target in enumerate(entry.indicators):
            name = target.name or target.indicator
            phrase = self.target_phrase(target, (*loc, "指标", k))
            rows.append(("" if rows else str(n), name, phrase[len(name) :]))
        return rows

    def target_phrase(self, entry: TargetItemIn, loc: Loc) -> str:
        name = entry.name or entry.indicator
        at = (*loc, "指标")
        indicator = self.d.require(
            entry.indicator, file=self.source.file, line=self.source.line_of(at), field=field_path(at)
        )
        at = (*loc, "目标")
        where = Where(file=self.source.file, line=self.source.line_of(at), field=field_path(at))
        target: Target = parse_target(entry.target, better=indicator.better, **where)
        check_unit(target, indicator, **where)
        text = f"{name}{entry.target}"
        if entry.among is not None:
            text += "，其中" + self.target_phrase(entry.among, (*loc, "其中"))
        return text

    def check_styles(self) -> None:
        """Two levels that print labels of one look cannot be told apart."""
        used = sorted(self.used)
        for a in used:
            for b in used:
                if a < b and self.spec.style.of(a).shape == self.spec.style.of(b).shape:
                    names = LEVEL_NAMES[a - 1], LEVEL_NAMES[b - 1]
                    message = (
                        f"{names[0]}和{names[1]}的编号样式相同（“{self.spec.style.of(b).sample}”），分不清层次："
                        f"请在“编号”中为{names[1]}另选一种样式"
                    )
                    raise self.error(message, ("编号", names[1]) if self.has(("编号", names[1])) else ("编号",))

    def has(self, loc: Loc) -> bool:
        return loc in self.source.lines

    def build(self) -> tuple[Block, ...]:
        self.text(self.spec.preamble)
        for s, section in enumerate(self.spec.sections, 1):
            loc: Loc = ("章节", s - 1)
            if not (section.text or section.subsections or section.items or section.indicators):
                raise self.error(f"章节“{section.title}”为空：请写“正文”“小节”“条目”或“指标”", loc)
            self.heading(1, self.numbered(1, s, section.title, loc), [])
            self.text(list(section.text))
            for k, sub in enumerate(section.subsections, 1):
                where = (*loc, "小节", k - 1)
                # A 小节 may be one sentence (（一）加强组织领导。); a bare phrase is a gap.
                if not (sub.text or sub.items or sub.indicators or sub.title.endswith(_SENTENCE_END)):
                    message = f"小节“{sub.title}”为空：请写“正文”“条目”或“指标”；只有一句话的小节，标题以句号结尾即可"
                    raise self.error(message, where)
                self.heading(2, self.numbered(2, k, sub.title, where), list(sub.text))
                self.items(sub.items, (*where, "条目"))
                self.indicators(sub.indicators, (*where, "指标"))
            self.items(section.items, (*loc, "条目"))
            self.indicators(section.indicators, (*loc, "指标"))
        self.text(list(self.spec.closing))
        self.check_styles()
        return tuple(self.blocks)


_ENTRY_TAGS = {"单项", "多项", "文字"}


def _untagged(exc: InputError, source: Located) -> InputError:
    """An error inside an indicator entry: pydantic names the kind of entry (多项) in the
    path; the clerk's path and line are those without it."""
    parts = (exc.field or "").split(".")
    if not _ENTRY_TAGS & set(parts):
        return exc
    loc: list[str | int] = []
    for part in (p for p in parts if p not in _ENTRY_TAGS):
        key, positions = re.fullmatch(r"([^\[]*)((?:\[\d+\])*)", part).groups()  # type: ignore[union-attr]
        loc += [key, *(int(n) - 1 for n in re.findall(r"\d+", positions))]
    where = tuple(loc)
    return InputError(exc.message, file=exc.file, line=source.line_of(where), field=field_path(where))


# A template's placeholder year (20xx年, ××××年): printed as typed, with a note.
_PLACEHOLDER_YEAR = re.compile(r"(?:19|20)?[xX×Ｘｘ]{2,4}\s*年")


def _note_placeholder_years(source: Located) -> None:
    lines = source.file.read_text(encoding="utf-8", errors="replace").splitlines()
    for no, text in enumerate(lines, 1):
        if (m := _PLACEHOLDER_YEAR.search(text.split("#", 1)[0])) is not None:
            message = f"“{m.group(0)}”是模板中的年份占位，会照原样印出：不知道年份时删去它即可（计划可以不写年份）"
            notes.add(message, file=source.file, line=no)


def load_plan(path: Path, source: Located | None = None) -> Plan:
    source = source or read_yaml(path)
    try:
        spec = validate(PlanIn, source)
    except InputError as exc:
        raise _untagged(exc, source) from None
    if spec.indicators_file:
        line = source.line_of(("指标文件",))
        extra = named_file(source.file, spec.indicators_file, line=line, field="指标文件")
        if not extra.exists():
            raise InputError(
                f"文件不存在：{spec.indicators_file}", file=source.file, line=source.line_of(("指标文件",))
            )
        dictionary = load_dictionary(extra)
    else:
        dictionary = default_dictionary()
    _note_placeholder_years(source)
    return Plan(spec, _Builder(spec, source, dictionary).build(), source)


def plan_document(plan: Plan) -> Document:
    title = plan.title
    lines = tuple(plan.spec.title) if len(plan.spec.title) > 1 else break_title(title)
    meta = Meta(
        title=title,
        author=plan.spec.author,
        date=plan.date,
        identifier=f"工作计划-{title}",
        subject="工作计划",
        dated=plan.year is not None,
    )
    signing = None
    if plan.spec.signed:  # without 日期 the 落款 is the 制定单位 alone
        date_text = format_date(plan.spec.date, plan.spec.date_style) if plan.spec.date else ""
        signing = Signing(plan.spec.author, date_text)
    return Document(meta=meta, title_lines=lines, body=plan.blocks, signing=signing)
