"""Where can a customer grow? Against the peers of their group (a tier, a cluster): the
share of the group's best spend they reach, and the products the peers hold that they do
not, each with the lift that justifies it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .value import value

__all__ = ["GrowthPolicy", "growth", "next_products"]

GrowthPolicy = _core.GrowthPolicy


def growth(
    book: Book,
    as_of: Any = None,
    *,
    by: pd.Series | None = None,
    spend: pd.Series | None = None,
    policy: Any = None,
) -> pd.DataFrame:
    """Per customer: ``peer_spend`` (the ``policy.peer_quantile`` of their group's spend),
    ``growth_potential`` (how far below it they are), ``share_of_wallet`` (their spend ÷
    peer_spend, at most 1) and the ``reason`` in one line.

    ``by`` labels each customer's group (a tier from :func:`cartera.segment`, a cluster),
    indexed by customer id; a customer without one, or every customer when ``by`` is None,
    is measured against the whole book. ``spend`` defaults to the window's spend net of
    returns (``value(book, as_of)["monetary"]``); a customer who gave back more than they
    bought in the window counts as spending 0."""
    policy = _policy(policy)
    amounts = value(book, as_of)["monetary"] if spend is None else spend.reindex(book.customer_ids)
    if amounts.isna().any():
        row = _convert.first_row(amounts.isna().to_numpy())
        raise _convert.invalid("growth", "spend", row, book.customer_ids[row], "no spend for this customer")
    amounts = amounts.clip(lower=0)
    codes, names = _groups(book, by)
    out = _core.growth_potential(amounts.to_numpy(dtype=float), codes, names, policy)
    return pd.DataFrame(
        {
            "peer_spend": out["peer_spend"],
            "growth_potential": out["growth"],
            "share_of_wallet": out["share_of_wallet"],
            "reason": out["reason"],
        },
        index=book.customer_ids,
    )


def next_products(book: Book, *, by: pd.Series | None = None, policy: Any = None) -> pd.DataFrame:
    """The products to propose: one row per customer and product their group's customers
    hold and they have never bought, the most held first (at most ``policy.offers`` per
    customer), with ``peer_share`` (of the group holding it), ``lift`` (peer_share ÷ the
    book's share) and the ``reason``. Needs the transactions' ``product``."""
    policy = _policy(policy)
    codes, names = _groups(book, by)
    out = _core.next_products(book._core, codes, names, policy)
    products = pd.Index(out["products"])
    return pd.DataFrame(
        {
            "customer": book.customer_ids.take(out["customer"]),
            "product": products.take(out["product"]),
            "peer_share": out["peer_share"],
            "lift": out["lift"],
            "reason": out["reason"],
        }
    )


def _policy(policy: Any) -> Any:
    if policy is None:
        return GrowthPolicy()
    if isinstance(policy, Mapping):
        return GrowthPolicy.from_dict(dict(policy))
    if not isinstance(policy, GrowthPolicy):
        raise _core.TypeMismatchError(f"policy: expected a GrowthPolicy or a mapping, got {type(policy).__name__}")
    return policy


def _groups(book: Book, by: pd.Series | None) -> tuple[np.ndarray, list[str]]:
    """Each customer's group as a code (−1: none) and the groups' names."""
    if by is None:
        return np.full(len(book.customer_ids), -1, dtype=np.int32), []
    if not isinstance(by, pd.Series):
        raise _core.TypeMismatchError(f"by: expected a Series of groups by customer id, got {type(by).__name__}")
    groups = pd.Categorical(by.reindex(book.customer_ids))
    return np.asarray(groups.codes, dtype=np.int32), [str(c) for c in groups.categories]
