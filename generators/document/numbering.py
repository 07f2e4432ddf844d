"""Recognise the level of a heading from the numbering clerks type (GB/T 9704 7.3.3).

一、 → 1, （一） → 2, 1. / 1、 / 1． → 3, （1） / ⑴ → 4.  Anything else is body text (0).
Circled numbers (①) are list items inside body text and stay level 0.
"""

from __future__ import annotations

import re

CN_NUM = "一二三四五六七八九十百〇零两"
_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^[{CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    (4, re.compile(r"^[（(][0-9０-９]{1,3}[）)]|^[\u2474-\u2487]")),
    # "1." must not swallow decimals ("1.5倍") or years ("2012年").
    (3, re.compile(r"^[0-9０-９]{1,3}(?:[．、]|\.(?![0-9０-９])|\s+(?=\S))")),
]
SENTENCE_END = "。"


def heading_level(text: str) -> int:
    """Level 1–4 of a numbered heading, 0 for body text."""
    stripped = text.lstrip(" \u3000\t")
    for level, pattern in _PATTERNS:
        if pattern.match(stripped):
            return level
    return 0


def split_heading(text: str, level: int) -> tuple[str, str]:
    """Split a level-1/2 paragraph into the heading (its own face) and the body text
    that follows on the same paragraph after the first full stop."""
    if level not in (1, 2):
        return "", text
    end = text.find(SENTENCE_END)
    if end == -1 or end == len(text) - 1:
        return text, ""
    return text[: end + 1], text[end + 1 :]
