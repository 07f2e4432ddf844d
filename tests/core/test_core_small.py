"""Pure functions of the core: heading levels, dates, titles, numbers, names."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.core.dates import DateStyle, format_date
from generators.core.names import slug
from generators.document import geometry as g
from generators.document.model import Paragraph
from generators.document.numbering import heading_level
from generators.document.titles import break_title
from generators.numbers.format import document_number


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、组织管理及职责", 1),
        ("十二、其他", 1),
        ("（一）以平台建设为基础", 2),
        ("(二)以培训交流为手段", 2),
        ("1、建立并落实", 3),
        ("1. 统一", 3),
        ("12．加强", 3),
        ("1 开展技术交流", 3),
        ("（1）测试", 4),
        ("⑴统一保健门诊服务", 4),
        ("2012年是起步之年", 0),
        ("1.5倍", 0),
        ("①将妇幼卫生工作", 0),
        ("为了认真贯彻", 0),
        ("", 0),
    ],
)
def test_heading_level(text: str, level: int) -> None:
    assert heading_level(text) == level


def test_heading_split_keeps_body_text_in_body_face() -> None:
    p = Paragraph.recognise("（一）统一形象设计。实现外部形象上统一。")
    assert (p.level, p.head, p.text) == (2, "（一）统一形象设计。", "实现外部形象上统一。")
    whole = Paragraph.recognise("一、加强集团组织建设")
    assert (whole.head, whole.text) == ("一、加强集团组织建设", "")


@pytest.mark.parametrize(
    ("day", "arabic", "chinese"),
    [
        (dt.date(2012, 6, 20), "2012年6月20日", "二〇一二年六月二十日"),
        (dt.date(2012, 1, 1), "2012年1月1日", "二〇一二年一月一日"),
        (dt.date(2010, 10, 31), "2010年10月31日", "二〇一〇年十月三十一日"),
        (dt.date(2009, 12, 15), "2009年12月15日", "二〇〇九年十二月十五日"),
    ],
)
def test_dates(day: dt.date, arabic: str, chinese: str) -> None:
    assert format_date(day) == arabic
    assert format_date(day, DateStyle.chinese) == chinese
    assert "○" not in format_date(day, DateStyle.chinese)


def test_document_number_has_hexagonal_brackets_and_no_padding() -> None:
    assert document_number("连妇保集", 2012, 5) == "连妇保集〔2012〕5号"


def test_title_breaks_balanced_at_word_boundaries() -> None:
    lines = break_title("关于印发《连云港市妇幼保健集团二〇一二年工作目标管理责任书》的通知")
    assert lines == ("关于印发《连云港市妇幼保健集团", "二〇一二年工作目标管理责任书》的通知")
    assert break_title("关于召开例会的通知") == ("关于召开例会的通知",)


@settings(max_examples=500, derandomize=True)
@given(st.text(alphabet="关于印发《》的通知连云港市妇幼保健集团工作2012年，、", min_size=1, max_size=80))
def test_title_breaking_keeps_every_character_and_fits(title: str) -> None:
    lines = break_title(title)
    assert "".join(lines) == title
    assert all(g.text_width_chars(line) <= 20 or len(line) == 1 for line in lines)


def test_slug_is_ascii_and_safe() -> None:
    assert slug("连妇保集〔2012〕5号") == "lian-fu-bao-ji-2012-5-hao"
    for nasty in ("../../etc/passwd", "a/b\\c", "CON", "\x00\x1f", "", "。。。"):
        s = slug(nasty)
        assert s and all(c.isascii() and (c.isalnum() or c == "-") for c in s)


def test_grid_numbers() -> None:
    assert g.LINE_PITCH_PT * g.LINES_PER_PAGE <= g.mm_to_pt(g.TYPE_HEIGHT)
    assert (g.BODY_PT + g.LETTER_SPACING_PT) * g.CHARS_PER_LINE <= g.mm_to_pt(g.TYPE_WIDTH)
    assert (g.BODY_PT + g.LETTER_SPACING_PT) * (g.CHARS_PER_LINE + 1) > g.mm_to_pt(g.TYPE_WIDTH)
    assert (g.BODY_PT + g.DOCX_CHAR_SPACING_TWIPS / 20) * g.CHARS_PER_LINE <= g.mm_to_pt(g.TYPE_WIDTH)
