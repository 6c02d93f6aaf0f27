"""``is_token`` answers strings and lists in Python exactly as aws-cdk-lib's ``Token.is_unresolved`` does."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import jsii
import pytest

from cdk_connect_quickconnect._validation import is_token

_import = cdk.Fn.import_value("Shared")


def _samples() -> list[tuple[str, Any]]:
    number_token = cdk.Token.as_number(_import)
    list_token = cdk.Token.as_list(cdk.Fn.split(",", _import))
    return [
        ("plain string", "arn:aws:connect:us-east-1:111122223333:instance/abc"),
        ("empty string", ""),
        ("text mentioning Token[", "see Token[docs] for ${Token[ unclosed"),
        ("marker with a character tokens never hold", "${Token[not a token]}"),
        ("a string token", _import),
        ("a token inside text", f"arn:{_import}/queue/*"),
        ("a pseudo parameter", cdk.Aws.ACCOUNT_ID),
        ("a lazy string", cdk.Lazy.string(_Produce())),
        ("a number token written into a string", f"{number_token}"),
        ("a made-up token string", "${Token[TOKEN.999999]}"),
        ("a list token", list_token),
        ("a list token's element", list_token[0]),
        ("a one-element list of a plain string", ["arn"]),
        ("a two-element list holding a token", [_import, "arn"]),
        ("a one-element list holding a string token", [_import]),
        ("an empty list", []),
    ]


@jsii.implements(cdk.IStringProducer)
class _Produce:
    def produce(self, context: cdk.IResolveContext) -> str:
        return "produced"


@pytest.mark.parametrize(("label", "value"), _samples(), ids=[label for label, _ in _samples()])
def test_is_token_agrees_with_aws_cdk_lib(label: str, value: Any) -> None:
    assert is_token(value) == cdk.Token.is_unresolved(value), label


def test_the_samples_hold_both_answers() -> None:
    """The comparison above means something only if both answers occur."""
    answers = {cdk.Token.is_unresolved(value) for _, value in _samples()}
    assert answers == {True, False}
