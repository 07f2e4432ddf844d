"""GB/T 9704-2012 page geometry: the one place both renderers take numbers from.

All lengths are millimetres unless the name says ``_pt``.  See shared/spec/gbt9704.md.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class IssuerMark:
    """Size of the issuer mark: the largest up to 小初 that keeps the widest line inside
    the type area (the standard leaves the size to the issuer)."""

    size_pt: float

    @classmethod
    def fit(cls, lines: list[str], max_pt: float = ISSUER_MARK_MAX_PT) -> IssuerMark:
        widest = max((len(line) for line in lines), default=1)
        fitting = mm_to_pt(TYPE_WIDTH) / widest
        return cls(size_pt=min(max_pt, int(fitting * 2) / 2))


@dataclass(frozen=True)
class Rule:
    """A horizontal rule of the 版头: its top edge in mm below the top of the type area
    (negative: above it), centred on the type area."""

    top: float
    thickness: float
    length: float = TYPE_WIDTH

    @property
    def left(self) -> float:
        """Left end, in mm from the type area's left edge (negative: outside it)."""
        return (TYPE_WIDTH - self.length) / 2


@dataclass(frozen=True)
class HeaderLayout:
    """Vertical positions on the first page, in mm below the top of the type area
    (the glyph top of the first body line); line positions are line-box tops.  The title
    (the body, in an order) starts on a grid line, so the body of page 1 stays on the
    same 22-line grid as every other page.  One per format (``header_layout``)."""

    element_tops: tuple[float, ...]  # 份号 / 密级 / 紧急程度
    mark_top: float
    mark_line_height: float
    mark_lines: int
    number_top: float  # the document number's line (with 签发人: the last signer's line)
    number_align: str  # center | right (信函: flush right on the first element's line) | signers
    signer_rows: int  # lines of 签发人 (0: none)
    rules: tuple[Rule, ...]  # red rules of the 版头, top-down
    title_line: int  # grid line (0-based) where the title starts
    first_page_numbered: bool = True

    @property
    def header_lines(self) -> int:
        return len(self.element_tops)

    @property
    def mark_bottom(self) -> float:
        return self.mark_top + self.mark_lines * self.mark_line_height

    @property
    def signer_top(self) -> float:
        """The first 签发人 line (the number's line when there is one signer line)."""
        return self.number_top - max(self.signer_rows - 1, 0) * LINE_PITCH


def _grid_line_after(bottom: float, blank_lines: int) -> int:
    """The grid line that starts ``blank_lines`` whole lines below ``bottom``."""
    return math.ceil((bottom + blank_lines * LINE_PITCH - 0.5) / LINE_PITCH)


def _grid_line_below_text(top: float, blank_lines: int) -> int:
    """The first grid line with ``blank_lines`` whole lines of blank between the glyphs of
    the body line whose box starts at ``top`` and its own ("空二行" under a line of text)."""
    return _grid_line_after(_line_bottom(top), blank_lines)


def _line_bottom(top: float) -> float:
    """Foot of the glyphs of a body line whose line box starts at ``top``."""
    return top + HALF_LEADING + pt_to_mm(BODY_PT)


def _numbered_layout(mark_top: float, ruled: bool):
    def layout(header_lines: int, mark_lines: int, mark_pt: float, signer_rows: int) -> HeaderLayout:
        """文件格式 (7.2) and 纪要格式 (10.3): elements on the first lines, the mark, the
        number (and 签发人) two lines under it, the red rule 4 mm under the number."""
        mark_height = pt_to_mm(mark_pt)
        mark_bottom = mark_top + mark_lines * mark_height
        # "two lines below the mark": two blank body lines, then the number's own line box.
        first = mark_bottom + NUMBER_GAP_LINES * LINE_PITCH - HALF_LEADING
        number_top = first + max(signer_rows - 1, 0) * LINE_PITCH  # on the last signer's line
        rule = Rule(_line_bottom(number_top) + RULE_BELOW_NUMBER, pt_to_mm(RED_RULE_WIDTH_PT))
        rules = (rule,) if ruled else ()
        if ruled:
            title_line = _grid_line_after(rule.top + rule.thickness, TITLE_GAP_LINES)
        else:
            title_line = _grid_line_below_text(number_top, TITLE_GAP_LINES)
        return HeaderLayout(
            element_tops=tuple(i * LINE_PITCH - HALF_LEADING for i in range(header_lines)),
            mark_top=mark_top,
            mark_line_height=mark_height,
            mark_lines=mark_lines,
            number_top=number_top,
            number_align="signers" if signer_rows else "center",
            signer_rows=signer_rows,
            rules=rules,
            title_line=title_line,
        )

    return layout


# 信函格式 (GB/T 9704 10.1).  The standard places the double rules; their strokes are ours
# (it gives none): a thick and a thin stroke with a small gap, as Word's thick-thin rule.
LETTER_MARK_FROM_PAGE_TOP = 30.0
LETTER_RULE_LENGTH = 170.0
LETTER_RULE_BELOW_MARK = 4.0
LETTER_RULE_ABOVE_PAGE_FOOT = 20.0  # the lower edge of the bottom double rule
LETTER_THICK_RULE = pt_to_mm(1.5)  # whole eighths of a point: Word's border widths
LETTER_THIN_RULE = pt_to_mm(0.5)
LETTER_RULE_GAP = pt_to_mm(1.5)
LETTER_ELEMENT_GAP = 7 / 8 * pt_to_mm(BODY_PT)  # rule to the first element: 7/8 of a 3号 character


def _letter_layout(header_lines: int, mark_lines: int, mark_pt: float, signer_rows: int) -> HeaderLayout:
    """信函格式: the issuer's name 30 mm under the page top, a thick-over-thin rule 4 mm
    under it and a thin-over-thick one 20 mm above the page foot, both 170 mm; 份号 etc.
    flush left under the rule, the number flush right on the first of their lines."""
    mark_height = pt_to_mm(mark_pt)
    mark_top = LETTER_MARK_FROM_PAGE_TOP - MARGIN_TOP
    thick = Rule(mark_top + mark_lines * mark_height + LETTER_RULE_BELOW_MARK, LETTER_THICK_RULE, LETTER_RULE_LENGTH)
    thin = Rule(thick.top + LETTER_THICK_RULE + LETTER_RULE_GAP, LETTER_THIN_RULE, LETTER_RULE_LENGTH)
    foot = PAGE_HEIGHT - MARGIN_TOP - LETTER_RULE_ABOVE_PAGE_FOOT
    low_thick = Rule(foot - LETTER_THICK_RULE, LETTER_THICK_RULE, LETTER_RULE_LENGTH)
    low_thin = Rule(low_thick.top - LETTER_RULE_GAP - LETTER_THIN_RULE, LETTER_THIN_RULE, LETTER_RULE_LENGTH)
    first = thin.top + thin.thickness + LETTER_ELEMENT_GAP - HALF_LEADING
    tops = tuple(first + i * LINE_PITCH for i in range(max(header_lines, 1)))
    return HeaderLayout(
        element_tops=tops[:header_lines],
        mark_top=mark_top,
        mark_line_height=mark_height,
        mark_lines=mark_lines,
        number_top=first,
        number_align="right",
        signer_rows=0,
        rules=(thick, thin, low_thin, low_thick),
        title_line=_grid_line_below_text(tops[-1], TITLE_GAP_LINES),
        first_page_numbered=False,
    )


ORDER_MARK_TOP = 20.0  # 命令（令）格式 (10.2)
ORDER_GAP_LINES = 2  # mark → 令号 → body, two blank lines each


def _order_layout(header_lines: int, mark_lines: int, mark_pt: float, signer_rows: int) -> HeaderLayout:
    """命令（令）格式: the mark 20 mm under the top of the type area, the 令号 two lines
    under it, the body two lines under that; no red rule."""
    return replace(
        _numbered_layout(ORDER_MARK_TOP, ruled=False)(header_lines, mark_lines, mark_pt, 0),
        number_align="center",
    )


HEADER_LAYOUTS = {
    "文件格式": _numbered_layout(ISSUER_MARK_TOP, ruled=True),
    "纪要格式": _numbered_layout(ISSUER_MARK_TOP, ruled=True),  # 10.3: mark at 35 mm too
    "信函格式": _letter_layout,
    "命令格式": _order_layout,
}


def header_layout(
    header_lines: int, mark_lines: int, mark_pt: float, signer_rows: int = 0, fmt: str = "文件格式"
) -> HeaderLayout:
    """The 版头 of format ``fmt`` (a ``model.Format`` value)."""
    return HEADER_LAYOUTS[fmt](header_lines, mark_lines, mark_pt, signer_rows)


# 签发人 (7.2.6): "签发人：" once, names two a line in the issuers' order, wrapped names
# aligned with the first name above; the block ends one character from the right.
SIGNER_LABEL = "签发人："
SIGNERS_PER_LINE = 2


@dataclass(frozen=True)
class SignerLayout:
    rows: tuple[tuple[str, ...], ...]
    label_left: float  # cells from the type area's left edge
    columns: tuple[float, ...]  # left of each name column, cells


def signer_layout(signers: tuple[str, ...]) -> SignerLayout:
    rows = tuple(signers[i : i + SIGNERS_PER_LINE] for i in range(0, len(signers), SIGNERS_PER_LINE))
    widths = [max(text_width_chars(r[c]) for r in rows if len(r) > c) for c in range(len(rows[0]))]
    total = sum(widths) + len(widths) - 1  # one cell between the columns
    left = CHARS_PER_LINE - 1 - total
    columns = tuple(left + sum(widths[:c]) + c for c in range(len(widths)))
    return SignerLayout(rows, left - text_width_chars(SIGNER_LABEL), columns)


# 联合行文 (7.2.4): the issuers' names stacked and spread to one width, "文件" on their
# right, centred on the stack; this much of an em between them.
JOINT_WORD_GAP_EM = 0.5


def spread_em(name: str, names: tuple[str, ...]) -> float:
    """Letter spacing (em) that spreads ``name`` to the width of the longest of ``names``."""
    widest = max(len(n) for n in names)
    return (widest - len(name)) / (len(name) - 1) if len(name) > 1 else 0.0


def joint_mark_fit(names: tuple[str, ...], word: str) -> IssuerMark:
    widest = max(len(n) for n in names) + len(word) + JOINT_WORD_GAP_EM
    return IssuerMark(size_pt=min(ISSUER_MARK_MAX_PT, int(mm_to_pt(TYPE_WIDTH) / widest * 2) / 2))


def text_width_chars(text: str) -> float:
    """Width in body character cells: Latin letters and digits are half a cell."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


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


CELL_MM = TYPE_WIDTH / CHARS_PER_LINE


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
