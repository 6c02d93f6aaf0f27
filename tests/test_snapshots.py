"""Each construct synthesized alone: the snapshot catches drift, the focused tests beside carry the intent."""

from __future__ import annotations

from syrupy.assertion import SnapshotAssertion

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ContactFlow,
    ContactFlowType,
    Queue,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    User,
)
from tests.support import (
    FLOW_ID,
    INSTANCE_ARN,
    QUEUE_ARN,
    USER_ARN,
    cfn_lint_findings,
    new_stack,
    normalise,
    template_of,
)


def test_agent_transfer_flow(snapshot_json: SnapshotAssertion) -> None:
    stack = new_stack()
    AgentTransferFlow(
        stack, "Flow", instance=ConnectInstance.from_instance_arn(stack, "I", INSTANCE_ARN), name="Transfer to agent"
    )
    template = template_of(stack)
    assert cfn_lint_findings(template) == []
    assert normalise(template) == snapshot_json


def test_queue_transfer_flow(snapshot_json: SnapshotAssertion) -> None:
    stack = new_stack()
    QueueTransferFlow(
        stack, "Flow", instance=ConnectInstance.from_instance_arn(stack, "I", INSTANCE_ARN), name="Transfer to queue"
    )
    template = template_of(stack)
    assert cfn_lint_findings(template) == []
    assert normalise(template) == snapshot_json


def test_quick_connect_of_each_kind(snapshot_json: SnapshotAssertion) -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "I", INSTANCE_ARN)
    agent_flow = AgentTransferFlow(stack, "AgentFlow", instance=instance, name="a")
    queue_flow = QueueTransferFlow(stack, "QueueFlow", instance=instance, name="q")
    destinations = {
        "User": QuickConnectDestination.user(User.from_user_arn(stack, "U", USER_ARN), agent_flow),
        "Queue": QuickConnectDestination.queue(Queue.from_queue_arn(stack, "Q", QUEUE_ARN), queue_flow),
        "Phone": QuickConnectDestination.phone_number("+18005550100"),
        "Flow": QuickConnectDestination.flow(
            ContactFlow.from_contact_flow_arn(
                stack, "F", f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=ContactFlowType.CONTACT_FLOW
            )
        ),
    }
    for name, destination in destinations.items():
        QuickConnect(stack, name, instance=instance, name=name, destination=destination)
    template = template_of(stack)
    assert cfn_lint_findings(template) == []
    assert normalise(template) == snapshot_json
