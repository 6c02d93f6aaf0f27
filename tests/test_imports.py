from __future__ import annotations

import pytest

from cdk_connect_quickconnect import ConnectInstance, ConnectValidationError, Queue, User
from tests.support import INSTANCE_ARN, INSTANCE_ID, QUEUE_ARN, QUEUE_ID, USER_ARN, USER_ID, new_stack


def test_instance_from_arn_exposes_arn_and_id() -> None:
    instance = ConnectInstance.from_instance_arn(new_stack(), "Instance", INSTANCE_ARN)
    assert (instance.instance_arn, instance.instance_id) == (INSTANCE_ARN, INSTANCE_ID)


def test_queue_from_arn_derives_id_and_instance() -> None:
    queue = Queue.from_queue_arn(new_stack(), "Queue", QUEUE_ARN)
    assert (queue.queue_arn, queue.queue_id, queue.instance_arn) == (QUEUE_ARN, QUEUE_ID, INSTANCE_ARN)


def test_user_from_arn_derives_id_and_instance() -> None:
    user = User.from_user_arn(new_stack(), "User", USER_ARN)
    assert (user.user_arn, user.user_id, user.instance_arn) == (USER_ARN, USER_ID, INSTANCE_ARN)


def test_imports_take_their_environment_from_the_arn() -> None:
    queue = Queue.from_queue_arn(new_stack(), "Queue", QUEUE_ARN.replace("us-east-1", "eu-west-2"))
    assert queue.env.region == "eu-west-2"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("factory", "arn", "prop", "shape"),
    [
        (ConnectInstance.from_instance_arn, QUEUE_ARN, "instance_arn", "instance/<instanceId>"),
        (
            ConnectInstance.from_instance_arn,
            "arn:aws:connect:us-east-1:111122223333:instance/",
            "instance_arn",
            "instance/<instanceId>",
        ),
        (Queue.from_queue_arn, USER_ARN, "queue_arn", "instance/<instanceId>/queue/<id>"),
        (Queue.from_queue_arn, "BasicQueue", "queue_arn", "instance/<instanceId>/queue/<id>"),
        (User.from_user_arn, QUEUE_ARN, "user_arn", "instance/<instanceId>/agent/<id>"),
        (
            User.from_user_arn,
            USER_ARN.replace("arn:aws:connect", "arn:aws:sqs"),
            "user_arn",
            "instance/<instanceId>/agent/<id>",
        ),
    ],
)
def test_fails_when_an_imported_arn_is_malformed(factory, arn: str, prop: str, shape: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConnectValidationError) as raised:
        factory(new_stack(), "Imported", arn)
    assert str(raised.value) == (
        f"'{prop}' must be an Amazon Connect ARN 'arn:<partition>:connect:<region>:<account>:{shape}', "
        f"got {arn!r} (at Stack/Imported)"
    )


# ---- an import's construct is created when first needed -----------------------------------------------------


def test_an_import_read_only_for_its_arn_adds_no_construct_until_its_node_is_read() -> None:
    stack = new_stack()
    user = User.from_user_arn(stack, "Mav2", USER_ARN)
    assert (user.user_arn, user.user_id) == (USER_ARN, USER_ID)
    assert stack.node.try_find_child("Mav2") is None
    assert user.node.path == "Stack/Mav2"
    assert stack.node.try_find_child("Mav2") is not None


def test_a_pending_import_knows_its_stack_and_path_without_creating_its_construct() -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "Basic", QUEUE_ARN)
    assert queue.stack is stack  # type: ignore[attr-defined]
    assert queue.path == "Stack/Basic"  # type: ignore[attr-defined]
    assert stack.node.try_find_child("Basic") is None


@pytest.mark.parametrize("second_arn", [QUEUE_ARN, QUEUE_ARN.replace(QUEUE_ID, "99999999-2222-4333-8444-555555555555")])
def test_a_second_import_with_the_same_id_in_the_same_scope_fails_at_once(second_arn: str) -> None:
    stack = new_stack()
    Queue.from_queue_arn(stack, "Basic", QUEUE_ARN)
    with pytest.raises(RuntimeError, match="There is already a Construct with name 'Basic'"):
        Queue.from_queue_arn(stack, "Basic", second_arn)


def test_an_import_whose_id_another_construct_took_fails_when_its_construct_is_created() -> None:
    """The delay's one visible effect: the tree refuses the id when the import's construct is created, not before."""
    import constructs

    stack = new_stack()
    user = User.from_user_arn(stack, "Taken", USER_ARN)
    constructs.Construct(stack, "Taken")
    with pytest.raises(RuntimeError, match="There is already a Construct with name 'Taken'"):
        _ = user.node
