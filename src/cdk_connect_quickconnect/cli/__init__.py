"""The ``cdk-connect-quickconnect`` command line (also ``python -m cdk_connect_quickconnect``).

Each subcommand is a module with a ``register(subparsers)`` function that adds its parser and sets
``handler`` (a function of the parsed arguments returning the exit status) as the parser's default.
Adding a subcommand is one line in `SUBCOMMANDS`.

Exit status: 0 success, 1 "found something" (drift), 2 usage or runtime error. Errors are one line on
stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from . import adopt, pin, transfer_map
from ._errors import CliError

PROG = "cdk-connect-quickconnect"
EXIT_OK = 0
EXIT_FOUND = 1
EXIT_ERROR = 2

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]", argparse.ArgumentParser], None]
"""Adds one subcommand: given the subparsers and the parent parser of the options every subcommand takes."""

SUBCOMMANDS: list[Register] = [transfer_map.register, adopt.register, pin.register]
"""Every subcommand, in the order ``--help`` lists them."""

_EPILOG = f"""\
examples:
  {PROG} map cdk.out                                  draw what the app declares (Mermaid)
  {PROG} map cdk.out --format dot --output map.dot    the same as Graphviz DOT
  {PROG} map --instance-alias my-center --agents      draw a live instance, read-only
  {PROG} map cdk.out --instance-arn ARN --diff        compare the app with the instance (exit 1 on drift)
  {PROG} adopt --instance-arn ARN -o adopted          a CDK app owning the console's quick connects
  {PROG} pin                                          pin cdk.out's lookups in cdk.context.json (--check: drift)

run '{PROG} COMMAND --help' for a command's options.
"""


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Tools for Amazon Connect call transfer built with cdk-connect-quickconnect.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show the traceback of an error")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in SUBCOMMANDS:
        register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CliError as error:
        return _fail(args, str(error))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: one line, the traceback with --debug
        return _fail(args, f"unexpected {type(error).__name__}: {error} (run again with --debug for the traceback)")


def _fail(args: argparse.Namespace, message: str) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_ERROR


def _version() -> str:
    try:
        return version("cdk-connect-quickconnect")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def console_main() -> None:
    """Entry point of the console script."""
    sys.exit(main())
