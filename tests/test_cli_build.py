"""`casebook build`: validate, export and build the site in one command, or stop at the first step."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from generator.cli import main

from .conftest import INVALID, ROOT, VALID


def _project(tmp_path, cases):
    for name in ("mkdocs.yml", "DATA_VERSION", "CITATION.cff", "CHANGELOG.md"):  # the release's identity
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "site", tmp_path / "site")
    (tmp_path / "cases").mkdir()
    for case in cases:
        shutil.copy(case, tmp_path / "cases" / case.name)


def test_build_validates_exports_and_builds(tmp_path, monkeypatch):
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    for step in ("[1] validating", "[2] exporting", "[3] building the site"):
        assert step in result.output
    assert "data package: build/data/datapackage.json" in result.output
    assert f"site: {(tmp_path / 'build/site').as_posix()}/index.html" in result.output
    for built in ("build/data/datapackage.json", "build/site/index.html",
                  "build/site/cases/langao-fixture-mini/index.html", "build/site/data/metrics.csv"):
        assert (tmp_path / built).is_file(), built


def test_build_stops_with_validate_messages_and_writes_nothing(tmp_path, monkeypatch):
    _project(tmp_path, [INVALID / "vocabulary" / "langao-fixture-mini.yaml"])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    expected = (INVALID / "vocabulary" / "expected.txt").read_text(encoding="utf-8").strip()
    assert expected.split(": ", 1)[1] in result.output
    assert "cases/langao-fixture-mini.yaml:73:11: `unit`" in result.output
    assert "build refused" in result.output and not (tmp_path / "build").exists()
