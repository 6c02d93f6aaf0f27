"""``_tree`` reads what the construct tree says once, then answers from Python (no request to the jsii kernel)."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from benchmarks.round_trips import counting_requests
from cdk_connect_quickconnect._tree import facts_of, only_child, stack_of
from tests.support import ACCOUNT, REGION, new_stack


def test_a_stack_and_its_facts_are_read_once() -> None:
    stack = new_stack()
    nested = Construct(Construct(stack, "Outer"), "Inner")
    assert stack_of(nested) is stack
    facts = facts_of(nested)
    assert (facts.path, facts.account, facts.region, facts.root) == ("Stack", ACCOUNT, REGION, stack.node.root)
    with counting_requests() as requests:
        assert stack_of(nested) is stack
        assert facts_of(nested) is facts
    assert sum(requests.values()) == 0


def test_only_child_creates_once_and_then_asks_the_tree_no_more() -> None:
    stack = new_stack()
    made: list[Construct] = []

    def create() -> Construct:
        made.append(Construct(stack, "Only"))
        return made[-1]

    first = only_child(stack, "Only", Construct, create)
    with counting_requests() as requests:
        again = only_child(stack, "Only", Construct, create)
    assert again is first and made == [first]
    assert sum(requests.values()) == 0


def test_only_child_finds_a_child_the_tree_already_has() -> None:
    stack = new_stack()
    existing = cdk.CfnOutput(stack, "Existing", value="x")
    found = only_child(stack, "Existing", cdk.CfnOutput, lambda: cdk.CfnOutput(stack, "Existing", value="y"))
    assert found is existing
