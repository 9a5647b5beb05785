"""Who customers are with us and who they bring: relationship structures and referrals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .segmentation import Rules, _columns

__all__ = ["ReferralPolicy", "Referrals", "STRUCTURES", "Structures", "referrals", "relationship_structure"]

#: The four relationship structures (Ramdas, Teisberg & Tucker, HBR 2013).
STRUCTURES: tuple[str, ...] = tuple(_core.STRUCTURES)

#: PageRank damping and tolerance, and the decay of referral value down a chain.
ReferralPolicy = _core.ReferralPolicy


def _labels(rows: np.ndarray, labels: pd.Index) -> pd.Series:
    """Labels of rows, missing where the row is -1."""
    taken = labels.take(np.maximum(rows, 0)) if len(labels) else [None] * len(rows)
    return pd.Series(taken, dtype=object).where(rows >= 0)


def _portfolio(manager: Any, customers: pd.Index) -> tuple[np.ndarray | None, pd.Index]:
    """Manager positions per customer (-1: none) and the managers, from a Series or an Assignment."""
    if manager is None:
        return None, pd.Index([])
    if hasattr(manager, "assignments"):
        manager = manager.assignments["manager"]
    aligned = manager.reindex(customers)
    managers = pd.Index(sorted(aligned.dropna().unique(), key=str))
    return managers.get_indexer(aligned).astype(np.int32), managers


@dataclass
class Structures:
    """``customers``: each customer's structure and why; ``counts``: customers per structure
    in each portfolio (the row ``None`` holds those without a manager)."""

    customers: pd.DataFrame
    counts: pd.DataFrame


def relationship_structure(
    customers: pd.DataFrame,
    *,
    providers: str = "providers",
    peer: str = "peer_exchange",
    many_providers: float = 2,
    rules: Rules | Iterable[tuple[str, str]] | None = None,
    manager: Any = None,
) -> Structures:
    """Labels each customer interview, group, panel or workbench.

    From ``customers[providers]`` (how many providers, areas or specialists take part;
    ``many_providers`` or more is "many") and ``customers[peer]`` (whether the information
    is worth sharing among peers; without that column it is private):

    ================  ===================  ======================
    \\                 private information  peer exchange valuable
    ================  ===================  ======================
    one provider      interview            group
    many providers    panel                workbench
    ================  ===================  ======================

    ``rules`` (a :class:`Rules` whose labels are structures, or (label, condition) pairs over
    the frame's columns) come first. ``manager`` (a Series or an Assignment) gives the counts
    per portfolio.
    """
    pairs: list[tuple[str, str]] = []
    if isinstance(rules, Rules):
        pairs = [(label, condition) for label, condition in rules.rules]
    elif rules is not None:
        pairs = [(str(label), str(condition)) for label, condition in rules]
    if providers not in customers.columns:
        raise _convert.invalid("structure", providers, None, None, f"is required (providers or areas per customer); the columns are {', '.join(map(str, customers.columns))}")
    positions, managers = _portfolio(manager, customers.index)
    raw = _core.classify_structures(_columns(customers), len(customers), providers, peer, float(many_providers), pairs, positions, len(managers))
    labels, codes = raw["reason"]
    frame = pd.DataFrame(
        {
            "structure": pd.Categorical.from_codes(raw["structure"], categories=list(STRUCTURES)),
            "reason": pd.Categorical.from_codes(codes, categories=labels),
        },
        index=customers.index,
    )
    counts = pd.DataFrame(raw["counts"], columns=list(STRUCTURES), index=pd.Index([*managers, None], name="manager"))
    if manager is None:
        counts = counts.iloc[[-1]]
    return Structures(frame, counts)


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
    positions, managers = _portfolio(manager, customers)
    shown = _satisfied(book) if satisfied is None else satisfied.reindex(customers).fillna(False).to_numpy(dtype=bool).astype(np.uint8)
    raw = _core.analyse_referrals(book._core, values, policy, positions, len(managers), shown, int(per_portfolio))

    frame = pd.DataFrame(
        {
            "referred_by": _labels(raw["referred_by"], customers).set_axis(customers),
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
    show = pd.DataFrame(
        {
            "manager": _labels(room["manager"], managers),
            "customer": customers.take(room["customer"]),
            "rank": room["rank"],
        }
    )
    show = show.join(frame[["influence", "reach", "referrals"]], on="customer")
    return Referrals(frame, show, int(raw["iterations"]))
