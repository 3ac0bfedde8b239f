"""Shared fixtures: paths into the repository and a copy of the valid fixture case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check readings, not speed: a time limit per example only fails them when
# the machine is busy (CI shares two cores with a browser). Speed lives in benchmarks/.
settings.register_profile("casebook", deadline=None)
settings.load_profile("casebook")

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


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (one per test session; see tests/site_helpers.py)."""
    from playwright.sync_api import sync_playwright

    from .site_helpers import ARGS, CHROMIUM, require_chromium

    require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def site_served(tmp_path_factory):
    """The site of the real cases (or, without them, the valid fixtures), built once and served.

    Yields a SimpleNamespace: base (URL), root (the built folder), files (the case files).
    """
    from types import SimpleNamespace

    from generator.load import discover

    from .site_helpers import build_site, served

    files = discover([CASES]) or sorted(VALID.glob("*.yaml"))
    root = build_site(tmp_path_factory.mktemp("served"), files)
    with served(root) as base:
        yield SimpleNamespace(base=base, root=root, files=files)
