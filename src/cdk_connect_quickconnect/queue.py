"""Amazon Connect queues: the destination of a QUEUE quick connect, and where quick connects are offered."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aws_cdk import aws_connect as connect
from constructs import Construct, Node

from ._arn import resource_id_of
from ._imported import ImportedConnectResource


@runtime_checkable
class IQueue(Protocol):
    """A Connect queue, created in this app or imported."""

    @property
    def node(self) -> Node:
        """The construct tree node."""
        ...

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

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance the queue belongs to."""
        ...


class _ImportedQueue(ImportedConnectResource):
    KIND = "queue"
    ARN_PROPERTY = "queue_arn"

    @property
    def queue_arn(self) -> str:
        return self._arn

    @property
    def queue_id(self) -> str:
        return self._resource_id


class _CfnQueueReference:
    """An ``IQueue`` view of a ``CfnQueue`` in this app."""

    def __init__(self, cfn_queue: connect.CfnQueue) -> None:
        self._cfn_queue = cfn_queue
        self._queue_id = resource_id_of(cfn_queue, "queue_arn", cfn_queue.attr_queue_arn, "queue")

    @property
    def node(self) -> Node:
        return self._cfn_queue.node

    @property
    def queue_arn(self) -> str:
        return self._cfn_queue.attr_queue_arn

    @property
    def queue_id(self) -> str:
        return self._queue_id

    @property
    def instance_arn(self) -> str:
        return self._cfn_queue.instance_arn


class Queue:
    """Factories for a Connect queue."""

    @staticmethod
    def from_queue_arn(scope: Construct, id: str, queue_arn: str) -> IQueue:
        """Import a queue by ARN (``.../instance/<instanceId>/queue/<queueId>``); the instance comes from the ARN."""
        return _ImportedQueue(scope, id, queue_arn)

    @staticmethod
    def from_cfn_queue(cfn_queue: connect.CfnQueue) -> IQueue:
        """Use a ``CfnQueue`` of this app wherever an ``IQueue`` is taken."""
        return _CfnQueueReference(cfn_queue)
