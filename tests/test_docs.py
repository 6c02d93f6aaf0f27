"""The API reference (``make docs``): a landing page that runs, every public name documented, honest constructors.

The documentation model is pdoc's, set up as ``docs/build.py`` sets it up for ``make docs``; what counts as shown is
what this project's template shows (``docs/templates``): public members, those inherited from a private base class
of this package included.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import aws_cdk as cdk
import pdoc.doc
import pytest

import cdk_connect_quickconnect as package
from docs.build import MODULES, build, configure, shown, undocumented

PACKAGE = "cdk_connect_quickconnect"
#: What every construct of aws-cdk-lib takes and a construct of this library does not pass on.
RESOURCE_PROPS = ("account", "environment_from_arn", "physical_name", "region")


@pytest.fixture(scope="module")
def modules() -> list[pdoc.doc.Module]:
    configure()
    return [pdoc.doc.Module.from_name(name) for name in MODULES]


def test_every_public_name_is_documented(modules: list[pdoc.doc.Module]) -> None:
    assert undocumented(modules) == []


def test_the_check_sees_the_members_a_transfer_flow_inherits(modules: list[pdoc.doc.Module]) -> None:
    names = {member.qualname for _, _, member in shown(modules)}
    for flow in ("AgentTransferFlow", "QueueTransferFlow"):
        assert {f"{flow}.from_default", f"{flow}.contact_flow_arn", f"{flow}.__init__"} <= names
    assert "ConnectValidationError" in names
    assert "MessageParticipant" in names  # the flow_language module is documented too


def _parameters_documented(docstring: str) -> list[str]:
    return re.findall(r"^:param ([\w*]+):", docstring, flags=re.MULTILINE)


def test_constructors_and_factories_document_exactly_the_parameters_a_user_passes(
    modules: list[pdoc.doc.Module],
) -> None:
    wrong = []
    for _, cls, member in shown(modules):
        if cls is None or not isinstance(member, pdoc.doc.Function) or not member.docstring:
            continue
        is_factory = isinstance(cls.obj.__dict__.get(member.name), (staticmethod, classmethod)) or (
            member.name not in cls.obj.__dict__ and member.name.startswith("from_")  # inherited from a private base
        )
        if not (member.name == "__init__" or is_factory or member.name.startswith("add_")):
            continue
        if member.name == "__init__" and not issubclass(cls.obj, cdk.Resource):
            continue  # value classes (Prompt, FlowDocument, QuickConnectDestination) are made by their factories
        taken = [
            name for name, parameter in inspect.signature(member.obj).parameters.items() if name not in ("self", "cls")
        ]
        documented = _parameters_documented(member.docstring)
        if documented != [name.lstrip("*") for name in taken]:
            wrong.append(f"{member.qualname}: takes {taken}, documents {documented}")
        if set(RESOURCE_PROPS) & set(documented):
            wrong.append(f"{member.qualname} documents a prop of aws_cdk.Resource")
    assert wrong == []


def test_the_landing_page_is_the_seed_walkthrough_and_it_synthesizes() -> None:
    docstring = inspect.getdoc(package) or ""
    assert docstring.startswith("Typed AWS CDK constructs for Amazon Connect call transfer.")
    assert "## The seed walk-through" in docstring
    assert "lazy" not in docstring.lower() and "PEP 562" not in docstring
    (code,) = re.findall(r"\.\. code-block:: python\n\n((?:    .*\n|\n)+)", docstring)
    namespace: dict[str, object] = {}
    exec(compile(inspect.cleandoc(code), "cdk_connect_quickconnect/__init__.py", "exec"), namespace)
    app = namespace["app"]
    assert isinstance(app, cdk.App)
    template = app.synth().get_stack_by_name("SeedWalkthrough").template
    types = sorted(resource["Type"] for resource in template["Resources"].values())
    assert types.count("AWS::Connect::QuickConnect") == 3
    assert types.count("Custom::ConnectLookup") == 4
    assert types.count("Custom::ConnectQueueQuickConnects") == 1


def test_the_reference_builds_with_from_default_and_the_flow_language_page(tmp_path: Path) -> None:
    build(tmp_path)
    page = (tmp_path / f"{PACKAGE}.html").read_text()
    assert 'id="AgentTransferFlow.from_default"' in page
    assert 'id="QueueTransferFlow.from_default"' in page
    assert "environment_from_arn" not in page
    assert re.search(r'<span class="base">[^\n]*?_TransferFlowBase', page) is None  # no private base named
    assert 'href="cdk_connect_quickconnect/flow_language.html"' in page
    assert (tmp_path / PACKAGE / "flow_language.html").is_file()
