from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cartera

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data sets, read in place from ../shared/data (or $CARTERA_DATA)."""
    path = Path(os.environ.get("CARTERA_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.fail(f"the shared data sets are missing: {path} (set CARTERA_DATA)")
    return path


#: Columns that hold a customer's id, and those that hold a manager's, in the book's tables.
CUSTOMER_COLUMNS = {
    "customers": ["id"],
    "transactions": ["customer"],
    "interactions": ["customer"],
    "complaints": ["customer"],
    "referrals": ["referrer", "referred"],
    "campaigns": ["customer"],
    "profile": ["customer"],
    "people": ["customer"],
}
MANAGER_COLUMNS = {"customers": ["manager"], "managers": ["id"], "interactions": ["manager"], "profile": ["by"]}


def book_frames(
    book: cartera.Book, customer_ids: list[str] | None = None, manager_ids: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """The book's tables as a user's files hold them (customers and managers keyed by an
    ``id`` column), with the ids renamed position by position when new ones are given."""
    rename = {
        "customer": dict(zip(book.customer_ids, customer_ids or book.customer_ids, strict=True)),
        "manager": dict(zip(book.manager_ids, manager_ids or book.manager_ids, strict=True)),
    }
    frames = {}
    for table in cartera.TABLES:
        frame = book.table(table)
        if table in ("customers", "managers"):
            frame = frame.rename_axis("id").reset_index()
        for kind, columns in (("customer", CUSTOMER_COLUMNS), ("manager", MANAGER_COLUMNS)):
            for column in columns.get(table, []):
                frame[column] = frame[column].map(rename[kind]).astype(object)
        frames[table] = frame
    return frames


def write_book(folder: Path, customers: int, managers: int, seed: int) -> Path:
    """A synthetic bank written as the files a user would have: one CSV per table,
    customers and managers keyed by an ``id`` column."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in book_frames(cartera.synthetic_book(customers, managers, seed=seed)).items():
        frame.to_csv(folder / f"{table}.csv", index=False)
    return folder


class PostgresServer:
    """A throwaway PostgreSQL server (Debian's binaries, installed by scripts/setup) on a Unix
    socket in a temporary folder; tests may stop and start it."""

    def __init__(self) -> None:
        initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not initdb:
            pytest.fail("PostgreSQL's server is missing: run scripts/setup (Debian package postgresql)")
        self._binaries = initdb[-1].parent
        self.socket = Path(tempfile.mkdtemp(prefix="cartera-postgres-"))
        # The server refuses to run as root: it runs as Debian's postgres user then.
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as_user:
            shutil.chown(self.socket, "postgres")
        self._data = self.socket / "data"
        subprocess.run(
            [*self._as_user, self._binaries / "initdb", "-D", self._data, "-A", "trust", "-U", "postgres", "--no-sync"],
            check=True,
            capture_output=True,
        )
        self.start()

    def start(self) -> None:
        options = f"-k {self.socket} -c listen_addresses='' -F"
        subprocess.run(
            [
                *self._as_user,
                self._binaries / "pg_ctl",
                "-D",
                self._data,
                "-o",
                options,
                "-l",
                self.socket / "log",
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            [*self._as_user, self._binaries / "pg_ctl", "-D", self._data, "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.socket, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server, for the book's database tests."""
    server = PostgresServer()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture()
def postgres_url(postgres_server: PostgresServer) -> str:
    """A new, empty database on the throwaway server, as a SQLAlchemy URL."""
    import psycopg

    name = f"book_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        host=str(postgres_server.socket), user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(f"create database {name}")
    return f"postgresql+psycopg://postgres@/{name}?host={postgres_server.socket}"


def same_alerts(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """An engine's alerts are the single-machine ones, row for row in their order
    (priorities within 1e-12)."""
    got = got.reset_index(drop=True)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    np.testing.assert_allclose(got["priority"].to_numpy(), want["priority"].to_numpy(), rtol=1e-12)
    for column in ("customer", "alert", "urgent", "reason"):
        assert (got[column].astype(str).to_numpy() == want[column].astype(str).to_numpy()).all(), column
