"""``serve`` and ``user`` commands: the office's web page and its accounts.  The web
stack is imported inside the commands, so the rest of the CLI loads without it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DATA_HELP = "数据文件夹：输入、输出、发文登记簿和账号都在这里（备份即复制此文件夹）"
DEFAULT_DATA = Path("gongwen-data")

users = typer.Typer(help="网页的账号：新建、修改角色、重设密码、列出。", no_args_is_help=True, rich_markup_mode=None)


def _fail(message: object) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code=2)


def serve(
    data: Annotated[Path, typer.Option("--data", "-d", help=DATA_HELP)] = DEFAULT_DATA,
    host: Annotated[str, typer.Option("--host", help="监听地址；0.0.0.0 对办公室网络开放")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="端口")] = 8000,
    workers: Annotated[int, typer.Option("--workers", "-j", help="生成文档的进程数")] = 2,
    sample: Annotated[
        bool, typer.Option("--sample", help="数据文件夹还没有责任书时，放入样例责任书和成员单位")
    ] = False,
) -> None:
    """启动办公室网页：在浏览器中起草、预览、签发和下载公文，上传季度数据，生成归档包。"""
    import uvicorn

    from generators.core.output import out_dir_problem
    from generators.web.accounts import Office
    from generators.web.app import create_app
    from generators.web.folder import DataFolder

    if problem := out_dir_problem(data, "--data"):
        _fail(problem)
    if not 1 <= workers <= 16:
        _fail(f"--workers 应为 1 到 16，实际是 {workers}")
    folder = DataFolder(data.resolve())
    folder.ensure()
    if sample and folder.seed_sample_book():
        typer.echo(f"已放入样例责任书：{folder.book_dir}")
    if not Office(folder.office_db).has_admin():
        typer.echo(
            f"提示：还没有管理员账号，请先运行 python make_reports.py user add 用户名 --role 管理 --data {data}",
            err=True,
        )
    typer.echo(f"公文生成网页：http://{host}:{port}/  （数据文件夹 {folder.root}；按 Ctrl+C 停止）")
    uvicorn.run(create_app(folder.root, processes=workers), host=host, port=port, log_level="warning")


def _office(data: Path):  # -> Office, imported late
    from generators.web.accounts import Office
    from generators.web.folder import DataFolder

    folder = DataFolder(data.resolve())
    folder.ensure()
    return Office(folder.office_db)


def _password(password: str | None) -> str:
    if password is not None:
        return password
    return str(typer.prompt("密码", hide_input=True, confirmation_prompt="再输入一次"))


@users.command("add", help="新建账号。角色：拟稿、审核、统计、档案、管理（可写多次 --role）。")
def add_user(
    name: Annotated[str, typer.Argument(help="用户名", show_default=False)],
    role: Annotated[list[str], typer.Option("--role", "-r", help="角色（可写多次）", show_default=False)],
    data: Annotated[Path, typer.Option("--data", "-d", help=DATA_HELP)] = DEFAULT_DATA,
    password: Annotated[
        str | None, typer.Option("--password", help="密码（不写则提示输入，不回显）", show_default=False)
    ] = None,
) -> None:
    from generators.web.accounts import AccountError

    office = _office(data)
    try:
        user = office.add_user(name, _password(password), role)
    except AccountError as exc:
        _fail(exc)
    office.log("命令行", "新建账号", user.name, "、".join(sorted(user.roles)))
    typer.echo(f"已新建账号 {user.name}（{'、'.join(sorted(user.roles))}）")


@users.command("set", help="修改账号的角色（并可重设密码、停用）。")
def set_user(
    name: Annotated[str, typer.Argument(help="用户名", show_default=False)],
    role: Annotated[list[str], typer.Option("--role", "-r", help="角色（可写多次）", show_default=False)],
    data: Annotated[Path, typer.Option("--data", "-d", help=DATA_HELP)] = DEFAULT_DATA,
    reset_password: Annotated[bool, typer.Option("--reset-password", help="同时重设密码")] = False,
    disable: Annotated[bool, typer.Option("--disable", help="停用账号")] = False,
) -> None:
    from generators.web.accounts import AccountError

    office = _office(data)
    try:
        office.set_roles(name, role, active=not disable)
        if reset_password:
            office.set_password(name, _password(None))
    except AccountError as exc:
        _fail(exc)
    office.log("命令行", "修改账号", name, "、".join(role) + ("（停用）" if disable else ""))
    typer.echo(f"已修改账号 {name}")


@users.command("list", help="列出账号。")
def list_users(data: Annotated[Path, typer.Option("--data", "-d", help=DATA_HELP)] = DEFAULT_DATA) -> None:
    for user in _office(data).users():
        typer.echo(f"{user.name}\t{'、'.join(sorted(user.roles))}\t{'启用' if user.active else '停用'}")
