"""What will a customer spend? The Gamma-Gamma model of spend per purchase, and the
lifetime value it gives with a model of purchases.

Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base
analysis"; Fader & Hardie (2013), "The Gamma-Gamma model of monetary value": each
purchase's value is Gamma(p, ν) around the customer's own ν ~ Gamma(q, γ), so the mean of
few purchases is pulled towards the population's mean pγ/(q−1).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from ._estimator import FittedModel
from ._repeat_model import RepeatPurchaseModel, _bought_mask, _history, _weights

__all__ = ["GammaGamma"]

#: Days in a month on average (365.25 / 12): the default period of lifetime value.
DAYS_PER_MONTH = 30.4375


class GammaGamma(FittedModel):
    """The Gamma-Gamma model, scikit-learn style.

    Parameters
    ----------
    penalizer, max_iterations, tolerance, threads
        As for :class:`cartera.BGNBD`.

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : pandas.Series
        ``p``, ``q``, ``gamma`` (``lifetimes`` calls γ ``v``), γ in the spend's currency.
    log_likelihood_ : float
    customers_ : float
        Fitted on: those with repeat purchases and a positive mean spend (their weight).
    converged_ : bool
    """

    def fit(self, summary: pd.DataFrame, sample_weight: Any = None) -> GammaGamma:
        """Fits on the customers with repeat purchases and a positive mean spend (the
        others say nothing about spend per purchase). ``sample_weight`` counts the
        customers each row stands for, as for :meth:`cartera.BGNBD.fit`."""
        x, m = _spend(summary)
        weights = _weights(sample_weight, summary, np.ones(len(summary), dtype=bool))
        fit = _core.fit_gamma_gamma(
            x, m, float(self.penalizer), int(self.max_iterations), float(self.tolerance), weights
        )
        self.params_ = pd.Series({k: fit[k] for k in ("p", "q", "gamma")}, name="Gamma-Gamma")
        self.log_likelihood_ = float(fit["log_likelihood"])
        self.customers_ = fit["customers"]
        self.converged_ = bool(fit["converged"])
        return self

    def expected_spend(self, summary: pd.DataFrame) -> pd.Series:
        """E[spend per purchase] per customer: the customer's mean spend weighted against
        the population's by how many repeat purchases it rests on."""
        out = _core.gamma_gamma_expected_spend(self._params(), *_spend(summary), int(self.threads))
        return pd.Series(out, index=summary.index, name="expected_spend")

    def predict(self, summary: pd.DataFrame) -> pd.Series:
        """The same as :meth:`expected_spend`."""
        return self.expected_spend(summary)

    def lifetime_value(
        self,
        purchases: RepeatPurchaseModel,
        summary: pd.DataFrame,
        *,
        periods: int = 12,
        period: float | None = None,
        discount_rate: float = 0.01,
        margin: float = 1.0,
    ) -> pd.Series:
        """Customer lifetime value over ``periods`` periods: per period, the purchases the
        fitted ``purchases`` model (:class:`cartera.BGNBD` or :class:`cartera.ParetoNBD`)
        expects, times the expected spend and ``margin``, discounted by
        (1 + ``discount_rate``)^k for the k-th period (as ``lifetimes``'
        ``customer_lifetime_value``). ``period`` is in the summary's time unit; by default
        a month, when the summary says its unit (``repeat_summary`` does)."""
        if period is None:
            unit_days = summary.attrs.get("unit_days")
            if unit_days is None:
                raise _convert.invalid(
                    "lifetime_value", "period", None, None, "give the period in the summary's time unit (a month in it)"
                )
            period = DAYS_PER_MONTH / float(unit_days)
        if not isinstance(purchases, RepeatPurchaseModel):
            raise _core.TypeMismatchError(
                f"lifetime_value: purchases must be a fitted cartera.BGNBD or cartera.ParetoNBD, got {type(purchases).__name__}"
            )
        params = purchases._params()
        bought = _bought_mask(summary)
        value = np.full(len(summary), np.nan)
        subset = summary[bought]
        discounted = type(purchases)._discounted_purchases(
            params, *_history(subset), float(period), int(periods), float(discount_rate), int(self.threads)
        )
        value[bought] = discounted * self.expected_spend(subset).to_numpy() * float(margin)
        return pd.Series(value, index=summary.index, name="clv")


def _spend(summary: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(summary, pd.DataFrame):
        raise _core.TypeMismatchError(f"repeat_summary: expected a DataFrame, got {type(summary).__name__}")
    for column in ("frequency", "monetary_value"):
        if column not in summary.columns:
            raise _convert.invalid("repeat_summary", column, None, None, "missing required column")
    return (
        _convert.numbers(summary["frequency"].reset_index(drop=True), "repeat_summary", "frequency"),
        _convert.numbers(summary["monetary_value"].reset_index(drop=True), "repeat_summary", "monetary_value"),
    )
