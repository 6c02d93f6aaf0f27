"""Synth-time validation shared by every construct: one error type, one message shape, raised from the user's call.

Every public constructor and factory is an entry point (:class:`ConstructEntryPoint`, :func:`entry_point`): a
:class:`ConnectValidationError` raised anywhere below it reaches the caller with the library's frames, and jsii's,
left out of its traceback, so what the user reads is their own code and one line of the library.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
from collections.abc import Callable
from enum import Enum
from types import TracebackType
from typing import Any, NoReturn, TypeVar, cast

import jsii
from aws_cdk import Token
from constructs import Construct, IConstruct

from ._tree import stack_of

_MAX_SHOWN_VALUE = 200

_Function = TypeVar("_Function", bound=Callable[..., Any])
_Member = TypeVar("_Member", bound=Enum)


class ConnectValidationError(ValueError):
    """Raised at synth time when a construct or factory is given a value that cannot work.

    The message names the property, the rule it breaks, the value received and the construct path,
    e.g. ``'name' must be 1-127 characters, got '' (0 characters) (at Stack/ToMav2)``. It is raised from the
    call that was given the value (a constructor, a factory such as ``Queue.from_queue_arn``, or
    ``add_quick_connects``), with the library's own frames left out of the traceback. A ``ValueError``.
    """

    # Shown as the package's, where it is imported from (``from cdk_connect_quickconnect import ...``).
    __module__ = "cdk_connect_quickconnect"


#: The directories of this package and of jsii: their frames are left out of a ConnectValidationError's traceback.
_INTERNAL_DIRECTORIES = tuple(os.path.dirname(path) + os.sep for path in (__file__, jsii.__file__))


def _outside_library(traceback: TracebackType | None) -> TracebackType | None:
    """``traceback`` without the frames of this package and jsii: the user's own code (a subclass's too) is kept."""
    kept: list[TracebackType] = []
    while traceback is not None:
        if not traceback.tb_frame.f_code.co_filename.startswith(_INTERNAL_DIRECTORIES):
            kept.append(traceback)
        traceback = traceback.tb_next
    trimmed: TracebackType | None = None
    for entry in reversed(kept):
        trimmed = TracebackType(trimmed, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return trimmed


class ConstructEntryPoint(jsii.JSIIAbstractClass):
    """The metaclass of this library's constructs: creating one is an entry point.

    A :class:`ConnectValidationError` raised while the construct is created reaches the caller from here, its
    traceback trimmed to the user's frames (jsii's own ``__call__`` frame included in what is left out).
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (a metaclass method takes the class)
        try:
            return super().__call__(*args, **kwargs)
        except ConnectValidationError as error:
            raise error.with_traceback(_outside_library(error.__traceback__)) from None


_NOT_GIVEN = object()


def entry_point(function: _Function) -> _Function:
    """Make ``function`` (a public factory or method) an entry point, as :class:`ConstructEntryPoint` does constructors.

    When it takes ``scope`` and ``id``, they are checked first (:func:`check_scope_and_id`).
    """
    names = list(inspect.signature(function).parameters)
    checks_scope = "scope" in names and "id" in names
    scope_at, id_at = (names.index("scope"), names.index("id")) if checks_scope else (-1, -1)

    @functools.wraps(function)
    def called_by_user(*args: Any, **kwargs: Any) -> Any:
        try:
            if checks_scope:
                scope = args[scope_at] if len(args) > scope_at else kwargs.get("scope", _NOT_GIVEN)
                id = args[id_at] if len(args) > id_at else kwargs.get("id", _NOT_GIVEN)
                if scope is not _NOT_GIVEN and id is not _NOT_GIVEN:
                    check_scope_and_id(scope, id)
            return function(*args, **kwargs)
        except ConnectValidationError as error:
            raise error.with_traceback(_outside_library(error.__traceback__)) from None

    return cast(_Function, called_by_user)


def check_scope_and_id(scope: Any, id: Any) -> None:
    """Fail unless ``scope`` is a construct and ``id`` a non-empty string, before anything is created."""
    if not isinstance(scope, Construct):
        fail_at(
            f"<no scope>/{id}" if isinstance(id, str) else "<no scope>",
            "scope",
            "be a construct (a Stack, or a construct inside one)",
            scope,
        )
    if not isinstance(id, str) or not id:
        fail(scope, "id", "be a non-empty string (the construct id)", id)


#: How aws-cdk-lib recognises an unresolved string and a list token (``core/lib/private/encoding``: a string is
#: unresolved when it holds ``Token[`` and matches ``STRING_TOKEN_REGEX``; a one-element list when its element
#: matches ``LIST_TOKEN_REGEX``), so that strings and lists are answered without a round trip to the kernel.
_TOKEN_KEY_CHARS = "a-zA-Z0-9:._-"
_STRING_TOKEN = re.compile(rf"\$\{{Token\[[{_TOKEN_KEY_CHARS}]+\]\}}|-1\.\d{{10,16}}e\+289")
_LIST_TOKEN = re.compile(rf"#\{{Token\[[{_TOKEN_KEY_CHARS}]+\]\}}")


def is_token(value: Any) -> bool:
    """Return whether ``value`` is an unresolved CDK token, as ``Token.is_unresolved`` answers.

    Strings and lists are decided here by aws-cdk-lib's own rules; anything else (a number, an ``IResolvable``)
    is asked of the jsii kernel.
    """
    if isinstance(value, str):
        return "Token[" in value and _STRING_TOKEN.search(value) is not None
    if isinstance(value, list):
        return len(value) == 1 and isinstance(value[0], str) and _LIST_TOKEN.search(value[0]) is not None
    return bool(Token.is_unresolved(value))


def comparable(scope: IConstruct, value: str) -> str:
    """A key equal for equal values, tokens included: a token is compared by what it resolves to."""
    return repr(stack_of(scope).resolve(value)) if is_token(value) else value


def describe(value: Any, *, with_length: bool = False) -> str:
    """Render ``value`` for an error message, shortening long strings (and giving their length if asked)."""
    if not isinstance(value, str):
        return repr(value)
    shown = value if len(value) <= _MAX_SHOWN_VALUE else value[:_MAX_SHOWN_VALUE] + "..."
    return f"{shown!r} ({len(value)} characters)" if with_length else repr(shown)


def fail(
    scope: IConstruct, prop: str, rule: str, value: Any, *, with_length: bool = False, from_context: bool = False
) -> NoReturn:
    """Raise a :class:`ConnectValidationError` for ``prop`` of ``scope``.

    :param from_context: whether the value is one apps often read from CDK context (an ARN, a name): a None then
        says why it may be None.
    """
    fail_at(scope.node.path, prop, rule, value, with_length=with_length, from_context=from_context)


def fail_at(
    path: str, prop: str, rule: str, value: Any, *, with_length: bool = False, from_context: bool = False
) -> NoReturn:
    """Like :func:`fail`, for a construct about to be created at ``path`` (a factory checking its arguments)."""
    shown = NONE_FROM_CONTEXT if value is None and from_context else describe(value, with_length=with_length)
    raise ConnectValidationError(f"'{prop}' must {rule}, got {shown} (at {path})")


class _PathOf:
    """Stands for a construct not created yet where only its path is read (:func:`fail` reads ``node.path``)."""

    def __init__(self, scope: Construct, id: str) -> None:
        self._scope = scope
        self._id = id

    @property
    def node(self) -> _PathOf:
        return self

    @property
    def path(self) -> str:
        return f"{self._scope.node.path}/{self._id}"


def construct_to_come(scope: Construct, id: str) -> Construct:
    """What messages name a construct not created yet by: ``scope``'s path and ``id`` (``fail`` reads only that)."""
    return cast(Construct, _PathOf(scope, id))


#: How a message shows None given for a value apps often read from CDK context (``node.try_get_context``).
NONE_FROM_CONTEXT = "None (a CDK context key that is not set reads as None: give it in cdk.json or with -c)"


def enum_member(scope: IConstruct, prop: str, enum: type[_Member], value: Any) -> _Member:
    """``value`` as a member of ``enum`` (given as the member or its value); else fail, listing the members."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except (ValueError, TypeError):
        pass
    fail(scope, prop, f"be a {enum.__name__} ({', '.join(str(member.value) for member in enum)})", value)


def check_flag(scope: IConstruct, prop: str, value: Any) -> None:
    """Fail unless ``value`` is True or False (``0``, ``""`` or None are slips, not choices)."""
    if not isinstance(value, bool):
        fail(scope, prop, "be True or False", value)


def check_length(
    scope: IConstruct, prop: str, value: Any, *, minimum: int, maximum: int, required: bool = False
) -> None:
    """Fail unless ``value`` is a token or a string of ``minimum``..``maximum`` characters (None: if not ``required``).

    ``scope`` is the construct the value is for (a factory passes ``construct_to_come(scope, id)``).
    """
    if value is None and not required:
        return
    if not isinstance(value, str):
        fail(scope, prop, "be a string", value, from_context=True)
    if is_token(value):
        return
    if not minimum <= len(value) <= maximum:
        fail(scope, prop, f"be {minimum}-{maximum} characters", value, with_length=True)


def check_pattern(scope: IConstruct, prop: str, value: str | None, pattern: re.Pattern[str], rule: str) -> None:
    """Fail unless ``value`` is absent, a token, or fully matches ``pattern``; ``rule`` words the pattern."""
    if value is None:
        return
    if not isinstance(value, str):
        fail(scope, prop, "be a string", value)
    if is_token(value):
        return
    if not pattern.fullmatch(value):
        fail(scope, prop, rule, value)
