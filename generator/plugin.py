"""Stage 4: the MkDocs plugin, a thin adapter from the generator to MkDocs 1.6.

It validates `cases/` (failing the build with the same `path:line:col` lines that
`casebook validate` prints), adds the generated pages and the data package with
`File.generated`, teaches jieba the collection's own words, and makes `mkdocs serve`
watch the cases folder.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from .export import created_from_env, package_files
from .pages import build_pages, search_terms
from .report import format_problem
from .validate import Checker


class CasebookConfig(Config):
    """Options under `plugins: - casebook:` in mkdocs.yml."""

    cases_dir = c.Type(str, default="cases")
    # e.g. https://github.com/OWNER/REPO/edit/main/ — left empty, pages name the YAML path.
    edit_url = c.Type(str, default="")
    data_package = c.Type(bool, default=True)


class CasebookPlugin(BasePlugin[CasebookConfig]):
    """Generate the casebook's pages from the case files during `mkdocs build`/`serve`."""

    def __init__(self):
        self._checker = Checker()
        self._pages: dict[str, str] = {}
        self._data: dict[str, bytes] = {}

    def on_startup(self, *, command, dirty):
        """Defined so MkDocs keeps this instance, and its Checker cache, across serve rebuilds.

        Without an `on_startup` (or `on_shutdown`) MkDocs 1.6 makes a new plugin for every
        rebuild, and every case would be parsed and validated again after a one-file edit.
        """

    def _cases_path(self, config) -> Path:
        return (Path(config.config_file_path).parent / self.config.cases_dir).resolve()

    def on_config(self, config):
        """Validate and render once per build; a broken case stops the build."""
        cases_dir = self._cases_path(config)
        if not cases_dir.is_dir():
            raise PluginError(f"casebook: cases folder {cases_dir} does not exist")
        report = self._checker.check_paths([cases_dir])
        if not report.ok:
            lines = [format_problem(p) for p in report.errors]
            raise PluginError("casebook: invalid case files:\n" + "\n".join(lines))
        self._pages = build_pages(report.cases, self.config.edit_url or None)
        # Same bytes as `casebook export`: the site serves the very package researchers cite.
        self._data = package_files(report.cases, created_from_env()) if self.config.data_package else {}
        try:  # teach the search plugin's segmenter our words (1+12+X, 岚皋, 五个一 …)
            import jieba

            for word in search_terms(report.cases):
                jieba.add_word(word, freq=2_000_000)
        except ImportError:  # pragma: no cover - jieba is a dependency; search still works
            pass
        return config

    def on_files(self, files, *, config):
        """Add generated pages and data files; hand-written pages in docs_dir win."""
        for path, content in self._pages.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        for name, content in self._data.items():
            files.append(File.generated(config, f"data/{name}", content=content))
        return files

    def on_serve(self, server, *, config, builder):
        """Rebuild when a case file changes."""
        server.watch(str(self._cases_path(config)))
        return server
