"""cartera.spark on Spark in local mode (two cores): every per-customer step and the
segments give, customer by customer, the single-machine results."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import cartera
import cartera.spark as cs
from cartera import _partitions as parts_
from cartera.job import Config, read_tables, run_job

from .conftest import same_alerts, write_book

pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

CUSTOMERS = 50_000


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = cs.session("local[2]", **{"spark.sql.shuffle.partitions": "8", "spark.driver.memory": "2g"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def book() -> cartera.Book:
    return cartera.synthetic_book(CUSTOMERS, seed=12)


@pytest.fixture(scope="module")
def engine_book(book: cartera.Book, spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> cs.Book:
    """The book's tables read from Parquet files by Spark, as a data lake keeps them."""
    folder = tmp_path_factory.mktemp("lake")
    frames = book.frames()
    tables = {}
    for table, frame in frames.items():
        if len(frame) and table != "managers":
            frame.to_parquet(folder / f"{table}.parquet", index=False)
            tables[table] = spark.read.parquet(str(folder / f"{table}.parquet"))
    return cs.Book(tables.pop("customers"), managers=frames["managers"], npartitions=8, **tables).cache()


def same_frames(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Every customer once, with the single-machine row (floats within 1e-12 relative;
    categories compared as their labels)."""
    got = got.set_index("customer")
    assert not got.index.duplicated().any()
    assert sorted(got.index) == sorted(want.index)
    assert list(got.columns) == list(want.columns)
    got = got.loc[want.index]
    for column in want.columns:
        a, b = got[column], want[column]
        if b.dtype.kind == "f":
            np.testing.assert_allclose(a.to_numpy(dtype=float), b.to_numpy(), rtol=1e-12, atol=1e-12, err_msg=column)
        elif b.dtype.kind == "M":
            assert (pd.to_datetime(a).to_numpy() == b.to_numpy())[b.notna().to_numpy()].all(), column
            assert (a.isna().to_numpy() == b.isna().to_numpy()).all(), column
        else:
            both_missing = a.isna().to_numpy() & b.isna().to_numpy()
            a, b = a.where(a.notna(), None), b.astype(object).where(b.notna(), None)
            differ = (a.astype(object).to_numpy() != b.to_numpy()) & ~both_missing
            if isinstance(b.dtype, pd.CategoricalDtype) or b.dtype == object:
                differ = (a.astype(str).to_numpy() != b.astype(str).to_numpy()) & ~both_missing
            assert not differ.any(), (column, a[differ].head(3).tolist(), b[differ].head(3).tolist())


def test_the_book_knows_its_last_day(engine_book: cs.Book, book: cartera.Book) -> None:
    assert engine_book.last_day == book.last_day
    assert "cartera.spark.Book(partitions=8" in repr(engine_book)


@pytest.mark.parametrize(
    ("step", "options"),
    [("value", {}), ("repeat_summary", {}), ("stages", {}), ("stages", {"relationship": "current_manager"})],
)
def test_per_customer_steps_give_the_single_machine_results(
    engine_book: cs.Book, book: cartera.Book, step: str, options: dict[str, str]
) -> None:
    got = getattr(cs, step)(engine_book, **options).toPandas()
    same_frames(got, getattr(cartera, step)(book, **options))


def test_segments_fitted_on_the_whole_book_give_the_single_machine_labels(
    engine_book: cs.Book, book: cartera.Book
) -> None:
    same_frames(cs.segment(engine_book).toPandas(), cartera.segment(book))


def test_clusters_fitted_on_the_partitions_are_the_single_machine_ones(
    engine_book: cs.Book, book: cartera.Book
) -> None:
    on_engine, alone = cartera.KMeans(6, init="k-means||"), cartera.KMeans(6, init="k-means||")
    got = cs.segment(engine_book, clusters=on_engine).toPandas()
    want = cartera.segment(book, clusters=alone)
    np.testing.assert_allclose(on_engine.cluster_centers_, alone.cluster_centers_, rtol=1e-9)
    same_frames(got, want)


def test_other_policies_merge_the_same(engine_book: cs.Book, book: cartera.Book) -> None:
    policy = cartera.SegmentPolicy(
        score={"monetary": {"weight": 2, "scale": "z_score"}, "frequency": {"weight": 1, "scale": "min_max"}},
        tiers=["Bronce", "Plata", "Oro", "Platino"],
        cuts=[0.4, 0.8, 0.95],
        rfm_bins=4,
    )
    as_of = book.last_day - pd.Timedelta(days=90)
    same_frames(cs.segment(engine_book, as_of, policy=policy).toPandas(), cartera.segment(book, as_of, policy=policy))


def test_a_table_without_its_customer_column_is_an_error_naming_it(spark: SparkSession) -> None:
    customers = pd.DataFrame({"id": ["a", "b"]})
    with pytest.raises(ValueError, match=r"transactions\.customer: missing required column"):
        cs.Book(customers, transactions=pd.DataFrame({"client": ["a"], "day": [1], "amount": [1.0]}))


def test_integer_ids_come_back_as_integers(spark: SparkSession, tmp_path: Path) -> None:
    customers = pd.DataFrame({"id": [10, 20, 30]})
    tx = pd.DataFrame({"customer": [10, 10, 30], "day": [19000, 19010, 19005], "amount": [5.0, 7.0, 1.0]})
    got = cs.value(cs.Book(customers, transactions=tx, npartitions=2)).toPandas()
    want = cartera.value(cartera.Book(customers, transactions=tx))
    assert got["customer"].tolist() == sorted(want.index) or set(got["customer"]) == set(want.index)
    assert got["customer"].dtype.kind == "i"
    same_frames(got, want)


@pytest.mark.parametrize(
    "policy",
    [
        cartera.AlertPolicy(),
        cartera.AlertPolicy(below_zero_by_share=True, false_discovery_rate=0.5, declining_valuable_only=False),
    ],
)
def test_alerts_of_the_whole_book_come_from_its_groups(
    engine_book: cs.Book, book: cartera.Book, policy: cartera.AlertPolicy
) -> None:
    got = cs.alerts(engine_book, policy=policy).toPandas()
    want = cartera.alerts(book, policy=policy)
    assert set(want["alert"]) >= {"growing", "lapsed_valuable", "mvc", "below_zero"}
    same_alerts(got, want)


def test_alerts_take_who_is_valuable_from_the_segments(engine_book: cs.Book, book: cartera.Book) -> None:
    segments = cs.segment(engine_book)
    valuable = segments.select("customer", (F.col("tier") == "Premium").alias("valuable"))
    got = cs.alerts(engine_book, valuable=valuable).toPandas()
    same_alerts(got, cartera.alerts(book, valuable=cartera.segment(book)["tier"] == "Premium"))


def test_potential_by_tier_gives_the_single_machine_forecast_and_growth(
    engine_book: cs.Book, book: cartera.Book
) -> None:
    segments = cs.segment(engine_book)
    got = cs.potential(
        engine_book,
        by=segments.select("customer", F.col("tier").alias("group")),
        spend=segments.select("customer", F.col("monetary").alias("spend")),
    ).toPandas()
    tiers = cartera.segment(book)
    want = cartera.potential(book, by=tiers["tier"], spend=tiers["monetary"])
    assert want["next_products"].notna().any() and want["growth_reason"].str.contains("of Premium").any()
    same_frames(got, want)
    same_frames(cs.potential(engine_book, horizon=90).toPandas(), cartera.potential(book, horizon=90))


def test_the_job_gives_the_single_machine_results_and_solves_each_region_alone(
    engine_book: cs.Book, book: cartera.Book, tmp_path: Path
) -> None:
    # Priced by the lifetime value (the Dask tests run the default, by revenue).
    config = Config.from_dict({"job": {"worth": "clv"}})
    seconds: dict[str, float] = {}
    finished: list[str] = []
    results = cs.run_job(engine_book, config, timings=seconds, progress=finished.append)
    assert list(seconds) == finished == list(parts_.JOB_STEPS)
    whole = run_job(book, config)
    same_frames(results.value.toPandas(), whole.value)
    assert results.potential is not None and not results.skipped
    same_frames(results.potential.toPandas(), whole.potential)
    same_frames(results.segments.toPandas(), whole.segments)
    same_alerts(results.alerts.toPandas(), whole.alerts)
    assignment = results.assignment.toPandas().set_index("customer")
    assert assignment.index.is_unique and sorted(assignment.index) == sorted(book.customer_ids)
    managers = book.table("managers")
    served = assignment.dropna(subset=["manager"])
    loads = served["manager"].value_counts()
    assert (loads <= managers["capacity"].reindex(loads.index)).all()
    assert (
        served["region"].to_numpy() == managers["region"].astype(object).reindex(served["manager"]).to_numpy()
    ).all()
    assert (results.regions["status"] == "optimal").all()
    assert results.regions["objective"].sum() == pytest.approx(whole.assignment.objective, rel=1e-9)
    written = results.to_parquet(tmp_path / "out")
    assert len(pd.read_parquet(written["value"])) == CUSTOMERS


def test_cartera_run_on_spark_reads_csv_tables_and_writes_parquet(tmp_path: Path) -> None:
    data = write_book(tmp_path / "data", customers=2000, managers=20, seed=6)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "cartera", "run", "--engine", "spark", "--data", str(data), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "cartera run --engine spark: 2,000 customers" in done.stdout
    book = read_tables(data)
    value = pd.read_parquet(out / "value")
    same_frames(value, cartera.value(book))
