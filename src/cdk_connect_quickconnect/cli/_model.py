"""The transfer map as plain data: who (agents, through routing profiles) sees which quick connects, where they go.

Agents see the quick connects of the queues in their routing profile, so the map is
routing profile (with its agents) → queue → quick connect → destination, through a transfer flow.
Both sources, a cloud assembly and a live instance, are turned into this one model; the renderers and
the diff read only the model. Labels are names people know; ``key`` values only identify nodes: a construct path
for what the app creates (``Stack/Billing``), ``lookup:<instance>:<kind>:<name>`` for what it looks up by name, the
ARN for what it imports, the resource id for what a live instance has.

Where a transfer flow of the app sends the caller instead of the quick connect's destination (the queue is
closed, unstaffed, at capacity, or the transfer fails), the quick connect carries it as branches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ._live import InstanceSnapshot, LiveQuickConnect

USER = "USER"
QUEUE = "QUEUE"
PHONE_NUMBER = "PHONE_NUMBER"
FLOW = "FLOW"
UNKNOWN = "UNKNOWN"
"""A quick connect whose kind the source does not say (e.g. a token the assembly cannot resolve)."""
DISCONNECT = "DISCONNECT"
"""A branch that ends the call."""

JSON_SCHEMA_VERSION = 1
"""The ``version`` of ``map --format json`` (and ``--diff --format json``); raised when a key changes or goes."""


@dataclass(frozen=True)
class MapBranch:
    """Where a transfer flow sends the caller under some conditions, instead of the quick connect's destination."""

    conditions: tuple[str, ...]
    """``closed``, ``unstaffed``, ``at_capacity``, ``error`` (and ``open`` for a flow that always goes elsewhere)."""
    kind: str
    """``QUEUE``, ``USER``, ``PHONE_NUMBER``, ``FLOW``, ``DISCONNECT`` or ``UNKNOWN``."""
    destination: str | None
    """The queue's name, the number, the flow's name; None for a disconnect or an unknown destination."""
    destination_queue: str | None = None
    """For a queue on the map: its key, so the edge can point at it."""


@dataclass(frozen=True)
class MapQuickConnect:
    """A quick connect: its name, kind, destination and the flow that runs the transfer."""

    key: str
    name: str
    kind: str
    """``USER``, ``QUEUE``, ``PHONE_NUMBER``, ``FLOW`` or ``UNKNOWN``."""
    destination: str
    """The agent's username, the queue's name, the phone number or the flow's name."""
    flow: str | None = None
    """The transfer flow's name (USER and QUEUE kinds); None for a phone number, or a FLOW (its destination)."""
    destination_queue: str | None = None
    """For a QUEUE quick connect whose queue is on the map: that queue's key, so the edge can point at it."""
    description: str | None = None
    branches: tuple[MapBranch, ...] = ()
    """Where the transfer flow sends the caller instead, by condition (only flows whose content the source has)."""


@dataclass(frozen=True)
class MapQueue:
    """A queue and the quick connects agents working it are offered."""

    key: str
    name: str
    quick_connects: tuple[str, ...]
    """Keys of `TransferMap.quick_connects`."""
    origin: str = "instance"
    """Where the queue comes from: ``owned`` (created by the app), ``imported``, ``looked up``, ``instance``."""


@dataclass(frozen=True)
class MapRoutingProfile:
    """A routing profile, the queues it serves and (collapsed behind it) its agents."""

    key: str
    name: str
    queues: tuple[str, ...]
    """Keys of the map's queues."""
    agents: tuple[str, ...] = ()
    """Usernames, sorted."""


@dataclass(frozen=True)
class TransferMap:
    """Everything a renderer draws; queues and profiles sorted by name so output is stable."""

    title: str
    queues: tuple[MapQueue, ...]
    quick_connects: Mapping[str, MapQuickConnect]
    routing_profiles: tuple[MapRoutingProfile, ...] = ()
    hidden_queues: int = 0
    """Queues left out because no quick connect is associated with them (``--all-queues`` keeps them)."""
    notes: tuple[str, ...] = field(default=())
    """Things the source could not say (unresolved values), shown as comments."""

    def to_json(self) -> dict[str, Any]:
        """The map as JSON-ready data, every key snake_case (the schema is in the README, *Transfer map*)."""
        return {
            "version": JSON_SCHEMA_VERSION,
            "title": self.title,
            "queues": [asdict(queue) for queue in self.queues],
            "quick_connects": [asdict(self.quick_connects[key]) for key in sorted(self.quick_connects)],
            "routing_profiles": [asdict(profile) for profile in self.routing_profiles],
            "hidden_queues": self.hidden_queues,
            "notes": list(self.notes),
        }


def keep_queues(transfer_map: TransferMap, *, all_queues: bool) -> TransferMap:
    """The map without queues that offer no quick connect (unless `all_queues`), and profiles left with none."""
    if all_queues:
        return transfer_map
    shown = tuple(queue for queue in transfer_map.queues if queue.quick_connects)
    keys = {queue.key for queue in shown}
    profiles = []
    for profile in transfer_map.routing_profiles:
        queues = tuple(key for key in profile.queues if key in keys)
        if queues:
            profiles.append(MapRoutingProfile(profile.key, profile.name, queues, profile.agents))
    return TransferMap(
        title=transfer_map.title,
        queues=shown,
        quick_connects=transfer_map.quick_connects,
        routing_profiles=tuple(profiles),
        hidden_queues=transfer_map.hidden_queues + len(transfer_map.queues) - len(shown),
        notes=transfer_map.notes,
    )


def from_snapshot(snapshot: InstanceSnapshot) -> TransferMap:
    """The map of a live instance: every standard queue, its quick connects, profiles and (if read) agents."""
    quick_connects = {qc.id: _live_quick_connect(snapshot, qc) for qc in snapshot.quick_connects.values()}

    def by_name(qc_id: str) -> tuple[str, str]:
        found = quick_connects.get(qc_id)
        return (found.name.casefold() if found else "", qc_id)

    queues = tuple(
        MapQueue(queue.id, queue.name, tuple(sorted(queue.quick_connect_ids, key=by_name)), "instance")
        for queue in sorted(snapshot.queues.values(), key=lambda queue: (queue.name, queue.id))
    )
    agents_by_profile: dict[str, list[str]] = {}
    for user in snapshot.users.values():
        if snapshot.agents_read and user.routing_profile_id is not None:
            agents_by_profile.setdefault(user.routing_profile_id, []).append(user.username)
    profiles = tuple(
        MapRoutingProfile(
            profile.id,
            profile.name,
            tuple(queue_id for queue_id in profile.queue_ids if queue_id in snapshot.queues),
            tuple(sorted(agents_by_profile.get(profile.id, []))),
        )
        for profile in sorted(snapshot.routing_profiles.values(), key=lambda profile: (profile.name, profile.id))
    )
    title = f"Amazon Connect instance {snapshot.alias or snapshot.instance_id}"
    return TransferMap(title, queues, quick_connects, profiles)


def _live_quick_connect(snapshot: InstanceSnapshot, qc: LiveQuickConnect) -> MapQuickConnect:
    flow = snapshot.contact_flows.get(qc.contact_flow_id or "")
    flow_name = flow.name if flow else qc.contact_flow_id
    kind, destination, via, queue_key = qc.quick_connect_type, "?", flow_name, None
    if kind == USER:
        user = snapshot.users.get(qc.user_id or "")
        destination = user.username if user else str(qc.user_id)
    elif kind == QUEUE:
        queue = snapshot.queues.get(qc.queue_id or "")
        destination = queue.name if queue else str(qc.queue_id)
        queue_key = queue.id if queue else None
    elif kind == PHONE_NUMBER:
        destination, via = str(qc.phone_number), None
    elif kind == FLOW:
        destination, via = str(flow_name), None
    else:
        kind, via = UNKNOWN, None
    return MapQuickConnect(qc.id, qc.name, kind, destination, via, queue_key, qc.description)
