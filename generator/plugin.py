"""Stage 4: the MkDocs plugin, a thin adapter from the generator to MkDocs 1.6.

It validates `cases/` (failing the build with the same `path:line:col` lines that
`casebook validate` prints), adds the generated pages and the data package with
`File.generated`, marks case and hand-written pages for the Pagefind search (a case
page carries its models' search words) and indexes the built site with it
(generator/site_search.py), and makes `mkdocs serve` watch the cases folder.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
from collections.abc import Mapping
from pathlib import Path

from jinja2 import ChoiceLoader, DictLoader, pass_context
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from . import provenance, render_pool
from .child import release_memory
from .export import SITE_BEGUN, StagedPackage, created_from_env, package_files
from .load import discover
from .pages import build_pages, heading_tokens
from .report import format_problem
from .search import search_terms
from .site_search import annotate, run_pagefind, t2s_map, write_t2s
from .validate import Checker

log = logging.getLogger(f"mkdocs.plugins.{__name__}")
INDEXING = "indexing the case pages and the hand-written pages for search (Pagefind) …"


class _Workers(c.Type):
    """render_workers: a whole number, 0 or more (not a boolean, which YAML's `true` would be)."""

    def __init__(self):
        super().__init__(int, default=0)

    def run_validation(self, value):
        if isinstance(value, bool) or (isinstance(value, int) and value < 0):
            raise ValidationError(f"expected a whole number 0 or more (0: two processes once there are "
                                  f"400 pages, 1: MkDocs alone), got {value!r}")
        return super().run_validation(value)


class CasebookConfig(Config):
    """Options under `plugins: - casebook:` in mkdocs.yml."""

    cases_dir = c.Type(str, default="cases")
    # e.g. https://github.com/OWNER/REPO/edit/main/ — left empty, pages name the YAML path.
    edit_url = c.Type(str, default="")
    data_package = c.Type(bool, default=True)
    # Processes that render the generated pages (generator/render_pool.py): 0 = two on a
    # machine with two or more cores once there are 400 pages (never under `mkdocs serve`),
    # 1 = MkDocs's own one-process loop.
    render_workers = _Workers()


class DataFile(File):
    """A file of the data package, published byte for byte, never rendered as a page.

    The package's README.md (the codebook) and CHANGELOG.md are downloads: as Markdown pages
    README.md would render to data/index.html, the download page's own URL (issue 12).
    The codebook is also a page of its own, data/codebook.md.
    """

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False


def _once_per_folder():
    """`{% call casebook_once(name) %}…{% endcall %}`: the block's HTML, made once per folder
    (page URLs models/x/ and models/y/ share one) for pages outside the menu and reused;
    made every time for the menu's own pages, where the active item differs. A new function
    per build (site/overrides/main.html)."""
    made: dict[tuple[str, str], str] = {}

    @pass_context
    def once(context, name: str, caller) -> Markup:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None or page in nav.pages or page.parent is not None:
            return Markup(caller())
        # Links in the menu are relative to the page: pages in one folder (models/x/, models/y/)
        # get the same HTML.
        key = (name, posixpath.dirname(page.url.rstrip("/")))
        if key not in made:
            made[key] = caller()
        return Markup(made[key])

    return once


class GeneratedPage(File):
    """A generated page whose text may be a function that makes it (pages.build_pages(lazy=True)),
    called the first time the text is read: in the render worker that writes the page."""

    def _made(self):
        if callable(self._content):
            self._content = self._content()
        return self._content

    @property
    def content_string(self) -> str:
        self._made()
        return File.content_string.fget(self)

    @content_string.setter
    def content_string(self, value: str):
        File.content_string.fset(self, value)

    @property
    def content_bytes(self) -> bytes:
        self._made()
        return File.content_bytes.fget(self)

    @content_bytes.setter
    def content_bytes(self, value: bytes):
        File.content_bytes.fset(self, value)


def _unchanged() -> bool:
    return False


def _origin(file: File) -> str:
    return f"generated {file.src_uri}" if file.generated_by else f"{file.src_uri} (docs_dir)"


def same_output(files) -> list[str]:
    """Lines `dest: source, source` for every output path written by more than one file.

    MkDocs would keep one and drop the other without an error (issue 12: the codebook
    README.md took the download page's data/index.html).
    """
    by_dest: dict[str, list[File]] = {}
    for file in files:
        by_dest.setdefault(file.dest_uri, []).append(file)
    return [f"{dest}: " + ", ".join(_origin(f) for f in group)
            for dest, group in sorted(by_dest.items()) if len(group) > 1]


class CasebookPlugin(BasePlugin[CasebookConfig]):
    """Generate the casebook's pages from the case files during `mkdocs build`/`serve`."""

    def __init__(self):
        self._checker = Checker()
        self._pages: dict[str, str] = {}
        self._page_cache: dict = {}  # case and model pages by case digests, across serve rebuilds
        self._data: Mapping[str, bytes] = {}
        self._search: dict[str, tuple] = {}  # src_uri → (formulas, words, models)
        self._search_words: list[str] = []
        self._bodies: dict[str, str] = {}  # src_uri → HTML body of a generated `body: html` page
        self._written: set[str] = set()  # the pages the render workers write
        self._pool: render_pool.RenderPool | None = None
        self._quiet: render_pool.QuietWritten | None = None
        self._serving = False
        self._defer_search = False
        self._lazy = False
        self.site_chars: set[str] = set()
        self._given = None  # (cases folder, report, package) from `casebook build`, used once
        # (site folder, {generated src_uri: SHA-256 of its bytes}) of the last successful build,
        # and the same for the build under way.
        self._built: tuple[str, dict[str, str]] = ("", {})
        self._pending: tuple[str, dict[str, str]] = ("", {})

    def reuse(self, cases_dir: Path, report, package: Mapping[str, bytes]) -> None:
        """Use these validated cases and this data package ({name: bytes}, or the StagedPackage
        whose files `casebook export` then writes) for the next build of `cases_dir` instead of
        validating and exporting again.

        `casebook build` calls it between its export and MkDocs; any other build (`mkdocs
        build`, every `mkdocs serve` rebuild) validates and exports itself.
        """
        self._given = (Path(cases_dir).resolve(), report, package)

    def on_startup(self, *, command, dirty):
        """Defined so MkDocs keeps this instance, and its Checker cache, across serve rebuilds.

        Without an `on_startup` (or `on_shutdown`) MkDocs 1.6 makes a new plugin for every
        rebuild, and every case would be parsed and validated again after a one-file edit.
        Under `mkdocs serve` (threads, few changed pages) pages render in MkDocs's own loop.
        """
        self._serving = command == "serve"

    def _cases_path(self, config) -> Path:
        return (Path(config.config_file_path).parent / self.config.cases_dir).resolve()

    def on_config(self, config):
        """Validate and render once per build; a broken case stops the build."""
        cases_dir = self._cases_path(config)
        if not cases_dir.is_dir():
            raise PluginError(f"casebook: cases folder {cases_dir} does not exist")
        given, self._given = self._given, None
        if given is not None and given[0] == cases_dir:  # from `casebook build`: already checked
            report, package = given[1], given[2]
        else:
            report, package = self._checker.check_paths([cases_dir]), None
        if not report.ok:
            lines = [format_problem(p) for p in report.errors]
            raise PluginError("casebook: invalid case files:\n" + "\n".join(lines))
        # Same bytes as `casebook export`: the site serves the very package researchers cite.
        if package is None and self.config.data_package:
            package = package_files(report.cases, created_from_env(), parallel=not self._serving)
        self._data = package if self.config.data_package else {}
        # Case and model pages are made where they are rendered when workers render them;
        # under `mkdocs serve` they are made here, and kept between rebuilds (page cache).
        count = len(report.cases) + sum(len(c.data.get("models") or []) for c in report.cases)
        self._lazy = render_pool.auto_workers(self._workers_setting(), count) > 1
        self._pages = build_pages(report.cases, self.config.edit_url or None, cache=self._page_cache,
                                  data_files=self._data, directory_urls=config.use_directory_urls,
                                  lazy=self._lazy)
        self._plan_search(report.cases)
        return config

    def _plan_search(self, cases) -> None:
        """What each searchable page adds to the Pagefind index (see generator/site_search.py).

        Case pages carry the case's search words (1+12+X, 岚皋 …) and a hidden section per
        model, which the browser shows as a result linking to the model's page: model pages
        are not indexed themselves (at 2,000 cases, 22,000 more pages would make Pagefind's
        page list alone exceed a phone's first-search budget). Hand-written pages are indexed
        as they are; lists, themes and comparisons (which repeat case text and grow with the
        collection) are not indexed.
        """
        self._search = {}
        self.site_chars = set()
        for case in cases:
            data = case.data
            self._search[f"cases/{data['id']}.md"] = ((), search_terms([case]), data.get("models") or [])
        self._search_words = search_terms(cases)

    def on_files(self, files, *, config):
        """Add generated pages and data files; fail the build if two sources write one URL.

        A hand-written page in docs_dir and a generated one with the same path, or two
        files that render to the same output (data.md and data/index.md → data/index.html),
        stop the build with a PluginError naming both: one would silently hide the other.
        """
        generated = [GeneratedPage.generated(config, path, content=content)
                     for path, content in self._pages.items()]
        if isinstance(self._data, StagedPackage):  # `casebook build`: copied from its folder
            generated += [DataFile.generated(config, f"data/{name}", abs_src_path=str(self._data.path(name)))
                          for name in self._data]
        else:
            generated += [DataFile.generated(config, f"data/{name}", content=content)
                          for name, content in self._data.items()]
        clashes = same_output(list(files) + generated)
        if clashes:
            raise PluginError("casebook: two sources write the same page:\n" + "\n".join(clashes))
        for file in generated:
            files.append(file)
        if not self._lazy:  # lazy pages are made in the workers, and serve never makes them lazy
            self._mark_unchanged(generated, config.site_dir)
        return files

    def _workers_setting(self) -> int:
        return self.config.render_workers or (1 if self._serving else 0)

    def on_nav(self, nav, *, config, files):
        """Start rendering the generated pages that are not in the menu in worker processes,
        when it pays; MkDocs reads the menu's pages meanwhile.

        See generator/render_pool.py: the same MkDocs functions, in two processes; the parent's
        own loop then passes over the pages they wrote.
        """
        self._written, self._pool = set(), None
        in_nav = {page.file.src_uri for page in nav.pages}
        uris = [f.src_uri for f in files.documentation_pages()
                if f.src_uri in self._pages and f.src_uri not in in_nav and f.is_modified()]
        workers = render_pool.auto_workers(self._workers_setting(), len(uris))
        if workers > 1:
            uris = self._by_case(uris)
            self._pool = render_pool.RenderPool(uris, config, files, nav, self, workers)
            self._written = set(uris)
        return nav

    def _by_case(self, uris: list[str]) -> list[str]:
        """The pages in case order, each case page followed by its models' pages.

        A worker's chunk then reads the data of a few cases only, and each case's data is
        read by one worker: a worker that reads an object writes its reference count, which
        copies the memory page it shares with its parent (copy-on-write). In document order
        both workers read every case and ended with a copy each (~400 MB a worker at 2,000).
        """
        wanted = set(uris)
        ordered = []
        for case_page, (_, _, models) in self._search.items():
            for uri in (case_page, *(f"models/{m['id']}.md" for m in models if isinstance(m, dict))):
                if uri in wanted:
                    ordered.append(uri)
                    wanted.discard(uri)
        return ordered + [uri for uri in uris if uri in wanted]

    def on_env(self, env, *, config, files):
        """Wait for the render workers; give their pages an empty template, and keep MkDocs
        quiet about them (it writes nothing for an empty page). Register `casebook_once`."""
        env.globals["casebook_once"] = _once_per_folder()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            self.site_chars |= pool.finish(files).chars
            env.loader = ChoiceLoader([DictLoader({render_pool.WRITTEN_TEMPLATE: ""}), env.loader])
            self._quiet = render_pool.QuietWritten(self._written)
            logging.getLogger("mkdocs.commands.build").addFilter(self._quiet)
        return env

    def on_pre_build(self, *, config):
        """Mark site_dir as a casebook site before MkDocs empties and fills it (export.SITE_BEGUN):
        after an interrupted build the half-written folder is still recognised and rebuilt."""
        site = Path(config.site_dir)
        try:
            site.mkdir(parents=True, exist_ok=True)
            (site / SITE_BEGUN).write_text("A site built by casebook (mkdocs.yml); safe to delete.\n",
                                           encoding="utf-8")
        except OSError:
            pass  # MkDocs reports an unwritable site_dir itself

    def on_build_error(self, *, error):
        """Stop the render workers of a build that failed, and end what the build set up."""
        if self._pool is not None:
            self._pool.abort()
            self._pool = None
        self._end_render()

    def _end_render(self) -> None:
        """Forget the pages the workers wrote and remove the log filter that hid them."""
        if self._quiet is not None:
            logging.getLogger("mkdocs.commands.build").removeFilter(self._quiet)
            self._quiet = None
        self._written = set()

    def on_page_markdown(self, markdown, *, page, config, files):
        """Keep the HTML body of a generated `body: html` page (model pages) from Python-Markdown.

        Such a body is already HTML, written by an autoescaping template (pages.py); converting
        it would cost ~6 ms a page for nothing (22,000 model pages at 2,000 cases, issue 13).
        MkDocs converts an empty text instead, and on_page_content puts the body back.
        Only pages this plugin generated: a hand-written page is always Markdown.
        """
        if page.meta.get("body") != "html" or page.file.src_uri not in self._pages:
            return markdown
        self._bodies[page.file.src_uri] = markdown
        return ""

    def on_page_content(self, html, *, page, config, files):
        """The kept HTML body, with the table of contents and anchors Markdown would have given."""
        body = self._bodies.pop(page.file.src_uri, None)
        if body is None:
            return html
        tokens = heading_tokens(body)
        page.toc = get_toc(tokens)
        anchors, stack = set(), list(tokens)
        while stack:  # every heading, however deep
            token = stack.pop()
            anchors.add(token["id"])
            stack += token["children"]
        page.present_anchor_ids = anchors
        return body

    def on_post_page(self, output, *, page, config):
        """Mark case and hand-written pages for Pagefind, with their hidden search words."""
        file = page.file
        if file.src_uri in self._written:
            return ""  # a worker wrote this page; its template rendered nothing here
        planned = self._search.get(file.src_uri)
        if planned is None and (file.generated_by is not None or not file.is_documentation_page()):
            return output
        formulas, words, models = planned or ((), (), ())
        self.site_chars.update(output)
        return annotate(output, formulas, words, models)

    def _mark_unchanged(self, generated: list[File], site_dir: str) -> None:
        """Let a dirty rebuild skip generated files whose bytes have not changed.

        `mkdocs serve --dirty` (and `mkdocs build --dirty`) renders and copies only files whose
        `is_modified()` is true, and a generated file always says it is. Here a generated page
        or data file with the same bytes as in the last successful build says it is not, so a
        one-case edit re-renders only the pages whose Markdown that case changes: its own page,
        its models' pages and the lists and comparisons that show it (not in the nav, case and
        model pages never change the other pages' navigation). Only for the same site folder:
        another build in this process writes somewhere else, from nothing.
        """
        built = self._built[1] if self._built[0] == site_dir else {}
        self._pending = (site_dir, {})
        for file in generated:
            digest = hashlib.sha256(file.content_bytes).hexdigest()
            self._pending[1][file.src_uri] = digest
            if built.get(file.src_uri) == digest:
                file.is_modified = _unchanged

    def on_post_build(self, *, config):
        """Index the built site with Pagefind and write the traditional → simplified map."""
        self._end_render()
        # Every page is written: the next dirty rebuild may skip the unchanged ones.
        self._built, self._pending = self._pending, ("", {})
        write_t2s(config.site_dir, t2s_map(self.site_chars, self._search_words))
        if self._defer_search:
            # Once: MkDocs keeps this instance for the next build in this process (it has
            # on_startup), which must index itself unless deferred again.
            self._defer_search = False
        else:
            log.info(f"casebook: {INDEXING}")
            self.index_search(config)

    def defer_search(self) -> None:
        """Leave the Pagefind index of the next build to the caller: `casebook build` calls
        index_search once MkDocs's process has exited, so their memory does not add up."""
        self._defer_search = True

    def index_search(self, config) -> None:
        """Index the built site in config.site_dir with Pagefind (site_search.run_pagefind).

        Drops what `casebook build` handed over first (reuse): not needed any more.
        Raises PluginError when Pagefind fails.
        """
        self._given, self._defer_search = None, False
        release_memory()
        try:
            run_pagefind(config.site_dir)
        except (OSError, RuntimeError) as exc:
            raise PluginError(f"casebook: search index: {exc}") from exc

    def on_serve(self, server, *, config, builder):
        """Rebuild when a case file or a source snapshot changes.

        The snapshot folders are the nearest `sources/` of each case file and of the cases folder
        (provenance.snapshot_folder): a snapshot changed, added or removed changes which quotes verify
        in unchanged cases, and the Checker compares provenance.stamp between runs, so a rebuild is all
        the preview needs (review provenance2 #13). A folder that does not exist when serving starts
        cannot be watched (the watcher refuses a missing path), nor is one that is a symbolic link
        (validation refuses it anyway).
        """
        cases_dir = self._cases_path(config)
        server.watch(str(cases_dir))
        folders = {provenance.snapshot_folder(p) for p in [cases_dir / "x.yaml", *discover([cases_dir])]}
        for folder in sorted(f for f in folders if f is not None):
            if folder.is_dir() and not folder.is_symlink():
                server.watch(str(folder))
        return server
