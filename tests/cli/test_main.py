"""The command line's shell: entry points, help, exit statuses, and a start-up that does not load the CDK."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cdk_connect_quickconnect.cli import SUBCOMMANDS, build_parser, main


def test_help_lists_the_subcommands_and_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])

    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert "map" in out
    assert "examples:" in out
    assert "cdk-connect-quickconnect map cdk.out --instance-arn ARN --diff" in out


def test_map_help_shows_an_example_and_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["map", "--help"])

    out = capsys.readouterr().out
    assert "examples:" in out
    assert "exit status" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["map", "--format", "png"])

    assert exited.value.code == 2
    assert "invalid choice: 'png'" in capsys.readouterr().err


def test_a_subcommand_is_one_register_function() -> None:
    parser = build_parser()
    assert len(SUBCOMMANDS) >= 1
    arguments = parser.parse_args(["map", "--instance-alias", "x"])
    assert callable(arguments.handler)


def test_python_dash_m_runs_the_same_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cdk_connect_quickconnect", "--help"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0
    assert result.stdout.startswith("usage: cdk-connect-quickconnect")
