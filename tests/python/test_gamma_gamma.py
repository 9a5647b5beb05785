"""cartera.GammaGamma and lifetime value against the published CDNOW fit and lifetimes."""

import pickle

import numpy as np
import pandas as pd
import pytest

import cartera


@pytest.fixture
def cdnow_summary(shared_data):
    tx = cartera.datasets.read_cdnow(shared_data / "cdnow" / "CDNOW_sample.txt")
    book = cartera.Book(transactions=tx, extra_columns="ignore")
    return cartera.repeat_summary(book, "1997-09-30", unit="W")


def test_the_published_cdnow_spend_model(cdnow_summary):
    model = cartera.GammaGamma().fit(cdnow_summary)
    # Fader & Hardie (2013), "The Gamma-Gamma model of monetary value": p = 6.25, q = 3.74,
    # γ = 15.44, on the 946 customers with repeat purchases.
    assert model.customers_ == 946
    assert model.params_["p"] == pytest.approx(6.25, abs=0.01)
    assert model.params_["q"] == pytest.approx(3.74, abs=0.01)
    assert model.params_["gamma"] == pytest.approx(15.44, abs=0.02)
    assert model.converged_


@pytest.mark.filterwarnings("ignore:The 'mode.chained_assignment' option is deprecated")  # lifetimes on pandas 3
def test_matches_lifetimes_spend_and_lifetime_value(cdnow_summary):
    import lifetimes  # the peer, in the test extra

    repeat = cdnow_summary[cdnow_summary["frequency"] > 0]
    peer = lifetimes.GammaGammaFitter().fit(repeat["frequency"].to_numpy(), repeat["monetary_value"].to_numpy())
    model = cartera.GammaGamma().fit(cdnow_summary)
    for ours, theirs in (("p", "p"), ("q", "q"), ("gamma", "v")):
        assert model.params_[ours] == pytest.approx(peer.params_[theirs], rel=1e-4)
    peer.params_ = pd.Series({"p": model.params_["p"], "q": model.params_["q"], "v": model.params_["gamma"]})
    x, t_x, t, m = (cdnow_summary[c] for c in ("frequency", "recency", "T", "monetary_value"))
    np.testing.assert_allclose(
        model.expected_spend(cdnow_summary), peer.conditional_expected_average_profit(x, m), rtol=1e-12
    )
    purchases = cartera.BGNBD().fit(cdnow_summary)
    peer_purchases = lifetimes.BetaGeoFitter().fit(x.to_numpy(), t_x.to_numpy(), t.to_numpy())
    peer_purchases.params_ = purchases.params_.copy()  # the same model in both
    theirs = peer.customer_lifetime_value(peer_purchases, x, t_x, t, m, time=12, discount_rate=0.01, freq="W")
    ours = model.lifetime_value(purchases, cdnow_summary, periods=12, period=4.345, discount_rate=0.01)
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), rtol=1e-8)


@pytest.mark.filterwarnings("ignore:The 'mode.chained_assignment' option is deprecated")
@pytest.mark.filterwarnings("ignore:divide by zero encountered in log")  # lifetimes' predict at a horizon of 0
def test_lifetime_value_with_pareto_nbd_matches_lifetimes(cdnow_summary):
    import lifetimes

    spend = cartera.GammaGamma().fit(cdnow_summary)
    peer = lifetimes.GammaGammaFitter()
    peer.params_ = pd.Series({"p": spend.params_["p"], "q": spend.params_["q"], "v": spend.params_["gamma"]})
    purchases = cartera.ParetoNBD()
    purchases.params_ = pd.Series({"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669})  # CDNOW's, published
    peer_purchases = lifetimes.ParetoNBDFitter()
    peer_purchases.params_ = purchases.params_.copy()
    # Set by its fit; on pandas 3 lifetimes' Pareto/NBD predicts from arrays only.
    peer_purchases.predict = lambda h, *history: peer_purchases.conditional_expected_number_of_purchases_up_to_time(
        h, *(np.asarray(c) for c in history)
    )
    x, t_x, t, m = (cdnow_summary[c] for c in ("frequency", "recency", "T", "monetary_value"))
    theirs = peer.customer_lifetime_value(peer_purchases, x, t_x, t, m, time=12, discount_rate=0.01, freq="W")
    ours = spend.lifetime_value(purchases, cdnow_summary, periods=12, period=4.345, discount_rate=0.01)
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), rtol=1e-7)
    with pytest.raises(TypeError, match="purchases must be a fitted cartera.BGNBD or cartera.ParetoNBD"):
        spend.lifetime_value(peer_purchases, cdnow_summary, period=4.345)


def test_lifetime_value_in_months_of_the_summary_unit_and_pickle():
    book = cartera.synthetic_book(3000, 10, seed=5)
    days = cartera.repeat_summary(book)
    weeks = cartera.repeat_summary(book, unit="W")
    value = {}
    for name, summary in (("days", days), ("weeks", weeks)):
        spend = cartera.GammaGamma().fit(summary)
        purchases = cartera.BGNBD().fit(summary)
        value[name] = spend.lifetime_value(purchases, summary, periods=6, margin=0.3)
    # A month is a month in either unit: the same value up to the fits' tolerance.
    bought = days["purchased"]
    np.testing.assert_allclose(value["days"][bought], value["weeks"][bought], rtol=1e-3)
    assert value["days"][~bought].isna().all()
    model = cartera.GammaGamma().fit(weeks)
    assert pickle.loads(pickle.dumps(model)).params_.equals(model.params_)
    assert "GammaGamma(p=" in repr(model)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"repeat_summary.monetary_value: missing required column"):
        cartera.GammaGamma().fit(pd.DataFrame({"frequency": [1.0]}))
    with pytest.raises(ValueError, match=r"monetary_value row 1 \(value 5\): must be 0 without repeat purchases"):
        cartera.GammaGamma().fit(pd.DataFrame({"frequency": [1.0, 0.0], "monetary_value": [3.0, 5.0]}))
    with pytest.raises(ValueError, match="not fitted yet"):
        cartera.GammaGamma().expected_spend(pd.DataFrame({"frequency": [1.0], "monetary_value": [3.0]}))
    summary = pd.DataFrame(
        {"frequency": [1.0, 2.0], "recency": [1.0, 2.0], "T": [3.0, 3.0], "monetary_value": [3.0, 4.0]}
    )
    spend = cartera.GammaGamma()
    spend.params_ = pd.Series({"p": 6.0, "q": 4.0, "gamma": 15.0})
    purchases = cartera.BGNBD()
    purchases.params_ = pd.Series({"r": 0.2, "alpha": 4.0, "a": 0.8, "b": 2.4})
    with pytest.raises(ValueError, match=r"lifetime_value.period: give the period"):
        spend.lifetime_value(purchases, summary)
