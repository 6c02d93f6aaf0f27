"""Look up existing Connect resources by name at deploy time: instances, queues, users and flows.

Each lookup is a read-only custom resource (``Custom::ConnectLookup``) served by the stack's one provider;
its ARN and id are deploy-time tokens (``Fn::GetAtt``). When CDK context holds an ARN for the lookup's
key (``connectLookups`` -> ``"my-contact-center/queue:BasicQueue"`` etc., see :func:`context_key`), that
ARN is used instead and nothing is looked up (a pin; ``cdk-connect-quickconnect pin`` writes them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import jsii
from aws_cdk import Annotations, CfnResource, RemovalPolicy, Resource
from constructs import Construct, IConstruct, IValidation

from ._arn import concrete_instance_id, parse_arn
from ._pin_keys import CONTEXT_KEY, LOOKUP_KINDS, context_key
from ._placement import _AppRegistry
from ._provider import ConnectHandlerProvider
from ._tree import facts_of, stack_of
from ._validation import (
    ConstructEntryPoint,
    check_length,
    check_scope_and_id,
    construct_to_come,
    entry_point,
    enum_member,
    fail,
    fail_at,
)

RESOURCE_TYPE = "Custom::ConnectLookup"
"""The CloudFormation type of lookup resources."""

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


#: The id of the warning (``Annotations.of(scope).acknowledge_warning(...)``) for a key that names no instance.
LEGACY_KEY_WARNING = "cdk-connect-quickconnect:lookupKeyNamesNoInstance"


class _Instance(Protocol):
    """What a lookup needs of the instance it searches (``IConnectInstance``, without importing it here)."""

    @property
    def instance_arn(self) -> str: ...


def instance_names(instance: _Instance) -> list[str]:
    """How pins may name ``instance``, preferred first: its alias if looked up by alias, its id if its ARN is known.

    Empty for an instance given only as a deploy-time value (a ``CfnParameter``, a ``CfnInstance`` attribute).
    """
    names = []
    alias = getattr(instance, "instance_alias", None)
    if isinstance(alias, str):
        names.append(alias)
    instance_id = concrete_instance_id(instance.instance_arn)
    if instance_id is not None:
        names.append(instance_id)
    return names


def arn_from_context(
    scope: Construct,
    id: str,
    kind: str,
    name: str,
    qualifier: str | None = None,
    *,
    instance: _Instance | None = None,
) -> str | None:
    """The ARN pinned in CDK context for the lookup ``id`` of ``scope``, if any.

    Keys name the instance searched (:func:`context_key`, alias first, then id). A key of an earlier release,
    which names no instance, is still read when no key naming the instance is there: with a warning saying
    how to migrate, and failing at synth if the app looks the same name up in two instances. A pinned ARN of
    another instance than the one searched fails at once.
    """
    given = scope.node.try_get_context(CONTEXT_KEY)
    if given is None:
        return None
    if not isinstance(given, Mapping):
        fail(scope, f"context {CONTEXT_KEY}", "be an object of '<instance>/<kind>:<name>' to ARN", given)
    if instance is None:
        arn = given.get(context_key(kind, name, qualifier))
        return str(arn) if arn is not None else None
    path = f"{scope.node.path}/{id}"
    pins = _Pins.of(scope)
    legacy_key = context_key(kind, name, qualifier)
    pins.searched(legacy_key, scope, instance, path)
    names = instance_names(instance)
    for instance_name in names:
        key = context_key(kind, name, qualifier, instance=instance_name)
        arn = given.get(key)
        if arn is not None:
            return _checked(str(arn), key, instance, path)
    arn = given.get(legacy_key)
    if arn is None:
        return None
    pins.used_legacy(legacy_key, path)
    Annotations.of(scope).add_warning_v2(LEGACY_KEY_WARNING, _legacy_warning(legacy_key, names, kind, name, qualifier))
    return _checked(str(arn), legacy_key, instance, path)


def _checked(arn: str, key: str, instance: _Instance, path: str) -> str:
    """``arn``, unless it is in another instance than the concrete one searched."""
    pinned, searched = concrete_instance_id(arn), concrete_instance_id(instance.instance_arn)
    if pinned is not None and searched is not None and pinned != searched:
        fail_at(path, f"context {CONTEXT_KEY}", f"pin an ARN of the instance searched ({searched}) under {key!r}", arn)
    return arn


def _legacy_warning(legacy_key: str, names: list[str], kind: str, name: str, qualifier: str | None) -> str:
    if names:
        new_key = context_key(kind, name, qualifier, instance=names[0])
        how = (
            f"rename it to {new_key!r} (or delete it, synthesize, and run 'cdk-connect-quickconnect pin', which "
            "writes keys naming the instance)"
        )
    else:
        how = (
            "the instance searched is a deploy-time value (a CfnParameter, say), which no key can name: give it "
            "by ARN or alias (ConnectInstance.from_instance_arn / from_instance_alias) to pin this lookup"
        )
    return (
        f"connectLookups key {legacy_key!r} names no instance (deprecated: in an app with two instances it is "
        f"ambiguous, and fails synth); {how}"
    )


class _Pins:
    """Per app: the instances each name is looked up in, and which keys naming no instance were used."""

    def __init__(self) -> None:
        #: Key without instance -> instance identity -> (how messages name the instance, a lookup's path).
        self._searched: dict[str, dict[str, tuple[str, str]]] = {}
        #: Key without instance -> the path of a lookup that took its ARN.
        self._used: dict[str, str] = {}

    @classmethod
    def of(cls, scope: IConstruct) -> _Pins:
        def create(registry: _AppRegistry) -> _Pins:
            pins = cls()
            registry.node.add_validation(_AmbiguousPinCheck(pins))
            return pins

        return _AppRegistry.of(scope).extension(cls, create)

    def searched(self, legacy_key: str, scope: Construct, instance: _Instance, path: str) -> None:
        names = instance_names(instance)
        identity = concrete_instance_id(instance.instance_arn) or (names[0] if names else None)
        if identity is None:
            identity = f"{facts_of(scope).path}:{stack_of(scope).resolve(instance.instance_arn)!r}"
        label = names[0] if names else f"a deploy-time value ({identity})"
        self._searched.setdefault(legacy_key, {}).setdefault(identity, (label, path))

    def used_legacy(self, legacy_key: str, path: str) -> None:
        self._used.setdefault(legacy_key, path)

    def ambiguous(self) -> list[str]:
        """Messages for each key naming no instance that was used while the app searches two instances."""
        messages = []
        for legacy_key, path in self._used.items():
            instances = list(self._searched.get(legacy_key, {}).values())
            if len(instances) < 2:
                continue
            (first, first_path), (second, second_path) = instances[:2]
            rule = (
                f"name the instance in a key when the app looks {legacy_key!r} up in two instances ({first} at "
                f"{first_path} and {second} at {second_path}); rename it "
                f"'{first}/{legacy_key}' or '{second}/{legacy_key}', or run 'cdk-connect-quickconnect pin'"
            )
            try:
                fail_at(path, f"context {CONTEXT_KEY}", rule, legacy_key)
            except ValueError as error:
                messages.append(str(error))
        return messages


@jsii.implements(IValidation)
class _AmbiguousPinCheck:
    """At synth, once every lookup of the app is known: a key naming no instance is ambiguous with two instances."""

    def __init__(self, pins: _Pins) -> None:
        self._pins = pins

    def validate(self) -> list[str]:
        return self._pins.ambiguous()


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
        self.resource = provider.custom_resource(self, "Resource", resource_type=RESOURCE_TYPE, properties=properties)
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

    @entry_point
    def apply_removal_policy(self, policy: RemovalPolicy) -> None:
        """Set the lookup resource's ``DeletionPolicy``, as on any L2; any policy, since a lookup deletes nothing.

        :param policy: any ``RemovalPolicy``.
        """
        policy = enum_member(self, "policy", RemovalPolicy, policy)
        cfn_resource = self.resource.node.default_child
        assert isinstance(cfn_resource, CfnResource)
        cfn_resource.apply_removal_policy(policy)

    def _grant_reads(self, provider: ConnectHandlerProvider, kind: str, instance_arn: str | None) -> None:
        if kind == "instance":
            provider.grant_to_handler(INSTANCE_READS, ["*"])
            return
        if instance_arn is None:
            fail(self, "instance_arn", f"be given for a {kind} lookup", instance_arn)
        for actions, suffix in _READS[kind]:
            provider.grant_for(self.resource, actions, [f"{instance_arn}{suffix}"])
