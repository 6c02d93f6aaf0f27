"""Amazon Connect queues: the destination of a QUEUE quick connect, and where quick connects are offered."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from aws_cdk import aws_connect as connect
from constructs import Construct, Node

from ._arn import resource_id_of
from ._imported import ImportedConnectResource
from ._resource import IConnectResource
from .lookups import ConnectLookup, arn_from_context

if TYPE_CHECKING:
    from .association import QueueQuickConnectAssociation
    from .instance import IConnectInstance
    from .quick_connect import IQuickConnect


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

    def add_quick_connects(self, *quick_connects: IQuickConnect) -> QueueQuickConnectAssociation:
        """Make ``quick_connects`` available on this queue (one ``QueueQuickConnectAssociation`` per stack)."""
        ...


def _add_quick_connects(
    queue: IQueue, owner: Construct, quick_connects: tuple[IQuickConnect, ...]
) -> QueueQuickConnectAssociation:
    from .association import QueueQuickConnectAssociation

    return QueueQuickConnectAssociation.of_queue(queue, owner, quick_connects)


class _ImportedQueue(ImportedConnectResource):
    KIND = "queue"
    ARN_PROPERTY = "queue_arn"

    @property
    def queue_arn(self) -> str:
        return self._arn

    @property
    def queue_id(self) -> str:
        return self._resource_id

    def add_quick_connects(self, *quick_connects: IQuickConnect) -> QueueQuickConnectAssociation:
        return _add_quick_connects(self, self, quick_connects)


class _CfnQueueReference:
    """An ``IQueue`` view of a ``CfnQueue`` in this app."""

    def __init__(self, cfn_queue: connect.CfnQueue) -> None:
        self._cfn_queue = cfn_queue

    @property
    def node(self) -> Node:
        return self._cfn_queue.node

    @property
    def queue_arn(self) -> str:
        return self._cfn_queue.attr_queue_arn

    @property
    def queue_id(self) -> str:
        return resource_id_of(self._cfn_queue, "queue_arn", self.queue_arn, "queue")

    @property
    def instance_arn(self) -> str:
        return self._cfn_queue.instance_arn

    def add_quick_connects(self, *quick_connects: IQuickConnect) -> QueueQuickConnectAssociation:
        return _add_quick_connects(self, self._cfn_queue, quick_connects)


class _LookedUpQueue(ConnectLookup):
    def __init__(self, scope: Construct, id: str, instance: IConnectInstance, name: str, refresh: str | None) -> None:
        super().__init__(scope, id, kind="queue", name=name, instance_arn=instance.instance_arn, refresh=refresh)

    @property
    def queue_arn(self) -> str:
        return self.arn

    @property
    def queue_id(self) -> str:
        return self.resource_id

    def add_quick_connects(self, *quick_connects: IQuickConnect) -> QueueQuickConnectAssociation:
        return _add_quick_connects(self, self, quick_connects)


class Queue:
    """Factories for a Connect queue."""

    @staticmethod
    def from_queue_arn(scope: Construct, id: str, queue_arn: str) -> IQueue:
        """Import a queue by ARN (``.../instance/<instanceId>/queue/<queueId>``); the instance comes from the ARN."""
        return _ImportedQueue(scope, id, queue_arn)

    @staticmethod
    def from_queue_name(
        scope: Construct, id: str, instance: IConnectInstance, queue_name: str, *, refresh: str | None = None
    ) -> IQueue:
        """Look up a queue by its exact name at deploy time (``SearchQueues``).

        When CDK context ``connectLookups`` has ``"queue:<name>"``, that ARN is used and nothing is looked up.

        :param refresh: change it to force the lookup to run again (default: runs when the name changes).
        """
        arn = arn_from_context(scope, "queue", queue_name)
        if arn is not None:
            return Queue.from_queue_arn(scope, id, arn)
        return _LookedUpQueue(scope, id, instance, queue_name, refresh)

    @staticmethod
    def from_cfn_queue(cfn_queue: connect.CfnQueue) -> IQueue:
        """Use a ``CfnQueue`` of this app wherever an ``IQueue`` is taken."""
        return _CfnQueueReference(cfn_queue)
