"""What the resource's own stack says about it and its neighbours, read from CloudFormation (read-only).

Two questions only the stack can answer:

- Is CloudFormation still waiting for this request? Lambda delivers an asynchronous invocation again when a
  run is killed; by then CloudFormation has its answer (the watchdog's FAILED) and has moved on, and the
  late copy must change nothing. `status_of` reads the resource's status (``DescribeStackResource``).
- Which other resources of the stack still own what they list? A renamed or moved construct is a new
  logical id: CloudFormation creates the new resource first and then deletes the old one, with the old
  properties. `resources_of_type` (``ListStackResources``, every page) and `metadata_of`
  (``DescribeStackResource``: the resource's ``Metadata``, where the association keeps a copy of what it
  lists, resolved by CloudFormation) answer it.

The handler's role may call both on its own stack only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._connect import Budget, ConnectCallError, ConnectClient, call, paginate

StackClient = ConnectClient
"""A boto3 ``cloudformation`` client (untyped, as boto3 ships no types)."""

GONE_STATUSES = frozenset({"DELETE_IN_PROGRESS", "DELETE_COMPLETE"})
"""Statuses of a resource that no longer owns anything: it is being, or has been, deleted."""
NOT_FOUND = "ValidationError"
"""What CloudFormation answers for a stack or logical id it does not know (HTTP 400)."""


@dataclass(frozen=True)
class StackResource:
    """One resource of the stack as ``ListStackResources`` summarises it."""

    logical_id: str
    physical_id: str
    status: str


def resources_of_type(client: StackClient, stack_id: str, resource_type: str, budget: Budget) -> list[StackResource]:
    """Every resource of `resource_type` in the stack, whatever its status, through every page."""
    summaries = paginate(
        client,
        "ListStackResources",
        "StackResourceSummaries",
        {"stack": stack_id},
        budget,
        resource=stack_id,
        StackName=stack_id,
    )
    return [
        StackResource(summary["LogicalResourceId"], summary.get("PhysicalResourceId", ""), summary["ResourceStatus"])
        for summary in summaries
        if summary["ResourceType"] == resource_type
    ]


def metadata_of(client: StackClient, stack_id: str, logical_id: str, budget: Budget) -> Mapping[str, Any]:
    """The resource's ``Metadata``, as CloudFormation resolved it (empty when it has none)."""
    detail = _describe(client, stack_id, logical_id, budget)
    text = detail.get("Metadata") or "{}"
    metadata = json.loads(text)
    return metadata if isinstance(metadata, dict) else {}


def status_of(client: StackClient, stack_id: str, logical_id: str, budget: Budget) -> str | None:
    """The resource's status now; None when the stack no longer has it (or the stack is gone)."""
    try:
        detail = _describe(client, stack_id, logical_id, budget)
    except ConnectCallError as error:
        if error.code == NOT_FOUND:
            return None
        raise
    return str(detail["ResourceStatus"])


def _describe(client: StackClient, stack_id: str, logical_id: str, budget: Budget) -> Mapping[str, Any]:
    response = call(
        client,
        "DescribeStackResource",
        {"stack": stack_id, "logical_id": logical_id},
        budget,
        resource=stack_id,
        StackName=stack_id,
        LogicalResourceId=logical_id,
    )
    detail: Mapping[str, Any] = response["StackResourceDetail"]
    return detail
