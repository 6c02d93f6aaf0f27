"""An in-process fake of the two CloudFormation reads the association handler makes, behind a REAL boto3 client.

The handler asks its own stack ``ListStackResources`` (which association resources exist, their physical ids
and statuses) and ``DescribeStackResource`` (one resource's status and resolved ``Metadata``). As with
`FakeConnect`, botocore validates and serialises every request with the real ``cloudformation`` service
model; the ``before-call`` hook then checks the model's maximum lengths and patterns, applies scripted faults
and answers from `stacks`, which the lifecycle driver keeps as CloudFormation would (statuses move while a
stack operation runs) and handler tests fill by hand.

CloudFormation answers in the query protocol: an unknown stack or logical id is ``ValidationError`` (400),
throttling ``Throttling`` (400), a denial ``AccessDenied`` (403). ``ListStackResources`` pages by 100
(`page_size` makes it smaller).
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from tests.handlers.fake_connect import (
    ACCOUNT,
    REGION,
    Call,
    ConnectError,
    FakeClock,
    _check_constraints,
    _check_output,
    _keep_caller_params,
)

#: HTTP status of each error code CloudFormation answers here.
ERROR_STATUS = {"ValidationError": 400, "Throttling": 400, "AccessDenied": 403, "InternalFailure": 500}


@dataclass
class StackResourceRecord:
    """One resource of a stack as CloudFormation records it."""

    logical_id: str
    resource_type: str
    physical_id: str | None
    status: str
    metadata: dict[str, Any] | None = None
    """The resource's Metadata, resolved."""


@dataclass
class FakeCloudFormation:
    """Stacks by stack id, each a dict of resources by logical id; plus faults and a call log."""

    clock: FakeClock | None = None
    latency: float = 0.0
    page_size: int = 100
    stacks: dict[str, dict[str, StackResourceRecord]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _faults: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))

    def client(self) -> Any:
        """A new real boto3 ``cloudformation`` client (dummy credentials) wired to this fake."""
        client = boto3.client(
            "cloudformation", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        client.meta.events.register("before-parameter-build.cloudformation", _keep_caller_params)
        client.meta.events.register("before-call.cloudformation", self._answer)
        return client

    def stack(self, stack_id: str) -> dict[str, StackResourceRecord]:
        """The resources of `stack_id`, created empty on first use."""
        return self.stacks.setdefault(stack_id, {})

    def put(self, stack_id: str, record: StackResourceRecord) -> None:
        self.stack(stack_id)[record.logical_id] = record

    def fail_next(self, operation: str, code: str, times: int = 1) -> None:
        """Answer `code` to the next `times` calls of `operation`."""
        self._faults[operation].extend(code for _ in range(times))

    def calls_to(self, operation: str) -> list[Call]:
        return [recorded for recorded in self.calls if recorded.operation == operation]

    # ---- request handling -------------------------------------------------------------------------

    def _answer(self, model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        operation = model.name
        params = context["fake_connect_params"]
        recorded = Call(operation, params)
        self.calls.append(recorded)
        if self.clock is not None:
            self.clock.advance(self.latency)
        try:
            try:
                _check_constraints(model.input_shape, params, operation)
            except ConnectError as invalid:
                raise ConnectError("ValidationError", invalid.message) from invalid
            faults = self._faults.get(operation)
            if faults:
                code = faults.popleft()
                raise ConnectError(code, f"Injected {code}")
            response = getattr(self, f"_op_{operation}")(params)
        except ConnectError as error:
            recorded.outcome = error.code
            status = ERROR_STATUS.get(error.code, 400)
            parsed = {"Error": {"Code": error.code, "Message": error.message}, "ResponseMetadata": _meta(status)}
            return AWSResponse(None, status, {}, None), parsed
        _check_output(model.output_shape, response, operation)
        return AWSResponse(None, 200, {}, None), {**response, "ResponseMetadata": _meta(200)}

    def _resources(self, stack_name: str) -> dict[str, StackResourceRecord]:
        if stack_name not in self.stacks:
            raise ConnectError("ValidationError", f"Stack with id {stack_name} does not exist")
        return self.stacks[stack_name]

    def _op_ListStackResources(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 (API names)
        records = list(self._resources(params["StackName"]).values())
        offset = int(params.get("NextToken") or 0)
        page = records[offset : offset + self.page_size]
        response: dict[str, Any] = {
            "StackResourceSummaries": [
                {
                    "LogicalResourceId": record.logical_id,
                    **({"PhysicalResourceId": record.physical_id} if record.physical_id else {}),
                    "ResourceType": record.resource_type,
                    "ResourceStatus": record.status,
                    "LastUpdatedTimestamp": "2026-12-06T00:00:00Z",
                }
                for record in page
            ]
        }
        if offset + self.page_size < len(records):
            response["NextToken"] = str(offset + self.page_size)
        return response

    def _op_DescribeStackResource(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 (API names)
        stack_name, logical_id = params["StackName"], params["LogicalResourceId"]
        record = self._resources(stack_name).get(logical_id)
        if record is None:
            raise ConnectError("ValidationError", f"Resource {logical_id} does not exist for stack {stack_name}")
        detail: dict[str, Any] = {
            "StackName": stack_name.split("/")[1] if stack_name.startswith("arn:") else stack_name,
            "StackId": stack_name,
            "LogicalResourceId": logical_id,
            "ResourceType": record.resource_type,
            "LastUpdatedTimestamp": "2026-12-06T00:00:00Z",
            "ResourceStatus": record.status,
        }
        if record.physical_id:
            detail["PhysicalResourceId"] = record.physical_id
        if record.metadata is not None:
            detail["Metadata"] = json.dumps(record.metadata)
        return {"StackResourceDetail": detail}


_request_ids = itertools.count(1)


def _meta(status: int) -> dict[str, Any]:
    return {"RequestId": f"fake-cfn-{next(_request_ids):08d}", "HTTPStatusCode": status, "HTTPHeaders": {}}


def stack_arn(name: str) -> str:
    return f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{name}/5b8a1e90-8c11-11ef-9b39-0e8e6b1f5d9d"
