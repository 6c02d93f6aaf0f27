"""Least privilege checked against IAM's own reference: every (action, resource) pair of a synthesized policy.

parliament ships the Service Authorization Reference as data (each action's resource types, their ARN formats,
dependent actions); this module resolves a template's policy statements to concrete sample ARNs and checks
each pair strictly: a resource must be of a type the action takes, a ``${Variable}`` of the format standing
for one path segment (so ``instance/<id>/queue/*`` is not an instance, and ``instance/<id>`` is no queue).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

with warnings.catch_warnings():
    # parliament opens its data files without closing them at import; not ours to fix.
    warnings.simplefilter("ignore", ResourceWarning)
    import parliament

from tests.support import ACCOUNT, INSTANCE_ARN, QUEUE_ARN, REGION

#: Values a ``*`` of a policy's resource may stand for when looking for a matching ARN format.
_WILDCARD_CANDIDATES = ("x1", "log-stream:x1")
#: A ``${Variable}`` of an ARN format: one path segment (colons allowed: names and qualifiers).
_VARIABLE = "[^/*]+"


@dataclass(frozen=True)
class Grant:
    """One action allowed on one resource (a concrete sample ARN, or ``*``) by a statement of ``policy``."""

    policy: str
    action: str
    resource: str


def _service(prefix: str) -> dict[str, Any]:
    """The privileges and resource types of every service with this action prefix (``cloudformation`` is two:
    CloudFormation and the Cloud Control API)."""
    services = [service for service in parliament.iam_definition if service["prefix"] == prefix]
    if not services:
        raise KeyError(f"no IAM service with prefix {prefix!r} in parliament's database")
    return {
        "privileges": [privilege for service in services for privilege in service["privileges"]],
        "resources": [resource for service in services for resource in service["resources"]],
    }


def _privilege(action: str) -> dict[str, Any]:
    prefix, name = action.split(":")
    privileges = [p for p in _service(prefix)["privileges"] if p["privilege"].lower() == name.lower()]
    if not privileges:
        raise KeyError(f"{action} is not an action of IAM's reference")
    return dict(privileges[0])


def arn_formats(action: str) -> list[str]:
    """The ARN formats of the resource types ``action`` takes (empty: it takes only ``*``)."""
    prefix = action.split(":")[0]
    formats = {resource["resource"]: resource["arn"] for resource in _service(prefix)["resources"]}
    found = []
    for resource_type in _privilege(action)["resource_types"]:
        name = resource_type["resource_type"].rstrip("*")
        if name:
            found.append(formats[name])
    return found


def dependent_actions(action: str) -> set[str]:
    """Actions IAM requires alongside ``action`` (e.g. ``ds:DescribeDirectories`` for ``connect:ListInstances``)."""
    return {
        dependent
        for resource_type in _privilege(action)["resource_types"]
        for dependent in resource_type.get("dependent_actions", [])
    }


def _format_pattern(arn_format: str) -> re.Pattern[str]:
    parts = re.split(r"(\$\{[^}]+\})", arn_format)
    pattern = "".join(
        _VARIABLE if part.startswith("${") else re.escape(part).replace(r"\*", _VARIABLE) for part in parts
    )
    return re.compile(pattern)


def _samples(resource: str) -> Iterator[str]:
    if "*" not in resource:
        yield resource
        return
    for candidate in _WILDCARD_CANDIDATES:
        yield from _samples(resource.replace("*", candidate, 1))


def mismatch(action: str, resource: str) -> str | None:
    """Why ``resource`` is not one ``action`` takes, or None when it is."""
    formats = arn_formats(action)
    if resource == "*":
        return None if not formats else f"{action} takes {formats}, not '*'"
    if not formats:
        return f"{action} takes only '*'"
    patterns = [_format_pattern(arn_format.replace("${Partition}", "aws")) for arn_format in formats]
    if any(pattern.fullmatch(sample) for sample in _samples(resource) for pattern in patterns):
        return None
    return f"{action} takes {formats}, not {resource}"


def parliament_findings(statements: list[dict[str, Any]]) -> list[str]:
    """parliament's own findings on a policy document of ``statements`` (unknown actions, mismatches, ...)."""
    document = json.dumps({"Version": "2012-10-17", "Statement": statements})
    return [f"{finding.issue} {finding.detail}" for finding in parliament.analyze_policy_string(document).findings]


class TemplateResolver:
    """Resolves the intrinsic functions of a template's policy resources to sample ARNs of this test account."""

    def __init__(self, template: dict[str, Any]) -> None:
        self._resources: dict[str, Any] = template["Resources"]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, str | int):
            return value
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        ((function, argument),) = value.items()
        if function == "Ref":
            pseudo = {
                "AWS::Partition": "aws",
                "AWS::Region": REGION,
                "AWS::AccountId": ACCOUNT,
                "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/Stack/5b8a1e90-8c11-11ef",
            }
            return pseudo.get(argument, argument)
        if function == "Fn::Join":
            delimiter, items = argument
            return delimiter.join(str(self.resolve(item)) for item in items)
        if function == "Fn::Split":
            delimiter, source = argument
            return str(self.resolve(source)).split(delimiter)
        if function == "Fn::Select":
            index, items = argument
            return self.resolve(items)[int(index)]
        if function == "Fn::GetAtt":
            logical_id, attribute = argument
            return self._attribute(logical_id, attribute)
        raise ValueError(f"cannot resolve {function} in a policy resource")

    def _attribute(self, logical_id: str, attribute: str) -> str:
        resource = self._resources[logical_id]
        kind = resource["Type"]
        if kind == "AWS::Lambda::Function":
            return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{logical_id}"
        if kind == "AWS::Logs::LogGroup":
            return f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{logical_id}:*"
        if kind == "AWS::Connect::Queue":
            return QUEUE_ARN
        if kind == "Custom::ConnectLookup":
            looked_up = resource["Properties"]["Kind"]
            samples = {
                "instance": INSTANCE_ARN,
                "queue": QUEUE_ARN,
                "user": f"{INSTANCE_ARN}/agent/u1",
                "contact-flow": f"{INSTANCE_ARN}/contact-flow/f1",
            }
            return samples[looked_up]
        raise ValueError(f"no sample ARN for {kind}.{attribute} ({logical_id})")


def policies(template: dict[str, Any]) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """Each ``AWS::IAM::Policy`` and each role's inline policy (``<role>/<PolicyName>``) of the template: the roles
    it is attached to and its statements, resolved."""
    resolver = TemplateResolver(template)

    def resolved(document: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {**statement, "Resource": [resolver.resolve(item) for item in _as_list(statement["Resource"])]}
            for statement in document["Statement"]
        ]

    found = {}
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Policy":
            found[name] = ([role["Ref"] for role in properties["Roles"]], resolved(properties["PolicyDocument"]))
        if resource["Type"] == "AWS::IAM::Role":
            for inline in properties.get("Policies", []):
                found[f"{name}/{inline['PolicyName']}"] = ([name], resolved(inline["PolicyDocument"]))
    return found


def grants(template: dict[str, Any]) -> list[tuple[str, Grant]]:
    """Every (role logical id, grant) of the template's policies, one per action and resource."""
    found = []
    for name, (roles, statements) in policies(template).items():
        for statement in statements:
            assert statement["Effect"] == "Allow", statement
            pairs = [(action, str(arn)) for action in _as_list(statement["Action"]) for arn in statement["Resource"]]
            found.extend((role, Grant(name, action, arn)) for role in roles for action, arn in pairs)
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
