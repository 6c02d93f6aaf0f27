"""The adopt code generator on hand-built plans: names, logical ids, literals, layout, determinism."""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import aws_cdk as cdk
import pytest
from constructs import Construct
from hypothesis import given, settings
from hypothesis import strategies as st

from cdk_connect_quickconnect.cli._adopt_code import (
    MAPPING_FILE,
    MODULE_FILE,
    AdoptedAssociation,
    AdoptedQuickConnect,
    AdoptionPlan,
    NameAllocator,
    Reference,
    generate,
    logical_id,
    name_tokens,
    py_string,
)

INSTANCE_ARN = "arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
RUFF = [sys.executable, "-m", "ruff"]
#: The project's own rule set, at ruff's default line length, outside any project configuration.
STRICT_RULES = [
    "--isolated",
    "--select",
    "E,F,W,I,B,UP,SIM,RUF,N,D",
    "--ignore",
    "D203,D213",
    "--target-version",
    "py310",
]


def arn(segment: str, resource_id: str) -> str:
    return f"{INSTANCE_ARN}/{segment}/{resource_id}"


BASIC = Reference("queue", "q-basic-0001", arn("queue", "q-basic-0001"), "BasicQueue")
SALES = Reference("queue", "q-sales-0002", arn("queue", "q-sales-0002"), "Sales (EU) \u2013 Tier 2")
MAV2 = Reference("user", "u-mav2-0003", arn("agent", "u-mav2-0003"), "mav2")
AGENT_FLOW = Reference(
    "flow", "f-agent-0004", arn("contact-flow", "f-agent-0004"), "Default agent transfer", "AGENT_TRANSFER"
)
QUEUE_FLOW = Reference(
    "flow", "f-queue-0005", arn("contact-flow", "f-queue-0005"), "Default queue transfer", "QUEUE_TRANSFER"
)
QUOTED_FLOW = Reference(
    "flow", "f-quote-0006", arn("contact-flow", "f-quote-0006"), 'The "careful" transfer', "QUEUE_TRANSFER"
)


def quick_connect(connect_id: str, name: str, kind: str, **fields: object) -> AdoptedQuickConnect:
    return AdoptedQuickConnect(
        connect_id=connect_id,
        arn=arn("transfer-destination", connect_id),
        name=name,
        description=fields.pop("description", None),  # type: ignore[arg-type]
        quick_connect_type=kind,
        **fields,  # type: ignore[arg-type]
    )


CHAT_FLOW = Reference("flow", "f-chat-0007", arn("contact-flow", "f-chat-0007"), "Collect details", "CONTACT_FLOW")
QUICK_CONNECTS = (
    quick_connect("qc-0000000a", "mav2", "USER", target=MAV2, flow=AGENT_FLOW),
    quick_connect("qc-0000000b", "BasicQueue", "QUEUE", target=BASIC, flow=QUEUE_FLOW, description="The basics"),
    quick_connect("qc-0000000c", "Support hotline", "PHONE_NUMBER", phone_number="+18005550100"),
    quick_connect("qc-0000000d", "Sales", "QUEUE", target=SALES, flow=QUOTED_FLOW),
    quick_connect("qc-0000000e", "sales", "PHONE_NUMBER", phone_number="+18005550101"),
    quick_connect("qc-00000010", "Collect details", "FLOW", flow=CHAT_FLOW),
    quick_connect(
        "qc-0000000f",
        "A name \u00e9crit with quotes ' and \" and a back\\slash that goes on well past one line of code " * 1,
        "PHONE_NUMBER",
        phone_number="+442071838750",
        description="External support line, staffed around the clock. " * 4,
    ),
)
PLAN = AdoptionPlan(
    instance_arn=INSTANCE_ARN,
    instance_alias="my-contact-center",
    quick_connects=QUICK_CONNECTS,
    associations=(
        AdoptedAssociation(BASIC, tuple(qc.connect_id for qc in QUICK_CONNECTS)),
        AdoptedAssociation(SALES, ("qc-0000000a",)),
    ),
)


def write(files: dict[str, str] | object, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.files.items():  # type: ignore[attr-defined]
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def keyword_values(module: str, call: str, keyword: str) -> list[object]:
    """The literal values of ``keyword=`` in every call of ``call`` in ``module``."""
    found = []
    for node in ast.walk(ast.parse(module)):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == call:
            found += [ast.literal_eval(kw.value) for kw in node.keywords if kw.arg == keyword]
    return found


# ---- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("Sales desk (EU)", ["Sales", "desk", "EU"]),
        ("BasicQueue", ["Basic", "Queue"]),
        ("mav2", ["mav2"]),
        ("Caf\u00e9 \u2013 24x7", ["Cafe", "24", "x7"]),
        ("\u260e\u260e", []),
        ("HTTPServer", ["HTTP", "Server"]),
    ],
)
def test_name_tokens_keep_the_words_people_wrote(name: str, tokens: list[str]) -> None:
    assert name_tokens(name) == tokens


def test_ids_read_like_the_connect_names() -> None:
    module = generate(PLAN).files[MODULE_FILE]
    for construct_id, variable in [
        ("ToMav2", "to_mav2"),
        ("ToBasicQueue", "to_basic_queue"),
        ("ToSupportHotline", "to_support_hotline"),
        ("BasicQueue", "basic_queue"),
        ("SalesEuTier2Queue", "sales_eu_tier2_queue"),
        ("Mav2User", "mav2_user"),
        ("DefaultAgentTransferFlow", "default_agent_transfer_flow"),
        ("BasicQueueQuickConnects", None),
    ]:
        assert f'"{construct_id}"' in module
        if variable:
            assert f"{variable} = " in module


def test_names_that_clash_all_get_their_connect_id_tail_whatever_the_order() -> None:
    module = generate(PLAN).files[MODULE_FILE]
    assert '"ToSales0000000d"' in module
    assert '"ToSales0000000e"' in module
    assert '"ToSales"' not in module
    shuffled = list(QUICK_CONNECTS)
    random.Random(7).shuffle(shuffled)
    assert generate(replace(PLAN, quick_connects=tuple(shuffled))).files == generate(PLAN).files


def test_reserved_and_unusable_names_are_avoided() -> None:
    names = NameAllocator(reserved=["Instance"])
    names.want("queue", "q-1", name_tokens("Instance"))
    names.want("queue", "q-2", name_tokens("class"))
    names.want("queue", "q-3", name_tokens("24x7"), suffix="Queue")
    names.want("queue", "q-4", name_tokens("\u260e"), suffix="Queue")
    assert names.construct_id("queue", "q-1") == "InstanceQ1"
    assert names.variable("queue", "q-2") == "class_q2"
    assert names.variable("queue", "q-3").isidentifier()
    assert names.construct_id("queue", "q-4") == "Queue"


def test_a_long_name_is_cut_at_a_word() -> None:
    names = NameAllocator()
    names.want("quick connect", "qc", name_tokens("word " * 40), prefix="To")
    construct_id = names.construct_id("quick connect", "qc")
    assert construct_id.startswith("ToWordWord")
    assert len(construct_id) <= 2 + 40


# ---- logical ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ("ToMav2", "Resource"),
        ("ToSales0000000d", "Resource"),
        ("Outer", "Outer", "Resource"),
        ("A-b_c", "Default", "Resource"),
        ("Solo",),
        ("x" * 300, "Resource"),
    ],
)
def test_logical_ids_are_the_ones_aws_cdk_lib_gives(path: tuple[str, ...]) -> None:
    stack = cdk.Stack(cdk.App(), "Stack")
    scope: Construct = stack
    for part in path[:-1]:
        scope = Construct(scope, part)
    resource = cdk.CfnResource(scope, path[-1], type="AWS::SNS::Topic")
    assert logical_id(*path) == stack.get_logical_id(resource)


# ---- literals and layout -------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_string_literals_read_back_as_the_value(value: str) -> None:
    assert ast.literal_eval(py_string(value)) == value


def test_every_name_and_description_reads_back_exactly() -> None:
    module = generate(PLAN).files[MODULE_FILE]
    assert sorted(keyword_values(module, "QuickConnect", "name")) == sorted(qc.name for qc in QUICK_CONNECTS)
    assert sorted(keyword_values(module, "QuickConnect", "description")) == sorted(
        qc.description for qc in QUICK_CONNECTS if qc.description
    )


@pytest.mark.parametrize("by_name", [False, True], ids=["by-arn", "by-name"])
def test_generated_code_passes_ruff_and_ruff_format(tmp_path: Path, by_name: bool) -> None:
    directory = write(generate(PLAN, by_name=by_name), tmp_path / "app")
    check = subprocess.run([*RUFF, "check", *STRICT_RULES, "."], cwd=directory, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [*RUFF, "format", "--isolated", "--check", "--diff", "."], cwd=directory, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_by_name_pins_every_lookup_to_todays_arn_in_cdk_json() -> None:
    files = generate(PLAN, by_name=True).files
    lookups = json.loads(files["cdk.json"])["context"]["connectLookups"]
    instance = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"  # the generated code imports the instance by ARN: its id
    assert lookups == {
        f"{instance}/queue:BasicQueue": BASIC.arn,
        f"{instance}/queue:{SALES.name}": SALES.arn,
        f"{instance}/user:mav2": MAV2.arn,
        f"{instance}/contact-flow:AGENT_TRANSFER:Default agent transfer": AGENT_FLOW.arn,
        f"{instance}/contact-flow:QUEUE_TRANSFER:Default queue transfer": QUEUE_FLOW.arn,
        f"{instance}/contact-flow:QUEUE_TRANSFER:{QUOTED_FLOW.name}": QUOTED_FLOW.arn,
        f"{instance}/contact-flow:CONTACT_FLOW:Collect details": CHAT_FLOW.arn,
    }
    module = files[MODULE_FILE]
    assert "AgentTransferFlow.from_default(" in module
    assert "ContactFlow.from_contact_flow_name(" in module
    assert "from_queue_arn" not in module


def test_by_arn_names_no_lookup_and_needs_no_context() -> None:
    files = generate(PLAN).files
    assert json.loads(files["cdk.json"]) == {"app": "python3 app.py"}
    assert "from_queue_name" not in files[MODULE_FILE]
    assert "from_default" not in files[MODULE_FILE]


def test_mapping_names_each_quick_connect_once_by_its_arn() -> None:
    generated = generate(PLAN)
    mapping = json.loads(generated.files[MAPPING_FILE])
    assert sorted(entry["QuickConnectArn"] for entry in mapping.values()) == sorted(qc.arn for qc in QUICK_CONNECTS)
    assert mapping[logical_id("ToMav2", "Resource")] == {"QuickConnectArn": arn("transfer-destination", "qc-0000000a")}


def test_association_lists_exactly_the_plans_quick_connects() -> None:
    module = ast.parse(generate(PLAN).files[MODULE_FILE])
    listed = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "QueueQuickConnectAssociation":
            kwargs = {kw.arg: kw.value for kw in node.keywords}
            listed[ast.unparse(kwargs["queue"])] = sorted(ast.unparse(item) for item in kwargs["quick_connects"].elts)
    assert listed["sales_eu_tier2_queue"] == ["to_mav2"]
    assert len(listed["basic_queue"]) == len(QUICK_CONNECTS)


def test_every_quick_connect_is_retained() -> None:
    module = ast.parse(generate(PLAN).files[MODULE_FILE])
    created = set()
    retained = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Assign) and ast.unparse(node.value).startswith("QuickConnect("):
            created.add(ast.unparse(node.targets[0]))
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".apply_removal_policy"):
            assert ast.unparse(node.args[0]) == "RemovalPolicy.RETAIN"
            retained.add(ast.unparse(node.func).removesuffix(".apply_removal_policy"))
    assert len(created) == len(QUICK_CONNECTS)
    assert retained == created


def test_a_flow_of_an_unexpected_type_is_imported_unchecked_so_the_stack_still_synthesizes() -> None:
    odd_flow = replace(AGENT_FLOW, flow_type="CONTACT_FLOW")
    plan = replace(PLAN, quick_connects=(replace(QUICK_CONNECTS[0], flow=odd_flow),), associations=())
    for by_name in (False, True):
        module = generate(plan, by_name=by_name).files[MODULE_FILE]
        flow_call = next(
            node
            for node in ast.walk(ast.parse(module))
            if isinstance(node, ast.Call)
            and "Flow" in ast.unparse(node.func)
            and ast.unparse(node.func) != "QuickConnectDestination.user"
        )
        assert ast.unparse(flow_call.func) == "ContactFlow.from_contact_flow_arn"
        assert not flow_call.keywords
