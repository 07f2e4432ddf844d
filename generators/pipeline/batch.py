"""Batch builds: plan every input, skip what has not changed since the last build,
render the rest in a process pool, report progress and a summary.

Input errors stop the build before anything is written (as in ``build.plan``); a
document that fails while rendering is reported and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generators.pipeline.plan as build
from generators.core import deps, fontcache, fonts, notes
from generators.core.errors import InputError
from generators.core.output import atomic_path, os_error_message, remove_stale_parts
from generators.core.paths import DATA, FONTS, PACKAGE, TEMPLATES
from generators.core.safefile import allowed_roots, roots_for
from generators.kinds.claims import Claims
from generators.pipeline import pool

MANIFEST = ".gongwen-build.json"
MANIFEST_VERSION = 2  # 2: inputs record the document numbers they hold
# What the documents are made from besides the inputs: a change here rebuilds everything.
_CODE_GLOBS = ((PACKAGE, "**/*.py"), (DATA, "*.yaml"), (DATA, "*.txt"), (TEMPLATES, "**/*"), (FONTS, "*.conf"))
# Packages whose versions shape the output bytes, transitive ones included (pydyf writes
# the PDF objects, Pillow the images, lxml the DOCX XML, fontTools the font cache).
OUTPUT_PACKAGES = (
    "weasyprint",
    "pydyf",
    "tinycss2",
    "cssselect2",
    "pyphen",
    "fonttools",
    "pillow",
    "python-docx",
    "lxml",
    "openpyxl",
    "et-xmlfile",
    "matplotlib",
    "numpy",
    "pypinyin",
    "jinja2",
    "pypdf",
    "jieba",  # where titles and headings break
)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def code_fingerprint() -> str:
    from importlib.metadata import version

    digest = hashlib.sha256()
    for folder, pattern in _CODE_GLOBS:
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder.parent)).encode())
                digest.update(path.read_bytes())
    for package in OUTPUT_PACKAGES:
        digest.update(f"{package}={version(package)}".encode())
    # The faces in use decide the PDFs' bytes too: making the font cache (or a new glyph
    # order in it) redoes the PDFs, though they look the same.
    conf = fonts.configure()
    stamp = fontcache.CACHE / "stamp.json"
    for path in (conf, stamp) if conf == fontcache.CACHE / "fonts.conf" else (conf,):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def output_files(job: build.AnyJob, formats: Iterable[str]) -> list[Path]:
    """Relative paths a job writes for the chosen formats."""
    if isinstance(job, build.FileJob):
        return [job.relpath] if job.fmt in formats else []
    return [job.relpath.with_suffix(f".{fmt}") for fmt in formats if fmt in build.DOCUMENT_FORMATS]


def job_fingerprint(job: build.AnyJob, formats: Iterable[str]) -> str | None:
    """A digest of everything that decides the job's bytes (None: cannot tell)."""
    payload = job.document if isinstance(job, build.Job) else job.write
    try:
        data = pickle.dumps((payload, sorted(formats)), protocol=5)
    except Exception:  # a writer that cannot be pickled is simply always rebuilt
        return None
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """What the last build made: per input its dependency hashes and job fingerprints,
    per output file its SHA-256."""

    code: str = ""
    inputs: dict[str, dict] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        try:
            data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            return cls()
        return cls(data.get("code", ""), data.get("inputs", {}), data.get("files", {}))

    def save(self, out_dir: Path) -> None:
        data = {"version": MANIFEST_VERSION, "code": self.code, "inputs": self.inputs, "files": self.files}
        with atomic_path(out_dir / MANIFEST) as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")

    def intact(self, out_dir: Path, relpath: str) -> bool:
        path = out_dir / relpath
        return relpath in self.files and path.is_file() and sha256_file(path) == self.files[relpath]


@dataclass
class Planned:
    render: list[build.AnyJob]
    skipped: int  # documents unchanged since the last build
    records: dict[str, dict]  # input → {"deps", "jobs"} for the new manifest


def _deps_unchanged(record: dict) -> bool:
    for name, digest in record.get("deps", {}).items():
        path = Path(name)
        if not path.is_file() or sha256_file(path) != digest:
            return False
    return bool(record.get("deps"))


def plan_changes(
    paths: Iterable[Path],
    out_dir: Path,
    formats: list[str],
    manifest: Manifest,
    code: str,
    registry: Path | None = None,
    expand: Callable[[list[build.AnyJob]], list[build.AnyJob]] | None = None,
) -> Planned:
    """Load the inputs whose files changed; keep the rest as they are.  ``expand``
    turns an input's jobs into the ones to render (numbered copies).

    An input whose files, the code and the outputs are all unchanged is not even read.
    Within a changed input only documents whose content changed are rendered.  When an
    input is bad, the document numbers this batch took from ``registry`` are given back.
    """

    paths = list(paths)
    claims = Claims(registry)
    with claims.batch(), allowed_roots(roots_for(paths)):
        return _plan_changes(paths, out_dir, formats, manifest, code, claims, expand)


def _plan_changes(
    paths: Iterable[Path],
    out_dir: Path,
    formats: list[str],
    manifest: Manifest,
    code: str,
    claims: Claims,
    expand: Callable[[list[build.AnyJob]], list[build.AnyJob]] | None = None,
) -> Planned:

    same_code = manifest.code == code
    render: list[build.AnyJob] = []
    skipped = 0
    records: dict[str, dict] = {}
    seen_outputs: build.OutputNames = {}
    issued: frozenset[str] | None = None  # read once, when an input holds numbers
    for path in build.discover(paths):
        key = str(path.resolve())
        old = manifest.inputs.get(key, {})
        old_jobs: dict[str, dict] = old.get("jobs", {})
        if old.get("numbers") and issued is None:
            issued = claims.issued_numbers()
        if (
            same_code
            and old.get("complete")
            and _deps_unchanged(old)
            # A number voided since (``number void``): the input takes a new one, or fails.
            and set(old.get("numbers", [])) <= (issued or frozenset())
            and all(set(formats) <= set(j.get("formats", [])) for j in old_jobs.values())
            and all(manifest.intact(out_dir, f) for j in old_jobs.values() for f in j["files"])
            # A name another input took first this time: read it again, so that it is
            # renamed (or refused) exactly as in a fresh build.
            and not any(Path(rel) in seen_outputs for rel in old_jobs)
        ):
            # Not read again, but its outputs still count: a new input may not take them.
            for rel, j in old_jobs.items():
                _claim_output(seen_outputs, Path(rel), path, j.get("distinct"))
            records[key] = old
            skipped += len(old_jobs)
            continue
        with deps.recording() as read, claims.recording() as held, notes.collecting() as said:
            jobs = build.load_jobs(path, claims)
            if expand is not None:
                jobs = expand(jobs)
        record: dict[str, Any] = {
            "deps": {str(p): sha256_file(p) for p in sorted(read) if p.is_file()},
            "numbers": sorted(held),
            "notes": said,  # kept, so that an unchanged input (not read again) still shows them
            "jobs": {},
        }
        for job in jobs:
            job, renamed = build.name_output(seen_outputs, job)
            if renamed:
                record["notes"].append(str(InputError(renamed, file=job.source)))
            files = [str(f) for f in output_files(job, formats)]
            fingerprint = job_fingerprint(job, formats)
            previous = old_jobs.get(str(job.relpath), {})
            record["jobs"][str(job.relpath)] = {
                "fingerprint": fingerprint,
                "files": files,
                "formats": formats,
                "distinct": [list(pair) for pair in job.distinct],
            }
            if (
                same_code
                and fingerprint is not None
                and previous.get("fingerprint") == fingerprint
                and all(manifest.intact(out_dir, f) for f in files)
            ):
                skipped += 1
            else:
                render.append(job)
        records[key] = record
    return Planned(render, skipped, records)


def _claim_output(seen: build.OutputNames, relpath: Path, source: Path, distinct: list | None) -> None:
    """An unchanged input (not read again) keeps the names it had (checked free above)."""
    seen[relpath] = (source, None if distinct is None else tuple((str(a), str(b)) for a, b in distinct))


@dataclass(frozen=True)
class Outcome:
    relpath: str
    files: tuple[str, ...] = ()
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    fallbacks: tuple[str, ...] = ()  # characters a fallback face drew, per role (render.fonts_used.fallback_notes)


def _pages(path: Path) -> int:
    from generators.render.pdf import pages_written

    known = pages_written(path)
    if known is not None:
        return known
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def render_job(job: build.AnyJob, out_dir: Path, formats: list[str]) -> Outcome:
    """Render one job; any failure is returned, not raised, so the batch goes on."""
    started = time.perf_counter()
    try:
        written = list(build.render([job], out_dir, formats))
        pages = sum(_pages(p) for p in written if p.suffix == ".pdf")
    except InputError as exc:
        return Outcome(str(job.relpath), error=str(exc))
    except OSError as exc:
        return Outcome(str(job.relpath), error=os_error_message(exc, out_dir))
    except Exception as exc:  # a renderer crash must not take the other documents down
        return Outcome(str(job.relpath), error=f"{type(exc).__name__}: {exc}")
    finally:
        _release_memory()
    from generators.render.pdf import fallbacks_written

    files = tuple(str(p.relative_to(out_dir)) for p in written)
    notes = tuple(note for p in written if p.suffix == ".pdf" for note in fallbacks_written(p))
    return Outcome(str(job.relpath), files, pages, time.perf_counter() - started, fallbacks=notes)


def _release_memory() -> None:
    """Hand freed memory back to the system once a worker has grown past
    ``TRIM_ABOVE``: weasyprint copies whole font files per PDF and glibc keeps the freed
    pages (with the full system faces a worker grew from 288 to 378 MB over 60 PDFs).
    Trimming after every document kept it flat but cost 12 ms per one-page PDF with the
    cached faces and 47 ms with the full ones, a sixth to a quarter of the render."""
    if _LIBC is not None and _resident_bytes() > TRIM_ABOVE:
        _LIBC.malloc_trim(0)


TRIM_ABOVE = 384 * 2**20


def _resident_bytes() -> int:
    """This process's resident set; unknown (no /proc) counts as over the limit."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return TRIM_ABOVE + 1


def _load_libc():
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        return libc if libc is not None and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _load_libc()


class BatchInterrupted(Exception):
    """A batch stopped by SIGINT/SIGTERM: the documents finished before the stop."""

    def __init__(self, outcomes: list[Outcome], signum: int) -> None:
        super().__init__(signum)
        self.outcomes = outcomes
        self.signum = signum


def run(
    jobs: list[build.AnyJob],
    out_dir: Path,
    formats: list[str],
    workers: int,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Render ``jobs`` with ``workers`` processes (1: in this process), in job order.

    On SIGINT/SIGTERM (``interrupt.install``) the workers are stopped at once, the
    ``.part`` files of the unfinished documents removed, and ``BatchInterrupted``
    raised with the outcomes of the finished ones."""
    try:
        return pool.run_all(
            render_job, [(job, out_dir, formats) for job in jobs], workers, lambda i, outcome: on_done(outcome)
        )
    except pool.Interrupted as exc:
        remove_stale_parts(out_dir, recursive=True)  # the stopped workers' files
        raise BatchInterrupted([exc.finished[i] for i in sorted(exc.finished)], exc.signum) from None


def orphaned(manifest: Manifest, planned: Planned, out_dir: Path) -> list[str]:
    """Files an earlier build wrote for the inputs planned now that they no longer make
    (their number was voided, their title changed): left in place, for the user to see."""
    before = {
        f for key in planned.records for j in manifest.inputs.get(key, {}).get("jobs", {}).values() for f in j["files"]
    }
    now = {f for record in planned.records.values() for j in record["jobs"].values() for f in j["files"]}
    return sorted(f for f in before - now if (out_dir / f).is_file())


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def record(manifest: Manifest, planned: Planned, outcomes: list[Outcome], out_dir: Path, code: str) -> Manifest:
    """The manifest after this build: failed documents are left out so they are retried."""
    failed = {o.relpath for o in outcomes if o.error}
    inputs = {}
    for key, rec in planned.records.items():
        jobs = {rel: j for rel, j in rec["jobs"].items() if rel not in failed}
        inputs[key] = {**rec, "jobs": jobs, "complete": len(jobs) == len(rec["jobs"])}
    files = dict(manifest.files)
    for outcome in outcomes:
        for rel in outcome.files:
            files[rel] = sha256_file(out_dir / rel)
    live = {f for rec in inputs.values() for j in rec["jobs"].values() for f in j["files"]}
    return Manifest(code, inputs, {k: v for k, v in files.items() if k in live})
