"""The same customer value computed with pandas groupby: the peer cartera is measured
against (benchmarks/bench_value.py) and checked with (tests/python/test_value.py).

Inputs are plain frames with integer customer rows and integer days, pandas' fastest case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def pandas_value(
    transactions: pd.DataFrame,
    interactions: pd.DataFrame,
    since: np.ndarray,
    as_of: int,
    *,
    window_days: int = 365,
    recent_days: int = 90,
    usual_periods: int = 4,
    channel_costs: dict[str, float],
    other_channel_cost: float,
) -> pd.DataFrame:
    n = len(since)
    customers = pd.RangeIndex(n, name="customer")

    def per_customer(grouped: pd.Series, fill: float) -> pd.Series:
        return grouped.reindex(customers, fill_value=fill)

    t = transactions[transactions["day"] <= as_of]
    age = as_of - t["day"]
    window = t[age < window_days]
    by_window = window.groupby("customer")
    frequency = per_customer(by_window.size(), 0)
    monetary = per_customer(by_window["amount"].sum(), 0.0)
    margin = per_customer(by_window["margin"].sum(), 0.0)
    by_customer = t.groupby("customer")["day"]
    first = by_customer.min().reindex(customers)
    last = by_customer.max().reindex(customers)
    lifetime = per_customer(t.groupby("customer")["amount"].sum(), 0.0)
    recent = per_customer(t[age < recent_days].groupby("customer")["amount"].sum(), 0.0)
    earlier_rows = t[(age >= recent_days) & (age < recent_days * (usual_periods + 1))]
    earlier = per_customer(earlier_rows.groupby("customer")["amount"].sum(), 0.0)

    i = interactions[interactions["day"] <= as_of]
    contacts = i[as_of - i["day"] < window_days]
    cost = contacts["channel"].astype(str).map(channel_costs).fillna(other_channel_cost).astype(float)
    by_contact = cost.groupby(contacts["customer"])
    cost_to_serve = per_customer(by_contact.sum(), 0.0)
    interaction_count = per_customer(by_contact.size(), 0)
    first_contact = i.groupby("customer")["day"].min().reindex(customers)

    known_since = pd.Series(np.where(since <= as_of, since, np.nan), index=customers)
    known = pd.concat([known_since, first, first_contact], axis=1).min(axis=1)
    periods = ((as_of - known) // recent_days).clip(0, usual_periods).fillna(0)
    usual = (earlier / periods.where(periods > 0)).fillna(0.0)
    trend = (recent / usual.where(usual > 0)).fillna(pd.Series(np.where(recent > 0, np.inf, 1.0), index=customers))
    frequency_nonzero = frequency.where(frequency > 0)
    return pd.DataFrame(
        {
            "recency": (as_of - last).fillna(np.inf).astype(float),
            "frequency": frequency,
            "monetary": monetary,
            "monetary_mean": (monetary / frequency_nonzero).fillna(0.0),
            "margin": margin,
            "tenure": (as_of - known).fillna(0).astype(int),
            "lifetime_monetary": lifetime,
            "recent": recent,
            "usual": usual,
            "trend": trend,
            "interactions": interaction_count,
            "cost_to_serve": cost_to_serve,
            "contribution": margin - cost_to_serve,
        }
    )


def frames_of(book) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """The book's transactions and interactions as pandas frames of integer rows and days."""
    raw_t = book._core.table("transactions")
    transactions = pd.DataFrame({name: raw_t[name] for name in ("customer", "day", "amount", "margin")})
    raw_i = book._core.table("interactions")
    labels, codes = raw_i["channel"]
    interactions = pd.DataFrame(
        {
            "customer": raw_i["customer"],
            "day": raw_i["day"],
            "channel": pd.Categorical.from_codes(codes, categories=labels),
        }
    )
    since = np.asarray(book._core.table("customers")["since"], dtype=np.float64)
    since[since == np.iinfo(np.int32).min] = np.inf
    return transactions, interactions, since
