"""Customer value from transactions and interactions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book

__all__ = ["ValuePolicy", "value", "repeat_summary"]

#: How value is measured (windows, margin rate, cost of a contact by channel). Build it with
#: keywords, ``ValuePolicy(window_days=180)``, or from a dict, ``ValuePolicy.from_dict(d)``.
ValuePolicy = _core.ValuePolicy

_DAY_COLUMNS = ("first_purchase", "last_purchase")


def _as_of(book: Book, as_of: Any) -> int:
    if as_of is None:
        if book._core.last_day is None:
            raise _core.InvalidInputError("as_of: the book has no events; give the date explicitly")
        return int(book._core.last_day)
    return _convert.day_number(as_of, "as_of")


def value(book: Book, as_of: Any = None, *, policy: ValuePolicy | None = None, threads: int = 0) -> pd.DataFrame:
    """Value of every customer as of a date.

    Parameters
    ----------
    book : Book
    as_of : date-like, optional
        Only events on or before this day count. Defaults to the book's last event day.
    policy : ValuePolicy, optional
        Windows, margin rate and channel costs; ``ValuePolicy()`` documents the defaults.
    threads : int
        Worker threads; 0 uses every core. Results do not depend on it.

    Returns
    -------
    DataFrame
        One row per customer, indexed by the customer's id: ``recency`` (days since the
        last purchase, inf if none), ``frequency``, ``monetary``, ``monetary_mean`` and
        ``margin`` over the window, ``tenure`` (days), ``first_purchase`` and
        ``last_purchase`` (dates, NaT if none), ``lifetime_monetary``, ``recent``,
        ``usual``, ``trend`` (recent ÷ usual; inf when usual is 0 and recent is not; 1 when
        both are 0), ``interactions``, ``cost_to_serve``, ``contribution`` (margin − cost
        to serve), ``returned`` (amount given back in the window), ``returns`` (their count)
        and ``return_rate`` (returned ÷ bought in the window; 0 when both are 0, inf when
        nothing was bought). Customers who never bought have a row with defined values.

        Returns are netted out of ``monetary``, ``monetary_mean``, ``margin``,
        ``contribution`` and ``lifetime_monetary``; a return is never a purchase, so
        recency, frequency, the purchase days, ``recent``, ``usual`` and ``trend`` count
        purchases only.
    """
    day = _as_of(book, as_of)
    columns = _core.compute_value(book._core, day, policy or ValuePolicy(), threads)
    for name in _DAY_COLUMNS:
        columns[name] = _convert.dates(columns[name])
    return pd.DataFrame(columns, index=book.customer_ids, copy=False)


def _value_columns(book: Book, frame: pd.DataFrame) -> dict[str, Any]:
    """A frame of :func:`value` back as the core's columns, in the book's customer order."""
    if not isinstance(frame, pd.DataFrame):
        raise _core.TypeMismatchError(
            _convert.located("value", "frame", None, type(frame).__name__, "expected the DataFrame of cartera.value")
        )
    # The job hands back the frame value() made: already in the book's order.
    same_order = frame.index.equals(book.customer_ids)
    aligned = frame if same_order else frame.reindex(book.customer_ids)
    absent = np.zeros(len(frame), bool) if same_order else _convert.positions(book.customer_ids, frame.index) < 0
    if absent.any():
        row = _convert.first_row(absent)
        raise _convert.invalid("value", "index", row, book.customer_ids[row], "no value for this customer of the book")
    columns: dict[str, Any] = {}
    for name in aligned.columns:
        series = aligned[name]
        columns[str(name)] = (
            _convert.days(series, "value", str(name), optional=True) if name in _DAY_COLUMNS else series.to_numpy()
        )
    return columns


def repeat_summary(book: Book, as_of: Any = None, *, unit: str | float = "D", threads: int = 0) -> pd.DataFrame:
    """The per-customer summary of buy-till-you-die models (``lifetimes``' definitions).

    Purchases on one day merge into one. ``frequency`` = distinct purchase days − 1;
    ``recency`` = time from the first to the last purchase day; ``T`` = time from the first
    purchase to ``as_of``; ``monetary_value`` = mean total of the repeat days (the first day
    excluded), 0 without repeats. Customers with no purchase up to ``as_of`` have zeros and
    ``purchased`` False (``lifetimes`` drops them; filter on ``purchased`` to match).

    Parameters
    ----------
    unit : "D", "W" or a number of days
        Time unit of ``recency`` and ``T``: days, weeks (7 days) or any length in days.
    """
    unit_days = {"D": 1.0, "W": 7.0}.get(unit) if isinstance(unit, str) else float(unit)
    if unit_days is None:
        raise _core.InvalidInputError(f"repeat_summary.unit (value {unit!r}): expected 'D', 'W' or a number of days")
    columns = _core.compute_repeat_summary(book._core, _as_of(book, as_of), unit_days, threads)
    columns["purchased"] = columns["purchased"].astype(bool)
    summary = pd.DataFrame(columns, index=book.customer_ids, copy=False)
    summary.attrs["unit_days"] = unit_days  # the models' lifetime value reads its months in it
    return summary
