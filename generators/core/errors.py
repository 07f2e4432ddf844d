"""The project's one error type: a Chinese message that says where the problem is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict


class Where(TypedDict, total=False):
    """Where a problem is, as keyword arguments for InputError (``InputError(msg, **where)``)."""

    file: Path | str | None
    line: int | None
    field: str | None
    where: str | None


@dataclass
class InputError(Exception):
    """Bad input. ``message`` is Simplified Chinese and names what is wrong.

    ``where`` is the human location inside the file: a line (``第 12 行``),
    a cell (``工作表“2012Q1”单元格 C5``) or a CSV line and column.
    """

    message: str
    file: Path | str | None = None
    line: int | None = None
    field: str | None = None
    where: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(f"文件 {self.file}")
        if self.line is not None:
            parts.append(f"第 {self.line} 行")
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(f"字段“{self.field}”")
        prefix = "，".join(parts)
        return f"{prefix}：{self.message}" if prefix else self.message
