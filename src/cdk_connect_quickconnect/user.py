"""Amazon Connect users (agents): the destination of a USER quick connect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from aws_cdk import aws_connect as connect
from constructs import Construct, Node

from ._arn import resource_id_of
from ._imported import ImportedConnectResource
from ._resource import IConnectResource
from .lookups import ConnectLookup, arn_from_context

if TYPE_CHECKING:
    from .instance import IConnectInstance


@runtime_checkable
class IUser(IConnectResource, Protocol):
    """A Connect user, created in this app or imported."""

    @property
    def user_arn(self) -> str:
        """The user ARN, ``.../instance/<instanceId>/agent/<userId>``.

        @attribute
        """
        ...

    @property
    def user_id(self) -> str:
        """The user id (the last segment of the ARN).

        @attribute
        """
        ...


class _ImportedUser(ImportedConnectResource):
    KIND = "user"
    ARN_PROPERTY = "user_arn"

    @property
    def user_arn(self) -> str:
        return self._arn

    @property
    def user_id(self) -> str:
        return self._resource_id


class _CfnUserReference:
    """An ``IUser`` view of a ``CfnUser`` in this app."""

    def __init__(self, cfn_user: connect.CfnUser) -> None:
        self._cfn_user = cfn_user

    @property
    def node(self) -> Node:
        return self._cfn_user.node

    @property
    def user_arn(self) -> str:
        return self._cfn_user.attr_user_arn

    @property
    def user_id(self) -> str:
        return resource_id_of(self._cfn_user, "user_arn", self.user_arn, "user")

    @property
    def instance_arn(self) -> str:
        return self._cfn_user.instance_arn


class _LookedUpUser(ConnectLookup):
    def __init__(
        self, scope: Construct, id: str, instance: IConnectInstance, username: str, refresh: str | None
    ) -> None:
        super().__init__(scope, id, kind="user", name=username, instance_arn=instance.instance_arn, refresh=refresh)

    @property
    def user_arn(self) -> str:
        return self.arn

    @property
    def user_id(self) -> str:
        return self.resource_id


class User:
    """Factories for a Connect user."""

    @staticmethod
    def from_user_arn(scope: Construct, id: str, user_arn: str) -> IUser:
        """Import a user by ARN (``.../instance/<instanceId>/agent/<userId>``); the instance comes from the ARN."""
        return _ImportedUser(scope, id, user_arn)

    @staticmethod
    def from_username(
        scope: Construct, id: str, instance: IConnectInstance, username: str, *, refresh: str | None = None
    ) -> IUser:
        """Look up a user by exact username at deploy time (``SearchUsers``).

        When CDK context ``connectLookups`` has ``"user:<username>"``, that ARN is used instead.

        :param refresh: change it to force the lookup to run again (default: runs when the username changes).
        """
        arn = arn_from_context(scope, "user", username)
        if arn is not None:
            return User.from_user_arn(scope, id, arn)
        return _LookedUpUser(scope, id, instance, username, refresh)

    @staticmethod
    def from_cfn_user(cfn_user: connect.CfnUser) -> IUser:
        """Use a ``CfnUser`` of this app wherever an ``IUser`` is taken."""
        return _CfnUserReference(cfn_user)
