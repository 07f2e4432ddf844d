"""No draft makes the importer crash: drafts shuffled together from the lines of the
seeds and from 公文-like fragments either import (and then build) or are refused with
an InputError; nothing else escapes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from golden import seed_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.core.errors import InputError
from generators.drafts import import_draft

FRAGMENTS = [
    "某卫〔2014〕3号", "某卫[2014]03号  签发人：张三", "签发人：李四 王五", "关于做好统计工作的通知", "各单位：",
    "附件：", "附件1", "附件：1. 名单", "2. 表格", "附件1", "附件2：", "抄送：甲，乙。", "抄报:丙", "共印：10份",
    "某局办公室    2014年1月3日印发", "2014年1月2日", "二○一四年一月二日", "二〇一四年十三月四十日", "某卫生局",
    "（联系人：赵六，电话：123456）", "一、总体要求", "(二)工作安排。具体如下：", "1 开展培训：", "2 督导",
    "⑴要点", "①要点", "评价指标", "1、孕产妇保健管理率≥95%。", "2、婴儿死亡率≤10‰,其中新生儿死亡率≤5‰。",
    "PAGE", "— 2 —", "本站小编整理", "，接上一行", "≤10%。", "工作计划", "2014年工作计划", "   ", "",
    "\t缩进的正文。", "某某文件", "000001", "机密", "特急",
]  # fmt: skip
SEED_LINES = [line for seed in ("000", "001", "002") for line in seed_text(seed).splitlines()]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS + SEED_LINES), min_size=1, max_size=40))
def test_any_draft_imports_or_is_refused(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "草稿.txt"
        draft.write_text("\n".join(lines), encoding="utf-8")
        out = Path(tmp) / "out"
        try:
            result = import_draft(draft, out)
        except InputError as exc:
            # The written YAML failing the project's own loader would be the importer's bug.
            assert "未能通过生成检查" not in str(exc), str(exc)
            assert not out.exists() or not any(out.iterdir())
        else:
            assert result.main.is_file() and result.report.is_file()
            assert not any(p.name.startswith(".import-") for p in out.iterdir())


HEAD = ["某卫〔2014〕3号", "关于做好统计工作的通知", "各单位："]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS + SEED_LINES), min_size=0, max_size=15),
    st.lists(st.sampled_from(FRAGMENTS + SEED_LINES), min_size=0, max_size=25),
)
def test_any_circular_tail_imports_or_is_refused(body: list[str], tail: list[str]) -> None:
    """A valid head and date with anything around them: the tail's parsing (附注, 版记,
    attachments in any order) must never write YAML the project's loader refuses."""
    lines = [*HEAD, "请按时报送。", *body, "2014年1月2日", *tail]
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "草稿.txt"
        draft.write_text("\n".join(lines), encoding="utf-8")
        try:
            import_draft(draft, Path(tmp) / "out")
        except InputError as exc:
            assert "未能通过生成检查" not in str(exc), str(exc)
