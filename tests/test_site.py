"""The generated site: golden pages, strict build, broken cases, unsafe text, no outside host."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from generator.export import ZIP_NAME
from generator.load import discover
from generator.pages import build_pages
from generator.validate import validate_paths

from .conftest import CASES, INVALID, ROOT, VALID
from .site_helpers import build_site

GOLDEN = ROOT / "tests" / "golden" / "pages"
GOLDEN_PAGES = ["cases/langao-fixture-mini.md", "models/langao-fixture-1-12-x.md", "models/index.md",
                "compare/models.md"]


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_golden_pages(page):
    pages = build_pages(validate_paths([VALID]).cases)
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[page], encoding="utf-8")
    assert pages[page] == golden.read_text(encoding="utf-8")


def test_generation_is_deterministic():
    cases = validate_paths([VALID]).cases
    assert build_pages(cases) == build_pages(cases)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site"), sorted(VALID.glob("*.yaml")))


def test_strict_build_has_every_page(fixture_site):
    for page in ["index.html", "cases/langao-fixture-mini/index.html",
                 "models/langao-fixture-1-12-x/index.html", "models/index.html", "cases/index.html",
                 "themes/party_building/index.html", "compare/metrics/index.html", "data/index.html",
                 "data/codebook/index.html", "contribute/fields/index.html", "data/datapackage.json",
                 "data/metrics.csv", f"data/{ZIP_NAME}", "404.html", "sitemap.xml"]:
        assert (fixture_site / page).is_file(), page
    html = (fixture_site / "models/langao-fixture-1-12-x/index.html").read_text(encoding="utf-8")
    assert 'class="cb-diagram"' in html and "县级服务团" in html and "镇级服务团" in html


def test_case_page_follows_the_official_order(fixture_site):
    html = (fixture_site / "cases/langao-fixture-mini/index.html").read_text(encoding="utf-8")
    order = [html.index(h) for h in ["基本情况", "主要做法", "取得成效", "经验启示", "来源 Sources"]]
    assert order == sorted(order)
    assert "400余万元" in html and "帮销农特产品400余万元" in html and "4,000,000" not in html


def test_broken_case_fails_the_build_with_validate_message(tmp_path, caplog):
    with pytest.raises(Abort):
        build_site(tmp_path, [INVALID / "vocabulary" / "langao-fixture-mini.yaml"])
    expected = (INVALID / "vocabulary" / "expected.txt").read_text(encoding="utf-8").strip()
    message = caplog.text
    assert expected.split(": ", 1)[1] in message
    where = expected.split(":", 1)[1].split(" ", 1)[0]  # line:col:
    assert f"cases/langao-fixture-mini.yaml:{where} `unit`" in message


HOSTILE = {
    "headline": '<script>alert("headline")</script>',
    "summary": '<img src=x onerror="alert(1)"> and [click](javascript:alert(2))',
    "background": "<iframe src=javascript:alert(3)></iframe>\n# not a heading\n- not a list",
    "approach": "<a href=\"javascript:alert(4)\">x</a> `code` **bold** <javascript:alert(5)>",
}


def test_hostile_case_text_is_inert(tmp_path):
    source = (VALID / "langao-fixture-mini.yaml").read_text(encoding="utf-8")
    for key, value in HOSTILE.items():
        source = re.sub(rf"(?m)^{key}: .*$", f"{key}: {json.dumps(value, ensure_ascii=False)}", source)
    source = source.replace("    name: “1+12+X”服务模式", '    name: "<b onmouseover=alert(6)>模式</b>"')
    hostile = tmp_path / "in" / "langao-fixture-mini.yaml"
    hostile.parent.mkdir()
    hostile.write_text(source, encoding="utf-8")
    (tmp_path / "out").mkdir()
    site = build_site(tmp_path / "out", [hostile])
    for page in site.rglob("*.html"):
        assert _live_markup(page.read_text(encoding="utf-8")) == [], page
    case_html = (site / "cases/langao-fixture-mini/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in case_html  # shown as text, not dropped silently


class _Live(HTMLParser):
    """Collects markup that would run or navigate: event handlers, javascript: URLs, frames."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self._script = tag == "script"
        if tag in ("iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data):
        if self._script and "alert(" in data:
            self.found.append("<script>alert")

    def handle_endtag(self, tag):
        self._script = False


def _live_markup(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.found


def test_live_markup_check_can_fail():
    assert _live_markup('<img src=x onerror="a()"><a href="javascript:x">y</a><script>alert(1)</script>') == [
        "<img onerror>", "<a href=javascript:x>", "<script>alert"]


def _outside_references(site: Path) -> list[str]:
    found = []
    attr = re.compile(r"""\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?(https?:)?//([^/"'\s>]+)""")
    for page in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        text = page.read_text(encoding="utf-8", errors="replace")
        found += [f"{page.relative_to(site)}: {m.group(2)}" for m in attr.finditer(text)]
        found += [f"{page.relative_to(site)}: {m.group(1)}"
                  for m in re.finditer(r"url\(\s*[\"']?(?:https?:)?//([^/\"')]+)", text)]
        imports = re.finditer(r"@import\s+url\(\s*[\"']?https?:", text)
        found += [f"{page.relative_to(site)}: @import" for _ in imports]
    return found


def test_no_outside_host_is_referenced(fixture_site):
    assert _outside_references(fixture_site) == []


def test_outside_reference_check_can_fail(tmp_path):
    (tmp_path / "x.html").write_text('<link href="https://fonts.googleapis.com/css">', encoding="utf-8")
    assert _outside_references(tmp_path) == ["x.html: fonts.googleapis.com"]


REAL = discover([CASES]) if CASES.is_dir() else []


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("real"), REAL)


@pytest.mark.parametrize(("query", "page", "model"), [
    ("1+12+x", "cases/langao-first-secretary-team-service/", "langao-1-12-x"),
    ("组团服务", "cases/langao-first-secretary-team-service/", None),
    ("第一书记", "cases/langao-first-secretary-team-service/", None),
    ("岚皋", "cases/langao-first-secretary-team-service/", None),
    ("五个一", "cases/gaozhou-village-assistance-teams/", "gaozhou-five-ones"),
])
def test_search_index_finds_practitioner_queries(real_site, query, page, model):
    """The case page is indexed (Pagefind body) with the query's token among its search words,
    in the model's hidden section when the query names a model (model pages are not indexed).

    The ranking in a real browser is tested in tests/test_search_browser.py.
    """
    from generator.site_search import normalise, token_query

    html = (real_site / page / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in html
    words = html[html.index('<div class="cb-search-terms"'):].split("</div>")[0]
    if model:
        words = words.split(f'<h2 id="cbm-{model}">')[1].split("<h2")[0]
        assert "data-pagefind-body" not in (real_site / "models" / model / "index.html").read_text(
            encoding="utf-8")
    assert (token_query(normalise(query)) or normalise(query)) in words
