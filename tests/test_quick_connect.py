from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectValidationError,
    ContactFlow,
    ContactFlowType,
    IContactFlow,
    Queue,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    QuickConnectType,
    User,
)
from tests.support import (
    FLOW_ID,
    INSTANCE_ARN,
    OTHER_INSTANCE_ARN,
    QUEUE_ARN,
    QUICK_CONNECT_ID,
    USER_ARN,
    cfn_lint_findings,
    new_stack,
    template_of,
)


class _Parts:
    def __init__(self) -> None:
        self.stack = new_stack()
        self.instance = ConnectInstance.from_instance_arn(self.stack, "Instance", INSTANCE_ARN)
        self.queue = Queue.from_queue_arn(self.stack, "BasicQueue", QUEUE_ARN)
        self.user = User.from_user_arn(self.stack, "Mav2", USER_ARN)
        self.agent_flow = AgentTransferFlow(self.stack, "AgentFlow", instance=self.instance, name="a")
        self.queue_flow = QueueTransferFlow(self.stack, "QueueFlow", instance=self.instance, name="q")

    def quick_connect(self, destination: QuickConnectDestination, **kwargs: Any) -> QuickConnect:
        props: dict[str, Any] = {"instance": self.instance, "name": "qc", "destination": destination, **kwargs}
        return QuickConnect(self.stack, "QC", **props)

    def get_att(self, construct: Any, attribute: str) -> dict[str, Any]:
        return {"Fn::GetAtt": [self.stack.get_logical_id(construct.node.default_child), attribute]}


@pytest.fixture
def parts() -> _Parts:
    return _Parts()


def test_user_destination_renders_user_config_only(parts: _Parts) -> None:
    parts.quick_connect(QuickConnectDestination.user(parts.user, parts.agent_flow), description="to mav2")

    Template.from_stack(parts.stack).has_resource_properties(
        "AWS::Connect::QuickConnect",
        {
            "InstanceArn": INSTANCE_ARN,
            "Name": "qc",
            "Description": "to mav2",
            "QuickConnectConfig": {
                "QuickConnectType": "USER",
                "UserConfig": {
                    "UserArn": USER_ARN,
                    "ContactFlowArn": parts.get_att(parts.agent_flow, "ContactFlowArn"),
                },
                "QueueConfig": Match.absent(),
                "PhoneConfig": Match.absent(),
            },
        },
    )


def test_queue_destination_renders_queue_config_only(parts: _Parts) -> None:
    parts.quick_connect(QuickConnectDestination.queue(parts.queue, parts.queue_flow))

    Template.from_stack(parts.stack).has_resource_properties(
        "AWS::Connect::QuickConnect",
        {
            "QuickConnectConfig": {
                "QuickConnectType": "QUEUE",
                "QueueConfig": {
                    "QueueArn": QUEUE_ARN,
                    "ContactFlowArn": parts.get_att(parts.queue_flow, "ContactFlowArn"),
                },
                "UserConfig": Match.absent(),
                "PhoneConfig": Match.absent(),
            },
        },
    )


def test_phone_destination_renders_phone_config_only(parts: _Parts) -> None:
    parts.quick_connect(QuickConnectDestination.phone_number("+18005550100"))

    Template.from_stack(parts.stack).has_resource_properties(
        "AWS::Connect::QuickConnect",
        {
            "QuickConnectConfig": {
                "QuickConnectType": "PHONE_NUMBER",
                "PhoneConfig": {"PhoneNumber": "+18005550100"},
                "UserConfig": Match.absent(),
                "QueueConfig": Match.absent(),
            },
            "Description": Match.absent(),
        },
    )


INBOUND_FLOW_ARN = f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}"


def _inbound_flow(parts: _Parts, flow_type: ContactFlowType | None = ContactFlowType.CONTACT_FLOW) -> IContactFlow:
    return ContactFlow.from_contact_flow_arn(parts.stack, "Inbound", INBOUND_FLOW_ARN, flow_type=flow_type)


def test_flow_destination_renders_flow_config_only(parts: _Parts) -> None:
    quick_connect = parts.quick_connect(QuickConnectDestination.flow(_inbound_flow(parts)))

    Template.from_stack(parts.stack).has_resource_properties(
        "AWS::Connect::QuickConnect",
        {
            "QuickConnectConfig": {
                "QuickConnectType": "FLOW",
                "FlowConfig": {"ContactFlowArn": INBOUND_FLOW_ARN},
                "UserConfig": Match.absent(),
                "QueueConfig": Match.absent(),
                "PhoneConfig": Match.absent(),
            },
        },
    )
    assert quick_connect.quick_connect_type is QuickConnectType.FLOW


def test_flow_destination_accepts_a_looked_up_inbound_flow(parts: _Parts) -> None:
    flow = ContactFlow.from_contact_flow_name(
        parts.stack, "Survey", parts.instance, "Send survey", ContactFlowType.CONTACT_FLOW
    )
    parts.quick_connect(QuickConnectDestination.flow(flow))

    template = Template.from_stack(parts.stack)
    template.has_resource_properties(
        "AWS::Connect::QuickConnect",
        {"QuickConnectConfig": {"QuickConnectType": "FLOW", "FlowConfig": {"ContactFlowArn": Match.any_value()}}},
    )
    template.has_resource_properties(
        "Custom::ConnectLookup", {"Kind": "contact-flow", "Name": "Send survey", "ContactFlowType": "CONTACT_FLOW"}
    )


def test_flow_destination_accepts_an_imported_flow_of_undeclared_type(parts: _Parts) -> None:
    parts.quick_connect(QuickConnectDestination.flow(_inbound_flow(parts, flow_type=None)))
    Template.from_stack(parts.stack).has_resource_properties(
        "AWS::Connect::QuickConnect", {"QuickConnectConfig": {"FlowConfig": {"ContactFlowArn": INBOUND_FLOW_ARN}}}
    )


def test_fails_when_flow_destination_runs_a_transfer_flow(parts: _Parts) -> None:
    with pytest.raises(ConnectValidationError) as raised:
        parts.quick_connect(QuickConnectDestination.flow(parts.agent_flow))
    assert str(raised.value) == (
        "'destination.flow' must be a flow of type CONTACT_FLOW for a FLOW quick connect, "
        "got 'Stack/AgentFlow of type AGENT_TRANSFER' (at Stack/QC)"
    )


def test_exposes_arn_id_and_type(parts: _Parts) -> None:
    quick_connect = parts.quick_connect(QuickConnectDestination.phone_number("+18005550100"))
    arn = parts.get_att(quick_connect, "QuickConnectArn")

    assert parts.stack.resolve(quick_connect.quick_connect_arn) == arn
    assert parts.stack.resolve(quick_connect.quick_connect_id) == {"Fn::Select": [3, {"Fn::Split": ["/", arn]}]}
    assert quick_connect.quick_connect_type is QuickConnectType.PHONE_NUMBER
    assert quick_connect.instance_arn == INSTANCE_ARN


@pytest.mark.parametrize("kind", list(QuickConnectType))
def test_imports_by_arn(parts: _Parts, kind: QuickConnectType) -> None:
    arn = f"{INSTANCE_ARN}/transfer-destination/{QUICK_CONNECT_ID}"
    imported = QuickConnect.from_quick_connect_arn(parts.stack, "Imported", arn, quick_connect_type=kind)
    assert (imported.quick_connect_arn, imported.quick_connect_id) == (arn, QUICK_CONNECT_ID)
    assert imported.quick_connect_type is kind
    assert imported.instance_arn == INSTANCE_ARN


def test_imports_a_flow_quick_connect_by_type_name(parts: _Parts) -> None:
    arn = f"{INSTANCE_ARN}/transfer-destination/{QUICK_CONNECT_ID}"
    imported = QuickConnect.from_quick_connect_arn(
        parts.stack,
        "Imported",
        arn,
        quick_connect_type="FLOW",  # type: ignore[arg-type]
    )
    assert imported.quick_connect_type is QuickConnectType.FLOW


def test_accepts_imported_flows_of_the_right_type(parts: _Parts) -> None:
    flow = ContactFlow.from_contact_flow_arn(
        parts.stack,
        "DefaultAgent",
        f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}",
        flow_type=ContactFlowType.AGENT_TRANSFER,
    )
    parts.quick_connect(QuickConnectDestination.user(parts.user, flow))
    Template.from_stack(parts.stack).has_resource_properties(
        "AWS::Connect::QuickConnect",
        {"QuickConnectConfig": {"UserConfig": {"ContactFlowArn": f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}"}}},
    )


def test_passes_unresolved_tokens_through() -> None:
    stack = new_stack()
    instance_arn = cdk.CfnParameter(stack, "InstanceArn").value_as_string
    number = cdk.CfnParameter(stack, "Number").value_as_string
    name = cdk.CfnParameter(stack, "Name").value_as_string
    instance = ConnectInstance.from_instance_arn(stack, "Instance", instance_arn)
    queue = Queue.from_queue_arn(stack, "Queue", cdk.CfnParameter(stack, "QueueArn").value_as_string)
    flow = QueueTransferFlow(stack, "Flow", instance=instance, name="q")
    QuickConnect(stack, "Phone", instance=instance, name=name, destination=QuickConnectDestination.phone_number(number))
    QuickConnect(stack, "ToQueue", instance=instance, name="q", destination=QuickConnectDestination.queue(queue, flow))

    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Connect::QuickConnect", 2)
    template.has_resource_properties(
        "AWS::Connect::QuickConnect",
        {"Name": {"Ref": "Name"}, "QuickConnectConfig": {"PhoneConfig": {"PhoneNumber": {"Ref": "Number"}}}},
    )
    assert stack.resolve(queue.instance_arn) == {
        "Fn::Join": [
            "/",
            [
                {"Fn::Select": [0, {"Fn::Split": ["/", {"Ref": "QueueArn"}]}]},
                {"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "QueueArn"}]}]},
            ],
        ]
    }
    assert stack.resolve(instance.instance_id) == {"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "InstanceArn"}]}]}


@pytest.mark.parametrize("number", ["18005550100", "+0800555", "+1", "+1234567890123456", "+1 800 555 0100"])
def test_fails_when_phone_number_is_not_e164(parts: _Parts, number: str) -> None:
    with pytest.raises(ConnectValidationError) as raised:
        parts.quick_connect(QuickConnectDestination.phone_number(number))
    assert str(raised.value) == (
        "'destination.phone_number' must be an E.164 number: '+', a country code and at most 15 digits "
        f"(e.g. '+18005550100'), got {number!r} (at Stack/QC)"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "'name' must be 1-127 characters, got '' (0 characters) (at Stack/QC)"),
        (
            {"name": "x" * 128},
            "'name' must be 1-127 characters, got '" + "x" * 128 + "' (128 characters) (at Stack/QC)",
        ),
        ({"description": ""}, "'description' must be 1-250 characters, got '' (0 characters) (at Stack/QC)"),
        ({"description": "d" * 251}, "'description' must be 1-250 characters, got 'ddd"),
    ],
)
def test_fails_when_name_or_description_break_limits(parts: _Parts, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConnectValidationError) as raised:
        parts.quick_connect(QuickConnectDestination.phone_number("+18005550100"), **kwargs)
    assert str(raised.value).startswith(message)


def test_accepts_name_and_description_at_their_limits(parts: _Parts) -> None:
    parts.quick_connect(QuickConnectDestination.phone_number("+18005550100"), name="x" * 127, description="d" * 250)
    Template.from_stack(parts.stack).has_resource_properties("AWS::Connect::QuickConnect", {"Name": "x" * 127})


def test_fails_when_user_destination_uses_a_queue_transfer_flow(parts: _Parts) -> None:
    with pytest.raises(ConnectValidationError) as raised:
        parts.quick_connect(QuickConnectDestination.user(parts.user, parts.queue_flow))
    assert str(raised.value) == (
        "'destination.flow' must be a flow of type AGENT_TRANSFER for a USER quick connect, "
        "got 'Stack/QueueFlow of type QUEUE_TRANSFER' (at Stack/QC)"
    )


def test_fails_when_queue_destination_uses_an_imported_agent_transfer_flow(parts: _Parts) -> None:
    flow = ContactFlow.from_contact_flow_arn(
        parts.stack, "Imported", f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=ContactFlowType.AGENT_TRANSFER
    )
    with pytest.raises(ConnectValidationError) as raised:
        parts.quick_connect(QuickConnectDestination.queue(parts.queue, flow))
    assert str(raised.value) == (
        "'destination.flow' must be a flow of type QUEUE_TRANSFER for a QUEUE quick connect, "
        "got 'Stack/Imported of type AGENT_TRANSFER' (at Stack/QC)"
    )


@pytest.mark.parametrize("member", ["queue", "user", "flow", "flow quick connect"])
def test_fails_when_a_destination_belongs_to_another_instance(parts: _Parts, member: str) -> None:
    other_queue = Queue.from_queue_arn(parts.stack, "OtherQueue", OTHER_INSTANCE_ARN + "/queue/q1")
    other_user = User.from_user_arn(parts.stack, "OtherUser", OTHER_INSTANCE_ARN + "/agent/u1")
    other_flow = ContactFlow.from_contact_flow_arn(
        parts.stack, "OtherFlow", OTHER_INSTANCE_ARN + "/contact-flow/f1", flow_type=ContactFlowType.QUEUE_TRANSFER
    )
    destination = {
        "queue": QuickConnectDestination.queue(other_queue, parts.queue_flow),
        "user": QuickConnectDestination.user(other_user, parts.agent_flow),
        "flow": QuickConnectDestination.queue(parts.queue, other_flow),
        "flow quick connect": QuickConnectDestination.flow(
            ContactFlow.from_contact_flow_arn(parts.stack, "OtherInbound", OTHER_INSTANCE_ARN + "/contact-flow/f2")
        ),
    }[member]
    with pytest.raises(ConnectValidationError) as raised:
        parts.quick_connect(destination)
    prop = member.split()[0]
    assert str(raised.value) == (
        f"'destination.{prop}' must belong to the quick connect's instance {INSTANCE_ARN}, "
        f"got {OTHER_INSTANCE_ARN!r} (at Stack/QC)"
    )


def test_quick_connect_templates_pass_cfn_lint(parts: _Parts) -> None:
    QuickConnect(
        parts.stack,
        "ToUser",
        instance=parts.instance,
        name="u",
        destination=QuickConnectDestination.user(parts.user, parts.agent_flow),
    )
    QuickConnect(
        parts.stack,
        "ToQueue",
        instance=parts.instance,
        name="q",
        destination=QuickConnectDestination.queue(parts.queue, parts.queue_flow),
    )
    QuickConnect(
        parts.stack,
        "ToFlow",
        instance=parts.instance,
        name="f",
        destination=QuickConnectDestination.flow(_inbound_flow(parts)),
    )
    parts.quick_connect(QuickConnectDestination.phone_number("+18005550100"))
    assert cfn_lint_findings(template_of(parts.stack)) == []
