"""Issue 17: stratified and relative targets in the responsibility book: how the book
writes them, the strata it declares, and the errors (file, line, field, the word)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generators.core.errors import InputError
from generators.core.yamlsrc import read_yaml
from generators.document.model import Paragraph
from generators.indicators.strata import Stratified
from generators.kinds.supervision import load_supervision
from generators.kinds.target_book import book_blocks, build_book, load_book

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "sample_inputs" / "county_traditional"
GOAL = "{指标: 早孕建卡率, 目标: 農村達到45%、城市達到70%}"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    shutil.copytree(COUNTY, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _text(book, unit=None) -> str:
    return "".join(b.full_text for b in book_blocks(book, unit) if isinstance(b, Paragraph))


def test_the_book_writes_the_strata_as_the_clerk_did() -> None:
    book = load_book(COUNTY / "target_book.yaml")
    goal = book.goals[0][0]
    assert isinstance(goal.targets[0], Stratified) and goal.targets[0].strata == ("農村", "城市")
    text = _text(book)
    assert "早孕建卡率農村達到45%、城市達到70%，孕產婦系統管理率比上年提高2個百分點。" in text
    assert "嬰兒死亡率比上年下降10%" in text
    assert build_book(book, book.units[0]).title_lines == ("示例縣婦幼保健所", "二〇一三年工作目標管理責任書")


def test_symbols_in_a_stratified_target_are_written_as_words(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "target_book.yaml", GOAL, "{指标: 早孕建卡率, 目标: 農村≥45%、城市≥70%}")
    assert "早孕建卡率農村达45%、城市达70%" in _text(load_book(folder / "target_book.yaml"))


def test_default_strata_without_a_declaration(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "target_book.yaml", "分层: [城市, 農村]\n", "")
    book = load_book(folder / "target_book.yaml")
    assert book.goals[0][0].targets[0].strata == ("农村", "城市")  # type: ignore[union-attr]


def test_a_unit_override_keeps_the_strata(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    override = "单位目标:\n  東灣院:\n    早孕建卡率: 農村達到40%、城市達到65%\n"
    _edit(folder / "target_book.yaml", "单位目标: {}", override)
    book = load_book(folder / "target_book.yaml")
    text = _text(book, book.units[1])
    assert "早孕建卡率農村達到40%、城市達到65%" in text and "農村達到45%" not in text
    sup = load_supervision(read_yaml(folder / "supervision.yaml"))
    code = sup.dictionary.require("早孕建册率（農村）").code
    assert sup.targets["示例縣東灣鄉衛生院"][code].value == 40 and sup.targets["示例縣城關鎮衛生院"][code].value == 45


def _line(path: Path, fragment: str) -> int:
    return next(i + 1 for i, x in enumerate(path.read_text(encoding="utf-8").splitlines()) if fragment in x)


# (why, edit (old, new), file, line fragment, field, message)
BAD = [
    (
        "a stratum the book does not declare",
        (GOAL, "{指标: 早孕建卡率, 目标: 山區達到45%、城市達到70%}"),
        "target_book.yaml",
        "山區達到45%",
        "工作任务及目标.条目[1].目标[1].目标",
        "分层目标“山區達到45%、城市達到70%”中的“山區”不是分层名称（本责任书的分层：城市、農村；另有分层请在“分层”中列出）",
    ),
    (
        "a stratum left out",
        (GOAL, "{指标: 早孕建卡率, 目标: 農村達到45%}"),
        "target_book.yaml",
        "農村達到45%}",
        "工作任务及目标.条目[1].目标[1].目标",
        "分层目标“農村達到45%”缺少“城市”的目标：分层（城市、農村）每层都要写目标",
    ),
    (
        "a traditional word not understood in a stratum",
        (GOAL, "{指标: 早孕建卡率, 目标: 農村達到45%、城市約70%}"),
        "target_book.yaml",
        "城市約70%",
        "工作任务及目标.条目[1].目标[1].目标",
        "分层目标“農村達到45%、城市約70%”中城市的目标：无法识别的目标值“約70%”：数值前的“約”（按简体即“约”）无法识别；"
        "数值前可写：达、达到、不低于、不少于、≥、控制在、不高于、不超过、≤、低于、高于、为",
    ),
    (
        "percentage points on a ‰ indicator",
        ("{指标: 嬰兒死亡率, 目标: 比上年下降10%}", "{指标: 嬰兒死亡率, 目标: 比上年下降2個百分點}"),
        "target_book.yaml",
        "比上年下降2個百分點",
        "工作任务及目标.条目[3].目标[2].目标",
        "指标“婴儿死亡率”以 ‰ 表示，目标值“比上年下降2個百分點”的“个百分点”只用于以 % 表示的指标；"
        "可写成相对变化（如“比上年下降10%”）",
    ),
    (
        "a plain override of a stratified target",
        ("单位目标: {}", "单位目标:\n  東灣院:\n    早孕建卡率: 達到60%\n"),
        "target_book.yaml",
        "早孕建卡率: 達到60%",
        "单位目标.東灣院.早孕建卡率",
        "指标“早孕建卡率”的集团目标是分层目标，单位目标也要分层写（如“农村达到45%、城市达到70%”）",
    ),
    (
        "a stratified override of a plain target",
        ("单位目标: {}", "单位目标:\n  東灣院:\n    新生兒聽力篩查率: 農村達到90%、城市達到95%\n"),
        "target_book.yaml",
        "新生兒聽力篩查率: 農村",
        "单位目标.東灣院.新生兒聽力篩查率",
        "指标“新生兒聽力篩查率”的集团目标不是分层目标，单位目标不能分层写",
    ),
    (
        "a score rule on the stratified indicator",
        ("  奖惩办法:", "  评分:\n    - {指标: 早孕建卡率, 分值: 10, 方法: 达标得分}\n  奖惩办法:"),
        "target_book.yaml",
        "{指标: 早孕建卡率, 分值: 10",
        "考核与奖惩.评分[1]",
        "“早孕建卡率”按分层考核，评分请按分层写：“早孕建册率（城市）”、“早孕建册率（農村）”",
    ),
]


@pytest.mark.parametrize(("why", "edit", "name", "fragment", "field", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_stratified_or_relative_target(
    tmp_path: Path, why: str, edit: tuple[str, str], name: str, fragment: str, field: str, message: str
) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "target_book.yaml", *edit)
    with pytest.raises(InputError) as caught:
        load_supervision(read_yaml(folder / "supervision.yaml"))
    error = caught.value
    assert error.message == message, why
    assert Path(error.file) == folder / name
    assert (error.line, error.field) == (_line(folder / name, fragment), field)


def test_a_score_rule_by_stratum_is_accepted(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    rule = "  评分:\n    - {指标: 早孕建册率（農村）, 分值: 10, 方法: 达标得分}\n  奖惩办法:"
    _edit(folder / "target_book.yaml", "  奖惩办法:", rule)
    sup = load_supervision(read_yaml(folder / "supervision.yaml"))
    assert [r.indicator for r in sup.rules] == [sup.dictionary.require("早孕建册率（農村）").code]
