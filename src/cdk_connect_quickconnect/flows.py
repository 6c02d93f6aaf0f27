"""Contact flows: the flow-type enum, imported flows, and the two transfer flows a quick connect runs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from enum import Enum
from typing import ClassVar, Literal, Protocol, runtime_checkable

import jsii
from aws_cdk import Duration, Resource, Stack
from aws_cdk import aws_connect as connect
from constructs import Construct, IConstruct, IValidation

from . import _kinds
from ._arn import resource_id_of
from ._kinds import check_instance_of, check_kind
from ._placement import _AppRegistry, check_stack_environment, claim_name, claimed_name, same_instance
from ._reference import ConnectReference, path_of
from ._resource import IConnectResource
from ._transfer_documents import Fallback, Whispers, agent_transfer_document, queue_transfer_document
from ._validation import (
    ConnectValidationError,
    ConstructEntryPoint,
    check_flag,
    check_length,
    check_pattern,
    check_scope_and_id,
    construct_to_come,
    describe,
    entry_point,
    enum_member,
    fail,
    fail_at,
    is_token,
)
from .flow_language import (
    DEFAULT_THIRD_PARTY_TIMEOUT_SECONDS,
    E164,
    E164_RULE,
    MAX_THIRD_PARTY_TIMEOUT_SECONDS,
    TRANSFER_TO_FLOW_TARGET_TYPES,
    FlowDocument,
    Prompt,
    as_prompt,
    content_length_problems,
)
from .instance import IConnectInstance
from .lookups import ConnectLookup, arn_from_context, check_name_and_refresh
from .queue import IQueue

#: The flows every instance has (admin guide, *Default flows*: "They all start with Default in their name"). Connect
#: refuses a new flow with one of these names (``DuplicateResourceException``: names are unique in an instance).
BUILT_IN_FLOW_NAMES = (
    "Default agent hold",
    "Default agent transfer",
    "Default agent whisper",
    "Default customer hold",
    "Default customer queue",
    "Default customer whisper",
    "Default outbound",
    "Default queue transfer",
)


class ContactFlowType(str, Enum):
    """Every flow type ``AWS::Connect::ContactFlow`` accepts."""

    CONTACT_FLOW = "CONTACT_FLOW"
    CUSTOMER_QUEUE = "CUSTOMER_QUEUE"
    CUSTOMER_HOLD = "CUSTOMER_HOLD"
    CUSTOMER_WHISPER = "CUSTOMER_WHISPER"
    AGENT_HOLD = "AGENT_HOLD"
    AGENT_WHISPER = "AGENT_WHISPER"
    OUTBOUND_WHISPER = "OUTBOUND_WHISPER"
    AGENT_TRANSFER = "AGENT_TRANSFER"
    QUEUE_TRANSFER = "QUEUE_TRANSFER"
    CAMPAIGN = "CAMPAIGN"


@runtime_checkable
class IContactFlow(IConnectResource, Protocol):
    """A contact flow, created in this app or imported."""

    @property
    def contact_flow_arn(self) -> str:
        """The flow ARN, ``.../instance/<instanceId>/contact-flow/<flowId>``.

        @attribute
        """
        ...

    @property
    def contact_flow_id(self) -> str:
        """The flow id (the last segment of the ARN).

        @attribute
        """
        ...

    @property
    def flow_type(self) -> ContactFlowType | None:
        """The flow type; None when an imported flow's type was not declared (then it is not checked)."""
        ...


class _ContactFlowReference(ConnectReference):
    """A flow imported by ARN or looked up by name, with its type when declared."""

    KIND = "contact flow"
    ARN_PROPERTY = "contact_flow_arn"
    _flow_type: ContactFlowType | None = None

    def of_type(self, flow_type: ContactFlowType | None) -> _ContactFlowReference:
        """The same reference, declared to be a flow of ``flow_type`` (None: unknown, not checked)."""
        self._flow_type = ContactFlowType(flow_type) if flow_type is not None else None
        return self

    @property
    def contact_flow_arn(self) -> str:
        return self._arn

    @property
    def contact_flow_id(self) -> str:
        return self._resource_id

    @property
    def flow_type(self) -> ContactFlowType | None:
        return self._flow_type

    def looked_up_as(self) -> tuple[str, str] | None:
        """The instance ARN and the name a deploy-time lookup searches for; None for a flow imported by ARN."""
        if isinstance(self._owner, ConnectLookup):
            return self._owner.instance_arn, self._owner.lookup_name
        return None


class ContactFlow:
    """Factories for a contact flow that exists already (a built-in flow, or one made elsewhere)."""

    @staticmethod
    @entry_point
    def from_contact_flow_arn(
        scope: Construct, id: str, contact_flow_arn: str, *, flow_type: ContactFlowType | None = None
    ) -> IContactFlow:
        """Import a flow by ARN.

        :param scope: the parent construct.
        :param id: the construct id.
        :param contact_flow_arn: ``arn:<partition>:connect:<region>:<account>:instance/<id>/contact-flow/<id>``,
            or a token.
        :param flow_type: the flow's type, checked against where the flow is used
            (default: unknown, not checked).
        """
        if flow_type is not None:
            flow_type = enum_member(construct_to_come(scope, id), "flow_type", ContactFlowType, flow_type)
        return _ContactFlowReference.from_arn(scope, id, contact_flow_arn).of_type(flow_type)

    @staticmethod
    @entry_point
    def from_contact_flow_name(
        scope: Construct,
        id: str,
        instance: IConnectInstance,
        contact_flow_name: str,
        flow_type: ContactFlowType,
        *,
        refresh: str | None = None,
    ) -> IContactFlow:
        """Look up a flow of ``flow_type`` by exact name at deploy time (``ListContactFlows``, every page).

        When CDK context ``connectLookups`` has ``"<instance>/contact-flow:<TYPE>:<name>"`` (the instance's alias,
        or its id when given by ARN), that ARN is used instead.

        :param scope: the parent construct.
        :param id: the construct id.
        :param instance: the instance searched.
        :param contact_flow_name: the flow's exact, case-sensitive name.
        :param flow_type: the flow's type (``ListContactFlows`` is searched by type).
        :param refresh: change it to force the lookup to run again (default: runs when name or type change).
        """
        check_kind(scope, "instance", instance, IConnectInstance, _kinds.INSTANCE, child=id)
        check_name_and_refresh(scope, id, "contact_flow_name", contact_flow_name, refresh)
        flow_type = _flow_type_of(f"{scope.node.path}/{id}", flow_type)
        arn = arn_from_context(scope, id, "contact-flow", contact_flow_name, flow_type.value, instance=instance)
        if arn is not None:
            return ContactFlow.from_contact_flow_arn(scope, id, arn, flow_type=flow_type)
        lookup = ConnectLookup(
            scope,
            id,
            kind="contact-flow",
            name=contact_flow_name,
            instance_arn=instance.instance_arn,
            flow_type=flow_type.value,
            refresh=refresh,
        )
        return _ContactFlowReference.from_lookup(lookup).of_type(flow_type)


def _flow_type_of(path: str, flow_type: ContactFlowType | str | None) -> ContactFlowType:
    """``flow_type`` as the enum: a flow lookup searches the flows of one type (`ListContactFlows` filter)."""
    try:
        return ContactFlowType(flow_type)
    except ValueError:
        known = ", ".join(member.value for member in ContactFlowType)
        fail_at(path, "flow_type", f"be a ContactFlowType ({known})", flow_type)


_FallbackKind = Literal["queue", "phone_number", "flow", "disconnect"]

#: A contact attribute or system value the flow language reads at run time, e.g. ``$.SystemEndpoint.Address``.
_JSON_PATH = re.compile(r"\$\.[A-Za-z0-9_.\[\]'-]+")


class TransferFallback:
    """Where a transfer flow sends the caller when the transfer cannot go ahead, instead of hanging up.

    Use the factories: :meth:`to_queue`, :meth:`to_phone_number`, :meth:`to_flow` or :meth:`disconnect` (what the
    built-in flows do, and the default of every condition). Each takes an optional ``prompt`` played first.
    """

    def __init__(
        self,
        kind: _FallbackKind,
        *,
        queue: IQueue | None = None,
        flow: IContactFlow | None = None,
        phone_number: str | None = None,
        caller_id_number: str | None = None,
        caller_id_name: str | None = None,
        timeout: Duration | None = None,
        prompt: str | Prompt | None = None,
    ) -> None:
        """Use the static factories instead; this takes what they check and render."""
        self.kind: _FallbackKind = kind
        """``queue``, ``phone_number``, ``flow`` or ``disconnect``."""
        self.queue = queue
        """The queue transferred to (``to_queue``)."""
        self.flow = flow
        """The flow run: the flow itself (``to_flow``), or run with the queue as working queue (``to_queue``)."""
        self.phone_number = phone_number
        """The external number called (``to_phone_number``)."""
        self.caller_id_number = caller_id_number
        """The caller ID number presented to the external party (``to_phone_number``)."""
        self.caller_id_name = caller_id_name
        """The caller ID name presented to the external party (``to_phone_number``)."""
        self.timeout = timeout
        """How long the external party may take to answer (``to_phone_number``); None: 30 seconds."""
        self.prompt: Prompt | None = as_prompt(prompt) if prompt is not None else None
        """What is played to the caller first; None: nothing (for ``disconnect``: the flow's own goodbye prompt)."""

    @staticmethod
    def to_queue(
        queue: IQueue, *, flow: IContactFlow | None = None, prompt: str | Prompt | None = None
    ) -> TransferFallback:
        """Transfer the caller to ``queue`` instead (``UpdateContactTargetQueue``, then ``TransferContactToQueue``).

        :param queue: a queue of the flow's instance.
        :param flow: a ``QUEUE_TRANSFER`` flow to run with ``queue`` as the working queue, e.g. one that checks that
            queue's own hours (``TransferToFlow``) (default: transfer to the queue directly, without checks).
        :param prompt: played before the transfer (default: none).
        """
        return TransferFallback("queue", queue=queue, flow=flow, prompt=prompt)

    @staticmethod
    def to_phone_number(
        phone_number: str,
        *,
        caller_id_number: str | None = None,
        caller_id_name: str | None = None,
        timeout: Duration | None = None,
        prompt: str | Prompt | None = None,
    ) -> TransferFallback:
        """Transfer the caller to an external number (``TransferParticipantToThirdParty``), e.g. an on-call phone.

        If the call fails or is not answered in time, the flow goes on to its error handling (``on_error``, else the
        failure prompt and disconnect).

        :param phone_number: E.164, e.g. ``"+18005550100"``.
        :param caller_id_number: the number the external party sees: E.164, or a flow-language reference such as
            ``"$.SystemEndpoint.Address"`` (the number the customer called) (default: no ``CallerId`` number).
        :param caller_id_name: the name the external party sees, text or a ``$.`` reference
            (default: no ``CallerId`` name).
        :param timeout: how long the external party may take to answer, 0-600 seconds (default: 30 seconds).
        :param prompt: played before dialing (default: none).
        """
        return TransferFallback(
            "phone_number",
            phone_number=phone_number,
            caller_id_number=caller_id_number,
            caller_id_name=caller_id_name,
            timeout=timeout,
            prompt=prompt,
        )

    @staticmethod
    def to_flow(flow: IContactFlow, *, prompt: str | Prompt | None = None) -> TransferFallback:
        """Run another flow (``TransferToFlow``): an inbound (``CONTACT_FLOW``), agent or queue transfer flow.

        The working queue stays the one of the transfer, so a queue transfer flow run this way checks the same queue.

        :param flow: the flow to run, of the flow's instance: ``CONTACT_FLOW``, ``AGENT_TRANSFER`` or
            ``QUEUE_TRANSFER``.
        :param prompt: played before the other flow starts (default: none).
        """
        return TransferFallback("flow", flow=flow, prompt=prompt)

    @staticmethod
    def disconnect(*, prompt: str | Prompt | None = None) -> TransferFallback:
        """Play a goodbye and hang up: what the built-in flows do, and the default of every condition.

        :param prompt: the goodbye (default: the flow's own prompt for the condition, e.g. ``closed_prompt``).
        """
        return TransferFallback("disconnect", prompt=prompt)

    def __repr__(self) -> str:
        shown = {
            "queue": self.queue and path_of(self.queue),
            "flow": self.flow and path_of(self.flow),
            "phone_number": self.phone_number,
            "prompt": self.prompt,
        }
        details = ", ".join(f"{key}={value!r}" for key, value in shown.items() if value is not None)
        return f"TransferFallback.{self.kind}({details})"

    def _validate(self, flow: _TransferFlowBase, prop: str) -> None:
        """Fail at synth if this fallback cannot work in ``flow`` (given as ``prop``)."""
        required = _REQUIRED_BY_KIND.get(self.kind)
        if required is None:
            rule = "be built with TransferFallback.to_queue, .to_phone_number, .to_flow or .disconnect"
            fail(flow, prop, rule, f"TransferFallback({self.kind!r})")
        if required and getattr(self, required) is None:
            fail(flow, f"{prop}.{required}", f"be given for a {self.kind} fallback", None)
        if self.queue is not None:
            check_kind(flow, f"{prop}.queue", self.queue, IQueue, _kinds.QUEUE)
            _check_same_instance(flow, f"{prop}.queue", self.queue.instance_arn)
        if self.flow is not None:
            check_kind(flow, f"{prop}.flow", self.flow, IContactFlow, _kinds.CONTACT_FLOW)
            allowed = _QUEUE_TRANSFER_ONLY if self.kind == "queue" else TRANSFER_TO_FLOW_TARGET_TYPES
            _check_flow_type(flow, f"{prop}.flow", self.flow, allowed)
            _check_same_instance(flow, f"{prop}.flow", self.flow.instance_arn)
        if self.prompt is not None:
            flow._check_prompt(f"{prop}.prompt", self.prompt)
        if self.kind == "phone_number":
            self._validate_phone(flow, prop)

    def _validate_phone(self, flow: _TransferFlowBase, prop: str) -> None:
        if not isinstance(self.phone_number, str):
            fail(flow, f"{prop}.phone_number", "be a string in E.164 form", self.phone_number)
        check_pattern(flow, f"{prop}.phone_number", self.phone_number, E164, E164_RULE)
        number = self.caller_id_number
        if number is not None and not (
            isinstance(number, str) and (is_token(number) or E164.fullmatch(number) or _JSON_PATH.fullmatch(number))
        ):
            fail(flow, f"{prop}.caller_id_number", f"{E164_RULE} or a '$.' reference", number)
        name = self.caller_id_name
        if name is not None:
            if is_token(name) or not isinstance(name, str):
                fail(flow, f"{prop}.caller_id_name", "be text known at synth, or a '$.' reference", name)
            if not name.strip():
                fail(flow, f"{prop}.caller_id_name", "not be empty", name)
        self._timeout_seconds(flow, prop)

    def _timeout_seconds(self, flow: _TransferFlowBase, prop: str) -> int:
        if self.timeout is None:
            return DEFAULT_THIRD_PARTY_TIMEOUT_SECONDS
        if not isinstance(self.timeout, Duration):
            fail(flow, f"{prop}.timeout", "be a Duration, e.g. Duration.seconds(30)", self.timeout)
        seconds = self.timeout.to_seconds(integral=False)
        if is_token(seconds) or not float(seconds).is_integer() or not 0 <= seconds <= MAX_THIRD_PARTY_TIMEOUT_SECONDS:
            rule = f"be whole seconds from 0 to {MAX_THIRD_PARTY_TIMEOUT_SECONDS}, known at synth"
            fail(flow, f"{prop}.timeout", rule, self.timeout.to_human_string())
        return int(seconds)

    def _rendered(self, flow: _TransferFlowBase, prop: str) -> Fallback:
        """The plain values the flow language takes (checked by :meth:`_validate` first)."""
        return Fallback(
            kind=self.kind,
            prompt=self.prompt,
            queue_id=self.queue.queue_arn if self.queue is not None else None,
            flow_id=self.flow.contact_flow_arn if self.flow is not None else None,
            phone_number=self.phone_number,
            caller_id_number=self.caller_id_number,
            caller_id_name=self.caller_id_name,
            timeout_seconds=self._timeout_seconds(flow, prop)
            if self.kind == "phone_number"
            else DEFAULT_THIRD_PARTY_TIMEOUT_SECONDS,
        )


def _check_same_instance(flow: _TransferFlowBase, prop: str, resource_instance_arn: str) -> None:
    if not same_instance(flow, resource_instance_arn, flow.instance_arn):
        fail(flow, prop, f"belong to the flow's instance {flow.instance_arn}", resource_instance_arn)


_QUEUE_TRANSFER_ONLY = frozenset({"QUEUE_TRANSFER"})
#: What each kind of fallback cannot do without ("" for nothing).
_REQUIRED_BY_KIND = {"queue": "queue", "phone_number": "phone_number", "flow": "flow", "disconnect": ""}


def _check_flow_type(scope: IConstruct, prop: str, flow: IContactFlow, allowed: frozenset[str]) -> None:
    if flow.flow_type is not None and flow.flow_type not in allowed:
        kinds = " or ".join(sorted(allowed))
        fail(scope, prop, f"be a flow of type {kinds}", f"{path_of(flow)} of type {flow.flow_type.value}")


#: Builds a transfer flow's document from its checked fallbacks (by property name) and whispers.
_DocumentBuilder = Callable[[Mapping[str, Fallback | None], Whispers], FlowDocument]


class _TransferFlowBase(Resource, metaclass=ConstructEntryPoint):
    """A flow this app creates from a :class:`FlowDocument`; the L1 is the child ``Resource``.

    Subclasses pass their prompts, fallbacks and whisper flows by property name, and a function that builds their
    document from the fallbacks and whispers once those are checked.
    """

    #: The type of flow the subclass builds.
    FLOW_TYPE: ClassVar[ContactFlowType]
    #: The name of Connect's built-in flow of that type, present in every instance.
    DEFAULT_FLOW_NAME: ClassVar[str]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        instance: IConnectInstance,
        name: str,
        description: str | None,
        prompts: Mapping[str, Prompt],
        document: _DocumentBuilder,
        fallbacks: Mapping[str, TransferFallback | None] | None = None,
        whispers: Mapping[str, IContactFlow | None] | None = None,
    ) -> None:
        check_scope_and_id(scope, id)
        super().__init__(scope, id)
        check_kind(self, "instance", instance, IConnectInstance, _kinds.INSTANCE)
        check_length(self, "name", name, minimum=1, maximum=127, required=True)
        check_length(self, "description", description, minimum=1, maximum=500)
        _check_not_built_in(self, name)
        check_stack_environment(self, "instance", instance.instance_arn)
        for prop, prompt in prompts.items():
            self._check_prompt(prop, prompt)
        claim_name(self, "flow", instance.instance_arn, name)
        self._instance_arn = instance.instance_arn
        rendered = self._checked_fallbacks(fallbacks or {})
        self.document = document(rendered, self._checked_whispers(whispers or {}))
        """The flow-language document the flow's content is rendered from."""
        self._resource = connect.CfnContactFlow(
            self,
            "Resource",
            instance_arn=instance.instance_arn,
            name=name,
            type=self.FLOW_TYPE.value,
            content=self._render(self.document),
            description=description,
        )
        self._contact_flow_arn = self._resource.attr_contact_flow_arn

    def _check_prompt(self, prop: str, prompt: Prompt) -> None:
        if not isinstance(prompt, Prompt):
            fail(
                self, prop, "be text (a string) or a Prompt (Prompt.text, Prompt.ssml, Prompt.from_prompt_arn)", prompt
            )
        if not is_token(prompt.value):
            for problem in prompt.problems():
                fail(self, prop, problem.removeprefix("must "), prompt.value, with_length=True)
            return
        if prompt.is_free_text and not isinstance(Stack.of(self).resolve(prompt.value), str):
            fail(
                self,
                prop,
                "be text known at synth: a deploy-time value (a parameter, an attribute) could hold quotes or line "
                "breaks and break the flow's JSON; use a literal, or a contact attribute reference such as "
                "'$.Attributes.greeting'",
                prompt.value,
            )

    def _checked_fallbacks(self, fallbacks: Mapping[str, TransferFallback | None]) -> dict[str, Fallback | None]:
        """Each fallback checked and rendered; the flows they run are remembered for the app-wide cycle check."""
        rendered: dict[str, Fallback | None] = {}
        for prop, fallback in fallbacks.items():
            if fallback is None:
                rendered[prop] = None
                continue
            check_instance_of(self, prop, fallback, TransferFallback, _kinds.FALLBACK)
            fallback._validate(self, prop)
            rendered[prop] = fallback._rendered(self, prop)
            if fallback.flow is not None:
                _FallbackGraph.of(self).add(self, prop, fallback.flow)
        return rendered

    def _checked_whispers(self, whispers: Mapping[str, IContactFlow | None]) -> Whispers:
        """The whisper flows, each of its whisper type and on the flow's instance."""
        flow_ids: dict[str, str] = {}
        for prop, whisper in whispers.items():
            if whisper is None:
                continue
            check_kind(self, prop, whisper, IContactFlow, _kinds.CONTACT_FLOW)
            _check_flow_type(self, prop, whisper, _WHISPER_TYPES[prop])
            _check_same_instance(self, prop, whisper.instance_arn)
            flow_ids[prop] = whisper.contact_flow_arn
        return Whispers(agent=flow_ids.get("agent_whisper_flow"), customer=flow_ids.get("customer_whisper_flow"))

    def _render(self, document: FlowDocument) -> str:
        """The content JSON; values known only through tokens are escaped by ``Stack.to_json_string``."""
        problems = document.problems(self.FLOW_TYPE)
        if problems:
            fail(self, "content", "be a valid flow graph", "; ".join(problems))
        flow_json = document.to_json()
        content = json.dumps(flow_json, separators=(",", ":"), ensure_ascii=False)
        # With tokens the deployed content is longer than this (a token's text is shorter than an ARN): a content
        # already over the limit here fails at synth, one that reaches it only once resolved still fails at deploy.
        for problem in content_length_problems(content):
            fail(self, "content", "fit Connect's limit", problem)
        if is_token(content):
            return Stack.of(self).to_json_string(flow_json)
        return content

    @classmethod
    @entry_point
    def from_default(
        cls, scope: Construct, id: str, instance: IConnectInstance, *, refresh: str | None = None
    ) -> IContactFlow:
        """The instance's built-in flow of this type ("Default agent transfer" / "Default queue transfer").

        Looked up by name at deploy time, like :meth:`ContactFlow.from_contact_flow_name`.

        :param scope: the parent construct.
        :param id: the construct id.
        :param instance: the instance searched.
        :param refresh: change it to force the lookup to run again (default: runs when the instance changes).
        """
        return ContactFlow.from_contact_flow_name(
            scope, id, instance, cls.DEFAULT_FLOW_NAME, cls.FLOW_TYPE, refresh=refresh
        )

    @property
    def contact_flow_arn(self) -> str:
        """The flow ARN.

        @attribute
        """
        return self._contact_flow_arn

    @property
    def contact_flow_id(self) -> str:
        """The flow id, cut from the ARN.

        @attribute
        """
        return resource_id_of(self, "contact_flow_arn", self._contact_flow_arn, "contact flow")

    @property
    def flow_type(self) -> ContactFlowType:
        """The flow type."""
        return self.FLOW_TYPE

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance the flow belongs to."""
        return self._instance_arn


class AgentTransferFlow(_TransferFlowBase):
    """A flow of type ``AGENT_TRANSFER`` that behaves like Connect's built-in "Default agent transfer".

    It plays ``prompt`` (to the agent transferring), sets the working queue to the chosen agent, transfers
    to that queue and disconnects; if the transfer cannot be placed it plays ``failure_prompt`` first. With
    fallbacks, the caller goes elsewhere instead of being hung up on. ``AgentTransferFlow.from_default`` looks up the
    built-in flow instead.
    """

    FLOW_TYPE = ContactFlowType.AGENT_TRANSFER
    """The type of flow it is: ``AGENT_TRANSFER``."""
    DEFAULT_FLOW_NAME = "Default agent transfer"
    """The name of the built-in flow of this type, in every instance (see :meth:`from_default`)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        instance: IConnectInstance,
        name: str,
        description: str | None = None,
        prompt: str | Prompt = "Transferring now...",
        failure_prompt: str | Prompt = "Failed to transfer.",
        when_at_capacity: TransferFallback | None = None,
        on_error: TransferFallback | None = None,
        agent_whisper_flow: IContactFlow | None = None,
        customer_whisper_flow: IContactFlow | None = None,
    ) -> None:
        """Create the flow.

        :param scope: the parent construct, in a stack.
        :param id: the construct id.
        :param instance: the instance the flow belongs to.
        :param name: the flow name, 1-127 characters, unique among the flows of the instance across the app.
        :param description: the flow description, 1-500 characters (default: none).
        :param prompt: what is played before the transfer, text or a :class:`Prompt`
            (default: "Transferring now...", as the built-in flow).
        :param failure_prompt: what is played when the transfer fails (default: "Failed to transfer.").
        :param when_at_capacity: where the caller goes when the agent cannot take the contact (the agent's queue
            is at capacity, ``QueueAtCapacity``) (default: as ``on_error``).
        :param on_error: where the caller goes when the working queue cannot be set or the transfer fails, and
            where another fallback that fails goes (default: ``failure_prompt``, then disconnect).
        :param agent_whisper_flow: an ``AGENT_WHISPER`` flow played to the agent on connecting, set with
            ``UpdateContactEventHooks`` (default: the instance's default agent whisper).
        :param customer_whisper_flow: a ``CUSTOMER_WHISPER`` flow played to the caller on connecting
            (default: the instance's default customer whisper).
        """
        prompts = {"prompt": as_prompt(prompt), "failure_prompt": as_prompt(failure_prompt)}

        def document(fallbacks: Mapping[str, Fallback | None], whispers: Whispers) -> FlowDocument:
            return agent_transfer_document(
                prompt=prompts["prompt"],
                failure_prompt=prompts["failure_prompt"],
                when_at_capacity=fallbacks["when_at_capacity"],
                on_error=fallbacks["on_error"],
                whispers=whispers,
            )

        super().__init__(
            scope,
            id,
            instance=instance,
            name=name,
            description=description,
            prompts=prompts,
            document=document,
            fallbacks={"when_at_capacity": when_at_capacity, "on_error": on_error},
            whispers={"agent_whisper_flow": agent_whisper_flow, "customer_whisper_flow": customer_whisper_flow},
        )


class QueueTransferFlow(_TransferFlowBase):
    """A flow of type ``QUEUE_TRANSFER`` that behaves like Connect's built-in "Default queue transfer".

    It checks the queue's hours of operation and that agents are staffed (each check can be switched
    off), plays ``prompt``, transfers to the queue and disconnects; when the queue is closed, unstaffed or
    the transfer fails, it plays the matching goodbye prompt and disconnects, unless a fallback for that
    condition sends the caller elsewhere (another queue, an external number, another flow).
    ``QueueTransferFlow.from_default`` looks up the built-in flow instead.
    """

    FLOW_TYPE = ContactFlowType.QUEUE_TRANSFER
    """The type of flow it is: ``QUEUE_TRANSFER``."""
    DEFAULT_FLOW_NAME = "Default queue transfer"
    """The name of the built-in flow of this type, in every instance (see :meth:`from_default`)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        instance: IConnectInstance,
        name: str,
        description: str | None = None,
        prompt: str | Prompt = "Now transferring.",
        check_hours_of_operation: bool = True,
        check_staffing: bool = True,
        closed_prompt: str | Prompt = "The queue is closed right now. Goodbye.",
        unstaffed_prompt: str | Prompt = "No agents are available right now. Goodbye.",
        failure_prompt: str | Prompt = "Failed to transfer. Goodbye.",
        when_closed: TransferFallback | None = None,
        when_unstaffed: TransferFallback | None = None,
        when_at_capacity: TransferFallback | None = None,
        on_error: TransferFallback | None = None,
        agent_whisper_flow: IContactFlow | None = None,
        customer_whisper_flow: IContactFlow | None = None,
    ) -> None:
        """Create the flow.

        :param scope: the parent construct, in a stack.
        :param id: the construct id.
        :param instance: the instance the flow belongs to.
        :param name: the flow name, 1-127 characters, unique among the flows of the instance across the app.
        :param description: the flow description, 1-500 characters (default: none).
        :param prompt: played before the transfer, text or a :class:`Prompt` (default: "Now transferring.").
        :param check_hours_of_operation: whether to check the queue's hours first (default: True).
        :param check_staffing: whether to check that agents are staffed first (default: True).
        :param closed_prompt: played out of hours (default: "The queue is closed right now. Goodbye.").
        :param unstaffed_prompt: played with no staffed agent
            (default: "No agents are available right now. Goodbye.").
        :param failure_prompt: played when the transfer fails (default: "Failed to transfer. Goodbye.").
        :param when_closed: where the caller goes outside the queue's hours (needs ``check_hours_of_operation``)
            (default: ``closed_prompt``, then disconnect).
        :param when_unstaffed: where the caller goes when no agent is staffed on the queue (needs
            ``check_staffing``) (default: ``unstaffed_prompt``, then disconnect).
        :param when_at_capacity: where the caller goes when the queue is full (``QueueAtCapacity``)
            (default: as ``on_error``).
        :param on_error: where the caller goes when a check or the transfer fails, and where another fallback that
            fails goes (default: ``failure_prompt``, then disconnect).
        :param agent_whisper_flow: an ``AGENT_WHISPER`` flow played to the agent on connecting, set with
            ``UpdateContactEventHooks`` (default: the instance's default agent whisper).
        :param customer_whisper_flow: a ``CUSTOMER_WHISPER`` flow played to the caller on connecting
            (default: the instance's default customer whisper).
        """
        check_scope_and_id(scope, id)
        check_flag(construct_to_come(scope, id), "check_hours_of_operation", check_hours_of_operation)
        check_flag(construct_to_come(scope, id), "check_staffing", check_staffing)
        prompts = {
            "prompt": as_prompt(prompt),
            "closed_prompt": as_prompt(closed_prompt),
            "unstaffed_prompt": as_prompt(unstaffed_prompt),
            "failure_prompt": as_prompt(failure_prompt),
        }

        def document(fallbacks: Mapping[str, Fallback | None], whispers: Whispers) -> FlowDocument:
            return queue_transfer_document(
                check_hours=check_hours_of_operation,
                check_staffing=check_staffing,
                prompt=prompts["prompt"],
                closed_prompt=prompts["closed_prompt"],
                unstaffed_prompt=prompts["unstaffed_prompt"],
                failure_prompt=prompts["failure_prompt"],
                when_closed=fallbacks["when_closed"],
                when_unstaffed=fallbacks["when_unstaffed"],
                when_at_capacity=fallbacks["when_at_capacity"],
                on_error=fallbacks["on_error"],
                whispers=whispers,
            )

        super().__init__(
            scope,
            id,
            instance=instance,
            name=name,
            description=description,
            prompts=prompts,
            document=document,
            fallbacks={
                "when_closed": _unless_unchecked(scope, id, "when_closed", when_closed, check_hours_of_operation),
                "when_unstaffed": _unless_unchecked(scope, id, "when_unstaffed", when_unstaffed, check_staffing),
                "when_at_capacity": when_at_capacity,
                "on_error": on_error,
            },
            whispers={"agent_whisper_flow": agent_whisper_flow, "customer_whisper_flow": customer_whisper_flow},
        )


_CHECK_OF = {"when_closed": "check_hours_of_operation", "when_unstaffed": "check_staffing"}


def _unless_unchecked(
    scope: Construct, id: str, prop: str, fallback: TransferFallback | None, checked: bool
) -> TransferFallback | None:
    """A fallback for a condition the flow does not check would never run: refuse it."""
    if fallback is not None and not checked:
        fail_at(
            f"{scope.node.path}/{id}",
            prop,
            f"be None when {_CHECK_OF[prop]} is False (that condition is never checked: the fallback would never run)",
            fallback,
        )
    return fallback


#: The flow type each whisper property takes.
_WHISPER_TYPES = {
    "agent_whisper_flow": frozenset({"AGENT_WHISPER"}),
    "customer_whisper_flow": frozenset({"CUSTOMER_WHISPER"}),
}


def _check_not_built_in(flow: _TransferFlowBase, name: str) -> None:
    if isinstance(name, str) and not is_token(name) and name in BUILT_IN_FLOW_NAMES:
        fail(
            flow,
            "name",
            "not be the name of one of the flows every instance has (Connect refuses a second flow of that name "
            f"with DuplicateResourceException); choose another name, or run the built-in one with "
            f"{type(flow).__name__}.from_default(...)",
            name,
        )


class _FallbackGraph:
    """Which flows of the app each transfer flow's fallbacks run, for the cycle check at synth.

    A fallback can only name a flow that exists, so a cycle cannot be built from flow objects alone; it can through
    a deploy-time lookup by name of a flow of the app (``ContactFlow.from_contact_flow_name``), which this graph
    resolves to that flow through the app's name registry.
    """

    def __init__(self) -> None:
        #: Each flow with fallbacks running a flow: (property, the flow run), in the order given.
        self.edges: dict[_TransferFlowBase, list[tuple[str, IContactFlow]]] = {}

    @classmethod
    def of(cls, scope: IConstruct) -> _FallbackGraph:
        return _AppRegistry.of(scope).extension(cls, lambda _: cls())

    def add(self, flow: _TransferFlowBase, prop: str, target: IContactFlow) -> None:
        """Record that ``flow``'s fallback ``prop`` runs ``target``; the check runs at synth."""
        if flow not in self.edges:
            self.edges[flow] = []
            flow.node.add_validation(_FallbackCycleCheck(flow, self))
        self.edges[flow].append((prop, target))

    def app_flow(self, source: _TransferFlowBase, target: IContactFlow) -> _TransferFlowBase | None:
        """The transfer flow of the app ``target`` is, when synth can tell."""
        if isinstance(target, _TransferFlowBase):
            return target
        by_arn = {flow.contact_flow_arn: flow for flow in self.edges}
        if target.contact_flow_arn in by_arn:
            return by_arn[target.contact_flow_arn]
        looked_up = target.looked_up_as() if isinstance(target, _ContactFlowReference) else None
        if looked_up is not None:
            claimed = claimed_name(source, "flow", *looked_up)
            return claimed if isinstance(claimed, _TransferFlowBase) else None
        return None

    def cycle_from(self, start: _TransferFlowBase) -> list[tuple[_TransferFlowBase, str]] | None:
        """A path of (flow, property) steps from ``start`` back to ``start``, or None."""
        path: list[tuple[_TransferFlowBase, str]] = []
        visited: set[_TransferFlowBase] = set()

        def visit(flow: _TransferFlowBase) -> bool:
            for prop, target in self.edges.get(flow, []):
                following = self.app_flow(flow, target)
                if following is None:
                    continue
                path.append((flow, prop))
                if following is start:
                    return True
                if following not in visited:
                    visited.add(following)
                    if visit(following):
                        return True
                path.pop()
            return False

        return path if visit(start) else None


@jsii.implements(IValidation)
class _FallbackCycleCheck:
    """At synth, when every flow exists: no fallback leads back to the flow it belongs to."""

    def __init__(self, flow: _TransferFlowBase, graph: _FallbackGraph) -> None:
        self._flow = flow
        self._graph = graph

    def validate(self) -> list[str]:
        cycle = self._graph.cycle_from(self._flow)
        if cycle is None or min(flow.node.path for flow, _ in cycle) != self._flow.node.path:
            return []  # no cycle, or one reported by the flow of the cycle that comes first
        steps = " -> ".join(f"{flow.node.path} ({prop})" for flow, prop in cycle)
        first_prop = cycle[0][1]
        target = dict(self._graph.edges[self._flow])[first_prop]
        message = (
            f"'{first_prop}' must not lead back to this flow (a fallback cycle would transfer the caller in a loop: "
            f"{steps} -> {self._flow.node.path}), got {describe(path_of(target))} (at {self._flow.node.path})"
        )
        return [str(ConnectValidationError(message))]
