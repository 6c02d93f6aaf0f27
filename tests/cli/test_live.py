"""The live reader against the stateful fake Connect API behind a real boto3 client."""

from __future__ import annotations

import io
from typing import Any

import pytest

from cdk_connect_quickconnect.cli import _live
from tests.cli.conftest import RATE_LIMIT, Seeded, populate
from tests.handlers.fake_connect import FakeClock, FakeConnect


def read(seeded: Seeded, client: Any, retry: _live.RetryPolicy, **options: Any) -> _live.InstanceSnapshot:
    return _live.read_instance(client, seeded.instance.arn, retry=retry, **options)


def expected_calls(seeded: Seeded, *, users: bool) -> int:
    fake = seeded.fake
    return _live.expected_api_calls(
        associations_per_queue=[len(fake.associations(queue)) for queue in seeded.queues],
        quick_connects_described=len(seeded.quick_connects),
        queues_per_routing_profile=[len(profile.queue_ids) for profile in fake.routing_profiles.values()],
        quick_connects=len(seeded.quick_connects),
        contact_flows=len(seeded.flows),
        users=len(seeded.users) if users else None,
    )


def test_reads_a_large_instance_exactly_through_paging_and_throttling(
    fake: FakeConnect, client: Any, retry: _live.RetryPolicy, clock: FakeClock
) -> None:
    seeded = populate(fake, queues=320, quick_connects=260, users=640, routing_profiles=14, crowded_queue_size=130)
    fake.rate_limit = RATE_LIMIT

    snapshot = read(seeded, client, retry, agents=True)

    assert {queue.id: set(queue.quick_connect_ids) for queue in snapshot.queues.values()} == {
        queue.id: set(fake.associations(queue)) for queue in seeded.queues
    }
    assert len(snapshot.queues[seeded.queues[0].id].quick_connect_ids) >= 130  # two pages of ListQueueQuickConnects
    for qc in seeded.quick_connects:
        live = snapshot.quick_connects[qc.id]
        assert (live.name, live.quick_connect_type, live.description) == (
            qc.name,
            qc.quick_connect_type,
            qc.description,
        )
        assert (live.user_id, live.queue_id, live.phone_number, live.contact_flow_id) == (
            qc.user_id,
            qc.queue_id,
            qc.phone_number,
            qc.contact_flow_id,
        )
    assert {profile.id: list(profile.queue_ids) for profile in snapshot.routing_profiles.values()} == {
        profile.id: profile.queue_ids for profile in fake.routing_profiles.values()
    }
    assert {user.id: user.routing_profile_id for user in snapshot.users.values()} == {
        user.id: user.routing_profile_id for user in seeded.users
    }
    assert all(queue.queue_type == "STANDARD" for queue in snapshot.queues.values())  # agent queues left out
    assert {flow.name for flow in snapshot.contact_flows.values()} == {flow.name for flow in seeded.flows}

    throttled = [call for call in fake.calls if call.outcome == "ThrottlingException"]
    assert throttled, "the rate limit should have throttled some calls"
    assert clock.now > 0
    assert all(call.outcome in {"ok", "ThrottlingException"} for call in fake.calls)
    assert snapshot.api_calls == len(fake.calls) - len(throttled) == expected_calls(seeded, users=True)


def test_only_reads(fake: FakeConnect, client: Any, retry: _live.RetryPolicy) -> None:
    seeded = populate(fake, queues=12, quick_connects=20, users=30, routing_profiles=3)

    read(seeded, client, retry, agents=True)

    assert fake.mutating_calls() == []
    assert {f"connect:{call.operation}" for call in fake.calls} <= set(_live.READ_ACTIONS)


def test_asks_for_the_largest_pages_and_follows_short_ones(
    fake: FakeConnect, client: Any, retry: _live.RetryPolicy
) -> None:
    seeded = populate(fake, queues=40, quick_connects=30, users=25, routing_profiles=4, crowded_queue_size=20)
    fake.max_page_size = 7  # Connect may answer fewer items than MaxResults

    snapshot = read(seeded, client, retry, agents=True)

    assert len(snapshot.queues) == 40
    assert len(snapshot.quick_connects) == 30
    assert len(snapshot.users) == 25
    assert len(snapshot.queues[seeded.queues[0].id].quick_connect_ids) >= 20
    list_queue_calls = fake.calls_to("ListQueues")
    assert len(list_queue_calls) == 6  # 40 queues + 1 agent queue filtered out by Connect, 7 a page
    assert all(call.params["MaxResults"] == 1000 for call in list_queue_calls)
    assert all(call.params["QueueTypes"] == ["STANDARD"] for call in list_queue_calls)
    assert all(call.params["MaxResults"] == 100 for call in fake.calls_to("ListQueueQuickConnects"))
    assert all(call.params["MaxResults"] == 500 for call in fake.calls_to("SearchUsers"))


def test_without_agents_reads_only_the_users_quick_connects_go_to(
    fake: FakeConnect, client: Any, retry: _live.RetryPolicy
) -> None:
    seeded = populate(fake, queues=10, quick_connects=8, users=50, routing_profiles=2)

    snapshot = read(seeded, client, retry)

    targeted = {qc.user_id for qc in seeded.quick_connects if qc.user_id}
    assert set(snapshot.users) == targeted
    assert not snapshot.agents_read
    assert snapshot.api_calls == expected_calls(seeded, users=True)


def test_without_user_quick_connects_or_agents_never_searches_users(
    fake: FakeConnect, client: Any, retry: _live.RetryPolicy
) -> None:
    instance = fake.add_instance("small")
    queue = fake.add_queue(instance, "BasicQueue")
    hotline = fake.add_quick_connect(instance, "Hotline", "PHONE_NUMBER", phone_number="+18005550100")
    fake.console_associate(queue, [hotline.id])

    snapshot = _live.read_instance(client, instance.arn, retry=retry)

    assert fake.calls_to("SearchUsers") == []
    assert snapshot.queues[queue.id].quick_connect_ids == (hotline.id,)
    assert snapshot.quick_connects[hotline.id].phone_number == "+18005550100"


def test_queue_names_limit_the_queues_and_the_quick_connects_described(
    fake: FakeConnect, client: Any, retry: _live.RetryPolicy
) -> None:
    seeded = populate(fake, queues=30, quick_connects=40, users=10, routing_profiles=2)
    chosen = seeded.queues[3]

    snapshot = read(seeded, client, retry, queue_names=[chosen.name])

    assert list(snapshot.queues) == [chosen.id]
    assert set(snapshot.quick_connects) == set(fake.associations(chosen))
    described = {call.params["QuickConnectId"] for call in fake.calls_to("DescribeQuickConnect")}
    assert described == set(fake.associations(chosen))


def test_fails_when_a_queue_name_is_unknown(fake: FakeConnect, client: Any, retry: _live.RetryPolicy) -> None:
    seeded = populate(fake, queues=3, quick_connects=2, users=1, routing_profiles=1)

    with pytest.raises(_live.LiveReadError, match=r"has no standard queue named 'Nope'"):
        read(seeded, client, retry, queue_names=["Queue 000", "Nope"])


def test_a_queue_deleted_while_reading_is_skipped(fake: FakeConnect, client: Any, retry: _live.RetryPolicy) -> None:
    seeded = populate(fake, queues=5, quick_connects=6, users=3, routing_profiles=1)
    doomed = seeded.queues[2]
    fake.run_before_next("ListQueueQuickConnects", lambda: fake.delete_queue(doomed))

    snapshot = read(seeded, client, retry)

    assert doomed.id not in snapshot.queues
    assert len(snapshot.queues) == 4


def test_fails_naming_the_denied_action(fake: FakeConnect, client: Any, retry: _live.RetryPolicy) -> None:
    seeded = populate(fake, queues=3, quick_connects=2, users=1, routing_profiles=1)
    fake.fail_next(
        "ListRoutingProfiles",
        "AccessDeniedException",
        message="User: arn:aws:iam::123456789012:user/ci is not authorized to perform: connect:ListRoutingProfiles",
    )

    with pytest.raises(_live.LiveReadError) as raised:
        read(seeded, client, retry)

    message = str(raised.value)
    assert message.startswith(f"missing permission connect:ListRoutingProfiles on instance {seeded.instance.id}")
    assert "\n" not in message


def test_fails_when_the_instance_does_not_exist(fake: FakeConnect, client: Any, retry: _live.RetryPolicy) -> None:
    missing = "arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-00000000dead"

    with pytest.raises(_live.LiveReadError, match=r"instance 00000000-0000-4000-8000-00000000dead does not exist"):
        _live.read_instance(client, missing, retry=retry)


def test_gives_up_on_throttling_after_the_attempt_budget(
    fake: FakeConnect, client: Any, retry: _live.RetryPolicy, clock: FakeClock
) -> None:
    seeded = populate(fake, queues=3, quick_connects=2, users=1, routing_profiles=1)
    fake.fail_next("ListQuickConnects", "ThrottlingException", times=retry.max_attempts)

    with pytest.raises(_live.LiveReadError, match=r"connect:ListQuickConnects still failing with ThrottlingException"):
        read(seeded, client, retry)

    assert len(fake.calls_to("ListQuickConnects")) == retry.max_attempts
    assert len(clock.sleeps) == retry.max_attempts - 1
    assert clock.sleeps == sorted(clock.sleeps)  # backoff grows (jitter fixed at half in tests)


def test_retries_server_errors_then_succeeds(fake: FakeConnect, client: Any, retry: _live.RetryPolicy) -> None:
    seeded = populate(fake, queues=3, quick_connects=2, users=1, routing_profiles=1)
    fake.fail_next("DescribeQuickConnect", "InternalServiceException", times=2)

    snapshot = read(seeded, client, retry)

    assert len(snapshot.quick_connects) == 2


def test_resolves_an_alias_through_every_page_of_instances(
    fake: FakeConnect, client: Any, retry: _live.RetryPolicy
) -> None:
    instances = [fake.add_instance(f"center-{index:02d}") for index in range(25)]

    assert _live.resolve_instance_arn(client, alias="center-23", retry=retry) == instances[23].arn
    assert len(fake.calls_to("ListInstances")) == 3  # 10 a page, the model's maximum


def test_fails_when_no_instance_has_the_alias(fake: FakeConnect, client: Any, retry: _live.RetryPolicy) -> None:
    fake.add_instance("center-a")

    with pytest.raises(_live.LiveReadError, match=r"no Amazon Connect instance with alias 'nope' in us-east-1"):
        _live.resolve_instance_arn(client, alias="nope", retry=retry)


@pytest.mark.parametrize(
    "bad_arn",
    [
        "not-an-arn",
        "arn:aws:connect:us-east-1:123456789012:instance/abc/queue/def",
        "arn:aws:sns:us-east-1:123456789012:instance/abc",
    ],
)
def test_fails_when_the_instance_arn_is_malformed(bad_arn: str) -> None:
    with pytest.raises(_live.LiveReadError, match=r"is not an Amazon Connect instance ARN"):
        _live.resolve_instance_arn(None, instance_arn=bad_arn)


def test_progress_bar_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(_live.progress_for(io.StringIO()), _live.SilentProgress)
    terminal = Terminal()
    bar = _live.progress_for(terminal)
    assert isinstance(bar, _live.BarProgress)
    bar.begin(4)
    bar.advance()
    bar.advance()
    assert terminal.getvalue().rstrip().endswith("2/4")
    assert "[" + "#" * 15 + "." * 15 + "]" in terminal.getvalue()


def test_progress_is_told_of_every_detail_read(fake: FakeConnect, client: Any, retry: _live.RetryPolicy) -> None:
    seeded = populate(fake, queues=6, quick_connects=5, users=2, routing_profiles=2)
    events: list[str] = []

    class Recorder:
        def begin(self, total: int) -> None:
            events.append(f"begin {total}")

        def advance(self) -> None:
            events.append("step")

        def end(self) -> None:
            events.append("end")

    read(seeded, client, retry, progress=Recorder())

    assert events == ["begin 13", *["step"] * 13, "end"]
