"""cartera.ParetoNBD against the published CDNOW fit and against lifetimes, the peer."""

import pickle

import numpy as np
import pandas as pd
import pytest

import cartera


@pytest.fixture
def cdnow(shared_data):
    summary = pd.read_csv(shared_data / "cdnow" / "cdnow_customers_summary.csv", index_col="ID")
    return summary[["frequency", "recency", "T"]]


def test_the_published_cdnow_estimates(cdnow):
    model = cartera.ParetoNBD().fit(cdnow)
    # Fader, Hardie & Lee (2005), "A note on implementing the Pareto/NBD model in MATLAB":
    # r = 0.55, α = 10.58, s = 0.61, β = 11.67, LL −9,595.0 (our maximum, −9,594.974, is a
    # hair higher than the note's −9,594.98).
    assert model.params_.round(2).to_dict() == {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67}
    assert round(model.log_likelihood_, 1) == -9595.0
    assert model.converged_
    # BG/NBD explains the same customers slightly better, as the paper finds.
    assert cartera.BGNBD().fit(cdnow).log_likelihood_ > model.log_likelihood_


@pytest.mark.filterwarnings("ignore:The 'mode.chained_assignment' option is deprecated")  # lifetimes on pandas 3
def test_matches_lifetimes_likelihood_fit_and_predictions(cdnow):
    import lifetimes  # the peer, in the test extra

    x, t_x, t = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    peer = lifetimes.ParetoNBDFitter().fit(x, t_x, t)
    model = cartera.ParetoNBD().fit(cdnow)
    for name in ("r", "alpha", "s", "beta"):
        assert model.params_[name] == pytest.approx(peer.params_[name], rel=1e-3)
    at_theirs = np.sum(lifetimes.ParetoNBDFitter._conditional_log_likelihood(list(peer.params_), x, t_x, t))
    assert model.log_likelihood_ >= at_theirs - 1e-9  # a maximum at least as high
    # The same parameters in both: the likelihood (lifetimes' 2F1 against our quadrature)
    # and the predictions agree to the last digits.
    peer.params_ = model.params_.copy()
    theirs = lifetimes.ParetoNBDFitter._conditional_log_likelihood(list(model.params_), x, t_x, t)
    assert model.log_likelihood(cdnow) == pytest.approx(float(np.sum(theirs)), rel=1e-10)
    # (lifetimes takes P(alive) from a difference of two 2F1 terms: 2e-9 relative at 1e-8)
    np.testing.assert_allclose(model.p_alive(cdnow), peer.conditional_probability_alive(x, t_x, t), rtol=1e-8)
    np.testing.assert_allclose(
        model.expected_purchases(cdnow, 39),
        peer.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, t),
        rtol=1e-8,
    )


def test_through_the_book_repeat_summary_weights_and_pickle():
    book = cartera.synthetic_book(3000, 10, seed=4)
    summary = cartera.repeat_summary(book, unit="W")
    model = cartera.ParetoNBD(threads=1).fit(summary)
    again = pickle.loads(pickle.dumps(model))
    pd.testing.assert_series_equal(again.params_, model.params_)
    p_alive = model.p_alive(summary)
    assert p_alive.index.equals(book.customer_ids)
    assert p_alive[~summary["purchased"]].isna().all()  # no first purchase, no model
    assert p_alive[summary["purchased"]].between(0, 1).all()
    assert cartera.ParetoNBD(threads=2).fit(summary).params_.equals(model.params_)  # threads change nothing
    # Distinct histories with their counts fit as the customers themselves, to the last bit.
    bought = summary[summary["purchased"]]
    counted = bought.groupby(["frequency", "recency", "T"]).size().rename("weight").reset_index()
    weighted = cartera.ParetoNBD().fit(counted, sample_weight=counted["weight"])
    assert weighted.params_.to_dict() == model.params_.to_dict()
    assert "ParetoNBD(r=" in repr(model)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"repeat_summary.T: missing required column"):
        cartera.ParetoNBD().fit(pd.DataFrame({"frequency": [1.0], "recency": [1.0]}))
    with pytest.raises(ValueError, match=r"recency row 0 \(value 5\): is past T \(3\)"):
        cartera.ParetoNBD().fit(pd.DataFrame({"frequency": [1.0], "recency": [5.0], "T": [3.0]}))
    with pytest.raises(ValueError, match="not fitted yet"):
        cartera.ParetoNBD().p_alive(pd.DataFrame({"frequency": [1.0], "recency": [1.0], "T": [3.0]}))
    with pytest.raises(ValueError, match=r"ParetoNBD.speed \(value 2\): unknown parameter"):
        cartera.ParetoNBD().set_params(speed=2)
