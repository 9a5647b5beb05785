"""Team sizing: how many managers a cadence policy needs, where "more than 100 customers
gives no value" becomes a number to check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import _convert, _core
from .contact_plan import _labels, _policy
from .stages import STAGES

__all__ = ["TeamSize", "team_size"]


@dataclass
class TeamSize:
    """How many managers a policy needs. ``tiers``: customers, minutes per customer and in
    all, the largest portfolio each tier allows, and the share of the tier the ``team``
    serves in full; the totals as attributes, with the ``budget`` (minutes per period) and
    ``capacity`` each manager was sized with."""

    tiers: pd.DataFrame
    total_minutes: float
    managers_by_time: int
    managers_by_capacity: int
    managers_needed: int
    team: int
    customer_coverage: float
    minute_coverage: float
    budget: float
    capacity: int

    def __repr__(self) -> str:
        return (
            f"TeamSize(managers_needed={self.managers_needed} (time {self.managers_by_time}, capacity "
            f"{self.managers_by_capacity}); team {self.team} covers {self.customer_coverage:.1%} of customers)"
        )


def team_size(
    tier: pd.Series | pd.DataFrame,
    stage: pd.Series | pd.DataFrame,
    *,
    budget: float,
    capacity: int = 100,
    team: int = 0,
    policy: Any = None,
) -> TeamSize:
    """Managers needed for full coverage of these customers under the policy, each with
    ``budget`` minutes per period and room for ``capacity`` customers; with ``team`` (0: the
    team needed), the coverage that team reaches serving higher tiers and stages first."""
    policy = _policy(policy)
    labels = policy.to_dict()["tiers"]
    tiers = tier["tier"] if isinstance(tier, pd.DataFrame) else tier
    stages = stage["stage"] if isinstance(stage, pd.DataFrame) else stage
    stages = stages.reindex(tiers.index)
    if stages.isna().any():
        row = _convert.first_row(stages.isna().to_numpy())
        raise _convert.invalid("customers", "stage", row, tiers.index[row], "no stage for this customer")
    raw = _core.size_team(
        _labels(tiers, labels, "tier"),
        _labels(stages, STAGES, "stage"),
        policy,
        float(budget),
        int(capacity),
        int(team),
    )
    table = pd.DataFrame(
        {k: raw[k] for k in ("customers", "minutes_per_customer", "minutes", "largest_portfolio", "coverage")},
        index=pd.Index(labels, name="tier"),
    )
    return TeamSize(
        table,
        raw["total_minutes"],
        raw["managers_by_time"],
        raw["managers_by_capacity"],
        raw["managers_needed"],
        raw["team"],
        raw["customer_coverage"],
        raw["minute_coverage"],
        float(budget),
        int(capacity),
    )
