"""Amazon Connect calls shared by the handlers: one deadline per request, errors classed by the API model.

Also one JSON log line per call, and pagination.

Every request gets one `Budget` from the Lambda context (`context.get_remaining_time_in_millis()`): no retry,
backoff or attempt may start unless it can end before the budget's deadline, and while a handler is still
changing a queue (the *forward* phase, `Budget.changing`) it also keeps back the time its undo would need,
judged by what a call costs now (the latest calls), not by the request's past. The undo itself may use every
second left. Errors are sorted into the classes of `CONNECT_ERRORS`, written from botocore's ``connect``
service model (each code's shape, HTTP status and documentation; a test holds the table to the model), and a
code the table does not know by its HTTP status:

- rate (``ThrottlingException``, ``TooManyRequestsException``; 429), server (``InternalServiceException``,
  and any code answered with a 5xx status) and dropped connections: retried with full-jitter exponential
  backoff inside the deadline;
- quota (``LimitExceededException``, 429 like throttling but a quota; ``ServiceQuotaExceededException``,
  402) and invalid request (``InvalidParameterException``, ``InvalidRequestException``; 400): never retried,
  the message says what to change (for an invalid request: Connect's message and every parameter sent);
- not found (``ResourceNotFoundException`` 404): retried only when the caller expects ids created moments
  before (Connect is eventually consistent), and only inside `CONSISTENCY_WINDOW_SECONDS`;
- access denied (403): retried for `IAM_WINDOW_SECONDS` from the first denial of the request (a policy
  created in the same deployment takes seconds to apply), then reported naming the action and resource.

A call that fails for good raises `ConnectCallError`, whose message names the operation, its target,
Connect's answer and what to do.
"""

from __future__ import annotations

import enum
import json
import math
import random
import re
import statistics
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as TransportError

ConnectClient: TypeAlias = Any
"""A boto3 ``connect`` client. boto3 ships no type information, so this is the one place it is ``Any``."""

RESOURCE_NOT_FOUND = "ResourceNotFoundException"
OUT_OF_TIME = "OutOfTime"
"""`ConnectCallError.code` when the call stopped because the request's deadline was near, not on an answer."""
REPEATED_NEXT_TOKEN = "RepeatedNextToken"
"""`ConnectCallError.code` when a paginated call answered a ``NextToken`` it had answered before."""

CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 10
MAX_ATTEMPT_SECONDS = CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS
"""The longest one attempt can take with the handler's client timeouts: no attempt starts with less time left."""
RETURN_MARGIN_SECONDS = 12.0
"""Kept back from the Lambda's remaining time to answer CloudFormation: up to three uploads of the response
(``_response.PUT_TIMEOUT_SECONDS`` each, with backoff), all before the watchdog's turn."""
DEFAULT_TIMEOUT_SECONDS = 300.0
"""The deadline of a request invoked without a Lambda context (a direct call): the handler's Lambda timeout."""
CONSISTENCY_WINDOW_SECONDS = 30.0
"""How long after the first not-found of a request ids created moments before are waited for."""
IAM_WINDOW_SECONDS = 60.0
"""How long after the first AccessDeniedException of a request a new policy is waited for."""


class ErrorClass(enum.Enum):
    """What an error means for the request, and so whether it is retried."""

    RATE = "rate limit"
    SERVER = "service error"
    TRANSPORT = "connection error"
    QUOTA = "service quota"
    INVALID = "invalid request"
    NOT_FOUND = "not found"
    ACCESS_DENIED = "access denied"
    OTHER = "error"


@dataclass(frozen=True)
class ModelError:
    """An error shape of botocore's ``connect`` model: its HTTP status, its documentation, and so its class."""

    status: int
    documented: str
    error_class: ErrorClass


CONNECT_ERRORS: Mapping[str, ModelError] = {
    "ThrottlingException": ModelError(429, "The throttling limit has been exceeded.", ErrorClass.RATE),
    "TooManyRequestsException": ModelError(
        429, "Displayed when rate-related API limits are exceeded.", ErrorClass.RATE
    ),
    "LimitExceededException": ModelError(
        429, "The allowed limit for the resource has been exceeded.", ErrorClass.QUOTA
    ),
    "ServiceQuotaExceededException": ModelError(402, "The service quota has been exceeded.", ErrorClass.QUOTA),
    "InvalidParameterException": ModelError(
        400, "One or more of the specified parameters are not valid.", ErrorClass.INVALID
    ),
    "InvalidRequestException": ModelError(400, "The request is not valid.", ErrorClass.INVALID),
    "ResourceNotFoundException": ModelError(404, "The specified resource was not found.", ErrorClass.NOT_FOUND),
    "AccessDeniedException": ModelError(
        403, "You do not have sufficient permissions to perform this action.", ErrorClass.ACCESS_DENIED
    ),
    "InternalServiceException": ModelError(
        500, "Request processing failed because of an error or failure with the service.", ErrorClass.SERVER
    ),
}
"""Every error the operations the handlers call declare in botocore's ``connect`` model, plus the ones any
operation may answer (``AccessDeniedException`` from IAM, ``TooManyRequestsException``,
``ServiceQuotaExceededException``), with the status and documentation the model gives each shape; a test holds
the table to the model, operation by operation. A code means what its shape documents on every operation that
answers it; what differs per operation is which codes it can answer, and, for a not-found, whether the caller
waits for ids created moments before (`call`'s ``retry_not_found``)."""

ANSWERED_WHILE_PROPAGATING = frozenset({"ResourceNotFoundException", "InvalidRequestException"})
"""What Connect may answer for a resource created moments before, until the change has propagated ("typically
less than a few seconds", sometimes minutes: the Amazon Connect API Reference, "Amazon Connect eventual
consistency"). `call` waits these out, inside `CONSISTENCY_WINDOW_SECONDS`, only where the caller expects such
ids (``retry_not_found``); anywhere else they mean what the model documents, at once."""

STACK_ERROR_CLASSES: Mapping[str, ErrorClass] = {
    "Throttling": ErrorClass.RATE,  # 400, botocore's retry configuration (_retry.json) names it throttling
    "ThrottlingException": ErrorClass.RATE,  # 400, CloudFormation API reference, Common Errors
    "AccessDeniedException": ErrorClass.ACCESS_DENIED,  # 400, Common Errors
    "NotAuthorized": ErrorClass.ACCESS_DENIED,  # 400, Common Errors
    "AccessDenied": ErrorClass.ACCESS_DENIED,  # 403, what IAM's denial of a CloudFormation action answers
}
"""CloudFormation's codes for the two reads the association makes of its own stack: its model declares no errors
for them, so the codes come from botocore's retry configuration and the API reference's Common Errors.
``ValidationError`` (400: no such stack or logical id) is left to the status: final."""

_RETRIED_ALWAYS = frozenset({ErrorClass.RATE, ErrorClass.SERVER, ErrorClass.TRANSPORT})
_PAGING_PARAMS = frozenset({"NextToken", "MaxResults"})


@dataclass
class Backoff:
    """Full-jitter exponential backoff, and the clock and sleep every budget uses (tests replace them)."""

    base_seconds: float = 0.5
    cap_seconds: float = 8.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random
    clock: Callable[[], float] = time.monotonic

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before `attempt` (2, 3, ...): uniform in [0, min(cap, base * 2 ** (attempt - 2))]."""
        return self.random() * min(self.cap_seconds, self.base_seconds * 2.0 ** (attempt - 2))


BACKOFF = Backoff()
"""The policy `call` uses; tests replace it (or its ``sleep``, ``random`` and ``clock``) so nothing sleeps."""


@dataclass
class Budget:
    """The time one request may spend: a deadline, the time kept back for an undo, what calls cost now.

    `ends_at` is on `Backoff.clock`'s scale. Inside `changing()`, the forward phase of a change, every
    attempt leaves the time the undo would need (`keep_for_undo` says how many calls it would make): one
    attempt's worst case plus twice those calls times `seconds_per_call`, what a call costs now. Outside it,
    in the undo for one, nothing is kept back: every second left may be used.
    """

    ends_at: float
    started_at: float
    errors: dict[str, int] = field(default_factory=dict)
    first_not_found_at: float | None = None
    first_denied_at: float | None = None
    _changing: bool = field(default=False, init=False, repr=False)
    _undo_calls: int = field(default=0, init=False, repr=False)
    _recent_calls: deque[float] = field(init=False, repr=False)

    MIN_CALL_SECONDS = 1.0
    """A floor for the time one call costs: Connect's documented default rate is 2 requests/s."""
    MAX_CALL_SECONDS = 20.0
    """A ceiling for it, so that throttling that goes on stops the forward phase without stopping it for good."""
    RECENT_CALLS = 5
    """How many of the latest calls say what a call costs now."""

    def __post_init__(self) -> None:
        self._recent_calls = deque(maxlen=self.RECENT_CALLS)

    @classmethod
    def from_context(cls, context: object) -> Budget:
        """The budget of a request whose Lambda `context` says how long is left (a default without one)."""
        remaining_ms = getattr(context, "get_remaining_time_in_millis", None)
        remaining = remaining_ms() / 1000.0 if callable(remaining_ms) else DEFAULT_TIMEOUT_SECONDS
        return cls.lasting(remaining - RETURN_MARGIN_SECONDS)

    @classmethod
    def lasting(cls, seconds: float) -> Budget:
        """A budget ending `seconds` from now."""
        now = BACKOFF.clock()
        return cls(ends_at=now + seconds, started_at=now)

    @contextmanager
    def changing(self) -> Iterator[None]:
        """The forward phase of a change: every attempt in it leaves the time the undo would need.

        `keep_for_undo` says how much. The undo runs after it, with all the time left.
        """
        if self._changing:
            raise RuntimeError("Budget.changing() does not nest")
        self._changing, self._undo_calls = True, 0
        try:
            yield
        finally:
            self._changing, self._undo_calls = False, 0

    def keep_for_undo(self, calls: int) -> None:
        """Inside `changing()`: from now on the undo would make `calls` calls (re-reads and batches)."""
        if not self._changing:
            raise RuntimeError("keep_for_undo() is only meaningful inside Budget.changing()")
        self._undo_calls = calls

    @property
    def seconds_per_call(self) -> float:
        """What a call costs now: the median of the latest `RECENT_CALLS` calls, waits for throttling included.

        A call retries until it passes, so a storm that is over shows as one slow call among fast ones and
        no longer counts, while throttling that goes on makes most of them slow. Between `MIN_CALL_SECONDS`
        and `MAX_CALL_SECONDS`.
        """
        observed = statistics.median(self._recent_calls) if self._recent_calls else 0.0
        return min(self.MAX_CALL_SECONDS, max(self.MIN_CALL_SECONDS, observed))

    @property
    def reserve(self) -> float:
        """Seconds kept back for the undo: none outside `changing()`."""
        if not self._changing or self._undo_calls <= 0:
            return 0.0
        return MAX_ATTEMPT_SECONDS + 2.0 * self._undo_calls * self.seconds_per_call

    def allows(self, seconds: float) -> bool:
        """Whether waiting `seconds` and then one attempt can end before the deadline, leaving the reserve."""
        return seconds + MAX_ATTEMPT_SECONDS + self.reserve <= self.ends_at - BACKOFF.clock()

    def record_call(self, seconds: float) -> None:
        """A call passed after `seconds`, from its first attempt to its answer, waits included."""
        self._recent_calls.append(seconds)

    def record_error(self, code: str, error_class: ErrorClass) -> None:
        self.errors[code] = self.errors.get(code, 0) + 1
        now = BACKOFF.clock()
        if error_class is ErrorClass.NOT_FOUND and self.first_not_found_at is None:
            self.first_not_found_at = now
        if error_class is ErrorClass.ACCESS_DENIED and self.first_denied_at is None:
            self.first_denied_at = now

    def within_window(self, error_class: ErrorClass) -> bool:
        """Whether a not-found or an access denial may still be waited out."""
        if error_class is ErrorClass.NOT_FOUND:
            first, window = self.first_not_found_at, CONSISTENCY_WINDOW_SECONDS
        elif error_class is ErrorClass.ACCESS_DENIED:
            first, window = self.first_denied_at, IAM_WINDOW_SECONDS
        else:
            return False
        return first is not None and BACKOFF.clock() - first < window

    def waited(self, error_class: ErrorClass) -> float:
        """Seconds since the first not-found or access denial of this request (0 for other classes)."""
        first = {
            ErrorClass.NOT_FOUND: self.first_not_found_at,
            ErrorClass.ACCESS_DENIED: self.first_denied_at,
        }.get(error_class)
        return 0.0 if first is None else BACKOFF.clock() - first

    def describe_errors(self) -> str:
        """The errors answered so far, e.g. ``38 ThrottlingException``; empty if none."""
        return ", ".join(f"{count} {code}" for code, count in sorted(self.errors.items()))


class ConnectCallError(Exception):
    """A Connect call failed for good: not retryable, its retry window over, or no time left to retry."""

    def __init__(
        self,
        operation: str,
        params: Mapping[str, Any],
        code: str,
        message: str,
        attempts: int,
        error_class: ErrorClass,
        *,
        resource: str | None = None,
        out_of_time: bool = False,
        waited: float = 0.0,
        service: str = "connect",
    ):
        self.operation = operation
        self.code = code
        self.error_class = error_class
        self.connect_message = message
        self.attempts = attempts
        self.out_of_time = out_of_time
        invalid = error_class is ErrorClass.INVALID and not out_of_time
        target = describe_target(params, paging=invalid)
        answer = message if code in {OUT_OF_TIME, REPEATED_NEXT_TOKEN} else f"Connect answered {code}: {message}"
        super().__init__(
            f"{operation} for {target} failed after {attempts} attempt(s): {answer}"
            f"{_advice(operation, code, error_class, resource or target, out_of_time, waited, service)}"
        )


def _advice(
    operation: str, code: str, error_class: ErrorClass, resource: str, out_of_time: bool, waited: float, service: str
) -> str:
    """What a user can do about a failed call, by its class."""
    if out_of_time:
        return (
            ". Stopped retrying to finish before the Lambda timeout; Connect's API rate "
            "in this account and Region is contended: deploy again later, or ask for a higher API rate quota"
        )
    if error_class is ErrorClass.QUOTA:
        return (
            " (a service quota, not a rate: not retried). Raise the Amazon Connect quota named above in the "
            "Service Quotas console, or list fewer quick connects"
        )
    if error_class is ErrorClass.INVALID:
        documented = CONNECT_ERRORS[code].documented if code in CONNECT_ERRORS else "an invalid request"
        how_long = (
            f"waited {waited:.0f} s, as long as a quick connect created moments before may take to be known"
            if waited
            else "not retried"
        )
        return (
            f' ({how_long}; the API model documents {code} as "{documented}"): one of the values sent, named '
            "above, is not valid for Connect; correct it (in the resource's properties, if it comes from them)"
        )
    if error_class is ErrorClass.ACCESS_DENIED:
        return (
            f". The handler's role is not allowed {service}:{operation} on {resource}, still denied after "
            f"{waited:.0f} s (longer than IAM takes to apply a new policy): check the stack's ConnectAccess policy, "
            "and any service control policy or permissions boundary that applies to the role"
        )
    if error_class is ErrorClass.NOT_FOUND:
        return f" (waited {waited:.0f} s for it): check that it exists in this instance" if waited else ""
    return ""


_TARGET_IDS = 3
"""Most quick connect ids a message names per call: an answer to CloudFormation holds 4,096 bytes in all."""


def describe_target(params: Mapping[str, Any], *, paging: bool = False) -> str:
    """Say in words what a request was about: its queue, instance, quick connects and other parameters.

    Paging parameters (``NextToken``, ``MaxResults``) are left out unless `paging`: when Connect refused the
    request as invalid, every value sent is named (at most 50 quick connect ids: a batch). Otherwise a list of
    quick connect ids is named by its size and first ids.
    """
    parts = []
    if "QueueId" in params:
        parts.append(f"queue {params['QueueId']}")
    if "InstanceId" in params:
        parts.append(f"instance {params['InstanceId']}")
    if "QuickConnectIds" in params:
        ids = params["QuickConnectIds"]
        shown = ids if paging else ids[:_TARGET_IDS]
        more = f" and {len(ids) - len(shown)} more" if len(ids) > len(shown) else ""
        parts.append(f"{len(ids)} quick connects [{', '.join(shown)}{more}]")
    named = {"QueueId", "InstanceId", "QuickConnectIds"} | (set() if paging else _PAGING_PARAMS)
    parts.extend(f"{key}={json.dumps(value, default=str)}" for key, value in params.items() if key not in named)
    return ", ".join(parts) or "the account"


def snake_case(operation: str) -> str:
    """Turn an API operation name into the boto3 method name: ``ListQueues`` -> ``list_queues``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def id_from_arn(arn: str) -> str:
    """Return the last path segment of an ARN: the resource id of any Connect ARN."""
    return arn.rsplit("/", 1)[-1]


def call(
    client: ConnectClient,
    operation: str,
    log: Mapping[str, object],
    budget: Budget,
    *,
    retry_not_found: bool = False,
    resource: str | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Call `operation` with `params` within `budget`, retrying what its class allows; return Connect's response.

    `log` is added to the JSON line logged for each attempt. `retry_not_found` waits out not-found answers
    for ids created moments before (inside the consistency window). `resource` (an ARN) names the target in
    an access-denied message. Raises `ConnectCallError` when the call fails for good or time runs out.
    """
    method = getattr(client, snake_case(operation))
    policy = BACKOFF
    started = policy.clock()
    attempt = 1
    if not budget.allows(0.0):
        raise _out_of_time(operation, params, budget, attempt=0, last_code=None)
    while True:
        attempt_started = policy.clock()
        try:
            response: dict[str, Any] = method(**params)
        except (ClientError, BotoCoreError) as error:
            code, message, error_class = classify(error)
            # Waited out like a not-found where ids may be moments old: Connect says it answers these meanwhile.
            window = ErrorClass.NOT_FOUND if retry_not_found and code in ANSWERED_WHILE_PROPAGATING else error_class
            budget.record_error(code, window)
            _log_attempt(operation, log, attempt, code, policy.clock() - attempt_started)
            retryable = error_class in _RETRIED_ALWAYS or (
                budget.within_window(window) and (window is not ErrorClass.NOT_FOUND or retry_not_found)
            )
            if not retryable:
                waited = budget.waited(window) if retry_not_found or error_class is ErrorClass.ACCESS_DENIED else 0
                raise ConnectCallError(
                    operation,
                    params,
                    code,
                    message,
                    attempt,
                    error_class,
                    resource=resource,
                    waited=waited,
                    service=_service_of(client),
                ) from error
            delay = policy.delay_before(attempt + 1)
            if not budget.allows(delay):
                raise _out_of_time(operation, params, budget, attempt=attempt, last_code=code) from error
            policy.sleep(delay)
            attempt += 1
            continue
        finished = policy.clock()
        _log_attempt(operation, log, attempt, "ok", finished - attempt_started)
        budget.record_call(finished - started)
        return response


def _service_of(client: ConnectClient) -> str:
    """The IAM prefix of a boto3 client's actions (``connect``, ``cloudformation``)."""
    meta = getattr(client, "meta", None)
    return str(meta.service_model.signing_name) if meta is not None else "connect"


def _out_of_time(
    operation: str, params: Mapping[str, Any], budget: Budget, *, attempt: int, last_code: str | None
) -> ConnectCallError:
    left = max(0.0, budget.ends_at - BACKOFF.clock())
    why = f"last answer {last_code}; " if last_code else ""
    kept = f", {budget.reserve:.0f} s of it kept to undo" if budget.reserve else ""
    message = (
        f"not enough time left ({why}{left:.0f} s before the Lambda timeout{kept}; "
        f"errors so far: {budget.describe_errors() or 'none'})"
    )
    known = CONNECT_ERRORS.get(last_code or "")
    error_class = known.error_class if known is not None else ErrorClass.RATE
    return ConnectCallError(operation, params, OUT_OF_TIME, message, attempt, error_class, out_of_time=True)


def paginate(
    client: ConnectClient,
    operation: str,
    items_key: str,
    log: Mapping[str, object],
    budget: Budget,
    *,
    retry_not_found: bool = False,
    resource: str | None = None,
    **params: Any,
) -> list[dict[str, Any]]:
    """Call a paginated `operation` through every ``NextToken`` page; return all ``items_key`` items.

    Raises `ConnectCallError` for a failed page, and for a token answered twice (code `REPEATED_NEXT_TOKEN`,
    not retried): the handlers then fail, or undo, as for any call that failed for good.
    """

    def fetch_page(page_params: dict[str, Any], page: int) -> dict[str, Any]:
        log_line = {**log, "page": page}
        return call(
            client, operation, log_line, budget, retry_not_found=retry_not_found, resource=resource, **page_params
        )

    try:
        items = collect_pages(operation, items_key, fetch_page, params)
    except RepeatedTokenError as error:
        raise ConnectCallError(operation, params, REPEATED_NEXT_TOKEN, str(error), 1, ErrorClass.OTHER) from error
    assert items is not None, "call() raises instead of answering None"
    return items


class RepeatedTokenError(RuntimeError):
    """A paginated operation answered a ``NextToken`` it had answered before: following it would never end."""

    def __init__(self, operation: str, token: str, page: int):
        super().__init__(f"{operation} returned NextToken {token!r} twice (page {page}): refusing to loop forever")


def collect_pages(
    operation: str,
    items_key: str,
    fetch_page: Callable[[dict[str, Any], int], Mapping[str, Any] | None],
    params: Mapping[str, Any],
) -> list[Any] | None:
    """Every ``items_key`` item of a paginated `operation`, following ``NextToken`` to the last page.

    ``fetch_page(params, page_number)`` makes one call; when it answers None (a resource gone meanwhile),
    so does this. A token seen twice raises `RepeatedTokenError` (a RuntimeError) instead of looping forever.
    Shared by the handlers and the command line's instance reader.
    """
    items: list[Any] = []
    seen_tokens: set[str] = set()
    page_params = dict(params)
    page = 1
    while True:
        response = fetch_page(page_params, page)
        if response is None:
            return None
        items.extend(response.get(items_key, []))
        token = response.get("NextToken")
        if not token:
            return items
        if token in seen_tokens:
            raise RepeatedTokenError(operation, token, page)
        seen_tokens.add(token)
        page_params = {**page_params, "NextToken": token}
        page += 1


def pages_for(count: int, page_size: int) -> int:
    """Pages a list of `count` items takes at `page_size` per page (one even when empty)."""
    return max(1, math.ceil(count / page_size))


def classify(error: ClientError | BotoCoreError) -> tuple[str, str, ErrorClass]:
    """Return (error code, message, class) of a failed attempt.

    A code of `CONNECT_ERRORS` has the class the model documents; any other code is classed by its HTTP
    status: a 5xx is a service error (retried), anything else is not retried. The message is Connect's, with
    the ``Reason`` the model gives ``InvalidRequestException`` when Connect sends one.
    """
    if isinstance(error, BotoCoreError):
        # With botocore's own retries off, a dropped connection or read timeout surfaces here.
        transient = isinstance(error, TransportError | HTTPClientError)
        return type(error).__name__, str(error), ErrorClass.TRANSPORT if transient else ErrorClass.OTHER
    details = error.response.get("Error", {})
    code = str(details.get("Code", "Unknown"))
    message = str(details.get("Message", error))
    reason = error.response.get("Reason")
    if reason:
        message = f"{message} (reason: {json.dumps(reason, default=str)})"
    if code in CONNECT_ERRORS:
        return code, message, CONNECT_ERRORS[code].error_class
    if code in STACK_ERROR_CLASSES:
        return code, message, STACK_ERROR_CLASSES[code]
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    return code, message, ErrorClass.SERVER if status >= 500 else ErrorClass.OTHER


def log_note(event: str, details: Mapping[str, object]) -> None:
    """Print one JSON line about a decision that made no Connect call."""
    print(json.dumps({"event": event, **details}, default=str), flush=True)


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
