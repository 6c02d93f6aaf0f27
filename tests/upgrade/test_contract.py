"""Logical ids and ServiceToken targets are a contract with every stack deployed with an earlier release.

A changed logical id makes CloudFormation replace a resource (the old one's Delete runs in the cleanup phase, with
the old properties); a changed ServiceToken is refused outright ("Modifying service token is not allowed"). So
for every template the last release synthesized, this tree must synthesize the same custom resources under the
same logical ids, served by a function of the same logical id, unless the change is listed in
`ALLOWED_CHANGES` with the upgrade test that proves it safe, and the version says so (semantic versioning: a new
major version, or a new minor version before 1.0).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support import ROOT
from tests.upgrade.test_upgrade import RELEASE, current_template, release_template

#: Release template name -> {logical id whose resource or ServiceToken target changes: the upgrade test proving it
#: removes nothing}. Empty: no release-0.1.0 resource changes logical id or ServiceToken target.
ALLOWED_CHANGES: dict[str, dict[str, str]] = {}


def _service_token_target(resource: dict[str, Any]) -> str | None:
    token = resource.get("Properties", {}).get("ServiceToken")
    if isinstance(token, dict) and "Fn::GetAtt" in token:
        target, attribute = token["Fn::GetAtt"]
        return f"{target}.{attribute}"
    return None


def contract_breaks(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Custom resources of `old` that `new` drops, retypes or serves from another function: logical id -> why."""
    breaks = {}
    for logical_id, resource in old["Resources"].items():
        if not resource["Type"].startswith("Custom::"):
            continue
        now = new["Resources"].get(logical_id)
        if now is None:
            breaks[logical_id] = "no longer in the template (a replacement: the old one's Delete runs at cleanup)"
        elif now["Type"] != resource["Type"]:
            breaks[logical_id] = f"type {resource['Type']} became {now['Type']}"
        elif _service_token_target(now) != _service_token_target(resource):
            breaks[logical_id] = (
                f"ServiceToken {_service_token_target(resource)} became {_service_token_target(now)} "
                "(CloudFormation refuses it)"
            )
    return breaks


@pytest.mark.parametrize("name", RELEASE["templates"])
def test_every_custom_resource_keeps_its_logical_id_and_service_token_target(name: str) -> None:
    breaks = contract_breaks(release_template(name), current_template(name))
    unexplained = {key: why for key, why in breaks.items() if key not in ALLOWED_CHANGES.get(name, {})}
    assert unexplained == {}, (
        "a change alters what existing stacks hold; keep the ids, or list it in ALLOWED_CHANGES with an upgrade "
        "test that deploys the release's template then this one, and bump the version"
    )


def test_the_contract_check_finds_a_renamed_resource_and_a_new_service_token() -> None:
    old = {
        "Resources": {
            "A": {"Type": "Custom::X", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn1", "Arn"]}}},
            "B": {"Type": "Custom::X", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn1", "Arn"]}}},
            "C": {"Type": "Custom::X", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn1", "Arn"]}}},
            "Fn1": {"Type": "AWS::Lambda::Function"},
        }
    }
    new = {
        "Resources": {
            "A2": {"Type": "Custom::X", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn1", "Arn"]}}},
            "B": {"Type": "Custom::X", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn2", "Arn"]}}},
            "C": {"Type": "Custom::X", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn1", "Arn"]}}},
        }
    }
    assert sorted(contract_breaks(old, new)) == ["A", "B"]


def _version(text: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", text)
    assert match, text
    return int(match[1]), int(match[2]), int(match[3])


def _upgrade_tests() -> set[str]:
    return {
        node.name
        for path in Path(__file__).parent.glob("test_*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def test_allowed_changes_name_an_upgrade_test_and_come_with_a_breaking_version() -> None:
    current = _version(re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)[1])  # type: ignore[index]
    released = _version(RELEASE["version"])
    assert current > released, "this tree changes what the release synthesizes: its version must be newer"
    for name, changes in ALLOWED_CHANGES.items():
        for logical_id, test in changes.items():
            assert test in _upgrade_tests(), f"{name} {logical_id}: no upgrade test {test}"
            breaking = current[0] > released[0] if released[0] >= 1 else current[:2] > released[:2]
            assert breaking, f"{name} {logical_id} changes a logical id or ServiceToken: a breaking version is owed"
