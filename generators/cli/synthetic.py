"""``python -m generators.cli.synthetic BOOK --out FOLDER``: a year of synthetic
quarterly results (CSV) for a responsibility book's units and targets (invented
numbers, see generators/sheets/synthetic.py)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from generators.indicators.units import find_unit
from generators.kinds.supervision import book_plan
from generators.kinds.target_book import load_book
from generators.sheets.synthetic import pick_shortfalls, pick_zero, split_strata, synthetic_year, write_results_csv


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成合成的季度数据（CSV，合成数据，不是真实统计）")
    parser.add_argument("book", type=Path, help="目标管理责任书 YAML（取成员单位、年份和各单位目标）")
    parser.add_argument("--out", type=Path, required=True, help="输出文件夹：写入 <年>Q1.csv … <年>Q4.csv")
    parser.add_argument("--seed", type=int, default=2012, help="随机种子（相同种子得到相同数据）")
    parser.add_argument("--shortfalls", type=int, default=3, help="随机挑选、刻意未达标的（单位，指标）对数")
    parser.add_argument("--shortfall", action="append", default=[], help="另指定未达标的“单位:指标”，可重复")
    parser.add_argument("--year", type=int, default=None, help="数据的年份（默认为责任书的年份；上年数据写上一年）")
    parser.add_argument("--quarters", type=int, default=4, choices=range(1, 5), help="写出前几个季度（默认 4）")
    args = parser.parse_args(argv)
    book = load_book(args.book)
    plan = book_plan(book)  # stratified targets by stratum; relative ones (比上年…) have no base here
    dictionary = plan.split.dictionary
    units = list(book.units)
    targets = plan.targets
    indicators = sorted(plan.indicators, key=lambda i: i.code)
    counts = plan.counts
    shortfalls = pick_shortfalls(units, targets, indicators, seed=args.seed, n=args.shortfalls)
    for text in args.shortfall:
        unit_key, _, indicator_key = text.partition(":")
        unit = find_unit(units, unit_key)
        if unit is None:
            parser.error(f"--shortfall {text}：“{unit_key}”不是成员单位")
        pair = (unit.name, dictionary.require(indicator_key, field="--shortfall").code)
        shortfalls += [pair] if pair not in shortfalls else []
    by_stratum = [p for p in shortfalls if p[1] in plan.split.base]
    try:
        year = synthetic_year(
            args.year or book.spec.year, units, dictionary, indicators, targets, seed=args.seed,
            shortfalls=[p for p in shortfalls if p not in by_stratum],
        )  # fmt: skip
    except ValueError as exc:
        parser.error(f"--shortfall：该单位没有这个指标的目标（{exc}）")
    year = split_strata(year, plan.split, targets, seed=args.seed, shortfalls=by_stratum)
    note = f"{book.spec.group}成员单位季度数据，由 python -m generators.cli.synthetic 以种子 {args.seed} 生成。"
    for period, results in year.items():
        if period.quarter > args.quarters:
            continue
        print(write_results_csv(args.out / f"{period}.csv", results, counts, note=note))
    for unit_name, code in shortfalls:
        print(f"未达标（刻意）：{unit_name} {dictionary.indicators[code].name}")
    zero = pick_zero(units, [c for c in counts if c.code not in {i.numerator for i in indicators}], seed=args.seed)
    if zero:
        print(f"分母为 0：{zero[0]} {args.year or book.spec.year}Q{zero[1]} {dictionary.counts[zero[2]].name}")


if __name__ == "__main__":
    main()
