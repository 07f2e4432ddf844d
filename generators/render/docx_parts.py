"""DOCX building blocks both the body and the 版头 use: the office faces, alignments,
and paragraphs with fonts, exact spacing, indents in grid cells and borders (python-docx
objects in, the same objects changed)."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from generators.core.fonts import ROLES
from generators.document import geometry as g
from generators.render.docx_xml import child

# The office face of each role, as fonts.ROLES names them ("song": the page numbers' 宋体).
FACE = {role: name for role, (name, _) in ROLES.items()} | {"song": ROLES["page_number"][0]}
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def set_fonts(rpr_parent, east_asian: str) -> None:
    """Set Latin and East-Asian faces on a style or run (w:rFonts)."""
    fonts = child(rpr_parent.get_or_add_rPr(), "w:rFonts")
    fonts.set(qn("w:ascii"), FACE["latin"])
    fonts.set(qn("w:hAnsi"), FACE["latin"])
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), FACE["latin"])
    fonts.set(qn("w:hint"), "eastAsia")


def exact(pf, pt: float) -> None:
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(pt)


def no_grid(paragraph) -> None:
    """Header parts are placed in millimetres, off the line grid."""
    child(paragraph._p.get_or_add_pPr(), "w:snapToGrid", val="0")


def indent_chars(paragraph, *, left: float = 0, hanging: float = 0, first: float | None = None) -> None:
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    if left:
        ind.set(qn("w:leftChars"), str(round(left * 100)))
        ind.set(qn("w:left"), str(round(left * g.CHAR_PITCH_PT * 20)))
    if hanging:
        ind.set(qn("w:hangingChars"), str(round(hanging * 100)))
        ind.set(qn("w:hanging"), str(round(hanging * g.CHAR_PITCH_PT * 20)))
    if first is not None:
        ind.set(qn("w:firstLineChars"), str(round(first * 100)))
        ind.set(qn("w:firstLine"), str(round(first * g.CHAR_PITCH_PT * 20)))


def border(paragraph, side: str, *, width_pt: float, color: str, space_pt: float = 0) -> None:
    bdr = child(paragraph._p.get_or_add_pPr(), "w:pBdr")
    child(bdr, f"w:{side}", val="single", sz=str(round(width_pt * 8)), space=str(round(space_pt)), color=color)


def para(docx, style: str, text: str = "", *, head: tuple[str, ...] = (), head_style: str | None = None):
    """A paragraph; ``head`` is a heading's lines, in its face, a line break between them."""
    p = docx.add_paragraph(style=docx.styles[style])
    for i, line in enumerate(head):
        run = p.add_run(line)
        set_fonts(run._r, FACE["heading1" if head_style == "一级标题" else "heading2"])
        if i < len(head) - 1:
            run.add_break()
    if len(head) > 1:
        p.alignment = ALIGN["left"]  # Word and LibreOffice stretch a justified line ending in a break
    if text:
        p.add_run(text)
    return p
