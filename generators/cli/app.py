"""gongwen-reports 命令行：由结构化输入生成符合 GB/T 9704-2012 的公文（DOCX、PDF）。

The one command-line app, run as ``make_reports.py`` in a checkout, ``gongwen`` when
installed, or ``python -m generators``: arguments in, library calls out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from generators.cli import archive as cli_archive
from generators.cli import registry as cli_registry
from generators.cli import web as cli_web
from generators.core import charsets, fonts
from generators.core.errors import InputError
from generators.core.paths import OUTPUTS, SAMPLE_INPUTS

fonts.configure()  # before anything loads pango/fontconfig

app = typer.Typer(
    help=(
        "由 YAML 输入生成公文（通知、责任书、季度督导通报等）的 DOCX 和 PDF，"
        "以及统计报表和填报表（XLSX）。公文版式符合 GB/T 9704-2012。"
    ),
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _fail(exc: InputError) -> None:
    typer.echo(f"错误：{exc}", err=True)
    raise typer.Exit(code=2)


ALLOW_HELP = (
    "输入中引用的文件（附件、成员单位、季度数据等）还可以位于此文件夹（可写多次）；默认只能在输入文件所在的文件夹内"
)
MAX_JOBS = 64
REGISTRY_HELP = (
    "发文登记簿文件（默认：源码目录下的 gongwen-registry.sqlite3，与从哪个文件夹运行无关；"
    "安装后在 ~/.local/share/gongwen-reports/ 下）"
)


def _check_out_dir(out: Path, option: str = "--out") -> None:
    """The output folder must be a folder (or creatable as one), checked before any work."""
    from generators.core.output import out_dir_problem

    if problem := out_dir_problem(out, option):
        _fail(InputError(problem))


@app.command("build", help="生成文档。不给输入时处理 sample_inputs/ 下的全部样例；未变化的文档不重新生成。")
def build(
    inputs: Annotated[list[Path] | None, typer.Argument(help="YAML 输入文件或文件夹", show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹")] = OUTPUTS,
    formats: Annotated[str, typer.Option("--format", "-f", help="输出格式，逗号分隔：docx,pdf,xlsx")] = "docx,pdf,xlsx",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="并行进程数（默认：CPU 核数）", show_default=False)] = 0,
    force: Annotated[bool, typer.Option("--force", help="不管上次生成的记录，全部重新生成")] = False,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            help=REGISTRY_HELP,
            show_default=False,
        ),
    ] = None,
    allow: Annotated[list[Path] | None, typer.Option("--allow", help=ALLOW_HELP, show_default=False)] = None,
    copies: Annotated[
        bool, typer.Option("--copies", help="有份号和共印份数的公文按份生成：份号 000001 起，每份一个文件")
    ] = False,
    preprinted: Annotated[
        bool,
        typer.Option(
            "--preprinted", help="套打：有版头的公文另生成一份版头留白的（文件名加 -taoda），印在已印好红头的纸上"
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出错误")] = False,
) -> None:
    from generators.core.progress import Bar
    from generators.pipeline import batch
    from generators.pipeline.plan import FORMATS
    from generators.pipeline.run import build as build_documents

    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        _fail(InputError(f"不支持的输出格式：{'、'.join(unknown) or '（空）'}；可选：{','.join(FORMATS)}"))
    if jobs < 0:
        _fail(InputError(f"--jobs 应为正整数，实际是 {jobs}"))
    _check_out_dir(out)
    from generators.core.output import registry_problem

    if problem := registry_problem(registry):
        _fail(InputError(problem))
    workers = min(jobs or batch.default_workers(), MAX_JOBS)
    # A progress bar on a terminal; plain lines (or nothing with --quiet) in logs.
    with Bar("生成文档", enabled=not quiet) as bar:
        total = done = 0

        def started(planned: int) -> None:
            nonlocal total
            total = planned

        def finished(outcome) -> None:
            nonlocal done
            done += 1
            if bar.enabled:
                bar.update(done, total)
            elif not quiet:
                for rel in outcome.files:
                    typer.echo(f"已生成 {out / rel}")

        try:
            result = build_documents(
                inputs or [SAMPLE_INPUTS],
                out,
                chosen,
                workers=workers,
                force=force,
                registry=registry,
                allow=_allowed(allow),
                copies=copies,
                preprinted=preprinted,
                warn=(lambda w: None) if quiet else (lambda w: typer.echo(f"提示：{w}", err=True)),
                on_start=started,
                on_done=finished,
            )
        except InputError as exc:
            _fail(exc)
    if result.manifest_error:
        typer.echo(f"错误：生成记录未能保存（{result.manifest_error}）；下次生成时这些文档将重新生成。", err=True)
    if result.interrupted:
        typer.echo(
            f"已中断：完成 {len(result.made)} 份文档，其余 {result.planned - len(result.outcomes)} 份未生成"
            "（未留下不完整的文件）；再次运行同一命令即可继续。",
            err=True,
        )
        _print_failed(result.failed)
        # The stopped pool's threads may wait on pipes its workers left half-written:
        # leave now rather than be held at interpreter exit.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    if result.orphans and not quiet:
        typer.echo(
            f"提示：以下 {len(result.orphans)} 个文件是以前为这些输入生成的，现已不再生成（如文号作废、标题改变），"
            "未删除："
        )
        for rel in result.orphans[:20]:
            typer.echo(f"  {out / rel}")
        if len(result.orphans) > 20:
            typer.echo(f"  ……共 {len(result.orphans)} 个")
    if not quiet:
        for outcome in result.outcomes:
            for note in outcome.fallbacks:
                typer.echo(f"提示：{outcome.relpath}：{note}")
        made = result.made
        typer.echo(
            f"完成：生成 {len(made)} 份文档（PDF 共 {sum(o.pages for o in made)} 页）、"
            f"{sum(len(o.files) for o in made)} 个文件，未变化跳过 {result.skipped} 份，"
            f"失败 {len(result.failed)} 份，用时 {result.seconds:.1f} 秒。"
        )
    _print_failed(result.failed)
    if result.failed or result.manifest_error:
        raise typer.Exit(code=1)


def _allowed(allow: list[Path] | None) -> list[Path]:
    for folder in allow or []:
        if not folder.is_dir():
            _fail(InputError(f"--allow {folder}：不是已存在的文件夹"))
    return list(allow or [])


def _print_failed(failed: list) -> None:
    if failed:
        typer.echo(f"以下 {len(failed)} 份文档生成失败：", err=True)
        for outcome in failed:
            typer.echo(f"  {outcome.relpath}：{outcome.error}", err=True)


@app.command("form", help="生成某季度的空白填报表（XLSX）：每个成员单位一行，每项计数一列。")
def blank_form(
    period: Annotated[str, typer.Argument(help="季度，如 2013Q1")],
    book: Annotated[Path, typer.Option("--book", "-b", help="目标管理责任书 YAML（取成员单位和考核指标）")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="输出文件（默认 outputs/<年>/tianbao/）")] = None,
) -> None:
    from generators.indicators.period import parse_period
    from generators.kinds.supervision import book_counts
    from generators.sheets.forms import write_blank_form

    try:
        quarter = parse_period(period, where="命令行参数 PERIOD")
        spec, _indicators, counts = book_counts(book)
        target = out or OUTPUTS / str(quarter.year) / "tianbao" / f"{str(quarter).lower()}-tianbaobiao.xlsx"
        if target.is_dir():
            raise InputError(f"--out {target}：是已存在的文件夹，应为要生成的 .xlsx 文件名")
        _check_out_dir(target.parent)
        write_blank_form(target, quarter, list(spec.units), counts, group=spec.spec.group)
    except InputError as exc:
        _fail(exc)
    typer.echo(f"已生成 {target}（{len(spec.units)} 个单位，{len(counts)} 项计数）")


@app.command("check", help="检查一份已填好的季度数据（XLSX 填报表或 CSV），不生成文档。")
def check_results(
    data: Annotated[Path, typer.Argument(help="填好的 XLSX 或 CSV 文件")],
    period: Annotated[str, typer.Option("--period", "-p", help="季度，如 2012Q1")],
    book: Annotated[Path, typer.Option("--book", "-b", help="目标管理责任书 YAML")],
    allow: Annotated[list[Path] | None, typer.Option("--allow", help=ALLOW_HELP, show_default=False)] = None,
) -> None:
    from generators.core import notes
    from generators.core.safefile import allowed_roots
    from generators.indicators.period import parse_period
    from generators.kinds.supervision import book_counts
    from generators.sheets.forms import read_results

    try:
        with notes.collecting() as said:
            quarter = parse_period(period, where="--period")
            with allowed_roots(_allowed(allow)):
                spec, indicators, counts = book_counts(book)
            results = read_results(data, quarter, list(spec.units), counts, indicators)
    except InputError as exc:
        _fail(exc)
    for note in said:
        typer.echo(f"提示：{note}", err=True)
    names = {c.code: c.name for c in counts}
    blanks = [(u, names[c]) for u, values in results.counts.items() for c, v in values.items() if v is None]
    typer.echo(f"{data}：{quarter} 共 {len(results.counts)} 个单位、{len(counts)} 项计数，数据有效。")
    if blanks:
        more = "……" if len(blanks) > 20 else ""
        typer.echo(f"未报 {len(blanks)} 项：" + "；".join(f"{u} {c}" for u, c in blanks[:20]) + more)


@app.command("fonts", help="显示每种字体角色实际使用的字体文件；缺字时报错。--cache 生成预裁剪字体（加快 PDF 生成）。")
def show_fonts(
    cache: Annotated[bool, typer.Option("--cache", help="生成（或检查）预裁剪的中文字体缓存")] = False,
) -> None:
    if cache:
        from generators.core import fontcache

        fontcache.build(report=typer.echo)
        os.environ["FONTCONFIG_FILE"] = str(fontcache.active_conf())
    try:
        report = fonts.check_roles()
    except InputError as exc:
        _fail(exc)
    for face, _missing in report:
        name, use = fonts.ROLES[face.role]
        typer.echo(f"{name:　<8} {use:　<14} → {face.family}（{face.style}）{face.file}")
    gb2312 = len(charsets.gb2312_characters())
    typer.echo(f"全部 {len(fonts.CJK_ROLES)} 种中文字体角色均覆盖 GB2312 的 {gb2312} 个字符。")
    big5 = len(charsets.big5_common_characters())
    for role, missing, served in fonts.traditional_coverage():
        name = fonts.ROLES[role][0]
        if not missing:
            typer.echo(f"繁体字：{name} 覆盖 Big5 常用字 {big5} 个。")
            continue
        by = "，".join(f"{len(chars)} 个由 {family} 补" for family, chars in served.items() if family)
        typer.echo(f"繁体字：{name} 缺 Big5 常用字 {missing} 个（{by}）。")
        if "" in served:
            typer.echo(
                f"提示：{name} 有 {len(served[''])} 个 Big5 常用字没有字体能显示，如“{served[''][:10]}”", err=True
            )
    for warning in fonts.pdf_speed_warnings():
        typer.echo(f"提示：{warning}", err=True)


@app.command(
    "import",
    help="一键排版：把 Word/WPS 草稿（.docx）或纯文本（.txt，UTF-8 或 GB18030）导入为可生成的 YAML 输入，"
    "并写出识别报告。DRAFT 写 - 表示从标准输入读取。不覆盖已有文件。",
)
def import_draft_command(
    draft: Annotated[str, typer.Argument(help="草稿文件（.docx 或 .txt），或 - 表示标准输入", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹（YAML 和识别报告写在这里）")] = Path("."),
    code: Annotated[
        str | None,
        typer.Option("--code", help="机关代字：草稿还没有发文字号时使用（序号由发文登记簿分配）", show_default=False),
    ] = None,
) -> None:
    from generators.drafts import import_draft

    _check_out_dir(out)
    try:
        result = import_draft(None if draft == "-" else Path(draft), out, code=code)
    except InputError as exc:
        _fail(exc)
    typer.echo(f"已导入为{result.kind}：{result.main}")
    typer.echo(f"识别报告：{result.report}（请先核对，再运行 python make_reports.py build {result.main}）")
    if result.unsure:
        typer.echo(f"提示：有 {len(result.unsure)} 处需要核对，见识别报告“需要核对”一节。")


app.add_typer(cli_registry.app, name="number")  # 发文登记簿
app.command("archive")(cli_archive.archive)  # 归档包
app.command("serve")(cli_web.serve)  # 办公室网页
app.add_typer(cli_web.users, name="user")  # 网页账号


def main(prog_name: str | None = None) -> int:
    """Run the CLI; whatever goes wrong, the user sees one Chinese sentence, not a traceback."""
    from generators.core import crashlog, interrupt

    interrupt.install()
    try:
        app(prog_name=prog_name or Path(sys.argv[0]).name)
    except SystemExit:
        raise
    except interrupt.Interrupted as exc:
        typer.echo(f"{exc}，未完成的文件已删除。", err=True)
        return interrupt.EXIT_CODE
    except BaseException as exc:
        typer.echo(crashlog.report(exc), err=True)
        return 1
    return 0
