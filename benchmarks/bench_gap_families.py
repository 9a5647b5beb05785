"""cartera's "lagrangian" solver on generated generalized assignment instances of the
published families (``cartera.datasets.gap_instance``: types C, D and E at Yagiura's sizes,
100–1,600 items × 5–80 agents), side by side with OR-Tools CP-SAT given the same time.

For each instance and time limit: the gap of each solver's solution to the best solution
found in the run (by either solver at any time limit) and to the best lower bound (ours or
CP-SAT's). Needs the peers for CP-SAT (``scripts/setup --peers``); ``--no-peer`` runs
cartera alone. From the repository root:
``.venv/bin/python benchmarks/bench_gap_families.py [--families D E] [--seconds 1 10] [--seeds 0]``.
"""

from __future__ import annotations

import argparse

import numpy as np

import cartera
from bench_assignment import cp_sat_gap

YAGIURA_SIZES = [
    (100, 5), (100, 10), (100, 20), (200, 5), (200, 10), (200, 20), (400, 10), (400, 20), (400, 40),
    (900, 15), (900, 30), (900, 60), (1600, 20), (1600, 40), (1600, 80),
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", nargs="*", default=["D", "E"], choices=["C", "D", "E"])
    parser.add_argument("--seconds", type=float, nargs="*", default=[1.0, 10.0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0])
    parser.add_argument("--no-peer", action="store_true", help="cartera alone, without CP-SAT")
    parser.add_argument("--largest", type=int, default=1600, help="skip instances with more items than this")
    args = parser.parse_args()
    solvers = ["cartera"] + ([] if args.no_peer else ["CP-SAT"])
    header = " | ".join(f"{s} {t:g} s" for s in solvers for t in args.seconds)
    print(f"Gap to the best solution found / to the best bound, %\n\n| instance | best found | bound | {header} |")
    print("|---|---:|---:|" + "---:|" * (len(solvers) * len(args.seconds)))
    gaps: dict[tuple[str, str, float], list[tuple[float, float]]] = {}
    for family in args.families:
        for seed in args.seeds:
            for items, agents in YAGIURA_SIZES:
                if items > args.largest:
                    continue
                instance = cartera.datasets.gap_instance(family, items, agents, seed=seed)
                problem = instance.problem()
                found: dict[tuple[str, float], float] = {}
                bounds = []
                for seconds in args.seconds:
                    solution = problem.solve("lagrangian", time_limit=seconds, iterations=10**9, gap_limit=0)
                    assert (solution.manager >= 0).all(), (family, items, agents, seed)
                    found["cartera", seconds] = solution.objective
                    bounds.append(solution.bound)
                    if not args.no_peer:
                        objective, bound = cp_sat_gap(instance.cost, instance.weight, instance.capacity, seconds)
                        found["CP-SAT", seconds] = objective
                        bounds.append(bound)
                best = np.nanmin(list(found.values()))
                bound = max(bounds)
                cells = []
                for s in solvers:
                    for t in args.seconds:
                        to_best = 100 * (found[s, t] / best - 1)
                        to_bound = 100 * (found[s, t] / bound - 1)
                        gaps.setdefault((family, s, t), []).append((to_best, to_bound))
                        cells.append(f"{to_best:.2f} / {to_bound:.2f}")
                name = f"{family.lower()}{agents:02d}{items}" + (f"-{seed}" if seed else "")
                print(f"| {name} | {best:,.0f} | {bound:,.1f} | " + " | ".join(cells) + " |", flush=True)
    print("\n| family | solver | seconds | mean gap to best | max | mean gap to bound | max |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (family, s, t), values in gaps.items():
        to_best, to_bound = np.array(values).T
        print(
            f"| {family} | {s} | {t:g} | {np.nanmean(to_best):.3f} | {np.nanmax(to_best):.2f} | "
            f"{np.nanmean(to_bound):.3f} | {np.nanmax(to_bound):.2f} |"
        )


if __name__ == "__main__":
    main()
