"""k-means|| (Bahmani, Moseley, Vattani, Kumar & Vassilvitskii 2012, "Scalable K-Means++"):
clusters of a book cut into parts, fitted from what each part sends back (its moments, the
candidates it samples, its clusters' sums), so that one machine and an engine fit the same
clusters.

Every random draw belongs to a customer, not to a position: a row's uniform number is a
hash of its key (a hash of the customer's id), the seed, the restart and the round, and
ties are broken by key, so the same rows are drawn however the book is cut and ordered.
What differs between cuts is the order in which the floating sums are added (a relative
1e-15 or so); a row whose two nearest centres are that close to equidistant may change
cluster.

Each restart is seeded by ``ROUNDS`` rounds that sample about ``OVERSAMPLING`` × clusters
rows each, with probability proportional to their squared distance to the candidates so
far; the candidates, weighted by the rows nearest to them, are reduced to the clusters on
the driver by greedy k-means++ and Lloyd; then Lloyd runs on the whole book, one pass per
iteration, every restart in the same pass. The stopping rule and the relocation of empty
clusters are those of :class:`cartera.KMeans`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _convert

OVERSAMPLING = 2  # Bahmani et al.'s ℓ = 2k candidates a round
ROUNDS = 5

# Applies a function of one part's (points, keys) to every part; returns the results in
# the parts' order.
Parts = Callable[[Callable[[np.ndarray, np.ndarray], Any]], list[Any]]

_MASK = (1 << 64) - 1


def keys_of(ids: Any) -> np.ndarray:
    """The draws' keys of the rows: a hash of each customer's id (pandas' own, stable
    across processes and machines)."""
    return pd.util.hash_array(np.asarray(ids)).astype(np.uint64)


def _mix(z: np.ndarray) -> np.ndarray:
    # SplitMix64's finaliser (Steele, Lea & Flood 2014), wrapping in uint64.
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def uniforms(keys: np.ndarray, seed: int, restart: int, draw: int) -> np.ndarray:
    """A uniform number in [0, 1) for every key, the same for the same key, seed, restart
    and draw."""
    stream = int(_mix(np.array([(seed * 1_000_003 + restart) & _MASK], dtype=np.uint64))[0])
    stream = int(_mix(np.array([(stream + draw * 0x9E3779B97F4A7C15) & _MASK], dtype=np.uint64))[0])
    mixed = _mix(keys ^ np.uint64(stream))
    return (mixed >> np.uint64(11)).astype(np.float64) * 2.0**-53


def nearest(x: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's nearest centre (the first of equals) and squared distance to it, from
    ‖c‖² − 2 x·c + ‖x‖² as :class:`cartera.KMeans` computes them."""
    if not len(x):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    partial = (centres * centres).sum(axis=1) - 2.0 * (x @ centres.T)
    labels = partial.argmin(axis=1)
    distance = np.maximum(0.0, partial[np.arange(len(x)), labels] + (x * x).sum(axis=1))
    return labels, distance


@dataclass(frozen=True)
class Options:
    clusters: int
    restarts: int
    max_iterations: int
    tolerance: float
    seed: int
    standardise: bool


@dataclass
class Model:
    """A fit: the centres in the original units (numbered by decreasing size), the
    standardisation, the inertia (standardised units), the iterations of the restart kept."""

    centres: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    inertia: float
    iterations: int
    restart: int


def _farthest(distance: np.ndarray, keys: np.ndarray, count: int) -> np.ndarray:
    """The positions of the ``count`` rows farthest from their centre, ties by key."""
    if len(distance) > count:
        cut = np.partition(distance, len(distance) - count)[len(distance) - count]
        chosen = np.flatnonzero(distance >= cut)
    else:
        chosen = np.arange(len(distance))
    order = np.lexsort((keys[chosen], -distance[chosen]))
    return chosen[order[:count]]


def _moments(x: np.ndarray, _: np.ndarray) -> tuple[int, np.ndarray]:
    return len(x), x.sum(axis=0)


def _weighted_seeds(points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ on weighted candidates: each new centre the best of 2 + ⌊ln k⌋
    drawn with probability proportional to weight × squared distance."""
    trials = 2 + int(math.log(k))
    m = len(points)
    chosen = [int(rng.choice(m, p=weights / weights.sum()))]
    closest = ((points - points[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(1, k):
        potential = weights * closest
        total = potential.sum()
        if total > 0:
            picks = np.minimum(m - 1, np.searchsorted(np.cumsum(potential), rng.random(trials) * total, side="right"))
        else:
            picks = rng.integers(m, size=trials)
        best, best_closest, best_potential = int(picks[0]), closest, math.inf
        for pick in picks:
            candidate = np.minimum(closest, ((points - points[pick]) ** 2).sum(axis=1))
            value = float((weights * candidate).sum())
            if value < best_potential:
                best, best_closest, best_potential = int(pick), candidate, value
        chosen.append(best)
        closest = best_closest
    return points[chosen].copy()


def _weighted_lloyd(
    points: np.ndarray, weights: np.ndarray, centres: np.ndarray, options: Options, limit: float
) -> np.ndarray:
    for _ in range(options.max_iterations):
        labels, distance = nearest(points, centres)
        totals = np.bincount(labels, weights=weights, minlength=len(centres))
        sums = np.stack(
            [
                np.bincount(labels, weights=weights * points[:, j], minlength=len(centres))
                for j in range(points.shape[1])
            ],
            axis=1,
        )
        following = centres.copy()
        filled = totals > 0
        following[filled] = sums[filled] / totals[filled, None]
        for c in np.flatnonzero(~filled):  # an empty cluster takes the farthest candidate
            far = int(np.argmax(distance))
            following[c] = points[far]
            distance[far] = 0.0
        shift = float(((following - centres) ** 2).sum())
        centres = following
        if shift <= limit:
            break
    return centres


def _cluster_sums(x: np.ndarray, keys: np.ndarray, centres: Sequence[np.ndarray]) -> list[tuple[Any, ...]]:
    """One Lloyd pass of a part, for every restart: the clusters' sums and counts, and the
    rows farthest from their centre (for the clusters left empty)."""
    out = []
    for c in centres:
        labels, distance = nearest(x, c)
        counts = np.bincount(labels, minlength=len(c))
        sums = np.stack([np.bincount(labels, weights=x[:, j], minlength=len(c)) for j in range(x.shape[1])], axis=1)
        far = _farthest(distance, keys, len(c))
        out.append((sums, counts, distance[far], keys[far], x[far]))
    return out


def _sampled(
    x: np.ndarray, keys: np.ndarray, centres: list[np.ndarray], costs: np.ndarray, o: Options, rows: int, draw: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """A part's rows drawn in one seeding round, for every restart: each with probability
    ℓ × its squared distance to the candidates so far over the whole book's."""
    out = []
    for r, c in enumerate(centres):
        distance = nearest(x, c)[1]
        u = uniforms(keys, o.seed, r, draw)
        if costs[r] > 0:
            wanted = u < OVERSAMPLING * o.clusters * distance / costs[r]
        else:  # every row on a candidate: any row will do
            wanted = u < OVERSAMPLING * o.clusters / rows
        out.append((keys[wanted], x[wanted]))
    return out


class _Fit:
    """One fit's state on the driver; ``parts`` runs each pass on the parts."""

    def __init__(self, parts: Parts, options: Options, columns: int) -> None:
        self.parts = parts
        self.options = options
        self.mean = np.zeros(columns)
        self.scale = np.ones(columns)

    def each_part(self, work: Callable[..., Any], *args: Any) -> list[Any]:
        """One pass: ``work(points, keys, *args)`` on every part, in standardised units."""
        mean, scale = self.mean, self.scale

        def standardised(points: np.ndarray, keys: np.ndarray) -> Any:
            return work((points - mean) / scale, keys, *args)

        return self.parts(standardised)

    def standardise(self) -> float:
        """Fits the standardisation; returns the mean variance of the standardised columns."""
        counts, sums = zip(*self.each_part(_moments), strict=True)
        n = sum(counts)
        if n < self.options.clusters:
            raise _convert.invalid("kmeans", "rows", None, n, f"fewer rows than clusters ({self.options.clusters})")
        self.rows = n
        mean = np.sum(sums, axis=0) / n
        squares = np.sum(self.each_part(lambda x, _k, m: ((x - m) ** 2).sum(axis=0), mean), axis=0)
        variance = squares / n
        if self.options.standardise:
            self.mean = mean
            self.scale = np.where(variance > 0, np.sqrt(variance), 1.0)
            return float((variance / self.scale**2).sum() / len(variance))
        return float(variance.sum() / len(variance))

    def seeds(self, limit: float) -> list[np.ndarray]:
        """Every restart's initial centres, from the candidates sampled in the rounds."""
        o, rows = self.options, self.rows
        restarts = range(o.restarts)

        def first(x: np.ndarray, keys: np.ndarray) -> list[tuple[float, int, np.ndarray] | None]:
            if not len(x):
                return [None for _ in restarts]
            out: list[tuple[float, int, np.ndarray] | None] = []
            for r in restarts:
                u = uniforms(keys, o.seed, r, 0)
                at = int(np.lexsort((keys, u))[0])
                out.append((float(u[at]), int(keys[at]), x[at]))
            return out

        found = self.each_part(first)
        candidates = [[min((p[r] for p in found if p[r] is not None), key=lambda t: (t[0], t[1]))[2]] for r in restarts]
        for round_ in range(1, ROUNDS + 1):
            so_far = [np.array(c) for c in candidates]
            costs = np.sum(self.each_part(lambda x, _k, cs: [nearest(x, c)[1].sum() for c in cs], so_far), axis=0)

            drawn = self.each_part(_sampled, so_far, costs, o, rows, round_)
            for r in restarts:
                keys = np.concatenate([p[r][0] for p in drawn])
                points = np.concatenate([p[r][1] for p in drawn])
                candidates[r].extend(points[np.argsort(keys, kind="stable")])
        pools = [np.array(c) for c in candidates]
        nearest_counts = self.each_part(
            lambda x, _k, cs: [np.bincount(nearest(x, c)[0], minlength=len(c)) for c in cs], pools
        )
        starts = []
        for r in restarts:
            pool = pools[r]
            weight = np.sum([p[r] for p in nearest_counts], axis=0).astype(np.float64)
            if len(pool) < o.clusters:  # too few distinct rows: repeats, emptied by Lloyd
                pool = np.concatenate([pool, np.repeat(pool[:1], o.clusters - len(pool), axis=0)])
                weight = np.concatenate([weight, np.zeros(o.clusters - len(weight))])
            rng = np.random.default_rng([o.seed, r])
            starts.append(_weighted_lloyd(pool, weight, _weighted_seeds(pool, weight, o.clusters, rng), o, limit))
        return starts

    def lloyd(self, starts: list[np.ndarray], limit: float) -> tuple[list[np.ndarray], list[int]]:
        """Lloyd on the whole book from each restart's start, the restarts side by side."""
        centres = list(starts)
        iterations = [0] * len(centres)
        running = list(range(len(centres)))
        while running:
            found = self.each_part(_cluster_sums, [centres[r] for r in running])
            still = []
            for slot, r in enumerate(running):
                parts = [p[slot] for p in found]
                sums = np.sum([p[0] for p in parts], axis=0)
                counts = np.sum([p[1] for p in parts], axis=0)
                following = centres[r].copy()
                filled = counts > 0
                following[filled] = sums[filled] / counts[filled, None]
                empty = np.flatnonzero(~filled)
                if len(empty):  # each takes the next farthest row, as cartera.KMeans does
                    distance = np.concatenate([p[2] for p in parts])
                    keys = np.concatenate([p[3] for p in parts])
                    rows = np.concatenate([p[4] for p in parts])
                    order = np.lexsort((keys, -distance))
                    following[empty] = rows[order[: len(empty)]]
                shift = float(((following - centres[r]) ** 2).sum())
                centres[r] = following
                iterations[r] += 1
                if shift > limit and iterations[r] < self.options.max_iterations:
                    still.append(r)
            running = still
        return centres, iterations

    def best(self, centres: list[np.ndarray], iterations: list[int]) -> Model:
        """The restart of lowest inertia (the first of equals), its clusters numbered by
        decreasing size (ties by centre order)."""

        def inertias(x: np.ndarray, _k: np.ndarray, cs: list[np.ndarray]) -> list[tuple[float, np.ndarray]]:
            out = []
            for c in cs:
                labels, distance = nearest(x, c)
                out.append((float(distance.sum()), np.bincount(labels, minlength=len(c))))
            return out

        found = self.each_part(inertias, centres)
        inertia = [sum(p[r][0] for p in found) for r in range(len(centres))]
        r = int(np.argmin(inertia))
        order = np.argsort(-np.sum([p[r][1] for p in found], axis=0), kind="stable")
        return Model(
            centres=centres[r][order] * self.scale + self.mean,
            mean=self.mean,
            scale=self.scale,
            inertia=inertia[r],
            iterations=iterations[r],
            restart=r,
        )


def fit(parts: Parts, options: Options, columns: int) -> Model:
    """k-means|| on the points the parts hold (``columns`` of them, finite)."""
    state = _Fit(parts, options, columns)
    limit = options.tolerance * state.standardise()
    centres, iterations = state.lloyd(state.seeds(limit), limit)
    return state.best(centres, iterations)
