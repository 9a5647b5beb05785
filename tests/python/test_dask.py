"""cartera.dask on a real Dask cluster (a LocalCluster of two worker processes): every
per-customer step and the segments give, customer by customer, the single-machine results."""

from __future__ import annotations

import os
import signal
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
            differ = (a.astype(object).to_numpy() != b.astype(object).to_numpy()) & ~both_missing
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
