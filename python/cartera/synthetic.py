"""The built-in synthetic bank: a whole book for demos, tests and benchmarks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book

__all__ = ["synthetic_book", "synthetic_behaviours"]

_DEFAULTS = _core.SYNTHETIC_DEFAULTS


def synthetic_book(
    n_customers: int = 10_000,
    n_managers: int = 100,
    *,
    seed: int = 42,
    end: Any = None,
    history_days: int = _DEFAULTS["history_days"],
    transactions_per_customer: float = _DEFAULTS["transactions_per_customer"],
    interactions_per_customer: float = _DEFAULTS["interactions_per_customer"],
    threads: int = 0,
) -> Book:
    """A deterministic synthetic book of a retail bank.

    Customers have Pareto-shaped value, join over ten years, live in eight regions served
    by managers of the same region, and in the last 120 days of history either keep
    buying as usual, decline (to a quarter of their rate), grow (three times) or lapse.
    Purchases and contacts on seven channels follow Poisson processes; about 5 % complain
    and 8 % were referred by another customer. The same arguments give the same book on
    every machine and thread count.

    Parameters
    ----------
    n_customers, n_managers : int
    seed : int
    end : date-like, optional
        Last day of history (default 2025-12-31).
    history_days : int
        Length of the history, in days (default two years).
    transactions_per_customer, interactions_per_customer : float
        Mean purchases and contacts of a customer present over the whole history.
    """
    end_day = _DEFAULTS["end"] if end is None else _convert.day_number(end, "end")
    core = _core.synthetic_book(
        n_customers,
        n_managers,
        seed,
        end_day,
        history_days,
        transactions_per_customer,
        interactions_per_customer,
        threads,
    )
    return Book._from_core(core)


def synthetic_behaviours(n_customers: int, *, seed: int = 42) -> pd.Series:
    """The behaviour each customer of ``synthetic_book(n_customers, seed=seed)`` was given:
    steady, declining, growing or lapsed (useful to check alerts and trends)."""
    codes = np.asarray(_core.synthetic_behaviours(n_customers, seed))
    labels = pd.Categorical.from_codes(codes, categories=["steady", "declining", "growing", "lapsed"])
    ids = pd.Index([f"C{i:07d}" for i in range(1, n_customers + 1)], name="customer")
    return pd.Series(labels, index=ids, name="behaviour")
