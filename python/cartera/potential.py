"""Customer potential: will they come back, what will they buy and spend, what are they worth.

:func:`potential` fits BG/NBD (:class:`cartera.BGNBD`, or Pareto/NBD,
:class:`cartera.ParetoNBD`) and Gamma-Gamma (:class:`cartera.GammaGamma`) on the book's
repeat summary and gives, per customer, the probability of being alive, the purchases and
spend to expect in a horizon, and the customer lifetime value over it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from ._repeat_model import RepeatPurchaseModel
from .bg_nbd import BGNBD
from .book import Book
from .gamma_gamma import DAYS_PER_MONTH, GammaGamma
from .growth import _groups, as_growth_policy, growth, offers_frame
from .pareto_nbd import ParetoNBD
from .value import repeat_summary

__all__ = ["POTENTIAL_COLUMNS", "PURCHASE_MODELS", "PotentialPolicy", "potential"]

#: The models of repeat purchases :func:`potential` can fit, by the name its policy takes.
PURCHASE_MODELS: dict[str, type[RepeatPurchaseModel]] = {"bg_nbd": BGNBD, "pareto_nbd": ParetoNBD}

#: The columns :func:`potential` returns, in order.
POTENTIAL_COLUMNS: tuple[str, ...] = (
    "p_alive",
    "expected_purchases",
    "expected_spend",
    "clv",
    "growth_potential",
    "share_of_wallet",
    "growth_reason",
    "next_products",
)


@dataclasses.dataclass(frozen=True)
class PotentialPolicy:
    """How :func:`potential` values the future.

    Attributes
    ----------
    model : str
        The model of repeat purchases: ``"bg_nbd"`` (default; a customer may drop out only
        just after a purchase) or ``"pareto_nbd"`` (at any moment; a likelihood by
        quadrature, so a fit about ten times slower).
    horizon_days : float
        The horizon of expected purchases, spend and lifetime value. Default 365.
    discount_rate : float
        Per month, for lifetime value (``lifetimes``' default 0.01).
    margin : float
        The share of spend that is profit, for lifetime value; 1 values revenue.
    penalizer : float
        Of both fits (``lifetimes``' ``penalizer_coef``); 0 is maximum likelihood.
    """

    horizon_days: float = 365.0
    discount_rate: float = 0.01
    margin: float = 1.0
    penalizer: float = 0.0
    model: str = "bg_nbd"

    def __post_init__(self) -> None:
        if self.model not in PURCHASE_MODELS:
            raise _convert.invalid(
                "potential_policy",
                "model",
                None,
                self.model,
                f"expected one of {', '.join(map(repr, PURCHASE_MODELS))}",
            )
        for name in ("horizon_days", "discount_rate", "margin", "penalizer"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise _core.TypeMismatchError(
                    _convert.located("potential_policy", name, None, value, "expected a number")
                )
            if not (math.isfinite(value) and value >= 0):
                raise _convert.invalid("potential_policy", name, None, value, "must be finite and >= 0")
        if self.horizon_days <= 0:
            raise _convert.invalid("potential_policy", "horizon_days", None, self.horizon_days, "must be > 0")

    @classmethod
    def from_dict(cls, fields: Mapping[str, Any]) -> PotentialPolicy:
        return _convert.policy_from_dict(cls, "potential_policy", fields)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def potential(
    book: Book,
    as_of: Any = None,
    *,
    horizon: float | None = None,
    by: pd.Series | None = None,
    spend: pd.Series | None = None,
    policy: PotentialPolicy | Mapping[str, Any] | None = None,
    growth_policy: Any = None,
    threads: int = 0,
) -> pd.DataFrame:
    """Per customer: ``p_alive``, ``expected_purchases`` and ``expected_spend`` (per
    purchase) in the horizon, and ``clv``, the discounted value of the horizon's purchases
    (times ``policy.margin``); and where they can grow against the peers of their group
    ``by`` (a tier, a cluster; default the whole book): ``growth_potential``,
    ``share_of_wallet`` and ``growth_reason`` (:func:`cartera.growth`), and
    ``next_products``, the products to propose with why, ``"; "``-separated
    (:func:`cartera.next_products`; missing without a product column). ``spend`` is the
    window's spend growth is measured on, by customer id (default: computed, as
    ``value(book, as_of)["monetary"]``; pass it when you have it).

    The models are fitted on this book's customers who bought up to ``as_of``; a customer
    who never bought has missing values. ``horizon`` (days) overrides
    ``policy.horizon_days``. The fitted models are in the result's ``attrs["models"]``.
    Raises ValueError when the book cannot support the models (no customer with repeat
    purchases, or spends too spread for the Gamma-Gamma mean to exist).

    Examples
    --------
    >>> import cartera
    >>> book = cartera.synthetic_book(2000, 10, seed=1)
    >>> list(cartera.potential(book, horizon=180).columns)[:4]
    ['p_alive', 'expected_purchases', 'expected_spend', 'clv']
    """
    policy = as_potential_policy(policy, horizon)
    summary = repeat_summary(book, as_of, threads=threads)  # in days
    purchases, spend_model = fit_models(summary, policy, threads=threads)
    out = forecast(summary, purchases, spend_model, policy)
    out.index = book.customer_ids
    room = growth(book, as_of, by=by, spend=spend, policy=growth_policy)
    out["growth_potential"] = room["growth_potential"]
    out["share_of_wallet"] = room["share_of_wallet"]
    out["growth_reason"] = room["reason"]
    codes, names = _groups(book, by)
    out["next_products"] = offer_lines(book, codes, names, as_growth_policy(growth_policy))
    out.attrs["models"] = models_of(purchases, spend_model)
    return out


def as_potential_policy(policy: PotentialPolicy | Mapping[str, Any] | None, horizon: float | None) -> PotentialPolicy:
    """The policy as given (or from a mapping, or the default), its horizon overridden."""
    if policy is None:
        policy = PotentialPolicy()
    elif isinstance(policy, Mapping):
        policy = PotentialPolicy.from_dict(policy)
    elif not isinstance(policy, PotentialPolicy):
        raise _core.TypeMismatchError(f"policy: expected a PotentialPolicy or a mapping, got {type(policy).__name__}")
    return policy if horizon is None else dataclasses.replace(policy, horizon_days=horizon)


def fit_models(
    summary: pd.DataFrame,
    policy: PotentialPolicy,
    *,
    spends: pd.DataFrame | None = None,
    threads: int = 0,
) -> tuple[RepeatPurchaseModel, GammaGamma]:
    """The policy's model of purchases and Gamma-Gamma, fitted on a repeat summary in days.
    With a ``weight`` column the summary's rows are distinct histories counted by it, and
    ``spends`` the distinct (frequency, monetary_value) pairs with theirs: how a book in
    partitions fits."""
    if not (summary["frequency"] > 0).any():
        raise _core.InvalidInputError("potential: no customer bought twice; the models need repeat purchases")
    weights = summary.get("weight")
    spends = summary if spends is None else spends
    purchases = PURCHASE_MODELS[policy.model](penalizer=policy.penalizer, threads=threads).fit(
        summary, sample_weight=weights
    )
    spend_model = GammaGamma(penalizer=policy.penalizer, threads=threads).fit(
        spends, sample_weight=spends.get("weight")
    )
    if spend_model.params_["q"] <= 1:
        raise _core.InvalidInputError(
            f"potential: the Gamma-Gamma fit has q = {spend_model.params_['q']:.3g} <= 1, so the mean spend does not exist; "
            "give a penalizer"
        )
    return purchases, spend_model


def models_of(purchases: RepeatPurchaseModel, spend_model: GammaGamma) -> dict[str, dict[str, float]]:
    """The fitted models' parameters, as :func:`potential`'s ``attrs["models"]``: by the
    model's name in :data:`PURCHASE_MODELS`, and ``"gamma_gamma"``."""
    name = next(name for name, model in PURCHASE_MODELS.items() if isinstance(purchases, model))
    return {name: purchases.params_.to_dict(), "gamma_gamma": spend_model.params_.to_dict()}


def fitted_models(
    models: Mapping[str, Mapping[str, float]], threads: int = 0
) -> tuple[RepeatPurchaseModel, GammaGamma]:
    """The models of :func:`models_of`'s parameters, ready to forecast."""
    name = next(name for name in PURCHASE_MODELS if name in models)
    purchases, spend_model = PURCHASE_MODELS[name](threads=threads), GammaGamma(threads=threads)
    purchases.params_ = pd.Series(dict(models[name]), name=purchases.NAME)
    spend_model.params_ = pd.Series(dict(models["gamma_gamma"]), name="Gamma-Gamma")
    return purchases, spend_model


def forecast(
    summary: pd.DataFrame, purchases: RepeatPurchaseModel, spend_model: GammaGamma, policy: PotentialPolicy
) -> pd.DataFrame:
    """Per customer of a repeat summary in days: p_alive, expected purchases and spend, and
    the lifetime value over the policy's horizon."""
    bought = summary["purchased"].to_numpy(dtype=bool)
    months = max(1, math.ceil(policy.horizon_days / DAYS_PER_MONTH))
    return pd.DataFrame(
        {
            "p_alive": purchases.p_alive(summary),
            "expected_purchases": purchases.expected_purchases(summary, policy.horizon_days),
            "expected_spend": spend_model.expected_spend(summary).where(bought),
            "clv": spend_model.lifetime_value(
                purchases,
                summary,
                periods=months,
                period=policy.horizon_days / months,
                discount_rate=(1 + policy.discount_rate) ** (policy.horizon_days / months / DAYS_PER_MONTH) - 1,
                margin=policy.margin,
            ),
        },
        index=summary.index,
    )


def offer_lines(
    book: Book, codes: np.ndarray, names: list[str], policy: Any, holders: Mapping[str, Any] | None = None
) -> pd.Series:
    """Each customer's next products as one line, missing when there is none to offer
    (``holders``: the whole book's, for a partition of it)."""
    if not book.has_products:
        return pd.Series(None, index=book.customer_ids, dtype="string")
    offers = offers_frame(book, codes, names, policy, holders)
    lines = (offers["product"].astype(str) + " (" + offers["reason"] + ")").groupby(offers["customer"]).agg("; ".join)
    return lines.reindex(book.customer_ids).astype("string")
