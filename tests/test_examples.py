"""The example apps: snapshots of every stack, the seed walk-through's shape, cfn-lint, and the real CLI."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from tests.support import ROOT, cfn_lint_findings, example_context, normalise


def _load_example_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_app", ROOT / "examples" / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example_templates() -> dict[str, dict[str, Any]]:
    app = _load_example_app().create_app(context=example_context())
    assembly = app.synth()
    return {stack.stack_name: stack.template for stack in assembly.stacks}


def _resources_of_type(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def test_every_example_stack_matches_its_snapshot(
    example_templates: dict[str, dict[str, Any]], snapshot_json: SnapshotAssertion
) -> None:
    for name, template in sorted(example_templates.items()):
        assert normalise(template) == snapshot_json(name=name)


def test_every_example_stack_passes_cfn_lint(example_templates: dict[str, dict[str, Any]]) -> None:
    for name, template in example_templates.items():
        assert cfn_lint_findings(template) == [], name


def test_seed_walkthrough_has_three_quick_connect_kinds_and_two_transfer_flows(
    example_templates: dict[str, dict[str, Any]],
) -> None:
    template = example_templates["SeedWalkthrough"]
    quick_connects = _resources_of_type(template, "AWS::Connect::QuickConnect")
    flows = _resources_of_type(template, "AWS::Connect::ContactFlow")

    assert sorted(q["Properties"]["QuickConnectConfig"]["QuickConnectType"] for q in quick_connects) == [
        "PHONE_NUMBER",
        "QUEUE",
        "USER",
    ]
    assert sorted(f["Properties"]["Type"] for f in flows) == ["AGENT_TRANSFER", "QUEUE_TRANSFER"]
    for flow in flows:
        content = json.loads(flow["Properties"]["Content"])
        identifiers = {action["Identifier"] for action in content["Actions"]}
        assert content["StartAction"] in identifiers


@pytest.mark.skipif(shutil.which("cdk", path=str(ROOT / "node_modules" / ".bin")) is None, reason="run `make setup`")
def test_the_pinned_cdk_cli_synthesizes_the_example_app(tmp_path: Path) -> None:
    cli = ROOT / "node_modules" / ".bin" / "cdk"
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CDK_DISABLE_VERSION_CHECK": "1",
    }
    result = subprocess.run(
        [str(cli), "synth", "--quiet", "--output", str(tmp_path / "cdk.out")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    template = json.loads((tmp_path / "cdk.out" / "SeedWalkthrough.template.json").read_text())
    assert len(_resources_of_type(template, "AWS::Connect::QuickConnect")) == 3
