"""``pin``: resolve the app's deploy-time lookups with your own credentials and pin their ARNs in cdk.context.json.

Reads every ``Custom::ConnectLookup`` of a synthesized cloud assembly, finds each one on the live instance with
the calls the deploy-time lookup makes (read-only, every page, throttling retried), and writes the ARNs under
``connectLookups`` in ``cdk.context.json`` with keys naming the instance (``_pin_keys``). The next ``cdk synth``
uses them: literal ARNs, no lookup custom resource. ``--check`` compares the pins with the instance.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._pin_keys import CONTEXT_KEY, PinKey, context_key, parse_key
from . import _assembly, _live
from ._errors import CliError
from ._instance_args import add_profile_argument

PROG = "cdk-connect-quickconnect"
EXIT_IN_SYNC = 0
EXIT_DRIFT = 1
#: The version of ``pin --check --format json``'s document; raised when a field changes meaning or goes.
CHECK_JSON_VERSION = 1
#: What ``--check`` finds for one pin.
IN_SYNC, RENAMED, DELETED, AMBIGUOUS, CHANGED, INSTANCE_CHANGED = (
    "in_sync",
    "renamed",
    "deleted",
    "ambiguous",
    "changed",
    "instance_changed",
)

_DESCRIPTION = """\
Pin the app's lookups by name (Queue.from_queue_name, User.from_username, the default transfer flows,
ConnectInstance.from_instance_alias, ...) to the ARNs they find today, with your own credentials, so that the
next 'cdk synth' has literal ARNs and no lookup custom resource (no Lambda call at deploy time for them).

Reads every Custom::ConnectLookup of ASSEMBLY (default: cdk.out), finds each on the live instance with the calls
the deploy-time lookup makes (read-only: every page, throttling retried), and writes the ARNs into
--context-file (default: cdk.context.json) under "connectLookups", merged with what is there, keyed by the
instance (its alias when looked up by alias, its id when given by ARN):

  "my-contact-center/queue:BasicQueue": "arn:aws:connect:...:instance/<id>/queue/<id>"

Nothing is written unless every lookup is found exactly once. --check reads the pins instead and compares each
with the instance: renamed, deleted, now ambiguous, or the name now finds another resource.
"""

_EPILOG = f"""\
examples:
  cdk synth && {PROG} pin && cdk synth        pin every lookup; the second synth has no lookup resource
  {PROG} pin cdk.out --region us-west-2       Region of stacks without an environment
  {PROG} pin --check                          exit 1 if a pin no longer matches the instance
  {PROG} pin --check --format json            the same for tools

exit status: 0 pinned (or in sync with --check), 1 drift (--check), 2 bad input or an error (one line on stderr).
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """Add the ``pin`` subcommand."""
    parser = subparsers.add_parser(
        "pin",
        parents=[common],
        help="pin the app's lookups by name to today's ARNs in cdk.context.json (or --check them)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "assembly",
        nargs="?",
        type=Path,
        default=Path("cdk.out"),
        metavar="ASSEMBLY",
        help="the synthesized cloud assembly (default: cdk.out; not read by --check)",
    )
    parser.add_argument(
        "--context-file",
        type=Path,
        default=Path("cdk.context.json"),
        metavar="FILE",
        help="the CDK context file to write, or to check (default: cdk.context.json; --check also reads the "
        "context of the cdk.json beside it)",
    )
    parser.add_argument("--check", action="store_true", help="compare the pins with the instance: exit 1 on drift")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="--check's output (default: text)")
    live = parser.add_argument_group("live instance (read-only)")
    live.add_argument("--region", help="Region of stacks without an environment (default: the AWS configuration's)")
    add_profile_argument(live)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Pin, or check the pins, as the arguments ask; return the exit status."""
    clients = _Clients(args.region, args.profile)
    if args.check:
        pins = read_pins(args.context_file)
        report = check(pins, clients)
        sys.stdout.write(render_check_json(report, args.context_file) if args.format == "json" else report.text())
        return EXIT_IN_SYNC if report.in_sync else EXIT_DRIFT
    if args.format != "text":
        raise CliError("pin: --format json is for --check")
    lookups = _assembly.read_lookups(args.assembly)
    plan = plan_pins(lookups)
    for skipped in plan.skipped:
        print(f"{PROG}: warning: {skipped}", file=sys.stderr)
    if not plan.wanted:
        print(f"No lookup to pin in {args.assembly} (every lookup is pinned already, or the app has none).")
        return 0
    pins = resolve(plan.wanted, clients)
    written = write_pins(args.context_file, pins)
    for warning in written.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    print(written.summary())
    return 0


# ---- from the assembly to the pins wanted ------------------------------------------------------


@dataclass(frozen=True)
class WantedPin:
    """One key to pin: what to find, in which instance (its alias or its ARN's id), in which Region."""

    key: str
    kind: str
    name: str
    flow_type: str | None
    instance_alias: str | None
    instance_id: str | None
    region: str | None
    where: str
    """The first lookup asking for it, ``<stack>/<logical id>``, for messages."""


@dataclass(frozen=True)
class PinPlan:
    """The keys to pin, and the lookups no key can pin (with why)."""

    wanted: tuple[WantedPin, ...]
    skipped: tuple[str, ...] = ()


def plan_pins(lookups: Iterable[_assembly.DeclaredLookup]) -> PinPlan:
    """One pin per key; lookups in an instance the template does not name (a parameter) are skipped."""
    wanted: dict[str, WantedPin] = {}
    skipped = []
    for lookup in lookups:
        where = f"{lookup.stack}/{lookup.logical_id}"
        instance_id, region = _instance_id_and_region(lookup.instance_arn)
        if lookup.kind == "instance":
            key = context_key("instance", lookup.name)
        elif lookup.instance_alias is not None or instance_id is not None:
            instance = lookup.instance_alias or instance_id
            key = context_key(lookup.kind, lookup.name, lookup.flow_type, instance=instance)
        else:
            skipped.append(
                f"{where} ({lookup.kind} {lookup.name!r}) is not pinned: the instance it searches is a deploy-time "
                "value (a parameter, say), which no key can name; it stays a deploy-time lookup"
            )
            continue
        wanted.setdefault(
            key,
            WantedPin(
                key,
                lookup.kind,
                lookup.name,
                lookup.flow_type,
                lookup.instance_alias,
                instance_id,
                region or lookup.region,
                where,
            ),
        )
    return PinPlan(tuple(wanted.values()), tuple(skipped))


def _instance_id_and_region(instance_arn: str | None) -> tuple[str | None, str | None]:
    match = _live.INSTANCE_ARN_PATTERN.match(instance_arn or "")
    return (match.group(3), match.group(1)) if match else (None, None)


# ---- resolving against the live instance --------------------------------------------------------


class _Clients:
    """One Connect client per Region, made on first use (``--region`` for stacks without one)."""

    def __init__(self, default_region: str | None, profile: str | None) -> None:
        self._default_region = default_region
        self._profile = profile
        self._made: dict[str | None, Any] = {}

    def for_region(self, region: str | None) -> Any:
        region = region or self._default_region
        if region not in self._made:
            self._made[region] = _live.make_client(region=region, profile=self._profile)
        return self._made[region]


@dataclass
class _Instances:
    """Instance aliases resolved once per Region: alias -> the one instance found (or the error)."""

    clients: _Clients
    _by_region: dict[str | None, list[_live.Named]] = field(default_factory=dict)

    def all(self, region: str | None) -> list[_live.Named]:
        if region not in self._by_region:
            self._by_region[region] = _live.list_of_kind(self.clients.for_region(region), "instance")
        return self._by_region[region]

    def named(self, alias: str, region: str | None) -> list[_live.Named]:
        return [instance for instance in self.all(region) if instance.name == alias]


def resolve(wanted: Iterable[WantedPin], clients: _Clients) -> dict[str, str]:
    """Key -> the ARN each pin finds. Raises `CliError` naming every lookup not found exactly once."""
    instances = _Instances(clients)
    pins: dict[str, str] = {}
    failures = []
    for pin in wanted:
        if pin.kind == "instance":
            found = instances.named(pin.name, pin.region)
        else:
            instance_id = pin.instance_id
            if instance_id is None:
                assert pin.instance_alias is not None, "a pin names its instance"
                matches = instances.named(pin.instance_alias, pin.region)
                if len(matches) != 1:
                    failures.append(_not_once(pin, "instance", pin.instance_alias, matches))
                    continue
                instance_id = matches[0].id
            client = clients.for_region(pin.region)
            found = _live.find_by_name(client, pin.kind, pin.name, instance_id=instance_id, flow_type=pin.flow_type)
        if len(found) == 1:
            pins[pin.key] = found[0].arn
        else:
            failures.append(_not_once(pin, pin.kind, pin.name, found))
    if failures:
        raise CliError(f"nothing written: {'; '.join(failures)}")
    return pins


def _not_once(pin: WantedPin, kind: str, name: str, found: list[_live.Named]) -> str:
    what = f"{kind.replace('-', ' ')} {name!r} (for {pin.key}, {pin.where})"
    if not found:
        return f"no {what}"
    return f"{len(found)} of {what}: {', '.join(sorted(item.arn for item in found))}"


# ---- the context file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenPins:
    """What ``pin`` wrote into the context file."""

    path: Path
    pins: Mapping[str, str]
    changed: int
    warnings: tuple[str, ...]

    def summary(self) -> str:
        """Each pin, and what to run next, for standard output."""
        lines = [f"  {key}: {arn}" for key, arn in sorted(self.pins.items())]
        return (
            f"Pinned {len(self.pins)} lookup{'' if len(self.pins) == 1 else 's'} in {self.path} "
            f"({self.changed} new or changed):\n" + "\n".join(lines) + "\n"
            "Next: cdk synth (the lookups are now literal ARNs); review and commit the context file.\n"
        )


def write_pins(path: Path, pins: Mapping[str, str]) -> WrittenPins:
    """Merge ``pins`` into ``connectLookups`` of the context file at `path`, keeping every other key; atomically."""
    context = _read_object(path)
    existing = context.get(CONTEXT_KEY, {})
    if not isinstance(existing, dict):
        raise CliError(f"{path}: {CONTEXT_KEY!r} must be an object of key to ARN, got {type(existing).__name__}")
    changed = sum(1 for key, arn in pins.items() if existing.get(key) != arn)
    context[CONTEXT_KEY] = {**existing, **pins}
    text = json.dumps(context, indent=2, ensure_ascii=False) + "\n"
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise CliError(f"cannot write {path}: {error.strerror or error}") from error
    return WrittenPins(path, dict(pins), changed, tuple(_shadowed(path, pins)))


def _shadowed(path: Path, pins: Mapping[str, str]) -> list[str]:
    """Pins that cdk.json's own context (read before cdk.context.json by the CDK CLI) gives another ARN."""
    project = _project_pins(path)
    return [
        f"cdk.json's context pins {key} to {project[key]}, which wins over {path.name}; remove it from cdk.json"
        for key, arn in sorted(pins.items())
        if key in project and project[key] != arn
    ]


def read_pins(path: Path) -> dict[str, str]:
    """The pins of the context file at `path`, with those of the cdk.json beside it (which win, as in the CDK CLI)."""
    if not path.is_file():
        raise CliError(f"{path} does not exist: run '{PROG} pin' first (or give --context-file)")
    pins = _pins_of(_read_object(path).get(CONTEXT_KEY, {}), path)
    pins.update(_project_pins(path))
    return pins


def _project_pins(path: Path) -> dict[str, str]:
    project = path.with_name("cdk.json")
    if not project.is_file():
        return {}
    context = _read_object(project).get("context", {})
    return _pins_of(context.get(CONTEXT_KEY, {}) if isinstance(context, dict) else {}, project)


def _pins_of(value: Any, path: Path) -> dict[str, str]:
    if not isinstance(value, dict):
        raise CliError(f"{path}: {CONTEXT_KEY!r} must be an object of key to ARN, got {type(value).__name__}")
    return {str(key): str(arn) for key, arn in value.items()}


def _read_object(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CliError(f"cannot read {path} as JSON: {error}") from error
    if not isinstance(value, dict):
        raise CliError(f"{path} must hold a JSON object, got {type(value).__name__}")
    return value


# ---- --check ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PinStatus:
    """What the instance says of one pin today."""

    key: str
    pinned_arn: str
    status: str
    """``in_sync``, ``renamed``, ``deleted``, ``ambiguous``, ``changed`` or ``instance_changed``."""
    detail: str
    found_arns: tuple[str, ...] = ()
    """What the key's name finds today."""
    current_name: str | None = None
    """The pinned resource's name today, when it still exists."""


@dataclass(frozen=True)
class CheckReport:
    """Every pin's status."""

    pins: tuple[PinStatus, ...]

    @property
    def in_sync(self) -> bool:
        """Whether every pin still finds what it pinned."""
        return all(pin.status == IN_SYNC for pin in self.pins)

    def text(self) -> str:
        """One line per pin that drifted, then a summary."""
        drifted = [pin for pin in self.pins if pin.status != IN_SYNC]
        lines = [f"{pin.status.replace('_', ' ')}: {pin.key}: {pin.detail}" for pin in drifted]
        lines.append(
            f"{len(self.pins)} pin{'' if len(self.pins) == 1 else 's'} checked: "
            + ("all in sync" if not drifted else f"{len(drifted)} drifted (run 'cdk synth' and '{PROG} pin' again)")
        )
        return "\n".join(lines) + "\n"


def check(pins: Mapping[str, str], clients: _Clients) -> CheckReport:
    """Compare each pin with the instance of its pinned ARN. Raises `CliError` for a key or ARN it cannot read."""
    instances = _Instances(clients)
    statuses = []
    for key, arn in sorted(pins.items()):
        parsed = parse_key(key)
        if parsed is None:
            raise CliError(f"{CONTEXT_KEY} key {key!r} is not a lookup key (<instance>/<kind>:<name>)")
        match = _PINNED_ARN.match(arn)
        if match is None:
            raise CliError(f"{CONTEXT_KEY} pins {key!r} to {arn!r}, which is not an Amazon Connect ARN")
        statuses.append(_check_one(key, parsed, arn, match.group(1), match.group(2), instances, clients))
    return CheckReport(tuple(statuses))


_PINNED_ARN = re.compile(r"^arn:aws[a-z-]*:connect:([a-z0-9-]+):\d{12}:instance/([0-9a-fA-F-]{1,100})(/.*)?$")


def _check_one(
    key: str, parsed: PinKey, arn: str, region: str, instance_id: str, instances: _Instances, clients: _Clients
) -> PinStatus:
    if parsed.kind == "instance":
        found = instances.named(parsed.name, region)
        everything = instances.all(region)
    else:
        if parsed.instance is not None and parsed.instance != instance_id:
            aliased = instances.named(parsed.instance, region)
            if [instance.id for instance in aliased] != [instance_id]:
                now = ", ".join(instance.arn for instance in aliased) or "no instance"
                detail = f"the alias {parsed.instance!r} now names {now}, not the pinned ARN's instance ({arn})"
                return PinStatus(key, arn, INSTANCE_CHANGED, detail, tuple(item.arn for item in aliased))
        client = clients.for_region(region)
        options: dict[str, Any] = {"instance_id": instance_id, "flow_type": parsed.flow_type}
        found = _live.find_by_name(client, parsed.kind, parsed.name, **options)
        everything = [] if [item.arn for item in found] == [arn] else _live.list_of_kind(client, parsed.kind, **options)
    return _status(key, parsed, arn, found, everything)


def _status(key: str, parsed: PinKey, arn: str, found: list[_live.Named], everything: list[_live.Named]) -> PinStatus:
    found_arns = tuple(sorted(item.arn for item in found))
    if found_arns == (arn,):
        return PinStatus(key, arn, IN_SYNC, "in sync", found_arns, parsed.name)
    pinned = next((item for item in everything if item.arn == arn), None)
    current_name = pinned.name if pinned is not None else None
    what = parsed.kind.replace("-", " ")
    if len(found) > 1:
        detail = f"{len(found)} of {what} {parsed.name!r} now: {', '.join(found_arns)} (pinned {arn})"
        return PinStatus(key, arn, AMBIGUOUS, detail, found_arns, current_name)
    if pinned is not None and pinned.name != parsed.name:
        then = f"; {found_arns[0]} has the name now" if found else f"; no {what} is called {parsed.name!r}"
        detail = f"the pinned {what} ({arn}) is called {pinned.name!r} now{then}"
        return PinStatus(key, arn, RENAMED, detail, found_arns, current_name)
    if found:
        detail = f"{what} {parsed.name!r} is {found_arns[0]} now, not the pinned {arn} (deleted and made again?)"
        return PinStatus(key, arn, CHANGED, detail, found_arns, current_name)
    detail = f"the pinned {what} ({arn}) no longer exists, and no {what} is called {parsed.name!r}"
    return PinStatus(key, arn, DELETED, detail, found_arns, current_name)


def render_check_json(report: CheckReport, context_file: Path) -> str:
    """``--check --format json``: ``{"version": 1, "in_sync": ..., "context_file": ..., "pins": [...]}``."""
    document = {
        "version": CHECK_JSON_VERSION,
        "in_sync": report.in_sync,
        "context_file": str(context_file),
        "pins": [
            {
                "key": pin.key,
                "pinned_arn": pin.pinned_arn,
                "status": pin.status,
                "detail": pin.detail,
                "found_arns": list(pin.found_arns),
                "current_name": pin.current_name,
            }
            for pin in report.pins
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
