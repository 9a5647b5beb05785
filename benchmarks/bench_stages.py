"""The relationship ladder from Python: 1 M customers, about 20 M interactions, one call.

    python benchmarks/bench_stages.py [--customers 1000000] [--repeat 5]

Prints a Markdown table for docs/benchmarks.md (the target is at most 2 s).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import pandas as pd

import cartera


def timed(function, repeat: int) -> float:
    """Median wall time of `repeat` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    book = cartera.synthetic_book(
        args.customers, max(1, args.customers // 100), transactions_per_customer=12.85, interactions_per_customer=25.6
    )
    rows = book.rows()
    as_of = book.last_day
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; pandas {pd.__version__}, cartera {cartera.__version__}"
    )
    print(
        f"book: {rows['customers']:,} customers, {rows['interactions']:,} interactions, {rows['transactions']:,} transactions"
    )
    print()
    print("| work | time (median) |")
    print("|---|---:|")
    cases = {
        "cartera.stages, 60-day grace period, DataFrame out": lambda: cartera.stages(book, as_of),
        "cartera.stages, one thread": lambda: cartera.stages(book, as_of, threads=1),
        "cartera.stages, no hysteresis (grace_days=1)": lambda: cartera.stages(
            book, as_of, policy=cartera.StagePolicy(grace_days=1)
        ),
        "cartera.stages, relationship with the current manager": lambda: cartera.stages(
            book, as_of, relationship="current_manager"
        ),
    }
    for name, call in cases.items():
        print(f"| {name} | {timed(call, args.repeat) * 1000:,.0f} ms |")
    stages = cartera.stages(book, as_of)
    print(
        f"| cartera.ladder over the result ({len(book.manager_ids):,} portfolios) | {timed(lambda: cartera.ladder(book, stages), args.repeat) * 1000:,.0f} ms |"
    )
    counts = stages["stage"].value_counts(sort=False)
    print()
    print("stages: " + ", ".join(f"{stage} {count:,}" for stage, count in counts.items()))


if __name__ == "__main__":
    main()
