"""PDF renderer: Document → HTML (jinja2, autoescaped) → weasyprint."""

from __future__ import annotations

import atexit
import base64
import hashlib
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from generators.core import fonts
from generators.core.output import atomic_path
from generators.core.paths import TEMPLATES
from generators.document import geometry
from generators.document.model import Document
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
    env.filters["data_uri"] = lambda png: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return env


def _context(doc: Document) -> dict:
    """Layout numbers the templates need: they depend on the header and 附件说明."""
    header = doc.header
    mark_lines = list(header.issuer_mark) if header else []
    mark = geometry.IssuerMark.fit(mark_lines)
    header_lines = []
    if header:
        for kind, text in (
            ("copy-number", header.copy_number),
            ("secrecy", header.secrecy),
            ("urgency", header.urgency),
        ):
            if text:
                header_lines.append({"kind": kind, "text": text})
    layout = geometry.header_layout(len(header_lines), len(mark_lines) or 1, mark.size_pt)
    note_left, note_hang = geometry.attachment_note_indents(len(doc.attachment_names))
    return {
        "g": geometry,
        "layout": layout,
        "mark_pt": mark.size_pt,
        "note_indent": note_left,
        "note_hang": note_hang,
        "note_number_width": geometry.attachment_number_cells(len(doc.attachment_names)),
        "header_lines": header_lines,
    }


def stylesheet(doc: Document) -> str:
    return _env().get_template("gongwen.css.j2").render(**_context(doc))


def to_html(doc: Document, inline_css: bool = True) -> str:
    """The document as HTML; without ``inline_css`` the stylesheet is left out, for
    ``write_pdf`` to pass it pre-parsed."""
    context = _context(doc)
    css = Markup(_env().get_template("gongwen.css.j2").render(**context)) if inline_css else None
    signing = None
    if doc.signing:
        s = geometry.signing_layout(doc.signing.issuer, doc.signing.date_text, doc.signing.sealed)
        cell_em = geometry.CHAR_PITCH_PT / geometry.BODY_PT
        signing = {
            "name_left_em": s.name_left * cell_em,
            "date_left_em": s.date_left * cell_em,
            "seal_left_em": s.seal_left * cell_em,
        }
    return _env().get_template("gongwen.html.j2").render(doc=doc, css=css, signing=signing, **context)


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


def write_pdf(doc: Document, target: Path, variant: str | None = None) -> Path:
    """Lay out ``doc`` and write it to ``target`` atomically; ``variant`` is a
    weasyprint ``pdf_variant`` such as ``"pdf/a-2b"`` (None: plain PDF)."""
    fonts.configure()
    import weasyprint  # after fontconfig is pointed at the project's configuration

    from generators.render.fetcher import SafeFetcher

    # Only the project's own files and data: URIs; no network, no other local file.
    html = weasyprint.HTML(string=to_html(doc, inline_css=False), base_url=str(TEMPLATES), url_fetcher=SafeFetcher())
    identifier = hashlib.sha256(doc.meta.identifier.encode("utf-8")).hexdigest()[:32].encode()
    # PDF/A forbids /Interpolate true on images (ISO 19005-2 6.2.8), weasyprint's default.
    extra = [weasyprint.CSS(string="img { image-rendering: crisp-edges }")] if variant else []
    sheets = [_parsed_css(stylesheet(doc)), *extra]
    # As HTML.write_pdf does, with the same options for both steps; kept apart so the
    # page count is known without reading the file back.
    options = {"stylesheets": sheets, "pdf_identifier": identifier, "uncompressed_pdf": False, "pdf_variant": variant}
    document = html.render(font_config=_font_config(), **options)
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
