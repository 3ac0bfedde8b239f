"""Real-browser test: Debian's chromium driven by Playwright against the built site.

Without /usr/bin/chromium the tests skip with a reason; under CI=true they must run.
"""

from __future__ import annotations

import pytest

from generator.load import read_case

from .site_helpers import SHOTS, outside, require_chromium

require_chromium()


@pytest.fixture(scope="module")
def served(site_served):
    """The real cases' site, built once per session (tests/conftest.py): (base URL, case files)."""
    return site_served.base, site_served.files


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def _page(browser, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return context, page, requests


_outside = outside


def _model_with_formula(files, formula: str) -> dict:
    for path in files:
        for model in read_case(path).data.get("models", []):
            if model.get("formula") == formula:
                return model
    pytest.fail(f"no model with formula {formula}")


def test_search_1_12_x_finds_the_langao_model(served, browser):
    base, files = served
    model = _model_with_formula(files, "1+12+X")
    context, page, requests = _page(browser, 1280, 900)
    try:
        page.goto(base + "/")
        # At desktop width the search box is in the header (the label is the phone button).
        # Type key by key: Material searches on keyup, which fill() does not send.
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("1+12+X")
        result = page.locator(".md-search-result__item a", has_text=model["name"].strip("“”")[:6]).first
        result.wait_for(timeout=15_000)
        result.click()
        page.wait_for_load_state("networkidle")
        assert f"/models/{model['id']}/" in page.url
        assert page.locator("h1").first.inner_text().strip() == model["name"]
    finally:
        context.close()
    assert _outside(requests) == []


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
def test_case_page_on_phone_and_desktop(served, browser, name, width, height):
    base, files = served
    case_id = read_case(files[0]).data["id"]
    context, page, requests = _page(browser, width, height)
    try:
        page.goto(f"{base}/cases/{case_id}/")
        page.wait_for_load_state("networkidle")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"case-{name}.png"), full_page=False)
        assert page.locator("h2", has_text="取得成效").count() == 1
        # Nothing wider than the screen: no sideways scrolling of the whole page on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
    finally:
        context.close()
    assert _outside(requests) == []
