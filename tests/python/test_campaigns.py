"""The day after a campaign: by hand, against pandas, in the plan, the job and the command."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cartera
from cartera.cli import main
from cartera.job import Config, run_job

from .conftest import write_book


def _book() -> cartera.Book:
    """The C++ test's book: spring reached everyone on 03-01, summer reached a on 06-20,
    autumn will reach b on 09-01."""
    return cartera.Book(
        pd.DataFrame({"id": ["a", "b", "c", "d"], "manager": ["m0", "m0", "m1", None]}),
        managers=pd.DataFrame({"id": ["m0", "m1"]}),
        transactions=pd.DataFrame(
            {
                "customer": ["a", "a", "a", "b", "d"],
                "day": ["2024-03-05", "2024-03-10", "2024-06-22", "2024-03-01", "2024-03-20"],
                "amount": [40.0, 60, 25, 10, 10],
            }
        ),
        interactions=pd.DataFrame(
            {
                "customer": ["a", "c", "c"],
                "manager": ["m0", None, "m0"],
                "day": ["2024-03-07", "2024-03-08", "2024-03-09"],
                "channel": "call",
                "proactive": [True, False, True],
            }
        ),
        campaigns=pd.DataFrame(
            {
                "customer": list("abcdab"),
                "day": ["2024-03-01"] * 4 + ["2024-06-20", "2024-09-01"],
                "campaign": ["spring"] * 4 + ["summer", "autumn"],
            }
        ),
    )


def test_responses_and_follow_ups_by_hand():
    book = _book()
    assert book.last_day == pd.Timestamp("2024-06-22")  # a campaign ahead does not move it
    found = cartera.campaign_responses(book, "2024-06-25")
    assert list(zip(found["campaign"], found["customer"], found["outcome"].astype(str), strict=True)) == [
        ("spring", "a", "followed_up"),
        ("summer", "a", "follow_up_due"),
        ("spring", "b", "no_response"),
        ("spring", "c", "missed"),  # m0 called c back, but c is m1's
        ("spring", "d", "no_response"),  # d bought 19 days after
    ]
    assert found["revenue"].tolist() == [100.0, 25.0, 0.0, 0.0, 0.0]
    assert found["response_day"].iloc[3] == pd.Timestamp("2024-03-08")
    assert found["follow_up_day"].iloc[0] == pd.Timestamp("2024-03-07")
    summary = cartera.campaign_summary(found)
    assert summary.loc["spring", ["contacts", "responded", "followed_up", "missed"]].tolist() == [4, 2, 1, 1]
    assert summary.loc["spring", "followed_up_share"] == 0.5
    assert np.isnan(summary.loc["summer", "followed_up_share"])  # not decided yet

    early = cartera.campaign_responses(book, "2024-03-06")
    assert early["outcome"].astype(str).tolist() == ["follow_up_due", "waiting", "waiting", "waiting"]
    everyone_with_m0 = pd.Series("m0", index=list("abcd"))
    wider = cartera.campaign_responses(
        book, "2024-06-25", manager=everyone_with_m0, policy=cartera.CampaignPolicy(response_days=30)
    )
    assert wider["outcome"].astype(str).tolist() == [
        "followed_up",
        "follow_up_due",
        "no_response",
        "followed_up",
        "missed",
    ]


def test_bad_inputs_are_named():
    book = _book()
    with pytest.raises(ValueError, match=r"campaigns.manager row 0 \(value 'm9'\): no such manager"):
        cartera.campaign_responses(book, manager=pd.Series("m9", index=list("abcd")))
    with pytest.raises(ValueError, match=r"campaign_policy.follow_up_days \(value 0\)"):
        cartera.CampaignPolicy(follow_up_days=0)
    with pytest.raises(KeyError, match=r"campaigns.customer row 0 \(value 'zoe'\)"):
        cartera.Book(pd.DataFrame({"id": ["a"]}), campaigns=pd.DataFrame({"customer": ["zoe"], "day": ["2024-01-01"]}))


def test_cleaning_keeps_campaigns_ahead_and_quarantines_unknown_customers():
    campaigns = pd.DataFrame(
        {"customer": ["a", "ghost", "a"], "day": ["2024-01-01", "2024-01-01", "2025-06-01"], "campaign": "x"}
    )
    cleaned = cartera.clean(pd.DataFrame({"id": ["a"]}), campaigns=campaigns, policy={"last_day": "2024-12-31"})
    assert cleaned.book.rows()["campaigns"] == 2
    assert cleaned.quarantine[["table", "row", "reason"]].to_dict("records") == [
        {"table": "campaigns", "row": 1, "reason": "unknown customer (not in customers)"}
    ]


def _brute_force(book: cartera.Book, as_of: pd.Timestamp, policy: cartera.CampaignPolicy) -> pd.DataFrame:
    """Each campaign contact's first response, revenue and outcome, row by row in pandas."""
    tx = book.table("transactions")
    contacts = book.table("interactions")
    managers = book.table("customers")["manager"]
    response_window = pd.Timedelta(days=policy.response_days)
    follow_window = pd.Timedelta(days=policy.follow_up_days)
    rows = []
    for campaign in book.table("campaigns").itertuples():
        if campaign.day > as_of:
            continue
        end = min(as_of, campaign.day + response_window)
        bought = tx[(tx["customer"] == campaign.customer) & (tx["day"] > campaign.day) & (tx["day"] <= end)]
        theirs = contacts[contacts["customer"] == campaign.customer]
        started = theirs[~theirs["proactive"] & (theirs["day"] > campaign.day) & (theirs["day"] <= end)]
        response = min([*bought["day"], *started["day"]], default=pd.NaT)
        outcome = "waiting" if as_of < campaign.day + response_window else "no_response"
        if response is not pd.NaT:
            manager = managers[campaign.customer]
            deadline = response + follow_window
            by = theirs[theirs["proactive"] & (theirs["day"] >= response) & (theirs["day"] <= min(as_of, deadline))]
            if manager is not None and not pd.isna(manager):
                by = by[by["manager"] == manager]
            outcome = "followed_up" if len(by) else "follow_up_due" if as_of < deadline else "missed"
        rows.append((campaign.customer, campaign.day, response, bought["amount"].sum(), outcome))
    return pd.DataFrame(rows, columns=["customer", "day", "response_day", "revenue", "outcome"])


def test_the_responses_match_a_row_by_row_count_in_pandas():
    book = cartera.synthetic_book(600, 6, seed=8, interactions_per_customer=30)
    as_of = book.last_day
    policy = cartera.CampaignPolicy(response_days=21, follow_up_days=10)
    found = cartera.campaign_responses(book, as_of, policy=policy)
    expected = _brute_force(book, as_of, policy)
    assert len(found) == len(expected) > 300
    assert (found["outcome"].astype(str).to_numpy() == expected["outcome"].to_numpy()).all()
    pd.testing.assert_series_equal(found["response_day"], expected["response_day"].astype(found["response_day"].dtype))
    np.testing.assert_allclose(found["revenue"], expected["revenue"])
    assert set(expected["outcome"]) >= {"followed_up", "missed", "no_response", "waiting"}


def test_the_plan_follows_up_responses_still_due():
    book = _book()
    plan = cartera.plan_contacts(
        book,
        pd.Series(["m0", "m0", "m1", None], index=list("abcd")),
        pd.Series(10_000.0, index=["m0", "m1"]),
        tier=pd.Series("Premium", index=list("abcd")),
        stage=pd.Series("contactar", index=list("abcd")),
        start="2024-06-26",
        days=7,
    )
    follow_ups = plan.contacts[plan.contacts["purpose"] == "follow_up"]
    assert follow_ups["customer"].tolist() == ["a"]
    assert follow_ups["reason"].iloc[0] == (
        "follow-up of the response to campaign summer of 2024-06-20 (bought on 2024-06-22)"
    )


def test_the_job_and_the_command_give_the_day_after(tmp_path):
    book = cartera.synthetic_book(3000, 30, seed=4)
    results = run_job(book, Config.from_dict({"campaigns": {"response_days": 21}}))
    policy = cartera.CampaignPolicy(response_days=21)
    responses = cartera.campaign_responses(book, policy=policy)
    pd.testing.assert_frame_equal(results.campaign_responses, responses)
    pd.testing.assert_frame_equal(results.campaigns, cartera.campaign_summary(responses))
    # Every customer due a follow-up who has a manager in the new portfolios, can be reached
    # and has no alert is followed up in the plan (for their campaign, or for the
    # conversation they started), or the follow-up is unmet for want of time or room.
    due = set(responses.loc[responses["outcome"] == "follow_up_due", "customer"])
    plan = results.plan
    reachable = set(plan.customers.index[plan.customers["status"] != "unreachable"])
    managed = set(results.assignment.assignments["manager"].dropna().index)
    alerted = set(results.alerts["customer"])
    follow_ups = pd.concat([plan.contacts, plan.unmet])
    follow_ups = follow_ups[follow_ups["purpose"] == "follow_up"]
    for_campaigns = set(
        plan.contacts.loc[plan.contacts["reason"].str.startswith("follow-up of the response"), "customer"]
    )
    assert for_campaigns and for_campaigns <= due
    assert (due & managed & reachable) - alerted - set(follow_ups["customer"]) == set()
    assert "id='campaigns'" in cartera.report.render_report(results)

    data = write_book(tmp_path / "data", 1500, 15, seed=9)
    out = tmp_path / "out"
    assert main(["run", "--data", str(data), "--out", str(out), "-q"]) == 0
    written = pd.read_csv(out / "campaign_responses.csv")
    assert len(written) == (pd.to_datetime(pd.read_csv(data / "campaigns.csv")["day"]) <= "2025-12-31").sum()
    assert pd.read_csv(out / "campaigns.csv", index_col=0)["contacts"].sum() == len(written)


def test_the_chart_draws_one_bar_per_campaign_and_outcome():
    import matplotlib

    matplotlib.use("Agg")
    summary = cartera.campaign_summary(cartera.campaign_responses(cartera.synthetic_book(2000, seed=2)))
    ax = cartera.plot.campaigns(summary)
    assert len(ax.patches) == len(summary) * len(cartera.CAMPAIGN_OUTCOMES)
