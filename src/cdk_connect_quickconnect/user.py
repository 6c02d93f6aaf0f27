"""Amazon Connect users (agents): the destination of a USER quick connect."""

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


class _UserReference(ConnectReference):
    """A user imported by ARN, a ``CfnUser`` of this app, or a user looked up by username."""

    KIND = "user"
    ARN_PROPERTY = "user_arn"

    @property
    def user_arn(self) -> str:
        return self._arn

    @property
    def user_id(self) -> str:
        return self._resource_id


class User:
    """Factories for a Connect user: import one by ARN, look one up by name, or wrap a ``CfnUser`` of this app."""

    @staticmethod
    @entry_point
    def from_user_arn(scope: Construct, id: str, user_arn: str) -> IUser:
        """Import a user by ARN; the instance comes from the ARN. A malformed concrete ARN fails at synth.

        :param scope: the parent construct.
        :param id: the construct id.
        :param user_arn: ``arn:<partition>:connect:<region>:<account>:instance/<instanceId>/agent/<userId>``,
            or a token.
        """
        return _UserReference.from_arn(scope, id, user_arn)

    @staticmethod
    @entry_point
    def from_username(
        scope: Construct, id: str, instance: IConnectInstance, username: str, *, refresh: str | None = None
    ) -> IUser:
        """Look up a user by exact name at deploy time (``SearchUsers``, a ``Custom::ConnectLookup``).

        When CDK context ``connectLookups`` has ``"<instance>/user:<username>"`` (the instance's alias, or its id
        when given by ARN), that ARN is used instead.

        :param scope: the parent construct.
        :param id: the construct id.
        :param instance: the instance searched.
        :param username: the agent's exact, case-sensitive username.
        :param refresh: change it to force the lookup to run again (default: runs when the name changes).
        """
        check_kind(scope, "instance", instance, IConnectInstance, _kinds.INSTANCE, child=id)
        check_name_and_refresh(scope, id, "username", username, refresh)
        arn = arn_from_context(scope, id, "user", username, instance=instance)
        if arn is not None:
            return User.from_user_arn(scope, id, arn)
        lookup = ConnectLookup(
            scope, id, kind="user", name=username, instance_arn=instance.instance_arn, refresh=refresh
        )
        return _UserReference.from_lookup(lookup)

    @staticmethod
    @entry_point
    def from_cfn_user(cfn_user: connect.CfnUser) -> IUser:
        """Use a ``CfnUser`` of this app wherever an ``IUser`` is taken.

        :param cfn_user: an ``aws_connect.CfnUser`` of this app.
        """
        if not isinstance(cfn_user, connect.CfnUser):
            raise ConnectValidationError(
                f"'cfn_user' must be an aws_connect.CfnUser, got {what(cfn_user)} (at User.from_cfn_user)"
            )
        return _UserReference(cfn_user, cfn_user.attr_user_arn, cfn_user.instance_arn)
