"""The people at the account: findings and pairing by hand, breadth, and the job."""

from __future__ import annotations

import pandas as pd
import pytest

import cartera
from cartera.job import run_job

DAY = pd.Timestamp("2025-12-31")


def _book() -> cartera.Book:
    """The C++ test's book: a has Ana (finance) and Luis (systems, checked in 2022), and
    talked only with Ana; b has Eva (finance, never checked); c has nobody."""
    ago = lambda n: DAY - pd.Timedelta(days=n)  # noqa: E731
    return cartera.Book(
        pd.DataFrame({"id": list("abc")}),
        managers=pd.DataFrame({"id": ["m0", "m1"], "area": ["systems", "finance"]}),
        interactions=pd.DataFrame(
            {
                "customer": list("aaabb"),
                "day": [ago(100), ago(50), ago(10), ago(30), ago(20)],
                "channel": "call",
                "person": ["Ana", "Ana", "Ana", "Eva", "Eva"],
            }
        ),
        people=pd.DataFrame(
            {
                "customer": ["a", "a", "b"],
                "person": ["Ana", "Luis", "Eva"],
                "role": ["finance manager", "systems manager", "purchasing"],
                "area": ["finance", "systems", "finance"],
                "updated": ["2025-06-01", "2022-01-01", None],
            }
        ),
    )


def test_findings_by_hand():
    found = cartera.people_findings(_book(), DAY, valuable=pd.Series([True, True, False], index=list("abc")))
    assert list(zip(found["customer"], found["finding"].astype(str), found["person"].fillna("-"), strict=True)) == [
        ("a", "single_threaded", "Ana"),
        ("a", "stale_person", "Luis"),
        ("b", "few_people", "-"),
        ("b", "stale_person", "Eva"),
    ]
    assert found["reason"].iloc[0] == "all 3 interactions of the last 365 days with Ana"
    relaxed = cartera.people_findings(_book(), DAY, policy=cartera.PeoplePolicy(min_people=1, stale_days=5000))
    assert list(relaxed["finding"].astype(str)) == ["single_threaded", "stale_person", "few_people"]
    with pytest.raises(ValueError, match=r"people_policy.stale_days \(value 0\)"):
        cartera.PeoplePolicy(stale_days=0)
    with pytest.raises(KeyError, match=r"people.customer row 0 \(value 'zoe'\)"):
        cartera.Book(pd.DataFrame({"id": ["a"]}), people=pd.DataFrame({"customer": ["zoe"], "person": ["x"]}))


def test_each_planned_contact_names_the_person_of_the_managers_area():
    book = _book()
    plan = cartera.plan_contacts(
        book,
        pd.Series(["m0", "m1", "m0"], index=list("abc")),
        pd.Series(10_000.0, index=["m0", "m1"]),
        tier=pd.Series("Premium", index=list("abc")),
        stage=pd.Series("relacionar", index=list("abc")),
        days=28,
    )
    person = plan.contacts.groupby("customer")["person"].first().to_dict()
    # m0 (systems) talks to Luis at a; at b nobody is in systems: Eva; c has nobody named.
    assert person["a"] == "Luis" and person["b"] == "Eva" and pd.isna(person["c"])


def test_breadth_counts_their_people_and_our_areas():
    book = _book()
    assert cartera.stages(book, DAY)["breadth"].tolist() == [1.0, 1.0, 0.0]


def test_the_job_gives_the_findings_and_whom_to_talk_to():
    book = cartera.synthetic_book(3000, 30, seed=5)
    results = run_job(book)
    valuable = results.segments["tier"] == "Premium"
    pd.testing.assert_frame_equal(results.people, cartera.people_findings(book, valuable=valuable))
    assert set(results.people["finding"].astype(str)) >= {"few_people", "stale_person"}
    people = book.table("people")
    named = set(people["customer"])
    contacts = results.plan.contacts
    assert contacts.loc[contacts["customer"].isin(named), "person"].notna().all()
    assert contacts.loc[~contacts["customer"].isin(named), "person"].isna().all()
    assert "id='people'" in cartera.report.render_report(results)
