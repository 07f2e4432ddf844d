"""Golden checks: produced documents must keep reproducing the seeds' text.

Texts are compared with all whitespace removed.  Every intentional difference between
a seed and our output is listed here, with the reason, and applied explicitly; the
same list is in docs/differences.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document as OpenDocx
from pdfmeasure import page_number_line, read_pages

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def pdf_text(path: Path) -> str:
    """Text in reading order (lines by baseline), without page numbers."""
    out = []
    for page in read_pages(path):
        pn = page_number_line(page)
        out += [line.text for line in page.lines if line is not pn]
    return "\n".join(out)


def docx_text(path: Path) -> str:
    """Body paragraphs and table cells in document order (footers hold page numbers)."""
    doc = OpenDocx(str(path))
    out = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
    return "\n".join(out)


# (description, seed fragment, our fragment) on whitespace-free text.
Difference = tuple[str, str, str]

COMMON: list[Difference] = [
    ("GB/T 9704 7.3.6: an attachment page starts with 附件 and no colon.", "份附件：", "份附件"),
    ("GB/T 9704 7.4.2: a full stop after the last name of 抄报.", "抄报：市卫生局抄送", "抄报：市卫生局。抄送"),
]
CIRCULAR_000: list[Difference] = [
    ("The seed writes the zero of Chinese-numeral years as ○ (U+25CB); the standard's is 〇 (U+3007).", "○", "〇"),
    ("Word's PAGE field code leaked into the seed's text.", "PAGE", ""),
    ("GB/T 9704 7.4.2: a full stop after the last name of 抄送.", "开发区妇幼保健所连云港", "开发区妇幼保健所。连云港"),
]
CIRCULAR_001: list[Difference] = []
RECORD = re.compile(r"(抄报：.*?共印：\d+份)")


def expected_circular(prefix: str) -> str:
    """The seed's text as our output must read it."""
    text = squash(seed_text(prefix))
    for _, seed, ours in COMMON + (CIRCULAR_000 if prefix == "000" else CIRCULAR_001):
        assert seed in text, f"documented difference not found in seed {prefix}: {seed}"
        text = text.replace(seed, ours)
    # GB/T 9704 7.4: the 版记 follows the attachments, at the foot of the last page;
    # the seeds (older practice) print it between the date and the attachment.
    record = RECORD.search(text)
    assert record, "seed has no 版记"
    return text[: record.start()] + text[record.end() :] + record.group(1)


def actual_circular(text: str, issuer_mark: str, signature: str, date_text: str) -> str:
    """Our text minus what the seeds do not carry as text: the red issuer mark (an image
    in the originals) and the 署名 above the date (under the seal in the originals)."""
    text = squash(text)
    assert text.startswith(issuer_mark), "issuer mark missing"
    text = text[len(issuer_mark) :]
    assert signature + date_text in text, "署名 and 成文日期 missing"
    return text.replace(signature + date_text, date_text, 1)
