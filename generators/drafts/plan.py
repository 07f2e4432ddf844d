"""A work plan's outline from numbered lines (一、 → （一） → 1、 → ⑴), as the plan YAML.

In: the plan's title, its lines and the indicator dictionary. Out: ``PlanDraft`` with
the plan as a dict in the format of generators/work_plan.py (numbers removed: the
tool writes them in the styles the source used), the recognised headings with their
levels and source lines, and what the rules were unsure about.

Rules beyond the numbering table: a line numbered in the style of the open 条目 is
the next 条目 (so 条目 may be numbered ⑴ under a （一）), one in the style of its
要点 the next 要点; an unnumbered line under a 条目 is a 要点 without a number
(``编号: 否``), under a heading it is the heading's 正文; an indicator line naming
several indicators with targets is one entry with a list of 指标.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generators.core.errors import InputError
from generators.document.numbering import leading_label
from generators.drafts import patterns as P
from generators.drafts.normalise import Cleaned, tidy_spaces
from generators.drafts.recognise import Paragraph, heading_level
from generators.drafts.write import dump_yaml
from generators.indicators.dictionary import IndicatorDictionary
from generators.indicators.targets import check_unit, parse_target
from generators.kinds.work_plan import load_plan

# Spaces that set a title apart from its text: a run, or the one 　 the tool writes.
_SPACE_RUN = re.compile(r"[ \t\u3000]{2,}|\u3000")
_HAND_TYPED = "1 "  # a number and spaces: no style of its own (items become 1、, points the 四级 style)


@dataclass
class PlanDraft:
    plan: dict[str, Any]
    headings: list[Paragraph] = field(default_factory=list)
    unsure: list[tuple[int | None, str]] = field(default_factory=list)
    indicators: list[tuple[int, str, str]] = field(default_factory=list)  # (line, indicator, target)
    kept_as_text: list[tuple[int, str]] = field(default_factory=list)  # target phrases left as text
    problem: str | None = None  # why the plan loader refuses it, if it does


def targets_in_lines(lines: list[Cleaned], dictionary: IndicatorDictionary) -> list[tuple[int, str]]:
    """Targets of known indicators inside running text (开通率达80%以上): they stay text
    (the author's wording) and are listed, so a clerk can move them to 评价指标."""
    found: list[tuple[int, str]] = []
    for ln in lines:
        text = tidy_spaces(ln.text)
        for m in P.TARGET.finditer(text):
            before = text[max(0, m.start() - 20) : m.start()]
            name = next((before[k:] for k in range(len(before) - 1) if dictionary.find(before[k:]) is not None), None)
            if name:
                found.append((ln.no, f"{name}{m['target'].strip()}"))
    return found


def numbering(text: str) -> tuple[int, str, str]:
    """(level, style, rest) of a numbered line: the importer's table, then the styles it
    does not list (a. （a） ㈠ …), read as points."""
    level, style, rest = heading_level(text)
    if level == 0 and (found := leading_label(text)) and found[0].counter in ("a", "A", "㈠"):
        return 4, found[0].sample, found[1]
    return level, style, rest


def looks_like_plan(title: str, lines: list[Cleaned]) -> bool:
    """A plan: its title names one (计划, 要点, 方案) and it has two or more 一、 headings."""
    level1 = sum(1 for ln in lines if heading_level(ln.text)[0] == 1)
    return bool(P.PLAN_TITLE.search(title)) and level1 >= 2


def split_head(rest: str) -> tuple[str, str | None]:
    """A numbered line's text → (title, text on the same line).

    The title ends at the first 。！？ when that comes early and without a comma
    (（一）成立领导小组。由分管市长…), else at a run of spaces typed to set it apart
    (2、建立集团培训基地   2012年起…) or an ideographic space; otherwise the whole line
    is one text."""
    m = _SPACE_RUN.search(rest)
    if m and 0 < m.start() <= P.MAX_TITLE_CHARS and not re.search(r"[，,。；;！？]", rest[: m.start()]):
        return rest[: m.start()].strip(), rest[m.end() :].strip() or None
    for i, ch in enumerate(rest[: P.MAX_TITLE_CHARS + 1]):
        if ch in "，,；;":
            break
        if ch in P.SENTENCE_END:
            after = rest[i + 1 :].strip()
            return (rest[: i + 1].strip(), after or None) if after else (rest.strip(), None)
    return rest.strip(), None


class _Outline:
    def __init__(self, draft: PlanDraft, dictionary: IndicatorDictionary) -> None:
        self.d = draft
        self.dictionary = dictionary
        self.sections: list[dict] = []
        self.preamble: list[str] = []
        self.sub: dict | None = None
        self.item: dict | None = None
        self.point: dict | None = None
        self.colon_item: dict | None = None  # an item ending in ： whose list follows
        self.colon_style: str | None = None
        self.item_style: str | None = None  # the numbering of the open 条目 and of its 要点
        self.point_style: str | None = None
        self.styles: Counter[str] = Counter()

    def section(self) -> dict:
        return self.sections[-1]

    def in_indicators(self) -> bool:
        return bool(self.sections) and bool(P.INDICATOR_SECTION.search(self.sections[-1]["标题"]))

    def add_text(self, no: int, text: str, same_line: bool = False) -> None:
        """Text on a numbered line (``same_line``) is its node's 正文; an unnumbered line
        under a 条目 is a 要点 without a number (in an indicator section: the item goes
        on), under a heading its 正文."""
        text = tidy_spaces(text)
        if self.item is not None and not same_line and not self.in_indicators():
            if P.maybe_heading(text):
                self.d.unsure.append((no, f"“{text}”没有编号，也不以标点结尾：可能是小标题，已按不编号的要点导入"))
            self.item.setdefault("要点", []).append({"_title": None, "正文": [text]})
            self.point = None
            return
        if P.maybe_heading(text):
            self.d.unsure.append((no, f"“{text}”没有编号，也不以标点结尾：可能是小标题，已按上一级的正文导入"))
        node = self.point or self.item or self.sub or (self.sections[-1] if self.sections else None)
        if node is None:
            self.preamble.append(text)
            return
        node.setdefault("正文", []).append(text)

    def line(self, ln: Cleaned) -> None:
        level, style, rest = numbering(ln.text)
        if not self.in_indicators() and level != 1:
            self.targets_in_text(ln)
        if level == 0:
            self.add_text(ln.no, ln.text)
            return
        if level in (1, 2):
            self.colon_item = None
        if level == 1:
            title, text = split_head(rest)
            self.sections.append({"标题": tidy_spaces(title)})
            self.sub = self.item = self.point = None
            self.d.headings.append(Paragraph(ln.no, 1, tidy_spaces(title)))
            if text:
                self.add_text(ln.no, text, same_line=True)
            return
        if not self.sections:
            self.d.unsure.append((ln.no, "第一个“一、”之前出现了下级编号，按前言处理"))
            self.preamble.append(tidy_spaces(ln.text))
            return
        if level == 2:
            title, text = split_head(rest)
            self.sub = {"标题": tidy_spaces(title)}
            self.section().setdefault("小节", []).append(self.sub)
            self.item = self.point = None
            self.d.headings.append(Paragraph(ln.no, 2, tidy_spaces(title)))
            if text:
                self.add_text(ln.no, text, same_line=True)
            return
        if level == 3 and self.colon_item is not None and style == (self.colon_style or style):
            # "…有以下多种：" then 2 人才扶持 3 … : the list under the colon is its points.
            self.colon_style = style
            level = 4
            self.d.unsure.append((ln.no, "上一条以“：”结尾，本行按其下的要点（第四级）处理"))
        elif self.item is not None and self.colon_item is None and style in (self.item_style, self.point_style):
            level = 3 if style == self.item_style else 4  # the same style: a sibling
        elif level == 3:
            self.colon_item = None
        if level == 4 and self.item is None:
            if style != self.item_style:
                message = f"“{style}”式编号之上没有条目（第三级）：按条目处理，条目用“{style}”式编号"
                self.d.unsure.append((ln.no, message))
            level = 3
        if level == 3:
            self.item_style, self.point_style = style, None
        elif self.point_style is None:
            self.point_style = style
        if style != _HAND_TYPED or level == 3:  # a demoted "1 " list takes the plan's 四级 style
            self.styles[f"{level}:{style}"] += 1
        title, text = split_head(rest)
        node: dict[str, Any] = {"_title": tidy_spaces(title), "_no": ln.no}
        if text:
            node["标题"], node["正文"] = tidy_spaces(title), [tidy_spaces(text)]
        if level == 3:
            self.item, self.point = node, None
            container = self.sub if self.sub is not None else self.section()
            container.setdefault("条目", []).append(node)
            self.d.headings.append(Paragraph(ln.no, 3, tidy_spaces(title)))
            if rest.rstrip().endswith(("：", ":")):
                self.colon_item, self.colon_style = node, None
        else:
            self.point = node
            assert self.item is not None
            self.item.setdefault("要点", []).append(node)
            self.d.headings.append(Paragraph(ln.no, 4, tidy_spaces(title)))

    def targets_in_text(self, ln: Cleaned) -> None:
        self.d.kept_as_text += targets_in_lines([ln], self.dictionary)

    def finish(self) -> list[dict]:
        for section in self.sections:
            containers = [section, *section.get("小节", [])]
            for c in containers:
                nodes = c.get("条目", [])
                lines = [n.get("_no") for n in nodes]
                c["条目"] = [self._finish_node(n) for n in nodes]
                if not P.INDICATOR_SECTION.search(section["标题"]):
                    c["条目"] = [self._targets_of(n, no) for n, no in zip(c["条目"], lines, strict=True)]
                if not c["条目"]:
                    del c["条目"]
            if P.INDICATOR_SECTION.search(section["标题"]):
                self._indicators(section)
        return self.sections

    def _finish_node(self, node: dict) -> Any:
        title = node.pop("_title")
        node.pop("_no", None)
        if title is None:  # an unnumbered line under a 条目
            return {"编号": "否", "正文": node["正文"][0]}
        points = [self._finish_node(p) for p in node.get("要点", [])]
        if points:
            node["要点"] = points
        if "标题" not in node and (points or node.get("正文")):
            node["标题"] = title
        if "标题" not in node:
            return title  # a bare text item
        return {k: node[k] for k in ("标题", "正文", "要点") if k in node}

    def _targets_of(self, item: Any, no: int | None) -> Any:
        """A titled 条目 whose one paragraph is nothing but indicators with targets
        (降低死亡率。孕产妇死亡率…以内、婴儿死亡率…以内。) carries them as 指标."""
        if not isinstance(item, dict) or "要点" in item or len(item.get("正文", [])) != 1:
            return item
        entry = self._indicator(item["正文"][0].rstrip("。"))
        if entry is None or "标题" in entry:
            return item
        self.d.kept_as_text = [(n, t) for n, t in self.d.kept_as_text if n != no]  # no longer text
        for one in entry["指标"] if isinstance(entry["指标"], list) else [entry]:
            self.d.indicators.append((no or 0, one["指标"], one["目标"]))
        return {"标题": item["标题"], "指标": entry["指标"] if isinstance(entry["指标"], list) else [entry]}

    def _indicators(self, section: dict) -> None:
        """Items of an indicator section → 指标 entries the dictionary knows, text otherwise."""
        items = section.pop("条目", [])
        lines = [h.no for h in self.d.headings if h.level == 3]
        entries: list[Any] = []
        for item in items:
            text = item if isinstance(item, str) else item.get("标题", "") + "".join(item.get("正文", []))
            no = next(
                (h.no for h in self.d.headings if h.level == 3 and tidy_spaces(h.text).startswith(text[:8])),
                lines[0] if lines else 0,
            )
            entry = self._indicator(text.rstrip("。"))
            if entry is None:
                entries.append(text)
                if P.TARGET.search(text):
                    self.d.kept_as_text.append((no, text))
            else:
                entries.append(entry)
                for one in entry["指标"] if isinstance(entry["指标"], list) else [entry]:
                    self.d.indicators.append((no, one["指标"], one["目标"]))
        section["指标"] = entries

    def _indicator(self, text: str) -> dict | None:
        """One indicator with its target (and 其中 a second), or several in one line
        (孕产妇死亡率控制在15/10万以内、婴儿死亡率控制在8‰以内), perhaps after a lead-in
        (降低死亡率：…); None unless every part is a known indicator with its target."""
        single = self._single(text)
        if single is not None:
            return single
        lead, colon, rest = text.partition("：")
        if not colon or not lead or P.TARGET.search(lead):
            lead, rest = "", text
        parts = self._split_targets(rest)
        entries = [self._single(part) for part in parts]
        if (len(parts) < 2 and not lead) or not parts or any(e is None for e in entries):
            return None
        return {"标题": lead, "指标": entries} if lead else {"指标": entries}

    @staticmethod
    def _split_targets(text: str) -> list[str]:
        """A line cut after each target that a separator follows (、，；)."""
        parts, start = [], 0
        for m in P.TARGET.finditer(text):
            if m.end() < len(text) and text[m.end()] in P.TARGET_SEPARATORS:
                parts.append(text[start : m.end()].strip())
                start = m.end() + 1
        parts.append(text[start:].strip())
        return [p for p in parts if p]

    def _single(self, text: str) -> dict | None:
        parts = P.AMONG.split(text, maxsplit=1)
        main = self._one(parts[0])
        if main is None:
            return None
        if len(parts) == 2:
            among = self._one(parts[1].strip())
            if among is None:
                return None
            main["其中"] = among
        return main

    def _one(self, text: str) -> dict | None:
        m = next((t for t in P.TARGET.finditer(text) if t.end() == len(text)), None)  # the phrase's last target
        if m is None or m.end() != len(text) or m.start() == 0:
            return None
        name, target = text[: m.start()].strip(), m["target"].strip()
        # "达" belongs to the target when the name ends in it (评审通过率达100%).
        indicator = self.dictionary.find(name)
        if indicator is None:
            return None
        try:
            parsed = parse_target(target, better=indicator.better)
            check_unit(parsed, indicator)
        except Exception:
            return None
        return {"指标": name, "目标": target}


def plan_from_lines(
    title: str, lines: list[Cleaned], author: str, date: str | None, year: int | None, dictionary: IndicatorDictionary
) -> PlanDraft:
    """The lines of a plan (title excluded) → PlanDraft."""
    draft = PlanDraft(plan={})
    outline = _Outline(draft, dictionary)
    for ln in lines:
        outline.line(ln)
    sections = outline.finish()
    style: dict[str, str] = {}
    l3 = [s.split(":", 1)[1] for s in outline.styles.elements() if s.startswith("3:")]
    l4 = [s.split(":", 1)[1] for s in outline.styles.elements() if s.startswith("4:")]
    for level, found in (("三级", l3), ("四级", l4)):
        kinds = sorted({x for x in found if x != _HAND_TYPED})
        if len(kinds) > 1:
            draft.unsure.append((None, f"{level}编号原文用了几种样式（{'、'.join(kinds)}），统一为最常用的一种"))
    if l3:
        typed = Counter(x for x in l3 if x != _HAND_TYPED)
        style["三级"] = typed.most_common(1)[0][0] if typed else "1、"
    if l4:
        style["四级"] = Counter(l4).most_common(1)[0][0]
    plan: dict[str, Any] = {"标题": title, "制定单位": author}
    if date:
        plan["日期"] = date
    elif year:
        plan["年份"] = year  # neither: an undated plan
    if style:
        plan["编号"] = style
    if outline.preamble:
        plan["前言"] = outline.preamble if len(outline.preamble) > 1 else outline.preamble[0]
    plan["章节"] = sections
    draft.plan = plan
    level1 = [h.no for h in draft.headings if h.level == 1]
    for no, section in zip(level1, sections, strict=False):
        if not any(k in section for k in ("正文", "小节", "条目", "指标")):
            draft.unsure.append((no, f"章节“{section['标题']}”下没有内容"))
    draft.problem = plan_problem(plan)
    return draft


def plan_problem(plan: dict[str, Any]) -> str | None:
    """Why the project's plan loader refuses ``plan`` (None when it loads)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(dump_yaml(plan, "check"), encoding="utf-8")
        try:
            load_plan(path)
        except InputError as exc:
            return exc.message
    return None
