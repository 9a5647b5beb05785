"""From raw tables to a clean book: every row left out is kept, with its reason.

:func:`clean` takes the tables as they come (holes, unparseable days, text in amounts,
duplicated lines, events of customers nobody knows) and returns the book built from what
can be used plus a *quarantine*: one row per input row left out (``action="dropped"``),
and one per value that could not be used in a row that was kept (``action="cleared"``:
an unknown manager, an unreadable optional date). For every table, input rows = kept
rows + dropped rows.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import _SCHEMA, Book, _column_names, _contacts, _core_ids, _ids_in_events, _renamed

__all__ = ["Cleaned", "CleaningPolicy", "clean", "QUARANTINE_COLUMNS"]

#: The columns of a quarantine table.
QUARANTINE_COLUMNS: tuple[str, ...] = ("table", "row", "column", "value", "reason", "action", "first_row")

_EPOCH = np.datetime64("1970-01-01", "D")
_FIRST_VALID_DAY = -25567  # 1900-01-01, the first day the core accepts
_LAST_VALID_DAY = 84371  # 2199-12-31, the last


@dataclasses.dataclass(frozen=True)
class CleaningPolicy:
    """What :func:`clean` leaves out.

    Attributes
    ----------
    first_day : date-like, optional
        Events before this day are left out ("before the first day").
    last_day : date-like, optional
        Events after this day are left out ("in the future"). Defaults to today: the one
        thing in cleaning that depends on the clock; set it for a result that never changes.
    drop_duplicates : bool
        An event equal in every column to an earlier row of its table is left out
        ("duplicate of an earlier row", with that row in the quarantine's ``first_row``).
        Default True.
    """

    first_day: Any = None
    last_day: Any = None
    drop_duplicates: bool = True

    def __post_init__(self) -> None:
        for name in ("first_day", "last_day"):
            value = getattr(self, name)
            if value is not None and pd.isna(pd.to_datetime(value, errors="coerce")):
                raise _convert.invalid("cleaning_policy", name, None, value, "is not a date")
        if not isinstance(self.drop_duplicates, (bool, np.bool_)):
            raise _core.TypeMismatchError(
                f"cleaning_policy.drop_duplicates: expected true or false, got {type(self.drop_duplicates).__name__}"
            )

    @classmethod
    def from_dict(cls, fields: Mapping[str, Any]) -> CleaningPolicy:
        return _convert.policy_from_dict(cls, "cleaning_policy", fields)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Cleaned:
    """The result of :func:`clean`: the book, what was left out, and the row counts."""

    book: Book
    #: One row per row left out or value cleared: table, row (the input row), column, value,
    #: reason, action, and first_row (the earlier row a duplicate repeats; missing otherwise).
    quarantine: pd.DataFrame
    #: Per table: rows given, rows kept, rows dropped.
    rows: pd.DataFrame

    def reasons(self) -> pd.Series:
        """How many rows (or values) each reason left out, by table and action."""
        if self.quarantine.empty:
            return pd.Series([], dtype="int64", name="count")
        return self.quarantine.groupby(["table", "action", "reason"], observed=True).size().rename("count")

    def __repr__(self) -> str:
        dropped = int(self.rows["dropped"].sum())
        lines = [f"Cleaned({self.book!r}, {dropped:,} rows left out)"]
        for (table, action, reason), count in self.reasons().items():
            lines.append(f"  {table}: {count:,} {action} — {reason}")
        return "\n".join(lines)


@dataclasses.dataclass(frozen=True)
class _LeftOut:
    """The rows of a table left out (or whose value of `column` was cleared) for one reason."""

    rows: np.ndarray
    column: str
    values: np.ndarray  #: each row's value of `column`, as the quarantine shows it
    reason: str
    action: str
    first_row: np.ndarray | None  #: the earlier row each repeats, or None

    def subset(self, keep: np.ndarray) -> _LeftOut:
        first_row = None if self.first_row is None else self.first_row[keep]
        return dataclasses.replace(self, rows=self.rows[keep], values=self.values[keep], first_row=first_row)


class _Table:
    """One raw table being cleaned: the rows still kept, and what was left out of it."""

    def __init__(self, name: str, frame: pd.DataFrame) -> None:
        self.name = name
        self.frame = frame.reset_index(drop=True)
        self.keep = np.ones(len(self.frame), dtype=bool)
        self.left_out: list[_LeftOut] = []
        #: Per column, one integer per row equal exactly when the kept rows' values are
        #: (a required reference's row in its table): reused to find duplicates.
        self.exact: dict[str, np.ndarray] = {}

    def drop(self, mask: np.ndarray, column: str, reason: str, first_row: np.ndarray | None = None) -> None:
        """Leaves out the kept rows where mask is true, with their value of `column` (and,
        for a repeated row, the row it repeats: `first_row`, one entry per row of the table)."""
        self._record(mask & self.keep, column, reason, "dropped", first_row)
        self.keep &= ~mask

    def clear(self, mask: np.ndarray, column: str, reason: str) -> None:
        """Keeps the rows but blanks their value of `column` (an optional column)."""
        self._record(mask & self.keep, column, reason, "cleared")

    def quarantine(self) -> list[_LeftOut]:
        """What was left out; a value cleared in a row later dropped is not listed twice."""
        return [part if part.action == "dropped" else part.subset(self.keep[part.rows]) for part in self.left_out]

    def _record(
        self, mask: np.ndarray, column: str, reason: str, action: str, first_row: np.ndarray | None = None
    ) -> None:
        rows = np.flatnonzero(mask)
        if len(rows) == 0:
            return
        values = _shown(self.frame[column].iloc[rows]) if column in self.frame.columns else np.full(len(rows), None)
        repeats = None if first_row is None else first_row[rows]
        self.left_out.append(_LeftOut(rows, column, values, reason, action, repeats))


def _quarantine(tables: dict[str, _Table]) -> pd.DataFrame:
    """Every table's rows left out and values cleared, in table order, then row order."""
    parts = [(name, part) for name, table in tables.items() for part in table.quarantine()]
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in QUARANTINE_COLUMNS}).astype(
            {"row": "int64", "first_row": "Int64"}
        )
    counts = [len(part.rows) for _, part in parts]
    numbers = {name: k for k, name in enumerate(tables)}
    rows = np.concatenate([part.rows for _, part in parts])
    order = np.lexsort((rows, np.repeat([numbers[name] for name, _ in parts], counts)))  # stable
    part_of = np.repeat(np.arange(len(parts), dtype=np.int32), counts)[order]
    first_row = np.concatenate(
        [part.first_row if part.first_row is not None else np.full(len(part.rows), -1) for _, part in parts]
    )[order]
    return pd.DataFrame(
        {
            "table": _labels(part_of, [name for name, _ in parts]),
            "row": rows[order].astype(np.int64),
            "column": _labels(part_of, [part.column for _, part in parts]),
            "value": pd.Series(np.concatenate([part.values for _, part in parts])[order], dtype=object),
            "reason": _labels(part_of, [part.reason for _, part in parts]),
            "action": _labels(part_of, [part.action for _, part in parts]),
            "first_row": pd.arrays.IntegerArray(first_row.astype(np.int64), first_row < 0),
        }
    )


def _labels(codes: np.ndarray, labels: list[str]) -> pd.Series:
    """labels[codes] as pandas text, decoded by Arrow (many rows, a few labels)."""
    import pyarrow as pa

    decoded = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(labels, pa.large_string()))
    return pd.Series(pd.array(decoded.cast(pa.large_string()), dtype=pd.StringDtype("pyarrow", na_value=np.nan)))


def _shown(given: pd.Series) -> np.ndarray:
    """Values as the quarantine shows them: the text pandas writes for each, None where
    missing. Arrow text and doubles are written without pandas' per-value conversion
    (str of a double is the text pandas writes for it, four times faster)."""
    if _convert.arrow_text(given):
        return given.to_numpy(dtype=object, na_value=None)
    if given.dtype == np.float64:
        return np.array([None if value != value else str(value) for value in given.tolist()], dtype=object)
    return given.astype("string").astype(object).where(given.notna().to_numpy(), None).to_numpy()


def _blank(ids: pd.Series) -> np.ndarray:
    """Where an id is missing: no value, or an empty text (which no book takes as an id)."""
    missing = ids.isna().to_numpy()
    if ids.dtype == object or isinstance(ids.dtype, pd.StringDtype):
        return missing | (ids == "").fillna(False).to_numpy(dtype=bool)
    return missing


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def clean(
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
    policy: CleaningPolicy | Mapping[str, Any] | None = None,
    extra_columns: str = "error",
) -> Cleaned:
    """A clean book from raw tables, and a quarantine of every row it leaves out.

    Takes the same tables and ``columns`` mapping as :class:`cartera.Book`. Where the
    book refuses the first bad value, ``clean`` leaves the row out and says why:

    - customers and managers: a missing id, an id already seen (the first row is kept);
    - events: a missing customer (or referrer/referred) id, an unparseable or missing day,
      a day before ``policy.first_day`` or after ``policy.last_day`` ("in the future"; not
      for campaigns, which may be scheduled ahead),
      an amount (or, when the column is given, a margin) that is missing, not a number or
      not finite, an unknown ``kind``, an interaction
      without a channel, a self-referral, an exact duplicate of an earlier row, and an event
      of a customer missing from the customers table (when one is given);
    - optional values that cannot be used are cleared and the row kept: an unknown
      manager, an unreadable ``since``, ``resolved``, ``birth_date``, ``updated`` or flag; a
      missing or invalid profile (to 0), capacity (to 100) or time budget (to 0).

    A column that does not belong to its table, or a missing required column, is still an
    error (the file is not what it claims to be). Returns a :class:`Cleaned`; its
    ``quarantine`` is written as ``quarantine.csv`` by ``cartera run``.

    Examples
    --------
    >>> import pandas as pd, cartera
    >>> tx = pd.DataFrame({"customer": ["ana", None, "ana"], "day": ["2024-01-05", "2024-01-06", "2024-13-01"],
    ...                    "amount": [120.0, 5.0, 80.0]})
    >>> cleaned = cartera.clean(transactions=tx, policy={"last_day": "2024-12-31"})
    >>> cleaned.quarantine[["row", "column", "reason"]].to_dict("records")
    [{'row': 1, 'column': 'customer', 'reason': 'missing customer id'}, {'row': 2, 'column': 'day', 'reason': 'not a date'}]
    """
    if policy is None:
        policy = CleaningPolicy()
    elif isinstance(policy, Mapping):
        policy = CleaningPolicy.from_dict(policy)
    elif not isinstance(policy, CleaningPolicy):
        raise _core.TypeMismatchError(f"policy: expected a CleaningPolicy or a mapping, got {type(policy).__name__}")
    if extra_columns not in ("error", "ignore"):
        raise _convert.invalid("clean", "extra_columns", None, extra_columns, "expected 'error' or 'ignore'")
    names = _column_names(columns or {})
    given = {
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
    tables = {
        name: _Table(name, renamed)
        for name, frame in given.items()
        if (renamed := _renamed(frame, name, names[name], extra_columns == "ignore")) is not None
    }
    first = _day_number(policy.first_day)
    last = _day_number(policy.last_day if policy.last_day is not None else datetime.date.today())
    for name in ("customers", "managers"):
        if name in tables:
            _unique_ids(tables[name])
    known = {
        "customer": _kept_ids(tables.get("customers")),
        # Without a managers table every manager named is unknown.
        "manager": _kept_ids(tables.get("managers")) if "managers" in tables else pd.Index([]),
    }
    cleaned = {name: _clean_table(table, known, first, last, policy.drop_duplicates) for name, table in tables.items()}
    quarantine = _quarantine(tables)
    rows = pd.DataFrame(
        {
            "given": [len(t.frame) for t in tables.values()],
            "kept": [int(t.keep.sum()) for t in tables.values()],
        },
        index=pd.Index(list(tables), name="table"),
    )
    rows["dropped"] = rows["given"] - rows["kept"]
    return Cleaned(book=_kept_book(tables, cleaned, known), quarantine=quarantine, rows=rows)


def _day_number(value: Any) -> int | None:
    if value is None:
        return None
    return int((np.datetime64(pd.Timestamp(value).date(), "D") - _EPOCH).astype(np.int64))


def _unique_ids(table: _Table) -> None:
    ids = table.frame["id"]
    table.drop(_blank(ids), "id", f"missing {table.name[:-1]} id")
    # Compared as text, as the core keeps ids: 1 and "1" are one id.
    text = ids.astype("string")
    first_row = _core.repeated_rows([_comparable(text)], table.keep.view(np.uint8), table.name)
    table.drop(first_row >= 0, "id", "duplicate id (first_row has it)", first_row)


def _kept_ids(table: _Table | None) -> pd.Index | None:
    if table is None:
        return None
    return pd.Index(table.frame["id"][table.keep])


def _clean_table(
    table: _Table, known: dict[str, pd.Index | None], first: int | None, last: int | None, deduplicate: bool
) -> dict[str, Any]:
    """The table's columns as cleaned, one entry per row given (the kept ones are
    ``table.keep``): references as rows of their table, days as day numbers (NO_DAY where an
    optional one is missing), numbers, flags, and the rest as given."""
    frame = table.frame
    out: dict[str, Any] = {}
    for column, kind, required in _SCHEMA[table.name]:
        if column not in frame.columns:
            continue
        values = frame[column]
        if kind == "id":
            out[column] = values
        elif kind in ("customer", "manager"):
            out[column] = _references(table, column, kind, required, known[kind])
        elif kind in ("day", "day?", "contact_day"):
            # A campaign may be scheduled ahead: its days are never "in the future".
            out[column] = _days(table, column, required, first, None if table.name == "campaigns" else last)
        elif kind in ("real", "int"):
            out[column] = _numbers(table, column, required, kind == "int")
        elif kind == "flag":
            out[column] = _flags(table, column)
        elif kind == "kind":
            words, recognised = _convert.kind_words(values)
            table.drop(~recognised, column, "unknown kind")
            out[column] = words
        elif kind == "contact":
            out[column] = values
        else:  # category
            if required:
                table.drop(values.isna().to_numpy(), column, f"missing {column}")
            out[column] = values
    _table_rules(table, out)
    if deduplicate and table.name not in ("customers", "managers"):
        _duplicates(table)
    return out


def _kept_book(
    tables: dict[str, _Table], cleaned: dict[str, dict[str, Any]], known: dict[str, pd.Index | None]
) -> Book:
    """The book of the rows kept, from the columns as cleaned: each converted once, as
    :class:`Book` would convert the same rows given clean."""
    customer_index = known["customer"]
    if customer_index is None:  # the customers are those the kept events name, as Book finds them
        customer_index = _ids_in_events(
            {
                name: pd.DataFrame(
                    {c: cleaned[name][c][tables[name].keep] for c in _reference_columns(name, "customer")}
                )
                for name in tables
            }
        )
    manager_index = known["manager"]
    assert manager_index is not None
    targets = {"customer": customer_index, "manager": manager_index}
    arrays: dict[str, Any] = {name: None for name in _SCHEMA}
    for name, table in tables.items():
        arrays[name] = _kept_arrays(table, cleaned[name], targets)
    if arrays["customers"] is None:
        arrays["customers"] = {"id": _core_ids(customer_index)}
    customer_contacts = pd.DataFrame(
        {
            column: _kept_contacts(cleaned["customers"][column][tables["customers"].keep], kind)
            for column, kind, _ in _SCHEMA["customers"]
            if kind in ("contact", "contact_day") and "customers" in tables and column in cleaned["customers"]
        }
    )
    contacts = _contacts(customer_contacts, customer_index.rename("customer"))
    return Book._from_arrays(arrays, customer_index, manager_index, contacts)


def _reference_columns(table: str, kind: str) -> list[str]:
    return [column for column, of, _ in _SCHEMA[table] if of == kind]


def _kept_contacts(values: Any, kind: str) -> Any:
    if kind == "contact_day":
        return _convert.dates(values)
    return values.reset_index(drop=True)


def _kept_arrays(table: _Table, columns: dict[str, Any], targets: dict[str, pd.Index]) -> dict[str, Any]:
    """One table's kept rows as the core's columns (what Book's ``_arrays`` makes)."""
    keep = table.keep
    out: dict[str, Any] = {}
    for column, kind, _ in _SCHEMA[table.name]:
        if column not in columns or kind in ("contact", "contact_day"):
            continue
        values = columns[column]
        if kind == "id":
            out[column] = _core_ids(targets["customer" if table.name == "customers" else "manager"])
        elif kind in ("customer", "manager"):
            if isinstance(values, np.ndarray):
                out[column] = values[keep]
            else:  # no customers table: the ids are found in the kept events
                out[column] = _convert.positions(values[keep].reset_index(drop=True), targets[kind])
        elif kind in ("day", "day?", "real", "flag"):
            out[column] = values[keep]
        elif kind == "int":
            out[column] = _convert.integers(pd.Series(values[keep]), table.name, column)
        elif kind == "category":
            out[column] = _convert.categories(values[keep].reset_index(drop=True))
        elif kind == "kind":
            out["returned"] = _convert.kinds(values[keep].reset_index(drop=True), table.name, column)
    return out


def _references(
    table: _Table, column: str, kind: str, required: bool, targets: pd.Index | None
) -> np.ndarray | pd.Series:
    """Rows of the table referred to (-1 where missing or cleared as unknown), or the values
    as given when there is no such table (the book then finds its customers in the events)."""
    values = table.frame[column]
    missing = _blank(values)
    if required:
        table.drop(missing, column, f"missing {kind} id")
    if targets is None:
        return values
    target = "customers" if kind == "customer" else "managers"
    rows = _convert.positions(values, targets, table.name, column, target)  # matched as the book will match them
    unknown = ~missing & (rows < 0)
    if required:
        table.drop(unknown, column, f"unknown {kind} (not in {target})")
        table.exact[column] = rows.astype(np.uint64)  # every kept row names a known id
    else:
        table.clear(unknown, column, f"unknown {kind} (not in {target}); cleared")
    return rows


def _days(table: _Table, column: str, required: bool, first: int | None, last: int | None) -> np.ndarray:
    values = table.frame[column]
    missing = values.isna().to_numpy()
    if values.dtype.kind in "iuf":
        numbers = values.to_numpy(dtype=float)
        bad = ~missing & ((numbers != np.round(numbers)) | (numbers < _FIRST_VALID_DAY) | (numbers > _LAST_VALID_DAY))
        days = np.where(missing | bad, 0, numbers).astype(np.int64)
    else:
        if values.dtype.kind == "M":
            days, bad = _datetime_days(values, missing)
        elif _convert.arrow_text(values):
            days, bad = _text_days(values, missing, table.name, column)
        else:
            days, bad = _datetime_days(_parsed_dates(values, missing), missing)
        bad |= ~missing & ~bad & ((days < _FIRST_VALID_DAY) | (days > _LAST_VALID_DAY))
    usable = ~missing & ~bad
    if required:
        table.drop(missing, column, "missing date")
        table.drop(bad, column, "not a date")
        if first is not None:
            table.drop(usable & (days < first), column, "before the first day")
        if last is not None:
            table.drop(usable & (days > last), column, "in the future")
        return np.where(usable, days, 0).astype(np.int32)
    table.clear(bad, column, "not a date; cleared")
    return np.where(usable, days, _core.NO_DAY).astype(np.int32)


def _datetime_days(parsed: pd.Series, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days of datetimes (int64), and where a value given is not a date."""
    bad = ~missing & parsed.isna().to_numpy()
    return _convert.day_numbers_of(parsed.to_numpy()), bad


def _text_days(values: pd.Series, missing: np.ndarray, table: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Days of Arrow text: ISO dates read by the core in place, the other texts by pandas."""
    read, status = _core.read_iso_days(_convert.texts(values), table, column)
    days = read.astype(np.int64)
    bad = np.zeros(len(values), dtype=bool)
    retry = (status != 0) & ~missing  # an empty text is given, so pandas judges it (not a date)
    if retry.any():
        again, failed = _datetime_days(_parsed_dates(values[retry], missing[retry]), missing[retry])
        days[retry] = np.where(failed, 0, again)
        bad[retry] = failed
    return days, bad


def _parsed_dates(values: pd.Series, missing: np.ndarray) -> pd.Series:
    """ISO dates at full speed; the rows that are not ISO tried again in any format pandas reads."""
    parsed = pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)
    retry = parsed.isna().to_numpy() & ~missing
    if retry.any():
        again = pd.to_datetime(values[retry], errors="coerce", format="mixed", utc=True)
        parsed = parsed.where(~retry, again)
    return parsed.dt.tz_convert(None)


def _numbers(table: _Table, column: str, required: bool, whole: bool) -> np.ndarray:
    values = table.frame[column]
    missing = values.isna().to_numpy()
    if values.dtype.kind in "iufb":
        numbers = values.to_numpy(dtype=float)
    elif _convert.arrow_text(values):
        numbers = _text_numbers(values, missing, table.name, column)
    else:
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    not_number = ~missing & np.isnan(numbers)
    infinite = np.isinf(numbers)
    bad = not_number | infinite
    if table.name == "customers" and column == "profile":
        bad |= ~missing & ~bad & ((numbers < 0) | (numbers > 1))
    if table.name == "managers":
        bad |= ~missing & ~bad & (numbers < 0)
    if whole:
        bad |= ~missing & ~bad & (numbers != np.round(numbers))
    fill = _FILLS.get((table.name, column))
    if required or fill is None:
        table.drop(missing, column, f"missing {column}")
        table.drop(not_number, column, "not a number")
        table.drop(infinite, column, "not a finite number")
        table.drop(bad, column, f"not a valid {column}")
        return np.where(bad | missing, 0.0, numbers)
    value, meaning = fill
    table.clear(missing, column, f"missing; cleared to {value} ({meaning})")
    table.clear(bad, column, f"not a valid number; cleared to {value} ({meaning})")
    filled = np.where(bad | missing, value, numbers)
    return filled.astype(np.int64) if whole else filled


def _text_numbers(values: pd.Series, missing: np.ndarray, table: str, column: str) -> np.ndarray:
    """Numbers of Arrow text: decimals read by the core in place, the other texts by pandas."""
    numbers, status = _core.read_numbers(_convert.texts(values), table, column)
    retry = (status != 0) & ~missing
    if retry.any():
        numbers[retry] = pd.to_numeric(values[retry], errors="coerce").to_numpy(dtype=float)
    numbers[missing] = np.nan
    return numbers


# An optional number the book takes for every row or none: what a missing or bad one
# becomes, and why. A column not listed (a margin) leaves the row out instead.
_FILLS: dict[tuple[str, str], tuple[float, str]] = {
    ("customers", "profile"): (0, "nothing known"),
    ("managers", "capacity"): (100, "the default capacity"),
    ("managers", "time_budget"): (0, "no time for proactive work until one is given"),
}


def _flags(table: _Table, column: str) -> np.ndarray:
    values = table.frame[column]
    if values.dtype.kind == "b":
        return values.to_numpy(dtype=np.uint8)
    if values.dtype.kind in "iuf":
        numbers = values.to_numpy(dtype=float)
    else:
        words = _convert.FLAG_WORDS.get(column, {})
        numbers = values.map(lambda v: _flag_number(v, words)).to_numpy(dtype=float)
    bad = ~np.isin(numbers, (0.0, 1.0))
    table.clear(bad, column, "not a flag (0/1, true/false); cleared as 0")
    return np.where(bad, 0, numbers).astype(np.uint8)


def _flag_number(value: Any, words: dict[str, int]) -> float:
    if _missing(value):
        return np.nan
    if isinstance(value, str):
        text = value.strip().lower()
        return float({"0": 0, "1": 1, "true": 1, "false": 0, **words}.get(text, -1))
    if isinstance(value, (bool, np.bool_, int, float, np.integer, np.floating)):
        return float(value)
    return -1.0


def _table_rules(table: _Table, out: dict[str, Any]) -> None:
    """The rules across columns of one row."""
    if table.name == "referrals" and "referrer" in out and "referred" in out:
        referrer, referred = out["referrer"], out["referred"]
        if isinstance(referrer, np.ndarray):
            same = (referrer == referred) & (referrer >= 0)
        else:
            same = (referrer.astype("string") == referred.astype("string")).fillna(False).to_numpy()
        table.drop(same, "referred", "a customer cannot refer themselves")
    if table.name == "complaints" and "resolved" in out:
        early = (out["resolved"] != _core.NO_DAY) & (out["resolved"] < out["opened"])
        table.clear(early, "resolved", "resolved before it was opened; cleared")
        out["resolved"] = np.where(early, _core.NO_DAY, out["resolved"]).astype(np.int32)
        if "first_contact" in out:
            unresolved = (out["resolved"] == _core.NO_DAY) & (np.asarray(out["first_contact"]) != 0)
            table.clear(unresolved, "first_contact", "resolved at first contact but not resolved; cleared")
            out["first_contact"] = np.where(unresolved, 0, out["first_contact"]).astype(np.uint8)


def _duplicates(table: _Table) -> None:
    """Rows equal, as given, in every column to an earlier kept row (two purchases of the
    same on one day at different times are two rows), found by the core in one pass: text
    compared byte for byte where Arrow holds it, every other column as one integer per row
    (numbers and times by their bits, references by their row, the rest by a factorized
    code)."""
    columns = [table.exact[c] if c in table.exact else _comparable(table.frame[c]) for c in table.frame.columns]
    first_row = _core.repeated_rows(columns, table.keep.view(np.uint8), table.name)
    table.drop(first_row >= 0, table.frame.columns[0], "duplicate of an earlier row (first_row)", first_row)


def _comparable(values: pd.Series) -> Any:
    return _convert.texts(values) if _convert.arrow_text(values) else _exact_codes(values)


def _exact_codes(values: pd.Series) -> np.ndarray:
    """One uint64 per row, equal exactly when the values are (a missing value is a value)."""
    if not isinstance(values.dtype, np.dtype):  # text, categoricals, times with a zone
        codes, _ = pd.factorize(values, use_na_sentinel=False)
        return codes.astype(np.uint64)
    if values.dtype.kind == "f":
        array = values.to_numpy(dtype=np.float64)
        return np.where(np.isnan(array), np.nan, array).view(np.uint64)  # one NaN, whatever its bits
    if values.dtype.kind in "iuM":
        array = values.to_numpy()
        return (array.view(np.uint64) if array.dtype.itemsize == 8 else array.astype(np.int64).view(np.uint64)).copy()
    codes, _ = pd.factorize(values, use_na_sentinel=False)
    return codes.astype(np.uint64)
