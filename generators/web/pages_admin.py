"""Logging in and out, the start page, accounts (管理) and the audit log, task progress."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from generators.web.accounts import ROLES, AccountError
from generators.web.page import audit, form_fields, office, render, route, workers
from generators.web.security import ANY_USER, COOKIE

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only a path on this site (no //host, no scheme): no open redirect after login."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@route(router, "GET", "/login")
async def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=_safe_next(next), message="")


@route(router, "POST", "/login")
async def login(request: Request) -> Response:
    form = await form_fields(request)
    name, password = form.get("name", "").strip(), form.get("password", "")
    target = _safe_next(form.get("next", "/"))
    limiter = request.app.state.limiter
    keys = (f"user:{name}", f"addr:{request.client.host if request.client else ''}")
    if wait := limiter.wait(*keys):
        return render(
            request, "login.html", status_code=429, next=target, message=f"登录失败次数过多，请 {wait} 秒后再试"
        )
    user = office(request).verify(name, password)
    if user is None:
        limiter.failed(*keys)
        return render(request, "login.html", status_code=401, next=target, message="用户名或密码不对")
    limiter.succeeded(*keys)
    token = office(request).open_session(user)
    office(request).log(user.name, "登录", "", request.client.host if request.client else "")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        request.app.state.sessions.cookie_value(token),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@route(router, "POST", "/logout", *ANY_USER)
async def logout(request: Request) -> Response:
    token = request.app.state.sessions.token(request)
    if token:
        office(request).close_session(token)
    audit(request, "退出", "")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@route(router, "GET", "/", *ANY_USER)
async def home(request: Request) -> Response:
    return render(request, "home.html")


@route(router, "GET", "/account", *ANY_USER)
async def account(request: Request) -> Response:
    return render(request, "account.html", message="", ok=False)


@route(router, "POST", "/account", *ANY_USER)
async def change_password(request: Request) -> Response:
    """A user's own password: the old one first; every other session of the user ends."""
    form = await form_fields(request)
    user = request.state.user
    if office(request).verify(user.name, form.get("old", "")) is None:
        return render(request, "account.html", status_code=400, message="原密码不对", ok=False)
    if form.get("new", "") != form.get("again", ""):
        return render(request, "account.html", status_code=400, message="两次输入的新密码不一致", ok=False)
    try:
        office(request).set_password(user.name, form.get("new", ""))
    except AccountError as exc:
        return render(request, "account.html", status_code=400, message=str(exc), ok=False)
    audit(request, "修改密码", user.name)
    response = render(request, "account.html", message="密码已修改，请重新登录", ok=True)
    response.delete_cookie(COOKIE, path="/")  # set_password ended the sessions, this one too
    return response


@route(router, "GET", "/admin/users", "管理")
async def users(request: Request) -> Response:
    return render(request, "users.html", users=office(request).users(), message="")


@route(router, "POST", "/admin/users", "管理")
async def change_user(request: Request) -> Response:
    form = await request.form()
    name = str(form.get("name", "")).strip()
    roles = [str(r) for r in form.getlist("roles")]
    try:
        if form.get("action") == "add":
            office(request).add_user(name, str(form.get("password", "")), roles)
            audit(request, "新建账号", name, "、".join(roles))
            message = f"已新建账号 {name}"
        else:
            active = form.get("active") == "on"
            if name == request.state.user.name and ("管理" not in roles or not active):
                raise AccountError("不能取消自己的管理角色或停用自己的账号")
            office(request).set_roles(name, roles, active)
            if password := str(form.get("password", "")):
                office(request).set_password(name, password)
            audit(request, "修改账号", name, "、".join(roles) + ("" if active else "（停用）"))
            message = f"已修改账号 {name}"
    except AccountError as exc:
        return render(request, "users.html", status_code=400, users=office(request).users(), message=str(exc))
    return render(request, "users.html", users=office(request).users(), message=message)


@route(router, "GET", "/admin/audit", "管理")
async def audit_log(request: Request) -> Response:
    return render(request, "audit.html", entries=office(request).audit())


def _task_for(request: Request, task_id: str) -> dict:
    state = workers(request).task(task_id)
    if state is None:
        raise HTTPException(status_code=404)
    if not request.state.user.may(state.get("role", "管理"), "管理"):
        raise HTTPException(status_code=403, detail="没有权限查看此任务")
    return state


@route(router, "GET", "/tasks/{task_id}", *ANY_USER)
async def task_page(request: Request, task_id: str) -> Response:
    return render(request, "task.html", task=_task_for(request, task_id))


@route(router, "GET", "/tasks/{task_id}/state", *ANY_USER)
async def task_state(request: Request, task_id: str) -> Response:
    return JSONResponse(_task_for(request, task_id))


ROLE_NAMES = tuple(ROLES)
