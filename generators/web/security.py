"""Who may do what: signed session cookies, CSRF tokens, roles, login rate limits and
the request size cap.

The cookie holds the session token signed with the data folder's secret
(itsdangerous), so a cookie made with another secret is refused before the database
is asked.  Every route is added through ``Guard``, which names the roles allowed; the
route table therefore tells the tests which role may call what.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request
from itsdangerous import BadSignature, URLSafeSerializer

from generators.web.accounts import Office, User

COOKIE = "gongwen_session"
SAFE_METHODS = ("GET", "HEAD")
PUBLIC = ()  # roles of a route anyone may call (the login page)
ANY_USER = ("拟稿", "审核", "统计", "档案", "管理")


class LoginRequired(Exception):
    """No valid session: pages redirect to the login page, other calls get 401."""


class Sessions:
    def __init__(self, office: Office, secret: str) -> None:
        self.office = office
        self._signer = URLSafeSerializer(secret, salt="gongwen-session")

    def cookie_value(self, token: str) -> str:
        return self._signer.dumps(token)

    def token(self, request: Request) -> str | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            token = self._signer.loads(raw)
        except BadSignature:
            return None
        return token if isinstance(token, str) else None

    def current(self, request: Request) -> tuple[User, str] | None:
        token = self.token(request)
        return self.office.session(token) if token else None


class Guard:
    """A route's dependency: a live session whose user holds one of ``roles`` (none:
    public), and on a POST the session's CSRF token in the form or X-CSRF-Token."""

    def __init__(self, roles: tuple[str, ...]) -> None:
        self.roles = roles

    async def __call__(self, request: Request) -> User | None:
        if not self.roles:
            return None
        sessions: Sessions = request.app.state.sessions
        found = sessions.current(request)
        if found is None:
            raise LoginRequired()
        user, csrf = found
        request.state.user, request.state.csrf = user, csrf
        if not user.may(*self.roles):
            raise HTTPException(status_code=403, detail=f"没有权限：此操作需要角色 {'、'.join(self.roles)}")
        if request.method not in SAFE_METHODS:
            sent = request.headers.get("x-csrf-token")
            if sent is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ):
                form = await request.form(max_part_size=request.app.state.max_upload)
                value = form.get("csrf")
                sent = value if isinstance(value, str) else None
            if sent != csrf:
                raise HTTPException(status_code=403, detail="表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
        return user


class LoginLimiter:
    """Failed logins in the last ``window`` seconds: at most ``per_account`` for one
    account (guessing its password), ``per_address`` from one address (trying many
    accounts; higher, since an office may sit behind one address)."""

    def __init__(self, per_account: int = 5, per_address: int = 30, window: float = 300.0) -> None:
        self.limits = {"user": per_account, "addr": per_address}
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        times = self._failures[key]
        while times and times[0] < time.monotonic() - self.window:
            times.popleft()
        return times

    def wait(self, *keys: str) -> int:
        """Seconds until another try is allowed (0: now); keys are "user:…" or "addr:…"."""
        waits = [
            int(times[0] + self.window - time.monotonic()) + 1
            for key in keys
            if len(times := self._recent(key)) >= self.limits[key.split(":", 1)[0]]
        ]
        return max(waits, default=0)

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._recent(key).append(time.monotonic())

    def succeeded(self, *keys: str) -> None:
        self._failures.pop(keys[0], None)  # the account's count; the address's stays


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413, whether it says
    its length or streams it."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(send, self.limit)
            return
        seen = 0
        started = False

        async def limited() -> MutableMapping[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        async def tracking(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not started:
                await _too_large(send, self.limit)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = f"上传内容超过 {limit // (1024 * 1024)} MB 上限，已拒绝".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


HEADERS = [
    (b"x-frame-options", b"DENY"),  # no framing: a page cannot be clicked through another site
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"cache-control", b"no-store"),  # documents and pages are not kept by shared caches
]


class SecurityHeaders:
    """ASGI middleware: the headers above on every response."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)
