"""Real parsers for the maps: Graphviz ``dot`` and the ``mermaid`` npm package (run by Node with jsdom)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import ROOT

MERMAID_SCRIPT = Path(__file__).with_name("mermaid_parse.mjs")


def parse_mermaid(*texts: str, limits: bool = True) -> list[dict[str, Any]]:
    """Each text parsed by the real Mermaid parser; skips when Node or the npm package is missing.

    `limits` keeps Mermaid's default size limits (what GitHub renders); False checks the grammar alone.
    """
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "mermaid").is_dir():
        pytest.skip("the mermaid npm package is not installed: run `make setup` (npm ci) to check Mermaid output")
    result = subprocess.run(
        [node, str(MERMAID_SCRIPT), *([] if limits else ["--no-limits"])],
        input=json.dumps(list(texts)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    parsed: list[dict[str, Any]] = json.loads(result.stdout)
    return parsed


def render_dot(text: str) -> str:
    """The SVG Graphviz draws from `text`; skips when ``dot`` is not installed (CI installs it)."""
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz; `make test` does it in CI)")
    result = subprocess.run([dot, "-Tsvg"], input=text, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Error" not in result.stderr, result.stderr
    return result.stdout
