"""Shared fixtures: paths into the repository and a copy of the valid fixture case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
CASES = ROOT / "cases"
SOURCES = ROOT.parent / "shared" / "sources"
SNAPSHOTS = ROOT / "sources"  # the stored source snapshots (issue 15, sources/README.md)


@pytest.fixture
def valid_dir(tmp_path: Path) -> Path:
    """A throwaway copy of the valid fixture cases."""
    target = tmp_path / "cases"
    shutil.copytree(VALID, target)
    return target
