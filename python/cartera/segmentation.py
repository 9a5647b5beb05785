"""Segmentation: tiers by weighted score, ABC / Pareto, RFM, needs-based clusters and rules.

The estimators follow scikit-learn's conventions: ``fit`` learns the cut points (and
centres) on one set of customers, ``predict`` applies them to any other, fitted attributes
end in ``_``, and they pickle. Every label comes with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .kmeans import KMeans
from .rules import Rules
from .stages import stages as _stages
from .value import ValuePolicy, _as_of
from .value import value as _value

__all__ = [
    "RFM",
    "SegmentPolicy",
    "TierScorer",
    "Variable",
    "abc",
    "pareto_curve",
    "segment",
    "subsegments",
]

_SCALES = ("min_max", "z_score", "percentile")


@dataclass(frozen=True)
class Variable:
    """One variable of a score: its column, weight, scaling ("min_max", "z_score" or
    "percentile") and direction (``higher_is_better=False`` for recency or cost)."""

    column: str
    weight: float = 1.0
    scale: str = "percentile"
    higher_is_better: bool = True

    def as_dict(self) -> dict[str, Any]:
        if self.scale not in _SCALES:
            raise _core.InvalidInputError(
                f"score.{self.column}.scale (value {self.scale!r}): expected one of {', '.join(_SCALES)}"
            )
        return {
            "column": self.column,
            "weight": float(self.weight),
            "scale": self.scale,
            "higher_is_better": bool(self.higher_is_better),
        }


class TierScorer:
    """The "Clienting" ranking: a weighted score of normalised variables, a rank and tiers.

    Parameters
    ----------
    variables : mapping or sequence
        ``{"monetary": 2, "frequency": 1}`` (weights, percentile scaling, higher is better),
        or :class:`Variable` items for other scalings and directions.
    tiers : sequence of str
        From the lowest score to the highest; default Genérico, Medio, Premium.
    cuts : sequence of float
        One fewer than tiers: quantiles of the fitted scores (default 0.5, 0.85: half the
        customers Genérico, 15 % Premium), or scores when ``quantile_cuts=False``.
    reason_variables : int
        How many of the largest contributions each reason names.

    Value ("fit") and engagement can be scored apart and combined: score each, put the two
    scores in a frame, and score that.
    """

    def __init__(
        self,
        variables: Mapping[str, float] | Sequence[Variable],
        *,
        tiers: Sequence[str] | None = None,
        cuts: Sequence[float] | None = None,
        quantile_cuts: bool = True,
        reason_variables: int | None = None,
    ) -> None:
        self.variables = variables
        self.tiers = tiers
        self.cuts = cuts
        self.quantile_cuts = quantile_cuts
        self.reason_variables = reason_variables

    def _policy(self) -> tuple[list[dict[str, Any]], Any, Any, bool, int]:
        items = (
            [Variable(column, weight) for column, weight in self.variables.items()]
            if isinstance(self.variables, Mapping)
            else list(self.variables)
        )
        defaults = _core.SCORE_DEFAULTS
        reasons = defaults["reason_variables"] if self.reason_variables is None else self.reason_variables
        tiers = None if self.tiers is None else list(self.tiers)
        cuts = None if self.cuts is None else [float(c) for c in self.cuts]
        return [v.as_dict() for v in items], tiers, cuts, self.quantile_cuts, int(reasons)

    def _inputs(self, X: pd.DataFrame, policy: list[dict[str, Any]]) -> dict[str, Any]:
        # Only the score's columns cross over; with one missing, all do, so the core's error
        # can list the columns there are.
        wanted = list(dict.fromkeys(v["column"] for v in policy))
        return _convert.core_columns(X[wanted] if all(c in X.columns for c in wanted) else X)

    def fit(self, X: pd.DataFrame, y: Any = None) -> TierScorer:
        policy = self._policy()
        self.model_ = _core.score_fit(self._inputs(X, policy[0]), len(X), *policy)
        self.thresholds_ = np.asarray(self.model_["thresholds"])
        return self

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:
        """``score``, ``rank`` (1 = best), ``tier`` and ``reason`` per row of X."""
        _convert.check_fitted(self, "model_")
        policy = self._policy()
        return self._frame(_core.score_apply(self._inputs(X, policy[0]), len(X), *policy, self.model_), X.index)

    def fit_predict(self, X: pd.DataFrame, y: Any = None) -> pd.DataFrame:
        """fit then predict on the same rows, in one pass."""
        policy = self._policy()
        self.model_, raw = _core.score_fit_apply(self._inputs(X, policy[0]), len(X), *policy)
        self.thresholds_ = np.asarray(self.model_["thresholds"])
        return self._frame(raw, X.index)

    @staticmethod
    def _frame(raw: dict[str, Any], index: pd.Index) -> pd.DataFrame:
        tiers = _convert.categorical(raw["tier"]).as_ordered()
        return _convert.frame(
            {"score": raw["score"], "rank": raw["rank"], "tier": tiers, "reason": _convert.categorical(raw["reason"])},
            index=index,
        )


def abc(values: pd.Series, *, a: float = 0.80, b: float = 0.95) -> pd.DataFrame:
    """ABC classes by cumulative share of ``values`` (highest first, ties by order).

    A customer is A while the share of value before them is below ``a``, B while below
    ``b``, else C; values of 0 or less are C. Returns ``abc``, ``rank``, ``share`` and
    ``cumulative`` (share up to and including the customer), indexed like ``values``.
    """
    raw = _core.classify_abc(np.asarray(values, dtype=np.float64), a, b)
    return _convert.frame(
        {
            "abc": _convert.categorical(raw["abc"]).as_ordered(),
            "rank": raw["rank"],
            "share": raw["share"],
            "cumulative": raw["cumulative"],
        },
        index=values.index,
    )


def pareto_curve(values: pd.Series) -> pd.DataFrame:
    """The Pareto curve: the share of value held by the top share of customers, from
    (0, 0) to (1, 1), one point per customer."""
    customers, held = _core.pareto_curve(np.asarray(values, dtype=np.float64))
    return pd.DataFrame({"customers": customers, "value": held})


class RFM:
    """RFM scores 1..``bins`` from recency, frequency and monetary, and named segments.

    A score is 1 + ⌊bins × share of fitted customers strictly worse⌋, so ties share a score
    (lower recency is better). Segments come from ordered rules over ``r``, ``f``, ``m``
    and ``fm`` (round((f + m) / 2)); the default maps every cell to Champions, Loyal,
    Potential loyalists, New customers, Promising, Need attention, About to sleep, Can't
    lose them, At risk, Hibernating or Lost. ``X`` needs columns ``recency``,
    ``frequency`` and ``monetary`` (as ``cartera.value`` gives).
    """

    def __init__(
        self, *, bins: int = 5, segments: Sequence[tuple[str, str]] | None = None, default_segment: str = "Others"
    ) -> None:
        self.bins = bins
        self.segments = segments
        self.default_segment = default_segment

    def _rules(self) -> list[tuple[str, str]]:
        return list(_core.RFM_SEGMENTS if self.segments is None else self.segments)

    @staticmethod
    def _inputs(X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        missing = [c for c in ("recency", "frequency", "monetary") if c not in X.columns]
        if missing:
            raise _core.InvalidInputError(
                f"rfm.{missing[0]}: missing required column; the frame has {', '.join(map(str, X.columns))}"
            )
        return tuple(np.asarray(X[c], dtype=np.float64) for c in ("recency", "frequency", "monetary"))  # type: ignore[return-value]

    def fit(self, X: pd.DataFrame, y: Any = None) -> RFM:
        self.fitted_ = _core.rfm_fit(*self._inputs(X), self.bins, self._rules(), self.default_segment)
        return self

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:
        """``r``, ``f``, ``m``, ``rfm`` (the three digits as one number, 545) and ``segment``
        per row of X."""
        _convert.check_fitted(self, "fitted_")
        raw = _core.rfm_apply(*self._inputs(X), self.bins, self._rules(), self.default_segment, self.fitted_)
        return self._frame(raw, X.index)

    def fit_predict(self, X: pd.DataFrame, y: Any = None) -> pd.DataFrame:
        """fit then predict on the same rows, in one pass."""
        self.fitted_, raw = _core.rfm_fit_apply(*self._inputs(X), self.bins, self._rules(), self.default_segment)
        return self._frame(raw, X.index)

    def _frame(self, raw: dict[str, Any], index: pd.Index) -> pd.DataFrame:
        code = (
            raw["r"] * 100 + raw["f"] * 10 + raw["m"]
            if self.bins <= 9
            else raw["r"] * 10_000 + raw["f"] * 100 + raw["m"]
        )
        return _convert.frame(
            {"r": raw["r"], "f": raw["f"], "m": raw["m"], "rfm": code, "segment": _convert.categorical(raw["segment"])},
            index=index,
        )


#: The default score: the "Clienting" ranking over purchase volume, frequency, margin and
#: recency (lower is better). A variable is a weight, or a table of weight, scale and
#: higher_is_better.
_DEFAULT_SCORE: dict[str, Any] = {
    "monetary": 2.0,
    "frequency": 1.0,
    "margin": 1.0,
    "recency": {"weight": 1.0, "higher_is_better": False},
}
_VARIABLE_FIELDS = ("weight", "scale", "higher_is_better")


@dataclass
class SegmentPolicy:
    """How the book is segmented, as data: the weighted score's variables, the tiers and
    their cuts, the ABC cuts, the RFM bins, and which tiers count as valuable for the
    alerts. ``cartera run`` reads it from the ``[segments]`` section::

        [segments]
        tiers = ["Bronce", "Plata", "Oro"]
        cuts = [0.6, 0.9]
        score = { monetary = 3, frequency = 1, recency = { weight = 1, higher_is_better = false } }
        valuable = ["Oro"]

    ``score`` maps a value column to its weight, or to a table with ``weight``, ``scale``
    ("percentile", "min_max" or "z_score") and ``higher_is_better``; ``cuts`` are quantiles of
    the scores (or scores, with ``quantile_cuts = false``), one fewer than ``tiers``, which
    go from the lowest to the highest; ``valuable`` defaults to the highest tier.
    """

    score: dict[str, Any] = field(default_factory=lambda: dict(_DEFAULT_SCORE))
    tiers: list[str] = field(default_factory=lambda: list(_core.SCORE_DEFAULTS["tiers"]))
    cuts: list[float] = field(default_factory=lambda: list(_core.SCORE_DEFAULTS["cuts"]))
    quantile_cuts: bool = True
    reason_variables: int = int(_core.SCORE_DEFAULTS["reason_variables"])
    abc_cuts: list[float] | None = field(default_factory=lambda: [0.80, 0.95])
    rfm_bins: int = 5
    valuable: list[str] | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raises ``ValueError`` naming ``segments.<field>`` and the value that is wrong."""
        if not isinstance(self.score, Mapping) or not self.score:
            raise _convert.invalid(
                "segments", "score", None, self.score, "needs at least one variable: {column = weight, ...}"
            )
        self.variables()
        names = self.tiers if isinstance(self.tiers, (list, tuple)) else None
        if not names or not all(isinstance(t, str) and t for t in names) or len(set(names)) != len(names):
            raise _convert.invalid(
                "segments", "tiers", None, self.tiers, "must be a list of distinct, non-empty names, lowest first"
            )
        if not _numbers(self.cuts) or len(self.cuts) != len(self.tiers) - 1:
            raise _convert.invalid(
                "segments",
                "cuts",
                None,
                self.cuts,
                f"needs a list of numbers, one cut fewer than tiers ({len(self.tiers) - 1})",
            )
        if not isinstance(self.quantile_cuts, bool):
            raise _core.TypeMismatchError(
                _convert.located("segments", "quantile_cuts", None, self.quantile_cuts, "expected true or false")
            )
        if isinstance(self.reason_variables, bool) or not isinstance(self.reason_variables, int):
            raise _core.TypeMismatchError(
                _convert.located("segments", "reason_variables", None, self.reason_variables, "expected a whole number")
            )
        if self.abc_cuts is not None and (
            not _numbers(self.abc_cuts) or len(self.abc_cuts) != 2 or not 0 < self.abc_cuts[0] <= self.abc_cuts[1] <= 1
        ):
            raise _convert.invalid("segments", "abc_cuts", None, self.abc_cuts, "must be [a, b] with 0 < a <= b <= 1")
        if self.valuable is not None and not (
            isinstance(self.valuable, (list, tuple)) and all(isinstance(t, str) for t in self.valuable)
        ):
            raise _convert.invalid("segments", "valuable", None, self.valuable, "must be a list of tier names")
        if isinstance(self.rfm_bins, bool) or not isinstance(self.rfm_bins, int) or not 2 <= self.rfm_bins <= 20:
            raise _convert.invalid("segments", "rfm_bins", None, self.rfm_bins, "must be an integer in 2..20")
        unknown = [t for t in self.valuable or [] if t not in self.tiers]
        if unknown:
            raise _convert.invalid(
                "segments", "valuable", None, unknown[0], f"no such tier; the tiers are {', '.join(self.tiers)}"
            )
        try:
            _core.check_score_policy(*self.scorer()._policy())
        except _core.InvalidInputError as error:
            raise _core.InvalidInputError(f"segments: {error}") from None

    def variables(self) -> list[Variable]:
        """The score's variables."""
        out = []
        for column, spec in self.score.items():
            if isinstance(spec, Mapping):
                unknown = [k for k in spec if k not in _VARIABLE_FIELDS]
                if unknown:
                    raise _convert.invalid(
                        "segments",
                        f"score.{column}.{unknown[0]}",
                        None,
                        None,
                        f"unknown field; the fields are {', '.join(_VARIABLE_FIELDS)}",
                    )
                weight, scale, better = (
                    spec.get("weight", 1.0),
                    spec.get("scale", "percentile"),
                    spec.get("higher_is_better", True),
                )
                if (
                    isinstance(weight, bool)
                    or not isinstance(weight, (int, float))
                    or not isinstance(scale, str)
                    or not isinstance(better, bool)
                ):
                    raise _core.TypeMismatchError(
                        _convert.located(
                            "segments",
                            f"score.{column}",
                            None,
                            dict(spec),
                            "expected weight a number, scale a name, higher_is_better true or false",
                        )
                    )
                variable = Variable(str(column), float(weight), scale, better)
            elif isinstance(spec, (int, float)) and not isinstance(spec, bool):
                variable = Variable(str(column), float(spec))
            else:
                raise _convert.invalid(
                    "segments",
                    f"score.{column}",
                    None,
                    spec,
                    "expected a weight, or a table of weight, scale, higher_is_better",
                )
            variable.as_dict()
            out.append(variable)
        return out

    def scorer(self) -> TierScorer:
        """An unfitted :class:`TierScorer` for this score and these tiers."""
        return TierScorer(
            self.variables(),
            tiers=self.tiers,
            cuts=self.cuts,
            quantile_cuts=self.quantile_cuts,
            reason_variables=self.reason_variables,
        )

    def valuable_tiers(self) -> list[str]:
        """The tiers the alerts treat as valuable: ``valuable``, or the highest tier."""
        return list(self.valuable) if self.valuable else [self.tiers[-1]]

    def to_dict(self) -> dict[str, Any]:
        """Every field, as ``from_dict`` (and a ``[segments]`` section) takes them."""
        return {
            "score": {k: dict(v) if isinstance(v, Mapping) else v for k, v in self.score.items()},
            "tiers": list(self.tiers),
            "cuts": list(self.cuts),
            "quantile_cuts": self.quantile_cuts,
            "reason_variables": self.reason_variables,
            "abc_cuts": None if self.abc_cuts is None else list(self.abc_cuts),
            "rfm_bins": self.rfm_bins,
            "valuable": None if self.valuable is None else list(self.valuable),
        }

    @classmethod
    def from_dict(cls, fields: Mapping[str, Any]) -> SegmentPolicy:
        """A policy from a mapping; fields left out keep their defaults, unknown ones are an error."""
        names = list(cls.__dataclass_fields__)
        unknown = [name for name in fields if name not in names]
        if unknown:
            raise _convert.invalid(
                "segments", str(unknown[0]), None, None, f"unknown field; the fields are {', '.join(names)}"
            )
        return cls(**dict(fields))


def _numbers(values: Any) -> bool:
    """A list of plain numbers (not booleans)?"""
    return isinstance(values, (list, tuple)) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
    )


def _aligned(frame: pd.DataFrame | pd.Series, book: Book, what: str) -> pd.DataFrame | pd.Series:
    """A per-customer result given by the caller, in the book's customer order; every customer needed."""
    if frame.index is book.customer_ids or frame.index.equals(book.customer_ids):
        return frame
    absent = ~book.customer_ids.isin(frame.index)
    if absent.any():
        row = _convert.first_row(absent)
        raise _convert.invalid(what, "index", row, book.customer_ids[row], "no row for this customer of the book")
    return frame.reindex(book.customer_ids)


#: The value columns needs-based clusters are fitted on by default.
CLUSTER_COLUMNS = ("recency", "frequency", "monetary", "margin", "cost_to_serve", "interactions")


def segment(
    book: Book,
    as_of: Any = None,
    *,
    policy: SegmentPolicy | Mapping[str, Any] | None = None,
    value: pd.DataFrame | None = None,
    stages: pd.DataFrame | pd.Series | None = None,
    value_policy: ValuePolicy | None = None,
    score: TierScorer | Mapping[str, float] | None = None,
    rfm: RFM | bool = True,
    clusters: KMeans | None = None,
    cluster_columns: Sequence[str] = CLUSTER_COLUMNS,
    rules: Rules | None = None,
    with_stages: bool = True,
) -> pd.DataFrame:
    """Runs a set of segmenters on the book's value (and stages) and returns one frame.

    Columns: the value columns; ``stage`` (with ``with_stages``); ``score``, ``rank``,
    ``tier``, ``tier_reason``; ``abc``, ``abc_rank``; ``r``, ``f``, ``m``, ``rfm``,
    ``rfm_segment``; ``cluster`` (when ``clusters`` is given; fitted on
    ``cluster_columns`` unless already fitted); ``rule``, ``rule_reason`` (when ``rules`` is
    given; they may read every column before them, ``tier`` and ``stage`` included). Every
    customer of the book has one row, indexed by id.

    ``policy`` (a :class:`SegmentPolicy`, or its fields) sets the score, tiers, ABC cuts and
    RFM bins; a fitted ``score`` or ``rfm`` estimator applies last month's cuts instead.
    ``value`` and ``stages``, the frames of :func:`cartera.value` and :func:`cartera.stages`
    as of the same day, are used as they are (a job computes each once); by default they
    are computed here, under ``value_policy`` and the default ladder.
    """
    policy = (
        SegmentPolicy()
        if policy is None
        else policy
        if isinstance(policy, SegmentPolicy)
        else SegmentPolicy.from_dict(policy)
    )
    day = _as_of(book, as_of)
    # Every step reads the rows in the book's order and returns them in it: columns are
    # gathered side by side, never joined on the index (a join of a million ids costs more
    # than the steps).
    frame = _value(book, day, policy=value_policy) if value is None else _aligned(value, book, "value")
    columns = _convert.columns_of(frame)
    if with_stages:
        ladder = _stages(book, day) if stages is None else _aligned(stages, book, "stages")
        columns["stage"] = (ladder["stage"] if isinstance(ladder, pd.DataFrame) else ladder).array
    frame = _convert.frame(columns, book.customer_ids)
    if score is None:
        score = policy.scorer()
    elif isinstance(score, Mapping):
        score = TierScorer(score)
    tiers = score.fit_predict(frame) if not hasattr(score, "model_") else score.predict(frame)
    columns |= _convert.columns_of(tiers.rename(columns={"reason": "tier_reason"}))
    if policy.abc_cuts is not None:
        classes = abc(frame["monetary"], a=policy.abc_cuts[0], b=policy.abc_cuts[1])
        columns["abc"] = classes["abc"].array
        columns["abc_rank"] = classes["rank"].array
    if rfm is not False:
        scorer = RFM(bins=policy.rfm_bins) if rfm is True else rfm
        scores = scorer.fit_predict(frame) if not hasattr(scorer, "fitted_") else scorer.predict(frame)
        columns |= _convert.columns_of(scores.rename(columns={"segment": "rfm_segment"}))
    frame = _convert.frame(columns, book.customer_ids)
    if clusters is not None:
        points = frame[list(cluster_columns)].replace([np.inf, -np.inf], np.nan)
        points = points.fillna(points.max())  # never bought: as far as the farthest who did
        labels = clusters.fit_predict(points) if not hasattr(clusters, "cluster_centers_") else clusters.predict(points)
        columns["cluster"] = np.asarray(labels)
        frame = _convert.frame(columns, book.customer_ids)
    if rules is not None:
        labelled = rules.predict(frame)
        columns["rule"] = labelled["label"].array
        columns["rule_reason"] = labelled["reason"].array
        frame = _convert.frame(columns, book.customer_ids)
    return frame


def subsegments(book: Book, segments: pd.Series, stages: pd.Series | None = None) -> pd.DataFrame:
    """Sub-segments inside each portfolio: customers per (tier × stage), or per tier alone
    without stages, for each current manager. A missing key (no manager, no tier, no
    stage) is counted under "(none)": every customer is in one cell."""
    managers = book.table("customers").get("manager")
    if managers is None:
        managers = pd.Series(None, index=book.customer_ids, dtype=object)
    keys: dict[str, Any] = {"manager": managers.reindex(segments.index), "segment": segments}
    if stages is not None:
        keys["stage"] = stages.reindex(segments.index)
    frame = pd.DataFrame(
        {k: v.astype(object).where(v.notna(), "(none)").to_numpy(dtype=object) for k, v in keys.items()}
    )
    grouped = frame.groupby(list(keys), observed=True, sort=False).size()
    return grouped.unstack([k for k in keys if k != "manager"], fill_value=0)
