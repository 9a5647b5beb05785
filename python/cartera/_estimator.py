"""What the fitted models share: their fitting parameters, scikit-learn style."""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import _convert, _core


class FittedModel:
    """A model fitted by maximum likelihood in the core (L-BFGS).

    Parameters
    ----------
    penalizer : float
        ``lifetimes``' ``penalizer_coef``: penalizer × (sum of the squared parameters) is
        added to the mean negative log-likelihood. 0 (the default) is maximum likelihood.
    max_iterations : int
        Of L-BFGS.
    tolerance : float
        The fit stops when the gradient of the mean negative log-likelihood (in the log of
        the parameters) is shorter.
    threads : int
        0 uses every core; results do not depend on it.
    """

    # Set by fit.
    params_: pd.Series
    log_likelihood_: float
    converged_: bool

    def __init__(
        self, penalizer: float = 0.0, max_iterations: int = 1000, tolerance: float = 1e-8, threads: int = 0
    ) -> None:
        self.penalizer = penalizer
        self.max_iterations = max_iterations
        self.tolerance = tolerance
        self.threads = threads

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {
            "penalizer": self.penalizer,
            "max_iterations": self.max_iterations,
            "tolerance": self.tolerance,
            "threads": self.threads,
        }

    def set_params(self, **params: Any) -> Any:
        name = type(self).__name__
        for key, value in params.items():
            if key not in self.get_params():
                raise _convert.invalid(
                    name, key, None, value, f"unknown parameter; the parameters are {', '.join(self.get_params())}"
                )
            setattr(self, key, value)
        return self

    def _params(self) -> list[float]:
        """The fitted parameters, in their published order."""
        if not hasattr(self, "params_"):
            raise _core.InvalidInputError(f"{type(self).__name__}: not fitted yet; call fit first")
        return [float(v) for v in self.params_]

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"{type(self).__name__}()"
        fitted = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({fitted}; log-likelihood {self.log_likelihood_:.1f})"
