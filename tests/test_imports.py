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
