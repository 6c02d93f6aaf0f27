"""``Tags.of(scope).add(...)`` reaches every taggable resource the library creates."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ContactFlow,
    ContactFlowType,
    Queue,
    QueueQuickConnectAssociation,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    User,
)
from tests.support import FLOW_ID, INSTANCE_ARN, REGION, USER_ARN, new_stack, template_of

TAG = {"Key": "cost-centre", "Value": "contact-centre"}


def _every_construct(stack: cdk.Stack) -> None:
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    agent_flow = AgentTransferFlow(stack, "AgentFlow", instance=instance, name="Transfer to agent")
    queue_flow = QueueTransferFlow(stack, "QueueFlow", instance=instance, name="Transfer to queue")
    basic = Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
    inbound = ContactFlow.from_contact_flow_arn(
        stack, "Inbound", f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=ContactFlowType.CONTACT_FLOW
    )
    destinations = {
        "ToMav2": QuickConnectDestination.user(User.from_user_arn(stack, "Mav2", USER_ARN), agent_flow),
        "ToBasic": QuickConnectDestination.queue(basic, queue_flow),
        "Hotline": QuickConnectDestination.phone_number("+18005550100"),
        "Survey": QuickConnectDestination.flow(inbound),
    }
    quick_connects = [
        QuickConnect(stack, id, instance=instance, name=id, destination=destination)
        for id, destination in destinations.items()
    ]
    QueueQuickConnectAssociation.add_to_queue(basic, *quick_connects)


def _taggable(resource_type: str) -> bool:
    """Whether CloudFormation takes tags on this type (its registry schema has a Tags property)."""
    if resource_type.startswith("Custom::"):
        return False
    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(REGION, resource_type).schema
    return "Tags" in schema.get("properties", {}) and schema.get("tagging", {}).get("taggable", True)


def _tags(resource: dict[str, Any]) -> list[dict[str, str]]:
    tags: list[dict[str, str]] = resource.get("Properties", {}).get("Tags", [])
    return tags


def test_a_tag_on_the_app_reaches_every_taggable_resource() -> None:
    stack = new_stack()
    _every_construct(stack)
    cdk.Tags.of(stack.node.root).add(TAG["Key"], TAG["Value"])
    resources = template_of(stack)["Resources"]

    taggable = {name: r for name, r in resources.items() if _taggable(r["Type"])}
    untagged = sorted(f"{r['Type']} {name}" for name, r in taggable.items() if TAG not in _tags(r))
    assert untagged == []
    assert sorted(r["Type"] for r in taggable.values()) == [
        "AWS::Connect::ContactFlow",
        "AWS::Connect::ContactFlow",
        "AWS::Connect::QuickConnect",
        "AWS::Connect::QuickConnect",
        "AWS::Connect::QuickConnect",
        "AWS::Connect::QuickConnect",
        "AWS::IAM::Role",  # the handler's role
        "AWS::Lambda::Function",  # the handler
        "AWS::Logs::LogGroup",  # the handler's logs
    ]


def test_a_tag_on_one_quick_connect_stays_on_it() -> None:
    stack = new_stack()
    _every_construct(stack)
    cdk.Tags.of(stack.node.find_child("Survey")).add(TAG["Key"], TAG["Value"])
    resources = template_of(stack)["Resources"]

    tagged = sorted(name for name, r in resources.items() if TAG in _tags(r))
    assert tagged == [stack.get_logical_id(stack.node.find_child("Survey").node.default_child)]  # type: ignore[arg-type]
