"""The ``cartera`` command line."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

import pandas as pd

from . import __version__
from .synthetic import synthetic_book
from .value import value

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    book = synthetic_book(args.customers, args.managers, seed=args.seed)
    built = time.perf_counter()
    values = value(book)
    done = time.perf_counter()
    rows = book.rows()
    print(f"cartera {__version__} demo: a synthetic bank (seed {args.seed})")
    print(
        f"  book: {rows['customers']:,} customers, {rows['managers']:,} managers, {rows['transactions']:,} transactions, "
        f"{rows['interactions']:,} interactions, {rows['complaints']:,} complaints, {rows['referrals']:,} referrals"
    )
    as_of = "-" if book.last_day is None else book.last_day.date()
    print(f"  generated in {built - started:.2f} s; value as of {as_of} in {done - built:.3f} s")
    _print_value_summary(values)
    return 0


def _print_value_summary(values: pd.DataFrame) -> None:
    ranked = values["monetary"].sort_values(ascending=False)
    total = ranked.sum()
    top_share = ranked.iloc[: max(1, len(ranked) // 5)].sum() / total if total > 0 else 0.0
    active = int((values["frequency"] > 0).sum())
    below_zero = int((values["contribution"] < 0).sum())
    declining = int(((values["recent"] > 0) & (values["trend"] < 0.4)).sum())
    print(f"  customers who bought in the last year: {active:,} of {len(values):,}")
    print(f"  revenue in the last year: {total:,.0f}; the top 20 % of customers bring {top_share:.0%}")
    print(f"  contribution below zero (cost to serve above margin): {below_zero:,} customers")
    print(f"  active customers buying under 40 % of their usual: {declining:,}")
    summary = values[["recency", "frequency", "monetary", "margin", "cost_to_serve", "contribution", "trend"]]
    finite = summary.replace([float("inf")], float("nan"))
    print()
    print(finite.describe(percentiles=[0.5, 0.9]).T.to_string(float_format=lambda x: f"{x:,.2f}"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cartera", description="Customer portfolio management.")
    parser.add_argument("--version", action="version", version=f"cartera {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the main job on the built-in synthetic bank")
    demo.add_argument("--customers", type=int, default=100_000, help="customers in the synthetic book (default 100000)")
    demo.add_argument("--managers", type=int, default=1_000, help="managers in the synthetic book (default 1000)")
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, TypeError, KeyError) as error:
        print(f"cartera: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`cartera demo | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
