"""Field types of the YAML inputs, shared by every kind (pydantic annotations).

``Strict`` models refuse unknown keys (a misspelt key is an error, not ignored) and are
frozen; ``Text`` is non-empty, ``TextList`` takes one string or a list, ``Date`` takes
2013-07-01 or 2013年7月1日, titles are bounded in length.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from generators.core.dates import parse_date_text


def _date(value: Any) -> Any:
    return parse_date_text(value) if isinstance(value, str) else value


def _lines(value: Any) -> Any:
    """A string or a list of strings → list of strings (one per line or item)."""
    if isinstance(value, str):
        return [value]
    return value


MAX_TITLE_CHARS = 500  # 25 lines of 2号; the longest real title is under 80


def _title_length(value: Any) -> Any:
    total = len(value) if isinstance(value, str) else sum(len(v) for v in value)
    if total > MAX_TITLE_CHARS:
        raise ValueError(f"标题过长（{total} 个字，上限 {MAX_TITLE_CHARS} 个字）")
    return value


Date = Annotated[dt.date, BeforeValidator(_date)]
Text = Annotated[str, Field(min_length=1)]
TextList = Annotated[list[Text], BeforeValidator(_lines)]
TitleText = Annotated[Text, AfterValidator(_title_length)]
TitleLines = Annotated[TextList, AfterValidator(_title_length)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
