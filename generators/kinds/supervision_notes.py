"""Consistency notes on a supervision input: what a careful reviewer would query but
what does not stop the 通报 (a book of another year, a 通报 dated before its quarter
ends, a data file named for another quarter …).  In: the loaded input; out: notes
(``core.notes``), shown with the build like the circulars' notes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from generators.core import notes
from generators.core.dates import format_date
from generators.core.yamlsrc import Located, field_path
from generators.indicators.model import PeriodResults
from generators.indicators.period import Period, parse_period
from generators.kinds.target_book import TargetBook

# The input models live in kinds.supervision, which calls this module: typed loosely
# here (Any) so that the two do not import each other.
SupervisionIn = Any
QuarterIn = Any

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PERIOD_IN_NAME = re.compile(r"(?<!\d)(\d{4})\s*[Qq]\s*([1-4])(?!\d)")


def quarter_end(period: Period) -> dt.date:
    month = period.quarter * 3
    return dt.date(period.year, month, 31 if month in (3, 12) else 30)


def visit_start(text: str) -> dt.date | None:
    """The first date of 督导时间 (2012年4月11日至18日 → 2012-04-11), if it has one."""
    m = _DATE.search(text)
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def consistency_notes(
    spec: SupervisionIn,
    located: Located,
    book: TargetBook,
    quarters: Sequence[tuple[QuarterIn, Period, PeriodResults]],
    previous: Mapping[Period, PeriodResults] | None,
) -> None:
    def note(message: str, loc: tuple) -> None:
        notes.add(message, file=located.file, line=located.line_of(loc), field=field_path(loc))

    if book.spec.year != spec.year:
        note(f"责任书的年份是 {book.spec.year}，督导的年份是 {spec.year}：请核对是否用了当年的责任书", ("责任书",))
    files: dict[str, Period] = {}
    for q, period, results in quarters:
        i = spec.quarters.index(q)
        end = quarter_end(period)
        if q.date <= end:
            note(f"{period} 通报的成文日期 {format_date(q.date)} 不晚于该季度结束（{format_date(end)}），"
                 "季度数据尚未报齐，请核对", ("季度", i, "成文日期"))  # fmt: skip
        start = visit_start(q.visit)
        visit = ("季度", i, "督导时间")
        if start is not None and start <= end:
            note(f"督导时间从 {format_date(start)} 开始，{period} 尚未结束（{format_date(end)}），请核对", visit)
        if start is not None and start > q.date:
            note(f"督导从 {format_date(start)} 开始，晚于通报的成文日期 {format_date(q.date)}，请核对", visit)
        if q.report_date is not None and q.report_date <= end:
            note(f"统计表的报出日期 {format_date(q.report_date)} 不晚于 {period} 结束，请核对", ("季度", i, "报出日期"))
        named = _PERIOD_IN_NAME.search(q.data)
        if named is not None:
            in_name = parse_period(f"{named[1]}Q{named[2]}")
            if in_name != period:
                note(f"数据文件“{q.data}”的文件名是 {in_name}，却用于 {period}，请核对", ("季度", i, "数据"))
        key = q.data.strip()
        if key in files:
            note(f"{period} 与 {files[key]} 用了同一个数据文件“{q.data}”，请核对", ("季度", i, "数据"))
        files.setdefault(key, period)
        empty = [u for u, own in results.counts.items() if own and all(v is None for v in own.values())]
        if empty:
            note(f"{period} 的数据中 {'、'.join(empty)} 整行未报（没有任何数据），请核对是否漏报", ("季度", i, "数据"))
        if previous is not None and Period(period.year - 1, period.quarter) not in previous:
            note(f"上年数据中没有 {period.year - 1}Q{period.quarter}，{period} 的通报不列同比", ("上年数据",))
    _sequence_order(spec, note)


def _sequence_order(spec: SupervisionIn, note: Callable[[str, tuple], None]) -> None:
    """Within one 文号 year, a later 通报 should not have a smaller 序号."""
    dated = sorted((q.date, i, q) for i, q in enumerate(spec.quarters) if isinstance(q.sequence, int))
    for (d1, _, a), (d2, j, b) in itertools.pairwise(dated):
        if d1.year == d2.year and a.sequence > b.sequence:
            later, earlier = f"（{format_date(d2)}）序号为 {b.sequence}", f"（{format_date(d1)}）的序号 {a.sequence}"
            note(f"成文日期较晚的通报{later}，小于较早的通报{earlier}，请核对", ("季度", j, "序号"))
