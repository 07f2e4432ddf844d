"""Readable ASCII file names from Chinese titles (pypinyin)."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

MAX_SLUG = 80
# Names Windows reserves whatever the extension (con.docx cannot be created there).
_RESERVED = {"con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt") for n in range(10))}


def slug(text: str, max_len: int = MAX_SLUG) -> str:
    """连妇保集〔2012〕5号 → lian-fu-bao-ji-2012-5-hao.  Only [a-z0-9-], at most
    ``max_len`` characters, never empty and never a reserved device name, so a name
    built from input text can hold no separator, "..", control character or drive."""
    # NFKC first: full-width Ｌ２ becomes L2 instead of vanishing.
    words = lazy_pinyin(unicodedata.normalize("NFKC", str(text)), style=Style.NORMAL, errors=lambda s: s)
    joined = "-".join(w.lower() for w in words)
    joined = re.sub(r"[^a-z0-9]+", "-", joined).strip("-")
    joined = joined[: max(max_len, 1)].rstrip("-") or "wendang"
    return f"{joined}-wj" if joined in _RESERVED else joined


def pinyin_key(text: str) -> str:
    """Sort key that orders Chinese names by their pinyin."""
    return " ".join(lazy_pinyin(text, style=Style.TONE3))
