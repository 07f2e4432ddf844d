"""Issue 17, YAML traps: the YAML 1.2 core schema (no octal from leading zeros), 是/否
for yes/no, quoted digits for numbers, exact error lines (a full-width colon), and a
GB18030/GBK file read with a note instead of refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from generators.core import notes
from generators.core.errors import InputError
from generators.core.yamlsrc import read_yaml, validate
from generators.kinds.circular import CircularIn

BASE = """\
文种: 通知
发文机关:
  名称: 连云港市妇幼保健集团
  代字: 连妇保集
发文字号:
  年份: 2013
  序号: 2
标题: 关于开展督导的通知
主送: 各成员单位
正文: |
  现将有关事项通知如下。
  特此通知
署名: 连云港市妇幼保健集团
成文日期: 2013-01-20
印章: true
"""


def _load(tmp_path: Path, text: str, encoding: str = "utf-8") -> CircularIn:
    path = tmp_path / "in.yaml"
    path.write_bytes(text.encode(encoding))
    return validate(CircularIn, read_yaml(path))


def _with(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


# (what the clerk typed, attribute, expected value)
ACCEPTED = [
    ("序号: 010", "sequence", 10),  # YAML 1.1 gave octal 8
    ("序号: 08", "sequence", 8),  # YAML 1.1 gave the text "08"
    ('序号: "7"', "sequence", 7),
    ("序号: '12'", "sequence", 12),
    ("序号: ７", "sequence", 7),  # full-width digit
    ("序号: auto", "sequence", "auto"),
    ("年份: '2013'", "year", 2013),
    ("印章: 是", "sealed", True),
    ("印章: 否", "sealed", False),
    ("印章: 有", "sealed", True),
    ("印章: 无", "sealed", False),
    ("印章: yes", "sealed", True),  # text under YAML 1.2, still a yes
    ("印章: no", "sealed", False),
    ("印章: false", "sealed", False),
    ("印章: 1", "sealed", True),
]


@pytest.mark.parametrize(("typed", "attr", "expected"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_accepted(tmp_path: Path, typed: str, attr: str, expected: object) -> None:
    key = typed.split(":")[0]
    old = next(line for line in BASE.splitlines() if line.strip().startswith(f"{key}:"))
    spec = _load(tmp_path, _with(old, old[: len(old) - len(old.lstrip())] + typed))
    target = spec.number if attr in ("sequence", "year") else spec
    assert getattr(target, attr) == expected


COPY_NUMBERS = [
    ("份号: 000012", "000012"),  # YAML 1.1 gave octal 10
    ("份号: 000128", "000128"),  # not octal at all: YAML 1.1 gave the int 128
    ("份号: '000012'", "000012"),
    ("份号: 123456", "123456"),
    ("份号: ０００１２３", "000123"),
]


@pytest.mark.parametrize(("typed", "expected"), COPY_NUMBERS, ids=[c[0] for c in COPY_NUMBERS])
def test_copy_number_as_typed(tmp_path: Path, typed: str, expected: str) -> None:
    assert _load(tmp_path, BASE + typed + "\n").copy_number == expected


def test_numbers_typed_for_text_keep_their_digits(tmp_path: Path) -> None:
    spec = _load(tmp_path, _with("主送: 各成员单位", "主送: 0123").replace("  代字: 连妇保集", "  代字: 1.50"))
    assert (spec.recipients, spec.issuer.code) == (["0123"], "1.50")


# (what the clerk typed, field, exact message)
REFUSED = [
    ("印章: 可能", "印章", "应为 是 或 否（也可写 有/无、true/false），实际是“可能”"),
    ("印章: 2", "印章", "应为 是 或 否（也可写 有/无、true/false），实际是“2”"),
    ("序号: 2号", "发文字号.序号", "应为正整数（不带“第”“号”），或 auto（自动编号），实际是“2号”"),
    ("序号: 第2", "发文字号.序号", "应为正整数（不带“第”“号”），或 auto（自动编号），实际是“第2”"),
    ("序号: 0", "发文字号.序号", "应为正整数（不带“第”“号”），或 auto（自动编号），实际是“0”"),
    ("序号: 2.0", "发文字号.序号", "应为正整数（不带“第”“号”），或 auto（自动编号），实际是“2.0”"),
    ("份号: 12a", "份号", "份号应为阿拉伯数字（通常 6 位），实际是“12a”"),
]


@pytest.mark.parametrize(("typed", "field", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_refused(tmp_path: Path, typed: str, field: str, message: str) -> None:
    key = typed.split(":")[0]
    lines = BASE.splitlines()
    index = next((i for i, line in enumerate(lines) if line.strip().startswith(f"{key}:")), None)
    if index is None:
        text, line = BASE + typed + "\n", len(lines) + 1
    else:
        indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
        lines[index] = indent + typed
        text, line = "\n".join(lines) + "\n", index + 1
    with pytest.raises(InputError) as caught:
        _load(tmp_path, text)
    assert (caught.value.message, caught.value.field, caught.value.line) == (message, field, line)


FULL_WIDTH = "应为半角冒号加空格"
# (the bad line replaces this line of BASE, expected message); the error names that line.
COLONS = [
    ("标题: 关于开展督导的通知", "标题：关于开展督导的通知", "“标题”后面是全角冒号“：”，" + FULL_WIDTH + "（标题: …）"),
    ("印章: true", "印章：是", "“印章”后面是全角冒号“：”，" + FULL_WIDTH + "（印章: …）"),
    ("  代字: 连妇保集", "  代字：连妇保集", "“代字”后面是全角冒号“：”，" + FULL_WIDTH + "（代字: …）"),
    ("主送: 各成员单位", "主送 各成员单位", "缺少冒号“:”"),
]


@pytest.mark.parametrize(("old", "new", "message"), COLONS, ids=[c[1] for c in COLONS])
def test_syntax_error_names_the_line_itself(tmp_path: Path, old: str, new: str, message: str) -> None:
    line = BASE.splitlines().index(old) + 1
    with pytest.raises(InputError) as caught:
        _load(tmp_path, BASE.replace(old, new))
    assert (caught.value.message, caught.value.line) == (f"YAML 格式错误：{message}", line)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "gb2312"])
def test_gbk_file_is_read_with_a_note(tmp_path: Path, encoding: str) -> None:
    with notes.collecting() as said:
        spec = _load(tmp_path, BASE, encoding)
    assert spec.title == ["关于开展督导的通知"]
    assert said == [f"文件 {tmp_path / 'in.yaml'}：不是 UTF-8 编码，已按 GB18030（GBK）读取；建议另存为 UTF-8"]


def test_utf8_file_has_no_note(tmp_path: Path) -> None:
    with notes.collecting() as said:
        _load(tmp_path, BASE)
    assert said == []


def test_binary_file_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(InputError) as caught:
        read_yaml(path)
    assert caught.value.message.startswith("文件不是 UTF-8 编码（第 128 字节），也不是 GB18030/GBK 编码的文本")


def test_cli_prints_the_note_and_builds(tmp_path: Path) -> None:
    """Through the command: the GBK file builds, the note is printed, an unchanged second
    build (input not read again) prints it again; a bad one exits 2 without a traceback."""
    src = tmp_path / "gbk.yaml"
    src.write_bytes(_with("印章: true", "印章: 是").encode("gbk"))
    out = tmp_path / "out"
    for _ in range(2):
        result = run_cli("build", str(src), "--out", str(out), "--format", "docx")
        assert result.returncode == 0, result.stderr
        assert "已按 GB18030（GBK）读取" in result.stderr
    assert (out / "2013" / "tongzhi" / "lian-fu-bao-ji-2013-2-hao.docx").is_file()
    src.write_bytes(_with("印章: true", "印章：是").encode("gbk"))
    result = run_cli("build", str(src), "--out", str(out), "--format", "docx")
    assert result.returncode == 2
    assert result.stderr.startswith(f"错误：文件 {src}，第 15 行：YAML 格式错误：“印章”后面是全角冒号"), result.stderr
    assert "Traceback" not in result.stderr
