from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cartera


def test_structure_table_rules_and_counts():
    frame = pd.DataFrame(
        {
            "providers": [1, 1, 3, 2, 4],
            "peer_exchange": [0, 1, 0, 1, 0],
            "segment": ["Medio", "Medio", "Medio", "Medio", "Premium"],
        },
        index=list("abcde"),
    )
    manager = pd.Series(["m1", "m2", "m1", None, "m1"], index=frame.index)
    s = cartera.relationship_structure(
        frame, manager=manager, rules=[("workbench", "segment == 'Premium' and providers >= 4")]
    )
    assert s.customers["structure"].tolist() == ["interview", "group", "panel", "workbench", "workbench"]
    assert s.customers.loc["c", "reason"] == "3 providers ≥ 2, private information"
    assert s.customers.loc["e", "reason"] == "rule 1: segment == 'Premium' and providers >= 4"
    assert s.counts.loc["m1"].tolist() == [1, 0, 1, 1]
    assert s.counts.iloc[-1].tolist() == [0, 0, 0, 1]
    rules = cartera.Rules([("panel", "providers >= 1")])
    assert set(cartera.relationship_structure(frame, rules=rules).customers["structure"]) == {"panel"}
    alone = cartera.relationship_structure(frame[["providers"]], many_providers=3)
    assert alone.customers["structure"].tolist() == ["interview", "interview", "panel", "interview", "panel"]
    assert alone.counts.sum(axis=1).tolist() == [5]


def test_structure_errors_are_named():
    frame = pd.DataFrame({"providers": [1.0, np.nan]}, index=["a", "b"])
    with pytest.raises(ValueError, match=r"structure.providers row 1 \(value nan\): must be a number >= 0"):
        cartera.relationship_structure(frame)
    with pytest.raises(ValueError, match=r"structure.providers: is required"):
        cartera.relationship_structure(frame.rename(columns={"providers": "areas"}))
    with pytest.raises(ValueError, match=r"a rule's label must be interview, group, panel or workbench"):
        cartera.relationship_structure(frame.fillna(1), rules=[("village", "providers > 0")])
