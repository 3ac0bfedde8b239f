"""The whole site in Debian's chromium (see tests/test_browser.py for the rules).

Every model named by a Chinese formula (五个一, 一宣六帮, 两委一队 …) must come first
when its formula is typed into the search box; the phone layout shows wide tables as
cards; a page of every kind loads at phone width without a request to another host, a
script error, a missing file or sideways scrolling; and hostile case text stays inert
in a real browser, on every page and in search results.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import yaml

from generator.load import read_case

from .conftest import VALID
from .site_helpers import build_site, outside, require_chromium, served

require_chromium()
_outside = outside


@pytest.fixture(scope="module")
def site(site_served):
    return site_served.base, site_served.root, site_served.files


def _search(page, base: str, query: str) -> list[str]:
    """Type a query as a person does and return the result links, best first."""
    if not page.url.startswith(base):
        page.goto(base + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query)
    # site/assets/search.js marks which query the result list shows (search is asynchronous).
    page.wait_for_function("q => document.querySelector('[data-cb-search]').dataset.done === q",
                           arg=query, timeout=15_000)
    return page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)")


def _chinese_formulas(files) -> dict[str, str]:
    """Formula → model id, for formulas written in Chinese characters and unique to one model."""
    seen: dict[str, list[str]] = {}
    for path in files:
        for model in read_case(path).data.get("models", []):
            formula = model.get("formula") or ""
            if formula and all("\u4e00" <= ch <= "\u9fff" for ch in formula):
                seen.setdefault(formula, []).append(model["id"])
    return {f: ids[0] for f, ids in seen.items() if len(ids) == 1}


def test_typing_a_chinese_formula_finds_its_model_first(site, chromium):
    base, _, files = site
    tab = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    formulas = _chinese_formulas(files)
    assert formulas, "the real cases name models such as 五个一 and 一宣六帮 by Chinese formulas"
    wrong = {}
    for formula, model in formulas.items():
        results = _search(tab, base, formula)
        if not results or results[0] != f"/models/{model}/":
            wrong[formula] = results[:3]
    assert wrong == {}
    assert _outside(requests) == []


def test_phone_shows_wide_tables_as_labelled_cards(site, chromium):
    base, _, files = site
    case_id = read_case(files[0]).data["id"]
    tab = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    tab.goto(f"{base}/cases/{case_id}/")
    tab.wait_for_load_state("networkidle")
    table = tab.locator("table[data-cards]").first
    assert table.evaluate("t => getComputedStyle(t.querySelector('tr:nth-child(1) td')).display") == "block"
    label = table.locator("td[data-label]").nth(1)
    assert label.evaluate("td => getComputedStyle(td, '::before').content") not in ("none", "normal", '""')
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    # The header row stays as sort buttons: sorting the cases by their number of figures.
    tab.goto(f"{base}/cases/")
    tab.wait_for_load_state("networkidle")
    figures = "t => [...t.tBodies[0].rows].map(r => parseInt(r.cells[r.cells.length - 1].textContent))"
    table = tab.locator("table[data-cards]").first
    table.locator("thead th").last.click()
    assert table.evaluate(figures) == sorted(table.evaluate(figures))
    table.locator("thead th").last.click()
    assert table.evaluate(figures) == sorted(table.evaluate(figures), reverse=True)


def test_each_kind_of_page_on_a_phone_stays_on_this_host_without_errors(site, chromium):
    base, root, _ = site
    tab = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    requests: list[str] = []
    problems: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    tab.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # One page of each kind (every template): each top-level page and the first page below
    # each folder. Every page would take minutes; pages of one kind share their markup.
    every = sorted(p.parent.relative_to(root).as_posix() for p in root.rglob("index.html"))
    pages = [p for p in every if "/" not in p]
    for top in sorted({p.split("/")[0] for p in every if "/" in p}):
        pages.append(next(p for p in every if p.startswith(top + "/")))
    assert {"cases", "models", "compare/metrics", "themes"} <= set(pages), pages
    for path in pages:
        url = f"{base}/" if path == "." else f"{base}/{path}/"
        tab.goto(url)
        tab.wait_for_load_state("networkidle")
        if tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 1:
            problems.append(f"sideways scrolling: {url}")
    assert problems == []
    assert _outside(requests) == []


PAYLOAD = '<img src=x onerror="alert(1)"> [a](javascript:alert(2)) <script>alert(3)</script>'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The fixture case with script, event handlers, javascript: links and raw HTML in its text."""
    data = yaml.safe_load((VALID / "langao-fixture-mini.yaml").read_text(encoding="utf-8"))
    for key in ("title", "headline", "summary", "background", "approach", "outcomes"):
        data[key] = PAYLOAD
    data["lessons"] = [PAYLOAD]
    model = data["models"][0]
    model.update(name="模式" + PAYLOAD, summary=PAYLOAD, steps=[PAYLOAD], conditions=[PAYLOAD])
    for term in model["terms"]:
        term.update(name=PAYLOAD, role=PAYLOAD, led_by=PAYLOAD)
    data["practices"][0].update(title=PAYLOAD, description=PAYLOAD)
    data["people"][0].update(role=PAYLOAD, did=PAYLOAD)
    data["metrics"][0].update(indicator=PAYLOAD)
    tmp = tmp_path_factory.mktemp("hostile")
    case = tmp / "in" / "langao-fixture-mini.yaml"
    case.parent.mkdir()
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp / "out").mkdir()
    root = build_site(tmp / "out", [case])
    with served(root) as base:
        yield base, root


def test_hostile_text_runs_nothing_in_the_browser(hostile_site, chromium):
    base, root = hostile_site
    tab = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    ran: list[str] = []
    tab.on("dialog", lambda d: (ran.append(d.message), d.dismiss()))
    # A live <img src=x> would also fetch …/x.
    tab.on("request", lambda r: ran.append(r.url) if urlparse(r.url).path.endswith("/x") else None)
    pages = sorted(p.parent.relative_to(root).as_posix() for p in root.rglob("index.html")
                   if "alert(" in p.read_text(encoding="utf-8"))
    assert len(pages) >= 5, pages
    for path in pages:  # by the load event inline scripts have run and the image has failed
        tab.goto(f"{base}/" if path == "." else f"{base}/{path}/", wait_until="load")
    shown = tab.goto(f"{base}/cases/langao-fixture-mini/") and tab.locator("article").inner_text()
    assert "<script>alert(3)</script>" in shown  # the text is there, as text
    box = tab.locator("input.md-search__input")
    box.click()
    box.press_sequentially("alert")
    tab.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    tab.wait_for_timeout(500)
    assert ran == []
    assert tab.locator("article a[href^='javascript'], .md-search-result a[href^='javascript']").count() == 0
