"""Small typed objects for the Amazon Connect flow-language actions this library renders.

A :class:`FlowDocument` is a start action plus actions; :meth:`FlowDocument.problems` checks the graph
(start exists, every transition names an existing action, nothing unreachable, size limits, and, for a
given flow type, only actions Connect allows in it) and :meth:`FlowDocument.render` produces the JSON that
``AWS::Connect::ContactFlow.Content`` takes.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar
from xml.etree import ElementTree

FLOW_LANGUAGE_VERSION = "2019-10-30"
"""The only flow-language version Connect accepts."""
MAX_ACTIONS = 250
"""Connect's limit on actions in one flow."""
MAX_CONTENT_LENGTH = 256_000
"""Connect's limit on the characters of a flow's content."""
MAX_IDENTIFIER_LENGTH = 50
"""Connect's limit on an action identifier's length."""
MAX_PROMPT_BILLED_CHARACTERS = 3_000
"""The most billed characters of a prompt's text or SSML (outside its tags; plain text is all billed).

Text for text-to-speech or chat: "a maximum of 3,000 billed characters (6,000 total characters)" (admin guide,
Play prompt block).
"""
MAX_PROMPT_TOTAL_CHARACTERS = 6_000
"""The most characters of a prompt's SSML, its tags included."""

E164 = re.compile(r"\+[1-9]\d{1,14}")
"""A phone number in E.164 form, as ``AWS::Connect::QuickConnect`` (``PhoneConfig.PhoneNumber``) and the flow
language (``ThirdPartyPhoneNumber``) take it.
"""
E164_RULE = "be an E.164 number: '+', a country code and at most 15 digits (e.g. '+18005550100')"
"""How a message words :data:`E164`."""

_FORBIDDEN_IDENTIFIER_CHARACTERS = re.compile(r"[%:()\\/=$,;\[\]{}]")
_RESERVED_IDENTIFIERS = frozenset(
    {
        "__proto__",
        "constructor",
        "__defineGetter__",
        "__defineSetter__",
        "toString",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "valueOf",
    }
)

_ALL_FLOW_TYPES = frozenset(
    {
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
)
_TRANSFER = frozenset({"AGENT_TRANSFER", "QUEUE_TRANSFER"})
_WHISPER = frozenset({"CUSTOMER_WHISPER", "AGENT_WHISPER", "OUTBOUND_WHISPER"})

ALLOWED_FLOW_TYPES: Mapping[str, frozenset[str]] = {
    # "supported in contact flows, transfer flows, whisper flows, and customer queue flows. [...] not [...] hold flows"
    "MessageParticipant": frozenset({"CONTACT_FLOW", "CUSTOMER_QUEUE", *_TRANSFER, *_WHISPER}),
    # "None. This action can be used everywhere."
    "DisconnectParticipant": _ALL_FLOW_TYPES,
    # "allowed in contact flows, transfer flows, and customer queue flows"
    "TransferParticipantToThirdParty": frozenset({"CONTACT_FLOW", "CUSTOMER_QUEUE", *_TRANSFER}),
    # "supported only in contact flows and transfer flows"
    "UpdateContactTargetQueue": frozenset({"CONTACT_FLOW", *_TRANSFER}),
    # "supported in contact flows and transfer flows"
    "TransferContactToQueue": frozenset({"CONTACT_FLOW", *_TRANSFER}),
    # "supported in only transfer to agent and transfer to queue flows"
    "TransferContactToAgent": _TRANSFER,
    # "supported in all types of flows"
    "UpdateContactEventHooks": _ALL_FLOW_TYPES,
    # "only supported in the customer queue flow"
    "DequeueContactAndTransferToQueue": frozenset({"CUSTOMER_QUEUE"}),
    # "available in inbound flows, transfer flows, and customer queue flows"
    "CheckHoursOfOperation": frozenset({"CONTACT_FLOW", "CUSTOMER_QUEUE", *_TRANSFER}),
    # "only usable in contact flows, queue and agent transfers, and customer queue flows"
    "CheckMetricData": frozenset({"CONTACT_FLOW", "CUSTOMER_QUEUE", *_TRANSFER}),
    # "available in inbound flows and transfer flows"
    "TransferToFlow": frozenset({"CONTACT_FLOW", *_TRANSFER}),
    # "available only in whisper flows and customer queue flows"
    "EndFlowExecution": frozenset({"CUSTOMER_QUEUE", *_WHISPER}),
}
"""The flow types each action type may be used in, as the *Restrictions* section of each action's page of the
Amazon Connect flow language reference states it (docs.aws.amazon.com/connect/latest/APIReference/, pages
``participant-actions-messageparticipant``, ``participant-actions-disconnectparticipant``,
``participant-actions-transferparticipanttothirdparty``, ``contact-actions-updatecontacttargetqueue``,
``contact-actions-transfercontacttoqueue``, ``contact-actions-transfercontacttoagent``,
``contact-actions-updatecontacteventhooks``, ``contact-actions-dequeuecontactandtransfertoqueue``,
``flow-control-actions-checkhoursofoperation``, ``flow-control-actions-checkmetricdata``,
``flow-control-actions-transfertoflow``, ``flow-control-actions-endflowexecution``). An action type that is not
listed is not known to be allowed anywhere: :meth:`FlowDocument.problems` refuses it for a given flow type.
"""
TRANSFER_TO_FLOW_TARGET_TYPES = frozenset({"CONTACT_FLOW", *_TRANSFER})
"""The flow types ``TransferToFlow`` can go to: "not a valid flow type (Inbound, Transfer to Agent, or Transfer to
Queue)" takes the block's Error branch (admin guide, *Transfer to flow* block).
"""
MAX_THIRD_PARTY_TIMEOUT_SECONDS = 600
"""The longest ``ThirdPartyConnectionTimeLimitSeconds``: "An integer, between 0 and 600 (inclusive)"."""
DEFAULT_THIRD_PARTY_TIMEOUT_SECONDS = 30
"""The seconds a transfer to a phone number waits for the third party when none is given (exports of the console's
*Transfer to phone number* block carry 30).
"""


class Prompt:
    """What a ``MessageParticipant`` action plays: exactly one of text, SSML or a stored prompt.

    Use the factories: ``Prompt.text("Transferring now...")``, ``Prompt.ssml(...)``, ``Prompt.from_prompt_arn(...)``.
    """

    def __init__(self, key: str, value: str) -> None:
        """A prompt of ``key`` (``Text``, ``SSML`` or ``PromptId``), as the factories make it.

        :param key: the ``MessageParticipant`` parameter the value goes in.
        :param value: the text, SSML or prompt ARN.
        """
        self._key = key
        self._value = value

    @staticmethod
    def text(text: str) -> Prompt:
        """Text spoken by Amazon Polly (or sent, in a chat).

        :param text: at most 3,000 characters.
        """
        return Prompt("Text", text)

    @staticmethod
    def ssml(ssml: str) -> Prompt:
        """SSML spoken by Amazon Polly, e.g. ``<speak>Transferring now.</speak>``.

        :param ssml: well-formed XML with ``<speak>`` as its root; at most 6,000 characters, 3,000 outside tags.
        """
        return Prompt("SSML", ssml)

    @staticmethod
    def from_prompt_arn(prompt_arn: str) -> Prompt:
        """An audio prompt stored in the instance, by ARN (or id).

        :param prompt_arn: the prompt's ARN or id, or a token (a ``CfnPrompt``'s ``attr_prompt_arn``).
        """
        return Prompt("PromptId", prompt_arn)

    @property
    def value(self) -> str:
        """The text, SSML or prompt ARN."""
        return self._value

    @property
    def is_free_text(self) -> bool:
        """Whether the value is text or SSML (any characters), rather than a prompt ARN or id."""
        return self._key in ("Text", "SSML")

    def problems(self) -> list[str]:
        """Every reason Connect would refuse this prompt, empty when it is fine (the value must be concrete)."""
        value = self._value
        if not isinstance(value, str):
            return ["must be a string (text, SSML or a prompt ARN)"]
        if not value.strip():
            return ["must not be empty"]
        if self._key == "Text" and len(value) > MAX_PROMPT_BILLED_CHARACTERS:
            return [f"must be at most {MAX_PROMPT_BILLED_CHARACTERS:,} characters of text, has {len(value):,}"]
        if self._key == "SSML":
            return _ssml_problems(value)
        return []

    def to_parameters(self) -> dict[str, str]:
        """The ``Parameters`` of a ``MessageParticipant`` action playing this prompt."""
        return {self._key: self._value}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Prompt) and (self._key, self._value) == (other._key, other._value)

    def __hash__(self) -> int:
        return hash((self._key, self._value))

    def __repr__(self) -> str:
        return f"Prompt.{self._key.lower()}({self._value!r})"


def _ssml_problems(ssml: str) -> list[str]:
    try:
        # The app's own SSML, parsed at synth; the standard parser fetches no external entities.
        root = ElementTree.fromstring(ssml)
    except ElementTree.ParseError as error:
        return [f"must be well-formed XML ({error})"]
    if root.tag != "speak":
        return [f"must have <speak> as its root element, not <{root.tag}>"]
    if len(ssml) > MAX_PROMPT_TOTAL_CHARACTERS:
        return [f"must be at most {MAX_PROMPT_TOTAL_CHARACTERS:,} characters with its tags, has {len(ssml):,}"]
    billed = len("".join(root.itertext()))
    if billed > MAX_PROMPT_BILLED_CHARACTERS:
        return [f"must hold at most {MAX_PROMPT_BILLED_CHARACTERS:,} characters of text outside tags, has {billed:,}"]
    if not "".join(root.itertext()).strip() and not len(root):
        return ["must not be empty: <speak> holds no text"]
    return []


def as_prompt(prompt: str | Prompt) -> Prompt:
    """A plain string is text to speak; a :class:`Prompt` is used as it is."""
    return prompt if isinstance(prompt, Prompt) else Prompt.text(prompt)


@dataclass(frozen=True)
class ErrorBranch:
    """Where to go when an action raises ``error_type`` (e.g. ``NoMatchingError``)."""

    error_type: str
    """The error, e.g. ``NoMatchingError`` or ``QueueAtCapacity``."""
    next_action: str
    """The identifier of the action to go to."""

    def to_json(self) -> dict[str, str]:
        """The flow-language form."""
        return {"NextAction": self.next_action, "ErrorType": self.error_type}


@dataclass(frozen=True)
class ConditionBranch:
    """Where to go when the action's result satisfies ``operator`` over ``operands``."""

    operator: str
    """The comparison, e.g. ``Equals`` or ``NumberGreaterThan``."""
    operands: tuple[str, ...]
    """What the action's result is compared with."""
    next_action: str
    """The identifier of the action to go to."""

    def to_json(self) -> dict[str, Any]:
        """The flow-language form."""
        return {
            "NextAction": self.next_action,
            "Condition": {"Operator": self.operator, "Operands": list(self.operands)},
        }


@dataclass(frozen=True)
class Action(ABC):
    """One flow-language action; subclasses set ``TYPE`` and say their parameters and transitions."""

    TYPE: ClassVar[str]
    """The action's flow-language ``Type``."""

    identifier: str
    """The action's ``Identifier``, unique in its flow (at most 50 characters, no ``%:()\\/=$,;[]{}``)."""

    @abstractmethod
    def parameters(self) -> dict[str, Any]:
        """The action's ``Parameters``."""

    def next_action(self) -> str | None:
        """The default transition, or None for a terminal action."""
        return None

    def errors(self) -> tuple[ErrorBranch, ...]:
        """Error transitions."""
        return ()

    def conditions(self) -> tuple[ConditionBranch, ...]:
        """Conditional transitions."""
        return ()

    def targets(self) -> Iterator[str]:
        """Every action identifier this action can transition to."""
        if (default := self.next_action()) is not None:
            yield default
        yield from (branch.next_action for branch in self.conditions())
        yield from (branch.next_action for branch in self.errors())

    def transitions(self) -> dict[str, Any]:
        """The action's ``Transitions``."""
        rendered: dict[str, Any] = {}
        if (default := self.next_action()) is not None:
            rendered["NextAction"] = default
        if self.errors():
            rendered["Errors"] = [branch.to_json() for branch in self.errors()]
        if self.conditions():
            rendered["Conditions"] = [branch.to_json() for branch in self.conditions()]
        return rendered

    def to_json(self) -> dict[str, Any]:
        """The flow-language form."""
        return {
            "Identifier": self.identifier,
            "Type": self.TYPE,
            "Parameters": self.parameters(),
            "Transitions": self.transitions(),
        }


@dataclass(frozen=True)
class MessageParticipant(Action):
    """Play a prompt to the participant, then continue (the console's *Play prompt* block)."""

    TYPE: ClassVar[str] = "MessageParticipant"
    """The flow-language ``Type``, ``MessageParticipant``."""

    prompt: Prompt
    """What is played."""
    then: str
    """The identifier of the next action."""
    on_error: str | None = None
    """Where ``NoMatchingError`` goes (default: no error branch)."""

    def parameters(self) -> dict[str, Any]:
        """One of ``Text``, ``SSML`` or ``PromptId``."""
        return self.prompt.to_parameters()

    def next_action(self) -> str:
        """Continue with ``then``."""
        return self.then

    def errors(self) -> tuple[ErrorBranch, ...]:
        """``NoMatchingError`` goes to ``on_error`` when given."""
        return (ErrorBranch("NoMatchingError", self.on_error),) if self.on_error else ()


@dataclass(frozen=True)
class UpdateContactTargetQueue(Action):
    """Set the working queue (the console's *Set working queue* block), to a queue or to an agent."""

    TYPE: ClassVar[str] = "UpdateContactTargetQueue"
    """The flow-language ``Type``, ``UpdateContactTargetQueue``."""

    then: str
    """The identifier of the next action."""
    on_error: str
    """Where ``NoMatchingError`` goes."""
    agent_id: str | None = None
    """The agent whose queue becomes the working queue: an id, an ARN or a JSONPath such as ``$.Agent.ARN``
    (give exactly one of ``agent_id`` and ``queue_id``)."""
    queue_id: str | None = None
    """The queue that becomes the working queue: an id, an ARN or a JSONPath (give exactly one of the two)."""

    def __post_init__(self) -> None:
        if (self.agent_id is None) == (self.queue_id is None):
            raise ValueError("UpdateContactTargetQueue takes exactly one of 'agent_id' or 'queue_id'")

    def parameters(self) -> dict[str, Any]:
        """``AgentId`` or ``QueueId`` (an id, an ARN or a JSONPath such as ``$.Agent.ARN``)."""
        return {"AgentId": self.agent_id} if self.agent_id is not None else {"QueueId": self.queue_id}

    def next_action(self) -> str:
        """Continue with ``then``."""
        return self.then

    def errors(self) -> tuple[ErrorBranch, ...]:
        """``NoMatchingError`` goes to ``on_error``."""
        return (ErrorBranch("NoMatchingError", self.on_error),)


@dataclass(frozen=True)
class TransferContactToQueue(Action):
    """Transfer the contact to the working queue (the console's *Transfer to queue* block)."""

    TYPE: ClassVar[str] = "TransferContactToQueue"
    """The flow-language ``Type``, ``TransferContactToQueue``."""

    then: str
    """Where the flow goes after the transfer was placed."""
    on_at_capacity: str
    """Where it goes when the queue is at capacity (``QueueAtCapacity``)."""
    on_error: str
    """Where it goes on any other failure (``NoMatchingError``)."""

    def parameters(self) -> dict[str, Any]:
        """No parameters: the working queue set before is used."""
        return {}

    def next_action(self) -> str:
        """Where the flow goes after the transfer was placed."""
        return self.then

    def errors(self) -> tuple[ErrorBranch, ...]:
        """``QueueAtCapacity`` and ``NoMatchingError``."""
        return (
            ErrorBranch("QueueAtCapacity", self.on_at_capacity),
            ErrorBranch("NoMatchingError", self.on_error),
        )


@dataclass(frozen=True)
class CheckHoursOfOperation(Action):
    """Branch on whether the working queue is within its hours of operation."""

    TYPE: ClassVar[str] = "CheckHoursOfOperation"
    """The flow-language ``Type``, ``CheckHoursOfOperation``."""

    when_open: str
    """Where the flow goes within the hours."""
    when_closed: str
    """Where it goes outside them."""
    on_error: str
    """Where it goes on an error (``NoMatchingError``)."""

    def parameters(self) -> dict[str, Any]:
        """No parameters: the working queue's hours are checked."""
        return {}

    def next_action(self) -> str:
        """Connect requires a default transition; it is the error branch."""
        return self.on_error

    def conditions(self) -> tuple[ConditionBranch, ...]:
        """``Equals True`` when open, ``Equals False`` when closed."""
        return (
            ConditionBranch("Equals", ("True",), self.when_open),
            ConditionBranch("Equals", ("False",), self.when_closed),
        )

    def errors(self) -> tuple[ErrorBranch, ...]:
        """``NoMatchingError`` goes to ``on_error``."""
        return (ErrorBranch("NoMatchingError", self.on_error),)


@dataclass(frozen=True)
class CheckAgentsStaffed(Action):
    """Branch on whether the working queue has agents staffed (``CheckMetricData`` ``NumberOfAgentsStaffed``)."""

    TYPE: ClassVar[str] = "CheckMetricData"
    """The flow-language ``Type``, ``CheckMetricData``."""

    when_staffed: str
    """Where the flow goes when at least one agent is staffed."""
    when_unstaffed: str
    """Where it goes when none is (``NoMatchingCondition``)."""
    on_error: str
    """Where it goes on an error (``NoMatchingError``)."""

    def parameters(self) -> dict[str, Any]:
        """The metric checked."""
        return {"MetricType": "NumberOfAgentsStaffed"}

    def next_action(self) -> str:
        """Connect requires a default transition; it is the error branch."""
        return self.on_error

    def conditions(self) -> tuple[ConditionBranch, ...]:
        """More than zero agents staffed."""
        return (ConditionBranch("NumberGreaterThan", ("0",), self.when_staffed),)

    def errors(self) -> tuple[ErrorBranch, ...]:
        """No staffed agent (``NoMatchingCondition``) or an error (``NoMatchingError``)."""
        return (
            ErrorBranch("NoMatchingCondition", self.when_unstaffed),
            ErrorBranch("NoMatchingError", self.on_error),
        )


@dataclass(frozen=True)
class DisconnectParticipant(Action):
    """End the flow (the console's *Disconnect / hang up* block)."""

    TYPE: ClassVar[str] = "DisconnectParticipant"
    """The flow-language ``Type``, ``DisconnectParticipant``."""

    def parameters(self) -> dict[str, Any]:
        """No parameters."""
        return {}


@dataclass(frozen=True)
class TransferParticipantToThirdParty(Action):
    """Transfer the caller to an external number (the console's *Transfer to phone number* block).

    Rendered with ``ContinueFlowExecution`` "True", so that a call that fails or is not answered within
    ``timeout_seconds`` goes on to ``on_error`` instead of ending the flow, and the flow goes on with ``then``
    once the third party hangs up while the caller is still on the line. The parameter names are those of
    console exports and of the flow language reference's first editions (``ThirdPartyConnectionTimeLimitSeconds``;
    a later edition of the reference spells it ``ThirdPartyConnectionTimeoutSeconds``).
    """

    TYPE: ClassVar[str] = "TransferParticipantToThirdParty"
    """The flow-language ``Type``, ``TransferParticipantToThirdParty``."""

    phone_number: str
    """The external number called, E.164 (``ThirdPartyPhoneNumber``)."""
    then: str
    """Where the flow goes when the third party hangs up and the caller is still on the line."""
    on_error: str
    """Where it goes when the call fails, is not answered in time, or errs."""
    timeout_seconds: int = DEFAULT_THIRD_PARTY_TIMEOUT_SECONDS
    """How long the third party may take to answer, 0-600 seconds (default: 30)."""
    caller_id_number: str | None = None
    """The caller ID number the third party sees, E.164 or a ``$.`` reference (default: none set)."""
    caller_id_name: str | None = None
    """The caller ID name the third party sees (default: none set)."""

    def parameters(self) -> dict[str, Any]:
        """The number, the time limit, ``ContinueFlowExecution`` and the optional ``CallerId``."""
        parameters: dict[str, Any] = {
            "ThirdPartyPhoneNumber": self.phone_number,
            "ThirdPartyConnectionTimeLimitSeconds": str(self.timeout_seconds),
            "ContinueFlowExecution": "True",
        }
        caller_id = {"Number": self.caller_id_number, "Name": self.caller_id_name}
        if any(value is not None for value in caller_id.values()):
            parameters["CallerId"] = {key: value for key, value in caller_id.items() if value is not None}
        return parameters

    def next_action(self) -> str:
        """Where the flow goes when the third party hangs up and the caller is still connected."""
        return self.then

    def errors(self) -> tuple[ErrorBranch, ...]:
        """``CallFailed``, ``ConnectionTimeLimitExceeded`` and ``NoMatchingError`` go to ``on_error``."""
        return (
            ErrorBranch("CallFailed", self.on_error),
            ErrorBranch("ConnectionTimeLimitExceeded", self.on_error),
            ErrorBranch("NoMatchingError", self.on_error),
        )


@dataclass(frozen=True)
class TransferToFlow(Action):
    """End this flow and run another (the console's *Transfer to flow* block)."""

    TYPE: ClassVar[str] = "TransferToFlow"
    """The flow-language ``Type``, ``TransferToFlow``."""

    contact_flow_id: str
    """The flow run next, by id or ARN (``ContactFlowId``)."""
    on_error: str
    """Where the flow goes when the other flow cannot be run (``NoMatchingError``)."""

    def parameters(self) -> dict[str, Any]:
        """``ContactFlowId``: the flow's id or ARN."""
        return {"ContactFlowId": self.contact_flow_id}

    def next_action(self) -> str:
        """Console exports give the block a default transition: its error branch."""
        return self.on_error

    def errors(self) -> tuple[ErrorBranch, ...]:
        """``NoMatchingError`` (e.g. the flow is not of a type that can be transferred to) goes to ``on_error``."""
        return (ErrorBranch("NoMatchingError", self.on_error),)


@dataclass(frozen=True)
class UpdateContactEventHooks(Action):
    """Set the flow one contact event runs, e.g. the agent whisper (the console's *Set whisper flow* block).

    The flow language takes one event per action.
    """

    TYPE: ClassVar[str] = "UpdateContactEventHooks"
    """The flow-language ``Type``, ``UpdateContactEventHooks``."""

    event: str
    """The contact event, e.g. ``AgentWhisper`` or ``CustomerWhisper``."""
    contact_flow_id: str
    """The flow the event runs, by id or ARN."""
    then: str
    """Where the flow goes next (also when the hook cannot be set)."""

    def parameters(self) -> dict[str, Any]:
        """``EventHooks`` with the one event (``AgentWhisper``, ``CustomerWhisper``, ...) and the flow to run."""
        return {"EventHooks": {self.event: self.contact_flow_id}}

    def next_action(self) -> str:
        """Continue with ``then``."""
        return self.then

    def errors(self) -> tuple[ErrorBranch, ...]:
        """A hook that cannot be set does not stop the transfer: ``NoMatchingError`` goes on to ``then`` too."""
        return (ErrorBranch("NoMatchingError", self.then),)


@dataclass(frozen=True)
class FlowDocument:
    """A flow: the first action to run and every action, in order."""

    start_action: str
    """The identifier of the action the flow starts with."""
    actions: Sequence[Action] = field(default_factory=tuple)
    """Every action of the flow, in order."""

    def by_identifier(self) -> Mapping[str, Action]:
        """The actions keyed by identifier."""
        return {action.identifier: action for action in self.actions}

    def problems(self, flow_type: str | None = None) -> list[str]:
        """Every reason Connect would reject this flow's graph, empty when it is valid.

        :param flow_type: the flow type (a ``ContactFlowType``) the document is for; when given, every action must
            be one Connect allows in flows of that type (:data:`ALLOWED_FLOW_TYPES`) (default: not checked).
        """
        found = [*self._identifier_problems(), *self._transition_problems(), *self._size_problems()]
        if flow_type is not None:
            found.extend(self._flow_type_problems(str(getattr(flow_type, "value", flow_type))))
        if not found:
            found.extend(self._unreachable_problems())
        return found

    def to_json(self) -> dict[str, Any]:
        """The flow-language document, with the designer's layout ``Metadata`` as exported flows carry it."""
        return {
            "Version": FLOW_LANGUAGE_VERSION,
            "StartAction": self.start_action,
            "Metadata": self.layout().to_json(),
            "Actions": [action.to_json() for action in self.actions],
        }

    def layout(self) -> FlowLayout:
        """Where the flow designer draws each block: left to right in graph order, branches stacked below.

        An action's column is its longest distance from the start action, so every transition of an acyclic
        flow points right; actions of one column are stacked in the order they are first reached. A flow
        with a loop falls back to the shortest distance. Unreachable actions (refused by :meth:`problems`)
        go in a last column.
        """
        order = self._reach_order()
        columns = self._longest_distances(order) or self._shortest_distances(order)
        last_column = max(columns.values(), default=-1) + 1
        rows_used: dict[int, int] = {}
        positions: dict[str, tuple[int, int]] = {}
        for action in sorted(self.actions, key=lambda a: order.get(a.identifier, len(order))):
            column = columns.get(action.identifier, last_column)
            row = rows_used.get(column, 0)
            rows_used[column] = row + 1
            positions[action.identifier] = (column, row)
        return FlowLayout(positions)

    def _reach_order(self) -> dict[str, int]:
        """Each reachable action's index in breadth-first order from the start, transitions in their order."""
        known = self.by_identifier()
        order: dict[str, int] = {}
        pending = [self.start_action] if self.start_action in known else []
        while pending:
            current = pending.pop(0)
            if current in order:
                continue
            order[current] = len(order)
            pending.extend(target for target in known[current].targets() if target in known)
        return order

    def _longest_distances(self, order: Mapping[str, int]) -> dict[str, int] | None:
        """Longest distance from the start over reachable actions; None when the flow loops."""
        known = self.by_identifier()
        incoming = dict.fromkeys(order, 0)
        for identifier in order:
            for target in set(known[identifier].targets()) & incoming.keys():
                incoming[target] += 1
        distance = dict.fromkeys(order, 0)
        ready = sorted((i for i, count in incoming.items() if count == 0), key=order.__getitem__)
        done = 0
        while ready:
            current = ready.pop(0)
            done += 1
            for target in sorted(set(known[current].targets()) & incoming.keys(), key=order.__getitem__):
                distance[target] = max(distance[target], distance[current] + 1)
                incoming[target] -= 1
                if incoming[target] == 0:
                    ready.append(target)
        return distance if done == len(order) else None

    def _shortest_distances(self, order: Mapping[str, int]) -> dict[str, int]:
        known = self.by_identifier()
        distance = {self.start_action: 0} if order else {}
        for identifier in order:  # breadth-first order: a predecessor's distance is final first
            for target in known[identifier].targets():
                if target in order and target not in distance:
                    distance[target] = distance[identifier] + 1
        return distance

    def render(self, flow_type: str | None = None) -> str:
        """The compact JSON for ``AWS::Connect::ContactFlow.Content``; raises ``ValueError`` when invalid.

        :param flow_type: the flow type the content is for, to check its actions against (default: not checked).
        """
        problems = self.problems(flow_type)
        content = json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False)
        problems.extend(content_length_problems(content))
        if problems:
            raise ValueError("; ".join(problems))
        return content

    def _identifier_problems(self) -> Iterator[str]:
        seen: set[str] = set()
        for action in self.actions:
            identifier = action.identifier
            if identifier in seen:
                yield f"action identifier {identifier!r} is used more than once"
            seen.add(identifier)
            if not 1 <= len(identifier) <= MAX_IDENTIFIER_LENGTH:
                yield f"action identifier {identifier!r} must be 1-{MAX_IDENTIFIER_LENGTH} characters"
            if _FORBIDDEN_IDENTIFIER_CHARACTERS.search(identifier) or identifier in _RESERVED_IDENTIFIERS:
                yield f"action identifier {identifier!r} uses a character or word Connect forbids"

    def _transition_problems(self) -> Iterator[str]:
        known = self.by_identifier()
        if self.start_action not in known:
            yield f"start action {self.start_action!r} is not an action of the flow"
        for action in self.actions:
            for target in action.targets():
                if target not in known:
                    yield f"action {action.identifier!r} transitions to {target!r}, which does not exist"

    def _size_problems(self) -> Iterator[str]:
        if not self.actions:
            yield "a flow needs at least one action"
        if len(self.actions) > MAX_ACTIONS:
            yield f"a flow holds at most {MAX_ACTIONS} actions, this one has {len(self.actions)}"

    def _flow_type_problems(self, flow_type: str) -> Iterator[str]:
        for action in self.actions:
            allowed = ALLOWED_FLOW_TYPES.get(action.TYPE)
            if allowed is None:
                yield f"action {action.identifier!r} is a {action.TYPE}, which is not known to be allowed in any flow"
            elif flow_type not in allowed:
                yield (
                    f"action {action.identifier!r} is a {action.TYPE}, which Connect allows only in "
                    f"{', '.join(sorted(allowed))} flows, not in {flow_type} flows"
                )

    def _unreachable_problems(self) -> Iterator[str]:
        known = self.by_identifier()
        reached: set[str] = set()
        pending = [self.start_action]
        while pending:
            current = pending.pop()
            if current not in reached:
                reached.add(current)
                pending.extend(known[current].targets())
        for action in self.actions:
            if action.identifier not in reached:
                yield f"action {action.identifier!r} cannot be reached from the start action"


def content_length_problems(content: str) -> list[str]:
    """Connect's limit on a flow's content length, as a problem list."""
    if len(content) > MAX_CONTENT_LENGTH:
        return [f"content is {len(content)} characters, more than {MAX_CONTENT_LENGTH}"]
    return []


@dataclass(frozen=True)
class FlowLayout:
    """The flow designer's picture of a flow: a (column, row) grid cell per action, drawn at fixed spacing.

    Rendered as the ``Metadata`` of exported flows: ``entryPointPosition`` and ``ActionMetadata`` with a
    ``position`` per action identifier. Connect ignores it when running the flow; without it the designer
    draws every block on top of each other.
    """

    cells: Mapping[str, tuple[int, int]]
    """Each action's (column, row) in the designer's grid, by identifier."""

    ENTRY_POINT: ClassVar[tuple[int, int]] = (40, 40)
    """Where the designer's entry point is drawn."""
    FIRST_COLUMN_X: ClassVar[int] = 240
    """The first column's left edge, right of the entry point."""
    COLUMN_WIDTH: ClassVar[int] = 300
    """Horizontal distance between blocks, wide enough for the designer's block cards."""
    ROW_HEIGHT: ClassVar[int] = 220
    """Vertical distance between blocks."""

    def position(self, identifier: str) -> dict[str, int]:
        """The designer coordinates of an action."""
        column, row = self.cells[identifier]
        return {"x": self.FIRST_COLUMN_X + column * self.COLUMN_WIDTH, "y": self.ENTRY_POINT[1] + row * self.ROW_HEIGHT}

    def to_json(self) -> dict[str, Any]:
        """The flow's ``Metadata``."""
        entry_x, entry_y = self.ENTRY_POINT
        return {
            "entryPointPosition": {"x": entry_x, "y": entry_y},
            "snapToGrid": False,
            "ActionMetadata": {identifier: {"position": self.position(identifier)} for identifier in self.cells},
        }
