"""Readable ASCII file names from Chinese titles (pypinyin)."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

MAX_SLUG = 80


def slug(text: str, max_len: int = MAX_SLUG) -> str:
    """连妇保集〔2012〕5号 → lian-fu-bao-ji-2012-5-hao.  Only [a-z0-9-]; never empty."""
    words = lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: s)
    joined = "-".join(w.lower() for w in words)
    joined = re.sub(r"[^a-z0-9]+", "-", joined).strip("-")
    return (joined[:max_len].rstrip("-")) or "wendang"


def pinyin_key(text: str) -> str:
    """Sort key that orders Chinese names by their pinyin."""
    return " ".join(lazy_pinyin(text, style=Style.TONE3))
