"""Amazon Connect calls shared by the handlers: bounded retries, one JSON log line per call, pagination.

Every request goes through `call`, which retries what is transient (throttling, 5xx, dropped connections
and, when the caller asks, the eventual-consistency misses that follow a create) with full-jitter
exponential backoff, bounded by an attempt count and a time budget. Anything else, or a retry that runs
out, raises `ConnectCallError`, whose message names the operation, its target and Connect's answer.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as TransportError

ConnectClient: TypeAlias = Any
"""A boto3 ``connect`` client. boto3 ships no type information, so this is the one place it is ``Any``."""

RESOURCE_NOT_FOUND = "ResourceNotFoundException"

_ALWAYS_RETRIED = frozenset({"ThrottlingException", "TooManyRequestsException", "InternalServiceException"})
_RETRIED_WHEN_RATE_LIMITED = frozenset({"LimitExceededException"})
_RETRIED_FOR_CONSISTENCY = frozenset({RESOURCE_NOT_FOUND, "InvalidRequestException"})
_RATE_LIMITED_STATUS = 429
_PAGING_PARAMS = frozenset({"NextToken", "MaxResults"})


@dataclass
class Backoff:
    """Retry policy of `call`: full-jitter exponential backoff, bounded by attempts and by time.

    The worst case with the defaults sleeps 0.5 + 1 + 2 + 4 + 8 * 5 = 47.5 s over 10 attempts; the budget
    stops earlier if the calls themselves are slow, well inside the 5-minute Lambda timeout.
    """

    base_seconds: float = 0.5
    cap_seconds: float = 8.0
    max_attempts: int = 10
    budget_seconds: float = 90.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random
    clock: Callable[[], float] = time.monotonic

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before `attempt` (2, 3, ...): uniform in [0, min(cap, base * 2 ** (attempt - 2))]."""
        return self.random() * min(self.cap_seconds, self.base_seconds * 2.0 ** (attempt - 2))


BACKOFF = Backoff()
"""The policy `call` uses; tests replace it (or its ``sleep``, ``random`` and ``clock``) so nothing sleeps."""


class ConnectCallError(Exception):
    """A Connect call failed for good: not retryable, or retries exhausted."""

    def __init__(self, operation: str, params: Mapping[str, Any], code: str, message: str, attempts: int):
        self.operation = operation
        self.code = code
        self.connect_message = message
        self.attempts = attempts
        super().__init__(
            f"{operation} for {describe_target(params)} failed after {attempts} attempt(s): "
            f"Connect answered {code}: {message}"
        )


def describe_target(params: Mapping[str, Any]) -> str:
    """Say in words what a request was about: its queue, instance, quick connects and other filters."""
    parts = []
    if "QueueId" in params:
        parts.append(f"queue {params['QueueId']}")
    if "InstanceId" in params:
        parts.append(f"instance {params['InstanceId']}")
    if "QuickConnectIds" in params:
        parts.append(f"quick connects [{', '.join(params['QuickConnectIds'])}]")
    named = {"QueueId", "InstanceId", "QuickConnectIds"} | _PAGING_PARAMS
    parts.extend(f"{key}={json.dumps(value, default=str)}" for key, value in params.items() if key not in named)
    return ", ".join(parts) or "the account"


def snake_case(operation: str) -> str:
    """Turn an API operation name into the boto3 method name: ``ListQueues`` -> ``list_queues``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def id_from_arn(arn: str) -> str:
    """Return the last path segment of an ARN: the resource id of any Connect ARN."""
    return arn.rsplit("/", 1)[-1]


def instance_id_from_arn(arn: str) -> str:
    """Return the instance id of a Connect ARN (the segment after ``instance/``)."""
    _, found, rest = arn.partition(":instance/")
    instance_id = rest.split("/", 1)[0]
    if not found or not instance_id:
        raise ValueError(f"{arn!r} is not an Amazon Connect instance or instance resource ARN")
    return instance_id


def call(
    client: ConnectClient,
    operation: str,
    log: Mapping[str, object],
    *,
    retry_not_found: bool = False,
    **params: Any,
) -> dict[str, Any]:
    """Call `operation` with `params`, retrying transient failures; return Connect's response.

    `log` is added to the JSON line logged for each attempt (queue id, counts...). `retry_not_found`
    also retries ResourceNotFoundException and InvalidRequestException: right after a create, Connect
    may not know the new resource yet. Raises `ConnectCallError` when the call fails for good.
    """
    method = getattr(client, snake_case(operation))
    policy = BACKOFF
    started = policy.clock()
    attempt = 1
    while True:
        attempt_started = policy.clock()
        try:
            response: dict[str, Any] = method(**params)
        except (ClientError, BotoCoreError) as error:
            code, message, retryable = _classify(error, retry_not_found)
            _log_attempt(operation, log, attempt, code, policy.clock() - attempt_started)
            delay = policy.delay_before(attempt + 1)
            out_of_budget = policy.clock() - started + delay > policy.budget_seconds
            if not retryable or attempt >= policy.max_attempts or out_of_budget:
                raise ConnectCallError(operation, params, code, message, attempt) from error
            policy.sleep(delay)
            attempt += 1
            continue
        _log_attempt(operation, log, attempt, "ok", policy.clock() - attempt_started)
        return response


def paginate(
    client: ConnectClient,
    operation: str,
    items_key: str,
    log: Mapping[str, object],
    *,
    retry_not_found: bool = False,
    **params: Any,
) -> list[dict[str, Any]]:
    """Call a paginated `operation` through every ``NextToken`` page; return all ``items_key`` items."""
    items: list[dict[str, Any]] = []
    seen_tokens: set[str] = set()
    page = 1
    while True:
        response = call(client, operation, {**log, "page": page}, retry_not_found=retry_not_found, **params)
        items.extend(response.get(items_key, []))
        token = response.get("NextToken")
        if not token:
            return items
        if token in seen_tokens:
            raise RuntimeError(f"{operation} returned NextToken {token!r} twice: refusing to loop forever")
        seen_tokens.add(token)
        params = {**params, "NextToken": token}
        page += 1


def _classify(error: ClientError | BotoCoreError, retry_not_found: bool) -> tuple[str, str, bool]:
    """Return (error code, message, retryable) for a failed attempt."""
    if isinstance(error, BotoCoreError):
        # With botocore's own retries off, a dropped connection or read timeout surfaces here.
        return type(error).__name__, str(error), isinstance(error, TransportError | HTTPClientError)
    details = error.response.get("Error", {})
    code = str(details.get("Code", "Unknown"))
    message = str(details.get("Message", error))
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    retryable = (
        code in _ALWAYS_RETRIED
        or status >= 500
        or (code in _RETRIED_WHEN_RATE_LIMITED and status == _RATE_LIMITED_STATUS)
        or (retry_not_found and code in _RETRIED_FOR_CONSISTENCY)
    )
    return code, message, retryable


def _log_attempt(operation: str, log: Mapping[str, object], attempt: int, outcome: str, seconds: float) -> None:
    """Print one JSON line (CloudWatch Logs keeps each line as one event) describing one attempt."""
    line = {
        "event": "connect_call",
        "operation": operation,
        **log,
        "attempt": attempt,
        "outcome": outcome,
        "duration_ms": round(seconds * 1000),
    }
    print(json.dumps(line, default=str), flush=True)
