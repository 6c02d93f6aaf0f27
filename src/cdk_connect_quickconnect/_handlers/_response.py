"""CloudFormation's custom-resource response protocol, spoken by the handler itself (no Provider framework).

CloudFormation invokes the function asynchronously with an event holding a presigned S3 ``ResponseURL`` and
waits, up to the resource's ``ServiceTimeout``, for one JSON answer PUT there: ``Status`` (``SUCCESS`` or
``FAILED``), ``Reason``, ``PhysicalResourceId``, ``StackId``, ``RequestId``, ``LogicalResourceId``, ``Data``;
at most 4,096 bytes in all (CloudFormation's documented limit).

`Responder` sends that answer exactly once per invocation, whoever asks first: the request when it ends
(success or exception), or the `Watchdog`, just before the Lambda timeout, if the request has not answered by
then. An upload that fails on the way (a dropped connection, S3 answering 5xx or 429) is tried again with
full-jitter backoff inside the time left; a 4xx (the URL expired or was refused) is final.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from . import _connect

RESPONSE_LIMIT_BYTES = 4096
"""The largest response body CloudFormation accepts."""
PUT_TIMEOUT_SECONDS = 3.0
"""The longest one upload attempt may take (connect and read)."""
WATCHDOG_LEAD_SECONDS = 4.0
"""How long before the Lambda timeout the watchdog answers FAILED for a request that has not answered yet:
one upload attempt, and a second to spare."""
CREATE_FAILED_ID = "cdk-connect-quickconnect:create-failed"
"""The physical id of a resource whose Create failed: it owns nothing, so its rollback Delete does nothing."""

Put = Callable[[str, bytes], int]
"""Uploads a body to a URL with HTTP PUT and returns the status code (raises on a transport failure)."""
Timer = Callable[[float, Callable[[], None]], Callable[[], None]]
"""Runs an action after some seconds, on its own thread; returns a function that cancels it."""


def http_put(url: str, body: bytes) -> int:
    """PUT `body` to a presigned S3 URL as CloudFormation expects it: no content type."""
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))}
    )
    try:
        with urllib.request.urlopen(request, timeout=PUT_TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def thread_timer(seconds: float, action: Callable[[], None]) -> Callable[[], None]:
    """A daemon `threading.Timer`: it never keeps the Lambda runtime from returning."""
    timer = threading.Timer(max(0.0, seconds), action)
    timer.daemon = True
    timer.start()
    return timer.cancel


class FailureId:
    """The physical id a FAILED answer gives, as the request learns it (a Lambda environment runs one at a time).

    A Create that has read its queue knows which of its quick connects were there before it; should it then be
    killed, the watchdog answers with an id naming them, and CloudFormation's rollback Delete removes the rest.
    """

    value: str | None = None

    @classmethod
    def learn(cls, physical_id: str | None) -> None:
        cls.value = physical_id

    @classmethod
    def forget(cls) -> None:
        cls.value = None


PUT: Put = http_put
"""How answers are uploaded; tests point ``ResponseURL`` at a real local HTTP server instead of S3."""
TIMER: Timer = thread_timer
"""How the watchdog waits; tests replace it with one on their virtual clock."""


class Responder:
    """The one answer of one request to CloudFormation."""

    def __init__(self, event: Mapping[str, Any], log_stream: str | None) -> None:
        self._event = event
        self._log_stream = log_stream
        self._lock = threading.Lock()
        self.answered: str | None = None
        """The status sent (or being sent), once a first answer has started."""

    def succeed(self, physical_id: str, data: Mapping[str, str], deadline: float) -> bool:
        """Answer SUCCESS, unless the request has answered already; return whether this call answered."""
        return self._answer("SUCCESS", self._where_logged(), physical_id, data, deadline)

    def fail(self, reason: str, physical_id: str, deadline: float) -> bool:
        """Answer FAILED with `reason`, unless the request has answered already; return whether this call answered."""
        return self._answer("FAILED", f"{reason} ({self._where_logged()})", physical_id, {}, deadline)

    def _where_logged(self) -> str:
        stream = self._log_stream or "the function's log group"
        return f"See the details in CloudWatch Log Stream: {stream}"

    def _answer(self, status: str, reason: str, physical_id: str, data: Mapping[str, str], deadline: float) -> bool:
        with self._lock:
            if self.answered is not None:
                return False
            self.answered = status
        body = encode_response(self._event, status, reason, physical_id, data)
        _upload(str(self._event["ResponseURL"]), body, deadline)
        return True


def encode_response(
    event: Mapping[str, Any], status: str, reason: str, physical_id: str, data: Mapping[str, str]
) -> bytes:
    """The response body; a reason too long for 4,096 bytes is cut, saying so."""
    response = {
        "Status": status,
        "Reason": reason,
        "PhysicalResourceId": physical_id,
        "StackId": event.get("StackId"),
        "RequestId": event.get("RequestId"),
        "LogicalResourceId": event.get("LogicalResourceId"),
        "NoEcho": False,
        "Data": dict(data),
    }
    body = json.dumps(response).encode()
    marker = " ... (cut to fit CloudFormation's 4,096-byte response; the log has it all)"
    while len(body) > RESPONSE_LIMIT_BYTES and reason:
        # JSON escaping may take several bytes per character: cut by the excess until it fits.
        reason = reason[: max(0, len(reason) - (len(body) - RESPONSE_LIMIT_BYTES) - len(marker))]
        response["Reason"] = reason + marker
        body = json.dumps(response).encode()
    return body


def _upload(url: str, body: bytes, deadline: float) -> None:
    """PUT `body`, trying again on transport failures, 5xx and 429 while an attempt still fits before `deadline`."""
    policy = _connect.BACKOFF
    attempt = 1
    while True:
        started = policy.clock()
        try:
            status = PUT(url, body)
            outcome = str(status)
        except (OSError, urllib.error.URLError) as error:
            status, outcome = 0, type(error).__name__
        _connect.log_note(
            "response_upload",
            {
                "attempt": attempt,
                "outcome": outcome,
                "bytes": len(body),
                "duration_ms": round(1000 * (policy.clock() - started)),
            },
        )
        if 200 <= status < 300:
            return
        if status and status < 500 and status != 429:
            return  # refused for good (an expired or altered URL): nothing more can be done
        delay = policy.delay_before(attempt + 1)
        if policy.clock() + delay + PUT_TIMEOUT_SECONDS > deadline:
            return
        policy.sleep(delay)
        attempt += 1


class Watchdog:
    """Answers FAILED just before the Lambda timeout if the request has not answered by then."""

    def __init__(self, seconds: float, action: Callable[[], None]) -> None:
        self._cancel = TIMER(seconds, action)

    def cancel(self) -> None:
        self._cancel()
