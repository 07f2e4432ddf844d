"""Accounts, sessions, the audit log and the documents' records, in one SQLite file.

Passwords are hashed with argon2 (argon2-cffi); a session is a random token kept
here and sent to the browser signed (``web.security``), so logging out or removing a
user ends it on the server.  Every write is one short transaction (WAL, busy timeout),
so several server threads share the file safely.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES: dict[str, str] = {
    "拟稿": "起草、预览和生成公文",
    "审核": "审核签发：取得文号",
    "统计": "季度数据、督导通报和责任书",
    "档案": "生成和下载归档包",
    "管理": "账号管理和操作日志",
}
SESSION_HOURS = 12
_hasher = PasswordHasher()

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY, hash TEXT NOT NULL, roles TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1, created TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS sessions (
        token TEXT PRIMARY KEY, user TEXT NOT NULL, csrf TEXT NOT NULL, created TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS documents (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, state TEXT NOT NULL, author TEXT NOT NULL,
        created TEXT NOT NULL, updated TEXT NOT NULL, number TEXT, approver TEXT, approved TEXT,
        error TEXT)""",
)

# A document is 草稿 until approved; 签发中 while its number is taken and its files built.
DRAFT, APPROVING, ISSUED = "草稿", "签发中", "已签发"


class AccountError(ValueError):
    """A Chinese message for the person at the page or the command line."""


@dataclass(frozen=True)
class User:
    name: str
    roles: frozenset[str]
    active: bool = True

    def may(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    title: str
    state: str
    author: str
    created: str
    updated: str
    number: str | None
    approver: str | None
    approved: str | None
    error: str | None


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def check_roles(roles: list[str]) -> frozenset[str]:
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise AccountError(f"未知角色：{'、'.join(unknown) or '（空）'}；可选：{'、'.join(ROLES)}")
    return frozenset(roles)


def check_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 32 or any(c.isspace() or not c.isprintable() for c in name):
        raise AccountError("用户名应为 1 到 32 个字符，不含空格")
    return name


def check_password(password: str) -> None:
    if len(password) < 8:
        raise AccountError("密码至少 8 个字符")


class Office:
    """The office database of one data folder."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as con:
            con.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
        with self._db() as con:
            for statement in _SCHEMA:
                con.execute(statement)
            # A server killed while approving: the number (if taken) stays with the
            # document's file in the registry, so approving again gets it back.
            con.execute("UPDATE documents SET state = ? WHERE state = ?", (DRAFT, APPROVING))

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
            yield con
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    # --- users ---------------------------------------------------------------------------

    def add_user(self, name: str, password: str, roles: list[str]) -> User:
        name, chosen = check_name(name), check_roles(roles)
        check_password(password)
        with self._db() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError(f"用户“{name}”已存在")
            con.execute(
                "INSERT INTO users (name, hash, roles, created) VALUES (?, ?, ?, ?)",
                (name, _hasher.hash(password), ",".join(sorted(chosen)), now()),
            )
        return User(name, chosen)

    def set_roles(self, name: str, roles: list[str], active: bool = True) -> None:
        chosen = check_roles(roles)
        with self._db() as con:
            if not con.execute(
                "UPDATE users SET roles = ?, active = ? WHERE name = ?", (",".join(sorted(chosen)), int(active), name)
            ).rowcount:
                raise AccountError(f"没有用户“{name}”")
            if not active:
                con.execute("DELETE FROM sessions WHERE user = ?", (name,))

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        with self._db() as con:
            if not con.execute("UPDATE users SET hash = ? WHERE name = ?", (_hasher.hash(password), name)).rowcount:
                raise AccountError(f"没有用户“{name}”")
            con.execute("DELETE FROM sessions WHERE user = ?", (name,))

    def users(self) -> list[User]:
        with self._db() as con:
            rows = con.execute("SELECT name, roles, active FROM users ORDER BY name").fetchall()
        return [User(n, frozenset(r.split(",")), bool(a)) for n, r, a in rows]

    def has_admin(self) -> bool:
        return any(u.active and "管理" in u.roles for u in self.users())

    def verify(self, name: str, password: str) -> User | None:
        """The user, if the password is right and the account active."""
        with self._db() as con:
            row = con.execute("SELECT hash, roles, active FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            _hasher.hash(password)  # as slow as a real check: no hint which names exist
            return None
        digest, roles, active = row
        try:
            _hasher.verify(digest, password)
        except (VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(digest):
            with self._db() as con:
                con.execute("UPDATE users SET hash = ? WHERE name = ?", (_hasher.hash(password), name))
        return User(name, frozenset(roles.split(","))) if active else None

    # --- sessions ------------------------------------------------------------------------

    def open_session(self, user: User) -> str:
        token = secrets.token_urlsafe(32)
        with self._db() as con:
            cutoff = (dt.datetime.now() - dt.timedelta(hours=SESSION_HOURS)).isoformat(timespec="seconds")
            con.execute("DELETE FROM sessions WHERE created < ?", (cutoff,))
            con.execute(
                "INSERT INTO sessions (token, user, csrf, created) VALUES (?, ?, ?, ?)",
                (token, user.name, secrets.token_urlsafe(32), now()),
            )
        return token

    def session(self, token: str) -> tuple[User, str] | None:
        """(user, CSRF token) of a live session."""
        cutoff = (dt.datetime.now() - dt.timedelta(hours=SESSION_HOURS)).isoformat(timespec="seconds")
        with self._db() as con:
            row = con.execute(
                "SELECT u.name, u.roles, s.csrf FROM sessions s JOIN users u ON u.name = s.user"
                " WHERE s.token = ? AND s.created >= ? AND u.active = 1",
                (token, cutoff),
            ).fetchone()
        if row is None:
            return None
        return User(row[0], frozenset(row[1].split(","))), row[2]

    def close_session(self, token: str) -> None:
        with self._db() as con:
            con.execute("DELETE FROM sessions WHERE token = ?", (token,))

    # --- audit ---------------------------------------------------------------------------

    def log(self, user: str, action: str, target: str, detail: str = "") -> None:
        with self._db() as con:
            con.execute(
                "INSERT INTO audit (at, user, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                (now(), user, action, target, detail),
            )

    def audit(self, limit: int = 200) -> list[tuple[str, str, str, str, str]]:
        with self._db() as con:
            return con.execute(
                "SELECT at, user, action, target, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()

    # --- documents -----------------------------------------------------------------------

    _DOC = "id, title, state, author, created, updated, number, approver, approved, error"

    def new_document(self, title: str, author: str) -> DocumentRecord:
        doc_id = secrets.token_hex(6)
        stamp = now()
        with self._db() as con:
            con.execute(
                "INSERT INTO documents (id, title, state, author, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, title, DRAFT, author, stamp, stamp),
            )
        return self.document(doc_id)

    def document(self, doc_id: str) -> DocumentRecord:
        with self._db() as con:
            row = con.execute(f"SELECT {self._DOC} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return DocumentRecord(*row)

    def documents(self) -> list[DocumentRecord]:
        with self._db() as con:
            rows = con.execute(f"SELECT {self._DOC} FROM documents ORDER BY updated DESC").fetchall()
        return [DocumentRecord(*r) for r in rows]

    def touch_document(self, doc_id: str, title: str) -> None:
        with self._db() as con:
            con.execute(
                "UPDATE documents SET title = ?, updated = ?, error = NULL WHERE id = ?", (title, now(), doc_id)
            )

    def start_approval(self, doc_id: str) -> bool:
        """Move a 草稿 to 签发中; False when someone else is approving it or it is issued."""
        with self._db() as con:
            return bool(
                con.execute(
                    "UPDATE documents SET state = ? WHERE id = ? AND state = ?", (APPROVING, doc_id, DRAFT)
                ).rowcount
            )

    def finish_approval(self, doc_id: str, approver: str, number: str | None, error: str | None) -> None:
        with self._db() as con:
            if error is None:
                con.execute(
                    "UPDATE documents SET state = ?, number = ?, approver = ?, approved = ?, error = NULL WHERE id = ?",
                    (ISSUED, number, approver, now(), doc_id),
                )
            else:
                con.execute("UPDATE documents SET state = ?, error = ? WHERE id = ?", (DRAFT, error, doc_id))
