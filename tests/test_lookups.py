from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from syrupy.assertion import SnapshotAssertion

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectValidationError,
    ContactFlow,
    ContactFlowType,
    Queue,
    QueueQuickConnectAssociation,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    User,
)
from tests.support import ACCOUNT, INSTANCE_ARN, QUEUE_ARN, REGION, cfn_lint_findings, normalise, template_of


def _stack(context: dict[str, Any] | None = None) -> cdk.Stack:
    app = cdk.App(context=context)
    return cdk.Stack(app, "Stack", env=cdk.Environment(account=ACCOUNT, region=REGION))


def _instance(stack: cdk.Stack) -> Any:
    return ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)


def _lookup_properties(stack: cdk.Stack) -> list[dict[str, Any]]:
    resources = Template.from_stack(stack).find_resources("Custom::ConnectLookup")
    plumbing = {"ServiceToken", "ServiceTimeout"}
    return [{k: v for k, v in resource["Properties"].items() if k not in plumbing} for resource in resources.values()]


def _get_att(stack: cdk.Stack, construct: Any, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [stack.get_logical_id(construct.node.find_child("Resource").node.default_child), attribute]}


def test_queue_from_name_is_a_deploy_time_lookup() -> None:
    stack = _stack()
    queue = Queue.from_queue_name(stack, "BasicQueue", _instance(stack), "BasicQueue")

    assert _lookup_properties(stack) == [{"Kind": "queue", "Name": "BasicQueue", "InstanceArn": INSTANCE_ARN}]
    assert stack.resolve(queue.queue_arn) == _get_att(stack, queue, "Arn")
    assert stack.resolve(queue.queue_id) == _get_att(stack, queue, "Id")
    assert queue.instance_arn == INSTANCE_ARN


def test_user_from_username_is_a_deploy_time_lookup() -> None:
    stack = _stack()
    user = User.from_username(stack, "Mav2", _instance(stack), "mav2")

    assert _lookup_properties(stack) == [{"Kind": "user", "Name": "mav2", "InstanceArn": INSTANCE_ARN}]
    assert stack.resolve(user.user_arn) == _get_att(stack, user, "Arn")
    assert stack.resolve(user.user_id) == _get_att(stack, user, "Id")


@pytest.mark.parametrize(
    ("factory", "name", "flow_type"),
    [
        (AgentTransferFlow.from_default, "Default agent transfer", ContactFlowType.AGENT_TRANSFER),
        (QueueTransferFlow.from_default, "Default queue transfer", ContactFlowType.QUEUE_TRANSFER),
    ],
)
def test_default_transfer_flows_are_looked_up_by_name_and_type(factory: Any, name: str, flow_type: Any) -> None:
    stack = _stack()
    flow = factory(stack, "Default", _instance(stack))

    assert _lookup_properties(stack) == [
        {"Kind": "contact-flow", "Name": name, "ContactFlowType": flow_type.value, "InstanceArn": INSTANCE_ARN}
    ]
    assert flow.flow_type is flow_type
    assert stack.resolve(flow.contact_flow_arn) == _get_att(stack, flow, "Arn")


def test_any_flow_can_be_looked_up_by_name() -> None:
    stack = _stack()
    ContactFlow.from_contact_flow_name(
        stack, "Flow", _instance(stack), "My transfer", ContactFlowType.QUEUE_TRANSFER, refresh="2026-11-26"
    )
    assert _lookup_properties(stack) == [
        {
            "Kind": "contact-flow",
            "Name": "My transfer",
            "ContactFlowType": "QUEUE_TRANSFER",
            "InstanceArn": INSTANCE_ARN,
            "Refresh": "2026-11-26",
        }
    ]


def test_instance_from_alias_is_a_deploy_time_lookup() -> None:
    stack = _stack()
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    queue = Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")

    instance_arn = _get_att(stack, instance, "Arn")
    assert stack.resolve(instance.instance_arn) == instance_arn
    assert stack.resolve(instance.instance_id) == _get_att(stack, instance, "Id")
    assert {"Kind": "instance", "Name": "my-contact-center"} in _lookup_properties(stack)
    assert {"Kind": "queue", "Name": "BasicQueue", "InstanceArn": instance_arn} in _lookup_properties(stack)
    assert stack.resolve(queue.instance_arn) == instance_arn


def test_context_arns_replace_lookups() -> None:
    flow_arn = f"{INSTANCE_ARN}/contact-flow/f-1"
    context = {
        "connectLookups": {
            "instance:my-contact-center": INSTANCE_ARN,
            "queue:BasicQueue": QUEUE_ARN,
            "user:mav2": f"{INSTANCE_ARN}/agent/u-1",
            "contact-flow:AGENT_TRANSFER:Default agent transfer": flow_arn,
        }
    }
    stack = _stack(context)
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    queue = Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
    user = User.from_username(stack, "Mav2", instance, "mav2")
    flow = AgentTransferFlow.from_default(stack, "DefaultAgent", instance)

    assert (instance.instance_arn, queue.queue_arn, queue.queue_id) == (INSTANCE_ARN, QUEUE_ARN, QUEUE_ARN[-36:])
    assert (user.user_arn, flow.contact_flow_arn, flow.flow_type) == (
        f"{INSTANCE_ARN}/agent/u-1",
        flow_arn,
        ContactFlowType.AGENT_TRANSFER,
    )
    Template.from_stack(stack).resource_count_is("Custom::ConnectLookup", 0)


def test_fails_when_context_lookups_is_not_an_object() -> None:
    stack = _stack({"connectLookups": "queue:BasicQueue"})
    with pytest.raises(ConnectValidationError, match="'context connectLookups' must be an object"):
        Queue.from_queue_name(stack, "BasicQueue", _instance(stack), "BasicQueue")


def test_lookups_and_associations_share_one_provider() -> None:
    stack = _stack()
    instance = _instance(stack)
    queue = Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
    user = User.from_username(stack, "Mav2", instance, "mav2")
    to_mav2 = QuickConnect(
        stack,
        "ToMav2",
        instance=instance,
        name="mav2",
        destination=QuickConnectDestination.user(user, AgentTransferFlow.from_default(stack, "Agent", instance)),
    )
    QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=[to_mav2])

    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Lambda::Function", 1)
    template.resource_count_is("Custom::ConnectLookup", 3)
    template.has_resource_properties("Custom::ConnectQueueQuickConnects", {"QueueArn": _get_att(stack, queue, "Arn")})


def _statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of the template's policies and of its roles' own policies."""
    documents = [
        document
        for r in template["Resources"].values()
        for document in (
            [r["Properties"]["PolicyDocument"]]
            if r["Type"] == "AWS::IAM::Policy"
            else [inline["PolicyDocument"] for inline in r["Properties"].get("Policies", [])]
            if r["Type"] == "AWS::IAM::Role"
            else []
        )
    ]
    return [s for document in documents for s in document["Statement"]]


def test_lookups_may_only_read_within_their_instance() -> None:
    stack = _stack()
    instance = _instance(stack)
    Queue.from_queue_name(stack, "Q", instance, "BasicQueue")
    User.from_username(stack, "U", instance, "mav2")
    QueueTransferFlow.from_default(stack, "F", instance)

    connect = [s for s in _statements(template_of(stack)) if "connect:" in json.dumps(s)]
    assert connect == [
        {
            "Action": ["connect:ListUsers", "connect:SearchQueues", "connect:SearchUsers"],
            "Effect": "Allow",
            "Resource": INSTANCE_ARN,
        },
        {"Action": "connect:ListQueues", "Effect": "Allow", "Resource": f"{INSTANCE_ARN}/queue/*"},
        {"Action": "connect:ListContactFlows", "Effect": "Allow", "Resource": f"{INSTANCE_ARN}/contact-flow/*"},
    ]


def test_instance_lookup_needs_list_instances_on_every_resource() -> None:
    stack = _stack()
    ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    assert {
        "Action": ["connect:ListInstances", "ds:DescribeDirectories"],
        "Effect": "Allow",
        "Resource": "*",
    } in _statements(template_of(stack))


def test_looked_up_flows_are_type_checked() -> None:
    stack = _stack()
    instance = _instance(stack)
    queue = Queue.from_queue_name(stack, "Q", instance, "BasicQueue")
    with pytest.raises(ConnectValidationError, match="must be a flow of type QUEUE_TRANSFER for a QUEUE quick connect"):
        QuickConnect(
            stack,
            "QC",
            instance=instance,
            name="q",
            destination=QuickConnectDestination.queue(queue, AgentTransferFlow.from_default(stack, "A", instance)),
        )


def test_fails_when_a_looked_up_name_is_empty() -> None:
    stack = _stack()
    with pytest.raises(ConnectValidationError) as raised:
        Queue.from_queue_name(stack, "Q", _instance(stack), "")
    assert str(raised.value) == "'queue_name' must be 1-256 characters, got '' (0 characters) (at Stack/Q)"


def test_lookup_template_passes_cfn_lint_and_matches_snapshot(snapshot_json: SnapshotAssertion) -> None:
    stack = _stack()
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    Queue.from_queue_name(stack, "Q", instance, "BasicQueue")
    User.from_username(stack, "U", instance, "mav2")
    AgentTransferFlow.from_default(stack, "A", instance)
    QueueTransferFlow.from_default(stack, "F", instance)
    template = template_of(stack)
    assert cfn_lint_findings(template) == []
    assert normalise(template) == snapshot_json
