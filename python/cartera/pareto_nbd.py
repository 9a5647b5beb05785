"""Will a customer come back? The Pareto/NBD model, fitted in the core.

Schmittlein, Morrison & Colombo (1987): while alive, a customer buys at a Poisson rate
λ ~ Gamma(r, α) and drops out at an exponential time of rate μ ~ Gamma(s, β) — at any
moment, where BG/NBD lets them drop out only just after a purchase. :class:`ParetoNBD` fits
it by maximum likelihood (L-BFGS in C++, the likelihood's integral by quadrature) on the
frame :func:`cartera.repeat_summary` returns.
"""

from __future__ import annotations

from . import _core
from ._repeat_model import RepeatPurchaseModel

__all__ = ["ParetoNBD"]


class ParetoNBD(RepeatPurchaseModel):
    """The Pareto/NBD model, scikit-learn style, with the methods and parameters of
    :class:`cartera.BGNBD`.

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : pandas.Series
        ``r``, ``alpha``, ``s``, ``beta`` (their published names); ``alpha`` and ``beta``
        in the summary's time unit.
    log_likelihood_ : float
        At ``params_``, summed over the customers fitted on.
    converged_ : bool

    Examples
    --------
    >>> import cartera
    >>> book = cartera.synthetic_book(2000, 10, seed=1)
    >>> model = cartera.ParetoNBD().fit(cartera.repeat_summary(book, unit="W"))
    >>> list(model.params_.index)
    ['r', 'alpha', 's', 'beta']
    """

    NAME = "Pareto/NBD"
    PARAMS = ("r", "alpha", "s", "beta")
    _fit = staticmethod(_core.fit_pareto_nbd)
    _log_likelihood = staticmethod(_core.pareto_nbd_log_likelihood)
    _p_alive = staticmethod(_core.pareto_nbd_p_alive)
    _expected_purchases = staticmethod(_core.pareto_nbd_expected_purchases)
    _discounted_purchases = staticmethod(_core.pareto_nbd_discounted_purchases)
