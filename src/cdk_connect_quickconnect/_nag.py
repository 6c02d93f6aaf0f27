"""Acknowledge the cdk-nag findings the library cannot avoid, so users inherit a clean report.

Uses only aws-cdk-lib's ``Validations`` API: nothing here needs cdk-nag installed. Acknowledgment ids are
cdk-nag's finding ids, e.g. ``AwsSolutions::AwsSolutions-IAM5[Resource::<Instance.Arn>/queue/*]``; a
resource is written the way cdk-nag flattens CloudFormation references (``<LogicalId.Attribute>``).
"""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from constructs import IConstruct


def flatten_reference(node: Any) -> str:
    """A resolved CloudFormation value as cdk-nag writes it in finding ids."""
    if isinstance(node, str):
        return node.replace("${", "<").replace("}", ">")
    if isinstance(node, dict):
        if "Fn::Join" in node:
            delimiter, items = node["Fn::Join"]
            return str(delimiter).join(flatten_reference(item) for item in items)
        if "Fn::GetAtt" in node:
            resource, attribute = node["Fn::GetAtt"]
            return f"<{flatten_reference(resource)}.{flatten_reference(attribute)}>"
        if "Ref" in node:
            return f"<{flatten_reference(node['Ref'])}>"
    return json.dumps(node, separators=(",", ":"))


def acknowledge_wildcard_resources(scope: IConstruct, resources: list[str], reason: str) -> None:
    """Acknowledge AwsSolutions-IAM5 for each wildcard resource of a statement on ``scope``."""
    stack = Stack.of(scope)
    for resource in resources:
        flat = flatten_reference(stack.resolve(resource))
        if "*" in flat:
            acknowledge(scope, f"AwsSolutions-IAM5[Resource::{flat}]", reason)


def acknowledge(scope: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge one AwsSolutions finding on ``scope`` and everything below it."""
    Validations.of(scope).acknowledge(Acknowledgment(id=f"AwsSolutions::{finding}", reason=reason))
