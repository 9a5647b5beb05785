"""cartera.potential: the models fitted on a book, per customer, as the job uses them."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cartera


def test_potential_is_the_two_models_fitted_on_the_book(shared_data):
    tx = cartera.datasets.read_cdnow(shared_data / "cdnow" / "CDNOW_sample.txt")
    book = cartera.Book(transactions=tx, extra_columns="ignore")
    result = cartera.potential(book, "1997-09-30", horizon=364, policy={"margin": 0.3})
    assert list(result.columns) == list(cartera.POTENTIAL_COLUMNS)
    assert result.index.equals(book.customer_ids)
    summary = cartera.repeat_summary(book, "1997-09-30")  # in days, as potential fits
    purchases = cartera.BGNBD().fit(summary)
    spend = cartera.GammaGamma().fit(summary)
    pd.testing.assert_series_equal(result["p_alive"], purchases.p_alive(summary), check_names=False)
    np.testing.assert_allclose(result["expected_purchases"], purchases.expected_purchases(summary, 364), rtol=1e-12)
    np.testing.assert_allclose(result["expected_spend"], spend.expected_spend(summary), rtol=1e-12)
    # 364 days are 12 periods of 30.33 days, each discounted at 1 % a month.
    months = 364 / 12 / cartera.gamma_gamma.DAYS_PER_MONTH
    clv = spend.lifetime_value(
        purchases, summary, periods=12, period=364 / 12, discount_rate=1.01**months - 1, margin=0.3
    )
    np.testing.assert_allclose(result["clv"], clv, rtol=1e-12)
    # The weekly fit is the same model: CDNOW's published r and a, α in days.
    assert result.attrs["models"]["bg_nbd"]["r"] == pytest.approx(0.243, abs=5e-4)
    assert result.attrs["models"]["bg_nbd"]["alpha"] / 7 == pytest.approx(4.414, abs=5e-4)


def test_the_policy_can_fit_pareto_nbd_instead(shared_data):
    tx = cartera.datasets.read_cdnow(shared_data / "cdnow" / "CDNOW_sample.txt")
    book = cartera.Book(transactions=tx, extra_columns="ignore")
    result = cartera.potential(book, "1997-09-30", horizon=364, policy={"model": "pareto_nbd"})
    summary = cartera.repeat_summary(book, "1997-09-30")
    purchases = cartera.ParetoNBD().fit(summary)
    spend = cartera.GammaGamma().fit(summary)
    assert set(result.attrs["models"]) == {"pareto_nbd", "gamma_gamma"}
    # Fitted in days: CDNOW's published r and s, α and β in days (Fader, Hardie & Lee 2005).
    fitted = result.attrs["models"]["pareto_nbd"]
    assert (fitted["r"], fitted["s"]) == (pytest.approx(0.553, abs=2e-3), pytest.approx(0.606, abs=2e-3))
    assert (fitted["alpha"] / 7, fitted["beta"] / 7) == (pytest.approx(10.58, rel=5e-3), pytest.approx(11.67, rel=5e-3))
    pd.testing.assert_series_equal(result["p_alive"], purchases.p_alive(summary), check_names=False)
    np.testing.assert_allclose(result["expected_purchases"], purchases.expected_purchases(summary, 364), rtol=1e-12)
    months = 364 / 12 / cartera.gamma_gamma.DAYS_PER_MONTH
    clv = spend.lifetime_value(purchases, summary, periods=12, period=364 / 12, discount_rate=1.01**months - 1)
    np.testing.assert_allclose(result["clv"], clv, rtol=1e-12)
    # Another model of the same customers: close to BG/NBD's forecasts, not equal.
    bg_nbd = cartera.potential(book, "1997-09-30", horizon=364)
    assert not np.allclose(result["clv"].dropna(), bg_nbd["clv"].dropna(), rtol=1e-3)
    assert result["clv"].sum() == pytest.approx(bg_nbd["clv"].sum(), rel=0.1)
    with pytest.raises(
        ValueError, match=r"potential_policy.model \(value 'gamma'\): expected one of 'bg_nbd', 'pareto_nbd'"
    ):
        cartera.PotentialPolicy(model="gamma")


def test_customers_who_never_bought_are_kept_with_missing_values():
    book = cartera.synthetic_book(2000, 10, seed=3)
    result = cartera.potential(book, horizon=90)
    bought = cartera.repeat_summary(book)["purchased"]
    assert result.index.equals(book.customer_ids)
    models = ["p_alive", "expected_purchases", "expected_spend", "clv"]
    assert result.loc[~bought, models].isna().all().all()
    assert result.loc[bought, models].notna().all().all()
    assert result["growth_potential"].notna().all()  # what they could spend needs no model
    assert (result.loc[bought, "p_alive"].between(0, 1)).all()


def test_a_book_the_models_cannot_fit_is_a_clear_error():
    tx = pd.DataFrame({"customer": ["a", "b"], "day": ["2024-01-01", "2024-01-02"], "amount": [10.0, 20.0]})
    with pytest.raises(ValueError, match="no customer bought twice"):
        cartera.potential(cartera.Book(transactions=tx))
    with pytest.raises(ValueError, match=r"potential_policy.horizon_days \(value 0\): must be > 0"):
        cartera.PotentialPolicy(horizon_days=0)
    with pytest.raises(ValueError, match=r"potential_policy.speed: unknown field"):
        cartera.PotentialPolicy.from_dict({"speed": 1})


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_property_potential_keeps_every_customer_once_and_repeats_itself(seed):
    book = cartera.synthetic_book(400, 4, seed=seed)
    first = cartera.potential(book, horizon=180)
    assert first.index.equals(book.customer_ids) and first.index.is_unique
    pd.testing.assert_frame_equal(first, cartera.potential(book, horizon=180, threads=1))


def test_the_job_computes_potential_and_the_report_shows_it():
    import cartera.job
    from cartera.report import render_report

    book = cartera.synthetic_book(600, 6, seed=8)
    config = cartera.job.Config.from_dict({"potential": {"horizon_days": 180, "margin": 0.4}})
    results = cartera.job.run_job(book, config)
    assert results.potential is not None and results.potential.index.equals(book.customer_ids)
    pd.testing.assert_frame_equal(
        results.potential,
        cartera.potential(book, by=results.segments["tier"], policy={"horizon_days": 180, "margin": 0.4}),
    )
    assert "who will come back" in render_report(results)
    assert "BG/NBD and Gamma-Gamma fitted" in render_report(results)


def test_the_job_and_its_report_use_the_model_the_config_names():
    import cartera.job
    from cartera.report import render_report

    book = cartera.synthetic_book(600, 6, seed=8)
    config = cartera.job.Config.from_dict({"potential": {"model": "pareto_nbd", "horizon_days": 180}})
    results = cartera.job.run_job(book, config)
    pd.testing.assert_frame_equal(
        results.potential,
        cartera.potential(book, by=results.segments["tier"], policy={"model": "pareto_nbd", "horizon_days": 180}),
    )
    assert "pareto_nbd" in results.potential.attrs["models"]
    assert "Pareto/NBD and Gamma-Gamma fitted" in render_report(results)


def test_a_job_on_a_book_without_repeat_purchases_says_why_it_has_no_potential():
    import cartera.job
    from cartera.report import render_report

    customers = pd.DataFrame({"id": ["a", "b"], "manager": ["m", "m"]})
    managers = pd.DataFrame({"id": ["m"], "capacity": [5]})
    tx = pd.DataFrame({"customer": ["a", "b"], "day": ["2024-01-01", "2024-01-02"], "amount": [10.0, 20.0]})
    results = cartera.job.run_job(cartera.Book(customers, managers=managers, transactions=tx))
    assert results.potential is None
    assert "no customer bought twice" in results.skipped["potential"]
    assert "Not computed: potential: no customer bought twice" in render_report(results)


def test_growth_is_each_customer_against_the_quantile_of_their_group():
    book = cartera.synthetic_book(3000, 10, seed=2)
    tiers = cartera.segment(book)["tier"]
    spend = cartera.value(book)["monetary"]
    found = cartera.growth(book, by=tiers)
    peer = spend.groupby(tiers, observed=True).transform(lambda s: s.quantile(0.9))  # pandas, the brute force
    np.testing.assert_allclose(found["peer_spend"], peer, rtol=1e-12)
    np.testing.assert_allclose(found["growth_potential"], (peer - spend).clip(lower=0), rtol=1e-12, atol=1e-9)
    whole = cartera.growth(book, policy={"peer_quantile": 0.5})
    assert (whole["peer_spend"] == spend.quantile(0.5)).all()
    assert found["reason"].str.contains("of Premium|of Medio|of Genérico").all()


def test_next_products_are_what_the_peers_hold_and_the_customer_never_bought():
    book = cartera.synthetic_book(1500, 6, seed=4)
    tiers = cartera.segment(book)["tier"]
    offers = cartera.next_products(book, by=tiers, policy={"offers": 2, "min_lift": 1.0, "min_share": 0.05})
    tx = book.table("transactions")
    held = pd.crosstab(tx["customer"], tx["product"]).reindex(book.customer_ids, fill_value=0) > 0
    share = held.groupby(tiers, observed=True).mean()
    overall = held.mean()
    expected = []
    for customer in book.customer_ids:
        group = share.loc[tiers[customer]]
        candidates = [
            p for p in held.columns if not held.at[customer, p] and group[p] >= 0.05 and group[p] / overall[p] >= 1.0
        ]
        candidates.sort(key=lambda p: -group[p])  # stable: ties keep the products' order
        expected += [(customer, p) for p in candidates[:2]]
    assert list(zip(offers["customer"], offers["product"], strict=True)) == expected
    assert (offers["lift"] >= 1.0).all() and offers["reason"].str.contains(r"× the book's").all()


def test_a_book_without_products_has_no_next_products_but_everything_else():
    book = cartera.synthetic_book(1500, 6, seed=4)
    tx = book.table("transactions").drop(columns=["product"])
    bare = cartera.Book(book.table("customers")[[]].reset_index().rename(columns={"customer": "id"}), transactions=tx)
    assert book.has_products and not bare.has_products
    found = cartera.potential(bare)
    assert found["next_products"].isna().all()
    assert found["p_alive"].notna().any()
