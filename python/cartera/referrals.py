"""Who customers bring: the referral graph — who brought whom, each referrer's reach,
referral value and influence — and the show-room customers of every portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book

__all__ = ["ReferralPolicy", "Referrals", "referrals"]

#: PageRank damping and tolerance, and the decay of referral value down a chain.
ReferralPolicy = _core.ReferralPolicy


@dataclass
class Referrals:
    """``customers``: who brought each customer (``referred_by``, the chain's ``origin`` and
    ``generation``), how many they referred, their ``reach`` down the chain, their
    ``referral_value`` and ``influence`` (PageRank); ``show_room``: the most influential
    satisfied referrers of each portfolio."""

    customers: pd.DataFrame
    show_room: pd.DataFrame
    iterations: int


def _satisfied(book: Book) -> np.ndarray:
    """Customers without a complaint still open."""
    complaints = book._core.table("complaints")
    ok = np.ones(len(book.customer_ids), dtype=np.uint8)
    if book.rows()["complaints"]:
        # Without a resolved column every complaint is still open.
        unresolved = complaints["resolved"] == _core.NO_DAY if "resolved" in complaints else slice(None)
        ok[complaints["customer"][unresolved]] = 0
    return ok


def referrals(
    book: Book,
    *,
    value: pd.Series | None = None,
    manager: Any = None,
    satisfied: pd.Series | None = None,
    per_portfolio: int = 3,
    policy: Any = None,
) -> Referrals:
    """Analyses the book's referrals.

    Each customer's acquisition referral is the earliest one that closes no cycle; chains,
    reach and referral value follow it. ``referral_value`` sums the ``value`` (a Series per
    customer: monetary, contribution…; each counts 1 without it) of the customers brought,
    weighted ``policy.decay`` per step down the chain: add it to a customer's value to credit
    the business they bring. ``influence`` is Boost.Graph's PageRank on referred → referrer
    (0.15 for a customer who referred nobody). Show-room customers are chosen among the
    ``satisfied`` (default: no complaint still open), ``per_portfolio`` per ``manager``
    portfolio (a Series or an Assignment).
    """
    policy = ReferralPolicy() if policy is None else policy
    if not isinstance(policy, ReferralPolicy):
        policy = ReferralPolicy.from_dict(dict(policy))
    customers = book.customer_ids
    values = None
    if value is not None:
        aligned = value.reindex(customers)
        if aligned.isna().any():
            row = _convert.first_row(aligned.isna().to_numpy())
            raise _convert.invalid("customers", "value", row, customers[row], "no value for this customer")
        values = aligned.to_numpy(dtype=np.float64)
    positions, managers = _convert.manager_rows(manager, customers)
    shown = (
        _satisfied(book)
        if satisfied is None
        else satisfied.reindex(customers).fillna(False).to_numpy(dtype=bool).astype(np.uint8)
    )
    raw = _core.analyse_referrals(book._core, values, policy, positions, len(managers), shown, int(per_portfolio))

    frame = _convert.frame(
        {
            "referred_by": _convert.labels_of(raw["referred_by"], customers).set_axis(customers),
            "origin": customers.take(raw["origin"]),
            "generation": raw["generation"],
            "referrals": raw["referrals"],
            "reach": raw["reach"],
            "referral_value": raw["referral_value"],
            "influence": raw["influence"],
        },
        index=customers,
    )
    room = raw["show_room"]
    show = _convert.frame(
        {
            "manager": _convert.labels_of(room["manager"], managers),
            "customer": customers.take(room["customer"]),
            "rank": room["rank"],
        }
    )
    show = show.join(frame[["influence", "reach", "referrals"]], on="customer")
    return Referrals(frame, show, int(raw["iterations"]))
