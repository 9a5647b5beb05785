"""The complaint indicator: complaints solved at the first contact, in the least time, per
manager and month, weighed by the customers' value ("por importancia, no por cantidad")."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .value import ValuePolicy, _as_of
from .value import value as customer_value

__all__ = ["ComplaintPolicy", "complaint_indicator", "complaint_totals"]

#: When a complaint is handled in time and when the customer stayed:
#: ``ComplaintPolicy(response_days=30, stay_days=180)``; see docs/segmentation.md.
ComplaintPolicy = _core.ComplaintPolicy

#: The columns that add up over rows: counts, then values.
_SUMMED = (
    "complaints",
    "resolved",
    "first_contact",
    "valuable",
    "valuable_due",
    "valuable_in_time",
    "stay_due",
    "stayed",
    "value",
    "first_contact_value",
    "stay_due_value",
    "stayed_value",
)


def _per_customer(series: pd.Series, customers: pd.Index, name: str) -> pd.Series:
    aligned = series.reindex(customers)
    if aligned.isna().any():
        row = _convert.first_row(aligned.isna().to_numpy())
        raise _convert.invalid("complaint_indicator", name, row, customers[row], "no value for this customer")
    return aligned


def complaint_indicator(
    book: Book,
    as_of: Any = None,
    *,
    value: pd.Series | None = None,
    valuable: pd.Series | None = None,
    manager: Any = None,
    policy: ComplaintPolicy | None = None,
    value_policy: ValuePolicy | None = None,
) -> pd.DataFrame:
    """The complaint indicator: one row per manager and month a complaint was opened in, on
    or before ``as_of`` (a complaint resolved later is still open).

    Parameters
    ----------
    value : Series indexed by customer, optional
        What each customer is worth, to weigh their complaints (below 0 weighs 0); by
        default ``cartera.value(book, as_of)["monetary"]``, the window's revenue.
    valuable : boolean Series indexed by customer, optional
        Who counts as valuable (``segments["tier"] == "Premium"``...); by default the top
        ``policy.valuable_share`` (20 %) by value.
    manager : Series of manager ids indexed by customer, or an Assignment, optional
        Whose portfolio each complaint counts in; by default the customers table's manager.

    Returns
    -------
    DataFrame
        ``manager`` (None for customers without one), ``month`` (its first day),
        ``complaints``, ``resolved``, ``first_contact`` (resolved at the first contact) and
        ``first_contact_share`` (of the complaints), the same weighted by value
        (``first_contact_share_by_value``), ``mean_days_to_resolve`` and
        ``median_days_to_resolve``; ``valuable`` complaints, those ``valuable_due``
        (resolved, or open ``policy.response_days`` or more), ``valuable_in_time``
        (resolved within them) and their share; ``stay_due`` (opened
        ``policy.stay_days`` or more ago), ``stayed`` (the customer bought again within
        them), ``stayed_share`` counted and by value; and the values that weigh the
        shares: ``value`` (the complainers'), ``first_contact_value``, ``stay_due_value``,
        ``stayed_value``. Shares without a denominator are NaN. :func:`complaint_totals`
        adds rows up.
    """
    day = _as_of(book, as_of)
    customers = book.customer_ids
    worth = customer_value(book, day, policy=value_policy)["monetary"] if value is None else value
    weights = _per_customer(worth, customers, "value").to_numpy(dtype=np.float64)
    flags = None
    if valuable is not None:
        flags = _per_customer(valuable, customers, "valuable").to_numpy(dtype=bool).astype(np.uint8)
    raw = _core.complaint_indicator(
        book._core,
        day,
        weights,
        flags,
        policy or ComplaintPolicy(),
        _convert.book_manager_rows(book, manager, "complaint_indicator"),
    )
    return _convert.frame(
        {
            "manager": _convert.labels_of(raw.pop("manager"), book.manager_ids),
            "month": _convert.dates(raw.pop("month")),
            **raw,
        }
    )


def complaint_totals(indicator: pd.DataFrame, by: str | list[str] | None = "manager") -> pd.DataFrame:
    """The rows of :func:`complaint_indicator` added up ``by`` manager, month, both, or
    none (one row): counts and values summed, shares recomputed from them, the mean days to
    resolve over every complaint resolved. Medians do not add up and are left out."""
    frame = indicator.assign(_days=indicator["mean_days_to_resolve"].fillna(0) * indicator["resolved"])
    summed = [*_SUMMED, "_days"]
    totals = frame[summed].sum().to_frame().T if by is None else frame.groupby(by, dropna=False)[summed].sum()

    def share(part: str, whole: str) -> pd.Series:
        return (totals[part] / totals[whole].where(totals[whole] > 0)).astype(float)

    counts = {c: totals[c].astype(np.int64) for c in _SUMMED[:8]}
    return pd.DataFrame(
        {
            "complaints": counts["complaints"],
            "resolved": counts["resolved"],
            "first_contact": counts["first_contact"],
            "first_contact_share": share("first_contact", "complaints"),
            "first_contact_share_by_value": share("first_contact_value", "value"),
            "mean_days_to_resolve": share("_days", "resolved"),
            "valuable": counts["valuable"],
            "valuable_due": counts["valuable_due"],
            "valuable_in_time": counts["valuable_in_time"],
            "valuable_in_time_share": share("valuable_in_time", "valuable_due"),
            "stay_due": counts["stay_due"],
            "stayed": counts["stayed"],
            "stayed_share": share("stayed", "stay_due"),
            "stayed_share_by_value": share("stayed_value", "stay_due_value"),
            **{c: totals[c] for c in _SUMMED[8:]},
        }
    )
