"""The Amazon Connect instance that every other resource of this library belongs to."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aws_cdk import Resource
from constructs import Construct, Node

from ._arn import environment_arn, instance_id_of, parse_arn


@runtime_checkable
class IConnectInstance(Protocol):
    """An Amazon Connect instance, created elsewhere or imported."""

    @property
    def node(self) -> Node:
        """The construct tree node."""
        ...

    @property
    def instance_arn(self) -> str:
        """The instance ARN, ``arn:<partition>:connect:<region>:<account>:instance/<instanceId>``.

        @attribute
        """
        ...

    @property
    def instance_id(self) -> str:
        """The instance id (the last segment of the ARN).

        @attribute
        """
        ...


class _ImportedInstance(Resource):
    """An instance known by its ARN."""

    def __init__(self, scope: Construct, id: str, instance_arn: str) -> None:
        super().__init__(scope, id, environment_from_arn=environment_arn(instance_arn))
        parse_arn(self, "instance_arn", instance_arn, None)
        self._instance_arn = instance_arn
        self._instance_id = instance_id_of(self, "instance_arn", instance_arn)

    @property
    def instance_arn(self) -> str:
        """The instance ARN."""
        return self._instance_arn

    @property
    def instance_id(self) -> str:
        """The instance id."""
        return self._instance_id


class ConnectInstance:
    """Factories for an existing Amazon Connect instance.

    CloudFormation can create an instance (``aws_connect.CfnInstance``), but most contact centres already
    have one: import it by ARN and pass it to every construct of this library.
    """

    @staticmethod
    def from_instance_arn(scope: Construct, id: str, instance_arn: str) -> IConnectInstance:
        """Import an instance by ARN; a malformed concrete ARN fails at synth.

        :param scope: the parent construct.
        :param id: the construct id.
        :param instance_arn: ``arn:<partition>:connect:<region>:<account>:instance/<instanceId>``, or a token.
        """
        return _ImportedInstance(scope, id, instance_arn)
