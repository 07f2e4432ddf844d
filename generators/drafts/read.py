"""Read a draft (.docx, .txt or standard input) into numbered lines, with bounded reads.

In: a path (or ``-`` / None for standard input). Out: a ``Draft`` whose lines carry
the source line (text files) or paragraph number (.docx).  Anything that cannot be
read raises InputError with a Chinese message naming the file.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET

from generators.core.errors import InputError

MAX_BYTES = 10 * 1024 * 1024  # a typed draft is a few hundred KB at most
MAX_ZIP_MEMBERS = 1000
MAX_ZIP_TOTAL = 60 * 1024 * 1024  # uncompressed, all members
MAX_ZIP_RATIO = 100  # a member compressing better than 100:1 is a bomb, not a document
MAX_XML_BYTES = 30 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BINARY_CONTROLS = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}


@dataclass(frozen=True)
class Line:
    no: int  # source line (text) or paragraph number (.docx), from 1
    text: str


@dataclass
class Draft:
    name: str  # what the messages call the source
    kind: str  # "txt" or "docx"
    encoding: str
    lines: list[Line]
    notes: list[str] = field(default_factory=list)  # what the reader noticed (tables, text boxes)

    @property
    def unit(self) -> str:
        return "段" if self.kind == "docx" else "行"


def read_draft(source: Path | str | None) -> Draft:
    """A .docx or text file (or standard input for None / "-") → Draft."""
    if source is None or str(source) == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        name = "标准输入"
        if len(data) > MAX_BYTES:
            raise InputError(f"输入超过 {MAX_BYTES // 1024 // 1024} MB，不像一份公文草稿", file=name)
        return _from_bytes(data, name, is_docx=data[:2] == b"PK")
    path = Path(source)
    if not path.is_file():
        raise InputError("文件不存在或不是普通文件", file=path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"文件有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限，不像一份公文草稿",
            file=path,
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"无法读取文件（{exc.strerror}）", file=path) from None
    suffix = path.suffix.lower()
    if suffix == ".doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("这是旧版 Word（.doc）文件：请在 Word 或 WPS 中“另存为” .docx 后再导入", file=path)
    if suffix in (".wps", ".rtf", ".pdf"):
        raise InputError(f"不支持 {suffix} 文件：请另存为 .docx 或纯文本（.txt）后再导入", file=path)
    return _from_bytes(data, str(path), is_docx=suffix == ".docx" or data[:2] == b"PK")


def _from_bytes(data: bytes, name: str, *, is_docx: bool) -> Draft:
    if not data.strip():
        raise InputError("文件是空的，没有可导入的文字", file=name)
    if is_docx:
        return _read_docx(data, name)
    text, encoding = decode_text(data, name)
    lines = [Line(i, t) for i, t in enumerate(_split_lines(text), 1)]
    if not any(line.text.strip() for line in lines):
        raise InputError("文件里只有空白，没有可导入的文字", file=name)
    return Draft(name, "txt", encoding, lines)


def _split_lines(text: str) -> list[str]:
    # CRLF, CR and LF; a form feed (page break) ends a line too.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Bytes → text: UTF-16 with BOM, UTF-8 (with or without BOM), else GB18030 strictly."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise InputError("文件以 UTF-16 标记开头，但内容不是有效的 UTF-16", file=name) from None
    if b"\x00" in data:
        raise InputError("文件含有二进制数据（NUL 字节），不是纯文本文件", file=name)
    try:
        text = data.decode("utf-8-sig")
        encoding = "UTF-8（带 BOM）" if data[:3] == b"\xef\xbb\xbf" else "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("gb18030"), "GB18030"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError("无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK）", file=name, line=line) from None
    controls = sum(1 for ch in text if ord(ch) in _BINARY_CONTROLS)
    if controls > max(3, len(text) // 1000):
        raise InputError(f"文件含有 {controls} 个控制字符，不像纯文本文件", file=name)
    return text, encoding


def _check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Open the .docx container only when it looks like a document, not a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError("文件扩展名是 .docx，但内容不是有效的 Word 文档（无法按 ZIP 格式打开）", file=name) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputError(f"Word 文档内含 {len(members)} 个部件，超过上限 {MAX_ZIP_MEMBERS}，不予读取", file=name)
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_TOTAL:
        raise InputError(
            f"Word 文档解压后有 {total / 1024 / 1024:.0f} MB，超过上限 {MAX_ZIP_TOTAL // 1024 // 1024} MB"
            "（疑似压缩炸弹），不予读取",
            file=name,
        )
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise InputError(f"Word 文档的部件 {m.filename} 压缩比异常（疑似压缩炸弹），不予读取", file=name)
    if "word/document.xml" not in archive.namelist():
        raise InputError("文件是 ZIP 压缩包，但不是 Word 文档（缺少 word/document.xml）", file=name)
    return archive


def _read_docx(data: bytes, name: str) -> Draft:
    archive = _check_zip(data, name)
    info = archive.getinfo("word/document.xml")
    if info.file_size > MAX_XML_BYTES:
        raise InputError("Word 文档正文部分过大，不予读取", file=name)
    try:
        xml = archive.read(info)
        # Refuse DTDs and entities (billion laughs, external entities) before python-docx parses it.
        SafeET.fromstring(xml, forbid_dtd=True)
    except Exception:
        raise InputError("Word 文档的正文部分（word/document.xml）无法安全解析", file=name) from None
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise InputError("无法打开这个 Word 文档（文件可能已损坏，或不是 .docx）", file=name) from None
    return _docx_lines(document, name)


def _para_text(p) -> str:
    """A body paragraph's own text (runs, tabs, breaks), not its text boxes."""
    out: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == _W + "txbxContent":
            continue
        if any(a.tag == _W + "txbxContent" for a in el.iterancestors()):
            continue
        if tag == _W + "t":
            out.append(el.text or "")
        elif tag == _W + "tab":
            out.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n")
    return "".join(out)


def _docx_lines(document, name: str) -> Draft:
    body = document.element.body
    lines: list[Line] = []
    notes: list[str] = []
    table_rows = 0
    n = 0
    # Word's automatic numbering (numPr) is not in the text: the 一、 a clerk sees is lost.
    numbered_styles = {
        st.get(_W + "styleId")
        for st in document.styles.element.iter(_W + "style")
        if st.find(f"{_W}pPr/{_W}numPr") is not None
    }

    def auto_numbered(p) -> bool:  # numbering on the paragraph or on its style
        style = p.find(f"{_W}pPr/{_W}pStyle")
        on_style = style is not None and style.get(_W + "val") in numbered_styles
        return on_style or p.find(f"{_W}pPr/{_W}numPr") is not None

    numbered: list[int] = []
    for child in body.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            n += 1
            if auto_numbered(child):
                numbered.append(n)
            for part in _para_text(child).split("\n"):
                lines.append(Line(n, part))
        elif tag == _W + "tbl":
            # A table row becomes one line, cells apart by two spaces (a clerk's 版记 or
            # signature table); nested paragraphs in a cell are joined.
            for row in child.iter(_W + "tr"):
                n += 1
                cells = ["".join(_para_text(p) for p in tc.iter(_W + "p")) for tc in row.iter(_W + "tc")]
                text = "  ".join(c.strip() for c in cells if c.strip())
                if text:
                    table_rows += 1
                lines.append(Line(n, text))
        elif tag == _W + "sdt":  # a content control around paragraphs
            for p in child.iter(_W + "p"):
                n += 1
                lines.append(Line(n, _para_text(p)))
    if numbered:
        where = "、".join(str(k) for k in numbered[:10]) + ("等" if len(numbered) > 10 else "")
        notes.append(
            f"第 {where} 段用了 Word/WPS 的自动编号：编号不在文字里，未能导入。"
            "请在 YAML 中补上编号（如“一、”），或在 Word 中把自动编号转换为文本后重新导入"
        )
    boxes = ["".join(t.text or "" for t in box.iter(_W + "t")).strip() for box in body.iter(_W + "txbxContent")]
    boxes = [b for b in boxes if b]
    if table_rows:
        notes.append(f"文档含表格：{table_rows} 行表格文字已按每行一行读入（单元格之间以空格分隔）")
    if boxes:
        notes.append(f"文档含 {len(boxes)} 个文本框，其中的文字未导入：{'；'.join(b[:20] for b in boxes[:5])}")
    paragraph_text = any(line.text.strip() for line in lines)
    if not paragraph_text or (table_rows and not _outside_tables(body)):
        found = []
        if table_rows:
            found.append(f"{table_rows} 行表格文字")
        if boxes:
            found.append(f"{len(boxes)} 个文本框的文字")
        what = "、".join(found) if found else "没有任何文字"
        raise InputError(
            f"Word 文档的正文段落里没有文字（找到的是：{what}）。"
            "请把公文正文作为普通段落输入（不要放在表格或文本框里）后再导入",
            file=name,
        )
    return Draft(name, "docx", "Word 文档", lines, notes)


def _outside_tables(body) -> bool:
    return any(child.tag == _W + "p" and _para_text(child).strip() for child in body.iterchildren())
