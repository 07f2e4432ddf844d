"""GB/T 9704-2012 page geometry: the one place both renderers take numbers from (with
``masthead`` for the 版头 and ``signoff`` for the 署名 and seals, built on these numbers).

All lengths are millimetres unless the name says ``_pt``.  See shared/spec/gbt9704.md.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

MM_PER_PT = 25.4 / 72


def pt_to_mm(pt: float) -> float:
    return pt * MM_PER_PT


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


# Paper and type area (版心).
PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
MARGIN_TOP = 37.0  # 天头
MARGIN_INNER = 28.0  # 订口: left on odd pages, right on even pages (double-sided, bound left)
TYPE_WIDTH = 156.0
TYPE_HEIGHT = 225.0
MARGIN_OUTER = PAGE_WIDTH - MARGIN_INNER - TYPE_WIDTH  # 26
MARGIN_BOTTOM = PAGE_HEIGHT - MARGIN_TOP - TYPE_HEIGHT  # 35

# The grid: 22 lines of 28 characters of 3号 (16 pt) text fill the type area.
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# Chinese point sizes (字号).
SIZE_PT = {
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
}
BODY_PT = SIZE_PT["三号"]
TITLE_PT = SIZE_PT["二号"]
PAGE_NUMBER_PT = SIZE_PT["四号"]
RECORD_PT = SIZE_PT["四号"]  # 版记
ISSUER_MARK_MAX_PT = SIZE_PT["小初"]
# Tables and charts in reports (the standard gives no sizes): 仿宋 小四 in the cells,
# a 黑体 三号 caption; cells leave the 22-line grid and the text after them resumes it
# only at the next page.
TABLE_PT = SIZE_PT["小四"]
TABLE_LINE_PT = 18.0
TABLE_RULE_PT = 0.5
TABLE_CELL_PAD_MM = (1.0, 0.8)  # vertical, horizontal

# Line pitch: 225 mm / 22 = 28.99 pt.  Rounded down to whole twips (1/20 pt) so that
# Word's exact spacing and the CSS line-height are the same number and 22 lines
# always fit (22 × 28.95 pt = 636.9 pt ≤ 637.8 pt).
LINE_PITCH_PT = int(mm_to_pt(TYPE_HEIGHT) / LINES_PER_PAGE * 20) / 20
LINE_PITCH = pt_to_mm(LINE_PITCH_PT)
# Character pitch: 156 mm / 28 = 15.79 pt, i.e. 16 pt glyphs pulled together.
CHAR_PITCH_PT = mm_to_pt(TYPE_WIDTH) / CHARS_PER_LINE
# Negative letter spacing that gives that pitch; a hair tighter so 28 always fit.
LETTER_SPACING_PT = round(CHAR_PITCH_PT - BODY_PT - 0.005, 2)
# DOCX character spacing in twips (1/20 pt), rounded away from zero so 28 fit: −0.25 pt.
# The advance of one body character as the PDF sets it (glyph + letter spacing).  Indents
# are whole cells of it: an indent of two 16 pt ems is wider than two cells and leaves
# the first line of a paragraph one character short of the 28-character grid.
CELL_PT = BODY_PT + LETTER_SPACING_PT
PARA_INDENT_CHARS = 2
DOCX_CHAR_SPACING_TWIPS = math.floor((CHAR_PITCH_PT - BODY_PT) * 20)
DOCX_LINE_PITCH_TWIPS = round(LINE_PITCH_PT * 20)

# A CJK glyph's em box sits centred in its line, so its top edge is this far below the
# line's top.  The PDF renderer lifts the flow by this much so that the glyph tops of
# the first line are on the 37 mm margin, as a reviewer with a ruler measures it.
HALF_LEADING = (LINE_PITCH - pt_to_mm(BODY_PT)) / 2

# Colours: the standard says red for the issuer mark, the header rule and the seal.
RED = "FF0000"
BLACK = "000000"

# Header part (版头).
ISSUER_MARK_TOP = 35.0  # top edge of the issuer mark below the top of the type area
NUMBER_GAP_LINES = 2  # blank lines between the issuer mark and the document number
RULE_BELOW_NUMBER = 4.0  # red rule this far under the document number
RED_RULE_WIDTH_PT = 1.0
TITLE_GAP_LINES = 2  # blank lines between the red rule and the title

# A closing that does not fit (7.3.5: "adjust line or character spacing"; the standard
# gives no figure): its lines at most 10 % closer than the grid, the blank lines above the
# signature halved.
SQUEEZED_LINE_PT = math.floor(LINE_PITCH_PT * 0.9 * 20) / 20
CLOSING_FITS = ("keep", "squeeze", "split")

# Record part (版记) rules.
RECORD_THICK_RULE = 0.35
RECORD_THIN_RULE = 0.25
RECORD_INDENT_CHARS = 1  # 抄送 and 印发机关 one character in

# Page numbers (页码): 4号 宋体, the dash 7 mm below the type area, one character in.
PAGE_NUMBER_BELOW = 7.0
PAGE_NUMBER_INDENT_PT = PAGE_NUMBER_PT


def text_width_chars(text: str) -> float:
    """Width in body character cells: Latin letters and digits are half a cell."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


CELL_MM = TYPE_WIDTH / CHARS_PER_LINE


# 纪要格式 (10.3): 出席 / 请假 / 列席 one blank line under the body, two cells in; the
# label in 黑体 with a full-width colon, the names in 仿宋, wrapped after the colon.
ATTENDANCE_INDENT = 2
ATTENDANCE_LABELS = ("出席", "请假", "列席")


def attendance_indents(label: str) -> tuple[float, float]:
    """(left edge of the names, hanging of the label) in cells."""
    hang = text_width_chars(label) + 1  # label and ：
    return ATTENDANCE_INDENT + hang, hang


def attachment_number_cells(count: int) -> float:
    """Width reserved for "1." in a numbered 附件说明 (0 when there is one attachment)."""
    if count <= 1:
        return 0
    return 1.0 if count < 10 else 1.5


ATTACHMENT_NOTE_INDENT = 2  # 附件说明 starts two cells in
ATTACHMENT_LABEL_CELLS = 3  # 附件：


def attachment_note_indents(count: int) -> tuple[float, float]:
    """(left edge of the names, hanging of the first line) in cells: wrapped names align
    with the first character of the name above (GB/T 9704 7.3.4)."""
    number = attachment_number_cells(count)
    return ATTACHMENT_NOTE_INDENT + ATTACHMENT_LABEL_CELLS + number, ATTACHMENT_LABEL_CELLS + number


class RecordPage(enum.Enum):
    """Where the 版记 goes (GB/T 9704 7.4 and 7.5): at the foot of the last page, which
    must be an even page (the back of the last sheet, printed double-sided)."""

    WITH_BODY = "with-body"  # under the body on an even page
    NEXT_PAGE = "next-page"  # the body ends on an odd page: alone on the next (even) page, numbered
    AFTER_BLANK = "after-blank"  # a blank page, then the 版记 page: neither carries a page number

    @property
    def own_page(self) -> bool:
        return self is not RecordPage.WITH_BODY

    @property
    def numbered(self) -> bool:
        """Whether the 版记's page carries a page number: not after a blank page (7.5)."""
        return self is not RecordPage.AFTER_BLANK


@dataclass(frozen=True)
class PagePlan:
    """The decisions a layout made about the end of a document, for both renderers:
    where the 版记 goes, and how the closing was fitted (one of CLOSING_FITS)."""

    record: RecordPage = RecordPage.WITH_BODY
    closing: str = "keep"
    split_at: int = 0  # "split": characters of the last paragraph before the signature's page
    figure_scales: tuple[float, ...] = ()  # per figure in document order (empty: all 1)


# A figure that does not fit the room left on its page is scaled down to fit rather than
# pushed to the next page leaving the room blank, but never below this (a chart's labels
# must stay legible: 小四 becomes 7 pt at 60 %).
FIGURE_MIN_SCALE = 0.6


def figure_scale(room: float, block: float, image: float) -> float | None:
    """The scale that brings a figure's ``block`` (image, caption and margins) into
    ``room``, shrinking its ``image`` part only (any one unit); None below the limit."""
    if block <= room:
        return 1.0
    scale = math.floor((1 - (block - room) / image) * 100) / 100
    return scale if scale >= FIGURE_MIN_SCALE else None


def record_page(page: int, with_body_text: bool) -> RecordPage:
    """The placement for a 版记 that, set under the body, falls on ``page`` (1-based)
    and shares it with body text or not.  An odd page sends it on to the next even
    page, after a blank page when it stood alone (the body ended on an even page); one
    already alone on an even page keeps it, set as a page of its own (numbered)."""
    if with_body_text:
        return RecordPage.WITH_BODY if page % 2 == 0 else RecordPage.NEXT_PAGE
    return RecordPage.NEXT_PAGE if page % 2 == 0 else RecordPage.AFTER_BLANK


# Table columns from their content: a header and a short value (a number, a verdict, a
# unit's name) never wrap inside a word (序/号, 较上季/度); long text columns share the rest.
SHORT_CELL_CHARS = 8  # a cell this wide or less is kept on one line
TABLE_CELL_SLACK_MM = 2 * TABLE_CELL_PAD_MM[1] + 0.6  # both paddings, and a little for rounding and rules


def column_widths(
    header: tuple[tuple[str, ...], ...], rows: tuple[tuple[str, ...], ...], weights: tuple[float, ...]
) -> tuple[float, ...]:
    """Column widths in mm filling the type area.  Every column gets room for its header
    and (when short) its widest value on one line; what is left goes to the columns with
    long text, in proportion to ``weights`` (to every column when none is long).  When the
    one-line widths do not fit, ``weights`` alone decide, as before."""
    char_mm = pt_to_mm(TABLE_PT)
    columns = len(weights)
    need, flexible = [], []
    for c in range(columns):
        heads = [text_width_chars(h[c]) for h in header]
        cells = [text_width_chars(r[c]) for r in rows]
        short = [w for w in cells if w <= SHORT_CELL_CHARS]
        need.append(max([*heads, *short, 1.0]) * char_mm + TABLE_CELL_SLACK_MM)
        if len(short) < len(cells):
            flexible.append(c)
    spare = TYPE_WIDTH - sum(need)
    if spare < 0:
        total = sum(weights)
        return tuple(TYPE_WIDTH * w / total for w in weights)
    share = flexible or list(range(columns))
    total = sum(weights[c] for c in share)
    return tuple(need[c] + (spare * weights[c] / total if c in share else 0) for c in range(columns))
