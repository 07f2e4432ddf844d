"""A work plan's outline from numbered lines (一、 → （一） → 1、 → ⑴), as the plan YAML.

In: the plan's title, its lines and the indicator dictionary. Out: ``PlanDraft`` with
the plan as a dict in the format of generators/work_plan.py (numbers removed: the
tool writes them in the styles the source used), the recognised headings with their
levels and source lines, and what the rules were unsure about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generators.core.errors import InputError
from generators.drafts import patterns as P
from generators.drafts.normalise import Cleaned, tidy_spaces
from generators.drafts.recognise import Paragraph, heading_level
from generators.drafts.write import dump_yaml
from generators.indicators.dictionary import IndicatorDictionary
from generators.indicators.targets import check_unit, parse_target
from generators.kinds.work_plan import load_plan

_SPACE_RUN = re.compile(r"[ \t\u3000]{2,}")
_PLAN_L3 = {"1、": "1、", "1.": "1.", "1 ": None}  # plan styles; "1 " has none (becomes 1、)


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


def looks_like_plan(title: str, lines: list[Cleaned]) -> bool:
    """A plan: its title names one (计划, 要点, 方案) and it has two or more 一、 headings."""
    level1 = sum(1 for ln in lines if heading_level(ln.text)[0] == 1)
    return bool(P.PLAN_TITLE.search(title)) and level1 >= 2


def split_head(rest: str) -> tuple[str, str | None]:
    """A numbered line's text → (title, text on the same line).

    The title ends at the first 。！？ when that comes early and without a comma
    (（一）成立领导小组。由分管市长…), else at a run of spaces typed to set it apart
    (2、建立集团培训基地   2012年起…); otherwise the whole line is one text."""
    for i, ch in enumerate(rest[: P.MAX_TITLE_CHARS + 1]):
        if ch in "，,；;":
            break
        if ch in P.SENTENCE_END:
            after = rest[i + 1 :].strip()
            return (rest[: i + 1].strip(), after or None) if after else (rest.strip(), None)
    m = _SPACE_RUN.search(rest)
    if m and 0 < m.start() <= P.MAX_TITLE_CHARS and not re.search(r"[，,。；;]", rest[: m.start()]):
        return rest[: m.start()].strip(), rest[m.end() :].strip() or None
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
        self.styles: Counter[str] = Counter()

    def section(self) -> dict:
        return self.sections[-1]

    def add_text(self, no: int, text: str) -> None:
        text = tidy_spaces(text)
        if P.maybe_heading(text):
            self.d.unsure.append((no, f"“{text}”没有编号，也不以标点结尾：可能是小标题，已按上一级的正文导入"))
        node = self.point or self.item or self.sub or (self.sections[-1] if self.sections else None)
        if node is None:
            self.preamble.append(text)
            return
        node.setdefault("正文", []).append(text)

    def line(self, ln: Cleaned) -> None:
        in_indicators = bool(self.sections) and bool(P.INDICATOR_SECTION.search(self.sections[-1]["标题"]))
        if not in_indicators and heading_level(ln.text)[0] != 1:
            self.targets_in_text(ln)
        level, style, rest = heading_level(ln.text)
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
                self.add_text(ln.no, text)
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
                self.add_text(ln.no, text)
            return
        if level == 3 and self.colon_item is not None and style == (self.colon_style or style):
            # "…有以下多种：" then 2 人才扶持 3 … : the list under the colon is its points.
            self.colon_style = style
            level = 4
            self.d.unsure.append((ln.no, "上一条以“：”结尾，本行按其下的要点（第四级）处理"))
        elif level == 3:
            self.colon_item = None
        if level == 4 and self.item is None:
            self.d.unsure.append((ln.no, "要点（第四级）之上没有条目（第三级），按条目处理"))
            level = 3
        if level == 3 or style in ("（1）", "⑴", "①"):  # a demoted "1 " list takes the plan's 四级 style
            self.styles[f"{level}:{style}"] += 1
        title, text = split_head(rest)
        node: dict[str, Any] = {"_title": tidy_spaces(title)}
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
                c["条目"] = [self._finish_node(n) for n in c.get("条目", [])]
                if not c["条目"]:
                    del c["条目"]
            if P.INDICATOR_SECTION.search(section["标题"]):
                self._indicators(section)
        return self.sections

    def _finish_node(self, node: dict) -> Any:
        title = node.pop("_title")
        points = [self._finish_node(p) for p in node.get("要点", [])]
        if points:
            node["要点"] = points
        if "标题" not in node and (points or node.get("正文")):
            node["标题"] = title
        if "标题" not in node:
            return title  # a bare text item
        return {k: node[k] for k in ("标题", "正文", "要点") if k in node}

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
                self.d.indicators.append((no, entry["指标"], entry["目标"]))
        section["指标"] = entries

    def _indicator(self, text: str) -> dict | None:
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
    if l3:
        typed = Counter(x for x in l3 if _PLAN_L3.get(x))
        style["三级"] = typed.most_common(1)[0][0] if typed else "1、"
    if l4:
        style["四级"] = Counter(l4).most_common(1)[0][0]
    plan: dict[str, Any] = {"标题": title, "制定单位": author}
    if date:
        plan["日期"] = date
    else:
        plan["年份"] = year
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
