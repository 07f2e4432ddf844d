"""From input files to output files: find inputs, load them all, then render.

Every input is loaded and validated before the first file is written, so one bad
input leaves outputs/ untouched; each file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generators.core.errors import InputError
from generators.core.names import slug
from generators.core.safefile import allowed_roots, roots_for
from generators.core.yamlsrc import Located, read_yaml, validate
from generators.indicators.dictionary import load_dictionary
from generators.kinds.circular import CircularIn, build_circular
from generators.kinds.claims import batch, numbered
from generators.kinds.jobs import AnyJob, FileJob, Job
from generators.kinds.supervision_jobs import supervision_jobs
from generators.kinds.target_book import book_jobs
from generators.kinds.work_plan import load_plan, plan_document

DOCUMENT_FORMATS = ("docx", "pdf")  # what a Job renders; a FileJob writes its own
FORMATS = (*DOCUMENT_FORMATS, "xlsx")


@dataclass(frozen=True)
class Kind:
    name: str  # Chinese, for messages
    detect: Callable[[dict], bool]
    load: Callable[[Located], Sequence[AnyJob]]


def _circular_jobs(located: Located) -> list[Job]:

    spec = validate(CircularIn, located)
    with numbered(spec, located) as (spec, issued):  # auto or reserved number, from the registry
        doc = build_circular(spec, located)
    relpath = Path(str(spec.date.year)) / "tongzhi" / slug(doc.meta.identifier)
    return [Job(doc, relpath, located.file, on_written=issued)]


def _target_book_jobs(located: Located) -> list[Job]:

    return book_jobs(located)


def _supervision_jobs(located: Located) -> list[AnyJob]:

    return supervision_jobs(located)


def _plan_jobs(located: Located) -> list[AnyJob]:

    plan = load_plan(located.file, located)
    folder = Path(str(plan.date.year if plan.spec.year is None else plan.spec.year)) / "jihua"
    return [Job(plan_document(plan), folder / slug(plan.title), located.file)]


def _indicator_file_jobs(located: Located) -> list[AnyJob]:
    """An indicator file (指标文件) found in an input folder: checked, no documents of its
    own (the book or plan that names it uses it)."""
    load_dictionary(located.file)
    return []


def _is_indicator_file(data: dict) -> bool:
    return bool(data) and set(data) <= {"counts", "indicators"}


KINDS: list[Kind] = [
    Kind("工作计划", lambda data: "章节" in data, _plan_jobs),
    Kind("季度督导通报", lambda data: "季度" in data and "责任书" in data, _supervision_jobs),
    Kind("公文（通知等）", lambda data: "发文字号" in data, _circular_jobs),
    # A book, or the member-units file it names (checked, no documents of its own).
    Kind(
        "目标管理责任书",
        lambda data: "工作任务及目标" in data or isinstance(data.get("成员单位"), list),
        _target_book_jobs,
    ),
    Kind("指标文件", _is_indicator_file, _indicator_file_jobs),
]


def discover(paths: Iterable[Path]) -> list[Path]:
    """YAML inputs named on the command line, or found under folders."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        elif path.exists():
            found.append(path)
        else:
            raise InputError("文件或文件夹不存在", file=path)
    return found


def load_jobs(path: Path) -> list[AnyJob]:
    located = read_yaml(path)
    if not isinstance(located.data, dict):
        raise InputError("文件顶层应为一组“键: 值”", file=path, line=1)
    for kind in KINDS:
        if kind.detect(located.data):
            return list(kind.load(located))
    known = "、".join(k.name for k in KINDS)
    raise InputError(f"无法判断文件类型（可处理：{known}）", file=path, line=1)


def plan(paths: Iterable[Path], registry: Path | None = None) -> list[AnyJob]:
    """Load every input; the first bad one raises before anything is written (and gives
    back the document numbers this batch took from ``registry``)."""

    jobs: list[AnyJob] = []
    seen: dict[Path, Path] = {}
    paths = list(paths)
    with batch(registry), allowed_roots(roots_for(paths)):
        for path in discover(paths):
            jobs += load_jobs(path)
        for job in jobs:
            if job.relpath in seen:
                raise InputError(f"与 {seen[job.relpath]} 生成同名文件 {job.relpath}", file=job.source)
            seen[job.relpath] = job.source
    return jobs


def render(jobs: list[AnyJob], out_dir: Path, formats: Iterable[str] = FORMATS) -> Iterator[Path]:
    # Imported on first use, not at planning: weasyprint and python-docx take a while to
    # load, and weasyprint must come after fontconfig is pointed at the project's fonts.
    from generators.render.docx import write_docx
    from generators.render.pdf import write_pdf

    writers = {"docx": write_docx, "pdf": write_pdf}
    formats = list(formats)
    for job in jobs:
        if isinstance(job, FileJob):
            if job.fmt in formats:
                yield job.write(out_dir / job.relpath)
            continue
        written: list[Path] = []
        for fmt in (f for f in formats if f in writers):
            written.append(writers[fmt](job.document, out_dir / job.relpath.with_suffix(f".{fmt}")))
            yield written[-1]
        if job.on_written and written:
            job.on_written(written)
