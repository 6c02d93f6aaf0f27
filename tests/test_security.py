"""Security gates: cdk-nag AwsSolutions with nothing unacknowledged, and least-privilege IAM."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import botocore.session
import pytest
from aws_cdk import aws_s3 as s3
from cdk_nag import AwsSolutionsChecks

import cdk_connect_quickconnect
from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ContactFlow,
    ContactFlowType,
    Queue,
    QueueQuickConnectAssociation,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    User,
)
from tests import iam
from tests.support import (
    ACCOUNT,
    INSTANCE_ARN,
    QUEUE_ARN,
    REGION,
    USER_ARN,
    cfn_lint_findings,
    example_context,
    owned_cfn_queue,
)
from tests.test_examples import _load_example_app

#: Every action a role of this library may be allowed, per role. Anything else fails the gate.
HANDLER_ACTIONS = {
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "connect:AssociateQueueQuickConnects",
    "connect:DisassociateQueueQuickConnects",
    "connect:ListQueueQuickConnects",
    "connect:SearchQueues",
    "connect:ListQueues",
    "connect:SearchUsers",
    "connect:ListUsers",
    "connect:ListContactFlows",
    "connect:ListInstances",
    "ds:DescribeDirectories",
    "cloudformation:DescribeStackResource",
    "cloudformation:ListStackResources",
}
#: Actions the Lambda runtime calls for the handler (its logs), not the handler's code.
RUNTIME_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents"}
#: Actions IAM cannot scope to a resource: the only ones that may be granted on "*".
UNSCOPABLE_ACTIONS = {"connect:ListInstances", "ds:DescribeDirectories"}
_INSTANCE_SCOPED = re.compile(
    r"^(arn:aws:connect:[a-z0-9-]+:\d{12}:instance/[\w-]+|<[\w.]+>)/(queue|transfer-destination|agent|contact-flow)/\*$"
)


def _every_construct_app() -> cdk.App:
    app = cdk.App()
    stack = cdk.Stack(app, "EveryConstruct", env=cdk.Environment(account=ACCOUNT, region=REGION))
    by_alias = ConnectInstance.from_instance_alias(stack, "ByAlias", "my-contact-center")
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    agent_flow = AgentTransferFlow(stack, "AgentFlow", instance=instance, name="a")
    queue_flow = QueueTransferFlow(stack, "QueueFlow", instance=instance, name="q")
    default_agent = AgentTransferFlow.from_default(stack, "DefaultAgent", by_alias)
    QueueTransferFlow.from_default(stack, "DefaultQueue", by_alias)
    ContactFlow.from_contact_flow_name(stack, "Named", instance, "My flow", ContactFlowType.QUEUE_TRANSFER)
    looked_up_queue = Queue.from_queue_name(stack, "BasicQueue", by_alias, "BasicQueue")
    looked_up_user = User.from_username(stack, "Mav2", by_alias, "mav2")
    queue = Queue.from_queue_arn(stack, "Queue", QUEUE_ARN)
    to_user = QuickConnect(
        stack,
        "ToUser",
        instance=instance,
        name="u",
        destination=QuickConnectDestination.user(User.from_user_arn(stack, "User", USER_ARN), agent_flow),
    )
    to_queue = QuickConnect(
        stack, "ToQueue", instance=instance, name="q", destination=QuickConnectDestination.queue(queue, queue_flow)
    )
    phone = QuickConnect(
        stack, "Phone", instance=instance, name="p", destination=QuickConnectDestination.phone_number("+18005550100")
    )
    QueueQuickConnectAssociation(stack, "OnQueue", queue=queue, quick_connects=[to_user, to_queue])
    QueueQuickConnectAssociation.add_to_queue(queue, phone)
    looked_up_phone = QuickConnect(
        stack,
        "AliasPhone",
        instance=by_alias,
        name="p2",
        destination=QuickConnectDestination.phone_number("+18005550101"),
    )
    to_mav2 = QuickConnect(
        stack,
        "ToMav2",
        instance=by_alias,
        name="m",
        destination=QuickConnectDestination.user(looked_up_user, default_agent),
    )
    QueueQuickConnectAssociation.add_to_queue(looked_up_queue, looked_up_phone, to_mav2)
    cfn_queue = owned_cfn_queue(stack)
    QueueQuickConnectAssociation.add_to_queue(
        Queue.from_cfn_queue(cfn_queue),
        QuickConnect.from_quick_connect_arn(stack, "Imported", f"{INSTANCE_ARN}/transfer-destination/qc-1"),
    )
    return app


def _example_app() -> cdk.App:
    app: cdk.App = _load_example_app().create_app(context=example_context())
    return app


def _nag_report(app: cdk.App) -> dict[str, Any]:
    """Synthesize ``app`` with AwsSolutionsChecks and return cdk-nag's plugin report."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks())
    try:
        app.synth(force=True)
    except RuntimeError as error:
        assert "ValidationFailed" in str(error), error
    report_file = Path(app.outdir) / "validation-report.json"
    (report,) = json.loads(report_file.read_text())["pluginReports"]
    return dict(report)


@pytest.mark.parametrize("factory", [_every_construct_app, _example_app], ids=["every-construct", "examples"])
def test_aws_solutions_checks_find_nothing_unacknowledged(factory: Any) -> None:
    report = _nag_report(factory())
    violations = [(v["ruleName"], [c["constructPath"] for c in v["violatingConstructs"]]) for v in report["violations"]]
    assert violations == []
    assert report["conclusion"] == "success"


@pytest.mark.parametrize("factory", [_every_construct_app, _example_app], ids=["every-construct", "examples"])
def test_only_unavoidable_findings_are_acknowledged_each_with_a_reason(factory: Any) -> None:
    report = _nag_report(factory())
    assert report["suppressedViolations"], "the instance-scoped wildcards should be acknowledged"
    for suppressed in report["suppressedViolations"]:
        rule = suppressed["ruleName"]
        acknowledged_at = suppressed["acknowledgedAt"]
        paths = [c["constructPath"] for c in suppressed["violatingConstructs"]]
        assert "/ConnectQuickConnectProvider/" in acknowledged_at + "/", (rule, acknowledged_at)
        assert len(suppressed["reason"]) > 40, rule
        if rule == "AwsSolutions-IAM5[Resource::*]":
            # ListInstances and ds:DescribeDirectories, in the role's own policy: IAM cannot scope them.
            assert all(path.endswith("/ConnectQuickConnectProvider/HandlerRole") for path in paths), paths
        else:
            resource = re.fullmatch(r"AwsSolutions-IAM5\[Resource::(.+)\]", rule)
            assert resource and _INSTANCE_SCOPED.match(resource[1]), rule
            assert all(path.endswith("/ConnectQuickConnectProvider/ConnectAccess") for path in paths), paths


def test_a_users_app_gets_no_finding_from_the_librarys_resources() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "UserStack", env=cdk.Environment(account=ACCOUNT, region=REGION))
    s3.Bucket(stack, "UsersOwnBucket")  # non-compliant on purpose: the gate must still see the user's findings
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    queue = Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
    phone = QuickConnect(
        stack, "Phone", instance=instance, name="p", destination=QuickConnectDestination.phone_number("+18005550100")
    )
    QueueQuickConnectAssociation.add_to_queue(queue, phone)

    report = _nag_report(app)
    paths = {c["constructPath"] for v in report["violations"] for c in v["violatingConstructs"]}
    assert paths == {"UserStack/UsersOwnBucket/Resource"}
    assert report["conclusion"] == "failure"


def _roles_and_statements(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(role logical id, statement) for every inline statement, policy resource statement and managed policy."""
    resources = template["Resources"]
    found: list[tuple[str, dict[str, Any]]] = []
    for name, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Role":
            for policy in properties.get("Policies", []):
                found.extend((name, s) for s in policy["PolicyDocument"]["Statement"])
            found.extend((name, {"ManagedPolicyArn": arn}) for arn in properties.get("ManagedPolicyArns", []))
        if resource["Type"] in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}:
            for role in properties.get("Roles", []):
                found.extend((role["Ref"], s) for s in properties["PolicyDocument"]["Statement"])
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _templates_and_paths(app: cdk.App) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Each stack's template with its logical ids mapped to construct paths."""
    assembly = app.synth()
    found = []
    for stack in (child for child in app.node.children if isinstance(child, cdk.Stack)):
        paths = {
            stack.resolve(construct.logical_id): construct.node.path
            for construct in stack.node.find_all()
            if isinstance(construct, cdk.CfnResource)
        }
        found.append((assembly.get_stack_by_name(stack.stack_name).template, paths))
    return found


def _policy_violations(template: dict[str, Any], paths: dict[str, str]) -> tuple[list[str], int]:
    """What breaks least privilege in ``template``, and how many statements were checked."""
    violations = []
    statements = _roles_and_statements(template)
    for role, statement in statements:
        role_path = paths[role]
        if "ManagedPolicyArn" in statement:
            violations.append(f"{role_path}: managed policy {statement['ManagedPolicyArn']}")
            continue
        actions = set(_as_list(statement["Action"]))
        allowed = HANDLER_ACTIONS
        if not actions <= allowed:
            violations.append(f"{role_path}: actions outside the allow-list {sorted(actions - allowed)}")
        if "*" in _as_list(statement["Resource"]) and not actions <= UNSCOPABLE_ACTIONS:
            violations.append(f"{role_path}: Resource '*' for {sorted(actions)}")
    return violations, len(statements)


@pytest.mark.parametrize("factory", [_every_construct_app, _example_app], ids=["every-construct", "examples"])
def test_every_policy_is_least_privilege(factory: Any) -> None:
    for template, paths in _templates_and_paths(factory()):
        violations, checked = _policy_violations(template, paths)
        assert violations == []
        assert checked >= 3  # logs, Connect access, the stack's own resources


def test_the_every_construct_stack_passes_cfn_lint() -> None:
    for template, _ in _templates_and_paths(_every_construct_app()):
        assert cfn_lint_findings(template) == []


def test_least_privilege_gate_rejects_wildcards_and_unknown_actions() -> None:
    def policy(action: str, resource: str) -> dict[str, Any]:
        return {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "Roles": [{"Ref": "Role"}],
                "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]},
            },
        }

    template = {
        "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": ["arn:aws:iam::aws:policy/Admin"]}},
            "Star": policy("connect:ListQueues", "*"),
            "Unknown": policy("connect:DeleteQueue", f"{INSTANCE_ARN}/queue/*"),
            "Fine": policy("connect:ListInstances", "*"),
        }
    }
    violations, checked = _policy_violations(template, {"Role": "S/P/HandlerRole/Resource"})
    assert checked == 4
    assert violations == [
        "S/P/HandlerRole/Resource: managed policy arn:aws:iam::aws:policy/Admin",
        "S/P/HandlerRole/Resource: Resource '*' for ['connect:ListQueues']",
        "S/P/HandlerRole/Resource: actions outside the allow-list ['connect:DeleteQueue']",
    ]


# ---- every (action, resource) pair checked against IAM's reference (parliament's database) ------------


@pytest.fixture(scope="module")
def synthesized() -> dict[str, list[tuple[dict[str, Any], dict[str, str]]]]:
    """Templates of the every-construct app and of the examples (with ``cdk init``'s flags), synthesized once."""
    return {
        "every-construct": _templates_and_paths(_every_construct_app()),
        "examples": _templates_and_paths(_example_app()),
    }


@pytest.mark.parametrize("app", ["every-construct", "examples"])
def test_every_action_is_granted_only_on_resources_iam_says_it_takes(
    synthesized: dict[str, list[tuple[dict[str, Any], dict[str, str]]]], app: str
) -> None:
    checked = 0
    for template, paths in synthesized[app]:
        for role, grant in iam.grants(template):
            checked += 1
            problem = iam.mismatch(grant.action, grant.resource)
            assert problem is None, f"{paths[role]} ({grant.policy}): {problem}"
    assert checked >= 20


@pytest.mark.parametrize("app", ["every-construct", "examples"])
def test_parliament_finds_nothing_in_any_policy(
    synthesized: dict[str, list[tuple[dict[str, Any], dict[str, str]]]], app: str
) -> None:
    for template, _ in synthesized[app]:
        for name, (_, statements) in iam.policies(template).items():
            assert iam.parliament_findings(statements) == [], name


def _operations_the_handlers_call() -> set[str]:
    """Connect and CloudFormation operations named in the handlers' code (botocore's models say which strings are
    operations)."""
    handlers = Path(cdk_connect_quickconnect.__file__).parent / "_handlers"
    named = {
        node.value
        for path in handlers.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    session = botocore.session.get_session()
    return {
        f"{service}:{name}"
        for service in ("connect", "cloudformation")
        for name in named & set(session.get_service_model(service).operation_names)
    }


def test_every_action_granted_to_the_handler_is_one_it_uses(
    synthesized: dict[str, list[tuple[dict[str, Any], dict[str, str]]]],
) -> None:
    called = _operations_the_handlers_call()
    needed = called | {dependent for action in called for dependent in iam.dependent_actions(action)} | RUNTIME_ACTIONS
    granted = {
        grant.action
        for templates in synthesized.values()
        for template, paths in templates
        for role, grant in iam.grants(template)
        if "/HandlerRole/" in paths[role] + "/"
    }
    assert granted - needed == set()
    assert granted == HANDLER_ACTIONS  # the allow-list above is exactly what the library grants, no more


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("connect:ListQueues", INSTANCE_ARN),
        ("connect:ListContactFlows", INSTANCE_ARN),
        ("connect:SearchQueues", f"{INSTANCE_ARN}/queue/*"),
        ("connect:SearchUsers", f"{INSTANCE_ARN}/agent/*"),
        ("connect:ListUsers", f"{INSTANCE_ARN}/agent/*"),
        ("connect:ListQueues", "*"),
        ("connect:AssociateQueueQuickConnects", f"{INSTANCE_ARN}/agent/*"),
        ("ds:DescribeDirectories", INSTANCE_ARN),
    ],
)
def test_the_pair_check_rejects_what_iam_does_not_take(action: str, resource: str) -> None:
    assert iam.mismatch(action, resource) is not None


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("connect:SearchQueues", INSTANCE_ARN),
        ("connect:ListQueues", f"{INSTANCE_ARN}/queue/*"),
        ("connect:ListQueueQuickConnects", QUEUE_ARN),
        ("connect:AssociateQueueQuickConnects", f"{INSTANCE_ARN}/transfer-destination/*"),
        ("logs:PutLogEvents", f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:HandlerLogs:*"),
        ("lambda:InvokeFunction", f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:Handler:*"),
        ("connect:ListInstances", "*"),
    ],
)
def test_the_pair_check_accepts_what_iam_takes(action: str, resource: str) -> None:
    assert iam.mismatch(action, resource) is None
