"""Stage 4: the MkDocs plugin, a thin adapter from the generator to MkDocs 1.6.

It validates `cases/` (failing the build with the same `path:line:col` lines that
`casebook validate` prints), adds the generated pages and the data package with
`File.generated`, writes jieba's user dictionary of the collection's own words, and
makes `mkdocs serve` watch the cases folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from .export import created_from_env, package_files
from .pages import build_pages
from .report import format_problem
from .search import fix_query_segmentation, search_terms, user_dict
from .validate import Checker

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


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
        self._page_cache: dict = {}  # case and model pages by case digests, across serve rebuilds
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
        self._pages = build_pages(report.cases, self.config.edit_url or None, cache=self._page_cache)
        # Same bytes as `casebook export`: the site serves the very package researchers cite.
        self._data = package_files(report.cases, created_from_env()) if self.config.data_package else {}
        self._write_user_dict(config, report.cases)
        return config

    def _write_user_dict(self, config, cases) -> None:
        """Write jieba's user dictionary (1+12+X, 岚皋, 五个一 …) where the search plugin loads it.

        `jieba_dict_user` in mkdocs.yml names the file, relative to mkdocs.yml. The search
        plugin would open it relative to the working directory and never close it, so this
        plugin loads it itself and clears the option. Plugins run in mkdocs.yml order:
        casebook must come before search.
        """
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is None or not hasattr(search.config, "jieba_dict_user"):
            return
        path = Path(search.config.jieba_dict_user or "build/jieba_user_dict.txt")
        if not path.is_absolute():
            path = Path(config.config_file_path).parent / path
        path.parent.mkdir(parents=True, exist_ok=True)
        text = user_dict(search_terms(cases))
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        import jieba  # the search plugin segments with the process-wide jieba

        with path.open("rb") as words:
            jieba.load_userdict(words)
        search.config.jieba_dict_user = None

    def on_files(self, files, *, config):
        """Add generated pages and data files; hand-written pages in docs_dir win."""
        for path, content in self._pages.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        for name, content in self._data.items():
            files.append(File.generated(config, f"data/{name}", content=content))
        return files

    def on_post_build(self, *, config):
        """Fix the built search worker's Chinese query segmentation (see generator/search.py)."""
        if not fix_query_segmentation(config.site_dir):
            log.info("casebook: Material's search worker has changed; whole-query fix not applied")

    def on_serve(self, server, *, config, builder):
        """Rebuild when a case file changes."""
        server.watch(str(self._cases_path(config)))
        return server
