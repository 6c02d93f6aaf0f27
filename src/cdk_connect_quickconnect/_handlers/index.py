"""Lambda entry point (``_handlers.index.handler``): answers CloudFormation's custom-resource requests itself.

One function per stack serves every ``Custom::ConnectQueueQuickConnects`` and ``Custom::ConnectLookup`` of
it; CloudFormation invokes it directly (there is no Provider framework function in between) and it uploads
its one answer to the request's ``ResponseURL`` (`_response`): on success, on any exception, and, through a
watchdog, just before its own Lambda timeout. `on_event` is the request itself, without the protocol: it
returns ``{"PhysicalResourceId": ..., "Data": {...}}`` or raises.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import _connect, _response, association, lookup
from ._connect import CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS, Budget, ConnectClient, log_note
from ._stack import StackClient

Handler = Callable[[Mapping[str, Any], "Clients", Budget], dict[str, Any]]


@dataclass
class Clients:
    """The AWS clients a request may use; the CloudFormation one is created only if the request needs it."""

    connect: ConnectClient
    make_stack: Callable[[], StackClient]
    _stack: StackClient | None = None

    @property
    def stack(self) -> StackClient:
        """The client of the request's own stack (``ListStackResources``, ``DescribeStackResource``)."""
        if self._stack is None:
            self._stack = self.make_stack()
        return self._stack


#: Resource type -> handler.
HANDLERS: dict[str, Handler] = {
    association.RESOURCE_TYPE: lambda event, clients, budget: association.handle(
        event, clients.connect, budget, lambda: clients.stack
    ),
    lookup.RESOURCE_TYPE: lambda event, clients, budget: lookup.handle(event, clients.connect, budget),
}

_clients: dict[str, Any] = {}


def aws_client(service: str) -> Any:
    """Return this container's client of `service`, created on first use.

    botocore's own retries are off because ``_connect.call`` retries within the request's deadline; stacking
    both would multiply attempts. Timeouts are short so that a hung connection is retried, not waited on,
    and so that one attempt has a known longest duration the deadline can account for.
    """
    if service not in _clients:
        # Imported here: boto3 costs ~200 ms to import and a Delete of something gone may not need it.
        import boto3
        from botocore.config import Config

        config = Config(
            retries={"total_max_attempts": 1},
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=READ_TIMEOUT_SECONDS,
        )
        _clients[service] = boto3.client(service, config=config)
    return _clients[service]


def handler(event: dict[str, Any], context: object) -> None:
    """The function's entry point: run the request, then answer CloudFormation exactly once.

    The answer is uploaded before the request's deadline (``_connect.RETURN_MARGIN_SECONDS`` before the Lambda
    timeout); should the request still be running ``_response.WATCHDOG_LEAD_SECONDS`` before the timeout, the
    watchdog answers FAILED in its place. A late copy of a request CloudFormation no longer waits for (Lambda
    delivers an asynchronous invocation again after a killed run) changes nothing and answers nothing.
    """
    remaining = _remaining_seconds(context)
    clock = _connect.BACKOFF.clock
    timeout_at = clock() + remaining
    responder = _response.Responder(event, getattr(context, "log_stream_name", None))

    def answer_before_the_timeout() -> None:
        reason = (
            f"The handler did not finish {event.get('RequestType')} of {event.get('LogicalResourceId')} before its "
            f"Lambda timeout ({remaining:.0f} s): it stopped without undoing what it had changed (each change is a "
            "connect_call line of the log); a Create's rollback Delete removes what it added"
        )
        if responder.fail(reason, _response.FailureId.value or failure_physical_id(event), deadline=timeout_at):
            log_note("watchdog_answered", {"RequestId": event.get("RequestId")})

    _response.FailureId.forget()
    watchdog = _response.Watchdog(remaining - _response.WATCHDOG_LEAD_SECONDS, answer_before_the_timeout)
    answer_by = timeout_at - _response.WATCHDOG_LEAD_SECONDS
    try:
        result = on_event(event, context)
    except association.StaleRequestError as stale:
        log_note("stale_request", {"RequestId": event.get("RequestId"), "reason": str(stale)})
    except Exception as error:  # every failure is CloudFormation's FAILED, with its message
        print(json.dumps({"event": "request_failed", "traceback": traceback.format_exc()}), flush=True)
        physical_id = getattr(error, "physical_id", None) or failure_physical_id(event)
        responder.fail(f"{type(error).__name__}: {error}", physical_id, deadline=answer_by)
    else:
        responder.succeed(result["PhysicalResourceId"], result.get("Data", {}), deadline=answer_by)
    finally:
        watchdog.cancel()


def failure_physical_id(event: Mapping[str, Any]) -> str:
    """The physical id a FAILED answer gives: a failed Create made nothing; otherwise the resource's own."""
    if event.get("RequestType") == "Create" or not event.get("PhysicalResourceId"):
        return _response.CREATE_FAILED_ID
    return str(event["PhysicalResourceId"])


def on_event(
    event: dict[str, Any],
    context: object,
    *,
    client: ConnectClient | None = None,
    stack_client: StackClient | None = None,
) -> dict[str, Any]:
    """Handle one request; `client` and `stack_client` replace the Connect and CloudFormation clients (tests).

    Returns ``{"PhysicalResourceId": ..., "Data": {...}}`` or raises. The request's one deadline comes from
    ``context.get_remaining_time_in_millis()``.
    """
    budget = Budget.from_context(context)
    resource_type = event.get("ResourceType")
    handle = HANDLERS.get(str(resource_type))
    if handle is None:
        known = ", ".join(sorted(HANDLERS))
        raise ValueError(f"Unknown ResourceType {resource_type!r}: this function handles {known}")
    print(json.dumps(_request_summary(event)), flush=True)
    clients = Clients(
        connect=client if client is not None else aws_client("connect"),
        make_stack=(lambda: stack_client) if stack_client is not None else (lambda: aws_client("cloudformation")),
    )
    return handle(event, clients, budget)


def _remaining_seconds(context: object) -> float:
    remaining_ms = getattr(context, "get_remaining_time_in_millis", None)
    return remaining_ms() / 1000.0 if callable(remaining_ms) else _connect.DEFAULT_TIMEOUT_SECONDS


def _request_summary(event: Mapping[str, Any]) -> dict[str, object]:
    """What a log reader needs to find a request: its type, resource and ids (properties hold no secrets)."""
    return {
        "event": "request",
        "RequestType": event.get("RequestType"),
        "ResourceType": event.get("ResourceType"),
        "LogicalResourceId": event.get("LogicalResourceId"),
        "PhysicalResourceId": event.get("PhysicalResourceId"),
        "RequestId": event.get("RequestId"),
        "ResourceProperties": event.get("ResourceProperties"),
    }
