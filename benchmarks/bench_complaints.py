"""The complaint indicator at 1 M customers, side by side with the same counts in pandas.

Two books: the synthetic bank (1 M customers, about 5 % of whom complain once) and a dense
one (the same customers and purchases, two complaints each: 2 M complaints). cartera gives
every column of ``complaint_indicator`` (the stay after a complaint included, which looks
up each complainer's purchases); the pandas peer groups the complaints by manager and month
for the counted columns only (complaints, resolved, first contact, mean days to resolve),
the part that needs no join with the purchases. Each is the best of 3 in the same run.

Run from the repository root: ``.venv/bin/python benchmarks/bench_complaints.py [--customers 1000000]``.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from timing import best_of

import cartera


def dense_book(book: cartera.Book, seed: int = 5) -> cartera.Book:
    """The book's customers, managers and purchases, with two complaints per customer."""
    random = np.random.default_rng(seed)
    customers = book.table("customers").rename_axis("id").reset_index()
    n = len(customers)
    end = book.last_day
    opened = end - pd.to_timedelta(random.integers(0, 730, size=2 * n), unit="D")
    resolved = (opened + pd.to_timedelta(random.integers(0, 60, size=2 * n), unit="D")).where(
        random.random(2 * n) < 0.8
    )
    complaints = pd.DataFrame(
        {
            "customer": np.repeat(customers["id"].to_numpy(), 2),
            "opened": opened,
            "resolved": resolved,
            "first_contact": (random.random(2 * n) < 0.4) & resolved.notna(),
        }
    )
    managers = book.table("managers").rename_axis("id").reset_index()
    return cartera.Book(customers, managers=managers, transactions=book.table("transactions"), complaints=complaints)


def pandas_counts(book: cartera.Book, as_of: pd.Timestamp) -> pd.DataFrame:
    complaints = book.table("complaints")
    complaints = complaints[complaints["opened"] <= as_of]
    manager = book.table("customers")["manager"].reindex(complaints["customer"]).to_numpy()
    resolved = complaints["resolved"].notna() & (complaints["resolved"] <= as_of)
    frame = pd.DataFrame(
        {
            "manager": manager,
            "month": complaints["opened"].dt.to_period("M").dt.start_time,
            "resolved": resolved,
            "first_contact": resolved & complaints["first_contact"].astype(bool),
            "days": (complaints["resolved"] - complaints["opened"]).dt.days.where(resolved),
        }
    )
    out = frame.groupby(["manager", "month"], dropna=False).agg(
        complaints=("resolved", "size"),
        resolved=("resolved", "sum"),
        first_contact=("first_contact", "sum"),
        mean_days_to_resolve=("days", "mean"),
    )
    out["first_contact_share"] = out["first_contact"] / out["complaints"]
    return out


def run(name: str, book: cartera.Book) -> None:
    as_of = book.last_day
    revenue = cartera.value(book, as_of)["monetary"]
    ours, indicator = best_of(3, lambda: cartera.complaint_indicator(book, as_of, value=revenue))
    theirs, counts = best_of(3, lambda: pandas_counts(book, as_of))
    assert indicator["complaints"].sum() == counts["complaints"].sum()
    print(
        f"{name}: {len(book.customer_ids):,} customers, {indicator['complaints'].sum():,} complaints, "
        f"{len(indicator):,} manager-months: cartera {ours:.3f} s (every column); "
        f"pandas {theirs:.3f} s (the counts alone); ratio {theirs / ours:.1f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    book = cartera.synthetic_book(args.customers, args.customers // 100, seed=7)
    run("synthetic bank", book)
    run("two complaints each", dense_book(book))


if __name__ == "__main__":
    main()
