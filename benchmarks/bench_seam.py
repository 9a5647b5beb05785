"""The seam between Python and C++: what the Python layer adds to the C++ calls, in one run.

1. The 1 M × 10 k × 20 capacity-only solve: ``AssignmentProblem.solve("auction")`` from
   Python and the Google Benchmark program solving the very same problem (written to raw
   files and read by ``capacity_auction_from_files``), interleaved round by round.
2. ``cartera.value``, ``stages``, ``segment`` and ``assign`` on a synthetic book: the wall
   time of each call and the time spent inside the compiled core during it (every
   ``cartera._core`` function and method is timed); the difference is the Python overhead.

Needs the release build (``cmake --preset release && cmake --build build/release``). From
the repository root: ``.venv/bin/python benchmarks/bench_seam.py [--customers 1000000]
[--rounds 3] [--skip-solve]``.
"""

from __future__ import annotations

import argparse
import collections
import functools
import inspect
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import cartera
from bench_assignment import random_book
from cartera import _core

BUILD = Path(__file__).resolve().parents[1] / "build" / "release" / "benchmarks"


def cpp_solve_seconds(directory: Path, program: Path) -> tuple[float, float]:
    """Seconds and objective of the C++ benchmark solving the problem in `directory`."""
    output = subprocess.run(
        [str(program), "--benchmark_filter=^capacity_auction_from_files/", "--benchmark_format=json"],
        env=os.environ | {"CARTERA_PROBLEM_DIR": str(directory)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (row,) = json.loads(output)["benchmarks"]
    return row["real_time"] / 1000, row["objective"]


def write_raw(problem: cartera.AssignmentProblem, directory: Path) -> None:
    problem.offsets.astype(np.int64).tofile(directory / "offsets.i64")
    problem.manager.astype(np.int32).tofile(directory / "manager.i32")
    problem.cost.astype(np.float64).tofile(directory / "cost.f64")
    problem.leave_out.astype(np.float64).tofile(directory / "leave_out.f64")
    problem.capacity.astype(np.int64).tofile(directory / "capacity.i64")


def capacity_solve(customers: int, rounds: int, program: Path) -> None:
    started = time.perf_counter()
    problem = random_book(customers)
    arrays = problem.to_dict()
    built = time.perf_counter()
    cartera.AssignmentProblem(**arrays)
    construct = time.perf_counter() - built
    print(
        f"### {problem.customers:,} × {problem.managers:,} × 20, capacity only (generated in {built - started:.1f} s)\n"
    )
    print("| round | Python `problem.solve` (s) | of which the C++ solve (s) | C++ benchmark (s) | Python ÷ C++ |")
    print("|---:|---:|---:|---:|---:|")
    ratios = []
    with tempfile.TemporaryDirectory() as folder:
        write_raw(problem, Path(folder))
        for number in range(1, rounds + 1):
            # Alternating which runs first keeps a drift of the machine's speed out of the ratio.
            if number % 2 == 0:
                cpp_seconds, cpp_objective = cpp_solve_seconds(Path(folder), program)
            started = time.perf_counter()
            ours = problem.solve("auction")
            python_seconds = time.perf_counter() - started
            if number % 2 == 1:
                cpp_seconds, cpp_objective = cpp_solve_seconds(Path(folder), program)
            if abs(ours.objective - cpp_objective) > 1e-6 * max(1.0, abs(cpp_objective)):
                raise SystemExit(f"different objectives: Python {ours.objective}, C++ {cpp_objective}")
            ratios.append(python_seconds / cpp_seconds)
            print(
                f"| {number} | {python_seconds:.3f} | {ours.seconds:.3f} | {cpp_seconds:.3f} "
                f"| {python_seconds / cpp_seconds:.3f} |",
                flush=True,
            )
    print(
        f"\nmedian Python ÷ C++ over {rounds} rounds: {statistics.median(ratios):.3f} (objective {ours.objective:,.2f}); "
        f"building the problem from NumPy arrays (once): {construct * 1000:,.0f} ms\n"
    )


class CoreClock:
    """Times every call into cartera._core (functions and bound methods), outermost calls only."""

    def __init__(self) -> None:
        self.spent: collections.Counter[str] = collections.Counter()
        self._depth = 0
        for name in dir(_core):
            target = getattr(_core, name)
            if isinstance(target, type) and not issubclass(target, BaseException):
                for method in dir(target):
                    if not method.startswith("__"):
                        self._wrap_attribute(target, method, f"{name}.{method}")
            elif callable(target) and not isinstance(target, type):
                self._wrap_attribute(_core, name, name)

    def _wrap_attribute(self, owner: Any, name: str, label: str) -> None:
        try:
            target = getattr(owner, name)
            if (
                not callable(target)
                or isinstance(target, type)
                or inspect.isfunction(target)
                or inspect.ismethod(target)
            ):
                return  # numbers, classes, and the Python helpers cartera attaches
            setattr(owner, name, self._timed(label, target))
        except (AttributeError, TypeError):
            pass  # read-only attributes of a bound class

    def _timed(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return function(*args, **kwargs)
            self._depth += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[label] += time.perf_counter() - started
                self._depth -= 1

        return timed

    def measure(self, work: Callable[[], Any], repeat: int) -> tuple[float, float, dict[str, float]]:
        """Median wall time, median time inside the core, and the core calls of the last run (after one warm-up)."""
        walls, insides = [], []
        work()
        for _ in range(repeat):
            self.spent.clear()
            started = time.perf_counter()
            work()
            walls.append(time.perf_counter() - started)
            insides.append(sum(self.spent.values()))
        return statistics.median(walls), statistics.median(insides), dict(self.spent)


def assignment_inputs(
    book: cartera.Book, value: pd.DataFrame, segments: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The book's customers by region (20 managers each) and its managers, placed on a map."""
    random = np.random.default_rng(3)
    managers = book.manager_ids
    regions = max(1, len(managers) // 20)
    customers = pd.DataFrame(
        {
            "value": value["monetary"].to_numpy(),
            "segment": segments["tier"].array,
            "region": random.integers(0, regions, size=len(value)),
            "manager": book.table("customers")["manager"].array,
            "x": random.uniform(0, 100, len(value)),
            "y": random.uniform(0, 100, len(value)),
        },
        index=book.customer_ids,
    )
    staff = pd.DataFrame(
        {
            "capacity": np.full(len(managers), int(1.1 * len(value) / len(managers))),
            "region": np.arange(len(managers)) % regions,
            "x": random.uniform(0, 100, len(managers)),
            "y": random.uniform(0, 100, len(managers)),
        },
        index=managers,
    )
    return customers, staff


def overheads(customers: int, repeat: int) -> None:
    book = cartera.synthetic_book(customers, max(1, customers // 100), seed=1)
    value = cartera.value(book)
    segments = cartera.segment(book)
    people, staff = assignment_inputs(book, value, segments)
    clock = CoreClock()
    works = {
        "cartera.value": lambda: cartera.value(book),
        "cartera.stages": lambda: cartera.stages(book),
        "cartera.segment": lambda: cartera.segment(book),
        "cartera.assign": lambda: cartera.assign(people, staff, policy={"max_candidates": 20}, time_limit=600),
    }
    print(f"### Python overhead over the C++ calls, {customers:,} customers (median of {repeat}, after a warm-up)\n")
    print("| call | wall | inside the C++ core | Python overhead | C++ calls |")
    print("|---|---:|---:|---:|---|")
    for name, work in works.items():
        wall, inside, calls = clock.measure(work, repeat)
        listed = ", ".join(
            f"{label} {seconds * 1000:,.0f} ms"
            for label, seconds in sorted(calls.items(), key=lambda c: -c[1])
            if seconds >= 0.0005
        )
        print(
            f"| `{name}` | {wall * 1000:,.0f} ms | {inside * 1000:,.0f} ms | {(wall - inside) * 1000:,.0f} ms | {listed} |",
            flush=True,
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the capacity solve")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each call for the overheads")
    parser.add_argument("--program", type=Path, default=BUILD / "assignment_benchmark")
    parser.add_argument("--skip-solve", action="store_true")
    arguments = parser.parse_args()
    print(f"cartera {cartera.__version__}, pandas {pd.__version__}, numpy {np.__version__}, {os.cpu_count()} cores\n")
    if not arguments.skip_solve:
        capacity_solve(arguments.customers, arguments.rounds, arguments.program)
    overheads(arguments.customers, arguments.repeat)


if __name__ == "__main__":
    main()
