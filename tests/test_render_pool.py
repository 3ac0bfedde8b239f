"""Generated pages rendered in worker processes (generator/render_pool.py, issue 13).

The site must be the same, byte for byte, as MkDocs's own one-process loop writes; a
worker's warning must still fail a strict build; a worker's error must name the page.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from jinja2 import TemplateNotFound
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator import plugin as plugin_module
from generator import render_pool

from .conftest import ROOT


def _project(tmp_path: Path, workers: int) -> Path:
    """A copy of the project (mkdocs.yml, site/, the five cases) rendering with `workers`."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
            '      edit_url: ""\n', f'      edit_url: ""\n      render_workers: {workers}\n'),
        encoding="utf-8")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    return tmp_path / "mkdocs.yml"


def _build(config_file: Path) -> Path:
    config = load_config(config_file=str(config_file), strict=True)
    build(config)
    return Path(config.site_dir)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_workers_write_the_same_site_as_mkdocs_alone(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    alone = _tree(_build(_project(tmp_path / "one", 1)))
    caplog.clear()
    pooled = _tree(_build(_project(tmp_path / "two", 2)))
    said = caplog.text
    assert "generated pages written" in said  # the workers ran (and said how far they got)
    assert "Page skipped" not in said  # the parent's pass over their pages stays quiet
    assert pooled.keys() == alone.keys()
    different = [name for name in alone if pooled[name] != alone[name]]
    assert different == []
    assert any(name.startswith("models/") and name.endswith("index.html") for name in pooled)


def test_the_menu_made_once_per_folder_is_the_menu_made_for_each_page(tmp_path, monkeypatch):
    once = _tree(_build(_project(tmp_path / "once", 2)))
    monkeypatch.setattr(plugin_module, "_once_per_folder", lambda: lambda name, caller: caller())
    every = _tree(_build(_project(tmp_path / "every", 2)))
    assert [name for name in every if once.get(name) != every[name]] == []


def _with_page_change(monkeypatch, change):
    """Make build_pages change one case page's Markdown with `change`."""
    original = plugin_module.build_pages

    def build_pages(*args, **kwargs):
        pages = original(*args, **kwargs)
        path = sorted(p for p in pages if p.startswith("cases/") and p != "cases/index.md")[0]
        made = pages[path]  # the text, or (pages made in the workers) the function making it
        pages[path] = (lambda: change(made())) if callable(made) else change(made)
        return pages

    monkeypatch.setattr(plugin_module, "build_pages", build_pages)


def test_a_workers_warning_fails_the_strict_build(tmp_path, monkeypatch, caplog):
    _with_page_change(monkeypatch, lambda text: text + "\n[gone](../nowhere/missing.md)\n")
    with pytest.raises(Abort):
        _build(_project(tmp_path, 2))
    # Logged again in the parent, where MkDocs counts warnings for strict mode.
    assert "'../nowhere/missing.md', but the target 'nowhere/missing.md' is not found" in caplog.text


def test_a_workers_error_names_the_page(tmp_path, monkeypatch, caplog):
    _with_page_change(monkeypatch, lambda text: text.replace("---\n", "---\ntemplate: missing.html\n", 1))
    with pytest.raises(Abort, match="Aborted with a BuildError"):  # MkDocs's answer to a PluginError
        _build(_project(tmp_path, 2))
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors[-1].startswith("casebook: rendering cases/dawang-cross-village-joint-construction.md: "
                                 "TemplateNotFound: 'missing.html' not found"), errors


@pytest.mark.parametrize(("setting", "pages", "expected"),
                         [(1, 10_000, 1), (3, 10, 2), (1000, 10, 2), (0, render_pool.AUTO_MIN_PAGES - 1, 1)])
def test_worker_count(setting, pages, expected, monkeypatch):
    monkeypatch.setattr(render_pool.os, "sched_getaffinity", lambda pid: {0, 1})  # two cores
    assert render_pool.auto_workers(setting, pages) == expected


@pytest.mark.parametrize("value", ["-1", "true", "two", "1.5"])
def test_a_bad_render_workers_is_refused_when_mkdocs_yml_loads(tmp_path, value):
    from mkdocs.exceptions import ConfigurationError

    config = _project(tmp_path, 2)
    text = config.read_text(encoding="utf-8").replace("render_workers: 2", f"render_workers: {value}")
    config.write_text(text, encoding="utf-8")
    with pytest.raises((ConfigurationError, Abort)):
        load_config(config_file=str(config), strict=True)


def test_auto_uses_two_workers_for_many_pages_on_two_cores(monkeypatch):
    monkeypatch.setattr(render_pool.os, "sched_getaffinity", lambda pid: {0, 1})
    assert render_pool.auto_workers(0, render_pool.AUTO_MIN_PAGES) == 2
    monkeypatch.setattr(render_pool.os, "sched_getaffinity", lambda pid: {0})
    assert render_pool.auto_workers(0, 25_000) == 1


def test_lazy_pages_make_the_same_text():
    from generator.pages import build_pages
    from generator.validate import validate_paths

    cases = validate_paths([ROOT / "cases"]).cases
    now = build_pages(cases)
    lazy = build_pages(cases, lazy=True)
    made_later = {path for path, text in lazy.items() if callable(text)}
    own_pages = {p for p in now if p.startswith(("cases/", "models/")) and not p.endswith("index.md")}
    assert made_later == own_pages
    assert {path: text() if callable(text) else text for path, text in lazy.items()} == now


def _die(uris):
    os._exit(9)  # as the OOM killer or `kill -9` ends a worker


def test_a_worker_that_dies_fails_the_build_at_once(tmp_path, monkeypatch, caplog):
    """review: with multiprocessing.Pool a killed worker was replaced by ones that crashed in a
    loop, and the build waited for its lost pages forever."""
    monkeypatch.setattr(render_pool, "_render_chunk", _die)
    with pytest.raises(Abort, match="Aborted with a BuildError"):
        _build(_project(tmp_path, 2))
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors[-1] == ("casebook: rendering a render worker stopped before its pages were written "
                          "(killed, or out of memory?); build again, or set render_workers: 1 in mkdocs.yml")


def test_workers_take_the_pages_case_by_case():
    """A chunk reads few cases' data, each case's by one worker (copy-on-write memory)."""
    plugin = plugin_module.CasebookPlugin()
    plugin._search = {"cases/a.md": ((), (), [{"id": "m1"}, {"id": "m2"}]),
                      "cases/b.md": ((), (), [{"id": "m3"}])}
    pages = ["cases/a.md", "cases/b.md", "models/m1.md", "models/m3.md", "models/m2.md", "themes/x.md"]
    assert plugin._by_case(pages) == ["cases/a.md", "models/m1.md", "models/m2.md", "cases/b.md",
                                      "models/m3.md", "themes/x.md"]


def test_a_failure_after_the_workers_leaves_no_log_filter_behind(tmp_path):
    """A menu page that fails in MkDocs's own loop (after on_env): on_build_error ends the
    render as on_post_build would, so the next build in this process logs normally."""
    config = _project(tmp_path, 2)
    about = tmp_path / "site" / "about.md"
    about.write_text("---\ntemplate: missing.html\n---\n" + about.read_text(encoding="utf-8"),
                     encoding="utf-8")
    with pytest.raises(TemplateNotFound):  # MkDocs re-raises what is not a BuildError
        _build(config)
    build_log = logging.getLogger("mkdocs.commands.build")
    assert not any(isinstance(f, render_pool.QuietWritten) for f in build_log.filters)
