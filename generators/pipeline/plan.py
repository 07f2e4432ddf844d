"""From input files to output files: find inputs, load them all, then render.

Every input is loaded and validated before the first file is written, so one bad
input leaves outputs/ untouched; each file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generators.core.errors import InputError
from generators.core.names import slug
from generators.core.safefile import allowed_roots, roots_for
from generators.core.yamlsrc import Located, read_yaml, validate
from generators.indicators.dictionary import load_dictionary
from generators.kinds.circular import CircularIn, build_circular
from generators.kinds.claims import Claims
from generators.kinds.jobs import AnyJob, Distinct, FileJob, Job
from generators.kinds.supervision_jobs import supervision_jobs
from generators.kinds.target_book import book_jobs
from generators.kinds.work_plan import load_plan, plan_document

DOCUMENT_FORMATS = ("docx", "pdf")  # what a Job renders; a FileJob writes its own
FORMATS = (*DOCUMENT_FORMATS, "xlsx")


@dataclass(frozen=True)
class Kind:
    name: str  # Chinese, for messages
    detect: Callable[[dict], bool]
    load: Callable[[Located, Claims], Sequence[AnyJob]]  # the batch's hold on the number registry


def _circular_jobs(located: Located, claims: Claims) -> list[Job]:

    spec = validate(CircularIn, located)
    with claims.numbered(spec, located) as (spec, issued):  # auto or reserved number, from the registry
        doc = build_circular(spec, located)
    relpath = Path(str(spec.date.year)) / "tongzhi" / slug(doc.meta.identifier)
    return [Job(doc, relpath, located.file, on_written=issued, distinct=(("发文机关", spec.issuer.name),))]


def _target_book_jobs(located: Located, claims: Claims) -> list[Job]:

    return book_jobs(located)


def _supervision_jobs(located: Located, claims: Claims) -> list[AnyJob]:

    return supervision_jobs(located, claims)


def _plan_jobs(located: Located, claims: Claims) -> list[AnyJob]:

    plan = load_plan(located.file, located)
    folder = Path(str(plan.year)) / "jihua" if plan.year else Path("jihua")  # undated: no year folder
    distinct = (("制定单位", plan.spec.author),)
    return [Job(plan_document(plan), folder / slug(plan.title), located.file, distinct=distinct)]


def _indicator_file_jobs(located: Located, claims: Claims) -> list[AnyJob]:
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


def load_jobs(path: Path, claims: Claims | None = None) -> list[AnyJob]:
    """The jobs of one input; numbers come from ``claims`` (default: the default registry)."""
    claims = claims or Claims()
    located = read_yaml(path)
    if not isinstance(located.data, dict):
        raise InputError("文件顶层应为一组“键: 值”", file=path, line=1)
    for kind in KINDS:
        if kind.detect(located.data):
            return list(kind.load(located, claims))
    known = "、".join(k.name for k in KINDS)
    raise InputError(f"无法判断文件类型（可处理：{known}）", file=path, line=1)


def plan(paths: Iterable[Path], registry: Path | None = None) -> list[AnyJob]:
    """Load every input; the first bad one raises before anything is written (and gives
    back the document numbers this batch took from ``registry``)."""

    jobs: list[AnyJob] = []
    paths = list(paths)
    claims = Claims(registry)
    with claims.batch(), allowed_roots(roots_for(paths)):
        for path in discover(paths):
            jobs += load_jobs(path, claims)
        seen: OutputNames = {}
        jobs = [name_output(seen, job)[0] for job in jobs]
    return jobs


OutputNames = dict[Path, tuple[Path, Distinct | None]]  # output → the input making it, its distinct (None: unknown)


def name_output(seen: OutputNames, job: AnyJob) -> tuple[AnyJob, str | None]:
    """Give ``job`` its output name: its own, or, when another input's output already has
    it (same title and year …), that name plus the first thing that tells the two apart
    (制定单位, 发文机关, 集团).  Returns the job and a note on a renaming; two inputs that
    nothing tells apart are an error, as before."""
    if job.relpath not in seen:
        seen[job.relpath] = (job.source, job.distinct)
        return job, None
    other, theirs = seen[job.relpath]
    clash = job.relpath
    for i, (label, text) in enumerate(job.distinct):
        if theirs is not None and i < len(theirs) and theirs[i] == (label, text):
            continue
        renamed = job.relpath.with_name(f"{job.relpath.stem}-{slug(text)}{job.relpath.suffix}")
        if renamed in seen:  # a third input with this name and this 制定单位: name that one
            other, clash = seen[renamed][0], renamed
            continue
        seen[renamed] = (job.source, job.distinct)
        note = f"与 {other} 生成同名文件 {job.relpath}，本文件按{label}“{text}”改名为 {renamed}"
        return replace(job, relpath=renamed), note
    words = "、".join(label for label, _ in job.distinct)
    alike = f"（{words}也相同，无法区分：请改标题，或删去重复的输入）" if words else ""
    raise InputError(f"与 {other} 生成同名文件 {clash}{alike}", file=job.source)


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
