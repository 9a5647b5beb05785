from __future__ import annotations

import pickle

import pandas as pd
import pytest

import cartera

MONDAY = "2026-01-05"


def small_policy() -> cartera.ContactPolicy:
    """Two channels, two tiers: "high" customers get 2 calls per 28 days, "low" ones 1."""
    cells = {stage: {"contacts": 2, "mix": {"call": 1.0}} for stage in cartera.STAGES}
    low = {stage: {"contacts": 1, "mix": {"call": 1.0}} for stage in cartera.STAGES}
    return cartera.ContactPolicy(
        minutes={"visit": 60, "call": 15}, tiers=["low", "high"], cadence={"high": cells, "low": low}
    )


def small_book() -> cartera.Book:
    customers = pd.DataFrame({"id": ["a", "b", "c", "d", "e"]})
    contacts = pd.DataFrame(
        {
            "customer": ["e"],
            "day": ["2026-01-02"],
            "channel": ["call"],
            "proactive": [False],
            "two_way": [True],
        }
    )
    return cartera.Book(customers, interactions=contacts)


def inputs():
    ids = ["a", "b", "c", "d", "e"]
    manager = pd.Series(["m1", "m1", "m1", "m1", None], index=ids)
    tier = pd.Series(["high", "high", "high", "low", "high"], index=ids)
    stage = pd.Series(["contactar"] * 5, index=ids)
    alerts = pd.DataFrame(
        {
            "customer": ["b", "a"],
            "alert": pd.Categorical(["declining", "valuable_complainer"], categories=list(cartera.ALERTS)),
            "priority": [4.5, 5.9],
            "urgent": [False, True],
        }
    )
    return manager, tier, stage, alerts


def test_alerts_first_then_higher_tiers_within_the_budget():
    manager, tier, stage, alerts = inputs()
    # 90 minutes a period: 45 in 14 days, three calls.
    plan = cartera.plan_contacts(
        small_book(),
        manager,
        pd.Series({"m1": 90.0}),
        tier=tier,
        stage=stage,
        alerts=alerts,
        start=MONDAY,
        days=14,
        policy=small_policy(),
    )
    assert plan.contacts["customer"].tolist() == ["a", "b", "c"]
    assert plan.contacts["purpose"].tolist() == ["alert", "alert", "cadence"]
    assert plan.contacts["day"].iloc[0] == pd.Timestamp(MONDAY)
    assert plan.contacts["alert"].iloc[0] == "valuable_complainer"
    assert plan.contacts["reason"].iloc[0] == "valuable_complainer (urgent)"
    assert pd.isna(plan.contacts["alert"].iloc[2])
    assert plan.unmet[["customer", "reason"]].values.tolist() == [["d", "time_budget"]]
    assert plan.customers["status"].tolist() == ["planned", "planned", "planned", "not_planned", "no_manager"]
    m1 = plan.managers.loc["m1"]
    assert (m1["portfolio"], m1["reached"], m1["budget"], m1["planned"], m1["demand"], m1["unmet"]) == (
        4,
        3,
        45.0,
        45.0,
        60.0,
        15.0,
    )
    coverage = plan.coverage(by=["tier"])
    assert coverage.loc[("m1", "high"), "share"] == 1.0
    assert coverage.loc[("m1", "low"), "share"] == 0.0
    assert "3 contacts" in repr(plan)


def test_follow_up_and_continuity():
    manager, tier, stage, _ = inputs()
    manager["e"] = "m1"
    plan = cartera.plan_contacts(
        small_book(), manager, 10_000, tier=tier, stage=stage, start=MONDAY, days=14, policy=small_policy()
    )
    follow = plan.contacts[plan.contacts["customer"] == "e"].iloc[0]
    assert follow["purpose"] == "follow_up"
    assert follow["reason"] == "follow-up of the call of 2026-01-02"
    assert follow["last_day"] == pd.Timestamp("2026-01-02")
    assert follow["last_channel"] == "call"
    assert follow["last_note"] == "customer-initiated, two-way"
    assert follow["channel"] == "call"


def test_campaigns_and_caps():
    manager, tier, stage, _ = inputs()
    campaigns = pd.DataFrame({"customer": ["a", "a"], "day": ["2026-01-06", "2026-01-07"]})
    caps = pd.Series({"a": 2, "b": 0})
    plan = cartera.plan_contacts(
        small_book(),
        manager,
        10_000,
        tier=tier,
        stage=stage,
        campaigns=campaigns,
        max_contacts=caps,
        start=MONDAY,
        days=28,
        policy=small_policy(),
    )
    assert "a" not in set(plan.contacts["customer"]) and "b" not in set(plan.contacts["customer"])
    assert set(plan.unmet.loc[plan.unmet["customer"].isin(["a", "b"]), "reason"]) == {"contact_cap"}
    assert set(plan.customers.loc[["a", "b"], "status"]) == {"not_planned"}


def test_synthetic_bank_plan_respects_every_budget(bank):
    book, stages, segments, alerts = bank
    manager = book.table("customers")["manager"]
    plan = cartera.plan_contacts(book, manager, tier=segments, stage=stages, alerts=alerts)
    assert len(plan.customers) == len(book.customer_ids)
    assert (plan.managers["planned"] <= plan.managers["budget"] + 1e-9).all()
    per_day = plan.contacts.groupby(["customer", "day"]).size()
    assert per_day.max() == 1
    assert plan.contacts["day"].dt.day_of_week.max() <= 4
    assert (plan.customers.loc[manager.isna(), "status"] == "no_manager").all()
    again = cartera.plan_contacts(book, manager, tier=segments, stage=stages, alerts=alerts)
    pd.testing.assert_frame_equal(plan.contacts, again.contacts)
    # Alert contacts come on the first working day when there is room.
    assert (plan.contacts.loc[plan.contacts["purpose"] == "alert", "day"] == plan.start).mean() > 0.5


@pytest.fixture(scope="module")
def bank():
    book = cartera.synthetic_book(3000, 30, seed=5)
    return book, cartera.stages(book), cartera.segment(book), cartera.alerts(book)


def test_bad_input_names_table_column_row_and_value():
    manager, tier, stage, _ = inputs()
    book = small_book()
    gold = tier.copy()
    gold["b"] = "gold"
    with pytest.raises(
        ValueError, match=r"customers.tier row 1 \(value 'gold'\): no such tier; the tiers are low, high"
    ):
        cartera.plan_contacts(book, manager, 100, tier=gold, stage=stage, policy=small_policy())
    with pytest.raises(ValueError, match=r"customers.stage row 4 \(value 'e'\): no value for this customer"):
        cartera.plan_contacts(book, manager, 100, tier=tier, stage=stage.drop("e"), policy=small_policy())
    with pytest.raises(
        KeyError, match=r"customers.manager row 0 \(value 'm1'\): no such manager among the time budgets"
    ):
        cartera.plan_contacts(book, manager, pd.Series({"m9": 10.0}), tier=tier, stage=stage, policy=small_policy())
    with pytest.raises(ValueError, match=r"managers.time_budget row 0 \(value -5\)"):
        cartera.plan_contacts(book, manager, -5, tier=tier, stage=stage, policy=small_policy())
    with pytest.raises(ValueError, match=r"contact_plan.days \(value 0\): must be >= 1"):
        cartera.plan_contacts(book, manager, 100, tier=tier, stage=stage, days=0, policy=small_policy())
    with pytest.raises(ValueError, match=r"campaigns.customer row 0 \(value 'zz'\)"):
        cartera.plan_contacts(
            book,
            manager,
            100,
            tier=tier,
            stage=stage,
            campaigns=pd.DataFrame({"customer": ["zz"], "day": [MONDAY]}),
            policy=small_policy(),
        )


def test_contact_policy_is_data():
    policy = cartera.ContactPolicy()
    fields = policy.to_dict()
    assert fields["minutes"] == {"visit": 90.0, "video": 30.0, "call": 15.0, "email": 5.0}
    assert fields["cadence"]["Premium"]["intimar"] == {
        "contacts": 2.0,
        "nature": "relational",
        "mix": {"visit": 0.5, "video": 0.25, "call": 0.25},
    }
    assert fields["working_days"] == ["mon", "tue", "wed", "thu", "fri"]
    assert policy.workload("Premium", "intimar") == 112.5
    assert cartera.ContactPolicy.from_dict(fields) == policy
    assert pickle.loads(pickle.dumps(small_policy())) == small_policy()
    changed = cartera.ContactPolicy(cadence={"Premium": {"intimar": {"contacts": 3}}})
    assert changed.workload("Premium", "intimar") == 168.75
    with pytest.raises(ValueError, match="shares must sum to 1"):
        cartera.ContactPolicy(cadence={"Medio": {"confiar": {"mix": {"visit": 0.5}}}})
    with pytest.raises(ValueError, match="no such channel"):
        cartera.ContactPolicy(cadence={"Medio": {"confiar": {"mix": {"fax": 1.0}}}})
    with pytest.raises(ValueError, match="unknown field"):
        cartera.ContactPolicy(cadense={})
    with pytest.raises(ValueError, match="expected mon, tue"):
        cartera.ContactPolicy(working_days=["monday"])
