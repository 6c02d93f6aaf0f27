from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import pytest

from cdk_connect_quickconnect.cli import _live
from tests.handlers.fake_connect import ContactFlow, FakeClock, FakeConnect, Instance, Queue, QuickConnect, User

RATE_LIMIT = (2.0, 5)
"""Connect's historic default: 2 requests/s per operation, burst 5."""


@dataclass
class Seeded:
    """A fake instance and what was put in it."""

    fake: FakeConnect
    instance: Instance
    queues: list[Queue] = field(default_factory=list)
    quick_connects: list[QuickConnect] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    flows: list[ContactFlow] = field(default_factory=list)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def retry(clock: FakeClock) -> _live.RetryPolicy:
    """The production retry policy, sleeping on the fake clock with the jitter fixed at half."""
    return _live.RetryPolicy(sleep=clock.sleep, random=lambda: 0.5)


@pytest.fixture
def fake(clock: FakeClock) -> FakeConnect:
    return FakeConnect(clock=clock)


@pytest.fixture
def client(fake: FakeConnect) -> Any:
    return fake.client()


def populate(
    fake: FakeConnect,
    *,
    queues: int,
    quick_connects: int,
    users: int,
    routing_profiles: int,
    seed: int = 7,
    crowded_queue_size: int = 0,
) -> Seeded:
    """An instance with `queues` standard queues, `quick_connects` of every kind, users on routing profiles.

    Associations are drawn at random (seeded); the first queue gets `crowded_queue_size` quick connects, so a
    single queue's list needs more than one page. Every object's name is unique.
    """
    rng = random.Random(seed)
    instance = fake.add_instance("big-center")
    seeded = Seeded(fake, instance)
    seeded.flows = [
        fake.add_contact_flow(instance, "Default agent transfer", "AGENT_TRANSFER"),
        fake.add_contact_flow(instance, "Default queue transfer", "QUEUE_TRANSFER"),
        fake.add_contact_flow(instance, "Escalation", "CONTACT_FLOW"),
    ]
    seeded.queues = [fake.add_queue(instance, f"Queue {index:03d}") for index in range(queues)]
    fake.add_queue(instance, "agent queue of someone", queue_type="AGENT")
    profiles = [
        fake.add_routing_profile(instance, f"Profile {index:02d}", rng.sample(seeded.queues, k=min(3, queues)))
        for index in range(routing_profiles)
    ]
    seeded.users = [
        fake.add_user(instance, f"agent{index:04d}", routing_profile=rng.choice(profiles)) for index in range(users)
    ]
    agent_flow, queue_flow, escalation = seeded.flows
    for index in range(quick_connects):
        kind = ("USER", "QUEUE", "PHONE_NUMBER", "FLOW")[index % 4]
        options: dict[str, Any] = {
            "USER": {"user": rng.choice(seeded.users), "contact_flow": agent_flow},
            "QUEUE": {"queue": rng.choice(seeded.queues), "contact_flow": queue_flow},
            "PHONE_NUMBER": {"phone_number": f"+1800555{index:04d}"},
            "FLOW": {"contact_flow": escalation},
        }[kind]
        description = f"quick connect {index}" if index % 3 == 0 else None
        seeded.quick_connects.append(
            fake.add_quick_connect(instance, f"QC {index:03d}", kind, description=description, **options)
        )
    for queue in seeded.queues:
        chosen = rng.sample(seeded.quick_connects, k=rng.randint(0, min(8, quick_connects)))
        fake.console_associate(queue, [qc.id for qc in chosen])
    if crowded_queue_size:
        fake.console_associate(seeded.queues[0], [qc.id for qc in seeded.quick_connects[:crowded_queue_size]])
    return seeded
