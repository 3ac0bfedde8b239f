"""Build a throwaway copy of the site in a temporary folder, serve it, drive it in chromium.

Shared by the site tests: `build_site` (a strict MkDocs build of chosen cases), `served`
(the built site on 127.0.0.1), `outside` (requests that left 127.0.0.1) and the browser
rule: without /usr/bin/chromium the browser tests skip with a reason; under CI=true they
must run. The `chromium` and `real_site_served` fixtures live in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
SHOTS = ROOT / "build" / "screenshots"


def build_site(tmp_path: Path, cases: list[Path], docs: dict[str, str] | None = None, **config) -> Path:
    """Copy mkdocs.yml, site/ and the given case files into tmp_path and build --strict.

    `docs` adds hand-written pages (docs path → Markdown) to the copy of site/; keyword
    arguments override mkdocs.yml settings (e.g. site_url="https://example.org/").
    """
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    for path, text in (docs or {}).items():
        (tmp_path / "site" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / path).write_text(text, encoding="utf-8")
    (tmp_path / "cases").mkdir()
    for case in cases:
        shutil.copy(case, tmp_path / "cases" / case.name)
    loaded = load_config(config_file=str(tmp_path / "mkdocs.yml"), strict=True, **config)
    build(loaded)
    return Path(loaded.site_dir)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@contextlib.contextmanager
def served(root: Path):
    """The built site on 127.0.0.1, at a free port: yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def outside(requests: list[str]) -> list[str]:
    """The requested URLs whose host is not 127.0.0.1."""
    return [u for u in requests if urlparse(u).scheme in ("http", "https")
            and urlparse(u).hostname != "127.0.0.1"]


def require_chromium() -> None:
    """Skip the calling test module without chromium; under CI=true, fail instead."""
    import pytest

    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI=true but /usr/bin/chromium is missing: .ci/run must install it")
        pytest.skip("Debian's chromium (/usr/bin/chromium) is not installed", allow_module_level=True)


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def open_tab(chromium, viewport, init: str | None = None):
    """A new page in its own context that records its requests (`page.requests`, URLs) and
    script errors (`page.errors`); `init` is a script run before the page's own scripts."""
    context = chromium.new_context(viewport=viewport)
    if init:
        context.add_init_script(init)
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page
