"""Contact flows: the flow-type enum, imported flows, and the two transfer flows a quick connect runs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import ClassVar, Protocol, runtime_checkable

from aws_cdk import Resource, Stack
from aws_cdk import aws_connect as connect
from constructs import Construct

from . import _kinds
from ._arn import resource_id_of
from ._kinds import check_kind
from ._placement import check_stack_environment, claim_name
from ._reference import ConnectReference
from ._resource import IConnectResource
from ._validation import (
    ConstructEntryPoint,
    check_flag,
    check_length,
    check_scope_and_id,
    construct_to_come,
    entry_point,
    enum_member,
    fail,
    fail_at,
    is_token,
)
from .flow_language import (
    Action,
    CheckAgentsStaffed,
    CheckHoursOfOperation,
    DisconnectParticipant,
    FlowDocument,
    MessageParticipant,
    Prompt,
    TransferContactToQueue,
    UpdateContactTargetQueue,
    as_prompt,
    content_length_problems,
)
from .instance import IConnectInstance
from .lookups import ConnectLookup, arn_from_context, check_name_and_refresh


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

        When CDK context ``connectLookups`` has ``"contact-flow:<TYPE>:<name>"``, that ARN is used instead.

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
        arn = arn_from_context(scope, "contact-flow", contact_flow_name, flow_type.value)
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


class _TransferFlowBase(Resource, metaclass=ConstructEntryPoint):
    """A flow this app creates from a :class:`FlowDocument`; the L1 is the child ``Resource``.

    Subclasses build their document from their props and pass it, with the prompts to check by property name.
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
        document: FlowDocument,
    ) -> None:
        check_scope_and_id(scope, id)
        super().__init__(scope, id)
        check_kind(self, "instance", instance, IConnectInstance, _kinds.INSTANCE)
        check_length(self, "name", name, minimum=1, maximum=127, required=True)
        check_length(self, "description", description, minimum=1, maximum=500)
        check_stack_environment(self, "instance", instance.instance_arn)
        for prop, prompt in prompts.items():
            self._check_prompt(prop, prompt)
        claim_name(self, "flow", instance.instance_arn, name)
        self._instance_arn = instance.instance_arn
        self.document = document
        """The flow-language document the flow's content is rendered from."""
        self._resource = connect.CfnContactFlow(
            self,
            "Resource",
            instance_arn=instance.instance_arn,
            name=name,
            type=self.FLOW_TYPE.value,
            content=self._render(document),
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

    def _render(self, document: FlowDocument) -> str:
        """The content JSON; values known only through tokens are escaped by ``Stack.to_json_string``."""
        problems = document.problems()
        if problems:
            fail(self, "content", "be a valid flow graph", "; ".join(problems))
        flow_json = document.to_json()
        content = json.dumps(flow_json, separators=(",", ":"), ensure_ascii=False)
        if is_token(content):
            return Stack.of(self).to_json_string(flow_json)
        for problem in content_length_problems(content):
            fail(self, "content", "fit Connect's limit", problem)
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
    to that queue and disconnects; if the transfer cannot be placed it plays ``failure_prompt`` first.
    ``AgentTransferFlow.from_default`` looks up the built-in flow instead.
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
        """
        prompts = {"prompt": as_prompt(prompt), "failure_prompt": as_prompt(failure_prompt)}
        super().__init__(
            scope,
            id,
            instance=instance,
            name=name,
            description=description,
            prompts=prompts,
            document=self._document(**prompts),
        )

    @staticmethod
    def _document(prompt: Prompt, failure_prompt: Prompt) -> FlowDocument:
        actions: Sequence[Action] = (
            MessageParticipant("transferring-prompt", prompt, then="set-agent-queue"),
            UpdateContactTargetQueue(
                "set-agent-queue", then="transfer", on_error="failure-prompt", agent_id="$.Agent.ARN"
            ),
            TransferContactToQueue(
                "transfer", then="failure-prompt", on_at_capacity="failure-prompt", on_error="failure-prompt"
            ),
            MessageParticipant("failure-prompt", failure_prompt, then="disconnect"),
            DisconnectParticipant("disconnect"),
        )
        return FlowDocument(start_action="transferring-prompt", actions=actions)


class QueueTransferFlow(_TransferFlowBase):
    """A flow of type ``QUEUE_TRANSFER`` that behaves like Connect's built-in "Default queue transfer".

    It checks the queue's hours of operation and that agents are staffed (each check can be switched
    off), plays ``prompt``, transfers to the queue and disconnects; when the queue is closed, unstaffed or
    the transfer fails, it plays the matching goodbye prompt and disconnects.
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
        document = self._document(check_hours=check_hours_of_operation, check_staffing=check_staffing, **prompts)
        super().__init__(
            scope,
            id,
            instance=instance,
            name=name,
            description=description,
            prompts=prompts,
            document=document,
        )

    @staticmethod
    def _document(
        *,
        check_hours: bool,
        check_staffing: bool,
        prompt: Prompt,
        closed_prompt: Prompt,
        unstaffed_prompt: Prompt,
        failure_prompt: Prompt,
    ) -> FlowDocument:
        checks: list[Action] = []
        goodbyes: list[Action] = []
        first_after_checks = "transferring-prompt"
        if check_staffing:
            checks.append(
                CheckAgentsStaffed(
                    "check-staffing",
                    when_staffed=first_after_checks,
                    when_unstaffed="unstaffed-prompt",
                    on_error="failure-prompt",
                )
            )
            goodbyes.append(MessageParticipant("unstaffed-prompt", unstaffed_prompt, then="disconnect"))
        if check_hours:
            next_check = checks[0].identifier if checks else first_after_checks
            checks.insert(
                0,
                CheckHoursOfOperation(
                    "check-hours",
                    when_open=next_check,
                    when_closed="closed-prompt",
                    on_error="failure-prompt",
                ),
            )
            goodbyes.insert(0, MessageParticipant("closed-prompt", closed_prompt, then="disconnect"))
        actions: list[Action] = [
            *checks,
            MessageParticipant(first_after_checks, prompt, then="transfer"),
            TransferContactToQueue(
                "transfer", then="failure-prompt", on_at_capacity="failure-prompt", on_error="failure-prompt"
            ),
            *goodbyes,
            MessageParticipant("failure-prompt", failure_prompt, then="disconnect"),
            DisconnectParticipant("disconnect"),
        ]
        return FlowDocument(start_action=actions[0].identifier, actions=actions)
