"""Look up existing Connect resources by name at deploy time: instances, queues, users and flows.

Each lookup is a read-only custom resource (``Custom::ConnectLookup``) served by the stack's one provider;
its ARN and id are deploy-time tokens (``Fn::GetAtt``). When CDK context holds an ARN for the lookup's
key (``connectLookups`` -> ``"queue:BasicQueue"`` etc.), that ARN is used instead and nothing is looked up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import CustomResource, Resource
from constructs import Construct

from ._arn import parse_arn
from ._provider import ConnectHandlerProvider
from ._validation import ConstructEntryPoint, check_length, check_scope_and_id, construct_to_come, fail

RESOURCE_TYPE = "Custom::ConnectLookup"
"""The CloudFormation type of lookup resources."""
CONTEXT_KEY = "connectLookups"
"""The CDK context key holding ARNs that replace lookups, keyed by :func:`context_key`."""

#: What each kind of lookup may call, and on which resource below the instance ARN ("" is the instance itself):
#: each action only on the resource type the Service Authorization Reference gives it (tests/test_security.py
#: checks every pair with parliament's database). Search* and ListUsers take the instance, ListQueues and
#: ListContactFlows the instance's queues and flows.
_READS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "queue": ((("connect:SearchQueues",), ""), (("connect:ListQueues",), "/queue/*")),
    "user": ((("connect:SearchUsers", "connect:ListUsers"), ""),),
    "contact-flow": ((("connect:ListContactFlows",), "/contact-flow/*"),),
}
INSTANCE_READS = ("connect:ListInstances", "ds:DescribeDirectories")
"""ListInstances has no resource-level permission in IAM: it can only be granted on "*"."""


def context_key(kind: str, name: str, qualifier: str | None = None) -> str:
    """The key under ``connectLookups`` whose ARN replaces a lookup, e.g. ``queue:BasicQueue``.

    Flows are keyed with their type: ``contact-flow:AGENT_TRANSFER:Default agent transfer``.
    """
    return ":".join(part for part in (kind, qualifier, name) if part)


def arn_from_context(scope: Construct, kind: str, name: str, qualifier: str | None = None) -> str | None:
    """The ARN given in CDK context for this lookup, if any."""
    given = scope.node.try_get_context(CONTEXT_KEY)
    if given is None:
        return None
    if not isinstance(given, Mapping):
        fail(scope, f"context {CONTEXT_KEY}", "be an object of '<kind>:<name>' to ARN", given)
    arn = given.get(context_key(kind, name, qualifier))
    return str(arn) if arn is not None else None


LOOKUP_KINDS = ("queue", "user", "contact-flow", "instance")
"""Every kind of lookup the handler answers."""
MAX_NAME_LENGTH = 256
"""The longest name (and ``refresh``) a lookup takes."""


def check_name_and_refresh(scope: Construct, id: str, name_property: str, name: Any, refresh: Any) -> None:
    """A lookup factory's name and ``refresh``, checked before anything is created and named as the factory names them.

    The name is needed (also to find an ARN in context); ``refresh`` is optional, but not empty.
    """
    to_come = construct_to_come(scope, id)
    check_length(to_come, name_property, name, minimum=1, maximum=MAX_NAME_LENGTH, required=True)
    check_length(to_come, "refresh", refresh, minimum=1, maximum=MAX_NAME_LENGTH)


def _check_lookup(scope: Construct, kind: str, instance_arn: str | None, flow_type: str | None) -> None:
    """The handler would fail the deploy on these; fail at synth instead."""
    if kind not in LOOKUP_KINDS:
        fail(scope, "kind", f"be one of {', '.join(LOOKUP_KINDS)}", kind)
    if kind != "instance" and instance_arn is None:
        fail(scope, "instance_arn", f"be given for a {kind} lookup (the instance searched)", instance_arn)
    if instance_arn is not None:
        parse_arn(scope, "instance_arn", instance_arn, None)
    if kind == "contact-flow" and not (isinstance(flow_type, str) and flow_type):
        fail(
            scope,
            "flow_type",
            "be given for a contact-flow lookup (ListContactFlows is searched by type; "
            "ContactFlow.from_contact_flow_name takes a ContactFlowType)",
            flow_type,
        )
    if kind != "contact-flow" and flow_type is not None:
        fail(scope, "flow_type", f"be given only for a contact-flow lookup, not a {kind} lookup", flow_type)


class ConnectLookup(Resource, metaclass=ConstructEntryPoint):
    """The deploy-time lookup of one Connect resource by name; exposes ``arn`` and ``resource_id`` tokens.

    Prefer the typed factories (``Queue.from_queue_name``, ``User.from_username``, ...), which return the
    same interfaces as the ``from_..._arn`` imports.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        kind: str,
        name: str,
        instance_arn: str | None = None,
        flow_type: str | None = None,
        refresh: str | None = None,
    ) -> None:
        """Create a lookup (a ``Custom::ConnectLookup`` served by the stack's one provider).

        :param scope: the parent construct, in a stack.
        :param id: the construct id.
        :param kind: ``queue``, ``user``, ``contact-flow`` or ``instance``.
        :param name: the exact, case-sensitive name (alias for an instance, username for a user), 1-256 characters.
        :param instance_arn: the instance searched (all kinds but ``instance``).
        :param flow_type: the flow type searched (``contact-flow`` only, which needs one), e.g. ``AGENT_TRANSFER``.
        :param refresh: any string; change it to make the lookup run again on the next deploy
            (default: the lookup runs when its other properties change).
        """
        check_scope_and_id(scope, id)
        super().__init__(scope, id)
        _check_lookup(self, kind, instance_arn, flow_type)
        check_length(self, "name", name, minimum=1, maximum=MAX_NAME_LENGTH, required=True)
        check_length(self, "refresh", refresh, minimum=1, maximum=MAX_NAME_LENGTH)
        provider = ConnectHandlerProvider.of(self)
        properties: dict[str, Any] = {"Kind": kind, "Name": name}
        optional = {"InstanceArn": instance_arn, "ContactFlowType": flow_type, "Refresh": refresh}
        properties.update({key: value for key, value in optional.items() if value is not None})
        self.resource = CustomResource(
            self, "Resource", service_token=provider.service_token, resource_type=RESOURCE_TYPE, properties=properties
        )
        """The ``Custom::ConnectLookup`` resource."""
        self._grant_reads(provider, kind, instance_arn)
        self.arn = self.resource.get_att_string("Arn")
        """The ARN found (``Fn::GetAtt Arn``)."""
        self.resource_id = self.resource.get_att_string("Id")
        """The id found (``Fn::GetAtt Id``), the last segment of the ARN."""
        self._searched_instance_arn = instance_arn
        self.lookup_kind = kind
        """The kind of resource looked up (``queue``, ``user``, ``contact-flow`` or ``instance``)."""
        self.lookup_name = name
        """The name looked up."""

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance searched (for an instance lookup, the instance found)."""
        if self._searched_instance_arn is None:
            return self.arn
        return self._searched_instance_arn

    def _grant_reads(self, provider: ConnectHandlerProvider, kind: str, instance_arn: str | None) -> None:
        if kind == "instance":
            provider.grant_to_handler(INSTANCE_READS, ["*"])
            return
        if instance_arn is None:
            fail(self, "instance_arn", f"be given for a {kind} lookup", instance_arn)
        for actions, suffix in _READS[kind]:
            provider.grant_for(self.resource, actions, [f"{instance_arn}{suffix}"])
