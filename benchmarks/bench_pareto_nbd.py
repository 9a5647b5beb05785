"""Pareto/NBD fit and predict: cartera against lifetimes, side by side, on the same histories.

Histories are drawn from the model itself, at CDNOW's published parameters (r = 0.55,
α = 10.58, s = 0.61, β = 11.67, in weeks; first purchases spread over a year, observed up to
78 weeks, times in whole days as `repeat_summary` gives them), so the fit can be checked
against the truth. Both libraries fit the same rows, then give probability alive and
expected purchases in 39 weeks. lifetimes runs at the sizes given by --peer-sizes (its
Nelder–Mead fit is slow). With --bank, also the synthetic bank in days, where dropout hardly
varies and the fit runs along a ridge to s, β → ∞ (the most evaluations).

From the repository root: ``.venv/bin/python benchmarks/bench_pareto_nbd.py``.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import cartera
from cartera import _core
from cartera._repeat_model import _history


def histories(customers: int, seed: int = 1) -> pd.DataFrame:
    random = np.random.default_rng(seed)
    rate = random.gamma(0.55, 1 / 10.58, customers)
    lifetime = random.exponential(1 / random.gamma(0.61, 1 / 11.67, customers))
    age = random.uniform(26, 78, customers)
    end = np.minimum(lifetime, age)
    x = random.poisson(rate * end).astype(float)
    # Given x purchases in (0, end], the last is the largest of x uniform times.
    last = np.where(x > 0, end * random.random(customers) ** (1 / np.maximum(x, 1)), 0.0)
    days = np.round(age * 7)
    return pd.DataFrame({"frequency": x, "recency": np.minimum(np.round(last * 7), days) / 7, "T": days / 7})


def ours(summary: pd.DataFrame, threads: int) -> tuple[float, cartera.ParetoNBD, int]:
    started = time.perf_counter()
    model = cartera.ParetoNBD(threads=threads).fit(summary)
    model.p_alive(summary)
    model.expected_purchases(summary, 39)
    seconds = time.perf_counter() - started
    fit = _core.fit_pareto_nbd(*_history(summary), 0.0, model.max_iterations, model.tolerance, threads, None)
    return seconds, model, int(fit["evaluations"])


def theirs(lifetimes, summary: pd.DataFrame) -> float:
    x, t_x, t = (summary[c].to_numpy() for c in ("frequency", "recency", "T"))
    started = time.perf_counter()
    fitter = lifetimes.ParetoNBDFitter().fit(x, t_x, t)
    fitter.conditional_probability_alive(x, t_x, t)
    fitter.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, t)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--peer-sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--bank", type=int, default=0, help="customers of the synthetic bank to fit too (in days)")
    arguments = parser.parse_args()
    import lifetimes

    warnings.filterwarnings("ignore")
    print(f"cartera {cartera.__version__}, lifetimes {lifetimes.__version__}\n")
    print("| histories | customers | cartera, 2 threads (s) | 1 thread (s) | evaluations | lifetimes (s) | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    books = [("drawn from the model", size, histories(size)) for size in arguments.sizes]
    if arguments.bank:
        bank = cartera.synthetic_book(arguments.bank, 10, seed=1)
        books.append(("synthetic bank, days", arguments.bank, cartera.repeat_summary(bank)))
    for name, size, summary in books:
        seconds, model, evaluations = ours(summary, 0)
        one_thread, _, _ = ours(summary, 1)
        peer, speedup = "—", "—"
        if size in arguments.peer_sizes and name.startswith("drawn"):
            peer_seconds = theirs(lifetimes, summary)
            peer, speedup = f"{peer_seconds:.2f}", f"{peer_seconds / seconds:.0f}×"
        p = model.params_
        print(
            f"| {name} | {size:,} | {seconds:.3f} | {one_thread:.3f} | {evaluations} | {peer} | {speedup} |"
            f" r={p['r']:.3f} α={p['alpha']:.3f} s={p['s']:.3f} β={p['beta']:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
