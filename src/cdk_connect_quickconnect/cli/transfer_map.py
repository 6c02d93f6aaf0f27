"""``map``: draw who can transfer where, from a cloud assembly, from a live instance, or the drift between them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import _assembly, _diff, _live
from ._errors import CliError
from ._instance_args import add_instance_arguments, connect_to_instance
from ._model import TransferMap, from_snapshot, keep_queues
from ._render import mermaid_size_warning, render_dot, render_json, render_mermaid

MAP_FORMATS = ("mermaid", "dot", "json")
DIFF_FORMATS = ("table", "json")
EXIT_IN_SYNC = 0
EXIT_DRIFT = 1

_DESCRIPTION = """\
Draw the transfer map: routing profile (and its agents) -> queue -> quick connect -> destination, each
transfer labelled with the flow that runs it. Agents see the quick connects of the queues in their routing
profile, so this answers "which agents see which quick connects, and where does each one go?".

Sources:
  ASSEMBLY                                      a synthesized cloud assembly (cdk.out), or a CDK app's directory
                                                holding one (default: the current directory): what the app declares
  --instance-arn ARN / --instance-alias ALIAS   a live instance, read with boto3 (read-only)
  both, with --diff                             the drift between them (table, or --format json)
"""

_EPILOG = """\
examples:
  cdk-connect-quickconnect map > map.mmd        (in a CDK app's directory, after 'cdk synth')
  cdk-connect-quickconnect map cdk.out > map.mmd
  cdk-connect-quickconnect map --instance-alias my-center --agents --format dot | dot -Tsvg > map.svg
  cdk-connect-quickconnect map cdk.out --instance-arn ARN --diff --format json

exit status: 0 map drawn or in sync, 1 drift (with --diff), 2 bad input or an error (one line on stderr).
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """Add the ``map`` subcommand."""
    parser = subparsers.add_parser(
        "map",
        parents=[common],
        help="draw who can transfer where (Mermaid or Graphviz DOT)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "assembly",
        nargs="?",
        type=Path,
        metavar="ASSEMBLY",
        help="a cloud assembly directory (cdk.out), or an app directory holding one (default: .)",
    )
    parser.add_argument("--diff", action="store_true", help="compare ASSEMBLY with the instance: exit 1 on drift")
    live = add_instance_arguments(parser, "live instance (read-only)", required=False)
    live.add_argument("--agents", action="store_true", help="also read every user, shown behind their routing profile")
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=sorted({*MAP_FORMATS, *DIFF_FORMATS}),
        help="map: mermaid (default), dot or json; --diff: table (default) or json",
    )
    output.add_argument("--output", "-o", metavar="FILE", type=Path, help="write to FILE instead of standard output")
    output.add_argument("--queue", action="append", metavar="NAME", help="only this queue (repeatable)")
    output.add_argument(
        "--all-queues", action="store_true", help="also draw queues without quick connects (default: left out)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Draw the map, or the drift, the arguments ask for; return the exit status."""
    live = args.instance_arn is not None or args.instance_alias is not None
    if args.diff:
        if args.assembly is None or not live:
            raise CliError("map --diff needs both a cloud assembly and --instance-arn or --instance-alias")
        return run_diff(args)
    if args.assembly is None and not live:
        args.assembly = _assembly_here()
    if args.assembly is not None and live:
        raise CliError("map: give one source to draw, or add --diff to compare the assembly with the instance")
    output_format = args.format or "mermaid"
    if output_format not in MAP_FORMATS:
        raise CliError(f"map: --format {output_format} is for --diff; a map is mermaid, dot or json")
    if args.assembly is not None:
        directory = _assembly.find_assembly(args.assembly)
        declared = _assembly.read_assembly(directory)
        transfer_map = _assembly.to_transfer_map(declared, f"App in {directory} ({', '.join(declared.stacks)})")
        transfer_map = _only_queues(transfer_map, args.queue)
    else:
        transfer_map = from_snapshot(read_live(args))
    transfer_map = keep_queues(transfer_map, all_queues=args.all_queues)
    text = render(transfer_map, output_format)
    if output_format == "mermaid":
        warning = mermaid_size_warning(transfer_map, text)
        if warning:
            print(f"cdk-connect-quickconnect: warning: {warning}", file=sys.stderr)
    write(text, args.output)
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Compare the assembly with the instance; 0 in sync, 1 drift."""
    output_format = args.format or "table"
    if output_format not in DIFF_FORMATS:
        raise CliError(f"map --diff: --format {output_format} draws a map; the drift is a table or json")
    if args.queue:
        raise CliError("map --diff compares every queue the app manages; --queue is for maps")
    declared = _assembly.read_assembly(args.assembly)
    snapshot = read_live(args, queue_names=None)
    known = {snapshot.instance_arn, f"alias:{snapshot.alias}"}
    if declared.instances and not declared.instances & known:
        targets = ", ".join(sorted(declared.instances))
        raise CliError(f"the app declares nothing on instance {snapshot.instance_arn} (its resources are on {targets})")
    report = _diff.diff(declared, snapshot)
    renderer = _diff.render_table if output_format == "table" else _diff.render_json
    write(renderer(report), args.output)
    return EXIT_IN_SYNC if report.in_sync else EXIT_DRIFT


def _assembly_here() -> Path:
    """The current directory's assembly, when ``map`` is given no source."""
    try:
        return _assembly.find_assembly(Path("."))
    except _assembly.AssemblyError as error:
        raise CliError(
            f"map: give a cloud assembly (e.g. cdk.out), --instance-arn or --instance-alias ({error})"
        ) from error


def _only_queues(transfer_map: TransferMap, names: list[str] | None) -> TransferMap:
    if not names:
        return transfer_map
    missing = sorted(set(names) - {queue.name for queue in transfer_map.queues})
    if missing:
        raise CliError(f"the app declares no queue named {', '.join(map(repr, missing))}")
    queues = tuple(queue for queue in transfer_map.queues if queue.name in names)
    keys = {queue.key for queue in queues}
    profiles = tuple(profile for profile in transfer_map.routing_profiles if keys & set(profile.queues))
    return TransferMap(transfer_map.title, queues, transfer_map.quick_connects, profiles, notes=transfer_map.notes)


def read_live(args: argparse.Namespace, client: Any = None, **options: Any) -> _live.InstanceSnapshot:
    """Read the instance named by the arguments (a client is made from --region/--profile unless given)."""
    client, instance_arn = connect_to_instance(args, client)
    read_options: dict[str, Any] = {"queue_names": args.queue, "agents": args.agents, **options}
    return _live.read_instance(
        client, instance_arn, progress=_live.default_progress(), alias=args.instance_alias, **read_options
    )


def render(transfer_map: TransferMap, output_format: str) -> str:
    """The map in `output_format` (``mermaid``, ``dot`` or ``json``)."""
    renderers = {"mermaid": render_mermaid, "dot": render_dot, "json": render_json}
    return renderers[output_format](transfer_map)


def write(text: str, output: Path | None) -> None:
    """Write `text` to `output`, or to standard output."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from error
