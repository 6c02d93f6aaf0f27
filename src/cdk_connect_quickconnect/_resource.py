"""What every Connect resource interface of this library has in common."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from constructs import Node


@runtime_checkable
class IConnectResource(Protocol):
    """A construct that stands for one resource of one Amazon Connect instance."""

    @property
    def node(self) -> Node:
        """The construct tree node."""
        ...

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance the resource belongs to."""
        ...
