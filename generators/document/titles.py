"""Titles and headings broken into lines at word boundaries (GB/T 9704-2012 7.3.3: a
trapezoid or diamond, not a full line and a stub), in linear time.

Word boundaries come from jieba (its dictionary ships with the package; nothing is
fetched), with the trade's compounds added so that 妇幼保健 or 成员单位 stay whole.

In: a title or a heading.  Out: its lines.
"""

from __future__ import annotations

import logging
import math
import re
from functools import cache

from generators.core.paths import font_cache_dir
from generators.document.geometry import CHARS_PER_LINE, PARA_INDENT_CHARS, TITLE_PT, TYPE_WIDTH, mm_to_pt

TITLE_CHARS_PER_LINE = int(mm_to_pt(TYPE_WIDTH) // TITLE_PT)  # 20 at 2号
_GOOD_BREAK_AFTER = "》）的和及与、，"
_GOOD_BREAK_BEFORE = "《（"
_NO_LINE_START = "，。、；：？！》）」』”’"
_NO_LINE_END = "《（「『“‘"
# Compounds of this trade that a line must not split, where jieba's dictionary would cut
# them into smaller words (it has 妇幼保健 but not 妇幼保健集团, 目标管理责任书 …).
_TRADE_WORDS = (
    "妇幼保健集团 妇幼保健院 妇幼保健所 妇幼保健 成员单位 目标管理 责任书 工作要点 工作计划 "
    "督导情况 孕产妇 新生儿 爱婴医院 听力障碍 听力筛查 出生缺陷 托幼机构 儿童保健 妇女保健"
).split()


@cache
def _tokenizer():
    """jieba's tokenizer with the trade's words, its prefix-dictionary cache kept in the
    project's cache folder (jieba's default is a fixed name in the shared temp folder)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    folder = font_cache_dir().parent / "jieba"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(folder)
    except OSError:  # a read-only cache folder: jieba builds its dictionary in memory each time
        tokenizer.tmp_dir = None
        tokenizer.cache_file = None
    for word in _TRADE_WORDS:
        tokenizer.add_word(word, freq=100000)
    return tokenizer


def word_ends(text: str) -> set[int]:
    """Positions in ``text`` where a word ends (jieba, without guessing unknown words),
    numbers and Latin runs kept whole."""
    ends = {end for _, _, end in _tokenizer().tokenize(text, HMM=False)}
    for m in re.finditer(r"[0-9A-Za-z.%‰〇一二三四五六七八九十]{2,}", text):
        ends.difference_update(range(m.start() + 1, m.end()))
    return ends


def _breakable(text: str) -> list[int]:
    """Positions where a line may be broken: word boundaries that no punctuation rule
    forbids (a line neither starts with ，。》 nor ends with 《（)."""
    ends = word_ends(text)
    return [
        i
        for i in range(1, len(text))
        if i in ends and text[i] not in _NO_LINE_START and text[i - 1] not in _NO_LINE_END
    ]


def _widths(text: str) -> list[float]:
    prefix = [0.0]
    for ch in text:
        prefix.append(prefix[-1] + (0.5 if ch.isascii() else 1.0))
    return prefix


def break_title(title: str, width: int = TITLE_CHARS_PER_LINE) -> tuple[str, ...]:
    """Break a long title into balanced lines (the standard asks for a trapezoid or
    diamond, not a full line and a stub) at word boundaries, preferring 《》 and 的;
    never a last line of one character.  A clerk who wants other breaks writes 标题 as a
    list of lines.

    Linear in the title's length: widths are prefix sums, the title is segmented once,
    and each line looks only at the positions within one line's width of its start."""
    prefix = _widths(title)
    n = len(title)
    if prefix[n] <= width:
        return (title,)
    allowed = set(_breakable(title))
    lines: list[str] = []
    start = 0
    for remaining in range(math.ceil(prefix[n] / width), 1, -1):
        ideal = (prefix[n] - prefix[start]) / remaining
        # A line holds at most 2·width characters (all half-width): only those are looked at.
        window = range(start + 1, min(n, start + 2 * width + 2))
        fitting = [i for i in window if prefix[i] - prefix[start] <= width and n - i > 1]
        fits = [i for i in fitting if i in allowed] or fitting or [start + 1]

        def cost(i: int, start: int = start, ideal: float = ideal, remaining: int = remaining) -> float:
            good = title[i - 1] in _GOOD_BREAK_AFTER or title[i] in _GOOD_BREAK_BEFORE
            overflow = prefix[n] - prefix[i] > width * (remaining - 1)
            return abs(prefix[i] - prefix[start] - ideal) - (2.5 if good else 0) + (100 if overflow else 0)

        cut = min(fits, key=cost)
        lines.append(title[start:cut])
        start = cut
    if prefix[n] - prefix[start] > width:  # short lines before left too much: break the rest too
        return (*lines, *break_title(title[start:], width))
    lines.append(title[start:])
    return tuple(lines)


def break_heading(
    heading: str, first: float = CHARS_PER_LINE - PARA_INDENT_CHARS, rest: float = CHARS_PER_LINE
) -> tuple[str, ...]:
    """Lines of a heading standing alone on its lines (first line indented two cells):
    as full as they go, broken at word boundaries, and never leaving one character alone
    on the last line (the word before it comes down too).  One line when it fits."""
    prefix = _widths(heading)
    n = len(heading)
    if prefix[n] <= first:
        return (heading,)
    allowed = set(_breakable(heading))
    lines: list[str] = []
    start, room = 0, first
    while prefix[n] - prefix[start] > room:
        # A line holds at most 2·room characters (all half-width): only those are looked at.
        window = range(start + 1, min(n, start + 2 * math.ceil(room) + 2))
        fitting = [i for i in window if prefix[i] - prefix[start] <= room]
        if not fitting:
            fitting = [start + 1]
        # Leave at least two characters to the last line.
        fitting = [i for i in fitting if n - i > 1] or fitting
        cut = max((i for i in fitting if i in allowed), default=max(fitting))
        lines.append(heading[start:cut])
        start, room = cut, rest
    lines.append(heading[start:])
    return tuple(lines)
