"""Drift between what the app declares and what a live instance has, in both directions.

- an association the app declares that the instance lacks (removed by hand, or never deployed);
- an association on a queue the app manages that no stack of the app lists (added by hand, or by another tool);
- a quick connect whose name, destination or flow differs from the app's, or that is missing.

Declared objects are matched to live ones by id when the app names an id (an ARN), otherwise by name
(what the app sets, or looks up). A declared quick connect no live one has the name of is matched, if
exactly one unclaimed live quick connect has the same kind, destination and flow, as renamed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ._assembly import Declared, DeclaredQuickConnect, Ref
from ._live import InstanceSnapshot, LiveQuickConnect
from ._model import FLOW, JSON_SCHEMA_VERSION, PHONE_NUMBER, QUEUE, USER

MISSING_QUEUE = "missing_queue"
MISSING_QUICK_CONNECT = "missing_quick_connect"
MISSING_ASSOCIATION = "missing_association"
EXTRA_ASSOCIATION = "extra_association"
DIFFERENT_NAME = "different_name"
DIFFERENT_KIND = "different_kind"
DIFFERENT_DESTINATION = "different_destination"
DIFFERENT_FLOW = "different_flow"


@dataclass(frozen=True)
class Finding:
    """One difference: where, what, and the two sides in words."""

    kind: str
    queue: str | None
    quick_connect: str | None
    app: str | None
    instance: str | None
    detail: str


@dataclass(frozen=True)
class DriftReport:
    """Every finding, sorted by queue then quick connect."""

    instance: str
    findings: tuple[Finding, ...]

    @property
    def in_sync(self) -> bool:
        """No finding at all."""
        return not self.findings


def diff(declared: Declared, snapshot: InstanceSnapshot) -> DriftReport:
    """Compare the app with the instance."""
    matcher = _Matcher(declared, snapshot)
    findings = matcher.quick_connect_findings() + matcher.association_findings()
    ordered = sorted(findings, key=lambda f: ((f.queue or "").casefold(), (f.quick_connect or "").casefold(), f.kind))
    return DriftReport(snapshot.alias or snapshot.instance_id, tuple(ordered))


def render_table(report: DriftReport) -> str:
    """A human-readable table; one line saying so when in sync."""
    if report.in_sync:
        return f"In sync: instance {report.instance} has every association and quick connect the app declares.\n"
    rows = [("QUEUE", "QUICK CONNECT", "DRIFT", "DETAIL")]
    rows.extend((f.queue or "-", f.quick_connect or "-", f.kind.replace("_", " "), f.detail) for f in report.findings)
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [f"Drift on instance {report.instance}: {len(report.findings)} finding(s)", ""]
    lines.extend(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
        for row in rows
    )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_json(report: DriftReport) -> str:
    """The report for tools, with the map's ``version`` and key convention (snake_case)."""
    data = {
        "version": JSON_SCHEMA_VERSION,
        "instance": report.instance,
        "in_sync": report.in_sync,
        "findings": [asdict(finding) for finding in report.findings],
    }
    return json.dumps(data, indent=2) + "\n"


class _Matcher:
    def __init__(self, declared: Declared, snapshot: InstanceSnapshot) -> None:
        self.declared = declared
        self.snapshot = snapshot
        self.live_by_declared: dict[str, LiveQuickConnect] = {}
        self._match_quick_connects()

    # ---- matching

    def live_queue(self, ref: Ref) -> str | None:
        """The live queue id `ref` names, or None."""
        if ref.id is not None:
            return ref.id if ref.id in self.snapshot.queues else None
        queue = self.snapshot.queue_named(ref.name) if ref.name else None
        return queue.id if queue else None

    def live_quick_connect(self, ref: Ref) -> LiveQuickConnect | None:
        if ref.key in self.live_by_declared:
            return self.live_by_declared[ref.key]
        if ref.id is not None:
            return self.snapshot.quick_connects.get(ref.id)
        return self.snapshot.quick_connect_named(ref.name) if ref.name else None

    def _match_quick_connects(self) -> None:
        unmatched = []
        for key, declared in self.declared.quick_connects.items():
            if not self.on_instance(declared.ref):
                continue
            live = self.live_quick_connect(declared.ref)
            if live is not None:
                self.live_by_declared[key] = live
            else:
                unmatched.append(declared)
        claimed = {live.id for live in self.live_by_declared.values()}
        for declared in unmatched:
            candidates = [
                live
                for live in self.snapshot.quick_connects.values()
                if live.id not in claimed and not self._config_differences(declared, live)
            ]
            if len(candidates) == 1:
                self.live_by_declared[declared.ref.key] = candidates[0]
                claimed.add(candidates[0].id)

    # ---- findings

    def on_instance(self, ref: Ref) -> bool:
        """Whether `ref` is on the instance compared (unknown instances are given the benefit of the doubt)."""
        known = {self.snapshot.instance_arn, f"alias:{self.snapshot.alias}"}
        return ref.instance is None or ref.instance in known

    def quick_connect_findings(self) -> list[Finding]:
        findings = []
        for key, declared in self.declared.quick_connects.items():
            if not self.on_instance(declared.ref):
                continue
            name = declared.ref.label()
            live = self.live_by_declared.get(key)
            if live is None:
                findings.append(
                    Finding(MISSING_QUICK_CONNECT, None, name, name, None, "declared by the app, not on the instance")
                )
                continue
            if declared.ref.name is not None and live.name != declared.ref.name:
                detail = f"app names it {declared.ref.name!r}, the instance {live.name!r}"
                findings.append(Finding(DIFFERENT_NAME, None, name, declared.ref.name, live.name, detail))
            for kind, app_side, live_side in self._config_differences(declared, live):
                detail = f"app: {app_side}; instance: {live_side}"
                findings.append(Finding(kind, None, name, app_side, live_side, detail))
        return findings

    def association_findings(self) -> list[Finding]:
        findings = []
        for queue_key, listed in self.declared.associations.items():
            queue_ref = self.declared.queues[queue_key]
            if not self.on_instance(queue_ref):
                continue
            queue_id = self.live_queue(queue_ref)
            if queue_id is None:
                detail = "the app associates quick connects with it; the instance has no such standard queue"
                findings.append(Finding(MISSING_QUEUE, queue_ref.label(), None, queue_ref.label(), None, detail))
                continue
            live_queue = self.snapshot.queues[queue_id]
            expected: set[str] = set()
            for qc_ref in listed:
                live = self.live_quick_connect(qc_ref)
                label = self._declared_label(qc_ref)
                if live is None:
                    continue  # reported once as a missing quick connect
                expected.add(live.id)
                if live.id not in live_queue.quick_connect_ids:
                    detail = "declared by the app, not associated on the instance (removed by hand?)"
                    findings.append(Finding(MISSING_ASSOCIATION, live_queue.name, label, label, None, detail))
            for extra in sorted(set(live_queue.quick_connect_ids) - expected):
                live = self.snapshot.quick_connects.get(extra)
                label = live.name if live else extra
                detail = "associated on the instance, listed by no stack of the app (added by hand?)"
                findings.append(Finding(EXTRA_ASSOCIATION, live_queue.name, label, None, label, detail))
        return findings

    def _declared_label(self, ref: Ref) -> str:
        declared = self.declared.quick_connects.get(ref.key)
        return declared.ref.label() if declared else ref.label()

    # ---- configuration

    def _config_differences(self, declared: DeclaredQuickConnect, live: LiveQuickConnect) -> list[tuple[str, str, str]]:
        """(finding kind, app side, instance side) for each of kind, destination and flow that differ."""
        if declared.quick_connect_type != live.quick_connect_type:
            return [(DIFFERENT_KIND, declared.quick_connect_type, live.quick_connect_type)]
        differences = []
        destination = declared.destination
        if live.quick_connect_type == PHONE_NUMBER:
            if isinstance(destination, str) and destination != live.phone_number:
                differences.append((DIFFERENT_DESTINATION, destination, str(live.phone_number)))
        elif isinstance(destination, Ref):
            live_id = {USER: live.user_id, QUEUE: live.queue_id, FLOW: live.contact_flow_id}.get(
                live.quick_connect_type
            )
            if not self._same(destination, live_id, live.quick_connect_type):
                app_side = f"{_noun(live.quick_connect_type)} {destination.label()}"
                live_side = f"{_noun(live.quick_connect_type)} {self._live_label(live.quick_connect_type, live_id)}"
                differences.append((DIFFERENT_DESTINATION, app_side, live_side))
        flow_checked = declared.flow is not None and live.quick_connect_type in {USER, QUEUE}
        if flow_checked and declared.flow is not None and not self._same(declared.flow, live.contact_flow_id, FLOW):
            live_flow = self._live_label(FLOW, live.contact_flow_id)
            differences.append((DIFFERENT_FLOW, f"flow {declared.flow.label()}", f"flow {live_flow}"))
        return differences

    def _same(self, ref: Ref, live_id: str | None, kind: str) -> bool:
        """Whether `ref` names the live object `live_id`; True when the app's side is not known offline."""
        if ref.id is not None:
            return ref.id == live_id
        if ref.name is None:
            return True
        return self._live_label(kind, live_id) == ref.name

    def _live_label(self, kind: str, live_id: str | None) -> str:
        if live_id is None:
            return "none"
        if kind == USER:
            user = self.snapshot.users.get(live_id)
            return user.username if user else live_id
        if kind == QUEUE:
            queue = self.snapshot.queues.get(live_id)
            return queue.name if queue else live_id
        flow = self.snapshot.contact_flows.get(live_id)
        return flow.name if flow else live_id


def _noun(kind: str) -> str:
    return {USER: "agent", QUEUE: "queue", FLOW: "flow"}.get(kind, kind.lower())
