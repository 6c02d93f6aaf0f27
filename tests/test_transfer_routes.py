"""`TransferRoutes`: where a call transferred by a quick connect ends up, asked the way a user's test would."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectValidationError,
    ContactFlow,
    ContactFlowType,
    Queue,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    TransferCondition,
    TransferFallback,
    TransferOutcome,
    TransferOutcomeKind,
    TransferRoutes,
    User,
)
from cdk_connect_quickconnect.cli import _flows
from tests.support import INSTANCE_ARN, QUEUE_ARN, ROOT, USER_ARN, context_with_flags, new_stack

OVERFLOW_ARN = QUEUE_ARN.replace("11111111", "22222222")
OVERFLOW_ID = OVERFLOW_ARN.rsplit("/", 1)[1]
ON_CALL = "+18005550142"


@pytest.fixture(scope="module")
def example_routes() -> TransferRoutes:
    """The example app, as `make example` synthesizes it."""
    if str(ROOT / "examples") not in sys.path:
        sys.path.insert(0, str(ROOT / "examples"))
    import app as example_app

    application = example_app.create_app(context=context_with_flags("bare"))
    stack = application.node.find_child("AfterHours")
    assert isinstance(stack, cdk.Stack)
    return TransferRoutes.from_stack(stack)


def test_the_readme_example_holds_for_the_after_hours_example(example_routes: TransferRoutes) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Testing your transfer policy") :]
    code = section[section.index("```python\n") + len("```python\n") :]
    code = code[: code.index("```")]
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    test = next(value for name, value in namespace.items() if name.startswith("test_"))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransferRoutes, "from_stack", staticmethod(lambda stack: example_routes))
        namespace["stack"] = None
        test()


def test_the_after_hours_example_never_hangs_up_but_on_error(example_routes: TransferRoutes) -> None:
    billing = example_routes.outcomes("Billing")
    assert {condition: str(outcome) for condition, outcome in billing.items()} == {
        TransferCondition.OPEN: "queue Billing",
        TransferCondition.CLOSED: f"phone number {ON_CALL}",
        TransferCondition.UNSTAFFED: "queue BasicQueue",
        TransferCondition.AT_CAPACITY: "queue BasicQueue",
        TransferCondition.ERROR: "disconnect after 'Failed to transfer. Goodbye.'",
    }
    closed = billing[TransferCondition.CLOSED]
    assert (closed.caller_id_number, closed.caller_id_name) == ("$.SystemEndpoint.Address", "Billing after hours")
    assert closed.prompts == ("Billing is closed. Connecting you to the on-call specialist.",)
    assert closed.flows == ("Transfer to Billing (after hours: on-call)",)
    agent = example_routes.outcomes("mav2 (or Billing)")
    assert str(agent[TransferCondition.OPEN]) == "agent mav2"
    assert str(agent[TransferCondition.CLOSED]) == "agent mav2"  # an agent transfer checks no hours
    assert str(agent[TransferCondition.AT_CAPACITY]) == "queue Billing"


def test_the_conditions_are_the_ones_the_flow_reader_knows() -> None:
    assert tuple(condition.value for condition in TransferCondition) == _flows.CONDITIONS


def _routes(build: Any) -> TransferRoutes:
    stack = new_stack()
    build(stack, ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN))
    return TransferRoutes.from_stack(stack)


def test_a_transfer_to_another_flow_of_the_app_is_followed_into_it() -> None:
    def build(stack: cdk.Stack, instance: Any) -> None:
        overflow = Queue.from_queue_arn(stack, "Overflow", OVERFLOW_ARN)
        second = QueueTransferFlow(
            stack, "Second", instance=instance, name="Second", when_closed=TransferFallback.to_phone_number(ON_CALL)
        )
        first = QueueTransferFlow(
            stack,
            "First",
            instance=instance,
            name="First",
            when_closed=TransferFallback.to_flow(second, prompt="Let me check."),
            when_unstaffed=TransferFallback.to_queue(overflow, flow=second),
        )
        billing = Queue.from_queue_arn(stack, "Billing", QUEUE_ARN)
        QuickConnect(
            stack, "Qc", instance=instance, name="Billing", destination=QuickConnectDestination.queue(billing, first)
        )

    routes = _routes(build)

    closed = routes.outcome("Billing", TransferCondition.CLOSED)  # the second flow sees the same closed queue
    assert (closed.kind, closed.destination, closed.flows) == (
        TransferOutcomeKind.PHONE_NUMBER,
        ON_CALL,
        ("First", "Second"),
    )
    assert closed.prompts == ("Let me check.",)
    unstaffed = routes.outcome("Billing", "unstaffed")  # the second flow runs on the overflow queue, taken as open
    assert (unstaffed.kind, unstaffed.destination, unstaffed.flows) == (
        TransferOutcomeKind.QUEUE,
        f"queue {OVERFLOW_ID}",
        ("First", "Second"),
    )


def test_flows_the_app_does_not_create_are_unknown_and_other_kinds_need_no_flow() -> None:
    def build(stack: cdk.Stack, instance: Any) -> None:
        default = QueueTransferFlow.from_default(stack, "Default", instance)
        billing = Queue.from_queue_arn(stack, "Billing", QUEUE_ARN)
        QuickConnect(
            stack, "Q", instance=instance, name="Billing", destination=QuickConnectDestination.queue(billing, default)
        )
        QuickConnect(
            stack, "P", instance=instance, name="Hotline", destination=QuickConnectDestination.phone_number(ON_CALL)
        )
        inbound = ContactFlow.from_contact_flow_name(stack, "Inbound", instance, "Forms", ContactFlowType.CONTACT_FLOW)
        QuickConnect(stack, "F", instance=instance, name="Form", destination=QuickConnectDestination.flow(inbound))
        agent_flow = AgentTransferFlow(stack, "AgentFlow", instance=instance, name="To agent")
        user = User.from_user_arn(stack, "U", USER_ARN)
        QuickConnect(
            stack, "A", instance=instance, name="Agent", destination=QuickConnectDestination.user(user, agent_flow)
        )

    routes = _routes(build)

    unknown = routes.outcome("Billing", TransferCondition.CLOSED)
    assert unknown.kind is TransferOutcomeKind.UNKNOWN
    assert (
        unknown.detail
        == "the transfer runs flow 'Default queue transfer', which the app does not create (content not known)"
    )
    assert str(unknown).startswith("unknown (the transfer runs flow")
    assert routes.outcome("Hotline", TransferCondition.CLOSED) == TransferOutcome(
        TransferOutcomeKind.PHONE_NUMBER, ON_CALL
    )
    assert routes.outcome("Form") == TransferOutcome(TransferOutcomeKind.FLOW, "Forms")
    assert routes.outcome("Agent").kind is TransferOutcomeKind.USER
    assert routes.outcome("Agent", TransferCondition.ERROR).prompts == ("Transferring now...", "Failed to transfer.")
    assert routes.quick_connects == ["Agent", "Billing", "Form", "Hotline"]


def test_fails_naming_the_quick_connects_there_are() -> None:
    routes = _routes(
        lambda stack, instance: QuickConnect(
            stack, "P", instance=instance, name="Hotline", destination=QuickConnectDestination.phone_number(ON_CALL)
        )
    )
    with pytest.raises(
        LookupError, match=re.escape("the app has no quick connect named 'Billing' (it has: 'Hotline')")
    ):
        routes.outcome("Billing")
    with pytest.raises(ValueError, match="'busy' is not a valid TransferCondition"):
        routes.outcome("Hotline", "busy")


def test_reads_an_assembly_or_the_app_directory_holding_it(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    stack = cdk.Stack(app, "S", env=cdk.Environment(account="111122223333", region="us-east-1"))
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    QuickConnect(
        stack, "P", instance=instance, name="Hotline", destination=QuickConnectDestination.phone_number(ON_CALL)
    )
    app.synth()

    for directory in (tmp_path / "cdk.out", tmp_path):
        assert TransferRoutes.from_assembly(directory).outcome("Hotline").destination == ON_CALL


def test_fails_naming_a_directory_that_holds_no_cloud_assembly(tmp_path: Path) -> None:
    with pytest.raises(ConnectValidationError) as raised:
        TransferRoutes.from_assembly(tmp_path)
    assert str(raised.value) == (
        f"'directory' must be a readable cloud assembly, got {str(tmp_path)!r} ({tmp_path} is not a cloud assembly: "
        "it has no manifest.json, and no cdk.out/manifest.json (run 'cdk synth' first)) "
        "(at TransferRoutes.from_assembly)"
    )
