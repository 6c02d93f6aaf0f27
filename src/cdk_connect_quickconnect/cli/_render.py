"""Draw a `TransferMap` as Mermaid (renders in GitHub and GitLab Markdown) or Graphviz DOT.

Both formats come from one layout: a group (Mermaid subgraph, DOT cluster) per queue holding the queue and
the quick connects it offers; routing profiles outside, pointing at their queues, with their agents
collapsed into the profile's label; destinations (agents, queues, numbers, flows) shared by every quick
connect that goes there, the edge labelled with the transfer flow. A QUEUE quick connect to a queue that is
on the map points at that queue itself. Where a transfer flow of the app sends the caller elsewhere when the
queue is closed, unstaffed, at capacity or the transfer fails, a dashed edge from the quick connect, labelled
with those conditions, goes to that queue, number, flow or disconnect.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ._model import DISCONNECT, FLOW, PHONE_NUMBER, QUEUE, USER, MapBranch, TransferMap

AGENTS_NAMED = 3
"""Agents named in a routing profile's label before the rest are counted ("+ 12 more")."""

MERMAID_MAX_EDGES = 500
"""Mermaid's default ``maxEdges``: a bigger flowchart does not render (GitHub keeps the default)."""
MERMAID_MAX_TEXT = 50_000
"""Mermaid's default ``maxTextSize`` in characters."""

_KIND_WORDS = {USER: "to agent", QUEUE: "to queue", PHONE_NUMBER: "to number", FLOW: "to flow"}
_CONDITION_WORDS = {"at_capacity": "at capacity"}


@dataclass(frozen=True)
class Node:
    """One box: its id, its label lines, and what it stands for (which decides its shape)."""

    id: str
    lines: tuple[str, ...]
    role: str
    """``profile``, ``queue``, ``quick_connect``, ``agent``, ``queue_destination``, ``number``, ``flow``,
    ``disconnect``, ``unknown``.

    The role decides the shape."""


@dataclass(frozen=True)
class Edge:
    """An arrow, labelled with the transfer flow where there is one; dashed for a flow's fallback branch."""

    source: str
    target: str
    label: str | None = None
    dashed: bool = False


@dataclass(frozen=True)
class Group:
    """A queue's box around the queue and its quick connects."""

    id: str
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


@dataclass
class Layout:
    """The drawing, independent of the output format."""

    title: str
    comments: list[str] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def edge_count(self) -> int:
        """Every arrow, inside groups or not."""
        return len(self.edges) + sum(len(group.edges) for group in self.groups)


def layout(transfer_map: TransferMap) -> Layout:
    """Place every profile, queue, quick connect and destination of `transfer_map`."""
    drawing = Layout(transfer_map.title, comments=list(transfer_map.notes))
    if transfer_map.hidden_queues:
        drawing.comments.append(
            f"{transfer_map.hidden_queues} queue(s) without quick connects left out (--all-queues shows them)"
        )
    queue_ids = {queue.key: f"q{index}" for index, queue in enumerate(transfer_map.queues)}
    destinations: dict[tuple[str, str], Node] = {}

    for index, profile in enumerate(transfer_map.routing_profiles):
        node_id = f"rp{index}"
        drawing.nodes.append(Node(node_id, _profile_lines(profile.name, profile.agents), "profile"))
        drawing.edges.extend(Edge(node_id, queue_ids[key]) for key in profile.queues if key in queue_ids)

    for queue in transfer_map.queues:
        queue_id = queue_ids[queue.key]
        origin = "" if queue.origin == "instance" else f" ({queue.origin})"
        nodes = [Node(queue_id, (f"{queue.name}{origin}",), "queue")]
        edges = []
        for position, qc_key in enumerate(queue.quick_connects):
            qc = transfer_map.quick_connects.get(qc_key)
            qc_id = f"{queue_id}c{position}"
            if qc is None:
                nodes.append(Node(qc_id, (qc_key, "not found"), "quick_connect"))
                edges.append(Edge(queue_id, qc_id))
                continue
            nodes.append(Node(qc_id, (qc.name, _KIND_WORDS.get(qc.kind, "unknown kind")), "quick_connect"))
            edges.append(Edge(queue_id, qc_id))
            if qc.kind == QUEUE and qc.destination_queue in queue_ids:
                target = queue_ids[str(qc.destination_queue)]
            else:
                target = _destination(destinations, qc.kind, qc.destination).id
            drawing.edges.append(Edge(qc_id, target, qc.flow))
            for branch in qc.branches:
                drawing.edges.append(_branch_edge(qc_id, branch, queue_ids, destinations))
        drawing.groups.append(Group(f"g{queue_id}", f"Queue {queue.name}", tuple(nodes), tuple(edges)))
    drawing.nodes.extend(destinations.values())
    return drawing


def render_mermaid(transfer_map: TransferMap) -> str:
    """The map as a Mermaid flowchart (left to right)."""
    drawing = layout(transfer_map)
    lines = ["flowchart LR", f"  %% {_mermaid_comment(drawing.title)}"]
    lines.extend(f"  %% {_mermaid_comment(comment)}" for comment in drawing.comments)
    lines.extend(f"  {_mermaid_node(node)}" for node in drawing.nodes)
    for group in drawing.groups:
        lines.append(f'  subgraph {group.id}["{_mermaid_text(group.title)}"]')
        lines.extend(f"    {_mermaid_node(node)}" for node in group.nodes)
        lines.extend(f"    {_mermaid_edge(edge)}" for edge in group.edges)
        lines.append("  end")
    lines.extend(f"  {_mermaid_edge(edge)}" for edge in drawing.edges)
    lines.extend(_MERMAID_CLASSES)
    return "\n".join(lines) + "\n"


def render_dot(transfer_map: TransferMap) -> str:
    """The map as a Graphviz digraph (``dot -Tsvg``)."""
    drawing = layout(transfer_map)
    lines = [
        "digraph transfer_map {",
        f"  graph [rankdir=LR, labelloc=t, fontname=Helvetica, label={_dot_string(drawing.title)}];",
        "  node [fontname=Helvetica, fontsize=11];",
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    lines.extend(f"  // {' '.join(comment.split())}" for comment in drawing.comments)
    lines.extend(f"  {_dot_node(node)}" for node in drawing.nodes)
    for group in drawing.groups:
        lines.append(f"  subgraph cluster_{group.id} {{")
        lines.append(f"    label={_dot_string(group.title)}; style=rounded; color=gray60;")
        lines.extend(f"    {_dot_node(node)}" for node in group.nodes)
        lines.extend(f"    {_dot_edge(edge)}" for edge in group.edges)
        lines.append("  }")
    lines.extend(f"  {_dot_edge(edge)}" for edge in drawing.edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_json(transfer_map: TransferMap) -> str:
    """The map's data as indented JSON."""
    return json.dumps(transfer_map.to_json(), indent=2, sort_keys=True) + "\n"


def mermaid_size_warning(transfer_map: TransferMap, text: str) -> str | None:
    """Why Mermaid (and GitHub) would refuse to render `text`, or None when it is within the defaults."""
    edges = layout(transfer_map).edge_count()
    if edges > MERMAID_MAX_EDGES:
        return f"the map has {edges} arrows; Mermaid renders at most {MERMAID_MAX_EDGES}: use --format dot or --queue"
    if len(text) > MERMAID_MAX_TEXT:
        return f"the map is {len(text)} characters; Mermaid renders at most {MERMAID_MAX_TEXT}: use --format dot"
    return None


# ---- shared -----------------------------------------------------------------------------------------------------


def _profile_lines(name: str, agents: tuple[str, ...]) -> tuple[str, ...]:
    if not agents:
        return (f"Routing profile {name}",)
    named = ", ".join(agents[:AGENTS_NAMED])
    more = f" + {len(agents) - AGENTS_NAMED} more" if len(agents) > AGENTS_NAMED else ""
    word = "agent" if len(agents) == 1 else "agents"
    return (f"Routing profile {name}", f"{len(agents)} {word}: {named}{more}")


def _branch_edge(
    qc_id: str, branch: MapBranch, queue_ids: dict[str, str], destinations: dict[tuple[str, str], Node]
) -> Edge:
    """The dashed edge of a fallback branch, labelled with its conditions."""
    if branch.kind == QUEUE and branch.destination_queue in queue_ids:
        target = queue_ids[str(branch.destination_queue)]
    else:
        target = _destination(destinations, branch.kind, branch.destination or "?").id
    label = ", ".join(_CONDITION_WORDS.get(condition, condition) for condition in branch.conditions)
    return Edge(qc_id, target, label, dashed=True)


def _destination(destinations: dict[tuple[str, str], Node], kind: str, name: str) -> Node:
    key = (kind, name)
    if key not in destinations:
        role, label = {
            USER: ("agent", f"Agent {name}"),
            QUEUE: ("queue_destination", f"Queue {name}"),
            PHONE_NUMBER: ("number", name),
            FLOW: ("flow", f"Flow {name}"),
            DISCONNECT: ("disconnect", "Disconnect"),
        }.get(kind, ("unknown", name))
        destinations[key] = Node(f"d{len(destinations)}", (label,), role)
    return destinations[key]


# ---- Mermaid ----------------------------------------------------------------------------------------------------

_MERMAID_SHAPES = {
    "profile": ('(["', '"])'),
    "queue": ('[["', '"]]'),
    "quick_connect": ('["', '"]'),
    "agent": ('(("', '"))'),
    "queue_destination": ('[["', '"]]'),
    "number": ('{{"', '"}}'),
    "flow": ('[/"', '"/]'),
    "disconnect": ('>"', '"]'),
    "unknown": ('["', '"]'),
}

_MERMAID_CLASSES = [
    "  classDef profile fill:#eef3ff,stroke:#5b7bd5",
    "  classDef queue fill:#fff7e0,stroke:#c99a2e",
    "  classDef destination fill:#eefaf0,stroke:#4c9a5f",
]


def _mermaid_node(node: Node) -> str:
    opening, closing = _MERMAID_SHAPES[node.role]
    label = "<br/>".join(_mermaid_text(line) for line in node.lines)
    css = {"profile": "profile", "queue": "queue", "quick_connect": None}.get(node.role, "destination")
    suffix = f":::{css}" if css else ""
    return f"{node.id}{opening}{label}{closing}{suffix}"


def _mermaid_edge(edge: Edge) -> str:
    arrow = "-.->" if edge.dashed else "-->"
    if edge.label:
        return f'{edge.source} {arrow}|"{_mermaid_text(edge.label)}"| {edge.target}'
    return f"{edge.source} {arrow} {edge.target}"


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for the characters Mermaid would read."""
    text = " ".join(text.split())
    for raw, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(raw, code)
    return text


def _mermaid_comment(text: str) -> str:
    return " ".join(text.split()).replace("%%", "%")


# ---- DOT --------------------------------------------------------------------------------------------------------

_DOT_SHAPES = {
    "profile": 'shape=box, style="rounded,filled", fillcolor="#eef3ff"',
    "queue": 'shape=folder, style=filled, fillcolor="#fff7e0"',
    "quick_connect": "shape=box",
    "agent": 'shape=ellipse, style=filled, fillcolor="#eefaf0"',
    "queue_destination": 'shape=folder, style=filled, fillcolor="#eefaf0"',
    "number": 'shape=hexagon, style=filled, fillcolor="#eefaf0"',
    "flow": 'shape=parallelogram, style=filled, fillcolor="#eefaf0"',
    "disconnect": 'shape=octagon, style=filled, fillcolor="#fdecea"',
    "unknown": "shape=box, style=dashed",
}


def _dot_node(node: Node) -> str:
    label = _dot_string("\n".join(node.lines))
    return f"{node.id} [label={label}, {_DOT_SHAPES[node.role]}];"


def _dot_edge(edge: Edge) -> str:
    attributes = [f"label={_dot_string(edge.label)}"] if edge.label else []
    if edge.dashed:
        attributes.append("style=dashed")
    shown = f" [{', '.join(attributes)}]" if attributes else ""
    return f"{edge.source} -> {edge.target}{shown};"


def _dot_string(text: str) -> str:
    """A DOT quoted string; each line break becomes DOT's escaped newline."""
    lines = [" ".join(line.split()).replace("\\", "\\\\").replace('"', '\\"') for line in text.split("\n")]
    return '"' + "\\n".join(lines) + '"'
