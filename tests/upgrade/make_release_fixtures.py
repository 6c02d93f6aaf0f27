"""Write the templates and handler code a released version synthesizes, as fixtures of the upgrade tests.

Run it with the project's venv against a checkout of the release (a git worktree), never against the tree
being developed: the point is to keep what the *released* code produced.

    git worktree add --detach /tmp/release 9ea004c
    .venv/bin/python tests/upgrade/make_release_fixtures.py /tmp/release tests/upgrade/release_0_1_0

(run as a script, so that ``tests`` is the release's test package, not this tree's).

What it writes under the output folder:

- ``templates/<name>.json``: every example stack under both feature-flag sets, and the small apps of the
  lifecycle tests (``tests/handlers/test_lifecycle.py``'s ``template(...)`` as the release had it), with the
  handler asset's hash replaced by ``release-<version>`` so the lifecycle driver knows which code answers;
- ``handlers/``: the release's ``_handlers`` package, byte for byte: the code a function of the release's
  template runs;
- ``release.json``: the version, the commit and the names of the templates.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

#: The lifecycle apps kept, by name: keyword arguments of the release's ``test_lifecycle.template``.
LIFECYCLE_APPS: dict[str, dict[str, Any]] = {
    "lifecycle-v1": {"basic": (0, 1, 2, 3), "owned": 2, "support": (10, 11)},
    "lifecycle-v2": {"basic": (2, 3, 4, 5, 6), "owned": 3, "support": (11, 12)},
    "lifecycle-basic-3": {"basic": (0, 1, 2)},
    "lifecycle-basic-3-retain": {"basic": (0, 1, 2), "removal_policy": "RETAIN"},
    "lifecycle-basic-120": {"basic": tuple(range(120))},
}
_ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def main(release_root: Path, output: Path) -> None:
    sys.path[:0] = [str(release_root / "src"), str(release_root), str(release_root / "examples")]
    import aws_cdk as cdk

    package = importlib.import_module("cdk_connect_quickconnect")
    assert Path(package.__file__ or "").is_relative_to(release_root), "import the release's package, not this tree's"
    version = _release_version(release_root)
    commit = subprocess.run(
        ["git", "-C", str(release_root), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    templates = output / "templates"
    shutil.rmtree(output, ignore_errors=True)
    templates.mkdir(parents=True)
    names = []
    for name, template in [*_example_templates(release_root), *_lifecycle_templates(cdk)]:
        text = _ASSET_HASH.sub(f"release-{version}", json.dumps(template, indent=1, sort_keys=True))
        (templates / f"{name}.json").write_text(text + "\n")
        names.append(name)
    shutil.copytree(
        release_root / "src" / "cdk_connect_quickconnect" / "_handlers",
        output / "handlers",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    manifest = {"version": version, "commit": commit, "templates": sorted(names)}
    (output / "release.json").write_text(json.dumps(manifest, indent=1) + "\n")


def _release_version(release_root: Path) -> str:
    match = re.search(r'^version = "([^"]+)"', (release_root / "pyproject.toml").read_text(), re.MULTILINE)
    assert match, "pyproject.toml has no version"
    return match[1]


def _example_templates(release_root: Path) -> list[tuple[str, dict[str, Any]]]:
    support = importlib.import_module("tests.support")
    spec = importlib.util.spec_from_file_location("release_example_app", release_root / "examples" / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = []
    for flag_set in support.FLAG_SETS:
        assembly = module.create_app(context=support.context_with_flags(flag_set)).synth()
        found += [(f"example-{stack.stack_name}-{flag_set}", stack.template) for stack in assembly.stacks]
    return found


def _lifecycle_templates(cdk: Any) -> list[tuple[str, dict[str, Any]]]:
    lifecycle = importlib.import_module("tests.handlers.test_lifecycle")
    found = []
    for name, arguments in LIFECYCLE_APPS.items():
        given = dict(arguments)
        if "removal_policy" in given:
            given["removal_policy"] = getattr(cdk.RemovalPolicy, given["removal_policy"])
        found.append((name, lifecycle.template.__wrapped__(**given)))
    return found


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
