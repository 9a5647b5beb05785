"""The book's own IDIC readiness at 1 M customers, side by side with the same shares in pandas.

cartera's ``book_readiness`` (value and stages given, as the job gives them) against pandas
computing the same figures from the book's tables: reachable, valued, a two-way
interaction in the year and in both halves of it, at intimar or confiar, and the most
valuable 10 %'s part of the revenue. Each is the best of 3, in the same run; the script
checks that both give the same shares.

Run from the repository root: ``.venv/bin/python benchmarks/bench_readiness.py [--customers 1000000]``.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd
from timing import best_of

import cartera


def pandas_shares(book: cartera.Book, values: pd.DataFrame, stages: pd.DataFrame) -> dict[str, float]:
    as_of = book.last_day
    customers = book.table("customers")
    n = len(customers)
    talks = book.table("interactions")
    talks = talks[talks["two_way"] & (talks["day"] > as_of - pd.Timedelta(days=365)) & (talks["day"] <= as_of)]
    late = talks["day"] > as_of - pd.Timedelta(days=182)
    halves = talks.assign(late=late).groupby("customer")["late"].agg(["min", "max"])
    revenue = np.sort(values["monetary"].clip(lower=0).to_numpy())[::-1]
    top = math.ceil(0.1 * n)
    return {
        "identify": float(customers["reachable"].mean()),
        "differentiate": float((values["frequency"] > 0).mean()),
        "mvc_revenue_share": float(revenue[:top].sum() / revenue.sum()),
        "interact": len(halves) / n,
        "dialogue_continuity": float((halves["min"] != halves["max"]).mean()),
        "individualise": float(stages["stage"].isin(["intimar", "confiar"]).mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    book = cartera.synthetic_book(args.customers, args.customers // 100, seed=7)
    values, stages = cartera.value(book), cartera.stages(book)
    ours, measured = best_of(3, lambda: cartera.book_readiness(book, value=values, stages=stages))
    theirs, expected = best_of(3, lambda: pandas_shares(book, values, stages))
    for name, share in expected.items():
        assert abs(measured.loc[name, "share"] - share) < 1e-9, (name, measured.loc[name, "share"], share)
    print(
        f"{len(book.customer_ids):,} customers, {book.rows()['interactions']:,} interactions: "
        f"cartera {ours:.3f} s; pandas {theirs:.3f} s (the same six shares); ratio {theirs / ours:.1f}×"
    )


if __name__ == "__main__":
    main()
