"""The complaint indicator: by hand, against a count in pandas, in the job and the command."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cartera
from cartera.cli import main
from cartera.job import Config, run_job

from .conftest import write_book


def _book() -> cartera.Book:
    """The C++ test's book: a and b with m0, c with m1, d with nobody."""
    customers = pd.DataFrame({"id": ["a", "b", "c", "d"], "manager": ["m0", "m0", "m1", None]})
    transactions = pd.DataFrame(
        {
            "customer": ["a", "b", "b", "c"],
            "day": ["2024-03-01", "2024-01-20", "2024-09-01", "2024-02-01"],
            "amount": [10.0, 10, 10, 10],
        }
    )
    complaints = pd.DataFrame(
        {
            "customer": ["a", "a", "b", "b", "c", "c", "d"],
            "opened": [
                "2024-01-10",
                "2025-01-05",
                "2024-01-20",
                "2024-02-05",
                "2024-01-15",
                "2024-12-01",
                "2024-12-20",
            ],
            "resolved": ["2024-01-12", None, "2024-03-20", None, "2024-01-25", "2025-01-03", None],
            "first_contact": [True, False, False, False, True, False, False],
        }
    )
    return cartera.Book(
        customers,
        managers=pd.DataFrame({"id": ["m0", "m1"]}),
        transactions=transactions,
        complaints=complaints,
    )


WORTH = pd.Series([100.0, 300, 50, 0], index=["a", "b", "c", "d"])
VALUABLE = pd.Series([False, True, True, False], index=["a", "b", "c", "d"])


def test_the_indicator_by_hand():
    found = cartera.complaint_indicator(_book(), "2024-12-31", value=WORTH, valuable=VALUABLE)
    assert found["manager"].tolist()[:4] == ["m0", "m0", "m1", "m1"] and pd.isna(found["manager"].iloc[4])
    assert found["month"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-01",
        "2024-02-01",
        "2024-01-01",
        "2024-12-01",
        "2024-12-01",
    ]
    assert found["complaints"].tolist() == [2, 1, 1, 1, 1]
    assert found["first_contact_share"].tolist()[:3] == [0.5, 0.0, 1.0]
    assert found.loc[0, "first_contact_share_by_value"] == 0.25  # a's 100 of 400
    assert found.loc[0, "mean_days_to_resolve"] == 31.0  # 2 and 60 days
    assert found["valuable_in_time"].tolist() == [0, 0, 1, 0, 0]
    assert found["stayed"].tolist() == [1, 0, 1, 0, 0]
    assert np.isnan(found.loc[3, "stayed_share"])  # December's are too recent to tell

    overall = cartera.complaint_totals(found, by=None).iloc[0]
    assert overall["complaints"] == 6  # the complaint of 2025 is after the day
    assert overall["first_contact_share"] == pytest.approx(2 / 6)
    assert overall["first_contact_share_by_value"] == pytest.approx(150 / 800)
    assert overall["mean_days_to_resolve"] == pytest.approx((2 + 60 + 10) / 3)
    assert overall["valuable_in_time_share"] == pytest.approx(1 / 4)
    assert overall["stayed_share_by_value"] == pytest.approx(150 / 750)
    by_manager = cartera.complaint_totals(found)
    assert by_manager.loc["m0", "complaints"] == 3 and by_manager.loc["m1", "complaints"] == 2


def test_the_default_value_valuable_and_manager():
    book = _book()
    # By default each customer weighs their window's revenue, and the top 20 % by it is valuable.
    default = cartera.complaint_indicator(book, "2024-12-31")
    revenue = cartera.value(book, "2024-12-31")["monetary"]
    pd.testing.assert_frame_equal(default, cartera.complaint_indicator(book, "2024-12-31", value=revenue))
    assert default["valuable"].sum() == 2  # b (20 in the window), ceil(0.2 × 4) = 1 customer
    # Another portfolio per customer: all of them with m1.
    everyone = cartera.complaint_indicator(book, "2024-12-31", manager=pd.Series("m1", index=list("abcd")))
    assert set(everyone["manager"]) == {"m1"} and everyone["complaints"].sum() == 6


def test_bad_inputs_are_named():
    book = _book()
    with pytest.raises(ValueError, match=r"complaint_indicator.value row 3 \(value 'd'\): no value for this customer"):
        cartera.complaint_indicator(book, value=WORTH.drop("d"))
    with pytest.raises(ValueError, match=r"complaint_indicator.manager row 0 \(value 'm9'\): no such manager"):
        cartera.complaint_indicator(book, manager=pd.Series("m9", index=list("abcd")))
    with pytest.raises(ValueError, match=r"complaint_indicator.value row 1 \(value inf\): must be finite"):
        cartera.complaint_indicator(book, value=WORTH.replace(300.0, np.inf))
    with pytest.raises(ValueError, match=r"complaint_policy.stay_days \(value 0\)"):
        cartera.ComplaintPolicy(stay_days=0)


def test_the_totals_match_a_count_of_the_complaints_table():
    book = cartera.synthetic_book(5000, 40, seed=3)
    as_of = book.last_day
    found = cartera.complaint_indicator(book, as_of)
    overall = cartera.complaint_totals(found, by=None).iloc[0]
    raw = book.table("complaints")
    raw = raw[raw["opened"] <= as_of]
    resolved = raw["resolved"].notna() & (raw["resolved"] <= as_of)
    assert overall["complaints"] == len(raw)
    assert overall["resolved"] == resolved.sum()
    assert overall["first_contact"] == (resolved & raw["first_contact"].astype(bool)).sum()
    days = (raw["resolved"] - raw["opened"]).dt.days[resolved]
    assert overall["mean_days_to_resolve"] == pytest.approx(days.mean())
    # Month by month, every manager together: pandas' own grouping gives the same counts.
    months = raw["opened"].dt.to_period("M").dt.start_time
    expected = raw.groupby(months).size()
    by_month = cartera.complaint_totals(found, by="month")["complaints"]
    assert by_month.sort_index().tolist() == expected.sort_index().tolist()


def test_the_job_and_the_command_give_the_indicator(tmp_path):
    book = cartera.synthetic_book(2000, 20, seed=4)
    results = run_job(book, Config.from_dict({"complaints": {"response_days": 60}}))
    valuable = results.segments["tier"] == "Premium"
    expected = cartera.complaint_indicator(
        book, value=results.value["monetary"], valuable=valuable, policy=cartera.ComplaintPolicy(response_days=60)
    )
    pd.testing.assert_frame_equal(results.complaints, expected)
    assert "id='complaints'" in cartera.report.render_report(results)

    data = write_book(tmp_path / "data", 1500, 15, seed=9)
    out = tmp_path / "out"
    assert main(["run", "--data", str(data), "--out", str(out), "-q"]) == 0
    written = pd.read_csv(out / "complaints.csv")
    complaints = pd.read_csv(data / "complaints.csv")
    assert written["complaints"].sum() == len(complaints)
    assert set(written["manager"].dropna()) <= set(pd.read_csv(data / "managers.csv")["id"])


def test_the_chart_draws_one_line_per_share():
    import matplotlib

    matplotlib.use("Agg")
    found = cartera.complaint_indicator(cartera.synthetic_book(3000, seed=1))
    ax = cartera.plot.complaints(found, months=12)
    assert len(ax.lines) == 3 and all(len(line.get_xdata()) == 12 for line in ax.lines)
