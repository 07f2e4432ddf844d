"""Character sets the faces are checked against: GB2312 (what 仿宋_GB2312 and the other
office faces cover) and Big5's common hanzi (the traditional forms clerks meet).
"""

from __future__ import annotations

from functools import cache


@cache
def gb2312_characters() -> str:
    """Every character of GB2312 (6763 hanzi and 682 symbols)."""
    chars = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


@cache
def big5_common_characters() -> str:
    """The 5401 common hanzi of Big5 (A440–C67E): the traditional set the faces are checked against."""
    chars = []
    for hi in range(0xA4, 0xC7):
        for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (hi, lo) > (0xC6, 0x7E):
                break
            try:
                chars.append(bytes([hi, lo]).decode("big5"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)
