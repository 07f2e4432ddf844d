"""Recognise the level of a heading from the numbering clerks type (GB/T 9704 7.3.3),
and the label styles a level may be numbered with.

``heading_level``: 一、 → 1, （一） → 2, 1. / 1、 / 1． → 3, （1） / ⑴ → 4; anything else
is body text (0), circled numbers (①) included: they are list items inside body text.
``LabelStyle`` / ``parse_style`` / ``leading_label``: every style (一、 （一） 1. （1） ⑴ ①
㈠ a. （a） …) as data, to write the n-th label or find one at the start of a text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generators.core.numerals import chinese_numeral

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


# Label styles (层次序数) a document may number a level with: a counter and the
# punctuation around it.  GB/T 9704 7.3.3 gives 一、 （一） 1. （1）; Chinese official
# writing goes on with ⑴ ① and letters, and clerks type 1、 1） (1) as well.
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
PARENTHESISED_HAN = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
LATIN = "abcdefghijklmnopqrstuvwxyz"
_ENCLOSED = {"①": CIRCLED, "⑴": PARENTHESISED, "㈠": PARENTHESISED_HAN}
# (prefix, suffix) each open counter takes: Chinese numerals 、 or brackets, Arabic
# digits and letters a full stop (half or full width), brackets or a closing bracket.
_AFFIXES = {
    "一": (("", "、"), ("（", "）"), ("(", ")")),
    "1": (("", "."), ("", "．"), ("", "、"), ("（", "）"), ("(", ")"), ("", "）"), ("", ")")),
    "a": (("", "."), ("", "．"), ("（", "）"), ("(", ")"), ("", "）"), ("", ")")),
    "A": (("", "."), ("", "．"), ("（", "）"), ("(", ")"), ("", "）"), ("", ")")),
}
_COUNTER_CHARS = {"一": f"[{CN_NUM}]{{1,4}}", "1": "[0-9０-９]{1,3}", "a": "[a-z]", "A": "[A-Z]"}
# What follows a label's closing mark that would make it a number in text, not a label.
_NOT_AFTER = {".": r"(?![0-9０-９A-Za-z])", "．": r"(?![0-9０-９A-Za-z])", ")": "", "）": "", "、": ""}


@dataclass(frozen=True)
class LabelStyle:
    """One numbering style: ``prefix`` + the n-th ``counter`` + ``suffix``."""

    counter: str  # 一 1 a A (open), or ① ⑴ ㈠ (enclosed: a fixed series)
    prefix: str = ""
    suffix: str = ""

    @property
    def sample(self) -> str:
        """The first label, which is also how a user names the style (（1）, ⑴)."""
        return self.label(1)

    @property
    def limit(self) -> int | None:
        """How many labels the style has (None: no limit)."""
        if self.counter in _ENCLOSED:
            return len(_ENCLOSED[self.counter])
        return len(LATIN) if self.counter in ("a", "A") else None

    @property
    def shape(self) -> str:
        """The style as a reader sees it: half- and full-width marks look alike."""
        return self.sample.translate(str.maketrans("()．", "（）."))

    def label(self, n: int) -> str:
        if self.limit is not None and n > self.limit:
            raise ValueError(f"“{self.sample}”式编号最多 {self.limit} 项")
        if self.counter in _ENCLOSED:
            return _ENCLOSED[self.counter][n - 1]
        if self.counter == "一":
            count = chinese_numeral(n)
        elif self.counter == "1":
            count = str(n)
        else:
            count = LATIN[n - 1] if self.counter == "a" else LATIN[n - 1].upper()
        return f"{self.prefix}{count}{self.suffix}"


def _all_styles() -> list[LabelStyle]:
    styles = [LabelStyle(c) for c in _ENCLOSED]
    styles += [LabelStyle(c, p, s) for c, pairs in _AFFIXES.items() for p, s in pairs]
    return styles


STYLES: tuple[LabelStyle, ...] = tuple(_all_styles())
STYLE_SAMPLES: tuple[str, ...] = tuple(s.sample for s in STYLES)


def parse_style(sample: str) -> LabelStyle | None:
    """The style whose first label is ``sample`` (一、 （1） ⑴ a. …), None if none is."""
    return next((s for s in STYLES if s.sample == sample.strip()), None)


def _style_pattern(style: LabelStyle) -> str:
    if style.counter in _ENCLOSED:
        return f"[{_ENCLOSED[style.counter]}]"
    after = _NOT_AFTER.get(style.suffix, "")
    return f"{re.escape(style.prefix)}{_COUNTER_CHARS[style.counter]}{re.escape(style.suffix)}{after}"


# Longest forms first, so that （1） is not read as a 1） behind a stray bracket.
_LEADING = [(s, re.compile(_style_pattern(s))) for s in sorted(STYLES, key=lambda s: -len(s.prefix))]


def leading_label(text: str) -> tuple[LabelStyle, str] | None:
    """(style, the rest) when ``text`` starts with a label of any style; else None.

    "1.5倍", "2012年" and "a.m." are text, not labels."""
    stripped = text.lstrip(" \u3000\t")
    for style, pattern in _LEADING:
        if m := pattern.match(stripped):
            return style, stripped[m.end() :]
    return None
