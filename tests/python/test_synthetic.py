from __future__ import annotations

import pandas as pd

import cartera


def test_the_same_seed_gives_the_same_book():
    a = cartera.synthetic_book(5000, 50, seed=9)
    b = cartera.synthetic_book(5000, 50, seed=9, threads=1)
    assert a.rows() == b.rows()
    pd.testing.assert_frame_equal(a.table("transactions"), b.table("transactions"))
    assert cartera.synthetic_book(5000, 50, seed=10).rows() != a.rows()


def test_behaviours_line_up_with_the_book_and_show_in_value():
    book = cartera.synthetic_book(20_000, 100, seed=5)
    behaviours = cartera.synthetic_behaviours(20_000, seed=5)
    assert behaviours.index.equals(book.customer_ids)
    trend = cartera.value(book)["trend"]
    known = cartera.value(book)["usual"] > 0
    assert trend[known & (behaviours == "declining")].median() < 0.5
    assert trend[known & (behaviours == "growing")].median() > 1.5


def test_a_synthetic_book_has_every_table_and_valid_references():
    book = cartera.synthetic_book(3000, 30, end="2024-06-30")
    assert book.last_day <= pd.Timestamp("2024-06-30")
    customers = book.table("customers")
    managed = customers["manager"].dropna()
    assert managed.isin(book.manager_ids).all()
    assert set(book.table("interactions")["channel"].cat.categories) == {
        "digital",
        "email",
        "call",
        "branch",
        "visit",
        "video",
        "event",
    }
    assert "<b>cartera.Book</b>" in book._repr_html_()


def test_contact_data_agrees_with_reachable_and_is_deterministic():
    book = cartera.synthetic_book(2000, 20, seed=4)
    customers = book.table("customers")
    channels = customers[["email", "phone", "postcode"]].notna().any(axis=1)
    assert (channels == customers["reachable"]).all()
    assert customers["name"].str.count(" ").eq(2).all()
    pd.testing.assert_frame_equal(customers, cartera.synthetic_book(2000, 20, seed=4).table("customers"))
    unreachable = cartera.hygiene(book, duplicates=False).findings.query("finding == 'unreachable'")
    assert set(unreachable["customer"]) == set(customers.index[~customers["reachable"]])
    assert "name" not in cartera.synthetic_book(100, 2, seed=4, contacts=False).table("customers")
