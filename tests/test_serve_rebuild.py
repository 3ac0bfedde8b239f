"""`mkdocs serve --dirty`: after a one-case edit only the pages that show that case are rendered."""

from __future__ import annotations

import shutil

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure import pages as mkdocs_pages

from .conftest import CASES, ROOT

PROJECT_FILES = ("DATA_VERSION", "CITATION.cff", "CHANGELOG.md")


def _project(tmp_path):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    shutil.copytree(CASES, tmp_path / "cases")
    for name in PROJECT_FILES:
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path / "mkdocs.yml"


def _config(path):
    # A new config per rebuild, as `mkdocs serve` makes; on_startup keeps the plugin instance.
    return load_config(config_file=str(path))


def test_a_one_case_edit_rerenders_only_the_pages_that_show_it(tmp_path, monkeypatch):
    path = _project(tmp_path)
    config = _config(path)
    plugin = config.plugins["casebook"]
    rendered: list[str] = []
    real_render = mkdocs_pages.Page.render

    def counting_render(self, config, files):
        rendered.append(self.file.src_uri)
        return real_render(self, config, files)

    monkeypatch.setattr(mkdocs_pages.Page, "render", counting_render)
    build(config, dirty=True)
    first = set(rendered)
    before = dict(plugin._pages)  # the Markdown of every generated page, as built
    case = sorted((tmp_path / "cases").glob("*.yaml"))[0]
    text = case.read_text(encoding="utf-8")
    assert "\nnotes: " in text
    case.write_text(text.replace("\nnotes: ", "\nnotes: 改动一处。", 1), encoding="utf-8")

    rendered.clear()
    config = _config(path)
    assert config.plugins["casebook"] is plugin  # MkDocs keeps a plugin that has on_startup
    build(config, dirty=True)
    again = set(rendered)
    changed = {uri for uri, page in plugin._pages.items() if before.get(uri) != page}
    assert f"cases/{case.stem}.md" in changed
    assert again == changed, (sorted(again - changed), sorted(changed - again))
    assert len(again) < len(first) / 5
    html = (tmp_path / "build" / "site" / "cases" / case.stem / "index.html").read_text(encoding="utf-8")
    assert "改动一处。" in html
