"""The document-number registry (issue 5): no number issued twice, under concurrency,
across builds, after voiding; clear Chinese errors that leave the registry as it was."""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from golden import docx_text, pdf_text, squash

from generators.core.errors import InputError
from generators.numbers.registry import DEFAULT_NAME, NumberConflict, Registry
from generators.pipeline import plan as build

CIRCULAR = """\
文种: 通知
发文机关:
  名称: 连云港市妇幼保健集团
  代字: 连妇保集
发文字号:
  年份: 2012
  序号: {seq}
标题: {title}
主送: 市妇幼保健集团各成员单位
正文: 特此通知
署名: 连云港市妇幼保健集团
成文日期: 2012-03-01
"""


def write_input(folder: Path, name: str, seq: str | int = "auto", title: str = "关于测试登记簿的通知") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(CIRCULAR.format(seq=seq, title=title), encoding="utf-8")
    return path


def cli(*args: str, cwd: Path, registry: Path | None = None, timeout: float | None = None):
    """make_reports.py with the registry chosen here only (never the one in the checkout)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGWEN_REGISTRY")}
    # The default registry is the checkout's own (test_registry_identity checks where);
    # these tests keep theirs in the working folder they run in.
    env["GONGWEN_REGISTRY"] = str(registry if registry is not None else cwd / DEFAULT_NAME)
    if timeout is not None:
        env["GONGWEN_REGISTRY_TIMEOUT"] = str(timeout)
    return subprocess.run(
        [sys.executable, str(ROOT / "make_reports.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path) -> list[str]:
    """The registry's whole content, read without any chance of changing it."""
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def documents_under(folder: Path) -> list[str]:
    return sorted(p.name for p in files_under(folder) if p.suffix in (".docx", ".pdf"))


# --- (a) concurrency: 8 processes x 100 numbers ------------------------------------------


def _allocate_many(registry: str, worker: int, count: int) -> list[int]:
    reg = Registry(registry, timeout=120)
    return [reg.allocate("连妇保集", 2012, f"公文:w{worker}/{i}.yaml", f"标题{i}", "2012-03-01") for i in range(count)]


def test_eight_processes_get_800_distinct_numbers_without_gaps(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite3"  # not created beforehand: the workers race to create it too
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(8) as pool:
        results = pool.starmap(_allocate_many, [(str(path), w, 100) for w in range(8)])
    elapsed = time.perf_counter() - started
    seen = [n for per_worker in results for n in per_worker]
    assert sorted(seen) == list(range(1, 801)), elapsed
    assert all(r == sorted(r) and len(r) == 100 for r in results)
    entries = Registry(path).list_numbers()
    assert len({e.number for e in entries}) == 800 and entries[-1].number == "连妇保集〔2012〕800号"
    # the same key again gets its own number back, not a new one
    assert _allocate_many(str(path), 3, 5) == results[3][:5]
    print(f"8 x 100 allocations: {elapsed:.2f} s")


# --- (b) the same input keeps its number; the next input gets the next one -------------


def test_auto_number_is_stable_across_builds_and_the_next_input_gets_the_next(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_input(src, "a.yaml")
    first = cli("build", "in/a.yaml", "-o", "out1", "-f", "docx,pdf", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / DEFAULT_NAME).is_file()
    doc = tmp_path / "out1" / "2012" / "tongzhi" / "lian-fu-bao-ji-2012-1-hao"
    assert "连妇保集〔2012〕1号" in docx_text(doc.with_suffix(".docx"))
    assert "连妇保集〔2012〕1号" in squash(pdf_text(doc.with_suffix(".pdf")))

    again = cli("build", "in/a.yaml", "-o", "out2", "-f", "docx", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    second = tmp_path / "out2" / "2012" / "tongzhi" / "lian-fu-bao-ji-2012-1-hao.docx"
    assert "连妇保集〔2012〕1号" in docx_text(second)
    assert sha256(second) == sha256(doc.with_suffix(".docx"))

    write_input(src, "b.yaml", seq="自动", title="关于第二份通知的通知")
    write_input(src, "c.yaml", seq=7, title="关于明确编号的通知")
    batch = cli("build", "in", "-o", "out3", "-f", "docx", cwd=tmp_path)
    assert batch.returncode == 0, batch.stderr
    names = documents_under(tmp_path / "out3")
    # a keeps 1; b (auto) gets 2, the next after a, since c's 7 was reserved later in the batch
    assert names == [
        "lian-fu-bao-ji-2012-1-hao.docx",
        "lian-fu-bao-ji-2012-2-hao.docx",
        "lian-fu-bao-ji-2012-7-hao.docx",
    ]
    write_input(src, "d.yaml", title="关于第四份通知的通知")
    fourth = cli("build", "in/d.yaml", "-o", "out4", "-f", "docx", cwd=tmp_path)
    assert fourth.returncode == 0, fourth.stderr
    assert "连妇保集〔2012〕8号" in docx_text(tmp_path / "out4" / "2012" / "tongzhi" / "lian-fu-bao-ji-2012-8-hao.docx")

    # every written file is recorded with its SHA-256, under the input's key
    entry = Registry(tmp_path / DEFAULT_NAME).show("连妇保集〔2012〕1号")
    assert entry.key == "公文:in/a.yaml" and entry.status == "issued"
    recorded = {f.path: f.sha256 for f in entry.files}
    assert recorded == {
        str(p.relative_to(tmp_path)): sha256(p)
        for p in [*doc.parent.iterdir(), second, tmp_path / "out3" / "2012" / "tongzhi" / second.name]
    }


def test_an_explicit_number_held_by_another_input_is_refused(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite3"
    src = tmp_path / "in"
    write_input(src, "a.yaml", seq=5)
    assert cli("build", str(src / "a.yaml"), "-o", "out", "-f", "docx", cwd=tmp_path, registry=registry).returncode == 0
    clash = write_input(tmp_path / "other", "b.yaml", seq=5, title="关于另一件事的通知")
    before = dump(registry)
    result = cli("build", str(clash), "-o", "out2", "-f", "docx", cwd=tmp_path, registry=registry)
    assert result.returncode == 2
    err = result.stderr
    assert err.startswith("错误：") and "连妇保集〔2012〕5号 已由 公文:in/a.yaml" in err, err
    assert "公文:other/b.yaml" in err and str(clash) in err and "第 7 行" in err and str(registry) in err, err
    assert files_under(tmp_path / "out2") == [] and dump(registry) == before


def test_an_input_keeps_its_number_unless_voided(tmp_path: Path) -> None:
    reg = Registry(tmp_path / "reg.sqlite3")
    reg.reserve("连妇保集", 2012, 5, "公文:a.yaml", "甲", "2012-03-01")
    reg.reserve("连妇保集", 2012, 5, "公文:a.yaml", "甲（改）", "2012-03-02")  # rebuilt: fine, title refreshed
    assert reg.show("连妇保集〔2012〕5号").title == "甲（改）"
    assert reg.allocate("连妇保集", 2012, "公文:a.yaml", "甲", "2012-03-01") == 5  # switched to auto: same
    with pytest.raises(
        NumberConflict, match=r"公文:a.yaml 已登记文号 连妇保集〔2012〕5号；如要改用 连妇保集〔2012〕6号"
    ):
        reg.reserve("连妇保集", 2012, 6, "公文:a.yaml", "甲", "2012-03-01")
    assert reg.allocate("连妇保集", 2013, "公文:a.yaml", "甲", "2013-01-01") == 1  # numbers run per year
    assert reg.allocate("连妇保函", 2012, "公文:a.yaml", "甲", "2012-03-01") == 1  # and per 代字


# --- (c) a voided number is never issued again ---------------------------------------------


def test_voided_number_is_never_reissued(tmp_path: Path) -> None:
    reg = Registry(tmp_path / "reg.sqlite3")
    assert reg.allocate("连妇保集", 2012, "公文:a.yaml", "甲", "2012-03-01") == 1
    assert reg.allocate("连妇保集", 2012, "公文:b.yaml", "乙", "2012-03-01") == 2
    reg.void("连妇保集〔2012〕2号", "标题有误")  # the highest number: max + 1 must still skip it
    assert reg.allocate("连妇保集", 2012, "公文:c.yaml", "丙", "2012-03-01") == 3
    assert reg.allocate("连妇保集", 2012, "公文:b.yaml", "乙", "2012-03-01") == 4  # b's number was voided
    for key in ("公文:b.yaml", "公文:d.yaml"):
        with pytest.raises(NumberConflict, match="连妇保集〔2012〕2号 已作废（标题有误），不能再用"):
            reg.reserve("连妇保集", 2012, 2, key, "乙", "2012-03-01")
    assert [(e.seq, e.status) for e in reg.list_numbers()] == [
        (1, "issued"),
        (2, "voided"),
        (3, "issued"),
        (4, "issued"),
    ]


def test_cli_refuses_a_voided_number_in_an_input(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite3"
    a = write_input(tmp_path / "in", "a.yaml")
    assert cli("build", str(a), "-o", "out", "-f", "docx", cwd=tmp_path, registry=registry).returncode == 0
    voided = cli(
        "number", "void", "连妇保集〔2012〕1号", "--reason", "发文有误", "--registry", str(registry), cwd=tmp_path
    )
    assert voided.returncode == 0, voided.stderr
    reuse = write_input(tmp_path / "in2", "x.yaml", seq=1)
    result = cli("build", str(reuse), "-o", "out2", "-f", "docx", cwd=tmp_path, registry=registry)
    assert result.returncode == 2 and "连妇保集〔2012〕1号 已作废（发文有误），不能再用" in result.stderr, result.stderr
    assert files_under(tmp_path / "out2") == []
    rebuilt = cli("build", str(a), "-o", "out3", "-f", "docx", cwd=tmp_path, registry=registry)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert documents_under(tmp_path / "out3") == ["lian-fu-bao-ji-2012-2-hao.docx"]


def test_incremental_build_notices_a_voided_number(tmp_path: Path) -> None:
    """An unchanged input is not even read by the next build, unless a number it holds
    was voided meanwhile: then it takes the next number and its document is redone."""
    registry = tmp_path / "reg.sqlite3"
    a = write_input(tmp_path / "in", "a.yaml")
    write_input(tmp_path / "in", "b.yaml", title="关于另一件事的通知")
    build = ("build", str(tmp_path / "in"), "-o", "out", "-f", "docx")
    assert cli(*build, cwd=tmp_path, registry=registry).returncode == 0
    again = cli(*build, cwd=tmp_path, registry=registry)
    assert "生成 0 份文档" in again.stdout and "跳过 2 份" in again.stdout, again.stdout
    number_of_a = next(e.number for e in Registry(registry).list_numbers() if e.key.endswith("a.yaml"))
    assert number_of_a == "连妇保集〔2012〕1号"  # inputs are planned in name order
    voided = cli("number", "void", number_of_a, "--reason", "重发", "--registry", str(registry), cwd=tmp_path)
    assert voided.returncode == 0, voided.stderr
    rebuilt = cli(*build, cwd=tmp_path, registry=registry)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "生成 1 份文档" in rebuilt.stdout and "跳过 1 份" in rebuilt.stdout, rebuilt.stdout
    new = next(e for e in Registry(registry).list_numbers() if e.key.endswith("a.yaml") and e.status == "issued")
    assert new.seq == 3 and new.file_count == 1
    # The voided number's document is listed, not deleted; the new one carries 3号.
    assert "未删除" in rebuilt.stdout and "lian-fu-bao-ji-2012-1-hao.docx" in rebuilt.stdout, rebuilt.stdout
    assert documents_under(tmp_path / "out") == [f"lian-fu-bao-ji-2012-{n}-hao.docx" for n in (1, 2, 3)]
    assert a.read_text(encoding="utf-8").count("auto") == 1  # the input itself is untouched
    last = cli(*build, cwd=tmp_path, registry=registry)
    assert "生成 0 份文档" in last.stdout and "未删除" not in last.stdout, last.stdout


# --- a failed plan gives back the numbers it took ----------------------------------------


def test_failed_batch_gives_back_its_numbers(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite3"
    Registry(registry).reserve("连妇保集", 2012, 3, "公文:kept.yaml", "留", "2012-03-01")
    src = tmp_path / "in"
    write_input(src, "a.yaml")
    write_input(src, "b.yaml", seq=9)
    (src / "c.yaml").write_text(CIRCULAR.format(seq="auto", title="缺附件").replace("正文: 特此通知", _MISSING))
    before = dump(registry)
    with pytest.raises(InputError, match="附件文件不存在"):
        build.plan([src], registry=registry)
    assert dump(registry) == before
    assert [e.seq for e in Registry(registry).list_numbers()] == [3]
    # the same inputs once fixed: numbers taken, and kept on the next plan
    (src / "c.yaml").unlink()
    first = [j.document.header.number for j in build.plan([src], registry=registry)]
    assert first == ["连妇保集〔2012〕4号", "连妇保集〔2012〕9号"]
    assert [j.document.header.number for j in build.plan([src], registry=registry)] == first


_MISSING = "正文: 特此通知\n附件:\n  - 标题: 附件\n    文件: nope.txt"


def test_input_errors_come_before_number_clashes(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite3"
    Registry(registry).reserve("连妇保集", 2012, 5, "公文:other.yaml", "他", "2012-03-01")
    bad = tmp_path / "in" / "a.yaml"
    bad.parent.mkdir()
    bad.write_text(CIRCULAR.format(seq=5, title="甲").replace("正文: 特此通知", _MISSING), encoding="utf-8")
    with pytest.raises(InputError, match="附件文件不存在"):
        build.plan([bad], registry=registry)
    huge = write_input(tmp_path / "in", "huge.yaml", seq=10**30)
    with pytest.raises(InputError, match="序号过大") as info:
        build.plan([huge], registry=registry)
    assert info.value.field == "发文字号.序号" and info.value.line == 7
    with pytest.raises(InputError, match="超出范围"):
        Registry(registry).reserve("连妇保集", 2012, 2**63, "公文:x.yaml", "大", "2012-03-01")
    assert [e.seq for e in Registry(registry).list_numbers()] == [5]


# --- (d) locked, read-only and corrupt registries ------------------------------------------


@contextlib.contextmanager
def held_exclusively(path: Path) -> Iterator[None]:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        con.execute("ROLLBACK")
        con.close()


def test_locked_registry_is_a_clear_error_and_changes_nothing(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite3"
    assert (
        cli(
            "build",
            str(write_input(tmp_path / "in", "a.yaml")),
            "-o",
            "o1",
            "-f",
            "docx",
            cwd=tmp_path,
            registry=registry,
        ).returncode
        == 0
    )
    write_input(tmp_path / "in", "b.yaml", title="关于另一件事的通知")
    before, digest = dump(registry), sha256(registry)
    with held_exclusively(registry):
        started = time.perf_counter()
        result = cli("build", "in", "-o", "out", "-f", "docx", cwd=tmp_path, registry=registry, timeout=0.5)
        waited = time.perf_counter() - started
        listing = cli("number", "list", "--registry", str(registry), cwd=tmp_path, timeout=0.5)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("错误：") and str(registry) in result.stderr
    assert "发文登记簿正被其他程序占用，等待 0.5 秒后仍未释放" in result.stderr, result.stderr
    assert waited < 30
    assert listing.returncode == 2 and "正被其他程序占用" in listing.stderr
    assert files_under(tmp_path / "out") == []
    assert dump(registry) == before and sha256(registry) == digest


def test_corrupt_registry_is_refused_and_left_alone(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite3"
    registry.write_bytes(random.Random(5).randbytes(8192))
    digest = sha256(registry)
    write_input(tmp_path / "in", "a.yaml", seq=3)
    for args in (
        ("build", "in", "-o", "out", "-f", "docx"),
        ("number", "list", "--registry", str(registry)),
        ("number", "void", "连妇保集〔2012〕3号", "--reason", "试", "--registry", str(registry)),
    ):
        result = cli(*args, cwd=tmp_path, registry=registry)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert f"错误：文件 {registry}：文件不是发文登记簿（已损坏或不是 SQLite 数据库）" in result.stderr, (
            result.stderr
        )
    assert sha256(registry) == digest and not list(tmp_path.glob("reg.sqlite3-*"))
    assert files_under(tmp_path / "out") == []


def test_foreign_sqlite_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    registry = tmp_path / "other.sqlite3"
    con = sqlite3.connect(registry)
    con.execute("CREATE TABLE numbers (code TEXT, year INT)")
    con.commit()
    con.close()
    digest = sha256(registry)
    with pytest.raises(InputError, match="文件不是发文登记簿（数据表不符）") as info:
        Registry(registry).allocate("连妇保集", 2012, "公文:a.yaml", "甲", "2012-03-01")
    assert info.value.file == registry
    with pytest.raises(InputError, match="数据表不符"):
        Registry(registry).list_numbers()
    assert sha256(registry) == digest


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder an unprivileged user can enter (pytest's own tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="gongwen-registry-"))
    folder.chmod(0o755)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o777 if p.is_dir() else 0o666)
    shutil.rmtree(folder)


def unprivileged(action: Callable[[], object]) -> str:
    """Run ``action`` as a user that file permissions apply to (root ignores them) and
    return the message of the InputError it raised ("" when it raised none)."""
    if os.geteuid() != 0:
        try:
            action()
        except InputError as exc:
            return str(exc)
        return ""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: drop to nobody, report, never return into pytest
        os.close(read)
        try:
            os.setgid(65534)
            os.setuid(65534)
            action()
            message = ""
        except InputError as exc:
            message = str(exc)
        except BaseException as exc:
            message = f"意外的异常 {type(exc).__name__}: {exc}"
        os.write(write, message.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        message = fh.read().decode()
    os.waitpid(pid, 0)
    return message


def test_read_only_registry_file_is_a_clear_error(open_dir: Path) -> None:
    registry = open_dir / "reg.sqlite3"
    Registry(registry).reserve("连妇保集", 2012, 1, "公文:a.yaml", "甲", "2012-03-01")
    registry.chmod(0o444)
    open_dir.chmod(0o777)  # only the file is read-only
    before, digest = dump(registry), sha256(registry)
    src = write_input(open_dir / "in", "b.yaml")
    (open_dir / "in").chmod(0o755)
    src.chmod(0o644)
    message = unprivileged(lambda: Registry(registry).allocate("连妇保集", 2012, "公文:b.yaml", "乙", "2012-03-01"))
    assert message == f"文件 {registry}：发文登记簿是只读的（文件或所在文件夹不可写），无法登记文号"
    message = unprivileged(lambda: build.plan([src], registry=registry))
    assert "发文登记簿是只读的" in message, message
    # reading still works
    assert unprivileged(lambda: Registry(registry).list_numbers()) == ""
    assert dump(registry) == before and sha256(registry) == digest


def test_read_only_folder_is_a_clear_error(open_dir: Path) -> None:
    existing = open_dir / "reg.sqlite3"
    Registry(existing).reserve("连妇保集", 2012, 1, "公文:a.yaml", "甲", "2012-03-01")
    existing.chmod(0o666)  # the file itself is writable, its journal cannot be created
    before = dump(existing)
    open_dir.chmod(0o555)
    missing = open_dir / "new.sqlite3"
    message = unprivileged(lambda: Registry(missing).allocate("连妇保集", 2012, "公文:b.yaml", "乙", "2012-03-01"))
    assert message == f"文件 {missing}：无法打开或建立发文登记簿（所在文件夹不存在或不可写）"
    assert not missing.exists()
    message = unprivileged(lambda: Registry(existing).allocate("连妇保集", 2012, "公文:b.yaml", "乙", "2012-03-01"))
    assert message.startswith(f"文件 {existing}：") and "不可写" in message, message
    assert dump(existing) == before


# --- (e) the number commands ---------------------------------------------------------------


def test_number_list_show_void(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite3"
    empty = cli("number", "list", "--registry", str(registry), cwd=tmp_path)
    assert empty.returncode == 0 and "中没有文号" in empty.stdout and not registry.exists()
    write_input(tmp_path / "in", "a.yaml", title="关于甲的通知")
    write_input(tmp_path / "in", "b.yaml", seq=6, title="关于乙的通知")
    assert cli("build", "in", "-o", "out", "-f", "docx", cwd=tmp_path, registry=registry).returncode == 0

    listing = cli("number", "list", "--registry", str(registry), cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split("\t") == [
        "连妇保集〔2012〕1号",
        "有效",
        "2012-03-01",
        "关于甲的通知",
        "公文:in/a.yaml",
        "1 个文件",
    ]
    assert lines[1].startswith("连妇保集〔2012〕6号\t有效\t") and lines[2].startswith("共 2 个文号（其中已作废 0 个）")
    filtered = cli("number", "list", "--code", "连妇保集", "--year", "2013", cwd=tmp_path, registry=registry)
    assert filtered.returncode == 0 and "没有符合条件的文号" in filtered.stdout  # registry via the environment

    shown = cli("number", "show", "连妇保集[2012]6号", "--registry", str(registry), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    out = tmp_path / "out" / "2012" / "tongzhi" / "lian-fu-bao-ji-2012-6-hao.docx"
    assert (
        "文号：连妇保集〔2012〕6号\n状态：有效\n标题：关于乙的通知\n成文日期：2012-03-01\n输入：公文:in/b.yaml"
        in shown.stdout
    )
    assert f"out/2012/tongzhi/{out.name}  {out.stat().st_size} 字节  SHA-256 {sha256(out)}" in shown.stdout

    void = cli(
        "number", "void", "连妇保集〔2012〕6号", "--reason", "标题有误", "--registry", str(registry), cwd=tmp_path
    )
    assert void.returncode == 0 and "已作废 连妇保集〔2012〕6号（关于乙的通知），原因：标题有误" in void.stdout
    shown = cli("number", "show", "连妇保集〔2012〕6号", "--registry", str(registry), cwd=tmp_path)
    assert re.search(r"状态：已作废（\S+，原因：标题有误）", shown.stdout), shown.stdout
    listing = cli("number", "list", "--registry", str(registry), cwd=tmp_path)
    assert "连妇保集〔2012〕6号\t已作废" in listing.stdout and "共 2 个文号（其中已作废 1 个）" in listing.stdout

    before = dump(registry)
    for args, message in [
        (("void", "连妇保集〔2012〕6号", "--reason", "再次"), "文号 连妇保集〔2012〕6号 早已作废"),
        (("void", "连妇保集〔2012〕1号", "--reason", " "), "作废文号须写明原因"),
        (("show", "连妇保集〔2012〕99号"), f"文件 {registry}：发文登记簿中没有文号 连妇保集〔2012〕99号"),
        (("void", "连妇保集〔2012〕99号", "--reason", "无"), "发文登记簿中没有文号 连妇保集〔2012〕99号"),
        (("show", "连妇保集2012年5号"), "文号应写成“代字〔年份〕序号号”"),
    ]:
        result = cli("number", *args, "--registry", str(registry), cwd=tmp_path)
        assert result.returncode == 2 and result.stderr.startswith("错误：") and message in result.stderr, result.stderr
    assert dump(registry) == before
