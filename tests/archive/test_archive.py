"""Archive package of a year (DA/T 22-2015): PDF/A files named by 档号, the 归档文件目录
and the SHA-256 manifest agree with each other and with the PDFs, and a rebuild gives
the same bytes.  One build of a subset of the sample year, one rebuild."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from openpyxl import load_workbook
from pypdf import PdfReader

from generators.archive.files import COLUMNS, SHEET
from generators.archive.package import archive_class, build_archive, parse_retention, select
from generators.core.errors import InputError
from generators.core.safefile import allowed_roots
from generators.pipeline.plan import FileJob, Job, plan

SAMPLES = ROOT / "sample_inputs"
# Circulars (31号 has a 密级), two books, the Q1 通报 with two feedback sheets, the work
# plan that circular 2号 carries as its attachment, the Q4 通报 signed in 2013, a table.
SUBSET = (
    "2012/tongzhi/lian-fu-bao-ji-2012-2-hao",
    "2012/tongzhi/lian-fu-bao-ji-2012-5-hao",
    "2012/tongzhi/lian-fu-bao-ji-2012-31-hao",
    "2012/zerenshu/gan-yu-xian-fu-you-bao-jian-suo",
    "2012/zerenshu/dong-hai-xian-fu-you-bao-jian-suo",
    "2012/dudao/2012q1/tongbao",
    "2012/dudao/2012q1/fankui/gan-yu-xian-fu-you-bao-jian-suo",
    "2012/dudao/2012q1/fankui/dong-hai-xian-fu-you-bao-jian-suo",
    "2012/jihua/lian-yun-gang-shi-fu-you-bao-jian-ji-tuan-2012-nian-gong-zuo-ji-hua",
    "2012/dudao/2012q4/tongbao",
    "2012/tongji/2012q1-zhuyao-zhibiao.xlsx",
)
EXPECTED_ITEMS = 8  # 3 circulars, 2 books, 1 通报, 2 feedback sheets
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


@pytest.fixture(scope="session")
def jobs() -> list:
    chosen = [j for j in plan([SAMPLES]) if str(j.relpath).startswith(SUBSET)]
    assert len(chosen) == 11, [str(j.relpath) for j in chosen]
    return chosen


@pytest.fixture(scope="session")
def package(jobs, tmp_path_factory) -> dict:
    """The package built once, then rebuilt in place (one worker instead of two) with
    a stray file in it: {folder, first: bytes per name, second: bytes per name}."""
    out = tmp_path_factory.mktemp("archive")
    folder = build_archive(jobs, out, 2012, fonds="Z109", retention="永久", workers=2)
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "stray.txt").write_text("left from before")
    again = build_archive(jobs, out, 2012, fonds="Z109", retention="永久", workers=1)
    assert again == folder
    second = {p.name: p.read_bytes() for p in folder.iterdir()}
    return {"folder": folder, "first": first, "second": second}


@pytest.fixture(scope="session")
def catalogue(package) -> list[dict]:
    folder = package["folder"]
    ws = load_workbook(folder / "Z109-WS-2012-Y-mulu.xlsx")[SHEET]
    header = [c.value for c in ws[3]]
    assert tuple(header) == COLUMNS
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=4, values_only=True)]


def _pdfs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pdf"))


def xmp(reader: PdfReader) -> dict[str, str]:
    """XMP properties (attribute or element form) as {prefix:name: text}."""
    if "/Metadata" not in reader.trailer["/Root"]:
        return {}
    root = ET.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    short = {uri: prefix for prefix, uri in NS.items()}
    out: dict[str, str] = {}

    def name(tag: str) -> str:
        uri, local = tag[1:].split("}")
        return f"{short.get(uri, uri)}:{local}"

    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        out.update({name(k): v for k, v in desc.attrib.items() if k.startswith("{")})
        for child in desc:
            items = [li.text or "" for li in child.iter(f"{{{NS['rdf']}}}li")]
            out[name(child.tag)] = "; ".join(items) if items else (child.text or "")
    return out


def fonts(reader: PdfReader) -> list:
    found = {}

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            found[(ref.idnum, ref.generation)] = ref.get_object()
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return list(found.values())


def embedded(font) -> bool:
    if font["/Subtype"] == "/Type3":  # glyphs are content streams, nothing to embed
        return True
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def images(reader: PdfReader) -> list:
    out = []
    for page in reader.pages:
        for ref in (page["/Resources"].get("/XObject") or {}).values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image":
                out += [image, *([image["/SMask"].get_object()] if "/SMask" in image else [])]
    return out


def interpolated(image) -> bool:
    value = image.get("/Interpolate")  # a pypdf BooleanObject is always truthy
    return bool(getattr(value, "value", value))


def check_pdfa(path: Path) -> dict[str, str]:
    """What this suite can check of PDF/A-2b without a validator; returns the XMP."""
    reader = PdfReader(path)
    assert not reader.is_encrypted and "/Encrypt" not in reader.trailer, path
    assert reader.trailer.get("/ID"), f"{path}: no file identifier"
    props = xmp(reader)
    assert (props.get("pdfaid:part"), props.get("pdfaid:conformance")) == ("2", "B"), (path, props)
    intents = reader.trailer["/Root"].get("/OutputIntents") or []
    assert any(i.get_object()["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in i.get_object() for i in intents)
    used = fonts(reader)
    assert used and all(embedded(f) for f in used), [f.get("/BaseFont") for f in used if not embedded(f)]
    assert not [i for i in images(reader) if interpolated(i)], f"{path}: interpolated image"
    info = reader.metadata
    assert info.title == props["dc:title"] and info.author == props["dc:creator"], (info, props)
    return props


def test_layout_and_names(package, catalogue):
    folder = package["folder"]
    assert folder.relative_to(folder.parents[2]) == Path("2012/guidang/Z109-WS-2012-Y")
    names = sorted(package["first"])
    pdfs = [f"Z109-WS-2012-Y-{n:04d}.pdf" for n in range(1, EXPECTED_ITEMS + 1)]
    assert names == sorted([*pdfs, "Z109-WS-2012-Y-manifest.json", "Z109-WS-2012-Y-mulu.xlsx", "SHA256SUMS"])
    assert [r["档号"] for r in catalogue] == [f"Z109-WS·2012-Y-{n:04d}" for n in range(1, EXPECTED_ITEMS + 1)]
    assert [r["序号"] for r in catalogue] == list(range(1, EXPECTED_ITEMS + 1))


def test_each_pdf_is_pdfa_with_metadata(package, catalogue):
    for path, row in zip(_pdfs(package["folder"]), catalogue, strict=True):
        props = check_pdfa(path)
        assert props["dc:title"] == row["题名"]
        assert props["dc:creator"] == row["责任者"]
        assert props["xmp:CreateDate"].replace("-", "").startswith(row["日期"])


def test_checks_reject_a_plain_pdf(jobs, tmp_path):
    """The checks above can fail: an ordinary PDF of the chart-bearing 通报 is no PDF/A."""
    from generators.render.pdf import write_pdf

    doc = next(j.document for j in jobs if str(j.relpath) == "2012/dudao/2012q1/tongbao")
    plain = write_pdf(doc, tmp_path / "plain.pdf")
    assert "pdfaid:part" not in xmp(PdfReader(plain))
    assert [i for i in images(PdfReader(plain)) if interpolated(i)]
    with pytest.raises(AssertionError):
        check_pdfa(plain)


def test_catalogue_matches_pdfs(package, catalogue):
    for path, row in zip(_pdfs(package["folder"]), catalogue, strict=True):
        assert re.fullmatch(r"20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", row["日期"]), row
        assert row["页数"] == len(PdfReader(path).pages) > 0
    wb = load_workbook(package["folder"] / "Z109-WS-2012-Y-mulu.xlsx")
    ws = wb[SHEET]
    heading = ws["A2"].value
    for part in ("全宗名称：连云港市妇幼保健集团", "年度：2012", "保管期限：永久"):
        assert part in heading
    assert (ws.page_setup.orientation, int(ws.page_setup.paperSize)) == ("landscape", int(ws.PAPERSIZE_A4))
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$3:$3"
    assert "封面" in wb.sheetnames


def test_arrangement(catalogue):
    """By date and 事由: the 通报 before its feedback sheets, 5号 before the books it sent;
    the plan printed as 2号's attachment is no 件 of its own; the Q4 通报 of 2013-01-23
    belongs to 2013; spreadsheets are not archived."""
    rows = [(r["日期"], r["文号"] or "", r["题名"]) for r in catalogue]
    assert [d for d, _, _ in rows] == sorted(d for d, _, _ in rows)
    numbers = [n for _, n, _ in rows]
    assert numbers[:3] == ["连妇保集〔2012〕2号", "连妇保集〔2012〕12号", ""]
    assert numbers[numbers.index("连妇保集〔2012〕5号") + 1] == ""
    assert "责任书" in rows[numbers.index("连妇保集〔2012〕5号") + 1][2]
    assert all("工作计划" != t[-4:] for _, _, t in rows)
    assert "连妇保集〔2013〕38号" not in numbers
    assert {r["密级"] for r in catalogue} == {None, "内部"}  # 内部★1年 → 内部


def test_manifest_lists_every_file(package, catalogue):
    folder = package["folder"]
    text = (folder / "Z109-WS-2012-Y-manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert text == json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert (manifest["fonds"], manifest["year"], manifest["retention"], manifest["pdf_variant"]) == (
        "Z109",
        2012,
        "永久",
        "pdf/a-2b",
    )
    listed = {f["name"]: f for f in manifest["files"]}
    on_disk = {p.name for p in folder.iterdir()} - {"Z109-WS-2012-Y-manifest.json", "SHA256SUMS"}
    assert set(listed) == on_disk
    for name, entry in listed.items():
        data = (folder / name).read_bytes()
        assert (entry["sha256"], entry["bytes"]) == (hashlib.sha256(data).hexdigest(), len(data))
    for path, row in zip(_pdfs(folder), catalogue, strict=True):
        assert (listed[path.name]["pages"], listed[path.name]["archival_code"]) == (row["页数"], row["档号"])
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sums == [f"{f['sha256']}  {f['name']}" for f in manifest["files"]]


def test_rebuild_is_byte_identical_and_whole(package):
    assert "stray.txt" not in package["second"]  # the old package was replaced whole
    assert package["second"].keys() == package["first"].keys()
    changed = [n for n in package["first"] if package["first"][n] != package["second"][n]]
    assert not changed
    assert not [p for p in package["folder"].parent.iterdir() if p.name.startswith(".")]  # no stage left


def test_codes_and_retentions():
    assert archive_class("Z109", 2012, "永久", "BGS").code(5) == "Z109-WS·2012-Y-BGS-0005"  # the spec's example
    assert archive_class("Z109", 2012, "D30").code(12) == "Z109-WS·2012-D30-0012"
    assert [parse_retention(t) for t in ("Y", "定期30年", "d10")] == ["永久", "定期30年", "定期10年"]
    for bad in (("Z1/09", 2012, "永久"), ("", 2012, "永久"), ("Z109", 12, "永久"), ("Z109", 2012, "长期")):
        with pytest.raises(InputError):
            archive_class(*bad)


def test_bad_input_writes_nothing(jobs, tmp_path):
    with pytest.raises(InputError, match="未知的保管期限“长期”"):
        build_archive(jobs, tmp_path, 2012, fonds="Z109", retention="长期")
    with pytest.raises(InputError, match="没有 2015 年的文档"):
        build_archive(jobs, tmp_path, 2015, fonds="Z109", retention="永久")
    with pytest.raises(InputError, match="没有 2012 年的文档"):
        build_archive([j for j in jobs if isinstance(j, FileJob)], tmp_path, 2012, fonds="Z109", retention="永久")
    assert not list(tmp_path.iterdir())
    assert any(isinstance(j, Job) for j in jobs)


def test_cli(tmp_path):
    report = str(SAMPLES / "circulars" / "2012-31_report_example.yaml")
    result = run_cli("archive", "2012", report, "--fonds", "Z109", "--retention", "长期", "-o", str(tmp_path))
    assert result.returncode == 2 and "未知的保管期限“长期”" in result.stderr
    result = run_cli("archive", "2015", report, "--fonds", "Z109", "-o", str(tmp_path))
    assert result.returncode == 2 and "没有 2015 年的文档" in result.stderr
    result = run_cli("archive", "2012", report, "-o", str(tmp_path))
    assert result.returncode == 2 and "--fonds" in result.stderr
    assert not list(tmp_path.iterdir())
    result = run_cli("archive", "2012", report, "--fonds", "Z109", "--retention", "D10", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "1 件" in result.stdout
    folder = tmp_path / "2012" / "guidang" / "Z109-WS-2012-D10"
    check_pdfa(folder / "Z109-WS-2012-D10-0001.pdf")


def test_archive_reports_progress_per_document(tmp_path: Path) -> None:
    """The CLI's bar (shown on a terminal only, like the build's) is fed one call per
    PDF/A finished, ending at the total."""
    with allowed_roots([SAMPLES]):  # the circulars attach ../2012/*.yaml
        jobs = [j for j in plan([SAMPLES / "circulars"]) if isinstance(j, Job)]
    seen: list[tuple[int, int]] = []
    report = lambda done, total: seen.append((done, total))  # noqa: E731
    build_archive(jobs, tmp_path, 2012, fonds="Z109", retention="永久", workers=2, report=report)
    total = len(select(jobs, 2012))
    assert total >= 2 and seen == [(n, total) for n in range(1, total + 1)]


def test_an_undated_plan_is_filed_in_no_year(tmp_path: Path) -> None:
    """A plan with neither year nor date takes its file's save day for the properties;
    the archive does not file it under that day's year."""
    undated = SAMPLES / "plans" / "township_plan_undated.yaml"
    dated = SAMPLES / "plans" / "baby_friendly_hospital_plan.yaml"
    jobs = [j for j in plan([undated, dated]) if isinstance(j, Job)]
    by_title = {j.document.meta.title: j for j in jobs}
    assert len(by_title) == 2
    [undated_job] = [j for j in jobs if not j.document.meta.dated]
    saved_year = undated_job.document.meta.date.year
    assert undated_job not in select(jobs, saved_year)
    [dated_job] = [j for j in jobs if j.document.meta.dated]
    assert select(jobs, dated_job.document.meta.date.year) == [dated_job]
