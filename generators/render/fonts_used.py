"""Which characters of a document a fallback face draws, per font role: what the
PDF renderer reports to the user after each document (``build`` prints it).

In: a ``Document``.  Out: one Chinese sentence per role and fallback face.
"""

from __future__ import annotations

from generators.core.fonts import CJK_ROLES, LATIN_RUN, ROLES, fallbacks
from generators.document.model import Document, Figure, Paragraph, SignatureBlock, Table


def role_texts(doc: Document) -> dict[str, str]:
    """The text a document sets in each font role (as both renderers assign them)."""
    texts: dict[str, list[str]] = {role: [] for role in CJK_ROLES}

    def blocks(items) -> None:
        for block in items:
            if isinstance(block, Paragraph):
                head_role = {1: "heading1", 2: "heading2"}.get(block.level, "body")
                if block.head:
                    texts[head_role].append(block.head)
                    texts["body"].append(block.text)
                else:
                    texts[head_role].append(block.text)
            elif isinstance(block, Table):
                texts["heading1"].append(block.caption)
                texts["heading1"].extend(c for row in block.header for c in row)
                texts["body"].extend(c for row in block.rows for c in row)
                texts["body"].append(block.note or "")
            elif isinstance(block, SignatureBlock):
                texts["body"].extend(block.parties)
            elif isinstance(block, Figure):
                texts["heading1"].append(block.caption)

    texts["title"].extend(doc.title_lines)
    if doc.header:
        texts["title"].extend(doc.header.issuer_mark)
        texts["body"].append(doc.header.number)
        texts["heading2"].extend(doc.header.signers)
        texts["heading1"].extend(t for t in (doc.header.secrecy, doc.header.urgency) if t)
    texts["body"].extend([*doc.recipients, *doc.attachment_names, doc.note or ""])
    blocks(doc.body)
    if doc.signing:
        texts["body"].extend([doc.signing.issuer or "", doc.signing.date_text])
    for att in doc.attachments:
        texts["heading1"].append(att.label)
        texts["title"].extend(att.title_lines)
        blocks(att.blocks)
    if doc.record:
        texts["body"].extend([*doc.record.copy_lines, doc.record.printer or "", doc.record.printed_on])
    # Latin runs are set in Times New Roman whatever the role (as the PDF renderer does).
    return {
        role: "".join(ch for part in parts for ch in LATIN_RUN.sub("", part) if ord(ch) > 0x2FF)
        for role, parts in texts.items()
    }


def fallback_notes(doc: Document) -> list[str]:
    """What a user should know of the characters drawn from a fallback face, per role."""
    notes = []
    for role, text in role_texts(doc).items():
        for family, chars in fallbacks(role, text).items():
            name = ROLES[role][0]
            shown = chars[:20] + ("……" if len(chars) > 20 else "")
            if family:
                notes.append(f"{name}（{ROLES[role][1]}）缺 {len(chars)} 个字，改用 {family}：{shown}")
            else:
                notes.append(f"{name}（{ROLES[role][1]}）缺 {len(chars)} 个字，没有字体能显示：{shown}")
    return notes
