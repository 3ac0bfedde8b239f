"""Build a throwaway copy of the site in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import ROOT


def build_site(tmp_path: Path, cases: list[Path]) -> Path:
    """Copy mkdocs.yml, site/ and the given case files into tmp_path and build --strict."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    (tmp_path / "cases").mkdir()
    for case in cases:
        shutil.copy(case, tmp_path / "cases" / case.name)
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), strict=True)
    build(config)
    return Path(config.site_dir)
