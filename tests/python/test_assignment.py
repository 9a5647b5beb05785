from __future__ import annotations

import csv
import itertools
import pickle
import threading

import numpy as np
import pandas as pd
import pytest

import cartera

TIERS = pd.CategoricalDtype(["Genérico", "Medio", "Premium"], ordered=True)


def small_book() -> tuple[pd.DataFrame, pd.DataFrame]:
    customers = pd.DataFrame(
        {
            "value": [100.0, 200.0, 50.0, 10.0],
            "segment": pd.Series(["Genérico", "Premium", "Premium", "Medio"], dtype=TIERS).to_numpy(),
            "region": ["N", "N", "S", "S"],
            "manager": ["ana", "ana", None, "luis"],
            "stage": ["confiar", "intimar", None, "contactar"],
        },
        index=pd.Index(["c1", "c2", "c3", "c4"], name="customer"),
    )
    customers["segment"] = customers["segment"].astype(TIERS)
    managers = pd.DataFrame(
        {
            "capacity": [1, 2, 2],
            "region": ["N", "N", "S"],
            "skills": [["Genérico", "Medio", "Premium"], ["Premium"], ["Medio", "Premium"]],
            "level": ["Genérico", "Premium", "Medio"],
        },
        index=pd.Index(["ana", "bea", "luis"], name="manager"),
    )
    return customers, managers


def test_customers_with_regions_and_managers_without_any_may_go_to_any_manager():
    customers = pd.DataFrame(
        {"value": [10.0, 5.0, 7.0], "segment": ["Premium", "Medio", "Medio"], "region": ["N", "S", "E"]},
        index=["a", "b", "c"],
    )
    result = cartera.assign(customers, pd.DataFrame({"capacity": [5]}, index=["m1"]))
    assert result.assignments["manager"].tolist() == ["m1", "m1", "m1"]
    assert (result.assignments["reason"] == "assigned").all()


def test_assign_by_hand():
    customers, managers = small_book()
    result = cartera.assign(customers, managers)
    # Ana has room for one: c1 (confiar, 150 to move) stays, c2 (intimar, 60) goes to Bea.
    assert result.assignments["manager"].tolist() == ["ana", "bea", "luis", "luis"]
    assert result.assignments["change"].tolist() == ["kept", "moved", "newly_assigned", "kept"]
    assert result.assignments["cost"].tolist() == [0.0, 60.0, 1.0, 0.0]
    assert result.objective == pytest.approx(61.0)
    assert result.bound == pytest.approx(61.0) and result.gap == 0 and result.solver == "auction"
    assert result.moves == 1
    assert result.managers["load"].tolist() == [1, 1, 2]
    assert result.managers.loc["luis", "value"] == 60.0
    preview = result.preview()
    assert preview.counts.to_dict() == {
        "kept": 2,
        "moved": 1,
        "newly_assigned": 1,
        "left_out": 0,
        "still_unassigned": 0,
    }
    assert preview.concerned("moved").tolist() == ["c2"]
    assert preview.managers.loc["ana", "load_change"] == -1


def test_a_loyal_customer_without_a_manager_is_not_priced_out():
    # Continuity prices losing the current manager; with no manager there is nothing to lose.
    customers = pd.DataFrame({"value": [50.0, 49.0], "stage": ["confiar", "sin_contacto"]}, index=["loyal", "new"])
    result = cartera.assign(customers, pd.DataFrame({"capacity": [1]}, index=["marta"]))
    assert result.assignments.loc["loyal", "manager"] == "marta" and pd.isna(result.assignments.loc["new", "manager"])
    assert result.assignments["reason"].tolist() == ["assigned", "capacity_exhausted"]


def test_every_customer_appears_once_with_a_reason():
    customers, managers = small_book()
    customers.loc["c5"] = {"value": 5.0, "segment": "Genérico", "region": "S", "manager": None, "stage": None}
    customers.loc["c6"] = {"value": 0.0, "segment": "Premium", "region": "N", "manager": None, "stage": None}
    result = cartera.assign(customers, managers)
    assert result.assignments.index.equals(customers.index)
    reasons = result.assignments["reason"]
    assert reasons["c5"] == "no_candidate"  # only Luis is in S, and he does not serve Genérico
    assert reasons["c6"] == "not_worth_it"  # worth 0: any pair costs more than leaving it out
    floored = cartera.assign(customers, managers, policy={"leave_out_floor": 5.0})
    assert floored.assignments.loc["c6", "manager"] == "bea"  # a floor of 5 is above its pair cost with Bea (0)
    assert result.assignments["manager"].isna().tolist() == [False, False, False, False, True, True]


def brute_force(cost: np.ndarray, leave_out: np.ndarray, capacity: np.ndarray) -> float:
    best = np.inf
    customers, managers = cost.shape
    for choice in itertools.product(range(-1, managers), repeat=customers):
        load = np.bincount([m for m in choice if m >= 0], minlength=managers)
        if (load > capacity).any():
            continue
        total = sum(leave_out[c] if m < 0 else cost[c, m] for c, m in enumerate(choice))
        if not np.isnan(total):
            best = min(best, total)
    return best


def test_the_array_api_agrees_with_a_brute_force_for_every_solver():
    random = np.random.default_rng(1)
    for _ in range(30):
        cost = np.round(random.uniform(0, 10, size=(5, 3)), 1)
        cost[random.random(cost.shape) < 0.3] = np.nan
        leave_out = np.round(random.uniform(0, 15, size=5), 1)
        capacity = random.integers(0, 3, size=3)
        problem = cartera.AssignmentProblem.from_dense(cost, leave_out=leave_out, capacity=capacity)
        best = brute_force(cost, leave_out, capacity)
        for solver in ("auction", "flow", "boost"):
            assert problem.solve(solver).objective == pytest.approx(best)
        heuristic = problem.solve("lagrangian")
        assert heuristic.bound <= best + 1e-9 <= heuristic.objective + 2e-9


def test_explicit_candidates_and_forbidden_pairs():
    customers, managers = small_book()
    candidates = pd.DataFrame(
        {
            "customer": ["c1", "c1", "c2", "c3", "c4"],
            "manager": ["ana", "bea", "bea", "luis", "luis"],
            "cost": [0, 1, 0, 0, 0],
        }
    )
    result = cartera.assign(customers, managers, candidates=candidates)
    assert result.assignments["manager"].tolist() == ["ana", "bea", "luis", "luis"]
    # c2 has only Bea, and Ana was forbidden for c1: c1 goes to Bea too.
    forbidden = pd.DataFrame({"customer": ["c1"], "manager": ["ana"]})
    result = cartera.assign(customers, managers, candidates=candidates, forbidden=forbidden)
    assert result.assignments.loc["c1", "manager"] == "bea"
    assert result.assignments.loc["c1", "cost"] == 1.0
    # With the policy's candidates, forbidding Bea leaves c2 with Ana or nobody.
    result = cartera.assign(customers, managers, forbidden=pd.DataFrame({"customer": ["c2"], "manager": ["bea"]}))
    assert result.assignments.loc["c2", "manager"] != "bea"


def test_policy_limits_moves_locks_and_band():
    customers, managers = small_book()
    customers["manual"] = [False, True, False, False]
    result = cartera.assign(customers, managers, policy={"lock_manual": True})
    # c2 is locked with Ana, who has room for one: c1 (Genérico, which Bea does not serve)
    # has nowhere else to go.
    assert result.assignments.loc["c2", "manager"] == "ana"
    assert result.assignments.loc["c1", "reason"] == "capacity_exhausted"
    # Without continuity prices, c2 (Premium) would rather have Bea (level Premium) than Ana
    # (level Genérico); a budget of no moves keeps it where it is.
    customers["manual"] = False
    managers.loc["ana", "capacity"] = 2
    free = cartera.AssignmentPolicy(continuity=dict.fromkeys(cartera.STAGES, 0.0))
    assert cartera.assign(customers, managers, policy=free).assignments.loc["c2", "manager"] == "bea"
    free.move_budget = 0
    stay = cartera.assign(customers, managers, policy=free)
    assert stay.moves == 0
    assert stay.assignments.loc["c2", "manager"] == "ana"
    # When capacity forces moves beyond the budget, the fewest possible are made.
    managers.loc["ana", "capacity"] = 1
    forced = cartera.assign(customers, managers, policy=free)
    assert forced.moves == 1


def test_a_time_budget_makes_it_a_generalized_assignment():
    customers, managers = small_book()
    customers["workload"] = [30.0, 50.0, 20.0, 20.0]
    managers["time_budget"] = [60.0, 40.0, 30.0]
    result = cartera.assign(customers, managers)
    assert result.solver == "lagrangian"
    assert (result.managers["time"] <= result.managers["time_budget"] + 1e-9).all()
    assert result.bound <= result.objective + 1e-9
    assert result.assignments.loc["c2", "manager"] != "bea"  # 50 minutes do not fit in Bea's 40
    by_tier = cartera.assign(
        customers.drop(columns="workload"), managers, workload_by_segment={"Genérico": 30, "Medio": 20, "Premium": 50}
    )
    explicit = cartera.assign(customers.assign(workload=[30.0, 50.0, 50.0, 20.0]), managers)
    assert by_tier.assignments["manager"].equals(explicit.assignments["manager"])
    assert by_tier.objective == pytest.approx(explicit.objective)
    with pytest.raises(
        ValueError, match=r"customers.segment row 3 \(value 'Medio'\): has no entry in workload_by_segment"
    ):
        cartera.assign(
            customers.drop(columns="workload"), managers, workload_by_segment={"Genérico": 30, "Premium": 50}
        )


def test_bad_input_is_named():
    customers, managers = small_book()
    with pytest.raises(cartera.UnknownIdError, match=r"customers.manager row 1 \(value 'eva'\): no such manager"):
        cartera.assign(customers.assign(manager=["ana", "eva", None, None]), managers)
    with pytest.raises(ValueError, match=r"customers.stage row 0 \(value 'amigos'\): no such stage"):
        cartera.assign(customers.assign(stage=["amigos", None, None, None]), managers)
    with pytest.raises(ValueError, match=r"customers.value row 2 \(value -1\): must be finite and >= 0"):
        cartera.assign(customers.assign(value=[1.0, 2.0, -1.0, 3.0]), managers)
    with pytest.raises(ValueError, match=r"customers.value row 3 \(value nan\): must not be missing"):
        cartera.assign(customers.assign(value=[1.0, 2.0, 3.0, np.nan]), managers)
    with pytest.raises(ValueError, match=r"managers.skills row 1 \(value 'VIP'\): no such segment"):
        cartera.assign(customers, managers.assign(skills=[["Medio"], ["VIP"], ["Medio"]]))
    with pytest.raises(ValueError, match=r"managers.level row 2 \(value 'Oro'\): no such segment"):
        cartera.assign(customers, managers.assign(level=["Genérico", None, "Oro"]))
    with pytest.raises(ValueError, match=r"assignment_policy.speed \(value 3\): unknown field"):
        cartera.assign(customers, managers, policy={"speed": 3})
    candidates = pd.DataFrame({"customer": ["c1"], "manager": ["ana"], "cost": [np.nan]})
    with pytest.raises(ValueError, match=r"candidates.cost row 0 \(value nan\): must not be missing"):
        cartera.assign(customers, managers, candidates=candidates)
    problem = cartera.AssignmentProblem.from_dense(
        [[1.0, 2.0], [1.0, 2.0]], leave_out=[5, 5], capacity=[1, 1], pinned=[0, 0]
    )
    with pytest.raises(
        ValueError,
        match=r"assignment_problem.pinned row 1 \(value 0\): pins more customers on manager 0 than its capacity \(1\)",
    ):
        problem.solve()
    with pytest.raises(ValueError, match=r"assignment_options.solver \(value simplex\): no such solver"):
        cartera.AssignmentProblem.from_dense([[1.0]], leave_out=[5], capacity=[1]).solve("simplex")


def test_progress_is_reported_and_can_stop_the_solver():
    problem = cartera.read_orlibrary_gap(gap_path("chu1997/d10100"))
    seen: list[dict[str, float]] = []

    def progress(at: dict[str, float]) -> bool:
        seen.append(at)
        return len(seen) < 5

    solution = problem.solve("lagrangian", progress=progress)
    assert len(seen) == 5
    assert set(seen[0]) == {"iteration", "seconds", "objective", "bound"}
    assert solution.bound <= solution.objective


def test_exact_solvers_stop_too():
    random = np.random.default_rng(4)
    customers, managers = 150_000, 1_000
    problem = cartera.AssignmentProblem.from_pairs(
        np.repeat(np.arange(customers), 3),
        random.integers(0, managers // 3, size=3 * customers) * 3
        + np.tile([0, 1, 2], customers),  # distinct per customer
        random.uniform(0, 100, size=3 * customers).round(1),
        leave_out=np.full(customers, 80.0),
        capacity=np.full(managers, 120),
    )
    full = problem.solve("auction")
    assert full.status == "optimal" and full.stopped_by == "none"
    for solver in ("auction", "flow"):
        stopped = problem.solve(solver, progress=lambda at: False)
        assert stopped.objective > full.objective and stopped.bound <= full.objective + 1e-6 and stopped.gap > 0
        assert (np.bincount(stopped.manager[stopped.manager >= 0], minlength=managers) <= 120).all()
        assert stopped.status == "stopped" and stopped.stopped_by == "progress"
        # Customers the solver did not get to are not called "not worth it" or "no room".
        assert (stopped.reason == "solve_stopped").sum() > 1000
        timed_out = problem.solve(solver, time_limit=0)
        assert timed_out.status == "stopped" and timed_out.stopped_by == "time_limit"


def test_an_assignment_says_how_its_solve_ended():
    customers, managers = small_book()
    result = cartera.assign(customers, managers)
    assert result.status == "optimal" and result.outcome() == "optimal"
    stopped = cartera.assign(customers, managers, solver="lagrangian", time_limit=0)
    assert stopped.status == "stopped" and stopped.outcome().startswith("stopped by the time limit")
    crowded = cartera.assign(customers, managers.assign(capacity=[0, 0, 2]), policy={"move_budget": 0})
    assert crowded.status == "infeasible" and "no plan keeps the move budget" in crowded.outcome()


def test_solving_releases_the_gil():
    problem = cartera.read_orlibrary_gap(gap_path("chu1997/d20200"))
    ticks = 0
    done = threading.Event()

    def solve() -> None:
        problem.solve("lagrangian", time_limit=0.5, iterations=10**6, gap_limit=0)
        done.set()

    worker = threading.Thread(target=solve)
    worker.start()
    while not done.is_set():
        ticks += 1
        done.wait(0.01)
    worker.join()
    assert ticks > 10  # the main thread ran while the solver worked


def test_results_are_deterministic_for_a_seed():
    problem = cartera.read_orlibrary_gap(gap_path("chu1997/c10100"))
    first = problem.solve(time_limit=60, iterations=150, seed=4)
    second = problem.solve(time_limit=60, iterations=150, seed=4)
    assert np.array_equal(first.manager, second.manager)
    assert first.objective == second.objective


def gap_path(name: str):
    import os
    from pathlib import Path

    root = Path(os.environ.get("CARTERA_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
    return root / "gap" / name


def test_published_instances_come_within_half_a_percent_of_the_best_known(shared_data):
    with open(shared_data / "gap" / "best_known.csv") as f:
        best = {row["Path"]: float(row["Best known solution value"]) for row in csv.DictReader(f)}
    names = ["cattrysse1994/gap8-2", "chu1997/a10200", "chu1997/b10100", "chu1997/c05100", "yagiura2004/c10400"]
    gaps = []
    for name in names:
        solution = cartera.read_orlibrary_gap(shared_data / "gap" / name).solve(time_limit=1.0)
        assert (solution.manager >= 0).all()
        assert solution.bound <= best[name] + 1e-9 <= solution.objective + 2e-9
        gaps.append(solution.objective / best[name] - 1)
    assert np.mean(gaps) <= 0.005


def test_route_places_arrivals_by_rules_and_room():
    customers, managers = small_book()
    managers["pools"] = [["general"], ["vip"], ["general", "vip"]]
    arrivals = pd.DataFrame(
        {
            "segment": ["Premium", "Premium", "Medio", "Genérico"],
            "region": ["N", "N", "S", "S"],
            "balance": [9e6, 1e3, 5e3, 1.0],
        },
        index=["n1", "n2", "n3", "n4"],
    )
    arrivals["segment"] = arrivals["segment"].astype(TIERS)
    rules = cartera.Rules([("vip", "balance > 1000000")], default="general")
    load = pd.Series({"ana": 1, "bea": 1, "luis": 1})
    routed = cartera.route(arrivals, managers, load=load, rules=rules)
    # n1 is vip: Bea (region N, vip pool, room for one more). n2 is general in N: only Ana,
    # who is full. n3: Luis. n4: nobody in S serves Genérico.
    assert routed["manager"].tolist()[:1] == ["bea"]
    assert routed.loc["n2", "reason"] == "capacity_exhausted"
    assert routed.loc["n3", "manager"] == "luis"
    assert routed.loc["n4", "reason"] == "no_candidate"


def test_route_finds_the_cheapest_eligible_manager_with_room_however_many_are_cheaper():
    # Twelve managers in a row; the eleven nearest are full, and only the farthest serves "vip".
    managers = pd.DataFrame({"capacity": 1, "x": np.arange(12.0), "y": 0.0}, index=[f"m{k}" for k in range(12)])
    arrivals = pd.DataFrame({"value": [1.0], "x": [0.0], "y": [0.0]}, index=["new"])
    routed = cartera.route(arrivals, managers, load=pd.Series(1, index=managers.index[:11]))
    assert routed.loc["new", "manager"] == "m11"
    managers["pools"] = [["general"]] * 11 + [["vip"]]
    routed = cartera.route(arrivals, managers, rules=cartera.Rules([("vip", "value > 0")], default="general"))
    assert routed.loc["new", "manager"] == "m11"


def test_preview_compares_any_two_assignments():
    current = pd.Series({"a": "m1", "b": "m1", "c": None, "d": "m2"})
    proposed = pd.Series({"a": "m1", "b": "m2", "c": "m2", "d": None})
    value = pd.Series({"a": 1.0, "b": 2.0, "c": 4.0, "d": 8.0})
    p = cartera.preview(current, proposed, value)
    assert p.counts.to_dict() == {"kept": 1, "moved": 1, "newly_assigned": 1, "left_out": 1, "still_unassigned": 0}
    assert p.managers.loc["m2", "value_after"] == 6.0
    assert p.value_unassigned_before == 4.0 and p.value_unassigned_after == 8.0


def test_the_policy_pickles_and_compares():
    policy = cartera.AssignmentPolicy(max_candidates=5, continuity={"confiar": 300.0})
    assert policy.continuity["confiar"] == 300.0 and policy.continuity["intimar"] == 60.0
    assert pickle.loads(pickle.dumps(policy)) == policy
    policy.move_share = 0.2
    assert policy.to_dict()["move_share"] == 0.2


def test_fixed_costs_and_a_value_balance():
    # Four customers a little cheaper with m0; opening m1 costs 3; values 10 each.
    problem = cartera.AssignmentProblem.from_dense(
        [[1, 2]] * 4,
        leave_out=[50] * 4,
        capacity=[4, 4],
        fixed_cost=[0, 3],
        value=[10] * 4,
        value_low=[20, 20],
        value_high=[30, 30],
    )
    alone = problem.solve()
    assert alone.solver == "lagrangian" and alone.load.tolist() == [4, 0] and alone.objective == pytest.approx(4)
    problem.value_penalty = 0.5  # 30 units outside the band at 0.5 cost more than splitting (2 + 3)
    split = problem.solve()
    assert split.load.tolist() == [2, 2] and split.objective == pytest.approx(9) and split.value.tolist() == [20, 20]
    assert split.bound <= split.objective
    with pytest.raises(ValueError, match=r"fixed costs use \"lagrangian\""):
        problem.solve("auction")
    with pytest.raises(ValueError, match=r"assignment_problem.fixed_cost row 1 \(value -1\): must be finite and >= 0"):
        cartera.AssignmentProblem.from_dense([[1, 2]], leave_out=[50], capacity=[1, 1], fixed_cost=[0, -1]).solve()


def test_assign_reads_fixed_costs_and_balances_value():
    customers = pd.DataFrame({"value": [100.0, 100.0, 10.0, 10.0]}, index=["a", "b", "c", "d"])
    managers = pd.DataFrame({"capacity": [4, 4], "fixed_cost": [0.0, 0.0]}, index=["m0", "m1"])
    # Without balance the tie-break may put the valuable two together; with it they split.
    balanced = cartera.assign(customers, managers, policy={"value_band_penalty": 1.0, "value_band_tolerance": 0.01})
    served = balanced.assignments.groupby("manager")["value"].sum()
    assert served.tolist() == [110.0, 110.0]
    closed = cartera.assign(customers, managers.assign(fixed_cost=[0.0, 1000.0]), policy={"leave_out_floor": 0.0})
    assert set(closed.assignments["manager"]) == {"m0"}
    assert cartera.AssignmentPolicy(value_band_penalty=2.0).to_dict()["value_band_penalty"] == 2.0


def test_assign_and_route_share_the_rule_language():
    customers, managers = small_book()
    customers["balance"] = [5e6, 1e3, 1e3, 9e6]
    managers["pools"] = [["general"], ["vip"], ["general", "vip"]]
    rules = cartera.Rules([("vip", "balance > 1000000")], default="general")
    result = cartera.assign(customers, managers, rules=rules)
    # c1 is vip: not Ana (general only) though she is its manager now, and Bea serves no
    # Genérico; so c2 keeps Ana. c4 (vip, S) stays with Luis, who serves both pools.
    assert result.assignments["reason"].tolist() == ["no_candidate", "assigned", "assigned", "assigned"]
    assert result.assignments["manager"].tolist()[1:] == ["ana", "luis", "luis"]
    with pytest.raises(ValueError, match="managers.pools: is required to place customers by rules"):
        cartera.assign(customers, managers.drop(columns="pools"), rules=rules)


def test_large_money_values_give_the_same_plan_as_small_ones():
    # Rupiah-sized values: 10¹² per unit of value. The exact solvers widen their integers.
    random = np.random.default_rng(8)
    customers = pd.DataFrame(
        {"value": random.integers(1, 1000, size=4000).astype(float), "x": random.uniform(0, 10, 4000), "y": 0.0}
    )
    managers = pd.DataFrame({"capacity": 50, "x": np.linspace(0, 10, 40), "y": 0.0}, index=[f"m{k}" for k in range(40)])
    policy = {"distance_weight": 0.0, "max_candidates": 5}
    small = cartera.assign(customers, managers, policy=policy)
    large = cartera.assign(customers.assign(value=customers["value"] * 1e12), managers, policy=policy)
    assert large.status == "optimal"
    assert large.assignments["manager"].equals(small.assignments["manager"])
    assert large.objective == pytest.approx(small.objective * 1e12, rel=1e-12)
    with pytest.raises(
        ValueError, match=r"assignment_problem.leave_out row 0 \(value 1e\+16\): times cost_scale \(1000\) is beyond"
    ):
        cartera.assign(customers.assign(value=1e16), managers, policy=policy)


def test_without_managers_every_customer_is_left_out_with_no_candidate():
    customers, _ = small_book()
    nobody = pd.DataFrame({"capacity": pd.Series([], dtype=np.int64)}, index=pd.Index([], dtype=object, name="manager"))
    result = cartera.assign(customers.drop(columns=["manager"]), nobody)
    assert result.assignments["reason"].tolist() == ["no_candidate"] * 4
    assert result.assignments["manager"].isna().all() and len(result.managers) == 0
    routed = cartera.route(customers.drop(columns=["manager"]), nobody)
    assert routed["reason"].tolist() == ["no_candidate"] * 4


def test_preview_keeps_customers_only_the_current_assignment_knows():
    current = pd.Series({"a": "m1", "b": "m1", "gone": "m2"})
    proposed = pd.Series({"a": "m1", "b": "m2"})
    p = cartera.preview(current, proposed)
    assert p.customers.index.tolist() == ["a", "b", "gone"]
    assert p.customers.loc["gone", "change"] == "left_out"
    assert p.counts.to_dict() == {"kept": 1, "moved": 1, "newly_assigned": 0, "left_out": 1, "still_unassigned": 0}
    assert p.managers.loc["m2", "load_before"] == 1 and p.managers.loc["m2", "load_after"] == 1


def test_a_capacity_that_is_not_whole_is_refused_not_cut():
    customers = pd.DataFrame({"value": [1.0, 2.0]}, index=["a", "b"])
    with pytest.raises(ValueError, match=r"managers.capacity row 0 \(value 1.5\): expected a whole number"):
        cartera.assign(customers, pd.DataFrame({"capacity": [1.5]}, index=["m"]))
