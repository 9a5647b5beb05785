from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans as SklearnKMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

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


def test_rules_first_match_wins_and_errors_point_at_the_mistake():
    frame = pd.DataFrame(
        {"margin": [5.0, -1, 3], "tier": ["Premium", "Medio", "Medio"], "declining": [False, True, False]}
    )
    rules = cartera.Rules([("VIP", "tier == 'Premium' and margin > 0"), ("Watch", "declining")], default="Other")
    labelled = rules.predict(frame)
    assert list(labelled["label"].astype(str)) == ["VIP", "Watch", "Other"]
    assert list(labelled["reason"].astype(str)) == [
        "rule 0: tier == 'Premium' and margin > 0",
        "rule 1: declining",
        "default",
    ]
    with pytest.raises(ValueError, match=r'rules.0 \(value \'X\'\): rule "margin >": position 9: expected a number'):
        cartera.Rules([("X", "margin >")])
    with pytest.raises(ValueError, match='unknown column "marg"; the columns are margin, tier, declining'):
        cartera.Rules([("X", "marg > 1")]).predict(frame)


def test_kmeans_matches_scikit_learn_on_separated_data():
    random = np.random.default_rng(4)
    centres = np.array([[0, 0, 0], [8, 0, 0], [0, 8, 0], [0, 0, 8], [8, 8, 8]], dtype=float)
    points = np.vstack([c + random.normal(scale=0.5, size=(400, 3)) for c in centres])
    ours = cartera.KMeans(5, random_state=1).fit(points)
    theirs = SklearnKMeans(5, n_init=4, random_state=1).fit(StandardScaler().fit_transform(points))
    assert adjusted_rand_score(ours.labels_, theirs.labels_) == 1.0
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=1e-9)
    assert (ours.predict(points) == ours.labels_).all()
    assert -ours.score(points) == pytest.approx(ours.inertia_)
    again = pickle.loads(pickle.dumps(ours))
    assert (again.predict(points[:50]) == ours.labels_[:50]).all()


def test_kmeans_inertia_within_one_percent_of_scikit_learn_on_real_data(shared_data):
    invoices = cartera.datasets.read_online_retail(shared_data / "online_retail" / "online_retail.parquet")
    value = cartera.value(cartera.Book(transactions=invoices, extra_columns="ignore"))
    features = np.log1p(value[["recency", "frequency", "monetary", "monetary_mean"]].clip(lower=0))
    ours = cartera.KMeans(6, n_init=10, random_state=0).fit(features)
    scaled = StandardScaler().fit_transform(features)
    theirs = SklearnKMeans(6, n_init=10, random_state=0).fit(scaled)
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=0.01)
    assert ours.cluster_centers_.shape == (6, 4)
    assert np.bincount(ours.labels_).tolist() == sorted(np.bincount(ours.labels_).tolist(), reverse=True)


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


def test_kmeans_refuses_missing_values_by_row_and_column():
    X = pd.DataFrame({"a": [0.0, 1.0, 10.0, 11.0], "b": [0.0, 1.0, 10.0, 11.0]})
    model = cartera.KMeans(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match=r"kmeans.b row 1 \(value nan\): missing value; fill or drop it first"):
        model.predict(pd.DataFrame({"a": [0.0, 1.0], "b": [0.0, np.nan]}))
    with pytest.raises(ValueError, match=r"kmeans.a row 2 \(value inf\): not a finite number"):
        cartera.KMeans(2).fit(X.assign(a=[0.0, 1.0, np.inf, 3.0]))


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
