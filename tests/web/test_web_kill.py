"""A server killed (SIGKILL) while it approves a document loses nothing confirmed: on
restart the registry is intact, the document is a draft again, no half-written file
is served, and approving again gives the number the first attempt took."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest
from webserver import CIRCULAR_FORM, login, make_accounts, start

pytestmark = pytest.mark.slow


def _claims(registry: Path) -> list[tuple[str, str, str]]:
    if not registry.exists():
        return []
    with sqlite3.connect(registry) as con:
        return con.execute("SELECT number, key, status FROM numbers").fetchall()


def test_a_server_killed_while_approving_loses_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    make_accounts(data)
    server = start(data, "--sample", "--workers", "1")
    try:
        client, csrf = login(server.url, "zonghe")
        doc = client.post("/documents/new", data={"csrf": csrf}).headers["location"]
        body = "\n".join(f"第{i}段：加强孕产妇系统管理，做好新生儿访视和儿童保健工作。" * 3 for i in range(1, 400))
        assert client.post(doc, data={**CIRCULAR_FORM, "csrf": csrf, "正文": body}).status_code == 303
        threading.Thread(
            target=lambda: _quietly(client.post, f"{doc}/approve", data={"csrf": csrf}), daemon=True
        ).start()
        deadline = time.monotonic() + 60
        while not _claims(data / "registry.sqlite3") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _claims(data / "registry.sqlite3"), "the approval never took its number"
        os.kill(server.process.pid, signal.SIGKILL)  # mid-build: the number is taken, the files are not written
        server.process.wait()
    finally:
        server.stop()
    first = _claims(data / "registry.sqlite3")
    time.sleep(1)  # the render worker follows its server (PR_SET_PDEATHSIG)
    with sqlite3.connect(data / "registry.sqlite3") as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    again = start(data, "--workers", "1")
    try:
        client, csrf = login(again.url, "zonghe")
        page = client.get(doc).text
        assert "（草稿" in page  # not stuck in 签发中
        assert client.get(f"{doc}/download/pdf").status_code == 404  # nothing served before approval
        response = client.post(f"{doc}/approve", data={"csrf": csrf})
        assert response.status_code == 303
        claims = _claims(data / "registry.sqlite3")
        assert claims == first  # the same number, still one row for the document
        number = claims[0][0]
        assert f'id="number">{number}<' in client.get(doc).text
        pdf = client.get(f"{doc}/download/pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.content.rstrip().endswith(b"%%EOF")
        with sqlite3.connect(data / "registry.sqlite3") as con:
            recorded = dict(con.execute("SELECT path, sha256 FROM files WHERE number = ?", (number,)).fetchall())
        pdfs = [p for p in recorded if p.endswith(".pdf")]
        assert len(pdfs) == 1
        assert recorded[pdfs[0]] == hashlib.sha256(pdf.content).hexdigest()
        assert not list((data / "outputs").rglob("*.part"))
    finally:
        again.stop()


def _quietly(call, *args, **kwargs) -> None:  # the server dies under this request
    try:
        call(*args, **kwargs)
    except httpx.HTTPError:
        pass
