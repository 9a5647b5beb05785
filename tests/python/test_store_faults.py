"""The book's database under faults, on SQLite and on a real PostgreSQL server: two runs at
once, the server stopped in the middle of a save, a first run interrupted."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from cartera.cli import main
from cartera.store import PortfolioStore

from .conftest import write_book
from .test_store import counts, interrupt_a_run


@pytest.fixture()
def data(tmp_path):
    return write_book(tmp_path / "data", 1500, 15, seed=12)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "cartera.db")
    return request.getfixturevalue("postgres_url")


def cartera(*arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cartera", *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_runs_at_once_take_turns_and_neither_is_lost_or_mixed(data, db):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    first, second = cartera("run", "--db", db, "--report", "", "-q"), cartera("run", "--db", db, "--report", "", "-q")
    outcomes = [process.communicate(timeout=300) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outcomes
    history = PortfolioStore(db).history()
    assert history.index.tolist() == [1, 2]
    tables = counts(db)
    assert tables["result_assignments"] == 2 * 1500 and tables["reports"] == 2
    # The second ran on the first one's assignment: it waited for it, then read it.
    assert history.loc[2, "kept"] > 0.95 * history.loc[2, "assigned"]
    store = PortfolioStore(db)
    with store._reading() as connection:
        second_run = store._rows(connection, "result_assignments", 2)
        first_run = store._rows(connection, "result_assignments", 1)
    assert second_run["current"].fillna("").tolist() == first_run["manager"].fillna("").tolist()


def test_a_run_that_cannot_get_the_book_in_time_says_so(data, db, capsys):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    before = counts(db)
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with PortfolioStore(db).session():
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(30)
        assert main(["run", "--db", db, "--report", "", "-q", "--wait", "1"]) == 2
    finally:
        release.set()
        holder.join()
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"cartera: error: {db}: another run or import holds the book; waited 1 s")
    assert counts(db) == before


def test_a_first_run_interrupted_leaves_no_table_behind(data, db, monkeypatch):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    before = counts(db)
    interrupt_a_run(db, monkeypatch)
    assert counts(db) == before


def test_the_server_stopped_in_the_middle_of_a_save_leaves_the_book_as_it_was(
    data, postgres_url, postgres_server, monkeypatch, capsys
):
    db = postgres_url
    assert main(["import", "--data", str(data), "--db", db]) == 0
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0
    before = counts(db)
    append = PortfolioStore._append

    def stop_the_server(self, connection, name, frame):
        if name == "result_segments":
            postgres_server.stop()
        append(self, connection, name, frame)

    monkeypatch.setattr(PortfolioStore, "_append", stop_the_server)
    try:
        assert main(["run", "--db", db, "--report", "", "-q"]) == 2
    finally:
        postgres_server.start()
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1
        and err[0].startswith(f"cartera: error: {db}: the database failed (")
        and "nothing of this operation was saved" in err[0]
    )
    monkeypatch.undo()
    assert counts(db) == before
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0
    assert PortfolioStore(db).history().index.tolist() == [1, 2]
