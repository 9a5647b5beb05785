"""The type stubs of cartera._core say what the compiled module holds: every policy's
fields, in the order of the bindings' field table, typed as their defaults are."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import cartera
from cartera import _core

STUBS = Path(cartera.__file__).with_name("_core.pyi")
POLICIES = [
    name for name in dir(_core) if isinstance(getattr(_core, name), type) and hasattr(getattr(_core, name), "from_dict")
]


def stub_attributes(class_name: str) -> dict[str, str]:
    tree = ast.parse(STUBS.read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            attributes = {}
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and item.target.id != "fields":
                    attributes[item.target.id] = ast.unparse(item.annotation)
                elif isinstance(item, ast.FunctionDef) and any(
                    ast.unparse(d) == "property" for d in item.decorator_list
                ):
                    attributes[item.name] = ast.unparse(item.returns)
            return attributes
    raise AssertionError(f"{class_name} is not in {STUBS.name}")


def matches(annotation: str, value: object) -> bool:
    kinds = {"bool": bool, "int": int, "float": float, "str": str, "dict": dict, "list": list}
    kind = kinds[annotation.split("[")[0]]
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, float)
    return isinstance(value, kind)


def test_every_policy_is_found():
    assert set(POLICIES) >= {
        "ValuePolicy",
        "StagePolicy",
        "AlertPolicy",
        "AssignmentPolicy",
        "ContactPolicy",
        "ReferralPolicy",
    }


@pytest.mark.parametrize("name", POLICIES)
def test_stubs_list_the_fields_in_order_with_their_types(name):
    policy = getattr(_core, name)
    attributes = stub_attributes(name)
    assert tuple(attributes) == policy.fields
    defaults = policy().to_dict()
    assert tuple(defaults) == policy.fields
    for field, annotation in attributes.items():
        assert matches(annotation, defaults[field]), (
            f"{name}.{field}: stub says {annotation}, default is {defaults[field]!r}"
        )
        assert getattr(policy(), field) == defaults[field]


def test_the_assignment_problem_stubs_list_its_fields_in_order():
    attributes = [
        name for name in stub_attributes("AssignmentProblem") if name not in ("customers", "managers", "arcs")
    ]
    assert tuple(attributes) == _core.AssignmentProblem.fields


def test_stubtest_finds_that_stubs_and_module_agree():
    """mypy's stubtest: every name, signature and default in _core.pyi against the module."""
    allowlist = Path(__file__).with_name("stubtest_allowlist.txt")
    run = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "cartera._core", "--allowlist", str(allowlist)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
