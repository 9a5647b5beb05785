"""The job on Dask (a local cluster of two workers, memory bounded per worker) beside the
single-machine job, on synthetic books written as a Parquet lake: seconds and each
worker's peak memory per step, and how the time grows with the book.

    python benchmarks/bench_engines.py --customers 1000000 3000000 10000000 --memory 9GiB

A book of more than a million customers is written a million at a time (each million a
synthetic book of its own seed, its ids prefixed), so that no process ever holds it
whole; the single-machine job runs beside it up to ``--single-up-to`` customers.
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import dask
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster, futures_of, wait

import cartera
import cartera.dask as cd
from cartera.job import run_job

CHUNK = 1_000_000
#: Columns that hold a customer's or a manager's id, prefixed per chunk to stay unique.
ID_COLUMNS = {
    "customers": ("id", "manager"),
    "managers": ("id",),
    "transactions": ("customer",),
    "interactions": ("customer", "manager"),
    "complaints": ("customer",),
    "referrals": ("referrer", "referred"),
    "campaigns": ("customer",),
    "profile": ("customer", "by"),
    "people": ("customer",),
}
#: Purchases a customer present over the whole history makes: about 10 per customer.
PURCHASE_RATE = 13.0


def chunk_book(size: int, seed: int) -> cartera.Book:
    return cartera.synthetic_book(size, max(1, size // 1_000), seed=seed, transactions_per_customer=PURCHASE_RATE)


def write_lake(customers: int, folder: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """The book of ``customers`` as folders of Parquet files (one file per chunk and table),
    with its managers table and the rows of each table."""
    managers, rows = [], dict.fromkeys(ID_COLUMNS, 0)
    for k, start in enumerate(range(0, customers, CHUNK)):
        book = chunk_book(min(CHUNK, customers - start), seed=7 + k)
        for table, frame in book.frames().items():
            if customers > CHUNK:
                prefixed = {c: f"{k}:" + frame[c].astype("string") for c in ID_COLUMNS[table] if c in frame}
                frame = frame.assign(**prefixed)
            rows[table] += len(frame)
            if table == "managers":
                managers.append(frame)
            elif len(frame):
                (folder / table).mkdir(exist_ok=True)
                frame.to_parquet(folder / table / f"part.{k}.parquet", index=False)
        del book
    return pd.concat(managers, ignore_index=True), rows


def peak_mib(reset: bool = True) -> float:
    """This process's peak resident memory since the last reset (Linux's VmHWM), reset."""
    status = Path("/proc/self/status").read_text()
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
    return peak


def per_customer_steps(book: cd.Book, seconds: dict[str, float], finished: Callable[[str], None]) -> None:
    """The job's steps but the assignment, each computed before the next begins (the
    segments and alerts compute their global fits when called: the clock starts before)."""

    def step(name: str, make: Callable[[], tuple[dd.DataFrame, ...]]) -> tuple[dd.DataFrame, ...]:
        clock = time.perf_counter()
        kept = dask.persist(*make())
        wait([future for frame in kept for future in futures_of(frame)])
        seconds[name] = time.perf_counter() - clock
        finished(name)
        return kept

    (segments,) = step("segments", lambda: (cd.segment(book),))
    step("stages", lambda: (cd.stages(book), cd.stages(book, relationship="current_manager")))
    step("alerts", lambda: (cd.alerts(book, valuable=segments["tier"] == "Premium"),))
    step("potential", lambda: (cd.potential(book, by=segments["tier"], spend=segments["monetary"]),))


def on_dask(folder: Path, managers: pd.DataFrame, customers: int, args: argparse.Namespace) -> list[tuple]:
    """Seconds and peak MiB of each worker (and of this driver) per step."""
    rows = []
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=args.memory, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        tables = {p.name: dd.read_parquet(p) for p in sorted(folder.iterdir())}
        partitions = max(2, args.partitions_per_million * customers // 1_000_000)
        client.run(peak_mib)
        peak_mib()
        clock = time.perf_counter()
        book = cd.Book(tables.pop("customers"), managers=managers, npartitions=partitions, **tables).persist()
        dask.compute(book.last_day)
        seconds = {"partition": time.perf_counter() - clock}
        peaks = {"partition": (client.run(peak_mib), peak_mib())}

        def finished(step: str) -> None:
            peaks[step] = (client.run(peak_mib), peak_mib())

        clock = time.perf_counter()
        if args.without_assignment:
            per_customer_steps(book, seconds, finished)
        else:
            cd.run_job(book, timings=seconds, progress=finished)
            seconds["job"] = time.perf_counter() - clock
        for step, spent in seconds.items():
            workers, driver = peaks.get(step, ({}, None))
            rows.append((step, spent, sorted(workers.values()), driver))
    return rows


def on_one_machine(book: cartera.Book) -> dict[str, float]:
    """Seconds of the single-machine functions that do what each engine step does (the
    potential measured against each tier's peers, as the job does), and of the whole job
    (whose assignment step is the engine's)."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    segments = cartera.segment(book)
    seconds["segments"] = time.perf_counter() - clock
    clock = time.perf_counter()
    cartera.stages(book)
    cartera.stages(book, relationship="current_manager")
    seconds["stages"] = time.perf_counter() - clock
    clock = time.perf_counter()
    cartera.alerts(book, valuable=segments["tier"] == "Premium")
    seconds["alerts"] = time.perf_counter() - clock
    clock = time.perf_counter()
    cartera.potential(book, by=segments["tier"], spend=segments["monetary"])
    seconds["potential"] = time.perf_counter() - clock
    job: dict[str, float] = {}
    clock = time.perf_counter()
    run_job(book, timings=job)
    seconds["job"] = time.perf_counter() - clock
    seconds["assignment"] = job["assignment"]
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--partitions-per-million", type=int, default=16)
    parser.add_argument("--memory", default="9GiB", help="memory limit of each of the two workers")
    parser.add_argument(
        "--without-assignment",
        action="store_true",
        help="the per-customer steps only (the regions' solves are the solver's)",
    )
    parser.add_argument("--single-up-to", type=int, default=1_000_000, help="largest book also run on one machine")
    args = parser.parse_args()
    print(
        f"{'customers':>10} {'transactions':>12} {'step':>10} {'dask s':>8} {'single s':>8} {'worker MiB':>12} {'driver':>7}"
    )
    for customers in args.customers:
        single: dict[str, float] = {}
        if customers <= args.single_up_to:
            single = on_one_machine(chunk_book(customers, seed=7))
        with tempfile.TemporaryDirectory() as folder:
            managers, counts = write_lake(customers, Path(folder))
            measured = on_dask(Path(folder), managers, customers, args)
        for step, spent, workers, driver in measured:
            peer = single.get(step, float("nan"))
            memory = "/".join(f"{w:.0f}" for w in workers) if workers else ""
            driver_text = f"{driver:7.0f}" if driver is not None else ""
            print(
                f"{customers:>10,} {counts['transactions']:>12,} {step:>10} {spent:8.1f} {peer:8.1f} "
                f"{memory:>12} {driver_text}",
                flush=True,
            )
    print(f"peak MiB of this process over the run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
