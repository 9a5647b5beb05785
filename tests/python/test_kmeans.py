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


def blobs(seed: int, rows: int = 3000) -> pd.DataFrame:
    """Eight clusters of unequal size and spread in four columns of different units, the
    rows shuffled and indexed by string ids."""
    random = np.random.default_rng(seed)
    centres = random.uniform(-10, 10, size=(8, 4)) * [1, 10, 100, 1000]
    sizes = random.multinomial(rows, [0.3, 0.2, 0.15, 0.1, 0.1, 0.07, 0.05, 0.03])
    spread = random.uniform(0.5, 2.0, size=8)
    points = np.vstack(
        [
            c + random.normal(scale=s, size=(n, 4)) * [1, 10, 100, 1000]
            for c, n, s in zip(centres, sizes, spread, strict=True)
        ]
    )
    ids = [f"c{k:05d}" for k in random.permutation(rows)]
    return pd.DataFrame(points, columns=list("abcd"), index=ids)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kmeans_parallel_seeding_is_as_good_as_kmeans_plus_plus(seed):
    points = blobs(seed)
    parallel = cartera.KMeans(8, init="k-means||").fit(points)
    greedy = cartera.KMeans(8).fit(points)
    theirs = SklearnKMeans(8, n_init=4, random_state=0).fit(StandardScaler().fit_transform(points))
    assert parallel.inertia_ <= 1.01 * min(greedy.inertia_, theirs.inertia_)
    assert (parallel.predict(points) == parallel.labels_).all()
    assert np.bincount(parallel.labels_).tolist() == sorted(np.bincount(parallel.labels_).tolist(), reverse=True)
    again = pickle.loads(pickle.dumps(parallel))
    assert again.init == "k-means||" and (again.predict(points[:50]) == parallel.labels_[:50]).all()


def test_kmeans_parallel_gives_the_same_clusters_in_any_row_order():
    points = blobs(4)
    shuffled = points.sample(frac=1.0, random_state=7)
    first = cartera.KMeans(8, init="k-means||", random_state=3).fit(points)
    second = cartera.KMeans(8, init="k-means||", random_state=3).fit(shuffled)
    np.testing.assert_allclose(first.cluster_centers_, second.cluster_centers_, rtol=1e-9)
    by_id = pd.Series(first.labels_, index=points.index).reindex(shuffled.index)
    assert (by_id.to_numpy() == second.labels_).all()
    other_seed = cartera.KMeans(8, init="k-means||", random_state=4).fit(points)
    assert not np.allclose(np.sort(first.cluster_centers_, axis=0), np.sort(other_seed.cluster_centers_, axis=0))


@pytest.mark.parametrize("cut", [[3000], [1, 2999], [700, 0, 1100, 1200], [13] * 230 + [10]])
def test_kmeans_parallel_fit_from_parts_equals_the_fit_of_the_whole(cut):
    from cartera import _kmeans_parallel as parallel

    points = blobs(5)
    whole = cartera.KMeans(6, init="k-means||").fit(points)
    ends = np.cumsum([0, *cut])
    values, keys = points.to_numpy(), parallel.keys_of(points.index)
    pieces = [(values[a:b], keys[a:b]) for a, b in zip(ends[:-1], ends[1:], strict=True)]
    model = parallel.fit(lambda work: [work(p, k) for p, k in pieces], whole._options(), 4)
    np.testing.assert_allclose(model.centres, whole.cluster_centers_, rtol=1e-9)
    assert model.inertia == pytest.approx(whole.inertia_, rel=1e-9) and model.iterations == whole.n_iter_


def test_kmeans_parallel_on_repeated_rows_and_refused_options():
    repeated = pd.DataFrame({"a": [1.0, 1.0, 1.0, 2.0, 2.0], "b": [0.0, 0.0, 0.0, 5.0, 5.0]})
    fitted = cartera.KMeans(3, init="k-means||").fit(repeated)
    assert fitted.inertia_ == pytest.approx(0.0, abs=1e-12)
    assert sorted(np.bincount(fitted.labels_, minlength=3)) == [0, 2, 3]
    with pytest.raises(ValueError, match=r"kmeans.init \(value 'random'\): expected 'k-means\+\+' or 'k-means\|\|'"):
        cartera.KMeans(3, init="random").fit(repeated)
    with pytest.raises(ValueError, match=r"kmeans.rows \(value 5\): fewer rows than clusters \(6\)"):
        cartera.KMeans(6, init="k-means||").fit(repeated)
    assert cartera.KMeans(np.int64(2), init="k-means||").fit(repeated).n_iter_ >= 1  # NumPy's integers too
    with pytest.raises(ValueError, match=r"kmeans.n_clusters \(value 2.5\): must be an integer >= 1"):
        cartera.KMeans(2.5, init="k-means||").fit(repeated)
    with pytest.raises(ValueError, match=r"kmeans.tol \(value -1\): must be finite and >= 0"):
        cartera.KMeans(2, init="k-means||", tol=-1).fit(repeated)
