"""PDF renderer: Document → HTML (jinja2, autoescaped) → weasyprint."""

from __future__ import annotations

import atexit
import base64
import hashlib
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generators.core import fonts
from generators.core.output import atomic_path
from generators.core.paths import TEMPLATES
from generators.document import geometry, masthead, signoff
from generators.document.model import Document, Figure, Paragraph, heads_content
from generators.render.fonts_used import fallback_notes

_LATIN = fonts.LATIN_RUN


def runs(text: object) -> Markup:
    """Escape text and wrap Latin/digit runs so they take Times New Roman."""
    out = []
    pos = 0
    s = str(text)
    for m in _LATIN.finditer(s):
        out.append(escape(s[pos : m.start()]))
        out.append(Markup('<span class="latin">') + escape(m.group()) + Markup("</span>"))
        pos = m.end()
    out.append(escape(s[pos:]))
    return Markup("").join(out)


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "html.j2", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["runs"] = runs
    env.globals["heads_content"] = heads_content
    env.filters["data_uri"] = lambda png: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return env


def _context(doc: Document) -> dict:
    """Layout numbers the templates need: they depend on the header and 附件说明."""
    header_lines = [{"kind": kind, "text": text} for kind, text in doc.header.elements] if doc.header else []
    layout, mark_pt, signers = masthead.for_document(doc)
    note_left, note_hang = geometry.attachment_note_indents(len(doc.attachment_names))
    return {
        "g": geometry,  # the grid and sizes; gh: the 版头 (masthead) per format; gc: 署名, date and seals
        "gh": masthead,
        "gc": signoff,
        "layout": layout,
        "mark_pt": mark_pt,
        "signers": signers,
        "note_indent": note_left,
        "note_hang": note_hang,
        "note_number_width": geometry.attachment_number_cells(len(doc.attachment_names)),
        "header_lines": header_lines,
        "attendance": [(label, *geometry.attendance_indents(label), names) for label, names in doc.attendance],
        "preprinted": doc.preprinted,
    }


def stylesheet(doc: Document) -> str:
    return _env().get_template("gongwen.css.j2").render(**_context(doc))


def to_html(
    doc: Document,
    inline_css: bool = True,
    record_page: geometry.RecordPage = geometry.RecordPage.WITH_BODY,
    closing: str = "keep",
) -> str:
    """The document as HTML; without ``inline_css`` the stylesheet is left out, for
    ``write_pdf`` to pass it pre-parsed; ``record_page`` places the 版记, ``closing``
    (one of ``geometry.CLOSING_FITS``) says how the end of the body is fitted."""
    context = _context(doc)
    css = Markup(_env().get_template("gongwen.css.j2").render(**context)) if inline_css else None
    signing = signoff.for_document(doc)
    return (
        _env()
        .get_template("gongwen.html.j2")
        .render(doc=doc, css=css, signing=signing, record_page=record_page, closing=closing, **context)
    )


@cache
def _font_config():
    import weasyprint.text.fonts

    # Dropped before interpreter teardown: its __del__ needs the cffi library alive.
    atexit.register(_parsed_css.cache_clear)
    atexit.register(_font_config.cache_clear)
    return weasyprint.text.fonts.FontConfiguration()


@cache
def _parsed_css(text: str):
    """Documents of one kind share their stylesheet: parse it once per process (a
    third of a one-page PDF's set-up went into parsing it again)."""
    import weasyprint

    from generators.render.fetcher import SafeFetcher

    return weasyprint.CSS(string=text, base_url=str(TEMPLATES), url_fetcher=SafeFetcher(), font_config=_font_config())


# ISO 19005-2 level B: fonts embedded, sRGB output intent, XMP with pdfaid; unlike
# PDF/A-3 it cannot carry arbitrary (non-PDF/A) attachments, which archives prefer.
PDFA_VARIANT = "pdf/a-2b"


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def _record_position(rendered) -> tuple[int, bool, bool]:
    """Where the 版记 landed: (page number, whether that page carries body text, whether
    the page before it is blank)."""
    from weasyprint.formatting_structure import boxes

    for number, page in enumerate(rendered.pages, 1):
        footnotes = [c for c in page._page_box.children if isinstance(c, boxes.FootnoteAreaBox)]
        if not any("record" in _classes(d) for area in footnotes for d in area.descendants()):
            continue
        flow = [c for c in page._page_box.children if not isinstance(c, boxes.MarginBox | boxes.FootnoteAreaBox)]
        text = any(isinstance(d, boxes.TextBox) and d.text.strip() for c in flow for d in c.descendants())
        blank_before = number > 1 and rendered.pages[number - 2]._page_box.page_type.blank
        return number, text, blank_before
    raise AssertionError("版记 not laid out")  # the renderer always sets a record it is given


_PX_PER_PT = 4 / 3  # weasyprint lays out in CSS pixels


def _flow_boxes(page):
    from weasyprint.formatting_structure import boxes

    for child in page._page_box.children:
        if not isinstance(child, boxes.MarginBox | boxes.FootnoteAreaBox):
            yield from child.descendants()


def _first(rendered, cls: str) -> tuple[int, float] | None:
    """(page number, top in px below the page's content top) of the first box of class
    ``cls``, or None."""
    for number, page in enumerate(rendered.pages, 1):
        for box in _flow_boxes(page):
            if cls in _classes(box):
                return number, box.position_y - page._page_box.content_box_y()
    return None


def _room_at_foot(page) -> float:
    """Empty height (px) under the last line of body text on ``page``."""
    from weasyprint.formatting_structure import boxes

    top = page._page_box.content_box_y()
    lines = [b for b in _flow_boxes(page) if isinstance(b, boxes.LineBox)]
    bottom = max((b.position_y + b.height for b in lines), default=top)
    return top + page._page_box.height - bottom


def _pushed(rendered) -> bool:
    """Whether the closing (last paragraph and signature, one box) went to the top of a
    page while the page before had room for a line of it."""
    found = _first(rendered, "closing")
    if found is None or found[0] == 1 or found[1] > 1:
        return False
    return _room_at_foot(rendered.pages[found[0] - 2]) >= geometry.LINE_PITCH_PT * _PX_PER_PT


def _text_before(rendered, cls: str, page: int) -> str:
    """The text of the boxes of class ``cls`` on the pages before ``page``."""
    from weasyprint.formatting_structure import boxes

    text = []
    for page_box in rendered.pages[: page - 1]:
        for box in _flow_boxes(page_box):
            # The paragraph's block only: its line and inline boxes carry its class too.
            if isinstance(box, boxes.BlockBox) and cls in _classes(box):
                text += [t.text for t in box.descendants() if isinstance(t, boxes.TextBox)]
    return "".join(text)


def _fit_closing(doc: Document, render) -> tuple[Any, str, int]:
    """GB/T 9704 7.3.5: when the signature and date do not fit under the body, adjust line
    spacing rather than leave them alone; the first page must show body text.  The closing
    is one unbreakable box ("keep"); pushed to a new page, it is tightened ("squeeze",
    taken when it then starts a page earlier), else its last paragraph may break ("split",
    taken when that paragraph then starts a page earlier and the signature follows body
    text on its page, so the date never stands alone).  Also gives, when split, how many
    characters of that paragraph stay on the pages before the signature's."""
    kept = render("keep")
    if not _pushed(kept):
        return kept, "keep", 0
    was = _first(kept, "closing")
    assert was is not None
    squeezed = render("squeeze")
    now = _first(squeezed, "closing")
    if now is not None and now[0] < was[0]:
        return squeezed, "squeeze", 0
    last = doc.body[-1] if doc.body else None
    if isinstance(last, Paragraph) and not last.head and doc.signing:
        split = render("split")
        start, signing = _first(split, "split"), _first(split, "signing")
        if start and signing and start[0] < was[0] and signing[1] > 1:
            before = _text_before(split, "split", signing[0])
            if before and last.text.startswith(before) and len(before) < len(last.text):
                return split, "split", len(before)
    return kept, "keep", 0


def _figures(doc: Document) -> list[Figure]:
    return [b for b in (*doc.body, *(x for a in doc.attachments for x in a.blocks)) if isinstance(b, Figure)]


def scaled_figures(doc: Document, scales: tuple[float, ...]) -> Document:
    """``doc`` with its figures (in document order) drawn at ``scales``."""
    if not scales:
        return doc
    sized = iter(scales)

    def scale(blocks: tuple) -> tuple:
        out = []
        for b in blocks:
            if isinstance(b, Figure):
                k = next(sized)
                b = replace(b, width_mm=b.width_mm * k, height_mm=b.height_mm * k)
            out.append(b)
        return tuple(out)

    attachments = tuple(replace(a, blocks=scale(a.blocks)) for a in doc.attachments)
    return replace(doc, body=scale(doc.body), attachments=attachments)


def _fit_figures(doc: Document, render) -> tuple[float, ...]:
    """A figure pushed to the top of a page while the page before has room for most of it
    is scaled down into that room (geometry.figure_scale, never below FIGURE_MIN_SCALE);
    kept when the layout then really has it on the earlier page.  One figure at a time,
    in order: each changes where the next falls."""
    count = len(_figures(doc))
    scales = [1.0] * count
    for i in range(count):
        rendered = render(scaled_figures(doc, tuple(scales)))
        boxes = [(n, box) for n, page in enumerate(rendered.pages, 1) for box in _flow_boxes(page)]
        placed = [(n, box, page) for n, box in boxes if "figure" in _classes(box) for page in [rendered.pages[n - 1]]]
        if i >= len(placed):
            break
        number, box, page = placed[i]
        if number == 1 or box.position_y - page._page_box.content_box_y() > 1:
            continue  # not pushed to the top of a page
        room = _room_at_foot(rendered.pages[number - 2])
        image = next(d for d in box.descendants() if getattr(d, "element_tag", "") == "img")
        k = geometry.figure_scale(room, box.margin_height(), image.height)
        if k is None or k >= 1:
            continue
        trial = [*scales[:i], k, *scales[i + 1 :]]
        again = render(scaled_figures(doc, tuple(trial)))
        moved = [n for n, page in enumerate(again.pages, 1) for b in _flow_boxes(page) if "figure" in _classes(b)]
        if len(moved) > i and moved[i] < number:
            scales = trial
    return tuple(scales) if any(k < 1 for k in scales) else ()


def _render(doc: Document, options: dict):
    """Lay ``doc`` out with the 版记 on an even page (GB/T 9704 7.4, 7.5): set under the
    body first; when that falls on an odd page (or alone, where weasyprint would count its
    page blank), again on a page of its own.  Without the 版记 in the body the end of the
    body can move back a page, so the blank page before it is checked, not assumed."""
    import weasyprint

    from generators.render.fetcher import SafeFetcher

    def render(place: geometry.RecordPage, closing: str, other: Document | None = None):
        # Only the project's own files and data: URIs; no network, no other local file.
        html = weasyprint.HTML(
            string=to_html(other or doc, inline_css=False, record_page=place, closing=closing),
            base_url=str(TEMPLATES),
            url_fetcher=SafeFetcher(),
        )
        return html.render(font_config=_font_config(), **options)

    place = geometry.RecordPage.WITH_BODY
    figures = _fit_figures(doc, lambda scaled: render(place, "keep", scaled)) if _figures(doc) else ()
    doc = scaled_figures(doc, figures)
    rendered, closing, split_at = _fit_closing(doc, lambda fit: render(place, fit))
    if doc.record is None:
        return rendered, geometry.PagePlan(place, closing, split_at, figures)
    page, with_text, _ = _record_position(rendered)
    wanted = geometry.record_page(page, with_text)
    for _ in range(2):
        if wanted is place:
            break
        place = wanted
        rendered = render(place, closing)
        _, _, blank_before = _record_position(rendered)
        wanted = geometry.RecordPage.AFTER_BLANK if blank_before else geometry.RecordPage.NEXT_PAGE
    return rendered, geometry.PagePlan(place, closing, split_at, figures)


# The last layout made for a DOCX's 版记 placement, kept for the PDF of the same document
# (the pipeline writes the DOCX first): one layout serves both.
_LAID_OUT: dict[Document, tuple[Any, geometry.PagePlan]] = {}


def _options(doc: Document, variant: str | None) -> dict:
    import weasyprint

    identifier = hashlib.sha256(doc.meta.identifier.encode("utf-8")).hexdigest()[:32].encode()
    # PDF/A forbids /Interpolate true on images (ISO 19005-2 6.2.8), weasyprint's default.
    extra = [weasyprint.CSS(string="img { image-rendering: crisp-edges }")] if variant else []
    sheets = [_parsed_css(stylesheet(doc)), *extra]
    # As HTML.write_pdf does, with the same options for both steps; kept apart so the
    # page count is known without reading the file back.
    return {"stylesheets": sheets, "pdf_identifier": identifier, "uncompressed_pdf": False, "pdf_variant": variant}


def page_plan(doc: Document) -> geometry.PagePlan:
    """How the end of ``doc`` is fitted and where its 版记 goes, from the PDF's layout:
    the DOCX renderer follows it (LibreOffice paginates the DOCX as weasyprint does the
    PDF, on the same grid)."""
    if doc.record is None and doc.signing is None:
        return geometry.PagePlan()
    fonts.configure()
    _LAID_OUT.clear()
    _LAID_OUT[doc] = _render(doc, _options(doc, None))
    return _LAID_OUT[doc][1]


def write_pdf(doc: Document, target: Path, variant: str | None = None) -> Path:
    """Lay out ``doc`` and write it to ``target`` atomically; ``variant`` is a
    weasyprint ``pdf_variant`` such as ``"pdf/a-2b"`` (None: plain PDF)."""
    fonts.configure()
    options = _options(doc, variant)
    laid_out = _LAID_OUT.pop(doc, None) if variant is None else None
    document = laid_out[0] if laid_out else _render(doc, options)[0]
    with atomic_path(target) as tmp:
        document.write_pdf(tmp, **options)
    _PAGES[Path(target)] = len(document.pages)
    notes = fallback_notes(doc)
    if notes:
        _FALLBACKS[Path(target)] = tuple(notes)
    return target


# Page counts of the PDFs this process wrote, so a batch need not parse them again.
_PAGES: dict[Path, int] = {}


def pages_written(path: Path) -> int | None:
    """How many pages ``write_pdf`` gave ``path`` in this process (None: not known)."""
    return _PAGES.pop(Path(path), None)


# Characters of the PDFs this process wrote that a fallback face drew, per role.
_FALLBACKS: dict[Path, tuple[str, ...]] = {}


def fallbacks_written(path: Path) -> tuple[str, ...]:
    """``fonts_used.fallback_notes`` of the PDF ``write_pdf`` wrote to ``path`` (empty: none)."""
    return _FALLBACKS.pop(Path(path), ())


def write_pdfa(doc: Document, target: Path, variant: str = PDFA_VARIANT) -> Path:
    """``write_pdf`` as PDF/A for archiving; the XMP packet weasyprint writes already
    carries dc:title, dc:creator and xmp:CreateDate from ``doc.meta`` (via to_html)."""
    return write_pdf(doc, target, variant=variant)
