"""The 版头 (header part) of GB/T 9704-2012 laid out per format: where the 份号/密级/紧急程度,
the issuer mark, the document number, 签发人 and the red rules go on page 1 (7.2, 10.1,
10.2, 10.3).  In: the format and what the header holds; out: ``HeaderLayout`` in mm,
which the PDF and DOCX renderers both draw.  Grid and sizes come from ``geometry``."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from generators.document.geometry import (
    BODY_PT,
    CHARS_PER_LINE,
    HALF_LEADING,
    ISSUER_MARK_MAX_PT,
    ISSUER_MARK_TOP,
    LINE_PITCH,
    MARGIN_TOP,
    NUMBER_GAP_LINES,
    PAGE_HEIGHT,
    RED_RULE_WIDTH_PT,
    RULE_BELOW_NUMBER,
    TITLE_GAP_LINES,
    TYPE_WIDTH,
    mm_to_pt,
    pt_to_mm,
    text_width_chars,
)
from generators.document.model import Document


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


def for_document(doc: Document) -> tuple[HeaderLayout, float, SignerLayout | None]:
    """The 版头 of ``doc``'s format, the issuer mark's size and the 签发人 rows: the
    numbers both renderers draw the header with."""
    header = doc.header
    mark_lines = list(header.issuer_mark) if header else []
    if header and header.joint_word:
        mark = joint_mark_fit(header.issuer_mark, header.joint_word)
    else:
        mark = IssuerMark.fit(mark_lines)
    signers = signer_layout(header.signers) if header and header.signers else None
    elements = header.elements if header else ()
    layout = header_layout(
        len(elements), len(mark_lines) or 1, mark.size_pt, len(signers.rows) if signers else 0, doc.format.value
    )
    return layout, mark.size_pt, signers
