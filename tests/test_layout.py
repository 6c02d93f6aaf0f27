"""The package's modules import one way: constructs -> references -> core, never in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "cdk_connect_quickconnect"


def _imports_within_package(module: Path) -> set[str]:
    """Sibling modules ``module`` imports, including imports only made for type checking or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {path.stem: path for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    return {name: _imports_within_package(path) & modules.keys() for name, path in modules.items()}


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> list[str] | None:
        if module in visiting:
            return [*visiting[visiting.index(module) :], module]
        if module in done:
            return None
        visiting.append(module)
        for imported in sorted(graph[module]):
            cycle = visit(imported)
            if cycle:
                return cycle
        visiting.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_no_module_imports_in_a_circle() -> None:
    assert _find_cycle(_graph()) is None


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"b"}}) == ["b", "c", "b"]


@pytest.mark.parametrize(
    ("module", "must_not_import"),
    [
        ("queue", {"association", "quick_connect"}),
        ("user", {"association", "quick_connect"}),
        ("quick_connect", {"association"}),
        ("_reference", {"queue", "user", "flows", "quick_connect", "association"}),
    ],
)
def test_references_do_not_import_the_constructs_above_them(module: str, must_not_import: set[str]) -> None:
    assert not _graph()[module] & must_not_import


def test_importing_every_construct_leaves_the_provider_bindings_unloaded() -> None:
    """aws_iam, aws_lambda and aws_logs load with the first provider, not with the constructs.

    Their Python bindings take most of a second to import; an app that makes no association and no lookup, and the
    command line, never need them.
    """
    import subprocess
    import sys

    provider_modules = ["aws_cdk.aws_iam", "aws_cdk.aws_lambda", "aws_cdk.aws_logs"]
    probe = (
        "import sys\n"
        "from cdk_connect_quickconnect import *\n"
        f"print(','.join(m for m in {provider_modules!r} if m in sys.modules))\n"
        "from aws_cdk import App, Stack\n"
        "from cdk_connect_quickconnect._provider import ConnectHandlerProvider\n"
        "ConnectHandlerProvider.of(Stack(App(), 'S'))\n"
        f"print(','.join(m for m in {provider_modules!r} if m in sys.modules))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    loaded_on_import, loaded_with_a_provider = completed.stdout.splitlines()
    assert loaded_on_import == ""
    assert loaded_with_a_provider.split(",") == provider_modules


def test_every_public_name_is_exported_lazily_from_its_module() -> None:
    import cdk_connect_quickconnect as package

    assert set(package.__all__) == {*package._MODULES, "__version__"}
    for name in package._MODULES:
        value = getattr(package, name)
        assert value.__module__ == "cdk_connect_quickconnect" or value.__module__.startswith(
            "cdk_connect_quickconnect."
        ), name
        assert value.__name__ == name


def test_the_error_class_reads_as_the_packages() -> None:
    """Tracebacks print ``cdk_connect_quickconnect.ConnectValidationError``, where users import it from."""
    import cdk_connect_quickconnect as package
    from cdk_connect_quickconnect import ConnectValidationError

    assert ConnectValidationError is package.ConnectValidationError
    assert f"{ConnectValidationError.__module__}.{ConnectValidationError.__qualname__}" == (
        "cdk_connect_quickconnect.ConnectValidationError"
    )
    assert issubclass(ConnectValidationError, ValueError)


def test_the_command_line_starts_without_aws_cdk_lib() -> None:
    """``cdk-connect-quickconnect`` reads templates and the Connect API: it never needs aws-cdk-lib or jsii's Node."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from cdk_connect_quickconnect.cli import build_parser\n"
        "build_parser()\n"
        "print(sorted(m for m in ('aws_cdk', 'jsii', 'constructs') if m in sys.modules))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert completed.stdout.strip() == "[]"
