"""归档 page: a year's archive package (archive.package) built in the background,
downloaded as one zip."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from generators.web import work
from generators.web.accounts import ISSUED
from generators.web.page import audit, book_state, folder, form_fields, office, render, route, workers

router = APIRouter()
_YEAR = re.compile(r"^\d{4}$")


@route(router, "GET", "/archive", "档案")
async def archive_page(request: Request) -> Response:
    out = folder(request).outputs / "archive"
    zips = sorted(p.name for p in out.glob("*-guidang.zip")) if out.exists() else []
    book, _ = book_state(request)
    return render(
        request,
        "archive.html",
        zips=zips,
        year=book.spec.year if book else dt.date.today().year,
        group=book.spec.group if book else "",
        message="",
    )


@route(router, "POST", "/archive", "档案")
async def build_archive(request: Request) -> Response:
    form = await form_fields(request)
    year, fonds = form.get("year", "").strip(), form.get("fonds", "").strip()
    if not _YEAR.match(year) or not fonds:
        return render(
            request,
            "message.html",
            status_code=400,
            back="/archive",
            message="请填写四位数年度和全宗号（如 Z109）",
            extra="",
        )
    data = folder(request)
    sources = [data.document_dir(r.id) / "main.yaml" for r in office(request).documents() if r.state == ISSUED]
    sources += [p for p in [data.quarter_input(int(year)), data.book] if p.exists()]
    task = workers(request).background(
        "归档",
        "档案",
        request.state.user.name,
        f"{year} 年归档包",
        work.archive,
        sources,
        data.outputs / "archive",
        int(year),
        fonds,
        form.get("fonds_name", "").strip() or None,
        data.registry,
        data.inputs,
    )
    audit(request, "生成归档包", year, fonds)
    return RedirectResponse(f"/tasks/{task}", status_code=303)


@route(router, "GET", "/archive/{name}", "档案")
async def archive_zip(request: Request, name: str) -> Response:
    if not re.match(r"^\d{4}-guidang\.zip$", name):
        raise HTTPException(status_code=404)
    path = folder(request).outputs / "archive" / name
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, filename=name)
