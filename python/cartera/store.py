"""The portfolio book in a database: the input tables, and every run's results with its
time, configuration and figures. A SQLite file by default; any SQLAlchemy URL (PostgreSQL
included) goes through the same code.

Each run reads the book and writes its results in one transaction that holds the book (a
second run waits for it), so a failed or interrupted run leaves the book as it was; the
next run takes the last run's assignment as each customer's current manager."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from . import _convert, _core
from .book import TABLES, Book
from .report import Results

__all__ = ["PortfolioStore", "StoreError"]

#: What `history` shows of each run (the runs table has these, and the configuration).
HISTORY_COLUMNS: tuple[str, ...] = (
    "started",
    "finished",
    "as_of",
    "customers",
    "managers",
    "assigned",
    "moved",
    "kept",
    "newly_assigned",
    "left_out",
    "objective",
    "gap",
    "status",
    "contacts",
    "unmet",
)

#: The result tables a run writes (each row tagged with its run), and where they come from.
RESULT_TABLES: tuple[str, ...] = (
    "stages",
    "segments",
    "alerts",
    "complaints",
    "campaign_responses",
    "profile",
    "assignments",
    "contacts",
    "unmet",
    "referrals",
)


class StoreError(RuntimeError):
    """The book's database could not do what was asked: busy with another run past the
    wait, or gone (a server stopped). Nothing of the operation was written."""


def _engine(url: str, wait: float) -> Any:
    try:
        import sqlalchemy
    except ImportError:
        raise ImportError("the book's database needs SQLAlchemy: pip install 'cartera[db]'") from None

    if "://" not in url:
        url = f"sqlite:///{url}"
    if not url.startswith("sqlite"):
        # A store opens a few connections per run: no pool, so none is left open behind it.
        return sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    engine = sqlalchemy.create_engine(url, connect_args={"timeout": wait})

    # SQLite's driver begins transactions on its own, lazily: take that over, so that a run's
    # transaction can take the write lock at once (BEGIN IMMEDIATE) and a second run waits.
    @sqlalchemy.event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None

    @sqlalchemy.event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.info.get("cartera_exclusive") else "BEGIN")

    return engine


#: The key of the PostgreSQL advisory lock a run holds (any fixed number; "cart").
_RUN_LOCK = 0x63617274


def _merged(table: str, stored: pd.DataFrame | None, new: pd.DataFrame | None) -> pd.DataFrame | None:
    """A stored table with a feed's rows: events appended; customers and managers inserted
    or, when the id is known, updated (the feed's row replaces the stored one). The feed
    must carry the stored table's columns, so that every row has a value in each."""
    if stored is None or new is None:
        return new if stored is None else stored
    lacking = [c for c in stored.columns if c not in new.columns] + [c for c in new.columns if c not in stored.columns]
    if lacking:
        where = (
            "the book has it and the feed does not"
            if lacking[0] in stored.columns
            else "the feed has it and the book does not"
        )
        raise _convert.invalid(
            table, str(lacking[0]), None, None, f"{where}; an appended table needs the book's columns"
        )
    new = new[list(stored.columns)]
    if table not in ("customers", "managers"):
        return pd.concat([stored, new], ignore_index=True)
    replaced = stored["id"].isin(new["id"])
    merged = stored.astype(object)
    positions = pd.Index(new["id"]).get_indexer(stored["id"][replaced])
    merged.loc[replaced.to_numpy(), :] = new.astype(object).to_numpy()[positions]
    return pd.concat([merged, new[~new["id"].isin(stored["id"])].astype(object)], ignore_index=True).infer_objects()


def _in_feed(error: Exception, appended: dict[str, int]) -> Exception:
    """An error found in an appended events table, renumbered to the feed's own rows."""
    table, column, row = (getattr(error, name, None) for name in ("table", "column", "row"))
    if table not in appended or row is None or row < appended[table]:
        return error
    where = f"{table}.{column} row {row}"
    renamed = type(error)(
        str(error).replace(where, f"{table}.{column} row {row - appended[table]} of the appended rows", 1)
    )
    for name in ("table", "column", "value"):
        setattr(renamed, name, getattr(error, name, None))
    setattr(renamed, "row", row - appended[table])  # noqa: B010 (the type says Exception, which declares no row)
    return renamed


class PortfolioStore:
    """The book and its runs in the database at ``url`` (a path means a SQLite file).

    One run (or import) at a time holds the book: on SQLite and PostgreSQL a second one
    waits for it to end, up to ``wait`` seconds, then fails with :class:`StoreError`; every
    run reads and writes in one transaction, so a failed or interrupted one leaves the book
    as it was."""

    def __init__(self, url: str, *, wait: float = 600.0) -> None:
        self.url = url
        self.wait = wait
        self._engine = _engine(url, wait)

    @contextmanager
    def session(self) -> Iterator[Any]:
        """A transaction holding the book for one run: read the book, save the run, all in
        it; committed at the end, rolled back on any error (or interrupt)."""
        import sqlalchemy

        try:
            with self._engine.connect() as connection:
                connection.info["cartera_exclusive"] = True
                try:
                    with connection.begin():
                        if self._engine.dialect.name == "postgresql":
                            connection.execute(sqlalchemy.text(f"SET LOCAL lock_timeout = '{int(self.wait * 1000)}ms'"))
                            connection.execute(
                                sqlalchemy.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _RUN_LOCK}
                            )
                        yield connection
                finally:
                    connection.info.pop("cartera_exclusive", None)
        except sqlalchemy.exc.OperationalError as error:
            raise self._failure(error) from None

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        """A connection to read with; the database's failures said plainly."""
        import sqlalchemy

        try:
            with self._engine.connect() as connection:
                yield connection
        except sqlalchemy.exc.OperationalError as error:
            raise self._failure(error) from None

    def _failure(self, error: Exception) -> StoreError:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        if "locked" in reason or "lock timeout" in reason:
            return StoreError(f"{self.url}: another run or import holds the book; waited {self.wait:g} s ({reason})")
        return StoreError(f"{self.url}: the database failed ({reason}); nothing of this operation was saved")

    def import_tables(
        self, frames: dict[str, pd.DataFrame], *, append: bool = False, extra_columns: str = "error"
    ) -> None:
        """Replaces the book with these frames (customers and managers keyed by an ``id``
        column; a table not given is emptied), or with ``append`` adds them to it: events
        appended, customers and managers inserted or updated by id (an appended table has the
        stored one's columns). The book that results is checked first, and written in one
        transaction: all or nothing. With ``extra_columns="ignore"`` the columns that are not
        part of a table are left out (and not stored); otherwise they are an error."""
        unknown = [name for name in frames if name not in TABLES]
        if unknown:
            raise _convert.invalid(
                "import", unknown[0], None, None, f"unknown table; the tables are {', '.join(TABLES)}"
            )
        if extra_columns == "ignore":
            frames = {t: f[[c for c in f.columns if c in TABLES[t]]] for t, f in frames.items()}
        with self.session() as connection:
            book = {t: self._table(connection, f"book_{t}") for t in TABLES} if append else {}
            tables = {t: _merged(t, book.get(t), frames.get(t)) for t in TABLES}
            present = {t: f for t, f in tables.items() if f is not None}
            try:
                Book(
                    present.get("customers"),
                    **{t: f for t, f in present.items() if t != "customers"},
                    extra_columns=extra_columns,
                )
            except (_core.InvalidInputError, _core.TypeMismatchError) as error:
                appended = {
                    t: len(f)
                    for t, f in book.items()
                    if f is not None and t not in ("customers", "managers") and t in frames
                }
                raise _in_feed(error, appended) from None
            for name, frame in tables.items():
                if frame is not None:
                    frame.to_sql(f"book_{name}", connection, if_exists="replace", index=False, chunksize=50_000)
                elif not append:
                    self._drop(connection, f"book_{name}")

    def _drop(self, connection: Any, name: str) -> None:
        import sqlalchemy

        if sqlalchemy.inspect(connection).has_table(name):
            sqlalchemy.Table(name, sqlalchemy.MetaData()).drop(connection)

    def _table(self, connection: Any, name: str) -> pd.DataFrame | None:
        import sqlalchemy

        if not sqlalchemy.inspect(connection).has_table(name):
            return None
        return pd.read_sql_table(name, connection)

    def read_book(self, connection: Any = None) -> Book:
        """The book, with each customer's current manager from the last run's assignment
        (where there is one); read on ``connection`` (a :meth:`session`'s) when given."""
        if connection is None:
            with self._reading() as reading:
                return self.read_book(reading)
        frames = {t: self._table(connection, f"book_{t}") for t in TABLES}
        last = self._last_run(connection)
        assignments = (
            self._rows(connection, "result_assignments", last, ["customer", "manager"]) if last is not None else None
        )
        present = {t: f for t, f in frames.items() if f is not None}
        if not present:
            raise _convert.invalid("book", self.url, None, None, "holds no book yet; import one with `cartera import`")
        customers = present.get("customers")
        if customers is not None and assignments is not None:
            latest = assignments.set_index("customer")["manager"]
            customers = customers.copy()
            customers["manager"] = (
                customers["id"].map(latest).where(customers["id"].isin(latest.index), customers.get("manager"))
            )
            present["customers"] = customers
        return Book(present.get("customers"), **{t: f for t, f in present.items() if t != "customers"})

    def _rows(self, connection: Any, table: str, run: int, columns: list[str] | None = None) -> pd.DataFrame | None:
        """One run's rows of a result table (None when the table does not exist)."""
        import sqlalchemy

        if not sqlalchemy.inspect(connection).has_table(table):
            return None
        chosen = "*" if columns is None else ", ".join(f'"{c}"' for c in columns)
        return pd.read_sql_query(
            sqlalchemy.text(f'SELECT {chosen} FROM "{table}" WHERE run = :run'), connection, params={"run": run}
        )

    def _last_run(self, connection: Any) -> int | None:
        runs = self._table(connection, "runs")
        return None if runs is None or runs.empty else int(runs["run"].max())

    def save_run(
        self,
        results: Results,
        config: dict[str, Any],
        started: datetime,
        report: str | None = None,
        *,
        connection: Any = None,
    ) -> int:
        """Writes a run's results (and its rendered report, when given) in one transaction
        (``connection``, a :meth:`session`'s, when given); returns its number."""
        if connection is None:
            with self.session() as session:
                return self.save_run(results, config, started, report, connection=session)
        assert results.assignment is not None and results.plan is not None and results.referrals is not None
        tables: dict[str, pd.DataFrame | None] = {
            "stages": results.stages,
            "segments": results.segments,
            "alerts": results.alerts,
            "complaints": results.complaints,
            "campaign_responses": results.campaign_responses,
            "profile": None if results.profile is None else results.profile.to_frame(),
            "assignments": results.assignment.assignments,
            "contacts": results.plan.contacts,
            "unmet": results.plan.unmet,
            "referrals": results.referrals.customers,
        }
        changes = results.assignment.assignments["change"].value_counts()
        figures = {
            "customers": results.customers,
            "managers": results.managers,
            "assigned": int(results.assignment.assignments["manager"].notna().sum()),
            "moved": int(changes.get("moved", 0)),
            "kept": int(changes.get("kept", 0)),
            "newly_assigned": int(changes.get("newly_assigned", 0)),
            "left_out": int(changes.get("left_out", 0)),
            "objective": float(results.assignment.objective),
            "gap": float(results.assignment.gap),
            "status": results.assignment.status,
            "contacts": len(results.plan.contacts),
            "unmet": len(results.plan.unmet),
        }
        last = self._last_run(connection)
        run = 1 if last is None else last + 1
        row = {
            "run": run,
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "as_of": None if results.as_of is None else str(results.as_of.date()),
            "config": json.dumps(config, default=str),
        } | figures
        self._append(connection, "runs", pd.DataFrame([row]))
        for name, frame in tables.items():
            if frame is None:
                continue
            stored = frame.reset_index() if frame.index.name == "customer" or frame.index.name == "id" else frame.copy()
            for column in stored.columns:
                if isinstance(stored[column].dtype, pd.CategoricalDtype):
                    stored[column] = stored[column].astype(object)
            stored.insert(0, "run", run)
            self._append(connection, f"result_{name}", stored)
        if report is not None:
            self._append(connection, "reports", pd.DataFrame({"run": [run], "html": [report]}))
        return run

    def _append(self, connection: Any, name: str, frame: pd.DataFrame) -> None:
        """Rows added to a table; columns a newer cartera writes are added to an older table."""
        import sqlalchemy

        inspector = sqlalchemy.inspect(connection)
        if inspector.has_table(name):
            known = {column["name"] for column in inspector.get_columns(name)}
            for column in (c for c in frame.columns if c not in known):
                kind = (
                    "DOUBLE PRECISION"
                    if frame[column].dtype.kind == "f"
                    else "BIGINT"
                    if frame[column].dtype.kind in "iub"
                    else "TEXT"
                )
                connection.execute(sqlalchemy.text(f'ALTER TABLE "{name}" ADD COLUMN "{column}" {kind}'))
        frame.to_sql(name, connection, if_exists="append", index=False, chunksize=50_000)

    def history(self) -> pd.DataFrame:
        """One row per run: when, as of which day, and its figures (moved, kept, objective…)."""
        with self._reading() as connection:
            runs = self._table(connection, "runs")
        if runs is None:
            return pd.DataFrame(columns=list(HISTORY_COLUMNS), index=pd.Index([], name="run"))
        return runs.drop(columns=["config"]).set_index("run")

    def report(self, run: int | None = None) -> str:
        """The HTML report saved with a run (the last one by default)."""
        with self._reading() as connection:
            last = self._last_run(connection)
            if last is None:
                raise _convert.invalid(
                    "book", self.url, None, None, "holds no runs yet; run one with `cartera run --db`"
                )
            run = last if run is None else run
            reports = self._rows(connection, "reports", run)
        if reports is None or reports.empty:
            raise _convert.invalid("runs", "run", None, run, f"no report saved for this run (runs 1 to {last})")
        return str(reports["html"].iloc[0])

    def moved(self, run: int) -> pd.DataFrame:
        """The customers a run moved: from which manager to which."""
        with self._reading() as connection:
            assignments = self._rows(
                connection, "result_assignments", run, ["customer", "current", "manager", "change"]
            )
        if assignments is None:
            return pd.DataFrame(columns=["customer", "current", "manager"])
        chosen = assignments[assignments["change"] == "moved"]
        return chosen[["customer", "current", "manager"]].reset_index(drop=True)
