"""The keys of pinned lookups under the ``connectLookups`` CDK context key, shared by the constructs and the CLI.

Standard library only: the command line reads and writes these keys without loading aws-cdk-lib.

``<instance>/<kind>:<name>``, where ``<instance>`` is the alias of an instance looked up by alias or the id of
one given by ARN; flows ``<instance>/contact-flow:<TYPE>:<name>``; an instance ``instance:<alias>``. Keys of
releases before 0.2.0 name no instance (``queue:BasicQueue``). Aliases (letters, digits, hyphens) and ids hold
no ``:`` or ``/``, so a key is read unambiguously: a leading ``<kind>:`` is an old key or an instance's,
anything else names its instance before the first ``/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The CDK context key holding pinned ARNs, keyed by :func:`context_key`.
CONTEXT_KEY = "connectLookups"
#: Every kind of lookup.
LOOKUP_KINDS = ("queue", "user", "contact-flow", "instance")
_FLOW_TYPE = re.compile(r"[A-Z][A-Z_]*")


def context_key(kind: str, name: str, qualifier: str | None = None, *, instance: str | None = None) -> str:
    """The key whose ARN replaces a lookup, e.g. ``my-contact-center/queue:BasicQueue``.

    :param qualifier: the flow type of a ``contact-flow`` lookup (``AGENT_TRANSFER``).
    :param instance: the alias or id naming the instance searched (default: none, the key of earlier releases).
    """
    key = ":".join(part for part in (kind, qualifier, name) if part)
    return key if instance is None else f"{instance}/{key}"


@dataclass(frozen=True)
class PinKey:
    """A key read back: what is looked up, and the instance it names (None for an instance or an old key)."""

    kind: str
    name: str
    instance: str | None = None
    flow_type: str | None = None

    @property
    def names_instance(self) -> bool:
        """Whether the key says which instance it is for (an instance's key is its alias)."""
        return self.kind == "instance" or self.instance is not None


def parse_key(key: str) -> PinKey | None:
    """The lookup ``key`` stands for; None for anything :func:`context_key` does not write."""
    instance, kind_and_name = None, key
    if not any(key.startswith(f"{kind}:") for kind in LOOKUP_KINDS):
        instance, slash, kind_and_name = key.partition("/")
        if not slash or not instance or ":" in instance:
            return None
    kind, _, rest = kind_and_name.partition(":")
    if kind not in LOOKUP_KINDS or not rest or (kind == "instance" and instance is not None):
        return None
    if kind != "contact-flow":
        return PinKey(kind, rest, instance)
    flow_type, _, name = rest.partition(":")
    if not name or not _FLOW_TYPE.fullmatch(flow_type):
        return None
    return PinKey(kind, name, instance, flow_type)
