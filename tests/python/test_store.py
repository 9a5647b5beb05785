"""The portfolio book in a database, SQLite and PostgreSQL through the same code: import,
runs saved whole, continuity, history, reports."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy

from cartera.cli import main
from cartera.store import PortfolioStore

from .conftest import write_book


@pytest.fixture()
def data(tmp_path):
    return write_book(tmp_path / "data", 1200, 12, seed=4)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    """The book's database: a SQLite file, or a fresh database on a PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "cartera.db")
    return request.getfixturevalue("postgres_url")


def counts(db: str) -> dict[str, int]:
    """Rows per table."""
    engine = sqlalchemy.create_engine(db if "://" in db else f"sqlite:///{db}")
    with engine.connect() as connection:
        names = sorted(sqlalchemy.inspect(connection).get_table_names())
        found = {
            name: connection.execute(sqlalchemy.text(f'select count(*) from "{name}"')).scalar_one() for name in names
        }
    engine.dispose()
    return found


def test_runs_are_saved_and_the_next_one_continues_from_the_last(data, db, tmp_path, capsys):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0
    assert main(["run", "--db", db, "--report", str(tmp_path / "r.html"), "-q"]) == 0
    assert (tmp_path / "r.html").exists()
    tables = counts(db)
    assert tables["runs"] == 2 and tables["result_assignments"] == 2 * 1200 and tables["book_customers"] == 1200
    assert tables["reports"] == 2
    # The profile completeness of every customer, run after run: what was learned over time.
    assert tables["result_profile"] == 2 * 1200 and tables["result_complaints"] > 0
    history = PortfolioStore(db).history()
    assert history.index.tolist() == [1, 2]
    # The second run starts from the first one's assignment: almost everybody stays.
    assert history.loc[2, "kept"] > 0.95 * history.loc[2, "assigned"]
    assert history.loc[2, "moved"] < history.loc[1, "moved"]
    capsys.readouterr()
    assert main(["history", "--db", db]) == 0
    assert "moved" in capsys.readouterr().out
    moved = PortfolioStore(db).moved(1)
    assert len(moved) == history.loc[1, "moved"] and (moved["current"] != moved["manager"]).all()


def interrupt_a_run(db: str, monkeypatch) -> None:
    """A run stopped while it writes its results (after its first table), as Ctrl-C would."""
    written = []

    def fail_midway(self, connection, name, frame):
        if written:
            raise KeyboardInterrupt
        written.append(name)
        frame.to_sql(name, connection, if_exists="append", index=False)

    monkeypatch.setattr(PortfolioStore, "_append", fail_midway)
    with pytest.raises(KeyboardInterrupt):
        main(["run", "--db", db, "--report", "", "-q"])
    monkeypatch.undo()
    assert written


def test_an_interrupted_run_leaves_the_book_as_it_was(data, db, monkeypatch, capsys):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0
    before = counts(db)
    interrupt_a_run(db, monkeypatch)
    assert counts(db) == before


def test_a_bad_import_writes_nothing(data, db, capsys):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    before = counts(db)
    sales = pd.read_csv(data / "transactions.csv")
    sales.loc[3, "customer"] = "nobody"
    sales.to_csv(data / "transactions.csv", index=False)
    assert main(["import", "--data", str(data), "--db", db]) == 2
    assert "transactions.customer row 3 (value 'nobody')" in capsys.readouterr().err
    assert counts(db) == before


def test_a_database_without_a_book_says_so(db, capsys):
    assert main(["run", "--db", db, "-q"]) == 2
    assert "holds no book yet; import one with `cartera import`" in capsys.readouterr().err


def test_a_saved_run_gives_back_its_report(data, db, tmp_path, capsys):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    assert main(["run", "--db", db, "--report", str(tmp_path / "first.html"), "-q"]) == 0
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0
    assert main(["report", "--db", db, "--run", "1", "-o", str(tmp_path / "again.html"), "-q"]) == 0
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == (tmp_path / "first.html").read_text(
        encoding="utf-8"
    )
    assert main(["report", "--db", db, "-o", str(tmp_path / "last.html"), "-q"]) == 0
    assert PortfolioStore(db).report() == (tmp_path / "last.html").read_text(encoding="utf-8")
    assert main(["report", "--db", db, "--run", "7", "-o", str(tmp_path / "none.html")]) == 2
    assert "runs.run (value 7): no report saved for this run (runs 1 to 2)" in capsys.readouterr().err
    assert not (tmp_path / "none.html").exists()


def test_report_options_that_do_not_go_together_are_refused(data, tmp_path, capsys):
    db = str(tmp_path / "cartera.db")
    assert main(["report", "--db", db, "--config", "policy.toml", "-o", str(tmp_path / "r.html")]) == 2
    assert "--config and --as-of go with --data" in capsys.readouterr().err
    assert main(["report", "--data", str(data), "--run", "2", "-o", str(tmp_path / "r.html")]) == 2
    assert "--run goes with --db" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_an_import_replaces_the_whole_book(data, db, tmp_path):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    assert PortfolioStore(db).read_book().rows()["complaints"] > 0
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    for name in ("customers.csv", "managers.csv", "transactions.csv"):
        (smaller / name).write_bytes((data / name).read_bytes())
    assert main(["import", "--data", str(smaller), "--db", db]) == 0
    rows = PortfolioStore(db).read_book().rows()
    assert rows["complaints"] == rows["interactions"] == rows["referrals"] == 0
    assert "book_complaints" not in counts(db)


def test_append_adds_the_day_s_events_and_upserts_customers_and_managers(data, db, tmp_path, capsys):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    before = PortfolioStore(db).read_book()
    feed = tmp_path / "feed"
    feed.mkdir()
    customers = pd.read_csv(data / "customers.csv", dtype=str, keep_default_na=False).head(2).copy()
    customers.loc[0, "region"] = "R9"  # an update
    customers.loc[1, "id"] = "NEW1"  # a new customer
    customers.to_csv(feed / "customers.csv", index=False)
    sales = pd.read_csv(data / "transactions.csv", dtype=str, keep_default_na=False).head(2).copy()
    sales["customer"] = ["NEW1", customers.loc[0, "id"]]
    sales.to_csv(feed / "transactions.csv", index=False)
    assert main(["import", "--data", str(feed), "--db", db, "--append"]) == 0
    after = PortfolioStore(db).read_book()
    assert after.rows()["customers"] == before.rows()["customers"] + 1
    assert after.rows()["transactions"] == before.rows()["transactions"] + 2
    assert after.rows()["complaints"] == before.rows()["complaints"]
    assert after.table("customers").loc[customers.loc[0, "id"], "region"] == "R9"
    assert "NEW1" in after.customer_ids
    # A feed whose events name nobody in the book is refused whole.
    (feed / "customers.csv").unlink()
    written = counts(db)
    pd.DataFrame({"customer": ["GHOST"], "day": ["2026-01-07"], "amount": [1.0]}).to_csv(
        feed / "transactions.csv", index=False
    )
    assert main(["import", "--data", str(feed), "--db", db, "--append"]) == 2
    assert "transactions.margin: the book has it and the feed does not" in capsys.readouterr().err
    sales.loc[:, "customer"] = "GHOST"
    sales.to_csv(feed / "transactions.csv", index=False)
    assert main(["import", "--data", str(feed), "--db", db, "--append"]) == 2
    assert (
        "transactions.customer row 0 of the appended rows (value 'GHOST'): unknown id, not in customers"
        in capsys.readouterr().err
    )
    assert counts(db) == written


def test_history_of_a_book_without_runs_says_so(data, db, capsys):
    assert main(["history", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == f"cartera history: no runs in {db} yet"
    assert main(["import", "--data", str(data), "--db", db]) == 0
    capsys.readouterr()
    assert main(["history", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == f"cartera history: no runs in {db} yet"
    assert PortfolioStore(db).history().empty


def test_a_book_saved_by_an_older_cartera_takes_the_new_columns(data, db):
    assert main(["import", "--data", str(data), "--db", db]) == 0
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0
    engine = sqlalchemy.create_engine(db if "://" in db else f"sqlite:///{db}")
    with engine.begin() as connection:  # as the runs table was before it had a status
        runs = pd.read_sql_table("runs", connection).drop(columns="status")
        runs.to_sql("runs", connection, if_exists="replace", index=False)
    engine.dispose()
    assert main(["run", "--db", db, "--report", "", "-q"]) == 0
    history = PortfolioStore(db).history()
    assert history["status"].isna().tolist() == [True, False] and history.loc[2, "status"] == "optimal"
