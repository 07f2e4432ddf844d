"""Chinese numerals, one rule for numbering labels (一、 十二、) and dates (二〇一二年六月二十日)."""

from __future__ import annotations

DIGITS = "〇一二三四五六七八九"  # zero is U+3007, never ○ (U+25CB)


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 1 <= n <= 99:
        raise ValueError(f"numeral out of range: {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")
