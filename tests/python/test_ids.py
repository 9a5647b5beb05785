"""Ids are text: every customer and manager id comes back byte for byte, through CSV,
Parquet, SQLite and PostgreSQL, in every output table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy

import cartera
from cartera.cli import main
from cartera.job import read_tables

from .conftest import book_frames

# Ids a numeric reading would change or merge: leading zeros, numbers in other spellings,
# the words pandas takes for missing, spaces.
ODD = ["000123", "0042", "42", "1e3", "NA", "null", "nan", " 7", "007", "-0", "1_000", "TRUE"]
MANAGERS = ["007", "7", "07", "NA", "1.0", "M 1", "none"]


def odd_book() -> dict[str, pd.DataFrame]:
    book = cartera.synthetic_book(240, len(MANAGERS), seed=5)
    customers = ODD + [f"{k:07d}" for k in range(len(book.customer_ids) - len(ODD))]
    return book_frames(book, customers, MANAGERS)


def write(frames: dict[str, pd.DataFrame], folder: Path, suffix: str) -> Path:
    folder.mkdir()
    for table, frame in frames.items():
        if suffix == ".csv":
            frame.to_csv(folder / f"{table}.csv", index=False)
        else:
            frame.to_parquet(folder / f"{table}.parquet", index=False)
    return folder


def as_text(path: Path) -> pd.DataFrame:
    """A written CSV exactly as its cells read, every one as text."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


#: Per output table: the columns holding customer ids and those holding manager ids; the
#: first customer column of a per-customer table is its key.
OUTPUTS = {
    "value": (["customer"], []),
    "stages": (["customer"], []),
    "segments": (["customer"], []),
    "assignment": (["customer"], ["manager", "current"]),
    "plan_customers": (["customer"], ["manager"]),
    "referrals": (["customer", "referred_by", "origin"], []),
    "alerts": (["customer"], []),
    "contacts": (["customer"], ["manager"]),
    "unmet": (["customer"], ["manager"]),
    "show_room": (["customer"], ["manager"]),
    "managers": ([], ["manager"]),
}
PER_CUSTOMER = ("value", "stages", "segments", "assignment", "plan_customers", "referrals")


def check_outputs(tables: dict[str, pd.DataFrame], frames: dict[str, pd.DataFrame]) -> None:
    customers, managers = list(frames["customers"]["id"]), list(frames["managers"]["id"])
    for name, (customer_columns, manager_columns) in OUTPUTS.items():
        frame = tables[name]
        for column in customer_columns + manager_columns:
            assert column in frame.columns, (name, column)
            known = customers if column in customer_columns else managers
            values = frame[column][frame[column] != ""]
            assert values.isin(known).all(), (name, column, sorted(set(values) - set(known))[:5])
        if name in PER_CUSTOMER:
            assert sorted(frame["customer"]) == sorted(customers), name
        if name == "managers":
            assert sorted(frame["manager"]) == sorted(managers)
    # Each customer's current manager is the one the customers file gives, exactly.
    current = tables["assignment"].set_index("customer")["current"]
    given = frames["customers"].set_index("id")["manager"].fillna("")
    assert current.reindex(given.index).tolist() == given.tolist()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_ids_come_back_byte_for_byte_from_files(tmp_path, suffix):
    frames = odd_book()
    data = write(frames, tmp_path / "data", suffix)
    book = read_tables(data)
    assert list(book.customer_ids) == list(frames["customers"]["id"])
    assert list(book.manager_ids) == MANAGERS
    out = tmp_path / "results"
    assert main(["run", "--data", str(data), "--out", str(out), "-q"]) == 0
    tables = {name: as_text(out / f"{name}.csv") for name in OUTPUTS}
    check_outputs(tables, frames)


def test_event_ids_that_look_numeric_match_customers_that_do_not(tmp_path):
    frames = odd_book()
    frames["complaints"] = pd.DataFrame({"customer": ["000123", "0042", "42"], "opened": ["2025-06-01"] * 3})
    data = write(frames, tmp_path / "data", ".csv")
    complaints = read_tables(data).table("complaints")
    assert sorted(complaints["customer"]) == ["000123", "0042", "42"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "cartera.db")
    return request.getfixturevalue("postgres_url")


def test_ids_come_back_byte_for_byte_from_the_database(tmp_path, db):
    frames = odd_book()
    data = write(frames, tmp_path / "data", ".csv")
    assert main(["import", "--data", str(data), "--db", db]) == 0
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0  # the second starts from the first's managers
    engine = sqlalchemy.create_engine(db if "://" in db else f"sqlite:///{db}")
    with engine.connect() as connection:
        stored = {
            name: pd.read_sql_table(f"result_{name}", connection)
            for name in ("assignments", "stages", "contacts", "referrals")
        }
    engine.dispose()
    customers = list(frames["customers"]["id"])
    for name, frame in stored.items():
        last = frame[frame["run"] == 2]
        assert last["customer"].isin(customers).all(), name
        if name in ("assignments", "stages", "referrals"):
            assert sorted(last["customer"]) == sorted(customers), name
        if "manager" in last.columns:
            assert last["manager"].dropna().isin(MANAGERS).all(), name
    book = cartera.store.PortfolioStore(db).read_book()
    assert list(book.customer_ids) == customers and list(book.manager_ids) == MANAGERS
