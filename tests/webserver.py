"""A real ``make_reports.py serve`` on loopback for the web tests: a data folder with
the sample book, one account per role (made with ``make_reports.py user add``)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct-horse-9"
ACCOUNTS = {  # name → roles
    "nigao": ["拟稿"],
    "shenhe": ["审核"],
    "tongji": ["统计"],
    "dangan": ["档案"],
    "guanli": ["管理"],
    "zonghe": ["拟稿", "审核", "统计", "档案"],
}


@dataclass
class Server:
    url: str
    data: Path
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "make_reports.py"), *args], capture_output=True, text=True, timeout=120
    )


def make_accounts(data: Path) -> None:
    for name, roles in ACCOUNTS.items():
        role_args = [a for r in roles for a in ("--role", r)]
        done = cli("user", "add", name, *role_args, "--password", PASSWORD, "--data", str(data))
        assert done.returncode == 0, done.stderr


def start(data: Path, *extra: str) -> Server:
    port = free_port()
    log = data.parent / f"server-{port}.log"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "make_reports.py"), "serve", "--data", str(data), "--port", str(port), *extra],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text(encoding="utf-8", errors="replace"))
        try:
            if httpx.get(f"{url}/login", timeout=2).status_code == 200:
                return Server(url, data, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("server did not start: " + log.read_text(encoding="utf-8", errors="replace"))


def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A module's server (use as ``server = pytest.fixture(scope="module")(serving)``): a
    fresh data folder with the sample book and the accounts above."""
    data = tmp_path_factory.mktemp("web") / "data"
    make_accounts(data)
    running = start(data, "--sample")
    yield running
    running.stop()


def login(url: str, name: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    """A client holding ``name``'s session, and the session's CSRF token."""
    client = httpx.Client(base_url=url, timeout=120, follow_redirects=False)
    response = client.post("/login", data={"name": name, "password": password, "next": "/"})
    assert response.status_code == 303, response.text
    page = client.get("/", headers={"accept": "text/html"})
    return client, csrf_of(page.text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


CIRCULAR_FORM = {
    "mode": "form",
    "文种": "通知",
    "发文机关名称": "连云港市妇幼保健集团",
    "发文机关代字": "连妇保集",
    "年份": "2026",
    "标题": "关于开展妇幼健康宣传周活动的通知",
    "主送": "各成员单位",
    "正文": "为做好宣传工作，现将有关事项通知如下。\n一、活动时间\n2026年12月1日至7日。",
    "署名": "连云港市妇幼保健集团",
    "成文日期": "2026-12-01",
    "印章": "on",
    "印发机关": "连云港市妇幼保健集团办公室",
    "印发日期": "2026-12-01",
}


def wait_until(page, predicate: str, timeout: float = 60.0) -> None:
    """Poll ``predicate`` (a JS function source) in ``page`` until it returns true.
    Not ``page.wait_for_function``: when its first check fails it polls with an eval
    inside the page, which the page's Content-Security-Policy (no 'unsafe-eval')
    refuses; ``page.evaluate`` goes through the DevTools protocol and is not refused."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {predicate}"
        page.wait_for_timeout(100)
