from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans as SklearnKMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

import cartera


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


def test_kmeans_refuses_missing_values_by_row_and_column():
    X = pd.DataFrame({"a": [0.0, 1.0, 10.0, 11.0], "b": [0.0, 1.0, 10.0, 11.0]})
    model = cartera.KMeans(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match=r"kmeans.b row 1 \(value nan\): missing value; fill or drop it first"):
        model.predict(pd.DataFrame({"a": [0.0, 1.0], "b": [0.0, np.nan]}))
    with pytest.raises(ValueError, match=r"kmeans.a row 2 \(value inf\): not a finite number"):
        cartera.KMeans(2).fit(X.assign(a=[0.0, 1.0, np.inf, 3.0]))
