"""What the repeat-purchase models share (BG/NBD, Pareto/NBD): fitted in the core on the
frame :func:`cartera.repeat_summary` returns, each customer's probability of being alive
and purchases to expect, missing for a customer who never bought."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import numpy as np
import pandas as pd

from . import _convert, _core
from ._estimator import FittedModel

_COLUMNS = ("frequency", "recency", "T")
_Model = TypeVar("_Model", bound="RepeatPurchaseModel")


class RepeatPurchaseModel(FittedModel):
    """A model of repeat purchases: ``fit``, ``p_alive``, ``expected_purchases``,
    ``predict`` and ``log_likelihood`` over the core's functions."""

    NAME: ClassVar[str]
    PARAMS: ClassVar[tuple[str, ...]]
    _fit: ClassVar[Callable[..., dict[str, Any]]]
    _log_likelihood: ClassVar[Callable[..., float]]
    _p_alive: ClassVar[Callable[..., np.ndarray]]
    _expected_purchases: ClassVar[Callable[..., np.ndarray]]
    _discounted_purchases: ClassVar[Callable[..., np.ndarray]]

    def fit(self: _Model, summary: pd.DataFrame, sample_weight: Any = None) -> _Model:
        """Fits on the customers who bought (``purchased``, when the column is there: the
        model starts at a first purchase, as ``lifetimes`` does). ``sample_weight``, one per
        row of the summary, counts the customers a row stands for: a summary of distinct
        histories with their counts fits as the customers themselves."""
        bought = _bought_mask(summary)
        x, t_x, t = _history(summary[bought])
        fit = type(self)._fit(
            x,
            t_x,
            t,
            float(self.penalizer),
            int(self.max_iterations),
            float(self.tolerance),
            int(self.threads),
            _weights(sample_weight, summary, bought),
        )
        self.params_ = pd.Series({k: fit[k] for k in self.PARAMS}, name=self.NAME)
        self.log_likelihood_ = float(fit["log_likelihood"])
        self.converged_ = bool(fit["converged"])
        return self

    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        """P(alive | frequency, recency, T) per customer; missing for one who never bought."""
        return self._per_customer(
            summary, "p_alive", lambda p, x, t_x, t: type(self)._p_alive(p, x, t_x, t, self.threads)
        )

    def expected_purchases(self, summary: pd.DataFrame, horizon: float) -> pd.Series:
        """Purchases to expect in the next ``horizon`` (in the summary's time unit) per
        customer; missing for one who never bought."""
        return self._per_customer(
            summary,
            "expected_purchases",
            lambda p, x, t_x, t: type(self)._expected_purchases(p, x, t_x, t, float(horizon), self.threads),
        )

    def predict(self, summary: pd.DataFrame, horizon: float) -> pd.Series:
        """The same as :meth:`expected_purchases`."""
        return self.expected_purchases(summary, horizon)

    def log_likelihood(self, summary: pd.DataFrame) -> float:
        """The fitted model's log-likelihood on (other) customers who bought."""
        return float(type(self)._log_likelihood(self._params(), *_history(_bought(summary))))

    def _per_customer(self, summary: pd.DataFrame, name: str, compute: Any) -> pd.Series:
        params = self._params()
        bought = _bought_mask(summary)
        out = np.full(len(summary), np.nan)
        out[bought] = compute(params, *_history(summary[bought]))
        return pd.Series(out, index=summary.index, name=name)


def _bought_mask(summary: pd.DataFrame) -> np.ndarray:
    if not isinstance(summary, pd.DataFrame):
        raise _core.TypeMismatchError(f"repeat_summary: expected a DataFrame, got {type(summary).__name__}")
    if "purchased" in summary.columns:
        return summary["purchased"].to_numpy(dtype=bool)
    return np.ones(len(summary), dtype=bool)


def _weights(sample_weight: Any, summary: pd.DataFrame, rows: np.ndarray) -> np.ndarray | None:
    """The weights of the summary's ``rows`` (a mask), or None for one customer each."""
    if sample_weight is None:
        return None
    weights = pd.Series(np.asarray(sample_weight)) if not isinstance(sample_weight, pd.Series) else sample_weight
    if len(weights) != len(summary):
        raise _convert.invalid(
            "repeat_summary", "sample_weight", None, len(weights), f"one weight per row of the summary ({len(summary)})"
        )
    return _convert.numbers(weights.reset_index(drop=True)[rows].reset_index(drop=True), "repeat_summary", "weight")


def _bought(summary: pd.DataFrame) -> pd.DataFrame:
    return summary[_bought_mask(summary)]


def _history(summary: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    for column in _COLUMNS:
        if column not in summary.columns:
            raise _convert.invalid("repeat_summary", column, None, None, "missing required column")
    return tuple(_convert.numbers(summary[c].reset_index(drop=True), "repeat_summary", c) for c in _COLUMNS)  # type: ignore[return-value]
