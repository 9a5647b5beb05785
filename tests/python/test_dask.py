"""cartera.dask on a real Dask cluster (a LocalCluster of two worker processes): every
per-customer step and the segments give, customer by customer, the single-machine results."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster, as_completed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cartera
import cartera.dask as cd
from cartera import _partitions as parts_
from cartera.job import Config, read_tables, run_job

from .conftest import same_alerts, write_book
from .test_readme import code_blocks

CUSTOMERS = 50_000


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def book() -> cartera.Book:
    return cartera.synthetic_book(CUSTOMERS, seed=11)


def write_parts(frames: dict[str, pd.DataFrame], folder: Path, parts: int) -> dict[str, Path]:
    """Each table as a folder of Parquet files, as a data lake keeps it."""
    paths = {}
    for table, frame in frames.items():
        if not len(frame):
            continue
        (folder / table).mkdir(parents=True)
        for k, chunk in enumerate(np.array_split(np.arange(len(frame)), parts)):
            frame.iloc[chunk].to_parquet(folder / table / f"part.{k}.parquet", index=False)
        paths[table] = folder / table
    return paths


@pytest.fixture(scope="module")
def lake(book: cartera.Book, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    frames = book.frames()
    frames.pop("managers")
    return write_parts(frames, tmp_path_factory.mktemp("lake"), parts=3)


@pytest.fixture(scope="module")
def engine_book(book: cartera.Book, client: Client, lake: dict[str, Path]) -> cd.Book:
    tables = {table: dd.read_parquet(path) for table, path in lake.items()}
    return cd.Book(tables.pop("customers"), managers=book.frames()["managers"], npartitions=8, **tables).persist()


def same_frames(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Every customer once, with the single-machine row (floats within 1e-12 relative)."""
    assert not got.index.duplicated().any()
    assert sorted(got.index) == sorted(want.index)
    assert list(got.columns) == list(want.columns)
    got = got.loc[want.index]
    for column in want.columns:
        a, b = got[column], want[column]
        if a.dtype.kind == "f" and b.dtype.kind == "f":
            np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12, atol=1e-12, err_msg=column)
        else:
            both_missing = a.isna().to_numpy() & b.isna().to_numpy()
            a, b = a.astype(object).where(a.notna(), None), b.astype(object).where(b.notna(), None)
            differ = (a.to_numpy() != b.to_numpy()) & ~both_missing
            assert not differ.any(), (column, a[differ].head(3).tolist(), b[differ].head(3).tolist())


def test_the_book_knows_its_last_day_and_partitions(engine_book: cd.Book, book: cartera.Book) -> None:
    assert engine_book.last_day == book.last_day
    assert engine_book.npartitions == 8
    assert "cartera.dask.Book(partitions=8" in repr(engine_book)
    customers = engine_book.table("customers")
    assert customers is not None and len(customers) == CUSTOMERS


@pytest.mark.parametrize(
    ("step", "options"),
    [("value", {}), ("repeat_summary", {}), ("stages", {}), ("stages", {"relationship": "current_manager"})],
)
def test_per_customer_steps_give_the_single_machine_results(
    engine_book: cd.Book, book: cartera.Book, step: str, options: dict[str, str]
) -> None:
    got = getattr(cd, step)(engine_book, **options).compute()
    same_frames(got, getattr(cartera, step)(book, **options))


def test_segments_fitted_on_the_whole_book_give_the_single_machine_labels(
    engine_book: cd.Book, book: cartera.Book
) -> None:
    same_frames(cd.segment(engine_book).compute(), cartera.segment(book))


def test_clusters_fitted_on_the_partitions_are_the_single_machine_ones(
    engine_book: cd.Book, book: cartera.Book
) -> None:
    on_engine, alone = cartera.KMeans(6, init="k-means||"), cartera.KMeans(6, init="k-means||")
    got = cd.segment(engine_book, clusters=on_engine).compute()
    want = cartera.segment(book, clusters=alone)
    np.testing.assert_allclose(on_engine.cluster_centers_, alone.cluster_centers_, rtol=1e-9)
    assert on_engine.n_iter_ == alone.n_iter_ and on_engine.inertia_ == pytest.approx(alone.inertia_, rel=1e-9)
    same_frames(got, want)
    applied = cd.segment(engine_book, clusters=alone)["cluster"].compute()  # fitted: applied as it is
    assert (applied.reindex(want.index) == want["cluster"]).all()
    with pytest.raises(ValueError, match=r"on an engine use KMeans\(init='k-means\|\|'\)"):
        cd.segment(engine_book, clusters=cartera.KMeans(6))


def test_other_policies_and_an_earlier_day_merge_the_same(engine_book: cd.Book, book: cartera.Book) -> None:
    policy = cartera.SegmentPolicy(
        score={"monetary": {"weight": 2, "scale": "z_score"}, "frequency": {"weight": 1, "scale": "min_max"}},
        tiers=["Bronce", "Plata", "Oro", "Platino"],
        cuts=[0.4, 0.8, 0.95],
        rfm_bins=4,
    )
    as_of = book.last_day - pd.Timedelta(days=90)
    got = cd.segment(engine_book, as_of, policy=policy).compute()
    same_frames(got, cartera.segment(book, as_of, policy=policy))


def test_a_worker_killed_in_the_middle_loses_and_duplicates_no_customer(
    client: Client, book: cartera.Book, lake: dict[str, Path]
) -> None:
    frames = book.frames()
    small = cd.Book(
        dd.read_parquet(lake["customers"]),
        managers=frames["managers"],
        transactions=dd.read_parquet(lake["transactions"]),
        npartitions=16,
    )
    futures = client.compute(cd.value(small).to_delayed())
    done = next(iter(as_completed(futures)))
    # The worker holding the first result dies at once (SIGKILL): its results and the
    # tasks it was running are lost, and the scheduler has them run again elsewhere.
    holders = client.who_has([done]).get(done.key) or list(client.scheduler_info()["workers"])
    pids = client.run(os.getpid)
    os.kill(pids[holders[0]], signal.SIGKILL)
    got = pd.concat(client.gather(futures))
    want = cartera.value(
        cartera.Book(frames["customers"], managers=frames["managers"], transactions=frames["transactions"])
    )
    same_frames(got, want)


def test_tables_said_partitioned_but_not_are_an_error_naming_the_partition(client: Client, book: cartera.Book) -> None:
    frames = book.frames()
    customers = frames["customers"].iloc[:200].drop(columns="manager")
    transactions = frames["transactions"][frames["transactions"]["customer"].isin(customers["id"])]
    shuffled = transactions.sample(frac=1.0, random_state=0)
    engine = cd.Book(
        dd.from_pandas(customers, npartitions=2, sort=False),
        transactions=dd.from_pandas(shuffled, npartitions=2, sort=False),
        partitioned=True,
    )
    with pytest.raises(KeyError, match="in partition .*its customer's partition"):
        cd.value(engine).compute()


def test_a_table_without_its_customer_column_is_an_error_naming_it() -> None:
    customers = pd.DataFrame({"id": ["a", "b"]})
    with pytest.raises(ValueError, match=r"transactions\.customer: missing required column"):
        cd.Book(customers, transactions=pd.DataFrame({"client": ["a"], "day": [1], "amount": [1.0]}))
    with pytest.raises(ValueError, match="customers.frame: an engine's book needs its customers table"):
        cd.Book(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="_row: the engines keep this column name"):
        cd.Book(customers.assign(_row=1))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(customers=st.integers(30, 400), seed=st.integers(0, 10_000), partitions=st.integers(1, 6))
def test_any_book_cut_any_way_gives_every_customer_once_and_the_same_results(
    client: Client, customers: int, seed: int, partitions: int
) -> None:
    whole = cartera.synthetic_book(customers, seed=seed)
    frames = whole.frames()
    managers = frames.pop("managers")
    engine = cd.Book(frames.pop("customers"), managers=managers, npartitions=partitions, **frames)
    same_frames(cd.value(engine).compute(), cartera.value(whole))
    same_frames(cd.stages(engine).compute(), cartera.stages(whole))
    segments = cd.segment(engine).compute()
    same_frames(segments, cartera.segment(whole))
    assert segments.index.map(type).unique().tolist() == [str]


@pytest.mark.parametrize(
    "policy",
    [
        cartera.AlertPolicy(),
        cartera.AlertPolicy(below_zero_by_share=True, false_discovery_rate=0.5, declining_valuable_only=False),
    ],
)
def test_alerts_of_the_whole_book_come_from_its_partitions(
    engine_book: cd.Book, book: cartera.Book, policy: cartera.AlertPolicy
) -> None:
    got = cd.alerts(engine_book, policy=policy).compute()
    want = cartera.alerts(book, policy=policy)
    assert set(want["alert"]) >= {"growing", "lapsed_valuable", "mvc", "below_zero"}
    same_alerts(got, want)


def test_alerts_take_who_is_valuable_from_the_segments(engine_book: cd.Book, book: cartera.Book) -> None:
    valuable = cd.segment(engine_book)["tier"] == "Premium"
    got = cd.alerts(engine_book, valuable=valuable).compute()
    same_alerts(got, cartera.alerts(book, valuable=cartera.segment(book)["tier"] == "Premium"))


def test_potential_fitted_on_the_whole_books_counts_gives_the_single_machine_forecast(
    engine_book: cd.Book, book: cartera.Book
) -> None:
    # The fits sum the distinct histories and spends in their own order, whoever counted
    # them: the merged fit is the single-machine fit to the last bit.
    frame = cd.potential(engine_book, horizon=180).compute()
    want = cartera.potential(book, horizon=180)
    assert frame.attrs["models"] == want.attrs["models"]
    assert frame["next_products"].notna().any() and (frame["growth_potential"] > 0).any()
    same_frames(frame, want)


def test_potential_with_pareto_nbd_on_the_cluster_is_the_single_machine_one(
    engine_book: cd.Book, book: cartera.Book
) -> None:
    policy = {"model": "pareto_nbd", "horizon_days": 180}
    frame = cd.potential(engine_book, policy=policy).compute()
    want = cartera.potential(book, policy=policy)
    assert set(frame.attrs["models"]) == {"pareto_nbd", "gamma_gamma"}
    assert frame.attrs["models"] == want.attrs["models"]
    same_frames(frame, want)


def test_potential_by_tier_measures_growth_against_the_whole_tiers_peers(
    engine_book: cd.Book, book: cartera.Book
) -> None:
    segments = cd.segment(engine_book)
    got = cd.potential(engine_book, by=segments["tier"], spend=segments["monetary"]).compute()
    tiers = cartera.segment(book)
    want = cartera.potential(book, by=tiers["tier"], spend=tiers["monetary"])
    assert want["growth_reason"].str.contains("of Premium").any()
    same_frames(got, want)


def test_the_job_gives_the_single_machine_results_and_solves_each_region_alone(
    engine_book: cd.Book, book: cartera.Book, tmp_path: Path
) -> None:
    seconds: dict[str, float] = {}
    finished: list[str] = []
    results = cd.run_job(engine_book, timings=seconds, progress=finished.append)
    assert list(seconds) == finished == list(parts_.JOB_STEPS)
    assert all(s > 0 for s in seconds.values())
    whole = run_job(book)
    same_frames(results.value.compute(), whole.value)
    assert results.potential is not None and not results.skipped
    same_frames(results.potential.compute(), whole.potential)
    same_frames(results.stages.compute(), whole.stages)
    same_frames(results.segments.compute(), whole.segments)
    same_alerts(results.alerts.compute(), whole.alerts)
    assignment = results.assignment.compute()
    # Every customer once, each in their region, no manager over capacity.
    assert assignment.index.is_unique and sorted(assignment.index) == sorted(book.customer_ids)
    customers = book.table("customers")
    assert (assignment["region"] == customers["region"].astype(object).reindex(assignment.index)).all()
    managers = book.table("managers")
    served = assignment.dropna(subset=["manager"])
    assert (
        served["region"].to_numpy() == managers["region"].astype(object).reindex(served["manager"]).to_numpy()
    ).all()
    loads = served["manager"].value_counts()
    assert (loads <= managers["capacity"].reindex(loads.index)).all()
    # With same_region and no book-wide band or move budget the regions are independent:
    # solved to optimality one by one, they add up to the whole book's optimum.
    regions = results.regions
    # One solve per region, those customers without one (NaN) with the managers without one.
    assert sorted(regions["region"].astype(str)) == sorted(customers["region"].astype(object).astype(str).unique())
    assert (regions["status"] == "optimal").all() and whole.assignment.status == "optimal"
    assert regions["objective"].sum() == pytest.approx(whole.assignment.objective, rel=1e-9)
    written = results.to_parquet(tmp_path / "out")
    assert len(pd.read_parquet(written["segments"])) == CUSTOMERS
    assert pd.read_parquet(written["assignment"])["customer"].is_unique
    assert len(pd.read_parquet(written["alerts"])) == len(whole.alerts)


def test_with_worth_clv_each_region_is_priced_by_the_lifetime_value(engine_book: cd.Book, book: cartera.Book) -> None:
    config = Config.from_dict({"job": {"worth": "clv"}})
    results = cd.run_job(engine_book, config)
    whole = run_job(book, config)
    by_revenue = run_job(book)
    assert whole.assignment.objective != pytest.approx(by_revenue.assignment.objective, rel=1e-6)
    assert results.regions["objective"].sum() == pytest.approx(whole.assignment.objective, rel=1e-9)


def test_the_readme_example_on_dask_runs(
    client: Client, book: cartera.Book, lake: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = code_blocks("python")[1]
    (tmp_path / "lake").mkdir()
    for table in ("customers", "transactions"):
        (tmp_path / "lake" / table).symlink_to(lake[table])
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {"managers": book.frames()["managers"]})
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "alerts",
        "assignment",
        "potential",
        "regions.csv",
        "segments",
        "stages",
        "value",
    ]
    assert len(pd.read_parquet(tmp_path / "out" / "assignment")) == CUSTOMERS


def test_cartera_run_on_dask_writes_the_job_as_parquet(tmp_path: Path) -> None:
    data = write_book(tmp_path / "data", customers=3000, managers=30, seed=5)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "cartera", "run", "--engine", "dask", "--data", str(data), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "cartera run --engine dask: 3,000 customers" in done.stdout
    book = read_tables(data)
    segments = pd.read_parquet(out / "segments").set_index("customer")
    same_frames(segments[cartera.segment(book).columns], cartera.segment(book))
    assert pd.read_parquet(out / "assignment")["customer"].is_unique


def test_the_demo_on_dask_runs_the_synthetic_bank_as_cartera_run_does(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = ["demo", "--engine", "dask", "--customers", "2000", "--managers", "20", "--seed", "3"]
    done = subprocess.run(
        [sys.executable, "-m", "cartera", *command, "--out", str(out)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "cartera demo --engine dask: 2,000 customers" in done.stdout
    book = cartera.synthetic_book(2000, 20, seed=3)
    segments = pd.read_parquet(out / "segments").set_index("customer")
    same_frames(segments[cartera.segment(book).columns], cartera.segment(book))
    assignment = pd.read_parquet(out / "assignment")
    assert sorted(assignment["customer"]) == sorted(book.customer_ids)


def test_cartera_run_on_an_engine_refuses_a_database(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cartera", "run", "--engine", "dask", "--db", str(tmp_path / "book.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "--engine runs on --data's tables" in done.stderr
