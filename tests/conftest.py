from __future__ import annotations

import os

# Node 20 is end-of-life for jsii; the Makefile sets this too, this covers running pytest directly.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots stored as readable JSON files."""
    return snapshot.use_extension(JSONSnapshotExtension)
