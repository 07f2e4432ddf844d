"""Issue 17, plans as offices write them: a 小节 that is one sentence, a closing
paragraph (结语) and a 落款 (制定单位 and date, as a 公文 signs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from docx import Document as OpenDocx
from test_work_plan import MINIMAL, _write

from generators.core.errors import InputError
from generators.document.model import Paragraph
from generators.kinds.work_plan import load_plan, plan_document

ONE_SENTENCE = "  - 标题: 保障措施\n    小节:\n      - 标题: {title}\n"

# (小节 title, accepted)
SUBSECTIONS = [
    ("加强组织领导，确保各项工作落实。", True),
    ("加强组织领导！", True),
    ("加强组织领导；", True),
    ("加强组织领导", False),  # a bare phrase: the content is missing
    ("加强组织领导：", False),  # a colon announces text that is not there
]


@pytest.mark.parametrize(("title", "accepted"), SUBSECTIONS, ids=[s[0] for s in SUBSECTIONS])
def test_one_sentence_subsection(tmp_path: Path, title: str, accepted: bool) -> None:
    path = _write(tmp_path, MINIMAL.format(sections=ONE_SENTENCE.format(title=title)))
    if accepted:
        blocks = load_plan(path).blocks
        assert [(b.level, b.full_text) for b in blocks if isinstance(b, Paragraph)] == [
            (1, "一、保障措施"),
            (2, f"（一）{title}"),
        ]
        return
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert caught.value.message == (
        f"小节“{title}”为空：请写“正文”“条目”或“指标”；只有一句话的小节，标题以句号结尾即可"
    )
    assert caught.value.line == 7


SECTIONS = "  - 标题: 目标\n    正文: 全面完成任务。\n"


def test_closing_paragraphs_follow_the_last_section(tmp_path: Path) -> None:
    extra = "结语:\n  - 总之，各单位要高度重视。\n  - 本计划自印发之日起执行。\n"
    plan = load_plan(_write(tmp_path, MINIMAL.format(sections=SECTIONS) + extra))
    texts = [(b.level, b.full_text) for b in plan.blocks if isinstance(b, Paragraph)]
    assert texts[-2:] == [(0, "总之，各单位要高度重视。"), (0, "本计划自印发之日起执行。")]
    assert plan_document(plan).signing is None


# (extra keys, expected date line of the 落款)
SIGNED = [
    ("落款: 是\n日期: 2013-01-20\n", "2013年1月20日"),
    ("落款: true\n日期: 2013年1月20日\n日期格式: 汉字\n", "二〇一三年一月二十日"),
]


@pytest.mark.parametrize(("extra", "date_text"), SIGNED, ids=[s[1] for s in SIGNED])
def test_signature_and_date(tmp_path: Path, extra: str, date_text: str) -> None:
    doc = plan_document(load_plan(_write(tmp_path, MINIMAL.format(sections=SECTIONS) + extra)))
    assert doc.signing is not None
    assert (doc.signing.issuer, doc.signing.date_text, doc.signing.sealed) == ("测试单位", date_text, False)


def test_signature_without_a_date_is_the_name_alone(tmp_path: Path) -> None:
    doc = plan_document(load_plan(_write(tmp_path, MINIMAL.format(sections=SECTIONS) + "落款: 是\n")))
    assert doc.signing is not None
    assert (doc.signing.issuer, doc.signing.date_text) == ("测试单位", "")


def test_signed_plan_builds(tmp_path: Path) -> None:
    extra = "结语: 总之，各单位要高度重视。\n落款: 是\n日期: 2013-01-20\n"
    path = _write(tmp_path, MINIMAL.format(sections=ONE_SENTENCE.format(title="加强领导。")) + extra)
    result = run_cli("build", str(path), "--out", str(tmp_path / "out"), "--format", "docx")
    assert result.returncode == 0, result.stderr
    docx = next((tmp_path / "out").rglob("*.docx"))
    texts = [p.text for p in OpenDocx(str(docx)).paragraphs if p.text.strip()]
    assert texts[-3:] == ["总之，各单位要高度重视。", "测试单位", "2013年1月20日"]
