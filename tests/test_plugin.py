"""The MkDocs adapter: a configurable cases folder, and `mkdocs serve` watching it."""

from __future__ import annotations

import shutil

from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import ROOT, VALID


def _site(tmp_path, cases_dir: str):
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    option = "      cases_dir: cases\n"
    assert option in text
    text = text.replace(option, f"      cases_dir: {cases_dir}\n")
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    shutil.copytree(VALID, tmp_path / cases_dir)
    return load_config(config_file=str(tmp_path / "mkdocs.yml"), strict=True)


def test_cases_folder_is_configurable(tmp_path):
    config = _site(tmp_path, "records/cases")
    build(config)
    assert (tmp_path / "build/site/cases/langao-fixture-mini/index.html").is_file()


class _Server:
    def __init__(self):
        self.watched: list[str] = []

    def watch(self, path):
        self.watched.append(path)


def test_serve_watches_the_cases_folder(tmp_path):
    config = _site(tmp_path, "cases")
    server = config.plugins.on_serve(_Server(), config=config, builder=None)
    assert str((tmp_path / "cases").resolve()) in server.watched
