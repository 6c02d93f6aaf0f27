"""The map follows transfer flows: where each condition sends the caller, for library flows and raw flow JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_connect as connect

from cdk_connect_quickconnect import (
    ConnectInstance,
    ContactFlow,
    Queue,
    QueueQuickConnectAssociation,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    TransferFallback,
)
from cdk_connect_quickconnect._transfer_documents import Fallback, agent_transfer_document, queue_transfer_document
from cdk_connect_quickconnect.cli import main
from cdk_connect_quickconnect.cli._assembly import read_assembly, to_transfer_map
from cdk_connect_quickconnect.cli._flows import (
    AT_CAPACITY,
    CLOSED,
    CONDITIONS,
    DESTINATION,
    DISCONNECT,
    ERROR,
    FLOW,
    OPEN,
    PHONE_NUMBER,
    QUEUE,
    TARGET,
    UNKNOWN,
    UNSTAFFED,
    follow,
)
from cdk_connect_quickconnect.flow_language import Prompt
from tests.cli.checkers import parse_mermaid, render_dot
from tests.support import INSTANCE_ARN, QUEUE_ARN

OVERFLOW_ARN = QUEUE_ARN.replace("11111111", "22222222")
FLOW_ARN = f"{INSTANCE_ARN}/contact-flow/33333333-2222-4333-8444-555555555555"


def _queue_document(**fallbacks: Fallback | None) -> dict[str, Any]:
    text = Prompt.text
    document = queue_transfer_document(
        check_hours=True,
        check_staffing=True,
        prompt=text("Now transferring."),
        closed_prompt=text("Closed."),
        unstaffed_prompt=text("Nobody."),
        failure_prompt=text("Failed."),
        **fallbacks,
    )
    content: dict[str, Any] = json.loads(document.render())
    return content


def test_the_default_queue_transfer_hangs_up_on_every_condition_but_open() -> None:
    content = _queue_document()
    exits = {condition: follow(content, condition) for condition in CONDITIONS}

    assert exits[OPEN].kind == TARGET
    assert exits[OPEN].prompts == ("Now transferring.",)
    assert [exits[c].kind for c in (CLOSED, UNSTAFFED, AT_CAPACITY, ERROR)] == [DISCONNECT] * 4
    assert exits[CLOSED].prompts == ("Closed.",)
    assert exits[UNSTAFFED].prompts == ("Nobody.",)
    assert exits[AT_CAPACITY].prompts == ("Now transferring.", "Failed.")


def test_each_fallback_is_where_its_condition_leads() -> None:
    content = _queue_document(
        when_closed=Fallback("phone_number", phone_number="+18005550142", caller_id_name="Billing"),
        when_unstaffed=Fallback("queue", queue_id=OVERFLOW_ARN),
        when_at_capacity=Fallback("queue", queue_id=OVERFLOW_ARN, flow_id=FLOW_ARN),
        on_error=Fallback("flow", flow_id=FLOW_ARN, prompt=Prompt.text("One moment.")),
    )

    closed = follow(content, CLOSED)
    assert (closed.kind, closed.value, closed.caller_id_name) == (PHONE_NUMBER, "+18005550142", "Billing")
    unstaffed = follow(content, UNSTAFFED)
    assert (unstaffed.kind, unstaffed.value) == (QUEUE, OVERFLOW_ARN)
    at_capacity = follow(content, AT_CAPACITY)
    assert (at_capacity.kind, at_capacity.value, at_capacity.working_queue) == (FLOW, FLOW_ARN, OVERFLOW_ARN)
    error = follow(content, ERROR)
    assert (error.kind, error.value, error.working_queue) == (FLOW, FLOW_ARN, DESTINATION)
    assert error.prompts == ("Now transferring.", "One moment.")


def test_a_queue_another_flow_moved_the_caller_to_is_taken_to_be_open() -> None:
    content = _queue_document()

    for condition in CONDITIONS:
        exit = follow(content, condition, working_queue=OVERFLOW_ARN)
        assert (exit.kind, exit.value) == (QUEUE, OVERFLOW_ARN), condition


def test_the_agent_transfer_follows_its_agent_and_its_fallbacks() -> None:
    content = json.loads(
        agent_transfer_document(
            prompt=Prompt.text("Transferring now..."),
            failure_prompt=Prompt.text("Failed to transfer."),
            when_at_capacity=Fallback("queue", queue_id=QUEUE_ARN),
        ).render()
    )

    assert follow(content, OPEN).kind == TARGET
    assert follow(content, CLOSED).kind == TARGET  # an agent transfer checks no hours
    assert (follow(content, AT_CAPACITY).kind, follow(content, AT_CAPACITY).value) == (QUEUE, QUEUE_ARN)
    assert follow(content, ERROR).kind == DISCONNECT


#: The built-in "Default queue transfer" as the console exports it (identifiers shortened), from the facts file.
CONSOLE_EXPORT: dict[str, Any] = {
    "Version": "2019-10-30",
    "StartAction": "a1",
    "Actions": [
        {
            "Identifier": "a1",
            "Type": "CheckHoursOfOperation",
            "Parameters": {},
            "Transitions": {
                "NextAction": "a6",
                "Conditions": [
                    {"NextAction": "a2", "Condition": {"Operator": "Equals", "Operands": ["True"]}},
                    {"NextAction": "a5", "Condition": {"Operator": "Equals", "Operands": ["False"]}},
                ],
                "Errors": [{"NextAction": "a6", "ErrorType": "NoMatchingError"}],
            },
        },
        {
            "Identifier": "a2",
            "Type": "CheckMetricData",
            "Parameters": {"MetricType": "NumberOfAgentsStaffed"},
            "Transitions": {
                "NextAction": "a6",
                "Conditions": [{"NextAction": "a3", "Condition": {"Operator": "NumberGreaterThan", "Operands": ["0"]}}],
                "Errors": [
                    {"NextAction": "a5", "ErrorType": "NoMatchingCondition"},
                    {"NextAction": "a6", "ErrorType": "NoMatchingError"},
                ],
            },
        },
        {
            "Identifier": "a3",
            "Type": "MessageParticipant",
            "Parameters": {"Text": "Now transferring."},
            "Transitions": {"NextAction": "a4"},
        },
        {
            "Identifier": "a4",
            "Type": "TransferContactToQueue",
            "Parameters": {},
            "Transitions": {
                "NextAction": "a6",
                "Errors": [
                    {"NextAction": "a6", "ErrorType": "QueueAtCapacity"},
                    {"NextAction": "a6", "ErrorType": "NoMatchingError"},
                ],
            },
        },
        {
            "Identifier": "a5",
            "Type": "TransferParticipantToThirdParty",
            "Parameters": {"ThirdPartyPhoneNumber": "+18005550199", "ContinueFlowExecution": "False"},
            "Transitions": {"NextAction": "a6", "Errors": [{"NextAction": "a6", "ErrorType": "NoMatchingError"}]},
        },
        {
            "Identifier": "a6",
            "Type": "InvokeLambdaFunction",
            "Parameters": {"LambdaFunctionARN": "arn:aws:lambda:us-east-1:111122223333:function:f"},
            "Transitions": {"NextAction": "a7"},
        },
        {"Identifier": "a7", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
    ],
}


def test_a_console_flow_is_followed_and_what_it_cannot_tell_is_unknown() -> None:
    assert follow(CONSOLE_EXPORT, OPEN).kind == TARGET
    assert (follow(CONSOLE_EXPORT, CLOSED).kind, follow(CONSOLE_EXPORT, CLOSED).value) == (PHONE_NUMBER, "+18005550199")
    assert follow(CONSOLE_EXPORT, UNSTAFFED).value == "+18005550199"
    at_capacity = follow(CONSOLE_EXPORT, AT_CAPACITY)
    assert at_capacity.kind == UNKNOWN
    assert at_capacity.detail == "the flow runs a InvokeLambdaFunction action, which this reader does not follow"


def test_a_flow_that_loops_or_names_a_missing_action_is_unknown() -> None:
    loop = {
        "StartAction": "a",
        "Actions": [
            {
                "Identifier": "a",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "x"},
                "Transitions": {"NextAction": "b"},
            },
            {
                "Identifier": "b",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "y"},
                "Transitions": {"NextAction": "a"},
            },
        ],
    }
    assert follow(loop, OPEN).detail == "the flow loops without leaving it"
    assert follow({"StartAction": "nowhere", "Actions": []}, OPEN).detail == (
        "the flow names an action 'nowhere' it does not have"
    )
    with pytest.raises(ValueError, match="unknown condition 'busy'"):
        follow(loop, "busy")


# ---- the map draws the branches ------------------------------------------------------------------------------------


def _app_with_raw_and_library_flows(outdir: Path) -> None:
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "Transfers", env=cdk.Environment(account="111122223333", region="us-east-1"))
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    billing = Queue.from_queue_arn(stack, "Billing", QUEUE_ARN)
    overflow = Queue.from_queue_name(stack, "Overflow", instance, "Overflow")
    library_flow = QueueTransferFlow(
        stack,
        "LibraryFlow",
        instance=instance,
        name="Library flow",
        when_closed=TransferFallback.to_phone_number("+18005550142"),
        when_unstaffed=TransferFallback.to_queue(overflow),
        when_at_capacity=TransferFallback.to_queue(overflow),
    )
    raw = connect.CfnContactFlow(
        stack,
        "RawFlow",
        instance_arn=INSTANCE_ARN,
        name="Raw flow",
        type="QUEUE_TRANSFER",
        content=json.dumps(CONSOLE_EXPORT),
    )
    raw_flow = ContactFlow.from_contact_flow_arn(stack, "RawFlowRef", raw.attr_contact_flow_arn)
    quick_connects = [
        QuickConnect(
            stack,
            "ToBilling",
            instance=instance,
            name="Billing",
            destination=QuickConnectDestination.queue(billing, library_flow),
        ),
        QuickConnect(
            stack,
            "ToBillingRaw",
            instance=instance,
            name="Billing (raw)",
            destination=QuickConnectDestination.queue(billing, raw_flow),
        ),
    ]
    QueueQuickConnectAssociation(stack, "OnBilling", queue=billing, quick_connects=quick_connects)
    QueueQuickConnectAssociation(stack, "OnOverflow", queue=overflow, quick_connects=quick_connects[:1])
    app.synth()


@pytest.fixture(scope="module")
def flows_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("flows.out")
    _app_with_raw_and_library_flows(outdir)
    return outdir


def test_the_map_labels_each_branch_with_its_conditions(flows_assembly: Path) -> None:
    transfer_map = to_transfer_map(read_assembly(flows_assembly), "flows")
    by_name = {qc.name: qc for qc in transfer_map.quick_connects.values()}
    overflow_key = next(queue.key for queue in transfer_map.queues if queue.name == "Overflow")

    library = {
        (branch.conditions, branch.kind, branch.destination, branch.destination_queue)
        for branch in by_name["Billing"].branches
    }
    assert library == {
        (("closed",), "PHONE_NUMBER", "+18005550142", None),
        (("unstaffed", "at_capacity"), "QUEUE", "Overflow", overflow_key),
        (("error",), "DISCONNECT", None, None),
    }
    raw = {(branch.conditions, branch.kind, branch.destination) for branch in by_name["Billing (raw)"].branches}
    assert raw == {(("closed", "unstaffed"), "PHONE_NUMBER", "+18005550199")}
    assert any("where flow Raw flow sends a at_capacity call is not known" in note for note in transfer_map.notes)


def test_the_drawn_branches_are_dashed_labelled_mermaid(
    flows_assembly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["map", str(flows_assembly)]) == 0
    mermaid = capsys.readouterr().out

    assert parse_mermaid(mermaid) == [{"ok": True, "type": "flowchart-v2"}]
    assert '-.->|"unstaffed, at capacity"|' in mermaid
    assert '-.->|"closed"|' in mermaid
    assert '>"Disconnect"]:::destination' in mermaid


def test_the_drawn_branches_render_with_graphviz(flows_assembly: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", str(flows_assembly), "--format", "dot"]) == 0
    dot = capsys.readouterr().out

    assert '[label="unstaffed, at capacity", style=dashed]' in dot
    assert "Disconnect" in render_dot(dot)
