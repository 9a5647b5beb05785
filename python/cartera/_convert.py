"""Turning pandas columns into the arrays the C++ core takes, and results back.

Every problem is raised with the table, the column, the row and the value, as the C++
core does, so a user never has to guess which cell was wrong.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _core

NO_DAY: int = _core.NO_DAY
_EPOCH = np.datetime64("1970-01-01", "D")


def located(table: str, column: str, row: int | None, value: Any, problem: str) -> str:
    """The message format shared with the C++ core: ``table.column row R (value V): problem``.
    A column name that is not plain text (spaces, line ends, quotes) is quoted."""
    plain = column.replace("_", "").replace(".", "").replace("-", "").isalnum() or column == ""
    text = f"{table}.{column if plain else repr(column)}"
    if row is not None:
        text += f" row {row}"
    if value is not None:
        text += f" (value {_plain(value)!r})"
    return f"{text}: {problem}"


def _plain(value: Any) -> Any:
    """NumPy scalars as Python ones, so messages say 3.5 rather than np.float64(3.5)."""
    return value.item() if isinstance(value, np.generic) else value


def policy_from_dict(cls: Any, table: str, fields: Mapping[str, Any]) -> Any:
    """A policy dataclass from a mapping of its fields; an unknown field is an error naming
    it and the fields there are."""
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = [k for k in fields if k not in names]
    if unknown:
        raise invalid(table, str(unknown[0]), None, None, f"unknown field; the fields are {', '.join(names)}")
    return cls(**fields)


def invalid(table: str, column: str, row: int | None, value: Any, problem: str) -> _core.InvalidInputError:
    error = _core.InvalidInputError(located(table, column, row, value, problem))
    error.table, error.column, error.row = table, column, row
    error.value = "" if value is None else repr(_plain(value))
    return error


def first_row(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def days(series: pd.Series, table: str, column: str, *, optional: bool = False) -> np.ndarray:
    """Dates as int32 days since 1970-01-01.

    Accepts datetime64 (time of day dropped, time zones taken in their local date),
    ``datetime.date`` objects, ISO strings, or integers already counting days. Missing
    values are an error unless the column is optional, where they become NO_DAY.
    """
    values = series
    if len(values) == 0:
        return np.zeros(0, dtype=np.int32)
    if values.dtype.kind in "iu":
        numbers = np.asarray(values, dtype=np.int64)
        return _missing_days(numbers, np.zeros(len(numbers), dtype=bool), table, column, optional, series)
    if values.dtype.kind == "f":
        missing = values.isna().to_numpy()
        whole = np.asarray(values.fillna(0), dtype=np.float64)
        fractional = ~np.isfinite(whole) | (whole != np.floor(whole))
        if fractional.any():
            row = first_row(fractional)
            raise _core.TypeMismatchError(
                located(table, column, row, values.iloc[row], "days must be whole numbers or dates")
            )
        out_of_range = np.abs(whole) >= 2**31
        if out_of_range.any():
            row = first_row(out_of_range)
            raise invalid(table, column, row, values.iloc[row], "day out of range (1900-01-01..2199-12-31)")
        return _missing_days(whole.astype(np.int64), missing, table, column, optional, values)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    if values.dtype.kind != "M":
        try:
            values = pd.to_datetime(values, format="ISO8601")
        except (ValueError, TypeError, OverflowError):
            raise _first_bad_day(values, table, column) from None
    missing = values.isna().to_numpy()
    return _missing_days(day_numbers_of(values.to_numpy()), missing, table, column, optional, series)


# Each datetime64 unit's ticks in a day.
_TICKS_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000}
_TICKS_PER_DAY["ns"] = _TICKS_PER_DAY["us"] * 1000


def day_numbers_of(stamps: np.ndarray) -> np.ndarray:
    """Naive datetime64 as int64 days since 1970-01-01, the time of day dropped (NaT gives
    a meaningless number: mask it). Integer division of the ticks, ten times faster than
    NumPy's conversion to datetime64[D], which gives the same days."""
    unit, count = np.datetime_data(stamps.dtype)
    if unit in _TICKS_PER_DAY and count == 1:
        return stamps.view(np.int64) // _TICKS_PER_DAY[unit]
    return (stamps.astype("datetime64[D]") - _EPOCH).astype(np.int64)


def _first_bad_day(values: pd.Series, table: str, column: str) -> Exception:
    """The error for a day column that does not parse, naming its first bad row."""
    parsed = pd.Series([_parses_as_day(v) for v in values], dtype=bool)
    bad = ~parsed.to_numpy() & values.notna().to_numpy()
    if not bad.any():
        return _core.TypeMismatchError(
            located(table, column, None, None, "expected dates, ISO date strings or integer days")
        )
    row = first_row(bad)
    return invalid(
        table,
        column,
        row,
        values.iloc[row],
        "not a day: expected an ISO date (2024-05-02), a date or whole days since 1970-01-01",
    )


def _parses_as_day(value: Any) -> bool:
    try:
        return not pd.isna(pd.to_datetime(value, format="ISO8601"))
    except (ValueError, TypeError, OverflowError):
        return False


def _missing_days(
    numbers: np.ndarray, missing: np.ndarray, table: str, column: str, optional: bool, original: pd.Series
) -> np.ndarray:
    if missing.any():
        if not optional:
            row = first_row(missing)
            raise invalid(table, column, row, original.iloc[row], "missing date")
        numbers = numbers.copy()
        numbers[missing] = NO_DAY
    # Only what would not fit in 32 bits is caught here; the core checks the calendar range.
    out_of_range = ~missing & ((numbers <= NO_DAY) | (numbers >= 2**31))
    if out_of_range.any():
        row = first_row(out_of_range)
        raise invalid(table, column, row, original.iloc[row], "day out of range (1900-01-01..2199-12-31)")
    return numbers.astype(np.int32)


def day_number(value: Any, name: str) -> int:
    """One date (str, date, datetime, Timestamp, numpy datetime64 or an int day) as a day number."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise _core.TypeMismatchError(f"{name}: expected a date, got {value!r}") from None
    if pd.isna(stamp):
        raise _core.InvalidInputError(f"{name}: expected a date, got {value!r}")
    return int(np.datetime64(stamp.date(), "D").astype(np.int64))


def dates(day_numbers: np.ndarray) -> np.ndarray:
    """Day numbers back to datetime64[s], NO_DAY as NaT."""
    out = (day_numbers.astype(np.int64) + _EPOCH.astype(np.int64)).astype("datetime64[D]").astype("datetime64[s]")
    out[day_numbers == NO_DAY] = np.datetime64("NaT")
    return out


def frame(columns: Mapping[str, Any], index: pd.Index | None = None) -> pd.DataFrame:
    """A result frame over the core's arrays as they are: no copy, no consolidation into one
    block (which copies every column). Read-only views of C++ memory are copied, so that the
    frame stays the caller's to change."""
    owned = {
        name: values.copy() if isinstance(values, np.ndarray) and not values.flags.writeable else values
        for name, values in columns.items()
    }
    return pd.DataFrame(owned, index=index, copy=False)


def columns_of(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame's columns by name, as their arrays (no copy), to gather beside others."""
    return {str(name): series.array for name, series in frame.items()}


def positions(
    values: pd.Series, labels: pd.Index, table: str = "", column: str = "", labels_table: str = "labels"
) -> np.ndarray:
    """Each value's position in ``labels`` as int32; -1 where it is missing or not there.
    Categoricals map their categories once; Arrow-backed text is looked up by the core, in
    place. ``table``, ``column`` and ``labels_table`` name the texts in an error."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        where = np.append(labels.get_indexer(values.cat.categories), -1)  # code -1 (missing) reads the last entry
        return where[np.asarray(values.cat.codes)].astype(np.int32)
    if arrow_text(values) and arrow_text(labels):
        return _core.text_positions(texts(values), texts(labels), table, column, labels_table)
    return labels.get_indexer(values).astype(np.int32)


def arrow_text(values: pd.Series | pd.Index) -> bool:
    """Whether the values are text held by Arrow (pandas' "str" dtype with pyarrow)."""
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def texts(values: pd.Series | pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrow-backed text as the core reads it in place: (offsets, bytes, missing), text r
    being bytes[offsets[r]:offsets[r + 1]]. pandas' own layout (one chunk of large_string)
    is read without a copy; other layouts are converted to it first."""
    import pyarrow as pa

    array = pa.array(values.array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    missing = np.asarray(values.isna(), dtype=bool).view(np.uint8)
    if len(array) == 0:
        return np.zeros(1, np.int64), np.zeros(0, np.uint8), missing
    _, offsets, data = array.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)[array.offset : array.offset + len(array) + 1]
    return bounds, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)), missing


def labels_of(rows: np.ndarray, labels: pd.Index) -> pd.Series:
    """Rows of ``labels`` as the labels (ids), missing where the row is -1."""
    if len(labels) == 0:
        return pd.Series([None] * len(rows), dtype=object)
    return pd.Series(labels.take(rows, allow_fill=True, fill_value=None))


def manager_rows(manager: Any, customers: pd.Index) -> tuple[np.ndarray | None, pd.Index]:
    """Manager positions per customer (-1: none) and the managers, from a Series of manager
    ids by customer or an Assignment."""
    if manager is None:
        return None, pd.Index([])
    if hasattr(manager, "assignments"):
        manager = manager.assignments["manager"]
    aligned = manager.reindex(customers)
    managers = pd.Index(sorted(aligned.dropna().unique(), key=str))
    return positions(aligned, managers), managers


def book_manager_rows(book: Any, manager: Any, table: str) -> np.ndarray | None:
    """Each customer's manager (a Series of manager ids by customer, or an Assignment) as a
    row of the book's managers, -1 for none; an id the book does not have is named."""
    if manager is None:
        return None
    if hasattr(manager, "assignments"):
        manager = manager.assignments["manager"]
    aligned = manager.reindex(book.customer_ids)
    rows = positions(aligned, book.manager_ids)
    unknown = (rows < 0) & aligned.notna().to_numpy()
    if unknown.any():
        row = first_row(unknown)
        raise _core.UnknownIdError(located(table, "manager", row, aligned.iloc[row], "no such manager in the book"))
    return rows.astype(np.int32)


def references(
    series: pd.Series, index: pd.Index, table: str, column: str, target: str, *, optional: bool
) -> np.ndarray:
    """External ids in an event column mapped to rows of ``index``; -1 for a missing optional one."""
    missing = series.isna().to_numpy()
    if missing.any() and not optional:
        row = first_row(missing)
        raise invalid(table, column, row, series.iloc[row], "missing id")
    rows = positions(series, index, table, column, target)
    unknown = (rows < 0) & ~missing
    if unknown.any():
        row = first_row(unknown)
        value = series.iloc[row]
        error = _core.UnknownIdError(located(table, column, row, value, f"unknown id, not in {target}"))
        error.table, error.column, error.row, error.value = table, column, row, repr(_plain(value))
        raise error
    return rows


def categories(series: pd.Series) -> tuple[list[str], np.ndarray]:
    """A column as (categories, codes), missing values as code -1."""
    encoded = pd.Categorical(series)
    return [str(c) for c in encoded.categories], encoded.codes.astype(np.int32)


#: The kinds of a transaction; the last two take an amount back.
TRANSACTION_KINDS: tuple[str, ...] = ("purchase", "return", "cancellation")


def kind_words(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Kinds as the lower-case words they name, and where each is known (or missing)."""
    words = series.astype("string").str.strip().str.lower()
    return words, (words.isin(TRANSACTION_KINDS) | words.isna()).to_numpy()


def kinds(series: pd.Series, table: str, column: str) -> np.ndarray:
    """A transaction's kind as the core's `returned` flag: 1 for "return" or
    "cancellation", 0 for "purchase" (any case); a missing kind is left to the amount's
    sign (0 here: a negative amount is a return either way)."""
    if len(series) == 0:
        return np.zeros(0, dtype=np.uint8)
    words, known = kind_words(series)
    if not known.all():
        row = first_row(~known)
        raise invalid(
            table, column, row, series.iloc[row], f"unknown kind; the kinds are {', '.join(TRANSACTION_KINDS)}"
        )
    return words.isin(TRANSACTION_KINDS[1:]).to_numpy(dtype=np.uint8)


FLAG_WORDS = {
    "proactive": {"proactive": 1, "reactive": 0},
    "relational": {"relational": 1, "transactional": 0},
}


def _flag_value(value: Any, words: dict[str, int]) -> int:
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, str):
        return words.get(value.lower(), -1)
    return -1


def flags(series: pd.Series, table: str, column: str) -> np.ndarray:
    """Booleans or 0/1; for ``proactive`` and ``relational`` also the words of the domain
    ("proactive"/"reactive", "relational"/"transactional")."""
    if len(series) == 0:  # an empty table's column has whatever type its reader gave
        return np.zeros(0, dtype=np.uint8)
    if series.dtype.kind == "b":
        return np.asarray(series).astype(np.uint8)
    if series.dtype.kind in "iu":
        return np.asarray(series)  # the core checks each is 0 or 1 before narrowing
    words = FLAG_WORDS.get(column, {})
    if series.dtype == object or isinstance(series.dtype, (pd.StringDtype, pd.CategoricalDtype)):
        mapped = series.map(lambda value: _flag_value(value, words))
        bad = (mapped < 0).to_numpy()
        if bad.any():
            row = first_row(bad)
            allowed = ", ".join([*words, "True", "False"])
            raise invalid(table, column, row, series.iloc[row], f"expected one of {allowed}")
        return mapped.to_numpy().astype(np.uint8)
    raise _core.TypeMismatchError(located(table, column, None, None, f"expected booleans, got {series.dtype}"))


def numbers(series: pd.Series, table: str, column: str) -> np.ndarray:
    if len(series) == 0:
        return np.zeros(0, dtype=np.float64)
    if series.dtype.kind not in "fiu":
        raise _core.TypeMismatchError(located(table, column, None, None, f"expected numbers, got {series.dtype}"))
    return np.asarray(series, dtype=np.float64)


def integers(series: pd.Series, table: str, column: str) -> np.ndarray:
    if len(series) == 0:
        return np.zeros(0, dtype=np.int64)
    if series.dtype.kind not in "iu":
        if series.dtype.kind == "f":  # whole numbers read as floats (a CSV column with a missing cell)
            values = series.to_numpy(dtype=np.float64)
            bad = ~np.isfinite(values) | (values != np.floor(values)) | (np.abs(values) > 2.0**53)
            if bad.any():
                row = first_row(bad)
                raise invalid(table, column, row, series.iloc[row], "expected a whole number")
            return values.astype(np.int64)
        raise _core.TypeMismatchError(located(table, column, None, None, f"expected integers, got {series.dtype}"))
    return np.asarray(series, dtype=np.int64)


def core_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """A DataFrame as the core's columns: numbers (booleans as 0/1) or (categories, codes)."""
    out: dict[str, Any] = {}
    for name, series in frame.items():
        if series.dtype.kind in "biuf":
            out[str(name)] = np.asarray(series, dtype=np.float64)
        else:
            encoded = pd.Categorical(series)
            out[str(name)] = ([str(c) for c in encoded.categories], encoded.codes.astype(np.int32))
    return out


def categorical(pair: tuple[list[str], np.ndarray]) -> pd.Categorical:
    """A (categories, codes) pair from the core as a pandas Categorical."""
    labels, codes = pair
    return pd.Categorical.from_codes(codes, categories=labels)


def check_fitted(estimator: Any, attribute: str) -> None:
    """An estimator's predict before its fit is an error, as in scikit-learn."""
    if not hasattr(estimator, attribute):
        raise _core.InvalidInputError(f"{type(estimator).__name__}: call fit before predict")
