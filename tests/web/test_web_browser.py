"""The web page in a real browser: Debian's Chromium driven by Playwright against a
real ``make_reports.py serve``.  A clerk logs in, writes a circular in the form and
watches the preview change, the approver takes the number, both files are read
back; a pasted draft gives the importer's document; a results file with a bad cell
names that cell, a good one gives the quarter's zip; the archive verifies against
its SHA256SUMS.  Each page is saved as a picture in outputs/screens/."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import fitz  # PyMuPDF
import pytest
from docx import Document as DocxDocument
from playwright.sync_api import Browser, Page, expect
from webserver import CIRCULAR_FORM, PASSWORD, Server, serving, wait_until

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "outputs" / "screens"
SEEDS = ROOT.parent / "shared" / "seeds"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    # Playwright's own browser download does not work offline: use the system's Chromium.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {
        **browser_context_args,
        "accept_downloads": True,
        "viewport": {"width": 1500, "height": 1000},
        "locale": "zh-CN",
    }


server = pytest.fixture(scope="module")(serving)


def shot(page: Page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def log_in(page: Page, server: Server, name: str = "zonghe", start: str = "/documents") -> None:
    """Open ``start`` without a session: the login page comes, and after it ``start``."""
    page.goto(f"{server.url}{start}")
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(rf"{re.escape(start)}$"))


def pdf_text(data: bytes) -> str:
    with fitz.open(stream=data, filetype="pdf") as doc:
        return "".join(page.get_text() for page in doc)


def pdf_words(data: bytes) -> list[tuple[int, float, float, str]]:
    """Every word with its page and position: two PDFs of one document agree on all."""
    with fitz.open(stream=data, filetype="pdf") as doc:
        return sorted(
            (n, round(w[1], 1), round(w[0], 1), w[4]) for n, page in enumerate(doc) for w in page.get_text("words")
        )


def plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_login_page_and_refused_password(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/")
    shot(page, "01-登录")
    page.fill("#name", "nigao")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("用户名或密码不对")


def test_a_circular_from_the_form_previewed_approved_and_downloaded(page: Page, server: Server) -> None:
    log_in(page, server)
    page.click("#new-document")
    expect(page).to_have_url(re.compile(r"/documents/[0-9a-f]{12}$"))
    for name in ("发文机关名称", "发文机关代字", "年份", "标题", "正文", "署名", "印发机关"):
        page.fill(f"#f-{name}", CIRCULAR_FORM[name])
    page.check("input.pick[value='赣榆县妇幼保健所'][data-target='f-抄送']")
    expect(page.locator("#f-抄送")).to_have_value("赣榆县妇幼保健所")
    first = page.locator("#preview-pages")
    expect(first).to_be_visible(timeout=60_000)
    expect(page.locator("#preview img").first).to_be_visible()
    key = first.get_attribute("data-key")
    page.fill("#f-标题", "关于开展2026年妇幼健康宣传周活动的通知")
    expect(page.locator(f"#preview-pages:not([data-key='{key}'])")).to_be_visible(timeout=60_000)
    wait_until(page, "() => (document.querySelector('#preview img')?.naturalWidth ?? 0) > 700")  # a real page image
    shot(page, "02-公文-表单和预览")
    page.click("#save")
    page.click("#approve")
    number = page.locator("#number")
    expect(number).to_have_text(re.compile(r"^连妇保集〔2026〕\d+号$"), timeout=120_000)
    shot(page, "03-公文-已签发")
    issued = number.inner_text()
    with page.expect_download() as got:
        page.click("#download-docx")
    docx = DocxDocument(io.BytesIO(Path(got.value.path()).read_bytes()))
    docx_text = "".join(p.text for p in docx.paragraphs) + "".join(
        c.text for t in docx.tables for r in t.rows for c in r.cells
    )
    with page.expect_download() as got:
        page.click("#download-pdf")
    text = plain(pdf_text(Path(got.value.path()).read_bytes()))
    for wanted in (
        issued,
        "关于开展2026年妇幼健康宣传周活动的通知",
        "为做好宣传工作，现将有关事项通知如下。",
        "赣榆县妇幼保健所",
    ):
        assert plain(wanted) in text, wanted
        assert plain(wanted) in plain(docx_text), wanted


def _seed_with_number() -> Path:
    for seed in sorted(SEEDS.glob("*.txt")):
        if re.match(r"^\S+〔\d{4}〕\d+号", seed.read_text(encoding="utf-8").lstrip()):
            return seed
    pytest.skip("no numbered seed circular")


def test_a_pasted_draft_gives_the_importers_document(page: Page, server: Server, tmp_path: Path) -> None:
    seed = _seed_with_number()
    log_in(page, server)
    page.click("#import-draft")
    page.fill("#text", seed.read_text(encoding="utf-8"))
    shot(page, "04-一键排版-粘贴草稿")
    page.click("#do-import")
    expect(page).to_have_url(re.compile(r"/documents/[0-9a-f]{12}$"), timeout=60_000)
    expect(page.locator("#preview-pages")).to_be_visible(timeout=120_000)
    shot(page, "05-一键排版-导入结果")
    page.click("#approve")
    expect(page.locator("#number")).to_be_visible(timeout=180_000)
    with page.expect_download() as got:
        page.click("#download-pdf")
    web = pdf_words(Path(got.value.path()).read_bytes())
    # The same draft through the command line: import, then build.
    imported = tmp_path / "imported"
    pasted = tmp_path / "草稿.txt"
    pasted.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    run = [sys.executable, str(ROOT / "make_reports.py")]
    done = subprocess.run([*run, "import", str(pasted), "--out", str(imported)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    main = next(p for p in imported.glob("*.yaml") if "发文字号" in p.read_text(encoding="utf-8"))
    out = tmp_path / "out"
    done = subprocess.run(
        [
            *run,
            "build",
            str(main),
            "--out",
            str(out),
            "--format",
            "pdf",
            "--registry",
            str(tmp_path / "r.sqlite3"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    cli = pdf_words(next(out.rglob("*.pdf")).read_bytes())
    assert len(web) > 100
    assert web == cli


def _results(tmp_path: Path, bad: bool) -> tuple[Path, int, int]:
    lines = (ROOT / "sample_inputs" / "2012" / "results" / "2012Q1.csv").read_text(encoding="utf-8-sig").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("单位名称"))
    row, column = header + 2, 4  # 0-based row of the second unit; 1-based column
    if bad:
        cells = lines[row].split(",")
        cells[column - 1] = "十二"
        lines[row] = ",".join(cells)
    path = tmp_path / ("坏数据.csv" if bad else "2012Q1.csv")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, row + 1, column


def test_results_upload_names_a_bad_cell_and_a_good_one_gives_the_quarter(
    page: Page, server: Server, tmp_path: Path
) -> None:
    log_in(page, server, "tongji", "/quarters")
    shot(page, "06-季度数据")
    with page.expect_download() as got:
        page.click("#form-2012Q1")
    assert zipfile.is_zipfile(got.value.path())  # an XLSX is a zip
    bad, line, column = _results(tmp_path, bad=True)
    page.set_input_files("#data-2012Q1", str(bad))
    page.fill("#row-2012Q1 input[name=督导时间]", "2012年4月11日至18日")
    page.click("#upload-2012Q1")
    problem = page.locator("#problem")
    expect(problem).to_contain_text(f"第 {line} 行，第 {column} 列")
    expect(problem).to_contain_text("坏数据.csv")
    expect(problem).to_contain_text("十二")
    shot(page, "07-季度数据-错误单元格")
    page.goto(f"{server.url}/quarters")
    good, _, _ = _results(tmp_path, bad=False)
    page.set_input_files("#data-2012Q1", str(good))
    page.fill("#row-2012Q1 input[name=督导时间]", "2012年4月11日至18日")
    page.fill("#row-2012Q1 input[name=成文日期]", "2012-04-25")
    page.click("#upload-2012Q1")
    expect(page).to_have_url(re.compile(r"/tasks/[0-9a-f]{16}$"))
    expect(page.locator("#state")).to_have_text("完成", timeout=300_000)
    shot(page, "08-季度数据-生成完成")
    page.click("#next a")
    with page.expect_download() as got:
        page.click("#zip-2012Q1")
    names = zipfile.ZipFile(got.value.path()).namelist()
    assert any(n.endswith("dudao/2012q1/tongbao.pdf") for n in names), names
    assert any(n.endswith("dudao/2012q1/tongbao.docx") for n in names)
    assert sum("/fankui/" in n and n.endswith(".pdf") for n in names) == 8
    assert any("tongji/2012q1" in n and n.endswith(".xlsx") for n in names)
    page.click("#view-2012Q1")
    expect(page.locator("img[alt='通报第 1 页']")).to_be_visible(timeout=60_000)
    wait_until(page, "() => (document.querySelector(\"img[alt='通报第 1 页']\")?.naturalWidth ?? 0) > 700")
    shot(page, "09-季度数据-通报预览")
    with page.expect_download() as got:
        page.locator("#files a", has_text="tongbao.docx").click()
    assert got.value.suggested_filename == "tongbao.docx"


def test_books_page_and_archive_download_verifies(page: Page, server: Server, tmp_path: Path) -> None:
    log_in(page, server, "zonghe", "/books")
    shot(page, "10-责任书")
    page.goto(f"{server.url}/numbers")
    shot(page, "11-文号")
    page.goto(f"{server.url}/archive")
    page.fill("#year", "2012")
    page.fill("#fonds", "Z109")
    shot(page, "12-归档")
    page.click("#build-archive")
    expect(page.locator("#state")).to_have_text("完成", timeout=600_000)
    page.goto(f"{server.url}/archive")
    with page.expect_download() as got:
        page.click("#zip-2012")
    archive = zipfile.ZipFile(got.value.path())
    sums = next(n for n in archive.namelist() if n.endswith("SHA256SUMS"))
    folder = sums.rsplit("/", 1)[0]
    listed = {}
    for line in archive.read(sums).decode("utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.lstrip("*")] = digest
    assert len(listed) >= 3
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(f"{folder}/{name}")).hexdigest() == digest, name
    assert any(n.endswith(".pdf") for n in listed)


def test_admin_pages(browser: Browser, server: Server) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    log_in(page, server, "guanli", "/admin/users")
    page.fill("#new-name", "xinren")
    page.fill("#new-password", "a-new-password")
    page.check("input[name=roles][value='拟稿'] >> nth=-1")
    page.click("#add-user")
    expect(page.locator("#message")).to_contain_text("已新建账号 xinren")
    shot(page, "13-账号")
    page.goto(f"{server.url}/admin/audit")
    expect(page.locator("#audit")).to_contain_text("新建账号")
    shot(page, "14-操作日志")
    page.goto(f"{server.url}/documents")
    expect(page.locator(".error")).to_contain_text("没有权限")
    page.close()
