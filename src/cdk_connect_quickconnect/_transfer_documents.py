"""The flow-language documents of the two transfer flows: the main path plus one branch per condition.

A transfer flow runs its main path (checks, prompt, transfer) and leaves it on a condition: the queue is closed,
no agent is staffed, the queue is at capacity, or an action failed. Each condition leads to a fallback; without
one, to what Connect's built-in flows do (a goodbye prompt, then disconnect), rendered action for action as
before fallbacks existed, so flows built without fallbacks keep their content on upgrade.

Fallbacks never dead-end and never loop: a fallback that fails goes to the error fallback, and the error
fallback's own failure goes to the failure prompt and disconnect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .flow_language import (
    DEFAULT_THIRD_PARTY_TIMEOUT_SECONDS,
    Action,
    CheckAgentsStaffed,
    CheckHoursOfOperation,
    DisconnectParticipant,
    FlowDocument,
    MessageParticipant,
    Prompt,
    TransferContactToQueue,
    TransferParticipantToThirdParty,
    TransferToFlow,
    UpdateContactEventHooks,
    UpdateContactTargetQueue,
)

#: The identifiers the built-in-like flows have always used.
TRANSFERRING_PROMPT = "transferring-prompt"
FAILURE_PROMPT = "failure-prompt"
DISCONNECT = "disconnect"


@dataclass(frozen=True)
class Fallback:
    """A fallback as rendered: plain values only (ids or ARNs, possibly tokens), checked by the construct.

    ``kind`` is ``queue``, ``phone_number``, ``flow`` or ``disconnect``. ``flow_id`` with a queue runs that flow
    with the queue as working queue instead of transferring to the queue directly.
    """

    kind: str
    prompt: Prompt | None = None
    queue_id: str | None = None
    flow_id: str | None = None
    phone_number: str | None = None
    caller_id_number: str | None = None
    caller_id_name: str | None = None
    timeout_seconds: int = DEFAULT_THIRD_PARTY_TIMEOUT_SECONDS


@dataclass(frozen=True)
class Whispers:
    """The whisper flows a transfer flow sets before anything else (``UpdateContactEventHooks``), by flow id."""

    agent: str | None = None
    customer: str | None = None

    def actions(self, first: str) -> list[Action]:
        """One action per whisper given, chained, the last going on to ``first``."""
        hooks = [(name, event, flow) for name, event, flow in self._hooks() if flow is not None]
        actions: list[Action] = []
        for index, (name, event, flow_id) in enumerate(hooks):
            then = hooks[index + 1][0] if index + 1 < len(hooks) else first
            actions.append(UpdateContactEventHooks(name, event=event, contact_flow_id=flow_id, then=then))
        return actions

    def _hooks(self) -> tuple[tuple[str, str, str | None], ...]:
        return (
            ("set-agent-whisper", "AgentWhisper", self.agent),
            ("set-customer-whisper", "CustomerWhisper", self.customer),
        )


@dataclass
class _Branch:
    """The actions one condition leads to, and the identifier the condition's transitions point at."""

    entry: str
    actions: list[Action] = field(default_factory=list)


def _branch(
    condition: str, fallback: Fallback | None, *, default_entry: str, on_failure: str, own_prompt: Prompt | None
) -> _Branch:
    """The branch of ``condition`` (``closed``, ``unstaffed``, ``at-capacity``, ``error``).

    :param default_entry: where the condition goes without a fallback.
    :param on_failure: where a fallback that fails goes.
    :param own_prompt: the goodbye prompt the condition plays before disconnecting by default, if it has its own
        action (closed and unstaffed do; at capacity and error share the failure prompt).
    """
    if fallback is None:
        if own_prompt is None:
            return _Branch(default_entry)
        return _Branch(default_entry, [MessageParticipant(default_entry, own_prompt, then=DISCONNECT)])
    if fallback.kind == "disconnect":
        return _disconnect_branch(condition, fallback.prompt, own_prompt)
    transfer = _transfer_actions(condition, fallback, on_failure)
    if fallback.prompt is None:
        return _Branch(transfer[0].identifier, transfer)
    entry = f"{condition}-prompt"
    return _Branch(entry, [MessageParticipant(entry, fallback.prompt, then=transfer[0].identifier), *transfer])


def _disconnect_branch(condition: str, prompt: Prompt | None, own_prompt: Prompt | None) -> _Branch:
    """A goodbye and disconnect: the condition's own prompt action, or the failure prompt, plays ``prompt``."""
    entry = f"{condition}-prompt"
    if own_prompt is not None:
        return _Branch(entry, [MessageParticipant(entry, prompt or own_prompt, then=DISCONNECT)])
    if prompt is None or condition == "error":
        return _Branch(FAILURE_PROMPT)  # for the error branch, the failure prompt plays the fallback's prompt
    return _Branch(entry, [MessageParticipant(entry, prompt, then=DISCONNECT)])


def _transfer_actions(condition: str, fallback: Fallback, on_failure: str) -> list[Action]:
    """The actions that move the caller to the fallback's queue, number or flow."""
    if fallback.kind == "phone_number":
        assert fallback.phone_number is not None
        return [
            TransferParticipantToThirdParty(
                f"{condition}-transfer-to-number",
                phone_number=fallback.phone_number,
                then=DISCONNECT,
                on_error=on_failure,
                timeout_seconds=fallback.timeout_seconds,
                caller_id_number=fallback.caller_id_number,
                caller_id_name=fallback.caller_id_name,
            )
        ]
    to_flow = f"{condition}-transfer-to-flow"
    if fallback.kind == "flow":
        assert fallback.flow_id is not None
        return [TransferToFlow(to_flow, contact_flow_id=fallback.flow_id, on_error=on_failure)]
    assert fallback.kind == "queue" and fallback.queue_id is not None
    transfer = f"{condition}-transfer"
    set_queue = UpdateContactTargetQueue(
        f"{condition}-set-queue",
        then=to_flow if fallback.flow_id is not None else transfer,
        on_error=on_failure,
        queue_id=fallback.queue_id,
    )
    if fallback.flow_id is not None:
        return [set_queue, TransferToFlow(to_flow, contact_flow_id=fallback.flow_id, on_error=on_failure)]
    to_queue = TransferContactToQueue(transfer, then=on_failure, on_at_capacity=on_failure, on_error=on_failure)
    return [set_queue, to_queue]


def _error_branch(on_error: Fallback | None) -> _Branch:
    """The error branch: its failures end at the failure prompt, never back in itself."""
    return _branch("error", on_error, default_entry=FAILURE_PROMPT, on_failure=FAILURE_PROMPT, own_prompt=None)


def _failure_prompt(failure_prompt: Prompt, on_error: Fallback | None) -> Prompt:
    """``on_error=TransferFallback.disconnect(prompt=...)`` replaces the failure prompt."""
    if on_error is not None and on_error.kind == "disconnect" and on_error.prompt is not None:
        return on_error.prompt
    return failure_prompt


def agent_transfer_document(
    *,
    prompt: Prompt,
    failure_prompt: Prompt,
    when_at_capacity: Fallback | None = None,
    on_error: Fallback | None = None,
    whispers: Whispers = Whispers(),
) -> FlowDocument:
    """The agent transfer: prompt, set the working queue to the agent, transfer; fallbacks on failure."""
    error = _error_branch(on_error)
    at_capacity = _branch(
        "at-capacity", when_at_capacity, default_entry=error.entry, on_failure=error.entry, own_prompt=None
    )
    main: Sequence[Action] = (
        MessageParticipant(TRANSFERRING_PROMPT, prompt, then="set-agent-queue"),
        UpdateContactTargetQueue("set-agent-queue", then="transfer", on_error=error.entry, agent_id="$.Agent.ARN"),
        TransferContactToQueue("transfer", then=error.entry, on_at_capacity=at_capacity.entry, on_error=error.entry),
    )
    return _document(whispers, main, [at_capacity, error], _failure_prompt(failure_prompt, on_error))


def queue_transfer_document(
    *,
    check_hours: bool,
    check_staffing: bool,
    prompt: Prompt,
    closed_prompt: Prompt,
    unstaffed_prompt: Prompt,
    failure_prompt: Prompt,
    when_closed: Fallback | None = None,
    when_unstaffed: Fallback | None = None,
    when_at_capacity: Fallback | None = None,
    on_error: Fallback | None = None,
    whispers: Whispers = Whispers(),
) -> FlowDocument:
    """The queue transfer: check hours, check staffing, prompt, transfer; a branch per condition.

    ``when_closed`` needs ``check_hours`` and ``when_unstaffed`` needs ``check_staffing`` (the construct checks).
    """
    error = _error_branch(on_error)
    closed = _branch(
        "closed", when_closed, default_entry="closed-prompt", on_failure=error.entry, own_prompt=closed_prompt
    )
    unstaffed = _branch(
        "unstaffed",
        when_unstaffed,
        default_entry="unstaffed-prompt",
        on_failure=error.entry,
        own_prompt=unstaffed_prompt,
    )
    at_capacity = _branch(
        "at-capacity", when_at_capacity, default_entry=error.entry, on_failure=error.entry, own_prompt=None
    )
    checks: list[Action] = []
    if check_staffing:
        checks.append(
            CheckAgentsStaffed(
                "check-staffing",
                when_staffed=TRANSFERRING_PROMPT,
                when_unstaffed=unstaffed.entry,
                on_error=error.entry,
            )
        )
    if check_hours:
        next_check = checks[0].identifier if checks else TRANSFERRING_PROMPT
        checks.insert(
            0,
            CheckHoursOfOperation("check-hours", when_open=next_check, when_closed=closed.entry, on_error=error.entry),
        )
    main: list[Action] = [
        *checks,
        MessageParticipant(TRANSFERRING_PROMPT, prompt, then="transfer"),
        TransferContactToQueue("transfer", then=error.entry, on_at_capacity=at_capacity.entry, on_error=error.entry),
    ]
    branches = [*([closed] if check_hours else []), *([unstaffed] if check_staffing else []), at_capacity, error]
    return _document(whispers, main, branches, _failure_prompt(failure_prompt, on_error))


def _document(whispers: Whispers, main: Sequence[Action], branches: Sequence[_Branch], failure: Prompt) -> FlowDocument:
    """Whispers first, then the main path, each branch's actions in condition order, the failure prompt, disconnect."""
    hooks = whispers.actions(first=main[0].identifier)
    actions: list[Action] = [
        *hooks,
        *main,
        *(action for branch in branches for action in branch.actions),
        MessageParticipant(FAILURE_PROMPT, failure, then=DISCONNECT),
        DisconnectParticipant(DISCONNECT),
    ]
    return FlowDocument(start_action=actions[0].identifier, actions=actions)
