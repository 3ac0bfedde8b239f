"""Review rv12 in Debian's chromium: keyboard and phone fixes of the site (issue 12).

- the search closes when focus leaves it (Tab past the box) and on Escape from a result;
  /, s and f open it and focus the box (README);
- the phone drawer's links are out of the Tab order while it is closed;
- a heading reached from the sticky 本页目录 bar lands below the bar;
- the model library's theme filter uses the models' own themes (as the theme pages do).
"""

from __future__ import annotations

import pytest

from .site_helpers import DESKTOP, PHONE, open_tab, outside, require_chromium

require_chromium()

LANGAO = "langao-first-secretary-team-service"


@pytest.fixture(scope="module")
def site(site_served):
    return site_served


def _go(page, url: str):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _search_open(page) -> bool:
    return page.evaluate("() => document.getElementById('__search').checked")


def _covered(page) -> str:
    """The element under the centre of the focused element, when it is not that element."""
    return page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
        const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !e || a.contains(e) || e.contains(a) ? "" : e.className || e.tagName; }""")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_tab_past_the_search_box_closes_the_search(site, chromium, viewport):
    page = open_tab(chromium, viewport)
    _go(page, f"{site.base}/cases/")
    box = page.locator("[data-cb-search] .md-search__input")
    if not box.is_visible():  # phone: the header's search button opens the box
        page.locator("label.md-header__button[for='__search']").click()
    box.focus()
    assert _search_open(page)
    seen_after = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focus_left = "() => !document.querySelector('[data-cb-search]').contains(document.activeElement)"
        if page.evaluate(focus_left):
            page.wait_for_timeout(400)  # Material's closing transition
            seen_after.append((_search_open(page), _covered(page)))
    assert seen_after and all(state == (False, "") for state in seen_after), seen_after
    assert outside(page.requests) == [] and page.errors == []
    page.context.close()


def test_escape_from_a_result_and_the_readme_shortcuts(site, chromium):
    page = open_tab(chromium, DESKTOP)
    _go(page, f"{site.base}/")
    for key in ("/", "s", "f"):
        page.locator("h1").first.click()
        page.keyboard.press(key)
        assert _search_open(page), key
        assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')"), key
        assert page.locator("[data-cb-search] .md-search__input").input_value() == ""  # the key is not typed
        page.keyboard.press("Escape")
        assert not _search_open(page), key
    page.keyboard.press("/")
    page.keyboard.type("1+12+X")
    page.wait_for_selector("[data-cb-search][data-done]")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not _search_open(page)
    # Typing s or f in a filter-free page's other fields does not open the search.
    _go(page, f"{site.base}/cases/")
    page.locator(".cb-filters select").first.focus()
    page.keyboard.press("s")
    assert not _search_open(page)
    assert outside(page.requests) == [] and page.errors == []
    page.context.close()


def test_escape_after_more_results(site, chromium):
    """review: 更多结果 removed itself, the focus fell to the page and Escape left the search open."""
    page = open_tab(chromium, PHONE)
    _go(page, f"{site.base}/")
    page.locator("label.md-header__button[for='__search']").click()
    page.locator("[data-cb-search] .md-search__input").fill("村")
    more = page.locator(".cb-search-more__button")
    more.wait_for(state="visible")
    before = page.locator(".md-search-result__link").count()
    more.click()
    page.wait_for_function(f"() => document.querySelectorAll('.md-search-result__link').length > {before}")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search-result__link')")
    page.evaluate("() => document.activeElement.blur()")  # as a tap on the results' empty space does
    page.keyboard.press("Escape")
    assert not _search_open(page)
    assert outside(page.requests) == [] and page.errors == []
    page.context.close()


def test_closed_phone_drawer_is_out_of_the_tab_order(site, chromium):
    page = open_tab(chromium, PHONE)
    _go(page, f"{site.base}/cases/")
    in_drawer = "() => !!document.activeElement.closest('.md-sidebar--primary')"
    for _ in range(25):
        page.keyboard.press("Tab")
        assert not page.evaluate(in_drawer)
    assert page.locator(".md-sidebar--primary").evaluate("e => getComputedStyle(e).visibility") == "hidden"
    # Opened, its links are reachable and visible.
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_timeout(400)
    assert page.locator(".md-sidebar--primary").evaluate("e => getComputedStyle(e).visibility") == "visible"
    page.locator(".md-sidebar--primary a.md-nav__link").first.focus()
    assert page.evaluate(in_drawer)
    page.context.close()


@pytest.mark.parametrize(("path", "entry", "target"), [
    (f"cases/{LANGAO}/", "经验启示", "#lessons"),
    (f"cases/{LANGAO}/", "来源", "#sources"),
    ("models/langao-1-12-x/", "复制步骤", "#steps"),
])
def test_phone_heading_lands_below_the_sticky_contents_bar(site, chromium, path, entry, target):
    page = open_tab(chromium, PHONE)
    _go(page, f"{site.base}/{path}")
    toc = page.locator("nav.cb-toc")
    toc.locator("summary").click()
    toc.locator("a", has_text=entry).first.click()
    page.wait_for_timeout(400)
    bar = toc.evaluate("t => t.getBoundingClientRect().bottom")
    top = page.evaluate(f"() => document.querySelector({target!r}).getBoundingClientRect().top")
    assert bar <= top < PHONE["height"] / 2, (bar, top)
    # A deep link does the same.
    _go(page, f"{site.base}/{path}{target}")
    page.wait_for_timeout(300)
    bar = toc.evaluate("t => t.getBoundingClientRect().bottom")
    top = page.evaluate(f"() => document.querySelector({target!r}).getBoundingClientRect().top")
    assert bar <= top < PHONE["height"] / 2, (bar, top)
    page.context.close()


def test_model_library_theme_filter_counts_what_the_theme_page_lists(site, chromium):
    page = open_tab(chromium, DESKTOP)
    for theme in ("health", "industry"):
        _go(page, f"{site.base}/themes/{theme}/")
        on_theme_page = page.locator(".md-content a[href*='/models/']").evaluate_all(
            "as => [...new Set(as.map(a => new URL(a.href).pathname))]"
            ".filter(p => /\\/models\\/[^/]+\\/$/.test(p))")
        _go(page, f"{site.base}/models/?theme={theme}")
        shown = page.locator("table[data-filtered] tbody tr:not([hidden]) td:first-child a").evaluate_all(
            "as => as.map(a => new URL(a.href).pathname)")
        assert sorted(shown) == sorted(on_theme_page), theme
        assert len(shown) < page.locator("table[data-filtered] tbody tr").count()
    page.context.close()


def _own_text(html_text: str) -> str:
    """A page's article text without its hidden search words, letters and digits only (Pagefind's
    content puts a full stop after each heading)."""
    import html
    import re

    article = html_text.split('<article class="md-content__inner md-typeset"', 1)[1].split("</article>")[0]
    article = re.sub(r'<div class="cb-search-terms".*', "", article, flags=re.S)
    return _letters(html.unescape(re.sub(r"<[^>]+>", " ", article)))


def _letters(text: str) -> str:
    import re

    return re.sub(r"[\W_]+", "", text)


@pytest.mark.parametrize("query", ["组团服务", "1+12+X模式", "文体+"])
def test_search_excerpts_are_the_pages_own_text_and_the_count_is_what_is_listed(site, chromium, query):
    page = open_tab(chromium, DESKTOP)
    _go(page, f"{site.base}/")
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_selector(f"[data-cb-search][data-done='{query}']")
    links = page.locator(".md-search-result__link")
    assert links.count() >= 1
    meta = page.locator(".md-search-result__meta").inner_text()
    listed = links.count()
    assert meta.endswith(f"{listed} 个符合条件的结果"), (meta, listed)
    for i in range(listed):
        href = links.nth(i).get_attribute("href")
        shown = links.nth(i).locator("p").inner_text().replace("…", "")
        own = _own_text(page.request.get(f"{site.base}{href}").text())
        assert _letters(shown) in own, (href, shown)
    assert outside(page.requests) == [] and page.errors == []
    page.context.close()


def test_a_filter_without_match_says_so_and_offers_clearing(site, chromium):
    page = open_tab(chromium, PHONE)
    for path, noun in (("cases/?province=广东省&case_type=first_secretary", "案例"),
                       ("models/?kind=pairing&province=陕西省", "模式")):
        _go(page, f"{site.base}/{path}")
        none = page.locator(".cb-filter-none")
        assert none.is_visible() and none.inner_text().startswith(f"没有符合条件的{noun}。")
        assert not page.locator("table[data-filtered]").is_visible()
        none.locator("button", has_text="清除筛选").click()
        page.wait_for_timeout(100)
        assert not none.is_visible() and page.locator("table[data-filtered]").is_visible()
        assert "?" not in page.url
    assert page.errors == []
    page.context.close()


def test_theme_pages_and_the_codebook_mark_their_tab(site, chromium):
    page = open_tab(chromium, DESKTOP)
    for path, tab, crumb in (("themes/industry/", "主题", "主题"), ("data/codebook/", "数据", "数据"),
                             (f"cases/{LANGAO}/", "案例", "案例")):
        _go(page, f"{site.base}/{path}")
        active = page.locator(".md-tabs__item--active > a")
        assert active.inner_text().strip() == tab and active.get_attribute("aria-current") == "page"
        assert page.locator("nav.cb-crumbs a").first.inner_text() == crumb
    page.context.close()


def test_page_text_fixes_of_the_review(site):
    root = site.root
    qiannan = (root / "models/qiannan-1-2-n/index.html").read_text(encoding="utf-8")
    assert "互不隶属" not in qiannan and "并列画出：原文未说明各部分之间的隶属关系" in qiannan
    case = (root / f"cases/{LANGAO}/index.html").read_text(encoding="utf-8")
    assert "<th></th>" not in case and "<th>项目 Item</th>" in case
    assert case.count('lang="en"') >= 3  # title, summary, figure indicators
    yanzhou = (root / "models/yanzhou-alliance-enterprise-base-n/index.html").read_text(encoding="utf-8")
    assert '<span class="cb-symbol">龙头企业</span><span class="cb-name">龙头企业</span>' not in yanzhou


def test_dark_drawer_sub_menu_titles_reach_4_5_to_1(site, chromium):
    from pathlib import Path

    contrast = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
    page = open_tab(chromium, PHONE)
    _go(page, f"{site.base}/cases/")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.locator("label.md-header__button[for='__drawer']").click()
    page.locator(".md-sidebar--primary label.md-nav__link", has_text="比较").first.click()
    page.wait_for_timeout(700)
    title = page.locator(".md-sidebar--primary nav[data-md-level='1'] .md-nav__title", has_text="比较").first
    assert title.is_visible()
    assert page.evaluate(contrast) == []
    page.context.close()
