"""What an archive package is made of: the class (全宗, 年度, 保管期限, 机构) that numbers
its 件, each 件 with its 档号, and the file names those give (DA/T 22-2015).
"""

from __future__ import annotations

from dataclasses import dataclass

from generators.document.model import Document

# 保管期限 → code in the 档号.
RETENTIONS = {"永久": "Y", "定期30年": "D30", "定期10年": "D10"}
CATEGORY = "WS"  # 档案门类代码: 文书


@dataclass(frozen=True)
class Item:
    """One 件: its serial number (件号) in the class and its 档号."""

    number: int
    code: str
    document: Document

    @property
    def filename(self) -> str:
        return file_stem(self.code) + ".pdf"


@dataclass(frozen=True)
class ArchiveClass:
    """The smallest class, inside which 件号 run from 1: fonds, year, retention (, organ)."""

    fonds: str
    year: int
    retention: str  # 永久 / 定期30年 / 定期10年
    organ: str | None = None

    @property
    def retention_code(self) -> str:
        return RETENTIONS[self.retention]

    @property
    def prefix(self) -> str:
        """档号 without the 件号: Z109-WS·2012-Y(-BGS)."""
        organ = f"-{self.organ}" if self.organ else ""
        return f"{self.fonds}-{CATEGORY}·{self.year}-{self.retention_code}{organ}"

    def code(self, number: int) -> str:
        return f"{self.prefix}-{number:04d}"


def file_stem(code: str) -> str:
    """File names stay ASCII: Z109-WS·2012-Y-0001 → Z109-WS-2012-Y-0001."""
    return code.replace("·", "-")
