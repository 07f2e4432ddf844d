"""Tables and charts in the DOCX renderer (report documents)."""

from __future__ import annotations

import io

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from generators.document import geometry as g
from generators.document.model import Figure, Table
from generators.render.docx_xml import child

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _off_grid(style, size_pt: float, line_pt: float | None) -> None:
    pf = style.paragraph_format
    if line_pt is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_pt)
    pf.first_line_indent = Pt(0)
    style.font.size = Pt(size_pt)
    child(style.element.get_or_add_pPr(), "w:snapToGrid", val="0")


def add_styles(docx, set_fonts, faces: dict[str, str]) -> None:
    """表题 (黑体 caption), 表格 (仿宋 小四 cells), 表头 (黑体 小四), 图 (picture line)."""
    normal = docx.styles["Normal"]
    for name, face, size, line, align in (
        ("表题", "heading1", g.BODY_PT, g.LINE_PITCH_PT, "center"),
        ("表格", "body", g.TABLE_PT, g.TABLE_LINE_PT, "center"),
        ("表头", "heading1", g.TABLE_PT, g.TABLE_LINE_PT, "center"),
        ("图", "body", g.BODY_PT, None, "center"),
    ):
        style = docx.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        set_fonts(style.element, faces[face])
        _off_grid(style, size, line)
        style.paragraph_format.alignment = _ALIGN[align]
        # Cells and captions use no character spacing: the body's −0.25 pt is for 28 a line.
        child(style.element.get_or_add_rPr(), "w:spacing", val="0")


def _borders(table) -> None:
    borders = child(table._tbl.tblPr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        child(borders, f"w:{side}", val="single", sz=str(round(g.TABLE_RULE_PT * 8)), space="0", color=g.BLACK)


def _cell_margins(table) -> None:
    """Cell padding as in the PDF (geometry.TABLE_CELL_PAD_MM: vertical, horizontal)."""
    margins = child(table._tbl.tblPr, "w:tblCellMar")
    vertical, horizontal = (round(g.mm_to_pt(mm) * 20) for mm in g.TABLE_CELL_PAD_MM)
    for side, twips in (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)):
        child(margins, f"w:{side}", w=str(twips), type="dxa")


def _row_flags(row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    child(tr_pr, "w:cantSplit")
    if header:
        child(tr_pr, "w:tblHeader")  # repeated on each page


def add_table(docx, table: Table) -> object:
    caption = docx.add_paragraph(table.caption, style="表题")
    caption.paragraph_format.keep_with_next = True
    rows = len(table.header) + len(table.rows)
    out = docx.add_table(rows=rows, cols=len(table.widths))
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    _borders(out)
    _cell_margins(out)
    widths = [Mm(w) for w in g.column_widths(table.header, table.rows, table.widths)]
    # LibreOffice lays out by the grid columns (w:gridCol), Word by the cells (w:tcW).
    for column, width in zip(out.columns, widths, strict=True):
        column.width = width
    for r, values in enumerate((*table.header, *table.rows)):
        is_header = r < len(table.header)
        row = out.rows[r]
        _row_flags(row, header=is_header)
        for c, text in enumerate(values):
            cell = row.cells[c]
            cell.width = widths[c]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.style = docx.styles["表头" if is_header else "表格"]
            p.alignment = _ALIGN["center" if is_header else table.align[c]]
            run = p.add_run(text)
            if not is_header and (r - len(table.header), c) in table.marked:
                run.bold = True
    if table.note:
        note = docx.add_paragraph(table.note, style="表格")
        note.alignment = _ALIGN["left"]
    return out


def add_figure(docx, figure: Figure) -> object:
    p = docx.add_paragraph(style="图")
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(figure.png), width=Mm(figure.width_mm), height=Mm(figure.height_mm))
    caption = docx.add_paragraph(figure.caption, style="表题")
    return caption
