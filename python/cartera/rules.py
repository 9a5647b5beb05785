"""Rules: an ordered list of (label, condition) in cartera's small, safe condition
language; the first condition that holds labels the row, and says so."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core

__all__ = ["Rules"]


class Rules:
    """An ordered list of ``(label, condition)``; the first condition that holds gives the
    label, ``default`` otherwise. Conditions are in cartera's small, safe language:
    ``margin > 0 and products >= 3``, ``tier == "Premium" or rank <= 100``, ``not declining``
    (see docs/segmentation.md). Mistakes are reported with their position when the rules
    are built, unknown columns with the list of those there are."""

    def __init__(self, rules: Sequence[tuple[str, str]], *, default: str = "Other") -> None:
        self.rules = [(str(label), str(text)) for label, text in rules]
        self.default = default
        self._reads: list[str] = []
        for position, (label, text) in enumerate(self.rules):
            try:
                self._reads += _core.condition_columns(text)
            except _core.InvalidInputError as error:
                raise _core.InvalidInputError(f"rules.{position} (value {label!r}): {error}") from None

    def fit(self, X: pd.DataFrame, y: Any = None) -> Rules:
        return self

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:
        """``label`` and ``reason`` ("rule 2: margin > 0", or "default") per row of X."""
        # Only the columns the rules read cross over; an unknown one is left for the core to
        # report with the list of those there are.
        present = [c for c in dict.fromkeys(self._reads) if c in X.columns]
        missing = [c for c in self._reads if c not in X.columns]
        columns = _convert.core_columns(X[present]) if not missing else _convert.core_columns(X)
        raw = _core.apply_rules(columns, len(X), self.rules, self.default)
        reasons = [f"rule {k}: {text}" for k, (_, text) in enumerate(self.rules)] + ["default"]
        which = np.where(raw["rule"] < 0, len(self.rules), raw["rule"])
        return _convert.frame(
            {
                "label": _convert.categorical(raw["label"]),
                "reason": pd.Categorical.from_codes(which, categories=reasons),
            },
            index=X.index,
        )

    fit_predict = predict
