from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import pytest

from cdk_connect_quickconnect._handlers import _connect, _response, index
from tests.handlers.fake_cloudformation import FakeCloudFormation, StackResourceRecord
from tests.handlers.fake_connect import FakeClock, FakeConnect

ASSOCIATION_TYPE = "Custom::ConnectQueueQuickConnects"
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/QuickConnects/5b8a1e90-8c11-11ef-9b39-0e8e6b1f5d9d"
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:QuickConnects-ProviderframeworkonEvent-AbC123"

MakeEvent = Callable[..., dict[str, Any]]

_LEFT_CHANGED = re.compile(
    r"Quick connects added and not removed again: \[(?P<added>[^\]]*)\]; "
    r"removed and not put back: \[(?P<removed>[^\]]*)\]; no other association was changed"
)


def left_changed(message: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The ids a failed undo's message names as (added and not removed again, removed and not put back)."""
    match = _LEFT_CHANGED.search(message)
    if match is None:
        return None
    added, removed = (
        frozenset(part for part in match[key].split(", ") if part and not part.startswith("and "))
        for key in ("added", "removed")
    )
    return added, removed


def no_sleep_backoff(clock: FakeClock) -> _connect.Backoff:
    """The production policy, except that sleeping advances a fake clock and the jitter is fixed at half."""
    return _connect.Backoff(sleep=clock.sleep, random=lambda: 0.5, clock=clock.monotonic)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Every handler test runs with a retry policy that never sleeps; the fixture records the would-be sleeps.

    The watchdog's timer runs on the same virtual clock, and no test may reach a real AWS client.
    """
    fake_clock = FakeClock()
    monkeypatch.setattr(_connect, "BACKOFF", no_sleep_backoff(fake_clock))
    monkeypatch.setattr(_response, "TIMER", fake_clock.call_later)

    def no_real_client(service: str) -> Any:
        raise AssertionError(f"a handler test reached a real {service} client: pass client= and stack_client=")

    monkeypatch.setattr(index, "aws_client", no_real_client)
    return fake_clock


REAL_AWS_CLIENT = index.aws_client
"""The handler's own client factory, for the one test that checks how it makes clients."""
WAITING_STATUS = {"Create": "CREATE_IN_PROGRESS", "Update": "UPDATE_IN_PROGRESS", "Delete": "DELETE_IN_PROGRESS"}


def record_in_progress(cloudformation: FakeCloudFormation, event: dict[str, Any]) -> None:
    """Put the event's resource in its stack as CloudFormation records it while it waits for this request.

    An association keeps a copy of what it lists in its Metadata (as the library's template does).
    """
    properties = event.get("ResourceProperties", {})
    metadata = None
    if event["ResourceType"] == ASSOCIATION_TYPE:
        metadata = {"cdk-connect-quickconnect:association": {"QuickConnectArns": properties.get("QuickConnectArns")}}
    cloudformation.put(
        event["StackId"],
        StackResourceRecord(
            event["LogicalResourceId"],
            event["ResourceType"],
            event.get("PhysicalResourceId"),
            WAITING_STATUS[event["RequestType"]],
            metadata,
        ),
    )


@pytest.fixture
def fake_cloudformation(clock: FakeClock) -> FakeCloudFormation:
    return FakeCloudFormation(clock=clock)


@pytest.fixture
def fake_connect() -> FakeConnect:
    return FakeConnect()


@pytest.fixture
def connect_client(fake_connect: FakeConnect) -> Any:
    return fake_connect.client()


@pytest.fixture
def make_event() -> MakeEvent:
    request_ids = random.Random(0)

    def make(
        request_type: str,
        properties: dict[str, Any],
        old_properties: dict[str, Any] | None = None,
        physical_id: str | None = None,
        resource_type: str = ASSOCIATION_TYPE,
        logical_id: str = "QueueQuickConnects",
    ) -> dict[str, Any]:
        """An onEvent payload as CloudFormation, relayed by the Provider framework, sends it."""
        request_id = f"{request_ids.getrandbits(32):08x}-7f1c-4c1e-9d1f-{request_ids.getrandbits(48):012x}"
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ServiceToken": SERVICE_TOKEN,
            "ResponseURL": "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?sig=1",
            "StackId": STACK_ID,
            "RequestId": request_id,
            "LogicalResourceId": logical_id,
            "ResourceType": resource_type,
            "ResourceProperties": {"ServiceToken": SERVICE_TOKEN, **properties},
        }
        if request_type == "Update":
            assert old_properties is not None, "CloudFormation always sends OldResourceProperties on Update"
            event["OldResourceProperties"] = {"ServiceToken": SERVICE_TOKEN, **old_properties}
        if request_type in {"Update", "Delete"}:
            assert physical_id is not None, "CloudFormation always sends PhysicalResourceId on Update and Delete"
            event["PhysicalResourceId"] = physical_id
        return event

    return make
