"""责任书 page: the member units and targets (as tables, or the YAML files whole),
checked with the library's loader before they are saved; all books built and zipped."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from generators.core.errors import InputError
from generators.kinds.target_book import load_book
from generators.web import documents, work
from generators.web.folder import SETTINGS
from generators.web.page import audit, book_state, folder, form_fields, render, route, workers

router = APIRouter()

BOOK_FILES = {"target_book": "target_book.yaml", "units": "units.yaml", "supervision": SETTINGS}


@route(router, "GET", "/books", "统计")
async def books(request: Request) -> Response:
    return _books_page(request, "")


def _books_page(request: Request, message: str, status_code: int = 200, texts: dict | None = None) -> Response:
    data = folder(request)
    book, problem = book_state(request)
    texts = texts or {
        key: (data.book_dir / name).read_text(encoding="utf-8") if (data.book_dir / name).exists() else ""
        for key, name in BOOK_FILES.items()
    }
    out = data.outputs / "books"
    return render(
        request,
        "books.html",
        status_code=status_code,
        book=book,
        problem=problem,
        texts=texts,
        message=message,
        built=(out / "all.zip").exists(),
    )


@route(router, "POST", "/books", "统计")
async def save_book(request: Request) -> Response:
    form = await form_fields(request)
    data = folder(request)
    texts = {key: form.get(key, "") for key in BOOK_FILES}
    with tempfile.TemporaryDirectory(dir=data.work) as tmp:
        for key, name in BOOK_FILES.items():
            (Path(tmp) / name).write_text(texts[key], encoding="utf-8")
        try:
            await run_in_threadpool(load_book, Path(tmp) / "target_book.yaml")
            settings = yaml.safe_load(texts["supervision"]) if texts["supervision"].strip() else {}
            if not isinstance(settings, dict) or (settings and "公文" not in settings):
                raise InputError("督导通报设置应有“公文:”（通报的发文机关、主送、署名等）", file=SETTINGS)
        except (InputError, yaml.YAMLError) as exc:
            message = str(exc).replace(tmp + "/", "")
            return _books_page(request, message, 400, texts)
    for key, name in BOOK_FILES.items():
        documents.save_text(data.book_dir / name, texts[key])
    audit(request, "保存责任书", "")
    return _books_page(request, "已保存并通过检查")


@route(router, "POST", "/books/build", "统计")
async def build_books(request: Request) -> Response:
    data = folder(request)
    task = workers(request).background(
        "责任书",
        "统计",
        request.state.user.name,
        "全部目标管理责任书",
        work.build_with_progress,
        [data.book],
        data.outputs / "books",
        data.registry,
        data.inputs,
        "",
        "all.zip",
    )
    audit(request, "生成责任书", "")
    return RedirectResponse(f"/tasks/{task}", status_code=303)


@route(router, "GET", "/books/zip", "统计")
async def books_zip(request: Request) -> Response:
    path = folder(request).outputs / "books" / "all.zip"
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, filename="目标管理责任书.zip")


@route(router, "GET", "/books/pages/{page}.png", "统计")
async def book_page(request: Request, page: int) -> Response:
    pdfs = sorted((folder(request).outputs / "books").rglob("*.pdf"))
    if not pdfs:
        raise HTTPException(status_code=404)
    images = folder(request).work / "pages" / "book"
    if (images / "1.png").exists() and (images / "1.png").stat().st_mtime < pdfs[0].stat().st_mtime:
        shutil.rmtree(images, ignore_errors=True)
    await workers(request).run(work.rasterise, pdfs[0], images)
    path = images / f"{page}.png"
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type="image/png")
