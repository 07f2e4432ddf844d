"""命令 ``number``：查看和作废发文登记簿中的文号（登记由 build 命令自动完成）。"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from generators.core.errors import InputError

app = typer.Typer(
    help="发文登记簿：列出、查看、作废文号。文号由 build 命令登记（“序号: auto”时自动取号）。",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
)

RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help=(
            "登记簿文件（默认：环境变量 GONGWEN_REGISTRY，否则为源码目录下的 gongwen-registry.sqlite3；"
            "安装后在 ~/.local/share/gongwen-reports/ 下）"
        ),
        show_default=False,
    ),
]


def _fail(exc: InputError) -> None:
    typer.echo(f"错误：{exc}", err=True)
    raise typer.Exit(code=2)


def _open(path: Path | None):
    from generators.core.output import registry_problem
    from generators.numbers.registry import Registry

    if problem := registry_problem(path):
        raise InputError(problem)
    return Registry(path)


@app.command("list", help="列出登记的文号（含已作废的）。")
def list_numbers(
    code: Annotated[str | None, typer.Option("--code", help="只列此机关代字，如 连妇保集", show_default=False)] = None,
    year: Annotated[int | None, typer.Option("--year", help="只列此年份，如 2012", show_default=False)] = None,
    registry: RegistryOption = None,
) -> None:
    from generators.numbers.registry import STATUS_TEXT

    try:
        reg = _open(registry)
        entries = reg.list_numbers(code, year)
    except InputError as exc:
        _fail(exc)
    if not entries:
        typer.echo(f"登记簿 {reg.path} 中没有{'符合条件的' if code or year else ''}文号。")
        return
    for e in entries:
        typer.echo(f"{e.number}\t{STATUS_TEXT[e.status]}\t{e.date}\t{e.title}\t{e.key}\t{e.file_count} 个文件")
    voided = sum(e.status == "voided" for e in entries)
    typer.echo(f"共 {len(entries)} 个文号（其中已作废 {voided} 个），登记簿 {reg.path}")


@app.command("show", help="显示一个文号的登记内容和已生成的文件（含 SHA-256）。")
def show_number(
    number: Annotated[str, typer.Argument(help="文号，如 连妇保集〔2012〕5号（〔〕也可写成 []）")],
    registry: RegistryOption = None,
) -> None:
    from generators.numbers.registry import STATUS_TEXT

    try:
        e = _open(registry).show(number)
    except InputError as exc:
        _fail(exc)
    lines = [
        f"文号：{e.number}",
        f"状态：{STATUS_TEXT[e.status]}" + (f"（{e.voided}，原因：{e.void_reason}）" if e.status == "voided" else ""),
        f"标题：{e.title}",
        f"成文日期：{e.date}",
        f"输入：{e.key}",
        f"登记时间：{e.created}",
        f"文件：{len(e.files)} 个",
    ]
    lines += [f"  {f.path}  {f.bytes} 字节  SHA-256 {f.sha256}" for f in e.files]
    typer.echo("\n".join(lines))


@app.command("void", help="作废一个文号：此后不再分配，也不能在输入中再用。")
def void_number(
    number: Annotated[str, typer.Argument(help="文号，如 连妇保集〔2012〕5号")],
    reason: Annotated[str, typer.Option("--reason", help="作废原因（必填）")],
    registry: RegistryOption = None,
) -> None:
    try:
        e = _open(registry).void(number, reason)
    except InputError as exc:
        _fail(exc)
    typer.echo(f"已作废 {e.number}（{e.title}），原因：{e.void_reason}。此文号今后不再使用。")
