"""Make quick connects available on a queue, including queues the stack does not own.

CloudFormation can only set ``QuickConnectArns`` on a queue the stack creates (at most 50, owning the
whole set). ``QueueQuickConnectAssociation`` is a custom resource that adds exactly the listed quick
connects to any queue and, on update and delete, removes only what it listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import jsii
from aws_cdk import (
    CfnDeletionPolicy,
    CfnResource,
    IStableAnyProducer,
    IStableListProducer,
    Lazy,
    RemovalPolicy,
    Resource,
    Stack,
)
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
#: The resource Metadata key holding a copy of what it lists (``_handlers.association.LISTING_METADATA_KEY``).
LISTING_METADATA_KEY = "cdk-connect-quickconnect:association"
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

    The removal policy works as on any L2: the constructor's ``removal_policy``, :meth:`apply_removal_policy`,
    ``RemovalPolicies.of(scope)``, an Aspect or the L1 (``node.default_child``) all set the resource's
    ``DeletionPolicy``, and the handler is told at synth what the template ends up with.

    :param queue: the queue agents work, imported (``Queue.from_queue_arn``) or of this stack.
    :param quick_connects: the quick connects to offer on it; at least one, no duplicates, same instance.
    :param removal_policy: what deleting the resource (or its stack) does to the associations; default:
        ``RemovalPolicy.DESTROY``, they are removed. ``RemovalPolicy.RETAIN`` keeps them on the queue.
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
        _check_removal_policy(self, "removal_policy", removal_policy)
        self.queue = queue
        """The queue the quick connects are offered on."""
        #: The queue's identity in the app's registry of associations (see :func:`queue_identity`).
        self._queue_identity = queue_identity(queue)
        #: The quick connects listed, in order, keyed by ARN or token string to refuse duplicates (tokens that
        #: differ as strings but resolve to the same value are caught at synth, see ``_Associations``).
        self._listed: dict[str, IQuickConnect] = {}
        self._associations = _Associations.of(self)
        self._associations.claim_queue(self)
        provider = ConnectHandlerProvider.of(self)
        check_stack_environment(
            self, "queue", queue.queue_arn, "queue", why="the handler calls Connect in its own account and Region"
        )
        if not quick_connects:
            fail(self, "quick_connects", "list at least one quick connect", list(quick_connects))
        self.add_quick_connects(*quick_connects)
        listed_arns = Lazy.list(_ArnsProducer(self._listed))
        removal = _RemovalPolicyProducer()
        self.resource = provider.custom_resource(
            self,
            "Resource",
            resource_type=RESOURCE_TYPE,
            properties={
                "QueueArn": queue.queue_arn,
                "QuickConnectArns": listed_arns,
                # "retain" when the template retains the resource, else absent. The handler reads it too: a
                # Delete that still arrives (a template edited after synth) keeps the associations all the same.
                "RemovalPolicy": Lazy.any(removal),
            },
        )
        """The ``Custom::ConnectQueueQuickConnects`` resource."""
        cfn_resource = self.resource.node.default_child
        assert isinstance(cfn_resource, CfnResource)
        removal.cfn_resource = cfn_resource
        # A copy CloudFormation resolves and hands out (DescribeStackResource): when a renamed construct's old
        # resource is deleted, its Delete asks the stack what the new one lists, and keeps that.
        cfn_resource.add_metadata(LISTING_METADATA_KEY, {"QuickConnectArns": listed_arns})
        if removal_policy == RemovalPolicy.RETAIN:
            cfn_resource.apply_removal_policy(RemovalPolicy.RETAIN)
        self.node.add_validation(_RemovalPolicyCheck(self, cfn_resource))
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
        provider.grant_stack_reads(self.resource)

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
        existing = _Associations.of(owner).in_stack(queue_identity(queue), stack_of(owner))
        if existing is not None:
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

    @entry_point
    def apply_removal_policy(self, policy: RemovalPolicy) -> None:
        """Set what deleting the resource (or its stack) does to the associations, as on any L2.

        ``RemovalPolicy.DESTROY`` removes them, ``RemovalPolicy.RETAIN`` keeps them on the queue; any other
        policy fails (an association has no snapshot, and the handler cannot tell a rollback's Delete from
        another).

        :param policy: ``RemovalPolicy.DESTROY`` or ``RemovalPolicy.RETAIN``.
        """
        _check_removal_policy(self, "policy", policy, required=True)
        cfn_resource = self.resource.node.default_child
        assert isinstance(cfn_resource, CfnResource)
        cfn_resource.apply_removal_policy(policy)

    def _check_same_instance(self, quick_connect: IQuickConnect) -> None:
        if not same_instance(self, quick_connect.instance_arn, self.queue.instance_arn):
            fail(
                self,
                "quick_connects",
                f"belong to the queue's instance {self.queue.instance_arn}",
                f"{quick_connect.node.path} of instance {quick_connect.instance_arn}",
            )

    def _check_not_listed(self, quick_connect: IQuickConnect) -> None:
        """One owner per quick connect per queue in the whole app: this association once, and no other one.

        Keyed by the ARN, or the token string, which is the same wherever one token is used; different tokens for
        the same value are compared by what they resolve to, once per app at synth (``_OwnershipCheck``).
        """
        key = quick_connect.quick_connect_arn
        if key in self._listed:
            _fail_listed_twice(self, quick_connect)
        other = self._associations.other_lister(self, key)
        if other is not None:
            _fail_listed_elsewhere(self, quick_connect, other)
        self._listed[key] = quick_connect


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


#: The policies an association takes: what the template's DeletionPolicy and UpdateReplacePolicy say for each.
_POLICY_ATTRIBUTES = {
    RemovalPolicy.DESTROY: (CfnDeletionPolicy.DELETE, CfnDeletionPolicy.DELETE),
    RemovalPolicy.RETAIN: (CfnDeletionPolicy.RETAIN, CfnDeletionPolicy.RETAIN),
}
#: How the template spells each attribute value, for messages.
_TEMPLATE_SPELLING = {
    CfnDeletionPolicy.DELETE: "Delete",
    CfnDeletionPolicy.RETAIN: "Retain",
    CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE: "RetainExceptOnCreate",
    CfnDeletionPolicy.SNAPSHOT: "Snapshot",
}
_POLICY_RULE = (
    "be RemovalPolicy.DESTROY or RemovalPolicy.RETAIN (an association has no snapshot, and the handler "
    "cannot tell a rollback's Delete from another)"
)


def _check_removal_policy(
    scope: IConstruct, prop: str, removal_policy: RemovalPolicy | None, *, required: bool = False
) -> None:
    """Only DESTROY and RETAIN mean something for an association (None: the default, DESTROY, unless ``required``)."""
    if removal_policy is None and not required:
        return
    if not isinstance(removal_policy, RemovalPolicy) or removal_policy not in _POLICY_ATTRIBUTES:
        fail(scope, prop, _POLICY_RULE, removal_policy)


def _removal_policy_of(cfn_resource: CfnResource) -> RemovalPolicy | str:
    """The policy the resource's DeletionPolicy and UpdateReplacePolicy amount to, or the pair in words."""
    options = cfn_resource.cfn_options
    attributes = (
        options.deletion_policy or CfnDeletionPolicy.DELETE,
        options.update_replace_policy or CfnDeletionPolicy.DELETE,
    )
    for policy, expected in _POLICY_ATTRIBUTES.items():
        if attributes == expected:
            return policy
    deletion, update_replace = (_TEMPLATE_SPELLING[attribute] for attribute in attributes)
    return f"DeletionPolicy {deletion} and UpdateReplacePolicy {update_replace}"


@jsii.implements(IStableAnyProducer)
class _RemovalPolicyProducer:
    """The handler's ``RemovalPolicy`` property, read from the resource's own policy once every Aspect has run.

    ``"retain"`` when the template retains the resource, else nothing (the property is left out, as for every
    association made with DESTROY before this property was rendered lazily).
    """

    def __init__(self) -> None:
        self.cfn_resource: CfnResource | None = None

    def produce(self) -> str | None:
        assert self.cfn_resource is not None, "set once the resource exists"
        return "retain" if _removal_policy_of(self.cfn_resource) == RemovalPolicy.RETAIN else None


@jsii.implements(IValidation)
class _RemovalPolicyCheck:
    """At synth, a policy set from outside (``RemovalPolicies``, an Aspect, the L1) that is neither DESTROY nor RETAIN.

    aws-cdk-lib applies those to the ``CfnResource`` directly, where no call can be refused; this says which
    association and what was set.
    """

    def __init__(self, association: QueueQuickConnectAssociation, cfn_resource: CfnResource) -> None:
        self._association = association
        self._cfn_resource = cfn_resource

    def validate(self) -> list[str]:
        policy = _removal_policy_of(self._cfn_resource)
        if isinstance(policy, RemovalPolicy):
            return []
        try:
            fail(self._association, "removal_policy", _POLICY_RULE, policy)
        except ConnectValidationError as error:
            return [str(error)]


def queue_identity(queue: IQueue) -> str:
    """What identifies ``queue`` across the app, for the one-association-per-stack rule and app-wide ownership.

    Its ARN when concrete; for a queue looked up by name, the instance and the name; otherwise the token as
    it resolves in the stack of the construct it comes from.
    """
    construct = owner_of(queue)
    if isinstance(construct, ConnectLookup) and construct.lookup_kind == "queue":
        instance = instance_key(construct, construct.instance_arn) or _value_identity(construct, construct.instance_arn)
        return f"lookup:queue:{instance}:{construct.lookup_name}"
    return _value_identity(construct, queue.queue_arn)


def _value_identity(owner: IConstruct, value: str) -> str:
    """A key equal for equal values across the app: the value itself, or a token as it resolves in its owner's stack."""
    if not is_token(value):
        return value
    return f"{facts_of(owner).path}:{stack_of(owner).resolve(value)!r}"


class _Associations:
    """The app's one registry of who lists which quick connect on which queue: its associations, by queue identity.

    Construction checks what it can see at once (one association per queue per stack; one quick connect listed
    by one association per queue, compared by ARN or token string). At synth, ``_OwnershipCheck`` compares
    what only resolving shows (two tokens of one value), with one ``resolve`` per stack for every token listed.
    """

    def __init__(self) -> None:
        #: Queue identity -> the app's associations on that queue, in the order they were made.
        self.by_queue: dict[str, list[QueueQuickConnectAssociation]] = {}
        #: Derived at synth from ``by_queue`` (``_index``): token string -> resolved key, and
        #: (queue identity, quick connect key) -> the first association listing it.
        self._token_keys: dict[str, str] = {}
        self._first_listers: dict[tuple[str, str], QueueQuickConnectAssociation] = {}
        self._indexed_for = -1
        self._cfn_queues: list[connect.CfnQueue] | None = None

    @classmethod
    def of(cls, scope: IConstruct) -> _Associations:
        """The registry of ``scope``'s app, kept on the app's ``_AppRegistry``."""
        return _AppRegistry.of(scope).extension(cls, lambda _: cls())

    def in_stack(self, identity: str, stack: Stack) -> QueueQuickConnectAssociation | None:
        """The association of ``stack`` on the queue of ``identity``, if any."""
        return next((found for found in self.by_queue.get(identity, ()) if stack_of(found) is stack), None)

    def claim_queue(self, association: QueueQuickConnectAssociation) -> None:
        """Register ``association``; fail if its stack already has one on the same queue."""
        identity = association._queue_identity
        other = self.in_stack(identity, stack_of(association))
        if other is not None:
            fail(
                association,
                "queue",
                f"have one association per stack (already at {other.node.path}; add to that one with its "
                "add_quick_connects(...), or use QueueQuickConnectAssociation.add_to_queue(queue, ...))",
                path_of(association.queue),
            )
        self.by_queue.setdefault(identity, []).append(association)

    def other_lister(
        self, association: QueueQuickConnectAssociation, quick_connect_arn: str
    ) -> QueueQuickConnectAssociation | None:
        """Another association of the app listing ``quick_connect_arn`` (as given) on the same queue, if any."""
        for other in self.by_queue.get(association._queue_identity, ()):
            if other is not association and quick_connect_arn in other._listed:
                return other
        return None

    def key(self, quick_connect_arn: str) -> str:
        """What ``quick_connect_arn`` (an ARN or a listed token string) is compared by at synth: a token by value."""
        self._index()
        return self._token_keys.get(quick_connect_arn, quick_connect_arn)

    def first_lister(
        self, association: QueueQuickConnectAssociation, quick_connect_arn: str
    ) -> QueueQuickConnectAssociation:
        """The first association of the app listing the quick connect of ``quick_connect_arn`` on the same queue."""
        self._index()
        return self._first_listers[association._queue_identity, self.key(quick_connect_arn)]

    def cfn_queues(self, scope: IConstruct) -> list[connect.CfnQueue]:
        """Every ``CfnQueue`` of the app, found once per synth."""
        if self._cfn_queues is None:
            root = facts_of(scope).root
            self._cfn_queues = [child for child in root.node.find_all() if isinstance(child, connect.CfnQueue)]
        return self._cfn_queues

    def _index(self) -> None:
        """Read the registry once per synth (again if something was added since): resolved keys, first listers."""
        listed = sum(len(association._listed) for group in self.by_queue.values() for association in group)
        if self._indexed_for == listed:
            return
        self._token_keys = self._resolve_tokens()
        self._first_listers = {}
        for identity, group in self.by_queue.items():
            for association in group:
                for arn in association._listed:
                    self._first_listers.setdefault((identity, self._token_keys.get(arn, arn)), association)
        self._indexed_for = listed

    def _resolve_tokens(self) -> dict[str, str]:
        """Token string -> its stack's path and what it resolves to there, for every quick connect listed."""
        by_stack: dict[Stack, list[str]] = {}
        for group in self.by_queue.values():
            for association in group:
                for quick_connect in association.quick_connects:
                    token = quick_connect.quick_connect_arn
                    if is_token(token):
                        by_stack.setdefault(_home_stack(quick_connect), []).append(token)
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
        associations = association._associations
        seen: set[str] = set()
        for quick_connect in association.quick_connects:
            key = associations.key(quick_connect.quick_connect_arn)
            if key in seen:
                _fail_listed_twice(association, quick_connect)
            seen.add(key)
            first = associations.first_lister(association, quick_connect.quick_connect_arn)
            if first is not association:
                _fail_listed_elsewhere(association, quick_connect, first)

    def _check_no_cfn_queue_lists_them(self) -> None:
        association = self._association
        if not is_token(association.queue.queue_arn):
            return  # a queue named by a concrete ARN is not one of the app's CfnQueues (their ARNs are tokens)
        associations = association._associations
        for cfn_queue in associations.cfn_queues(association):
            if _value_identity(cfn_queue, cfn_queue.attr_queue_arn) != association._queue_identity:
                continue
            own = cfn_queue.quick_connect_arns
            own_keys = {_value_identity(cfn_queue, arn) for arn in own} if isinstance(own, list) else set()
            for quick_connect in association.quick_connects:
                arn = quick_connect.quick_connect_arn
                if associations.key(arn) in own_keys or arn in own_keys:
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
