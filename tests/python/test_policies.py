"""What every policy class shares, from the bindings' one table of fields: keywords,
dicts, properties that validate, clear errors, equality, repr and pickling."""

from __future__ import annotations

import pickle

import pytest

import cartera

# A value out of each policy's rules, and the error that names it.
OUT_OF_RANGE = {
    cartera.ValuePolicy: ("window_days", -1, r"value_policy.window_days \(value -1\): must be positive"),
    cartera.StagePolicy: ("grace_days", -3, r"stage_policy.grace_days \(value -3\)"),
    cartera.AlertPolicy: ("mvc_share", 2.0, r"alert_policy.mvc_share \(value 2\): must be in \[0, 1\]"),
    cartera.AssignmentPolicy: ("band_tolerance", -1.0, r"band_tolerance \(value -1\): must be finite, >= 0"),
    cartera.ContactPolicy: ("period_days", 0, r"contact_policy.period_days \(value 0\): must be >= 1"),
    cartera.ReferralPolicy: ("damping", 1.5, r"referral_policy.damping \(value 1.5\): must be in \(0, 1\)"),
}
POLICIES = list(OUT_OF_RANGE)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.__name__)
def test_fields_round_trip_through_dicts_keywords_repr_and_pickle(policy):
    default = policy()
    fields = default.to_dict()
    assert tuple(fields) == policy.fields
    assert policy.from_dict(fields) == default
    assert policy(**fields) == default
    assert pickle.loads(pickle.dumps(default)) == default
    assert eval(repr(default), {policy.__name__: policy}) == default
    for name in policy.fields:
        assert getattr(default, name) == fields[name]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.__name__)
def test_a_property_refuses_a_value_out_of_range_and_keeps_the_old_one(policy):
    field, value, message = OUT_OF_RANGE[policy]
    p = policy()
    before = getattr(p, field)
    with pytest.raises(ValueError, match=message):
        setattr(p, field, value)
    assert getattr(p, field) == before
    with pytest.raises(ValueError, match=message):
        policy(**{field: value})
    with pytest.raises(ValueError, match=message):
        policy.from_dict({field: value})


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.__name__)
def test_a_value_of_the_wrong_type_is_a_type_error_naming_the_field(policy):
    field = OUT_OF_RANGE[policy][0]
    p = policy()
    with pytest.raises(TypeError, match=rf"{field} \(value 'many'\): expected a"):
        setattr(p, field, "many")
    with pytest.raises(TypeError, match=rf"{field} \(value 'many'\): expected a"):
        policy(**{field: "many"})


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.__name__)
def test_an_unknown_field_lists_the_fields(policy):
    with pytest.raises(ValueError, match="unknown field; the fields are " + ", ".join(policy.fields)):
        policy(speed=3)


def test_a_property_set_is_what_to_dict_reads():
    p = cartera.AlertPolicy()
    p.lapsed_days = 365
    assert p.to_dict()["lapsed_days"] == 365 and p != cartera.AlertPolicy()
    stages = cartera.StagePolicy()
    stages.intimar = {"min_relational": 7}
    assert stages.intimar == {"min_relational": 7, "min_profile": 0.5, "min_breadth": 2, "max_gap_days": 120}
    with pytest.raises(TypeError, match=r"stage_policy.intimar.min_relational \(value 'a'\): expected a whole number"):
        stages.intimar = {"min_relational": "a"}
    assignment = cartera.AssignmentPolicy()
    assignment.continuity = {"confiar": 500}
    assert assignment.continuity["confiar"] == 500 and assignment.continuity["intimar"] == 60
    contact = cartera.ContactPolicy()
    contact.working_days = ["mon", "sat"]
    assert contact.to_dict()["working_days"] == ["mon", "sat"]
