from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import pytest

from cdk_connect_quickconnect._handlers import _connect
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
    added, removed = (frozenset(part for part in match[key].split(", ") if part) for key in ("added", "removed"))
    return added, removed


def no_sleep_backoff(clock: FakeClock) -> _connect.Backoff:
    """The production policy, except that sleeping advances a fake clock and the jitter is fixed at half."""
    return _connect.Backoff(sleep=clock.sleep, random=lambda: 0.5, clock=clock.monotonic)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Every handler test runs with a retry policy that never sleeps; the fixture records the would-be sleeps."""
    fake_clock = FakeClock()
    monkeypatch.setattr(_connect, "BACKOFF", no_sleep_backoff(fake_clock))
    return fake_clock


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
