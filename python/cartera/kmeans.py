"""Needs-based clusters: k-means on standardised columns, scikit-learn style.

Fitted attributes end in ``_`` and the estimator pickles; the same data and
``random_state`` give the same clusters on any number of threads. ``init="k-means||"``
seeds in a way that does not depend on the rows' order or on how the book is cut, so that
:func:`cartera.dask.segment` and :func:`cartera.spark.segment` fit the same clusters.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from . import _kmeans_parallel as parallel

__all__ = ["KMeans"]


class KMeans:
    """Needs-based clusters: k-means on standardised columns.

    Parameters follow scikit-learn's KMeans; clusters are numbered by decreasing size, and
    the same data and ``random_state`` give the same clusters on any number of threads.
    ``init`` is ``"k-means++"`` (greedy k-means++, in C++) or ``"k-means||"`` (Bahmani et
    al.'s scalable k-means++, as Spark MLlib seeds: each row's draws come from a hash of its
    id — the index of a DataFrame — so the clusters do not depend on the rows' order, and
    an engine cutting the book into partitions fits the same ones).
    Fitted: ``cluster_centers_`` (original units), ``labels_``, ``inertia_`` (standardised
    units), ``n_iter_``, ``mean_``, ``scale_``.
    """

    INITS = ("k-means++", "k-means||")

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        n_init: int = 4,
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: int = 0,
        standardise: bool = True,
        threads: int = 0,
        init: str = "k-means++",
    ) -> None:
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.standardise = standardise
        self.threads = threads
        self.init = init

    @staticmethod
    def _points(X: Any) -> np.ndarray:
        points = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
        if points.ndim != 2:
            raise _core.TypeMismatchError(f"kmeans: expected a 2-dimensional table, got {points.ndim} dimensions")
        bad = ~np.isfinite(points)
        if bad.any():  # named here, where the columns have names
            row, column = (int(k) for k in np.argwhere(bad)[0])
            name = str(X.columns[column]) if isinstance(X, pd.DataFrame) else f"column {column}"
            problem = "missing value; fill or drop it first" if np.isnan(points[row, column]) else "not a finite number"
            raise _convert.invalid("kmeans", name, row, points[row, column], problem)
        return points

    def _options(self) -> parallel.Options:
        """The fit's options, checked (k-means|| fits run them from Python)."""
        if self.init not in self.INITS:
            raise _convert.invalid("kmeans", "init", None, self.init, "expected 'k-means++' or 'k-means||'")
        for name, value, low in (
            ("n_clusters", self.n_clusters, 1),
            ("n_init", self.n_init, 1),
            ("max_iter", self.max_iter, 1),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise _convert.invalid("kmeans", name, None, value, f"must be an integer >= {low}")
        if not math.isfinite(self.tol) or self.tol < 0:
            raise _convert.invalid("kmeans", "tol", None, self.tol, "must be finite and >= 0")
        return parallel.Options(
            int(self.n_clusters),
            int(self.n_init),
            int(self.max_iter),
            float(self.tol),
            int(self.random_state),
            bool(self.standardise),
        )

    def _take_fit(self, model: parallel.Model) -> KMeans:
        """Takes a k-means|| fit as this estimator's (the fitted attributes but ``labels_``)."""
        self.cluster_centers_ = model.centres
        self.mean_ = model.mean
        self.scale_ = model.scale
        self.inertia_ = model.inertia
        self.n_iter_ = model.iterations
        return self

    def fit(self, X: Any, y: Any = None) -> KMeans:
        options = self._options()
        if self.init == "k-means||":
            points = self._points(X)
            keys = parallel.keys_of(X.index if isinstance(X, pd.DataFrame) else np.arange(len(points)))
            self._take_fit(parallel.fit(lambda work: [work(points, keys)], options, points.shape[1]))
            self.labels_ = self.predict(points)
        else:
            self._fit_in_cpp(X)
        if isinstance(X, pd.DataFrame):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        return self

    def _fit_in_cpp(self, X: Any) -> None:
        raw = _core.kmeans_fit(
            self._points(X),
            self.n_clusters,
            self.n_init,
            self.max_iter,
            self.tol,
            self.random_state,
            self.standardise,
            self.threads,
        )
        self.cluster_centers_ = raw["centres"]
        self.mean_ = raw["mean"]
        self.scale_ = raw["scale"]
        self.inertia_ = raw["inertia"]
        self.n_iter_ = raw["iterations"]
        self.labels_ = raw["labels"]

    def predict(self, X: Any) -> np.ndarray:
        _convert.check_fitted(self, "cluster_centers_")
        labels, _ = _core.kmeans_predict(self._points(X), self.cluster_centers_, self.mean_, self.scale_, self.threads)
        return labels

    def score(self, X: Any, y: Any = None) -> float:
        """Minus the inertia of X (standardised units), as scikit-learn's ``score``."""
        _convert.check_fitted(self, "cluster_centers_")
        _, inertia = _core.kmeans_predict(self._points(X), self.cluster_centers_, self.mean_, self.scale_, self.threads)
        return -inertia

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        return self.fit(X).labels_
