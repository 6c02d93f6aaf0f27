"""Shared test helpers: ARNs, synthesis, asset-hash normalisation and cfn-lint."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_connect as connect
from cfnlint.api import lint

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "111122223333"
REGION = "us-east-1"
INSTANCE_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
INSTANCE_ARN = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{INSTANCE_ID}"
OTHER_INSTANCE_ARN = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/ffffffff-bbbb-4ccc-8ddd-eeeeeeeeeeee"
QUEUE_ID = "11111111-2222-4333-8444-555555555555"
QUEUE_ARN = f"{INSTANCE_ARN}/queue/{QUEUE_ID}"
USER_ID = "66666666-7777-4888-9999-000000000000"
USER_ARN = f"{INSTANCE_ARN}/agent/{USER_ID}"
FLOW_ID = "12345678-aaaa-4bbb-8ccc-123456789012"
QUICK_CONNECT_ID = "abcdefab-1111-4222-8333-444444444444"

_ASSET_HASH = re.compile(r"[0-9a-f]{64}")

#: cfn-lint findings accepted in every template, with the reason. Errors are never accepted.
ACCEPTED_CFN_LINT_WARNINGS: dict[str, str] = {
    "W3005": (
        "aws-cdk's lambda.Function given an explicit role adds DependsOn on that role beside its GetAtt; "
        "redundant, harmless, and not ours to change"
    ),
}


def new_stack(name: str = "Stack") -> cdk.Stack:
    """A stack in a fresh app, with a concrete environment so ARNs and regions resolve."""
    app = cdk.App()
    return cdk.Stack(app, name, env=cdk.Environment(account=ACCOUNT, region=REGION))


def owned_cfn_queue(stack: cdk.Stack, construct_id: str = "Owned") -> connect.CfnQueue:
    """A queue the stack itself creates, on the test instance."""
    return connect.CfnQueue(
        stack,
        construct_id,
        instance_arn=INSTANCE_ARN,
        name=construct_id,
        hours_of_operation_arn=f"{INSTANCE_ARN}/operating-hours/h",
    )


def template_of(stack: cdk.Stack) -> dict[str, Any]:
    """The synthesized template of ``stack``."""
    assembly = cdk.Stage.of(stack).synth()  # type: ignore[union-attr]
    template: dict[str, Any] = assembly.get_stack_artifact(stack.artifact_id).template
    return template


def normalise(template: dict[str, Any]) -> dict[str, Any]:
    """The template with asset hashes replaced, so snapshots are stable on any machine."""
    normalised: dict[str, Any] = json.loads(_ASSET_HASH.sub("<asset-hash>", json.dumps(template)))
    return normalised


def cfn_lint_findings(template: dict[str, Any]) -> list[str]:
    """cfn-lint's errors and unaccepted warnings for ``template``, as ``'<rule> <message> (<path>)'``."""
    findings = []
    for match in lint(json.dumps(template), regions=[REGION]):
        rule_id = match.rule.id
        if rule_id.startswith("W") and rule_id in ACCEPTED_CFN_LINT_WARNINGS:
            continue
        if rule_id.startswith("I"):
            continue
        findings.append(f"{rule_id} {match.message} ({'/'.join(str(p) for p in match.path)})")
    return findings


def example_context() -> dict[str, Any]:
    """The context in ``cdk.json``, as the CLI would pass it to ``examples/app.py`` (feature flags included)."""
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def _is_feature_flag(key: str) -> bool:
    return key.startswith("@aws-cdk")


def recommended_feature_flags() -> dict[str, Any]:
    """The feature flags ``cdk init app --language python`` writes for the pinned CLI, as kept in ``cdk.json``."""
    return {key: value for key, value in example_context().items() if _is_feature_flag(key)}


#: The two worlds a user's app lives in: a ``cdk init`` project (recommended flags) or a bare ``cdk.json``.
FLAG_SETS = ("recommended-flags", "bare")


def context_with_flags(flag_set: str, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """``context`` (default: the examples') with the feature flags of ``flag_set`` and no others."""
    base = {key: value for key, value in (example_context() if context is None else context).items()}
    without_flags = {key: value for key, value in base.items() if not _is_feature_flag(key)}
    if flag_set == "bare":
        return without_flags
    return {**without_flags, **recommended_feature_flags()}


def new_app_stack(flag_set: str, name: str = "Stack") -> cdk.Stack:
    """A stack like :func:`new_stack`, in an app with the feature flags of ``flag_set``."""
    app = cdk.App(context=context_with_flags(flag_set, {}))
    return cdk.Stack(app, name, env=cdk.Environment(account=ACCOUNT, region=REGION))


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    """The resources of ``resource_type`` in ``template``, by logical id."""
    return {name: r for name, r in template["Resources"].items() if r["Type"] == resource_type}


def function_log_groups(template: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """Each Lambda function of ``template`` and the log group resource it logs to (None: not in the template)."""
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    found: dict[str, dict[str, Any] | None] = {}
    for name, function in resources_of_type(template, "AWS::Lambda::Function").items():
        reference = function["Properties"].get("LoggingConfig", {}).get("LogGroup", {})
        found[name] = groups.get(str(reference.get("Ref"))) if isinstance(reference, dict) else None
    return found
