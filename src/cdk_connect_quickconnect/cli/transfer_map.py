"""``map``: draw who can transfer where, from a cloud assembly, from a live instance, or the drift between them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import _live
from ._errors import CliError
from ._model import TransferMap, from_snapshot, keep_queues
from ._render import mermaid_size_warning, render_dot, render_json, render_mermaid

MAP_FORMATS = ("mermaid", "dot", "json")

_DESCRIPTION = """\
Draw the transfer map: routing profile (and its agents) -> queue -> quick connect -> destination, each
transfer labelled with the flow that runs it. Agents see the quick connects of the queues in their routing
profile, so this answers "which agents see which quick connects, and where does each one go?".

Sources:
  --instance-arn ARN / --instance-alias ALIAS   a live instance, read with boto3 (read-only)
"""

_EPILOG = """\
examples:
  cdk-connect-quickconnect map --instance-alias my-center --agents > map.mmd
  cdk-connect-quickconnect map --instance-arn ARN --format dot | dot -Tsvg > map.svg

exit status: 0 map drawn, 2 bad input or an error (one line on stderr).
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
    live = parser.add_argument_group("live instance (read-only)")
    instance = live.add_mutually_exclusive_group()
    instance.add_argument("--instance-arn", metavar="ARN", help="the instance's ARN (its Region is used)")
    instance.add_argument("--instance-alias", metavar="ALIAS", help="the instance's alias, looked up in --region")
    live.add_argument("--region", help="Region of --instance-alias (default: the AWS configuration's)")
    live.add_argument("--profile", help="AWS named profile (default: the environment's credentials)")
    live.add_argument("--agents", action="store_true", help="also read every user, shown behind their routing profile")
    output = parser.add_argument_group("output")
    output.add_argument("--format", choices=MAP_FORMATS, default="mermaid", help="output format (default: mermaid)")
    output.add_argument("--output", "-o", metavar="FILE", type=Path, help="write to FILE instead of standard output")
    output.add_argument("--queue", action="append", metavar="NAME", help="only this queue (repeatable)")
    output.add_argument(
        "--all-queues", action="store_true", help="also draw queues without quick connects (default: left out)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Draw the map the arguments ask for; return the exit status."""
    if args.instance_arn is None and args.instance_alias is None:
        raise CliError("map: give --instance-arn or --instance-alias")
    transfer_map = keep_queues(from_snapshot(read_live(args)), all_queues=args.all_queues)
    text = render(transfer_map, args.format)
    if args.format == "mermaid":
        warning = mermaid_size_warning(transfer_map, text)
        if warning:
            print(f"cdk-connect-quickconnect: warning: {warning}", file=sys.stderr)
    write(text, args.output)
    return 0


def read_live(args: argparse.Namespace, client: Any = None) -> _live.InstanceSnapshot:
    """Read the instance named by the arguments (a client is made from --region/--profile unless given)."""
    if args.instance_arn is not None:
        instance_arn = _live.resolve_instance_arn(None, instance_arn=args.instance_arn)
        client = client or _live.make_client(region=_live.region_of(instance_arn), profile=args.profile)
    else:
        client = client or _live.make_client(region=args.region, profile=args.profile)
        instance_arn = _live.resolve_instance_arn(client, alias=args.instance_alias)
    return _live.read_instance(
        client,
        instance_arn,
        queue_names=args.queue,
        agents=args.agents,
        progress=_live.default_progress(),
        alias=args.instance_alias,
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
