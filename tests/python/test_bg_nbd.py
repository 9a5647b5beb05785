"""cartera.BGNBD against the published CDNOW fit and against lifetimes, the peer."""

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
    model = cartera.BGNBD().fit(cdnow)
    # Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL −9,582.4.
    assert model.params_.round(3).to_dict() == {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert round(model.log_likelihood_, 1) == -9582.4
    assert model.converged_


@pytest.mark.filterwarnings("ignore:The 'mode.chained_assignment' option is deprecated")  # lifetimes on pandas 3
def test_matches_lifetimes_fit_and_predictions(cdnow):
    import lifetimes  # the peer, in the test extra

    x, t_x, t = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    peer = lifetimes.BetaGeoFitter().fit(x, t_x, t)
    model = cartera.BGNBD().fit(cdnow)
    for name in ("r", "alpha", "a", "b"):
        assert model.params_[name] == pytest.approx(peer.params_[name], rel=1e-4)
    # The same parameters in both: predictions agree to the last digits.
    peer.params_ = model.params_.copy()
    np.testing.assert_allclose(model.p_alive(cdnow), peer.conditional_probability_alive(x, t_x, t), rtol=1e-10)
    np.testing.assert_allclose(
        model.expected_purchases(cdnow, 39),
        peer.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, t),
        rtol=1e-8,
    )


def test_through_the_book_repeat_summary_and_pickle():
    book = cartera.synthetic_book(3000, 10, seed=4)
    summary = cartera.repeat_summary(book, unit="W")
    model = cartera.BGNBD(threads=1).fit(summary)
    again = pickle.loads(pickle.dumps(model))
    pd.testing.assert_series_equal(again.params_, model.params_)
    p_alive = model.p_alive(summary)
    assert p_alive.index.equals(book.customer_ids)
    assert p_alive[~summary["purchased"]].isna().all()  # no first purchase, no model
    assert p_alive[summary["purchased"]].between(0, 1).all()
    assert cartera.BGNBD(threads=2).fit(summary).params_.equals(model.params_)  # threads change nothing
    assert model.get_params()["threads"] == 1
    assert "BGNBD(r=" in repr(model)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"repeat_summary.T: missing required column"):
        cartera.BGNBD().fit(pd.DataFrame({"frequency": [1.0], "recency": [1.0]}))
    with pytest.raises(ValueError, match=r"recency row 0 \(value 5\): is past T \(3\)"):
        cartera.BGNBD().fit(pd.DataFrame({"frequency": [1.0], "recency": [5.0], "T": [3.0]}))
    with pytest.raises(ValueError, match="not fitted yet"):
        cartera.BGNBD().p_alive(pd.DataFrame({"frequency": [1.0], "recency": [1.0], "T": [3.0]}))
    with pytest.raises(ValueError, match=r"BGNBD.speed \(value 2\): unknown parameter"):
        cartera.BGNBD().set_params(speed=2)
