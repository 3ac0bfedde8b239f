"""`casebook build`: validate, export and build the site in one command, or stop at the first step."""

from __future__ import annotations

import os
import shutil

import pytest
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
    steps = ("[1] validating", "[2] building the site", "[3] exporting the data package")
    assert [result.output.index(step) for step in steps] == sorted(result.output.index(s) for s in steps)
    assert "data package: build/data/datapackage.json" in result.output
    assert f"site: {(tmp_path / 'build/site').as_posix()}/index.html" in result.output
    for built in ("build/data/datapackage.json", "build/site/index.html",
                  "build/site/cases/langao-fixture-mini/index.html", "build/site/data/metrics.csv"):
        assert (tmp_path / built).is_file(), built
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["data", "site"]  # staged package gone
    published = (tmp_path / "build/site/data/metrics.csv").read_bytes()
    assert published == (tmp_path / "build/data/metrics.csv").read_bytes()


@pytest.mark.parametrize(("failure", "why"), [
    (OSError(28, "No space left on device"), "No space left on device (disk full)"),
    (MemoryError(), "MemoryError"),
])
def test_a_package_that_cannot_be_made_stops_the_build_before_the_site(tmp_path, monkeypatch, failure, why):
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    monkeypatch.chdir(tmp_path)

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr("generator.export.package_files", fail)  # in the child that makes it
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert f"Error: could not make the data package: {why}; nothing was written" in result.output
    assert "[2] building the site" not in result.output
    assert list((tmp_path / "build").iterdir()) == []  # the staging folder is removed


def test_build_shows_the_sites_progress(tmp_path, monkeypatch):
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")  # workers, as at 400 pages or more
    (tmp_path / "mkdocs.yml").write_text(text.replace('      edit_url: ""\n',
                                                       '      edit_url: ""\n      render_workers: 2\n'),
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    site = result.output.split("[2] building the site", 1)[1].split("[3] exporting", 1)[0]
    lines = [line.strip() for line in site.splitlines()[1:]]
    written = [line for line in lines if line.endswith("generated pages written")]
    assert written and written[-1].startswith("casebook: ") and " of " in written[-1]
    assert lines[-1] == "casebook: indexing the case pages and the hand-written pages for search (Pagefind) …"


def test_build_stops_with_validate_messages_and_writes_nothing(tmp_path, monkeypatch):
    _project(tmp_path, [INVALID / "vocabulary" / "langao-fixture-mini.yaml"])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    expected = (INVALID / "vocabulary" / "expected.txt").read_text(encoding="utf-8").strip()
    assert expected.split(": ", 1)[1] in result.output
    assert "cases/langao-fixture-mini.yaml:73:11: `unit`" in result.output
    assert "build refused" in result.output and not (tmp_path / "build").exists()


def _site_dir(tmp_path, site_dir: str) -> None:
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "site_dir: build/site\n" in text
    config.write_text(text.replace("site_dir: build/site\n", f"site_dir: {site_dir}\n"), encoding="utf-8")


PROTECT = "and the site build replaces its folder as a whole; use a folder of its own, e.g. build/site"


@pytest.mark.parametrize(("site_dir", "message"), [
    ("cases", f"cannot write the site into {{root}}/cases: it is the project's cases/ folder, {PROTECT}"),
    ("sources", f"cannot write the site into {{root}}/sources: it is the project's sources/ folder, "
                f"{PROTECT}"),
    ("schema/x", f"cannot write the site into {{root}}/schema/x: it is inside the project's schema/ folder, "
                 f"{PROTECT}"),
    (".github", f"cannot write the site into {{root}}/.github: it is the project's .github/ folder, "
                f"{PROTECT}"),
    (".git", f"cannot write the site into {{root}}/.git: it is the project's .git/ folder, {PROTECT}"),
    ("build/data", "cannot write the site into {root}/build/data: it is the data package folder build/data, "
                   "and each replaces its folder as a whole; give site_dir (mkdocs.yml) and --data-out "
                   "folders apart, e.g. build/site and build/data"),
    ("build", "cannot write the site into {root}/build: it holds the data package folder build/data, "
              "and each replaces its folder as a whole; give site_dir (mkdocs.yml) and --data-out "
              "folders apart, e.g. build/site and build/data"),
    ("notes", "cannot write the site into {root}/notes: the folder exists and is not a site built by "
              "casebook build (it has no assets/casebook.css), and MkDocs empties it first; choose "
              "another site_dir in mkdocs.yml, or empty it first"),
])
def test_build_refuses_a_site_dir_it_would_empty(tmp_path, monkeypatch, site_dir, message):
    """MkDocs deletes what site_dir holds: review rv10b #1. Refused before anything is written."""
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    for folder in ("sources", "schema", ".github", ".git", "notes"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "keep.txt").write_text("mine", encoding="utf-8")
    _site_dir(tmp_path, site_dir)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == "Error: " + message.format(root=tmp_path.as_posix())
    assert not (tmp_path / "build").exists()
    for folder in ("sources", "schema", ".github", ".git", "notes"):
        assert (tmp_path / folder / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert len(list((tmp_path / "cases").glob("*.yaml"))) == len(list(VALID.glob("*.yaml")))


def test_build_refuses_a_data_out_inside_the_site(tmp_path, monkeypatch):
    """review rv10b #2: MkDocs would empty build/site, and the package with it."""
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--data-out", "build/site/data2"])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"Error: cannot write the site into {tmp_path.as_posix()}/build/site: it holds the data package "
        "folder build/site/data2, and each replaces its folder as a whole; give site_dir (mkdocs.yml) "
        "and --data-out folders apart, e.g. build/site and build/data")
    assert not (tmp_path / "build").exists()


def test_a_failed_site_step_leaves_build_data_unchanged(tmp_path, monkeypatch):
    """review rv10b #9: the site is built before build/data is replaced."""
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - 关于: about.md\n" in text
    config.write_text(text.replace("  - 关于: about.md\n", "  - 关于: nosuch.md\n"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1, result.output
    # MkDocs renders in a child process: its warning is relayed, then the parent's message.
    assert result.output.splitlines()[-2:] == [
        "A reference to 'nosuch.md' is included in the 'nav' configuration, which is not found in "
        "the documentation files.",
        "Error: site build failed: Aborted with 1 warnings in strict mode!; build/site and build/data "
        "were not changed"]
    assert not (tmp_path / "build" / "data").exists()
    assert list((tmp_path / "build").iterdir()) == []  # no staging folder left


def test_a_failed_site_step_leaves_the_old_site_whole(tmp_path, monkeypatch):
    """review: MkDocs emptied build/site first, so a failed or interrupted build left half a site,
    which the next build then refused; the site is now built beside it and swapped in."""
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    before = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "build/site").rglob("*"))
    config = tmp_path / "mkdocs.yml"
    broken = config.read_text(encoding="utf-8").replace("about.md\n", "nosuch.md\n")
    config.write_text(broken, encoding="utf-8")
    assert CliRunner().invoke(main, ["build"]).exit_code == 1
    assert sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "build/site").rglob("*")) == before
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["data", "site"]


def test_a_killed_builds_staging_folders_are_removed_by_the_next(tmp_path, monkeypatch):
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    monkeypatch.chdir(tmp_path)
    gone = 2**22 + 1  # above Linux's pid_max: no such process
    for name in (f".casebook-build-{gone}-x1", f".casebook-site-{gone}-x2",
                 f"..casebook-site-{gone}-x2-pagefind-y"):
        (tmp_path / "build" / name / "sub").mkdir(parents=True)
    (tmp_path / "build" / f".casebook-site-{os.getpid()}-mine").mkdir()  # a running build's: kept
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [
        f".casebook-site-{os.getpid()}-mine", "data", "site"]


def test_a_negative_render_workers_is_one_line_before_anything_is_written(tmp_path, monkeypatch):
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '      edit_url: ""\n', '      edit_url: ""\n      render_workers: -1\n'), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: mkdocs.yml: Config value 'plugins': Plugin 'casebook' option 'render_workers': expected a "
        "whole number 0 or more (0: two processes once there are 400 pages, 1: MkDocs alone), got -1; "
        "fix it first (nothing was written)")
    assert not (tmp_path / "build").exists()


def test_after_casebook_build_a_plain_build_in_the_same_process_indexes_its_search(tmp_path, monkeypatch):
    """MkDocs keeps the plugin instance between builds in one process (it has on_startup):
    `casebook build`'s deferred search must not leave the next `mkdocs build` without one."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    shutil.rmtree(tmp_path / "build" / "site")
    build(load_config(config_file=str(tmp_path / "mkdocs.yml"), strict=True))
    assert (tmp_path / "build" / "site" / "pagefind" / "pagefind.js").is_file()


def test_the_built_site_has_the_mode_mkdocs_gives_not_the_staging_folders(tmp_path, monkeypatch):
    # A web server running as another user must be able to read it (review: it was 0700).
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    monkeypatch.chdir(tmp_path)
    mask = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["build"])
    finally:
        os.umask(mask)
    assert result.exit_code == 0, result.output
    assert oct((tmp_path / "build/site").stat().st_mode & 0o777) == oct(0o755)
