"""Amazon Connect queues: the destination of a QUEUE quick connect, and where quick connects are offered.

To offer quick connects on a queue, see ``QueueQuickConnectAssociation`` (``add_to_queue``): it lives with the
association, above this module, so imports only go downward.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aws_cdk import aws_connect as connect
from constructs import Construct

from . import _kinds
from ._kinds import check_kind, what
from ._reference import ConnectReference
from ._resource import IConnectResource
from ._validation import ConnectValidationError, entry_point
from .instance import IConnectInstance
from .lookups import ConnectLookup, arn_from_context, check_name_and_refresh


@runtime_checkable
class IQueue(IConnectResource, Protocol):
    """A Connect queue, created in this app or imported."""

    @property
    def queue_arn(self) -> str:
        """The queue ARN, ``.../instance/<instanceId>/queue/<queueId>``.

        @attribute
        """
        ...

    @property
    def queue_id(self) -> str:
        """The queue id (the last segment of the ARN).

        @attribute
        """
        ...


class _QueueReference(ConnectReference):
    """A queue imported by ARN, a ``CfnQueue`` of this app, or a queue looked up by name."""

    KIND = "queue"
    ARN_PROPERTY = "queue_arn"

    @property
    def queue_arn(self) -> str:
        return self._arn

    @property
    def queue_id(self) -> str:
        return self._resource_id


class Queue:
    """Factories for a Connect queue: import one by ARN, look one up by name, or wrap a ``CfnQueue`` of this app."""

    @staticmethod
    @entry_point
    def from_queue_arn(scope: Construct, id: str, queue_arn: str) -> IQueue:
        """Import a queue by ARN; the instance comes from the ARN. A malformed concrete ARN fails at synth.

        :param scope: the parent construct.
        :param id: the construct id.
        :param queue_arn: ``arn:<partition>:connect:<region>:<account>:instance/<instanceId>/queue/<queueId>``,
            or a token.
        """
        return _QueueReference.from_arn(scope, id, queue_arn)

    @staticmethod
    @entry_point
    def from_queue_name(
        scope: Construct, id: str, instance: IConnectInstance, queue_name: str, *, refresh: str | None = None
    ) -> IQueue:
        """Look up a queue by exact name at deploy time (``SearchQueues``, a ``Custom::ConnectLookup``).

        When CDK context ``connectLookups`` has ``"<instance>/queue:<name>"`` (the instance's alias, or its id when
        given by ARN: ``lookups.context_key``), that ARN is used and nothing is looked up.

        :param scope: the parent construct.
        :param id: the construct id.
        :param instance: the instance searched.
        :param queue_name: the queue's exact, case-sensitive name, e.g. ``BasicQueue``.
        :param refresh: change it to force the lookup to run again (default: runs when the name changes).
        """
        check_kind(scope, "instance", instance, IConnectInstance, _kinds.INSTANCE, child=id)
        check_name_and_refresh(scope, id, "queue_name", queue_name, refresh)
        arn = arn_from_context(scope, id, "queue", queue_name, instance=instance)
        if arn is not None:
            return Queue.from_queue_arn(scope, id, arn)
        lookup = ConnectLookup(
            scope, id, kind="queue", name=queue_name, instance_arn=instance.instance_arn, refresh=refresh
        )
        return _QueueReference.from_lookup(lookup)

    @staticmethod
    @entry_point
    def from_cfn_queue(cfn_queue: connect.CfnQueue) -> IQueue:
        """Use a ``CfnQueue`` of this app wherever an ``IQueue`` is taken.

        :param cfn_queue: an ``aws_connect.CfnQueue`` of this app.
        """
        if not isinstance(cfn_queue, connect.CfnQueue):
            raise ConnectValidationError(
                f"'cfn_queue' must be an aws_connect.CfnQueue, got {what(cfn_queue)} (at Queue.from_cfn_queue)"
            )
        return _QueueReference(cfn_queue, cfn_queue.attr_queue_arn, cfn_queue.instance_arn)
