"""``cartera run --engine dask|spark``: the job on an engine, from a folder of tables to a
folder of partitioned Parquet (docs/scale.md).

Each table is ``<table>.parquet`` (a file, or a folder of files as engines write them),
``<table>/`` (a folder of Parquet files) or ``<table>.csv``; ids and labels are read as text
exactly as written. The engines take the tables as they are: clean them first
(``cartera.clean``, or your engine's own pipeline), as an engine's job has no quarantine.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from . import _convert
from .book import _SCHEMA, TABLES, TEXT_COLUMNS
from .job import Config

__all__ = ["ENGINES", "read_book", "run"]

#: The engines ``cartera run --engine`` drives.
ENGINES: tuple[str, ...] = ("dask", "spark")


def _path(folder: Path, table: str) -> Path | None:
    for candidate in (folder / f"{table}.parquet", folder / table, folder / f"{table}.csv"):
        if candidate.exists():
            return candidate
    return None


def _managers(path: Path | None) -> pd.DataFrame | None:
    """The managers table, whole (it is small and goes to every partition)."""
    if path is None:
        return None
    if path.suffix == ".csv":
        return pd.read_csv(
            path, dtype={c: str for c in TEXT_COLUMNS["managers"]}, keep_default_na=False, na_values=[""]
        )
    return pd.read_parquet(path)


def _dask_table(path: Path, table: str) -> Any:
    import dask.dataframe as dd

    if path.suffix == ".csv":
        header = pd.read_csv(path, nrows=0).columns
        text = {c: str for c in TEXT_COLUMNS[table] if c in header}
        return dd.read_csv(path, dtype=text, keep_default_na=False, na_values={c: [""] for c in header})
    return dd.read_parquet(path)


def _spark_table(spark: Any, path: Path, table: str) -> Any:
    from pyspark.sql import functions as F

    if path.suffix != ".csv":
        return spark.read.parquet(str(path))
    # Every cell as text (ids keep their zeros), then the numbers and flags as such.
    frame = spark.read.csv(str(path), header=True, inferSchema=False)
    kinds = {name: kind for name, kind, _ in _SCHEMA[table]}
    casts = {"real": "double", "int": "long", "flag": "boolean"}
    return frame.select(
        *[F.col(c).cast(casts[kinds[c]]).alias(c) if kinds.get(c) in casts else F.col(c) for c in frame.columns]
    )


def read_book(engine: str, folder: str | Path, *, npartitions: int | None = None) -> Any:
    """The book of a folder of tables on ``engine`` ("dask" or "spark"; a Spark session must
    be active)."""
    if engine not in ENGINES:
        raise _convert.invalid("run", "engine", None, engine, f"expected one of {', '.join(ENGINES)}")
    folder = Path(folder)
    if not folder.is_dir():
        raise _convert.invalid("data", str(folder), None, None, "is not a folder")
    paths = {table: _path(folder, table) for table in TABLES}
    if paths["customers"] is None:
        raise _convert.invalid("data", str(folder), None, None, "has no customers table (an engine needs it)")
    if engine == "dask":
        from . import dask as dask_engine

        tables = {t: _dask_table(p, t) for t, p in paths.items() if p is not None and t != "managers"}
        return dask_engine.Book(
            tables.pop("customers"), managers=_managers(paths["managers"]), npartitions=npartitions, **tables
        )
    from pyspark.sql import SparkSession

    from . import spark as spark_engine

    spark = SparkSession.getActiveSession()
    frames = {t: _spark_table(spark, p, t) for t, p in paths.items() if p is not None and t != "managers"}
    return spark_engine.Book(
        frames.pop("customers"), managers=_managers(paths["managers"]), npartitions=npartitions, **frames
    )


def run(
    engine: str,
    folder: str | Path,
    out: str | Path,
    config: Config,
    *,
    scheduler: str = "local",
    npartitions: int | None = None,
) -> dict[str, Any]:
    """The job of a folder of tables on an engine, written to ``out`` as partitioned
    Parquet. ``scheduler`` is a Dask scheduler's address or a Spark master URL; ``local``
    starts a local cluster (Dask) or ``local[*]`` (Spark). Returns the run's figures."""
    started = time.perf_counter()
    results: Any
    if engine == "dask":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(dashboard_address=None) if scheduler == "local" else None
        with Client(cluster if cluster is not None else scheduler):
            from . import dask as dask_engine

            book = read_book("dask", folder, npartitions=npartitions).persist()
            results = dask_engine.run_job(book, config)
            results.to_parquet(out)
        if cluster is not None:
            cluster.close()
    else:
        from . import spark as spark_engine

        session = spark_engine.session("local[*]" if scheduler == "local" else scheduler)
        book = read_book("spark", folder, npartitions=npartitions).cache()
        results = spark_engine.run_job(book, config)
        results.to_parquet(out)
        session.stop()
    written = Path(out)
    return {
        "customers": len(pd.read_parquet(written / "value", columns=["customer"])),
        "alerts": len(pd.read_parquet(written / "alerts", columns=["customer"])),
        "regions": len(results.regions),
        "seconds": time.perf_counter() - started,
    }
