"""Segmentation on 1 M customers: k-means against scikit-learn side by side, and
scoring + ABC + RFM + rules (the target is at most 1 s).

    python benchmarks/bench_segmentation.py [--customers 1000000] [--clusters 8] [--iterations 30]

k-means: both get the same standardised 1 M × 8 matrix (eight value features of the
synthetic bank), the same k, one initialisation, and tol=0 so both run exactly
`--iterations` Lloyd iterations. Prints Markdown tables for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans as SklearnKMeans
from threadpoolctl import threadpool_info

import cartera


def timed(function, repeat: int) -> tuple[float, object]:
    """Median wall time of `repeat` calls after a warm-up call, and the last result."""
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


FEATURES = ["recency", "frequency", "monetary", "margin", "cost_to_serve", "interactions", "tenure", "usual"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--clusters", type=int, default=8)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    book = cartera.synthetic_book(args.customers, max(1, args.customers // 100))
    value = cartera.value(book)
    features = np.log1p(value[FEATURES].replace(np.inf, np.nan).fillna(value["tenure"].max()).clip(lower=0))
    points = np.ascontiguousarray(((features - features.mean()) / features.std(ddof=0)).to_numpy())

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; scikit-learn {sklearn.__version__}, numpy {np.__version__}, cartera {cartera.__version__}"
    )
    blas = {info.get("internal_api") for info in threadpool_info()}
    print(f"threadpools: {sorted(filter(None, blas))}")
    print()
    ours_time, ours = timed(
        lambda: cartera.KMeans(args.clusters, n_init=1, max_iter=args.iterations, tol=0.0, standardise=False).fit(
            points
        ),
        args.repeat,
    )
    theirs_time, theirs = timed(
        lambda: SklearnKMeans(
            args.clusters, n_init=1, max_iter=args.iterations, tol=0.0, algorithm="lloyd", random_state=0
        ).fit(points),
        args.repeat,
    )
    print(
        f"k-means, {points.shape[0]:,} × {points.shape[1]}, k = {args.clusters}, {args.iterations} iterations, one initialisation:"
    )
    print()
    print("| implementation | time (median) | iterations | inertia | vs scikit-learn |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| cartera.KMeans | {ours_time * 1000:,.0f} ms | {ours.n_iter_} | {ours.inertia_:,.0f} | {theirs_time / ours_time:.2f}× |"
    )
    print(
        f"| scikit-learn KMeans (lloyd) | {theirs_time * 1000:,.0f} ms | {theirs.n_iter_} | {theirs.inertia_:,.0f} | 1× |"
    )
    print()

    rules = cartera.Rules(
        [
            ("Cuidar", "tier == 'Premium' and recency > 60"),
            ("Reducir coste", "contribution < 0 and tier != 'Premium'"),
            ("Crecer", "trend > 1.5 and frequency >= 3"),
        ],
        default="Mantener",
    )
    scorer = cartera.TierScorer(
        [
            cartera.Variable("monetary", 2),
            cartera.Variable("frequency"),
            cartera.Variable("margin"),
            cartera.Variable("recency", higher_is_better=False),
        ]
    )
    rfm = cartera.RFM()

    def all_four() -> pd.DataFrame:
        tiers = scorer.fit_predict(value)
        classes = cartera.abc(value["monetary"])
        scores = rfm.fit_predict(value)
        frame = value.assign(tier=tiers["tier"], abc=classes["abc"], rfm_segment=scores["segment"])
        return frame.assign(rule=rules.predict(frame)["label"])

    tiered = value.assign(tier=scorer.fit_predict(value)["tier"])
    print(f"Segmenters on {len(value):,} customers (from the value table), DataFrames in and out:")
    print()
    print("| work | time (median) |")
    print("|---|---:|")
    for name, call in {
        "TierScorer.fit_predict (4 variables, percentile)": lambda: scorer.fit_predict(value),
        "abc (monetary)": lambda: cartera.abc(value["monetary"]),
        "RFM.fit_predict (scores and 11 named segments)": lambda: rfm.fit_predict(value),
        "Rules.predict (3 rules)": lambda: rules.predict(tiered),
    }.items():
        print(f"| {name} | {timed(call, args.repeat)[0] * 1000:,.0f} ms |")
    print(f"| **all four together** | **{timed(all_four, args.repeat)[0] * 1000:,.0f} ms** |")


if __name__ == "__main__":
    main()
