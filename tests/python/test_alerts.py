from __future__ import annotations

import pandas as pd
import pytest

import cartera


def test_alerts_by_hand():
    tx = pd.DataFrame(
        {
            "customer": ["ana"] * 5 + ["luis"],
            "day": ["2024-06-25", "2024-03-01", "2023-12-01", "2023-09-01", "2023-06-01", "2023-01-10"],
            "amount": [10.0, 100, 100, 100, 100, 5000],
        }
    )
    complaints = pd.DataFrame({"customer": ["luis"], "opened": ["2024-06-20"]})
    book = cartera.Book(
        pd.DataFrame({"id": ["ana", "luis"], "since": ["2023-01-01"] * 2}), transactions=tx, complaints=complaints
    )
    # Two customers are too few for the rate tests: the spend thresholds alone.
    everyone_declining = cartera.AlertPolicy(declining_valuable_only=False, false_discovery_rate=1)
    found = cartera.alerts(
        book, "2024-06-30", valuable=pd.Series([False, True], index=["ana", "luis"]), policy=everyone_declining
    )
    pairs = list(zip(found["customer"], found["alert"].astype(str), strict=True))
    assert pairs[0] == ("luis", "valuable_complainer")
    assert found.iloc[0]["urgent"]
    assert ("ana", "declining") in pairs
    assert ("luis", "lapsed_valuable") in pairs
    assert found["priority"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="no value for customer 'luis'"):
        cartera.alerts(book, valuable=pd.Series([True], index=["ana"]))
    with pytest.raises(ValueError, match=r"alert_policy.mvc_share \(value 2\): must be in \[0, 1\]"):
        cartera.AlertPolicy(mvc_share=2)


def test_the_declining_alert_is_for_valuable_customers_by_default():
    tx = pd.DataFrame(
        {
            "customer": ["ana"] * 5 + ["luis"] * 5,
            "day": ["2024-06-25", "2024-03-01", "2023-12-01", "2023-09-01", "2023-06-01"] * 2,
            "amount": [10.0, 100, 100, 100, 100, 20.0, 200, 200, 200, 200],
        }
    )
    book = cartera.Book(pd.DataFrame({"id": ["ana", "luis"], "since": ["2023-01-01"] * 2}), transactions=tx)
    valuable = pd.Series([False, True], index=["ana", "luis"])
    declining = lambda found: sorted(found.loc[found["alert"] == "declining", "customer"])  # noqa: E731
    thresholds = cartera.AlertPolicy(false_discovery_rate=1)
    assert declining(cartera.alerts(book, "2024-06-30", valuable=valuable, policy=thresholds)) == ["luis"]
    everyone = cartera.AlertPolicy(declining_valuable_only=False, false_discovery_rate=1)
    assert declining(cartera.alerts(book, "2024-06-30", valuable=valuable, policy=everyone)) == ["ana", "luis"]


def test_growing_is_a_test_of_the_rate_whose_false_discoveries_stay_under_the_bound():
    # 60 purchases per customer over two years: enough history for a change to show.
    n = 6000
    book = cartera.synthetic_book(n, 12, seed=5, transactions_per_customer=60)
    truth = cartera.synthetic_behaviours(n, seed=5)
    growing = set(truth.index[truth == "growing"])

    def flagged(policy: cartera.AlertPolicy) -> set[str]:
        found = cartera.alerts(book, policy=policy)
        return set(found.loc[found["alert"] == "growing", "customer"])

    tested = flagged(cartera.AlertPolicy())
    thresholds = flagged(cartera.AlertPolicy(false_discovery_rate=1))
    assert tested < thresholds  # the test only ever removes customers the thresholds flag
    precision = len(tested & growing) / len(tested)
    assert precision >= 0.8  # at most 20 % false discoveries expected
    assert len(tested & growing) / len(growing) >= 0.4
    assert len(thresholds & growing) / len(thresholds) < 0.5  # the thresholds alone: mostly noise
    found = cartera.alerts(book)
    reason = found.loc[found["alert"] == "growing", "reason"].iloc[0]
    assert "purchase days in the last 90: " in reason and "expected (p = " in reason
    with pytest.raises(ValueError, match=r"alert_policy.false_discovery_rate \(value 0\): must be in \(0, 1\]"):
        cartera.AlertPolicy(false_discovery_rate=0)
