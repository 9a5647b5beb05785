"""cartera's referral analysis side by side with igraph's PageRank, in the same run.

1 M customers and 2 M referrals, two shapes: from older customers to newer ones (how
acquisition works) and between any two customers (cycles everywhere). cartera computes the
acquisition forest, chains, reach, referral value and Boost.Graph's PageRank to 1e-6;
igraph (PRPACK) builds its graph and computes PageRank only, on the same reversed edges.
The two PageRanks differ in form (Boost's is not normalised and lets the rank of customers
who were never referred leak), so the script checks that they rank customers alike
(Spearman's correlation) rather than equal values.

Needs the peer: ``scripts/setup --peers``. Run from the repository root:
``.venv/bin/python benchmarks/bench_referrals.py [--customers 1000000]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import cartera


def referral_table(customers: int, any_direction: bool, seed: int = 3) -> pd.DataFrame:
    random = np.random.default_rng(seed)
    a = random.integers(0, customers, size=2 * customers)
    b = random.integers(0, customers - 1, size=2 * customers)
    b = b + (b >= a)
    if not any_direction:
        a, b = np.minimum(a, b), np.maximum(a, b)
    day = np.datetime64("2020-01-01") + (
        random.integers(0, 2000, size=len(a)) if any_direction else b // (customers // 2000 + 1)
    )
    return pd.DataFrame({"referrer": a, "referred": b, "day": day.astype("datetime64[D]")})


def run(customers: int, any_direction: bool) -> None:
    import igraph

    table = referral_table(customers, any_direction)
    book = cartera.Book(pd.DataFrame({"id": np.arange(customers)}), referrals=table)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        network = cartera.referrals(book)
        timings.append(time.perf_counter() - start)
    ours = min(timings)
    peer_timings = []
    for _ in range(3):
        start = time.perf_counter()
        pairs = np.unique(np.stack([table["referred"].to_numpy(), table["referrer"].to_numpy()], axis=1), axis=0)
        graph = igraph.Graph(n=customers, edges=pairs, directed=True)
        rank = np.asarray(graph.pagerank(damping=0.85))
        peer_timings.append(time.perf_counter() - start)
    theirs = min(peer_timings)
    spearman = pd.Series(network.customers["influence"].to_numpy()).corr(pd.Series(rank), method="spearman")
    shape = "any direction" if any_direction else "older → newer"
    print(
        f"{customers:>9,} customers, {len(table):>9,} referrals ({shape}): cartera {ours:6.2f} s "
        f"({network.iterations} PageRank iterations, with forest, reach and value); "
        f"igraph PageRank {theirs:6.2f} s; ratio {theirs / ours:4.2f}×; Spearman {spearman:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[1_000_000])
    args = parser.parse_args()
    for customers in args.customers:
        for any_direction in (False, True):
            run(customers, any_direction)


if __name__ == "__main__":
    main()
