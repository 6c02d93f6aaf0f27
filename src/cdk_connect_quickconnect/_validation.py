"""Synth-time validation shared by every construct: one error type, one message shape."""

from __future__ import annotations

import re
from typing import Any, NoReturn

from aws_cdk import Token
from constructs import IConstruct

from ._tree import stack_of

_MAX_SHOWN_VALUE = 200


class ConnectValidationError(ValueError):
    """Raised at synth time when a construct is given a property value that cannot work.

    The message names the property, the rule it breaks, the value received and the construct path,
    e.g. ``'name' must be 1-127 characters, got '' (0 characters) (at Stack/ToMav2)``.
    """


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


def fail(scope: IConstruct, prop: str, rule: str, value: Any, *, with_length: bool = False) -> NoReturn:
    """Raise a :class:`ConnectValidationError` for ``prop`` of ``scope``."""
    fail_at(scope.node.path, prop, rule, value, with_length=with_length)


def fail_at(path: str, prop: str, rule: str, value: Any, *, with_length: bool = False) -> NoReturn:
    """Like :func:`fail`, for a construct about to be created at ``path`` (a factory checking its arguments)."""
    message = f"'{prop}' must {rule}, got {describe(value, with_length=with_length)} (at {path})"
    raise ConnectValidationError(message)


def check_length(scope: IConstruct, prop: str, value: str | None, *, minimum: int, maximum: int) -> None:
    """Fail unless ``value`` is absent, a token, or a string of ``minimum``..``maximum`` characters."""
    if value is None or is_token(value):
        return
    if not minimum <= len(value) <= maximum:
        fail(scope, prop, f"be {minimum}-{maximum} characters", value, with_length=True)


def check_pattern(scope: IConstruct, prop: str, value: str | None, pattern: re.Pattern[str], rule: str) -> None:
    """Fail unless ``value`` is absent, a token, or fully matches ``pattern``; ``rule`` words the pattern."""
    if value is None or is_token(value):
        return
    if not pattern.fullmatch(value):
        fail(scope, prop, rule, value)
