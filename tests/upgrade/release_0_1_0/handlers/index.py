"""Lambda entry point (``_handlers.index.on_event``) for the aws-cdk ``custom_resources.Provider`` framework.

The framework calls ``on_event`` and reports to CloudFormation itself: a handler returns
``{"PhysicalResourceId": ..., "Data": {...}}`` or raises, and never posts to the response URL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from . import association, lookup
from ._connect import CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS, Budget, ConnectClient

Handler = Callable[[Mapping[str, Any], ConnectClient, Budget], dict[str, Any]]

#: Resource type -> handler.
HANDLERS: dict[str, Handler] = {
    association.RESOURCE_TYPE: association.handle,
    lookup.RESOURCE_TYPE: lookup.handle,
}

_client: ConnectClient | None = None


def connect_client() -> ConnectClient:
    """Return this container's Connect client, created on first use.

    botocore's own retries are off because ``_connect.call`` retries within the request's deadline; stacking
    both would multiply attempts. Timeouts are short so that a hung connection is retried, not waited on,
    and so that one attempt has a known longest duration the deadline can account for.
    """
    global _client
    if _client is None:
        # Imported here: boto3 costs ~200 ms to import and a Delete of something gone may not need it.
        import boto3
        from botocore.config import Config

        config = Config(
            retries={"total_max_attempts": 1},
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=READ_TIMEOUT_SECONDS,
        )
        _client = boto3.client("connect", config=config)
    return _client


def on_event(event: dict[str, Any], context: object, *, client: ConnectClient | None = None) -> dict[str, Any]:
    """Handle one Provider onEvent request; `client` replaces the Connect client (tests).

    The request's one deadline comes from ``context.get_remaining_time_in_millis()``.
    """
    budget = Budget.from_context(context)
    resource_type = event.get("ResourceType")
    handler = HANDLERS.get(str(resource_type))
    if handler is None:
        known = ", ".join(sorted(HANDLERS))
        raise ValueError(f"Unknown ResourceType {resource_type!r}: this function handles {known}")
    print(json.dumps(_request_summary(event)), flush=True)
    return handler(event, client if client is not None else connect_client(), budget)


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
