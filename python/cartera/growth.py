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
    policy = as_growth_policy(policy)
    amounts = value(book, as_of)["monetary"] if spend is None else spend.reindex(book.customer_ids)
    if amounts.isna().any():
        row = _convert.first_row(amounts.isna().to_numpy())
        raise _convert.invalid("growth", "spend", row, book.customer_ids[row], "no spend for this customer")
    codes, names = _groups(book, by)
    return growth_frame(amounts.clip(lower=0), codes, names, policy)


def growth_frame(
    spend: pd.Series, codes: np.ndarray, names: list[str], policy: Any, peer_spend: Any = None
) -> pd.DataFrame:
    """:func:`growth` of customers' spend (0 or more, by customer id) and groups (codes into
    ``names``, −1: none), against ``peer_spend`` (one per group, the book's last) when given:
    how a partition of a book is measured against the whole book's peers."""
    out = _core.growth_potential(spend.to_numpy(dtype=float), codes, names, policy, peer_spend)
    return pd.DataFrame(
        {
            "peer_spend": out["peer_spend"],
            "growth_potential": out["growth"],
            "share_of_wallet": out["share_of_wallet"],
            "reason": out["reason"],
        },
        index=spend.index,
    )


def next_products(book: Book, *, by: pd.Series | None = None, policy: Any = None) -> pd.DataFrame:
    """The products to propose: one row per customer and product their group's customers
    hold and they have never bought, the most held first (at most ``policy.offers`` per
    customer), with ``peer_share`` (of the group holding it), ``lift`` (peer_share ÷ the
    book's share) and the ``reason``. Needs the transactions' ``product``."""
    codes, names = _groups(book, by)
    return offers_frame(book, codes, names, as_growth_policy(policy))


def offers_frame(
    book: Book, codes: np.ndarray, names: list[str], policy: Any, holders: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """:func:`next_products` of the book's customers in groups (codes into ``names``),
    against ``holders`` when given (``_core.product_holders``' form, of the whole book when
    this one is a partition of it)."""
    out = _core.next_products(book._core, codes, names, policy, None if holders is None else dict(holders))
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


def as_growth_policy(policy: Any) -> Any:
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
    return group_codes(by.reindex(book.customer_ids))


def group_codes(groups: pd.Series, names: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Groups as codes (−1: none) into their names: ``names`` when given (a whole book's,
    for a partition of it), else the groups' own categories."""
    if names is not None:
        coded = pd.Categorical(groups.astype(object).map(lambda g: None if pd.isna(g) else str(g)), categories=names)
        return np.asarray(coded.codes, dtype=np.int32), names
    coded = pd.Categorical(groups)
    return np.asarray(coded.codes, dtype=np.int32), [str(c) for c in coded.categories]
