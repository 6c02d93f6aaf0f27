"""Assert your transfer policy in your own tests: where a call transferred by a quick connect ends up.

:class:`TransferRoutes` reads a synthesized app (every stack, cross-stack references followed) the way
``cdk-connect-quickconnect map`` does, and answers, for one quick connect and one condition of the queue it
transfers to, where the caller ends: that queue or agent, another queue, an external number, another flow, or a
hang-up. Transfer flows the app creates are followed action by action, from one flow to the next; flows it only
looks up or imports (e.g. the built-in "Default queue transfer") have no content in the templates, so their
outcome is ``UNKNOWN``::

    routes = TransferRoutes.from_stack(stack)
    after_hours = routes.outcome("Billing", TransferCondition.CLOSED)
    assert (after_hours.kind, after_hours.destination) == (TransferOutcomeKind.PHONE_NUMBER, "+18005550142")
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from aws_cdk import Stack, Stage

from ._kinds import what
from ._validation import ConnectValidationError, describe, entry_point
from .cli import _assembly, _flows
from .cli._assembly import Declared, DeclaredFlow, DeclaredQuickConnect, Ref
from .cli._model import FLOW, PHONE_NUMBER, UNKNOWN

#: Flows followed from one to the next before giving up (a chain longer than this is reported as unknown).
MAX_FLOWS_FOLLOWED = 20


class TransferCondition(str, Enum):
    """The state of the queue (or agent) a quick connect transfers to, as the transfer flow finds it."""

    OPEN = _flows.OPEN
    """Within its hours, agents staffed, room in the queue, nothing fails."""
    CLOSED = _flows.CLOSED
    """Outside its hours of operation (``CheckHoursOfOperation`` False)."""
    UNSTAFFED = _flows.UNSTAFFED
    """No agent staffed (``CheckMetricData`` of staffed, available or online agents finds none)."""
    AT_CAPACITY = _flows.AT_CAPACITY
    """The queue is full (``TransferContactToQueue`` answers ``QueueAtCapacity``)."""
    ERROR = _flows.ERROR
    """The transfer fails (``TransferContactToQueue`` answers ``NoMatchingError``)."""


class TransferOutcomeKind(str, Enum):
    """Where a transferred call ends up."""

    USER = "USER"
    """An agent (their agent queue): the quick connect's own agent."""
    QUEUE = "QUEUE"
    """A queue: the quick connect's own, or a fallback queue."""
    PHONE_NUMBER = "PHONE_NUMBER"
    """An external number."""
    FLOW = "FLOW"
    """A flow the app does not create (looked up or imported): where it goes next is not in the templates."""
    DISCONNECT = "DISCONNECT"
    """The call is hung up."""
    UNKNOWN = "UNKNOWN"
    """The templates do not say (a flow the app does not create, an action the reader does not follow)."""


@dataclass(frozen=True)
class TransferOutcome:
    """Where a call transferred by one quick connect ends up under one condition, and what it heard on the way."""

    kind: TransferOutcomeKind
    """What kind of place the call ends in."""
    destination: str | None
    """The queue's name, the agent's username, the number or the flow's name (an id when no name is known); None
    for a hang-up or an unknown outcome.
    """
    prompts: tuple[str, ...] = ()
    """The prompts played on the way, in order (text, SSML, or a prompt's name or ARN)."""
    caller_id_number: str | None = None
    """The caller ID number presented to an external number, when the flow sets one."""
    caller_id_name: str | None = None
    """The caller ID name presented to an external number, when the flow sets one."""
    flows: tuple[str, ...] = ()
    """The names of the transfer flows the call ran through, in order."""
    detail: str = field(default="", compare=False)
    """Why the outcome is unknown (empty otherwise)."""

    def __str__(self) -> str:
        words = {
            TransferOutcomeKind.USER: "agent",
            TransferOutcomeKind.QUEUE: "queue",
            TransferOutcomeKind.PHONE_NUMBER: "phone number",
            TransferOutcomeKind.FLOW: "flow",
        }
        if self.kind is TransferOutcomeKind.DISCONNECT:
            return "disconnect" + (f" after {self.prompts[-1]!r}" if self.prompts else "")
        if self.kind is TransferOutcomeKind.UNKNOWN:
            return f"unknown ({self.detail})"
        return f"{words[self.kind]} {self.destination}"


class TransferRoutes:
    """Where each quick connect of a synthesized app transfers a call to, by condition of its destination.

    Build one with :meth:`from_stack` or :meth:`from_assembly`.
    """

    def __init__(self, declared: Declared) -> None:
        """Use :meth:`from_stack` or :meth:`from_assembly`."""
        self._declared = declared
        self._by_name = {qc.ref.label(): qc for qc in declared.quick_connects.values()}

    @staticmethod
    @entry_point
    def from_stack(stack: Stack) -> TransferRoutes:
        """Synthesize ``stack``'s app (or stage) and read every stack of it, as ``cdk synth`` would write them.

        :param stack: any stack of the app, in an ``App`` or a ``Stage``.
        """
        stage = Stage.of(stack) if isinstance(stack, Stack) else None
        if stage is None:
            raise ConnectValidationError(
                "'stack' must be a Stack in an App or a Stage (its app is synthesized to be read), "
                f"got {what(stack)} (at TransferRoutes.from_stack)"
            )
        return TransferRoutes(_assembly.read_assembly(Path(stage.synth().directory)))

    @staticmethod
    @entry_point
    def from_assembly(directory: str | os.PathLike[str]) -> TransferRoutes:
        """Read a cloud assembly directory (``cdk.out``), or a CDK app's directory holding one.

        :param directory: the directory, as a string or a ``Path``.
        """
        if not (isinstance(directory, os.PathLike) or (isinstance(directory, str) and directory)):
            raise ConnectValidationError(
                "'directory' must be the path of a cloud assembly (cdk.out) or of a CDK app's directory holding one, "
                f"a non-empty string or a Path, got {what(directory)} (at TransferRoutes.from_assembly)"
            )
        try:
            declared = _assembly.read_assembly(Path(directory))
        except _assembly.AssemblyError as error:
            raise ConnectValidationError(
                f"'directory' must be a readable cloud assembly, got {describe(os.fspath(directory))} ({error}) "
                "(at TransferRoutes.from_assembly)"
            ) from None
        return TransferRoutes(declared)

    @property
    def quick_connects(self) -> list[str]:
        """The names of the app's quick connects, sorted."""
        return sorted(self._by_name)

    def outcome(
        self, quick_connect: str, condition: TransferCondition | str = TransferCondition.OPEN
    ) -> TransferOutcome:
        """Where a call transferred by the quick connect named ``quick_connect`` ends up under ``condition``.

        :param quick_connect: the quick connect's name, as agents see it.
        :param condition: the state of the queue (or agent) it transfers to (default: open).
        :raises LookupError: the app has no quick connect of that name.
        """
        qc = self._by_name.get(quick_connect)
        if qc is None:
            known = ", ".join(repr(name) for name in self.quick_connects) or "none"
            raise LookupError(f"the app has no quick connect named {quick_connect!r} (it has: {known})")
        return _Follower(self._declared, qc, TransferCondition(condition)).outcome()

    def outcomes(self, quick_connect: str) -> dict[TransferCondition, TransferOutcome]:
        """:meth:`outcome` under every condition."""
        return {condition: self.outcome(quick_connect, condition) for condition in TransferCondition}


class _Follower:
    """Follows one quick connect's transfer through the app's flows under one condition."""

    def __init__(self, declared: Declared, qc: DeclaredQuickConnect, condition: TransferCondition) -> None:
        self.declared = declared
        self.qc = qc
        self.condition = condition
        self.prompts: list[str] = []
        self.flows: list[str] = []

    def outcome(self) -> TransferOutcome:
        qc = self.qc
        if qc.quick_connect_type == PHONE_NUMBER:
            number = qc.destination if isinstance(qc.destination, str) else None
            return self.result(TransferOutcomeKind.PHONE_NUMBER, number)
        if qc.quick_connect_type == FLOW:
            return self.result(TransferOutcomeKind.FLOW, _label(qc.destination))
        flow = _assembly.transfer_flow(self.declared, qc)
        if flow is None:
            name = qc.flow.label() if qc.flow is not None else "none"
            return self.unknown(f"the transfer runs flow {name!r}, which the app does not create (content not known)")
        return self.follow(flow)

    def follow(self, flow: DeclaredFlow) -> TransferOutcome:
        working: Any = _flows.DESTINATION
        for _ in range(MAX_FLOWS_FOLLOWED):
            assert flow.content is not None
            self.flows.append(flow.ref.label())
            exit = _flows.follow(flow.content, self.condition.value, working_queue=working)
            self.prompts.extend(_label(prompt) or "?" for prompt in exit.prompts)
            following = self.flow_of(exit)
            if following is None:
                return self.end(exit)
            flow, working = following, exit.working_queue
        return self.unknown(f"the call goes through more than {MAX_FLOWS_FOLLOWED} flows")

    def flow_of(self, exit: _flows.Exit) -> DeclaredFlow | None:
        """The app's flow (with content) an exit to another flow goes to, or None."""
        if exit.kind != _flows.FLOW or not isinstance(exit.value, Ref):
            return None
        flow = self.declared.flows.get(exit.value.key)
        return flow if flow is not None and flow.content is not None else None

    def end(self, exit: _flows.Exit) -> TransferOutcome:
        if exit.kind == _flows.UNKNOWN:
            return self.unknown(exit.detail)
        destination = _assembly.exit_destination(self.qc, exit)
        if destination.kind == UNKNOWN:
            return self.unknown(f"the flow's {exit.kind.lower().replace('_', ' ')} is not known at synth")
        return self.result(
            TransferOutcomeKind(destination.kind),
            destination.label,
            caller_id_number=_label(exit.caller_id_number),
            caller_id_name=_label(exit.caller_id_name),
        )

    def result(self, kind: TransferOutcomeKind, destination: str | None, **details: Any) -> TransferOutcome:
        return TransferOutcome(kind, destination, tuple(self.prompts), flows=tuple(self.flows), **details)

    def unknown(self, detail: str) -> TransferOutcome:
        return self.result(TransferOutcomeKind.UNKNOWN, None, detail=detail)


def _label(value: Any) -> str | None:
    """A value of the templates as a test reads it: text as it is, a reference by the name it has in the app."""
    if isinstance(value, Ref):
        return value.label()
    return value if isinstance(value, str) else None
