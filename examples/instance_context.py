"""The instance every example stack uses, named in CDK context."""

from __future__ import annotations

from constructs import Construct

from cdk_connect_quickconnect import ConnectInstance, IConnectInstance


def instance_from_context(scope: Construct) -> IConnectInstance:
    """The instance named in context: ``instanceAlias`` (looked up) wins over ``instanceArn``."""
    alias = scope.node.try_get_context("instanceAlias")
    if alias:
        return ConnectInstance.from_instance_alias(scope, "Instance", alias)
    return ConnectInstance.from_instance_arn(scope, "Instance", scope.node.try_get_context("instanceArn"))
