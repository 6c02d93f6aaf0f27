"""Bad input gets a ConnectValidationError naming the argument and where, with a traceback that shows the caller.

Every public argument of every public construct and factory (found by introspection of the package's ``__all__``,
so a new one is swept as soon as it exists) is given None, "", 0, a dict and a list in turn, the others being valid.
The entry points:

- constructs (classes that are constructs): the constructor, public static and class methods (inherited ones too)
  and public methods (``add_quick_connects``);
- other public classes: their static and class methods, the factories (``Queue.from_queue_arn``,
  ``QuickConnectDestination.user``, ``Prompt.text``, ``TransferFallback.to_queue``, ``TransferRoutes.from_stack``).
  Value classes are made by those factories, so their own constructors (``QuickConnectDestination(...)``,
  ``Prompt(...)``, ``FlowDocument(...)``, ``TransferFallback(...)``) are not swept, nor the methods the library calls
  on them. A destination, a prompt or a fallback has no construct path: its bad value is reported by the construct
  that takes it (``destination.user`` of a ``QuickConnect``, ``prompt`` and ``on_error.queue`` of an
  ``AgentTransferFlow``).
"""

from __future__ import annotations

import enum
import inspect
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_connect as connect
from constructs import Construct

import cdk_connect_quickconnect as package
from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectValidationError,
    ContactFlow,
    ContactFlowType,
    Prompt,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
    QuickConnectDestination,
    QuickConnectType,
    TransferFallback,
    TransferRoutes,
    User,
)
from tests.support import FLOW_ID, INSTANCE_ARN, QUEUE_ARN, QUICK_CONNECT_ID, USER_ARN, new_stack, owned_cfn_queue

BAD_VALUES: list[Any] = [None, "", 0, {}, []]
#: The construct id every swept call is given (its path is then ``Stack/Sweep``).
ID = "Sweep"
#: Value classes whose factories make a value a construct then takes, and how that construct names the value.
VALUE_CARRIERS = {"QuickConnectDestination": "destination.{}", "Prompt": "prompt", "TransferFallback": "on_error.{}"}


@dataclass(frozen=True)
class EntryPoint:
    """One public constructor, factory or method, and how to call it."""

    owner: type
    name: str  # "__init__" for a constructor
    kind: str  # "constructor", "factory" or "method"

    @property
    def qualname(self) -> str:
        return self.owner.__name__ if self.name == "__init__" else f"{self.owner.__name__}.{self.name}"

    def signature(self) -> inspect.Signature:
        if self.kind == "constructor":
            parameters = list(inspect.signature(self.owner.__init__).parameters.values())[1:]  # type: ignore[misc]
            return inspect.Signature(parameters)
        if self.kind == "method":
            parameters = list(inspect.signature(getattr(self.owner, self.name)).parameters.values())[1:]
            return inspect.Signature(parameters)
        return inspect.signature(getattr(self.owner, self.name))


def _is_ours(klass: type) -> bool:
    return klass.__module__.startswith("cdk_connect_quickconnect")


def entry_points() -> list[EntryPoint]:
    found: list[EntryPoint] = []
    for name in package.__all__:
        value = getattr(package, name)
        if not isinstance(value, type) or issubclass(value, (enum.Enum, BaseException)):
            continue
        if getattr(value, "_is_protocol", False):
            continue
        is_construct = issubclass(value, Construct)
        if is_construct:
            found.append(EntryPoint(value, "__init__", "constructor"))
        seen: set[str] = set()
        for klass in value.__mro__:
            if not _is_ours(klass):
                continue
            for member_name, member in vars(klass).items():
                if member_name.startswith("_") or member_name in seen:
                    continue
                seen.add(member_name)
                if isinstance(member, (staticmethod, classmethod)):
                    found.append(EntryPoint(value, member_name, "factory"))
                elif is_construct and inspect.isfunction(member):
                    found.append(EntryPoint(value, member_name, "method"))
    return found


ENTRY_POINTS = entry_points()


# ---- valid arguments -------------------------------------------------------------------------------------------------


_MADE: WeakKeyDictionary[cdk.Stack, dict[str, Any]] = WeakKeyDictionary()


def _once(stack: cdk.Stack, id: str, make: Callable[[], Any]) -> Any:
    """The one ``id`` of ``stack`` the sweep needs, however many arguments take it."""
    made = _MADE.setdefault(stack, {})
    if id not in made:
        made[id] = make()
    return made[id]


def _instance(stack: cdk.Stack) -> Any:
    return _once(
        stack, "SweepInstance", lambda: ConnectInstance.from_instance_arn(stack, "SweepInstance", INSTANCE_ARN)
    )


def _queue(stack: cdk.Stack) -> Any:
    return _once(stack, "SweepQueue", lambda: Queue.from_queue_arn(stack, "SweepQueue", QUEUE_ARN))


def _flow(flow_type: ContactFlowType) -> Callable[[cdk.Stack], Any]:
    """A flow of ``flow_type``, one per type and stack (a transfer flow takes flows of several types at once)."""
    id = f"Sweep{flow_type.name.title().replace('_', '')}Flow"
    return lambda stack: _once(
        stack,
        id,
        lambda: ContactFlow.from_contact_flow_arn(
            stack, id, f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}", flow_type=flow_type
        ),
    )


def _synthesized(stack: cdk.Stack) -> str:
    """The cloud assembly directory of ``stack``'s app, with a quick connect in it."""
    _quick_connect(stack)
    stage = cdk.Stage.of(stack)
    assert stage is not None
    return stage.synth().directory


def _quick_connect(stack: cdk.Stack) -> QuickConnect:
    return QuickConnect(
        stack,
        "SweepQuickConnect",
        instance=_instance(stack),
        name="Sweep hotline",
        destination=QuickConnectDestination.phone_number("+18005550100"),
    )


def _cfn_user(stack: cdk.Stack) -> connect.CfnUser:
    return connect.CfnUser(
        stack,
        "SweepCfnUser",
        instance_arn=INSTANCE_ARN,
        username="sweep",
        routing_profile_arn=f"{INSTANCE_ARN}/routing-profile/rp",
        security_profile_arns=[f"{INSTANCE_ARN}/security-profile/sp"],
        phone_config=connect.CfnUser.UserPhoneConfigProperty(phone_type="SOFT_PHONE"),
    )


#: A valid value for each argument, by name; ``Owner.method.argument`` where one call needs another.
VALID: dict[str, Callable[[cdk.Stack], Any]] = {
    "scope": lambda stack: stack,
    "id": lambda stack: ID,
    "instance": _instance,
    "name": lambda stack: "Sweep name",
    "destination": lambda stack: QuickConnectDestination.phone_number("+18005550100"),
    "description": lambda stack: "A description",
    "quick_connect_arn": lambda stack: f"{INSTANCE_ARN}/transfer-destination/{QUICK_CONNECT_ID}",
    "quick_connect_type": lambda stack: QuickConnectType.PHONE_NUMBER,
    "instance_arn": lambda stack: INSTANCE_ARN,
    "instance_alias": lambda stack: "my-contact-center",
    "refresh": lambda stack: "1",
    "queue_arn": lambda stack: QUEUE_ARN,
    "queue_name": lambda stack: "BasicQueue",
    "cfn_queue": lambda stack: owned_cfn_queue(stack),
    "user_arn": lambda stack: USER_ARN,
    "username": lambda stack: "mav2",
    "cfn_user": _cfn_user,
    "contact_flow_arn": lambda stack: f"{INSTANCE_ARN}/contact-flow/{FLOW_ID}",
    "contact_flow_name": lambda stack: "Collect payment details",
    "flow_type": lambda stack: ContactFlowType.CONTACT_FLOW,
    "ConnectLookup.flow_type": lambda stack: None,  # a queue lookup takes none
    "kind": lambda stack: "queue",
    "queue": _queue,
    "quick_connects": lambda stack: [_quick_connect(stack)],
    "QueueQuickConnectAssociation.add_to_queue.quick_connects": _quick_connect,  # *quick_connects: one of them
    "QueueQuickConnectAssociation.add_quick_connects.quick_connects": _quick_connect,
    "removal_policy": lambda stack: cdk.RemovalPolicy.RETAIN,
    "prompt": lambda stack: "Hello",
    "failure_prompt": lambda stack: "Goodbye",
    "closed_prompt": lambda stack: "Closed",
    "unstaffed_prompt": lambda stack: "Nobody here",
    "check_hours_of_operation": lambda stack: True,
    "check_staffing": lambda stack: True,  # a fallback for an unstaffed queue needs the check
    "user": lambda stack: User.from_user_arn(stack, "SweepUser", USER_ARN),
    "QuickConnectDestination.user.flow": _flow(ContactFlowType.AGENT_TRANSFER),
    "QuickConnectDestination.queue.flow": _flow(ContactFlowType.QUEUE_TRANSFER),
    "QuickConnectDestination.flow.flow": _flow(ContactFlowType.CONTACT_FLOW),
    "phone_number": lambda stack: "+18005550100",
    "text": lambda stack: "Hello",
    "ssml": lambda stack: "<speak>Hello</speak>",
    "prompt_arn": lambda stack: f"{INSTANCE_ARN}/prompt/11111111-2222-4333-8444-555555555555",
    "when_closed": lambda stack: TransferFallback.to_queue(_queue(stack)),
    "when_unstaffed": lambda stack: TransferFallback.to_phone_number("+18005550142"),
    "when_at_capacity": lambda stack: TransferFallback.to_flow(_flow(ContactFlowType.CONTACT_FLOW)(stack)),
    "on_error": lambda stack: TransferFallback.disconnect(prompt="Sorry, goodbye."),
    "agent_whisper_flow": _flow(ContactFlowType.AGENT_WHISPER),
    "customer_whisper_flow": _flow(ContactFlowType.CUSTOMER_WHISPER),
    "TransferFallback.to_queue.flow": _flow(ContactFlowType.QUEUE_TRANSFER),
    "TransferFallback.to_flow.flow": _flow(ContactFlowType.CONTACT_FLOW),
    "caller_id_number": lambda stack: "$.SystemEndpoint.Address",
    "caller_id_name": lambda stack: "Support",
    "timeout": lambda stack: cdk.Duration.seconds(20),
    "policy": lambda stack: cdk.RemovalPolicy.RETAIN,
    "stack": lambda stack: stack,
    "directory": _synthesized,
}


#: Arguments that take None where the sweep calls them: a queue lookup takes no flow_type.
NONE_IS_VALID = {"ConnectLookup.flow_type"}


def _valid(entry: EntryPoint, parameter: str, stack: cdk.Stack) -> Any:
    for key in (f"{entry.qualname}.{parameter}", f"{entry.owner.__name__}.{parameter}", parameter):
        if key in VALID:
            return VALID[key](stack)
    raise AssertionError(f"no valid value known for {entry.qualname}({parameter}=...): add one to VALID")


# ---- calling an entry point the way an app does ----------------------------------------------------------------------


def _call(entry: EntryPoint, stack: cdk.Stack, replaced: str | None = None, bad: Any = None) -> Any:
    """Call ``entry`` with valid arguments, ``replaced`` given ``bad``; a value a factory makes is then used."""
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for parameter in entry.signature().parameters.values():
        value = bad if parameter.name == replaced else _valid(entry, parameter.name, stack)
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            positional.append(value)
        elif parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            keywords[parameter.name] = value
        else:
            positional.append(value)
    if entry.kind == "constructor":
        return entry.owner(*positional, **keywords)
    if entry.kind == "method":
        return getattr(_construct_for(entry, stack), entry.name)(*positional, **keywords)
    made = getattr(entry.owner, entry.name)(*positional, **keywords)
    return _use(entry, stack, made)


def _construct_for(entry: EntryPoint, stack: cdk.Stack) -> Any:
    """A construct of ``entry.owner`` to call a method on: made from valid arguments, at ``Stack/Sweep``."""
    if entry.owner is not QueueQuickConnectAssociation:
        return _call(EntryPoint(entry.owner, "__init__", "constructor"), stack)
    # Its own quick connect, so that the one the sweep adds (add_quick_connects) is not listed twice.
    queue = _queue(stack)
    first = QuickConnect(
        stack,
        "First",
        instance=_instance(stack),
        name="First",
        destination=QuickConnectDestination.phone_number("+18005550101"),
    )
    return QueueQuickConnectAssociation(stack, ID, queue=queue, quick_connects=[first])


def _use(entry: EntryPoint, stack: cdk.Stack, made: Any) -> Any:
    """A value class's value, given to the construct that takes it (which validates it and names the path)."""
    if entry.owner is QuickConnectDestination:
        return QuickConnect(stack, ID, instance=_instance(stack), name="Sweep", destination=made)
    if entry.owner is Prompt:
        return AgentTransferFlow(stack, ID, instance=_instance(stack), name="Sweep", prompt=made)
    if entry.owner is TransferFallback:
        return AgentTransferFlow(stack, ID, instance=_instance(stack), name="Sweep", on_error=made)
    return made


def _expected_property(entry: EntryPoint, parameter: str) -> str:
    carried = VALUE_CARRIERS.get(entry.owner.__name__)
    return carried.format(parameter) if carried else parameter


def _expected_place(entry: EntryPoint, parameter: str) -> str:
    """Where the message says the mistake is: the construct's path, or the call when no path exists yet."""
    if parameter == "scope":
        return f"<no scope>/{ID}"
    if parameter == "id":
        return "Stack"
    if entry.qualname in ("Queue.from_cfn_queue", "User.from_cfn_user") or entry.owner is TransferRoutes:
        return entry.qualname
    if entry.qualname == "QueueQuickConnectAssociation.add_to_queue":
        return entry.qualname if parameter == "queue" else "Stack/SweepQueue/QuickConnects"
    return f"Stack/{ID}"


def _internal_frames(error: BaseException) -> list[str]:
    """The frames of this package and of jsii in ``error``'s traceback."""
    directories = tuple(os.path.dirname(path) + os.sep for path in (str(package.__file__), str(jsii.__file__)))
    return [
        f"{frame.filename}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.startswith(directories)
    ]


def _cases() -> list[Any]:
    cases = []
    for entry in ENTRY_POINTS:
        for parameter in entry.signature().parameters.values():
            for bad in BAD_VALUES:
                if parameter.default is not inspect.Parameter.empty and bad is parameter.default:
                    continue  # None is how an optional argument is left out
                if bad is None and f"{entry.qualname}.{parameter.name}" in NONE_IS_VALID:
                    continue
                label = f"{entry.qualname}-{parameter.name}-{type(bad).__name__}{'-empty' if bad == '' else ''}"
                cases.append(pytest.param(entry, parameter.name, bad, id=label))
    return cases


# ---- the tests -------------------------------------------------------------------------------------------------------


def test_the_sweep_finds_every_kind_of_entry_point() -> None:
    names = {entry.qualname for entry in ENTRY_POINTS}
    assert {
        "QuickConnect",
        "AgentTransferFlow",
        "QueueTransferFlow",
        "QueueQuickConnectAssociation",
        "ConnectLookup",
        "ConnectInstance.from_instance_arn",
        "ConnectInstance.from_instance_alias",
        "Queue.from_queue_name",
        "Queue.from_cfn_queue",
        "User.from_username",
        "ContactFlow.from_contact_flow_name",
        "AgentTransferFlow.from_default",
        "QueueTransferFlow.from_default",
        "QuickConnect.from_quick_connect_arn",
        "QueueQuickConnectAssociation.add_to_queue",
        "QueueQuickConnectAssociation.add_quick_connects",
        "QuickConnectDestination.user",
        "Prompt.ssml",
        "TransferFallback.to_queue",
        "TransferFallback.disconnect",
        "TransferRoutes.from_stack",
        "TransferRoutes.from_assembly",
        "QueueQuickConnectAssociation.apply_removal_policy",
        "ConnectLookup.apply_removal_policy",
    } <= names
    assert len(_cases()) > 300


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda entry: entry.qualname)
def test_every_entry_point_accepts_the_valid_arguments_the_sweep_starts_from(entry: EntryPoint) -> None:
    _call(entry, new_stack())


@pytest.mark.parametrize(("entry", "parameter", "bad"), _cases())
def test_a_bad_argument_fails_naming_it_and_where(entry: EntryPoint, parameter: str, bad: Any) -> None:
    with pytest.raises(ConnectValidationError) as raised:
        _call(entry, new_stack(), parameter, bad)
    message = str(raised.value)
    assert message.startswith(f"'{_expected_property(entry, parameter)}' must "), message
    assert message.endswith(f"(at {_expected_place(entry, parameter)})"), message
    internal = _internal_frames(raised.value)
    assert len(internal) == 1, f"the traceback holds one library frame, the entry point's: {internal}"
    assert "_validation.py" in internal[0]


# ---- the traceback a user sees ---------------------------------------------------------------------------------------


def test_an_error_in_a_construct_shows_the_callers_frame_and_one_library_frame() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        QuickConnect(
            stack,
            "ToMav2",
            instance=instance,
            name="",
            destination=QuickConnectDestination.phone_number("+18005550100"),
        )
    frames = traceback.extract_tb(raised.value.__traceback__)
    assert [frame.name for frame in frames] == [
        "test_an_error_in_a_construct_shows_the_callers_frame_and_one_library_frame",
        "__call__",
    ]
    assert Path(frames[-1].filename).name == "_validation.py"
    assert raised.value.__suppress_context__


def test_a_subclass_of_a_construct_keeps_its_own_frame() -> None:
    class HotlineQuickConnect(QuickConnect):
        def __init__(self, scope: Construct, id: str, number: str) -> None:
            instance = ConnectInstance.from_instance_arn(scope, f"{id}Instance", INSTANCE_ARN)
            super().__init__(
                scope, id, instance=instance, name="Hotline", destination=QuickConnectDestination.phone_number(number)
            )

    with pytest.raises(ConnectValidationError, match=r"'destination\.phone_number' must be an E\.164 number") as raised:
        HotlineQuickConnect(new_stack(), "Hotline", "555-0100")
    names = [frame.name for frame in traceback.extract_tb(raised.value.__traceback__)]
    assert names == ["test_a_subclass_of_a_construct_keeps_its_own_frame", "__call__", "__init__"]


def test_a_factory_given_a_missing_context_value_says_so() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError) as raised:
        ConnectInstance.from_instance_arn(stack, "Instance", stack.node.try_get_context("instanceArn"))
    assert str(raised.value) == (
        "'instance_arn' must be an Amazon Connect ARN 'arn:<partition>:connect:<region>:<account>:instance/"
        "<instanceId>', got None (a CDK context key that is not set reads as None: give it in cdk.json or with -c) "
        "(at Stack/Instance)"
    )
    frames = traceback.extract_tb(raised.value.__traceback__)
    assert [frame.name for frame in frames] == [
        "test_a_factory_given_a_missing_context_value_says_so",
        "called_by_user",
    ]
