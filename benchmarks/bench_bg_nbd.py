"""BG/NBD fit and predict: cartera against lifetimes, side by side, on the same histories.

Histories are drawn from the model itself (r = 0.25, α = 4, a = 0.8, b = 2.5, in weeks,
first purchases spread over a year, observed up to 78 weeks), so the fit can also be
checked against the truth; times are whole days, as `repeat_summary` gives them. Both
libraries fit the same rows, then give probability alive and expected purchases in 39
weeks. lifetimes runs at the sizes given by --peer-sizes (it is slow past 100 k).

From the repository root: ``.venv/bin/python benchmarks/bench_bg_nbd.py``.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import cartera


def histories(customers: int, seed: int = 1) -> pd.DataFrame:
    random = np.random.default_rng(seed)
    rate = random.gamma(0.25, 1 / 4.0, customers)
    dropout = random.beta(0.8, 2.5, customers)
    age = random.uniform(26, 78, customers)  # first purchases spread over a year
    x = np.zeros(customers)
    last = np.zeros(customers)
    clock = np.zeros(customers)
    alive = np.ones(customers, dtype=bool)
    while alive.any():
        clock[alive] += random.exponential(1 / np.maximum(rate[alive], 1e-12))
        alive &= clock < age
        x[alive] += 1
        last[alive] = clock[alive]
        alive &= random.random(customers) >= dropout
    days = np.round(age * 7)
    return pd.DataFrame({"frequency": x, "recency": np.minimum(np.round(last * 7), days) / 7, "T": days / 7})


def timed(run, *arguments) -> tuple[float, object]:
    started = time.perf_counter()
    result = run(*arguments)
    return time.perf_counter() - started, result


def ours(summary: pd.DataFrame) -> cartera.BGNBD:
    model = cartera.BGNBD().fit(summary)
    model.p_alive(summary)
    model.expected_purchases(summary, 39)
    return model


def theirs(lifetimes, summary: pd.DataFrame) -> None:
    x, t_x, t = (summary[c].to_numpy() for c in ("frequency", "recency", "T"))
    fitter = lifetimes.BetaGeoFitter().fit(x, t_x, t)
    fitter.conditional_probability_alive(x, t_x, t)
    fitter.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--peer-sizes", type=int, nargs="+", default=[10_000, 100_000])
    arguments = parser.parse_args()
    import lifetimes

    warnings.filterwarnings("ignore")
    print(f"cartera {cartera.__version__}, lifetimes {lifetimes.__version__}\n")
    print("| customers | cartera fit + predict (s) | lifetimes (s) | speed-up | r | α | a | b |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in arguments.sizes:
        summary = histories(size)
        seconds, model = timed(ours, summary)
        peer = "—"
        speedup = "—"
        if size in arguments.peer_sizes:
            peer_seconds, _ = timed(theirs, lifetimes, summary)
            peer, speedup = f"{peer_seconds:.2f}", f"{peer_seconds / seconds:.0f}×"
        p = model.params_  # type: ignore[attr-defined]
        print(
            f"| {size:,} | {seconds:.3f} | {peer} | {speedup} | {p['r']:.3f} | {p['alpha']:.3f} | {p['a']:.3f} | {p['b']:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
