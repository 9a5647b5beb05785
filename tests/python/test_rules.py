from __future__ import annotations

import pandas as pd
import pytest

import cartera


def test_rules_first_match_wins_and_errors_point_at_the_mistake():
    frame = pd.DataFrame(
        {"margin": [5.0, -1, 3], "tier": ["Premium", "Medio", "Medio"], "declining": [False, True, False]}
    )
    rules = cartera.Rules([("VIP", "tier == 'Premium' and margin > 0"), ("Watch", "declining")], default="Other")
    labelled = rules.predict(frame)
    assert list(labelled["label"].astype(str)) == ["VIP", "Watch", "Other"]
    assert list(labelled["reason"].astype(str)) == [
        "rule 0: tier == 'Premium' and margin > 0",
        "rule 1: declining",
        "default",
    ]
    with pytest.raises(ValueError, match=r'rules.0 \(value \'X\'\): rule "margin >": position 9: expected a number'):
        cartera.Rules([("X", "margin >")])
    with pytest.raises(ValueError, match='unknown column "marg"; the columns are margin, tier, declining'):
        cartera.Rules([("X", "marg > 1")]).predict(frame)
