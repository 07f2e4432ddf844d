"""``archive`` command: the archive package of one year.  The work is imported
inside the command, so loading the CLI (and ``--help``) stays fast."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer


def _fail(message: object) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code=2)


def archive(
    year: Annotated[str, typer.Argument(help="年度，如 2012", show_default=False)],
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="YAML 输入文件或文件夹（默认 sample_inputs/）", show_default=False)
    ] = None,
    fonds: Annotated[str, typer.Option("--fonds", help="全宗号，如 Z109（必填）", show_default=False)] = "",
    retention: Annotated[str, typer.Option("--retention", help="保管期限：永久、定期30年、定期10年")] = "永久",
    fonds_name: Annotated[
        str | None, typer.Option("--fonds-name", help="全宗名称（默认：文档中最常见的责任者）", show_default=False)
    ] = None,
    organ: Annotated[
        str | None, typer.Option("--organ", help="机构（问题）代码，如 BGS；给出时写入档号", show_default=False)
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="输出文件夹（默认 outputs/）")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="并行进程数（默认：CPU 核数）", show_default=False)] = 0,
    allow: Annotated[
        list[Path] | None,
        typer.Option("--allow", help="输入中引用的文件还可以位于此文件夹（可写多次）", show_default=False),
    ] = None,
) -> None:
    """按 DA/T 22-2015 生成某年度的归档包：PDF/A-2b 文档、归档文件目录（XLSX）、SHA-256 清单。"""
    from generators.archive.package import archive_inputs
    from generators.core.errors import InputError
    from generators.core.paths import OUTPUTS, SAMPLE_INPUTS
    from generators.core.progress import Bar
    from generators.pipeline.batch import default_workers

    started = time.monotonic()
    if not year.strip().isdigit() or len(year.strip()) != 4:
        _fail(f"年度应为四位数字，如 2012；实际是“{year}”")
    if not fonds:
        _fail("请用 --fonds 给出全宗号，如 --fonds Z109")
    if jobs < 0:
        _fail(f"--jobs 应为正整数，实际是 {jobs}")
    from generators.core.output import out_dir_problem

    if problem := out_dir_problem(out or OUTPUTS):
        _fail(problem)
    for folder in allow or []:
        if not folder.is_dir():
            _fail(f"--allow {folder}：不是已存在的文件夹")
    try:
        with Bar("生成归档 PDF/A") as bar:
            folder = archive_inputs(
                inputs or [SAMPLE_INPUTS],
                out or OUTPUTS,
                int(year),
                fonds=fonds,
                retention=retention,
                fonds_name=fonds_name,
                organ=organ,
                allow=allow or [],
                workers=jobs or default_workers(),
                report=bar.update,
            )
    except InputError as exc:
        _fail(exc)
    import json

    manifest = json.loads(next(folder.glob("*-manifest.json")).read_text(encoding="utf-8"))
    pdfs = [f for f in manifest["files"] if "pages" in f]
    typer.echo(
        f"已生成归档包 {folder}：{len(pdfs)} 件，PDF/A 共 {sum(f['pages'] for f in pdfs)} 页，"
        f"用时 {time.monotonic() - started:.1f} 秒。"
    )
