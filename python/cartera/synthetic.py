"""The built-in synthetic bank: a whole book for demos, tests and benchmarks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .datasets import contact_data

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
    contacts: bool = True,
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
    contacts : bool
        Give the customers contact data (name, email, phone, postcode, tax id, birth date,
        the day it was last updated: up to four years back); the unreachable customers have
        no email, phone or postcode.
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
    book = Book._from_core(core)
    if contacts:
        book._contacts = _contacts(book, seed)
    return book


def _contacts(book: Book, seed: int) -> pd.DataFrame:
    """The customers' contact data, with no email, phone or postcode for the customers the
    book has as unreachable."""
    contacts = contact_data(len(book.customer_ids), np.random.default_rng([seed, 16]))
    contacts.index = book.customer_ids
    reachable = book._core.table("customers").get("reachable")
    if reachable is not None:
        unreachable = np.asarray(reachable) == 0
        contacts.loc[unreachable, ["email", "phone", "postcode"]] = None
    updated = book.last_day if book.last_day is not None else pd.Timestamp("2025-12-31")
    age = np.random.default_rng([seed, 17]).integers(0, 4 * 365, len(contacts))
    contacts["updated"] = (updated - pd.to_timedelta(age, unit="D")).to_numpy(dtype="datetime64[s]")
    return contacts


def synthetic_behaviours(n_customers: int, *, seed: int = 42) -> pd.Series:
    """The behaviour each customer of ``synthetic_book(n_customers, seed=seed)`` was given:
    steady, declining, growing or lapsed (useful to check alerts and trends)."""
    codes = np.asarray(_core.synthetic_behaviours(n_customers, seed))
    labels = pd.Categorical.from_codes(codes, categories=["steady", "declining", "growing", "lapsed"])
    ids = pd.Index([f"C{i:07d}" for i in range(1, n_customers + 1)], name="customer")
    return pd.Series(labels, index=ids, name="behaviour")
