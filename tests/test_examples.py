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

import aws_cdk as cdk
import pytest
from syrupy.assertion import SnapshotAssertion

from tests.support import (
    ACCOUNT,
    FLAG_SETS,
    REGION,
    ROOT,
    cfn_lint_findings,
    context_with_flags,
    example_context,
    function_log_groups,
    normalise,
    recommended_feature_flags,
    resources_of_type,
)


def _load_example_app() -> ModuleType:
    if str(ROOT / "examples") not in sys.path:
        sys.path.insert(0, str(ROOT / "examples"))  # as `python3 examples/app.py` has it
    spec = importlib.util.spec_from_file_location("example_app", ROOT / "examples" / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=FLAG_SETS)
def flag_set(request: pytest.FixtureRequest) -> str:
    """Each example is synthesized once per world: with ``cdk init``'s feature flags, and with none."""
    return str(request.param)


@pytest.fixture(scope="module")
def example_templates(flag_set: str) -> dict[str, dict[str, Any]]:
    app = _load_example_app().create_app(context=context_with_flags(flag_set))
    assembly = app.synth()
    return {stack.stack_name: stack.template for stack in assembly.stacks}


def _resources_of_type(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def test_every_example_stack_matches_its_snapshot(
    flag_set: str, example_templates: dict[str, dict[str, Any]], snapshot_json: SnapshotAssertion
) -> None:
    for name, template in sorted(example_templates.items()):
        assert normalise(template) == snapshot_json(name=name)


def test_every_example_function_logs_to_a_bounded_group_of_its_stack(
    example_templates: dict[str, dict[str, Any]],
) -> None:
    for name, template in example_templates.items():
        for function, group in function_log_groups(template).items():
            assert group is not None, f"{name}/{function} logs to a group outside the template"
            assert group["DeletionPolicy"] == "Delete", f"{name}/{function}"
        for group_name, group in resources_of_type(template, "AWS::Logs::LogGroup").items():
            assert group["Properties"].get("RetentionInDays"), f"{name}/{group_name} keeps logs forever"


def test_feature_flags_are_the_ones_cdk_init_writes_and_change_the_templates(
    example_templates: dict[str, dict[str, Any]],
) -> None:
    flags = recommended_feature_flags()
    assert len(flags) > 80
    assert flags["@aws-cdk/aws-lambda:useCdkManagedLogGroup"] is True


def test_every_example_stack_passes_cfn_lint(example_templates: dict[str, dict[str, Any]]) -> None:
    for name, template in example_templates.items():
        assert cfn_lint_findings(template) == [], name


def _quick_connect_types(template: dict[str, Any]) -> list[str]:
    quick_connects = _resources_of_type(template, "AWS::Connect::QuickConnect")
    return sorted(q["Properties"]["QuickConnectConfig"]["QuickConnectType"] for q in quick_connects)


def _lookups(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "Custom::ConnectLookup"
    }


def _dependencies(resource: dict[str, Any]) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "Ref" in node:
                found.add(node["Ref"])
            if "Fn::GetAtt" in node:
                found.add(node["Fn::GetAtt"][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(resource.get("Properties", {}))
    depends_on = resource.get("DependsOn", [])
    found.update([depends_on] if isinstance(depends_on, str) else depends_on)
    return found


def _has_cycle(template: dict[str, Any]) -> bool:
    resources = template["Resources"]
    graph = {name: _dependencies(resource) & resources.keys() for name, resource in resources.items()}
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(name: str) -> bool:
        if name in done:
            return False
        if name in visiting:
            return True
        visiting.add(name)
        cyclic = any(visit(dependency) for dependency in graph[name])
        visiting.discard(name)
        done.add(name)
        return cyclic

    return any(visit(name) for name in graph)


def test_seed_walkthrough_looks_up_everything_but_the_instance(
    example_templates: dict[str, dict[str, Any]],
) -> None:
    template = example_templates["SeedWalkthrough"]
    instance_arn = example_context()["instanceArn"]

    assert _quick_connect_types(template) == ["PHONE_NUMBER", "QUEUE", "USER"]
    assert _resources_of_type(template, "AWS::Connect::ContactFlow") == []
    lookups = sorted(
        (p["Kind"], p["Name"], p.get("ContactFlowType"), p["InstanceArn"]) for p in _lookups(template).values()
    )
    assert lookups == [
        ("contact-flow", "Default agent transfer", "AGENT_TRANSFER", instance_arn),
        ("contact-flow", "Default queue transfer", "QUEUE_TRANSFER", instance_arn),
        ("queue", "BasicQueue", None, instance_arn),
        ("user", "mav2", None, instance_arn),
    ]


def test_seed_walkthrough_offers_all_three_quick_connects_on_basic_queue(
    example_templates: dict[str, dict[str, Any]],
) -> None:
    template = example_templates["SeedWalkthrough"]
    (association,) = _resources_of_type(template, "Custom::ConnectQueueQuickConnects")
    queue_lookup = next(name for name, p in _lookups(template).items() if p["Kind"] == "queue")
    quick_connects = [name for name, r in template["Resources"].items() if r["Type"] == "AWS::Connect::QuickConnect"]

    assert association["Properties"]["QueueArn"] == {"Fn::GetAtt": [queue_lookup, "Arn"]}
    assert association["Properties"]["QuickConnectArns"] == [
        {"Fn::GetAtt": [name, "QuickConnectArn"]} for name in quick_connects
    ]


def test_custom_prompts_stack_builds_both_transfer_flows(example_templates: dict[str, dict[str, Any]]) -> None:
    template = example_templates["CustomPrompts"]
    flows = _resources_of_type(template, "AWS::Connect::ContactFlow")

    assert _quick_connect_types(template) == ["PHONE_NUMBER", "QUEUE", "USER"]
    assert sorted(f["Properties"]["Type"] for f in flows) == ["AGENT_TRANSFER", "QUEUE_TRANSFER"]
    for flow in flows:
        content = json.loads(flow["Properties"]["Content"])
        identifiers = {action["Identifier"] for action in content["Actions"]}
        assert content["StartAction"] in identifiers


def test_owned_queue_stack_has_no_dependency_cycle(example_templates: dict[str, dict[str, Any]]) -> None:
    template = example_templates["OwnedQueue"]
    types = {r["Type"] for r in template["Resources"].values()}

    assert {"AWS::Connect::Queue", "AWS::Connect::RoutingProfile", "AWS::Connect::User"} <= types
    assert _quick_connect_types(template) == ["USER"]
    assert not _has_cycle(template)


def test_cycle_check_detects_the_cloudformation_only_design(example_templates: dict[str, dict[str, Any]]) -> None:
    template = json.loads(json.dumps(example_templates["OwnedQueue"]))
    resources = template["Resources"]
    queue = next(name for name, r in resources.items() if r["Type"] == "AWS::Connect::Queue")
    quick_connect = next(name for name, r in resources.items() if r["Type"] == "AWS::Connect::QuickConnect")
    resources[queue]["Properties"]["QuickConnectArns"] = [{"Fn::GetAtt": [quick_connect, "QuickConnectArn"]}]

    assert _has_cycle(template)


def test_agent_initiated_flow_stack_runs_a_looked_up_inbound_flow(
    example_templates: dict[str, dict[str, Any]],
) -> None:
    template = example_templates["AgentInitiatedFlow"]
    (quick_connect,) = _resources_of_type(template, "AWS::Connect::QuickConnect")
    (association,) = _resources_of_type(template, "Custom::ConnectQueueQuickConnects")
    flow_lookup = next(name for name, p in _lookups(template).items() if p["Kind"] == "contact-flow")

    assert _lookups(template)[flow_lookup]["ContactFlowType"] == "CONTACT_FLOW"
    assert quick_connect["Properties"]["QuickConnectConfig"] == {
        "QuickConnectType": "FLOW",
        "FlowConfig": {"ContactFlowArn": {"Fn::GetAtt": [flow_lookup, "Arn"]}},
    }
    assert len(association["Properties"]["QuickConnectArns"]) == 1


def test_after_hours_stack_falls_back_to_the_on_call_number_and_the_overflow_queue(
    example_templates: dict[str, dict[str, Any]],
) -> None:
    template = example_templates["AfterHours"]
    flows = {f["Properties"]["Type"]: f for f in _resources_of_type(template, "AWS::Connect::ContactFlow")}
    overflow = next(name for name, p in _lookups(template).items() if p["Kind"] == "queue")
    queue_flow = _joined_content(flows["QUEUE_TRANSFER"]["Properties"]["Content"])
    actions = {action["Identifier"]: action for action in queue_flow["Actions"]}

    assert actions["closed-transfer-to-number"]["Parameters"]["ThirdPartyPhoneNumber"] == "+18005550142"
    assert actions["closed-transfer-to-number"]["Parameters"]["CallerId"] == {
        "Number": "$.SystemEndpoint.Address",
        "Name": "Billing after hours",
    }
    overflow_arn = {"Fn::GetAtt": [overflow, "Arn"]}
    assert actions["unstaffed-set-queue"]["Parameters"] == {"QueueId": overflow_arn}
    assert actions["at-capacity-set-queue"]["Parameters"] == {"QueueId": overflow_arn}
    agent_flow = _joined_content(flows["AGENT_TRANSFER"]["Properties"]["Content"])
    agent_actions = {action["Identifier"]: action for action in agent_flow["Actions"]}
    billing = next(name for name, r in template["Resources"].items() if r["Type"] == "AWS::Connect::Queue")
    assert agent_actions["at-capacity-set-queue"]["Parameters"] == {"QueueId": {"Fn::GetAtt": [billing, "QueueArn"]}}


def _joined_content(content: Any) -> dict[str, Any]:
    """Flow content rendered with references (an ``Fn::Join``), each reference parsed back in place."""
    if isinstance(content, str):
        parsed: dict[str, Any] = json.loads(content)
        return parsed
    parts = content["Fn::Join"][1]
    markers = {f"@@{index}@@": part for index, part in enumerate(parts) if not isinstance(part, str)}
    text = "".join(part if isinstance(part, str) else f"@@{index}@@" for index, part in enumerate(parts))

    def restore(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: restore(item) for key, item in value.items()}
        if isinstance(value, list):
            return [restore(item) for item in value]
        return markers.get(value, value) if isinstance(value, str) else value

    restored: dict[str, Any] = restore(json.loads(text))
    return restored


def test_every_example_stack_deploys_where_its_instance_is(flag_set: str) -> None:
    assembly = _load_example_app().create_app(context=context_with_flags(flag_set)).synth()
    account, region = ACCOUNT, REGION  # those of the instanceArn in cdk.json

    assert {(s.environment.account, s.environment.region) for s in assembly.stacks} == {(account, region)}


def test_instance_given_by_alias_deploys_to_the_cli_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_DEFAULT_ACCOUNT", "444455556666")
    monkeypatch.setenv("CDK_DEFAULT_REGION", "eu-west-2")
    app = _load_example_app().create_app(context={**example_context(), "instanceAlias": "my-contact-center"})

    stack = app.node.find_child("SeedWalkthrough")
    assert isinstance(stack, cdk.Stack)
    assert (stack.account, stack.region) == ("444455556666", "eu-west-2")


def test_instance_given_by_alias_is_looked_up_without_a_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CDK_DEFAULT_ACCOUNT", raising=False)
    monkeypatch.delenv("CDK_DEFAULT_REGION", raising=False)
    context = {**example_context(), "instanceAlias": "my-contact-center"}
    assembly = _load_example_app().create_app(context=context).synth()
    template = assembly.get_stack_by_name("SeedWalkthrough").template
    instance_lookup = next(name for name, p in _lookups(template).items() if p["Kind"] == "instance")

    assert _lookups(template)[instance_lookup]["Name"] == "my-contact-center"
    assert not _has_cycle(template)
    assert cfn_lint_findings(template) == []


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
    output = (result.stdout + result.stderr).lower()
    assert "feature flag" not in output
    assert "warn" not in output
    for stack in ("SeedWalkthrough", "CustomPrompts", "OwnedQueue", "AgentInitiatedFlow", "AfterHours"):
        template = json.loads((tmp_path / "cdk.out" / f"{stack}.template.json").read_text())
        assert _resources_of_type(template, "AWS::Connect::QuickConnect"), stack
