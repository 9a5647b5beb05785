"""Precision and recall of the trend alerts against the behaviours the synthetic bank knows.

`synthetic_book` gives each customer one behaviour over the last 120 days of history:
steady, declining (a quarter of their usual rate), growing (three times) or lapsed (quiet).
This script runs `cartera.alerts` on the book and scores `growing` against the growing
customers, `declining` against the declining ones and `lapsed_valuable` against the lapsed
ones, both overall and among the valuable customers (the two alerts that look only at
valuable customers by default are also scored there). It also shows how many purchase days
a customer of each behaviour has in the last 90 days and before: the information an alert
has to work with.

From the repository root: ``.venv/bin/python benchmarks/bench_alerts.py [--customers 20000]``.
"""

from __future__ import annotations

import argparse

import pandas as pd

import cartera

PAIRS = (("growing", "growing"), ("declining", "declining"), ("lapsed_valuable", "lapsed"))


def scores(flagged: set, actual: set) -> tuple[int, float, float]:
    hits = len(flagged & actual)
    return len(flagged), hits / max(len(flagged), 1), hits / max(len(actual), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--transactions-per-customer", type=float, default=10.0, help="over the two years of history (default 10)"
    )
    parser.add_argument(
        "--false-discovery-rate", type=float, default=0.2, help="the alerts' policy; 1 is the thresholds alone"
    )
    arguments = parser.parse_args()
    n = arguments.customers
    book = cartera.synthetic_book(
        n, max(2, n // 500), seed=arguments.seed, transactions_per_customer=arguments.transactions_per_customer
    )
    truth = cartera.synthetic_behaviours(n, seed=arguments.seed)
    premium = cartera.segment(book)["tier"] == "Premium"
    policy = cartera.AlertPolicy(false_discovery_rate=arguments.false_discovery_rate)
    found = cartera.alerts(book, policy=policy, valuable=premium)  # valuable as the job has it: the Premium tier
    valuable = set(premium.index[premium])
    print(
        f"cartera {cartera.__version__}; {n:,} synthetic customers, seed {arguments.seed}, "
        f"{arguments.transactions_per_customer:g} transactions per customer, "
        f"false_discovery_rate {arguments.false_discovery_rate:g}\n"
    )
    print("| alert | behaviour | among | flagged | precision | recall |")
    print("|---|---|---|---:|---:|---:|")
    for alert, behaviour in PAIRS:
        flagged = set(found.loc[found["alert"] == alert, "customer"])
        actual = set(truth.index[truth == behaviour])
        for among, keep in (("all", None), ("valuable", valuable)):
            f, a = (flagged, actual) if keep is None else (flagged & keep, actual & keep)
            count, precision, recall = scores(f, a)
            print(f"| {alert} | {behaviour} | {among} | {count:,} | {precision:.3f} | {recall:.3f} |")
    tx = book.table("transactions").drop_duplicates(["customer", "day"])
    ago = (book.last_day - pd.to_datetime(tx["day"])).dt.days
    recent = tx[ago < 90].groupby("customer").size().reindex(book.customer_ids, fill_value=0)
    before = tx[ago >= 90].groupby("customer").size().reindex(book.customer_ids, fill_value=0)
    counts = pd.DataFrame({"last 90 days": recent, "before": before, "behaviour": truth.to_numpy()})
    print("\nMean purchase days per customer:\n")
    print(counts.groupby("behaviour", observed=True).mean().round(2).to_string())


if __name__ == "__main__":
    main()
