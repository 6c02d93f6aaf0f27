"""Read what an app declares from its synthesized cloud assembly (``cdk.out``): every stack, nested stages too.

Found in the templates: ``AWS::Connect::QuickConnect``, ``Custom::ConnectQueueQuickConnects`` (this
library's association), ``AWS::Connect::Queue`` (with ``QuickConnectArns`` it owns the queue's whole set),
``Custom::ConnectLookup`` (queues, users, flows and instances looked up by name), ``AWS::Connect::ContactFlow``,
``AWS::Connect::RoutingProfile`` and ``AWS::Connect::User``. References (``Ref``, ``Fn::GetAtt``, ``Fn::Join``,
``Fn::Select``/``Fn::Split``, ``Fn::Sub`` without variables, ``Fn::ImportValue`` of another stack's export)
are followed where the assembly holds the answer; what stays unknown is shown as such, never guessed.

Each Connect object gets an identity that is the same wherever it is referenced: a resource of the app by its
construct path (``aws:cdk:path`` without ``/Resource``; stack and logical id when the template has no path
metadata), a lookup by (instance, kind, name), an import by ARN. So ``BasicQueue`` looked up by two stacks is one
queue on the map.

Transfer flows of the app (``AWS::Connect::ContactFlow`` of type ``AGENT_TRANSFER`` or ``QUEUE_TRANSFER``) are read
with their content, whether built by this library or given as raw flow-language JSON; references inside the
content (``Fn::Join`` of a queue's or flow's ARN) are resolved like any other. ``_flows`` follows them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _flows
from ._errors import CliError
from ._model import (
    DISCONNECT,
    FLOW,
    PHONE_NUMBER,
    QUEUE,
    UNKNOWN,
    USER,
    MapBranch,
    MapQueue,
    MapQuickConnect,
    MapRoutingProfile,
    TransferMap,
)

QUICK_CONNECT = "AWS::Connect::QuickConnect"
QUEUE_RESOURCE = "AWS::Connect::Queue"
CONTACT_FLOW = "AWS::Connect::ContactFlow"
ROUTING_PROFILE = "AWS::Connect::RoutingProfile"
USER_RESOURCE = "AWS::Connect::User"
ASSOCIATION = "Custom::ConnectQueueQuickConnects"
LOOKUP = "Custom::ConnectLookup"

_ARN_KINDS = {
    "queue": "queue",
    "agent": "user",
    "contact-flow": "contact-flow",
    "transfer-destination": "quick-connect",
}


class AssemblyError(CliError):
    """The directory is not a readable cloud assembly."""


@dataclass(frozen=True)
class Ref:
    """A Connect object as the app names it: its kind, and whatever is known of its name, id and instance.

    ``key`` is the identity used to merge references to one object across stacks.
    """

    kind: str
    """``queue``, ``user``, ``contact-flow``, ``quick-connect``, ``routing-profile`` or ``instance``."""
    key: str
    name: str | None = None
    id: str | None = None
    instance: str | None = None
    """The instance ARN or ``alias:<alias>``, when known."""
    origin: str = "owned"
    """``owned`` (a resource of the app), ``looked up`` (by name at deploy time) or ``imported`` (by ARN)."""

    def label(self) -> str:
        """The name people know, else the id, else the key."""
        return self.name or (f"{self.kind} {self.id}" if self.id else self.key)


@dataclass(frozen=True)
class DeclaredQuickConnect:
    """A quick connect the app creates, with its destination and flow as references."""

    ref: Ref
    quick_connect_type: str
    destination: Ref | str | None
    """A `Ref` (user, queue, flow), the phone number, or None when unknown."""
    flow: Ref | None
    description: str | None


@dataclass(frozen=True)
class DeclaredFlow:
    """A flow the app creates, with its flow-language content when the assembly holds it.

    References inside the content are replaced by what they resolve to: a `Ref`, a string, or None (unknown).
    """

    ref: Ref
    flow_type: str | None
    content: dict[str, Any] | None


@dataclass
class Declared:
    """Everything the assembly declares about call transfer."""

    quick_connects: dict[str, DeclaredQuickConnect] = field(default_factory=dict)
    """By the quick connect's key."""
    associations: dict[str, list[Ref]] = field(default_factory=dict)
    """By the queue's key: every quick connect the app associates with it (all stacks together)."""
    queues: dict[str, Ref] = field(default_factory=dict)
    owned_queues: set[str] = field(default_factory=set)
    """Queues whose whole set of quick connects the app owns (``AWS::Connect::Queue.QuickConnectArns``)."""
    routing_profiles: dict[str, tuple[Ref, list[str]]] = field(default_factory=dict)
    """By the profile's key: the profile and its queues' keys."""
    agents: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """By the user's key: username and routing profile key."""
    instances: set[str] = field(default_factory=set)
    """The instances the app's Connect resources name (ARNs or ``alias:<alias>``)."""
    flows: dict[str, DeclaredFlow] = field(default_factory=dict)
    """By the flow's key: every ``AWS::Connect::ContactFlow`` of the app."""
    stacks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Stack:
    name: str
    template: dict[str, Any]
    environment: str = ""
    """The manifest's ``aws://<account>/<region>`` (``unknown-account`` / ``unknown-region`` when agnostic)."""

    @property
    def region(self) -> str | None:
        """The stack's Region, None for an environment-agnostic stack."""
        region = self.environment.rpartition("/")[2]
        return None if not region or region.startswith("unknown-") else region

    @property
    def resources(self) -> dict[str, Any]:
        resources: dict[str, Any] = self.template.get("Resources") or {}
        return resources


class _Unknown:
    """A value the assembly cannot tell (a pseudo parameter, a deploy-time attribute)."""

    def __repr__(self) -> str:
        return "<unknown>"


UNRESOLVED = _Unknown()


def find_assembly(directory: Path) -> Path:
    """The cloud assembly `directory` names: itself, or the output of the CDK app in it.

    The app's output is ``cdk.json``'s ``output``, else ``cdk.out``, so that ``map .`` works in an app's
    directory. Raises `AssemblyError` when there is none.
    """
    if not directory.is_dir():
        raise AssemblyError(f"{directory} is not a directory (expected a cloud assembly such as cdk.out)")
    if (directory / "manifest.json").is_file():
        return directory
    candidates = [directory / _output_of_app(directory), directory / "cdk.out"]
    found = next((candidate for candidate in candidates if (candidate / "manifest.json").is_file()), None)
    if found is None:
        raise AssemblyError(
            f"{directory} is not a cloud assembly: it has no manifest.json, and no {candidates[0].name}/manifest.json "
            "(run 'cdk synth' first)"
        )
    return found


def _output_of_app(directory: Path) -> str:
    """Where the CDK app in `directory` synthesizes to: ``cdk.json``'s ``output``, else ``cdk.out``."""
    try:
        settings = json.loads((directory / "cdk.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "cdk.out"
    output = settings.get("output") if isinstance(settings, dict) else None
    return output if isinstance(output, str) and output else "cdk.out"


def read_assembly(directory: Path) -> Declared:
    """Read every stack of the cloud assembly in `directory` (or the app's, see `find_assembly`).

    Raises `AssemblyError` for anything else.
    """
    stacks = list(_stacks(find_assembly(directory)))
    if not stacks:
        raise AssemblyError(f"{directory} is a cloud assembly without stacks")
    return _Reader(stacks).read()


@dataclass(frozen=True)
class DeclaredLookup:
    """A ``Custom::ConnectLookup`` of the app: what it finds by name, and in which instance."""

    stack: str
    logical_id: str
    kind: str
    """``queue``, ``user``, ``contact-flow`` or ``instance``."""
    name: str
    flow_type: str | None
    """The flow type searched (``contact-flow`` only)."""
    instance_arn: str | None
    """The instance searched, when the template gives its ARN."""
    instance_alias: str | None
    """The instance searched, when it is itself looked up by alias (for ``instance``: the alias looked up)."""
    region: str | None
    """The stack's Region (None for an environment-agnostic stack)."""


def read_lookups(directory: Path) -> list[DeclaredLookup]:
    """Every lookup of the cloud assembly in `directory`, in stack and template order.

    A lookup whose instance the template gives neither as an ARN nor as an instance lookup (a ``Ref`` to a
    parameter, say) has both ``instance_arn`` and ``instance_alias`` None. Raises `AssemblyError`.
    """
    stacks = list(_stacks(directory))
    if not stacks:
        raise AssemblyError(f"{directory} is a cloud assembly without stacks")
    found = []
    for stack in stacks:
        for logical_id, resource in stack.resources.items():
            if resource.get("Type") != LOOKUP:
                continue
            properties = resource.get("Properties") or {}
            kind, name = properties.get("Kind"), properties.get("Name")
            if not isinstance(kind, str) or not isinstance(name, str):
                continue
            flow_type = properties.get("ContactFlowType")
            instance_arn, instance_alias = _searched_instance(stack, properties.get("InstanceArn"))
            if kind == "instance":
                instance_alias = name
            found.append(
                DeclaredLookup(
                    stack.name,
                    logical_id,
                    kind,
                    name,
                    flow_type if isinstance(flow_type, str) else None,
                    instance_arn,
                    instance_alias,
                    stack.region,
                )
            )
    return found


def _searched_instance(stack: _Stack, value: Any) -> tuple[str | None, str | None]:
    """(ARN, alias) of the instance a lookup searches: a literal ARN, or ``Fn::GetAtt`` of an instance lookup."""
    if isinstance(value, str):
        return value, None
    target = value.get("Fn::GetAtt") if isinstance(value, dict) and len(value) == 1 else None
    if isinstance(target, str):
        target = target.split(".", 1)
    if isinstance(target, list) and len(target) == 2 and target[1] == "Arn":
        resource = stack.resources.get(str(target[0])) or {}
        properties = resource.get("Properties") or {}
        if resource.get("Type") == LOOKUP and properties.get("Kind") == "instance":
            alias = properties.get("Name")
            return None, alias if isinstance(alias, str) else None
    return None, None


@dataclass(frozen=True)
class Destination:
    """Where a call ends up, in the words of the map and the test helper."""

    kind: str
    """``USER``, ``QUEUE``, ``PHONE_NUMBER``, ``FLOW``, ``DISCONNECT`` or ``UNKNOWN``."""
    label: str | None
    """The username, queue name, number or flow name (an id when no name is known); None for a disconnect."""
    key: str | None = None
    """The identity of the queue, agent or flow, when the assembly names one."""


def transfer_flow(declared: Declared, qc: DeclaredQuickConnect) -> DeclaredFlow | None:
    """The app's flow (with content) that runs ``qc``'s transfer, or None (a looked-up or imported flow, no flow)."""
    if qc.flow is None or qc.quick_connect_type not in (USER, QUEUE):
        return None
    flow = declared.flows.get(qc.flow.key)
    return flow if flow is not None and flow.content is not None else None


def exit_destination(qc: DeclaredQuickConnect, exit: _flows.Exit) -> Destination:
    """Where ``exit`` (of ``qc``'s transfer flow) leaves the caller."""
    value = exit.value
    if exit.kind == _flows.TARGET:
        destination = qc.destination
        if isinstance(destination, Ref):
            return Destination(qc.quick_connect_type, destination.label(), destination.key)
        return Destination(qc.quick_connect_type, None)
    if exit.kind in (_flows.QUEUE, _flows.FLOW):
        kind = QUEUE if exit.kind == _flows.QUEUE else FLOW
        ref = _ref_from_arn(value, kind.lower()) if isinstance(value, str) else value
        if isinstance(ref, Ref):
            return Destination(kind, ref.label(), ref.key)
        return Destination(UNKNOWN, None)
    if exit.kind == _flows.PHONE_NUMBER:
        return Destination(PHONE_NUMBER, value) if isinstance(value, str) else Destination(UNKNOWN, None)
    if exit.kind == _flows.DISCONNECT:
        return Destination(DISCONNECT, None)
    return Destination(UNKNOWN, None)


def to_transfer_map(declared: Declared, title: str) -> TransferMap:
    """The map of what the app declares."""
    notes = list(declared.notes)
    quick_connects = {key: _map_quick_connect(declared, qc, notes) for key, qc in declared.quick_connects.items()}
    associated: set[str] = set()
    queues = []
    for queue_key, queue_ref in sorted(declared.queues.items(), key=lambda item: (item[1].label().casefold(), item[0])):
        listed = declared.associations.get(queue_key, [])
        keys = []
        for qc_ref in listed:
            if qc_ref.key not in quick_connects:
                quick_connects[qc_ref.key] = MapQuickConnect(qc_ref.key, qc_ref.label(), UNKNOWN, "?")
            keys.append(qc_ref.key)
        associated.update(keys)
        ordered = tuple(sorted(dict.fromkeys(keys), key=lambda key: (quick_connects[key].name.casefold(), key)))
        queues.append(MapQueue(queue_key, queue_ref.label(), ordered, queue_ref.origin))
    profiles = []
    agents_by_profile: dict[str, list[str]] = {}
    for username, profile_key in declared.agents.values():
        if profile_key is not None:
            agents_by_profile.setdefault(profile_key, []).append(username)
    for profile_key, (profile_ref, queue_keys) in sorted(declared.routing_profiles.items()):
        agents = tuple(sorted(agents_by_profile.get(profile_key, [])))
        profiles.append(MapRoutingProfile(profile_key, profile_ref.label(), tuple(queue_keys), agents))
    unoffered = sorted(quick_connects[key].name for key in declared.quick_connects if key not in associated)
    if unoffered:
        notes.append(f"quick connects on no queue (no agent sees them): {', '.join(unoffered)}")
    return TransferMap(title, tuple(queues), quick_connects, tuple(profiles), notes=tuple(notes))


# ---- the assembly's files -------------------------------------------------------------------------------------


def _stacks(directory: Path) -> Iterator[_Stack]:
    manifest_file = directory / "manifest.json"
    if not directory.is_dir():
        raise AssemblyError(f"{directory} is not a directory (expected a cloud assembly such as cdk.out)")
    if not manifest_file.is_file():
        raise AssemblyError(f"{directory} is not a cloud assembly: it has no manifest.json (run 'cdk synth' first)")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise AssemblyError(f"{manifest_file} is not readable JSON: {error}") from error
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        raise AssemblyError(f"{manifest_file} is not a cloud assembly manifest (no artifacts)")
    for artifact_id, artifact in artifacts.items():
        properties = artifact.get("properties") or {}
        if artifact.get("type") == "aws:cloudformation:stack":
            template_file = directory / properties.get("templateFile", f"{artifact_id}.template.json")
            try:
                template = json.loads(template_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise AssemblyError(f"cannot read the template of stack {artifact_id}: {error}") from error
            name = artifact.get("displayName") or properties.get("stackName") or artifact_id
            yield _Stack(name, template, str(artifact.get("environment") or ""))
        elif artifact.get("type") == "cdk:cloud-assembly" and "directoryName" in properties:
            yield from _stacks(directory / properties["directoryName"])


# ---- resolving references --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Attr:
    """``Fn::GetAtt`` / ``Ref`` of a resource of some stack."""

    stack: str
    logical_id: str
    attribute: str


@dataclass
class _Reader:
    stacks: list[_Stack]
    declared: Declared = field(default_factory=Declared)
    _exports: dict[str, tuple[_Stack, Any]] = field(default_factory=dict)

    def read(self) -> Declared:
        self.declared.stacks = [stack.name for stack in self.stacks]
        for stack in self.stacks:
            for output in (stack.template.get("Outputs") or {}).values():
                export = (output.get("Export") or {}).get("Name")
                name = self.resolve(stack, export)
                if isinstance(name, str):
                    self._exports[name] = (stack, output.get("Value"))
        for stack in self.stacks:
            for logical_id, resource in stack.resources.items():
                self._read_resource(stack, logical_id, resource)
        return self.declared

    # ---- values

    def resolve(self, stack: _Stack, value: Any) -> Any:
        """A plain value, an `_Attr`, a list, or `UNRESOLVED`."""
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        if isinstance(value, list):
            return [self.resolve(stack, item) for item in value]
        if not isinstance(value, dict) or len(value) != 1:
            return UNRESOLVED
        ((function, argument),) = value.items()
        if function == "Ref":
            return self._ref(stack, argument)
        if function == "Fn::GetAtt":
            parts = argument.split(".", 1) if isinstance(argument, str) else argument
            if isinstance(parts, list) and len(parts) == 2 and parts[0] in stack.resources:
                return _Attr(stack.name, parts[0], str(parts[1]))
            return UNRESOLVED
        if function == "Fn::ImportValue":
            name = self.resolve(stack, argument)
            if isinstance(name, str) and name in self._exports:
                exporter, exported = self._exports[name]
                return self.resolve(exporter, exported)
            return UNRESOLVED
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            parts = self.resolve(stack, argument[1])
            if isinstance(parts, list) and all(isinstance(part, str) for part in parts):
                return str(argument[0]).join(parts)
            return UNRESOLVED
        if function == "Fn::Split" and isinstance(argument, list) and len(argument) == 2:
            source = self.resolve(stack, argument[1])
            return source.split(str(argument[0])) if isinstance(source, str) else UNRESOLVED
        if function == "Fn::Select" and isinstance(argument, list) and len(argument) == 2:
            items = self.resolve(stack, argument[1])
            index = self.resolve(stack, argument[0])
            if isinstance(items, list) and str(index).isdigit() and int(str(index)) < len(items):
                return items[int(str(index))]
            return UNRESOLVED
        if function == "Fn::Sub" and isinstance(argument, str) and "${" not in argument:
            return argument
        return UNRESOLVED

    def _ref(self, stack: _Stack, name: Any) -> Any:
        if not isinstance(name, str):
            return UNRESOLVED
        if name in stack.resources:
            return _Attr(stack.name, name, "Ref")
        parameter = (stack.template.get("Parameters") or {}).get(name)
        if parameter is not None and "Default" in parameter:
            return parameter["Default"]
        return UNRESOLVED

    def _resource(self, attr: _Attr) -> dict[str, Any]:
        stack = next(stack for stack in self.stacks if stack.name == attr.stack)
        resource: dict[str, Any] = stack.resources[attr.logical_id]
        return resource

    def _stack(self, name: str) -> _Stack:
        return next(stack for stack in self.stacks if stack.name == name)

    def prop(self, stack: _Stack, resource: dict[str, Any], *path: str) -> Any:
        value: Any = resource.get("Properties") or {}
        for step in path:
            if not isinstance(value, dict):
                return None
            value = value.get(step)
        return self.resolve(stack, value)

    # ---- identities

    def ref(self, stack: _Stack, value: Any, expected: str) -> Ref | None:
        """The Connect object `value` (an ARN, a reference) names, expected to be of kind `expected`."""
        resolved = self.resolve(stack, value)
        if isinstance(resolved, str):
            return _ref_from_arn(resolved, expected)
        if isinstance(resolved, _Attr):
            return self._ref_of_resource(resolved, expected)
        return None

    def _key(self, attr: _Attr) -> str:
        """A resource's identity: its construct path, else stack and logical id."""
        path = (self._resource(attr).get("Metadata") or {}).get("aws:cdk:path")
        if isinstance(path, str) and path:
            return path.removesuffix("/Default").removesuffix("/Resource")
        return f"{attr.stack}/{attr.logical_id}"

    def _ref_of_resource(self, attr: _Attr, expected: str) -> Ref | None:
        resource = self._resource(attr)
        stack = self._stack(attr.stack)
        kind = resource.get("Type")
        instance = self.instance_of(stack, resource)
        if kind == LOOKUP:
            looked_up = self.prop(stack, resource, "Kind")
            name = self.prop(stack, resource, "Name")
            if looked_up == "instance" and isinstance(name, str):
                return Ref("instance", f"alias:{name}", name=name, origin="looked up")
            if not isinstance(name, str):
                return Ref(str(looked_up), self._key(attr), origin="looked up", instance=instance)
            return Ref(
                str(looked_up), f"lookup:{instance}:{looked_up}:{name}", name, instance=instance, origin="looked up"
            )
        owned_kind = {
            QUICK_CONNECT: ("quick-connect", "Name"),
            QUEUE_RESOURCE: ("queue", "Name"),
            CONTACT_FLOW: ("contact-flow", "Name"),
            ROUTING_PROFILE: ("routing-profile", "Name"),
            USER_RESOURCE: ("user", "Username"),
        }.get(str(kind))
        if owned_kind is None:
            return Ref(expected, self._key(attr), origin="owned", instance=instance)
        name = self.prop(stack, resource, owned_kind[1])
        return Ref(
            owned_kind[0],
            self._key(attr),
            name if isinstance(name, str) else None,
            instance=instance,
        )

    def instance_of(self, stack: _Stack, resource: dict[str, Any]) -> str | None:
        value = self.prop(stack, resource, "InstanceArn")
        if isinstance(value, str):
            return value
        if isinstance(value, _Attr):
            instance = self._ref_of_resource(value, "instance")
            return instance.key if instance is not None and instance.kind == "instance" else None
        return None

    # ---- resources

    def _read_resource(self, stack: _Stack, logical_id: str, resource: dict[str, Any]) -> None:
        kind = resource.get("Type")
        attr = _Attr(stack.name, logical_id, "Ref")
        declared = self.declared
        if kind in {QUICK_CONNECT, QUEUE_RESOURCE, CONTACT_FLOW, ROUTING_PROFILE, USER_RESOURCE, ASSOCIATION, LOOKUP}:
            instance = self.instance_of(stack, resource)
            if instance is not None and not (kind == LOOKUP and self.prop(stack, resource, "Kind") == "instance"):
                declared.instances.add(instance)
        if kind == QUICK_CONNECT:
            self._read_quick_connect(stack, attr, resource)
        elif kind == CONTACT_FLOW:
            self._read_flow(stack, attr, resource)
        elif kind == ASSOCIATION:
            queue = self.ref(stack, (resource.get("Properties") or {}).get("QueueArn"), "queue")
            arns = self.resolve(stack, (resource.get("Properties") or {}).get("QuickConnectArns"))
            self._associate(stack, logical_id, queue, arns, resource)
        elif kind == QUEUE_RESOURCE:
            queue = self._ref_of_resource(attr, "queue")
            assert queue is not None
            declared.queues.setdefault(queue.key, queue)
            listed = (resource.get("Properties") or {}).get("QuickConnectArns")
            if listed is not None:
                declared.owned_queues.add(queue.key)
                self._associate(stack, logical_id, queue, self.resolve(stack, listed), resource)
        elif kind == ROUTING_PROFILE:
            profile = self._ref_of_resource(attr, "routing-profile")
            assert profile is not None
            queue_keys: list[str] = []
            configs = (resource.get("Properties") or {}).get("QueueConfigs")
            for config in configs if isinstance(configs, list) else []:
                reference = config.get("QueueReference") if isinstance(config, dict) else None
                queue = self.ref(stack, reference.get("QueueArn"), "queue") if isinstance(reference, dict) else None
                if queue is not None:
                    declared.queues.setdefault(queue.key, queue)
                    queue_keys.append(queue.key)
            declared.routing_profiles[profile.key] = (profile, list(dict.fromkeys(queue_keys)))
        elif kind == USER_RESOURCE:
            user = self._ref_of_resource(attr, "user")
            assert user is not None
            profile = self.ref(stack, (resource.get("Properties") or {}).get("RoutingProfileArn"), "routing-profile")
            declared.agents[user.key] = (user.label(), profile.key if profile else None)

    def _read_flow(self, stack: _Stack, attr: _Attr, resource: dict[str, Any]) -> None:
        ref = self._ref_of_resource(attr, "contact-flow")
        assert ref is not None
        flow_type = self.prop(stack, resource, "Type")
        content = self._content(stack, (resource.get("Properties") or {}).get("Content"))
        self.declared.flows[ref.key] = DeclaredFlow(ref, flow_type if isinstance(flow_type, str) else None, content)

    def _content(self, stack: _Stack, raw: Any) -> dict[str, Any] | None:
        """The flow-language JSON of ``Content``: a string, or an ``Fn::Join`` of strings and references."""
        if isinstance(raw, str):
            return _parsed(raw)
        if not (isinstance(raw, dict) and list(raw) == ["Fn::Join"]):
            return None
        argument = raw["Fn::Join"]
        if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list)):
            return None
        parts: list[str] = []
        references: dict[str, Any] = {}
        for part in argument[1]:
            if isinstance(part, str):
                parts.append(part)
                continue
            marker = f"@@reference-{len(references)}@@"
            references[marker] = self._reference_value(stack, part)
            parts.append(marker)
        parsed = _parsed(str(argument[0]).join(parts))
        return _replaced(parsed, references) if parsed is not None else None

    def _reference_value(self, stack: _Stack, raw: Any) -> Ref | str | None:
        """What a reference inside flow content stands for: a `Ref`, a plain value, or None when not known."""
        resolved = self.resolve(stack, raw)
        if isinstance(resolved, str):
            return resolved
        if isinstance(resolved, _Attr):
            return self._ref_of_resource(resolved, "unknown")
        return None

    def _associate(
        self, stack: _Stack, logical_id: str, queue: Ref | None, arns: Any, resource: dict[str, Any]
    ) -> None:
        if queue is None:
            self.declared.notes.append(f"{stack.name}/{logical_id}: the queue cannot be resolved from the assembly")
            return
        self.declared.queues.setdefault(queue.key, queue)
        listed = self.declared.associations.setdefault(queue.key, [])
        raw = (resource.get("Properties") or {}).get("QuickConnectArns") or []
        if not isinstance(arns, list):
            self.declared.notes.append(f"{stack.name}/{logical_id}: the quick connect list cannot be resolved")
            return
        for index, _ in enumerate(arns):
            quick_connect = self.ref(stack, raw[index] if index < len(raw) else None, "quick-connect")
            if quick_connect is None:
                self.declared.notes.append(f"{stack.name}/{logical_id}: quick connect #{index + 1} cannot be resolved")
                continue
            if quick_connect.key not in {listed_ref.key for listed_ref in listed}:
                listed.append(quick_connect)

    def _read_quick_connect(self, stack: _Stack, attr: _Attr, resource: dict[str, Any]) -> None:
        ref = self._ref_of_resource(attr, "quick-connect")
        assert ref is not None
        properties = (resource.get("Properties") or {}).get("QuickConnectConfig") or {}
        quick_connect_type = self.resolve(stack, properties.get("QuickConnectType"))
        kind = quick_connect_type if isinstance(quick_connect_type, str) else UNKNOWN
        destination: Ref | str | None = None
        flow: Ref | None = None
        if kind == USER:
            config = properties.get("UserConfig") or {}
            destination = self.ref(stack, config.get("UserArn"), "user")
            flow = self.ref(stack, config.get("ContactFlowArn"), "contact-flow")
        elif kind == QUEUE:
            config = properties.get("QueueConfig") or {}
            destination = self.ref(stack, config.get("QueueArn"), "queue")
            flow = self.ref(stack, config.get("ContactFlowArn"), "contact-flow")
        elif kind == PHONE_NUMBER:
            number = self.resolve(stack, (properties.get("PhoneConfig") or {}).get("PhoneNumber"))
            destination = number if isinstance(number, str) else None
        elif kind == FLOW:
            destination = self.ref(stack, (properties.get("FlowConfig") or {}).get("ContactFlowArn"), "contact-flow")
        description = self.prop(stack, resource, "Description")
        self.declared.quick_connects[ref.key] = DeclaredQuickConnect(
            ref, kind, destination, flow, description if isinstance(description, str) else None
        )


def _parsed(text: str) -> dict[str, Any] | None:
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _replaced(value: Any, references: dict[str, Any]) -> Any:
    """``value`` with every string that is exactly a reference marker replaced by what the reference stands for."""
    if isinstance(value, str):
        if value in references:
            return references[value]
        return None if "@@reference-" in value else value  # a reference inside a longer string: not known
    if isinstance(value, list):
        return [_replaced(item, references) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, references) for key, item in value.items()}
    return value


def _ref_from_arn(arn: str, expected: str) -> Ref:
    """An imported object: ``arn:...:instance/<id>/<kind>/<id>``; kind and id from the ARN where it has them."""
    _, _, rest = arn.partition(":instance/")
    parts = rest.split("/")
    instance = arn.split("/", 1)[0] + "/" + parts[0] if rest else None
    if len(parts) >= 3:
        kind = _ARN_KINDS.get(parts[1], expected)
        return Ref(kind, arn, id=parts[2], instance=instance, origin="imported")
    if len(parts) == 1 and rest:
        return Ref("instance", arn, id=parts[0], instance=arn, origin="imported")
    return Ref(expected, arn, origin="imported")


def _map_quick_connect(declared: Declared, qc: DeclaredQuickConnect, notes: list[str]) -> MapQuickConnect:
    destination = qc.destination
    if isinstance(destination, Ref):
        label = destination.label()
        queue_key = destination.key if qc.quick_connect_type == QUEUE else None
    else:
        label, queue_key = destination or "?", None
    flow = qc.flow.label() if qc.flow is not None else None
    branches = _branches(declared, qc, notes)
    return MapQuickConnect(
        qc.ref.key, qc.ref.label(), qc.quick_connect_type, label, flow, queue_key, qc.description, branches
    )


def _branches(declared: Declared, qc: DeclaredQuickConnect, notes: list[str]) -> tuple[MapBranch, ...]:
    """Where ``qc``'s transfer flow sends the caller other than to ``qc``'s destination, by condition."""
    flow = transfer_flow(declared, qc)
    if flow is None or flow.content is None:
        return ()
    grouped: dict[Destination, list[str]] = {}
    for condition in _flows.conditions_of(flow.flow_type):
        exit = _flows.follow(flow.content, condition)
        if exit.kind == _flows.TARGET:
            continue
        if exit.kind == _flows.UNKNOWN:
            where = f"where flow {flow.ref.label()} sends a {condition} call is not known"
            notes.append(f"{qc.ref.label()}: {where} ({exit.detail})")
            continue
        grouped.setdefault(exit_destination(qc, exit), []).append(condition)
    return tuple(
        MapBranch(
            tuple(conditions),
            destination.kind,
            destination.label,
            destination.key if destination.kind == QUEUE and destination.key in declared.queues else None,
        )
        for destination, conditions in grouped.items()
    )
