"""Issue 14, done-when 1–3: the seeds' raw drafts import (from .txt in UTF-8, GB18030,
CRLF and BOM, and from a plain .docx typed as a clerk would) to the fields of the
hand-made sample inputs, and what they import to builds documents whose text is the
seed's."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_cli
from docx import Document as NewDocx
from golden import actual_circular, docx_text, expected_circular, expected_plan, pdf_text, seed_text, squash

from generators.document.model import Paragraph
from generators.drafts import import_draft
from generators.kinds.circular import build_circular, load_circular, text_paragraphs
from generators.kinds.target_book import book_blocks, load_book
from generators.kinds.work_plan import load_plan

SAMPLES = {
    "000": ROOT / "sample_inputs" / "circulars" / "2012-05_target_book_circular.yaml",
    "001": ROOT / "sample_inputs" / "circulars" / "2012-02_work_plan_circular.yaml",
}
PLAN_SAMPLES = {
    "001": ROOT / "sample_inputs" / "2012" / "work_plan.yaml",
    "002": ROOT / "sample_inputs" / "plans" / "baby_friendly_hospital_plan.yaml",
}
SIGNING = {"000": "二〇一二年六月二十日", "001": "二〇一二年一月二十日"}
# Fields a circular's sample states and the draft carries (署名 and 印章 are inferred).
CIRCULAR_FIELDS = ("文种", "发文机关", "发文字号", "标题", "主送", "署名", "成文日期", "日期格式", "印章",
                   "抄报", "抄送", "印发机关", "印发日期", "共印份数")  # fmt: skip


def _seed_path(seed: str) -> Path:
    return next((ROOT.parent / "shared" / "seeds").glob(f"{seed}_*.txt"))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _blocks(path: Path) -> list[tuple[int, str]]:
    """A plan's paragraphs as the build sees them: (heading level, whitespace-free text)."""
    return [(b.level, squash(b.full_text)) for b in load_plan(path).blocks]


def _imported(folder: Path) -> dict[str, Any]:
    main = next(p for p in folder.glob("*.yaml") if "_附件" not in p.name)
    return yaml.safe_load(main.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each seed imported by the CLI from its raw .txt: {seed: folder}."""
    out = {}
    for seed in ("000", "001", "002"):
        folder = tmp_path_factory.mktemp(f"import{seed}")
        result = run_cli("import", str(_seed_path(seed)), "--out", str(folder))
        assert result.returncode == 0, result.stderr
        assert "识别报告" in result.stdout
        out[seed] = folder
    return out


@pytest.fixture(scope="module")
def built(imported: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The imports built by the CLI's unchanged `build`: {seed: output folder}."""
    out = {}
    # A registry of its own: the session's already holds the sample circulars' numbers.
    env = {**os.environ, "GONGWEN_REGISTRY": str(tmp_path_factory.mktemp("registry") / "import.sqlite3")}
    for seed, folder in imported.items():
        target = tmp_path_factory.mktemp(f"built{seed}")
        result = run_cli("build", str(folder), "--out", str(target), "--quiet", env=env)
        assert result.returncode == 0, result.stderr
        out[seed] = target
    return out


@pytest.mark.parametrize("seed", ["000", "001"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_built_circular_text_equals_seed(built: dict[str, Path], seed: str, fmt: str) -> None:
    path = next((built[seed] / "2012" / "tongzhi").glob(f"*.{fmt}"))
    text = docx_text(path) if fmt == "docx" else pdf_text(path)
    ours = actual_circular(text, "连云港市妇幼保健集团文件", "连云港市妇幼保健集团", SIGNING[seed])
    assert ours == expected_circular(seed)


def test_built_plan_text_equals_seed(built: dict[str, Path]) -> None:
    path = next(built["002"].rglob("*.docx"))
    assert squash(docx_text(path)) == expected_plan("002")


@pytest.mark.parametrize("seed", ["000", "001"])
def test_circular_fields_equal_sample(imported: dict[str, Path], seed: str) -> None:
    ours = _imported(imported[seed])
    sample = yaml.safe_load(SAMPLES[seed].read_text(encoding="utf-8"))
    for key in CIRCULAR_FIELDS:
        mine, theirs = ours.get(key), sample.get(key)
        if key in ("成文日期", "印发日期"):
            mine, theirs = str(mine), str(theirs)
        if key in ("标题", "抄报", "抄送"):
            mine, theirs = _as_list(mine), _as_list(theirs)
        assert mine == theirs, key
    assert ours["正文"] == sample["正文"].splitlines()
    assert [a["标题"] for a in ours["附件"]] == [a["标题"] for a in sample["附件"]]
    assert [a.get("标题分行") for a in ours["附件"]] == [a.get("标题分行") for a in sample["附件"]]


def test_plan_attachment_equals_sample(imported: dict[str, Path]) -> None:
    """Seed 001's attachment is a structured plan: every heading at the sample's level,
    every paragraph the sample's, numbering styles as in the source."""
    ours = next(imported["001"].glob("*_附件1_工作计划.yaml"))
    assert _imported(imported["001"])["附件"][0]["文件"] == ours.name
    assert _blocks(ours) == _blocks(PLAN_SAMPLES["001"])
    plan = yaml.safe_load(ours.read_text(encoding="utf-8"))
    assert plan["编号"] == {"三级": "1、", "四级": "⑴"}
    assert plan["标题"] == "连云港市妇幼保健集团2012年工作计划"


def test_standalone_plan_equals_sample(imported: dict[str, Path]) -> None:
    """Seed 002 (a plan pasted from a web page) imports as the sample plan, its
    评价指标 as indicators with targets; 制定单位 and 日期 are not in the draft."""
    ours = next(imported["002"].glob("*.yaml"))
    plan = yaml.safe_load(ours.read_text(encoding="utf-8"))
    sample = yaml.safe_load(PLAN_SAMPLES["002"].read_text(encoding="utf-8"))
    assert plan["标题"] == sample["标题"]
    assert plan["编号"] == sample["编号"]
    assert plan["章节"][-1]["指标"] == sample["章节"][-1]["指标"]
    assert _blocks(ours) == _blocks(PLAN_SAMPLES["002"])
    report = next(imported["002"].glob("*_识别报告.md")).read_text(encoding="utf-8")
    assert "请填写制定单位" in report and "网页杂项" in report


def test_report_lists_parts_with_lines(imported: dict[str, Path]) -> None:
    report = next(imported["000"].glob("*_识别报告.md")).read_text(encoding="utf-8")
    lines = seed_text("000").splitlines()
    number_line = next(i for i, t in enumerate(lines, 1) if "〔2012〕5号" in t)
    assert f"| 发文字号 | 连妇保集〔2012〕5号 | 第 {number_line} 行 |" in report
    date_line = next(i for i, t in enumerate(lines, 1) if t.strip() == "二〇一二年六月二十日")
    assert f"| 成文日期 | 2012年6月20日 | 第 {date_line} 行 |" in report
    assert "“PAGE”" in report  # the residue line dropped
    assert "二○一二年" in report and "→" in report  # ○ → 〇 shown with its line
    assert "需要核对" in report and "署名" in report  # the inferred signature is flagged
    # Targets of known indicators in the (text) attachment are listed, their wording kept.
    line = next(i for i, t in enumerate(lines, 1) if "孕产妇保健管理率达95%" in t)
    assert f"- 第 {line} 行：孕产妇保健管理率达95%" in report
    assert "责任书的结构化导入尚未实现" in report


# -- the same drafts in other encodings and as a .docx ---------------------------------


def _fields(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The main YAML's values and each attachment YAML's."""
    data = _imported(folder)
    plans = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*_附件*.yaml"))]
    return data, plans


@pytest.mark.parametrize("seed", ["000", "001", "002"])
@pytest.mark.parametrize("variant", ["gb18030", "crlf", "bom"])
def test_encodings_import_alike(imported: dict[str, Path], tmp_path: Path, seed: str, variant: str) -> None:
    text = seed_text(seed)
    raw = {
        "gb18030": text.encode("gb18030"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
    }[variant]
    assert raw != text.encode("utf-8")
    draft = tmp_path / f"草稿_{variant}.txt"
    draft.write_bytes(raw)
    import_draft(draft, tmp_path / "out")
    assert _fields(tmp_path / "out") == _fields(imported[seed])


def _typed_docx(seed: str, path: Path) -> None:
    """The seed typed into Word as a clerk would: one paragraph a line, no styles,
    leading spaces kept where the clerk typed them, blank lines as empty paragraphs."""
    document = NewDocx()
    for line in seed_text(seed).splitlines():
        document.add_paragraph(line)
    document.save(str(path))


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_docx_imports_alike(imported: dict[str, Path], tmp_path: Path, seed: str) -> None:
    draft = tmp_path / "草稿.docx"
    _typed_docx(seed, draft)
    result = import_draft(draft, tmp_path / "out")
    assert _fields(tmp_path / "out") == _fields(imported[seed])
    assert "第 1 段" in result.report.read_text(encoding="utf-8") or seed == "002"


def test_docx_runs_and_tabs(tmp_path: Path) -> None:
    """Text split over runs (as Word and WPS save it) and a tab before the 印发 date."""
    document = NewDocx()
    for line in seed_text("001").splitlines():
        p = document.add_paragraph()
        head, sep, tail = line.partition("\t")
        for k in range(0, len(head), 3):
            p.add_run(head[k : k + 3]).bold = k % 2 == 0
        if sep:
            p.add_run().add_tab()
            p.add_run(tail)
    document.save(str(tmp_path / "runs.docx"))
    result = import_draft(tmp_path / "runs.docx", tmp_path / "out")
    assert result.fields["发文字号"] == {"年份": 2012, "序号": 2}
    assert result.fields["印发机关"] == "连云港市妇幼保健集团办公室"


def test_stdin(tmp_path: Path) -> None:
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, str(ROOT / "make_reports.py"), "import", "-", "--out", str(tmp_path)],
        input=seed_text("001").encode("gb18030"),
        capture_output=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    data = _imported(tmp_path)
    assert data["发文字号"] == {"年份": 2012, "序号": 2}
    spec, located = load_circular(next(p for p in tmp_path.glob("*.yaml") if "_附件" not in p.name))
    assert build_circular(spec, located).header.number == "连妇保集〔2012〕2号"


def test_book_attachment_paragraphs_equal_sample_book(imported: dict[str, Path]) -> None:
    """Seed 000's responsibility book comes in as a text attachment (structured import of
    books is not done); its paragraphs and heading levels are those of the sample book,
    and its signature line names the book's parties."""
    book_yaml = ROOT / "sample_inputs" / "2012" / "target_book.yaml"
    book = [(b.level, squash(b.full_text)) for b in book_blocks(load_book(book_yaml)) if isinstance(b, Paragraph)]
    ours = [(p.level, squash(p.full_text)) for p in text_paragraphs(_imported(imported["000"])["附件"][0]["正文"])]
    assert ours[: len(book)] == book
    signature = ours[len(book)][1]
    parties = yaml.safe_load(book_yaml.read_text(encoding="utf-8"))["签字"]
    assert signature == "".join(f"{party}签字：" for party in parties)
