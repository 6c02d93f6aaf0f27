"""The command line's JSON is a contract: one key convention, a version, readable keys, the README's schema; and
the small things a first run meets: `map .` in an app's directory, and a missing credential explained."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cdk_connect_quickconnect.cli import main
from cdk_connect_quickconnect.cli._model import JSON_SCHEMA_VERSION
from tests.cli.test_assembly import EXAMPLE_CONTEXT
from tests.support import INSTANCE_ARN, ROOT

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@pytest.fixture(scope="module")
def example_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/app.py synthesized as the CDK CLI does it: with path metadata (``aws:cdk:path``), its default."""
    import sys

    import aws_cdk as cdk

    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import app as example_app
    finally:
        sys.path.remove(str(ROOT / "examples"))
    outdir = tmp_path_factory.mktemp("cdk.out")
    context = {**EXAMPLE_CONTEXT, "aws:cdk:enable-path-metadata": True}
    app_class = cdk.App
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(example_app.cdk, "App", lambda **options: app_class(**options, outdir=str(outdir)))
        example_app.create_app(context).synth()
    return outdir


def _map_json(assembly: Path, capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, Any]:
    assert main(["map", str(assembly), "--format", "json", *arguments]) == 0
    parsed: dict[str, Any] = json.loads(capsys.readouterr().out)
    return parsed


def _keys(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path of the object, key) in ``value``; list items share their list's path with ``[]``."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from _keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item, f"{path}[]")


def _shape(value: Any) -> dict[str, set[str]]:
    shape: dict[str, set[str]] = {}
    for path, key in _keys(value):
        shape.setdefault(path, set()).add(key)
    return shape


def test_every_key_is_snake_case_and_the_version_is_first_class(
    example_assembly: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _map_json(example_assembly, capsys, "--all-queues")

    assert data["version"] == JSON_SCHEMA_VERSION == 1
    assert [key for _, key in _keys(data) if not SNAKE_CASE.fullmatch(key)] == []


def test_nodes_are_keyed_by_construct_path_lookup_or_arn_and_every_reference_resolves(
    example_assembly: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _map_json(example_assembly, capsys, "--all-queues")
    quick_connects = {qc["key"]: qc for qc in data["quick_connects"]}
    queues = {queue["key"]: queue for queue in data["queues"]}

    assert quick_connects["AfterHours/ToBilling"]["name"] == "Billing"
    assert quick_connects["SeedWalkthrough/ToMav2"]["name"] == "mav2"
    assert queues["OwnedQueue/SupportQueue"]["name"] == "Support"
    assert queues["AfterHours/BillingQueue"]["name"] == "Billing"
    assert queues[f"lookup:{INSTANCE_ARN}:queue:BasicQueue"]["origin"] == "looked up"
    for queue in data["queues"]:
        assert set(queue["quick_connects"]) <= quick_connects.keys()
    for profile in data["routing_profiles"]:
        assert profile["key"] == "OwnedQueue/SupportProfile"
        assert set(profile["queues"]) <= queues.keys()
    destination_queues = [qc["destination_queue"] for qc in data["quick_connects"] if qc["destination_queue"]]
    branch_queues = [
        b["destination_queue"] for qc in data["quick_connects"] for b in qc["branches"] if b["destination_queue"]
    ]
    assert set(destination_queues + branch_queues) <= queues.keys()


def test_the_json_is_the_same_every_time(example_assembly: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _map_json(example_assembly, capsys) == _map_json(example_assembly, capsys)


def _readme_json_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("### JSON output (`--format json`)")
    return readme[start : readme.index("\n#", start + 1)]


def test_the_readme_documents_every_key_and_its_example_has_the_real_shape(
    example_assembly: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    section = _readme_json_section()
    example = json.loads(section[section.index("```json\n") + len("```json\n") : section.rindex("```")])
    real = _shape(_map_json(example_assembly, capsys, "--all-queues"))

    assert example["version"] == JSON_SCHEMA_VERSION
    for path, keys in _shape(example).items():
        assert keys == real[path], path
    documented = set(re.findall(r"`([a-z_]+)(?:\[\])?`", section))
    assert {key for keys in real.values() for key in keys} <= documented


def test_the_diff_json_has_the_same_convention_and_the_readme_names_its_keys() -> None:
    from cdk_connect_quickconnect.cli._diff import DriftReport, Finding, render_json

    report = DriftReport("center", (Finding("missing_association", "Billing", "Hotline", "Hotline", None, "detail"),))
    data = json.loads(render_json(report))

    assert data["version"] == JSON_SCHEMA_VERSION
    assert [key for _, key in _keys(data) if not SNAKE_CASE.fullmatch(key)] == []
    documented = set(re.findall(r"`([a-z_]+)(?:\[\])?`", _readme_json_section()))
    assert {key for _, key in _keys(data)} <= documented


# ---- `map .` in an app's directory ---------------------------------------------------------------------------------


@pytest.fixture
def app_directory(example_assembly: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A CDK app's directory after `cdk synth`, as the current directory."""
    shutil.copytree(example_assembly, tmp_path / "cdk.out")
    (tmp_path / "cdk.json").write_text(json.dumps({"app": "python3 app.py"}))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("arguments", [["."], []])
def test_map_in_an_apps_directory_draws_its_cdk_out(
    app_directory: Path, arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["map", *arguments]) == 0

    out = capsys.readouterr().out
    assert out.startswith("flowchart LR\n  %% App in cdk.out (")
    assert '["Billing<br/>to queue"]' in out


def test_map_follows_the_output_directory_cdk_json_names(
    app_directory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (app_directory / "cdk.out").rename(app_directory / "build")
    (app_directory / "cdk.json").write_text(json.dumps({"app": "python3 app.py", "output": "build"}))

    assert main(["map", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("App in build (")


def test_map_without_a_source_outside_an_app_says_what_to_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    assert main(["map"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cdk-connect-quickconnect: error: map: give a cloud assembly (e.g. cdk.out), --instance-arn")
    assert "no cdk.out/manifest.json (run 'cdk synth' first)" in err
    assert err.count("\n") == 1


# ---- no credentials ------------------------------------------------------------------------------------------------


@pytest.fixture
def no_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shell with no AWS credentials anywhere botocore looks (and no instance metadata to ask)."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize(
    "command",
    [
        ["map", "ASSEMBLY", "--instance-arn", INSTANCE_ARN, "--diff"],
        ["map", "--instance-arn", INSTANCE_ARN],
        ["adopt", "--instance-arn", INSTANCE_ARN, "--output", "OUT"],
    ],
)
def test_without_credentials_the_error_says_how_to_give_them(
    example_assembly: Path,
    tmp_path: Path,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = [
        str(example_assembly) if part == "ASSEMBLY" else str(tmp_path / "out") if part == "OUT" else part
        for part in command
    ]

    assert main(arguments) == 2

    err = capsys.readouterr().err
    assert err == (
        "cdk-connect-quickconnect: error: no AWS credentials found: give them with --profile NAME or AWS_PROFILE "
        "(a profile of ~/.aws/config; run 'aws sso login --profile NAME' for an SSO profile), or with "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN)\n"
    )
    assert "Unable to locate credentials" not in err


@pytest.mark.usefixtures("no_credentials")
def test_an_unknown_profile_says_where_profiles_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "--instance-arn", INSTANCE_ARN, "--profile", "nobody"]) == 2

    err = capsys.readouterr().err
    assert "The config profile (nobody) could not be found" in err
    assert "check --profile or AWS_PROFILE ('aws configure list-profiles' lists them)" in err


@pytest.mark.usefixtures("no_credentials")
def test_an_alias_without_a_region_asks_for_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)

    assert main(["map", "--instance-alias", "my-center"]) == 2
    assert "no AWS Region: give --region or set AWS_REGION" in capsys.readouterr().err
