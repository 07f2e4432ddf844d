"""The data folder: everything the web page keeps, in one folder (a backup is a copy).

<data>/office.sqlite3      accounts, sessions, documents, audit log
<data>/registry.sqlite3    the 文号 registry (numbers.registry)
<data>/secret.key          signs session cookies
<data>/inputs/book/        the responsibility book and its member units (YAML)
<data>/inputs/documents/<id>/main.yaml   one 公文 each (plus imported attachments)
<data>/inputs/quarters/<year>/           supervision input and uploaded results
<data>/outputs/            what builds write (documents/<id>/, quarters/, guidang)
<data>/work/               previews, tasks' progress, uploads being checked
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from generators.core.paths import SAMPLE_INPUTS

SETTINGS = "supervision.yaml"


@dataclass(frozen=True)
class DataFolder:
    root: Path

    @property
    def office_db(self) -> Path:
        return self.root / "office.sqlite3"

    @property
    def registry(self) -> Path:
        return self.root / "registry.sqlite3"

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def book_dir(self) -> Path:
        return self.inputs / "book"

    @property
    def book(self) -> Path:
        return self.book_dir / "target_book.yaml"

    @property
    def units(self) -> Path:
        return self.book_dir / "units.yaml"

    @property
    def supervision_settings(self) -> Path:
        """The 通报's 版头, 主送, 署名 and wording, shared by every quarter."""
        return self.book_dir / SETTINGS

    @property
    def documents(self) -> Path:
        return self.inputs / "documents"

    @property
    def quarters(self) -> Path:
        return self.inputs / "quarters"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def work(self) -> Path:
        return self.root / "work"

    def quarter_input(self, year: int) -> Path:
        """The year's supervision input: one entry per quarter whose results came in."""
        return self.quarters / str(year) / "supervision.yaml"

    def quarters_out(self, year: int) -> Path:
        return self.outputs / "quarters" / str(year)

    def document_dir(self, doc_id: str) -> Path:
        return self.documents / doc_id

    def ensure(self) -> None:
        """Create the folder's layout (and the cookie secret) if missing."""
        for folder in (self.book_dir, self.documents, self.quarters, self.outputs, self.work):
            folder.mkdir(parents=True, exist_ok=True)
        secret = self.root / "secret.key"
        if not secret.exists():
            fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))

    def secret(self) -> str:
        return (self.root / "secret.key").read_text(encoding="ascii").strip()

    def seed_sample_book(self) -> bool:
        """Copy the sample responsibility book, units and supervision settings in when the
        folder has none (a checkout only; an installed package carries no samples)."""
        source = SAMPLE_INPUTS / "2012"
        if self.book.exists() or not (source / "target_book.yaml").exists():
            return False
        self.book_dir.mkdir(parents=True, exist_ok=True)
        for name in ("target_book.yaml", "units.yaml"):
            shutil.copyfile(source / name, self.book_dir / name)
        # The sample's 通报 settings without its own year, book and quarters.
        settings = yaml.safe_load((source / "supervision.yaml").read_text(encoding="utf-8"))
        for key in ("年份", "责任书", "季度"):
            settings.pop(key, None)
        text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=100_000)
        self.supervision_settings.write_text(text, encoding="utf-8")
        return True
