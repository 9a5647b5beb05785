"""Needs-based clusters: k-means on standardised columns, scikit-learn style.

Fitted attributes end in ``_`` and the estimator pickles; the same data and
``random_state`` give the same clusters on any number of threads.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core

__all__ = ["KMeans"]


class KMeans:
    """Needs-based clusters: k-means with greedy k-means++ seeding on standardised columns.

    Parameters follow scikit-learn's KMeans; clusters are numbered by decreasing size, and
    the same data and ``random_state`` give the same clusters on any number of threads.
    Fitted: ``cluster_centers_`` (original units), ``labels_``, ``inertia_`` (standardised
    units), ``n_iter_``, ``mean_``, ``scale_``.
    """

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
    ) -> None:
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.standardise = standardise
        self.threads = threads

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

    def fit(self, X: Any, y: Any = None) -> KMeans:
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
        if isinstance(X, pd.DataFrame):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        return self

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
