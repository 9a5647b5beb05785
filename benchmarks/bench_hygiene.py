"""Duplicate detection on the messy book (``cartera.datasets.messy_book``): precision and
recall against the known truth, and the time of ``cartera.find_duplicates`` (splink on
DuckDB), at each size asked.

From the repository root: ``.venv/bin/python benchmarks/bench_hygiene.py [--customers 100000 1000000]``.
"""

from __future__ import annotations

import argparse
import time

import cartera
from cartera.datasets import messy_book


def measure(customers: int, seed: int) -> None:
    messy = messy_book(customers, duplicate_share=0.05, seed=seed)
    cleaned = cartera.clean(messy.tables["customers"], transactions=messy.tables["transactions"])
    started = time.perf_counter()
    pairs = cartera.find_duplicates(cleaned.book, threshold=0.9)
    seconds = time.perf_counter() - started
    truth = {frozenset(pair) for pair in zip(messy.duplicates["duplicate"], messy.duplicates["original"], strict=True)}
    found = {frozenset(pair) for pair in zip(pairs["customer_l"], pairs["customer_r"], strict=True)}
    hits = len(truth & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    print(
        f"| {customers:,} | {len(truth):,} | {len(found):,} | {precision:.4f} | {recall:.4f} | {seconds:.1f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    print(f"cartera {cartera.__version__}\n")
    print("| customers | true pairs | pairs found | precision | recall | find_duplicates (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for customers in arguments.customers:
        measure(customers, arguments.seed)


if __name__ == "__main__":
    main()
