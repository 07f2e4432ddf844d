"""Document numbers (文号) as text: 机关代字〔年份〕序号号, both ways.

In: code, year, sequence.  Out: 连妇保集〔2012〕5号; and back, with [] or () read as 〔〕.
"""

from __future__ import annotations

import re

from generators.core.errors import InputError

AUTO = "auto"  # 序号: auto (or 自动): the build takes the next number from the registry
_NUMBER_RE = re.compile(r"^(.+?)[〔\[［【(（](\d{4})[〕\]］】)）](\d+)号?$")


def document_number(code: str, year: int, sequence: int) -> str:
    """机关代字〔年份〕序号号 — 六角括号, no 第, no zero padding."""
    return f"{code}〔{year}〕{sequence}号"


def parse_number(text: str) -> tuple[str, int, int]:
    """``连妇保集〔2012〕5号`` → (code, year, seq); [] and () are accepted for 〔〕."""
    m = _NUMBER_RE.match(re.sub(r"\s+", "", text))
    if not m or int(m.group(3)) <= 0:
        raise InputError(f"文号应写成“代字〔年份〕序号号”，如 连妇保集〔2012〕5号；实际是“{text}”")
    return m.group(1), int(m.group(2)), int(m.group(3))
