"""cartera's assignment solvers side by side with OR-Tools, in the same run.

1. Capacity only: random books (customers × customers/100 managers, 20 candidates each,
   capacity for 90 %), solved by cartera ("auction", and "flow" up to 100 k) and by OR-Tools'
   SimpleMinCostFlow on the same graph with the same integer costs (1/1000). The objectives
   must agree.
2. Published generalized assignment instances (../shared/data/gap): cartera "lagrangian"
   and OR-Tools CP-SAT, each given the same time per instance; gap to the best known.

Needs the peers: ``scripts/setup --peers``. Run from the repository root:
``.venv/bin/python benchmarks/bench_assignment.py [--sizes 10000 100000 1000000] [--rounds 3] [--seconds 1]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

import numpy as np

import cartera

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("CARTERA_DATA", ROOT.parent / "shared" / "data"))


def random_book(customers: int, candidates: int = 20, seed: int = 42) -> cartera.AssignmentProblem:
    random = np.random.default_rng(seed)
    managers = customers // 100
    # Distinct candidates per customer: a random offset and stride walk modulo the managers.
    start = random.integers(0, managers, size=(customers, 1))
    step = random.integers(1, managers, size=(customers, 1))
    while True:
        manager = (start + step * np.arange(candidates)) % managers
        repeated = (np.sort(manager, axis=1)[:, 1:] == np.sort(manager, axis=1)[:, :-1]).any(axis=1)
        if not repeated.any():
            break
        step[repeated] = random.integers(1, managers, size=(int(repeated.sum()), 1))
    cost = np.round(random.uniform(0, 100, size=(customers, candidates)), 2)
    return cartera.AssignmentProblem(
        offsets=np.arange(customers + 1) * candidates,
        manager=manager.ravel(),
        cost=cost.ravel(),
        leave_out=60 + random.uniform(0, 100, size=customers),
        capacity=np.full(managers, 90),
    )


def ortools_min_cost_flow(problem: cartera.AssignmentProblem) -> tuple[float, float]:
    from ortools.graph.python import min_cost_flow

    n, m = problem.customers, problem.managers
    sink = n + m
    customer_of_arc = np.repeat(np.arange(n), np.diff(problem.offsets))
    start = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([customer_of_arc, np.arange(n), n + np.arange(m)])
    heads = np.concatenate([n + problem.manager, np.full(n, sink), np.full(m, sink)])
    capacities = np.concatenate([np.ones(problem.arcs + n, dtype=np.int64), problem.capacity])
    costs = np.concatenate([np.rint(problem.cost * 1000), np.rint(problem.leave_out * 1000), np.zeros(m)]).astype(
        np.int64
    )
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(m, dtype=np.int64), [-n]])
    flow.set_nodes_supplies(np.arange(n + m + 1), supplies)
    status = flow.solve()
    seconds = time.perf_counter() - start
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min cost flow: status {status}")
    return flow.optimal_cost() / 1000, seconds


def capacity_only(sizes: list[int], rounds: int) -> None:
    """Each size `rounds` times, cartera and OR-Tools in turn (the machine drifts from minute
    to minute): the median of each and the median of the rounds' ratios."""
    print(
        "| customers × managers | cartera auction | cartera flow | OR-Tools SimpleMinCostFlow "
        "| auction vs OR-Tools, median (rounds) | objective |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for customers in sizes:
        problem = random_book(customers)
        ours, theirs = [], []
        for _ in range(rounds):
            auction = problem.solve("auction")
            peer_objective, peer_seconds = ortools_min_cost_flow(problem)
            assert round(peer_objective, 3) == round(auction.objective, 3), (peer_objective, auction.objective)
            ours.append(auction.seconds)
            theirs.append(peer_seconds)
        flow_text = "—"
        if customers <= 100_000:
            flow = problem.solve("flow")
            assert flow.objective == auction.objective
            flow_text = f"{flow.seconds * 1000:,.0f} ms"
        ratio = [t / o for o, t in zip(ours, theirs, strict=True)]
        ratios = ", ".join(f"{r:.1f}×" for r in ratio)
        median_ratio = float(np.median(ratio))
        print(
            f"| {customers:,} × {customers // 100:,} | {np.median(ours) * 1000:,.0f} ms | {flow_text} | "
            f"{np.median(theirs) * 1000:,.0f} ms | **{median_ratio:.1f}×** ({ratios}) | {auction.objective:,.2f} |",
            flush=True,
        )


def read_gap(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    numbers = np.array(path.read_text().split(), dtype=np.int64)
    m, n = int(numbers[0]), int(numbers[1])
    cost = numbers[2 : 2 + m * n].reshape(m, n)
    weight = numbers[2 + m * n : 2 + 2 * m * n].reshape(m, n)
    capacity = numbers[2 + 2 * m * n : 2 + 2 * m * n + m]
    return cost, weight, capacity


def cp_sat_gap(cost: np.ndarray, weight: np.ndarray, capacity: np.ndarray, seconds: float) -> tuple[float, float]:
    """CP-SAT on a GAP instance (agents × items matrices) with both cores for `seconds`: the
    best objective (NaN when it found none) and its lower bound."""
    from ortools.sat.python import cp_model

    m, n = cost.shape
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{j}_{i}") for i in range(n)] for j in range(m)]
    for i in range(n):
        model.add_exactly_one(x[j][i] for j in range(m))
    for j in range(m):
        model.add(cp_model.LinearExpr.weighted_sum(x[j], [int(w) for w in weight[j]]) <= int(capacity[j]))
    model.minimize(cp_model.LinearExpr.weighted_sum([v for row in x for v in row], [int(c) for c in cost.ravel()]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = os.cpu_count() or 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return float("nan"), solver.best_objective_bound
    return solver.objective_value, solver.best_objective_bound


def cp_sat(path: Path, seconds: float) -> float:
    return cp_sat_gap(*read_gap(path), seconds)[0]


def published_gap(seconds: float, peer: bool = True) -> None:
    with open(DATA / "gap" / "best_known.csv") as f:
        rows = list(csv.DictReader(f))
    print(f"\nPublished GAP instances, {seconds:g} s each (gap to the best known, %):\n")
    print("| instance | items × agents | best known | cartera | gap | bound | CP-SAT | gap |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    ours_gaps: dict[str, list[float]] = {}
    peer_gaps: dict[str, list[float]] = {}
    for row in rows:
        path = DATA / "gap" / row["Path"]
        best = float(row["Best known solution value"])
        solution = cartera.read_orlibrary_gap(path).solve(
            "lagrangian", time_limit=seconds, iterations=10**6, gap_limit=0
        )
        assert (solution.manager >= 0).all(), row["Path"]
        peer_objective = cp_sat(path, seconds) if peer else float("nan")
        ours = 100 * (solution.objective / best - 1)
        theirs = 100 * (peer_objective / best - 1)
        ours_gaps.setdefault(row["Dataset"], []).append(ours)
        peer_gaps.setdefault(row["Dataset"], []).append(theirs)
        print(
            f"| {row['Path']} | {row['Item number']} × {row['Agent number']} | {best:,.0f} | {solution.objective:,.0f} | "
            f"{ours:.2f} | {solution.bound:,.1f} | {peer_objective:,.0f} | {theirs:.2f} |",
            flush=True,
        )
    print("\n| data set | instances | cartera mean gap % | CP-SAT mean gap % |")
    print("|---|---:|---:|---:|")
    for dataset in ours_gaps:
        print(
            f"| {dataset} | {len(ours_gaps[dataset])} | {np.mean(ours_gaps[dataset]):.3f} | {np.nanmean(peer_gaps[dataset]):.3f} |"
        )
    everything = [g for gaps in ours_gaps.values() for g in gaps]
    theirs_all = [g for gaps in peer_gaps.values() for g in gaps]
    print(f"| all | {len(everything)} | {np.mean(everything):.3f} | {np.nanmean(theirs_all):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per published GAP instance, for both solvers")
    parser.add_argument("--rounds", type=int, default=3, help="capacity only: rounds of cartera and OR-Tools in turn")
    parser.add_argument("--skip-gap", action="store_true")
    parser.add_argument("--no-peer", action="store_true", help="the published instances without CP-SAT")
    args = parser.parse_args()
    capacity_only(args.sizes, args.rounds)
    if not args.skip_gap:
        published_gap(args.seconds, peer=not args.no_peer)


if __name__ == "__main__":
    main()
