from __future__ import annotations

import json
import pickle

import matplotlib
import numpy as np
import pandas as pd
import pytest

import cartera

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def book():
    return cartera.synthetic_book(5000, 50, interactions_per_customer=25, seed=11)


def small_book():
    customers = pd.DataFrame({"id": ["ana", "luis"], "manager": ["m1", None], "profile": [0.9, 0.1]})
    managers = pd.DataFrame({"id": ["m1", "m2"]})
    contacts = pd.DataFrame(
        {
            "customer": ["ana", "ana", "ana", "luis"],
            "manager": ["m1", "m2", "m1", None],
            "day": ["2024-06-01", "2024-06-10", "2024-06-20", "2024-06-05"],
            "channel": ["visit", "call", "call", "email"],
            "two_way": [True, True, True, False],
            "relational": [True, False, True, False],
        }
    )
    return cartera.Book(customers, managers=managers, interactions=contacts)


def test_stages_by_hand():
    book = small_book()
    policy = cartera.StagePolicy(relacionar={"min_two_way": 2}, grace_days=1)
    s = cartera.stages(book, "2024-06-30", policy=policy)
    assert list(s.index) == ["ana", "luis"]
    assert list(s["stage"].astype(str)) == ["relacionar", "contactar"]
    assert s.loc["ana", "contacts"] == 3
    assert s.loc["ana", "two_way_share"] == 1.0
    assert s.loc["ana", "longest_gap"] == 10
    assert s.loc["ana", "breadth"] == 2  # no products, two managers
    assert s.loc["ana", "reason"] == "relacionar; to reach intimar: relational contacts 2 of 3"
    assert s.loc["ana", "blocking"] == "relational"
    assert s.loc["luis", "reason"] == "contactar; to reach relacionar: two-way contacts 0 of 2"
    assert s["stage"].cat.ordered
    assert cartera.explain(book, "ana", "2024-06-30", policy=policy).startswith(
        "relacionar: two-way contacts 3 >= 2, two-way share 1 >= 0.30"
    )


def test_relationships_with_a_person():
    book = small_book()
    policy = cartera.StagePolicy(relacionar={"min_two_way": 2}, grace_days=1)
    with_manager = cartera.stages(book, "2024-06-30", policy=policy, relationship="current_manager")
    assert with_manager.loc["ana", "manager"] == "m1"
    assert with_manager.loc["ana", "contacts"] == 2
    assert with_manager.loc["luis", "stage"] == "sin_contacto"
    pairs = cartera.pair_stages(book, "2024-06-30", policy=policy)
    assert list(pairs.index) == [("ana", "m1"), ("ana", "m2")]
    assert list(pairs["stage"].astype(str)) == ["relacionar", "contactar"]
    chosen = cartera.pair_stages(book, "2024-06-30", pairs=pd.DataFrame({"customer": ["luis"], "manager": ["m1"]}))
    assert chosen.iloc[0]["stage"] == "sin_contacto"
    with pytest.raises(KeyError, match="pairs.manager row 0"):
        cartera.pair_stages(book, pairs=pd.DataFrame({"customer": ["ana"], "manager": ["m9"]}))


def test_every_customer_has_a_stage_and_the_ladder_adds_up(book):
    s = cartera.stages(book)
    assert s.index.equals(book.customer_ids)
    assert s["stage"].notna().all()
    table = cartera.ladder(book, s)
    assert table.loc["all", "customers"] == 5000
    assert table.drop(index="all")["customers"].sum() == 5000
    counts = s["stage"].value_counts()
    for stage in cartera.STAGES:
        assert table.loc["all", stage] == counts[stage]
    real = (s["stage"] >= "intimar").mean()
    assert table.loc["all", "real_share"] == pytest.approx(real)
    managed = book.table("customers")["manager"]
    first = book.manager_ids[0]
    assert table.loc[first, "customers"] == (managed == first).sum()


def test_history_transitions_and_time_in_stage(book):
    days = pd.date_range("2025-01-31", periods=6, freq="ME")
    history = cartera.stage_history(book, days)
    assert list(history.days) == list(days)
    grid = history.stages
    assert grid.shape == (5000, 6)
    pd.testing.assert_series_equal(grid.iloc[:, -1], cartera.stages(book, days[-1])["stage"], check_names=False)
    changes = history.changes
    # Replaying the changes from sin_contacto gives the last day's stages.
    last = changes.groupby("customer")["to"].last().reindex(book.customer_ids).fillna("sin_contacto")
    assert (last.astype(str).to_numpy() == grid.iloc[:, -1].astype(str).to_numpy()).all()
    moves = cartera.transitions(grid.iloc[:, 0], grid.iloc[:, -1])
    assert moves.to_numpy().sum() == 5000
    assert (
        moves.loc["relacionar", "intimar"]
        == ((grid.iloc[:, 0] == "relacionar") & (grid.iloc[:, -1] == "intimar")).sum()
    )
    shares = cartera.conversion(grid.iloc[:, 0], grid.iloc[:, -1])
    assert list(shares.index) == list(cartera.STAGES[:-1])
    times = history.time_in_stage()
    total = times.groupby("customer")["days"].sum()
    assert (total == (days[-1] - days[0]).days + 1).all()
    assert (history.highest().cat.codes >= grid.iloc[:, -1].cat.codes).all()
    assert "StageHistory(days=6" in repr(history)


def test_policy_is_data_from_dicts_and_json(tmp_path):
    policy = cartera.StagePolicy(grace_days=30, intimar={"min_relational": 5})
    assert policy.to_dict()["intimar"]["min_relational"] == 5
    assert policy.to_dict()["intimar"]["max_gap_days"] == 120  # untouched default
    assert pickle.loads(pickle.dumps(policy)) == policy
    path = tmp_path / "ladder.json"
    path.write_text(json.dumps(policy.to_dict()))
    assert cartera.StagePolicy.from_json(path) == policy
    assert cartera.StagePolicy.from_json('{"grace_days": 30, "intimar": {"min_relational": 5}}') == policy
    with pytest.raises(ValueError, match=r"stage_policy.intimar.min_relationl \(value 2\): unknown field"):
        cartera.StagePolicy(intimar={"min_relationl": 2})
    with pytest.raises(ValueError, match=r"stage_policy.grace_days \(value 0\): must be in 1..36500"):
        cartera.StagePolicy(grace_days=0)
    with pytest.raises(ValueError, match="not valid JSON"):
        cartera.StagePolicy.from_json("{nope")


def test_stricter_policy_never_promotes(book):
    loose = cartera.stages(book)["stage"].cat.codes
    strict = cartera.stages(
        book, policy=cartera.StagePolicy(relacionar={"min_two_way": 6}, confiar={"min_tenure_days": 900})
    )
    assert (strict["stage"].cat.codes <= loose).all()
    assert (strict["stage"].cat.codes < loose).any()


def test_bad_stage_labels_and_relationships_are_rejected(book):
    with pytest.raises(ValueError, match=r"stages.before row 1 \(value 'amigo'\): not a stage"):
        cartera.transitions(pd.Series(["contactar", "amigo"]), pd.Series(["contactar", "confiar"]))
    with pytest.raises(ValueError, match="expected 'customer' or 'current_manager'"):
        cartera.stages(book, relationship="branch")
    with pytest.raises(KeyError, match="unknown customer 'nobody'"):
        cartera.explain(book, "nobody")


def test_the_ladder_plot_draws_every_stage(book):
    table = cartera.ladder(book, cartera.stages(book))
    ax = cartera.plot.ladder(table, top=5)
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "all"
    assert len(ax.get_yticklabels()) == 6
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(cartera.STAGES)
    widths = np.array([patch.get_width() for patch in ax.patches]).reshape(5, 6)
    assert widths.sum(axis=0) == pytest.approx(np.ones(6))


def test_ladder_and_transitions_match_stages_to_customers_by_id():
    book = cartera.synthetic_book(2000, 20, seed=6)
    before, after = cartera.stages(book, "2025-06-30"), cartera.stages(book)
    shuffled = after.sample(frac=1.0, random_state=1)
    assert cartera.ladder(book, shuffled).equals(cartera.ladder(book, after))
    assert cartera.ladder(book, shuffled["stage"]).equals(cartera.ladder(book, after))
    assert cartera.transitions(before, shuffled).equals(cartera.transitions(before, after))
    assert cartera.conversion(before.sample(frac=1.0, random_state=2), shuffled).equals(
        cartera.conversion(before, after)
    )
    with pytest.raises(
        ValueError, match=r"stages.index row 0 \(value 'C0000001'\): no stage for this customer of the book"
    ):
        cartera.ladder(book, after.iloc[1:])
    with pytest.raises(ValueError, match=r"after.index row 0 \(value 'C0000001'\): no stage for this customer"):
        cartera.transitions(before, after.iloc[1:])
