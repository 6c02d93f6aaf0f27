"""`map --instance-arn/--instance-alias` end to end: argparse, the live reader on the fake, the renderers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cdk_connect_quickconnect.cli import _live, main
from tests.cli.conftest import RATE_LIMIT, populate
from tests.handlers.fake_connect import FakeClock, FakeConnect


@pytest.fixture(autouse=True)
def wired(monkeypatch: pytest.MonkeyPatch, client: Any, retry: _live.RetryPolicy) -> None:
    """The command line gets the fake's client whatever Region or profile it asks for, and never sleeps."""
    made: list[dict[str, Any]] = []

    def make_client(**options: Any) -> Any:
        made.append(options)
        return client

    monkeypatch.setattr(_live, "make_client", make_client)
    monkeypatch.setattr(_live, "DEFAULT_RETRY", retry)


def seed_walkthrough(fake: FakeConnect) -> str:
    """The seed walk-through on an instance: three quick connects on BasicQueue, mav2 on a routing profile."""
    instance = fake.add_instance("walkthrough")
    basic = fake.add_queue(instance, "BasicQueue")
    profile = fake.add_routing_profile(instance, "Basic Routing Profile", [basic])
    mav2 = fake.add_user(instance, "mav2", routing_profile=profile)
    fake.add_user(instance, "mav1", routing_profile=profile)
    agent_flow = fake.add_contact_flow(instance, "Default agent transfer", "AGENT_TRANSFER")
    queue_flow = fake.add_contact_flow(instance, "Default queue transfer", "QUEUE_TRANSFER")
    quick_connects = [
        fake.add_quick_connect(instance, "mav2", "USER", user=mav2, contact_flow=agent_flow),
        fake.add_quick_connect(instance, "BasicQueue", "QUEUE", queue=basic, contact_flow=queue_flow),
        fake.add_quick_connect(instance, "Support hotline", "PHONE_NUMBER", phone_number="+18005550100"),
    ]
    fake.console_associate(basic, [qc.id for qc in quick_connects])
    return instance.arn


def test_draws_a_live_instance_as_mermaid(fake: FakeConnect, capsys: pytest.CaptureFixture[str]) -> None:
    arn = seed_walkthrough(fake)

    status = main(["map", "--instance-arn", arn, "--agents"])

    out = capsys.readouterr()
    assert status == 0
    assert out.err == ""
    assert out.out.startswith("flowchart LR\n")
    assert 'subgraph gq0["Queue BasicQueue"]' in out.out
    assert 'rp0(["Routing profile Basic Routing Profile<br/>2 agents: mav1, mav2"])' in out.out
    assert "rp0 --> q0" in out.out
    assert 'd0(("Agent mav2"))' in out.out
    assert 'q0c1 -->|"Default agent transfer"| d0' in out.out  # quick connects in name order: BasicQueue, mav2, ...
    assert 'q0c0 -->|"Default queue transfer"| q0' in out.out  # a queue on the map is pointed at, not repeated
    assert '{{"+18005550100"}}' in out.out


def test_resolves_the_alias_and_writes_dot_to_a_file(
    fake: FakeConnect, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_walkthrough(fake)
    target = tmp_path / "map.dot"

    status = main(["map", "--instance-alias", "walkthrough", "--format", "dot", "--output", str(target)])

    assert status == 0
    assert capsys.readouterr().out == ""
    text = target.read_text()
    assert text.startswith("digraph transfer_map {")
    assert 'label="Amazon Connect instance walkthrough"' in text


def test_large_throttled_instance_from_the_command_line(
    fake: FakeConnect, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded = populate(fake, queues=300, quick_connects=200, users=400, routing_profiles=10)
    fake.rate_limit = RATE_LIMIT

    status = main(["map", "--instance-arn", seeded.instance.arn, "--format", "json"])

    assert status == 0
    assert any(call.outcome == "ThrottlingException" for call in fake.calls)
    out = capsys.readouterr().out
    shown = sum(1 for queue in seeded.queues if fake.associations(queue))
    assert out.count('"origin": "instance"') == shown


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--instance-arn", "arn:aws:connect:us-east-1:123456789012:instance/0000dead"], "does not exist"),
        (["--instance-alias", "nowhere"], "no Amazon Connect instance with alias 'nowhere'"),
        (["--instance-arn", "arn:aws:s3:::bucket"], "is not an Amazon Connect instance ARN"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    fake: FakeConnect, arguments: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_walkthrough(fake)

    status = main(["map", *arguments])

    err = capsys.readouterr().err
    assert status == 2
    assert expected in err
    assert err.count("\n") == 1
    assert err.startswith("cdk-connect-quickconnect: error: ")
    assert "Traceback" not in err


def test_missing_permission_names_the_action(fake: FakeConnect, capsys: pytest.CaptureFixture[str]) -> None:
    arn = seed_walkthrough(fake)
    fake.fail_next("ListQueueQuickConnects", "AccessDeniedException", message="not authorized")

    status = main(["map", "--instance-arn", arn])

    err = capsys.readouterr().err
    assert status == 2
    assert "missing permission connect:ListQueueQuickConnects" in err
    assert err.count("\n") == 1


def test_debug_adds_the_traceback(fake: FakeConnect, capsys: pytest.CaptureFixture[str]) -> None:
    seed_walkthrough(fake)

    status = main(["map", "--instance-alias", "nowhere", "--debug"])

    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" in err
    assert err.rstrip().splitlines()[-1].startswith("cdk-connect-quickconnect: error: no Amazon Connect instance")
