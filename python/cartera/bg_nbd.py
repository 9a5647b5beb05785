"""Will a customer come back? The BG/NBD model, fitted in the core.

Fader, Hardie & Lee (2005), "Counting your customers the easy way": while alive, a
customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with
probability p ~ Beta(a, b). :class:`BGNBD` fits it by maximum likelihood (L-BFGS in C++)
on the frame :func:`cartera.repeat_summary` returns, and gives each customer's probability
of being alive and the purchases to expect in a horizon.
"""

from __future__ import annotations

from . import _core
from ._repeat_model import RepeatPurchaseModel

__all__ = ["BGNBD"]


class BGNBD(RepeatPurchaseModel):
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

    NAME = "BG/NBD"
    PARAMS = ("r", "alpha", "a", "b")
    _fit = staticmethod(_core.fit_bg_nbd)
    _log_likelihood = staticmethod(_core.bg_nbd_log_likelihood)
    _p_alive = staticmethod(_core.bg_nbd_p_alive)
    _expected_purchases = staticmethod(_core.bg_nbd_expected_purchases)
    _discounted_purchases = staticmethod(_core.bg_nbd_discounted_purchases)
