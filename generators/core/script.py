"""Traditional script read as simplified, for matching only: indicator names
(孕產婦死亡率 is 孕产妇死亡率) and target phrases (達96%, 控制在30/10萬以內).

One character in, one character out (OpenCC's character table, generators/data), so a
position in the folded text is a position in the original and the grammar of target
phrases stays one grammar.  Printed text is never changed.
"""

from __future__ import annotations

from functools import cache

from generators.core.paths import DATA

TABLE = DATA / "ts_characters.txt"


@cache
def _table() -> dict[int, str]:
    pairs: dict[int, str] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            pairs[ord(traditional)] = simplified
    return pairs


def to_simplified(text: str) -> str:
    """``text`` with each traditional character replaced by its simplified form."""
    return text.translate(_table())


def traditional_characters(text: str) -> str:
    """The characters of ``text`` that are traditional forms (for messages), in order, once each."""
    table = _table()
    return "".join(dict.fromkeys(ch for ch in text if ord(ch) in table))
