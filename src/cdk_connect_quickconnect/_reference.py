"""One shape for a Connect resource the app refers to: imported by ARN, a ``Cfn*`` of the app, or looked up.

Each kind (instance, queue, user, flow, quick connect) writes one small subclass naming its attributes; the ways
of getting one only differ in the construct that stands for it in the tree (its ``owner``) and in where the
ARN, the instance and the id come from.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar
from weakref import WeakKeyDictionary

from aws_cdk import CfnResource, Resource, Stack
from aws_cdk.interfaces import ResourceEnvironment
from constructs import Construct, Node

from ._arn import environment_arn, instance_arn_of, resource_id_of
from ._resource import IConnectResource
from ._tree import remember_stack, stack_of
from ._validation import construct_to_come
from .lookups import ConnectLookup

_Reference = TypeVar("_Reference", bound="ConnectReference")


class ImportedArn(Resource):
    """The construct of a resource imported by ARN: its environment (account, Region) is the ARN's."""

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id, environment_from_arn=environment_arn(arn))


#: Imports by ARN whose construct is not created yet, by scope and id: a second import with the same id in the same
#: scope creates both, so that the construct tree refuses the second one at once, as it would without the delay.
_PENDING: WeakKeyDictionary[Construct, dict[str, ConnectReference]] = WeakKeyDictionary()


class ConnectReference:
    """A Connect resource known to this app by ARN, by a ``Cfn*`` resource or by a deploy-time lookup.

    An import by ARN adds its construct (``ImportedArn``) to the tree when first needed: when its ``owner``,
    ``node`` or ``env`` is read (``stack`` and ``path`` are answered without it). Most imports, like the agent of
    a USER quick connect, are only read for their ARN, and creating a construct is the costliest call into the
    jsii kernel.
    """

    #: The kind of resource, as used in messages and to pick the ARN's resource segment (``_arn.ARN_SEGMENTS``).
    KIND: ClassVar[str]
    #: The property name the ARN is known by, for messages.
    ARN_PROPERTY: ClassVar[str]

    def __init__(
        self,
        owner: Resource | CfnResource | None,
        arn: str,
        instance_arn: str,
        resource_id: str | None = None,
        *,
        pending: tuple[Construct, str] | None = None,
    ) -> None:
        """:param pending: for an import by ARN, the scope and id of the construct to create when first needed."""
        self._owner = owner
        self._pending = pending
        self._arn = arn
        self._instance_arn = instance_arn
        self._given_resource_id = resource_id

    @classmethod
    def from_arn(cls: type[_Reference], scope: Construct, id: str, arn: str) -> _Reference:
        """A reference to the resource of ``arn``; a malformed concrete ARN fails here, naming ``ARN_PROPERTY``."""
        instance_arn = instance_arn_of(construct_to_come(scope, id), cls.ARN_PROPERTY, arn, cls.KIND)
        return cls._pending_import(scope, id, arn, instance_arn)

    @classmethod
    def _pending_import(
        cls: type[_Reference], scope: Construct, id: str, arn: str, instance_arn: str, resource_id: str | None = None
    ) -> _Reference:
        reference = cls(None, arn, instance_arn, resource_id, pending=(scope, id))
        pending = _PENDING.setdefault(scope, {})
        earlier = pending.pop(id, None)
        if earlier is not None:
            _ = earlier.owner, reference.owner  # the tree refuses the second construct with the same id
        pending[id] = reference
        return reference

    @classmethod
    def from_lookup(cls: type[_Reference], lookup: ConnectLookup) -> _Reference:
        """A reference to what ``lookup`` finds at deploy time."""
        return cls(lookup, lookup.arn, lookup.instance_arn, lookup.resource_id)

    @property
    def owner(self) -> Resource | CfnResource:
        """The construct that stands for the resource in the tree (constructs made for it go below it)."""
        if self._owner is None:
            assert self._pending is not None, "a reference without an owner is a pending import"
            scope, id = self._pending
            _PENDING.get(scope, {}).pop(id, None)
            self._owner = ImportedArn(scope, id, self._arn)
            remember_stack(self._owner, stack_of(scope))
            self._pending = None
        return self._owner

    @property
    def node(self) -> Node:
        """The construct tree node of :attr:`owner`."""
        return self.owner.node

    @property
    def stack(self) -> Stack:
        """The stack the reference was made in (a pending import's construct is not created for it)."""
        if self._pending is not None:
            return stack_of(self._pending[0])
        return stack_of(self.owner)

    @property
    def path(self) -> str:
        """The construct path of :attr:`owner` (a pending import's construct is not created for it)."""
        return self._scope_for_messages().node.path

    def _scope_for_messages(self) -> Construct:
        """What a message about the reference names: its owner, or where a pending import's construct will go."""
        if self._pending is not None:
            return construct_to_come(*self._pending)
        return self.owner

    @property
    def env(self) -> ResourceEnvironment:
        """Account and Region of the resource: the ARN's for an import, else its stack's."""
        return self.owner.env

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance the resource belongs to."""
        return self._instance_arn

    @property
    def _resource_id(self) -> str:
        """The id: the lookup's, else cut from the ARN (an ``Fn::Select`` built on use for a token)."""
        if self._given_resource_id is not None:
            return self._given_resource_id
        return resource_id_of(self._scope_for_messages(), self.ARN_PROPERTY, self._arn, self.KIND)


def path_of(resource: IConnectResource) -> str:
    """The construct path of ``resource``, without creating a pending import's construct (safe during synthesis)."""
    return resource.path if isinstance(resource, ConnectReference) else resource.node.path


def owner_of(resource: IConnectResource) -> Construct:
    """The construct below which to add constructs for ``resource``: a reference's owner, else the resource."""
    owner = resource.owner if isinstance(resource, ConnectReference) else resource
    if not isinstance(owner, Construct):
        raise TypeError(f"{resource.node.path} is neither a construct nor a reference of this library")
    return owner
