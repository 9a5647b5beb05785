from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cartera
from cartera._convert import day_numbers_of


def tx(**overrides):
    frame = pd.DataFrame(
        {
            "customer": ["ana", "ana", "luis"],
            "day": ["2024-01-05", "2024-03-01", "2024-02-10"],
            "amount": [120.0, 80.0, 45.5],
        }
    )
    return frame.assign(**overrides)


def test_customers_default_to_every_id_in_the_events_in_order_of_appearance():
    book = cartera.Book(
        transactions=tx(), referrals=pd.DataFrame({"referrer": ["luis"], "referred": ["eva"], "day": ["2024-02-11"]})
    )
    assert list(book.customer_ids) == ["ana", "luis", "eva"]
    assert book.rows() == {
        "customers": 3,
        "managers": 0,
        "transactions": 3,
        "returns": 0,
        "interactions": 0,
        "complaints": 0,
        "referrals": 1,
        "campaigns": 0,
        "profile": 0,
        "people": 0,
    }
    assert (
        repr(book)
        == "Book(customers=3, managers=0, transactions=3, returns=0, interactions=0, complaints=0, referrals=1, campaigns=0, profile=0, people=0)"
    )


def test_column_names_are_configurable_and_extra_columns_ignored_on_request():
    frame = pd.DataFrame(
        {"CustomerID": [7, 7], "When": ["2024-01-01", "2024-01-02"], "Total": [1.0, 2.0], "Note": ["a", "b"]}
    )
    names = {"transactions": {"customer": "CustomerID", "day": "When", "amount": "Total"}}
    with pytest.raises(
        ValueError, match=r"transactions.Note: unknown column; the columns are customer, day, amount, margin, product"
    ):
        cartera.Book(transactions=frame, columns=names)
    book = cartera.Book(transactions=frame, columns=names, extra_columns="ignore")
    assert list(book.customer_ids) == [7]
    assert book.customer_ids.dtype == np.int64
    assert book.first_day == pd.Timestamp("2024-01-01")


def test_customer_ids_may_be_the_index():
    customers = pd.DataFrame({"region": ["norte", "sur"]}, index=pd.Index(["ana", "luis"], name="cliente"))
    book = cartera.Book(customers, transactions=tx())
    assert list(book.customer_ids) == ["ana", "luis"]
    with pytest.raises(ValueError, match="customers.id: missing required column"):
        cartera.Book(pd.DataFrame({"region": ["norte"]}))


def test_tables_come_back_with_ids_dates_and_categories():
    customers = pd.DataFrame({"id": ["ana", "luis"], "region": ["norte", None], "manager": ["m1", None]})
    managers = pd.DataFrame({"id": ["m1"], "capacity": [80]})
    interactions = pd.DataFrame(
        {
            "customer": ["luis", "ana"],
            "manager": [None, "m1"],
            "day": pd.to_datetime(["2024-01-02", "2024-01-01"]),
            "channel": ["call", "visit"],
            "proactive": ["reactive", "proactive"],
            "relational": [True, False],
        }
    )
    book = cartera.Book(customers, managers=managers, interactions=interactions)
    back = book.table("interactions")
    assert list(back["customer"]) == ["ana", "luis"]  # kept in customer order
    assert back["manager"].iloc[0] == "m1"
    assert pd.isna(back["manager"].iloc[1])
    assert list(back["channel"].astype(str)) == ["visit", "call"]
    assert list(back["proactive"]) == [True, False]
    assert back["day"].iloc[0] == pd.Timestamp("2024-01-01")
    people = book.table("customers")
    assert people.loc["ana", "manager"] == "m1"
    assert pd.isna(people.loc["luis", "region"])
    assert book.table("managers").loc["m1", "capacity"] == 80


def test_unknown_customer_in_an_event_names_table_column_row_and_value():
    with pytest.raises(KeyError) as caught:
        cartera.Book(pd.DataFrame({"id": ["ana"]}), transactions=tx())
    error = caught.value
    assert isinstance(error, ValueError)
    assert str(error) == "transactions.customer row 2 (value 'luis'): unknown id, not in customers"
    assert (error.table, error.column, error.row) == ("transactions", "customer", 2)


def test_bad_values_are_rejected_with_their_place():
    with pytest.raises(ValueError, match=r"transactions.amount row 1 \(value nan\): not a finite number"):
        cartera.Book(transactions=tx(amount=[1.0, float("nan"), 2.0]))
    with pytest.raises(ValueError, match=r"transactions.kind row 2 \(value 'refunded'\): unknown kind; the kinds are"):
        cartera.Book(transactions=tx(kind=["purchase", "return", "refunded"]))
    with pytest.raises(ValueError, match=r"customers.id row 2 \(value 'a'\): duplicate id, first seen at row 0"):
        cartera.Book(pd.DataFrame({"id": ["a", "b", "a"]}))
    with pytest.raises(ValueError, match=r"transactions.day row 1 \(value 1700000000\): day out of range"):
        cartera.Book(transactions=tx(day=[19000, 1_700_000_000, 19001]))
    with pytest.raises(ValueError, match=r"transactions.day row 0 \(value NaT\): missing date"):
        cartera.Book(transactions=tx(day=[pd.NaT, "2024-01-01", "2024-01-01"]))
    with pytest.raises(ValueError, match=r"transactions.amount: missing required column; the frame has customer, day"):
        cartera.Book(transactions=tx().drop(columns="amount"))


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError, match=r"transactions.amount: expected numbers, got"):
        cartera.Book(transactions=tx(amount=["a", "b", "c"]))
    with pytest.raises(TypeError, match=r"transactions.day row 1 \(value 3.5\): days must be whole numbers or dates"):
        cartera.Book(transactions=tx(day=[1.0, 3.5, 2.0]))
    with pytest.raises(TypeError, match="transactions: expected a pandas DataFrame, got dict"):
        cartera.Book(transactions={"customer": [1]})


def test_complaints_and_flags_are_checked():
    complaints = pd.DataFrame({"customer": ["ana"], "opened": ["2024-02-01"], "resolved": ["2024-01-01"]})
    with pytest.raises(
        ValueError, match=r"complaints.resolved row 0 \(value 2024-01-01\): resolved before it was opened"
    ):
        cartera.Book(transactions=tx(), complaints=complaints)
    interactions = pd.DataFrame(
        {"customer": ["ana"], "day": ["2024-02-01"], "channel": ["call"], "proactive": ["maybe"]}
    )
    with pytest.raises(
        ValueError, match=r"interactions.proactive row 0 \(value 'maybe'\): expected one of proactive, reactive"
    ):
        cartera.Book(transactions=tx(), interactions=interactions)


def test_a_misspelt_column_is_an_error_that_says_what_was_meant():
    interactions = pd.DataFrame({"customer": ["ana"], "day": ["2024-02-01"], "channel": ["call"], "two-way": [True]})
    with pytest.raises(ValueError, match=r"interactions.two-way: unknown column; did you mean 'two_way'\?"):
        cartera.Book(transactions=tx(), interactions=interactions)
    with pytest.raises(ValueError, match=r"extra_columns \(value 'drop'\): expected 'error' or 'ignore'"):
        cartera.Book(transactions=tx(), extra_columns="drop")


def test_a_flag_holds_0_or_1_only():
    interactions = pd.DataFrame({"customer": ["ana"], "day": ["2024-02-01"], "channel": ["call"], "two_way": [256]})
    with pytest.raises(ValueError, match=r"interactions.two_way row 0 \(value 256\): a flag must be 0 or 1"):
        cartera.Book(transactions=tx(), interactions=interactions)
    with pytest.raises(ValueError, match=r"interactions.two_way row 0 \(value -1\): a flag must be 0 or 1"):
        cartera.Book(transactions=tx(), interactions=interactions.assign(two_way=[-1]))


def test_unknown_table_or_column_mapping_is_an_error():
    with pytest.raises(ValueError, match="columns: unknown table 'sales'"):
        cartera.Book(transactions=tx(), columns={"sales": {}})
    with pytest.raises(ValueError, match="columns.transactions: unknown column 'price'"):
        cartera.Book(transactions=tx(), columns={"transactions": {"price": "Price"}})


def test_table_views_are_read_only_and_keep_the_book_alive():
    book = cartera.synthetic_book(2000, 10)
    amounts = book._core.table("transactions")["amount"]
    del book
    assert not amounts.flags.writeable
    assert amounts.sum() > 0


def test_value_policy_is_plain_picklable_data():
    policy = cartera.ValuePolicy(window_days=180, channel_costs={"visit": 90.0})
    assert pickle.loads(pickle.dumps(policy)) == policy
    assert cartera.ValuePolicy.from_dict(policy.to_dict()) == policy
    assert repr(policy).startswith("ValuePolicy(window_days=180, recent_days=90,")
    with pytest.raises(ValueError, match=r"value_policy.window_dys \(value 3\): unknown field"):
        cartera.ValuePolicy(window_dys=3)
    with pytest.raises(ValueError, match=r"value_policy.recent_days \(value 0\): must be positive"):
        cartera.ValuePolicy(recent_days=0)


def test_ids_of_mixed_kinds_are_kept_as_given_unless_they_clash_as_text():
    book = cartera.Book(transactions=tx(customer=[7, "7b", 7]))
    assert list(book.customer_ids) == [7, "7b"] and type(book.customer_ids[0]) is int
    with pytest.raises(
        ValueError, match=r"customers.id row 1 \(value '7'\): the same id as row 0 \(7\) once written as text"
    ):
        cartera.Book(pd.DataFrame({"id": [7, "7"]}), transactions=tx(customer=[7, 7, "7"]))


def test_returns_are_kept_apart_from_purchases_by_sign_or_kind():
    frame = tx(amount=[120.0, -30.0, 45.5], kind=[None, None, "Cancellation"])
    book = cartera.Book(transactions=frame)
    assert book.rows()["transactions"] == 1
    returns = book.table("returns")
    assert list(returns["customer"]) == ["ana", "luis"]
    assert list(returns["amount"]) == [30.0, 45.5]  # given back, as positive amounts
    value = cartera.value(book, as_of="2024-03-31")
    assert value.loc["ana", "monetary"] == 90.0
    assert value.loc["ana", "frequency"] == 1
    assert value.loc["ana", "last_purchase"] == pd.Timestamp("2024-01-05")
    assert value.loc["luis", "frequency"] == 0
    assert value.loc["luis", "return_rate"] == float("inf")
    assert value.loc["ana", "return_rate"] == 0.25


@given(
    st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=50),
    st.sampled_from(["D", "h", "m", "s", "ms", "us", "ns", "10s", "W", "M"]),
)
def test_property_days_of_datetimes_are_numpys(ticks, unit):
    """Days of datetimes by integer division of their ticks, the days NumPy's conversion gives."""
    stamps = np.array(ticks, dtype=np.int64).astype(f"datetime64[{unit}]")
    if unit in ("D", "W", "M"):
        stamps = stamps[np.abs(np.array(ticks)) < 10**6]
    expected = (stamps.astype("datetime64[D]") - np.datetime64("1970-01-01", "D")).astype(np.int64)
    np.testing.assert_array_equal(day_numbers_of(stamps), expected)


def test_ids_held_by_arrow_are_read_in_place_and_come_back_as_given():
    ids = ["ñandú", "C-001", "007", "7", "🙂", " 7", "NA"]
    tx = pd.DataFrame({"customer": ids, "day": "2024-01-05", "amount": 1.0})
    by_arrow = cartera.Book(pd.DataFrame({"id": pd.Series(ids, dtype="str")}), transactions=tx)
    by_objects = cartera.Book(pd.DataFrame({"id": pd.Series(ids, dtype=object)}), transactions=tx)
    assert list(by_arrow.customer_ids) == list(by_objects.customer_ids) == ids
    pd.testing.assert_frame_equal(cartera.value(by_arrow), cartera.value(by_objects), check_index_type=False)
    with pytest.raises(ValueError, match=r"customers.id row 1 \(value ''\): empty id"):
        cartera.Book(pd.DataFrame({"id": pd.Series(["a", ""], dtype="str")}))
