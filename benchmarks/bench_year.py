#!/usr/bin/env python3
"""Benchmark: a province's year of documents, measured side by side in one run.

    .venv/bin/python benchmarks/bench_year.py            # 100 units (about 2–3 minutes)
    .venv/bin/python benchmarks/bench_year.py --units 20 --sample 12

Prints, on this machine and in this run:
  1. PDF throughput on the same documents: the naive path (one weasyprint call per
     document, in one process, with the full system font collections) against the
     project's path (pre-subset, reordered faces; a process pool of --jobs workers), and
     the ratio; also the naive path as weasyprint runs without libharfbuzz-subset0 (it
     then subsets with fontTools: the ~6 s per document issue 6 measured);
  2. DOCX: python-docx from scratch per document, sequential, against the pool;
  3. the whole year (books, 4 quarterly 通报, a feedback sheet per unit and quarter,
     statistical tables, blank forms) through `make_reports.py build`: wall time and
     peak memory (PSS summed over the process and its workers, sampled every 50 ms);
  4. a rebuild with nothing changed.
Targets from issue 6 are shown beside each figure; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def _children(pid: int) -> list[int]:
    """Child processes, from /proc/PID/task/*/children (cheap: the sampler runs every
    50 ms beside the build it measures); a scan of /proc where that file is missing."""
    try:
        out = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(p) for p in fh.read().split()]
        return out
    except OSError:
        pass
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return out


def _memory_tree(pid: int) -> int:
    """Proportional set size (PSS) of the process and its descendants: forked workers
    share the parent's pages copy-on-write, and summing their RSS would count those
    pages once per worker."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
        todo += _children(p)
    return total


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak memory (PSS) of the process tree in bytes, stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _memory_tree(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"命令失败：{' '.join(command)}\n{err}")
    return seconds, peak, out


# One child process per path, so each has its own fonts configuration and imports.
RENDER = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from generators.core import fonts
fonts.configure()
from generators import batch, build
mode, folder, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
sample, workers = int(sys.argv[4]), int(sys.argv[5])
planned = batch.plan_changes([folder], out, ["docx", "pdf"], batch.Manifest(), batch.code_fingerprint())
docs = [j for j in planned.render if isinstance(j, build.Job)]
books = [j for j in docs if "zerenshu" in str(j.relpath)]
sheets = [j for j in docs if "fankui" in str(j.relpath)]
jobs = books[: sample // 2] + sheets[: sample - sample // 2]
fmt = mode.split("-")[1]
if mode.startswith("naive") or mode.startswith("fonttools"):
    import weasyprint
    if mode.startswith("fonttools"):
        import weasyprint.pdf.fonts
        weasyprint.pdf.fonts.harfbuzz_subset = None  # as without libharfbuzz-subset0
    from generators.render.docx import write_docx
    from generators.render.pdf import to_html
    from generators.core.paths import TEMPLATES
    started = time.perf_counter()
    for job in jobs:
        target = out / job.relpath.with_suffix("." + fmt)
        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "pdf":
            weasyprint.HTML(string=to_html(job.document), base_url=str(TEMPLATES)).write_pdf(target)
        else:
            from generators.render import docx as docx_module
            docx_module._base_package.cache_clear()  # from scratch: styles built per document
            write_docx(job.document, target)
    seconds = time.perf_counter() - started
else:
    started = time.perf_counter()
    outcomes = batch.run(jobs, out, [fmt], workers)
    seconds = time.perf_counter() - started
    assert not any(o.error for o in outcomes), [o.error for o in outcomes if o.error]
print(json.dumps({{"documents": len(jobs), "seconds": seconds}}))
"""


def render_path(mode: str, folder: Path, out: Path, sample: int, workers: int, fontconfig: Path) -> dict:
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig)}
    script = RENDER.format(root=str(ROOT))
    _, peak, stdout = timed([PYTHON, "-c", script, mode, str(folder), str(out), str(sample), str(workers)], env)
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak"] = peak
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="省级规模的年度文档生成基准（在同一次运行中对比）")
    parser.add_argument("--units", type=int, default=100, help="成员单位数（默认 100）")
    parser.add_argument("--sample", type=int, default=24, help="PDF/DOCX 对比所用的文档数（一半责任书、一半反馈意见）")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="并行进程数（默认：CPU 核数）")
    parser.add_argument("--skip-fonttools", action="store_true", help="不测无 HarfBuzz 裁剪库的朴素路径（它很慢）")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from generators.core import fontcache
    from generators.core.paths import FONTS_CONF

    cache = fontcache.build(report=lambda line: print(line, file=sys.stderr))
    with tempfile.TemporaryDirectory(prefix="gongwen-bench-") as tmp:
        work = Path(tmp)
        # The synthetic province's document numbers go to a registry of its own.
        os.environ["GONGWEN_REGISTRY"] = str(work / "registry.sqlite3")
        inputs = work / "inputs"
        subprocess.run(
            [PYTHON, "-m", "generators.cli.scale", str(args.units), "--out", str(inputs)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        print(f"机器：{len(os.sched_getaffinity(0))} 核；并行进程 {args.jobs}；{args.units} 个成员单位（合成数据）\n")

        def per_document(mode: str, fonts_conf: Path, workers: int) -> tuple[int, float]:
            result = render_path(mode, inputs, work / mode, args.sample, workers, fonts_conf)
            return result["documents"], result["seconds"] / result["documents"]

        n, pdf_ours = per_document("project-pdf", cache, args.jobs)
        _, pdf_naive = per_document("naive-pdf", FONTS_CONF, 1)
        _, docx_ours = per_document("project-docx", cache, args.jobs)
        _, docx_naive = per_document("naive-docx", FONTS_CONF, 1)
        rows = [("PDF", "朴素", pdf_naive, pdf_ours), ("DOCX", "朴素", docx_naive, docx_ours)]
        if not args.skip_fonttools:
            _, fonttools = per_document("fonttools-pdf", FONTS_CONF, 1)
            rows.insert(1, ("PDF", "朴素，无 HarfBuzz 裁剪库", fonttools, pdf_ours))
        print(f"同一批 {n} 份文档（一半责任书、一半督导反馈意见），每份平均秒数：")
        print(f"{'格式':<5}{'基线':<22}{'基线 s/份':>10}{'本项目 s/份':>12}{'倍数':>9}")
        for fmt, label, base, ours in rows:
            print(f"{fmt:<6}{label:<{24 - len(label)}}{base:>12.3f}{ours:>14.3f}{base / ours:>9.2f}×")
        print("  朴素：每份文档单独调用一次 weasyprint（系统的完整字体集）/ 从零建一个 python-docx 文档，")
        print("  单进程顺序执行。")
        print("  无 HarfBuzz 裁剪库：同上，但 WeasyPrint 像缺少 libharfbuzz-subset0 时那样改用 fontTools 裁剪字体")
        print("  （issue 6 所测「约 6 秒一份」的情形；tasks.sh 安装该库，make_reports.py fonts 检查它）。")
        print(f"  本项目：预裁剪并重排字形的字体 + 共享样式表 + {args.jobs} 个进程。目标：PDF 吞吐 ≥ 20×。\n")

        out = work / "outputs"
        env = {**os.environ, "FONTCONFIG_FILE": str(cache)}
        build = [PYTHON, "make_reports.py", "build", str(inputs), "--out", str(out), "--jobs", str(args.jobs)]
        full, peak, stdout = timed(build, env)
        summary = stdout.strip().splitlines()[-1]
        again, peak2, stdout2 = timed(build, env)
        files = sum(1 for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
        print(f"整年（{args.units} 个单位）：{summary}")
        memory = f"峰值内存（PSS）{peak / 2**30:.2f} GiB（目标 < 1.5 GiB）"
        print(f"  墙钟 {full:.1f} 秒（目标 < 60 秒），{memory}，文件 {files} 个")
        rebuilt = stdout2.strip().splitlines()[-1]
        print(f"  不变重建：{again:.2f} 秒（目标 < 3 秒），峰值内存 {peak2 / 2**20:.0f} MiB；{rebuilt}")


if __name__ == "__main__":
    main()
