"""The options that name a live instance and the credentials, shared by ``map``, ``adopt`` and ``pin``."""

from __future__ import annotations

import argparse
from typing import Any

from . import _live


def add_instance_arguments(parser: argparse.ArgumentParser, title: str, *, required: bool) -> argparse._ArgumentGroup:
    """Add ``--instance-arn`` | ``--instance-alias``, ``--region`` and ``--profile`` in a group called ``title``.

    :param required: whether one of ``--instance-arn`` and ``--instance-alias`` must be given.
    :returns: the argument group, for options of the subcommand's own that belong with them.
    """
    live = parser.add_argument_group(title)
    instance = live.add_mutually_exclusive_group(required=required)
    instance.add_argument("--instance-arn", metavar="ARN", help="the instance's ARN (its Region is used)")
    instance.add_argument("--instance-alias", metavar="ALIAS", help="the instance's alias, looked up in --region")
    live.add_argument("--region", help="Region of --instance-alias (default: the AWS configuration's)")
    add_profile_argument(live)
    return live


def add_profile_argument(group: argparse._ArgumentGroup) -> None:
    """Add ``--profile``, the AWS named profile every live read uses."""
    group.add_argument("--profile", help="AWS named profile (default: the environment's credentials)")


def connect_to_instance(args: argparse.Namespace, client: Any = None) -> tuple[Any, str]:
    """A Connect client in the instance's Region (``client`` when given) and the instance ARN the arguments name.

    An ARN is checked for shape and gives the Region; an alias is looked up in ``--region``. Raises
    `_live.LiveReadError`.
    """
    if args.instance_arn is not None:
        instance_arn = _live.resolve_instance_arn(None, instance_arn=args.instance_arn)
        client = client or _live.make_client(region=_live.region_of(instance_arn), profile=args.profile)
    else:
        client = client or _live.make_client(region=args.region, profile=args.profile)
        instance_arn = _live.resolve_instance_arn(client, alias=args.instance_alias)
    return client, instance_arn
