"""The document-number registry (发文登记簿): an embedded SQLite file that makes sure an
office never issues two documents with one number.

Where: ``$GONGWEN_REGISTRY``, else ``gongwen-registry.sqlite3`` in the current folder.
Every call opens its own short connection (safe across fork and between processes);
writes run in ``BEGIN IMMEDIATE`` with a busy timeout (``$GONGWEN_REGISTRY_TIMEOUT``
seconds, default 5), so concurrent builds take numbers one after another.

A number row is identified by (code, year, seq); ``key`` says which input holds it
(the input's path relative to the registry folder when possible, plus the document
kind). One input holds at most one live number per code and year; a voided number
stays in the table for good, so ``max(seq) + 1`` never hands it out again.

``created``/``voided``/``recorded`` are clock times (UTC): the registry is a log, not
an output, so it does not need to be reproducible; nothing printed reads them.

Every failure is an ``InputError`` in Chinese naming the registry file, raised before
any change (a failed transaction is rolled back).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generators.core.errors import InputError
from generators.core.paths import registry_path
from generators.numbers.format import document_number, parse_number

DEFAULT_NAME = "gongwen-registry.sqlite3"
ENV_PATH = "GONGWEN_REGISTRY"
ENV_TIMEOUT = "GONGWEN_REGISTRY_TIMEOUT"
DEFAULT_TIMEOUT = 5.0
SCHEMA_VERSION = 1

_SCHEMA = (
    """CREATE TABLE numbers (
        code TEXT NOT NULL,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL CHECK (seq > 0),
        number TEXT NOT NULL UNIQUE,
        key TEXT NOT NULL,
        title TEXT NOT NULL,
        date TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'voided')),
        void_reason TEXT,
        created TEXT NOT NULL,
        voided TEXT,
        PRIMARY KEY (code, year, seq)
    )""",
    # One live number per input, code and year; voided rows keep their key as history.
    "CREATE UNIQUE INDEX numbers_live_key ON numbers (code, year, key) WHERE status = 'issued'",
    """CREATE TABLE files (
        number TEXT NOT NULL REFERENCES numbers (number),
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        recorded TEXT NOT NULL,
        PRIMARY KEY (number, path)
    )""",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
_COLUMNS = {
    "numbers": {"code", "year", "seq", "number", "key", "title", "date", "status", "void_reason", "created", "voided"},
    "files": {"number", "path", "sha256", "bytes", "recorded"},
}
STATUS_TEXT = {"issued": "有效", "voided": "已作废"}


class NumberConflict(InputError):
    """The number asked for is held by another input or voided (the input is at fault)."""


@dataclass(frozen=True)
class FileRecord:
    path: str
    sha256: str
    bytes: int
    recorded: str


@dataclass(frozen=True)
class Entry:
    number: str
    code: str
    year: int
    seq: int
    key: str
    title: str
    date: str
    status: str
    void_reason: str | None
    created: str
    voided: str | None
    files: tuple[FileRecord, ...] = ()  # filled by show(), not by list_numbers()
    file_count: int = 0


@dataclass(frozen=True)
class Claim:
    """A number held by ``key``; ``new`` when this call created the row."""

    code: str
    year: int
    seq: int
    key: str
    new: bool

    @property
    def number(self) -> str:
        return document_number(self.code, self.year, self.seq)


def default_path() -> Path:
    return registry_path()


def _default_timeout() -> float:
    text = os.environ.get(ENV_TIMEOUT)
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"环境变量 {ENV_TIMEOUT} 应为秒数，实际是“{text}”") from None
    return max(value, 0.0)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Registry:
    """One registry file. Cheap to create; every method opens and closes its connection."""

    def __init__(self, path: Path | str | None = None, timeout: float | None = None) -> None:
        self.path = Path(os.path.abspath(path if path is not None else default_path()))
        self.timeout = _default_timeout() if timeout is None else timeout

    # --- connections --------------------------------------------------------------------

    def _error(self, exc: sqlite3.Error) -> InputError:
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            msg = f"发文登记簿正被其他程序占用，等待 {self.timeout:g} 秒后仍未释放，请稍后再试（未作任何改动）"
        elif code == sqlite3.SQLITE_READONLY:
            msg = "发文登记簿是只读的（文件或所在文件夹不可写），无法登记文号"
        elif code == sqlite3.SQLITE_CANTOPEN:
            msg = "无法打开或建立发文登记簿（所在文件夹不存在或不可写）"
        elif code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            msg = "文件不是发文登记簿（已损坏或不是 SQLite 数据库），未作任何改动；请检查该文件或另指定登记簿"
        elif code == sqlite3.SQLITE_FULL:
            msg = "磁盘已满，无法写入发文登记簿"
        else:
            msg = f"读写发文登记簿出错（{exc}）"
        return InputError(msg, file=self.path)

    def _open(self, write: bool) -> sqlite3.Connection:
        if write:
            if not self.path.parent.is_dir() and self.path == default_path():
                self.path.parent.mkdir(parents=True, exist_ok=True)  # the user's data folder, first use
            if not self.path.parent.is_dir():
                raise InputError("发文登记簿所在的文件夹不存在", file=self.path)
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        else:
            # Read-only opening never creates or changes the file (list/show, dumps).
            con = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=self.timeout, isolation_level=None)
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def _check_schema(self, con: sqlite3.Connection, create: bool) -> bool:
        """True when the schema is ours; False for an empty file (only allowed if not ``create``)."""
        version = con.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and not tables:
            if create:
                for statement in _SCHEMA:  # not executescript(): that would commit the caller's transaction
                    con.execute(statement)
                return True
            return False
        if version > SCHEMA_VERSION:
            raise InputError(f"发文登记簿的格式版本 {version} 比本程序新，请升级本程序", file=self.path)
        for table, columns in _COLUMNS.items():
            have = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
            if version != SCHEMA_VERSION or have != columns:
                raise InputError(
                    "文件不是发文登记簿（数据表不符），未作任何改动；请检查该文件或另指定登记簿", file=self.path
                )
        return True

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all or nothing, one writer at a time."""
        try:
            con = self._open(write=True)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            # Read the header first: a foreign file fails here, before any lock or journal.
            con.execute("PRAGMA user_version").fetchone()
            con.execute("BEGIN IMMEDIATE")
            self._check_schema(con, create=True)
            yield con
            con.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        finally:
            if con.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # keep the first error
                    con.execute("ROLLBACK")
            con.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A read-only connection, or None when there is no registry yet."""
        if not self.path.exists():
            yield None
            return
        try:
            con = self._open(write=False)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            yield con if self._check_schema(con, create=False) else None
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        finally:
            con.close()

    # --- numbers ------------------------------------------------------------------------

    def claim(
        self, code: str, year: int, key: str, title: str, date: str, seq: int | None = None, *, kind: str | None = None
    ) -> Claim:
        """Hold a number for ``key``: the next free one (``seq=None``), or ``seq``.  With
        ``kind`` (the key's prefix, see ``key_for``) a number the same document held under
        a file that is gone (renamed, moved) passes to ``key``."""
        if seq is not None and not 0 < seq < 2**63:
            raise NumberConflict(f"序号 {seq} 超出范围", file=self.path)
        with self._writing() as con:
            live = con.execute(
                "SELECT seq FROM numbers WHERE code = ? AND year = ? AND key = ? AND status = 'issued'",
                (code, year, key),
            ).fetchone()
            moved = self._moved(con, code, year, kind, title, date) if live is None and kind else None
            if moved is not None:
                # The input was renamed or moved: its document keeps its number.
                con.execute("UPDATE numbers SET key = ? WHERE number = ?", (key, moved[1]))
                live = (moved[0],)
            if seq is None and live:
                seq = live[0]
            elif seq is None:
                seq = con.execute(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM numbers WHERE code = ? AND year = ?", (code, year)
                ).fetchone()[0]
            else:
                self._check_free(con, code, year, seq, key, live[0] if live else None)
            number = document_number(code, year, seq)
            if live and live[0] == seq:
                # The same input built again: keep the number, refresh what it is about.
                con.execute(
                    "UPDATE numbers SET title = ?, date = ? WHERE number = ? AND (title != ? OR date != ?)",
                    (title, date, number, title, date),
                )
                return Claim(code, year, seq, key, new=False)
            con.execute(
                "INSERT INTO numbers (code, year, seq, number, key, title, date, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (code, year, seq, number, key, title, date, _now()),
            )
            return Claim(code, year, seq, key, new=True)

    def _moved(
        self, con: sqlite3.Connection, code: str, year: int, kind: str, title: str, date: str
    ) -> tuple[int, str] | None:
        """(seq, number) held for the same document (kind, title, 成文日期) by an input
        file that no longer exists: the document is the same, its file was renamed."""
        prefix = f"{kind}:"
        rows = con.execute(
            "SELECT seq, number, key FROM numbers WHERE code = ? AND year = ? AND title = ? AND date = ?"
            " AND status = 'issued' AND substr(key, 1, ?) = ?",
            (code, year, title, date, len(prefix), prefix),
        ).fetchall()
        gone = [(seq, number) for seq, number, old in rows if not self._source_of(old[len(prefix) :]).exists()]
        return gone[0] if len(gone) == 1 else None  # two such files: which one is it? leave both

    def _source_of(self, relative: str) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else self.path.parent / path

    def _check_free(self, con: sqlite3.Connection, code: str, year: int, seq: int, key: str, live: int | None) -> None:
        number = document_number(code, year, seq)
        row = con.execute(
            "SELECT key, title, status, void_reason FROM numbers WHERE code = ? AND year = ? AND seq = ?",
            (code, year, seq),
        ).fetchone()
        if row and row[2] == "voided":
            raise NumberConflict(f"文号 {number} 已作废（{row[3]}），不能再用", file=self.path)
        if row and row[0] != key:
            raise NumberConflict(f"文号 {number} 已由 {row[0]}（{row[1]}）使用，{key} 不能再用", file=self.path)
        if not row and live is not None:
            held = document_number(code, year, live)
            raise NumberConflict(
                f"{key} 已登记文号 {held}；如要改用 {number}，请先作废原文号"
                f"（make_reports.py number void {held} --reason 原因）",
                file=self.path,
            )

    def allocate(self, code: str, year: int, key: str, title: str, date: str) -> int:
        """The number ``key`` already holds for (code, year), else max(seq) + 1 (voided included)."""
        return self.claim(code, year, key, title, date).seq

    def reserve(self, code: str, year: int, seq: int, key: str, title: str, date: str) -> None:
        """Record an explicit number for ``key``; NumberConflict if another input holds it or it is voided."""
        self.claim(code, year, key, title, date, seq)

    def release(self, claim: Claim) -> None:
        """Give back a number taken by a build that then failed (only if still unused)."""
        with self._writing() as con:
            con.execute(
                "DELETE FROM numbers WHERE number = ? AND key = ? AND status = 'issued'"
                " AND NOT EXISTS (SELECT 1 FROM files WHERE files.number = numbers.number)",
                (claim.number, claim.key),
            )

    def record_files(self, number: str, files: Iterable[tuple[Path | str, str, int]]) -> None:
        """Remember the files written for ``number``: (path, sha256, bytes) each."""
        rows = [(number, self._relative(Path(p)), digest, size, _now()) for p, digest, size in files]
        with self._writing() as con:
            self._row(con, number)
            con.executemany(
                "INSERT INTO files (number, path, sha256, bytes, recorded) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (number, path) DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes,"
                " recorded = excluded.recorded",
                rows,
            )

    def _relative(self, path: Path) -> str:
        path = path.resolve()
        try:
            return path.relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def key_for(self, source: Path, kind: str) -> str:
        """What identifies an input: its path (relative to the registry folder if inside it) and kind."""
        return f"{kind}:{self._relative(source)}"

    # --- looking up ---------------------------------------------------------------------

    _FIELDS = "number, code, year, seq, key, title, date, status, void_reason, created, voided"

    def _row(self, con: sqlite3.Connection, number: str) -> Entry:
        row = con.execute(f"SELECT {self._FIELDS} FROM numbers WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise InputError(f"发文登记簿中没有文号 {number}", file=self.path)
        files = con.execute(
            "SELECT path, sha256, bytes, recorded FROM files WHERE number = ? ORDER BY path", (number,)
        ).fetchall()
        # The row holds the fields before files and file_count (_FIELDS), which mypy cannot count.
        return Entry(*row, files=tuple(FileRecord(*f) for f in files), file_count=len(files))  # type: ignore[misc]

    def list_numbers(self, code: str | None = None, year: int | None = None) -> list[Entry]:
        with self._reading() as con:
            if con is None:
                return []
            rows = con.execute(
                f"SELECT {self._FIELDS} FROM numbers WHERE (?1 IS NULL OR code = ?1) AND (?2 IS NULL OR year = ?2)"
                " ORDER BY code, year, seq",
                (code, year),
            ).fetchall()
            counts = dict(con.execute("SELECT number, COUNT(*) FROM files GROUP BY number").fetchall())
        return [Entry(*r, file_count=counts.get(r[0], 0)) for r in rows]  # type: ignore[misc]

    def issued_numbers(self) -> frozenset[str]:
        """Every number now issued (not voided); empty when there is no registry yet."""
        with self._reading() as con:
            if con is None:
                return frozenset()
            return frozenset(n for (n,) in con.execute("SELECT number FROM numbers WHERE status = 'issued'"))

    def show(self, number_text: str) -> Entry:
        number = document_number(*parse_number(number_text))
        with self._reading() as con:
            if con is None:
                raise InputError(f"发文登记簿还不存在，其中没有文号 {number}", file=self.path)
            return self._row(con, number)

    def void(self, number_text: str, reason: str) -> Entry:
        """Mark a number voided for good: it is never handed out or accepted again."""
        number = document_number(*parse_number(number_text))
        if not reason.strip():
            raise InputError("作废文号须写明原因（--reason）")
        if not self.path.exists():
            raise InputError(f"发文登记簿还不存在，其中没有文号 {number}", file=self.path)
        with self._writing() as con:
            if self._row(con, number).status == "voided":
                raise InputError(f"文号 {number} 早已作废", file=self.path)
            con.execute(
                "UPDATE numbers SET status = 'voided', void_reason = ?, voided = ? WHERE number = ?",
                (reason.strip(), _now(), number),
            )
            return self._row(con, number)
