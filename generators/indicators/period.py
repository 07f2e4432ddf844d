"""Reporting periods: calendar quarters written 2012Q1 … 2012Q4."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generators.core.errors import InputError

QUARTER_NAMES = ("一", "二", "三", "四")
_PATTERN = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")
_CHINESE = re.compile(r"^\s*(\d{4})\s*年\s*第?\s*([一二三四1-4])\s*季度\s*$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int  # 1–4

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        """第一季度 — as documents write it after the year."""
        return f"第{QUARTER_NAMES[self.quarter - 1]}季度"

    @property
    def long_label(self) -> str:
        return f"{self.year}年{self.label}"

    @property
    def previous(self) -> Period:
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)

    @property
    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)

    @property
    def year_to_date(self) -> tuple[Period, ...]:
        """Q1 … this quarter of the same year."""
        return tuple(Period(self.year, q) for q in range(1, self.quarter + 1))

    @property
    def ytd_label(self) -> str:
        return f"{self.year}年1—{self.quarter * 3}月"


def parse_period(
    text: object, *, file: Path | str | None = None, line: int | None = None, where: str | None = None
) -> Period:
    """2012Q1, 2012q1 or 2012年第一季度; anything else is an InputError."""
    raw = str(text) if text is not None else ""
    for pattern in (_PATTERN, _CHINESE):
        m = pattern.match(raw)
        if m:
            q = m.group(2)
            quarter = QUARTER_NAMES.index(q) + 1 if q in QUARTER_NAMES else int(q)
            year = int(m.group(1))
            if 1949 <= year <= 2100:
                return Period(year, quarter)
    raise InputError(
        f"期间“{raw}”不是季度，应写成 2012Q1 至 2012Q4（或“2012年第一季度”）",
        file=file,
        line=line,
        where=where,
    )
