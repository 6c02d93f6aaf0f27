"""``adopt``: bring console-made quick connects under a CDK stack without recreating them.

Reads the instance read-only, then writes beside each other: a stack module declaring one ``QuickConnect``
per existing quick connect and one ``QueueQuickConnectAssociation`` per chosen queue, an ``app.py`` that
synthesizes it, a ``cdk.json``, and the resource mapping ``cdk import --resource-mapping`` takes.

Why the generated code references queues, users and flows by ARN: ``cdk import`` adds only the mapped
resources to the deployed template, so an imported quick connect may not point at anything created in the
same operation, such as a lookup custom resource (``Queue.from_queue_name`` without context). With
``--by-name`` the lookups are written but pinned to today's ARNs in ``cdk.json`` (``connectLookups``), so
the template, and the import, are the same.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import _live
from ._adopt_code import (
    APP_FILE,
    CDK_JSON_FILE,
    MAPPING_FILE,
    MODULE_FILE,
    AdoptedAssociation,
    AdoptedQuickConnect,
    AdoptionPlan,
    GeneratedFiles,
    Reference,
    generate,
)
from ._errors import CliError
from ._instance_args import add_instance_arguments, connect_to_instance

PROG = "cdk-connect-quickconnect"
#: CloudFormation's limit of resources in one template.
MAX_RESOURCES = 500
#: Resources the stack has besides quick connects and associations: the provider's 4 (README) and CDK's metadata.
FIXED_RESOURCES = 5

_DESCRIPTION = """\
Write a CDK app that owns the instance's quick connects as they are, and the cdk import mapping for them.

Reads the instance read-only (every page, throttling retried): its quick connects, the flows, queues and
users they point to, and the quick connects on each chosen queue. Writes into --output-dir:

  quick_connects_stack.py   one QuickConnect per quick connect (DeletionPolicy Retain), one
                            QueueQuickConnectAssociation per chosen queue listing what it has now
  app.py, cdk.json          the app that synthesizes it (stack id: --stack-name)
  resource-mapping.json     logical id -> {"QuickConnectArn": ...} of every quick connect

then, from that directory:

  cdk import --resource-mapping resource-mapping.json   adopts the quick connects, recreating none
  cdk deploy                                            creates the associations; they find every
                                                        quick connect already on its queue
"""

_EPILOG = f"""\
examples:
  {PROG} adopt --instance-arn ARN --output-dir adopted
  {PROG} adopt --instance-alias my-center --queue BasicQueue --by-name -o adopted

exit status: 0 files written (warnings, e.g. quick connects skipped, on stderr), 2 bad input or an error.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """Add the ``adopt`` subcommand."""
    parser = subparsers.add_parser(
        "adopt",
        parents=[common],
        help="write a CDK app and cdk import mapping for the quick connects an instance has",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    live = add_instance_arguments(parser, "instance (read-only)", required=True)
    live.add_argument(
        "--queue",
        action="append",
        metavar="NAME",
        help="associate quick connects with this queue only (repeatable; default: every standard queue)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--output-dir", "-o", metavar="DIR", type=Path, default=Path("."), help="where to write (default: .)"
    )
    output.add_argument("--force", action="store_true", help="overwrite files of an earlier run in DIR")
    output.add_argument(
        "--by-name",
        action="store_true",
        help="reference queues, users and flows by name, pinned to today's ARNs in cdk.json (default: by ARN)",
    )
    output.add_argument(
        "--stack-name",
        metavar="NAME",
        type=_stack_name,
        help="the stack's name in app.py (default: <Alias>QuickConnects, or ConnectQuickConnects with --instance-arn)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Adopt as the arguments ask; return the exit status."""
    client, instance_arn = connect_to_instance(args)
    written = adopt(
        client,
        instance_arn,
        alias=args.instance_alias,
        queue_names=args.queue,
        output_dir=args.output_dir,
        force=args.force,
        by_name=args.by_name,
        stack_name=args.stack_name,
        progress=_live.default_progress(),
    )
    for warning in written.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    print(written.summary())
    return 0


def _stack_name(value: str) -> str:
    """A CloudFormation stack name, as aws-cdk-lib checks it at synth."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{0,127}", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a stack name (a letter, then letters, digits and '-')")
    return value


# ---- from the instance to a plan -----------------------------------------------------------------


@dataclass(frozen=True)
class Adoption:
    """What ``adopt`` wrote, and what it left out and why."""

    plan: AdoptionPlan
    generated: GeneratedFiles
    output_dir: Path
    warnings: tuple[str, ...]

    def summary(self) -> str:
        """What was written and the two commands to run next, for standard output."""
        count = len(self.plan.quick_connects)
        queues = len(self.plan.associations)
        where = self.output_dir
        return (
            f"Wrote {', '.join(sorted(self.generated.files))} to {where}: {count} quick connect"
            f"{'' if count == 1 else 's'}, {queues} queue association{'' if queues == 1 else 's'} "
            f"(stack {self.generated.stack_id}).\n"
            f"Next, in {where}: cdk import --resource-mapping {MAPPING_FILE}, then cdk deploy."
        )


def plan_adoption(
    snapshot: _live.InstanceSnapshot, queue_names: Sequence[str] | None = None, alias: str | None = None
) -> tuple[AdoptionPlan, tuple[str, ...]]:
    """The plan for ``snapshot`` and the warnings: quick connects whose destination is gone are left out.

    Every quick connect is adopted; associations are planned for the queues named (default: every queue
    that has at least one adopted quick connect).
    """
    queues = _chosen_queues(snapshot, queue_names)
    adopted: dict[str, AdoptedQuickConnect] = {}
    skipped: list[str] = []
    for live in sorted(snapshot.quick_connects.values(), key=lambda qc: (qc.name, qc.id)):
        quick_connect, missing = _adopted(snapshot, live)
        if quick_connect is None:
            skipped.append(f"{live.name!r} ({missing})")
        else:
            adopted[live.id] = quick_connect
    associations = []
    for queue in queues:
        listed = tuple(qc_id for qc_id in queue.quick_connect_ids if qc_id in adopted)
        if listed:
            associations.append(AdoptedAssociation(_queue_reference(queue), listed))
    warnings = []
    if skipped:
        warnings.append(
            f"skipped {len(skipped)} quick connect{'' if len(skipped) == 1 else 's'} whose destination no longer "
            f"exists (left as they are, also on their queues): {'; '.join(skipped)}"
        )
    plan = AdoptionPlan(snapshot.instance_arn, alias or snapshot.alias, tuple(adopted.values()), tuple(associations))
    return plan, tuple(warnings)


def _chosen_queues(snapshot: _live.InstanceSnapshot, queue_names: Sequence[str] | None) -> list[_live.LiveQueue]:
    if queue_names is None:
        return sorted(snapshot.queues.values(), key=lambda queue: (queue.name, queue.id))
    missing = [name for name in queue_names if snapshot.queue_named(name) is None]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise CliError(f"instance {snapshot.instance_id} has no standard queue named {names}")
    chosen = (snapshot.queue_named(name) for name in dict.fromkeys(queue_names))
    return [queue for queue in chosen if queue is not None]


def _adopted(snapshot: _live.InstanceSnapshot, live: _live.LiveQuickConnect) -> tuple[AdoptedQuickConnect | None, str]:
    """The quick connect with its destination resolved, or None and what is missing."""
    kind = live.quick_connect_type
    adopted = AdoptedQuickConnect(
        connect_id=live.id,
        arn=live.arn,
        name=live.name,
        description=live.description or None,
        quick_connect_type=kind,
    )
    if kind == "PHONE_NUMBER":
        if not live.phone_number:
            return None, "it has no phone number"
        return replace(adopted, phone_number=live.phone_number), ""
    flow = snapshot.contact_flows.get(live.contact_flow_id or "")
    if flow is None:
        return None, f"its flow {live.contact_flow_id} no longer exists"
    flow_reference = Reference("flow", flow.id, flow.arn, flow.name, flow.contact_flow_type)
    target: Reference | None = None
    if kind == "USER":
        user = snapshot.users.get(live.user_id or "")
        if user is None:
            return None, f"its user {live.user_id} no longer exists"
        target = Reference("user", user.id, user.arn, user.username)
    elif kind == "QUEUE":
        queue = snapshot.queues.get(live.queue_id or "")
        if queue is None:
            return None, f"its queue {live.queue_id} no longer exists"
        target = _queue_reference(queue)
    elif kind != "FLOW":
        return None, f"its type {kind!r} is not one this library declares"
    return replace(adopted, target=target, flow=flow_reference), ""


def _queue_reference(queue: _live.LiveQueue) -> Reference:
    return Reference("queue", queue.id, queue.arn, queue.name)


# ---- reading and writing -------------------------------------------------------------------------


def adopt(
    client: Any,
    instance_arn: str,
    *,
    output_dir: Path,
    alias: str | None = None,
    queue_names: Sequence[str] | None = None,
    force: bool = False,
    by_name: bool = False,
    stack_name: str | None = None,
    progress: _live.Progress | None = None,
    retry: _live.RetryPolicy | None = None,
) -> Adoption:
    """Read ``instance_arn`` and write the adoption files into ``output_dir``; raise `CliError` on bad input.

    Nothing is written unless everything was read and no file of ``output_dir`` would be overwritten
    (``force`` allows overwriting).
    """
    refuse_overwrite(output_dir, force=force)
    snapshot = _live.read_instance(
        client, instance_arn, progress=progress, alias=alias, retry=retry, routing_profiles=False
    )
    plan, warnings = plan_adoption(snapshot, queue_names, alias)
    if not plan.quick_connects:
        raise CliError(f"instance {snapshot.instance_id} has no quick connect to adopt")
    resources = len(plan.quick_connects) + len(plan.associations) + FIXED_RESOURCES
    if resources > MAX_RESOURCES:
        raise CliError(
            f"{len(plan.quick_connects)} quick connects and {len(plan.associations)} associations make a stack of "
            f"{resources} resources, over CloudFormation's {MAX_RESOURCES}; adopting into several stacks is not "
            "supported"
        )
    generated = generate(plan, by_name=by_name, stack_id=stack_name)
    write_files(generated, output_dir, force=force)
    return Adoption(plan, generated, output_dir, warnings)


def refuse_overwrite(output_dir: Path, *, force: bool) -> None:
    """Raise `CliError` if writing into ``output_dir`` would replace a file and ``force`` is not given."""
    if output_dir.exists() and not output_dir.is_dir():
        raise CliError(f"--output-dir {output_dir} is a file, not a directory")
    if force:
        return
    existing = [name for name in (MODULE_FILE, APP_FILE, CDK_JSON_FILE, MAPPING_FILE) if (output_dir / name).exists()]
    if existing:
        raise CliError(
            f"refusing to overwrite {', '.join(existing)} in {output_dir} (pass --force to replace them, "
            "or choose another --output-dir)"
        )


def write_files(generated: GeneratedFiles, output_dir: Path, *, force: bool) -> None:
    """Write every file, each through a temporary file renamed into place."""
    refuse_overwrite(output_dir, force=force)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        for name, text in sorted(generated.files.items()):
            target = output_dir / name
            temporary = target.with_name(f".{name}.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, target)
    except OSError as error:
        raise CliError(f"cannot write to {output_dir}: {error.strerror or error}") from error
