"""成文日期 in the two styles: Arabic (GB/T 9704-2012) and Chinese numerals (legacy)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from generators.core.numerals import DIGITS, chinese_numeral


class DateStyle(StrEnum):
    arabic = "阿拉伯数字"
    chinese = "汉字"


def format_date(day: dt.date, style: DateStyle = DateStyle.arabic) -> str:
    if style is DateStyle.chinese:
        year = "".join(DIGITS[int(d)] for d in str(day.year))
        return f"{year}年{chinese_numeral(day.month)}月{chinese_numeral(day.day)}日"
    return f"{day.year}年{day.month}月{day.day}日"


def parse_date_text(text: str) -> dt.date | str:
    """Accept 2012年6月20日 and 2012.6.20 besides ISO dates; leave other text as is."""
    import re

    m = re.fullmatch(r"\s*(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?\s*", text)
    if not m:
        return text
    year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return text
