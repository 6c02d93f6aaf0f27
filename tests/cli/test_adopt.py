"""``adopt`` end to end: the fake Connect API behind a real boto3 client, the generated app linted,
type-checked and synthesized, every quick connect compared with the instance, the mapping with the template.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_connect_quickconnect.cli import _live, main
from tests.cli.conftest import RATE_LIMIT
from tests.cli.test_adopt_code import RUFF, STRICT_RULES
from tests.handlers.fake_connect import FakeConnect, Instance, Queue, QuickConnect
from tests.support import ROOT, cfn_lint_findings

QUICK_CONNECT = "AWS::Connect::QuickConnect"
ASSOCIATION = "Custom::ConnectQueueQuickConnects"
#: A page size under every list's length, so each list the reader makes takes several pages.
PAGE = 3


@pytest.fixture(autouse=True)
def wired(monkeypatch: pytest.MonkeyPatch, client: Any, retry: _live.RetryPolicy) -> None:
    """The command line gets the fake's client whatever Region or profile it asks for, and never sleeps."""
    monkeypatch.setattr(_live, "make_client", lambda **_: client)
    monkeypatch.setattr(_live, "DEFAULT_RETRY", retry)


@dataclass
class Console:
    """An instance clicked together in the console, as the seed walk-through and a few busy weeks leave it."""

    fake: FakeConnect
    instance: Instance
    queues: dict[str, Queue]
    adoptable: list[QuickConnect]
    gone: list[QuickConnect]
    """Quick connects whose user or queue was deleted afterwards."""


def console_instance(fake: FakeConnect) -> Console:
    fake.max_page_size = PAGE
    fake.rate_limit = RATE_LIMIT
    instance = fake.add_instance("my-contact-center")
    agent_flow = fake.add_contact_flow(instance, "Default agent transfer", "AGENT_TRANSFER")
    queue_flow = fake.add_contact_flow(instance, "Default queue transfer", "QUEUE_TRANSFER")
    vip_flow = fake.add_contact_flow(instance, "VIP agent transfer", "AGENT_TRANSFER")
    careful_flow = fake.add_contact_flow(instance, 'The "careful" queue transfer', "QUEUE_TRANSFER")
    chat_flow = fake.add_contact_flow(instance, "Collect order details", "CONTACT_FLOW")
    for index in range(5):
        fake.add_contact_flow(instance, f"Unrelated flow {index}", "CONTACT_FLOW")
    names = ["BasicQueue", "Sales", "Sales desk", "Support (EU) \u2013 Tier 2", "Billing", "Returns", "Doomed"]
    queues = {name: fake.add_queue(instance, name) for name in names}
    fake.add_queue(instance, "agent queue", queue_type="AGENT")
    users = {name: fake.add_user(instance, name) for name in ["mav2", "mav1", "ana.lopez@example.com", "bob", "doomed"]}

    def add(name: str, kind: str, **options: Any) -> QuickConnect:
        return fake.add_quick_connect(instance, name, kind, **options)

    adoptable = [
        add("mav2", "USER", user=users["mav2"], contact_flow=agent_flow),
        add("mav1 (VIP)", "USER", user=users["mav1"], contact_flow=vip_flow, description="Escalations only"),
        add("Ana", "USER", user=users["ana.lopez@example.com"], contact_flow=agent_flow),
        add("BasicQueue", "QUEUE", queue=queues["BasicQueue"], contact_flow=queue_flow),
        add("Sales desk", "QUEUE", queue=queues["Sales desk"], contact_flow=careful_flow),
        add("sales-desk", "QUEUE", queue=queues["Sales"], contact_flow=queue_flow),  # same id once sanitised
        add("Support EU", "QUEUE", queue=queues["Support (EU) \u2013 Tier 2"], contact_flow=queue_flow),
        add("Support hotline", "PHONE_NUMBER", phone_number="+18005550100", description="External support line"),
        add("Caf\u00e9 partner", "PHONE_NUMBER", phone_number="+442071838750", description="Long story. " * 20),
        add("Collect details", "FLOW", contact_flow=chat_flow),
        add("Billing", "QUEUE", queue=queues["Billing"], contact_flow=queue_flow),
    ]
    gone = [
        add("To doomed agent", "USER", user=users["doomed"], contact_flow=agent_flow),
        add("To doomed queue", "QUEUE", queue=queues["Doomed"], contact_flow=queue_flow),
    ]
    fake.console_associate(queues["BasicQueue"], [qc.id for qc in adoptable[:8] + gone])
    fake.console_associate(queues["Sales"], [adoptable[5].id, adoptable[0].id])
    fake.console_associate(queues["Billing"], [adoptable[10].id])
    del fake.users[users["doomed"].id]
    fake.delete_queue(queues["Doomed"])
    del queues["Doomed"]
    return Console(fake, instance, queues, adoptable, gone)


@pytest.fixture
def console(fake: FakeConnect) -> Console:
    return console_instance(fake)


def main_on(console: Console, argv: list[str]) -> int:
    """Run the command line against `console`'s fake, retries sleeping on that fake's clock."""
    clock = console.fake.clock
    assert clock is not None
    patch = pytest.MonkeyPatch()
    patch.setattr(_live, "make_client", lambda **_: console.fake.client())
    patch.setattr(_live, "DEFAULT_RETRY", _live.RetryPolicy(sleep=clock.sleep, random=lambda: 0.5))
    try:
        return main(argv)
    finally:
        patch.undo()


def run_adopt(capsys: pytest.CaptureFixture[str], console: Console, directory: Path, *extra: str) -> tuple[int, str]:
    status = main(["adopt", "--instance-arn", console.instance.arn, "--output-dir", str(directory), *extra])
    return status, capsys.readouterr().err


def synthesize_app(directory: Path) -> dict[str, Any]:
    """Run the generated app.py as the CDK CLI does (CDK_OUTDIR set) and return the stack's template."""
    out = directory / "cdk.out"
    env = {**os.environ, "CDK_OUTDIR": str(out), "PYTHONPATH": str(ROOT / "src")}
    # The CDK CLI passes cdk.json's context, and turns version reporting on (CDKMetadata), this way.
    context = json.loads((directory / "cdk.json").read_text()).get("context", {})
    env["CDK_CONTEXT_JSON"] = json.dumps({**context, "aws:cdk:version-reporting": True})
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=directory, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    (template_file,) = out.glob("*.template.json")
    template: dict[str, Any] = json.loads(template_file.read_text())
    return template


def synthesize_in_process(directory: Path, module_name: str) -> dict[str, Any]:
    """Load the generated stack module under `module_name` and synthesize it with cdk.json's context."""
    spec = importlib.util.spec_from_file_location(module_name, directory / "quick_connects_stack.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    context = json.loads((directory / "cdk.json").read_text()).get("context", {})
    app = cdk.App(context=context)
    stack = module.QuickConnectsStack(app, "Adopted", env=cdk.Environment(account="123456789012", region="us-east-1"))
    template: dict[str, Any] = app.synth().get_stack_artifact(stack.artifact_id).template
    return template


def of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == resource_type}


def expected_properties(fake: FakeConnect, instance: Instance, qc: QuickConnect) -> dict[str, Any]:
    """What the quick connect's CloudFormation properties must be, from the fake's live record."""
    flow_arn = fake.contact_flows[qc.contact_flow_id].arn if qc.contact_flow_id else None
    config: dict[str, Any] = {"QuickConnectType": qc.quick_connect_type}
    if qc.quick_connect_type == "USER":
        config["UserConfig"] = {"UserArn": fake.users[qc.user_id].arn, "ContactFlowArn": flow_arn}  # type: ignore[index]
    elif qc.quick_connect_type == "QUEUE":
        config["QueueConfig"] = {"QueueArn": fake.queues[qc.queue_id].arn, "ContactFlowArn": flow_arn}  # type: ignore[index]
    elif qc.quick_connect_type == "PHONE_NUMBER":
        config["PhoneConfig"] = {"PhoneNumber": qc.phone_number}
    else:
        config["FlowConfig"] = {"ContactFlowArn": flow_arn}
    properties: dict[str, Any] = {"InstanceArn": instance.arn, "Name": qc.name, "QuickConnectConfig": config}
    if qc.description is not None:
        properties["Description"] = qc.description
    return properties


def references(value: Any) -> set[str]:
    """Logical ids a template value points at (``Ref`` and ``Fn::GetAtt``), pseudo parameters left out."""
    if isinstance(value, dict):
        found = set()
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str) and not inner.startswith("AWS::"):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            else:
                found |= references(inner)
        return found
    if isinstance(value, list):
        return set().union(*(references(item) for item in value)) if value else set()
    return set()


# ---- the whole way -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Console, Path, str, dict[str, Any]]:
    """One adoption of the console instance, synthesized by running app.py (shared: synthesis is slow)."""
    from tests.handlers.fake_connect import FakeClock

    clock = FakeClock()
    fake = FakeConnect(clock=clock)
    console = console_instance(fake)
    directory = tmp_path_factory.mktemp("adopted")
    patch = pytest.MonkeyPatch()
    patch.setattr(_live, "make_client", lambda **_: fake.client())
    patch.setattr(_live, "DEFAULT_RETRY", _live.RetryPolicy(sleep=clock.sleep, random=lambda: 0.5))
    try:
        import contextlib
        import io

        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            status = main(["adopt", "--instance-arn", console.instance.arn, "--output-dir", str(directory)])
    finally:
        patch.undo()
    assert status == 0, stderr.getvalue()
    return console, directory, stderr.getvalue(), synthesize_app(directory)


def test_every_quick_connect_is_declared_exactly_as_the_instance_has_it(adopted: Any) -> None:
    console, _, _, template = adopted
    declared = {resource["Properties"]["Name"]: resource for resource in of_type(template, QUICK_CONNECT).values()}
    assert sorted(declared) == sorted(qc.name for qc in console.adoptable)
    for qc in console.adoptable:
        resource = declared[qc.name]
        assert resource["Properties"] == expected_properties(console.fake, console.instance, qc), qc.name
        assert resource["DeletionPolicy"] == "Retain"
        assert resource["UpdateReplacePolicy"] == "Retain"


def test_the_mapping_names_every_quick_connect_of_the_template_with_its_live_arn(adopted: Any) -> None:
    console, directory, _, template = adopted
    mapping = json.loads((directory / "resource-mapping.json").read_text())
    quick_connects = of_type(template, QUICK_CONNECT)
    assert set(mapping) == set(quick_connects)
    arn_by_name = {qc.name: qc.arn for qc in console.adoptable}
    for logical_id, identifier in mapping.items():
        assert identifier == {"QuickConnectArn": arn_by_name[quick_connects[logical_id]["Properties"]["Name"]]}


def test_the_import_needs_nothing_created_in_the_same_operation(adopted: Any) -> None:
    """cdk import deploys the current template plus the mapped resources only: they may point at nothing else."""
    _, directory, _, template = adopted
    mapped = json.loads((directory / "resource-mapping.json").read_text())
    for logical_id in mapped:
        assert references(template["Resources"][logical_id]) == set(), logical_id


def test_each_queue_association_lists_exactly_what_the_queue_has(adopted: Any) -> None:
    console, _, _, template = adopted
    arn_of_logical_id = {
        logical_id: next(qc.arn for qc in console.adoptable if qc.name == resource["Properties"]["Name"])
        for logical_id, resource in of_type(template, QUICK_CONNECT).items()
    }
    listed = {}
    for resource in of_type(template, ASSOCIATION).values():
        properties = resource["Properties"]
        listed[properties["QueueArn"]] = sorted(
            arn_of_logical_id[ref["Fn::GetAtt"][0]] for ref in properties["QuickConnectArns"]
        )
    gone = {qc.id for qc in console.gone}
    expected = {}
    for queue in console.queues.values():
        on_queue = console.fake.associations(queue) - gone
        if on_queue:
            expected[queue.arn] = sorted(console.fake.quick_connects[qc_id].arn for qc_id in on_queue)
    assert listed == expected


def test_quick_connects_whose_destination_is_gone_are_skipped_with_one_warning(adopted: Any) -> None:
    _, _, stderr, template = adopted
    lines = stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("cdk-connect-quickconnect: warning: skipped 2 quick connects whose destination")
    assert "'To doomed agent' (its user" in lines[0]
    assert "'To doomed queue' (its queue" in lines[0]
    names = {resource["Properties"]["Name"] for resource in of_type(template, QUICK_CONNECT).values()}
    assert not names & {"To doomed agent", "To doomed queue"}


def test_the_template_passes_cfn_lint(adopted: Any) -> None:
    assert cfn_lint_findings(adopted[3]) == []


def test_the_generated_code_passes_ruff_ruff_format_and_mypy_strict(adopted: Any) -> None:
    _, directory, _, _ = adopted
    sources = ["app.py", "quick_connects_stack.py"]
    for command in (
        [*RUFF, "check", *STRICT_RULES, *sources],
        [*RUFF, "format", "--isolated", "--check", "--diff", *sources],
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(ROOT / ".mypy_cache"), *sources],
    ):
        result = subprocess.run(command, cwd=directory, capture_output=True, text=True)
        assert result.returncode == 0, f"{command[2]}: {result.stdout}{result.stderr}"


def test_adopting_twice_writes_identical_files(
    adopted: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    console, directory, _, _ = adopted
    again = tmp_path / "again"
    assert main_on(console, ["adopt", "--instance-arn", console.instance.arn, "--output-dir", str(again)]) == 0
    for name in ("quick_connects_stack.py", "app.py", "cdk.json", "resource-mapping.json"):
        assert (again / name).read_bytes() == (directory / name).read_bytes(), name


# ---- by name -------------------------------------------------------------------------------------


def test_by_name_lookups_pinned_in_cdk_json_give_the_same_quick_connects(
    adopted: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    console, _, _, by_arn = adopted
    status = main_on(console, ["adopt", "--instance-arn", console.instance.arn, "-o", str(tmp_path), "--by-name"])
    assert status == 0
    module = (tmp_path / "quick_connects_stack.py").read_text()
    assert 'Queue.from_queue_name(self, "BasicQueue", instance, "BasicQueue")' in module
    assert "AgentTransferFlow.from_default(" in module
    template = synthesize_in_process(tmp_path, "adopted_by_name")
    assert of_type(template, "Custom::ConnectLookup") == {}
    assert of_type(template, QUICK_CONNECT) == of_type(by_arn, QUICK_CONNECT)
    mapping = json.loads((tmp_path / "resource-mapping.json").read_text())
    assert all(references(template["Resources"][logical_id]) == set() for logical_id in mapping)


# ---- choices and bad input -----------------------------------------------------------------------


def test_queue_limits_the_associations_not_the_quick_connects(
    console: Console, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = run_adopt(capsys, console, tmp_path, "--queue", "Sales")
    assert status == 0
    module = (tmp_path / "quick_connects_stack.py").read_text()
    assert module.count("QueueQuickConnectAssociation(") == 1
    assert '"SalesQuickConnects"' in module
    assert len(json.loads((tmp_path / "resource-mapping.json").read_text())) == len(console.adoptable)


def test_fails_when_the_queue_does_not_exist(
    console: Console, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = run_adopt(capsys, console, tmp_path / "out", "--queue", "Nope")
    assert status == 2
    assert (
        err == f"cdk-connect-quickconnect: error: instance {console.instance.id} has no standard queue named 'Nope'\n"
    )
    assert not (tmp_path / "out").exists()


def test_fails_when_the_instance_does_not_exist(
    console: Console, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    console.fake.delete_instance(console.instance)
    status, err = run_adopt(capsys, console, tmp_path / "out")
    assert status == 2
    assert err.count("\n") == 1
    assert f"instance {console.instance.id} does not exist" in err
    assert not (tmp_path / "out").exists()


def test_fails_naming_the_missing_permission(
    console: Console, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    console.fake.fail_next("DescribeQuickConnect", "AccessDeniedException", after=3)
    status, err = run_adopt(capsys, console, tmp_path / "out")
    assert status == 2
    assert err.count("\n") == 1
    assert "missing permission connect:DescribeQuickConnect" in err
    assert not (tmp_path / "out").exists()


def test_refuses_to_overwrite_files_unless_forced(
    console: Console, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.py").write_text("mine\n")
    status, err = run_adopt(capsys, console, tmp_path)
    assert status == 2
    assert err == (
        f"cdk-connect-quickconnect: error: refusing to overwrite app.py in {tmp_path} "
        "(pass --force to replace them, or choose another --output-dir)\n"
    )
    assert (tmp_path / "app.py").read_text() == "mine\n"
    assert not (tmp_path / "quick_connects_stack.py").exists()
    assert console.fake.calls == []

    status, _ = run_adopt(capsys, console, tmp_path, "--force")
    assert status == 0
    assert (tmp_path / "app.py").read_text() != "mine\n"


def test_reads_only_every_page_riding_out_throttling(
    console: Console, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = run_adopt(capsys, console, tmp_path)
    assert status == 0
    calls = console.fake.calls
    assert any(call.outcome == "ThrottlingException" for call in calls), "the rate limit was reached"
    for operation in ("ListQueues", "ListQuickConnects", "ListContactFlows", "SearchUsers"):
        pages = [call for call in calls if call.operation == operation and call.outcome == "ok"]
        assert len(pages) > 1, operation
    basic = console.queues["BasicQueue"].id
    basic_pages = [c for c in calls if c.operation == "ListQueueQuickConnects" and c.params["QueueId"] == basic]
    assert len([call for call in basic_pages if call.outcome == "ok"]) > 1
    operations = {call.operation for call in calls}
    assert operations
    assert operations == {
        "ListQueues",
        "ListQuickConnects",
        "ListContactFlows",
        "ListQueueQuickConnects",
        "DescribeQuickConnect",
        "SearchUsers",
    }


def test_help_shows_the_three_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["adopt", "--help"])
    out = capsys.readouterr().out
    assert "cdk import --resource-mapping resource-mapping.json" in out
    assert "cdk deploy" in out
    assert "--by-name" in out


def test_fails_when_the_stack_would_exceed_cloudformations_500_resources(
    fake: FakeConnect, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instance = fake.add_instance("huge")
    for index in range(496):
        fake.add_quick_connect(instance, f"Line {index}", "PHONE_NUMBER", phone_number=f"+1800555{index:04d}")
    status = main(["adopt", "--instance-arn", instance.arn, "-o", str(tmp_path / "out")])
    assert status == 2
    assert "496 quick connects and 0 associations make a stack of 501 resources" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_resource_budget_counts_what_the_stack_really_holds(adopted: Any) -> None:
    from cdk_connect_quickconnect.cli.adopt import FIXED_RESOURCES

    template = adopted[3]
    counted = len(of_type(template, QUICK_CONNECT)) + len(of_type(template, ASSOCIATION)) + FIXED_RESOURCES
    assert len(template["Resources"]) == counted


def test_an_alias_names_the_stack(console: Console, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["adopt", "--instance-alias", "my-contact-center", "-o", str(tmp_path)])
    assert status == 0
    app = (tmp_path / "app.py").read_text()
    assert '"MyContactCenterQuickConnects"' in app
    assert "Instance: my-contact-center" in (tmp_path / "quick_connects_stack.py").read_text()
    assert "(stack MyContactCenterQuickConnects)" in capsys.readouterr().out


def test_fails_on_a_stack_name_cloudformation_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["adopt", "--instance-alias", "x", "-o", str(tmp_path), "--stack-name", "1-bad_name"])
    assert exit_info.value.code == 2
    assert "'1-bad_name' is not a stack name" in capsys.readouterr().err


# ---- import, deploy, delete: the README's commands against the fake ------------------------------


def cdk_import(cloudformation: Any, stack: str, template: dict[str, Any], mapping: dict[str, Any]) -> None:
    """What `cdk import` has CloudFormation do: an IMPORT change set of the stack's current template plus only
    the mapped resources, which join the stack as they are; nothing is created, no handler runs.

    It checks what CloudFormation checks: each resource exists, has a DeletionPolicy, and refers to nothing
    (nothing else is in the stack yet).
    """
    for logical_id, identifier in mapping.items():
        definition = template["Resources"][logical_id]
        assert definition["Type"] == QUICK_CONNECT
        assert "DeletionPolicy" in definition
        assert references(definition) == set()
        arn = identifier["QuickConnectArn"]
        assert arn.rsplit("/", 1)[-1] in cloudformation.fake.quick_connects
        cloudformation.import_resource(stack, logical_id, definition, arn)


def test_import_then_deploy_changes_nothing_on_the_instance_and_deleting_the_stack_keeps_it_all(
    adopted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdk_connect_quickconnect._handlers import _connect, _response
    from tests.handlers.conftest import no_sleep_backoff
    from tests.handlers.fake_connect import FakeClock
    from tests.handlers.lifecycle import CloudFormation

    console, directory, _, template = adopted
    fake = console.fake
    clock = fake.clock
    assert isinstance(clock, FakeClock)
    monkeypatch.setattr(_connect, "BACKOFF", no_sleep_backoff(clock))
    monkeypatch.setattr(_response, "TIMER", clock.call_later)
    cloudformation = CloudFormation(fake, clock)
    mapping = json.loads((directory / "resource-mapping.json").read_text())

    def instance_state() -> tuple[Any, ...]:
        configs = {
            qc_id: (qc.name, qc.quick_connect_type, qc.user_id, qc.queue_id, qc.contact_flow_id)
            for qc_id, qc in fake.quick_connects.items()
        }
        return configs, {queue_id: fake.associations(queue) for queue_id, queue in fake.queues.items()}

    before = instance_state()
    fake.calls.clear()

    cdk_import(cloudformation, "Adopted", template, mapping)
    outcome = cloudformation.deploy("Adopted", template)

    assert outcome.ok, outcome.reason
    creates = [call for call in cloudformation.invocations if call.request_type == "Create"]
    assert len(creates) == len(of_type(template, ASSOCIATION))
    assert all(call.error is None for call in creates)
    assert fake.calls_to("ListQueueQuickConnects"), "each association read its queue"
    assert fake.mutating_calls() == []
    assert instance_state() == before

    outcome = cloudformation.delete("Adopted")

    assert outcome.ok, outcome.reason
    assert sorted(resource.logical_id for resource in cloudformation.retained) == sorted(
        [*mapping, *of_type(template, ASSOCIATION)]
    )
    assert fake.mutating_calls() == []
    assert instance_state() == before
