"""The assignment problem and result cross the seam as the C++ objects themselves: columns
are read-only NumPy views of their memory, converted strictly on the way in."""

from __future__ import annotations

import gc
import pickle

import numpy as np
import pytest

import cartera


def small() -> cartera.AssignmentProblem:
    # a→m1 (1), b→m0 (2), c left out (5): 8.
    return cartera.AssignmentProblem.from_dense([[0, 1], [2, 9], [6, 7]], leave_out=[10, 10, 5], capacity=[1, 1])


def test_columns_are_read_only_views_that_keep_the_problem_alive():
    problem = small()
    cost = problem.cost
    assert not cost.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        cost[0] = 5
    assert np.shares_memory(cost, problem.cost)  # the same C++ memory each time, never a copy
    with pytest.raises(AttributeError):
        problem.cost = np.zeros(6)
    del problem
    gc.collect()
    assert cost.tolist() == [0, 1, 2, 9, 6, 7]


def test_fields_round_trip_through_to_dict_replace_and_pickle():
    problem = small()
    fields = problem.to_dict()
    assert tuple(fields) == cartera.AssignmentProblem.fields
    assert fields["workload"] is None and fields["move_budget"] == -1
    again = cartera.AssignmentProblem(**fields)
    assert again.solve().objective == problem.solve().objective == 8
    roomier = problem.replace(capacity=[2, 1])
    assert roomier.capacity.tolist() == [2, 1] and problem.capacity.tolist() == [1, 1]
    assert roomier.solve().objective == 7  # a and b→m0 (0 + 2), c still cheaper left out (5)
    thawed = pickle.loads(pickle.dumps(problem))
    assert thawed.offsets.tolist() == problem.offsets.tolist() and thawed.solve().objective == 8
    problem.move_budget = 0
    assert problem.move_budget == 0 and "AssignmentProblem(customers=3, managers=2, arcs=6" in repr(problem)


def test_columns_come_in_strictly():
    base = small().to_dict()
    with pytest.raises(TypeError, match=r"problem.manager \(value float64\): expected integers"):
        cartera.AssignmentProblem(**(base | {"manager": base["manager"] + 0.5}))
    with pytest.raises(
        ValueError, match=r"problem.capacity row 0 \(value 18446744073709551615\): does not fit in 64 bits"
    ):
        cartera.AssignmentProblem(**(base | {"capacity": np.array([2**64 - 1, 1], dtype=np.uint64)}))
    with pytest.raises(ValueError, match=r"problem.manager row 0 \(value 4294967296\): does not fit in 32 bits"):
        cartera.AssignmentProblem(**(base | {"manager": np.full(6, 2**32)}))
    with pytest.raises(ValueError, match=r"problem.speed \(value 3\): unknown field; the fields are offsets, manager"):
        cartera.AssignmentProblem(**(base | {"speed": 3}))
    with pytest.raises(ValueError, match=r"problem.leave_out: missing column"):
        cartera.AssignmentProblem(offsets=[0], manager=[], cost=[], capacity=[])
    with pytest.raises(TypeError, match=r"problem.move_budget \(value 1.5\): expected a whole number"):
        small().move_budget = 1.5
    with pytest.raises(TypeError, match=r"preview.current \(value float64\): expected integers"):
        cartera._core.preview_assignment(np.zeros(2), np.zeros(2, dtype=np.int32), np.zeros(2), 1)


def test_the_result_is_the_solve_itself():
    problem = small()
    solution = problem.solve("auction")
    assert solution.manager.tolist() == [1, 0, -1]
    assert list(solution.reason) == ["assigned", "assigned", "capacity_exhausted"]
    assert not solution.manager.flags.writeable
    # Each customer's cost: the chosen pair's, by brute force over the arcs, else the leave-out price.
    arc_customer = np.repeat(np.arange(problem.customers), np.diff(problem.offsets))
    expected = problem.leave_out.copy()
    chosen = problem.manager == solution.manager[arc_customer]
    expected[arc_customer[chosen]] = problem.cost[chosen]
    assert solution.cost.tolist() == expected.tolist() == [1, 2, 5]
    assert solution.cost.sum() == solution.objective
    assert (solution.status, solution.stopped_by, solution.load.tolist()) == ("optimal", "none", [1, 1])
    assert "AssignmentResult(customers=3, managers=2, solver=" in repr(solution) and "status='optimal'" in repr(
        solution
    )


def test_problems_and_results_pickle_through_a_versioned_state():
    problem = small().replace(move_budget=1)
    solution = problem.solve()
    thawed = pickle.loads(pickle.dumps(solution))
    assert thawed.manager.tolist() == solution.manager.tolist() and list(thawed.reason) == list(solution.reason)
    assert (thawed.objective, thawed.status, thawed.stopped_by, thawed.solver) == (
        8,
        "optimal",
        "none",
        solution.solver,
    )
    assert thawed.value is None and thawed.cost.tolist() == [1, 2, 5]
    with pytest.raises(ValueError, match="unsupported pickle state"):
        cartera.AssignmentProblem.__new__(cartera.AssignmentProblem).__setstate__((99, {}))
