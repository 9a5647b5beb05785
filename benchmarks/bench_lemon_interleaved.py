"""cartera's capacity auction against LEMON's NetworkSimplex, interleaved.

A shared machine drifts by ±15 % from minute to minute, so one run of each program says
little about their ratio. This runs the two Google Benchmark programs one after the other,
`--rounds` times (auction, LEMON, auction, LEMON, ...), checks that both found the same
objective, and prints each round's times and ratio, and the median ratio.

Needs the release build with the LEMON peer (``scripts/setup --peers``, then
``cmake --preset release && cmake --build build/release``). From the repository root:
``python3 benchmarks/bench_lemon_interleaved.py [--customers 1000000] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path

BUILD = Path(__file__).resolve().parents[1] / "build" / "release" / "benchmarks"


def run_once(program: str, name: str, customers: int) -> tuple[float, float]:
    """Seconds and objective of one benchmark run."""
    output = subprocess.run(
        [str(BUILD / program), f"--benchmark_filter=^{name}/{customers}/", "--benchmark_format=json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (row,) = json.loads(output)["benchmarks"]
    return row["real_time"] / 1000, row["objective"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000, help="3000, 10000, 100000 or 1000000")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    ratios = []
    print("| round | auction (s) | LEMON NetworkSimplex (s) | ratio |")
    print("|---:|---:|---:|---:|")
    for round_number in range(1, arguments.rounds + 1):
        ours, our_objective = run_once("assignment_benchmark", "capacity_auction", arguments.customers)
        theirs, their_objective = run_once("lemon_peer_benchmark", "lemon_network_simplex", arguments.customers)
        if abs(our_objective - their_objective) > 1e-6 * max(1.0, abs(their_objective)):
            raise SystemExit(f"different objectives: cartera {our_objective}, LEMON {their_objective}")
        ratios.append(theirs / ours)
        print(f"| {round_number} | {ours:.3f} | {theirs:.3f} | {theirs / ours:.1f}× |", flush=True)
    print(
        f"\nmedian ratio over {len(ratios)} rounds: {statistics.median(ratios):.1f}× (objective {our_objective:,.2f})"
    )


if __name__ == "__main__":
    main()
