"""The package as people install it: ``python -m build`` makes a wheel and an sdist that both install and work."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from tests.support import ROOT

PACKAGE = "cdk_connect_quickconnect"
#: Top-level modules shipped code may import besides the standard library and itself: the declared
#: dependencies, jsii (theirs), and boto3/botocore, which the Lambda runtime provides to the handlers.
ALLOWED_THIRD_PARTY = {"aws_cdk", "constructs", "jsii", "boto3", "botocore"}

#: A tiny app, as a user would write it: one quick connect offered on a queue the stack does not own.
_USER_APP = """
import json, sys
from pathlib import Path
import aws_cdk as cdk
import cdk_connect_quickconnect as cq
arn = "arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
app = cdk.App(outdir=sys.argv[1])
stack = cdk.Stack(app, "UserStack", env=cdk.Environment(account="111122223333", region="us-east-1"))
instance = cq.ConnectInstance.from_instance_arn(stack, "Instance", arn)
hotline = cq.QuickConnect(stack, "Hotline", instance=instance, name="Hotline",
                          destination=cq.QuickConnectDestination.phone_number("+18005550100"))
queue = cq.Queue.from_queue_arn(stack, "BasicQueue", arn + "/queue/11111111-2222-4333-8444-555555555555")
cq.QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=[hotline])
assembly = app.synth()
template = assembly.get_stack_by_name("UserStack").template
handlers = sorted(p.name for p in Path(sys.argv[1]).glob("asset.*/_handlers/*.py"))
print(json.dumps({"version": cq.__version__, "file": cq.__file__,
                  "types": sorted({r["Type"] for r in template["Resources"].values()}), "handlers": handlers}))
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it, as ``python -m build`` makes them."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True, capture_output=True, timeout=600
    )
    return out


def _artifact(dist: Path, pattern: str) -> Path:
    (found,) = dist.glob(pattern)
    return found


def _sdist_files(dist: Path) -> dict[PurePosixPath, bytes]:
    with tarfile.open(_artifact(dist, "*.tar.gz")) as sdist:
        members = [member for member in sdist.getmembers() if member.isfile()]
        return {
            PurePosixPath(*PurePosixPath(m.name).parts[1:]): sdist.extractfile(m).read()  # type: ignore[union-attr]
            for m in members
        }


def _imports(path: PurePosixPath, source: bytes) -> set[tuple[str, ...]]:
    """The modules ``path`` imports, as dotted parts; relative imports resolved against its package."""
    package = path.parent.parts[path.parent.parts.index("src") + 1 :] if "src" in path.parts else path.parent.parts
    found: set[tuple[str, ...]] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(tuple(alias.name.split(".")) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = tuple(package[: len(package) - node.level + 1]) if node.level else ()
            module = base + tuple(node.module.split(".")) if node.module else base
            found.add(module)
            if not node.module:
                found.update((*module, alias.name) for alias in node.names)
    return found


def test_the_sdist_ships_the_license_and_no_tests(dist: Path) -> None:
    files = _sdist_files(dist)
    assert {PurePosixPath("LICENSE"), PurePosixPath("README.md"), PurePosixPath("CHANGELOG.md")} <= files.keys()
    assert b"Apache License" in files[PurePosixPath("LICENSE")]
    assert not [path for path in files if path.parts[0] in {"tests", "benchmarks", "examples"}]


def test_everything_the_sdist_ships_imports_only_what_is_shipped_or_declared(dist: Path) -> None:
    files = _sdist_files(dist)
    shipped = {path.with_suffix("").parts[1:] for path in files if path.suffix == ".py" and path.parts[0] == "src"}
    shipped |= {parts[:-1] for parts in shipped if parts[-1] == "__init__"}
    missing = []
    for path, source in files.items():
        if path.suffix != ".py":
            continue
        for module in _imports(path, source):
            top = module[0]
            if top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY or top == "__future__":
                continue
            if module not in shipped and module[:-1] not in shipped:
                missing.append(f"{path}: {'.'.join(module)}")
    assert missing == []


def test_the_wheel_ships_the_handlers_the_typing_marker_and_the_license(dist: Path) -> None:
    names = set(zipfile.ZipFile(_artifact(dist, "*.whl")).namelist())
    assert {f"{PACKAGE}/py.typed", f"{PACKAGE}/_handlers/index.py", f"{PACKAGE}/_handlers/association.py"} <= names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert not [name for name in names if name.startswith(("tests/", "benchmarks/", "examples/"))]


@pytest.mark.parametrize("artifact", ["*.whl", "*.tar.gz"], ids=["wheel", "sdist"])
def test_installed_from_each_artifact_it_synthesizes_a_users_app(dist: Path, tmp_path: Path, artifact: str) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies come from this venv (they are large); the package itself only from the artifact.
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(_artifact(dist, artifact))],
        check=True,
        capture_output=True,
        timeout=600,
    )
    env = {**os.environ, "PYTHONPATH": "", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    result = subprocess.run(
        [str(python), "-c", _USER_APP, str(tmp_path / "cdk.out")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert Path(report["file"]).is_relative_to(site_packages)
    assert report["version"] == importlib.metadata.version("cdk-connect-quickconnect")  # pyproject.toml's
    assert "Custom::ConnectQueueQuickConnects" in report["types"]
    assert {"AWS::Connect::QuickConnect", "AWS::Lambda::Function", "AWS::Logs::LogGroup"} <= set(report["types"])
    assert {"index.py", "association.py", "lookup.py", "_connect.py"} <= set(report["handlers"])


def test_the_import_reader_resolves_relative_imports_and_sees_test_helpers() -> None:
    source = b"from . import _kinds\nfrom .queue import IQueue\nfrom tests.support import ROOT\nimport aws_cdk.aws_iam"
    assert _imports(PurePosixPath("src/cdk_connect_quickconnect/association.py"), source) == {
        ("cdk_connect_quickconnect",),
        ("cdk_connect_quickconnect", "_kinds"),
        ("cdk_connect_quickconnect", "queue"),
        ("tests", "support"),
        ("aws_cdk", "aws_iam"),
    }
