"""The Amazon Connect instance that every other resource of this library belongs to."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from constructs import Construct, Node

from ._arn import instance_id_of
from ._placement import register_instance_alias
from ._reference import ConnectReference
from ._validation import construct_to_come, entry_point
from .lookups import ConnectLookup, arn_from_context, check_name_and_refresh


@runtime_checkable
class IConnectInstance(Protocol):
    """An Amazon Connect instance, created elsewhere or imported."""

    @property
    def node(self) -> Node:
        """The construct tree node."""
        ...

    @property
    def instance_arn(self) -> str:
        """The instance ARN, ``arn:<partition>:connect:<region>:<account>:instance/<instanceId>``.

        @attribute
        """
        ...

    @property
    def instance_id(self) -> str:
        """The instance id (the last segment of the ARN).

        @attribute
        """
        ...


class _InstanceReference(ConnectReference):
    """An instance imported by ARN or looked up by alias: the reference's instance is the instance itself."""

    KIND = "instance"
    ARN_PROPERTY = "instance_arn"

    @classmethod
    def from_instance_arn(cls, scope: Construct, id: str, instance_arn: str) -> _InstanceReference:
        """A reference to the instance of ``instance_arn``; a malformed concrete ARN fails here."""
        instance_id = instance_id_of(construct_to_come(scope, id), cls.ARN_PROPERTY, instance_arn)
        return cls._pending_import(scope, id, instance_arn, instance_arn, instance_id)

    #: The alias it was looked up by (``ConnectInstance.from_instance_alias``), which names it in pinned lookups.
    instance_alias: str | None = None

    @property
    def instance_id(self) -> str:
        return self._resource_id


class ConnectInstance:
    """Factories for an existing Amazon Connect instance.

    CloudFormation can create an instance (``aws_connect.CfnInstance``), but most contact centres already
    have one: import it by ARN (or look it up by alias) and pass it to every construct of this library.
    """

    @staticmethod
    @entry_point
    def from_instance_arn(scope: Construct, id: str, instance_arn: str) -> IConnectInstance:
        """Import an instance by ARN; a malformed concrete ARN fails at synth.

        :param scope: the parent construct.
        :param id: the construct id.
        :param instance_arn: the instance ARN, ``arn:<partition>:connect:<region>:<account>:instance/<instanceId>``,
            or a token.
        """
        return _InstanceReference.from_instance_arn(scope, id, instance_arn)

    @staticmethod
    @entry_point
    def from_instance_alias(
        scope: Construct, id: str, instance_alias: str, *, refresh: str | None = None
    ) -> IConnectInstance:
        """Look up an instance by its exact alias at deploy time (``ListInstances``, every page).

        When CDK context ``connectLookups`` has ``"instance:<alias>"``, that ARN is used instead. Either way,
        pinned lookups in this instance are keyed by its alias (``"<alias>/queue:BasicQueue"``).
        ``connect:ListInstances`` has no resource-level permission, so this grants it on ``*``.

        :param scope: the parent construct.
        :param id: the construct id.
        :param instance_alias: the instance alias, exactly as in the Connect console.
        :param refresh: change it to force the lookup to run again (default: runs when the alias changes).
        """
        check_name_and_refresh(scope, id, "instance_alias", instance_alias, refresh)
        arn = arn_from_context(scope, id, "instance", instance_alias)
        if arn is not None:
            reference = _InstanceReference.from_instance_arn(scope, id, arn)
        else:
            lookup = ConnectLookup(scope, id, kind="instance", name=instance_alias, refresh=refresh)
            register_instance_alias(lookup, lookup.instance_arn, instance_alias)
            reference = _InstanceReference.from_lookup(lookup)
        reference.instance_alias = instance_alias
        return reference
