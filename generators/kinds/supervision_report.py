"""A quarter's supervision 通报 and the units' feedback sheets, as Documents.

Numbers come from ``assess``; wording from templates/supervision/*.txt.j2 (an office
may edit them); the 公文 frame (版头, 署名, 版记) from the circular builder.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from generators.core.numerals import chinese_numeral
from generators.core.paths import TEMPLATES
from generators.core.templating import placeholder, render_file
from generators.document import geometry
from generators.document.model import Block, Document, Figure, Meta, Paragraph, SignatureBlock, Table
from generators.indicators.assess import Cell, QuarterAssessment
from generators.indicators.compute import NO_VALUE, Attainment, Value
from generators.indicators.dictionary import Indicator
from generators.indicators.scoring import UnitScore, ranking
from generators.indicators.targets import Target, format_target, phrase, relative_words
from generators.render.charts import Bar, bar_chart
from generators.sheets.ledger import LedgerItem

WORDING = TEMPLATES / "supervision"
BASIC_COUNTS = ("活产数", "产妇数", "孕产妇死亡数", "婴儿死亡数", "7岁以下儿童数", "3岁以下儿童数")
VERDICT = {Attainment.MET: "达标", Attainment.MISSED: "未达标", Attainment.NO_DATA: "无数据", None: ""}


def shown(value: Value, ind: Indicator) -> str:
    return value.shown(ind.unit)


def signed(delta: Decimal | None) -> str:
    """+1.20 / −0.35 / 0.00, or — when there is nothing to compare."""
    if delta is None:
        return NO_VALUE
    return f"{'+' if delta > 0 else '−' if delta < 0 else ''}{abs(delta)}"


def target_words(target: Target) -> str:
    """A target as the problem lists write it: ≥95%, or for a relative one what it
    was and what it came to (比上年提高2个百分点，即≥95.10%)."""
    if target.relative is not None and target.relative.base is not None:
        return f"{relative_words(target)}，即{format_target(target)}"
    return phrase(target, "compact")


def change_text(cell: Cell, ind: Indicator) -> str:
    """+1.20 / −0.35 in the indicator's unit (percentage points for %)."""
    return signed(cell.change)


def change_words(cell: Cell, ind: Indicator) -> str:
    delta = cell.change
    if delta is None or delta == 0:
        return ""
    points = "个百分点" if ind.unit == "%" else ind.unit
    return f"本季度较上季度{'上升' if delta > 0 else '下降'}{abs(delta)}{points}"


def yoy_words(cell: Cell, ind: Indicator) -> str:
    """本季度比上年同季度上升1.20个百分点 (empty without the previous year)."""
    delta = cell.yoy
    if delta is None:
        return ""
    if delta == 0:
        return "与上年同季度持平"
    points = "个百分点" if ind.unit == "%" else ind.unit
    return f"比上年同季度{'上升' if delta > 0 else '下降'}{abs(delta)}{points}"


def gap_word(ind: Indicator) -> str:
    return "低于" if ind.better == "higher" else "高于"


NOT_COLLECTED = "未统计"


def _count_text(
    counts: dict[str, dict[str, int | None]], codes: dict[str, str], measures: dict[str, str]
) -> dict[str, str]:
    """Group totals of the basic counts by Chinese name, with their measure (10788人, 0例);
    未统计 when a unit left one blank (a "—" between 儿童 and 人 read as a typo)."""
    out = {}
    for name in BASIC_COUNTS:
        values = [unit_counts.get(codes[name]) for unit_counts in counts.values()]
        total = sum(v for v in values if v is not None)
        out[name] = NOT_COLLECTED if any(v is None for v in values) else f"{total}{measures.get(name, '')}"
    return out


def _collected(a: QuarterAssessment, codes: dict[str, str]) -> set[str]:
    """The basic counts this quarter's data holds (a book that assesses nothing over
    产妇数 does not collect it: the 通报 then leaves it out instead of 未统计)."""
    held = {code for own in a.quarter_counts.values() for code in own}
    return {name for name in BASIC_COUNTS if codes.get(name) in held}


def _lines_to_blocks(text: str, placeholders: dict[str, tuple[Block, ...]]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip(" \u3000\t")
        if not line:
            continue
        name = placeholder(line)  # only a template's own [[…]] lines, never a clerk's text
        if name is not None:
            blocks += placeholders.get(name, ())
        else:
            blocks.append(Paragraph.recognise(line))
    return tuple(blocks)


def indicator_table(a: QuarterAssessment, number: int) -> Table:
    """表1; with the previous year's results a 同比 column (this quarter less the same
    quarter of the previous year)."""
    yoy = a.has_last_year
    rows = []
    marked = set()
    for r, ind in enumerate(a.indicators):
        cell = a.group[ind.code]
        row = [
            str(r + 1),
            ind.name,
            phrase(cell.target, "compact") if cell.target else NO_VALUE,
            shown(cell.quarter, ind),
            shown(cell.ytd, ind),
            change_text(cell, ind),
        ]
        rows.append((*row, *([signed(cell.yoy)] if yoy else []), VERDICT[cell.attainment]))
        if cell.attainment is Attainment.MISSED:
            marked.update({(r, 4), (r, 7 if yoy else 6)})
    header = ["序号", "指标", "年度目标", "本季度", f"1—{a.period.quarter * 3}月累计", "较上季度"]
    note = "注：较上季度为本季度值与上季度值之差（%为百分点）；第一季度无上季度数据。"
    if yoy:
        note = "注：较上季度、同比分别为本季度值与上季度值、上年同季度值之差（%为百分点）；第一季度无上季度数据。"
    return Table(
        caption=f"表{number}　{a.period.long_label}集团主要指标完成情况",
        header=((*header, *(["同比"] if yoy else []), "达标"),),
        rows=tuple(rows),
        widths=(0.9, 4.1, 2.1, 2.3, 2.3, 1.6, 1.6, 1.8) if yoy else (0.9, 4.9, 2.1, 2.5, 2.5, 1.7, 1.6),
        align=("center", "left", "center", "right", "right", "right", *(["right"] if yoy else []), "center"),
        note=note,
        marked=frozenset(marked),
    )


def yoy_context(a: QuarterAssessment) -> dict | None:
    """Indicators up, down and level against the same quarter of the previous year
    (None without that year's results, so the 通报 says nothing)."""
    if not a.has_last_year:
        return None
    moved: dict[str, list[str]] = {"上升": [], "下降": [], "持平": []}
    for ind in a.yoy_indicators():
        delta = a.group[ind.code].yoy
        assert delta is not None
        moved["上升" if delta > 0 else "下降" if delta < 0 else "持平"].append(ind.name)
    return moved if any(moved.values()) else None


def unit_table(a: QuarterAssessment, number: int) -> Table:
    order = sorted(a.units, key=lambda u: (a.unit_rank[u], a.units.index(u)))
    rows = []
    for u in order:
        met, assessed = a.met[u]
        missed = [ind.name for ind in a.indicators if a.cell(u, ind).attainment is Attainment.MISSED]
        share = f"{100 * met / assessed:.1f}%" if assessed else NO_VALUE
        rows.append((str(a.unit_rank[u]), u, str(assessed), str(met), share, "、".join(missed) or "无"))
    return Table(
        caption=f"表{number}　各成员单位{a.period.ytd_label}指标达标情况",
        header=(("名次", "单位", "考核指标数", "达标数", "达标率", "未达标指标"),),
        rows=tuple(rows),
        widths=(1.3, 4.4, 1.8, 1.5, 1.7, 6.0),
        align=("center", "left", "right", "right", "right", "left"),
        note="注：按达标率排名，达标率相同时按达标数；无数据的指标不计入考核指标数。",
    )


def score_text(score: Fraction) -> str:
    """A score as printed: one decimal, half up (exact until here)."""
    tenths = math.floor(score * 10 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}"


def score_table(
    scores: Mapping[str, UnitScore],
    number: int,
    names: Mapping[str, str],
    year: Mapping[str, Fraction] | None = None,
    shares: str = "",
) -> Table:
    """表n 各成员单位考核得分及排名: by score; with the year's weighted score in Q4."""
    totals = dict(year) if year is not None else {u: s.total for u, s in scores.items()}
    vetoed = frozenset(u for u, s in scores.items() if s.vetoed)
    rows = []
    for r in ranking(totals, vetoed):
        s = scores[r.unit]
        notes = []
        if s.vetoed:
            notes.append("一票否决：" + "、".join(names[i.rule.indicator] for i in s.items if i.vetoed))
        if s.unreported:
            notes.append("未报：" + "、".join(names[code] for code in s.unreported))
        row = [str(r.rank), r.unit, score_text(s.base), score_text(s.bonus), score_text(s.total)]
        if year is not None:
            row.append(score_text(r.total))
        rows.append((*row, "；".join(notes) or ""))
    header = ["名次", "单位", "基本分", "加分", "本期得分"] + (["年度综合得分"] if year is not None else []) + ["备注"]
    full = next(iter(scores.values())).full if scores else Fraction(0)
    note = f"注：满分 {score_text(full)} 分；按责任书的考核评分办法计算，数值取累计数据。"
    if year is not None:
        note += f"年度综合得分 = {shares}。"
    widths = (1.3, 4.4, 1.6, 1.3, 2.1) + ((2.6,) if year is not None else ()) + (3.6,)
    align = ("center", "left", "right", "right", "right") + (("right",) if year is not None else ()) + ("left",)
    return Table(
        caption=f"表{number}　各成员单位考核得分及排名",
        header=(tuple(header),),
        rows=tuple(rows),
        widths=widths,
        align=align,
        note=note,
    )


def ledger_context(previous: Sequence[LedgerItem] | None) -> dict | None:
    """The previous quarter's 整改台账 as the 通报 reports it (None: none was given)."""
    if previous is None:
        return None
    closed = [i for i in previous if i.closed]
    still = [i for i in previous if not i.closed]
    return {
        "项数": len(previous),
        "已整改": len(closed),
        "未整改": [f"{i.unit}{i.indicator}（{i.found}发现，{i.status}）" for i in still],
    }


def indicator_chart(a: QuarterAssessment, codes: Sequence[str], number: int) -> Figure | None:
    chosen = [ind for ind in a.indicators if ind.unit == "%" and (not codes or ind.code in codes)]
    if not chosen:
        return None
    bars = []
    for ind in chosen:
        cell = a.group[ind.code]
        judged = cell.attainment in (Attainment.MET, Attainment.MISSED)
        target = cell.target.value if cell.target else None
        upper = cell.target.upper if cell.target else None
        met = cell.attainment is Attainment.MET if judged else None
        bars.append(Bar(ind.name, cell.ytd.rounded, target, met, upper))
    width = geometry.TYPE_WIDTH
    png, height = bar_chart(bars, width_mm=width)
    return Figure(f"图{number}　{a.period.ytd_label}集团主要指标（%）完成情况", png, width, height)


def _problem_context(
    a: QuarterAssessment, names: dict[str, str], closed: frozenset[tuple[str, str]] = frozenset()
) -> list[dict]:
    """Indicators missed year to date, with the units; a (unit, indicator) the previous
    ledger marks 已整改 is left out (it has been dealt with)."""
    problems: list[dict] = []
    for ind in a.indicators:
        missed = [u for u in a.units if a.cell(u, ind).attainment is Attainment.MISSED and (u, ind.name) not in closed]
        if not missed:
            continue
        unstable = [u for u in missed if a.cell(u, ind).ytd.unstable]
        problems.append(
            {
                "序号": chinese_numeral(len(problems) + 1),
                "指标": ind.name,
                "单位数值": [f"{u}为{shown(a.cell(u, ind).ytd, ind)}" for u in missed],
                "差距": gap_word(ind),
                "目标": _target_text(a, ind, missed),
                "不稳定": unstable,
                "分母名称": _denominator_name(ind, names),
                "不稳定下限": ind.unstable_below,
            }
        )
    return problems


def _target_text(a: QuarterAssessment, ind: Indicator, units: Sequence[str]) -> str:
    """The targets of ``units`` once each; relative ones written once with what they
    came to per unit (比上年提高2个百分点，分别为≥94.29%、≥98.78%)."""
    targets = [a.cell(u, ind).target for u in units]
    relative = [t for t in targets if t is not None and t.relative is not None and t.relative.base is not None]
    if len(relative) > 1 and len(relative) == len(targets) and len({relative_words(t) for t in relative}) == 1:
        return f"{relative_words(relative[0])}，分别为{'、'.join(format_target(t) for t in relative)}"
    return "、".join(dict.fromkeys(target_words(t) for t in targets if t is not None))


def _denominator_name(ind: Indicator, names: dict[str, str]) -> str:
    return "与".join(names.get(code, code) for code in ind.denominator)


def _missing_text(a: QuarterAssessment) -> list[str]:
    by_unit: dict[str, list[str]] = {}
    for u, ind in a.no_data():
        by_unit.setdefault(u, []).append(ind.name)
    return [f"{u}{'、'.join(names)}" for u, names in by_unit.items()]


def report_body(
    a: QuarterAssessment,
    *,
    count_names: dict[str, str],
    measures: dict[str, str] | None = None,
    book_title: str,
    visit: str,
    methods: str,
    next_steps: str,
    chart_codes: Sequence[str] = (),
    scores: Mapping[str, UnitScore] | None = None,
    year_scores: Mapping[str, Fraction] | None = None,
    year_shares: str = "",
    ledger: Sequence[LedgerItem] | None = None,
) -> tuple[Block, ...]:
    """The 通报's body.  ``scores``: the units' scores (a table and a sentence);
    ``year_scores``: the weighted year (Q4); ``ledger``: the previous quarter's 整改台账."""
    chart = indicator_chart(a, chart_codes, 1)
    closed = frozenset(i.key for i in ledger or () if i.closed)
    ranked = ranking(dict(year_scores) if year_scores is not None else {u: s.total for u, s in (scores or {}).items()})
    codes = {name: code for code, name in count_names.items()}
    met = [ind.name for ind in a.indicators if a.group[ind.code].attainment is Attainment.MET]
    missed = [ind.name for ind in a.indicators if a.group[ind.code].attainment is Attainment.MISSED]
    no_data = [ind.name for ind in a.indicators if a.group[ind.code].attainment is Attainment.NO_DATA]
    shares = {u: (a.met[u][0] / a.met[u][1] if a.met[u][1] else 0) for u in a.units}
    best, worst = max(shares.values()), min(shares.values())
    problems = _problem_context(a, count_names, closed)
    missing = _missing_text(a)
    text = render_file(
        WORDING,
        "report.txt.j2",
        期间=a.period.long_label,
        累计期间=a.period.ytd_label,
        责任书=book_title,
        督导时间=visit,
        督导方式=methods,
        单位数=len(a.units),
        收集=_collected(a, codes),
        本季度=_count_text(a.quarter_counts, codes, measures or {}),
        累计=_count_text(a.ytd_counts, codes, measures or {}),
        指标数=len(a.indicators),
        达标指标=met,
        未达标指标=missed,
        无数据指标=no_data,
        有图=chart is not None,
        全部达标单位=[u for u in a.units if a.met[u][1] and a.met[u][0] == a.met[u][1]],
        最高单位=[u for u in a.units if shares[u] == best],
        最低单位=[u for u in a.units if shares[u] == worst],
        问题列表=problems,
        缺报=missing,
        # The 问题 are numbered （一）（二）…; the two closing items go on from there.
        缺报序号=chinese_numeral(len(problems) + 1),
        整改序号=chinese_numeral(len(problems) + (2 if missing else 1)),
        下一步工作=next_steps,
        有得分=bool(scores),
        得分最高=[r.unit for r in ranked if r.rank == 1],
        年度综合=year_scores is not None,
        整改台账=ledger_context(ledger),
        同比=yoy_context(a),
    )
    return _lines_to_blocks(
        text,
        {
            "主要指标表": (indicator_table(a, 1),),
            "指标图": (chart,) if chart else (),
            "单位达标表": (unit_table(a, 2),),
            "得分表": (score_table(scores, 3, {i.code: i.name for i in a.indicators}, year_scores, year_shares),)
            if scores
            else (),
        },
    )


def feedback_document(
    a: QuarterAssessment,
    unit: str,
    *,
    count_names: dict[str, str],
    group: str,
    visit: str,
    methods: str,
    rectification: str,
    meta: Meta,
) -> Document:
    problems: list[dict] = []
    for ind in a.indicators:
        cell = a.cell(unit, ind)
        if cell.attainment is Attainment.MISSED:
            problems.append(
                {
                    "序号": chinese_numeral(len(problems) + 1),
                    "指标": ind.name,
                    "数值": f"{a.period.ytd_label}累计{shown(cell.ytd, ind)}",
                    "差距": gap_word(ind),
                    "目标": target_words(cell.target),  # type: ignore[arg-type]
                    "变化": change_words(cell, ind),
                    "同比": yoy_words(cell, ind),
                    "不稳定": cell.ytd.unstable,
                    "分母名称": _denominator_name(ind, count_names),
                    "不稳定下限": ind.unstable_below,
                }
            )
    missing = [
        {"序号": chinese_numeral(len(problems) + i + 1), "指标": ind.name}
        for i, ind in enumerate(ind for ind in a.indicators if a.cell(unit, ind).attainment is Attainment.NO_DATA)
    ]
    met, assessed = a.met[unit]
    text = render_file(
        WORDING,
        "feedback.txt.j2",
        单位=unit,
        督导时间=visit,
        督导方式=methods,
        累计期间=a.period.ytd_label,
        考核数=assessed,
        达标数=met,
        单位数=len(a.units),
        名次=a.unit_rank[unit],
        问题列表=problems,
        缺报=missing,
        整改要求=rectification,
    )
    body = _lines_to_blocks(text, {})
    # Field lines (被督导单位：…) are not indented; numbered lines keep their levels.
    body = tuple(
        dataclasses.replace(b, indent=False) if isinstance(b, Paragraph) and i < 3 else b for i, b in enumerate(body)
    )
    return Document(
        meta=meta,
        title_lines=(group, f"{a.period.long_label}督导反馈意见"),
        body=(*body, SignatureBlock(("督导组组长", "被督导单位负责人"))),
    )
