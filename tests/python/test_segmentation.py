from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import cartera


def test_abc_by_hand():
    values = pd.Series([10, 50, 0, 4, 30, 6], index=list("abcdef"), dtype=float)
    classes = cartera.abc(values)
    assert list(classes["abc"].astype(str)) == ["B", "A", "C", "C", "A", "B"]
    assert classes.loc["e", "cumulative"] == pytest.approx(0.8)
    curve = cartera.pareto_curve(values)
    assert curve.iloc[2].tolist() == pytest.approx([2 / 6, 0.8])


def test_the_pareto_plot_marks_the_cuts():
    import matplotlib

    matplotlib.use("Agg")
    values = pd.Series([10, 50, 0, 4, 30, 6], dtype=float)
    ax = cartera.plot.pareto(values)
    xs, ys = ax.lines[0].get_data()
    assert ys[-1] == pytest.approx(1.0)
    assert "80% of value: top 33% of customers" in [t.get_text() for t in ax.texts]


def test_tiers_learned_this_month_apply_next_month():
    month = pd.DataFrame({"monetary": [10.0, 20, 30, 40, 50], "recency": [50.0, 40, 30, 20, 10]})
    scorer = cartera.TierScorer(
        [cartera.Variable("monetary", 2), cartera.Variable("recency", 1, scale="min_max", higher_is_better=False)],
        cuts=[0.4, 0.8],
    )
    tiers = scorer.fit_predict(month)
    assert list(tiers["tier"].astype(str)) == ["Genérico", "Genérico", "Medio", "Medio", "Premium"]
    assert list(tiers["rank"]) == [5, 4, 3, 2, 1]
    assert tiers["tier"].cat.ordered
    assert tiers.loc[4, "reason"].startswith("Premium: score >= ")
    # 2 × 0.8 (percentile) + 1 × 1 (min-max, reversed) over 3.
    assert tiers.loc[4, "score"] == pytest.approx((2 * 0.8 + 1) / 3)
    next_month = pd.DataFrame({"monetary": [1000.0], "recency": [5.0]}, index=["new"])
    assert scorer.predict(next_month).loc["new", "tier"] == "Premium"
    again = pickle.loads(pickle.dumps(scorer))
    pd.testing.assert_frame_equal(again.predict(month), tiers)
    with pytest.raises(ValueError, match="call fit before predict"):
        cartera.TierScorer({"monetary": 1}).predict(month)
    with pytest.raises(ValueError, match="score.monetry: unknown column; the columns are monetary, recency"):
        cartera.TierScorer({"monetry": 1}).fit(month)


def test_rfm_named_segments():
    frame = pd.DataFrame(
        {
            "recency": np.arange(1.0, 11),
            "frequency": [1.0, 1, 3, 4, 5, 6, 7, 8, 9, 10],
            "monetary": np.arange(100.0, 1100, 100),
        }
    )
    scores = cartera.RFM().fit_predict(frame)
    assert list(scores["r"]) == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert list(scores["f"]) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert scores.loc[0, "rfm"] == 511
    assert scores.loc[0, "segment"] == "New customers"
    assert scores.loc[9, "segment"] == "Can't lose them"
    custom = cartera.RFM(bins=3, segments=[("Best", "r == 3")], default_segment="Rest").fit_predict(frame)
    assert set(custom["segment"]) == {"Best", "Rest"}
    with pytest.raises(ValueError, match="rfm.monetary: missing required column"):
        cartera.RFM().fit(frame.drop(columns="monetary"))


def test_segment_gives_every_customer_every_label():
    book = cartera.synthetic_book(4000, 40)
    frame = cartera.segment(
        book,
        clusters=cartera.KMeans(4),
        rules=cartera.Rules(
            [("Cuidar", "tier == 'Premium' and stage == 'contactar'"), ("Reducir coste", "contribution < 0")]
        ),
    )
    assert frame.index.equals(book.customer_ids)
    for column in ("tier", "tier_reason", "abc", "rfm_segment", "cluster", "rule", "stage"):
        assert frame[column].notna().all(), column
    assert (frame["tier"].value_counts(normalize=True)["Premium"]) == pytest.approx(0.15, abs=0.01)
    cuidar = frame[frame["rule"] == "Cuidar"]
    assert ((cuidar["tier"] == "Premium") & (cuidar["stage"] == "contactar")).all()
    counts = cartera.subsegments(book, frame["tier"], frame["stage"])
    assert counts.to_numpy().sum() == 4000


@pytest.mark.parametrize("scale", ["min_max", "z_score", "percentile"])
def test_infinite_recency_and_trend_score_as_the_extremes(scale):
    book = cartera.synthetic_book(3000, 30, seed=2)
    value = cartera.value(book)
    assert np.isinf(value["recency"]).any() and np.isinf(value["trend"]).any()
    scorer = cartera.TierScorer(
        [cartera.Variable("trend", 1.0, scale), cartera.Variable("recency", 1.0, scale, higher_is_better=False)]
    )
    tiers = scorer.fit_predict(value)
    assert np.isfinite(tiers["score"]).all()
    assert tiers["tier"].notna().all()
    frame = cartera.segment(book, policy={"score": {"trend": {"weight": 1, "scale": scale}}})
    assert np.isfinite(frame["score"]).all()


def test_subsegments_keep_customers_with_missing_keys():
    book = cartera.synthetic_book(500, 5, seed=3)
    tiers = cartera.segment(book)["tier"].astype(object)
    tiers.iloc[:7] = None
    stages = cartera.stages(book)["stage"].astype(object)
    stages.iloc[3:9] = None
    counts = cartera.subsegments(book, tiers, stages)
    assert counts.to_numpy().sum() == 500
    assert "(none)" in counts.columns.get_level_values("segment") and "(none)" in counts.columns.get_level_values(
        "stage"
    )
