"""Wording of 目标管理责任书: plain-text Jinja2 templates under templates/target_book/.

Sandboxed because the 句式 in a clerk's input are templates too; not autoescaped,
since the output is plain text that becomes Paragraphs, never HTML.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from generators.core.paths import TEMPLATES
from generators.core.templating import render_bounded, render_file, sandboxed_env
from generators.indicators.strata import AnyTarget, Stratified
from generators.indicators.targets import phrase

BOOK_TEMPLATES = TEMPLATES / "target_book"
_SYMBOLS = set("≥≤<>=＜＞≧≦⩾⩽＝﹤﹥﹦")
_VALUE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?\s*(?:[%％﹪‰]|[/／]10万)")


def render(name: str, **context: Any) -> str:
    """Render one template file; a broken template is an InputError naming it."""
    return render_file(BOOK_TEMPLATES, name, **context)


def render_sentence(source: str, **context: Any) -> str:
    """Render a clerk's 句式; jinja2 errors propagate for the caller to locate."""
    return render_bounded(_compiled(source), context)


@lru_cache(maxsize=512)
def _compiled(source: str):
    # One 句式 serves every unit of a book: compiling it per unit took 0.75 s of the
    # 4.2 s a 100-unit year spends planning.
    return sandboxed_env(BOOK_TEMPLATES).from_string(source)


def wording(target: AnyTarget) -> str:
    """The phrase as the clerk wrote it (达到85％以上, 90%以上), unless written with
    symbols (≥95%), which a document spells out in words (达95%); a stratified target
    part by part (农村达到45%、城市达到70%)."""
    if isinstance(target, Stratified):
        if not _SYMBOLS & set(target.text):
            return target.text
        return "、".join(f"{name}{wording(part)}" for name, part in target.parts)
    return phrase(target, "seed") if _SYMBOLS & set(target.text) else target.text


def clause(name: str, targets: tuple[AnyTarget, ...]) -> str:
    """One clause for indicators sharing a name: 早孕建册率达95%, or with several
    targets 孕妇和儿童“孕育通”开通率分别达到80%、60%以上."""
    words = [wording(t) for t in targets]
    found = [(_VALUE.search(w), w) for w in words]
    split = [(w[: m.start()], m.group(), w[m.end() :]) if m else ("", w, "") for m, w in found]
    leads, values, tails = zip(*split, strict=True)
    return render(
        "clause.txt.j2",
        名称=name,
        措辞=words,
        分别=len(set(words)) > 1,
        合写=len(set(leads)) == 1 and len(set(tails)) == 1,
        前缀=leads[0],
        数值=list(values),
        后缀=tails[0],
    ).strip()


class Clauses(list):
    """目标 inside a 句式: ``{{ 目标 }}`` is all clauses joined, ``{{ 目标[0] }}`` one.
    Remembers which were used, so a clause left out of the sentence is an error."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(items)
        self.used: set[int] = set()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int) and -len(self) <= index < len(self):
            self.used.add(index % len(self))
        return super().__getitem__(index)

    def __iter__(self) -> Any:
        self.used.update(range(len(self)))
        return super().__iter__()

    def __str__(self) -> str:
        self.used.update(range(len(self)))
        return render("clauses.txt.j2", 子句=list(self)).strip()
