from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cartera


def chain_book() -> cartera.Book:
    """a brought b and c; b brought d; d brought e; c also referred d later; e referred a
    (which would close a cycle); f referred nobody and has a complaint still open."""
    referrals = pd.DataFrame(
        {
            "referrer": ["a", "a", "b", "d", "c", "e"],
            "referred": ["b", "c", "d", "e", "d", "a"],
            "day": pd.date_range("2024-01-01", periods=6).strftime("%Y-%m-%d"),
        }
    )
    complaints = pd.DataFrame({"customer": ["a"], "opened": ["2024-02-01"]})
    customers = pd.DataFrame({"id": list("abcdef")})
    return cartera.Book(customers, referrals=referrals, complaints=complaints)


def pagerank_by_hand(edges: list[tuple[str, str]], ids: list[str], damping: float = 0.85) -> pd.Series:
    """Boost's form on referred → referrer: (1 - d) + d Σ rank(referred) / referrers(referred)."""
    pairs = sorted(set((referred, referrer) for referrer, referred in edges))
    out_degree = pd.Series([a for a, _ in pairs]).value_counts()
    rank = pd.Series(1.0, index=ids)
    for _ in range(2000):
        nxt = pd.Series(1 - damping, index=ids)
        for referred, referrer in pairs:
            nxt[referrer] += damping * rank[referred] / out_degree[referred]
        rank = nxt
    return rank


def test_chains_reach_value_and_influence_by_hand():
    book = chain_book()
    value = pd.Series([1.0, 2, 3, 4, 5, 6], index=list("abcdef"))
    r = cartera.referrals(book, value=value, policy=cartera.ReferralPolicy(tolerance=1e-12))
    c = r.customers
    assert c["referred_by"].tolist()[1:5] == ["a", "a", "b", "d"]
    assert pd.isna(c.loc["a", "referred_by"]) and pd.isna(c.loc["f", "referred_by"])
    assert c["origin"].tolist() == ["a", "a", "a", "a", "a", "f"]
    assert c["generation"].tolist() == [0, 1, 1, 2, 3, 0]
    assert c["referrals"].tolist() == [2, 1, 1, 1, 1, 0]
    assert c["reach"].tolist() == [4, 2, 0, 1, 0, 0]
    assert c["referral_value"].tolist() == [8.25, 6.5, 0.0, 5.0, 0.0, 0.0]
    edges = [("a", "b"), ("a", "c"), ("b", "d"), ("d", "e"), ("c", "d"), ("e", "a")]
    expected = pagerank_by_hand(edges, list("abcdef"))
    np.testing.assert_allclose(c["influence"].to_numpy(), expected.to_numpy(), atol=1e-8)


def test_show_room_skips_customers_with_open_complaints():
    book = chain_book()
    manager = pd.Series(["m1", "m1", "m1", "m2", "m2", None], index=list("abcdef"))
    r = cartera.referrals(book, manager=manager, per_portfolio=1)
    # a is the most influential of m1 but has a complaint still open: b is shown instead.
    assert r.show_room[["manager", "customer", "rank"]].values.tolist() == [["m1", "b", 1], ["m2", "e", 1]]
    everyone = cartera.referrals(
        book, manager=manager, satisfied=pd.Series(True, index=list("abcdef")), per_portfolio=1
    )
    assert everyone.show_room["customer"].tolist() == ["a", "e"]
    assert {"influence", "reach", "referrals"} <= set(everyone.show_room.columns)


def test_referral_errors_are_named():
    book = chain_book()
    with pytest.raises(ValueError, match=r"customers.value row 5 \(value 'f'\): no value for this customer"):
        cartera.referrals(book, value=pd.Series([1.0] * 5, index=list("abcde")))
    with pytest.raises(ValueError, match=r"referral_policy.damping"):
        cartera.referrals(book, policy={"damping": 1.5})
    assert cartera.ReferralPolicy(decay=0.3).to_dict()["decay"] == 0.3


def test_synthetic_referrals_cover_every_customer():
    book = cartera.synthetic_book(2000, 20, seed=3)
    r = cartera.referrals(book, manager=book.table("customers")["manager"])
    assert len(r.customers) == 2000
    referred = r.customers["referred_by"].notna()
    assert referred.sum() > 0
    assert (r.customers.loc[referred, "generation"] >= 1).all()
    assert r.customers["reach"].sum() == r.customers["generation"].sum()  # each customer counts once per ancestor
    assert r.iterations >= 1
