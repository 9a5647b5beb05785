"""The day after the campaigns at 1 M customers, side by side with pandas, in the same run.

The synthetic bank of 1 M customers has four central campaigns, each reaching 15 % of the
customers (about 600 000 campaign contacts). cartera measures every contact: the first
purchase or customer-started contact in the response window, what was bought, the
manager's follow-up and the outcome. The pandas peer finds each contact's first purchase
in the window only (``merge_asof`` on the purchases, by customer), a part of the work.
Each is the best of 3.

Run from the repository root: ``.venv/bin/python benchmarks/bench_campaigns.py [--customers 1000000]``.
"""

from __future__ import annotations

import argparse

import pandas as pd
from timing import best_of

import cartera


def first_purchase_after(book: cartera.Book, response_days: int) -> pd.Series:
    campaigns = book.table("campaigns").sort_values("day", kind="stable")
    purchases = book.table("transactions")[["customer", "day"]].rename(columns={"day": "bought"})
    purchases = purchases.sort_values("bought", kind="stable")
    # The first purchase strictly after the campaign day: merge forward from the next day.
    ahead = campaigns.assign(after=(campaigns["day"] + pd.Timedelta(days=1)).astype(purchases["bought"].dtype))
    matched = pd.merge_asof(ahead, purchases, left_on="after", right_on="bought", by="customer", direction="forward")
    window = matched["bought"] - matched["day"] <= pd.Timedelta(days=response_days)
    return matched["bought"].where(window)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    book = cartera.synthetic_book(args.customers, args.customers // 100, seed=7)
    ours, responses = best_of(3, lambda: cartera.campaign_responses(book))
    theirs, first = best_of(3, lambda: first_purchase_after(book, 14))
    bought = int(responses["bought"].sum())
    assert bought == int(first.notna().sum()), (bought, int(first.notna().sum()))
    print(
        f"{len(book.customer_ids):,} customers, {len(responses):,} campaign contacts, {bought:,} bought after: "
        f"cartera {ours:.3f} s (responses, revenue, follow-ups, outcomes); "
        f"pandas merge_asof {theirs:.3f} s (first purchase alone); ratio {theirs / ours:.1f}×"
    )


if __name__ == "__main__":
    main()
