"""A stack without a concrete account or Region says which checks could not run; CLI defaults are named as such."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Annotations, Match

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectValidationError,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
    QuickConnectDestination,
)
from tests.support import ACCOUNT, INSTANCE_ARN, QUEUE_ARN, REGION, template_of

WARNING_ID = "cdk-connect-quickconnect:environmentAgnosticStack"


def _stack(env: cdk.Environment | None = None) -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=env)


def _hotline(stack: cdk.Stack, id: str = "Hotline", instance_arn: str = INSTANCE_ARN) -> QuickConnect:
    instance = ConnectInstance.from_instance_arn(stack, f"{id}Instance", instance_arn)
    return QuickConnect(
        stack, id, instance=instance, name=id, destination=QuickConnectDestination.phone_number("+18005550100")
    )


def _warnings(stack: cdk.Stack) -> list[str]:
    return [str(w.entry.data) for w in Annotations.from_stack(stack).find_warning("*", Match.any_value())]


def test_an_environment_agnostic_stack_gets_one_warning_naming_the_checks_and_how_to_give_env() -> None:
    stack = _stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    hotline = _hotline(stack)
    AgentTransferFlow(stack, "AgentFlow", instance=instance, name="Transfer to agent")
    QueueQuickConnectAssociation(
        stack, "OnBasic", queue=Queue.from_queue_arn(stack, "Basic", QUEUE_ARN), quick_connects=[hotline]
    )

    (warning,) = _warnings(stack)
    assert warning.startswith("This stack is environment-agnostic (its account and Region are unknown at synth)")
    assert "the instance of each quick connect and flow, and the queue of each association" in warning
    assert f'env=cdk.Environment(account="{ACCOUNT}", region="{REGION}")' in warning
    assert 'os.environ["CDK_DEFAULT_ACCOUNT"]' in warning
    assert warning.endswith(f"[ack: {WARNING_ID}]")
    assert Annotations.from_stack(stack).find_warning("/Stack", Match.string_like_regexp("environment-agnostic"))


def test_a_stack_with_only_a_region_warns_about_its_account_and_still_checks_its_region() -> None:
    stack = _stack(cdk.Environment(region=REGION))
    _hotline(stack)
    (warning,) = _warnings(stack)
    assert "(its account is unknown at synth)" in warning

    with pytest.raises(ConnectValidationError, match="'instance' must be in the stack's Region us-east-1"):
        _hotline(stack, "Elsewhere", INSTANCE_ARN.replace(REGION, "us-west-2"))


@pytest.mark.parametrize("when", ["before", "after"])
def test_the_warning_can_be_acknowledged(when: str) -> None:
    stack = _stack()
    if when == "before":
        cdk.Annotations.of(stack).acknowledge_warning(WARNING_ID, "one template for every account")
    _hotline(stack)
    if when == "after":
        cdk.Annotations.of(stack).acknowledge_warning(WARNING_ID, "one template for every account")
    assert _warnings(stack) == []


def test_a_stack_with_an_environment_gets_no_warning() -> None:
    stack = _stack(cdk.Environment(account=ACCOUNT, region=REGION))
    _hotline(stack)
    assert _warnings(stack) == []


def test_nothing_to_check_means_no_warning() -> None:
    """An instance known only at deploy time (looked up by alias) could not be checked in any stack."""
    stack = _stack()
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    QuickConnect(
        stack, "Hotline", instance=instance, name="x", destination=QuickConnectDestination.phone_number("+18005550100")
    )
    template_of(stack)
    assert _warnings(stack) == []


@pytest.mark.parametrize(
    ("part", "variable", "value"),
    [("Region", "CDK_DEFAULT_REGION", "eu-west-2"), ("account", "CDK_DEFAULT_ACCOUNT", "444455556666")],
)
def test_a_value_from_the_cli_defaults_is_named_as_such(
    monkeypatch: pytest.MonkeyPatch, part: str, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    env = {"account": ACCOUNT, "region": REGION, ("region" if part == "Region" else "account"): value}
    stack = _stack(cdk.Environment(**env))
    with pytest.raises(ConnectValidationError) as raised:
        _hotline(stack)
    assert str(raised.value).startswith(
        f"'instance' must be in the stack's {part} {value}, taken from {variable} (the CDK CLI sets it from your AWS "
        "profile; give the stack's env to choose) (CloudFormation creates resources only where the stack is;"
    )


def test_a_value_given_explicitly_is_not_said_to_come_from_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_DEFAULT_REGION", "ap-southeast-2")
    stack = _stack(cdk.Environment(account=ACCOUNT, region="eu-west-2"))
    with pytest.raises(ConnectValidationError) as raised:
        _hotline(stack)
    assert str(raised.value).startswith(
        "'instance' must be in the stack's Region eu-west-2 (CloudFormation creates resources only where the stack is;"
    )


def test_an_associations_queue_from_the_cli_region_is_named_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_DEFAULT_REGION", "eu-west-2")
    stack = _stack(cdk.Environment(account=ACCOUNT, region="eu-west-2"))
    queue = Queue.from_queue_arn(stack, "Basic", QUEUE_ARN)
    hotline = QuickConnect.from_quick_connect_arn(stack, "Hotline", f"{INSTANCE_ARN}/transfer-destination/abc")
    with pytest.raises(ConnectValidationError, match="'queue' must be in the stack's Region eu-west-2, taken from"):
        QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=[hotline])
