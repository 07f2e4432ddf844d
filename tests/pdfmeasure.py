"""Measure a produced PDF from its character boxes (pdfplumber)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pdfplumber

MM = 72 / 25.4


@dataclass
class Line:
    baseline: float  # mm from the top of the page
    chars: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in sorted(self.chars, key=lambda c: c["x0"]))

    @property
    def inked(self) -> list[dict]:
        """The characters that print: a space at the end of a line hangs past the edge
        (CSS and Word both let it), and has no ink to measure."""
        return [c for c in self.chars if c["text"].strip()] or self.chars

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.inked) / MM

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.inked) / MM

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars) / MM

    @property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars) / MM

    @property
    def em_top(self) -> float:
        """Top of the ideographic em box (baseline + 0.88 em), font-independent, unlike
        pdfplumber's ``top`` which comes from each font's own ascent."""
        return self.baseline - 0.88 * self.size / MM

    @property
    def em_bottom(self) -> float:
        return self.baseline + 0.12 * self.size / MM

    @property
    def size(self) -> float:
        return max(c["size"] for c in self.chars)

    def fonts(self) -> set[str]:
        return {c["fontname"].split("+", 1)[-1] for c in self.chars}


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    rects: list[dict]
    raw_lines: list[dict]


def _baseline(char: dict, page_height: float) -> float:
    return (page_height - char["matrix"][5]) / MM


def read_pages(path: Path) -> list[Page]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for i, pg in enumerate(pdf.pages):
            lines: list[Line] = []
            for ch in sorted(pg.chars, key=lambda c: _baseline(c, pg.height)):
                base = _baseline(ch, pg.height)
                if lines and abs(lines[-1].baseline - base) < 1.0:
                    lines[-1].chars.append(ch)
                else:
                    lines.append(Line(base, [ch]))
            pages.append(Page(i + 1, pg.width / MM, pg.height / MM, lines, list(pg.rects), list(pg.lines)))
    return pages


def page_number_line(page: Page) -> Line | None:
    for line in page.lines:
        t = line.text.replace(" ", "")
        if t.startswith("—") and t.endswith("—") and t.strip("—").isdigit():
            return line
    return None


def body_lines(page: Page) -> list[Line]:
    """Lines of 16 pt text (the 3号 grid), without the page number."""
    pn = page_number_line(page)
    return [ln for ln in page.lines if ln is not pn and abs(ln.size - 16) < 0.1]


FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def font_descriptors(path: Path) -> dict[str, object]:
    """The font descriptor of each font the pages use, by BaseFont (a Type0 font's
    from its descendant)."""
    from pypdf import PdfReader

    out = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            out[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    return out


# Line breaking (GB/T 15834 and CSS/Word alike): these never start or end a line.
NO_LINE_START = "，。、；：？！）》」』”’"
NO_LINE_END = "（《「『“‘"


def is_chinese(ch: str) -> bool:
    """A full-width character: ideograph, CJK punctuation, full-width form, ⑴-style number."""
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2460" <= ch <= "\u24ff"
        or ch in "“”‘’—…"
    )


def paragraph_first_lines(pages: list[Page], left: float, cell: float) -> list[tuple[Line, Line]]:
    """(first line, next line) of every pure-Chinese body paragraph that goes on past its
    first line: a line starting two cells in, followed by one starting at the margin."""
    lines = [line for page in pages for line in body_lines(page)]
    found = []
    for line, after in pairwise(lines):
        if abs(line.x0 - (left + 2 * cell)) > 0.3 or abs(after.x0 - left) > 0.3:
            continue
        if all(is_chinese(c["text"]) for c in line.inked):
            found.append((line, after))
    return found


def horizontal_rules(page: Page, width: float) -> list[float]:
    """Positions (mm from the top) of the horizontal rules ``width`` mm long: drawn as
    lines, thin rectangles, or a bordered box (its top and bottom edges)."""
    edges = [r["top"] / MM for r in page.raw_lines if abs(r["width"] / MM - width) < 0.5]
    for r in page.rects:
        if abs(r["width"] / MM - width) < 0.5:
            edges += [r["top"] / MM, r["bottom"] / MM]
    rules: list[float] = []
    for y in sorted(edges):  # a rule's two edges, or a border's outer and inner edge, are one rule
        if not rules or y - rules[-1] > 1.0:
            rules.append(y)
    return rules


def record_rows(page: Page, size_pt: float, width: float) -> list[tuple[float, list[Line]]]:
    """The 版记's rows on ``page``: (height between its rules in mm, its text lines)."""
    pn = page_number_line(page)
    record = [line for line in page.lines if abs(line.size - size_pt) < 0.1 and line is not pn]
    if not record:
        return []
    first = min(line.em_top for line in record)
    rules = [y for y in horizontal_rules(page, width) if y > first - 11]
    return [
        (bottom - top, [line for line in record if top < line.baseline < bottom]) for top, bottom in pairwise(rules)
    ]
