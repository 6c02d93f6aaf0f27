"""The drawings are checked by real parsers: Graphviz renders the DOT, Mermaid's own parser reads the Mermaid."""

from __future__ import annotations

import re
from html import unescape

from cdk_connect_quickconnect.cli import _live
from cdk_connect_quickconnect.cli._model import (
    FLOW,
    PHONE_NUMBER,
    QUEUE,
    UNKNOWN,
    USER,
    MapQueue,
    MapQuickConnect,
    MapRoutingProfile,
    TransferMap,
    from_snapshot,
    keep_queues,
)
from cdk_connect_quickconnect.cli._render import layout, mermaid_size_warning, render_dot, render_mermaid
from tests.cli.checkers import parse_mermaid
from tests.cli.checkers import render_dot as dot_to_svg
from tests.cli.conftest import populate
from tests.handlers.fake_connect import FakeConnect

NASTY = 'Sales "EU" <priority> #1 %% \\ back\\slash & ünïcode'


def small_map(queue_name: str = "BasicQueue", qc_name: str = "mav2") -> TransferMap:
    quick_connects = {
        "qc-user": MapQuickConnect("qc-user", qc_name, USER, "mav2", "Default agent transfer"),
        "qc-queue": MapQuickConnect("qc-queue", "To basic", QUEUE, queue_name, "Default queue transfer", "q-basic"),
        "qc-phone": MapQuickConnect("qc-phone", "Hotline", PHONE_NUMBER, "+18005550100"),
        "qc-flow": MapQuickConnect("qc-flow", "Payment form", FLOW, "Collect payment"),
        "qc-odd": MapQuickConnect("qc-odd", "Odd one", UNKNOWN, "?"),
    }
    queues = (
        MapQueue("q-basic", queue_name, tuple(quick_connects), "looked up"),
        MapQueue("q-empty", "Empty", ()),
    )
    agents = tuple(f"agent{index}" for index in range(7))
    profiles = (MapRoutingProfile("rp", "Basic Routing Profile", ("q-basic", "q-empty"), agents),)
    return TransferMap("Seed walk-through", queues, quick_connects, profiles)


def svg_texts(svg: str) -> list[str]:
    return [unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_dot_renders_with_graphviz_and_shows_every_name() -> None:
    svg = dot_to_svg(render_dot(small_map()))

    texts = svg_texts(svg)
    for expected in ["mav2", "to agent", "Agent mav2", "+18005550100", "Flow Collect payment", "Queue BasicQueue"]:
        assert expected in texts
    assert "Default agent transfer" in texts  # the edge's label: the flow that runs the transfer
    assert "7 agents: agent0, agent1, agent2 + 4 more" in texts  # agents collapsed behind their profile
    assert svg.count('class="cluster"') == 2  # a box per queue


def test_dot_keeps_names_with_quotes_backslashes_and_markup_intact() -> None:
    svg = dot_to_svg(render_dot(small_map(queue_name=NASTY, qc_name=NASTY)))

    texts = svg_texts(svg)
    assert " ".join(NASTY.split()) in texts
    assert f"Queue {NASTY}" in texts


def test_mermaid_parses_with_the_real_parser() -> None:
    results = parse_mermaid(render_mermaid(small_map()), render_mermaid(small_map(queue_name=NASTY, qc_name=NASTY)))

    assert results == [{"ok": True, "type": "flowchart-v2"}] * 2


def test_the_mermaid_check_catches_a_broken_diagram() -> None:
    broken = render_mermaid(small_map()).replace('["mav2', '["mav2"', 1)

    (result,) = parse_mermaid(broken)

    assert result["ok"] is False
    assert "Parse error" in result["error"]


def test_mermaid_escapes_what_its_grammar_would_read() -> None:
    text = render_mermaid(small_map(queue_name=NASTY))

    assert "#quot;EU#quot; #lt;priority#gt; #35;1" in text
    assert NASTY not in text


def test_a_large_live_map_is_valid_in_both_formats(fake: FakeConnect, client: object, retry: _live.RetryPolicy) -> None:
    seeded = populate(fake, queues=120, quick_connects=100, users=200, routing_profiles=8)
    snapshot = _live.read_instance(client, seeded.instance.arn, agents=True, retry=retry)
    transfer_map = keep_queues(from_snapshot(snapshot), all_queues=False)

    svg = dot_to_svg(render_dot(transfer_map))
    mermaid = render_mermaid(transfer_map)

    shown = [queue for queue in seeded.queues if fake.associations(queue)]
    assert svg.count('class="cluster"') == len(shown)
    assert mermaid.count("subgraph ") == len(shown)
    assert parse_mermaid(mermaid, limits=False) == [{"ok": True, "type": "flowchart-v2"}]


def test_a_map_beyond_mermaids_limits_gets_a_warning_that_matches_mermaids_refusal(
    fake: FakeConnect, client: object, retry: _live.RetryPolicy
) -> None:
    seeded = populate(fake, queues=120, quick_connects=100, users=10, routing_profiles=8)
    transfer_map = keep_queues(
        from_snapshot(_live.read_instance(client, seeded.instance.arn, retry=retry)), all_queues=False
    )
    text = render_mermaid(transfer_map)

    warning = mermaid_size_warning(transfer_map, text)
    (refused,) = parse_mermaid(text)

    assert warning is not None and "Mermaid renders at most 500" in warning
    assert refused["ok"] is False and "Edge limit exceeded" in refused["error"]
    assert mermaid_size_warning(small_map(), render_mermaid(small_map())) is None


def test_empty_queues_are_left_out_and_counted_unless_asked() -> None:
    shown = keep_queues(small_map(), all_queues=False)
    everything = keep_queues(small_map(), all_queues=True)

    assert [queue.name for queue in shown.queues] == ["BasicQueue"]
    assert shown.routing_profiles[0].queues == ("q-basic",)
    assert "1 queue(s) without quick connects left out" in render_mermaid(shown)
    assert [queue.name for queue in everything.queues] == ["BasicQueue", "Empty"]


def test_a_queue_quick_connect_to_a_queue_on_the_map_points_at_that_queue() -> None:
    drawing = layout(small_map())

    edges = {(edge.source, edge.target, edge.label) for edge in drawing.edges}
    assert ("q0c1", "q0", "Default queue transfer") in edges
    assert not any(node.role == "queue_destination" for node in drawing.nodes)
