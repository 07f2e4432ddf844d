"""A synthetic province for scale tests: N member units, their responsibility book,
a year of quarterly results and the supervision file, written as ordinary inputs.

    python -m generators.cli.scale 100 --out /tmp/province100

Everything is invented (names, people, counts) and says so; the book's wording and
targets are the 2012 sample's.  The same N and seed give the same files.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from generators.core.output import atomic_path
from generators.core.paths import SAMPLE_INPUTS
from generators.indicators.model import required_counts
from generators.kinds.supervision import book_targets, plain_targets
from generators.kinds.target_book import load_book
from generators.sheets.synthetic import synthetic_units, synthetic_year, write_results_csv

NOTE = "合成数据（虚构的省级规模样例），由 python -m generators.cli.scale 生成，只供性能测试。"


def _write(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def make_scale_inputs(n: int, folder: Path, *, seed: int = 2012) -> list[Path]:
    """Write units.yaml, target_book.yaml, results/*.csv and supervision.yaml into ``folder``."""
    folder = Path(folder)
    units = synthetic_units(n)
    units_yaml = {"成员单位": [u.model_dump(by_alias=True, exclude_none=True) for u in units]}
    _write(folder / "units.yaml", f"# {NOTE}\n" + yaml.safe_dump(units_yaml, allow_unicode=True, sort_keys=False))
    book_text = (SAMPLE_INPUTS / "2012" / "target_book.yaml").read_text(encoding="utf-8")
    _write(folder / "target_book.yaml", f"# {NOTE}\n" + book_text)
    book = load_book(folder / "target_book.yaml")
    dictionary = book.dictionary
    indicators = [dictionary.indicators[code] for code in book_targets(book)]
    targets = plain_targets(book)
    year = synthetic_year(book.spec.year, list(book.units), dictionary, indicators, targets, seed=seed)
    counts = required_counts(dictionary, indicators)
    written = [folder / "units.yaml", folder / "target_book.yaml"]
    for period, results in year.items():
        written.append(write_results_csv(folder / "results" / f"{period}.csv", results, counts, note=NOTE))
    supervision = (SAMPLE_INPUTS / "2012" / "supervision.yaml").read_text(encoding="utf-8")
    _write(folder / "supervision.yaml", f"# {NOTE}\n" + re.sub(r"(?m)^# 注意：.*\n", "", supervision))
    written.append(folder / "supervision.yaml")
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="生成 N 个成员单位的合成输入（责任书、四个季度数据、督导通报），用于规模测试"
    )
    parser.add_argument("units", type=int, help="成员单位数，如 100")
    parser.add_argument("--out", type=Path, required=True, help="输出文件夹")
    parser.add_argument("--seed", type=int, default=2012, help="随机种子")
    args = parser.parse_args(argv)
    if args.units < 1:
        parser.error("成员单位数应为正整数")
    for path in make_scale_inputs(args.units, args.out, seed=args.seed):
        print(path)


if __name__ == "__main__":
    main()
