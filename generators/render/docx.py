"""DOCX renderer (python-docx): the same Document, laid out with the same geometry.

Page setup keeps the standard's own figures (37/35/28/26 mm) because that is what a
reviewer reads in Word's page-setup dialog; the 22 × 28 document grid and exact line
spacing give the line and character pitch.  Every element has a named style so an
office can restyle the output in Word.
"""

from __future__ import annotations

import io
from dataclasses import replace
from functools import cache
from pathlib import Path

from docx import Document as NewDocx
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

import generators.render.docx_tables as docx_tables
from generators.core.output import atomic_path, normalised_zip
from generators.document import geometry as g
from generators.document import masthead, signoff
from generators.document.model import Document, Figure, Paragraph, SignatureBlock, Table, heads_content
from generators.render.docx_header import header as _header
from generators.render.docx_parts import ALIGN, FACE
from generators.render.docx_parts import exact as _exact
from generators.render.docx_parts import indent_chars as _indent_chars
from generators.render.docx_parts import no_grid as _no_grid
from generators.render.docx_parts import para as _para
from generators.render.docx_parts import set_fonts as _set_fonts
from generators.render.docx_xml import child
from generators.render.pdf import page_plan, scaled_figures

# The office face of each role, as fonts.ROLES names them ("song": the page numbers' 宋体).
STYLE = {  # named paragraph styles: name → (east-asian face, size pt, alignment, first-line indent chars)
    "公文正文": ("body", g.BODY_PT, "justify", 2),
    "发文机关标志": ("title", g.ISSUER_MARK_MAX_PT, "center", 0),
    "发文字号": ("body", g.BODY_PT, "center", 0),
    "版头要素": ("heading1", g.BODY_PT, "left", 0),
    "公文标题": ("title", g.TITLE_PT, "center", 0),
    "主送机关": ("body", g.BODY_PT, "justify", 0),
    "一级标题": ("heading1", g.BODY_PT, "justify", 2),
    "二级标题": ("heading2", g.BODY_PT, "justify", 2),
    "三级标题": ("body", g.BODY_PT, "justify", 2),
    "四级标题": ("body", g.BODY_PT, "justify", 2),
    "附件说明": ("body", g.BODY_PT, "justify", 0),
    "署名": ("body", g.BODY_PT, "left", 0),
    "成文日期": ("body", g.BODY_PT, "left", 0),
    "附注": ("body", g.BODY_PT, "justify", 2),
    "附件标识": ("heading1", g.BODY_PT, "left", 0),
    "附件标题": ("title", g.TITLE_PT, "center", 0),
    "签字栏": ("body", g.BODY_PT, "left", 0),
    "纪要名单": ("body", g.BODY_PT, "left", 0),
    "版记": ("body", g.RECORD_PT, "left", 0),
    "页码": ("song", g.PAGE_NUMBER_PT, "left", 0),
}
LEVEL_STYLE = {0: "公文正文", 1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}


def _doc_defaults(docx) -> None:
    """Document-wide defaults: LibreOffice takes the grid's character pitch from the
    default font size, and picks CJK glyph variants by the East-Asian language."""
    styles_el = docx.styles.element
    rpr = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in list(rpr):
        rpr.remove(old)
    fonts = child(rpr, "w:rFonts")
    for key, face in (
        ("ascii", FACE["latin"]),
        ("hAnsi", FACE["latin"]),
        ("eastAsia", FACE["body"]),
        ("cs", FACE["latin"]),
    ):
        fonts.set(qn(f"w:{key}"), face)
    child(rpr, "w:spacing", val=str(g.DOCX_CHAR_SPACING_TWIPS))
    for tag in ("w:sz", "w:szCs"):
        child(rpr, tag, val=str(round(g.BODY_PT * 2)))
    child(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = styles_el.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for old in list(ppr):
        ppr.remove(old)
    child(ppr, "w:spacing", after="0", line=str(g.DOCX_LINE_PITCH_TWIPS), lineRule="exact")

    theme_lang = docx.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _add_styles(docx) -> None:
    _doc_defaults(docx)
    styles = docx.styles
    normal = styles["Normal"]
    _set_fonts(normal.element, FACE["body"])
    normal.font.size = Pt(g.BODY_PT)
    pf = normal.paragraph_format
    _exact(pf, g.LINE_PITCH_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    # No automatic gap between CJK and Latin text, as in the PDF.
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        child(normal.element.get_or_add_pPr(), tag, val="0")
    for name, (role, size, align, indent) in STYLE.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _set_fonts(style.element, FACE[role])
        style.font.size = Pt(size)
        style.font.bold = role == "title"
        style.paragraph_format.alignment = ALIGN[align]
        if size > g.BODY_PT:
            # Larger type keeps the exact one-line pitch instead of snapping to two
            # grid lines (LibreOffice does that to any line taller than the grid).
            child(style.element.get_or_add_pPr(), "w:snapToGrid", val="0")
        if indent:
            ind = style.element.get_or_add_pPr().get_or_add_ind()
            ind.set(qn("w:firstLineChars"), str(indent * 100))
            ind.set(qn("w:firstLine"), str(round(indent * g.CHAR_PITCH_PT * 20)))
    docx_tables.add_styles(docx, _set_fonts, FACE)
    styles["发文机关标志"].font.color.rgb = RGBColor.from_string(g.RED)


def _page_setup(docx) -> None:
    section = docx.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(g.PAGE_WIDTH), Mm(g.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(g.MARGIN_TOP), Mm(g.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(g.MARGIN_INNER), Mm(g.MARGIN_OUTER)
    section.header_distance = Mm(15)
    # The page number's top edge sits 7 mm under the type area; the footer distance is
    # measured from the paper's edge to the bottom of that one 14 pt line.
    section.footer_distance = Mm(g.MARGIN_BOTTOM - g.PAGE_NUMBER_BELOW - g.pt_to_mm(g.PAGE_NUMBER_PT))
    sect_pr = section._sectPr
    grid = child(sect_pr, "w:docGrid")
    # A line grid of 22 lines.  The 28-character pitch comes from character spacing
    # in the styles, not from a character grid: LibreOffice gives every 16 pt glyph
    # two cells of a 15.8 pt character grid (14 characters a line).
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(g.DOCX_LINE_PITCH_TWIPS))
    docx.settings.odd_and_even_pages_header_footer = True
    section.different_first_page_header_footer = False
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = docx.styles["页码"]
        p.alignment = ALIGN[side]
        _exact(p.paragraph_format, g.PAGE_NUMBER_PT)
        if side == "right":
            p.paragraph_format.right_indent = Pt(g.PAGE_NUMBER_INDENT_PT)
        else:
            p.paragraph_format.left_indent = Pt(g.PAGE_NUMBER_INDENT_PT)
        p.add_run("— ")
        _page_field(p)
        p.add_run(" —")


def _page_field(paragraph) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def _title(docx, lines, style: str, space_before_mm: float = 0) -> None:
    for i, line in enumerate(lines):
        p = _para(docx, style, line)
        if i == 0 and space_before_mm > 0:
            p.paragraph_format.space_before = Mm(space_before_mm)
        p.paragraph_format.keep_with_next = True


def _blank(docx) -> None:
    _para(docx, "公文正文").paragraph_format.keep_with_next = True


def _block(docx, block, keep_with_next: bool = False) -> object:
    if isinstance(block, SignatureBlock):
        return _signature_block(docx, block)
    if isinstance(block, Table):
        return docx_tables.add_table(docx, block)
    if isinstance(block, Figure):
        return docx_tables.add_figure(docx, block)
    assert isinstance(block, Paragraph)
    style = LEVEL_STYLE.get(block.level, "公文正文")
    if block.head:
        p = _para(docx, "公文正文", block.text, head=block.heading_lines, head_style=style)
    else:
        p = _para(docx, style, block.text)
    if not block.indent:
        _indent_chars(p, first=0)
    if block.head and not block.text:  # as the PDF: a heading is kept whole and (heads_content) with what follows
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = keep_with_next
    return p


def _signature_block(docx, block: SignatureBlock):
    """Parties side by side in a borderless table, after one blank line (as in the PDF),
    kept on one page with the last line of the paragraph before it: keep-with-next
    chains that paragraph, the blank line and the first row; rows cannot split."""
    if docx.paragraphs:
        docx.paragraphs[-1].paragraph_format.keep_with_next = True
    _blank(docx)
    table = docx.add_table(rows=2, cols=len(block.parties))
    for col, party in enumerate(block.parties):
        top = table.cell(0, col).paragraphs[0]
        top.style = docx.styles["签字栏"]
        top.add_run(f"{party}签字：")
        top.paragraph_format.keep_with_next = True
        bottom = table.cell(1, col).paragraphs[0]
        bottom.style = docx.styles["签字栏"]
        bottom.add_run("年　　月　　日")
        _indent_chars(bottom, left=4)
    for row in table.rows:
        child(row._tr.get_or_add_trPr(), "w:cantSplit")
    return table


def _squeeze(paragraph, pt: float = g.SQUEEZED_LINE_PT) -> None:
    """A closing line tightened as the PDF's (geometry.SQUEEZED_LINE_PT), off the grid."""
    _exact(paragraph.paragraph_format, pt)
    _no_grid(paragraph)


def _blank_before(docx, squeeze: bool) -> None:
    """The blank line above the 附件说明 or the signature; half a line when squeezed."""
    _blank(docx)
    if squeeze:
        _squeeze(docx.paragraphs[-1], g.LINE_PITCH_PT / 2)


def _seal_behind(
    paragraph, png: bytes, left_mm: float, top_mm: float, size_mm: tuple[float, float] = (signoff.SEAL_DIAMETER,) * 2
) -> None:
    """The seal image floating behind the text (wp:anchor, behindDoc), placed from the
    type area's left edge and the top of ``paragraph`` as the PDF places it."""
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(png), width=Mm(size_mm[0]), height=Mm(size_mm[1]))
    inline = run._r.find(qn("w:drawing")).find(qn("wp:inline"))
    anchor = OxmlElement("wp:anchor")
    for key, value in (
        ("distT", "0"), ("distB", "0"), ("distL", "0"), ("distR", "0"), ("simplePos", "0"),
        ("relativeHeight", "0"), ("behindDoc", "1"), ("locked", "0"), ("layoutInCell", "1"), ("allowOverlap", "1"),
    ):  # fmt: skip
        anchor.set(key, value)
    simple = OxmlElement("wp:simplePos")
    simple.set("x", "0")
    simple.set("y", "0")
    anchor.append(simple)
    for tag, relative, mm in (("wp:positionH", "column", left_mm), ("wp:positionV", "paragraph", top_mm)):
        position = OxmlElement(tag)
        position.set("relativeFrom", relative)
        offset = OxmlElement("wp:posOffset")
        offset.text = str(int(Mm(mm)))
        position.append(offset)
        anchor.append(position)
    anchor.append(inline.find(qn("wp:extent")))
    effect = OxmlElement("wp:effectExtent")
    for side in "ltrb":
        effect.set(side, "0")
    anchor.append(effect)
    anchor.append(OxmlElement("wp:wrapNone"))
    for tag in ("wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"):
        anchor.append(inline.find(qn(tag)))
    inline.getparent().replace(inline, anchor)


def _signing(docx, doc: Document, squeeze: bool = False) -> None:
    """署名, 成文日期 and seals as ``signoff.for_document`` lays them out: a paragraph a line, the
    first text by indent and the others by left tab stops; seal images float behind."""
    s, plan = doc.signing, signoff.for_document(doc)
    assert s is not None and plan is not None
    squeeze = squeeze and plan.blank_before == 1  # as the PDF: a seal keeps its two blank lines and full lines
    for _ in range(plan.blank_before):
        _blank_before(docx, squeeze)
    first = p = None
    for i, line in enumerate(plan.lines):
        last = i == len(plan.lines) - 1
        p = _para(docx, "成文日期" if last else "署名", line[0][0] if line else "")
        first = first or p
        if line:
            _indent_chars(p, left=line[0][1])
        for text, left in line[1:]:
            p.paragraph_format.tab_stops.add_tab_stop(Mm(left * g.CELL_MM), WD_TAB_ALIGNMENT.LEFT)
            p.add_run("\t" + text)
        p.paragraph_format.keep_with_next = not last or bool(doc.note)
        if squeeze:
            _squeeze(p)
    assert first is not None
    for i, st in enumerate(plan.stamps):
        # 印章图片 is the main issuer's seal (the first): a joint issuer's seal is left to the office.
        png = (s.seal_png if i == 0 else None) if st.kind == "seal" else s.signature_png
        if png:
            _seal_behind(first, png, st.left * g.CELL_MM, st.top, (st.width, st.height))
        elif st.kind == "signature":  # the placeholder: the name in red, framed, where the 签名章 goes
            _signature_placeholder(first, st)


def _signature_placeholder(paragraph, stamp: signoff.Stamp) -> None:
    pad = (stamp.width / g.CELL_MM - g.text_width_chars(stamp.text)) / 2
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm((stamp.left + pad) * g.CELL_MM), WD_TAB_ALIGNMENT.LEFT)
    paragraph.add_run("\t")
    run = paragraph.add_run(stamp.text)
    _set_fonts(run._r, FACE["heading2"])
    run.font.color.rgb = RGBColor.from_string(g.RED)
    child(run._r.get_or_add_rPr(), "w:bdr", val="single", sz="8", space="0", color=g.RED)


def _attendance(docx, doc: Document, squeeze: bool) -> None:
    """纪要: 出席 / 请假 / 列席, one blank line under the body, the label in 黑体, the names
    wrapped after the colon (10.3)."""
    _blank_before(docx, squeeze)
    for label, names in doc.attendance:
        left, hang = g.attendance_indents(label)
        p = _para(docx, "纪要名单")
        run = p.add_run(f"{label}：")
        _set_fonts(run._r, FACE["heading1"])
        p.add_run("、".join(names))
        _indent_chars(p, left=left, hanging=hang)
        p.paragraph_format.keep_with_next = True
        if squeeze:
            _squeeze(p)


def _unnumbered_section(docx) -> None:
    """End the section here: what follows starts a page in a section of its own whose
    footers are empty (no page number).  The paragraph carrying the section break is
    1 pt high and off the grid, so a full last page does not spill onto a new one."""
    section = docx.add_section(WD_SECTION_START.NEW_PAGE)
    breaking = docx.paragraphs[-1]
    _exact(breaking.paragraph_format, 1)
    _no_grid(breaking)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for p in footer.paragraphs:
            for run in p.runs:
                run._r.getparent().remove(run._r)


def _record(docx, doc: Document, place: g.RecordPage) -> None:
    """版记 as a floating table anchored to the bottom of the type area on the last page,
    an even page: ``place`` (from the PDF's layout) says whether it goes on a page of its
    own, and whether after a blank page (neither numbered)."""
    r = doc.record
    assert r is not None
    if place is g.RecordPage.AFTER_BLANK:
        _unnumbered_section(docx)
        _para(docx, "公文正文")  # the blank page
    rows: list[tuple[str, str]] = [("copies", line) for line in r.copy_lines]
    if r.printer:
        rows.append(("printing", f"{r.printer}\t{r.printed_on}"))
    if r.count_line:
        rows.append(("count", r.count_line))
    table = docx.add_table(rows=len(rows), cols=1)
    tbl_pr = table._tbl.tblPr
    # Horizontally anchored to the page at the type area's left edge: LibreOffice makes a
    # frame of a floating table only when it is narrower than the text area or placed
    # relative to the page; otherwise it flows it inline (after the signature, split).
    child(
        tbl_pr,
        "w:tblpPr",
        leftFromText="0",
        rightFromText="0",
        topFromText="0",
        bottomFromText="0",
        vertAnchor="margin",
        horzAnchor="page",
        tblpX=str(round(g.mm_to_pt(g.MARGIN_INNER) * 20)),
        tblpYSpec="bottom",
    )
    child(tbl_pr, "w:tblOverlap", val="never")
    child(tbl_pr, "w:tblW", w=str(round(g.mm_to_pt(g.TYPE_WIDTH) * 20)), type="dxa")
    borders = child(tbl_pr, "w:tblBorders")
    for side, mm in (("top", g.RECORD_THICK_RULE), ("bottom", g.RECORD_THICK_RULE), ("insideH", g.RECORD_THIN_RULE)):
        if r.ruled:
            child(borders, f"w:{side}", val="single", sz=str(round(g.mm_to_pt(mm) * 8)), space="0", color=g.BLACK)
        else:  # a letter's 版记 has no rules (10.1)
            child(borders, f"w:{side}", val="nil")
    # No side padding: the rules start at the type area's edge (Word and LibreOffice
    # otherwise outdent a table by its left cell margin); the lines carry their indents.
    margins = child(tbl_pr, "w:tblCellMar")
    for side in ("left", "right"):
        child(margins, f"w:{side}", w="0", type="dxa")
    for i, (kind, text) in enumerate(rows):
        cell = table.cell(i, 0)
        cell.width = Mm(g.TYPE_WIDTH)
        p = cell.paragraphs[0]
        p.style = docx.styles["版记"]
        p.add_run(text)
        p.paragraph_format.left_indent = Pt(g.RECORD_PT * g.RECORD_INDENT_CHARS)
        p.paragraph_format.right_indent = Pt(g.RECORD_PT * g.RECORD_INDENT_CHARS)
        if kind == "copies":
            p.paragraph_format.left_indent = Pt(g.RECORD_PT * (g.RECORD_INDENT_CHARS + 3))
            p.paragraph_format.first_line_indent = Pt(-g.RECORD_PT * 3)
        elif kind == "printing":
            p.paragraph_format.tab_stops.add_tab_stop(Mm(g.TYPE_WIDTH) - Pt(2 * g.RECORD_PT), WD_TAB_ALIGNMENT.RIGHT)
        elif kind == "count":
            p.alignment = ALIGN["right"]


@cache
def _base_package() -> bytes:
    """Styles, page set-up and footers, the same for every document: made once per
    process and reopened per document (half the cost of a one-page DOCX otherwise)."""
    docx = NewDocx()
    docx.paragraphs[0]._p.getparent().remove(docx.paragraphs[0]._p) if docx.paragraphs else None
    _add_styles(docx)
    _page_setup(docx)
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


def build_docx(doc: Document):
    docx = NewDocx(io.BytesIO(_base_package()))
    space = _header(docx, doc) if doc.header else 0
    if doc.header and not masthead.for_document(doc)[0].first_page_numbered:
        section = docx.sections[0]
        section.different_first_page_header_footer = True  # its first-page footer is empty
        section.first_page_footer.is_linked_to_previous = False
    if doc.title_lines:
        _title(docx, doc.title_lines, "公文标题", space)
        _blank(docx)
        space = 0
    if doc.recipients:
        _para(docx, "主送机关", "、".join(doc.recipients) + "：").paragraph_format.space_before = Mm(max(space, 0))
        space = 0
    plan = page_plan(doc)  # the PDF's layout decides how the closing fits, the 版记's page, figure sizes
    doc = scaled_figures(doc, plan.figure_scales)
    squeeze = plan.closing == "squeeze"
    body = list(doc.body)
    last = body[-1] if body else None
    if plan.closing == "split" and isinstance(last, Paragraph):
        # Broken where the PDF broke it: Word's keep-with-next would move the whole
        # paragraph, so its tail is a paragraph of its own (no indent) kept with the date.
        head, tail = last.text[: plan.split_at], last.text[plan.split_at :]
        body[-1:] = [replace(last, text=head), replace(last, text=tail, indent=False)]
    for i, block in enumerate(body):
        p = _block(docx, block, heads_content(body, i))
        if i == 0 and space > 0 and hasattr(p, "paragraph_format"):  # an order: the body under the 令号
            p.paragraph_format.space_before = Mm(space)
        if i == len(body) - 1 and hasattr(p, "paragraph_format"):
            p.paragraph_format.keep_with_next = True  # keep the end of the body with the date
            p.paragraph_format.keep_together = True  # whole, as the PDF's closing box
            if squeeze:
                _squeeze(p)
    if doc.attachment_names:
        _blank_before(docx, squeeze)
        many = len(doc.attachment_names) > 1
        left, hang_first = g.attachment_note_indents(len(doc.attachment_names))
        number_width = g.attachment_number_cells(len(doc.attachment_names))
        for i, name in enumerate(doc.attachment_names):
            prefix = f"{i + 1}.\t" if many else ""  # the tab stops at the hanging indent
            p = _para(docx, "附件说明", ("附件：" if i == 0 else "") + prefix + name)
            _indent_chars(p, left=left, hanging=hang_first if i == 0 else number_width)
            p.paragraph_format.keep_with_next = True
            if squeeze:
                _squeeze(p)
    if doc.attendance:
        _attendance(docx, doc, squeeze)
    if doc.signing:
        _signing(docx, doc, squeeze)
    if doc.note:
        note = _para(docx, "附注", doc.note)
        if squeeze:
            _squeeze(note)
    for att in doc.attachments:
        label = _para(docx, "附件标识", att.label)
        label.paragraph_format.page_break_before = True
        label.paragraph_format.keep_with_next = True
        _blank(docx)
        _title(docx, att.title_lines, "附件标题")
        _blank(docx)
        for i, block in enumerate(att.blocks):
            _block(docx, block, heads_content(att.blocks, i))
    if doc.record:
        place = plan.record
        _record(docx, doc, place)
        # A floating table needs a paragraph after it to anchor to; a new page for the
        # 版记 starts with it (the frame goes where its anchor goes).
        anchor = _para(docx, "公文正文")
        anchor.paragraph_format.line_spacing = Pt(1)
        anchor.paragraph_format.page_break_before = place.own_page
    props = docx.core_properties
    # OOXML core properties hold at most 255 characters (python-docx enforces it).
    props.title = doc.meta.title[:255]
    props.author = props.last_modified_by = doc.meta.author[:255]
    props.subject = doc.meta.subject[:255]
    props.keywords = ", ".join(doc.meta.keywords)[:255]
    props.identifier = doc.meta.identifier[:255]
    props.comments = "gongwen-reports"
    import datetime as dt

    stamp = dt.datetime.combine(doc.meta.date, dt.time(0, 0))
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    return docx


def write_docx(doc: Document, target: Path) -> Path:
    buffer = io.BytesIO()
    build_docx(doc).save(buffer)
    with atomic_path(target) as tmp:
        tmp.write_bytes(normalised_zip(buffer.getvalue()))
    return target
