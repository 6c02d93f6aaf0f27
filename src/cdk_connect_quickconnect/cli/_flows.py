"""Where a transfer flow leaves the caller, for each condition of the queue transferred to: read from its content.

A transfer flow (flow language, ``AWS::Connect::ContactFlow`` Content) is followed action by action, as Connect
would run it when the queue (or agent) the quick connect transfers to is in one condition:

- ``open``: within its hours, agents staffed, room in the queue, nothing fails;
- ``closed``: ``CheckHoursOfOperation`` answers False;
- ``unstaffed``: ``CheckMetricData`` of agents staffed, available or online finds none;
- ``at_capacity``: ``TransferContactToQueue`` answers ``QueueAtCapacity``;
- ``error``: ``TransferContactToQueue`` answers ``NoMatchingError``.

The condition is that of the quick connect's own destination (the flow's working queue when it starts). Once the
flow sets another working queue (a fallback queue), that queue is taken to be open. The walk ends where the contact
leaves the flow: a queue, an external number, another flow, a disconnect; or where the content does not say
(an action this reader does not know, a value only known at run time), which it reports as unknown, never guessed.
Values are returned as the content holds them: ids, ARNs, or whatever stands for a reference the caller resolved.

Pure Python: the command line and the library's test helper both use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPEN = "open"
CLOSED = "closed"
UNSTAFFED = "unstaffed"
AT_CAPACITY = "at_capacity"
ERROR = "error"
#: Every condition, in the order maps and messages list them.
CONDITIONS = (OPEN, CLOSED, UNSTAFFED, AT_CAPACITY, ERROR)
#: The conditions a flow of each type can tell apart (an agent transfer checks no hours or staffing itself).
CONDITIONS_BY_FLOW_TYPE = {
    "QUEUE_TRANSFER": CONDITIONS,
    "AGENT_TRANSFER": (OPEN, AT_CAPACITY, ERROR),
}

#: Where a walk ends.
TARGET = "TARGET"
"""The quick connect's own destination (its queue, or the agent's queue)."""
QUEUE = "QUEUE"
PHONE_NUMBER = "PHONE_NUMBER"
FLOW = "FLOW"
DISCONNECT = "DISCONNECT"
UNKNOWN = "UNKNOWN"

_AGENT_METRICS = frozenset({"NumberOfAgentsStaffed", "NumberOfAgentsAvailable", "NumberOfAgentsOnline"})


class _Destination:
    def __repr__(self) -> str:
        return "DESTINATION"


DESTINATION: Any = _Destination()
"""The working queue while it is the quick connect's destination (the queue, or the agent's queue)."""
#: More steps than a valid flow's 250 actions can take without looping.
_MAX_STEPS = 1_000


@dataclass(frozen=True)
class Exit:
    """Where the caller leaves the flow, and what the content says about it on the way."""

    kind: str
    """``TARGET``, ``QUEUE``, ``PHONE_NUMBER``, ``FLOW``, ``DISCONNECT`` or ``UNKNOWN``."""
    value: Any = None
    """The queue (id, ARN or a resolved reference), the number, or the flow; None otherwise."""
    prompts: tuple[Any, ...] = ()
    """What was played on the way (``Text``, ``SSML`` or ``PromptId`` values), in order."""
    caller_id_number: Any = None
    caller_id_name: Any = None
    working_queue: Any = DESTINATION
    """For ``FLOW``: the working queue the next flow starts with (`DESTINATION`, or the queue a fallback set)."""
    detail: str = ""
    """For ``UNKNOWN``: why the content does not say."""


def conditions_of(flow_type: str | None) -> tuple[str, ...]:
    """The conditions worth asking a flow of ``flow_type`` about (all of them for an unknown type)."""
    return CONDITIONS_BY_FLOW_TYPE.get(flow_type or "", CONDITIONS)


def follow(content: Mapping[str, Any], condition: str, *, working_queue: Any = DESTINATION) -> Exit:
    """Where the flow of ``content`` leaves the caller when the destination is in ``condition``.

    :param working_queue: the working queue when the flow starts: `DESTINATION`, or the queue an earlier flow set
        (which is taken to be open).
    """
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}: one of {', '.join(CONDITIONS)}")
    actions = {action.get("Identifier"): action for action in content.get("Actions") or [] if isinstance(action, dict)}
    walk = _Walk(actions, condition, working_queue)
    return walk.run(content.get("StartAction"))


class _Walk:
    def __init__(self, actions: Mapping[Any, Mapping[str, Any]], condition: str, working: Any) -> None:
        self.actions = actions
        self.condition = condition
        self.working = working
        self.prompts: list[Any] = []

    def run(self, start: Any) -> Exit:
        current = start
        for _ in range(_MAX_STEPS):
            action = self.actions.get(current)
            if action is None:
                return self.unknown(f"the flow names an action {current!r} it does not have")
            step = self.step(action)
            if isinstance(step, Exit):
                return step
            current = step
        return self.unknown("the flow loops without leaving it")

    def step(self, action: Mapping[str, Any]) -> Exit | Any:
        """The next action's identifier, or where the walk ends."""
        kind = action.get("Type")
        parameters = action.get("Parameters") or {}
        if kind == "MessageParticipant":
            played = (parameters[key] for key in ("Text", "SSML", "PromptId") if key in parameters)
            self.prompts.append(next(played, None))
            return _next(action)
        if kind == "UpdateContactEventHooks":
            return _next(action)
        if kind == "UpdateContactTargetQueue":
            return self.set_working_queue(action, parameters)
        if kind == "CheckHoursOfOperation":
            is_open = not (self.on_target and self.condition == CLOSED)
            return _condition(action, "Equals", str(is_open))
        if kind == "CheckMetricData":
            return self.check_metric(action, parameters)
        if kind == "TransferContactToQueue":
            return self.transfer_to_queue(action)
        if kind == "TransferParticipantToThirdParty":
            caller_id = parameters.get("CallerId") or {}
            return self.exit(
                PHONE_NUMBER,
                parameters.get("ThirdPartyPhoneNumber"),
                caller_id_number=caller_id.get("Number"),
                caller_id_name=caller_id.get("Name"),
            )
        if kind == "TransferToFlow":
            return self.exit(FLOW, parameters.get("ContactFlowId"), working_queue=self.working)
        if kind == "DisconnectParticipant":
            return self.exit(DISCONNECT)
        if kind == "TransferContactToAgent":
            return self.exit(TARGET)
        return self.unknown(f"the flow runs a {kind} action, which this reader does not follow")

    @property
    def on_target(self) -> bool:
        return self.working is DESTINATION

    def set_working_queue(self, action: Mapping[str, Any], parameters: Mapping[str, Any]) -> Any:
        if parameters.get("AgentId") == "$.Agent.ARN":
            self.working = DESTINATION  # the agent the quick connect transfers to
        elif "QueueId" in parameters:
            self.working = parameters["QueueId"]
        else:
            self.working = parameters.get("AgentId")
        return _next(action)

    def check_metric(self, action: Mapping[str, Any], parameters: Mapping[str, Any]) -> Any:
        if parameters.get("MetricType") not in _AGENT_METRICS:
            return self.unknown(f"the flow checks {parameters.get('MetricType')!r}, which no condition decides")
        about_target = self.on_target and "QueueId" not in parameters and "AgentId" not in parameters
        if about_target and self.condition == UNSTAFFED:
            return _error(action, "NoMatchingCondition")
        return _condition(action, "NumberGreaterThan", "0")

    def transfer_to_queue(self, action: Mapping[str, Any]) -> Any:
        if self.on_target and self.condition == AT_CAPACITY:
            return _error(action, "QueueAtCapacity")
        if self.on_target and self.condition == ERROR:
            return _error(action, "NoMatchingError")
        return self.exit(TARGET) if self.on_target else self.exit(QUEUE, self.working)

    def exit(self, kind: str, value: Any = None, **details: Any) -> Exit:
        return Exit(kind, value, tuple(self.prompts), **details)

    def unknown(self, detail: str) -> Exit:
        return Exit(UNKNOWN, None, tuple(self.prompts), detail=detail)


def _next(action: Mapping[str, Any]) -> Any:
    return (action.get("Transitions") or {}).get("NextAction")


def _error(action: Mapping[str, Any], error_type: str) -> Any:
    """The transition for ``error_type``, else for ``NoMatchingError``, else the default transition."""
    errors = {
        error.get("ErrorType"): error.get("NextAction")
        for error in (action.get("Transitions") or {}).get("Errors") or []
        if isinstance(error, dict)
    }
    return errors.get(error_type, errors.get("NoMatchingError", _next(action)))


def _condition(action: Mapping[str, Any], operator: str, operand: str) -> Any:
    """The transition of the condition ``operator operand``, else ``NoMatchingCondition``, else the default."""
    for branch in (action.get("Transitions") or {}).get("Conditions") or []:
        condition = branch.get("Condition") or {} if isinstance(branch, dict) else {}
        if condition.get("Operator") == operator and [str(value) for value in condition.get("Operands") or []] == [
            operand
        ]:
            return branch.get("NextAction")
    return _error(action, "NoMatchingCondition")
