"""The README's "Quick start", "Use it in your CDK app" and "Deploy" run as a reader pastes them.

Each section's shell blocks run in one fresh ``bash -e`` (as one terminal), Python blocks are written to the file
their fence names (```` ```python file=app.py ````): "Quick start" in a fresh copy of this checkout (the files git
knows of, edits included), "Use it in your CDK app" and then "Deploy" in the directory that holds it, as the README
says. The shell is clean: no venv active, none of this project's tools on the ``PATH``, no ``JSII_*`` / ``CDK_*``
variable the Makefile sets, and a new home directory (a new laptop) whose ``~/.cdk.json`` only turns the CDK CLI's
notices and telemetry off (the machine's pip and npm caches are reused). So a missing install step, a command that
is not on the ``PATH`` or a CLI of another version than ``package.json``'s fails here.

A call that needs AWS (``cdk deploy``, ``cdk bootstrap``, ...) is not made: the same command with ``--version``
runs instead, and must answer the pinned version. A block not meant to run is fenced ```` ```sh norun ````.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT

#: The sections that run, in order, and where each starts: the checkout (a copy) or the directory holding it.
SECTIONS = {"Quick start": "checkout", "Use it in your CDK app": "beside", "Deploy": "beside"}
CHECKOUT_NAME = "cdk-connect-quickconnect"
#: CDK CLI commands that need an AWS account.
AWS_CALL = re.compile(r"\bcdk\s+(?:deploy|bootstrap|destroy|diff|import|watch|drift|refactor)\b")
VERSION_MARK = "README-CLI-VERSION:"
SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}


@dataclass(frozen=True)
class Block:
    """One fenced block: its language, the words after it (``file=...``, ``norun``) and its text."""

    language: str
    options: tuple[str, ...]
    code: str

    def option(self, name: str) -> str | None:
        for option in self.options:
            key, _, value = option.partition("=")
            if key == name:
                return value or key
        return None


def readme_sections(text: str) -> dict[str, list[Block]]:
    """Each ``## `` section's fenced blocks (a ``## `` inside a block is not a heading)."""
    sections: dict[str, list[Block]] = {}
    current: list[Block] | None = None
    fence: list[str] | None = None
    header = ""
    for line in text.splitlines():
        if fence is not None:
            if line.startswith("```"):
                words = header.split()
                if current is not None:
                    current.append(Block(words[0] if words else "", tuple(words[1:]), "\n".join(fence) + "\n"))
                fence = None
            else:
                fence.append(line)
        elif line.startswith("```"):
            fence, header = [], line[3:].strip()
        elif line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
    return sections


def _logical_lines(code: str) -> list[str]:
    """Shell lines with their ``\\`` continuations joined."""
    lines: list[str] = []
    pending = ""
    for line in code.splitlines():
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    if pending:
        lines.append(pending)
    return lines


def shell_script(blocks: list[Block]) -> str:
    """What a reader types, block after block; AWS calls replaced by a version check of the same CLI."""
    script: list[str] = []
    for block in blocks:
        if block.option("norun"):
            continue
        if block.language in SHELL_LANGUAGES:
            for line in _logical_lines(block.code):
                call = AWS_CALL.search(line)
                if call is None:
                    script.append(line)
                    continue
                cli = line[: call.start() + len("cdk")].strip()
                script.append(f"readme_cli_version=$({cli} --version)")
                script.append(f'echo "{VERSION_MARK} $readme_cli_version"')
        elif block.language == "python":
            path = block.option("file")
            if path is None:
                raise ValueError(
                    f"a python block the README test cannot run: fence it ```python file=<path> or ```python "
                    f"norun:\n{block.code}"
                )
            script.append(f'mkdir -p "$(dirname {path})"')
            script.append(f"cat > {path} <<'README_PYTHON_BLOCK'\n{block.code}README_PYTHON_BLOCK")
    return "\n".join(script) + "\n"


def pinned_cli_version() -> str:
    package = json.loads((ROOT / "package.json").read_text())
    return str(package["dependencies"]["aws-cdk"])


def _project_bin_directories() -> set[str]:
    return {str(ROOT / ".venv" / "bin"), str(ROOT / "node_modules" / ".bin"), str(Path(sys.executable).parent)}


def clean_environment(home: Path) -> dict[str, str]:
    """The reader's environment: this machine's, without what this project's tools and Makefile put in it."""
    dropped_prefixes = ("JSII_", "CDK_", "PYTEST_", "npm_", "NPM_CONFIG_", "MAKE")
    dropped = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MFLAGS", "PDOC_ALLOW_EXEC"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith(dropped_prefixes)}
    project_bins = _project_bin_directories()
    env["PATH"] = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p not in project_bins)
    env["HOME"] = str(home)
    env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    env["NPM_CONFIG_CACHE"] = os.environ.get("NPM_CONFIG_CACHE") or str(Path.home() / ".npm")
    return env


def copy_checkout(destination: Path) -> None:
    """The files git knows of (committed, or new and not ignored), as they are in the working tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


@dataclass(frozen=True)
class Session:
    """One terminal: what it printed and how it ended."""

    output: str
    returncode: int

    def versions(self) -> list[str]:
        """The CLI versions the AWS calls' checks printed (``bash -x`` echoes the command too, with a ``+``)."""
        marked = [line for line in self.output.splitlines() if line.startswith(VERSION_MARK)]
        return [line.removeprefix(VERSION_MARK).split()[0] for line in marked]

    def tail(self) -> str:
        return "\n".join(self.output.splitlines()[-60:])


def run_session(script: str, cwd: Path, env: dict[str, str], name: str) -> Session:
    path = cwd.parent / f"{name}.sh" if cwd.name == CHECKOUT_NAME else cwd / f"{name}.sh"
    path.write_text(script)
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-x", str(path)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1800,
        check=False,
    )
    return Session(completed.stdout, completed.returncode)


@dataclass(frozen=True)
class ReadmeRun:
    root: Path
    quick_start: Session
    project: Session

    @property
    def checkout(self) -> Path:
        return self.root / CHECKOUT_NAME


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory: pytest.TempPathFactory) -> ReadmeRun:
    root = tmp_path_factory.mktemp("reader")
    home = root / "home"
    home.mkdir()
    # The new laptop's one setting: the CDK CLI calls nothing but the registries (no notices, no telemetry).
    (home / ".cdk.json").write_text(json.dumps({"notices": False, "context": {"cli-telemetry": False}}))
    checkout = root / CHECKOUT_NAME
    copy_checkout(checkout)
    sections = readme_sections((ROOT / "README.md").read_text())
    env = clean_environment(home)
    quick_start = run_session(shell_script(sections["Quick start"]), checkout, env, "quick-start")
    beside = [block for title, where in SECTIONS.items() if where == "beside" for block in sections[title]]
    project = run_session(shell_script(beside), root, env, "use-it-and-deploy")
    return ReadmeRun(root, quick_start, project)


# ---- what the reader gets -------------------------------------------------------------------------------------------


def test_the_quick_start_synthesizes_the_examples_with_only_what_synthesis_needs(readme_run: ReadmeRun) -> None:
    session = readme_run.quick_start
    assert session.returncode == 0, session.tail()
    checkout = readme_run.checkout
    templates = sorted(path.name for path in (checkout / "cdk.out").glob("*.template.json"))
    assert templates == [
        "AfterHours.template.json",
        "AgentInitiatedFlow.template.json",
        "CustomPrompts.template.json",
        "OwnedQueue.template.json",
        "SeedWalkthrough.template.json",
    ]
    # make example is lean: no dev toolchain in the venv, no test-only npm package.
    assert not (checkout / ".venv" / "bin" / "mypy").exists()
    assert not (checkout / ".venv" / "bin" / "pytest").exists()
    assert not (checkout / "node_modules" / "mermaid").exists()
    # and quiet: the CDK CLI's "where I wrote it" lines are not printed on a clean run.
    lines = session.output.splitlines()
    assert not [line for line in lines if line.startswith(("Supply a stack id", "Successfully synthesized"))]
    assert session.versions() == [pinned_cli_version()] * 2  # each `npx cdk deploy` resolves to the pinned CLI


def test_a_new_project_synthesizes_with_the_library_from_the_checkout(readme_run: ReadmeRun) -> None:
    session = readme_run.project
    assert session.returncode == 0, session.tail()
    project = readme_run.root / "contact-center"
    template = json.loads((project / "cdk.out" / "ContactCenterStack.template.json").read_text())
    types = {resource["Type"] for resource in template["Resources"].values()}
    assert {"AWS::Connect::QuickConnect", "Custom::ConnectQueueQuickConnects", "Custom::ConnectLookup"} <= types
    installed_cli = json.loads((project / "node_modules" / "aws-cdk" / "package.json").read_text())["version"]
    assert installed_cli == pinned_cli_version()
    assert session.versions() == [pinned_cli_version()] * 2  # `npx cdk bootstrap` and `npx cdk deploy`
    assert "[Warning" not in session.output


# ---- how the README is read (fast) ----------------------------------------------------------------------------------


def test_every_section_the_run_needs_is_there_with_blocks_to_run() -> None:
    sections = readme_sections((ROOT / "README.md").read_text())
    for title in SECTIONS:
        assert title in sections, f"README section '## {title}' is gone: the README test runs it"
        assert shell_script(sections[title]).strip(), f"'## {title}' has nothing to run"


def test_every_cdk_cli_the_readme_names_is_the_pinned_one() -> None:
    sections = readme_sections((ROOT / "README.md").read_text())
    code = "".join(block.code for title in SECTIONS for block in sections[title])
    named = re.findall(r"aws-cdk@([^\s'\"]+)", code)
    assert named and set(named) == {pinned_cli_version()}


def test_an_aws_call_becomes_a_version_check_of_the_same_cli() -> None:
    script = shell_script([Block("sh", (), "npx cdk deploy --all -c a=b \\\n    -c c=d\nls\n")])
    assert script == f'readme_cli_version=$(npx cdk --version)\necho "{VERSION_MARK} $readme_cli_version"\nls\n'


def test_a_python_block_must_say_where_it_goes_or_that_it_does_not_run() -> None:
    with pytest.raises(ValueError, match="file=<path>"):
        shell_script([Block("python", (), "print('hello')\n")])
    assert shell_script([Block("python", ("norun",), "fragment(\n")]) == "\n"
    assert "cat > app.py <<'README_PYTHON_BLOCK'\nx = 1\nREADME_PYTHON_BLOCK" in shell_script(
        [Block("python", ("file=app.py",), "x = 1\n")]
    )


def test_headings_inside_blocks_are_not_sections() -> None:
    text = "## One\n```sh\n## not a heading\necho one\n```\n## Two\n```python file=a.py\nx = 1\n```\n"
    sections = readme_sections(text)
    assert list(sections) == ["One", "Two"]
    assert sections["One"] == [Block("sh", (), "## not a heading\necho one\n")]


def test_the_reader_runs_none_of_this_projects_tools(tmp_path: Path) -> None:
    env = clean_environment(tmp_path)
    assert not set(env["PATH"].split(os.pathsep)) & _project_bin_directories()
    assert not [key for key in env if key.startswith(("JSII_", "CDK_")) or key == "VIRTUAL_ENV"]
    assert env["HOME"] == str(tmp_path)
