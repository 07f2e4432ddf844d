"""公文 pages: the list, a new document from the form or from a draft (the importer),
the live preview, approval (the 文号 is taken here, not at preview) and downloads;
the 文号 registry (list, search, void)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from generators.core.errors import InputError
from generators.drafts import ImportResult, import_draft
from generators.drafts.normalise import normalise, tidy_spaces
from generators.drafts.read import read_draft
from generators.indicators.units import load_units
from generators.numbers.registry import STATUS_TEXT, Registry
from generators.web import documents, work
from generators.web.accounts import DRAFT, ISSUED, DocumentRecord
from generators.web.page import audit, folder, form_fields, office, render, route, staged, uploaded, workers

router = APIRouter()
_ID = re.compile(r"^[0-9a-f]{12}$")
_KEY = re.compile(r"^[0-9a-f]{24}$")
DRAFT_TYPES = (".docx", ".txt")


def _record(request: Request, doc_id: str) -> DocumentRecord:
    if not _ID.match(doc_id):
        raise HTTPException(status_code=404)
    try:
        return office(request).document(doc_id)
    except KeyError:
        raise HTTPException(status_code=404) from None


def _main(request: Request, doc_id: str) -> Path:
    return folder(request).document_dir(doc_id) / "main.yaml"


def _units(request: Request) -> list[str]:
    """Member units' names for the 主送/抄送 pickers (none when the book has no units file)."""
    try:
        return [u.name for u in load_units(folder(request).units)]
    except (InputError, OSError):
        return []


def _attachable(request: Request) -> list[tuple[str, str]]:
    """(label, path relative to a document's folder) of what a circular can attach
    whole: the office's book, and the work plans among its documents."""
    data = folder(request)
    found = [(f"责任书：{documents.title_of(documents.read(data.book))}", "../../book/target_book.yaml")]
    found = found if data.book.exists() else []
    for record in office(request).documents():
        main = _main(request, record.id)
        if main.exists() and "章节" in (plan := documents.read(main)):
            found.append((f"工作计划：{documents.title_of(plan)}", f"../{record.id}/main.yaml"))
    return found


@route(router, "GET", "/documents", "拟稿", "审核")
async def document_list(request: Request) -> Response:
    return render(request, "documents.html", documents=office(request).documents())


def _defaults(request: Request) -> dict:
    for record in office(request).documents():
        data = documents.read(_main(request, record.id)) if _main(request, record.id).exists() else {}
        if documents.is_circular(data):
            issuer = data["发文机关"]
            return documents.new_circular(issuer.get("名称", ""), issuer.get("代字", ""), dt.date.today())
    return documents.new_circular("", "", dt.date.today())


@route(router, "POST", "/documents/new", "拟稿")
async def new_document(request: Request) -> Response:
    data = _defaults(request)
    record = office(request).new_document(documents.title_of(data), request.state.user.name)
    folder(request).document_dir(record.id).mkdir(parents=True)
    documents.save_text(_main(request, record.id), documents.text_of(data))
    audit(request, "新建公文", record.id)
    return RedirectResponse(f"/documents/{record.id}", status_code=303)


def _default_code(request: Request) -> str:
    return str(_defaults(request)["发文机关"].get("代字", ""))


@route(router, "GET", "/documents/import", "拟稿")
async def import_page(request: Request) -> Response:
    return render(request, "import.html", message="", text="", code=_default_code(request))


@route(router, "POST", "/documents/import", "拟稿")
async def import_document(request: Request) -> Response:
    form = await request.form(max_part_size=request.app.state.max_upload)
    upload, text = uploaded(form.get("draft")), str(form.get("text", ""))
    code = str(form.get("code", "")).strip() or None

    def refused(message: str) -> Response:
        return render(request, "import.html", status_code=400, text=text, code=code or "", message=message)

    with staged(request) as staging:
        if upload is not None:
            file, suffix, shown = upload
            if suffix not in DRAFT_TYPES:
                return refused(f"只能导入 .docx 或 .txt 草稿，“{shown}”不是")
            source = staging / f"草稿{suffix}"
            source.write_bytes(await file.read())
        elif text.strip():
            source = staging / "草稿.txt"
            source.write_text(text, encoding="utf-8")
        else:
            return refused("请粘贴草稿文字或选择草稿文件")
        record = office(request).new_document("（导入中）", request.state.user.name)
        target = folder(request).document_dir(record.id)
        try:
            result = await workers(request).run(_import, source, target, code)
        except InputError as exc:
            shutil.rmtree(target, ignore_errors=True)
            office(request).touch_document(record.id, "（导入失败）")
            return refused(str(exc).replace(str(source), "草稿"))
        result.main.rename(target / "main.yaml")
        result.report.rename(target / "report.md")
        office(request).touch_document(record.id, documents.title_of(documents.read(target / "main.yaml")))
        audit(request, "导入草稿", record.id, f"{result.kind}；需核对 {len(result.unsure)} 处")
        return RedirectResponse(f"/documents/{record.id}", status_code=303)


def _import(source: Path, target: Path, code: str | None) -> ImportResult:
    """In a worker process: the importer, as ``make_reports.py import --code``."""
    return import_draft(source, target, code=code)


@route(router, "GET", "/documents/{doc_id}", "拟稿", "审核")
async def document_page(request: Request, doc_id: str) -> Response:
    record = _record(request, doc_id)
    main = _main(request, doc_id)
    if not main.exists():
        raise HTTPException(status_code=404)
    data = documents.read(main)
    report = main.parent / "report.md"
    pages = 0
    if record.state == ISSUED and (pdf := _output(request, doc_id, "pdf")) is not None:
        pages = await workers(request).run(work.rasterise, pdf, folder(request).work / "pages" / doc_id)
    return render(
        request,
        "document.html",
        record=record,
        circular=documents.is_circular(data),
        values=documents.form_values(data) if documents.is_circular(data) else {},
        yaml_text=main.read_text(encoding="utf-8"),
        fields=documents.FIELDS,
        kinds=documents.KINDS,
        units=_units(request),
        attachable=_attachable(request),
        kept=_kept_attachments(data),
        report=report.read_text(encoding="utf-8") if report.exists() else "",
        pages=pages,
        editable=record.state == DRAFT and request.state.user.may("拟稿"),
    )


def _kept_attachments(data: dict) -> list[str]:
    return [str(a.get("标题", a["文件"])) for a in data.get("附件") or [] if isinstance(a, dict) and "文件" in a]


def _source_text(request: Request, doc_id: str, form: dict[str, str]) -> str:
    main = _main(request, doc_id)
    if form.get("mode") == "yaml":
        return form.get("yaml", "")
    return documents.text_of(documents.apply_form(documents.read(main), form))


@route(router, "POST", "/documents/{doc_id}", "拟稿")
async def save_document(request: Request, doc_id: str) -> Response:
    record = _record(request, doc_id)
    if record.state != DRAFT:
        raise HTTPException(status_code=409, detail="已签发的公文不能修改")
    text = _source_text(request, doc_id, await form_fields(request))
    _save(request, doc_id, text)
    audit(request, "保存公文", doc_id)
    return RedirectResponse(f"/documents/{doc_id}", status_code=303)


def _save(request: Request, doc_id: str, text: str) -> None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    documents.save_text(_main(request, doc_id), text)
    office(request).touch_document(doc_id, documents.title_of(data) if isinstance(data, dict) else "（YAML 有误）")


def _attachment_lines(source: Path) -> list[str]:
    """In a worker process: an attachment's text, read and cleaned like a draft."""
    lines, _changes = normalise(read_draft(source).lines)
    return [tidy_spaces(line.text, keep_alignment=True) for line in lines]


@route(router, "POST", "/documents/{doc_id}/attachments", "拟稿")
async def add_attachment(request: Request, doc_id: str) -> Response:
    """An attachment uploaded as .docx or .txt: its text becomes a 附件 of the draft."""
    record = _record(request, doc_id)
    if record.state != DRAFT:
        raise HTTPException(status_code=409, detail="已签发的公文不能修改")
    form = await request.form(max_part_size=request.app.state.max_upload)
    upload, title = uploaded(form.get("file")), str(form.get("title", "")).strip()
    if upload is None:
        raise HTTPException(status_code=400, detail="请选择附件文件（.docx 或 .txt）")
    file, suffix, shown = upload
    if suffix not in DRAFT_TYPES:
        raise HTTPException(status_code=400, detail=f"附件只能是 .docx 或 .txt，“{shown}”不是")
    with staged(request) as staging:
        source = staging / f"附件{suffix}"
        source.write_bytes(await file.read())
        try:
            lines = await workers(request).run(_attachment_lines, source)
        except InputError as exc:
            raise HTTPException(status_code=400, detail=str(exc).replace(str(source), shown)) from None
    if not title and lines:
        title, lines = lines[0], lines[1:]
    if not title or not lines:
        raise HTTPException(status_code=400, detail="附件没有文字（需要标题和正文）")
    data = documents.read(_main(request, doc_id))
    data["附件"] = [*(data.get("附件") or []), {"标题": title, "正文": "\n".join(lines) + "\n"}]
    _save(request, doc_id, documents.text_of(data))
    audit(request, "上传附件", doc_id, title)
    return RedirectResponse(f"/documents/{doc_id}", status_code=303)


@route(router, "POST", "/documents/{doc_id}/preview", "拟稿", "审核")
async def preview(request: Request, doc_id: str) -> Response:
    record = _record(request, doc_id)
    form = await form_fields(request)
    text = _source_text(request, doc_id, form) if record.state == DRAFT else _main(request, doc_id).read_text("utf-8")
    if record.state == DRAFT and request.state.user.may("拟稿"):
        _save(request, doc_id, text)  # the form is kept as it is typed
    key = hashlib.sha256(f"{doc_id}\0{text}".encode()).hexdigest()[:24]
    data = folder(request)
    result = await workers(request).run(
        work.preview, text, data.document_dir(doc_id), data.registry, data.inputs, data.work / "previews" / key
    )
    return render(request, "preview.html", doc_id=doc_id, key=key, result=result)


@route(router, "GET", "/documents/{doc_id}/preview/{key}/{page}.png", "拟稿", "审核")
async def preview_page(request: Request, doc_id: str, key: str, page: int) -> Response:
    _record(request, doc_id)
    if not _KEY.match(key):
        raise HTTPException(status_code=404)
    path = folder(request).work / "previews" / key / f"{page}.png"
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type="image/png")


@route(router, "GET", "/documents/{doc_id}/pages/{page}.png", "拟稿", "审核")
async def issued_page(request: Request, doc_id: str, page: int) -> Response:
    _record(request, doc_id)
    path = folder(request).work / "pages" / doc_id / f"{page}.png"
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type="image/png")


@route(router, "POST", "/documents/{doc_id}/approve", "审核")
async def approve(request: Request, doc_id: str) -> Response:
    _record(request, doc_id)
    if not office(request).start_approval(doc_id):
        raise HTTPException(status_code=409, detail="这份公文已签发或正由他人签发")
    data = folder(request)
    try:
        built = await workers(request).run(
            work.approve, _main(request, doc_id), data.outputs / "documents" / doc_id, data.registry, data.inputs
        )
    except BaseException:
        office(request).finish_approval(doc_id, request.state.user.name, None, "签发中断，请重试")
        raise
    office(request).finish_approval(doc_id, request.state.user.name, built.number, built.error)
    if built.error is None:
        audit(request, "签发", doc_id, built.number or "（无文号）")
    return RedirectResponse(f"/documents/{doc_id}", status_code=303)


def _output(request: Request, doc_id: str, fmt: str) -> Path | None:
    found = sorted((folder(request).outputs / "documents" / doc_id).rglob(f"*.{fmt}"))
    return found[0] if found else None


@route(router, "GET", "/documents/{doc_id}/download/{fmt}", "拟稿", "审核")
async def download(request: Request, doc_id: str, fmt: str) -> Response:
    record = _record(request, doc_id)
    if fmt not in ("docx", "pdf") or record.state != ISSUED:
        raise HTTPException(status_code=404)
    path = _output(request, doc_id, fmt)
    if path is None:
        raise HTTPException(status_code=404)
    name = f"{record.number or ''}{record.title}.{fmt}".replace("/", "_")
    return FileResponse(path, filename=name)


@route(router, "GET", "/numbers", "审核", "拟稿")
async def numbers(request: Request, q: str = "") -> Response:
    entries = Registry(folder(request).registry).list_numbers()
    if q.strip():
        entries = [e for e in entries if q.strip() in e.number or q.strip() in e.title]
    return render(request, "numbers.html", entries=entries, q=q, status=STATUS_TEXT, message="")


@route(router, "POST", "/numbers/void", "审核")
async def void_number(request: Request) -> Response:
    form = await form_fields(request)
    number, reason = form.get("number", "").strip(), form.get("reason", "").strip()
    registry = Registry(folder(request).registry)
    try:
        entry = registry.void(number, reason)
    except InputError as exc:
        return render(
            request,
            "numbers.html",
            status_code=400,
            entries=registry.list_numbers(),
            q="",
            status=STATUS_TEXT,
            message=str(exc),
        )
    audit(request, "作废文号", entry.number, reason)
    return render(
        request,
        "numbers.html",
        entries=registry.list_numbers(),
        q="",
        status=STATUS_TEXT,
        message=f"已作废 {entry.number}",
    )
