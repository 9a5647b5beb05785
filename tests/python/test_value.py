from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

import cartera

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from pandas_peer import frames_of, pandas_value  # noqa: E402


def test_value_of_a_small_book_by_hand():
    tx = pd.DataFrame(
        {
            "customer": ["ana", "ana", "ana", "luis"],
            "day": ["2024-06-30", "2024-06-01", "2023-01-01", "2024-07-02"],
            "amount": [100.0, 50.0, 10.0, 999.0],
        }
    )
    contacts = pd.DataFrame({"customer": ["eva"], "day": ["2024-06-15"], "channel": ["visit"]})
    book = cartera.Book(pd.DataFrame({"id": ["ana", "luis", "eva"]}), transactions=tx, interactions=contacts)
    v = cartera.value(book, "2024-06-30", policy=cartera.ValuePolicy(margin_rate=0.2))
    assert list(v.index) == ["ana", "luis", "eva"]
    assert v.index.name == "customer"
    assert v.loc["ana", "frequency"] == 2
    assert v.loc["ana", "monetary"] == 150.0
    assert v.loc["ana", "margin"] == pytest.approx(30.0)
    assert v.loc["ana", "recency"] == 0
    assert v.loc["ana", "first_purchase"] == pd.Timestamp("2023-01-01")
    # luis's only purchase is after as_of: he has a row, with defined values.
    assert v.loc["luis", "frequency"] == 0
    assert v.loc["luis", "recency"] == np.inf
    assert pd.isna(v.loc["luis", "last_purchase"])
    assert v.loc["eva", "cost_to_serve"] == 60.0
    assert v.loc["eva", "contribution"] == -60.0


def test_as_of_defaults_to_the_last_event_day():
    book = cartera.synthetic_book(3000, 20)
    assert cartera.value(book).equals(cartera.value(book, book.last_day))


def test_agrees_with_pandas_groupby_on_a_synthetic_book():
    book = cartera.synthetic_book(20_000, 100, seed=3)
    policy = cartera.ValuePolicy()
    as_of = book.last_day - pd.Timedelta(days=100)
    ours = cartera.value(book, as_of)
    transactions, interactions, since = frames_of(book)
    day = int((as_of - pd.Timestamp("1970-01-01")).days)
    theirs = pandas_value(
        transactions,
        interactions,
        since,
        day,
        channel_costs=policy.channel_costs,
        other_channel_cost=policy.other_channel_cost,
    )
    for column in theirs.columns:
        np.testing.assert_allclose(
            ours[column].to_numpy(float), theirs[column].to_numpy(float), rtol=1e-9, atol=1e-6, err_msg=column
        )


def test_repeat_summary_matches_the_lifetimes_reference_on_cdnow(shared_data):
    folder = shared_data / "cdnow"
    tx = cartera.datasets.read_cdnow(folder / "CDNOW_sample.txt")
    book = cartera.Book(transactions=tx, extra_columns="ignore")  # the number of CDs too
    summary = cartera.repeat_summary(book, "1997-09-30", unit="W")
    reference = pd.read_csv(folder / "cdnow_customers_summary.csv", index_col="ID")
    assert len(summary) == len(reference) == 2357
    summary = summary.loc[reference.index]
    assert summary["purchased"].all()
    np.testing.assert_array_equal(summary["frequency"].to_numpy(), reference["frequency"].to_numpy())
    np.testing.assert_array_equal(summary["recency"].round(2).to_numpy(), reference["recency"].to_numpy())
    np.testing.assert_array_equal(summary["T"].round(2).to_numpy(), reference["T"].to_numpy())


def test_online_retail_loads_end_to_end(shared_data):
    invoices = cartera.datasets.read_online_retail(shared_data / "online_retail" / "online_retail.parquet")
    assert invoices.attrs["dropped_lines"] == 133_358
    book = cartera.Book(transactions=invoices, extra_columns="ignore")  # invoice number and country
    assert book.rows()["customers"] == 4339
    assert book.rows()["transactions"] == invoices["invoice"].nunique()
    v = cartera.value(book)
    assert len(v) == 4339
    assert v["lifetime_monetary"].sum() == pytest.approx(8_911_407.904, rel=1e-9)
    assert book.last_day == pd.Timestamp("2011-12-09")
    assert (v["recency"] >= 0).all()


def test_repeat_summary_rejects_an_unknown_unit():
    book = cartera.synthetic_book(100, 2)
    with pytest.raises(ValueError, match="repeat_summary.unit"):
        cartera.repeat_summary(book, unit="month")
