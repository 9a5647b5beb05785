"""Which manager serves which customer: realignment of the whole book, routing of arrivals,
and a preview of what a proposed assignment would change.

:func:`assign` takes a customers DataFrame and a managers DataFrame (indexed by their ids)
and returns an :class:`Assignment` with a row for every customer: their manager, or why
they have none. :class:`AssignmentProblem` is the same problem as arrays, for people who
tune and benchmark solvers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from . import _assignment_inputs, _convert, _core
from .rules import Rules

__all__ = [
    "CHANGES",
    "REASONS",
    "SOLVE_STATUSES",
    "Assignment",
    "AssignmentPolicy",
    "AssignmentProblem",
    "Preview",
    "Solution",
    "assign",
    "assignment_solvers",
    "preview",
    "read_orlibrary_gap",
    "route",
]

#: Why a customer has no manager ("assigned" when they have one); "solve_stopped": the time
#: limit or the progress callback stopped the solver before it settled the customer.
REASONS: tuple[str, ...] = ("assigned", "no_candidate", "capacity_exhausted", "not_worth_it", "solve_stopped")
#: How a solve ended: proven optimal, feasible (ended by its own rule without a proof),
#: stopped (the time limit or the progress callback cut it short) or infeasible (no plan
#: keeps the move budget; the one moving the fewest is returned).
SOLVE_STATUSES: tuple[str, ...] = ("optimal", "feasible", "stopped", "infeasible")
#: What a proposed assignment does to a customer.
CHANGES: tuple[str, ...] = ("kept", "moved", "newly_assigned", "left_out", "still_unassigned")

#: Who may serve whom and what each pair costs (see docs/assignment.md):
#: ``AssignmentPolicy(max_candidates=20, continuity={"confiar": 300}, move_share=0.2)``.
AssignmentPolicy = _core.AssignmentPolicy

Progress = Callable[[dict[str, float]], Any]


def assignment_solvers() -> list[str]:
    """The solver names :meth:`AssignmentProblem.solve` and :func:`assign` accept, besides "auto"."""
    return list(_core.assignment_solvers())


#: A realignment problem as arrays, candidates per customer in CSR form: customer ``c``'s
#: pairs are ``offsets[c]:offsets[c + 1]`` of ``manager``, ``cost`` and (with time budgets)
#: ``workload``; ``leave_out`` prices a customer without a manager; ``capacity`` and
#: ``time_budget`` limit each manager; ``band_low``, ``band_high`` and ``band_penalty``
#: price loads outside a band (``value``, ``value_low``, ``value_high``, ``value_penalty``
#: the value served); ``pinned`` and ``current`` hold a manager per customer or -1;
#: ``move_budget`` caps voluntary moves (-1: none). The C++ problem itself: its columns are
#: read-only NumPy views of its memory, ``replace(**fields)`` gives a changed copy.
AssignmentProblem = _core.AssignmentProblem

#: What a solver found: ``manager`` (a position per customer, -1: none), ``reason`` (why
#: not), ``cost`` (each customer's pair cost or leave-out price), ``load``, ``time`` and
#: ``value`` per manager, and how the solve ended (``objective``, ``bound``, ``gap``,
#: ``moves``, ``solver``, ``status``, ``stopped_by``, ``seconds``, ``iterations``,
#: ``searches``). The C++ result itself, its columns read-only views of its memory.
Solution = _core.AssignmentResult


def _reason(solution: Solution) -> pd.Categorical:
    """Why each customer has no manager, as a Categorical of REASONS ("assigned" when they have one)."""
    return pd.Categorical.from_codes(solution.reason_codes, categories=list(REASONS))


def _from_pairs(
    cls: type[AssignmentProblem],
    customer: Iterable[int],
    manager: Iterable[int],
    cost: Iterable[float],
    *,
    leave_out: Iterable[float],
    capacity: Iterable[int],
    workload: Iterable[float] | None = None,
    **limits: Any,
) -> AssignmentProblem:
    """A problem from a sparse table of pairs (customer and manager positions, cost);
    ``leave_out`` has one entry per customer and ``capacity`` one per manager."""
    customer = np.asarray(customer) if len(np.asarray(customer)) else np.zeros(0, dtype=np.int64)
    if customer.dtype.kind not in "iu":
        raise _core.TypeMismatchError(
            _convert.located("candidates", "customer", None, str(customer.dtype), "expected integers")
        )
    prices = np.asarray(leave_out)
    bad = (customer < 0) | (customer >= len(prices))
    if bad.any():
        row = _convert.first_row(bad)
        raise _convert.invalid("candidates", "customer", row, customer[row], "no such customer")
    order = np.argsort(customer, kind="stable")
    offsets = np.zeros(len(prices) + 1, dtype=np.int64)
    np.cumsum(np.bincount(customer, minlength=len(prices)), out=offsets[1:])
    return cls(
        offsets=offsets,
        manager=np.asarray(manager)[order],
        cost=np.asarray(cost)[order],
        workload=None if workload is None else np.asarray(workload)[order],
        leave_out=prices,
        capacity=np.asarray(capacity),
        **limits,
    )


def _from_dense(
    cls: type[AssignmentProblem], cost: Any, *, leave_out: Iterable[float], capacity: Iterable[int], **limits: Any
) -> AssignmentProblem:
    """A problem from a customers × managers cost matrix; NaN marks pairs that are not
    candidates. For small problems."""
    matrix = np.asarray(cost, dtype=np.float64)
    if matrix.ndim != 2:
        raise TypeError(f"cost: expected a customers × managers matrix, got {matrix.ndim} dimensions")
    customer, manager = np.nonzero(~np.isnan(matrix))
    return _from_pairs(
        cls, customer, manager, matrix[customer, manager], leave_out=leave_out, capacity=capacity, **limits
    )


def _solve(
    self: AssignmentProblem,
    solver: str = "auto",
    *,
    time_limit: float = 60.0,
    gap_limit: float = 1e-4,
    iterations: int = 1000,
    seed: int = 0,
    cost_scale: float = 1000.0,
    progress: Progress | None = None,
) -> Solution:
    """Solves the problem (the GIL is released meanwhile).

    ``solver``: "auction" or "flow" (exact, capacity only; costs rounded to 1/cost_scale),
    "lagrangian" (time budgets, bands, fixed costs: bound, heuristic, gap), "boost" (reference),
    or "auto". ``progress`` is called now and then with a dict (iteration, seconds,
    objective, bound); returning False stops the solver with its best so far.
    """
    return _core.solve_assignment(self, solver, cost_scale, time_limit, gap_limit, iterations, seed, progress)


AssignmentProblem.from_pairs = classmethod(_from_pairs)  # type: ignore[assignment]
AssignmentProblem.from_dense = classmethod(_from_dense)  # type: ignore[assignment]
AssignmentProblem.solve = _solve  # type: ignore[method-assign]
Solution.reason = property(_reason)  # type: ignore[assignment]


def read_orlibrary_gap(path: str | PathLike[str]) -> AssignmentProblem:
    """A published generalized assignment instance (OR-Library format) as a problem:
    agents are managers with a time budget, items customers that must all be placed."""
    return _core.read_orlibrary_gap(str(path))


@dataclass(frozen=True)
class Preview:
    """What a proposed assignment changes: ``counts`` per kind of change, ``customers``
    (current, proposed, change) and ``managers`` (loads and values before and after)."""

    counts: pd.Series
    customers: pd.DataFrame
    managers: pd.DataFrame
    value_unassigned_before: float
    value_unassigned_after: float

    def concerned(self, change: str = "moved") -> pd.Index:
        """The customers with one kind of change."""
        if change not in CHANGES:
            raise ValueError(
                _convert.located("preview", "change", None, change, f"expected one of {', '.join(CHANGES)}")
            )
        return self.customers.index[self.customers["change"] == change]


@dataclass(frozen=True)
class Assignment:
    """A realignment: ``assignments`` has a row per customer (manager, reason, cost,
    current, change); ``managers`` a row per manager (load, capacity, time, value); the
    figures of the solve (objective, bound, gap, moves, solver, status, stopped_by,
    seconds, iterations) come from ``solution``."""

    assignments: pd.DataFrame
    managers: pd.DataFrame
    problem: AssignmentProblem = field(repr=False)
    solution: Solution = field(repr=False)

    objective = property(
        lambda self: self.solution.objective, doc="Pair costs + leave-out prices + fixed costs + band penalties."
    )
    bound = property(lambda self: self.solution.bound, doc="A proven lower bound of the optimum.")
    gap = property(lambda self: self.solution.gap, doc="(objective - bound) / objective.")
    moves = property(lambda self: self.solution.moves, doc="Customers whose manager changes.")
    solver = property(lambda self: self.solution.solver, doc="The solver that ran.")
    status = property(lambda self: self.solution.status, doc="How the solve ended: one of SOLVE_STATUSES.")
    stopped_by = property(
        lambda self: self.solution.stopped_by, doc='What cut the solve short: "none", "time_limit" or "progress".'
    )
    seconds = property(lambda self: self.solution.seconds, doc="Wall time of the solve.")
    iterations = property(lambda self: self.solution.iterations, doc="Solver iterations.")

    def outcome(self) -> str:
        """How the solve ended, in words: "optimal" only when proven."""
        gap = f"{self.gap:.2%} above the lower bound"
        if self.status == "optimal":
            return "optimal"
        if self.status == "stopped":
            cut = "the time limit" if self.stopped_by == "time_limit" else "the progress callback"
            return f"stopped by {cut}: {gap}"
        if self.status == "infeasible":
            return f"no plan keeps the move budget; this one moves the fewest ({self.moves:,})"
        return f"not proven optimal: {gap}"

    def preview(self) -> Preview:
        """The change from the current assignment to this one."""
        return preview(
            self.assignments["current"],
            self.assignments["manager"],
            self.assignments["value"],
            managers=self.managers.index,
        )


def assign(
    customers: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    policy: Any = None,
    candidates: pd.DataFrame | None = None,
    forbidden: pd.DataFrame | None = None,
    rules: Rules | None = None,
    pools: str = "pools",
    solver: str = "auto",
    time_limit: float = 60.0,
    gap_limit: float = 1e-4,
    iterations: int = 1000,
    seed: int = 0,
    progress: Progress | None = None,
    workload_by_segment: Mapping[Any, float] | None = None,
) -> Assignment:
    """Realigns the book: the best manager for every customer, or none, with the reason.

    ``customers`` (index: customer id): ``value`` (required: the price of leaving the
    customer without a manager), and optionally ``segment`` (an ordered Categorical gives
    the order the fit cost uses), ``region``, ``manager`` (current), ``stage`` (reached with
    the current manager), ``manual`` (the current assignment was made by hand),
    ``workload`` (minutes per period), ``x``/``y``.

    ``managers`` (index: manager id): ``capacity`` (default 100), and optionally
    ``time_budget`` (minutes per period), ``fixed_cost`` (paid once when the manager serves
    anyone), ``region``, ``skills`` (the segments they may serve: a list, or one label),
    ``level`` (the segment they suit best), ``x``/``y``.

    Candidates follow the ``policy`` (an :data:`AssignmentPolicy`), unless ``candidates``
    (customer, manager, cost[, workload]) lists them. ``forbidden`` (customer, manager)
    pairs never are. With ``rules`` (the rule language, as :func:`route` takes them) only
    managers whose ``pools`` column holds the customer's label are candidates.
    ``workload_by_segment`` (minutes per period by segment label) fills the workload of
    customers without a ``workload`` column. See docs/assignment.md.

    The result says how the solve ended (``status``, ``stopped_by``, ``outcome()``); a
    customer the solver did not settle before a time limit or a progress callback stopped it
    has the reason "solve_stopped".
    """
    if workload_by_segment is not None and "workload" not in customers.columns:
        if "segment" not in customers.columns:
            raise _convert.invalid("customers", "segment", None, None, "is required to use workload_by_segment")
        minutes = customers["segment"].astype(object).map(dict(workload_by_segment))
        if minutes.isna().any():
            row = _convert.first_row(minutes.isna().to_numpy())
            raise _convert.invalid(
                "customers", "segment", row, customers["segment"].iloc[row], "has no entry in workload_by_segment"
            )
        customers = customers.assign(workload=minutes.astype(np.float64))
    policy = AssignmentPolicy() if policy is None else policy
    if not isinstance(policy, AssignmentPolicy):
        policy = AssignmentPolicy.from_dict(dict(policy))
    if not customers.index.is_unique:
        raise _convert.invalid("customers", "index", None, None, "ids must be unique")
    if not managers.index.is_unique:
        raise _convert.invalid("managers", "index", None, None, "ids must be unique")
    c, m = _assignment_inputs.inputs(customers, managers, rules, pools)
    if candidates is not None:
        if forbidden is not None:
            who, whom = _assignment_inputs.pairs(forbidden, customers, managers, "forbidden")
            banned = pd.MultiIndex.from_arrays([who, whom])
            given_who, given_whom = _assignment_inputs.pairs(candidates, customers, managers, "candidates")
            candidates = candidates[~pd.MultiIndex.from_arrays([given_who, given_whom]).isin(banned)]
        problem = _assignment_inputs.given_candidates(candidates, customers, managers, c, m, policy)
    else:
        who, whom = _assignment_inputs.pairs(forbidden, customers, managers, "forbidden")
        problem = _core.build_realignment(c, m, policy, who, whom)
    solution = problem.solve(
        solver, time_limit=time_limit, gap_limit=gap_limit, iterations=iterations, seed=seed, progress=progress
    )
    return _assignment(customers, managers, problem, solution)


def _assignment(
    customers: pd.DataFrame, managers: pd.DataFrame, problem: AssignmentProblem, solution: Solution
) -> Assignment:
    positions = solution.manager
    current = problem.current if problem.current is not None else np.full(problem.customers, -1, dtype=np.int32)
    change = _core.preview_assignment(current, positions, np.zeros(problem.customers), problem.managers)["change"]
    manager_labels = _convert.labels_of(positions, managers.index)
    manager_labels.index = customers.index
    given = _assignment_inputs.column_or_none(customers, "manager")
    if given is not None and given.dtype == managers.index.dtype:
        current_labels = given  # the same labels, every one a manager (unknown ones were refused)
    else:
        current_labels = _convert.labels_of(current, managers.index)
        current_labels.index = customers.index
    assignments = _convert.frame(
        {
            "manager": manager_labels,
            "reason": solution.reason,
            "cost": solution.cost,
            "value": customers["value"].to_numpy(dtype=np.float64),
            "current": current_labels,
            "change": pd.Categorical.from_codes(change, categories=list(CHANGES)),
        },
        index=customers.index,
    )
    value = np.bincount(
        positions[positions >= 0], weights=assignments["value"].to_numpy()[positions >= 0], minlength=problem.managers
    )
    per_manager = _convert.frame(
        {"load": solution.load, "capacity": problem.capacity, "time": solution.time, "value": value},
        index=managers.index,
    )
    if problem.time_budget is not None:
        per_manager["time_budget"] = problem.time_budget
    return Assignment(assignments=assignments, managers=per_manager, problem=problem, solution=solution)


def route(
    arrivals: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    load: pd.Series | None = None,
    time: pd.Series | None = None,
    rules: Rules | None = None,
    pools: str = "pools",
    policy: Any = None,
    forbidden: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Places arriving customers now, one after another in order, without re-solving the
    book: each goes to its cheapest eligible manager with room, looking at every eligible
    manager (the realignment's ``max_candidates`` cut does not apply).

    Eligibility is the policy's (region, skills), ``forbidden`` pairs excluded, and, with
    ``rules``, the rule language's: the first rule that holds gives the arrival a pool label,
    and only managers whose ``pools`` column (a list of labels, or one) holds it are
    eligible. ``load`` and ``time`` (per manager id) are the books before the arrivals
    (default: empty); with a ``time_budget`` column, an arrival also needs the minutes of its
    ``workload`` (1 without). Returns ``manager`` and ``reason`` per arrival
    ("no_candidate", "capacity_exhausted").
    """
    policy = AssignmentPolicy() if policy is None else policy
    if not isinstance(policy, AssignmentPolicy):
        policy = AssignmentPolicy.from_dict(dict(policy))
    arrivals = arrivals.drop(columns=[c for c in ("manager", "manual") if c in arrivals.columns])
    if "value" not in arrivals.columns:
        arrivals = arrivals.assign(value=0.0)
    if not arrivals.index.is_unique:
        raise _convert.invalid("arrivals", "index", None, None, "ids must be unique")
    if not managers.index.is_unique:
        raise _convert.invalid("managers", "index", None, None, "ids must be unique")
    c, m = _assignment_inputs.inputs(arrivals, managers, rules, pools)
    who, whom = _assignment_inputs.pairs(forbidden, arrivals, managers, "forbidden")
    before = (
        np.zeros(len(managers), dtype=np.int64)
        if load is None
        else load.reindex(managers.index, fill_value=0).to_numpy(dtype=np.int64)
    )
    minutes = None if time is None else time.reindex(managers.index, fill_value=0).to_numpy(dtype=np.float64)
    raw = _core.route(c, m, policy, before, minutes, who, whom)
    manager_labels = _convert.labels_of(raw["manager"], managers.index)
    manager_labels.index = arrivals.index
    return _convert.frame(
        {"manager": manager_labels, "reason": pd.Categorical.from_codes(raw["reason"], categories=list(REASONS))},
        index=arrivals.index,
    )


def preview(
    current: pd.Series, proposed: pd.Series, value: pd.Series | None = None, *, managers: pd.Index | None = None
) -> Preview:
    """Compares a proposed manager per customer with the current one (missing: none).

    ``current`` and ``proposed`` are indexed by customer id; every customer of either counts
    (one missing from ``current`` has no manager now, one missing from ``proposed`` would
    have none: left out); ``value`` weighs the per-manager value figures (default 0).
    """
    for name, side in (("proposed", proposed), ("current", current)):
        if not side.index.is_unique:
            raise _convert.invalid("preview", name, None, None, "customer ids must be unique")
    customers = proposed.index.append(current.index[~current.index.isin(proposed.index)])
    current, proposed = current.reindex(customers), proposed.reindex(customers)
    if managers is None:
        managers = pd.Index(pd.unique(pd.concat([current.dropna(), proposed.dropna()])))
    before = _assignment_inputs.manager_positions(current, managers, "preview", "current")
    after = _assignment_inputs.manager_positions(proposed, managers, "preview", "proposed")
    assert before is not None and after is not None
    worth = (
        np.zeros(len(proposed))
        if value is None
        else value.reindex(proposed.index, fill_value=0).to_numpy(dtype=np.float64)
    )
    raw = _core.preview_assignment(before, after, worth, len(managers))
    customers = _convert.frame(
        {
            "current": current,
            "proposed": proposed,
            "change": pd.Categorical.from_codes(raw["change"], categories=list(CHANGES)),
        },
        index=proposed.index,
    )
    per_manager = _convert.frame(
        {
            "load_before": raw["load_before"],
            "load_after": raw["load_after"],
            "load_change": raw["load_after"] - raw["load_before"],
            "value_before": raw["value_before"],
            "value_after": raw["value_after"],
            "value_change": raw["value_after"] - raw["value_before"],
        },
        index=managers,
    )
    return Preview(
        counts=pd.Series(raw["counts"], index=list(CHANGES), name="customers"),
        customers=customers,
        managers=per_manager,
        value_unassigned_before=raw["value_unassigned_before"],
        value_unassigned_after=raw["value_unassigned_after"],
    )
