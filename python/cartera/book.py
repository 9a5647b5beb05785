"""The customer book: customers, managers and their events, from pandas DataFrames."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core

__all__ = ["Book", "TABLES"]

# Each table's columns: (name, kind, required). Kinds: id (external ids), day, day? (optional
# day, missing allowed), real, int, flag, category, customer / manager (references), kind (a
# transaction's kind), contact / contact_day (the customer's contact data, text or a day:
# kept by the Python book for hygiene, and the source of `reachable` when it is not given).
_SCHEMA: dict[str, list[tuple[str, str, bool]]] = {
    "customers": [
        ("id", "id", True),
        ("since", "day?", False),
        ("region", "category", False),
        ("manager", "manager", False),
        ("reachable", "flag", False),
        ("profile", "real", False),
        ("name", "contact", False),
        ("email", "contact", False),
        ("phone", "contact", False),
        ("address", "contact", False),
        ("postcode", "contact", False),
        ("tax_id", "contact", False),
        ("birth_date", "contact_day", False),
        ("updated", "contact_day", False),
    ],
    "managers": [
        ("id", "id", True),
        ("region", "category", False),
        ("capacity", "int", False),
        ("time_budget", "real", False),
        ("area", "category", False),
    ],
    "transactions": [
        ("customer", "customer", True),
        ("day", "day", True),
        ("amount", "real", True),
        ("margin", "real", False),
        ("product", "category", False),
        ("proactive", "flag", False),
        ("kind", "kind", False),
    ],
    "interactions": [
        ("customer", "customer", True),
        ("manager", "manager", False),
        ("day", "day", True),
        ("channel", "category", True),
        ("proactive", "flag", False),
        ("relational", "flag", False),
        ("two_way", "flag", False),
        ("person", "category", False),
        ("area", "category", False),
    ],
    "complaints": [
        ("customer", "customer", True),
        ("opened", "day", True),
        ("resolved", "day?", False),
        ("first_contact", "flag", False),
    ],
    "referrals": [("referrer", "customer", True), ("referred", "customer", True), ("day", "day", True)],
    "campaigns": [("customer", "customer", True), ("day", "day", True), ("campaign", "category", False)],
    "profile": [
        ("customer", "customer", True),
        ("field", "category", True),
        ("learned", "day", True),
        ("value", "category", False),
        ("by", "manager", False),
    ],
    "people": [
        ("customer", "customer", True),
        ("person", "category", True),
        ("role", "category", False),
        ("area", "category", False),
        ("reachable_by", "category", False),
        ("updated", "day?", False),
    ],
}

# What the book derives: the returns taken out of the transactions (amounts given back, >= 0).
_DERIVED: dict[str, list[tuple[str, str, bool]]] = {
    "returns": [
        ("customer", "customer", True),
        ("day", "day", True),
        ("amount", "real", True),
        ("margin", "real", False),
        ("product", "category", False),
    ]
}

#: The customers' contact columns, kept by the Python book.
CONTACT_COLUMNS: tuple[str, ...] = tuple(
    name for name, kind, _ in _SCHEMA["customers"] if kind in ("contact", "contact_day")
)

#: The contact columns that make a customer reachable (the first rung, contactar, needs one).
CHANNEL_COLUMNS: tuple[str, ...] = ("email", "phone", "address", "postcode")

#: The tables of a book and their columns, in order.
TABLES: dict[str, tuple[str, ...]] = {
    table: tuple(name for name, _, _ in columns) for table, columns in _SCHEMA.items()
}

#: Per table, the columns that hold ids or labels: text, read from files exactly as written.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(name for name, kind, _ in columns if kind in ("id", "customer", "manager", "category", "contact"))
    for table, columns in _SCHEMA.items()
}


class Book:
    """A validated, immutable customer book.

    Parameters
    ----------
    customers, managers, transactions, interactions, complaints, referrals, campaigns : DataFrame, optional
        One DataFrame per table, with the columns listed in ``cartera.TABLES`` (only the
        required ones must be present: ``id`` for customers and managers; ``customer``,
        ``day`` and ``amount`` for transactions; ``customer``, ``day`` and ``channel`` for
        interactions; ``customer`` and ``opened`` for complaints; ``referrer``, ``referred``
        and ``day`` for referrals; ``customer`` and ``day`` for campaigns, the customers a
        central campaign reached, with its ``campaign`` name: past ones are measured by
        :func:`cartera.campaign_responses`, and every one counts toward the contact cap;
        campaign days, which may be ahead, do not move the book's first and last day;
        ``customer``, ``field`` and ``learned`` for the profile, what each customer told us,
        with its ``value`` and the manager it was told to, ``by``: the drip dialogue's
        answers, see :func:`cartera.profile_completeness`; ``customer`` and ``person`` for the
        people at a (business) customer, with their ``role``, ``area``, ``reachable_by`` and
        the day their data was last ``updated``, see :func:`cartera.people_findings`;
        interactions may name the ``person`` who took part and our ``area``). Customers and managers are named by their external ids
        (any hashable: ints, strings). Days may be datetimes, dates, ISO strings or integer
        days since 1970-01-01. When ``customers`` is omitted, the customers are every id found
        in the events, in order of first appearance. A transaction with a negative amount, or
        whose optional ``kind`` is ``"return"`` or ``"cancellation"`` (``"purchase"`` is the
        other kind), is a return: the book keeps it apart (``table("returns")``), value nets
        it out, and it is never a purchase. To read raw data with holes and bad rows, use
        :func:`cartera.clean`, which keeps what it leaves out.
    columns : mapping, optional
        Your column names, per table (customers' and managers' ids may also be the frame's
        index, when it is not a plain range): ``{"transactions": {"customer": "CustomerID",
        "day": "InvoiceDate", "amount": "Amount"}}``. Unnamed columns keep their own names.
    extra_columns : "error" or "ignore"
        A column that is not part of its table is an error (a misspelt ``two-way`` would
        otherwise be dropped without a word), with the column meant when one is close;
        ``"ignore"`` leaves such columns out.

    Raises
    ------
    ValueError
        (``cartera.InvalidInputError``) for a bad value, naming table, column, row and value;
        ``cartera.UnknownIdError`` (also a ``KeyError``) for an id that is not in the table
        it refers to.
    TypeError
        (``cartera.TypeMismatchError``) for a column of the wrong type.

    Examples
    --------
    >>> import pandas as pd, cartera
    >>> tx = pd.DataFrame({"customer": ["ana", "ana", "luis"],
    ...                    "day": ["2024-01-05", "2024-03-01", "2024-02-10"],
    ...                    "amount": [120.0, 80.0, 45.5]})
    >>> cartera.Book(transactions=tx)
    Book(customers=2, managers=0, transactions=3, returns=0, interactions=0, complaints=0, referrals=0, campaigns=0, profile=0, people=0)
    """

    def __init__(
        self,
        customers: pd.DataFrame | None = None,
        *,
        managers: pd.DataFrame | None = None,
        transactions: pd.DataFrame | None = None,
        interactions: pd.DataFrame | None = None,
        complaints: pd.DataFrame | None = None,
        referrals: pd.DataFrame | None = None,
        campaigns: pd.DataFrame | None = None,
        profile: pd.DataFrame | None = None,
        people: pd.DataFrame | None = None,
        columns: Mapping[str, Mapping[str, str]] | None = None,
        extra_columns: str = "error",
    ) -> None:
        frames = {
            "customers": customers,
            "managers": managers,
            "transactions": transactions,
            "interactions": interactions,
            "complaints": complaints,
            "referrals": referrals,
            "campaigns": campaigns,
            "profile": profile,
            "people": people,
        }
        if extra_columns not in ("error", "ignore"):
            raise _convert.invalid("book", "extra_columns", None, extra_columns, "expected 'error' or 'ignore'")
        names = _column_names(columns or {})
        frames = {
            table: _renamed(frame, table, names[table], extra_columns == "ignore") for table, frame in frames.items()
        }
        if frames["customers"] is None:
            frames["customers"] = pd.DataFrame({"id": _ids_in_events(frames)})
        customer_index = _unique_index(frames["customers"], "customers")
        manager_index = (
            _unique_index(frames["managers"], "managers") if frames["managers"] is not None else pd.Index([])
        )
        targets = {"customer": customer_index, "manager": manager_index}
        arrays = {table: _arrays(frame, table, targets) for table, frame in frames.items()}
        contacts = _contacts(frames["customers"], customer_index.rename("customer"))
        self._build(arrays, customer_index, manager_index, contacts)

    @classmethod
    def _from_arrays(
        cls, arrays: dict[str, Any], customer_index: pd.Index, manager_index: pd.Index, contacts: pd.DataFrame
    ) -> Book:
        """A book from the core's columns as ``_arrays`` makes them, already checked
        (:func:`cartera.clean` converts each column once, and hands over its rows kept)."""
        book = cls.__new__(cls)
        book._build(arrays, customer_index, manager_index, contacts)
        return book

    def _build(
        self, arrays: dict[str, Any], customer_index: pd.Index, manager_index: pd.Index, contacts: pd.DataFrame
    ) -> None:
        self._contacts = contacts
        customers_in = arrays["customers"]
        reachable = [c for c in CHANNEL_COLUMNS if c in contacts.columns]
        if customers_in is not None and "reachable" not in customers_in and reachable:
            customers_in["reachable"] = contacts[reachable].notna().any(axis=1).to_numpy(dtype=np.uint8)
        self._core = _core.Book(**arrays)
        self._customer_ids = customer_index.rename("customer")
        self._manager_ids = manager_index.rename("manager")

    @classmethod
    def _from_core(cls, core: _core.Book) -> Book:
        book = cls.__new__(cls)
        book._core = core
        book._customer_ids = pd.Index(core.customer_ids(), name="customer")
        book._manager_ids = pd.Index(core.manager_ids(), name="manager")
        book._contacts = pd.DataFrame(index=book._customer_ids)
        return book

    @property
    def customer_ids(self) -> pd.Index:
        """The customers' external ids, in the book's order (the index of every result)."""
        return self._customer_ids

    @property
    def manager_ids(self) -> pd.Index:
        """The managers' external ids, in the book's order."""
        return self._manager_ids

    @property
    def first_day(self) -> pd.Timestamp | None:
        """The first day found in any event table, or None for a book without events."""
        return (
            None if self._core.first_day is None else pd.Timestamp(_convert.dates(np.array([self._core.first_day]))[0])
        )

    @property
    def last_day(self) -> pd.Timestamp | None:
        """The last day found in any event table, or None for a book without events."""
        return None if self._core.last_day is None else pd.Timestamp(_convert.dates(np.array([self._core.last_day]))[0])

    @property
    def has_products(self) -> bool:
        """Whether the purchases name their product (what :func:`cartera.next_products` needs)."""
        return bool(self._core.has_products)

    def rows(self) -> dict[str, int]:
        """Row count of every table."""
        return dict(self._core.rows())

    def table(self, name: str) -> pd.DataFrame:
        """One table as a DataFrame, with external ids and dates.

        Events come in customer and day order (the order the book keeps them in).
        ``"transactions"`` holds the purchases; ``"returns"`` the returns and cancellations
        taken out of them, with the amount (and margin) given back as positive numbers.
        """
        schema = _SCHEMA.get(name) or _DERIVED.get(name)
        if schema is None:
            raise _core.InvalidInputError(
                f"book: unknown table {name!r}; the tables are {', '.join([*_SCHEMA, *_DERIVED])}"
            )
        raw = self._core.table(name)
        data: dict[str, Any] = {}
        for column, kind, _ in schema:
            if kind == "id":
                continue
            if column not in raw:
                continue
            values = raw[column]
            if kind == "customer":
                data[column] = self._customer_ids.take(values).to_numpy()
            elif kind == "manager":
                data[column] = self._manager_ids_of(values)
            elif kind in ("day", "day?"):
                data[column] = _convert.dates(values)
            elif kind == "category":
                labels, codes = values
                data[column] = pd.Categorical.from_codes(codes, categories=labels)
            elif kind == "flag":
                data[column] = values.astype(bool)
            else:
                data[column] = values
        if name == "customers":
            return pd.concat([pd.DataFrame(data, index=self._customer_ids), self._contacts], axis=1)
        if name == "managers":
            return pd.DataFrame(data, index=self._manager_ids)
        return pd.DataFrame(data)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table as ``Book`` takes it (and as ``cartera run --data`` reads it): ids in an
        ``id`` column, and the returns back among the transactions, with their ``kind`` and
        negative amounts. ``Book(frames.pop("customers"), **frames)`` is the same book."""
        frames = {name: self.table(name) for name in _SCHEMA}
        for name in ("customers", "managers"):
            frames[name] = frames[name].reset_index(names="id")
        returns = self.table("returns")
        if len(returns):
            back = returns.assign(amount=-returns["amount"], kind="return")
            if "margin" in back:
                back["margin"] = -back["margin"]
            frames["transactions"] = pd.concat(
                [frames["transactions"].assign(kind="purchase"), back], ignore_index=True
            )
        return frames

    def _manager_ids_of(self, rows: np.ndarray) -> np.ndarray:
        """Manager rows as external ids; -1 (no manager) as None."""
        present = rows >= 0
        managers = np.full(len(rows), None, dtype=object)
        managers[present] = self._manager_ids.to_numpy(dtype=object)[rows[present]]
        return managers

    def __repr__(self) -> str:
        counts = ", ".join(f"{table}={count}" for table, count in self.rows().items())
        return f"Book({counts})"

    def _repr_html_(self) -> str:
        first, last = self.first_day, self.last_day
        span = "no events" if first is None or last is None else f"{first.date()} to {last.date()}"
        rows = "".join(
            f"<tr><td>{table}</td><td style='text-align:right'>{count:,}</td></tr>"
            for table, count in self.rows().items()
        )
        return f"<div><b>cartera.Book</b> ({span})<table><tr><th>table</th><th>rows</th></tr>{rows}</table></div>"


def _column_names(columns: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {table: {} for table in _SCHEMA}
    for table, mapping in columns.items():
        if table not in _SCHEMA:
            raise _core.InvalidInputError(f"columns: unknown table {table!r}; the tables are {', '.join(_SCHEMA)}")
        for ours, theirs in mapping.items():
            if ours not in TABLES[table]:
                raise _core.InvalidInputError(
                    f"columns.{table}: unknown column {ours!r}; the columns are {', '.join(TABLES[table])}"
                )
            names[table][theirs] = ours
    return names


def _renamed(frame: pd.DataFrame | None, table: str, names: dict[str, str], ignore_extra: bool) -> pd.DataFrame | None:
    if frame is None:
        return None
    if not isinstance(frame, pd.DataFrame):
        raise _core.TypeMismatchError(f"{table}: expected a pandas DataFrame, got {type(frame).__name__}")
    frame = frame.rename(columns=names) if names else frame
    if table in ("customers", "managers") and "id" not in frame.columns and not isinstance(frame.index, pd.RangeIndex):
        if isinstance(frame.index, pd.MultiIndex):
            raise _core.InvalidInputError(
                f"{table}.id: the frame's index has {frame.index.nlevels} levels; give the ids in an 'id' column or a plain index"
            )
        frame = frame.reset_index(names="id")  # ids kept as the index, as pandas users often do
    for column, _, required in _SCHEMA[table]:
        if required and column not in frame.columns:
            raise _core.InvalidInputError(
                f"{table}.{column}: missing required column; the frame has {', '.join(map(str, frame.columns))}"
            )
    extra = [str(c) for c in frame.columns if c not in TABLES[table]]
    if extra and not ignore_extra:
        close = difflib.get_close_matches(extra[0].replace("-", "_").lower(), TABLES[table], n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"the columns are {', '.join(TABLES[table])}"
        raise _convert.invalid(
            table, extra[0], None, None, f"unknown column; {hint} (extra_columns='ignore' leaves such columns out)"
        )
    return frame


def _ids_in_events(frames: dict[str, pd.DataFrame | None]) -> pd.Index:
    found = [
        frame[column]
        for table, frame in frames.items()
        if frame is not None
        for column, kind, _ in _SCHEMA[table]
        if kind == "customer"
    ]
    if not found:
        return pd.Index([])
    ids = pd.concat(found, ignore_index=True)
    return pd.Index(pd.unique(ids.dropna()))


def _unique_index(frame: pd.DataFrame, table: str) -> pd.Index:
    ids = frame["id"]
    missing = ids.isna().to_numpy()
    if missing.any():
        row = _convert.first_row(missing)
        raise _convert.invalid(table, "id", row, ids.iloc[row], "missing id")
    index = pd.Index(ids)
    repeated = index.duplicated()
    if repeated.any():
        row = _convert.first_row(repeated)
        first = int(np.flatnonzero(index == index[row])[0])
        raise _convert.invalid(table, "id", row, ids.iloc[row], f"duplicate id, first seen at row {first}")
    if isinstance(index.dtype, pd.StringDtype) or index.dtype.kind in "iu":
        return index  # one kind of id: no two can be one id once written as text
    # The core keeps ids as text: 1 and "1" would be one id there.
    as_text = pd.Index([str(i) for i in index])
    clash = as_text.duplicated()
    if clash.any():
        row = _convert.first_row(clash)
        first = int(np.flatnonzero(as_text == as_text[row])[0])
        raise _convert.invalid(
            table,
            "id",
            row,
            ids.iloc[row],
            f"the same id as row {first} ({ids.iloc[first]!r}) once written as text; give ids of one kind",
        )
    return index


def _core_ids(index: pd.Index) -> Any:
    if index.dtype.kind in "iu":
        return index.to_numpy(dtype=np.int64)
    if _convert.arrow_text(index):
        return _convert.texts(index)  # read by the core in place
    if isinstance(index.dtype, pd.StringDtype):
        return index.to_numpy(dtype=object).tolist()
    return [str(value) for value in index]


def _arrays(frame: pd.DataFrame | None, table: str, targets: dict[str, pd.Index]) -> dict[str, Any] | None:
    if frame is None:
        return None
    out: dict[str, Any] = {}
    for column, kind, _ in _SCHEMA[table]:
        if column not in frame.columns or kind in ("contact", "contact_day"):
            continue
        series = frame[column].reset_index(drop=True)
        if kind == "id":
            out[column] = _core_ids(targets["customer"] if table == "customers" else targets["manager"])
        elif kind in ("customer", "manager"):
            target = "customers" if kind == "customer" else "managers"
            out[column] = _convert.references(series, targets[kind], table, column, target, optional=kind == "manager")
        elif kind in ("day", "day?"):
            out[column] = _convert.days(series, table, column, optional=kind == "day?")
        elif kind == "real":
            out[column] = _convert.numbers(series, table, column)
        elif kind == "int":
            out[column] = _convert.integers(series, table, column)
        elif kind == "flag":
            out[column] = _convert.flags(series, table, column)
        elif kind == "category":
            out[column] = _convert.categories(series)
        elif kind == "kind":
            out["returned"] = _convert.kinds(series, table, column)
    return out


def _contacts(customers: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """The customers' contact columns that were given, by customer id (text as given,
    days as dates; an unreadable day is an error naming its row)."""
    out: dict[str, Any] = {}
    for column, kind, _ in _SCHEMA["customers"]:
        if column not in customers.columns or kind not in ("contact", "contact_day"):
            continue
        values = customers[column].reset_index(drop=True)
        if kind == "contact_day":
            out[column] = _convert.dates(_convert.days(values, "customers", column, optional=True))
        else:
            out[column] = values.astype("string").to_numpy()
    return pd.DataFrame(out, index=index)
