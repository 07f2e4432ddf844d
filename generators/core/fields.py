"""Field types of the YAML inputs, shared by every kind (pydantic annotations).

``Strict`` models refuse unknown keys (a misspelt key is an error, not ignored) and are
frozen; ``Text`` is non-empty and takes a number as it was typed (``份号: 000012``),
``TextList`` takes one string or a list, ``Date`` takes 2013-07-01 or 2013年7月1日,
``YesNo`` takes 是/否 and 有/无 besides true/false, titles are bounded in length.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from generators.core.dates import parse_date_text
from generators.core.yamlsrc import as_written


def _date(value: Any) -> Any:
    return parse_date_text(value) if isinstance(value, str) else value


def _lines(value: Any) -> Any:
    """A string or a list of strings → list of strings (one per line or item)."""
    value = as_written(value)
    if isinstance(value, str):
        return [value]
    return value


MAX_TITLE_CHARS = 500  # 25 lines of 2号; the longest real title is under 80


def _title_length(value: Any) -> Any:
    total = len(value) if isinstance(value, str) else sum(len(v) for v in value)
    if total > MAX_TITLE_CHARS:
        raise ValueError(f"标题过长（{total} 个字，上限 {MAX_TITLE_CHARS} 个字）")
    return value


YES = ("是", "有", "需要", "加盖", "盖章")
NO = ("否", "无", "没有", "不", "不需要", "不加盖")


def _yes_no(value: Any) -> Any:
    """是/否 and 有/无 are how a clerk answers a yes/no question; true/false, yes/no
    and 1/0 are left to pydantic.  Anything else gets one message listing all of them."""
    if isinstance(value, str):
        word = value.strip()
        if word in YES:
            return True
        if word in NO:
            return False
        if word.lower() in ("true", "false", "yes", "no", "1", "0", "y", "n", "on", "off"):
            return word
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return value
    given = "（空）" if value is None else as_written(value)
    raise ValueError(f"应为 是 或 否（也可写 有/无、true/false），实际是“{given}”")


def number_text(value: Any) -> Any:
    """A number typed as text ("7", "７") is the number; other text is left for the
    field's own check (and message)."""
    if isinstance(value, str):
        digits = value.strip().translate(FULL_WIDTH_DIGITS)
        if digits.isascii() and digits.isdigit():
            return int(digits)
    return value


FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

Date = Annotated[dt.date, BeforeValidator(_date)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Text = Annotated[str, BeforeValidator(as_written), Field(min_length=1)]
TextList = Annotated[list[Text], BeforeValidator(_lines)]
TitleText = Annotated[Text, AfterValidator(_title_length)]
TitleLines = Annotated[TextList, AfterValidator(_title_length)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
