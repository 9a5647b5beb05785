"""The portfolio book in SQLite: import, runs saved whole, continuity, history."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from cartera.cli import main
from cartera.store import PortfolioStore

from .conftest import write_book


@pytest.fixture()
def data(tmp_path):
    return write_book(tmp_path / "data", 1200, 12, seed=4)


def counts(db) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        names = [row[0] for row in connection.execute("select name from sqlite_master where type = 'table' order by name")]
        return {name: connection.execute(f"select count(*) from {name}").fetchone()[0] for name in names}


def test_runs_are_saved_and_the_next_one_continues_from_the_last(data, tmp_path, capsys):
    db = tmp_path / "cartera.db"
    assert main(["import", "--data", str(data), "--db", str(db)]) == 0
    assert main(["run", "--db", str(db), "--report", "", "-q"]) == 0
    assert main(["run", "--db", str(db), "--report", str(tmp_path / "r.html"), "-q"]) == 0
    assert (tmp_path / "r.html").exists()
    tables = counts(db)
    assert tables["runs"] == 2 and tables["result_assignments"] == 2 * 1200 and tables["book_customers"] == 1200
    history = PortfolioStore(str(db)).history()
    assert history.index.tolist() == [1, 2]
    # The second run starts from the first one's assignment: almost everybody stays.
    assert history.loc[2, "kept"] > 0.95 * history.loc[2, "assigned"]
    assert history.loc[2, "moved"] < history.loc[1, "moved"]
    capsys.readouterr()
    assert main(["history", "--db", str(db)]) == 0
    assert "moved" in capsys.readouterr().out
    moved = PortfolioStore(str(db)).moved(1)
    assert len(moved) == history.loc[1, "moved"] and (moved["current"] != moved["manager"]).all()


def test_an_interrupted_run_leaves_the_book_as_it_was(data, tmp_path, monkeypatch, capsys):
    db = tmp_path / "cartera.db"
    assert main(["import", "--data", str(data), "--db", str(db)]) == 0
    assert main(["run", "--db", str(db), "--report", "", "-q"]) == 0
    before = counts(db)
    written = []

    def fail_midway(self, connection, name, frame):
        if written:
            raise KeyboardInterrupt  # as if the process were stopped while writing
        written.append(name)
        frame.to_sql(name, connection, if_exists="append", index=False)

    monkeypatch.setattr(PortfolioStore, "_append", fail_midway)
    with pytest.raises(KeyboardInterrupt):
        main(["run", "--db", str(db), "--report", "", "-q"])
    assert written and counts(db) == before


def test_a_bad_import_writes_nothing(data, tmp_path, capsys):
    db = tmp_path / "cartera.db"
    assert main(["import", "--data", str(data), "--db", str(db)]) == 0
    before = counts(db)
    sales = pd.read_csv(data / "transactions.csv")
    sales.loc[3, "customer"] = "nobody"
    sales.to_csv(data / "transactions.csv", index=False)
    assert main(["import", "--data", str(data), "--db", str(db)]) == 2
    assert "transactions.customer row 3 (value 'nobody')" in capsys.readouterr().err
    assert counts(db) == before


def test_a_database_without_a_book_says_so(tmp_path, capsys):
    assert main(["run", "--db", str(tmp_path / "empty.db"), "-q"]) == 2
    assert "holds no book yet; import one with `cartera import`" in capsys.readouterr().err
