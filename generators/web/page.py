"""What every page module shares: the route helper that names a route's roles, the
template renderer, and the app's parts held in ``app.state``."""

from __future__ import annotations

import contextlib
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile

from generators.core.errors import InputError
from generators.core.paths import TEMPLATES
from generators.kinds.target_book import TargetBook, load_book
from generators.web.accounts import ROLES, Office
from generators.web.folder import DataFolder
from generators.web.security import Guard
from generators.web.tasks import Workers

MAX_UPLOAD = 10 * 1024 * 1024
NAV = (  # (path, label, roles)
    ("/documents", "公文", ("拟稿", "审核")),
    ("/numbers", "文号", ("审核", "拟稿")),
    ("/quarters", "季度数据", ("统计",)),
    ("/books", "责任书", ("统计",)),
    ("/archive", "归档", ("档案",)),
    ("/admin/users", "账号", ("管理",)),
    ("/admin/audit", "操作日志", ("管理",)),
)

pages = Environment(
    loader=FileSystemLoader(TEMPLATES / "web"),
    autoescape=select_autoescape(("html",)),
    trim_blocks=True,
    lstrip_blocks=True,
)


def route(router: APIRouter, method: str, path: str, *roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add ``path`` to ``router``, callable only by users holding one of ``roles``
    (no roles: public)."""

    def add(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(path, endpoint, methods=[method], dependencies=[Depends(Guard(tuple(roles)))])
        return endpoint

    return add


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    nav = [(p, label) for p, label, roles in NAV if user is not None and user.may(*roles)]
    html = pages.get_template(template).render(
        user=user, csrf=getattr(request.state, "csrf", ""), nav=nav, path=request.url.path, roles=ROLES, **context
    )
    return HTMLResponse(html, status_code=status_code)


def office(request: Request) -> Office:
    return request.app.state.office


def folder(request: Request) -> DataFolder:
    return request.app.state.folder


def workers(request: Request) -> Workers:
    return request.app.state.workers


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (files left out)."""
    form = await request.form(max_part_size=request.app.state.max_upload)
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def audit(request: Request, action: str, target: str, detail: str = "") -> None:
    office(request).log(request.state.user.name, action, target, detail)


def book_state(request: Request) -> tuple[TargetBook | None, str]:
    """The data folder's responsibility book, or why there is none."""
    try:
        return load_book(folder(request).book), ""
    except InputError as exc:
        return None, str(exc)
    except OSError:
        return None, "还没有责任书：请在“责任书”页保存责任书和成员单位"


@contextlib.contextmanager
def staged(request: Request) -> Iterator[Path]:
    """A private folder for one upload while it is checked, removed afterwards.  Files
    in it get names the server chooses: a user's file name never reaches the disk."""
    staging = folder(request).work / "uploads" / secrets.token_hex(8)
    staging.mkdir(parents=True)
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def uploaded(value: object) -> tuple[UploadFile, str, str] | None:
    """A form's file field: (the file, its suffix in lower case, its name as shown), or None."""
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    name = Path(value.filename).name
    return value, Path(name).suffix.lower(), name
