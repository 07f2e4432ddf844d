"""Titles broken into lines at word boundaries (GB/T 9704-2012 7.3.3: a trapezoid or
diamond, not a full line and a stub), in linear time.

In: a title.  Out: its lines.
"""

from __future__ import annotations

import math
import re

from generators.document.geometry import TITLE_PT, TYPE_WIDTH, mm_to_pt, text_width_chars

TITLE_CHARS_PER_LINE = int(mm_to_pt(TYPE_WIDTH) // TITLE_PT)  # 20 at 2号
_GOOD_BREAK_AFTER = "》）的和及与、，"
_GOOD_BREAK_BEFORE = "《（"
_NO_LINE_START = "，。、；：》）”’"
_NO_LINE_END = "《（“‘"
# Words of this trade that a title line must not split (no segmenter is shipped).
_WORDS = (
    "妇幼保健集团 妇幼保健院 妇幼保健所 成员单位 "
    "关于 印发 转发 通知 通报 报告 请示 批复 意见 决定 函 工作 计划 要点 目标 管理 责任书 "
    "妇幼 保健 集团 卫生 医院 季度 年度 督导 情况 考核 实施 方案 孕产妇 儿童 新生儿 成员 单位 "
    "连云港 全市 全省 基层 项目 服务 规范 标准 评估 监测 统计 爱婴"
).split()


def _breakable(text: str) -> list[int]:
    """Positions where a title may be broken."""
    forbidden: set[int] = set()
    for word in _WORDS:
        for m in re.finditer(re.escape(word), text):
            forbidden.update(range(m.start() + 1, m.end()))
    for m in re.finditer(r"[0-9A-Za-z〇一二三四五六七八九十]{2,}", text):
        forbidden.update(range(m.start() + 1, m.end()))
    return [
        i
        for i in range(1, len(text))
        if i not in forbidden and text[i] not in _NO_LINE_START and text[i - 1] not in _NO_LINE_END
    ]


def break_title(title: str, width: int = TITLE_CHARS_PER_LINE) -> tuple[str, ...]:
    """Break a long title into balanced lines (the standard asks for a trapezoid or
    diamond, not a full line and a stub) at word boundaries, preferring 《》 and 的.
    A clerk who wants other breaks writes 标题 as a list of lines.

    Linear in the title's length: widths are prefix sums and each line looks only at
    the positions within one line's width of its start."""
    if text_width_chars(title) <= width:
        return (title,)
    n = len(title)
    prefix = [0.0]
    for ch in title:
        prefix.append(prefix[-1] + (0.5 if ch.isascii() else 1.0))
    lines: list[str] = []
    start = 0
    for remaining in range(math.ceil(prefix[n] / width), 1, -1):
        rest = title[start:]
        ideal = (prefix[n] - prefix[start]) / remaining
        # A line holds at most 2·width characters (all half-width): only those are looked at.
        window = rest[: 2 * width + 2]
        fits = [i for i in _breakable(window) if prefix[start + i] - prefix[start] <= width]
        if not fits:
            fits = [max(i for i in range(1, len(window)) if prefix[start + i] - prefix[start] <= width)]

        def cost(i: int, start: int = start, ideal: float = ideal, remaining: int = remaining) -> float:
            good = title[start + i - 1] in _GOOD_BREAK_AFTER or title[start + i] in _GOOD_BREAK_BEFORE
            overflow = prefix[n] - prefix[start + i] > width * (remaining - 1)
            return abs(prefix[start + i] - prefix[start] - ideal) - (2.5 if good else 0) + (100 if overflow else 0)

        cut = min(fits, key=cost)
        lines.append(title[start : start + cut])
        start += cut
    if prefix[n] - prefix[start] > width:  # short lines before left too much: break the rest too
        return (*lines, *break_title(title[start:], width))
    lines.append(title[start:])
    return tuple(lines)
