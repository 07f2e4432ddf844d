"""Normalise a draft's lines: residue and noise dropped, numbering and 〇 fixed.

In: a Draft's lines. Out: ``Cleaned`` lines (stripped, non-empty, each with its
source number) and the list of every change made, for the recognition report.
Body wording is kept as typed (half-width commas inside sentences included: the
golden seeds keep them); only numbering, labels and zeros of Chinese numerals change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generators.drafts import patterns as P
from generators.drafts.read import Line

_EDGE_SPACE = " \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"


@dataclass(frozen=True)
class Change:
    no: int  # source line
    kind: str  # what was done, in Chinese
    before: str
    after: str


@dataclass(frozen=True)
class Cleaned:
    no: int
    text: str


def _zero(text: str) -> str:
    """○/Ｏ/0 typed for the zero of Chinese numerals → 〇 (U+3007)."""

    def fix_year(m: re.Match[str]) -> str:
        run = m.group(0)
        if not any(ch in "一二三四五六七八九" for ch in run):
            return run
        return "".join("〇" if ch in P.ZERO_LOOKALIKES else ch for ch in run)

    # A four-character year before 年 (二○一二年, 二0一二年) …
    text = re.sub(rf"[{P.CN_DIGIT}{P.ZERO_LOOKALIKES}]{{4}}(?=\s*年)", fix_year, text)
    # … and ○/Ｏ between Chinese digits anywhere (二○一二, 一○五).
    return re.sub(
        rf"(?<=[{P.CN_DIGIT}])[○◯Ｏ](?=[{P.CN_DIGIT}○◯Ｏ])|(?<=[{P.CN_DIGIT}○◯Ｏ])[○◯Ｏ](?=[{P.CN_DIGIT}])", "〇", text
    )


def _numbering(text: str) -> str:
    """(一) → （一）, (1) → （1）, ②、 → ②, "1、 x" → "1、x" at the start of a line."""
    text = re.sub(rf"^\(\s*([{P.CN_DIGIT}]{{1,3}}|[0-9]{{1,2}})\s*\)", r"（\1）", text)
    text = re.sub(
        rf"^（\s*([{P.CN_DIGIT}]{{1,3}}|[0-9]{{1,2}})\s*\)|^\(\s*([{P.CN_DIGIT}]{{1,3}})\s*）",
        lambda m: f"（{m.group(1) or m.group(2)}）",
        text,
    )
    text = re.sub(
        rf"^([{P.CIRCLED}{P.PARENTHESISED}]|（[{P.CN_DIGIT}]{{1,3}}）|（[0-9]{{1,2}}）)(?:[、，,.．]\s*|[ \u3000\t]+)",
        r"\1",
        text,
    )
    text = re.sub(r"^([0-9]{1,2}[、．])[ \u3000\t]+", r"\1", text)
    text = re.sub(rf"^([{P.CN_DIGIT}]{{1,3}}、)[ \u3000\t]+", r"\1", text)
    return text


def _drop_reason(text: str) -> str | None:
    for kind, pattern in P.RESIDUE:
        if pattern.match(text):
            return kind
    if P.NOISE.search(text) and not any(p.match(text) for _, _, p in P.NUMBERING):
        return "网页杂项"
    return None


def normalise(lines: list[Line]) -> tuple[list[Cleaned], list[Change]]:
    """Source lines → cleaned non-empty lines and the changes made on the way."""
    out: list[Cleaned] = []
    changes: list[Change] = []
    for line in lines:
        raw = line.text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
        text = raw.strip(_EDGE_SPACE)
        if not text:
            continue
        if text != line.text and text.strip() and line.text.strip(_EDGE_SPACE) != line.text:
            changes.append(Change(line.no, "去掉行首行尾空格", line.text, text))
        reason = _drop_reason(text)
        if reason:
            changes.append(Change(line.no, f"删除{reason}", text, ""))
            continue
        for kind, step in (
            ("〇 的写法（○、Ｏ、0 → 〇）", _zero),
            ("编号规范化（半角括号、多余的顿号和空格）", _numbering),
        ):
            fixed = step(text)
            if fixed != text:
                changes.append(Change(line.no, kind, text, fixed))
                text = fixed
        if out and text[0] in P.NO_LINE_START:
            # A wrapped line (a sentence cannot start with ，。≤ %): join it to the line before.
            prev = out.pop()
            changes.append(
                Change(line.no, f"与第 {prev.no} 行连成一段（本行以“{text[0]}”开头，是上一行的折行）", text, "")
            )
            out.append(Cleaned(prev.no, prev.text + text))
            continue
        out.append(Cleaned(line.no, text))
    return out, changes


def tidy_spaces(text: str, keep_alignment: bool = False) -> str:
    """Spaces typed inside Chinese text: removed between hanzi/full-width marks, a run
    elsewhere becomes one space (15000  元 → 15000 元).  With ``keep_alignment`` a
    long run (four or more: columns set apart, as in a signature line) becomes two
    ideographic spaces."""
    if keep_alignment:
        return _tidy(re.sub(r"[ \t\u3000]{4,}", "\u3000\u3000", text.strip()), keep=True)
    return _tidy(text, keep=False)


def _tidy(text: str, keep: bool) -> str:
    cjk = rf"[{P.CJK}\u3000-\u303f\uff00-\uffef“”‘’《》]"
    space = r"[ \t]+" if keep else r"[ \t\u3000]+"
    text = re.sub(rf"(?<={cjk}){space}(?={cjk})", "", text)
    return re.sub(r"[ \t]{2,}" if keep else r"[ \t\u3000]{2,}", " ", text)


def to_full_width_label(text: str) -> str:
    """Half-width punctuation in a label or list (抄送: a,b) → full-width."""
    return text.translate(P.LABEL_PUNCTUATION)
