from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectValidationError,
    ContactFlow,
    ContactFlowType,
    Prompt,
    QueueTransferFlow,
)
from tests.support import FLOW_ID, INSTANCE_ARN, INSTANCE_ID, cfn_lint_findings, new_stack, template_of


def _content(stack: Any) -> dict[str, Any]:
    template = Template.from_stack(stack)
    (flow,) = template.find_resources("AWS::Connect::ContactFlow").values()
    content: dict[str, Any] = json.loads(flow["Properties"]["Content"])
    return content


def _graph(content: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    return {a["Identifier"]: (a["Type"], a["Parameters"], a["Transitions"]) for a in content["Actions"]}


def test_agent_transfer_flow_renders_the_default_agent_transfer() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    AgentTransferFlow(stack, "Flow", instance=instance, name="Transfer to agent")

    Template.from_stack(stack).has_resource_properties(
        "AWS::Connect::ContactFlow",
        {"InstanceArn": INSTANCE_ARN, "Name": "Transfer to agent", "Type": "AGENT_TRANSFER"},
    )
    content = _content(stack)
    graph = _graph(content)
    assert content["StartAction"] == "transferring-prompt"
    assert graph["transferring-prompt"] == (
        "MessageParticipant",
        {"Text": "Transferring now..."},
        {"NextAction": "set-agent-queue"},
    )
    assert graph["set-agent-queue"] == (
        "UpdateContactTargetQueue",
        {"AgentId": "$.Agent.ARN"},
        {"NextAction": "transfer", "Errors": [{"NextAction": "failure-prompt", "ErrorType": "NoMatchingError"}]},
    )
    assert graph["transfer"][0] == "TransferContactToQueue"
    assert graph["transfer"][2]["Errors"] == [
        {"NextAction": "failure-prompt", "ErrorType": "QueueAtCapacity"},
        {"NextAction": "failure-prompt", "ErrorType": "NoMatchingError"},
    ]
    assert graph["failure-prompt"] == (
        "MessageParticipant",
        {"Text": "Failed to transfer."},
        {"NextAction": "disconnect"},
    )
    assert graph["disconnect"] == ("DisconnectParticipant", {}, {})


def test_agent_transfer_flow_takes_custom_prompts() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    AgentTransferFlow(
        stack,
        "Flow",
        instance=instance,
        name="n",
        prompt=Prompt.ssml("<speak>One moment</speak>"),
        failure_prompt="Sorry.",
    )
    graph = _graph(_content(stack))
    assert graph["transferring-prompt"][1] == {"SSML": "<speak>One moment</speak>"}
    assert graph["failure-prompt"][1] == {"Text": "Sorry."}


def test_queue_transfer_flow_checks_hours_then_staffing_then_transfers() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    QueueTransferFlow(stack, "Flow", instance=instance, name="Transfer to queue")

    Template.from_stack(stack).has_resource_properties("AWS::Connect::ContactFlow", {"Type": "QUEUE_TRANSFER"})
    content = _content(stack)
    graph = _graph(content)
    assert content["StartAction"] == "check-hours"
    hours = graph["check-hours"]
    assert hours[0] == "CheckHoursOfOperation"
    assert hours[2]["Conditions"] == [
        {"NextAction": "check-staffing", "Condition": {"Operator": "Equals", "Operands": ["True"]}},
        {"NextAction": "closed-prompt", "Condition": {"Operator": "Equals", "Operands": ["False"]}},
    ]
    staffing = graph["check-staffing"]
    assert staffing[:2] == ("CheckMetricData", {"MetricType": "NumberOfAgentsStaffed"})
    assert staffing[2]["Conditions"] == [
        {"NextAction": "transferring-prompt", "Condition": {"Operator": "NumberGreaterThan", "Operands": ["0"]}}
    ]
    assert {"NextAction": "unstaffed-prompt", "ErrorType": "NoMatchingCondition"} in staffing[2]["Errors"]
    assert graph["transferring-prompt"][1:] == ({"Text": "Now transferring."}, {"NextAction": "transfer"})
    for goodbye in ("closed-prompt", "unstaffed-prompt", "failure-prompt"):
        assert graph[goodbye][0] == "MessageParticipant"
        assert graph[goodbye][2] == {"NextAction": "disconnect"}


@pytest.mark.parametrize(
    ("hours", "staffing", "start", "absent"),
    [
        (False, True, "check-staffing", {"check-hours", "closed-prompt"}),
        (True, False, "check-hours", {"check-staffing", "unstaffed-prompt"}),
        (False, False, "transferring-prompt", {"check-hours", "closed-prompt", "check-staffing", "unstaffed-prompt"}),
    ],
)
def test_queue_transfer_flow_checks_can_be_switched_off(
    hours: bool, staffing: bool, start: str, absent: set[str]
) -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    QueueTransferFlow(
        stack, "Flow", instance=instance, name="n", check_hours_of_operation=hours, check_staffing=staffing
    )
    content = _content(stack)
    assert content["StartAction"] == start
    assert not absent & set(_graph(content))
    if hours:
        assert _graph(content)["check-hours"][2]["Conditions"][0]["NextAction"] == "transferring-prompt"


def test_flow_exposes_arn_id_and_type() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    flow = AgentTransferFlow(stack, "Flow", instance=instance, name="n")

    assert flow.flow_type is ContactFlowType.AGENT_TRANSFER
    assert flow.instance_arn == INSTANCE_ARN
    logical_id = stack.get_logical_id(flow.node.default_child)
    assert stack.resolve(flow.contact_flow_arn) == {"Fn::GetAtt": [logical_id, "ContactFlowArn"]}
    last_segment = {"Fn::Select": [3, {"Fn::Split": ["/", {"Fn::GetAtt": [logical_id, "ContactFlowArn"]}]}]}
    assert stack.resolve(flow.contact_flow_id) == {"Fn::Select": [0, {"Fn::Split": [":", last_segment]}]}


def test_imported_flow_carries_its_declared_type_and_parsed_ids() -> None:
    stack = new_stack()
    arn = f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}"
    flow = ContactFlow.from_contact_flow_arn(stack, "Flow", arn, flow_type=ContactFlowType.AGENT_TRANSFER)

    assert flow.flow_type is ContactFlowType.AGENT_TRANSFER
    assert flow.contact_flow_arn == arn
    assert flow.contact_flow_id == FLOW_ID
    assert flow.instance_arn == INSTANCE_ARN
    assert ContactFlow.from_contact_flow_arn(stack, "Untyped", arn).flow_type is None


def test_contact_flow_type_lists_every_cloudformation_type() -> None:
    assert {t.value for t in ContactFlowType} == {
        "CONTACT_FLOW",
        "CUSTOMER_QUEUE",
        "CUSTOMER_HOLD",
        "CUSTOMER_WHISPER",
        "AGENT_HOLD",
        "AGENT_WHISPER",
        "OUTBOUND_WHISPER",
        "AGENT_TRANSFER",
        "QUEUE_TRANSFER",
        "CAMPAIGN",
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "'name' must be 1-127 characters, got '' (0 characters) (at Stack/Flow)"),
        ({"name": "n" * 128}, "'name' must be 1-127 characters, got 'nnnn"),
        ({"name": "n", "description": "d" * 501}, "'description' must be 1-500 characters, got 'ddd"),
    ],
)
def test_fails_when_flow_props_break_limits(kwargs: dict[str, Any], message: str) -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        AgentTransferFlow(stack, "Flow", instance=instance, **kwargs)
    assert message in str(raised.value)
    assert "(at Stack/Flow)" in str(raised.value)


def test_fails_when_a_prompt_is_longer_than_connect_plays() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        QueueTransferFlow(stack, "Flow", instance=instance, name="n", prompt="x" * 3_001)
    assert str(raised.value).startswith("'prompt' must be at most 3,000 characters of text, has 3,001, got 'xxx")
    assert str(raised.value).endswith("(3001 characters) (at Stack/Flow)")


@pytest.mark.parametrize(
    "arn",
    [
        "not-an-arn",
        f"{INSTANCE_ARN}/queue/{FLOW_ID}",
        f"arn:aws:connect:us-east-1:1234:instance/{INSTANCE_ID}/contact-flow/{FLOW_ID}",
    ],
)
def test_fails_when_an_imported_flow_arn_is_malformed(arn: str) -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError) as raised:
        ContactFlow.from_contact_flow_arn(stack, "Flow", arn)
    assert str(raised.value) == (
        "'contact_flow_arn' must be an Amazon Connect ARN "
        "'arn:<partition>:connect:<region>:<account>:instance/<instanceId>/contact-flow/<id>', "
        f"got {arn!r} (at Stack/Flow)"
    )


def test_flow_templates_pass_cfn_lint() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    AgentTransferFlow(stack, "Agent", instance=instance, name="a")
    QueueTransferFlow(stack, "Queue", instance=instance, name="q")
    assert cfn_lint_findings(template_of(stack)) == []


def test_agent_transfer_flow_carries_a_left_to_right_layout_for_the_designer() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    AgentTransferFlow(stack, "Flow", instance=instance, name="Transfer to agent")
    metadata = _content(stack)["Metadata"]

    xs = {identifier: value["position"]["x"] for identifier, value in metadata["ActionMetadata"].items()}
    assert list(xs) == ["transferring-prompt", "set-agent-queue", "transfer", "failure-prompt", "disconnect"]
    assert sorted(xs.values()) == list(xs.values()) and len(set(xs.values())) == 5
    assert metadata["entryPointPosition"]["x"] < xs["transferring-prompt"]
