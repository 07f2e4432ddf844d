"""The 版头 of each format in the DOCX (GB/T 9704-2012 7.2, 10): one strategy per
format, every position from masthead.header_layout (the PDF's numbers).  In: the docx
being built and the Document; out: the space left above the title, in mm."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from generators.document import geometry as g
from generators.document import masthead
from generators.document.model import Document, Format, Header
from generators.render.docx_parts import ALIGN, FACE, border, exact, no_grid, para, set_fonts
from generators.render.docx_xml import child


def _mark_paragraph(docx, text: str, size_pt: float, preprinted: bool):
    """One line of the issuer mark at its exact height; 套打 keeps the line, not the ink."""
    p = para(docx, "发文机关标志", "" if preprinted else text)
    for run in p.runs:
        run.font.size = Pt(size_pt)
    exact(p.paragraph_format, size_pt)
    no_grid(p)
    return p


def _joint_mark(docx, header: Header, size_pt: float, space_before_mm: float, preprinted: bool) -> None:
    """联合行文: the names stacked and spread to one width, "文件" centred beside them
    (a borderless table of two cells, the word's cell centred vertically)."""
    names_mm = max(len(n) for n in header.issuer_mark) * g.pt_to_mm(size_pt)
    word_mm = (len(header.joint_word) + masthead.JOINT_WORD_GAP_EM) * g.pt_to_mm(size_pt)
    table = docx.add_table(rows=1, cols=2)
    tbl_pr = table._tbl.tblPr
    child(tbl_pr, "w:jc", val="center")
    child(tbl_pr, "w:tblLayout", type="fixed")
    margins = child(tbl_pr, "w:tblCellMar")
    for side in ("left", "right", "top", "bottom"):
        child(margins, f"w:{side}", w="0", type="dxa")
    names, word = table.cell(0, 0), table.cell(0, 1)
    for column, cell, mm in ((table.columns[0], names, names_mm), (table.columns[1], word, word_mm)):
        column.width = cell.width = Mm(mm + 1)  # a hair of slack: the names never wrap
    for i, text in enumerate(header.issuer_mark):
        p = names.paragraphs[0] if i == 0 else names.add_paragraph()
        p.style = docx.styles["发文机关标志"]
        if not preprinted:
            p.add_run(text).font.size = Pt(size_pt)
        exact(p.paragraph_format, size_pt)
        no_grid(p)
        p.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
    p = word.paragraphs[0]
    p.style = docx.styles["发文机关标志"]
    if not preprinted:
        p.add_run(header.joint_word).font.size = Pt(size_pt)
    exact(p.paragraph_format, size_pt)
    no_grid(p)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    child(word._tc.get_or_add_tcPr(), "w:vAlign", val="center")
    # The table's top on the mark's top: the space goes to the paragraph before it.
    spacer = docx.paragraphs[-1] if docx.paragraphs else None
    if spacer is None or spacer._p.getnext() is not table._tbl:
        spacer = para(docx, "公文正文")
        table._tbl.addprevious(spacer._p)
    # One empty line as tall as the space (LibreOffice set a 1 pt line with the space
    # before it 2 mm short).
    exact(spacer.paragraph_format, g.mm_to_pt(max(space_before_mm, 0.5)))
    no_grid(spacer)


def _signer_rows(docx, header: Header, signers: masthead.SignerLayout) -> object:
    """签发人 two to a line, the number on the last signer's line (7.2.6): left tab stops
    at the label and the name columns, measured from the type area's left edge."""
    p = None
    for r, row in enumerate(signers.rows):
        p = para(docx, "发文字号", "")
        p.alignment = ALIGN["left"]
        no_grid(p)
        last = r == len(signers.rows) - 1
        tabs = p.paragraph_format.tab_stops
        if last:  # one cell in by a tab, not an indent: the red rule under it spans the type area
            tabs.add_tab_stop(Mm(g.CELL_MM), WD_TAB_ALIGNMENT.LEFT)
            p.add_run("\t" + header.number)
        if r == 0:
            tabs.add_tab_stop(Mm(signers.label_left * g.CELL_MM), WD_TAB_ALIGNMENT.LEFT)
            p.add_run("\t" + masthead.SIGNER_LABEL)
        for c, name in enumerate(row):
            # The first name follows the label directly (a tab there could overshoot it).
            after_label = r == 0 and c == 0
            if not after_label:
                tabs.add_tab_stop(Mm(signers.columns[c] * g.CELL_MM), WD_TAB_ALIGNMENT.LEFT)
            run = p.add_run(("" if after_label else "\t") + name)
            set_fonts(run._r, FACE["heading2"])
    return p


def _numbered_header(docx, doc: Document, layout: masthead.HeaderLayout, mark_pt: float, signers) -> float:
    """文件格式, 纪要格式 and 命令格式: elements on the first grid lines, the mark, the number
    (or 签发人 rows) and the red rule (not in an order) in the flow, off the grid."""
    header = doc.header
    assert header is not None
    for text in (t for t in (header.copy_number, header.secrecy, header.urgency) if t):
        para(docx, "版头要素", text)
    used = layout.header_lines * g.LINE_PITCH
    if header.joint_word:
        _joint_mark(docx, header, mark_pt, layout.mark_top - used, doc.preprinted)
    else:
        for i, text in enumerate(header.issuer_mark):
            p = _mark_paragraph(docx, text, mark_pt, doc.preprinted)
            if i == 0:
                p.paragraph_format.space_before = Mm(layout.mark_top - used)
    used = layout.mark_bottom
    if signers:
        first_row = len(docx.paragraphs)
        p = _signer_rows(docx, header, signers)
        docx.paragraphs[first_row].paragraph_format.space_before = Mm(layout.signer_top - used)
    else:
        p = para(docx, "发文字号", header.number)
        no_grid(p)
        p.paragraph_format.space_before = Mm(layout.number_top - used)
    used = layout.number_top + g.LINE_PITCH
    if layout.rules:
        # The red rule is the number paragraph's bottom border, 4 mm under its glyphs.
        # w:space is whole points: the title's spacing is reckoned with the rounded figure, or
        # LibreOffice's page 1 comes out a fraction of a line too full and drops its last line.
        space = round(g.mm_to_pt(g.RULE_BELOW_NUMBER - g.HALF_LEADING))
        # 套打: the rule in white, i.e. no ink: Word, WPS and LibreOffice reckon a border's
        # room each their own way, so only the same border keeps the rest where it was.
        color = "FFFFFF" if doc.preprinted else g.RED
        border(p, "bottom", width_pt=g.RED_RULE_WIDTH_PT, color=color, space_pt=space)
        used += g.pt_to_mm(space + g.RED_RULE_WIDTH_PT)
    return layout.title_line * g.LINE_PITCH - used


def _frame(paragraph, x_mm: float, y_mm: float, width_mm: float) -> None:
    """Place ``paragraph`` in a frame at page position (x, y), out of the flow."""
    twips = lambda mm: str(round(g.mm_to_pt(mm) * 20))  # noqa: E731
    child(
        paragraph._p.get_or_add_pPr(),
        "w:framePr",
        w=twips(width_mm),
        hSpace="0",
        vSpace="0",
        wrap="around",
        vAnchor="page",
        hAnchor="page",
        x=twips(x_mm),
        y=twips(y_mm),
    )


def _letter_rule(docx, upper: masthead.Rule, lower: masthead.Rule) -> None:
    """A red double rule as one empty framed paragraph: its top border the upper stroke,
    its exact height the gap, its bottom border the lower stroke."""
    p = para(docx, "公文正文")
    gap = lower.top - upper.top - upper.thickness
    exact(p.paragraph_format, g.mm_to_pt(gap))
    no_grid(p)
    border(p, "top", width_pt=g.mm_to_pt(upper.thickness), color=g.RED)
    border(p, "bottom", width_pt=g.mm_to_pt(lower.thickness), color=g.RED)
    _frame(p, g.MARGIN_INNER + upper.left, g.MARGIN_TOP + upper.top, upper.length)


def _letter_header(docx, doc: Document, layout: masthead.HeaderLayout, mark_pt: float, signers) -> float:
    """信函格式: the name and both double rules in frames placed on the page (the name
    sits above the type area); 份号 etc. flush left under the first rule, the number
    flush right on the first of their lines, in the flow."""
    header = doc.header
    assert header is not None
    if not doc.preprinted:
        for i, text in enumerate(header.issuer_mark):
            p = _mark_paragraph(docx, text, mark_pt, False)
            top = g.MARGIN_TOP + layout.mark_top + i * layout.mark_line_height
            _frame(p, g.MARGIN_INNER, top, g.TYPE_WIDTH)
        thick, thin, low_thin, low_thick = layout.rules
        _letter_rule(docx, thick, thin)
        _letter_rule(docx, low_thin, low_thick)
    elements = [t for t in (header.copy_number, header.secrecy, header.urgency) if t] or [""]
    tops = layout.element_tops or (layout.number_top,)  # the number on the first element's line
    used = 0.0
    for i, text in enumerate(elements):
        p = para(docx, "版头要素", text)
        no_grid(p)
        p.paragraph_format.space_before = Mm(tops[i] - used)
        if i == 0:
            p.paragraph_format.tab_stops.add_tab_stop(Mm(g.TYPE_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
            run = p.add_run("\t" + header.number)
            set_fonts(run._r, FACE["body"])
        used = tops[i] + g.LINE_PITCH
    return layout.title_line * g.LINE_PITCH - used


HEADERS = {
    Format.FILE: _numbered_header,
    Format.MINUTES: _numbered_header,
    Format.ORDER: _numbered_header,
    Format.LETTER: _letter_header,
}


def header(docx, doc: Document) -> float:
    """The 版头 of the document's format; gives the space (mm) left above the title."""
    layout, mark_pt, signers = masthead.for_document(doc)
    return HEADERS[doc.format](docx, doc, layout, mark_pt, signers)
