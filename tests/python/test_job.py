"""The main job as one: each result computed once, under the configured policies, and
handed to the steps that need it."""

from __future__ import annotations

import numpy as np
import pytest

import cartera
from cartera import _core
from cartera.job import Config, run_job


@pytest.fixture(scope="module")
def book() -> cartera.Book:
    return cartera.synthetic_book(3000, 30, seed=11)


def _per_customer(problem: cartera.AssignmentProblem, per_arc: np.ndarray) -> np.ndarray:
    """The value each customer's first arc carries (every arc of a customer carries the same)."""
    starts = problem.offsets[:-1]
    return per_arc[starts[np.diff(problem.offsets) > 0]]


def test_value_is_computed_once_and_every_ladder_under_the_configured_policy(book, monkeypatch):
    config = Config.from_dict({"stages": {"relacionar": {"min_two_way": 6}}, "job": {"time_budgets": True}})
    values, policies = [], []
    compute_value, compute_stages = _core.compute_value, _core.compute_stages
    monkeypatch.setattr(_core, "compute_value", lambda *a, **k: values.append(1) or compute_value(*a, **k))
    monkeypatch.setattr(
        _core,
        "compute_stages",
        lambda b, d, policy, *a, **k: policies.append(policy) or compute_stages(b, d, policy, *a, **k),
    )
    results = run_job(book, config)
    assert len(values) == 1
    assert policies and all(policy == config.stages for policy in policies)
    assert results.segments["stage"].equals(results.stages["stage"])
    # The workloads the assignment weighed are the contact policy's for tier × that stage.
    problem = results.assignment.problem
    expected = np.array(
        [config.contact.workload(t, s) for t, s in zip(results.segments["tier"], results.stages["stage"], strict=True)]
    )
    has_arcs = np.diff(problem.offsets) > 0
    assert np.array_equal(_per_customer(problem, problem.workload), expected[has_arcs])


def test_continuity_is_priced_by_the_stage_reached_with_the_current_manager(book):
    config = Config.from_dict({"stages": {"grace_days": 1}})
    results = run_job(book, config)
    with_manager = cartera.stages(book, policy=config.stages, relationship="current_manager")["stage"]
    with_company = results.stages["stage"]
    current = book.table("customers")["manager"].notna().to_numpy()
    assert (with_manager[current] != with_company[current]).any()  # the two ladders differ here
    prices = config.assignment.continuity
    expected = results.segments["monetary"].to_numpy() * config.assignment.leave_out_weight
    expected = np.maximum(expected, config.assignment.leave_out_floor)
    expected[current] += with_manager[current].map(prices).to_numpy(dtype=float)
    assert np.allclose(results.assignment.problem.leave_out, expected)


def test_with_worth_clv_the_assignment_prices_each_customer_by_their_lifetime_value(book):
    config = Config.from_dict({"job": {"worth": "clv"}})
    results = run_job(book, config)
    clv = results.potential["clv"].fillna(0.0).clip(lower=0).to_numpy()
    assert not np.allclose(clv, results.segments["monetary"].clip(lower=0).to_numpy())  # a different worth
    with_manager = cartera.stages(book, policy=config.stages, relationship="current_manager")["stage"]
    current = book.table("customers")["manager"].notna().to_numpy()
    expected = np.maximum(clv * config.assignment.leave_out_weight, config.assignment.leave_out_floor)
    expected[current] += with_manager[current].map(config.assignment.continuity).to_numpy(dtype=float)
    assert np.allclose(results.assignment.problem.leave_out, expected)
    with pytest.raises(ValueError, match=r"config.job.worth \(value 'revenue'\): expected 'monetary' or 'clv'"):
        Config.from_dict({"job": {"worth": "revenue"}})


def test_worth_clv_on_a_book_the_models_cannot_fit_says_why():
    import pandas as pd

    customers = pd.DataFrame({"id": ["a", "b"], "manager": ["m", "m"]})
    managers = pd.DataFrame({"id": ["m"], "capacity": [5]})
    tx = pd.DataFrame({"customer": ["a", "b"], "day": ["2024-01-01", "2024-01-02"], "amount": [10.0, 20.0]})
    small = cartera.Book(customers, managers=managers, transactions=tx)
    with pytest.raises(ValueError, match="job.worth = 'clv' needs the potential: .*no customer bought twice"):
        run_job(small, Config.from_dict({"job": {"worth": "clv"}}))


def test_the_growth_section_sets_how_potential_measures_growth(book):
    config = Config.from_dict({"growth": {"peer_quantile": 0.5, "offers": 1}})
    results = run_job(book, config)
    tiers = results.segments["tier"]
    expected = cartera.growth(book, by=tiers, spend=results.value["monetary"], policy={"peer_quantile": 0.5})
    np.testing.assert_allclose(results.potential["growth_potential"], expected["growth_potential"])
    offered = results.potential["next_products"].dropna()
    assert len(offered) > 0 and not offered.str.contains("; ").any()  # one offer each
    with pytest.raises(ValueError, match=r"growth_policy.peer_quantile \(value 2\)"):
        Config.from_dict({"growth": {"peer_quantile": 2}})


def test_the_segments_section_sets_the_tiers_every_step_reads(book, tmp_path):
    tiers = ["Bronce", "Plata", "Oro"]
    contact = cartera.ContactPolicy().to_dict()
    contact["tiers"] = tiers
    contact["cadence"] = {
        new: contact["cadence"][old] for new, old in zip(tiers, ["Genérico", "Medio", "Premium"], strict=True)
    }
    config = Config.from_dict(
        {
            "segments": {
                "tiers": tiers,
                "cuts": [0.6, 0.9],
                "score": {"monetary": 1},
                "valuable": ["Plata", "Oro"],
                "rfm_bins": 4,
            },
            "contact": contact,
            "job": {"time_budgets": True},
        }
    )
    results = run_job(book, config)
    shares = results.segments["tier"].value_counts(normalize=True)
    assert list(results.segments["tier"].cat.categories) == tiers
    assert shares["Oro"] == pytest.approx(0.10, abs=0.01) and shares["Bronce"] == pytest.approx(0.60, abs=0.01)
    # The score is monetary alone: tiers follow it.
    by_tier = results.segments.groupby("tier", observed=True)["monetary"]
    assert by_tier.min()["Oro"] >= by_tier.max()["Plata"] >= by_tier.max()["Bronce"] - 1e-9
    assert results.segments["r"].max() == 4
    assert list(results.team.tiers.index) == tiers
    # Complaints of Plata customers count as valuable now.
    complainers = results.alerts[results.alerts["alert"] == "valuable_complainer"]["customer"]
    assert set(results.segments.loc[complainers, "tier"]) <= {"Plata", "Oro"}
    assert "Plata" in set(results.segments.loc[complainers, "tier"])


def test_sections_that_disagree_or_are_wrong_are_named():
    with pytest.raises(
        ValueError, match=r"config.contact.tiers .*has no cadence for the tier 'Bronce' of \[segments\]"
    ):
        Config.from_dict({"segments": {"tiers": ["Bronce", "Oro"], "cuts": [0.8]}})
    with pytest.raises(ValueError, match=r"segments.cuts .*one cut fewer than tiers \(2\)"):
        Config.from_dict({"segments": {"cuts": [0.8]}})
    with pytest.raises(ValueError, match=r"segments.score.monetary.weigth: unknown field"):
        Config.from_dict({"segments": {"score": {"monetary": {"weigth": 2}}}})
    with pytest.raises(ValueError, match=r"segments.valuable \(value 'Gold'\): no such tier"):
        Config.from_dict({"segments": {"valuable": ["Gold"]}})
    with pytest.raises(ValueError, match=r"segments: score_policy.variables.monetary.weight \(value -1\)"):
        Config.from_dict({"segments": {"score": {"monetary": -1}}})
