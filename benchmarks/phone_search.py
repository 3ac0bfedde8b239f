"""The first search on a phone: bytes transferred and time to the first result, in Chromium.

    python benchmarks/phone_search.py --cases 2000            # corpus + build + measure
    python benchmarks/phone_search.py --site build/site        # measure an already built site

A fresh browser context (empty cache) at 390×844 opens a start page, opens the search
from the header button and enters a query; the script sums Chromium's bytes on the wire
(CDP `Network.loadingFinished` `encodedDataLength`: headers + compressed body, read through
Playwright's `request.sizes()`, which also sees Pagefind's worker) of every response from
the navigation until the first result is on screen, and splits them by kind: the page, the
theme's and the site's assets, Pagefind's fixed files (pagefind.js, its wasm, the
metadata), index chunks, result fragments and the t2s map. The site is served from
127.0.0.1 by a server that gzips text (HTML, CSS, JS, JSON) as any static host does;
Pagefind's own files are gzipped by Pagefind. Times come from the page's clock: the
query's `input` event, the last response before the first result (`responseEnd` of the
resource timings) and the first result element (a MutationObserver), with the CPU
unthrottled and throttled 4× (Chromium's CDP `Emulation.setCPUThrottlingRate`, the usual
stand-in for a mid-range phone).

The corpus is benchmarks/real_corpus.py's: the five real cases cloned with ids renamed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import real_corpus  # noqa: E402  (benchmarks/ is not a package)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
BUDGET_KB = 300
QUERIES = ["1+12+X", "岚皋", "组团服务", "五个一"]


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files from the site folder, text gzipped (level 6) when the browser accepts it."""

    cache: dict[str, bytes] = {}
    sent: dict[str, int] = {}  # path → bytes of body sent, since the last clear()

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        self.sent[self.path] = self.sent.get(self.path, 0) + len(data)

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (not path.endswith(TEXT) or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not os.path.isfile(path)):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            with open(path, "rb") as raw:
                body = self.cache[path] = gzip.compress(raw.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def kind(url: str) -> str:
    """What a response is, for the breakdown."""
    path = urlparse(url).path
    if "/pagefind/fragment/" in path:
        return "fragments"
    if "/pagefind/index/" in path:
        return "index chunks"
    if "/pagefind/" in path:
        return "pagefind fixed"
    if path.endswith("/t2s.json"):
        return "t2s map"
    if "/assets/" in path:
        return "assets"
    return "page"


WATCH = """() => {
  window.__firstResult = null;
  new MutationObserver((_, obs) => {
    if (document.querySelector('.md-search-result__item .md-search-result__link')) {
      window.__firstResult = performance.now(); obs.disconnect();
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
}"""


def measure(browser, base: str, start: str, query: str, throttle: float) -> dict:
    """One cold first search; returns bytes by kind and the page-clock times in ms.

    Bytes are Chromium's own count of each response on the wire (headers + encoded body,
    what CDP's Network.loadingFinished reports as encodedDataLength; Playwright's
    `request.sizes()` reads them for the page and its Pagefind worker alike) and, as a
    cross-check, what the server sent.
    """
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=3)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttle > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    done = []  # (epoch ms of the response's end, url, bytes)

    def finished(request):
        sizes = request.sizes()
        timing = request.timing
        done.append((timing["startTime"] + max(timing["responseEnd"], 0), request.url,
                     sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    context.on("requestfinished", finished)
    GzipHandler.sent.clear()
    page.goto(base + start, wait_until="load")
    page.evaluate(WATCH)
    page.wait_for_timeout(300)  # let the page settle (deferred scripts)
    page.locator("label.md-header__button[for='__search']").click()
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    box.focus()
    typed_at = page.evaluate("performance.timeOrigin + performance.now()")
    page.keyboard.insert_text(query)  # one input event, as an IME commit gives
    page.wait_for_function("() => window.__firstResult !== null", timeout=60_000)
    shown = page.evaluate("performance.timeOrigin + window.__firstResult")
    page.wait_for_timeout(300)
    context.close()
    by_kind: dict[str, int] = {}
    last = typed_at
    for end, url, size in done:
        if end <= shown + 1:
            by_kind[kind(url)] = by_kind.get(kind(url), 0) + size
            if kind(url) in ("pagefind fixed", "index chunks", "fragments", "t2s map"):
                last = max(last, end)
    server = sum(GzipHandler.sent.values())
    return {"start": start, "query": query, "throttle": throttle, "bytes": by_kind,
            "total_kb": sum(by_kind.values()) / 1024, "server_kb": server / 1024,
            "input_to_result_ms": shown - typed_at, "after_last_fetch_ms": shown - last}


def clone_site(n: int, built: Path, cases_dir: Path, out: Path) -> Path:
    """A quick stand-in for the n-case build: the built site of the real cases, with each
    case page copied n / len(cases) times with every id renamed as benchmarks/real_corpus.py
    renames it; then Pagefind indexes it as the plugin does.

    The indexed pages (case pages, which carry their models' search sections) are what the
    real build of the cloned corpus writes, up to the ids; model pages, lists, themes and
    comparisons are the 5-case ones (they are not indexed, but the home page, a start page,
    is the 5-case one).
    """
    import re

    import yaml

    from generator.site_search import run_pagefind

    site = out / f"phone-clone-{n}" / "site"
    shutil.rmtree(site.parent, ignore_errors=True)
    shutil.copytree(built, site, ignore=shutil.ignore_patterns("pagefind"))
    sources = sorted(cases_dir.glob("*.yaml"))
    for number in range(n):
        k, i = divmod(number, len(sources))
        data = yaml.load(sources[i].read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        ids = real_corpus._ids(data)
        pattern = re.compile(r"(?<![A-Za-z0-9_-])(" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z0-9_-])")
        suffix = f"-r{k + 1:04d}"
        pages = [("cases", data["id"])]
        for section, page_id in pages:
            html = (built / section / page_id / "index.html").read_text(encoding="utf-8")
            target = site / section / (page_id + suffix)
            target.mkdir(parents=True, exist_ok=True)
            (target / "index.html").write_text(pattern.sub(r"\1" + suffix, html),
                                               encoding="utf-8")
        if k == 0:  # the originals are replaced by their clones
            for section, page_id in pages:
                shutil.rmtree(site / section / page_id)
    started = time.monotonic()
    run_pagefind(site)
    print(f"pagefind indexed the {n}-case clone in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return site


def build(n: int, out: Path) -> Path:
    """Write the n-case real-shaped corpus and build its site with mkdocs (strict)."""
    project = out / f"phone-{n}"
    real_corpus.generate(n, project / "cases")
    for name in ("mkdocs.yml", "DATA_VERSION", "CITATION.cff", "CHANGELOG.md"):  # the data project's files
        if (ROOT / name).is_file():
            (project / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.copytree(ROOT / "site", project / "site")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
                   check=True)
    print(f"built {n} cases in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return project / "build" / "site"


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--site", type=Path, help="an already built site (skips corpus and build)")
    parser.add_argument("--clone-from", type=Path,
                        help="a built site of cases/ to clone instead of building (see clone_site)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--start", nargs="+", default=["/", None],
                        help="start pages (default: the home page and the first case page)")
    parser.add_argument("--queries", nargs="+", default=QUERIES)
    args = parser.parse_args()
    if args.clone_from:
        site = clone_site(args.cases, args.clone_from.resolve(), ROOT / "cases", args.out.resolve())
    else:
        site = (args.site or build(args.cases, args.out)).resolve()
    pages = len(list(site.glob("**/index.html")))
    pf = site / "pagefind"
    index_files = [p for p in pf.rglob("*") if p.is_file()]
    starts = [s or "/cases/" + sorted(p.name for p in (site / "cases").iterdir() if p.is_dir())[0] + "/"
              for s in args.start]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for throttle in (1, 4):
            for start in starts:
                for query in args.queries:
                    rows.append(measure(browser, base, start, query, throttle))
                    r = rows[-1]
                    print(f"{start} {query} ×{throttle}: {r['total_kb']:.0f} KB, "
                          f"input→result {r['input_to_result_ms']:.0f} ms, "
                          f"after last fetch {r['after_last_fetch_ms']:.0f} ms", file=sys.stderr)
        browser.close()
    server.shutdown()
    kinds = ["page", "assets", "pagefind fixed", "t2s map", "index chunks", "fragments"]
    print(f"site: {site} — {pages:,} pages; pagefind/ {len(index_files):,} files, "
          f"{sum(p.stat().st_size for p in index_files) / 1048576:.1f} MB; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| start | query | CPU | " + " | ".join(f"{k} KB" for k in kinds)
          + " | total KB | server sent KB | input → first result ms | after last fetch ms |")
    print("|---|---|---:|" + "---:|" * (len(kinds) + 4))
    for r in rows:
        print(f"| `{r['start']}` | {r['query']} | ×{r['throttle']:g} | "
              + " | ".join(f"{r['bytes'].get(k, 0) / 1024:.1f}" for k in kinds)
              + f" | **{r['total_kb']:.0f}** | {r['server_kb']:.0f} | {r['input_to_result_ms']:.0f} | "
              f"{r['after_last_fetch_ms']:.0f} |")
    # Playwright reports 0 bytes for the worker script (pagefind-worker.js): the server's
    # count (bodies only) is the larger and is the one held against the budget.
    worst = max(max(r["total_kb"], r["server_kb"]) for r in rows)
    slowest = max(r["after_last_fetch_ms"] for r in rows)
    print(f"\nlargest first search: {worst:.0f} KB (budget {BUDGET_KB} KB); "
          f"slowest first result after the last fetch: {slowest:.0f} ms (budget 1000 ms)")
    (args.out / "phone_search.json").parent.mkdir(parents=True, exist_ok=True)
    (args.out / "phone_search.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False),
                                                encoding="utf-8")


if __name__ == "__main__":
    main()
