"""The relationship ladder: contactar → relacionar → intimar → confiar."""

from __future__ import annotations

import json
from collections.abc import Iterable
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .value import _as_of

__all__ = [
    "CRITERIA",
    "STAGES",
    "StageHistory",
    "StagePolicy",
    "conversion",
    "explain",
    "ladder",
    "pair_stages",
    "stage_history",
    "stages",
    "transitions",
]

#: The ladder's steps, lowest first; sin_contacto stands below the ladder.
STAGES: tuple[str, ...] = tuple(_core.STAGES)

#: Column name of each criterion's measure, in the order the criteria are checked.
CRITERIA: dict[str, str] = {
    "reachable": "reachable",
    "contacts": "contacts",
    "two-way contacts": "two_way",
    "two-way share": "two_way_share",
    "relational contacts": "relational",
    "profile completeness": "profile",
    "breadth (products + people + managers + areas)": "breadth",
    "longest gap between contacts (days)": "longest_gap",
    "tenure (days)": "tenure",
    "unprompted purchases": "unprompted",
    "trust signals (referrals, purchases after a complaint)": "trust_signals",
    "oldest open complaint (days)": "oldest_open_complaint",
}
_BLOCKING_NAMES = ["none", *CRITERIA.values()]
_SHARES = {"two_way_share", "profile"}
_STAGE_DTYPE = pd.CategoricalDtype(list(STAGES), ordered=True)

#: The ladder's criteria as data. ``StagePolicy(grace_days=30, relacionar={"min_two_way": 4})``,
#: ``StagePolicy.from_dict(d)`` or ``StagePolicy.from_json(path_or_text)``; ``to_dict()``
#: lists every field with its default.
StagePolicy = _core.StagePolicy


def _policy_from_json(source: str | PathLike[str]) -> StagePolicy:
    """A policy from JSON text, or from the path of a JSON file."""
    text = str(source)
    if not text.lstrip().startswith("{"):
        with open(source, encoding="utf-8") as file:
            text = file.read()
    try:
        fields = json.loads(text)
    except json.JSONDecodeError as error:
        raise _core.InvalidInputError(f"stage_policy: not valid JSON ({error})") from None
    if not isinstance(fields, dict):
        raise _core.InvalidInputError("stage_policy: the JSON must be an object")
    return StagePolicy.from_dict(fields)


StagePolicy.from_json = staticmethod(_policy_from_json)  # type: ignore[method-assign]


def _stage_series(values: pd.Series | pd.DataFrame) -> pd.Series:
    return values["stage"] if isinstance(values, pd.DataFrame) else pd.Series(values)


def _aligned(values: pd.Series, customers: pd.Index, name: str) -> pd.Series:
    """Stages by customer id, in the order of ``customers``; every one of them needed."""
    absent = ~customers.isin(values.index)
    if absent.any():
        row = _convert.first_row(absent)
        raise _convert.invalid(name, "index", row, customers[row], "no stage for this customer of the book")
    return values.reindex(customers)


def _stage_codes(values: pd.Series | pd.DataFrame, name: str) -> np.ndarray:
    values = _stage_series(values).reset_index(drop=True)
    codes = pd.Index(STAGES).get_indexer(values.astype(object))
    if (codes < 0).any():
        row = int(np.flatnonzero(codes < 0)[0])
        raise _convert.invalid(
            "stages", name, row, values.iloc[row], f"not a stage; the stages are {', '.join(STAGES)}"
        )
    return codes.astype(np.int64)


def _frame(raw: dict[str, Any], index: pd.Index) -> pd.DataFrame:
    labels, codes = raw["reason"]
    columns: dict[str, Any] = {
        "stage": pd.Categorical.from_codes(raw["stage"], dtype=_STAGE_DTYPE),
        "reached": pd.Categorical.from_codes(raw["reached"], dtype=_STAGE_DTYPE),
        "held": raw["stage"] != raw["reached"],
        "reason": pd.Categorical.from_codes(codes, categories=labels),
        "blocking": pd.Categorical.from_codes(raw["blocking"], categories=_BLOCKING_NAMES),
    }
    for name, values in raw["values"].items():
        column = CRITERIA[name]
        if column == "reachable":
            columns[column] = values.astype(bool)
        elif column in _SHARES:
            columns[column] = values
        else:
            columns[column] = values.astype(np.int64)  # counts and days
    return _convert.frame(columns, index=index)


def stages(
    book: Book,
    as_of: Any = None,
    *,
    policy: StagePolicy | None = None,
    relationship: str = "customer",
    threads: int = 0,
) -> pd.DataFrame:
    """Every customer's stage on the ladder as of a date.

    Parameters
    ----------
    book : Book
    as_of : date-like, optional
        Defaults to the book's last event day.
    policy : StagePolicy, optional
    relationship : "customer" or "current_manager"
        Count all the customer's contacts, or only those with their current manager (the
        relationship is with a person; customers without a manager are sin_contacto).

    Returns
    -------
    DataFrame
        Indexed by customer: ``stage`` (with hysteresis), ``reached`` (the criteria on the
        day alone), ``held`` (kept within the grace period), ``reason`` ("relacionar; to
        reach intimar: relational contacts 1 of 3"), ``blocking`` (the criterion that
        failed) and every criterion's measure: ``reachable``, ``contacts``, ``two_way``,
        ``two_way_share``, ``relational``, ``profile``, ``breadth``, ``longest_gap``,
        ``tenure``, ``unprompted``, ``trust_signals``, ``oldest_open_complaint``.
    """
    raw = _core.compute_stages(book._core, _as_of(book, as_of), policy or StagePolicy(), relationship, threads)
    frame = _frame(raw, book.customer_ids)
    if relationship == "current_manager":
        frame.insert(0, "manager", _current_managers(book))
    return frame


def _current_manager_rows(book: Book) -> np.ndarray:
    rows = book._core.table("customers").get("manager")
    return np.full(len(book.customer_ids), -1, dtype=np.int32) if rows is None else np.asarray(rows)


def _current_managers(book: Book) -> np.ndarray:
    return book._manager_ids_of(_current_manager_rows(book))


def pair_stages(
    book: Book,
    as_of: Any = None,
    *,
    pairs: pd.DataFrame | None = None,
    policy: StagePolicy | None = None,
    threads: int = 0,
) -> pd.DataFrame:
    """The stage of each customer–manager relationship: only that manager's contacts count.

    ``pairs`` has columns ``customer`` and ``manager`` (external ids); by default every pair
    with a contact on or before ``as_of``. The result is indexed by (customer, manager).
    """
    day = _as_of(book, as_of)
    if pairs is None:
        customers, managers = _core.interaction_pairs(book._core, day)
    else:
        customers = _convert.references(
            pairs["customer"].reset_index(drop=True),
            book.customer_ids,
            "pairs",
            "customer",
            "customers",
            optional=False,
        )
        managers = _convert.references(
            pairs["manager"].reset_index(drop=True), book.manager_ids, "pairs", "manager", "managers", optional=False
        )
    raw = _core.compute_pair_stages(book._core, customers, managers, day, policy or StagePolicy(), threads)
    index = pd.MultiIndex.from_arrays(
        [book.customer_ids.take(customers), book.manager_ids.take(managers)], names=["customer", "manager"]
    )
    return _frame(raw, index)


def explain(
    book: Book, customer: Any, as_of: Any = None, *, policy: StagePolicy | None = None, relationship: str = "customer"
) -> str:
    """One customer's stage in words: what held and by how much, and what failed next.

    >>> cartera.explain(book, "C0000042")  # doctest: +SKIP
    'relacionar: two-way contacts 5 >= 3, two-way share 0.62 >= 0.30; to reach intimar: relational contacts 1 of 3'
    """
    row = book.customer_ids.get_indexer([customer])[0]
    if row < 0:
        raise _core.UnknownIdError(f"explain: unknown customer {customer!r}")
    return _core.explain_stage(book._core, int(row), _as_of(book, as_of), policy or StagePolicy(), relationship)


class StageHistory:
    """Stages evaluated on a series of days (see :func:`stage_history`)."""

    def __init__(self, core: _core.StageHistory, book: Book) -> None:
        self._core = core
        self._book = book

    @property
    def days(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(_convert.dates(np.asarray(self._core.days, dtype=np.int64)), name="day")

    @property
    def stages(self) -> pd.DataFrame:
        """Customers × days, each cell the stage on that day."""
        codes = self._core.stages()
        return _convert.frame(
            {day: pd.Categorical.from_codes(codes[d], dtype=_STAGE_DTYPE) for d, day in enumerate(self.days)},
            index=self._book.customer_ids,
        )

    @property
    def changes(self) -> pd.DataFrame:
        """Every change of stage: customer, day, from, to, and the reason (the criterion that
        fails for the stage above the new one, and its measure). Before the first day every
        customer stands at sin_contacto, so the first day records each one's entry."""
        raw = self._core.changes()
        return _convert.frame(
            {
                "customer": self._book.customer_ids.take(raw["customer"]),
                "day": _convert.dates(raw["day"]),
                "from": pd.Categorical.from_codes(raw["from"], dtype=_STAGE_DTYPE),
                "to": pd.Categorical.from_codes(raw["to"], dtype=_STAGE_DTYPE),
                "blocking": pd.Categorical.from_codes(raw["blocking"], categories=_BLOCKING_NAMES),
                "value": raw["value"],
            }
        )

    def time_in_stage(self) -> pd.DataFrame:
        """One row per customer and stage they stood at: first entry, latest entry and days
        there (each evaluation day counts until the next; the last one counts one day)."""
        raw = self._core.time_in_stage()
        return _convert.frame(
            {
                "customer": self._book.customer_ids.take(raw["customer"]),
                "stage": pd.Categorical.from_codes(raw["stage"], dtype=_STAGE_DTYPE),
                "first_entry": _convert.dates(raw["first_entry"]),
                "latest_entry": _convert.dates(raw["latest_entry"]),
                "days": raw["days"],
            }
        )

    def highest(self) -> pd.Series:
        """The highest stage each customer reached on any of the days."""
        codes = self._core.highest_stage()
        return pd.Series(
            pd.Categorical.from_codes(codes, dtype=_STAGE_DTYPE), index=self._book.customer_ids, name="highest"
        )

    def __repr__(self) -> str:
        days = self.days
        span = f"{days[0].date()} to {days[-1].date()}" if len(days) else "no days"
        return f"StageHistory(days={len(days)}, span={span!r}, changes={len(self._core.changes()['day'])})"


def stage_history(
    book: Book,
    days: Iterable[Any],
    *,
    policy: StagePolicy | None = None,
    relationship: str = "customer",
    threads: int = 0,
) -> StageHistory:
    """Stages on each of ``days`` (ascending), with the changes between them.

    ``days`` may be any dates, e.g. ``pd.date_range("2025-01-31", periods=12, freq="ME")``.
    """
    numbers = np.array([_convert.day_number(day, "stage_history.days") for day in days], dtype=np.int64)
    core = _core.compute_stage_history(book._core, numbers, policy or StagePolicy(), relationship, threads)
    return StageHistory(core, book)


def ladder(book: Book, stages: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """How many customers stand at each stage, per portfolio and overall.

    ``stages`` (the frame of :func:`stages`, or its ``stage`` column) is matched to the
    book's customers by id. Portfolios are the customers' current managers (``customers.manager``); customers
    without one form the row ``None``. Columns: the five stages, ``customers`` and
    ``real_share`` (the share at intimar or confiar: the customers a portfolio really holds).
    The last row, ``"all"``, is the whole book.
    """
    codes = _stage_codes(_aligned(_stage_series(stages), book.customer_ids, "stages"), "stage")
    managers = _current_manager_rows(book)
    portfolios, overall = _core.count_ladder(codes, managers, len(book.manager_ids))
    index = pd.Index([*book.manager_ids, None, "all"], name="manager", dtype=object)
    table = pd.DataFrame(np.vstack([portfolios, overall]), index=index, columns=list(STAGES))
    table["customers"] = table[list(STAGES)].sum(axis=1)
    real = table["intimar"] + table["confiar"]
    table["real_share"] = (real / table["customers"].where(table["customers"] > 0)).fillna(0.0)
    return table


def _paired(before: pd.DataFrame | pd.Series, after: pd.DataFrame | pd.Series) -> tuple[pd.Series, pd.Series]:
    """The two evaluations on the same customers, in before's order."""
    first, then = _stage_series(before), _stage_series(after)
    if not first.index.is_unique or not then.index.is_unique:
        raise _convert.invalid(
            "before" if not first.index.is_unique else "after", "index", None, None, "customer ids must be unique"
        )
    extra = ~then.index.isin(first.index)
    if extra.any():
        row = _convert.first_row(extra)
        raise _convert.invalid("before", "index", row, then.index[row], "no stage for this customer of after")
    return first, _aligned(then, first.index, "after")


def transitions(before: pd.DataFrame | pd.Series, after: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Customers moving between stages from one evaluation to another: rows are the stage
    before, columns the stage after. The two are matched by customer id."""
    first, then = _paired(before, after)
    matrix, _ = _core.count_transitions(_stage_codes(first, "before"), _stage_codes(then, "after"))
    return pd.DataFrame(matrix, index=pd.Index(STAGES, name="from"), columns=pd.Index(STAGES, name="to"))


def conversion(before: pd.DataFrame | pd.Series, after: pd.DataFrame | pd.Series) -> pd.Series:
    """For each stage below confiar, the share of its customers in ``before`` who stand
    higher in ``after`` (matched by customer id)."""
    first, then = _paired(before, after)
    _, shares = _core.count_transitions(_stage_codes(first, "before"), _stage_codes(then, "after"))
    return pd.Series(shares, index=pd.Index(STAGES[:-1], name="from"), name="conversion")
