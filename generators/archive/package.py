"""The archive package of one year (DA/T 22-2015, see shared spec archiving.md).

Every document of the year becomes one 件: a PDF/A file named after its 档号, listed in
the 归档文件目录 (XLSX) and in a SHA-256 manifest.  Everything is checked before the
first PDF is laid out, the package is built in a hidden folder beside its final place
and swapped in whole, and its bytes depend only on the inputs (no clock).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from generators.archive.files import pages, write_catalogue, write_manifest
from generators.archive.model import RETENTIONS, ArchiveClass, Item, file_stem
from generators.core import interrupt
from generators.core.errors import InputError
from generators.core.safefile import allowed_roots
from generators.document.model import Document
from generators.kinds.jobs import AnyJob, Job
from generators.pipeline.plan import plan
from generators.pipeline.pool import Interrupted as PoolInterrupted
from generators.pipeline.pool import run_all

Progress = Callable[[int, int], None]  # (documents done, documents in all)

FOLDER = "guidang"  # out_dir/<year>/guidang/<class>/
_CODE = re.compile(r"[A-Za-z0-9]{1,16}")
_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")


def parse_retention(text: str) -> str:
    """保管期限 by name or code (永久 / Y, 定期30年 / D30, 定期10年 / D10) → its name."""
    wanted = text.strip()
    for name, code in RETENTIONS.items():
        if wanted in (name, code, code.lower()):
            return name
    choices = "、".join(f"{n}（{c}）" for n, c in RETENTIONS.items())
    raise InputError(f"未知的保管期限“{text}”；可选：{choices}", field="保管期限")


def archive_class(fonds: str, year: int, retention: str, organ: str | None = None) -> ArchiveClass:
    """Check the class fields; they become file names, so only letters and digits."""
    if not _CODE.fullmatch(fonds or ""):
        raise InputError(f"全宗号应为 1～16 位字母或数字，如 Z109；实际是“{fonds}”", field="全宗号")
    if organ is not None and not _CODE.fullmatch(organ):
        raise InputError(f"机构（问题）代码应为 1～16 位字母或数字，如 BGS；实际是“{organ}”", field="机构")
    if not 1000 <= year <= 9999:
        raise InputError(f"年度应为四位数字，如 2012；实际是“{year}”", field="年度")
    return ArchiveClass(fonds, year, parse_retention(retention), organ)


def _attachment_titles(doc: Document) -> set[str]:
    return {"".join(a.title_lines) for a in doc.attachments}


def select(jobs: Iterable[AnyJob], year: int) -> list[Job]:
    """The documents of ``year``: by signing date (成文日期), as DA/T 22-2015 files a
    document that spans years, a plan or a summary in the year it was signed.  A
    document already printed as another one's attachment is part of that 件 (正文、附件
    为一件) and not filed again.  An undated document (a plan template) is filed in no year."""
    docs = [j for j in jobs if isinstance(j, Job) and j.document.meta.dated and j.document.meta.date.year == year]
    attached = set().union(*(_attachment_titles(j.document) for j in docs))
    return [j for j in docs if j.document.meta.title not in attached]


def _number_key(doc: Document) -> tuple[int, int, str] | None:
    number = doc.header.number if doc.header else ""
    m = _NUMBER.search(number)
    return (int(m[1]), int(m[2]), number) if m else None


def arrange(jobs: list[Job]) -> list[Job]:
    """DA/T 22-2015 5.3: by 事由 together with time.  Documents made from one input on
    one day are one matter (a 通报 and its feedback sheets, the books of one year) and
    stay together; matters go by date, then 文号; inside a matter numbered documents
    come first by 文号, the rest in the order their input gives (the member units)."""
    groups: dict[tuple, list[tuple[tuple, Job]]] = {}
    for index, job in enumerate(jobs):
        key = _number_key(job.document)
        rank = (0, *key, index) if key else (1, 0, 0, "", index)
        groups.setdefault((job.document.meta.date, str(job.source)), []).append((rank, job))
    for members in groups.values():
        members.sort(key=lambda member: member[0])

    def matter(item: tuple[tuple, list[tuple[tuple, Job]]]) -> tuple:
        (date, source), members = item
        rank, lead = members[0]
        return (date, rank[:4], lead.document.meta.title, source)

    return [job for _, members in sorted(groups.items(), key=matter) for _, job in members]


def number(jobs: list[Job], cls: ArchiveClass) -> list[Item]:
    return [Item(n, cls.code(n), job.document) for n, job in enumerate(arrange(jobs), start=1)]


def fonds_name_of(items: list[Item]) -> str:
    """The most frequent 责任者 (ties: the first in 件号 order)."""
    # most_common keeps first-seen order among equal counts.
    return Counter(item.document.meta.author for item in items).most_common(1)[0][0]


def _render(doc: Document, target: Path) -> None:
    from generators.render.pdf import write_pdfa

    write_pdfa(doc, target)


def _render_all(items: list[Item], folder: Path, workers: int, report: Progress) -> None:
    done = 0

    def finished(index: int, result: object) -> None:
        nonlocal done
        done += 1
        report(done, len(items))

    try:
        run_all(_render, [(item.document, folder / item.filename) for item in items], workers, finished)
    except PoolInterrupted as exc:  # the package is staged: nothing half-made stays
        raise interrupt.Interrupted(exc.signum) from None


def build_archive(
    jobs: Iterable[AnyJob],
    out_dir: Path,
    year: int,
    *,
    fonds: str,
    retention: str,
    fonds_name: str | None = None,
    organ: str | None = None,
    workers: int = 1,
    report: Progress = lambda done, total: None,
) -> Path:
    """Write the archive package of ``year`` to ``out_dir/<year>/guidang/<class>/`` and
    return that folder; an existing package of the same class is replaced whole."""

    cls = archive_class(fonds, year, retention, organ)
    jobs = list(jobs)
    chosen = select(jobs, year)
    if not chosen:
        years = sorted({j.document.meta.date.year for j in jobs if isinstance(j, Job)})
        have = f"（输入中的文档属于：{'、'.join(map(str, years))} 年）" if years else "（输入中没有文档）"
        raise InputError(f"没有 {year} 年的文档{have}")
    items = number(chosen, cls)
    name = fonds_name or fonds_name_of(items)
    final = Path(out_dir) / str(year) / FOLDER / file_stem(cls.prefix)
    final.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent))
    try:
        _render_all(items, stage, workers, report)
        counts = [pages(stage / item.filename) for item in items]
        catalogue = write_catalogue(stage, cls, items, counts, fonds_name=name)
        write_manifest(stage, cls, items, counts, catalogue, fonds_name=name)
        os.chmod(stage, 0o755)
        _swap(stage, final)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return final


def _swap(stage: Path, final: Path) -> None:
    """Put the new package in place of the old one (two renames; the old one is kept
    until the new one is there)."""
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    if final.exists():
        final.rename(old)
    stage.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def archive_inputs(
    inputs: Sequence[Path],
    out_dir: Path,
    year: int,
    *,
    fonds: str,
    retention: str = "永久",
    fonds_name: str | None = None,
    organ: str | None = None,
    registry: Path | None = None,
    allow: Sequence[Path] = (),
    workers: int = 1,
    report: Progress = lambda done, total: None,
) -> Path:
    """The archive package of ``year`` from input files or folders: every input is
    planned (numbers from ``registry``, names confined as in a build), then packaged."""
    archive_class(fonds, year, retention, organ)  # a bad class is reported before the inputs are read
    with allowed_roots(list(allow)):
        jobs = plan(inputs, registry)
    return build_archive(
        jobs, out_dir, year, fonds=fonds, retention=retention, fonds_name=fonds_name, organ=organ,
        workers=workers, report=report,
    )  # fmt: skip
