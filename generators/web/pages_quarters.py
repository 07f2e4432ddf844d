"""季度数据 pages: blank forms out, results in (checked cell by cell by the library's
reader), the quarter's 通报/反馈/统计表 built in the background, shown as pages and
downloaded one by one or as one zip."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from generators.core.errors import InputError
from generators.indicators.period import Period, parse_period
from generators.kinds.supervision import book_counts
from generators.sheets.forms import read_results, write_blank_form
from generators.web import documents, work
from generators.web.folder import DataFolder
from generators.web.page import audit, book_state, folder, render, route, staged, uploaded, workers

router = APIRouter()
RESULT_TYPES = (".xlsx", ".csv")
_PERIOD = re.compile(r"^\d{4}Q[1-4]$")
_YEAR = re.compile(r"^\d{4}$")


def _period(text: str) -> Period:
    if not _PERIOD.match(text):
        raise HTTPException(status_code=404)
    return parse_period(text)


@route(router, "GET", "/quarters", "统计")
async def quarters(request: Request) -> Response:
    book, problem = book_state(request)
    rows = []
    if book is not None:
        year = book.spec.year
        entries = _entries(folder(request), year)
        out = folder(request).quarters_out(year)
        for q in range(1, 5):
            period = f"{year}Q{q}"
            rows.append(
                {"period": period, "entry": entries.get(period), "zip": (out / f"{period.lower()}.zip").exists()}
            )
    return render(
        request, "quarters.html", book=book, problem=problem, rows=rows, message="", today=dt.date.today().isoformat()
    )


def _entries(data: DataFolder, year: int) -> dict[str, dict]:
    path = data.quarter_input(year)
    if not path.exists():
        return {}
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(e["期间"]): e for e in content.get("季度", [])}


@route(router, "GET", "/quarters/{period}/form", "统计")
async def blank_form(request: Request, period: str) -> Response:
    quarter = _period(period)
    target = folder(request).work / "forms" / f"{period.lower()}-tianbaobiao.xlsx"

    def write() -> None:
        book, _indicators, counts = book_counts(folder(request).book)
        write_blank_form(target, quarter, list(book.units), counts, group=book.spec.group)

    try:
        await run_in_threadpool(write)
    except InputError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    return FileResponse(target, filename=f"{quarter}填报表.xlsx")


@route(router, "POST", "/quarters/{period}/upload", "统计")
async def upload_results(request: Request, period: str) -> Response:
    quarter = _period(period)
    data = folder(request)
    form = await request.form(max_part_size=request.app.state.max_upload)
    upload = uploaded(form.get("data"))
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    if upload is None:
        return await _quarters_error(request, "请选择填好的 XLSX 或 CSV 文件")
    file, suffix, shown = upload
    if suffix not in RESULT_TYPES:
        return await _quarters_error(request, f"只能上传 .xlsx 或 .csv，“{shown}”不是")
    with staged(request) as staging:
        checked = staging / f"{period}{suffix}"
        checked.write_bytes(await file.read())

        def check() -> None:
            book, indicators, counts = book_counts(data.book)
            read_results(checked, quarter, list(book.units), counts, indicators)

        try:
            await run_in_threadpool(check)
        except InputError as exc:
            return await _quarters_error(request, str(exc).replace(str(checked), shown))
        date = _iso_date(fields.get("成文日期", ""))
        if date is None:
            return await _quarters_error(request, "成文日期应为日期，如 2012-04-25")
        results = data.quarters / str(quarter.year) / "results"
        results.mkdir(parents=True, exist_ok=True)
        for old in results.glob(f"{period}.*"):
            old.unlink()
        shutil.move(checked, results / checked.name)
    try:
        _write_year_input(data, quarter, suffix, date, fields.get("督导时间", "").strip() or "（督导时间）")
    except InputError as exc:
        return await _quarters_error(request, str(exc))
    audit(request, "上传季度数据", period, shown)
    task = _start_quarter(request, quarter)
    return RedirectResponse(f"/tasks/{task}", status_code=303)


async def _quarters_error(request: Request, message: str) -> Response:
    return render(request, "message.html", status_code=400, message=message, back="/quarters")


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _write_year_input(data: DataFolder, quarter: Period, suffix: str, date: dt.date, visit: str) -> None:
    settings_file = data.supervision_settings
    if not settings_file.exists():
        raise InputError("还没有督导通报设置：请在“责任书”页保存（通报的发文机关、署名、下一步工作等）")
    settings = yaml.safe_load(settings_file.read_text(encoding="utf-8")) or {}
    path = data.quarter_input(quarter.year)
    entries = _entries(data, quarter.year)
    entries[str(quarter)] = {
        **entries.get(str(quarter), {"序号": "auto"}),
        "期间": str(quarter),
        "数据": f"results/{quarter}{suffix}",
        "成文日期": date,
        "督导时间": visit,
    }
    content = {
        **settings,
        "年份": quarter.year,
        "责任书": "../../book/target_book.yaml",
        "季度": [entries[p] for p in sorted(entries)],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    documents.save_text(path, documents.text_of(content))


def _start_quarter(request: Request, quarter: Period) -> str:
    data = folder(request)
    return workers(request).background(
        "季度通报",
        "统计",
        request.state.user.name,
        f"{quarter} 督导通报、反馈意见和统计表",
        work.build_with_progress,
        [data.quarter_input(quarter.year)],
        data.quarters_out(quarter.year),
        data.registry,
        data.inputs,
        str(quarter).lower(),
        f"{str(quarter).lower()}.zip",
    )


@route(router, "POST", "/quarters/{period}/build", "统计")
async def rebuild_quarter(request: Request, period: str) -> Response:
    quarter = _period(period)
    if str(quarter) not in _entries(folder(request), quarter.year):
        raise HTTPException(status_code=404, detail=f"{quarter} 还没有上传数据")
    audit(request, "生成通报", period)
    return RedirectResponse(f"/tasks/{_start_quarter(request, quarter)}", status_code=303)


def _quarter_files(data: DataFolder, quarter: Period) -> list[str]:
    """The files made for ``quarter`` (relative to the year's output folder), sorted."""
    out = data.quarters_out(quarter.year)
    wanted = str(quarter).lower()
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and wanted in p.relative_to(out).as_posix() and work.deliverable(p, out)
    )


@route(router, "GET", "/quarters/{period}", "统计")
async def quarter_view(request: Request, period: str) -> Response:
    quarter = _period(period)
    data = folder(request)
    files = _quarter_files(data, quarter)
    pages = 0
    report = [f for f in files if "/dudao/" in f and f.endswith("tongbao.pdf")]
    if report:
        images = data.work / "pages" / f"tongbao-{period.lower()}"
        source = data.quarters_out(quarter.year) / report[0]
        pages = await workers(request).run(work.rasterise, source, images)
    return render(request, "quarter.html", period=period, files=files, pages=pages)


@route(router, "GET", "/quarters/{period}/files/{index}", "统计")
async def quarter_file(request: Request, period: str, index: int) -> Response:
    quarter = _period(period)
    files = _quarter_files(folder(request), quarter)
    if not 0 <= index < len(files):  # files are named by their place in the list, never by a path
        raise HTTPException(status_code=404)
    path = folder(request).quarters_out(quarter.year) / files[index]
    return FileResponse(path, filename=path.name)


@route(router, "GET", "/quarters/{period}/zip", "统计")
async def quarter_zip(request: Request, period: str) -> Response:
    quarter = _period(period)
    path = folder(request).quarters_out(quarter.year) / f"{period.lower()}.zip"
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, filename=f"{quarter}督导通报.zip")


@route(router, "GET", "/quarters/{period}/pages/{page}.png", "统计")
async def quarter_page(request: Request, period: str, page: int) -> Response:
    _period(period)
    path = folder(request).work / "pages" / f"tongbao-{period.lower()}" / f"{page}.png"
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type="image/png")
