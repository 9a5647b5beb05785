"""The job on Dask (a local cluster of two workers, memory bounded per worker) beside the
single-machine job, on synthetic books written as a Parquet lake: seconds per step and
each worker's peak memory, and how the time grows with the book.

    python benchmarks/bench_engines.py --customers 1000000 2000000 --memory 8GiB
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import dask
import numpy as np
from distributed import Client, LocalCluster

import cartera
import cartera.dask as cd
from cartera.job import run_job


def lake(book: cartera.Book, folder: Path, files: int) -> dict[str, Path]:
    """The book's tables as folders of Parquet files."""
    paths = {}
    for table, frame in book.frames().items():
        if not len(frame) or table == "managers":
            continue
        (folder / table).mkdir(parents=True)
        for k, rows in enumerate(np.array_split(np.arange(len(frame)), files)):
            frame.iloc[rows].to_parquet(folder / table / f"part.{k}.parquet", index=False)
        paths[table] = folder / table
    return paths


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--partitions-per-million", type=int, default=16)
    parser.add_argument("--memory", default="8GiB", help="memory limit of each of the two workers")
    args = parser.parse_args()
    print(f"{'customers':>10} {'transactions':>12} {'step':>12} {'dask s':>8} {'single s':>8}")
    for customers in args.customers:
        book = cartera.synthetic_book(customers, seed=7)
        transactions = book.rows()["transactions"]
        started = time.perf_counter()
        whole = run_job(book, timings=(single := {}))
        single_total = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as folder:
            paths = lake(book, Path(folder), files=max(2, customers // 250_000))
            managers = book.frames()["managers"]
            del book
            with (
                LocalCluster(
                    n_workers=2, threads_per_worker=1, memory_limit=args.memory, dashboard_address=None
                ) as cluster,
                Client(cluster) as client,
            ):
                import dask.dataframe as dd

                tables = {t: dd.read_parquet(p) for t, p in paths.items()}
                partitions = max(2, args.partitions_per_million * customers // 1_000_000)
                timings: dict[str, float] = {}
                clock = time.perf_counter()
                engine_book = cd.Book(
                    tables.pop("customers"), managers=managers, npartitions=partitions, **tables
                ).persist()
                dask.compute(engine_book.last_day)
                timings["partition"] = time.perf_counter() - clock
                clock = time.perf_counter()
                segments = cd.segment(engine_book).persist()
                len(segments)
                timings["segments"] = time.perf_counter() - clock
                clock = time.perf_counter()
                len(cd.stages(engine_book, relationship="current_manager").persist())
                timings["stages"] = time.perf_counter() - clock
                clock = time.perf_counter()
                alerts = cd.alerts(engine_book, valuable=segments["tier"] == "Premium")
                len(alerts)
                timings["alerts"] = time.perf_counter() - clock
                clock = time.perf_counter()
                results = cd.run_job(engine_book)
                len(results.assignment)
                timings["job"] = time.perf_counter() - clock
                peaks = client.run(peak_mib)
        pairs = {
            "partition": None,
            "segments": single["value"] + single["segments"],
            "stages": single["stages"],
            "alerts": None,
            "job": single_total,
        }
        for step, seconds in timings.items():
            peer = pairs.get(step)
            peer_text = f"{peer:8.1f}" if peer is not None else f"{'':>8}"
            print(f"{customers:>10,} {transactions:>12,} {step:>12} {seconds:8.1f} {peer_text}")
        print(f"{'':>10} {'':>12} {'peak MiB':>12} " + " ".join(f"{v:.0f}" for v in peaks.values()))
        del whole


if __name__ == "__main__":
    main()
