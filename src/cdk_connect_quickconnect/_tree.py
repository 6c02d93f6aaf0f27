"""What the construct tree says about a construct's stack, read from the jsii kernel once and kept in Python.

Every read of a construct's property from Python is a round trip to the kernel process (Node). A construct's
stack, and that stack's path, account, Region and app root, never change once the stack exists, so each is read
once per stack here instead of once per resource: the library's synth cost per quick connect stays at what
hand-written L1 code pays (``benchmarks.round_trips``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from weakref import WeakKeyDictionary

from aws_cdk import Stack
from constructs import IConstruct

_STACKS: WeakKeyDictionary[IConstruct, Stack] = WeakKeyDictionary()
_FACTS: WeakKeyDictionary[Stack, StackFacts] = WeakKeyDictionary()
_CHILDREN: WeakKeyDictionary[IConstruct, dict[str, IConstruct]] = WeakKeyDictionary()

_Child = TypeVar("_Child", bound=IConstruct)


@dataclass(frozen=True)
class StackFacts:
    """A stack's fixed facts."""

    #: The construct path of the stack.
    path: str
    #: The account, a token for an environment-agnostic stack.
    account: str
    #: The Region, a token for an environment-agnostic stack.
    region: str
    #: The root of the construct tree (the app).
    root: IConstruct


def stack_of(scope: IConstruct) -> Stack:
    """``Stack.of(scope)``, asked of the kernel once per construct (a stack is its own stack)."""
    if isinstance(scope, Stack):
        return scope
    stack = _STACKS.get(scope)
    if stack is None:
        stack = Stack.of(scope)
        _STACKS[scope] = stack
    return stack


def remember_stack(construct: IConstruct, stack: Stack) -> None:
    """Record that ``construct``, just created below a construct of ``stack``, is in ``stack``."""
    _STACKS[construct] = stack


def facts_of(scope: IConstruct) -> StackFacts:
    """The fixed facts of ``scope``'s stack."""
    stack = stack_of(scope)
    facts = _FACTS.get(stack)
    if facts is None:
        node = stack.node
        facts = StackFacts(path=node.path, account=stack.account, region=stack.region, root=node.root)
        _FACTS[stack] = facts
    return facts


def only_child(parent: IConstruct, id: str, kind: type[_Child], create: Callable[[], _Child]) -> _Child:
    """The one ``kind`` child ``id`` of ``parent`` (e.g. a stack's provider), made by ``create`` if the tree has none.

    The tree is asked once per parent and id; later calls are answered from Python.
    """
    children = _CHILDREN.setdefault(parent, {})
    child = children.get(id)
    if not isinstance(child, kind):
        existing = parent.node.try_find_child(id)
        child = existing if isinstance(existing, kind) else create()
        children[id] = child
    return child
