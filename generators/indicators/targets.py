"""Target phrases (达95%以上, 控制在5/10万以下, ≤10‰ …) → comparator, value, unit.

Semantics follow the spec (shared/spec/indicators.md): 以上/达/达到/不低于/≥ mean ≥;
以下/以内/控制在…以下/不高于/≤ mean ≤; 低于 alone is strict <, 高于/超过 strict >;
a bare value (持证上岗率100%) means ≥, or ≤ when the caller says lower is better.
Only rates are targets: a count such as 不低于2篇 is rejected.  Traditional script
(達96%, 控制在30/10萬以內, 不低於) is read through a character mapping
(``core.script``), so it is the same grammar, not a second one.

Relative targets (比上年提高2个百分点, 较上年下降10%) are Targets with ``relative``
set: they cannot be judged until ``resolve`` has put the previous year's value in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Literal

from generators.core.errors import InputError, Where
from generators.core.script import to_simplified, traditional_characters
from generators.indicators.dictionary import Better, Indicator, IndicatorDictionary, RateUnit, default_dictionary

Comparator = Literal[">=", ">", "<=", "<", "=="]
Style = Literal["compact", "seed", "long"]

# One character in, one character out, so positions in the normalised text are
# positions in the original (extract_targets slices the original by them).
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "．": ".",
        "％": "%",
        "﹪": "%",
        "＜": "<",
        "﹤": "<",
        "＞": ">",
        "﹥": ">",
        "＝": "=",
        "﹦": "=",
        "≧": "≥",
        "⩾": "≥",
        "≦": "≤",
        "⩽": "≤",
        "／": "/",
        "～": "~",
        "〜": "~",
    }
)

# Lead words and symbols.  "ctl" (控制在…) takes its direction from 以上/以下 and
# otherwise means ≤, since one controls a rate that should stay low.
_LEADS: dict[str, str] = {
    **dict.fromkeys("≥ >= 大于等于 大于或等于 不低于 不少于 不小于 达到 达 提高到 提高至 提升到 提升至".split(), ">="),
    **dict.fromkeys("≤ <= 小于等于 小于或等于 不高于 不超过 不大于 不多于".split(), "<="),
    **dict.fromkeys("< 低于 小于 少于 不足".split(), "<"),
    **dict.fromkeys("> 高于 超过 大于 多于".split(), ">"),
    **dict.fromkeys("== = 等于 为".split(), "=="),
    **dict.fromkeys("控制在 保持在 维持在 稳定在 降至 降到 降低到 降低至 下降到 下降至 在".split(), "ctl"),
}
_TAILS: dict[str, str] = {
    **dict.fromkeys(["以上", "及以上", "或以上"], "up"),
    **dict.fromkeys(["以下", "及以下", "或以下", "以内", "之内", "内"], "down"),
}
_UNITS: dict[str, RateUnit] = {"%": "%", "‰": "‰", "/10万": "/10万", "/100000": "/10万"}


def _alternation(words: list[str]) -> str:
    # Longest first so 达到 wins over 达 and >= over >.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_LEAD = _alternation(list(_LEADS))
_TAIL = _alternation(list(_TAILS))
_UNIT = _alternation(list(_UNITS))
_NUM = r"[0-9]+(?:\.[0-9]+)?"

# A range: 20%～30%, 20%-30%, 20至30%, 控制在20%～30%之间.
_RANGE = re.compile(
    rf"(?:控制在|保持在|维持在|稳定在|在)?(?P<low>{_NUM})(?P<low_unit>{_UNIT})?(?:~|-|—|–|至|到)"
    rf"(?P<high>{_NUM})(?P<unit>{_UNIT})(?:之间|范围内|以内|内)?"
)
# 力争达到95%: a resolve before the lead word says nothing about the comparison.
_RESOLVE = "(?:力争|争取|确保|努力)"
_PHRASE = re.compile(rf"{_RESOLVE}?(?P<lead>{_LEAD})?(?P<num>{_NUM})(?P<unit>{_UNIT})(?P<tail>{_TAIL})?")
_OTHER_UNIT = re.compile(rf"(?:{_LEAD})?{_NUM}(?P<unit>[^0-9.%‰/、,，]+?)(?:{_TAIL})?")
_EDGE_PUNCT = "。；;，,、！!：:"

# Relative targets: 比上年提高2个百分点, 较去年同期下降10%, 提高2个百分点 (the year
# before is meant when no basis is named).  个百分点 compares % rates by difference,
# 个千分点 ‰ rates; a bare % (下降10%) is a change relative to the basis.
_UP_VERBS = "提高 提升 上升 增加 增长".split()
_DOWN_VERBS = "下降 降低 减少 减低".split()
_RELATIVE = re.compile(
    rf"{_RESOLVE}?(?:(?:比|较|与)(?P<basis>上年|上一年|去年|上年度|前一年)(?:同期)?(?:相比)?(?:水平)?)?"
    rf"(?P<verb>{_alternation(_UP_VERBS + _DOWN_VERBS)})(?P<num>{_NUM})"
    rf"(?P<unit>个百分点|百分点|个千分点|千分点|%)(?P<tail>以上)?"
)

_AS_COMPARATOR: dict[str, Comparator] = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "==": "=="}
_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


@dataclass(frozen=True)
class Relative:
    """A change against the previous year: ``points`` adds or subtracts ``amount`` in
    the rate's unit (个百分点), ``ratio`` scales by amount % (下降10%: × 0.9).
    ``base`` is the previous year's value once resolved."""

    kind: Literal["points", "ratio"]
    direction: Literal["up", "down"]
    amount: Decimal
    base: Decimal | None = None


@dataclass(frozen=True)
class Target:
    """A rate target: ``value`` is kept exactly as written (Decimal("6.8")).  A range
    (控制在20%～30%, 90%至95%之间) is ``>=`` its lower bound with ``upper`` inclusive.
    ``origin`` is where it was written (file, line, field), for later messages."""

    comparator: Comparator
    value: Decimal
    unit: RateUnit
    text: str
    upper: Decimal | None = None
    relative: Relative | None = None
    origin: Where = field(default_factory=lambda: Where(), compare=False, repr=False)

    @property
    def unresolved(self) -> bool:
        return self.relative is not None and self.relative.base is None

    def __str__(self) -> str:
        return format_target(self)


def _fold(text: str) -> str:
    return to_simplified(text.translate(_FOLD))


def _comparator(lead: str | None, tail: str | None, bare: Comparator) -> Comparator | None:
    """Combine lead word and 以上/以下; None when they contradict (达5%以下)."""
    base = _LEADS[lead] if lead else None
    direction = _TAILS[tail] if tail else None
    if direction is None:
        if base is None:
            return bare
        return "<=" if base == "ctl" else _AS_COMPARATOR[base]
    if direction == "up":
        return ">=" if base in (None, "ctl", "==", ">=") else (">" if base == ">" else None)
    return "<=" if base in (None, "ctl", "==", "<=") else ("<" if base == "<" else None)


def parse_target(
    text: str,
    *,
    where: str | None = None,
    file: Path | str | None = None,
    line: int | None = None,
    field: str | None = None,
    better: Better | None = None,
) -> Target:
    """Parse one target phrase.  ``better="lower"`` makes a bare value mean ≤.

    Raises InputError quoting the text when it is not a single rate target.
    """

    origin = Where(file=file, line=line, field=field, where=where)

    def fail(reason: str = "") -> InputError:
        message = f"无法识别的目标值“{str(text).strip()}”{reason}"
        return InputError(message, **origin)

    if not isinstance(text, str):
        raise fail("：应为文字")
    # A trailing full stop is tolerated; a leading "." would change the number.  The
    # fold is one character for one, so ``written`` slices like ``compact``.
    written = "".join(text.split())
    compact = _fold(written)
    start = len(compact) - len(compact.lstrip(_EDGE_PUNCT))
    compact = compact.strip(_EDGE_PUNCT).rstrip(".")
    written = written[start : start + len(compact)]
    if not compact:
        raise fail("：内容为空")
    if (r := _RANGE.fullmatch(compact)) is not None:
        return replace(_range(r, text, fail), origin=origin)
    if (rel := _RELATIVE.fullmatch(compact)) is not None:
        return replace(_relative(rel, text), origin=origin)
    m = _PHRASE.fullmatch(compact)
    if m is None:
        if len(re.findall(rf"{_NUM}(?:{_UNIT})", compact)) > 1:
            raise fail("：含有多个数值，一个目标只能有一个数")
        other = _OTHER_UNIT.fullmatch(compact)
        if other is not None:
            raise fail(f"：“{other['unit']}”不是比率单位，目标值只能用 %、‰ 或 /10万")
        raise fail(_not_understood(compact, written))
    bare: Comparator = "<=" if better == "lower" else ">="
    comparator = _comparator(m["lead"], m["tail"], bare)
    if comparator is None:
        lead, tail = written[m.start("lead") : m.end("lead")], written[m.start("tail") : m.end("tail")]
        raise fail(f"：“{lead}”与“{tail}”方向相反")
    return Target(comparator, Decimal(m["num"]), _UNITS[m["unit"]], text.strip(), origin=origin)


def _relative(m: re.Match[str], text: str) -> Target:
    up = m["verb"] in _UP_VERBS
    kind: Literal["points", "ratio"] = "ratio" if m["unit"] == "%" else "points"
    unit: RateUnit = "‰" if "千分点" in m["unit"] else "%"
    relative = Relative(kind, "up" if up else "down", Decimal(m["num"]))
    return Target(">=" if up else "<=", Decimal(m["num"]), unit, text.strip(), relative=relative)


def resolve(target: Target, base: Decimal, unit: RateUnit | None = None) -> Target:
    """A relative target made absolute against the previous year's ``base`` (in the
    indicator's ``unit``): 比上年提高2个百分点 with a base of 93.10 is ≥95.10."""
    rel = target.relative
    if rel is None:
        return target
    sign = 1 if rel.direction == "up" else -1
    if rel.kind == "points":
        value = base + sign * rel.amount
    else:
        value = base * (1 + sign * rel.amount / 100)
    return replace(target, value=value, unit=unit or target.unit, relative=replace(rel, base=base))


def _range(r: re.Match[str], text: str, fail: Callable[[str], InputError]) -> Target:
    low, high, unit = Decimal(r["low"]), Decimal(r["high"]), _UNITS[r["unit"]]
    if r["low_unit"] and _UNITS[r["low_unit"]] != unit:
        raise fail(f"：范围两端的单位不同（{r['low_unit']} 与 {r['unit']}）")
    if low >= high:
        raise fail(f"：范围的下限 {r['low']} 应小于上限 {r['high']}")
    return Target(">=", low, unit, text.strip(), upper=high)


_EXAMPLES = "（应写成如“达95%”“≥95%”“不低于95%”“控制在5/10万以下”“低于1%”“20%～30%”“比上年提高2个百分点”）"
_LEAD_WORDS = "达、达到、不低于、不少于、≥、控制在、不高于、不超过、≤、低于、高于、为"
_TAIL_WORDS = "以上、以下、以内、内"


def _not_understood(compact: str, written: str) -> str:
    """Which word around the value was not understood, quoted as the clerk wrote it (and
    as read, when it was in traditional script)."""
    values = list(re.finditer(rf"{_NUM}(?:{_UNIT})", compact))
    if len(values) != 1:
        return _EXAMPLES
    value = values[0]
    before, after = compact[: value.start()], compact[value.end() :]
    lead = re.match(rf"{_RESOLVE}?(?:{_LEAD})?$", before) is not None
    tail = re.match(rf"(?:{_TAIL})$", after) is not None or not after
    if lead and tail:
        return _EXAMPLES
    if not lead:
        word, as_read, known, place = written[: value.start()], before, _LEAD_WORDS, "数值前"
    else:
        word, as_read, known, place = written[value.end() :], after, _TAIL_WORDS, "数值后"
    read = f"（按简体即“{as_read}”）" if traditional_characters(word) else ""
    return f"：{place}的“{word}”{read}无法识别；{place}可写：{known}"


def _decimal(value: Decimal | float | int) -> Decimal:
    # str() of a float is its shortest repr, so 95.0 compares equal to Decimal("95").
    return value if isinstance(value, Decimal) else Decimal(str(value))


def target_met(target: Target, value: Decimal | float | int) -> bool:
    """True when ``value`` (already in the target's unit) satisfies the target.

    The boundary meets ≥ and ≤ but not > or <.  NaN never meets a target.
    """
    if target.unresolved:
        raise ValueError(f"relative target {target.text!r} judged before its base was resolved")
    v = _decimal(value)
    if v.is_nan():
        return False
    t = target.value
    if target.upper is not None and v > target.upper:
        return False
    return {
        ">=": v >= t,
        ">": v > t,
        "<=": v <= t,
        "<": v < t,
        "==": v == t,
    }[target.comparator]


def _number(value: Decimal | float | int) -> str:
    return format(_decimal(value), "f")


def relative_words(target: Target) -> str:
    """比上年提高2个百分点 / 比上年下降10% / 比上年下降1个千分点."""
    rel = target.relative
    assert rel is not None
    verb = "提高" if rel.direction == "up" else "下降"
    unit = "%" if rel.kind == "ratio" else ("个千分点" if target.unit == "‰" else "个百分点")
    return f"比上年{verb}{_number(rel.amount)}{unit}"


def format_target(target: Target) -> str:
    """Compact table form: ≥95%, ≤5/10万, <1%, 20%～30%; an unresolved relative target
    in words (比上年提高2个百分点); a resolved one as its value (≥95.1%)."""
    if target.unresolved:
        return relative_words(target)
    if target.upper is not None:
        low = _number(target.value) + ("" if target.unit == "/10万" else target.unit)  # 5～10/10万
        return f"{low}～{_number(target.upper)}{target.unit}"
    return f"{_SYMBOL[target.comparator]}{_number(target.value)}{target.unit}"


def phrase(target: Target, style: Style = "seed") -> str:
    """Write a target back as words.

    ``seed``: 达95% / 控制在5/10万以下 / 低于1% / 高于70% / 为100% (the wording of
    seed 000); ``long``: like seed but 达95%以上 for ≥ below 100%; ``compact``: ≥95%.
    Every style parses back to the same comparator, value and unit.
    """
    if style == "compact":
        return format_target(target)
    if style not in ("seed", "long"):
        raise ValueError(f"unknown style {style!r}")
    if target.unresolved:
        return relative_words(target)
    if target.upper is not None:
        return f"控制在{format_target(target)}"
    v = f"{_number(target.value)}{target.unit}"
    c = target.comparator
    if c == ">=":
        full = target.unit == "%" and target.value == 100
        return f"达{v}以上" if style == "long" and not full else f"达{v}"
    if c == "<=":
        return f"控制在{v}以下"
    if c == "<":
        return f"低于{v}"
    if c == ">":
        return f"高于{v}"
    return f"为{v}"


def check_unit(
    target: Target,
    indicator: Indicator,
    *,
    where: str | None = None,
    file: Path | str | None = None,
    line: int | None = None,
    field: str | None = None,
) -> None:
    """InputError when the target's unit does not fit the indicator (‰ on a % indicator).
    A relative change in % (下降10%) fits every indicator; 个百分点 only a % one."""
    if target.relative is not None and target.relative.kind == "ratio":
        return
    if target.relative is not None and target.unit != indicator.unit:
        points = "个千分点" if target.unit == "‰" else "个百分点"
        raise InputError(
            f"指标“{indicator.name}”以 {indicator.unit} 表示，目标值“{target.text}”的“{points}”只用于以 "
            f"{target.unit} 表示的指标；可写成相对变化（如“比上年下降10%”）",
            file=file,
            line=line,
            where=where,
            field=field,
        )
    if target.unit != indicator.unit:
        raise InputError(
            f"指标“{indicator.name}”以 {indicator.unit} 表示，目标值“{target.text}”却用了 {target.unit}",
            file=file,
            line=line,
            where=where,
            field=field,
        )


# ---------------------------------------------------------------------------
# Targets inside running text

_VALUE = rf"{_NUM}(?:{_UNIT})"
_IN_TEXT = re.compile(rf"(?P<lead>{_LEAD})?(?<![0-9.])(?P<values>{_VALUE}(?:[、和及/]{_VALUE})*)(?P<tail>{_TAIL})?")
_ONE_VALUE = re.compile(_VALUE)
_RANGE_IN_TEXT = re.compile(_RANGE.pattern)


def _matches(text: str) -> list[re.Match[str]]:
    """Targets in ``text`` left to right; a range (控制在20%～30%) is one match, never
    its lower bound alone."""
    out: list[re.Match[str]] = []
    pos = 0
    while True:
        single, band = _IN_TEXT.search(text, pos), _RANGE_IN_TEXT.search(text, pos)
        found = band if band and (single is None or band.start() <= single.start()) else single
        if found is None:
            return out
        out.append(found)
        pos = found.end()


_CLAUSE_END = set("，。；;,:：!！?？")
_CONJUNCTIONS = "、和及与/"
_NUMBERING = re.compile(r"^(?:[(（][0-9一二三四五六七八九十]+[)）]|[0-9一二三四五六七八九十]+[、.)）])+")
_LEADING_WORDS = re.compile(r"^(?:其中|同时|另外)")
_TRAILING_WORDS = re.compile(r"(?:分别|均|都|应当|应|要|需|须|必须|力争|争取|确保|仍|继续)+$")
_QUOTED = re.compile(r"[“\"]([^“”\"]{1,12})[”\"]")
_MAX_SUBJECT = 80  # names are short; this bounds the suffix search on long clauses


def _split_names(subject: str, dictionary: IndicatorDictionary) -> list[str]:
    """Indicator names in a subject such as 产后访视及新生儿访视率 → [产后访视率, 新生儿访视率].

    Right to left: the longest suffix that is a known name; then, if a conjunction
    precedes it, the conjunct before it, either a name by itself or completed with a
    tail of the name to its right (产后访视 + 率, 孕妇 + “孕育通”开通率).
    """
    names: list[str] = []
    rest = subject
    following: str | None = None
    while rest:
        found: tuple[int, str] | None = None
        for k in range(len(rest)):
            cand = rest[k:]
            if dictionary.find(cand) is not None:
                found = (k, cand)
                break
            if following is not None:
                for j in range(1, len(following)):  # longest shared tail first
                    if dictionary.find(cand + following[j:]) is not None:
                        found = (k, cand + following[j:])
                        break
                if found:
                    break
        if found is None:
            break
        k, name = found
        names.insert(0, name)
        following = rest[k:]
        rest = rest[:k]
        if not rest or rest[-1] not in _CONJUNCTIONS:
            break
        rest = rest[:-1]
    return names


def _borrow_quoted(before: str, subject: str, dictionary: IndicatorDictionary) -> list[str]:
    """开通率 right after a clause about “村医通” → “村医通”开通率 (nearest quoted term first)."""
    for term in reversed(_QUOTED.findall(before)):
        name = f"“{term}”{subject}"
        if dictionary.find(name) is not None:
            return [name]
    return []


def extract_targets(
    sentence: str,
    *,
    dictionary: IndicatorDictionary | None = None,
    where: str | None = None,
    file: Path | str | None = None,
    line: int | None = None,
) -> list[tuple[str, Target]]:
    """Find “indicator … target” pairs in a sentence, left to right.

    Names are returned as written (spaces removed); resolve them with
    ``dictionary.find``.  ``孕妇和儿童“孕育通”开通率分别达到80%、60%以上`` gives two
    pairs, ``产后访视及新生儿访视率达95%`` two pairs sharing one target.  Limits: a
    subject must end in a known name or in 率/度/比 (so 半年占40% is skipped); a
    subject that names no indicator by itself (开通率 after a clause about 村医通) is
    returned as written; a range (控制在20%～30%) is kept whole; strata
    (农村达到45%、城市达到70%) and relative targets (年增长2个百分点) are not
    recognised.  Line breaks are ignored, so pass one sentence or one numbered item at a time.
    """
    dictionary = dictionary or default_dictionary()
    kept = [ch for ch in sentence if not ch.isspace()]
    original = "".join(kept)
    text = _fold(original)
    assert len(text) == len(original)
    out: list[tuple[str, Target]] = []
    prev_end = 0
    for m in _matches(text):
        start = prev_end
        for i in range(m.start() - 1, prev_end - 1, -1):
            if text[i] in _CLAUSE_END:
                start = i + 1
                break
        prev_end = m.end()
        a, b = max(start, m.start() - _MAX_SUBJECT), m.start()
        for pattern in (_NUMBERING, _LEADING_WORDS):
            cut = pattern.match(text, a, b)
            if cut:
                a = cut.end()
        cut = _TRAILING_WORDS.search(text, a, b)
        if cut:
            b = cut.start()
        subject = original[a:b]
        if not subject:
            continue
        names = _split_names(subject, dictionary) or _borrow_quoted(original[:a], subject, dictionary)
        if not names:
            if not text[a:b].endswith(("率", "度", "比")):
                continue  # 考核评分半年占40%: a share, not an indicator target
            names = [subject]
        if m.re is _RANGE_IN_TEXT:
            values = [original[m.start() : m.end()]]
        else:
            lead = original[m.start("lead") : m.end("lead")] if m["lead"] else ""
            tail = original[m.start("tail") : m.end("tail")] if m["tail"] else ""
            values_at = m.start("values")
            values = [original[values_at + v.start() : values_at + v.end()] for v in _ONE_VALUE.finditer(m["values"])]
        if len(values) == 1:
            phrases = [original[m.start() : m.end()]] * len(names)
        elif len(values) == len(names):
            phrases = [lead + v + tail for v in values]
        else:
            raise InputError(
                f"“{subject}”列出 {len(names)} 个指标，却有 {len(values)} 个目标值，无法一一对应",
                file=file,
                line=line,
                where=where,
            )
        for name, text_of_target in zip(names, phrases, strict=True):
            indicator = dictionary.find(name)
            better = indicator.better if indicator else None
            target = parse_target(text_of_target, where=where, file=file, line=line, better=better)
            out.append((name, target))
    return out
