"""Mistakes that would otherwise fail in the middle of a deploy (or deploy and misbehave) fail at synth."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_connect as connect
from aws_cdk.assertions import Template

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectLookup,
    ConnectValidationError,
    ContactFlow,
    ContactFlowType,
    Prompt,
    Queue,
    QueueQuickConnectAssociation,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    User,
)
from tests.support import (
    ACCOUNT,
    INSTANCE_ARN,
    OTHER_INSTANCE_ARN,
    QUEUE_ARN,
    REGION,
    cfn_lint_findings,
    new_stack,
    owned_cfn_queue,
    template_of,
)

PHONE = QuickConnectDestination.phone_number("+18005550100")


@jsii.implements(cdk.IResolvable)
class _ResolvesTo:
    """A token whose value is known at synth (as a Lazy or another construct's property would be)."""

    def __init__(self, value: str) -> None:
        self._value = value

    @property
    def creation_stack(self) -> list[str]:
        return []

    def resolve(self, context: cdk.IResolveContext) -> str:
        return self._value

    def to_string(self) -> str:
        return "_ResolvesTo"


def _app_with_two_stacks() -> tuple[cdk.Stack, cdk.Stack]:
    app = cdk.App()
    env = cdk.Environment(account=ACCOUNT, region=REGION)
    return cdk.Stack(app, "First", env=env), cdk.Stack(app, "Second", env=env)


def _phone_quick_connect(stack: cdk.Stack, id: str, name: str, instance_arn: str = INSTANCE_ARN) -> QuickConnect:
    instance = ConnectInstance.from_instance_arn(stack, f"{id}Instance", instance_arn)
    return QuickConnect(stack, id, instance=instance, name=name, destination=PHONE)


# ---- duplicate names ------------------------------------------------------------------------------


def test_fails_when_two_quick_connects_of_one_instance_share_a_name_across_stacks() -> None:
    first, second = _app_with_two_stacks()
    _phone_quick_connect(first, "Hotline", "Support hotline")
    with pytest.raises(ConnectValidationError) as raised:
        _phone_quick_connect(second, "AlsoHotline", "Support hotline")
    assert str(raised.value) == (
        "'name' must be unique among the quick connects of one instance across the app (Connect refuses a second "
        "one with DuplicateResourceException); First/Hotline already has it, got 'Support hotline' "
        "(at Second/AlsoHotline)"
    )


def test_same_name_on_two_instances_or_two_kinds_is_fine() -> None:
    stack = new_stack()
    _phone_quick_connect(stack, "A", "Support")
    _phone_quick_connect(stack, "B", "Support", instance_arn=OTHER_INSTANCE_ARN)
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    AgentTransferFlow(stack, "Flow", instance=instance, name="Support")
    Template.from_stack(stack).resource_count_is("AWS::Connect::QuickConnect", 2)


def test_fails_when_two_transfer_flows_of_one_instance_share_a_name() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    AgentTransferFlow(stack, "AgentFlow", instance=instance, name="Transfer")
    with pytest.raises(ConnectValidationError, match=r"Stack/AgentFlow already has it, got 'Transfer' \(at Stack/Q\)"):
        QueueTransferFlow(stack, "Q", instance=instance, name="Transfer")


def test_names_given_as_tokens_are_not_compared() -> None:
    stack = new_stack()
    name = cdk.CfnParameter(stack, "Name").value_as_string
    _phone_quick_connect(stack, "A", name)
    _phone_quick_connect(stack, "B", name)
    Template.from_stack(stack).resource_count_is("AWS::Connect::QuickConnect", 2)


def test_instances_looked_up_by_one_alias_are_one_instance_across_stacks() -> None:
    first, second = _app_with_two_stacks()
    for stack, id in ((first, "A"), (second, "B")):
        instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
        if id == "B":
            with pytest.raises(ConnectValidationError, match=r"First/A already has it"):
                QuickConnect(stack, id, instance=instance, name="Support", destination=PHONE)
        else:
            QuickConnect(stack, id, instance=instance, name="Support", destination=PHONE)


def test_instances_given_as_parameters_are_compared_within_their_stack_only() -> None:
    first, second = _app_with_two_stacks()
    arns = {stack: cdk.CfnParameter(stack, "InstanceArn").value_as_string for stack in (first, second)}
    for stack in (first, second):
        _phone_quick_connect(stack, "Hotline", "Support hotline", instance_arn=arns[stack])
    with pytest.raises(ConnectValidationError, match=r"Second/Hotline already has it, .*\(at Second/Again\)"):
        _phone_quick_connect(second, "Again", "Support hotline", instance_arn=arns[second])


# ---- wrong place ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instance_arn", "part", "expected"),
    [
        (f"arn:aws:connect:eu-west-2:{ACCOUNT}:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "Region", REGION),
        (f"arn:aws:connect:{REGION}:999988887777:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "account", ACCOUNT),
    ],
)
def test_fails_when_the_instance_is_outside_the_stacks_environment(instance_arn: str, part: str, expected: str) -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError) as raised:
        _phone_quick_connect(stack, "Hotline", "Support hotline", instance_arn=instance_arn)
    assert str(raised.value) == (
        f"'instance' must be in the stack's {part} {expected} (CloudFormation creates resources only where the "
        f"stack is; deploy this part in a stack of that environment), got {instance_arn!r} (at Stack/Hotline)"
    )
    instance = ConnectInstance.from_instance_arn(stack, "Elsewhere", instance_arn)
    with pytest.raises(ConnectValidationError, match=rf"'instance' must be in the stack's {part}.*\(at Stack/Flow\)"):
        AgentTransferFlow(stack, "Flow", instance=instance, name="Transfer")


def test_an_environment_agnostic_stack_takes_any_instance() -> None:
    stack = cdk.Stack(cdk.App(), "Agnostic")
    elsewhere = "arn:aws:connect:eu-west-2:999988887777:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    _phone_quick_connect(stack, "Hotline", "Support hotline", instance_arn=elsewhere)
    Template.from_stack(stack).resource_count_is("AWS::Connect::QuickConnect", 1)


def test_fails_when_a_destination_was_looked_up_in_another_looked_up_instance() -> None:
    stack = new_stack()
    main = ConnectInstance.from_instance_alias(stack, "Main", "main-center")
    other = ConnectInstance.from_instance_alias(stack, "Other", "other-center")
    flow = AgentTransferFlow.from_default(stack, "DefaultAgent", main)
    mav2 = User.from_username(stack, "Mav2", other, "mav2")
    with pytest.raises(ConnectValidationError, match=r"'destination.user' must belong to the quick connect's instance"):
        QuickConnect(stack, "ToMav2", instance=main, name="mav2", destination=QuickConnectDestination.user(mav2, flow))


def test_destinations_looked_up_in_the_same_alias_are_accepted() -> None:
    stack = new_stack()
    main = ConnectInstance.from_instance_alias(stack, "Main", "main-center")
    flow = QueueTransferFlow.from_default(stack, "DefaultQueue", main)
    queue = Queue.from_queue_name(stack, "Basic", main, "BasicQueue")
    QuickConnect(stack, "ToBasic", instance=main, name="basic", destination=QuickConnectDestination.queue(queue, flow))
    Template.from_stack(stack).resource_count_is("AWS::Connect::QuickConnect", 1)


# ---- wrong kind of object -------------------------------------------------------------------------


def test_fails_when_the_instance_is_a_plain_arn_string() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError) as raised:
        QuickConnect(stack, "Hotline", instance=INSTANCE_ARN, name="h", destination=PHONE)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "'instance' must be an IConnectInstance (import an ARN with ConnectInstance.from_instance_arn(scope, id, "
        f"arn)), got the string {INSTANCE_ARN!r} (at Stack/Hotline)"
    )


def test_fails_when_a_cfn_queue_is_given_as_the_destination_queue() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    flow = QueueTransferFlow(stack, "Flow", instance=instance, name="q")
    cfn_queue = owned_cfn_queue(stack)
    destination = QuickConnectDestination.queue(cfn_queue, flow)  # type: ignore[arg-type]
    with pytest.raises(ConnectValidationError) as raised:
        QuickConnect(stack, "ToOwned", instance=instance, name="owned", destination=destination)
    assert str(raised.value) == (
        "'destination.queue' must be an IQueue (wrap a CfnQueue with Queue.from_cfn_queue(cfn_queue)), "
        "got a CfnQueue (Stack/Owned) (at Stack/ToOwned)"
    )


def test_fails_when_the_destination_is_not_a_destination() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        QuickConnect(stack, "QC", instance=instance, name="qc", destination="+18005550100")  # type: ignore[arg-type]
    assert str(raised.value) == (
        "'destination' must be a QuickConnectDestination (build one with QuickConnectDestination.phone_number(number) "
        "(or .user, .queue, .flow)), got the string '+18005550100' (at Stack/QC)"
    )


def test_fails_when_a_cfn_contact_flow_is_given_as_the_flow() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    cfn_flow = connect.CfnContactFlow(
        stack, "Survey", instance_arn=INSTANCE_ARN, name="Survey", type="CONTACT_FLOW", content="{}"
    )
    destination = QuickConnectDestination.flow(cfn_flow)  # type: ignore[arg-type]
    with pytest.raises(ConnectValidationError, match=r"ContactFlow.from_contact_flow_arn\(scope, id, cfn_flow"):
        QuickConnect(stack, "QC", instance=instance, name="qc", destination=destination)


def test_fails_when_a_flow_lookup_has_no_flow_type() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        ContactFlow.from_contact_flow_name(stack, "Survey", instance, "Survey", None)  # type: ignore[arg-type]
    assert str(raised.value).startswith("'flow_type' must be a ContactFlowType (CONTACT_FLOW, CUSTOMER_QUEUE")
    assert str(raised.value).endswith("got None (at Stack/Survey)")


def test_fails_when_a_flow_lookup_gets_an_arn_string_as_instance() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError, match=r"got the string '.*' \(at Stack/Survey\)"):
        ContactFlow.from_contact_flow_name(
            stack,
            "Survey",
            INSTANCE_ARN,  # type: ignore[arg-type]
            "Survey",
            ContactFlowType.CONTACT_FLOW,
        )


def test_fails_when_a_transfer_flow_gets_an_arn_string_as_instance() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError, match=r"'instance' must be an IConnectInstance .*\(at Stack/Flow\)"):
        AgentTransferFlow(stack, "Flow", instance=INSTANCE_ARN, name="Transfer")  # type: ignore[arg-type]


# ---- prompts Connect would refuse -----------------------------------------------------------------


def _agent_flow(stack: cdk.Stack, prompt: Any) -> AgentTransferFlow:
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    return AgentTransferFlow(stack, "Flow", instance=instance, name="Transfer", prompt=prompt)


@pytest.mark.parametrize(
    ("prompt", "rule"),
    [
        ("", "not be empty"),
        ("   ", "not be empty"),
        (Prompt.ssml(""), "not be empty"),
        (Prompt.ssml("<speak>Hello"), "be well-formed XML (no element found: line 1, column 12)"),
        (Prompt.ssml("Hello <break/>"), "be well-formed XML (syntax error: line 1, column 0)"),
        (Prompt.ssml("<p>Hello</p>"), "have <speak> as its root element, not <p>"),
        (Prompt.ssml("<speak></speak>"), "not be empty: <speak> holds no text"),
        (Prompt.ssml("<speak>" + "a" * 3_001 + "</speak>"), "hold at most 3,000 characters of text outside tags"),
        (Prompt.ssml("<speak>" + '<break time="1s"/>' * 400 + "</speak>"), "be at most 6,000 characters with its"),
        (Prompt.from_prompt_arn(""), "not be empty"),
    ],
)
def test_fails_when_a_prompt_is_one_connect_refuses(prompt: Any, rule: str) -> None:
    with pytest.raises(ConnectValidationError) as raised:
        _agent_flow(new_stack(), prompt)
    assert str(raised.value).startswith(f"'prompt' must {rule}")
    assert str(raised.value).endswith("(at Stack/Flow)")


@pytest.mark.parametrize(
    "prompt",
    [
        "x" * 3_000,
        Prompt.ssml("<speak>" + "a" * 3_000 + "</speak>"),
        Prompt.ssml('<speak>One <break time="1s"/> moment, <emphasis>please</emphasis>.</speak>'),
        Prompt.ssml('<speak><break time="2s"/></speak>'),
    ],
)
def test_accepts_prompts_at_connects_limits(prompt: Any) -> None:
    stack = new_stack()
    _agent_flow(stack, prompt)
    Template.from_stack(stack).resource_count_is("AWS::Connect::ContactFlow", 1)


def test_fails_when_a_prompt_text_is_a_deploy_time_value() -> None:
    stack = new_stack()
    greeting = cdk.CfnParameter(stack, "Greeting").value_as_string
    with pytest.raises(ConnectValidationError) as raised:
        _agent_flow(stack, f"Hello {greeting}")
    assert "'prompt' must be text known at synth: a deploy-time value" in str(raised.value)
    assert "'$.Attributes.greeting'" in str(raised.value)


def test_a_synth_time_token_with_quotes_cannot_break_the_flow_json() -> None:
    stack = new_stack()
    tricky = 'Say "hi" \\ then\nwait'
    flow = _agent_flow(stack, cdk.Token.as_string(_ResolvesTo(tricky)))
    content = stack.resolve(flow.node.default_child.content)  # type: ignore[union-attr]
    parsed = json.loads(content)
    assert parsed["Actions"][0]["Parameters"] == {"Text": tricky}


def test_a_prompt_arn_from_an_attribute_renders_as_a_join_of_valid_json() -> None:
    stack = new_stack()
    prompt = connect.CfnPrompt(stack, "Recorded", instance_arn=INSTANCE_ARN, name="hold", s3_uri="s3://b/k.wav")
    flow = _agent_flow(stack, Prompt.from_prompt_arn(prompt.attr_prompt_arn))
    content = stack.resolve(flow.node.default_child.content)  # type: ignore[union-attr]
    parts = content["Fn::Join"][1]
    assert {"Fn::GetAtt": ["Recorded", "PromptArn"]} in parts
    rendered = "".join(part if isinstance(part, str) else "arn:aws:connect:x:1:instance/i/prompt/p" for part in parts)
    assert json.loads(rendered)["Actions"][0]["Parameters"] == {"PromptId": "arn:aws:connect:x:1:instance/i/prompt/p"}


def test_fails_when_a_lookup_kind_is_unknown() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError) as raised:
        ConnectLookup(stack, "Lookup", kind="routing-profile", name="Basic", instance_arn=INSTANCE_ARN)
    assert str(raised.value) == (
        "'kind' must be one of queue, user, contact-flow, instance, got 'routing-profile' (at Stack/Lookup)"
    )


def test_fails_when_a_contact_flow_lookup_has_no_flow_type() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError, match=r"'flow_type' must be given for a contact-flow lookup .* None"):
        ConnectLookup(stack, "Lookup", kind="contact-flow", name="Survey", instance_arn=INSTANCE_ARN)


def test_fails_when_a_lookup_misses_its_instance_or_has_a_stray_flow_type() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError, match=r"'instance_arn' must be given for a queue lookup"):
        ConnectLookup(stack, "NoInstance", kind="queue", name="BasicQueue")
    with pytest.raises(ConnectValidationError, match=r"'flow_type' must be given only for a contact-flow lookup"):
        ConnectLookup(stack, "Stray", kind="queue", name="Q", instance_arn=INSTANCE_ARN, flow_type="CONTACT_FLOW")


# ---- association: the kind of object for queue= and quick_connects= ----------------------------------


def _phone(stack: cdk.Stack) -> QuickConnect:
    return _phone_quick_connect(stack, "Hotline", "Support hotline")


def test_fails_when_an_association_gets_a_cfn_queue() -> None:
    stack = new_stack()
    cfn_queue = owned_cfn_queue(stack)
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation(stack, "On", queue=cfn_queue, quick_connects=[_phone(stack)])  # type: ignore[arg-type]
    assert str(raised.value) == (
        "'queue' must be an IQueue (wrap a CfnQueue with Queue.from_cfn_queue(cfn_queue)), got a CfnQueue "
        "(Stack/Owned) (at Stack/On)"
    )


def test_fails_when_an_association_gets_a_queue_arn_string() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError, match=r"Queue.from_queue_arn\(scope, id, arn\)\), got the string"):
        QueueQuickConnectAssociation(stack, "On", queue=QUEUE_ARN, quick_connects=[_phone(stack)])  # type: ignore[arg-type]


def test_fails_when_quick_connects_lists_something_else() -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "Basic", QUEUE_ARN)
    cfn_quick_connect = connect.CfnQuickConnect(
        stack,
        "Raw",
        instance_arn=INSTANCE_ARN,
        name="raw",
        quick_connect_config=connect.CfnQuickConnect.QuickConnectConfigProperty(quick_connect_type="PHONE_NUMBER"),
    )
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation(stack, "On", queue=queue, quick_connects=[_phone(stack), cfn_quick_connect])  # type: ignore[list-item]
    assert str(raised.value) == (
        "'quick_connects' must be an IQuickConnect (import a CfnQuickConnect with "
        "QuickConnect.from_quick_connect_arn(scope, id, cfn_quick_connect.attr_quick_connect_arn)), "
        "got a CfnQuickConnect (Stack/Raw) (at Stack/On)"
    )


def test_fails_when_quick_connects_is_a_single_quick_connect() -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "Basic", QUEUE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation(stack, "On", queue=queue, quick_connects=_phone(stack))  # type: ignore[arg-type]
    assert str(raised.value) == (
        "'quick_connects' must be a list of IQuickConnect (wrap a single one in [...]), got a QuickConnect "
        "(Stack/Hotline) (at Stack/On)"
    )


def test_fails_when_add_to_queue_gets_a_string() -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "Basic", QUEUE_ARN)
    QueueQuickConnectAssociation.add_to_queue(queue, _phone(stack))
    with pytest.raises(ConnectValidationError, match=r"'quick_connects' must be an IQuickConnect .* got the string"):
        QueueQuickConnectAssociation.add_to_queue(queue, f"{INSTANCE_ARN}/transfer-destination/x")  # type: ignore[arg-type]


def test_fails_when_add_to_queue_gets_a_cfn_queue() -> None:
    stack = new_stack()
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation.add_to_queue(owned_cfn_queue(stack), _phone(stack))  # type: ignore[arg-type]
    assert str(raised.value) == (
        "'queue' must be an IQueue (wrap a CfnQueue with Queue.from_cfn_queue(cfn_queue)), got a CfnQueue "
        "(Stack/Owned) (at QueueQuickConnectAssociation.add_to_queue)"
    )


@pytest.mark.parametrize("factory", ["queue", "user"])
def test_fails_when_a_name_lookup_gets_an_arn_string_as_instance(factory: str) -> None:
    stack = new_stack()
    lookup = {"queue": Queue.from_queue_name, "user": User.from_username}[factory]
    with pytest.raises(ConnectValidationError) as raised:
        lookup(stack, "Found", INSTANCE_ARN, "BasicQueue")  # type: ignore[operator]
    assert str(raised.value) == (
        "'instance' must be an IConnectInstance (import an ARN with ConnectInstance.from_instance_arn(scope, id, "
        f"arn)), got the string {INSTANCE_ARN!r} (at Stack/Found)"
    )


# ---- flow ARNs with a qualifier -------------------------------------------------------------------


@pytest.mark.parametrize("qualifier", [":$LATEST", ":3", ""])
def test_a_qualified_flow_arn_gives_the_same_id_concrete_or_token(qualifier: str) -> None:
    stack = new_stack()
    flow_id = "12345678-aaaa-4bbb-8ccc-123456789012"
    arn = f"{INSTANCE_ARN}/contact-flow/{flow_id}{qualifier}"
    concrete = ContactFlow.from_contact_flow_arn(stack, "Concrete", arn)
    token = ContactFlow.from_contact_flow_arn(stack, "Token", cdk.CfnParameter(stack, "FlowArn").value_as_string)

    assert concrete.contact_flow_id == flow_id
    split = stack.resolve(token.contact_flow_id)
    assert split == {
        "Fn::Select": [0, {"Fn::Split": [":", {"Fn::Select": [3, {"Fn::Split": ["/", {"Ref": "FlowArn"}]}]}]}]
    }
    assert _evaluate(split, {"FlowArn": arn}) == flow_id


def _evaluate(expression: Any, parameters: dict[str, str]) -> Any:
    """Evaluate the ``Ref`` / ``Fn::Split`` / ``Fn::Select`` subset CloudFormation would."""
    if isinstance(expression, dict):
        ((function, argument),) = expression.items()
        if function == "Ref":
            return parameters[argument]
        if function == "Fn::Split":
            return _evaluate(argument[1], parameters).split(argument[0])
        if function == "Fn::Select":
            return _evaluate(argument[1], parameters)[argument[0]]
    return expression


def test_fails_when_a_quick_connect_runs_a_flow_arn_qualified_with_latest() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    arn = f"{INSTANCE_ARN}/contact-flow/12345678-aaaa-4bbb-8ccc-123456789012:$LATEST"
    flow = ContactFlow.from_contact_flow_arn(stack, "Survey", arn, flow_type=ContactFlowType.CONTACT_FLOW)
    with pytest.raises(ConnectValidationError) as raised:
        QuickConnect(stack, "QC", instance=instance, name="qc", destination=QuickConnectDestination.flow(flow))
    assert str(raised.value) == (
        "'destination.flow' must be a flow ARN CloudFormation takes: a qualifier after ':' has only letters, digits "
        f"and '-' (import the flow without ':$LATEST'), got {arn!r} (at Stack/QC)"
    )


def test_a_quick_connect_takes_a_flow_arn_qualified_with_a_version() -> None:
    stack = new_stack()
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    arn = f"{INSTANCE_ARN}/contact-flow/12345678-aaaa-4bbb-8ccc-123456789012:3"
    flow = ContactFlow.from_contact_flow_arn(stack, "Survey", arn, flow_type=ContactFlowType.CONTACT_FLOW)
    QuickConnect(stack, "QC", instance=instance, name="qc", destination=QuickConnectDestination.flow(flow))
    assert cfn_lint_findings(template_of(stack)) == []
