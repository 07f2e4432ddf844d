"""The sign-off of GB/T 9704-2012 (7.3.5): 署名, 成文日期 and seals (one issuer, joint
issuers, an order's 签名章) as lines of text at cell offsets and stamps in mm.  In: the
issuers, the date text, sealed or not; out: ``SigningPlan``, which both renderers draw.
Grid and sizes come from ``geometry``."""

from __future__ import annotations

import math
from dataclasses import dataclass

from generators.document.geometry import (
    CELL_MM,
    CHARS_PER_LINE,
    LINE_PITCH,
    TYPE_WIDTH,
    text_width_chars,
)
from generators.document.model import Document

SEAL_DIAMETER = 42.0  # mm, the usual 公章


def seal_top(lines: int) -> float:
    """Top of the seal in mm below the top of the first signing line (negative: above),
    for a name and date on ``lines`` lines: the seal's foot on the foot of the date line,
    so it never covers the 附注 on the next line, and the name and date lie under its
    centre (GB/T 9704 7.3.5.1: 居印章中心偏下); with the two blank lines above a sealed
    signature its top is then within one line of the text above."""
    return lines * LINE_PITCH - SEAL_DIAMETER


@dataclass(frozen=True)
class SigningLayout:
    """Left offsets (in character cells of the body grid) of 署名 and 成文日期."""

    name_left: float
    date_left: float
    seal_left: float


def signing_layout(name: str | None, date_text: str, sealed: bool) -> SigningLayout:
    wn, wd = text_width_chars(name or ""), text_width_chars(date_text)
    if sealed:
        # Date four cells from the right; the name centred over the date.
        date_left = CHARS_PER_LINE - 4 - wd
        name_left = date_left + (wd - wn) / 2
        seal_diameter_cells = SEAL_DIAMETER / (TYPE_WIDTH / CHARS_PER_LINE)
        seal_left = date_left + wd / 2 - seal_diameter_cells / 2
        return SigningLayout(name_left, date_left, seal_left)
    # Unsealed: name two cells from the right, the date starts two cells further right;
    # a date longer than that sits two from the right and the name moves left to match.
    name_left = CHARS_PER_LINE - 2 - wn
    date_left = name_left + 2
    if date_left + wd > CHARS_PER_LINE - 2:
        date_left = CHARS_PER_LINE - 2 - wd
        name_left = date_left - 2
    if not name:
        date_left = CHARS_PER_LINE - 2 - wd
    return SigningLayout(name_left, date_left, date_left)


@dataclass(frozen=True)
class Stamp:
    """A seal on the signature: ``kind`` "seal" (the issuer's round seal) or "signature"
    (an order's 签名章); left in cells, top in mm below the top of the first signing line."""

    kind: str
    left: float
    top: float
    width: float  # mm
    height: float  # mm
    text: str = ""  # the name a placeholder 签名章 shows


@dataclass(frozen=True)
class SigningPlan:
    """署名, 成文日期 and their seals as lines of (text, left in cells); an empty line is a
    blank line.  ``blank_before``: blank lines between the text above and the first line."""

    lines: tuple[tuple[tuple[str, float], ...], ...]
    stamps: tuple[Stamp, ...]
    blank_before: int


def _seal(centre: float, line: int, lines_under: int = 2) -> Stamp:
    """A round seal centred on ``centre`` (cells) whose foot is on the foot of the line
    ``lines_under - 1`` lines below ``line`` (see ``seal_top``)."""
    left = centre - SEAL_DIAMETER / CELL_MM / 2
    return Stamp("seal", left, line * LINE_PITCH + seal_top(lines_under), SEAL_DIAMETER, SEAL_DIAMETER)


SEAL_GAP_CELLS = 1.0  # between two seals of a row: never touching (7.3.5.2)
JOINT_ROW_LINES = math.ceil(SEAL_DIAMETER / LINE_PITCH)  # name rows this many lines apart: seals clear


def _sealed_rows(names: tuple[str, ...], date_left: float, wd: float) -> list[list[tuple[str, float]]] | None:
    """Sealed joint names two to a row, each centred under its seal, the last name over
    the date; None when two do not fit side by side in the type area."""
    right_centre = date_left + wd / 2
    seal_cells = SEAL_DIAMETER / CELL_MM
    rows: list[list[tuple[str, float]]] = []
    # Rows fill from the end: the last row carries the last issuer on the right.
    chunks = [names[max(0, i - 2) : i] for i in range(len(names), 0, -2)][::-1]
    for chunk in chunks:
        row = []
        if len(chunk) == 2:
            wl, wr = text_width_chars(chunk[0]), text_width_chars(chunk[1])
            left_centre = right_centre - max(seal_cells + SEAL_GAP_CELLS, (wl + wr) / 2 + 1)
            if left_centre - max(wl, seal_cells) / 2 < 0 or right_centre + max(wr, seal_cells) / 2 > CHARS_PER_LINE:
                return None
            row.append((chunk[0], left_centre - wl / 2))
        row.append((chunk[-1], right_centre - text_width_chars(chunk[-1]) / 2))
        rows.append(row)
    return rows


def signing_plan(issuers: tuple[str, ...], date_text: str, sealed: bool) -> SigningPlan:
    """The closing of GB/T 9704 7.3.5: one issuer as ``signing_layout``; joint, sealed:
    names in rows of two (one when two do not fit), each under its own seal, the last
    seal over the last name and the date; joint, unsealed: the names stacked, main issuer
    first, the date under them."""
    if len(issuers) <= 1:
        name = issuers[0] if issuers else None
        s = signing_layout(name, date_text, sealed)
        # An undated plan's 落款 is the name alone.
        lines = ([((name, s.name_left),)] if name else []) + ([((date_text, s.date_left),)] if date_text else [])
        one = (_seal(s.seal_left + SEAL_DIAMETER / CELL_MM / 2, 0, len(lines)),) if sealed else ()
        return SigningPlan(tuple(lines), one, 2 if sealed else 1)
    wd = text_width_chars(date_text)
    if sealed:
        date_left = CHARS_PER_LINE - 4 - wd
        rows = _sealed_rows(issuers, date_left, wd) or [
            [(n, date_left + (wd - text_width_chars(n)) / 2)] for n in issuers
        ]
        out: list[tuple[tuple[str, float], ...]] = []
        stamps = []
        for i, row in enumerate(rows):
            if i:
                out += [()] * (JOINT_ROW_LINES - 1)
            line = len(out)
            out.append(tuple(row))
            for name, left in row:
                stamps.append(_seal(left + text_width_chars(name) / 2, line))
        out.append(((date_text, date_left),))
        return SigningPlan(tuple(out), tuple(stamps), 2)
    widest = max(text_width_chars(n) for n in issuers)
    s = signing_layout("字" * math.ceil(widest), date_text, False)
    lines = [((n, s.name_left),) for n in issuers] + [((date_text, s.date_left),)]
    return SigningPlan(tuple(lines), (), 1)


# 命令（令）格式, 7.3.5.3: the 签名章 two lines under the body, four cells from the right;
# the post two cells left of it, centred on it; the date one line under it, four cells from
# the right.  A 签名章 is one line high here; its width from the image, or the name.
SIGNATURE_MAX_CELLS = 8.0


def signature_cells(name: str, aspect: float | None) -> float:
    """Width in cells of a 签名章 one line high: an image of ``aspect`` (width/height),
    or a placeholder holding ``name`` with half a cell each side."""
    if aspect is None:
        return text_width_chars(name) + 1
    return min(SIGNATURE_MAX_CELLS, aspect * LINE_PITCH / CELL_MM)


def order_signing_plan(post: str, signer: str, date_text: str, aspect: float | None) -> SigningPlan:
    width = signature_cells(signer, aspect)
    seal_left = CHARS_PER_LINE - 4 - width
    post_left = seal_left - 2 - text_width_chars(post)
    stamp = Stamp("signature", seal_left, 0.0, width * CELL_MM, LINE_PITCH, signer)
    date_left = CHARS_PER_LINE - 4 - text_width_chars(date_text)
    return SigningPlan((((post, post_left),), (), ((date_text, date_left),)), (stamp,), 2)


def for_document(doc: Document) -> SigningPlan | None:
    """署名, date and seals of ``doc`` as lines (see signing_plan)."""
    s = doc.signing
    if s is None:
        return None
    if s.post and s.signer:
        aspect = png_aspect(s.signature_png) if s.signature_png else None
        return order_signing_plan(s.post, s.signer, s.date_text, aspect)
    return signing_plan(s.issuers, s.date_text, s.sealed)


def png_aspect(png: bytes) -> float:
    """Width / height of a PNG, from its IHDR chunk."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return width / height if height else 1.0
