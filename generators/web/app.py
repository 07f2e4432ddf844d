"""The web application: ``create_app(data)`` gives the ASGI app served by ``serve``.

Pages are Jinja2 templates (templates/web/, autoescaped); every route is added with
the roles that may call it (``security.Guard``); rendering runs in worker processes
(``tasks.Workers``).  Routes are grouped by page in the ``pages_*`` modules.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.routing import APIRoute

from generators.core import crashlog
from generators.web import pages_admin, pages_archive, pages_books, pages_documents, pages_quarters
from generators.web.accounts import Office
from generators.web.folder import DataFolder
from generators.web.page import MAX_UPLOAD, render
from generators.web.security import BodyLimit, Guard, LoginLimiter, LoginRequired, SecurityHeaders, Sessions
from generators.web.tasks import Workers


def create_app(data: Path, *, processes: int = 2, max_upload: int = MAX_UPLOAD, warm: bool = True) -> FastAPI:
    """The app over data folder ``data`` (created if missing) with ``processes`` render
    workers; uploads over ``max_upload`` bytes are refused."""
    data_folder = DataFolder(Path(data).resolve())
    data_folder.ensure()
    office_db = Office(data_folder.office_db)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.workers = Workers(data_folder.work / "tasks", processes)
        if warm:
            app.state.workers.warm()
        try:
            yield
        finally:
            app.state.workers.shutdown()

    app = FastAPI(title="公文生成", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.folder = data_folder
    app.state.office = office_db
    app.state.sessions = Sessions(office_db, data_folder.secret())
    app.state.limiter = LoginLimiter()
    app.state.max_upload = max_upload
    for module in (pages_admin, pages_documents, pages_quarters, pages_books, pages_archive):
        app.include_router(module.router)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method == "GET" and "text/html" in request.headers.get("accept", "text/html"):
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        return PlainTextResponse("请先登录", status_code=401)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "请求有误"
        if exc.status_code == 404:
            message = "没有这个页面或文件"
        elif exc.status_code == 405:
            message = "不支持这种请求方式"
        return render(request, "error.html", status_code=exc.status_code, message=message)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        return render(request, "error.html", status_code=500, message=crashlog.report(exc))

    app.add_middleware(BodyLimit, limit=max_upload)
    app.add_middleware(SecurityHeaders)
    return app


def route_table(app: FastAPI) -> list[tuple[str, str, tuple[str, ...] | None]]:
    """(method, path, roles) of every route the app serves; roles None: no Guard (a
    mistake the tests catch), () public."""
    table: list[tuple[str, str, tuple[str, ...] | None]] = []
    pending = list(app.routes)
    while pending:
        item = pending.pop()
        if isinstance(item, APIRoute):
            guards = [d.dependency for d in item.dependencies if isinstance(d.dependency, Guard)]
            roles = guards[0].roles if len(guards) == 1 else None
            table += [(m, item.path, roles) for m in item.methods or ()]
        elif hasattr(item, "original_router"):  # an included router (FastAPI resolves them lazily)
            pending += list(item.original_router.routes)
        elif hasattr(item, "routes"):
            pending += list(item.routes)
    return sorted(table, key=lambda row: (row[1], row[0]))
