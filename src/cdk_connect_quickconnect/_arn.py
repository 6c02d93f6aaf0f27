"""Amazon Connect ARNs: parse concrete ones, derive parts of unresolved ones with CloudFormation functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aws_cdk import Fn
from constructs import IConstruct

from ._validation import fail, is_token

_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z0-9-]*):connect:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"instance/(?P<instance_id>[a-zA-Z0-9-]{1,100})"
    r"(?:/(?P<kind>[a-z-]+)/(?P<resource_id>[a-zA-Z0-9-]{1,100})(?P<qualifier>:[a-zA-Z0-9$-]+)?)?"
)

#: Resource-type segments of Connect ARNs, keyed by the kind of resource this library imports.
ARN_SEGMENTS = {
    "queue": "queue",
    "user": "agent",
    "contact flow": "contact-flow",
    "quick connect": "transfer-destination",
}


#: Kinds whose ARNs may end in a ``:<qualifier>`` (the only ones the FlowConfig/contact-flow patterns allow).
QUALIFIED_KINDS = frozenset({"contact flow"})


@dataclass(frozen=True)
class ConnectArn:
    """The parts of a concrete Connect ARN."""

    partition: str
    region: str
    account: str
    instance_id: str
    resource_id: str | None

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance the resource belongs to."""
        return f"arn:{self.partition}:connect:{self.region}:{self.account}:instance/{self.instance_id}"


def parse_arn(scope: IConstruct, prop: str, arn: str, kind: str | None) -> ConnectArn | None:
    """Parse ``arn`` as the ARN of a ``kind`` (or of an instance when ``kind`` is None).

    Returns None for an unresolved token; raises a validation error naming ``prop`` when malformed or not a string
    (None included: a CDK context value that is not set).
    """
    if isinstance(arn, str) and is_token(arn):
        return None
    match = _ARN.fullmatch(arn) if isinstance(arn, str) else None
    expected_segment = ARN_SEGMENTS[kind] if kind else None
    shape = f"instance/<instanceId>/{expected_segment}/<id>" if expected_segment else "instance/<instanceId>"
    if not match or match["kind"] != expected_segment:
        rule = f"be an Amazon Connect ARN 'arn:<partition>:connect:<region>:<account>:{shape}'"
        fail(scope, prop, rule, arn, from_context=True)
    return ConnectArn(
        partition=match["partition"],
        region=match["region"],
        account=match["account"],
        instance_id=match["instance_id"],
        resource_id=match["resource_id"],
    )


def environment_arn(arn: str) -> str | None:
    """``arn`` when CDK can take the resource's environment from it (a token or a well-formed ARN), else None.

    A malformed ARN is then reported by :func:`parse_arn` with the construct path, not by CDK's own parser.
    """
    return arn if is_token(arn) or _ARN.fullmatch(arn) else None


def instance_arn_of(scope: IConstruct, prop: str, arn: str, kind: str) -> str:
    """The instance ARN inside a resource ARN: parsed when concrete, cut with ``Fn::Split`` when a token."""
    parsed = parse_arn(scope, prop, arn, kind)
    if parsed:
        return parsed.instance_arn
    parts = Fn.split("/", arn)
    return Fn.join("/", [Fn.select(0, parts), Fn.select(1, parts)])


def instance_id_of(scope: IConstruct, prop: str, instance_arn: str) -> str:
    """The instance id inside an instance ARN."""
    parsed = parse_arn(scope, prop, instance_arn, None)
    if parsed:
        return parsed.instance_id
    return Fn.select(1, Fn.split("/", instance_arn))


def resource_id_of(scope: IConstruct, prop: str, arn: str, kind: str) -> str:
    """The last segment of a resource ARN (its id); ``Fn::Select [3, Fn::Split ["/", arn]]`` for a token.

    A flow ARN may end in a qualifier (``.../contact-flow/<id>:$LATEST``, a version): the id is what comes
    before it, whether the ARN is concrete or a token (then also split on ``:``).
    """
    parsed = parse_arn(scope, prop, arn, kind)
    if parsed and parsed.resource_id:
        return parsed.resource_id
    last_segment = Fn.select(3, Fn.split("/", arn))
    if kind in QUALIFIED_KINDS:
        return Fn.select(0, Fn.split(":", last_segment))
    return last_segment


def concrete_instance_id(arn: str) -> str | None:
    """The instance id in a concrete Connect ARN (an instance's or a resource's); None for a token or anything else."""
    match = None if is_token(arn) else _ARN.fullmatch(arn)
    return match["instance_id"] if match is not None else None


def same_instance(first_instance_arn: str, second_instance_arn: str) -> bool:
    """Whether two instance ARNs name the same instance; True unless both are concrete and differ."""
    if is_token(first_instance_arn) or is_token(second_instance_arn):
        return True
    return first_instance_arn == second_instance_arn
