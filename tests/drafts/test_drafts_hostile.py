"""Issue 14, done-when 4: drafts the importer cannot read give a clear Chinese error
naming the file, exit code 2 and write nothing; an existing file is never overwritten."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from conftest import run_cli
from docx import Document as NewDocx
from docx.oxml import parse_xml
from golden import seed_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _refused(draft: Path, out: Path, *words: str) -> str:
    result = run_cli("import", str(draft), "--out", str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr
    assert message.startswith("错误：") and draft.name in message
    for word in words:
        assert word in message, message
    assert not out.exists() or not any(out.iterdir()), "nothing may be written"
    return message


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "空.txt").write_bytes(b"")
    _refused(tmp_path / "空.txt", tmp_path / "out", "空的")


def test_only_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "空白.txt").write_bytes(b"\r\n  \r\n\t\r\n")
    _refused(tmp_path / "空白.txt", tmp_path / "out", "空白")


def test_binary_garbage_named_docx(tmp_path: Path) -> None:
    (tmp_path / "乱码.docx").write_bytes(bytes(range(256)) * 40)
    _refused(tmp_path / "乱码.docx", tmp_path / "out", "不是有效的 Word 文档")


def test_binary_garbage_named_txt(tmp_path: Path) -> None:
    (tmp_path / "乱码.txt").write_bytes(bytes(range(256)) * 40)
    _refused(tmp_path / "乱码.txt", tmp_path / "out", "二进制")


def test_docx_zip_bomb(tmp_path: Path) -> None:
    """A .docx whose document.xml expands to 64 MB of zeros (a few hundred KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(64):
                member.write(chunk)
    (tmp_path / "炸弹.docx").write_bytes(buffer.getvalue())
    assert (tmp_path / "炸弹.docx").stat().st_size < 1024 * 1024
    _refused(tmp_path / "炸弹.docx", tmp_path / "out", "压缩炸弹")


def test_docx_high_ratio_member(tmp_path: Path) -> None:
    """One member compressing 1000:1 (under the total limit) is refused too."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/x.bin", b"\0" * (8 * 1024 * 1024))
    (tmp_path / "比率.docx").write_bytes(buffer.getvalue())
    _refused(tmp_path / "比率.docx", tmp_path / "out", "压缩比")


def test_docx_entities_refused(tmp_path: Path) -> None:
    """A document.xml with a DTD (billion laughs) is refused before python-docx parses it."""
    document = NewDocx()
    document.add_paragraph("连妇保集〔2012〕5号")
    document.save(str(tmp_path / "ok.docx"))
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="' + W.encode() + b'">'
        b"<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(tmp_path / "ok.docx") as src, zipfile.ZipFile(tmp_path / "实体.docx", "w") as dst:
        for item in src.infolist():
            dst.writestr(item, laughs if item.filename == "word/document.xml" else src.read(item))
    _refused(tmp_path / "实体.docx", tmp_path / "out", "无法安全解析")


def test_fifty_megabyte_text(tmp_path: Path) -> None:
    big = tmp_path / "大文件.txt"
    with big.open("wb") as fh:
        fh.write("连妇保集〔2012〕5号\n".encode())
        fh.truncate(50 * 1024 * 1024)
    _refused(big, tmp_path / "out", "10 MB")


def test_text_only_in_tables(tmp_path: Path) -> None:
    document = NewDocx()
    table = document.add_table(rows=3, cols=1)
    for row, line in zip(table.rows, seed_text("001").splitlines(), strict=False):
        row.cells[0].text = line
    document.save(str(tmp_path / "表格.docx"))
    _refused(tmp_path / "表格.docx", tmp_path / "out", "表格", "3 行")


def test_text_only_in_text_boxes(tmp_path: Path) -> None:
    document = NewDocx()
    body = document.element.body
    box = parse_xml(
        f'<w:p xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict><v:shape><v:textbox>'
        "<w:txbxContent><w:p><w:r><w:t>连妇保集〔2012〕5号</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></v:shape></w:pict></w:r></w:p>"
    )
    body.insert(0, box)
    document.save(str(tmp_path / "文本框.docx"))
    message = _refused(tmp_path / "文本框.docx", tmp_path / "out", "文本框")
    assert "1 个文本框" in message


def test_old_word_format(tmp_path: Path) -> None:
    (tmp_path / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    _refused(tmp_path / "旧版.doc", tmp_path / "out", "另存为")


def test_not_a_document(tmp_path: Path) -> None:
    (tmp_path / "随笔.txt").write_text("今天天气很好。\n我们去公园散步。\n", encoding="utf-8")
    _refused(tmp_path / "随笔.txt", tmp_path / "out", "发文字号")


def test_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path / "没有这个文件.txt", tmp_path / "out", "不存在")


def test_never_overwrites(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.txt"
    draft.write_text(seed_text("001"), encoding="utf-8")
    out = tmp_path / "out"
    first = run_cli("import", str(draft), "--out", str(out))
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.iterdir()}
    main = next(p for p in before if p.name.endswith("号.yaml"))
    main.write_text("# 办事员改过的文件\n", encoding="utf-8")
    second = run_cli("import", str(draft), "--out", str(out))
    assert second.returncode == 2
    assert "不会覆盖" in second.stderr and main.name in second.stderr
    assert main.read_text(encoding="utf-8") == "# 办事员改过的文件\n"
    assert sorted(out.iterdir()) == sorted(before), "no temporary or new files left behind"


def test_out_is_a_file(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.txt"
    draft.write_text(seed_text("001"), encoding="utf-8")
    (tmp_path / "out").write_text("x", encoding="utf-8")
    result = run_cli("import", str(draft), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "不是文件夹" in result.stderr
