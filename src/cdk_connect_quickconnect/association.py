"""Make quick connects available on a queue, including queues the stack does not own.

CloudFormation can only set ``QuickConnectArns`` on a queue the stack creates (at most 50, owning the
whole set). ``QueueQuickConnectAssociation`` is a custom resource that adds exactly the listed quick
connects to any queue and, on update and delete, removes only what it listed.
"""

from __future__ import annotations

from collections.abc import Sequence

import jsii
from aws_cdk import CustomResource, IStableListProducer, Lazy, Resource, Stack
from constructs import Construct

from ._arn import parse_arn, same_instance
from ._provider import ConnectHandlerProvider
from ._validation import comparable, fail, is_token
from .queue import IQueue
from .quick_connect import IQuickConnect

#: The CloudFormation type of the association resource.
RESOURCE_TYPE = "Custom::ConnectQueueQuickConnects"
#: What the handler may do on the queue and on the instance's quick connects.
ASSOCIATION_ACTIONS = ("connect:AssociateQueueQuickConnects", "connect:DisassociateQueueQuickConnects")
LIST_ACTIONS = ("connect:ListQueueQuickConnects",)


class QueueQuickConnectAssociation(Resource):
    """Associates quick connects with a queue (``Custom::ConnectQueueQuickConnects``).

    Quick connects already on the queue (added in the console or by another stack) are left as they are;
    on update only the difference is applied, and delete removes only what this resource lists. Any number
    of quick connects is supported (Connect takes 50 per call; the handler batches).

    :param queue: the queue agents work, imported (``Queue.from_queue_arn``) or of this stack.
    :param quick_connects: the quick connects to offer on it; at least one, no duplicates, same instance.
    """

    def __init__(self, scope: Construct, id: str, *, queue: IQueue, quick_connects: Sequence[IQuickConnect]) -> None:
        super().__init__(scope, id)
        self.queue = queue
        #: The quick connects listed, in order, keyed by ARN (or resolved token) to refuse duplicates.
        self._listed: dict[str, IQuickConnect] = {}
        provider = ConnectHandlerProvider.of(self)
        self._claim_queue(provider)
        self._check_same_environment()
        if not quick_connects:
            fail(self, "quick_connects", "list at least one quick connect", list(quick_connects))
        self.add_quick_connects(*quick_connects)
        self.resource = CustomResource(
            self,
            "Resource",
            service_token=provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties={
                "QueueArn": queue.queue_arn,
                "QuickConnectArns": Lazy.list(_ArnsProducer(self._listed)),
            },
        )
        # Instance-scoped, not the queue's own ARN: a looked-up queue's ARN is only known once the provider
        # runs, and naming it in a policy the provider needs would be a dependency cycle.
        instance_arn = queue.instance_arn
        provider.grant_for(
            self.resource,
            ASSOCIATION_ACTIONS,
            [f"{instance_arn}/queue/*", f"{instance_arn}/transfer-destination/*"],
        )
        provider.grant_for(self.resource, LIST_ACTIONS, [f"{instance_arn}/queue/*"])

    @staticmethod
    def of_queue(
        queue: IQueue, owner: Construct, quick_connects: Sequence[IQuickConnect]
    ) -> QueueQuickConnectAssociation:
        """The association of ``queue`` in ``owner``'s stack, with ``quick_connects`` added; created if needed.

        This is what ``IQueue.add_quick_connects`` does: one association per queue per stack.
        """
        existing = ConnectHandlerProvider.of(owner).registered(_queue_key(owner, queue))
        if isinstance(existing, QueueQuickConnectAssociation):
            existing.add_quick_connects(*quick_connects)
            return existing
        return QueueQuickConnectAssociation(owner, "QuickConnects", queue=queue, quick_connects=quick_connects)

    @property
    def quick_connects(self) -> tuple[IQuickConnect, ...]:
        """The quick connects this resource makes available on the queue."""
        return tuple(self._listed.values())

    def add_quick_connects(self, *quick_connects: IQuickConnect) -> None:
        """Also make ``quick_connects`` available on the queue; duplicates and other instances fail at synth."""
        for quick_connect in quick_connects:
            self._check_same_instance(quick_connect)
            self._check_not_listed(quick_connect)

    def _claim_queue(self, provider: ConnectHandlerProvider) -> None:
        key = _queue_key(self, self.queue)
        other = provider.registered(key)
        if other is not None:
            fail(
                self,
                "queue",
                f"have one association per stack (already at {other.node.path}; add to it with add_quick_connects)",
                self.queue.node.path,
            )
        provider.register(key, self)

    def _check_same_environment(self) -> None:
        """The handler calls Connect in its own account and Region: the queue must be there too."""
        queue_arn = self.queue.queue_arn
        stack = Stack.of(self)
        parsed = parse_arn(self, "queue", queue_arn, "queue")
        if parsed is None:
            return
        for part, queue_value, stack_value in (
            ("Region", parsed.region, stack.region),
            ("account", parsed.account, stack.account),
        ):
            if not is_token(stack_value) and queue_value != stack_value:
                fail(self, "queue", f"be in the stack's {part} {stack_value}", queue_arn)

    def _check_same_instance(self, quick_connect: IQuickConnect) -> None:
        if not same_instance(quick_connect.instance_arn, self.queue.instance_arn):
            fail(
                self,
                "quick_connects",
                f"belong to the queue's instance {self.queue.instance_arn}",
                f"{quick_connect.node.path} of instance {quick_connect.instance_arn}",
            )

    def _check_not_listed(self, quick_connect: IQuickConnect) -> None:
        key = comparable(self, quick_connect.quick_connect_arn)
        if key in self._listed:
            fail(self, "quick_connects", "list each quick connect once", f"{quick_connect.node.path} twice")
        self._listed[key] = quick_connect


@jsii.implements(IStableListProducer)
class _ArnsProducer:
    """The quick connect ARNs, read at synth so ``add_quick_connects`` after construction is included."""

    def __init__(self, listed: dict[str, IQuickConnect]) -> None:
        self._listed = listed

    def produce(self) -> list[str]:
        return [quick_connect.quick_connect_arn for quick_connect in self._listed.values()]


def _queue_key(scope: Construct, queue: IQueue) -> str:
    return f"queue-association:{comparable(scope, queue.queue_arn)}"
