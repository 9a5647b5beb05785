"""The assign and route inputs, from DataFrames to the arrays the C++ core takes: labels
(segments, regions, pools) as small codes shared by customers and managers, manager ids
as positions, and every problem named by table, column, row and value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .rules import Rules
from .stages import STAGES


class Codes:
    """Labels → small integer codes shared by customers and managers (-1 for missing)."""

    def __init__(self, labels: list[Any]) -> None:
        self.labels = labels
        self._index = pd.Index(labels)

    @classmethod
    def of(cls, *series: pd.Series | None, ordered: pd.Series | None = None) -> Codes:
        if ordered is not None and isinstance(ordered.dtype, pd.CategoricalDtype) and ordered.dtype.ordered:
            return cls(list(ordered.dtype.categories))
        values: set[Any] = set()
        for s in series:
            if s is not None:
                values.update(v for v in s.dropna().unique())
        return cls(sorted(values, key=str))

    def encode(self, series: pd.Series) -> np.ndarray:
        codes = _convert.positions(series, self._index)
        codes[series.isna().to_numpy()] = -1
        return codes


def column_or_none(frame: pd.DataFrame, name: str) -> pd.Series | None:
    return frame[name] if name in frame.columns else None


def reals(frame: pd.DataFrame, table: str, name: str) -> np.ndarray | None:
    values = column_or_none(frame, name)
    if values is None:
        return None
    if values.dtype.kind not in "biuf":
        raise _core.TypeMismatchError(_convert.located(table, name, None, str(values.dtype), "expected numbers"))
    if values.isna().any():
        row = _convert.first_row(values.isna().to_numpy())
        raise _convert.invalid(table, name, row, values.iloc[row], "must not be missing")
    return values.to_numpy(dtype=np.float64)


def manager_positions(values: pd.Series | None, managers: pd.Index, table: str, column: str) -> np.ndarray | None:
    if values is None:
        return None
    positions = _convert.positions(values, managers, table, column, "managers")
    unknown = (positions < 0) & values.notna().to_numpy()
    if unknown.any():
        row = _convert.first_row(unknown)
        error = _core.UnknownIdError(_convert.located(table, column, row, values.iloc[row], "no such manager"))
        raise error
    return positions


def skill_masks(values: pd.Series | None, segments: Codes) -> np.ndarray | None:
    if values is None:
        return None
    masks = np.zeros(len(values), dtype=np.uint64)
    for row, skill_set in enumerate(values):
        if skill_set is None or (isinstance(skill_set, float) and np.isnan(skill_set)):
            masks[row] = np.uint64(2**64 - 1)  # no list: may serve any segment
            continue
        items = [skill_set] if isinstance(skill_set, str) else list(skill_set)
        for item in items:
            code = segments._index.get_indexer([item])[0]
            if code < 0:
                raise _convert.invalid(
                    "managers", "skills", row, item, f"no such segment; the segments are {segments.labels}"
                )
            masks[row] |= np.uint64(1) << np.uint64(code)
    return masks


def level_codes(values: pd.Series, segments: Codes) -> np.ndarray:
    codes = segments.encode(values)
    unknown = (codes < 0) & values.notna().to_numpy()
    if unknown.any():
        row = _convert.first_row(unknown)
        raise _convert.invalid(
            "managers", "level", row, values.iloc[row], f"no such segment; the segments are {segments.labels}"
        )
    return codes


def pool_codes(
    customers: pd.DataFrame, managers: pd.DataFrame, rules: Rules | None, column: str
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """With routing rules: each customer's pool code (the label of the first rule that holds)
    and each manager's pools as a bit mask (the labels of its ``column``)."""
    if rules is None:
        return None, None
    if column not in managers.columns:
        raise _convert.invalid(
            "managers",
            column,
            None,
            None,
            "is required to place customers by rules (the pool labels each manager serves)",
        )
    label = rules.predict(customers)["label"].astype(str).to_numpy()
    served = [
        [p] if isinstance(p, str) else ([] if p is None or (isinstance(p, float) and np.isnan(p)) else list(p))
        for p in managers[column]
    ]
    codes = pd.Index(sorted({*label, *(str(p) for pools in served for p in pools)}))
    if len(codes) > 64:
        raise _convert.invalid("managers", column, None, len(codes), "at most 64 pools can be told apart")
    masks = np.zeros(len(managers), dtype=np.uint64)
    for row, pools in enumerate(served):
        for code in codes.get_indexer([str(p) for p in pools]):
            masks[row] |= np.uint64(1) << np.uint64(code)
    return codes.get_indexer(label).astype(np.int32), masks


def inputs(
    customers: pd.DataFrame, managers: pd.DataFrame, rules: Rules | None = None, pools: str = "pools"
) -> tuple[dict[str, Any], dict[str, Any]]:
    if "value" not in customers.columns:
        raise _convert.invalid(
            "customers", "value", None, None, "is required (the price of leaving a customer without a manager)"
        )
    segments = Codes.of(
        column_or_none(customers, "segment"),
        column_or_none(managers, "level"),
        pd.Series(
            [s for skills in managers["skills"].dropna() for s in ([skills] if isinstance(skills, str) else skills)]
        )
        if "skills" in managers.columns
        else None,
        ordered=column_or_none(customers, "segment"),
    )
    if len(segments.labels) > 64:
        raise _convert.invalid(
            "customers", "segment", None, len(segments.labels), "at most 64 segments can be told apart"
        )
    regions = Codes.of(column_or_none(customers, "region"), column_or_none(managers, "region"))
    stage_values = column_or_none(customers, "stage")
    stage_codes = None
    if stage_values is not None:
        stage_codes = pd.Index(list(STAGES)).get_indexer(stage_values.astype(object))
        bad = (stage_codes < 0) & stage_values.notna().to_numpy()
        if bad.any():
            row = _convert.first_row(bad)
            raise _convert.invalid(
                "customers", "stage", row, stage_values.iloc[row], f"no such stage; the stages are {', '.join(STAGES)}"
            )
        stage_codes = np.where(stage_codes < 0, 0, stage_codes).astype(np.uint8)
    manual = column_or_none(customers, "manual")
    pool, served = pool_codes(customers, managers, rules, pools)
    c = {
        "value": reals(customers, "customers", "value"),
        "segment": None if "segment" not in customers.columns else segments.encode(customers["segment"]),
        "region": None if "region" not in customers.columns else regions.encode(customers["region"]),
        "pool": pool,
        "current": manager_positions(column_or_none(customers, "manager"), managers.index, "customers", "manager"),
        "current_stage": stage_codes,
        "manual": None if manual is None else manual.fillna(False).to_numpy(dtype=np.uint8),
        "workload": reals(customers, "customers", "workload"),
        "x": reals(customers, "customers", "x"),
        "y": reals(customers, "customers", "y"),
    }
    capacity = column_or_none(managers, "capacity")
    m = {
        "capacity": np.full(len(managers), 100, dtype=np.int64)
        if capacity is None
        else _convert.integers(capacity, "managers", "capacity"),
        "time_budget": reals(managers, "managers", "time_budget"),
        "fixed_cost": reals(managers, "managers", "fixed_cost"),
        "region": None if "region" not in managers.columns else regions.encode(managers["region"]),
        "skills": skill_masks(column_or_none(managers, "skills"), segments),
        "pools": served,
        "level": None if "level" not in managers.columns else level_codes(managers["level"], segments),
        "x": reals(managers, "managers", "x"),
        "y": reals(managers, "managers", "y"),
    }
    return c, m


def pairs(
    frame: pd.DataFrame | None, customers: pd.DataFrame, managers: pd.DataFrame, table: str
) -> tuple[np.ndarray, np.ndarray]:
    if frame is None:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    for name in ("customer", "manager"):
        if name not in frame.columns:
            raise _convert.invalid(table, name, None, None, "is required")
    who = customers.index.get_indexer(frame["customer"]).astype(np.int32)
    if (who < 0).any():
        row = _convert.first_row(who < 0)
        raise _core.UnknownIdError(
            _convert.located(table, "customer", row, frame["customer"].iloc[row], "no such customer")
        )
    whom = manager_positions(frame["manager"], managers.index, table, "manager")
    assert whom is not None
    if (whom < 0).any():
        row = _convert.first_row(whom < 0)
        raise _convert.invalid(table, "manager", row, None, "must not be missing")
    return who, whom


def given_candidates(
    candidates: pd.DataFrame,
    customers: pd.DataFrame,
    managers: pd.DataFrame,
    c: dict[str, Any],
    m: dict[str, Any],
    policy: Any,
) -> _core.AssignmentProblem:
    """A problem from explicit pairs: their costs as given, the policy's prices and limits."""
    who, whom = pairs(candidates, customers, managers, "candidates")
    cost = reals(candidates, "candidates", "cost")
    if cost is None:
        raise _convert.invalid("candidates", "cost", None, None, "is required")
    given = {"customer": who, "manager": whom, "cost": cost, "workload": reals(candidates, "candidates", "workload")}
    return _core.build_realignment(c, m, policy, None, None, given)
