"""Who customers are with us: the four relationship structures (Ramdas, Teisberg & Tucker,
HBR 2013) — interview, group, panel, workbench — chosen by how many providers a customer
deals with and whether what they exchange is private or worth sharing among peers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import _convert, _core
from .rules import Rules

__all__ = ["STRUCTURES", "Structures", "relationship_structure"]

#: The four relationship structures (Ramdas, Teisberg & Tucker, HBR 2013).
STRUCTURES: tuple[str, ...] = tuple(_core.STRUCTURES)


@dataclass
class Structures:
    """``customers``: each customer's structure and why; ``counts``: customers per structure
    in each portfolio (the row ``None`` holds those without a manager)."""

    customers: pd.DataFrame
    counts: pd.DataFrame


def relationship_structure(
    customers: pd.DataFrame,
    *,
    providers: str = "providers",
    peer: str = "peer_exchange",
    many_providers: float = 2,
    rules: Rules | Iterable[tuple[str, str]] | None = None,
    manager: Any = None,
) -> Structures:
    """Labels each customer interview, group, panel or workbench.

    From ``customers[providers]`` (how many providers, areas or specialists take part;
    ``many_providers`` or more is "many") and ``customers[peer]`` (whether the information
    is worth sharing among peers; without that column it is private):

    ================  ===================  ======================
    \\                 private information  peer exchange valuable
    ================  ===================  ======================
    one provider      interview            group
    many providers    panel                workbench
    ================  ===================  ======================

    ``rules`` (a :class:`Rules` whose labels are structures, or (label, condition) pairs over
    the frame's columns) come first. ``manager`` (a Series or an Assignment) gives the counts
    per portfolio.
    """
    pairs: list[tuple[str, str]] = []
    if isinstance(rules, Rules):
        pairs = [(label, condition) for label, condition in rules.rules]
    elif rules is not None:
        pairs = [(str(label), str(condition)) for label, condition in rules]
    if providers not in customers.columns:
        raise _convert.invalid(
            "structure",
            providers,
            None,
            None,
            f"is required (providers or areas per customer); the columns are {', '.join(map(str, customers.columns))}",
        )
    positions, managers = _convert.manager_rows(manager, customers.index)
    raw = _core.classify_structures(
        _convert.core_columns(customers),
        len(customers),
        providers,
        peer,
        float(many_providers),
        pairs,
        positions,
        len(managers),
    )
    labels, codes = raw["reason"]
    frame = _convert.frame(
        {
            "structure": pd.Categorical.from_codes(raw["structure"], categories=list(STRUCTURES)),
            "reason": pd.Categorical.from_codes(codes, categories=labels),
        },
        index=customers.index,
    )
    counts = pd.DataFrame(raw["counts"], columns=list(STRUCTURES), index=pd.Index([*managers, None], name="manager"))
    if manager is None:
        counts = counts.iloc[[-1]]
    return Structures(frame, counts)
