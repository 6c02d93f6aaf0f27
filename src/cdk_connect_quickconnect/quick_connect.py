"""Quick connects: the transfer destinations an agent picks in the contact control panel."""

from __future__ import annotations

import re
from enum import Enum
from typing import Protocol, runtime_checkable

from aws_cdk import Resource
from aws_cdk import aws_connect as connect
from constructs import Construct

from . import _kinds
from ._arn import resource_id_of
from ._kinds import check_instance_of, check_kind
from ._placement import check_stack_environment, claim_name, same_instance
from ._reference import ConnectReference
from ._resource import IConnectResource
from ._tree import remember_stack, stack_of
from ._validation import (
    ConstructEntryPoint,
    check_length,
    check_pattern,
    check_scope_and_id,
    construct_to_come,
    entry_point,
    enum_member,
    fail,
)
from .flow_language import E164, E164_RULE
from .flows import ContactFlowType, IContactFlow
from .instance import IConnectInstance
from .queue import IQueue
from .user import IUser

#: ``ContactFlowArn`` of ``AWS::Connect::QuickConnect`` (CloudFormation's schema, as bundled in cfn-lint): a
#: qualifier is letters, digits and '-' only, so ``:$LATEST`` is refused at deploy.
CFN_CONTACT_FLOW_ARN = re.compile(
    r"arn:aws[-a-z0-9]*:connect:[-a-z0-9]*:[0-9]{12}:instance/[-a-zA-Z0-9]*/contact-flow/[-a-zA-Z0-9]*(:[a-zA-Z0-9-]+)?"
)


class QuickConnectType(str, Enum):
    """The kind of destination a quick connect transfers to."""

    PHONE_NUMBER = "PHONE_NUMBER"
    QUEUE = "QUEUE"
    USER = "USER"
    FLOW = "FLOW"
    """An agent-initiated flow run during an active contact (``FlowConfig``); chat channels only."""


#: The flow type each kind of quick connect runs; a PHONE_NUMBER quick connect runs none.
#: FLOW: the admin guide's "agent-initiated flows" page, Limitations: "Only Inbound Flows are supported"
#: (an inbound flow is ``CONTACT_FLOW`` in the API).
REQUIRED_FLOW_TYPES = {
    QuickConnectType.USER: ContactFlowType.AGENT_TRANSFER,
    QuickConnectType.QUEUE: ContactFlowType.QUEUE_TRANSFER,
    QuickConnectType.FLOW: ContactFlowType.CONTACT_FLOW,
}


#: What each kind of destination is made of (``QuickConnectDestination``'s factories take exactly these).
_PARTS = {
    QuickConnectType.USER: ("user", "flow"),
    QuickConnectType.QUEUE: ("queue", "flow"),
    QuickConnectType.PHONE_NUMBER: ("phone_number",),
    QuickConnectType.FLOW: ("flow",),
}
_TYPE_NAMES = ", ".join(member.value for member in QuickConnectType)


class QuickConnectDestination:
    """Where a quick connect transfers to: :meth:`user`, :meth:`queue`, :meth:`phone_number` or :meth:`flow`."""

    def __init__(
        self,
        quick_connect_type: QuickConnectType,
        *,
        phone_number: str | None = None,
        queue: IQueue | None = None,
        user: IUser | None = None,
        flow: IContactFlow | None = None,
    ) -> None:
        """A destination of ``quick_connect_type``; the factories give each kind exactly the parts it needs.

        :param quick_connect_type: the kind of quick connect.
        :param phone_number: the external number, for ``PHONE_NUMBER`` (default: none).
        :param queue: the queue, for ``QUEUE`` (default: none).
        :param user: the agent, for ``USER`` (default: none).
        :param flow: the flow run, for ``USER``, ``QUEUE`` and ``FLOW`` (default: none).
        """
        self.quick_connect_type = quick_connect_type
        """The kind of quick connect this destination makes."""
        self.target_phone_number = phone_number
        """The external number, for a PHONE_NUMBER destination."""
        self.target_queue = queue
        """The queue, for a QUEUE destination."""
        self.target_user = user
        """The agent, for a USER destination."""
        self.target_flow = flow
        """The flow run: the transfer flow of a QUEUE or USER destination, the flow itself of a FLOW one."""

    @staticmethod
    def user(user: IUser, flow: IContactFlow) -> QuickConnectDestination:
        """Transfer to one agent, running ``flow`` (of type ``AGENT_TRANSFER``).

        :param user: the agent.
        :param flow: the transfer flow, e.g. ``AgentTransferFlow.from_default(...)``.
        """
        return QuickConnectDestination(QuickConnectType.USER, user=user, flow=flow)

    @staticmethod
    def queue(queue: IQueue, flow: IContactFlow) -> QuickConnectDestination:
        """Transfer to a queue, running ``flow`` (of type ``QUEUE_TRANSFER``).

        :param queue: the queue.
        :param flow: the transfer flow, e.g. ``QueueTransferFlow.from_default(...)``.
        """
        return QuickConnectDestination(QuickConnectType.QUEUE, queue=queue, flow=flow)

    @staticmethod
    def phone_number(phone_number: str) -> QuickConnectDestination:
        """Transfer to, or call, an external number.

        :param phone_number: in E.164 form, e.g. ``+18005550100``.
        """
        return QuickConnectDestination(QuickConnectType.PHONE_NUMBER, phone_number=phone_number)

    @staticmethod
    def flow(flow: IContactFlow) -> QuickConnectDestination:
        """Run ``flow`` during the agent's active contact: an agent-initiated flow (``FLOW`` quick connect).

        Connect accepts only inbound flows (type ``CONTACT_FLOW``) here, and runs them on chat contacts
        only (web chat, SMS, WhatsApp Business, Apple Messages for Business), not on voice. A flow of
        another declared type fails at synth; an imported flow without a declared type is not checked.

        :param flow: the inbound flow to run.
        """
        return QuickConnectDestination(QuickConnectType.FLOW, flow=flow)

    def validate(self, scope: Construct, instance_arn: str) -> None:
        """Fail at synth if this destination cannot work for a quick connect of ``instance_arn``."""
        self._check_kinds(scope)
        check_pattern(
            scope,
            "destination.phone_number",
            self.target_phone_number,
            E164,
            E164_RULE,
        )
        if self.target_flow is not None:
            self._check_flow_type(scope, self.target_flow)
            check_pattern(
                scope,
                "destination.flow",
                self.target_flow.contact_flow_arn,
                CFN_CONTACT_FLOW_ARN,
                "be a flow ARN CloudFormation takes: a qualifier after ':' has only letters, digits and '-' "
                "(import the flow without ':$LATEST')",
            )
            _check_same_instance(scope, "destination.flow", self.target_flow.instance_arn, instance_arn)
        if self.target_queue is not None:
            _check_same_instance(scope, "destination.queue", self.target_queue.instance_arn, instance_arn)
        if self.target_user is not None:
            _check_same_instance(scope, "destination.user", self.target_user.instance_arn, instance_arn)

    def _check_kinds(self, scope: Construct) -> None:
        """Check the parts: the ones its kind needs, each the kind of object its factory takes, and no other.

        Python does not check annotations at run time.
        """
        kind = self.quick_connect_type
        if not isinstance(kind, QuickConnectType):
            fail(scope, "destination.quick_connect_type", f"be a QuickConnectType ({_TYPE_NAMES})", kind)
        parts = _PARTS[kind]
        given = {
            "phone_number": self.target_phone_number,
            "queue": self.target_queue,
            "user": self.target_user,
            "flow": self.target_flow,
        }
        for part, value in given.items():
            if part not in parts and value is not None:
                fail(scope, f"destination.{part}", f"not be given for a {kind.value} destination", value)
        if "queue" in parts:
            check_kind(scope, "destination.queue", self.target_queue, IQueue, _kinds.QUEUE)
        if "user" in parts:
            check_kind(scope, "destination.user", self.target_user, IUser, _kinds.USER)
        if "flow" in parts:
            check_kind(scope, "destination.flow", self.target_flow, IContactFlow, _kinds.CONTACT_FLOW)
        if "phone_number" in parts and not isinstance(self.target_phone_number, str):
            fail(scope, "destination.phone_number", "be a string in E.164 form", self.target_phone_number)

    def _check_flow_type(self, scope: Construct, flow: IContactFlow) -> None:
        expected = REQUIRED_FLOW_TYPES[self.quick_connect_type]
        if flow.flow_type is not None and flow.flow_type is not expected:
            fail(
                scope,
                "destination.flow",
                f"be a flow of type {expected.value} for a {self.quick_connect_type.value} quick connect",
                f"{flow.node.path} of type {flow.flow_type.value}",
            )

    def to_config(self) -> connect.CfnQuickConnect.QuickConnectConfigProperty:
        """The ``QuickConnectConfig`` with exactly the block that matches the type."""
        kind = self.quick_connect_type
        return connect.CfnQuickConnect.QuickConnectConfigProperty(
            quick_connect_type=kind.value,
            phone_config=connect.CfnQuickConnect.PhoneNumberQuickConnectConfigProperty(
                phone_number=self.target_phone_number
            )
            if self.target_phone_number is not None
            else None,
            queue_config=connect.CfnQuickConnect.QueueQuickConnectConfigProperty(
                contact_flow_arn=self.target_flow.contact_flow_arn, queue_arn=self.target_queue.queue_arn
            )
            if self.target_queue is not None and self.target_flow is not None
            else None,
            user_config=connect.CfnQuickConnect.UserQuickConnectConfigProperty(
                contact_flow_arn=self.target_flow.contact_flow_arn, user_arn=self.target_user.user_arn
            )
            if self.target_user is not None and self.target_flow is not None
            else None,
            flow_config=connect.CfnQuickConnect.FlowQuickConnectConfigProperty(
                contact_flow_arn=self.target_flow.contact_flow_arn
            )
            if kind is QuickConnectType.FLOW and self.target_flow is not None
            else None,
        )


def _check_same_instance(scope: Construct, prop: str, resource_instance_arn: str, instance_arn: str) -> None:
    if not same_instance(scope, resource_instance_arn, instance_arn):
        fail(scope, prop, f"belong to the quick connect's instance {instance_arn}", resource_instance_arn)


@runtime_checkable
class IQuickConnect(IConnectResource, Protocol):
    """A quick connect, created in this app or imported."""

    @property
    def quick_connect_arn(self) -> str:
        """The ARN, ``.../instance/<instanceId>/transfer-destination/<quickConnectId>``.

        @attribute
        """
        ...

    @property
    def quick_connect_id(self) -> str:
        """The id, cut from the ARN (CloudFormation returns none).

        @attribute
        """
        ...

    @property
    def quick_connect_type(self) -> QuickConnectType | None:
        """The destination kind; None for an imported quick connect whose type was not declared."""
        ...


class _QuickConnectReference(ConnectReference):
    """A quick connect imported by ARN, with its type when declared."""

    KIND = "quick connect"
    ARN_PROPERTY = "quick_connect_arn"
    _type: QuickConnectType | None = None

    def of_type(self, quick_connect_type: QuickConnectType | None) -> _QuickConnectReference:
        """The same reference, declared to be a quick connect of ``quick_connect_type`` (None: unknown)."""
        self._type = QuickConnectType(quick_connect_type) if quick_connect_type is not None else None
        return self

    @property
    def quick_connect_arn(self) -> str:
        return self._arn

    @property
    def quick_connect_id(self) -> str:
        return self._resource_id

    @property
    def quick_connect_type(self) -> QuickConnectType | None:
        return self._type


class QuickConnect(Resource, metaclass=ConstructEntryPoint):
    """A quick connect (``AWS::Connect::QuickConnect``) to an agent, a queue, a phone number or a flow.

    Agents see it only once it is associated with a queue they work: see ``QueueQuickConnectAssociation``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        instance: IConnectInstance,
        name: str,
        destination: QuickConnectDestination,
        description: str | None = None,
    ) -> None:
        """Create a quick connect.

        :param scope: the parent construct, in a stack.
        :param id: the construct id.
        :param instance: the instance the quick connect belongs to, in the stack's account and Region.
        :param name: the name agents see, 1-127 characters, unique among the quick connects of the instance
            across the app (Connect refuses a second one).
        :param destination: where it transfers to, from ``QuickConnectDestination``.
        :param description: 1-250 characters (default: none).
        """
        check_scope_and_id(scope, id)
        super().__init__(scope, id)
        remember_stack(self, stack_of(scope))
        check_kind(self, "instance", instance, IConnectInstance, _kinds.INSTANCE)
        check_instance_of(self, "destination", destination, QuickConnectDestination, _kinds.DESTINATION)
        check_length(self, "name", name, minimum=1, maximum=127, required=True)
        check_length(self, "description", description, minimum=1, maximum=250)
        check_stack_environment(self, "instance", instance.instance_arn)
        destination.validate(self, instance.instance_arn)
        claim_name(self, "quick connect", instance.instance_arn, name)
        self._instance_arn = instance.instance_arn
        self._type = destination.quick_connect_type
        self._arn: str | None = None
        self._resource = connect.CfnQuickConnect(
            self,
            "Resource",
            instance_arn=instance.instance_arn,
            name=name,
            description=description,
            quick_connect_config=destination.to_config(),
        )

    @staticmethod
    @entry_point
    def from_quick_connect_arn(
        scope: Construct,
        id: str,
        quick_connect_arn: str,
        *,
        quick_connect_type: QuickConnectType | None = None,
    ) -> IQuickConnect:
        """Import a quick connect by ARN (``.../instance/<instanceId>/transfer-destination/<id>``).

        :param scope: the parent construct.
        :param id: the construct id.
        :param quick_connect_arn: the quick connect's ARN, or a token.
        :param quick_connect_type: its destination kind, if known (default: unknown, not checked).
        """
        if quick_connect_type is not None:
            quick_connect_type = enum_member(
                construct_to_come(scope, id), "quick_connect_type", QuickConnectType, quick_connect_type
            )
        return _QuickConnectReference.from_arn(scope, id, quick_connect_arn).of_type(quick_connect_type)

    @property
    def quick_connect_arn(self) -> str:
        """The quick connect ARN (``Fn::GetAtt QuickConnectArn``).

        @attribute
        """
        if self._arn is None:
            self._arn = self._resource.attr_quick_connect_arn  # read from the kernel once, on first use
        return self._arn

    @property
    def quick_connect_id(self) -> str:
        """The quick connect id, cut from the ARN (built on first use: most apps never read it).

        @attribute
        """
        return resource_id_of(self, "quick_connect_arn", self.quick_connect_arn, "quick connect")

    @property
    def quick_connect_type(self) -> QuickConnectType:
        """The destination kind."""
        return self._type

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance the quick connect belongs to."""
        return self._instance_arn
