"""Fallbacks on the transfer flows: each kind renders to the designer's actions, and bad ones fail at synth."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectValidationError,
    ContactFlow,
    ContactFlowType,
    FlowDocument,
    Prompt,
    Queue,
    QueueTransferFlow,
    TransferFallback,
)
from cdk_connect_quickconnect.flow_language import (
    ALLOWED_FLOW_TYPES,
    MAX_ACTIONS,
    MAX_CONTENT_LENGTH,
    MAX_PROMPT_BILLED_CHARACTERS,
    Action,
    DisconnectParticipant,
    MessageParticipant,
)
from cdk_connect_quickconnect.flows import BUILT_IN_FLOW_NAMES
from tests.support import (
    FLOW_ID,
    INSTANCE_ARN,
    OTHER_INSTANCE_ARN,
    QUEUE_ARN,
    cfn_lint_findings,
    new_stack,
    template_of,
)

OVERFLOW_ARN = QUEUE_ARN.replace("11111111", "22222222")
ON_CALL = "+18005550142"


def _instance(stack: cdk.Stack) -> Any:
    return ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)


def _content(stack: cdk.Stack, flow: Any) -> dict[str, Any]:
    """The flow's content as JSON; a token (a flow's or queue's ARN) reads as its CloudFormation form (`_cfn`)."""
    resolved = stack.resolve(flow.node.default_child.content)
    if isinstance(resolved, str):
        content: dict[str, Any] = json.loads(resolved)
        return content
    parts = resolved["Fn::Join"][1]
    text = "".join(part if isinstance(part, str) else json.dumps(json.dumps(part))[1:-1] for part in parts)
    joined: dict[str, Any] = json.loads(text)
    return joined


def _cfn(stack: cdk.Stack, token: str) -> str:
    """How `_content` shows a token: its resolved CloudFormation value as JSON text."""
    return json.dumps(stack.resolve(token))


def _graph(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {action["Identifier"]: action for action in content["Actions"]}


def _errors(action: dict[str, Any]) -> dict[str, str]:
    return {error["ErrorType"]: error["NextAction"] for error in action["Transitions"].get("Errors", [])}


def _queue_flow(stack: cdk.Stack, **fallbacks: Any) -> QueueTransferFlow:
    return QueueTransferFlow(stack, "Flow", instance=_instance(stack), name="Transfer to billing", **fallbacks)


# ---- each kind renders -------------------------------------------------------------------------------------------


def test_closed_goes_to_an_on_call_number_with_a_caller_id() -> None:
    stack = new_stack()
    flow = _queue_flow(
        stack,
        when_closed=TransferFallback.to_phone_number(
            ON_CALL, caller_id_number="$.SystemEndpoint.Address", caller_id_name="Billing after hours"
        ),
    )
    graph = _graph(_content(stack, flow))

    hours = graph["check-hours"]["Transitions"]["Conditions"]
    assert hours[1] == {
        "NextAction": "closed-transfer-to-number",
        "Condition": {"Operator": "Equals", "Operands": ["False"]},
    }
    transfer = graph["closed-transfer-to-number"]
    assert transfer["Type"] == "TransferParticipantToThirdParty"
    assert transfer["Parameters"] == {
        "ThirdPartyPhoneNumber": ON_CALL,
        "ThirdPartyConnectionTimeLimitSeconds": "30",
        "ContinueFlowExecution": "True",
        "CallerId": {"Number": "$.SystemEndpoint.Address", "Name": "Billing after hours"},
    }
    assert transfer["Transitions"]["NextAction"] == "disconnect"
    assert _errors(transfer) == {
        "CallFailed": "failure-prompt",
        "ConnectionTimeLimitExceeded": "failure-prompt",
        "NoMatchingError": "failure-prompt",
    }
    assert "closed-prompt" not in graph


def test_unstaffed_overflows_to_another_queue() -> None:
    stack = new_stack()
    overflow = Queue.from_queue_arn(stack, "Overflow", OVERFLOW_ARN)
    flow = _queue_flow(stack, when_unstaffed=TransferFallback.to_queue(overflow))
    graph = _graph(_content(stack, flow))

    assert _errors(graph["check-staffing"])["NoMatchingCondition"] == "unstaffed-set-queue"
    set_queue = graph["unstaffed-set-queue"]
    assert (set_queue["Type"], set_queue["Parameters"]) == ("UpdateContactTargetQueue", {"QueueId": OVERFLOW_ARN})
    assert set_queue["Transitions"]["NextAction"] == "unstaffed-transfer"
    transfer = graph["unstaffed-transfer"]
    assert transfer["Type"] == "TransferContactToQueue"
    assert set(_errors(transfer).values()) == {"failure-prompt"}
    assert "unstaffed-prompt" not in graph


def test_at_capacity_runs_another_queue_transfer_flow_on_the_overflow_queue() -> None:
    stack = new_stack()
    instance = _instance(stack)
    overflow = Queue.from_queue_name(stack, "Overflow", instance, "Billing overflow")
    overflow_flow = QueueTransferFlow(stack, "OverflowFlow", instance=instance, name="Transfer to overflow")
    flow = QueueTransferFlow(
        stack,
        "Flow",
        instance=instance,
        name="Transfer to billing",
        when_at_capacity=TransferFallback.to_queue(overflow, flow=overflow_flow, prompt="Our billing line is busy."),
    )
    graph = _graph(_content(stack, flow))

    assert _errors(graph["transfer"])["QueueAtCapacity"] == "at-capacity-prompt"
    assert graph["at-capacity-prompt"]["Parameters"] == {"Text": "Our billing line is busy."}
    assert graph["at-capacity-prompt"]["Transitions"] == {"NextAction": "at-capacity-set-queue"}
    assert graph["at-capacity-set-queue"]["Parameters"] == {"QueueId": _cfn(stack, overflow.queue_arn)}
    to_flow = graph["at-capacity-transfer-to-flow"]
    assert to_flow["Type"] == "TransferToFlow"
    assert to_flow["Parameters"] == {"ContactFlowId": _cfn(stack, overflow_flow.contact_flow_arn)}
    assert to_flow["Transitions"] == {
        "NextAction": "failure-prompt",
        "Errors": [{"NextAction": "failure-prompt", "ErrorType": "NoMatchingError"}],
    }


def test_errors_go_to_another_flow_and_that_flows_failure_ends_at_the_failure_prompt() -> None:
    stack = new_stack()
    inbound = ContactFlow.from_contact_flow_arn(
        stack, "Inbound", f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=ContactFlowType.CONTACT_FLOW
    )
    flow = _queue_flow(stack, on_error=TransferFallback.to_flow(inbound))
    graph = _graph(_content(stack, flow))

    for check in ("check-hours", "check-staffing"):
        assert _errors(graph[check])["NoMatchingError"] == "error-transfer-to-flow"
    assert _errors(graph["transfer"]) == {
        "QueueAtCapacity": "error-transfer-to-flow",  # at capacity defaults to the error fallback
        "NoMatchingError": "error-transfer-to-flow",
    }
    assert graph["error-transfer-to-flow"]["Parameters"] == {"ContactFlowId": inbound.contact_flow_arn}
    assert _errors(graph["error-transfer-to-flow"]) == {"NoMatchingError": "failure-prompt"}
    assert graph["closed-prompt"]["Transitions"] == {"NextAction": "disconnect"}


def test_a_failing_fallback_goes_on_to_the_error_fallback() -> None:
    stack = new_stack()
    overflow = Queue.from_queue_arn(stack, "Overflow", OVERFLOW_ARN)
    flow = _queue_flow(
        stack,
        when_closed=TransferFallback.to_phone_number(ON_CALL),
        on_error=TransferFallback.to_queue(overflow),
    )
    graph = _graph(_content(stack, flow))

    assert set(_errors(graph["closed-transfer-to-number"]).values()) == {"error-set-queue"}
    assert set(_errors(graph["error-transfer"]).values()) == {"failure-prompt"}  # never back into itself


@pytest.mark.parametrize("condition", ["when_closed", "when_unstaffed", "when_at_capacity", "on_error"])
def test_disconnect_without_a_prompt_renders_exactly_the_default(condition: str) -> None:
    default_stack, explicit_stack = new_stack(), new_stack()
    default = _queue_flow(default_stack)
    explicit = _queue_flow(explicit_stack, **{condition: TransferFallback.disconnect()})

    assert explicit_stack.resolve(explicit.node.default_child.content) == default_stack.resolve(  # type: ignore[union-attr]
        default.node.default_child.content  # type: ignore[union-attr]
    )


@pytest.mark.parametrize(
    ("condition", "goodbye", "reached_from"),
    [
        ("when_closed", "closed-prompt", ("check-hours", None)),
        ("when_unstaffed", "unstaffed-prompt", ("check-staffing", "NoMatchingCondition")),
        ("when_at_capacity", "at-capacity-prompt", ("transfer", "QueueAtCapacity")),
        ("on_error", "failure-prompt", ("transfer", "NoMatchingError")),
    ],
)
def test_disconnect_with_a_prompt_plays_it_then_hangs_up(
    condition: str, goodbye: str, reached_from: tuple[str, str | None]
) -> None:
    stack = new_stack()
    flow = _queue_flow(stack, **{condition: TransferFallback.disconnect(prompt=Prompt.ssml("<speak>Bye.</speak>"))})
    graph = _graph(_content(stack, flow))

    assert graph[goodbye]["Parameters"] == {"SSML": "<speak>Bye.</speak>"}
    assert graph[goodbye]["Transitions"] == {"NextAction": "disconnect"}
    source, error_type = reached_from
    if error_type is None:
        assert graph[source]["Transitions"]["Conditions"][1]["NextAction"] == goodbye
    else:
        assert _errors(graph[source])[error_type] == goodbye


def test_agent_transfer_falls_back_to_a_queue_when_the_agent_cannot_take_it_and_on_error() -> None:
    stack = new_stack()
    billing = Queue.from_queue_arn(stack, "Billing", QUEUE_ARN)
    flow = AgentTransferFlow(
        stack,
        "Flow",
        instance=_instance(stack),
        name="Transfer to agent",
        when_at_capacity=TransferFallback.to_queue(billing, prompt="The agent is busy; queueing you for billing."),
        on_error=TransferFallback.to_phone_number(ON_CALL, timeout=cdk.Duration.minutes(1)),
    )
    graph = _graph(_content(stack, flow))

    assert _errors(graph["set-agent-queue"]) == {"NoMatchingError": "error-transfer-to-number"}
    assert _errors(graph["transfer"]) == {
        "QueueAtCapacity": "at-capacity-prompt",
        "NoMatchingError": "error-transfer-to-number",
    }
    assert graph["at-capacity-set-queue"]["Parameters"] == {"QueueId": QUEUE_ARN}
    assert set(_errors(graph["at-capacity-transfer"]).values()) == {"error-transfer-to-number"}
    assert graph["error-transfer-to-number"]["Parameters"]["ThirdPartyConnectionTimeLimitSeconds"] == "60"
    assert set(_errors(graph["error-transfer-to-number"]).values()) == {"failure-prompt"}


def test_whisper_flows_are_set_before_anything_else() -> None:
    stack = new_stack()
    agent_whisper = ContactFlow.from_contact_flow_arn(
        stack, "AgentWhisper", f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=ContactFlowType.AGENT_WHISPER
    )
    customer_whisper = ContactFlow.from_contact_flow_arn(
        stack,
        "CustomerWhisper",
        f"{INSTANCE_ARN}/contact-flow/c{FLOW_ID[1:]}",
        flow_type=ContactFlowType.CUSTOMER_WHISPER,
    )
    flow = _queue_flow(stack, agent_whisper_flow=agent_whisper, customer_whisper_flow=customer_whisper)
    content = _content(stack, flow)
    graph = _graph(content)

    assert content["StartAction"] == "set-agent-whisper"
    assert graph["set-agent-whisper"]["Type"] == "UpdateContactEventHooks"
    assert graph["set-agent-whisper"]["Parameters"] == {"EventHooks": {"AgentWhisper": agent_whisper.contact_flow_arn}}
    assert graph["set-agent-whisper"]["Transitions"] == {
        "NextAction": "set-customer-whisper",
        "Errors": [{"NextAction": "set-customer-whisper", "ErrorType": "NoMatchingError"}],
    }
    assert graph["set-customer-whisper"]["Parameters"] == {
        "EventHooks": {"CustomerWhisper": customer_whisper.contact_flow_arn}
    }
    assert graph["set-customer-whisper"]["Transitions"]["NextAction"] == "check-hours"


def _every_fallback(stack: cdk.Stack, prompt: str = "One moment.") -> QueueTransferFlow:
    instance = _instance(stack)
    overflow = Queue.from_queue_arn(stack, "Overflow", OVERFLOW_ARN)
    other = QueueTransferFlow(stack, "Other", instance=instance, name="Other")
    whisper = ContactFlow.from_contact_flow_arn(
        stack, "Whisper", f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=ContactFlowType.AGENT_WHISPER
    )
    return QueueTransferFlow(
        stack,
        "Flow",
        instance=instance,
        name="Everything",
        prompt=prompt,
        closed_prompt=prompt,
        unstaffed_prompt=prompt,
        failure_prompt=prompt,
        when_closed=TransferFallback.to_phone_number(ON_CALL, caller_id_name=prompt[:40], prompt=prompt),
        when_unstaffed=TransferFallback.to_queue(overflow, flow=other, prompt=prompt),
        when_at_capacity=TransferFallback.to_queue(overflow, prompt=prompt),
        on_error=TransferFallback.to_flow(other, prompt=prompt),
        agent_whisper_flow=whisper,
    )


def test_a_flow_with_every_fallback_is_laid_out_without_stacked_blocks_and_passes_cfn_lint() -> None:
    stack = new_stack()
    flow = _every_fallback(stack)
    positions = {
        identifier: (value["position"]["x"], value["position"]["y"])
        for identifier, value in _content(stack, flow)["Metadata"]["ActionMetadata"].items()
    }

    assert len(positions) == len(flow.document.actions) == len(set(positions.values()))
    for action in flow.document.actions:
        for target in action.targets():
            assert positions[target][0] > positions[action.identifier][0], (action.identifier, target)
    assert cfn_lint_findings(template_of(stack)) == []


def test_a_flow_with_every_fallback_and_the_longest_prompts_stays_within_connects_limits() -> None:
    flow = _every_fallback(new_stack(), prompt="x" * MAX_PROMPT_BILLED_CHARACTERS)
    content = json.dumps(flow.document.to_json(), separators=(",", ":"))

    assert len(flow.document.actions) < MAX_ACTIONS
    assert len(content) < MAX_CONTENT_LENGTH
    assert flow.document.problems(ContactFlowType.QUEUE_TRANSFER) == []


# ---- only the blocks Connect allows ------------------------------------------------------------------------------


@pytest.mark.parametrize("flow_type", [ContactFlowType.QUEUE_TRANSFER, ContactFlowType.AGENT_TRANSFER])
def test_every_action_the_transfer_flows_render_is_allowed_in_their_flow_type(flow_type: ContactFlowType) -> None:
    flow = _every_fallback(new_stack())
    rendered = {action.TYPE for action in flow.document.actions} | {"UpdateContactTargetQueue", "CheckMetricData"}

    assert all(flow_type in ALLOWED_FLOW_TYPES[action_type] for action_type in rendered)


class _EndFlowExecution(Action):
    """An action a whisper or customer queue flow may end with, but a transfer flow may not."""

    TYPE = "EndFlowExecution"

    def parameters(self) -> dict[str, Any]:
        return {}


class _Unmodelled(Action):
    TYPE = "SomethingNew"

    def parameters(self) -> dict[str, Any]:
        return {}


def test_fails_when_a_document_has_an_action_connect_refuses_in_its_flow_type() -> None:
    document = FlowDocument(
        start_action="say",
        actions=[MessageParticipant("say", Prompt.text("Hi"), then="end"), _EndFlowExecution("end")],
    )

    assert document.problems() == []
    assert document.problems(ContactFlowType.QUEUE_TRANSFER) == [
        "action 'end' is a EndFlowExecution, which Connect allows only in AGENT_WHISPER, CUSTOMER_QUEUE, "
        "CUSTOMER_WHISPER, OUTBOUND_WHISPER flows, not in QUEUE_TRANSFER flows"
    ]
    assert document.problems(ContactFlowType.CUSTOMER_QUEUE) == []
    with pytest.raises(ValueError, match="which Connect allows only in"):
        document.render(ContactFlowType.AGENT_TRANSFER)


def test_fails_when_a_document_has_an_action_type_not_known_to_be_allowed() -> None:
    document = FlowDocument(start_action="new", actions=[_Unmodelled("new")])

    assert document.problems("QUEUE_TRANSFER") == [
        "action 'new' is a SomethingNew, which is not known to be allowed in any flow"
    ]


def test_a_transfer_flow_refuses_a_document_with_a_disallowed_block_naming_path_property_value_and_rule() -> None:
    from cdk_connect_quickconnect.flows import _TransferFlowBase

    class _Customised(_TransferFlowBase):
        FLOW_TYPE = ContactFlowType.QUEUE_TRANSFER
        DEFAULT_FLOW_NAME = "Default queue transfer"

    stack = new_stack()
    document = FlowDocument(start_action="end", actions=[_EndFlowExecution("end")])
    with pytest.raises(ConnectValidationError) as raised:
        _Customised(
            stack,
            "Flow",
            instance=_instance(stack),
            name="Customised",
            description=None,
            prompts={},
            document=lambda fallbacks, whispers: document,
        )
    assert str(raised.value) == (
        "'content' must be a valid flow graph, got \"action 'end' is a EndFlowExecution, which Connect allows only "
        'in AGENT_WHISPER, CUSTOMER_QUEUE, CUSTOMER_WHISPER, OUTBOUND_WHISPER flows, not in QUEUE_TRANSFER flows" '
        "(at Stack/Flow)"
    )


# ---- bad fallbacks fail at synth ---------------------------------------------------------------------------------


def _fails(**props: Any) -> str:
    stack = new_stack()
    with pytest.raises(ConnectValidationError) as raised:
        QueueTransferFlow(stack, "Flow", instance=_instance(stack), name="n", **props)
    return str(raised.value)


@pytest.mark.parametrize("number", ["18005550142", "+0800555", "+1 800 555 0142", "+1234567890123456"])
def test_fails_when_a_fallback_number_is_not_e164(number: str) -> None:
    assert _fails(when_closed=TransferFallback.to_phone_number(number)) == (
        "'when_closed.phone_number' must be an E.164 number: '+', a country code and at most 15 digits "
        f"(e.g. '+18005550100'), got {number!r} (at Stack/Flow)"
    )


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"caller_id_number": "555-0100"},
            "'on_error.caller_id_number' must be an E.164 number: '+', a country code and at most 15 digits "
            "(e.g. '+18005550100') or a '$.' reference, got '555-0100' (at Stack/Flow)",
        ),
        ({"caller_id_name": "  "}, "'on_error.caller_id_name' must not be empty, got '  ' (at Stack/Flow)"),
        (
            {"timeout": cdk.Duration.minutes(11)},
            "'on_error.timeout' must be whole seconds from 0 to 600, known at synth, got '11 minutes' (at Stack/Flow)",
        ),
        (
            {"timeout": 30},
            "'on_error.timeout' must be a Duration, e.g. Duration.seconds(30), got 30 (at Stack/Flow)",
        ),
    ],
)
def test_fails_when_a_phone_fallbacks_caller_id_or_timeout_is_wrong(props: dict[str, Any], message: str) -> None:
    assert _fails(on_error=TransferFallback.to_phone_number(ON_CALL, **props)) == message


def test_fails_when_a_fallback_queue_is_on_another_instance() -> None:
    stack = new_stack()
    other = Queue.from_queue_arn(stack, "Other", f"{OTHER_INSTANCE_ARN}/queue/q")
    with pytest.raises(ConnectValidationError) as raised:
        QueueTransferFlow(
            stack, "Flow", instance=_instance(stack), name="n", when_unstaffed=TransferFallback.to_queue(other)
        )
    assert str(raised.value) == (
        f"'when_unstaffed.queue' must belong to the flow's instance {INSTANCE_ARN}, got {OTHER_INSTANCE_ARN!r} "
        "(at Stack/Flow)"
    )


def test_fails_when_a_fallback_queue_was_looked_up_in_another_looked_up_instance() -> None:
    stack = new_stack()
    center = ConnectInstance.from_instance_alias(stack, "Center", "center")
    other = ConnectInstance.from_instance_alias(stack, "Other", "other")
    queue = Queue.from_queue_name(stack, "Overflow", other, "Overflow")
    with pytest.raises(ConnectValidationError, match=r"^'when_at_capacity.queue' must belong to the flow's instance"):
        QueueTransferFlow(stack, "Flow", instance=center, name="n", when_at_capacity=TransferFallback.to_queue(queue))


@pytest.mark.parametrize(
    ("fallback_of", "flow_type", "expected"),
    [
        (
            lambda flow: TransferFallback.to_flow(flow),
            ContactFlowType.AGENT_WHISPER,
            "AGENT_TRANSFER or CONTACT_FLOW or QUEUE_TRANSFER",
        ),
        (
            lambda flow: TransferFallback.to_queue(Queue.from_queue_arn(flow.stack, "Q", QUEUE_ARN), flow=flow),
            ContactFlowType.AGENT_TRANSFER,
            "QUEUE_TRANSFER",
        ),
    ],
)
def test_fails_when_a_fallback_runs_a_flow_of_the_wrong_type(
    fallback_of: Any, flow_type: ContactFlowType, expected: str
) -> None:
    stack = new_stack()
    flow = ContactFlow.from_contact_flow_arn(
        stack, "Wrong", f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=flow_type
    )
    message = _fails_in(stack, on_error=fallback_of(flow))
    assert message == (
        f"'on_error.flow' must be a flow of type {expected}, "
        f"got 'Stack/Wrong of type {flow_type.value}' (at Stack/Flow)"
    )


def _fails_in(stack: cdk.Stack, **props: Any) -> str:
    with pytest.raises(ConnectValidationError) as raised:
        QueueTransferFlow(stack, "Flow", instance=_instance(stack), name="n", **props)
    return str(raised.value)


def test_fails_when_a_whisper_flow_is_not_a_whisper() -> None:
    stack = new_stack()
    inbound = ContactFlow.from_contact_flow_arn(
        stack, "Inbound", f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=ContactFlowType.CONTACT_FLOW
    )
    assert _fails_in(stack, agent_whisper_flow=inbound) == (
        "'agent_whisper_flow' must be a flow of type AGENT_WHISPER, got 'Stack/Inbound of type CONTACT_FLOW' "
        "(at Stack/Flow)"
    )


@pytest.mark.parametrize(
    ("props", "prop", "check"),
    [
        ({"check_hours_of_operation": False}, "when_closed", "check_hours_of_operation"),
        ({"check_staffing": False}, "when_unstaffed", "check_staffing"),
    ],
)
def test_fails_when_a_fallback_is_given_for_a_condition_the_flow_does_not_check(
    props: dict[str, Any], prop: str, check: str
) -> None:
    message = _fails(**props, **{prop: TransferFallback.to_phone_number(ON_CALL)})
    assert message.startswith(f"'{prop}' must be None when {check} is False (that condition is never checked")
    assert message.endswith("(at Stack/Flow)")


def test_fails_when_a_fallback_is_not_a_transfer_fallback() -> None:
    assert _fails(when_closed=ON_CALL) == (
        "'when_closed' must be a TransferFallback (build one with TransferFallback.to_phone_number(number)), "
        f"got the string {ON_CALL!r} (at Stack/Flow)"
    )


def test_fails_when_a_fallback_prompt_is_one_connect_refuses() -> None:
    assert _fails(when_closed=TransferFallback.disconnect(prompt=Prompt.ssml("<p>no speak</p>"))).startswith(
        "'when_closed.prompt' must have <speak> as its root element"
    )


@pytest.mark.parametrize("name", BUILT_IN_FLOW_NAMES)
def test_fails_when_a_new_flow_takes_the_name_of_a_built_in_flow(name: str) -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError) as raised:
        AgentTransferFlow(stack, "Flow", instance=_instance(stack), name=name)
    assert str(raised.value) == (
        "'name' must not be the name of one of the flows every instance has (Connect refuses a second flow of that "
        "name with DuplicateResourceException); choose another name, or run the built-in one with "
        f"AgentTransferFlow.from_default(...), got {name!r} (at Stack/Flow)"
    )


def test_names_that_differ_from_a_built_in_flow_only_in_case_are_accepted() -> None:
    """Connect documents no case-insensitive comparison of flow names (see README, Validation)."""
    stack = new_stack()
    QueueTransferFlow(stack, "Flow", instance=_instance(stack), name="default queue transfer")


# ---- no fallback cycle between flows of the app ------------------------------------------------------------------


def _looked_up(stack: cdk.Stack, instance: Any, id: str, name: str) -> Any:
    return ContactFlow.from_contact_flow_name(stack, id, instance, name, ContactFlowType.QUEUE_TRANSFER)


def test_fails_when_two_flows_fall_back_to_each_other_through_lookups_by_name() -> None:
    stack = new_stack()
    instance = _instance(stack)
    QueueTransferFlow(
        stack,
        "A",
        instance=instance,
        name="A",
        on_error=TransferFallback.to_flow(_looked_up(stack, instance, "LookupB", "B")),
    )
    QueueTransferFlow(
        stack,
        "B",
        instance=instance,
        name="B",
        when_closed=TransferFallback.to_flow(_looked_up(stack, instance, "LookupA", "A")),
    )

    with pytest.raises(RuntimeError) as raised:
        cdk.App.of(stack).synth()  # type: ignore[union-attr]
    message = str(raised.value)
    assert (
        "'on_error' must not lead back to this flow (a fallback cycle would transfer the caller in a loop: "
        "Stack/A (on_error) -> Stack/B (when_closed) -> Stack/A), got 'Stack/LookupB' (at Stack/A)"
    ) in message
    assert message.count("must not lead back") == 1


def test_fails_when_a_flow_falls_back_to_itself_through_its_own_name() -> None:
    stack = new_stack()
    instance = _instance(stack)
    QueueTransferFlow(
        stack,
        "A",
        instance=instance,
        name="A",
        when_unstaffed=TransferFallback.to_flow(_looked_up(stack, instance, "Self", "A")),
    )
    with pytest.raises(RuntimeError, match=r"Stack/A \(when_unstaffed\) -> Stack/A\), got 'Stack/Self'"):
        cdk.App.of(stack).synth()  # type: ignore[union-attr]


def test_a_chain_of_fallback_flows_without_a_cycle_synthesizes() -> None:
    stack = new_stack()
    instance = _instance(stack)
    last = QueueTransferFlow(stack, "Last", instance=instance, name="Last")
    middle = QueueTransferFlow(
        stack, "Middle", instance=instance, name="Middle", on_error=TransferFallback.to_flow(last)
    )
    QueueTransferFlow(stack, "First", instance=instance, name="First", on_error=TransferFallback.to_flow(middle))
    QueueTransferFlow(
        stack,
        "ByName",
        instance=instance,
        name="ByName",
        on_error=TransferFallback.to_flow(_looked_up(stack, instance, "L", "First")),
    )

    template = template_of(stack)
    assert len([r for r in template["Resources"].values() if r["Type"] == "AWS::Connect::ContactFlow"]) == 4


def test_fallback_repr_names_its_kind_and_target() -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "Overflow", OVERFLOW_ARN)
    assert repr(TransferFallback.to_queue(queue, prompt="Hi")) == (
        "TransferFallback.queue(queue='Stack/Overflow', prompt=Prompt.text('Hi'))"
    )
    assert repr(TransferFallback.disconnect()) == "TransferFallback.disconnect()"


@pytest.mark.parametrize(
    ("fallback", "message"),
    [
        (
            TransferFallback("busy"),  # type: ignore[arg-type]
            "'on_error' must be built with TransferFallback.to_queue, .to_phone_number, .to_flow or .disconnect, "
            "got \"TransferFallback('busy')\" (at Stack/Flow)",
        ),
        (
            TransferFallback.to_queue(None),
            "'on_error.queue' must be given for a queue fallback, got None (at Stack/Flow)",
        ),  # type: ignore[arg-type]
        (TransferFallback.to_flow(None), "'on_error.flow' must be given for a flow fallback, got None (at Stack/Flow)"),  # type: ignore[arg-type]
        (
            TransferFallback.to_phone_number(None),  # type: ignore[arg-type]
            "'on_error.phone_number' must be given for a phone_number fallback, got None (at Stack/Flow)",
        ),
    ],
)
def test_fails_when_a_fallback_misses_what_its_kind_needs(fallback: TransferFallback, message: str) -> None:
    assert _fails(on_error=fallback) == message


def _customised(document: FlowDocument) -> None:
    from cdk_connect_quickconnect.flows import _TransferFlowBase

    class _Customised(_TransferFlowBase):
        FLOW_TYPE = ContactFlowType.QUEUE_TRANSFER
        DEFAULT_FLOW_NAME = "Default queue transfer"

    stack = new_stack()
    _Customised(
        stack,
        "Flow",
        instance=_instance(stack),
        name="Customised",
        description=None,
        prompts={},
        document=lambda fallbacks, whispers: document,
    )


def _chain(count: int, text: str) -> FlowDocument:
    actions: list[Action] = [
        MessageParticipant(f"say-{i}", Prompt.text(text), then=f"say-{i + 1}") for i in range(count - 1)
    ]
    actions.append(DisconnectParticipant(f"say-{count - 1}"))
    return FlowDocument(start_action="say-0", actions=actions)


def test_a_transfer_flow_over_connects_action_limit_fails_naming_path_property_value_and_rule() -> None:
    with pytest.raises(ConnectValidationError) as raised:
        _customised(_chain(MAX_ACTIONS + 1, "hi"))
    assert str(raised.value) == (
        "'content' must be a valid flow graph, got 'a flow holds at most 250 actions, this one has 251' (at Stack/Flow)"
    )


def test_a_transfer_flow_over_connects_content_limit_fails_naming_path_property_value_and_rule() -> None:
    document = _chain(100, "x" * MAX_PROMPT_BILLED_CHARACTERS)
    with pytest.raises(ConnectValidationError) as raised:
        _customised(document)
    assert str(raised.value).startswith("'content' must fit Connect's limit, got 'content is 3")
    assert str(raised.value).endswith("characters, more than 256000' (at Stack/Flow)")
