"""The people at the account: business customers need more than one named person, more
than one thread, and people whose data is kept up to date."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .value import _as_of

__all__ = ["PEOPLE_FINDINGS", "PeoplePolicy", "people_findings"]

#: What the people findings look for: ``PeoplePolicy(min_people=2, window_days=365,
#: min_interactions=3, stale_days=730)``.
PeoplePolicy = _core.PeoplePolicy

#: ``few_people`` (a valuable account with fewer than two named people), ``single_threaded``
#: (every interaction of the year naming a person went through one) and ``stale_person``
#: (a person whose data was not checked for two years, or never).
PEOPLE_FINDINGS: tuple[str, ...] = tuple(_core.PEOPLE_FINDINGS)


def people_findings(
    book: Book, as_of: Any = None, *, valuable: pd.Series | None = None, policy: PeoplePolicy | None = None
) -> pd.DataFrame:
    """The findings about the people at each account, as of a day (none without a
    ``people`` table): one row per finding, by customer, with the ``person`` it concerns
    (None for ``few_people``) and the ``reason``. ``valuable`` (a boolean Series by
    customer: ``segments["tier"] == "Premium"``…) says whose accounts need ``min_people``;
    by default every customer's."""
    flags = None
    if valuable is not None:
        aligned = valuable.reindex(book.customer_ids)
        if aligned.isna().any():
            row = _convert.first_row(aligned.isna().to_numpy())
            raise _convert.invalid("people", "valuable", row, book.customer_ids[row], "no value for this customer")
        flags = aligned.to_numpy(dtype=bool).astype(np.uint8)
    raw = _core.find_people_issues(book._core, _as_of(book, as_of), flags, policy or PeoplePolicy())
    people = book.table("people")
    person = raw["person"]
    return _convert.frame(
        {
            "customer": book.customer_ids.take(raw["customer"]),
            "finding": pd.Categorical.from_codes(raw["finding"], categories=list(PEOPLE_FINDINGS)),
            "person": _person_names(people, person),
            "reason": raw["reason"],
        }
    )


def _person_names(people: pd.DataFrame, rows: np.ndarray) -> pd.Series:
    """Rows of the book's people table as the people's names, None for -1."""
    if "person" not in people.columns:
        return pd.Series([None] * len(rows), dtype=object)
    return _convert.labels_of(rows, pd.Index(people["person"].astype(object)))


def paired_people(book: Book, manager_rows: np.ndarray, customer_rows: np.ndarray) -> pd.Series:
    """Whom each planned contact talks to at the customer (the person of the manager's area,
    else the most recently checked), None when the customer has nobody named."""
    rows = _core.pair_people(book._core, manager_rows.astype(np.int32), customer_rows.astype(np.int32))
    return _person_names(book.table("people"), rows)
