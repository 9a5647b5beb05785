"""Customer value: cartera against pandas groupby, side by side in one run.

    python benchmarks/bench_value.py [--customers 1000000] [--repeat 7]

Both compute the same columns on the same synthetic book (tests/python/test_value.py
checks they agree); pandas gets plain frames of integer customer rows and days, its
fastest case. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np
import pandas as pd

import cartera
from pandas_peer import frames_of, pandas_value


def timed(function, repeat: int) -> tuple[float, object]:
    """Median wall time of `repeat` calls, after one warm-up call (first-touch page faults)."""
    times, result = [], function()
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument(
        "--transactions-per-customer",
        type=float,
        default=12.85,
        help="12.85 gives about 10 M transactions for 1 M customers",
    )
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    book = cartera.synthetic_book(
        args.customers, max(1, args.customers // 100), transactions_per_customer=args.transactions_per_customer
    )
    generated = time.perf_counter() - started
    rows = book.rows()
    as_of = book.last_day
    day = int((as_of - pd.Timestamp("1970-01-01")).days)
    policy = cartera.ValuePolicy()
    transactions, interactions, since = frames_of(book)

    ours, _ = timed(lambda: cartera.value(book, as_of, policy=policy), args.repeat)
    core_only, _ = timed(lambda: cartera._core.compute_value(book._core, day, policy, 0), args.repeat)
    ours_one_thread, _ = timed(lambda: cartera.value(book, as_of, policy=policy, threads=1), args.repeat)
    theirs, _ = timed(
        lambda: pandas_value(
            transactions,
            interactions,
            since,
            day,
            channel_costs=policy.channel_costs,
            other_channel_cost=policy.other_channel_cost,
        ),
        max(1, args.repeat // 2),
    )

    build, _ = timed(
        lambda: cartera.Book(
            pd.DataFrame({"id": np.arange(rows["customers"])}), transactions=transactions, interactions=interactions
        ),
        max(1, args.repeat // 2),
    )

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; pandas {pd.__version__}, numpy {np.__version__}, cartera {cartera.__version__}"
    )
    print(
        f"book: {rows['customers']:,} customers, {rows['transactions']:,} transactions, {rows['interactions']:,} interactions (generated in {generated:.2f} s)"
    )
    print()
    print("| work | time (median) | vs pandas |")
    print("|---|---:|---:|")
    print(f"| cartera.value, all cores | {ours * 1000:,.0f} ms | {theirs / ours:,.1f}× |")
    print(f"| cartera.value, one thread | {ours_one_thread * 1000:,.0f} ms | {theirs / ours_one_thread:,.1f}× |")
    print(f"| pandas groupby, same columns | {theirs * 1000:,.0f} ms | 1× |")
    print(
        f"| the C++ call alone, arrays out (no DataFrame) | {core_only * 1000:,.0f} ms | {theirs / core_only:,.1f}× |"
    )
    print(f"| cartera.Book from the same frames (once per book) | {build * 1000:,.0f} ms | |")


if __name__ == "__main__":
    main()
