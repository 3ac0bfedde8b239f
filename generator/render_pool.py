"""Render the generated pages in worker processes, with MkDocs's own functions (issue 13).

MkDocs 1.6 renders pages one after another: Python-Markdown, then the theme's template, on
one core. At 2,000 cases the site has ≈ 25,000 generated pages, which is most of the build.
These pages (case, model, theme, list and comparison pages) are not in the navigation, so
none of them changes how another page renders: each can be rendered anywhere once the
navigation exists.

`RenderPool(uris, config, files, nav, plugin, workers)` forks `workers` processes when
MkDocs's `on_nav` event runs (the site folder is already cleaned, nothing is populated yet),
and MkDocs goes on reading the menu's pages (the comparisons, the lists) meanwhile. Each
worker reads the source of the navigation's pages (for their titles in every page's menu:
the title given in mkdocs.yml, else the page's front matter or first heading), then, for
each of its pages, runs `mkdocs.commands.build._populate_page` and `_build_page` (private
functions of MkDocs 1.6, hence the pin `mkdocs>=1.6,<1.7`): the same plugin events,
Markdown, template and file writing as MkDocs's loop, so the site is byte for byte the one
a one-process build writes (tests/test_render_pool.py). What the parent needs back is small:
each page's anchors, the characters the search map needs, and the log records the workers
emitted, which the parent logs again, so `strict` still fails on a worker's warning.
The parent then passes over those pages in its own loop: each becomes a `WrittenPage`, which
reads and renders nothing and uses the empty template WRITTEN_TEMPLATE, so MkDocs writes
nothing over the worker's file (CasebookPlugin wires the template and the quiet log).

Errors: a page that fails in a worker raises PluginError in the parent naming the page and
the error (MkDocs's own "Error reading page" line is logged too). Linux/macOS only (fork);
elsewhere `workers` is 1 and MkDocs renders as usual.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .child import die_with_parent

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

# Below this many pages a pool costs more than it saves (fork, the menu read again per worker).
AUTO_MIN_PAGES = 400
CHUNK = 64  # pages per task: small enough to balance two workers, large enough to be cheap


def auto_workers(setting: int, pages: int) -> int:
    """How many processes render `pages` pages: `setting` if ≥ 1, at most one per usable core
    (more only add memory: each worker holds the whole site's structures); 0 means 2 on a
    machine with two or more usable cores and at least AUTO_MIN_PAGES pages, else 1
    (MkDocs's own loop)."""
    if not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if setting >= 1:
        return min(setting, max(cores, 1))
    return 2 if cores >= 2 and pages >= AUTO_MIN_PAGES else 1


@dataclass
class Rendered:
    """What the parent keeps of the pages the workers rendered and wrote."""

    anchors: dict[str, set[str]] = field(default_factory=dict)  # docs path → its anchor ids
    chars: set[str] = field(default_factory=set)  # every character of the indexed pages


class _Records(logging.Handler):
    """Keeps a worker's log records, to be logged again in the parent."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None  # picklable whatever the args were
        record.exc_info = record.exc_text = None
        self.records.append(record)


WRITTEN_TEMPLATE = "casebook-written-by-worker.html"  # renders to nothing: MkDocs writes no file


class WrittenPage(Page):
    """A page a worker has already rendered and written: MkDocs's own loop passes over it.

    Its source is not read again and no Markdown is converted (an empty conversion alone
    costs ~1 ms a page: ~25 s at 25,000 pages); its template is WRITTEN_TEMPLATE; its
    anchors (`present_anchor_ids`) are the ones the worker found (RenderPool.finish).
    """

    def read_source(self, config) -> None:
        self.markdown, self.meta = "", {"template": WRITTEN_TEMPLATE}

    def render(self, config, files) -> None:
        self.content, self.toc = "", get_toc([])


class QuietWritten(logging.Filter):
    """Drops MkDocs's "Page skipped: … Generated empty output." for the pages workers wrote."""

    def __init__(self, uris):
        super().__init__()
        self.uris = uris

    def filter(self, record) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped: '")
                    and message[len("Page skipped: '"):].split("'", 1)[0] in self.uris)


# Set in the parent just before the fork; the workers inherit it (nothing is pickled to them).
_JOB: dict = {}


def _start_worker() -> None:
    """In a new worker: log into a list, read the navigation's pages, make the theme's env."""
    die_with_parent()
    # Interrupts are the parent's: Ctrl-C (sent to the whole group) must not raise inside
    # concurrent.futures' worker loop, and SIGTERM (the parent's abort) must end it at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # What the worker inherits (the cases, MkDocs's files) lives as long as it does: frozen,
    # the collector never scans it, so the collection after each chunk below is cheap.
    gc.freeze()
    handler = _Records()
    mkdocs_log = logging.getLogger("mkdocs")
    for old in list(mkdocs_log.handlers):
        mkdocs_log.removeHandler(old)  # the parent prints (and counts) what the worker says
    mkdocs_log.addHandler(handler)
    mkdocs_log.propagate = False
    job = _JOB
    config, files = job["config"], job["files"]
    for page in job["nav"].pages:  # the menu's titles (read, not rendered: that is the parent's)
        page.read_source(config)
    env = config.theme.get_env()
    job["env"] = config.plugins.on_env(env, config=config, files=files)
    job["doc_files"] = files.documentation_pages()
    job["log"] = handler


def _render_chunk(uris: list[str]) -> tuple[Rendered, list[logging.LogRecord], str | None]:
    job = _JOB
    config, files, plugin = job["config"], job["files"], job["plugin"]
    done = Rendered()
    plugin.site_chars = done.chars  # what the plugin's on_post_page adds, for this chunk
    error = None
    for uri in uris:
        page = files.get_file_from_path(uri).page
        try:
            _populate_page(page, config, files)
            _build_page(page, config, job["doc_files"], job["nav"], job["env"])
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises PluginError
            error = f"{uri}: {type(exc).__name__}: {exc}"
            break
        done.anchors[uri] = set(page.present_anchor_ids or ())
        # Written: free its text before the next page (a generated file keeps the text it
        # made: the worker would end holding the text of every page it wrote).
        page.content = page.markdown = None
        page.file.content_string = ""
    records, job["log"].records = job["log"].records, []
    # Each page leaves cycles (MkDocs makes a Markdown instance per page): collected here
    # rather than left to the oldest generation (measured: −25 MB at the peak at 2,000 cases;
    # most of a worker's growth is copy-on-write of what it inherits, benchmarks/README).
    gc.collect()
    return done, records, error


class RenderPool:
    """The generated pages `uris` (docs paths, none in the menu), rendered and written by
    `workers` forked processes while MkDocs's own loop reads the menu's pages.

    Started in `on_nav`: the workers fork with the navigation and files as they are then;
    in the parent each of these pages becomes a WrittenPage at once, so MkDocs's loop passes
    over them. A thread in the parent logs the workers' records and progress as chunks come
    back. `finish()` (in `on_env`, before anything else is written or checked) waits for the
    last page and returns the anchors and characters; `abort()` stops the workers. A worker
    that dies (killed, out of memory) fails the build at once: concurrent.futures marks
    the pool broken, where multiprocessing.Pool would wait for its lost pages forever.
    """

    def __init__(self, uris: list[str], config, files, nav, plugin, workers: int):
        for uri in uris:  # as MkDocs's loop would make them (pages not in the nav have none yet)
            file = files.get_file_from_path(uri)
            if file.page is None:
                Page(None, file, config)
        self.total = len(uris)
        self.done = Rendered()
        self.error: str | None = None
        _JOB.clear()
        _JOB.update(config=config, files=files, nav=nav, plugin=plugin)
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_start_worker)
        chunks = [uris[i:i + CHUNK] for i in range(0, len(uris), CHUNK)]
        # With fork, the executor starts all its workers at the first submit: here, while
        # the pages are still the real ones.
        self._futures = [self._pool.submit(_render_chunk, chunk) for chunk in chunks]
        _JOB.clear()  # the workers have their copy; the parent keeps nothing of it
        for uri in uris:  # only now: the workers forked with the real pages
            WrittenPage(None, files.get_file_from_path(uri), config)
        self._thread = threading.Thread(target=self._collect, name="casebook-render-pool", daemon=True)
        self._thread.start()
        self._previous = None
        if threading.current_thread() is threading.main_thread():
            # Ctrl-C in MkDocs's own loop: end the workers first, then interrupt as before.
            # Otherwise the executor's exit handler waits for every queued page (the build
            # seemed to hang: review). A process that ignores Ctrl-C (the child of
            # `casebook build`, whose parent handles it) keeps ignoring it.
            previous = signal.getsignal(signal.SIGINT)
            if previous is not signal.SIG_IGN:
                self._previous = previous
                signal.signal(signal.SIGINT, self._interrupted)

    def _interrupted(self, signum, frame) -> None:
        handler = self._previous  # before _restore() forgets it
        self._stop_workers()
        self._restore()
        if callable(handler):
            handler(signum, frame)
        else:
            raise KeyboardInterrupt

    def _restore(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def _stop_workers(self) -> None:
        for process in list((getattr(self._pool, "_processes", None) or {}).values()):
            process.terminate()  # shutdown() alone would wait for the running chunks

    def _collect(self) -> None:
        step, shown = max(self.total // 10, 1), 0
        try:
            for future in as_completed(self._futures):
                done, records, error = future.result()
                for record in records:
                    logging.getLogger(record.name).handle(record)
                if error:
                    self.error = error
                    return
                self.done.anchors.update(done.anchors)
                self.done.chars |= done.chars
                count = len(self.done.anchors)
                if count - shown >= step or count == self.total:  # progress: about ten lines
                    shown = count
                    log.info(f"casebook: {shown:,} of {self.total:,} generated pages written")
        except BrokenProcessPool:
            self.error = ("a render worker stopped before its pages were written (killed, or out "
                          "of memory?); build again, or set render_workers: 1 in mkdocs.yml")
        except BaseException as exc:  # noqa: BLE001 - finish() raises it as PluginError
            self.error = f"a render worker failed: {type(exc).__name__}: {exc}"

    def finish(self, files) -> Rendered:
        """Wait for every page. Returns what the workers found; raises PluginError naming the
        page (and the error) that failed first."""
        self._thread.join()
        self._restore()
        if self.error:
            self.abort()
            raise PluginError(f"casebook: rendering {self.error}")
        self._pool.shutdown(wait=True)
        for uri, anchors in self.done.anchors.items():  # for MkDocs's anchor checks
            files.get_file_from_path(uri).page.present_anchor_ids = anchors
        return self.done

    def abort(self) -> None:
        """Stop the workers (a failed build): pending pages are dropped, running ones ended."""
        self._restore()
        self._stop_workers()
        self._pool.shutdown(wait=True, cancel_futures=True)
