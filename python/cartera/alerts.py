"""Moments of truth: the customers to act on now, with the reason and a priority."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .value import ValuePolicy, _as_of, _value_columns

__all__ = ["ALERTS", "AlertPolicy", "alerts"]

#: The kinds of alert, from the most urgent to the least.
ALERTS: tuple[str, ...] = tuple(_core.ALERTS)

#: Thresholds of the alerts: ``AlertPolicy(mvc_share=0.05, complaint_days=30)``; see
#: docs/segmentation.md for each field and its default.
AlertPolicy = _core.AlertPolicy


def alerts(
    book: Book,
    as_of: Any = None,
    *,
    policy: AlertPolicy | None = None,
    value_policy: ValuePolicy | None = None,
    value: pd.DataFrame | None = None,
    valuable: pd.Series | None = None,
    threads: int = 0,
) -> pd.DataFrame:
    """One row per customer and alert, most urgent first.

    ``valuable_complainer`` (a valuable customer complained in the last 30 days; ``urgent``
    while unresolved), ``declining`` (valuable, active but buying under 40 % of usual; any
    active customer with ``AlertPolicy(declining_valuable_only=False)``),
    ``lapsed_valuable`` (the win-back list: valuable, no purchase in the recent period,
    lost within two years), ``growing`` (above 150 % of usual with 3 purchases or more in the
    window), ``mvc`` (the most valuable 10 % by spend) and
    ``below_zero`` (contribution under zero).

    ``growing``, ``declining`` and ``lapsed_valuable`` must also pass a test: the purchase
    days of the recent period against what the customer's usual periods predict (negative
    binomial, the customer's rate shrunk towards the book's spread of rates), the silence
    against what their rate explains. Who is flagged is chosen by Benjamini–Hochberg so that
    at most ``policy.false_discovery_rate`` (0.2) of them are expected to be customers whose
    rate did not change; the reason gives the days observed, those expected and the p-value.
    ``AlertPolicy(false_discovery_rate=1)`` keeps the spend thresholds alone.

    Parameters
    ----------
    value : DataFrame, optional
        The customers' value as :func:`cartera.value` gave it, as of the same day and under
        ``value_policy`` (so that a job computes it once); by default computed here.
    valuable : boolean Series indexed by customer, optional
        Who counts as valuable (``segments["tier"] == "Premium"``, ``abc == "A"``...);
        by default the top 20 % by lifetime spend.

    Returns
    -------
    DataFrame
        ``customer``, ``alert`` (categorical, in order of urgency), ``priority`` (kind's
        rank plus the customer's value percentile: the contact plan follows it),
        ``urgent`` and ``reason``.
    """
    flags = None
    if valuable is not None:
        aligned = valuable.reindex(book.customer_ids)
        if aligned.isna().any():
            missing = aligned.index[aligned.isna()][0]
            raise _core.InvalidInputError(f"alerts.valuable: no value for customer {missing!r}; give one per customer")
        flags = aligned.to_numpy(dtype=bool).astype(np.uint8)
    computed = None if value is None else _value_columns(book, value)
    raw = _core.compute_alerts(
        book._core,
        _as_of(book, as_of),
        value_policy or ValuePolicy(),
        policy or AlertPolicy(),
        flags,
        computed,
        threads,
    )
    return alert_frame(book, raw)


def alert_frame(book: Book, raw: dict[str, Any]) -> pd.DataFrame:
    """The core's alert rows as the frame :func:`alerts` returns."""
    return _convert.frame(
        {
            "customer": book.customer_ids.take(raw["customer"]),
            "alert": pd.Categorical.from_codes(raw["kind"], categories=list(ALERTS), ordered=True),
            "priority": raw["priority"],
            "urgent": raw["urgent"].astype(bool),
            "reason": np.asarray(raw["reason"], dtype=object),
        }
    )
