"""责任书 page: the member units and targets (as tables, or the YAML files whole),
checked with the library's loader before they are saved; all books built and zipped."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from generators.core.errors import InputError
from generators.drafts.write import dump_yaml
from generators.kinds.target_book import load_book
from generators.web import documents, work
from generators.web.folder import SETTINGS
from generators.web.page import audit, book_state, folder, form_fields, render, route, workers

router = APIRouter()

BOOK_FILES = {"target_book": "target_book.yaml", "units": "units.yaml", "supervision": SETTINGS}


UNIT_COLUMNS = ("名称", "简称", "法定代表人", "地址")
EDITED = "由网页“责任书”页保存（表格修改后，原文件中的注释不再保留）"


@route(router, "GET", "/books", "统计")
async def books(request: Request) -> Response:
    return _books_page(request, "")


def _saved_texts(request: Request) -> dict[str, str]:
    data = folder(request)
    return {
        key: (data.book_dir / name).read_text(encoding="utf-8") if (data.book_dir / name).exists() else ""
        for key, name in BOOK_FILES.items()
    }


def _books_page(request: Request, message: str, status_code: int = 200, texts: dict | None = None) -> Response:
    data = folder(request)
    book, problem = book_state(request)
    texts = texts or _saved_texts(request)
    return render(
        request,
        "books.html",
        status_code=status_code,
        book=book,
        problem=problem,
        texts=texts,
        message=message,
        built=(data.outputs / "books" / "all.zip").exists(),
        units=_unit_rows(texts["units"]),
        columns=UNIT_COLUMNS,
        targets=_target_rows(texts["target_book"]),
    )


def _load(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _unit_rows(text: str) -> list[dict[str, str]]:
    units = _load(text).get("成员单位") or []
    return [{c: str(u.get(c) or "") for c in UNIT_COLUMNS} for u in units if isinstance(u, dict)]


def _target_rows(text: str) -> list[dict[str, Any]]:
    """One row per target of the book's 条目: where it is (条目 i, 目标 j), its indicator
    and its phrase (several phrases joined by ；)."""
    items = (_load(text).get("工作任务及目标") or {}).get("条目") or []
    rows = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        for j, goal in enumerate(item.get("目标") or []):
            if isinstance(goal, dict):
                name = goal.get("名称") or goal.get("指标")
                phrase = goal.get("目标")
                rows.append({
                    "key": f"{i}-{j}",
                    "item": i + 1,
                    "indicator": "、".join(name) if isinstance(name, list) else str(name),
                    "target": "；".join(map(str, phrase)) if isinstance(phrase, list) else str(phrase or ""),
                })  # fmt: skip
    return rows


async def _check_and_save(request: Request, texts: dict[str, str], what: str) -> Response:
    """Save the book's three files if the library's loader accepts them together."""
    data = folder(request)
    with tempfile.TemporaryDirectory(dir=data.work) as tmp:
        for key, name in BOOK_FILES.items():
            (Path(tmp) / name).write_text(texts[key], encoding="utf-8")
        try:
            await run_in_threadpool(load_book, Path(tmp) / "target_book.yaml")
            settings = _load(texts["supervision"]) if texts["supervision"].strip() else {}
            if texts["supervision"].strip() and "公文" not in settings:
                raise InputError("督导通报设置应有“公文:”（通报的发文机关、主送、署名等）", file=SETTINGS)
        except InputError as exc:
            return _books_page(request, str(exc).replace(tmp + "/", ""), 400, texts)
    for key, name in BOOK_FILES.items():
        documents.save_text(data.book_dir / name, texts[key])
    audit(request, "保存责任书", what)
    return _books_page(request, "已保存并通过检查")


@route(router, "POST", "/books", "统计")
async def save_book(request: Request) -> Response:
    form = await form_fields(request)
    return await _check_and_save(request, {key: form.get(key, "") for key in BOOK_FILES}, "文件")


@route(router, "POST", "/books/units", "统计")
async def save_units(request: Request) -> Response:
    form = await request.form()
    columns = {c: [str(v).strip() for v in form.getlist(c)] for c in UNIT_COLUMNS}
    units = []
    for row in zip(*columns.values(), strict=True):
        unit = {c: v for c, v in zip(UNIT_COLUMNS, row, strict=True) if v}
        if unit:
            units.append(unit)
    texts = {**_saved_texts(request), "units": dump_yaml({"成员单位": units}, EDITED)}
    return await _check_and_save(request, texts, f"成员单位 {len(units)} 个")


@route(router, "POST", "/books/targets", "统计")
async def save_targets(request: Request) -> Response:
    form = await form_fields(request)
    texts = _saved_texts(request)
    book = _load(texts["target_book"])
    items = (book.get("工作任务及目标") or {}).get("条目") or []
    changed = 0
    for key, value in form.items():
        if not key.startswith("目标-"):
            continue
        try:
            i, j = (int(n) for n in key.removeprefix("目标-").split("-"))
            goal = items[i]["目标"][j]
            old = goal["目标"]
        except (ValueError, IndexError, KeyError, TypeError):  # not a row of this book
            continue
        new: Any = [p.strip() for p in value.split("；") if p.strip()] if isinstance(old, list) else value.strip()
        if new != old:
            goal["目标"] = new
            changed += 1
    texts["target_book"] = dump_yaml(book, EDITED)
    return await _check_and_save(request, texts, f"目标 {changed} 项")


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
    await workers(request).run(work.rasterise, pdfs[0], images)
    path = images / f"{page}.png"
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type="image/png")
