"""Will a customer come back? The BG/NBD model, fitted in the core.

Fader, Hardie & Lee (2005), "Counting your customers the easy way": while alive, a
customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with
probability p ~ Beta(a, b). :class:`BGNBD` fits it by maximum likelihood (L-BFGS in C++)
on the frame :func:`cartera.repeat_summary` returns, and gives each customer's probability
of being alive and the purchases to expect in a horizon.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from ._estimator import FittedModel

__all__ = ["BGNBD"]

_COLUMNS = ("frequency", "recency", "T")


class BGNBD(FittedModel):
    """The BG/NBD model, scikit-learn style.

    Parameters
    ----------
    penalizer : float
        ``lifetimes``' ``penalizer_coef``: penalizer × (sum of the squared parameters) is
        added to the mean negative log-likelihood. 0 (the default) is maximum likelihood.
    max_iterations : int
        Of L-BFGS.
    tolerance : float
        The fit stops when the gradient of the mean negative log-likelihood is shorter.
    threads : int
        0 uses every core; results do not depend on it.

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : pandas.Series
        ``r``, ``alpha``, ``a``, ``b`` (their published names); ``alpha`` in the summary's
        time unit.
    log_likelihood_ : float
        At ``params_``, summed over the customers fitted on.
    converged_ : bool

    Examples
    --------
    >>> import cartera
    >>> book = cartera.synthetic_book(2000, 10, seed=1)
    >>> model = cartera.BGNBD().fit(cartera.repeat_summary(book, unit="W"))
    >>> list(model.params_.index)
    ['r', 'alpha', 'a', 'b']
    """

    def fit(self, summary: pd.DataFrame, sample_weight: Any = None) -> BGNBD:
        """Fits on the customers who bought (``purchased``, when the column is there: the
        model starts at a first purchase, as ``lifetimes`` does). ``sample_weight``, one per
        row of the summary, counts the customers a row stands for: a summary of distinct
        histories with their counts fits as the customers themselves."""
        bought = _bought_mask(summary)
        x, t_x, t = _history(summary[bought])
        fit = _core.fit_bg_nbd(
            x,
            t_x,
            t,
            float(self.penalizer),
            int(self.max_iterations),
            float(self.tolerance),
            int(self.threads),
            _weights(sample_weight, summary, bought),
        )
        self.params_ = pd.Series({k: fit[k] for k in ("r", "alpha", "a", "b")}, name="BG/NBD")
        self.log_likelihood_ = float(fit["log_likelihood"])
        self.converged_ = bool(fit["converged"])
        return self

    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        """P(alive | frequency, recency, T) per customer; missing for one who never bought."""
        return self._per_customer(
            summary, "p_alive", lambda p, x, t_x, t: _core.bg_nbd_p_alive(p, x, t_x, t, self.threads)
        )

    def expected_purchases(self, summary: pd.DataFrame, horizon: float) -> pd.Series:
        """Purchases to expect in the next ``horizon`` (in the summary's time unit) per
        customer; missing for one who never bought."""
        return self._per_customer(
            summary,
            "expected_purchases",
            lambda p, x, t_x, t: _core.bg_nbd_expected_purchases(p, x, t_x, t, float(horizon), self.threads),
        )

    def predict(self, summary: pd.DataFrame, horizon: float) -> pd.Series:
        """The same as :meth:`expected_purchases`."""
        return self.expected_purchases(summary, horizon)

    def log_likelihood(self, summary: pd.DataFrame) -> float:
        """The fitted model's log-likelihood on (other) customers who bought."""
        return float(_core.bg_nbd_log_likelihood(self._params(), *_history(_bought(summary))))

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
