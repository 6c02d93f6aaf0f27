"""Make quick connects available on a queue, including queues the stack does not own.

CloudFormation can only set ``QuickConnectArns`` on a queue the stack creates (at most 50, owning the
whole set). ``QueueQuickConnectAssociation`` is a custom resource that adds exactly the listed quick
connects to any queue and, on update and delete, removes only what it listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn
from weakref import WeakKeyDictionary

import jsii
from aws_cdk import CustomResource, IStableListProducer, Lazy, RemovalPolicy, Resource, Stack
from aws_cdk import aws_connect as connect
from constructs import Construct, IConstruct, IValidation

from . import _kinds
from ._kinds import check_kind, implements, what
from ._placement import _AppRegistry, check_stack_environment, instance_key, same_instance
from ._provider import ConnectHandlerProvider
from ._reference import ConnectReference, owner_of, path_of
from ._tree import facts_of, remember_stack, stack_of
from ._validation import (
    ConnectValidationError,
    ConstructEntryPoint,
    check_scope_and_id,
    comparable,
    describe,
    entry_point,
    fail,
    is_token,
)
from .lookups import ConnectLookup
from .queue import IQueue
from .quick_connect import IQuickConnect

#: The CloudFormation type of the association resource.
RESOURCE_TYPE = "Custom::ConnectQueueQuickConnects"
#: What the handler may do on the queue and on the instance's quick connects.
ASSOCIATION_ACTIONS = ("connect:AssociateQueueQuickConnects", "connect:DisassociateQueueQuickConnects")
LIST_ACTIONS = ("connect:ListQueueQuickConnects",)


class QueueQuickConnectAssociation(Resource, metaclass=ConstructEntryPoint):
    """Associates quick connects with a queue (``Custom::ConnectQueueQuickConnects``).

    Quick connects already on the queue (added in the console or by another stack) are left as they are;
    on update only the difference is applied, and delete removes only what this resource lists. Any number
    of quick connects is supported (Connect takes 50 per call; the handler batches).

    One quick connect on one queue has one owner in the app: a second association anywhere in the app
    listing it on the same queue, or a ``CfnQueue`` whose own ``QuickConnectArns`` lists it, fails at synth.
    A queue has at most one association per stack: grow it with :meth:`add_quick_connects`, or let
    :meth:`add_to_queue` find or create it.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        queue: IQueue,
        quick_connects: Sequence[IQuickConnect],
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        """Create the association of ``quick_connects`` with ``queue``.

        :param scope: the parent construct, in a stack in the queue's account and Region.
        :param id: the construct id.
        :param queue: the queue agents work: imported (``Queue.from_queue_arn``), looked up
            (``Queue.from_queue_name``) or of this app (``Queue.from_cfn_queue``).
        :param quick_connects: the quick connects to offer on it; at least one, no duplicates, same instance.
        :param removal_policy: what deleting the resource (or its stack) does to the associations; default:
            ``RemovalPolicy.DESTROY``, they are removed. ``RemovalPolicy.RETAIN`` keeps them on the queue.
        """
        check_scope_and_id(scope, id)
        super().__init__(scope, id)
        remember_stack(self, stack_of(scope))
        check_kind(self, "queue", queue, IQueue, _kinds.QUEUE)
        _check_is_a_list(self, quick_connects)
        self.queue = queue
        """The queue the quick connects are offered on."""
        self._queue_key = _queue_identity(queue)
        retain = _retains(self, removal_policy)
        #: The quick connects listed, in order, keyed by ARN or token string to refuse duplicates (tokens that
        #: differ as strings but resolve to the same value are caught at synth, see ``_Ownership``).
        self._listed: dict[str, IQuickConnect] = {}
        self._registry = _AppRegistry.of(self)
        provider = ConnectHandlerProvider.of(self)
        self._claim_queue(provider)
        check_stack_environment(
            self, "queue", queue.queue_arn, "queue", why="the handler calls Connect in its own account and Region"
        )
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
                # The handler reads it too: a Delete that still arrives (a template edited by an escape hatch,
                # a policy changed in the same deploy) keeps the associations all the same.
                **({"RemovalPolicy": "retain"} if retain else {}),
            },
        )
        """The ``Custom::ConnectQueueQuickConnects`` resource."""
        if retain:
            self.resource.apply_removal_policy(RemovalPolicy.RETAIN)
        _Ownership.of(self._registry).associations.append(self)
        self.node.add_validation(_OwnershipCheck(self))
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
    @entry_point
    def add_to_queue(queue: IQueue, *quick_connects: IQuickConnect) -> QueueQuickConnectAssociation:
        """Make ``quick_connects`` available on ``queue``: one association per queue per stack, created if needed.

        The first call creates the association below the queue's construct (id ``QuickConnects``); later calls,
        and an association created explicitly for the queue in that stack, are extended instead
        (:meth:`add_quick_connects`).

        :param queue: the queue, as the constructor takes it.
        :param quick_connects: the quick connects to add to the queue's association (at least one in all).
        """
        if not implements(queue, IQueue):
            raise ConnectValidationError(
                f"'queue' must be an IQueue ({_kinds.QUEUE.how_to_convert(queue)}), got {what(queue)} "
                "(at QueueQuickConnectAssociation.add_to_queue)"
            )
        owner = owner_of(queue)
        existing = ConnectHandlerProvider.of(owner).registered(_queue_key(owner, queue))
        if isinstance(existing, QueueQuickConnectAssociation):
            existing.add_quick_connects(*quick_connects)
            return existing
        return QueueQuickConnectAssociation(owner, "QuickConnects", queue=queue, quick_connects=quick_connects)

    @property
    def quick_connects(self) -> tuple[IQuickConnect, ...]:
        """The quick connects this resource makes available on the queue."""
        return tuple(self._listed.values())

    @entry_point
    def add_quick_connects(self, *quick_connects: IQuickConnect) -> None:
        """Also make ``quick_connects`` available on the queue; duplicates and other instances fail at synth.

        :param quick_connects: more quick connects for the queue.
        """
        for quick_connect in quick_connects:
            check_kind(self, "quick_connects", quick_connect, IQuickConnect, _kinds.QUICK_CONNECT)
            self._check_same_instance(quick_connect)
            self._check_not_listed(quick_connect)

    def _claim_queue(self, provider: ConnectHandlerProvider) -> None:
        key = _queue_key(self, self.queue)
        other = provider.registered(key)
        if other is not None:
            fail(
                self,
                "queue",
                f"have one association per stack (already at {other.node.path}; add to that one with its "
                "add_quick_connects(...), or use QueueQuickConnectAssociation.add_to_queue(queue, ...))",
                self.queue.node.path,
            )
        provider.register(key, self)

    def _check_same_instance(self, quick_connect: IQuickConnect) -> None:
        if not same_instance(self, quick_connect.instance_arn, self.queue.instance_arn):
            fail(
                self,
                "quick_connects",
                f"belong to the queue's instance {self.queue.instance_arn}",
                f"{quick_connect.node.path} of instance {quick_connect.instance_arn}",
            )

    def _check_not_listed(self, quick_connect: IQuickConnect) -> None:
        key = quick_connect.quick_connect_arn
        if key in self._listed:
            _fail_listed_twice(self, quick_connect)
        self._claim_app_wide(quick_connect, key)
        self._listed[key] = quick_connect

    def _claim_app_wide(self, quick_connect: IQuickConnect, key: str) -> None:
        """One owner per quick connect per queue in the whole app: any stack's association.

        Keyed by the ARN, or the token string, which is the same wherever one token is used; different tokens for
        the same value are compared by what they resolve to, once per app at synth (``_Ownership``).
        """
        claims = self._registry.queue_quick_connects
        other = claims.get((self._queue_key, key))
        if other is not None and other is not self:
            _fail_listed_elsewhere(self, quick_connect, other)
        claims[self._queue_key, key] = self


def _fail_listed_twice(association: QueueQuickConnectAssociation, quick_connect: IQuickConnect) -> NoReturn:
    fail(association, "quick_connects", "list each quick connect once", f"{path_of(quick_connect)} twice")


def _fail_listed_elsewhere(
    association: QueueQuickConnectAssociation, quick_connect: IQuickConnect, other: IConstruct
) -> NoReturn:
    fail(
        association,
        "quick_connects",
        f"not list a quick connect another association already lists on the same queue ({other.node.path}: "
        "deleting either stack would remove it for the other); keep it in one of them",
        f"{path_of(quick_connect)} on {path_of(association.queue)}",
    )


@jsii.implements(IStableListProducer)
class _ArnsProducer:
    """The quick connect ARNs, read at synth so ``add_quick_connects`` after construction is included."""

    def __init__(self, listed: dict[str, IQuickConnect]) -> None:
        self._listed = listed

    def produce(self) -> list[str]:
        return [quick_connect.quick_connect_arn for quick_connect in self._listed.values()]


def _check_is_a_list(scope: IConstruct, quick_connects: object) -> None:
    """``quick_connects`` takes a list: a single quick connect (or a string) is the common slip."""
    if isinstance(quick_connects, Sequence) and not isinstance(quick_connects, str):
        return
    raise ConnectValidationError(
        f"'quick_connects' must be a list of IQuickConnect (wrap a single one in [...]), got {what(quick_connects)} "
        f"(at {scope.node.path})"
    )


def _retains(scope: IConstruct, removal_policy: RemovalPolicy | None) -> bool:
    """Whether ``removal_policy`` keeps the associations; only DESTROY and RETAIN mean something here."""
    if removal_policy in (None, RemovalPolicy.DESTROY):
        return False
    if removal_policy == RemovalPolicy.RETAIN:
        return True
    fail(
        scope,
        "removal_policy",
        "be RemovalPolicy.DESTROY or RemovalPolicy.RETAIN (an association has no snapshot, and the handler "
        "cannot tell a rollback's Delete from another)",
        removal_policy,
    )


def _queue_identity(queue: IQueue) -> str:
    """What identifies the queue across the app: its ARN, the lookup that finds it (instance and name), or its token."""
    construct = owner_of(queue)
    if isinstance(construct, ConnectLookup) and construct.lookup_kind == "queue":
        instance = instance_key(construct, construct.instance_arn) or _app_key(construct, construct.instance_arn)
        return f"lookup:queue:{instance}:{construct.lookup_name}"
    return _app_key(construct, queue.queue_arn)


def _app_key(owner: IConstruct, value: str) -> str:
    """A key equal for equal values across the app: the value itself, or a token as it resolves in its owner's stack."""
    if not is_token(value):
        return value
    return f"{facts_of(owner).path}:{stack_of(owner).resolve(value)!r}"


class _Ownership:
    """The app's associations and, at synth, which one first lists each quick connect on each queue.

    Built once per synth: every token a quick connect ARN is listed as is resolved with one ``resolve`` per stack.
    """

    def __init__(self) -> None:
        self.associations: list[QueueQuickConnectAssociation] = []
        self._owners: dict[tuple[str, str], QueueQuickConnectAssociation] | None = None
        self._keys: dict[str, str] = {}
        self._built_for = -1
        self._cfn_queues: list[connect.CfnQueue] | None = None

    @classmethod
    def of(cls, registry: _AppRegistry) -> _Ownership:
        ownership = registry.extensions.get(cls.__name__)
        if not isinstance(ownership, cls):
            ownership = registry.extensions[cls.__name__] = cls()
        return ownership

    def key(self, quick_connect_arn: str) -> str:
        """What ``quick_connect_arn`` (an ARN or a listed token string) is compared by: a token by its value."""
        self._build()
        return self._keys.get(quick_connect_arn, quick_connect_arn)

    def first_owner(self, queue_key: str, quick_connect_arn: str) -> QueueQuickConnectAssociation:
        """The first association of the app listing the quick connect of ``quick_connect_arn`` on the queue."""
        self._build()
        assert self._owners is not None
        return self._owners[queue_key, self.key(quick_connect_arn)]

    def cfn_queues(self, scope: IConstruct) -> list[connect.CfnQueue]:
        """Every ``CfnQueue`` of the app, found once per synth."""
        if self._cfn_queues is None:
            root = facts_of(scope).root
            self._cfn_queues = [child for child in root.node.find_all() if isinstance(child, connect.CfnQueue)]
        return self._cfn_queues

    def _build(self) -> None:
        listed = sum(len(association.quick_connects) for association in self.associations)
        if self._owners is not None and self._built_for == listed:
            return
        self._keys = self._resolve_tokens()
        self._owners = {}
        for association in self.associations:
            for quick_connect in association.quick_connects:
                arn = quick_connect.quick_connect_arn
                self._owners.setdefault((association._queue_key, self._keys.get(arn, arn)), association)
        self._built_for = listed

    def _resolve_tokens(self) -> dict[str, str]:
        """Token string -> its stack's path and what it resolves to there."""
        by_stack: dict[Stack, list[str]] = {}
        for association in self.associations:
            for quick_connect in association.quick_connects:
                token = quick_connect.quick_connect_arn
                if is_token(token):
                    stack = _home_stack(quick_connect)
                    by_stack.setdefault(stack, []).append(token)
        keys: dict[str, str] = {}
        for stack, tokens in by_stack.items():
            path = facts_of(stack).path
            values = stack.resolve(tokens)
            keys.update((token, f"{path}:{value!r}") for token, value in zip(tokens, values, strict=True))
        return keys


@jsii.implements(IValidation)
class _OwnershipCheck:
    """At synth, what construction cannot see when the same value is given as two different tokens.

    - One quick connect listed twice by this association, or on the same queue by an earlier one of the app.
    - The association's queue, a ``CfnQueue`` of the app, listing the same quick connects in its own
      ``QuickConnectArns``: that list owns the queue's whole set, so CloudFormation would remove what the
      association adds, and the association what the queue lists, on every deploy.
    """

    def __init__(self, association: QueueQuickConnectAssociation) -> None:
        self._association = association

    def validate(self) -> list[str]:
        try:
            self._check_listed_once()
            self._check_no_cfn_queue_lists_them()
        except ConnectValidationError as error:
            return [str(error)]
        return []

    def _check_listed_once(self) -> None:
        association = self._association
        ownership = _Ownership.of(association._registry)
        seen: set[str] = set()
        for quick_connect in association.quick_connects:
            key = ownership.key(quick_connect.quick_connect_arn)
            if key in seen:
                _fail_listed_twice(association, quick_connect)
            seen.add(key)
            first = ownership.first_owner(association._queue_key, quick_connect.quick_connect_arn)
            if first is not association:
                _fail_listed_elsewhere(association, quick_connect, first)

    def _check_no_cfn_queue_lists_them(self) -> None:
        association = self._association
        if not is_token(association.queue.queue_arn):
            return  # a queue named by a concrete ARN is not one of the app's CfnQueues (their ARNs are tokens)
        ownership = _Ownership.of(association._registry)
        for cfn_queue in ownership.cfn_queues(association):
            if _app_key(cfn_queue, cfn_queue.attr_queue_arn) != association._queue_key:
                continue
            own = cfn_queue.quick_connect_arns
            own_keys = {_app_key(cfn_queue, arn) for arn in own} if isinstance(own, list) else set()
            for quick_connect in association.quick_connects:
                arn = quick_connect.quick_connect_arn
                if ownership.key(arn) in own_keys or arn in own_keys:
                    raise ConnectValidationError(
                        f"'quick_connects' must not list a quick connect the CfnQueue {cfn_queue.node.path} already "
                        "lists in its own QuickConnectArns (the queue owns its whole set: the two would undo each "
                        "other on every deploy); list it in one place, got "
                        f"{describe(path_of(quick_connect))} (at {association.node.path})"
                    )


def _home_stack(quick_connect: IQuickConnect) -> Stack:
    """The stack ``quick_connect`` was made or imported in (an import's construct is not created for it)."""
    if isinstance(quick_connect, ConnectReference):
        return quick_connect.stack
    return stack_of(owner_of(quick_connect))


#: The key of each queue's one association per stack, computed once per queue object (a token is resolved).
_QUEUE_KEYS: WeakKeyDictionary[IQueue, str] = WeakKeyDictionary()


def _queue_key(scope: Construct, queue: IQueue) -> str:
    key = _QUEUE_KEYS.get(queue)
    if key is None:
        key = _QUEUE_KEYS[queue] = f"queue-association:{comparable(scope, queue.queue_arn)}"
    return key
