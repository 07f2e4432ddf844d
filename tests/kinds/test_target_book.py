"""目标管理责任书: structured input → one book per member unit, read back from the files.

The batch is rendered once per module (fixture ``batch``); the golden text is seed 000's
attachment with the differences listed in DIFFERENCES (also in docs/target_book.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as OpenDocx
from docx.oxml.ns import qn
from golden import docx_text, pdf_text
from pdfmeasure import body_lines, read_pages
from pypdf import PdfReader

from generators.core import fonts
from generators.core.errors import InputError
from generators.core.names import pinyin_key, slug
from generators.core.paths import ROOT, SAMPLE_INPUTS
from generators.document.model import Attachment, Document, Meta, Paragraph, SignatureBlock
from generators.kinds.circular import build_circular, load_circular
from generators.kinds.target_book import book_blocks, build_book, load_book
from generators.pipeline.plan import plan, render
from generators.render.docx import write_docx
from generators.render.pdf import write_pdf

SEED = next((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("000_*.txt"))
BOOK = SAMPLE_INPUTS / "2012" / "target_book.yaml"
UNITS = SAMPLE_INPUTS / "2012" / "units.yaml"
CIRCULAR = SAMPLE_INPUTS / "circulars" / "2012-05_target_book_circular.yaml"
SEED_TITLE = "连云港市妇幼保健集团二○一二年工作目标管理责任书"
UNIT_NAMES = [
    "赣榆县妇幼保健所",
    "东海县妇幼保健所",
    "灌南县妇幼保健所",
    "灌云县妇幼保健所",
    "新浦区妇幼保健所",
    "连云区妇幼保健所",
    "海州区妇幼保健所",
    "开发区妇幼保健所",
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_book() -> str:
    """Seed 000's attachment, whitespace removed: from its title to the end."""
    text = squash(SEED.read_text(encoding="utf-8"))
    return text[text.rindex("附件：" + SEED_TITLE) + len("附件：") :]


def unit_line(name: str, legal: str) -> str:
    return f"责任单位：{name}法定代表人：{legal}"


# (why, seed fragment, our fragment) on whitespace-free text, applied in order.
def differences(name: str, legal: str) -> list[tuple[str, str, str]]:
    return [
        ("The seed writes the zero of 二○一二 as ○ (U+25CB); ours is 〇 (U+3007).", "○", "〇"),
        ("Word's PAGE field code leaked into the seed's text.", "PAGE", ""),
        (
            "A unit's own book names the unit and its legal representative under the title "
            "(templates/target_book/unit.txt.j2); the circular's attachment does not.",
            "工作目标管理责任书为了",
            "工作目标管理责任书" + unit_line(name, legal) + "为了",
        ),
    ]


def expected_text(name: str, legal: str) -> str:
    text = seed_book()
    for why, seed, ours in differences(name, legal):
        assert seed in text, why
        text = text.replace(seed, ours)
    return text


def sha256s(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def book():
    return load_book(BOOK)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list]:
    """The sample batch rendered twice: here, and by the CLI in a fresh process (so
    hash seeds, caches and clocks differ)."""
    jobs = plan([BOOK])
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    assert len(list(render(jobs, first))) == 16
    cli = [sys.executable, str(ROOT / "make_reports.py"), "build", str(BOOK), "-o", str(second), "-q"]
    subprocess.run(cli, check=True, capture_output=True, timeout=300, cwd=ROOT)
    return first / "2012" / "zerenshu", second / "2012" / "zerenshu", jobs


# --- 2. text equals the seed ----------------------------------------------------


def test_units_in_input_order(book) -> None:
    assert [u.name for u in book.units] == UNIT_NAMES


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_unit_book_reads_as_the_seed(batch, book, fmt: str) -> None:
    folder, _, _ = batch
    read = pdf_text if fmt == "pdf" else docx_text
    for unit in book.units:
        got = squash(read(folder / f"{slug(unit.name)}.{fmt}"))
        assert got == expected_text(unit.name, unit.legal_representative), unit.name


def test_structured_sentences_use_seed_wording(book) -> None:
    text = "".join(b.full_text for b in book_blocks(book) if isinstance(b, Paragraph))
    for sentence in (
        "孕产妇保健管理率达95%，早孕建册率达95%，7岁以下儿童保健管理率达95%，儿童系统管理率达85%，"
        "产后访视及新生儿访视率达95%。",
        "产妇死亡率控制在5/10万以下，婴儿死亡率控制在4‰以下。",
        "废证率低于1%。",
        "孕妇和儿童“孕育通”开通率分别达到80%、60%以上；",
    ):
        assert sentence in text


def test_metadata_title_is_chinese(batch) -> None:
    folder, _, jobs = batch
    doc = OpenDocx(str(folder / "gan-yu-xian-fu-you-bao-jian-suo.docx"))
    assert doc.core_properties.title == "连云港市妇幼保健集团二〇一二年工作目标管理责任书（赣榆县妇幼保健所）"
    assert jobs[0].document.meta.title == doc.core_properties.title
    assert PdfReader(folder / "gan-yu-xian-fu-you-bao-jian-suo.pdf").metadata.title == doc.core_properties.title


def test_circular_attachment_is_the_structured_book(book) -> None:
    spec, located = load_circular(CIRCULAR)
    doc = build_circular(spec, located)
    [att] = doc.attachments
    assert att.blocks == book_blocks(book)
    assert att.blocks[-1] == SignatureBlock(("妇幼保健集团理事长", "集团成员单位法人"))
    assert not (SAMPLE_INPUTS / "circulars" / "attachments" / "2012_target_book.txt").exists()


def test_circular_docx_text_keeps_the_seed_attachment(tmp_path: Path) -> None:
    spec, located = load_circular(CIRCULAR)
    path = write_docx(build_circular(spec, located), tmp_path / "c.docx")
    text = squash(docx_text(path))
    body = seed_book().replace("○", "〇").replace("PAGE", "")
    assert body[len(SEED_TITLE) :] in text
    assert text.count("妇幼保健集团理事长签字：集团成员单位法人签字：年月日年月日") == 1


# --- 3. signatures stay with the text before them ------------------------------------


def check_signature_kept(path: Path) -> int:
    """Assert the signature lines, their date lines and the line before them share a
    page; return that page's number."""
    lines = [(page.number, line) for page in read_pages(path) for line in body_lines(page)]
    texts = [squash(line.text) for _, line in lines]
    [i] = [k for k, t in enumerate(texts) if t.count("签字：") == 2]
    assert texts[i + 1] == "年月日年月日"
    assert i > 0 and texts[i - 1].endswith("。"), "no text before the signatures"
    pages = {lines[k][0] for k in (i - 1, i, i + 1)}
    assert len(pages) == 1, f"signature block split from the text before it: pages {sorted(pages)}"
    return lines[i][0]


def test_signatures_on_one_page_in_every_unit_book(batch, book) -> None:
    folder, _, _ = batch
    for unit in book.units:
        check_signature_kept(folder / f"{slug(unit.name)}.pdf")


LAST = (
    "2、在市卫生局的统一组织下，集团根据对上述工作任务及目标制定考核标准并对集团成员进行考核。"
    "考核实行平时检查、半年初评、年终综合考评相结合的办法进行综合考评，考核评分半年占40％，年终占60％。"
)
PARTIES = SignatureBlock(("妇幼保健集团理事长", "集团成员单位法人"))
META = Meta("签字栏测试", "测试", dt.date(2012, 6, 20), "signature-test")


def padded(extra: int) -> tuple[Paragraph | SignatureBlock, ...]:
    return (*(Paragraph(f"补白第{i + 1}行。") for i in range(extra)), Paragraph.recognise(LAST), PARTIES)


def test_signature_block_never_split_in_body(tmp_path: Path) -> None:
    """A standalone book: the signatures close the body (the .closing box)."""
    pages = set()
    for extra in range(26):
        path = write_pdf(Document(META, ("标题",), body=padded(extra)), tmp_path / f"body{extra}.pdf")
        pages.add(check_signature_kept(path))
    assert pages == {1, 2}  # the padding pushed the block across a page boundary


def test_signature_block_never_split_in_attachment(tmp_path: Path) -> None:
    """The circular's attachment: the signatures follow a paragraph (.signature-keep)."""
    pages = set()
    for extra in range(22):
        att = Attachment("附件", ("附件标题",), padded(extra))
        doc = Document(META, ("标题",), body=(Paragraph("正文。"),), attachments=(att,))
        pages.add(check_signature_kept(write_pdf(doc, tmp_path / f"att{extra}.pdf")))
    assert pages == {2, 3}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_docx_signature_block_never_split_in_libreoffice(tmp_path: Path) -> None:
    """The same padding, laid out by LibreOffice from our DOCX."""
    fonts.configure()
    paths = [write_docx(Document(META, ("标题",), body=padded(n)), tmp_path / f"d{n:02d}.docx") for n in range(26)]
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"  # no clash with other runs
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, *map(str, paths)], check=True, capture_output=True, timeout=300)
    pages = {check_signature_kept(p.with_suffix(".pdf")) for p in paths}
    assert pages == {1, 2}


def test_docx_keeps_signature_with_preceding_line(batch) -> None:
    folder, _, _ = batch
    body = OpenDocx(str(folder / "kai-fa-qu-fu-you-bao-jian-suo.docx")).element.body
    children = list(body.iterchildren())
    [t] = [k for k, c in enumerate(children) if c.tag == qn("w:tbl")]
    before, blank, table = children[t - 2], children[t - 1], children[t]
    assert "兑现目标风险抵押金" in "".join(x.text or "" for x in before.iter(qn("w:t")))
    for p in (before, blank):
        assert p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None
    rows = table.findall(qn("w:tr"))
    assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows)
    assert all(p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None for p in rows[0].iter(qn("w:p")))


# --- 4. batch: one file pair per unit, pinyin names, reproducible --------------------


def test_batch_writes_one_docx_and_pdf_per_unit(batch) -> None:
    folder, _, jobs = batch
    names = sorted(p.name for p in folder.iterdir())
    stems = {Path(n).stem for n in names}
    assert len(names) == 16 and len(stems) == 8
    assert stems == {slug(n) for n in UNIT_NAMES}
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in stems)
    assert [j.relpath.name for j in jobs] == [slug(n) for n in UNIT_NAMES]


def test_batch_twice_is_byte_identical(batch) -> None:
    first, second, _ = batch
    assert sha256s(first) == sha256s(second)


def test_pinyin_order(tmp_path: Path) -> None:
    path = copy_inputs(tmp_path, book=lambda t: t.replace("排序: 输入顺序", "排序: 拼音"))
    names = [j.document.meta.keywords[0] for j in plan([path])]
    assert names == sorted(UNIT_NAMES, key=pinyin_key)
    assert names[0] == "东海县妇幼保健所" and names != UNIT_NAMES


def test_units_file_alone_gives_no_documents() -> None:
    assert plan([UNITS]) == []


# --- per-unit targets ------------------------------------------------------------------


def copy_inputs(tmp_path: Path, *, book=lambda t: t, units=lambda t: t) -> Path:
    (tmp_path / "target_book.yaml").write_text(book(BOOK.read_text(encoding="utf-8")), encoding="utf-8")
    (tmp_path / "units.yaml").write_text(units(UNITS.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path / "target_book.yaml"


OVERRIDE = "单位目标:\n  开发区所:\n    婚前保健率: 达40%\n    newborn_visit_rate: ≥90%\n"


def test_unit_override_changes_only_that_unit(tmp_path: Path) -> None:
    book = load_book(copy_inputs(tmp_path, book=lambda t: t.replace("单位目标: {}\n", OVERRIDE)))
    texts = {
        u.name: "".join(b.full_text for b in build_book(book, u).body if isinstance(b, Paragraph)) for u in book.units
    }
    own = texts["开发区妇幼保健所"]
    assert "婚前保健率达40%" in own and "婚前保健率达50%" not in own
    # a shared phrase whose targets now differ is written with 分别; ≥ is spelled out
    assert "产后访视及新生儿访视率分别达95%、90%。" in own
    other = texts["赣榆县妇幼保健所"]
    assert "婚前保健率达50%" in other and "产后访视及新生儿访视率达95%。" in other
    assert "婚前保健率达50%" in "".join(b.full_text for b in book_blocks(book) if isinstance(b, Paragraph))


# --- 5. bad input: Chinese error with file and line, nothing written -------------------


def line_of(path: Path, fragment: str) -> int:
    """Line of the last occurrence (a duplicate is reported where it is repeated)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [i + 1 for i, line in enumerate(lines) if fragment in line][-1]


def fails(tmp_path: Path, path: Path) -> InputError:
    out = tmp_path / "out"
    with pytest.raises(InputError) as info:
        list(render(plan([path]), out))
    assert not out.exists()
    return info.value


BAD_BOOKS = [
    (
        "unknown indicator name",
        ("{指标: 早孕建册率, 目标: 达95%}", "{指标: 早孕建档率, 目标: 达95%}"),
        "早孕建档率",
        "未知指标“早孕建档率”",
    ),
    (
        "unknown indicator code",
        ("{指标: 婴儿死亡率, 目标: 控制在4‰以下}", "{指标: infant_mortality, 目标: 控制在4‰以下}"),
        "infant_mortality",
        "未知指标“infant_mortality”",
    ),
    (
        "‰ on a % indicator",
        ("{指标: 早孕建册率, 目标: 达95%}", "{指标: early_pregnancy_registration_rate, 目标: 达95‰}"),
        "达95‰",
        "指标“早孕建册率”以 % 表示，目标值“达95‰”却用了 ‰",
    ),
    (
        "% on a ‰ indicator in a unit override",
        ("单位目标: {}", "单位目标:\n  东海所:\n    婴儿死亡率: 控制在4%以下"),
        "控制在4%以下",
        "指标“婴儿死亡率”以 ‰ 表示",
    ),
    (
        "override for a unit that does not exist",
        ("单位目标: {}", "单位目标:\n  开发县妇幼保健所:\n    婚前保健率: 达40%"),
        "开发县妇幼保健所",
        "单位目标中的“开发县妇幼保健所”不是成员单位，是否应为“开发区妇幼保健所”？",
    ),
    (
        "target left out of its sentence",
        ("各签发单位{{ 目标[0] }}；{{ 目标[1] }}。", "各签发单位{{ 目标[0] }}。"),
        "各签发单位{{ 目标[0] }}。",
        "句式中没有写出第 2 个目标",
    ),
    (
        "sentence names a target that does not exist",
        ("各签发单位{{ 目标[0] }}；{{ 目标[1] }}。", "各签发单位{{ 目标[0] }}；{{ 目标[1] }}{{ 目标[2] }}。"),
        "{{ 目标[2] }}",
        "句式中有不存在的名称或目标",
    ),
]


@pytest.mark.parametrize(("why", "edit", "at", "message"), BAD_BOOKS, ids=[b[0] for b in BAD_BOOKS])
def test_bad_book(tmp_path: Path, why: str, edit: tuple[str, str], at: str, message: str) -> None:
    old, new = edit
    path = copy_inputs(tmp_path, book=lambda t: t.replace(old, new, 1))
    err = fails(tmp_path, path)
    assert message in err.message, why
    assert Path(err.file).name == "target_book.yaml"
    assert err.line == line_of(path, at)
    assert "target_book.yaml" in str(err) and f"第 {err.line} 行" in str(err)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("名称: 海州区妇幼保健所", "名称: 新浦区妇幼保健所", "成员单位“新浦区妇幼保健所”重复（第 "),
        ("简称: 海州所", "简称: 新浦所", "成员单位“新浦所”重复（第 "),
    ],
    ids=["name", "short name"],
)
def test_duplicate_units(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = copy_inputs(tmp_path, units=lambda t: t.replace(old, new))
    err = fails(tmp_path, path)
    assert message in err.message
    assert Path(err.file).name == "units.yaml"
    assert err.line == line_of(tmp_path / "units.yaml", new)


# --- a book's own indicators -------------------------------------------------------------

OWN_INDICATORS = """\
counts:
  - {code: hpv_screened, name: HPV筛查人数, aggregation: flow}
  - {code: hpv_eligible, name: 应筛查妇女数, aggregation: stock}
indicators:
  - {code: hpv_screening_rate, name: HPV筛查率, domain: 妇女保健, numerator: hpv_screened,
     denominator: hpv_eligible, multiplier: 100, unit: "%", better: higher}
"""


def _book_with_own_indicator(folder: Path) -> Path:
    """The sample book, plus an indicator of its own (指标文件) with a target."""
    shutil.copy(ROOT / "sample_inputs" / "2012" / "units.yaml", folder / "units.yaml")
    (folder / "my_indicators.yaml").write_text(OWN_INDICATORS, encoding="utf-8")
    text = (ROOT / "sample_inputs" / "2012" / "target_book.yaml").read_text(encoding="utf-8")
    text = text.replace("工作任务及目标:\n", "指标文件: my_indicators.yaml\n工作任务及目标:\n", 1)
    text = text.replace(
        "  条目:\n",
        "  条目:\n    - 句式: 开展适龄妇女宫颈癌筛查，{{ 目标 }}。\n"
        "      目标:\n        - {指标: HPV筛查率, 目标: ≥60%}\n",
        1,
    )
    book = folder / "target_book.yaml"
    book.write_text(text, encoding="utf-8")
    return book


def test_book_keeps_the_dictionary_it_was_checked_against(tmp_path: Path) -> None:
    book = load_book(_book_with_own_indicator(tmp_path))
    assert "hpv_screening_rate" in book.dictionary.indicators
    assert book.dictionary.indicators["hpv_screening_rate"].name == "HPV筛查率"


def test_blank_form_for_a_book_with_its_own_indicator(tmp_path: Path) -> None:
    """`form` crashed with a bare KeyError: it looked the book's indicators up in the
    packaged dictionary only."""
    book = _book_with_own_indicator(tmp_path)
    target = tmp_path / "form.xlsx"
    result = subprocess.run(
        [sys.executable, str(ROOT / "make_reports.py"), "form", "2012Q1", "--book", str(book), "--out", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    import openpyxl

    header = [c.value for c in openpyxl.load_workbook(target)["2012Q1"][3]]
    assert "HPV筛查人数" in header and "应筛查妇女数" in header


def test_a_gbk_book_with_a_bad_unit_target_names_the_line(tmp_path: Path) -> None:
    """The unit-target line lookup reads the file as the loader did (GB18030 too)."""
    book = copy_inputs(tmp_path)
    text = book.read_text(encoding="utf-8").replace(
        "单位目标: {}", "单位目标:\n  不存在的单位:\n    婴儿死亡率: 控制在4‰以下"
    )
    book.write_bytes(text.encode("gb18030"))
    with pytest.raises(InputError) as caught:
        load_book(book)
    assert "不存在的单位" in str(caught.value)
    assert caught.value.line == text.splitlines().index("  不存在的单位:") + 1
