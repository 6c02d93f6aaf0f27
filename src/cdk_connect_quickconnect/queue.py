"""Amazon Connect queues: the destination of a QUEUE quick connect, and where quick connects are offered.

To offer quick connects on a queue, see ``QueueQuickConnectAssociation`` (``add_to_queue``): it lives with the
association, above this module, so imports only go downward.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aws_cdk import aws_connect as connect
from constructs import Construct

from . import _kinds
from ._kinds import check_kind
from ._reference import ConnectReference
from ._resource import IConnectResource
from .instance import IConnectInstance
from .lookups import ConnectLookup, arn_from_context


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
    """Factories for a Connect queue."""

    @staticmethod
    def from_queue_arn(scope: Construct, id: str, queue_arn: str) -> IQueue:
        """Import a queue by ARN (``.../instance/<instanceId>/queue/<queueId>``); the instance comes from the ARN."""
        return _QueueReference.from_arn(scope, id, queue_arn)

    @staticmethod
    def from_queue_name(
        scope: Construct, id: str, instance: IConnectInstance, queue_name: str, *, refresh: str | None = None
    ) -> IQueue:
        """Look up a queue by its exact name at deploy time (``SearchQueues``).

        When CDK context ``connectLookups`` has ``"<instance>/queue:<name>"`` (the instance's alias, or its id when
        given by ARN: ``lookups.context_key``), that ARN is used and nothing is looked up.

        :param refresh: change it to force the lookup to run again (default: runs when the name changes).
        """
        check_kind(scope, "instance", instance, IConnectInstance, _kinds.INSTANCE, child=id)
        arn = arn_from_context(scope, id, "queue", queue_name, instance=instance)
        if arn is not None:
            return Queue.from_queue_arn(scope, id, arn)
        lookup = ConnectLookup(
            scope, id, kind="queue", name=queue_name, instance_arn=instance.instance_arn, refresh=refresh
        )
        return _QueueReference.from_lookup(lookup)

    @staticmethod
    def from_cfn_queue(cfn_queue: connect.CfnQueue) -> IQueue:
        """Use a ``CfnQueue`` of this app wherever an ``IQueue`` is taken."""
        return _QueueReference(cfn_queue, cfn_queue.attr_queue_arn, cfn_queue.instance_arn)
