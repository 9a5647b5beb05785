"""The needs-based clusters of a partitioned book, on any engine: the segments' points as
:func:`cartera.segment` prepares them (infinities and missing values set to the column's
largest value in the whole book), k-means|| fitted from the partitions' summaries, and
each partition's clusters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from . import _kmeans_parallel as parallel
from .kmeans import KMeans

# Applies a function of one partition (a pandas frame indexed by customer) to every
# partition of an engine's frame; returns the results in the partitions' order.
Partitions = Callable[[Callable[[pd.DataFrame], Any]], list[Any]]


def points(frame: pd.DataFrame, columns: Sequence[str], fill: np.ndarray) -> np.ndarray:
    """A partition's points: the columns, with what is not a finite number set to ``fill``."""
    values = frame[list(columns)].to_numpy(dtype=np.float64, copy=True)
    missing = ~np.isfinite(values)
    values[missing] = np.broadcast_to(fill, values.shape)[missing]
    return values


def _largest(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    values = frame[list(columns)].to_numpy(dtype=np.float64)
    values = np.where(np.isfinite(values), values, -np.inf)
    return values.max(axis=0, initial=-np.inf)


def fills(partitions: Partitions, columns: Sequence[str]) -> np.ndarray:
    """Each column's largest finite value in the whole book: who never bought is as far as
    the farthest who did."""
    largest = np.max(partitions(lambda frame: _largest(frame, columns)), axis=0)
    for column, value in zip(columns, largest, strict=True):
        if not np.isfinite(value):
            raise _convert.invalid("kmeans", column, None, np.nan, "no customer has a value: nothing to cluster on")
    return np.asarray(largest, dtype=np.float64)


def fit(partitions: Partitions, clusters: KMeans, columns: Sequence[str]) -> np.ndarray:
    """Fits ``clusters`` in place on the whole book (unless already fitted) by k-means||,
    and returns the fill values."""
    fill = fills(partitions, columns)
    if hasattr(clusters, "cluster_centers_"):
        return fill
    if clusters.init != "k-means||":
        raise _convert.invalid(
            "kmeans",
            "init",
            None,
            clusters.init,
            "k-means++ draws rows by their place in one table; on an engine use KMeans(init='k-means||'), "
            "which gives the same clusters on one machine, or a KMeans already fitted",
        )

    def on_points(work: Callable[[np.ndarray, np.ndarray], Any]) -> list[Any]:
        return partitions(lambda frame: work(points(frame, columns, fill), parallel.keys_of(frame.index)))

    clusters._take_fit(parallel.fit(on_points, clusters._options(), len(columns)))
    clusters.feature_names_in_ = np.asarray(list(columns), dtype=object)
    return fill


def with_clusters(frame: pd.DataFrame, columns: Sequence[str], fill: np.ndarray, clusters: KMeans) -> pd.DataFrame:
    """A partition with its customers' ``cluster``."""
    labels, _ = _core.kmeans_predict(
        points(frame, columns, fill), clusters.cluster_centers_, clusters.mean_, clusters.scale_, 1
    )
    return frame.assign(cluster=np.asarray(labels))
