from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cartera

from .test_contact_plan import small_policy


def test_team_size_by_hand():
    ids = [f"c{k}" for k in range(8)]
    tier = pd.Series(["high"] * 3 + ["low"] * 5, index=ids)
    stage = pd.Series(["contactar"] * 8, index=ids)
    size = cartera.team_size(tier, stage, budget=60, capacity=3, policy=small_policy())
    assert size.tiers["customers"].tolist() == [5, 3]
    assert size.tiers["largest_portfolio"].tolist() == [3, 2]
    assert (size.total_minutes, size.managers_by_time, size.managers_by_capacity, size.managers_needed) == (
        165.0,
        3,
        3,
        3,
    )
    one = cartera.team_size(tier, stage, budget=60, capacity=3, team=1, policy=small_policy())
    assert one.tiers.loc["high", "coverage"] == pytest.approx(2 / 3)
    assert one.customer_coverage == pytest.approx(2 / 8)
    assert "managers_needed=3" in repr(size)


def test_default_policy_shows_why_portfolios_stay_small():
    # A Premium customer at intimar takes 112.5 minutes a period: 42 fit in 80 hours.
    size = cartera.team_size(pd.Series(["Premium"]), pd.Series(["intimar"]), budget=4800)
    assert size.tiers.loc["Premium", "largest_portfolio"] == 42
    assert np.isclose(size.tiers.loc["Premium", "minutes_per_customer"], 112.5)
