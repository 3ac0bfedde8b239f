"""The hostile case (tests/hostile.py: hostile text in every string field of the schema, ids
and URLs included) built into the site and loaded in Debian's chromium: no script runs on any
page or in search results, nothing is fetched from a host other than 127.0.0.1, and the one
outside link is the source's address, escaped and percent-encoded, that nobody followed.

Without /usr/bin/chromium the module skips with a reason; under CI=true it must run.
"""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest
import yaml

from generator.render import _HREF_SAFE
from generator.validate import validate_paths

from .conftest import VALID
from .hostile import HOSTILE_BY_PATTERN, SLUG, hostile_case, string_fields
from .site_helpers import build_site, require_chromium, served

require_chromium()

URL = HOSTILE_BY_PATTERN[next(p for path, p, _ in string_fields() if path[-1] == "url")]
# Every way a payload could run reports here instead: the page's own dialogs and a flag.
TRAP = """
window.__ran = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = (...args) => { window.__ran.push(name + "(" + args.join(",") + ")"); };
}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    valid = validate_paths([VALID]).cases[0].data
    data = hostile_case(valid)
    tmp = tmp_path_factory.mktemp("hostile-every-field")
    case = tmp / "in" / f"{data['id']}.yaml"
    case.parent.mkdir()
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp / "out").mkdir()
    root = build_site(tmp / "out", [case])  # validated by the plugin on the way
    with served(root) as base:
        yield base, root


@pytest.fixture(scope="module")
def browser(chromium):
    # One Playwright per session (tests/conftest.py): a second sync_playwright() inside
    # the first one's event loop is refused by Playwright.
    return chromium


def test_no_page_runs_case_text_or_fetches_from_another_host(hostile_site, browser):
    base, root = hostile_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(TRAP)
    tab = context.new_page()
    ran, requests, errors = [], [], []
    tab.on("dialog", lambda d: (ran.append(d.message), d.dismiss()))
    tab.on("request", lambda r: requests.append(r.url))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    pages = sorted(p.parent.relative_to(root).as_posix() for p in root.rglob("index.html"))
    hostile = [p for p in pages if "alert(" in (root / p / "index.html").read_text(encoding="utf-8")]
    assert len(hostile) >= 5 and f"cases/{SLUG}" in hostile and f"models/{SLUG}" in hostile, hostile
    for path in pages:
        tab.goto(f"{base}/" if path == "." else f"{base}/{path}/", wait_until="load")
        tab.wait_for_load_state("networkidle")
        ran += tab.evaluate("window.__ran")
        # No image, frame or script came from case text: every one is this site's own.
        sources = tab.evaluate("""[...document.querySelectorAll(
                'img,iframe,script,embed,object,video,audio,source')]
            .map(e => e.src || e.data || '').filter(s => s && !s.startsWith(location.origin))""")
        assert sources == [], (path, sources)
        assert tab.evaluate("document.querySelectorAll('[href^=\"javascript:\" i]').length") == 0, path
    assert ran == [] and errors == []
    assert [u for u in requests if urlparse(u).hostname != "127.0.0.1"] == []


def test_search_results_run_nothing(hostile_site, browser):
    base, _ = hostile_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(TRAP)
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(f"{base}/", wait_until="load")
    box = tab.locator("input.md-search__input")
    box.click()
    box.press_sequentially("alert")
    tab.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    tab.wait_for_timeout(500)
    assert tab.evaluate("window.__ran") == []
    assert tab.locator(".md-search-result a[href^='javascript']").count() == 0
    assert [u for u in requests if urlparse(u).hostname != "127.0.0.1"] == []


def test_the_source_address_is_one_inert_link(hostile_site, browser):
    base, _ = hostile_site
    tab = browser.new_context().new_page()
    tab.goto(f"{base}/cases/{SLUG}/", wait_until="load")
    outside = tab.evaluate("""[...document.querySelectorAll('a[href]')]
        .filter(a => new URL(a.href, location.href).origin !== location.origin)
        .map(a => [a.getAttribute('href'), a.rel, a.textContent])""")
    assert outside == [[quote(URL, safe=_HREF_SAFE), "nofollow noopener noreferrer", URL]]
