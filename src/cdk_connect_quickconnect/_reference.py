"""One shape for a Connect resource the app refers to: imported by ARN, a ``Cfn*`` of the app, or looked up.

Each kind (instance, queue, user, flow, quick connect) writes one small subclass naming its attributes; the ways
of getting one only differ in the construct that stands for it in the tree (its ``owner``) and in where the
ARN, the instance and the id come from.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from aws_cdk import CfnResource, Resource, Stack
from aws_cdk.interfaces import ResourceEnvironment
from constructs import Construct, Node

from ._arn import environment_arn, instance_arn_of, resource_id_of
from ._resource import IConnectResource
from ._tree import stack_of
from .lookups import ConnectLookup

_Reference = TypeVar("_Reference", bound="ConnectReference")


class ImportedArn(Resource):
    """The construct of a resource imported by ARN: its environment (account, Region) is the ARN's."""

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id, environment_from_arn=environment_arn(arn))


class ConnectReference:
    """A Connect resource known to this app by ARN, by a ``Cfn*`` resource or by a deploy-time lookup."""

    #: The kind of resource, as used in messages and to pick the ARN's resource segment (``_arn.ARN_SEGMENTS``).
    KIND: ClassVar[str]
    #: The property name the ARN is known by, for messages.
    ARN_PROPERTY: ClassVar[str]

    def __init__(
        self, owner: Resource | CfnResource, arn: str, instance_arn: str, resource_id: str | None = None
    ) -> None:
        self._owner = owner
        self._arn = arn
        self._instance_arn = instance_arn
        self._given_resource_id = resource_id

    @classmethod
    def from_arn(cls: type[_Reference], scope: Construct, id: str, arn: str) -> _Reference:
        """A reference to the resource of ``arn``; a malformed concrete ARN fails here, naming ``ARN_PROPERTY``."""
        owner = ImportedArn(scope, id, arn)
        return cls(owner, arn, instance_arn_of(owner, cls.ARN_PROPERTY, arn, cls.KIND))

    @classmethod
    def from_lookup(cls: type[_Reference], lookup: ConnectLookup) -> _Reference:
        """A reference to what ``lookup`` finds at deploy time."""
        return cls(lookup, lookup.arn, lookup.instance_arn, lookup.resource_id)

    @property
    def owner(self) -> Resource | CfnResource:
        """The construct that stands for the resource in the tree (constructs made for it go below it)."""
        return self._owner

    @property
    def node(self) -> Node:
        """The construct tree node of :attr:`owner`."""
        return self._owner.node

    @property
    def stack(self) -> Stack:
        """The stack the reference was made in."""
        return stack_of(self._owner)

    @property
    def env(self) -> ResourceEnvironment:
        """Account and Region of the resource: the ARN's for an import, else its stack's."""
        return self._owner.env

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance the resource belongs to."""
        return self._instance_arn

    @property
    def _resource_id(self) -> str:
        """The id: the lookup's, else cut from the ARN (an ``Fn::Select`` built on use for a token)."""
        if self._given_resource_id is not None:
            return self._given_resource_id
        return resource_id_of(self._owner, self.ARN_PROPERTY, self._arn, self.KIND)


def owner_of(resource: IConnectResource) -> Construct:
    """The construct below which to add constructs for ``resource``: a reference's owner, else the resource."""
    owner = resource.owner if isinstance(resource, ConnectReference) else resource
    if not isinstance(owner, Construct):
        raise TypeError(f"{resource.node.path} is neither a construct nor a reference of this library")
    return owner
