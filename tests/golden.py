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
_LEVEL2 = "GB/T 9704 7.3.3: second-level numbers in full-width parentheses."
PLAN_001: list[Difference] = [
    *((_LEVEL2, f"({n})", f"（{n}）") for n in "一二三四五"),
    # The seed numbers the items under (二) 2、3、 (continuing from (一)), then restarts
    # at 1 for 开展技术交流 and numbers its three forms 2 3 4; the tool numbers each list
    # from 1 and sets the forms as ⑴–⑶ under 开展技术交流, as under 保健服务统一.
    ("Items under （二） numbered from 1.", "2、建立集团培训基地", "1、建立集团培训基地"),
    ("Items under （二） numbered from 1.", "3、统一技术规范", "2、统一技术规范"),
    ("Items under （二） numbered from 1.", "1开展技术交流", "3、开展技术交流"),
    ("Forms of exchange as fourth-level points.", "2人才扶持", "⑴人才扶持"),
    ("Forms of exchange as fourth-level points.", "3技术人员交流", "⑵技术人员交流"),
    ("Forms of exchange as fourth-level points.", "4管理人员互派", "⑶管理人员互派"),
]
PLAN_002: list[Difference] = [
    *((_LEVEL2, f"({n})", f"（{n}）") for n in "一二三四五六"),
    ("A stray 、 after a circled number.", "②、对妇幼保健服务性收费", "②对妇幼保健服务性收费"),
    ("The tool joins two targets of one item with a full-width comma.", "≤15/10万,其中", "≤15/10万，其中"),
]
CIRCULAR_001: list[Difference] = PLAN_001
# Where each seed's plan text starts and what precedes it in our output.
PLAN_START = {
    "001": ("附件：连云港市妇幼保健集团2012年工作计划", "连云港市妇幼保健集团2012年工作计划"),
    "002": ("一、目的", "爱婴医院年度工作计划一、目的"),
}


def expected_plan(prefix: str) -> str:
    """A seed's plan (title and body, whitespace removed) as our standalone plan reads."""
    text = squash(seed_text(prefix))
    marker, replacement = PLAN_START[prefix]
    assert marker in text, f"plan not found in seed {prefix}"
    text = replacement + text[text.rindex(marker) + len(marker) :]  # the attachment page, not 附件说明
    for _, seed, ours in PLAN_001 if prefix == "001" else PLAN_002:
        assert seed in text, f"documented difference not found in seed {prefix}: {seed}"
        text = text.replace(seed, ours)
    return text


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
