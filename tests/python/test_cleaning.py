"""cartera.clean: raw tables to a book, every row left out kept with its reason."""

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cartera
import cartera.job
from cartera.cli import main
from cartera.datasets import messy_book

POLICY = {"first_day": "2020-01-01", "last_day": "2024-12-31"}


def raw_tables() -> dict[str, pd.DataFrame]:
    """Every kind of bad row, one each, beside good ones; comments name the row."""
    customers = pd.DataFrame(
        {
            "id": ["ana", "luis", None, "ana", "eva"],  # 2 missing id, 3 repeated id
            "since": ["2021-01-01", "not a day", "2021-01-01", "2021-01-01", None],  # 1 cleared
            "manager": ["m1", "m9", None, "m1", "m2"],  # 1 unknown manager, cleared
            "profile": [0.5, 1.5, None, None, "x"],  # 1 and 4 cleared
        }
    )
    managers = pd.DataFrame({"id": ["m1", "m2", "m1"], "capacity": [10, -1, 5]})  # 2 repeated; 1 cleared
    transactions = pd.DataFrame(
        {
            "customer": ["ana", None, "ana", "ana", "luis", "luis", "zoe", "ana", "eva", "eva", "luis"],
            "day": [
                "2024-01-05",
                "2024-01-06",  # 1 missing customer
                "2024-02-30",  # 2 not a date
                "2019-06-01",  # 3 before the first day
                "2025-06-01",  # 4 in the future
                "2024-03-01",
                "2024-03-01",  # 6 unknown customer
                "2024-01-05",  # 7 duplicate of row 0
                "2024-03-02",
                "2024-03-03",
                "2024-03-04",
            ],
            "amount": [10.0, 1, 2, 3, 4, -5, 6, 10.0, "abc", float("inf"), 7],  # 8 not a number, 9 not finite
            "kind": [None, None, None, None, None, "return", None, None, None, None, "gift"],  # 10 unknown kind
        }
    )
    interactions = pd.DataFrame(
        {
            "customer": ["ana", "luis", "eva"],
            "day": ["2024-01-01", "2024-01-02", None],  # 2 missing date
            "channel": ["call", None, "visit"],  # 1 missing channel
            "manager": ["m7", "m1", "m2"],  # 0 unknown manager, cleared
            "two_way": [2, 1, 0],  # 0 cleared
        }
    )
    complaints = pd.DataFrame(
        {"customer": ["ana", "luis"], "opened": ["2024-02-01", "2024-02-01"], "resolved": ["2024-01-01", None]}
    )
    referrals = pd.DataFrame(
        {"referrer": ["ana", "luis"], "referred": ["luis", "luis"], "day": ["2023-01-01", "2023-01-01"]}
    )  # 1 self-referral
    return {
        "customers": customers,
        "managers": managers,
        "transactions": transactions,
        "interactions": interactions,
        "complaints": complaints,
        "referrals": referrals,
    }


def reasons_of(cleaned: cartera.Cleaned, table: str) -> dict[int, str]:
    q = cleaned.quarantine
    mine = q[(q["table"] == table) & (q["action"] == "dropped")]
    return dict(zip(mine["row"], mine["reason"], strict=True))


def test_every_kind_of_bad_row_is_left_out_with_its_reason():
    tables = raw_tables()
    cleaned = cartera.clean(tables.pop("customers"), **tables, policy=POLICY)
    assert reasons_of(cleaned, "customers") == {2: "missing customer id", 3: "duplicate id (first_row has it)"}
    assert reasons_of(cleaned, "managers") == {2: "duplicate id (first_row has it)"}
    assert reasons_of(cleaned, "transactions") == {
        1: "missing customer id",
        2: "not a date",
        3: "before the first day",
        4: "in the future",
        6: "unknown customer (not in customers)",
        7: "duplicate of an earlier row (first_row)",
        8: "not a number",
        9: "not a finite number",
        10: "unknown kind",
    }
    assert reasons_of(cleaned, "interactions") == {1: "missing channel", 2: "missing date"}
    assert reasons_of(cleaned, "referrals") == {1: "a customer cannot refer themselves"}
    cleared = cleaned.quarantine[cleaned.quarantine["action"] == "cleared"]
    assert set(zip(cleared["table"], cleared["row"], cleared["column"], strict=True)) == {
        ("customers", 1, "since"),
        ("customers", 1, "manager"),
        ("customers", 1, "profile"),
        ("customers", 4, "profile"),
        ("managers", 1, "capacity"),
        ("interactions", 0, "manager"),
        ("interactions", 0, "two_way"),
        ("complaints", 0, "resolved"),
    }
    # The value left out is shown as given.
    assert cleaned.quarantine.set_index(["table", "row"]).loc[("transactions", 8), "value"] == "abc"


def test_rows_given_are_rows_kept_plus_rows_left_out_in_every_table():
    tables = raw_tables()
    cleaned = cartera.clean(tables["customers"], **{t: f for t, f in tables.items() if t != "customers"}, policy=POLICY)
    book_rows = cleaned.book.rows()
    dropped = cleaned.quarantine[cleaned.quarantine["action"] == "dropped"].groupby("table").size()
    for table, frame in tables.items():
        kept = book_rows[table] + (book_rows["returns"] if table == "transactions" else 0)
        assert len(frame) == kept + dropped.get(table, 0), table
        assert cleaned.rows.loc[table].tolist() == [len(frame), kept, dropped.get(table, 0)]
    assert list(cleaned.book.customer_ids) == ["ana", "luis", "eva"]
    assert pd.isna(cleaned.book.table("customers").loc["luis", "manager"])
    assert cleaned.book.rows()["returns"] == 1  # luis's refund is a return, not a bad row


def kept_as_given(tables: dict[str, pd.DataFrame], cleaned: cartera.Cleaned) -> dict[str, pd.DataFrame]:
    """The rows clean says it keeps, as given, with the values it says it cleared set to
    what it says they became: what Book must be given to build the same book."""
    q = cleaned.quarantine
    kept = {}
    for name, frame in tables.items():
        mine = q[q["table"] == name]
        frame = frame.reset_index(drop=True)
        cleared = mine[mine["action"] == "cleared"]
        for column, cells in cleared.groupby("column"):
            values = frame[column].astype(object)
            for row, reason in zip(cells["row"], cells["reason"], strict=True):
                to = re.search(r"cleared (?:to|as) (\d+)", reason)
                values[row] = int(to.group(1)) if to else None
            frame[column] = values
        rows = frame.drop(index=mine.loc[mine["action"] == "dropped", "row"]).reset_index(drop=True)
        for column in rows:  # numbers given among bad text become numbers again
            if rows[column].dtype == object:
                inferred = rows[column].infer_objects()
                given_as_objects = tables[name][column].dtype == object
                rows[column] = inferred.astype(object) if given_as_objects and inferred.dtype == "str" else inferred
        kept[name] = rows
    return kept


def assert_same_book(book: cartera.Book, expected: cartera.Book) -> None:
    pd.testing.assert_index_equal(book.customer_ids, expected.customer_ids)
    pd.testing.assert_index_equal(book.manager_ids, expected.manager_ids)
    for table in [*cartera.TABLES, "returns"]:
        pd.testing.assert_frame_equal(book.table(table), expected.table(table), obj=table)


def test_the_book_is_the_book_of_the_rows_kept():
    """clean converts each column once and builds the book from its rows kept: it must be
    the book Book builds from those rows as given, with the values cleared as it says."""
    tables = raw_tables()
    cleaned = cartera.clean(tables["customers"], **{t: f for t, f in tables.items() if t != "customers"}, policy=POLICY)
    kept = kept_as_given(tables, cleaned)
    assert_same_book(cleaned.book, cartera.Book(kept.pop("customers"), **kept))
    events = {"transactions": tables["transactions"], "referrals": tables["referrals"]}
    without_customers = cartera.clean(**events, policy=POLICY)  # the customers found in the events kept
    assert_same_book(without_customers.book, cartera.Book(**kept_as_given(events, without_customers)))
    messy = messy_book(400, seed=3)
    cleaned = cartera.clean(messy.tables["customers"], transactions=messy.tables["transactions"])
    kept = kept_as_given(messy.tables, cleaned)
    assert_same_book(cleaned.book, cartera.Book(kept["customers"], transactions=kept["transactions"]))
    # Every table and kind of column (flags, categories, optional days, managers), rows broken.
    frames = cartera.synthetic_book(200, 4, seed=7).frames()
    for name, frame in frames.items():
        reference = frame.columns[0]
        frames[name] = frame.astype({reference: object})
        frames[name].loc[frames[name].index % 7 == 3, reference] = None
    cleaned = cartera.clean(frames["customers"], **{t: f for t, f in frames.items() if t != "customers"})
    assert cleaned.rows["dropped"].gt(0).all()
    kept = kept_as_given(frames, cleaned)
    assert_same_book(cleaned.book, cartera.Book(kept.pop("customers"), **kept))


def test_the_quarantine_shows_values_as_pandas_writes_them():
    profile = pd.Series([1e20, 17.5, 2.0**53 + 2, 1.5, -1e-7, -0.1, 1e16, 3.0, float("inf"), float("nan")])
    q = cartera.clean(pd.DataFrame({"id": [f"c{k}" for k in range(len(profile))], "profile": profile})).quarantine
    shown = q.set_index("row")["value"]
    assert list(shown.index) == list(range(len(profile)))  # each out of [0, 1], cleared to 0
    written = profile.astype("string")
    assert list(shown[:-1]) == list(written[:-1]) and shown.iloc[-1] is None


def test_repr_counts_by_reason():
    tables = raw_tables()
    text = repr(cartera.clean(transactions=tables["transactions"], policy=POLICY))
    assert "8 rows left out" in text
    assert "transactions: 1 dropped — in the future" in text


def test_a_clean_table_passes_untouched():
    book = cartera.synthetic_book(300, 5, seed=2)
    frames = {t: book.table(t) for t in ("transactions", "interactions", "complaints", "referrals")}
    cleaned = cartera.clean(
        book.table("customers").reset_index(names="id"),
        managers=book.table("managers").reset_index(names="id"),
        **frames,
        policy={"drop_duplicates": False},  # a synthetic customer may buy twice the same on one day
    )
    assert cleaned.quarantine.empty
    for table in frames:
        assert cleaned.book.rows()[table] == book.rows()[table]
    pd.testing.assert_frame_equal(cartera.value(cleaned.book), cartera.value(book))


def test_bad_policy_and_structure_are_still_errors():
    with pytest.raises(ValueError, match=r"cleaning_policy.last_day \(value 'soon'\): is not a date"):
        cartera.clean(policy={"last_day": "soon"})
    with pytest.raises(ValueError, match=r"cleaning_policy.future: unknown field"):
        cartera.clean(policy={"future": 1})
    with pytest.raises(ValueError, match=r"transactions.amount: missing required column"):
        cartera.clean(transactions=pd.DataFrame({"customer": ["a"], "day": ["2024-01-01"]}))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", None, "zz"]),
            st.sampled_from(["2024-01-01", "2024-01-02", "bad", None, "2031-01-01", "2019-12-31"]),
            st.sampled_from([1.0, -2.0, 0.0, float("nan"), float("inf"), "x"]),
        ),
        max_size=40,
    )
)
def test_property_every_row_is_kept_or_quarantined_once(rows):
    transactions = pd.DataFrame(rows, columns=["customer", "day", "amount"], dtype=object)
    customers = pd.DataFrame({"id": ["a", "b", "c"]})
    first = cartera.clean(customers, transactions=transactions, policy=POLICY)
    again = cartera.clean(customers, transactions=transactions, policy=POLICY)
    dropped = first.quarantine[first.quarantine["action"] == "dropped"]
    assert dropped["row"].is_unique
    kept = first.book.rows()["transactions"] + first.book.rows()["returns"]
    assert kept + len(dropped) == len(transactions)
    assert list(first.book.customer_ids) == ["a", "b", "c"]  # ids back byte for byte
    pd.testing.assert_frame_equal(first.quarantine, again.quarantine)  # same input, same output


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "é", "", None, "zz"]),
            st.sampled_from(
                [
                    "2024-01-01",
                    "2024-01-02",
                    "2024-1-2",
                    "bad",
                    None,
                    "",
                    "2024-02-29 23:30",
                    "2023-02-29",
                    "2024-01-05T10:00:00.5",
                    "2024-01-05T23:00:00-05:00",
                    "01/02/2024",
                    "1899-12-31",
                ]
            ),
            st.sampled_from(
                ["1", "1.0", "-2", "x", None, "", "+5", " 7", "1e3", "0.1", "1,5", "inf", "nan", "3.14159"]
            ),
        ),
        max_size=60,
    )
)
def test_property_arrow_text_is_cleaned_as_python_objects_are(rows):
    """Text held by Arrow is read, looked up and compared by the core in place: the result
    must be the one of the same rows as Python objects (read by pandas), and the duplicates
    the ones pandas finds."""
    objects = pd.DataFrame(rows, columns=["customer", "day", "amount"], dtype=object)
    arrow = objects.astype("str").where(objects.notna(), None).astype("str")
    customers = pd.DataFrame({"id": pd.Series(["a", "b", "é"], dtype="str")})
    by_arrow = cartera.clean(customers, transactions=arrow, policy=POLICY)
    by_objects = cartera.clean(customers.astype(object), transactions=objects, policy=POLICY)
    pd.testing.assert_frame_equal(by_arrow.quarantine, by_objects.quarantine)
    for table in ("transactions", "returns"):
        pd.testing.assert_frame_equal(by_arrow.book.table(table), by_objects.book.table(table))
    q = by_arrow.quarantine
    assert set(q.loc[q["reason"] == "missing customer id", "row"]) == set(
        objects.index[objects["customer"].isna() | (objects["customer"] == "")]
    )
    repeat = q["reason"].str.startswith("duplicate")
    survivors = objects.drop(index=q.loc[~repeat, "row"])
    expected = survivors[survivors.astype("str").duplicated()]
    assert list(q.loc[repeat, "row"]) == list(expected.index)
    for row, first in zip(q.loc[repeat, "row"], q.loc[repeat, "first_row"], strict=True):
        assert first < row and objects.loc[first].equals(objects.loc[row])


def test_online_retail_lines_as_they_come(shared_data):
    lines = pd.read_parquet(shared_data / "online_retail" / "online_retail.parquet")
    raw = pd.DataFrame(
        {
            "customer": lines["CustomerID"].where(lines["CustomerID"] != 0).astype("Int64").astype("string"),
            "day": lines["InvoiceDate"],
            "amount": lines["Quantity"] * lines["UnitPrice"],
            "product": lines["StockCode"],
        }
    )
    cleaned = cartera.clean(transactions=raw, policy={"last_day": "2011-12-31"})
    reasons = cleaned.quarantine.groupby("reason").size()
    assert reasons["missing customer id"] == int((lines["CustomerID"] == 0).sum()) == 133_358
    duplicates = reasons["duplicate of an earlier row (first_row)"]
    assert duplicates == int(raw[raw["customer"].notna()].duplicated().sum())
    assert cleaned.book.rows()["transactions"] + len(cleaned.quarantine) == len(raw)
    assert len(cleaned.book.customer_ids) == 4_339


def write_tables(folder, tables):
    folder.mkdir()
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)


def test_cartera_run_cleans_and_writes_the_quarantine(tmp_path, capsys):
    tables = raw_tables()
    tables["transactions"] = tables["transactions"][tables["transactions"]["day"] < "2024-12-31"]  # no future
    write_tables(tmp_path / "data", tables)
    assert main(["run", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "rows left out" in printed and "transactions: 1 dropped, unknown kind" in printed
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv")
    assert list(quarantine.columns) == list(cartera.cleaning.QUARANTINE_COLUMNS)
    (duplicate,) = quarantine[quarantine["reason"] == "duplicate of an earlier row (first_row)"].itertuples()
    assert (duplicate.row, duplicate.first_row) == (6, 0)  # row 7 of the table given, less the future row
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "What the data left out" in report
    assert main(["run", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "strict"), "--strict"]) != 0
    assert "customers.id row 2 (value nan): missing id" in capsys.readouterr().err
    assert not (tmp_path / "strict").exists()


def managers_for(count: int) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"m{k}" for k in range(count)], "capacity": 2_000})


def test_cartera_run_on_the_online_retail_lines_as_they_come(shared_data, tmp_path, capsys):
    lines = pd.read_parquet(shared_data / "online_retail" / "online_retail.parquet")
    data = tmp_path / "retail"
    data.mkdir()
    pd.DataFrame(
        {
            "customer": lines["CustomerID"].where(lines["CustomerID"] != 0).astype("Int64"),
            "day": lines["InvoiceDate"],
            "amount": lines["Quantity"] * lines["UnitPrice"],
            "product": lines["StockCode"],
        }
    ).to_csv(data / "transactions.csv", index=False)
    managers_for(4).to_csv(data / "managers.csv", index=False)
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "out"), "-q"]) == 0
    assert "rows left out" in capsys.readouterr().out
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv")
    assert (quarantine["reason"] == "missing customer id").sum() == 133_358
    value = pd.read_csv(tmp_path / "out" / "value.csv", dtype={"customer": str})
    assert len(value) == 4_339 and value["customer"].is_unique


def test_cartera_run_on_the_messy_book(tmp_path):
    messy = messy_book(1500, seed=5)
    data = tmp_path / "messy"
    data.mkdir()
    for name, frame in messy.tables.items():
        frame.to_csv(data / f"{name}.csv", index=False)
    managers_for(3).to_csv(data / "managers.csv", index=False)
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "out"), "-q"]) == 0
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv")
    dropped = quarantine[quarantine["action"] == "dropped"][["table", "row", "reason"]]
    pd.testing.assert_frame_equal(dropped.reset_index(drop=True), messy.bad_rows, check_dtype=False)
    assignment = pd.read_csv(tmp_path / "out" / "assignment.csv", dtype={"customer": str})
    assert sorted(assignment["customer"]) == sorted(messy.tables["customers"]["id"])  # every customer, once
    # Refunds can leave a customer's net spend below zero: potential still runs on it.
    future = pd.read_csv(tmp_path / "out" / "potential.csv", index_col=0, dtype={0: str})
    assert sorted(future.index) == sorted(messy.tables["customers"]["id"])
    assert (future["share_of_wallet"] >= 0).all() and (future["growth_potential"] >= 0).all()


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(0.0, 0.3))
def test_property_the_job_on_a_cleaned_messy_book(seed, bad_share):
    messy = messy_book(120, bad_row_share=bad_share, seed=seed)
    cleaned = cartera.clean(
        messy.tables["customers"], transactions=messy.tables["transactions"], managers=managers_for(2)
    )
    rows = cleaned.rows.loc["transactions"]
    assert rows["given"] == rows["kept"] + rows["dropped"] == len(messy.tables["transactions"])
    results = cartera.job.run_job(cleaned.book)
    ids = list(messy.tables["customers"]["id"])
    for frame in (results.value, results.segments, results.assignment.assignments):
        assert sorted(frame.index) == sorted(ids)  # every customer in every output, once, ids as given
    again = cartera.job.run_job(
        cartera.clean(
            messy.tables["customers"], transactions=messy.tables["transactions"], managers=managers_for(2)
        ).book
    )
    pd.testing.assert_frame_equal(results.assignment.assignments, again.assignment.assignments)


def test_the_clean_section_of_the_configuration(tmp_path):
    config = cartera.job.Config.from_dict({"clean": {"last_day": "2024-01-31", "drop_duplicates": False}})
    assert config.clean == cartera.CleaningPolicy(last_day="2024-01-31", drop_duplicates=False)
    assert config.to_dict()["clean"]["last_day"] == "2024-01-31"
    with pytest.raises(ValueError, match=r"cleaning_policy.future: unknown field"):
        cartera.job.Config.from_dict({"clean": {"future": True}})
    tables = raw_tables()
    write_tables(tmp_path / "data", {"transactions": tables["transactions"], "managers": tables["managers"]})
    (tmp_path / "policy.toml").write_text('[clean]\nlast_day = "2024-03-02"\n', encoding="utf-8")
    arguments = ["run", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out"), "-q"]
    assert main([*arguments, "--config", str(tmp_path / "policy.toml")]) == 0
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv")
    assert set(quarantine.loc[quarantine["reason"] == "in the future", "row"]) == {4, 9, 10}  # after 2024-03-02
