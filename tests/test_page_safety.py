"""Hostile text in EVERY case field stays inert in every generated page.

The hostile case (tests/hostile.py) puts script, event handlers, javascript: links, raw HTML,
Markdown and front-matter tricks into every string field the schema has, ids and URLs
included (patterned fields get the most hostile value their pattern admits); the list of
fields is read from the schema, so a new field is covered without editing this test.
Rendered here with the site's own Markdown extensions (read from mkdocs.yml), so the check
covers every page without a full MkDocs build; tests/test_browser_untrusted.py builds the
site and loads it in Chromium.
"""

from __future__ import annotations

import copy
import dataclasses
from html.parser import HTMLParser
from urllib.parse import quote, urlparse

import markdown
import pytest
import yaml
from markupsafe import escape
from mkdocs.utils.meta import get_data

from generator.pages import build_pages
from generator.render import _HREF_SAFE, meta
from generator.validate import validate_paths

from .conftest import ROOT, VALID
from .hostile import HOSTILE, HOSTILE_BY_PATTERN, SLUG, hostile_case, string_fields

URL_PATTERN = next(p for path, p, _ in string_fields() if path[-1] == "url")
HOSTILE_URL = HOSTILE_BY_PATTERN[URL_PATTERN]


def _markdown() -> markdown.Markdown:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, conf = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if conf:
            options[name] = conf
    return markdown.Markdown(extensions=names, extension_configs=options)


class _Tags(HTMLParser):
    """Every element with its attribute names, and the attributes that run, load or leave."""

    def __init__(self):
        super().__init__()
        self.shapes: set[tuple[str, tuple[str, ...]]] = set()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.shapes.add((tag, tuple(sorted(name for name, _ in attrs))))
        if tag in ("script", "iframe", "object", "embed", "img", "base", "meta", "link"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name not in _URL_ATTRIBUTES or (tag == "a" and name == "href"
                                               and value == _encoded(HOSTILE_URL)):
                continue  # the source's own address, encoded, is the one outside link allowed
            if value.lower().startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")
            elif urlparse(value).netloc:
                self.found.append(f"<{tag} {name}={value}> (outside host)")


_URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "data", "poster", "xlink:href",
                   "background", "cite", "ping"}


def _encoded(url: str) -> str:
    return quote(url, safe=_HREF_SAFE)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _live(html: str) -> list[str]:
    return _parse(html).found


def _html_pages(pages: dict[str, str]) -> dict[str, str]:
    md = _markdown()
    out = {}
    for path, text in pages.items():
        body, meta = get_data(text)
        # A `body: html` page (model pages) reaches the site as it is (plugin.on_page_content).
        out[path] = body if meta.get("body") == "html" else md.reset().convert(body)
    return out


@pytest.fixture(scope="module")
def plain_pages() -> dict[str, str]:
    case = validate_paths([VALID]).cases[0]
    data = copy.deepcopy(case.data)
    data["metrics"].append(copy.deepcopy(data["metrics"][0]))  # two figures in CNY draw a chart
    data["sources"][0]["url"] = "https://www.gov.cn/zhengce/2021-05/11/content_5605841.htm"
    return build_pages([dataclasses.replace(case, data=data)])


@pytest.fixture(scope="module")
def hostile_data() -> dict:
    case = validate_paths([VALID]).cases[0]
    data = copy.deepcopy(case.data)
    data["metrics"].append(copy.deepcopy(data["metrics"][0]))  # two figures in CNY draw a chart
    return hostile_case(data)


@pytest.fixture(scope="module")
def hostile_pages(hostile_data) -> dict[str, str]:
    case = validate_paths([VALID]).cases[0]
    return build_pages([dataclasses.replace(case, data=hostile_data)])


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def test_every_string_field_of_the_schema_was_made_hostile(hostile_data):
    fields = string_fields()
    assert len(fields) >= 70  # read from the schema: ids, references, dates and URLs included
    assert {("id",), ("sources", "[]", "url"), ("models", "[]", "id"), ("place", "town")} <= {
        path for path, _, _ in fields}

    def values(node, path):
        if not path:
            yield node
        elif path[0] == "[]":
            for item in node:
                yield from values(item, path[1:])
        elif path[0] in node:
            yield from values(node[path[0]], path[1:])

    for path, pattern, _ in fields:
        got = list(values(hostile_data, path))
        assert got, path  # present in the hostile case
        want = HOSTILE_BY_PATTERN[pattern] if pattern else None
        for value in got:
            if want is not None and path[-1] not in ("id", "part_of"):
                assert value == want, path
            elif want is None:
                assert value.startswith(("<script>", HOSTILE)), path


def test_hostile_case_is_valid_so_the_site_builds_it(hostile_data, tmp_path):
    path = tmp_path / f"{hostile_data['id']}.yaml"
    path.write_text(yaml.safe_dump(hostile_data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = validate_paths([path])
    assert report.errors == []


def test_every_field_reaches_the_pages(hostile_pages):
    case = hostile_pages[f"cases/{SLUG}.md"]
    assert case.count("javascript:alert\\(3\\)") >= 10  # the check below is not vacuous
    assert "cb-diagram" in hostile_pages[f"models/{SLUG}.md"]
    assert str(escape(_encoded(HOSTILE_URL))) in case


def test_hostile_fields_stay_inert_on_every_page(hostile_pages, plain_pages):
    plain = set().union(*(_parse(html).shapes for html in _html_pages(plain_pages).values()))
    for path, html in _html_pages(hostile_pages).items():
        meta = get_data(hostile_pages[path])[1]
        assert set(meta) <= {"title", "tags", "hide", "body"}, path
        # Only the model template writes `body: html` (its body skips Markdown in the plugin).
        model_page = path.startswith("models/") and path != "models/index.md"
        assert meta.get("body") == ("html" if model_page else None), path
        parsed = _parse(html)
        assert parsed.found == [], path
        # No element and no attribute that the same page without hostile text lacks.
        assert parsed.shapes - plain == set(), path


def test_source_url_is_one_escaped_percent_encoded_link(hostile_pages):
    html = _html_pages(hostile_pages)[f"cases/{SLUG}.md"]
    hrefs = [dict(attrs).get("href") for tag, attrs in _anchors(html)]
    outside = [h for h in hrefs if h and urlparse(h).netloc]
    assert outside == [_encoded(HOSTILE_URL)]
    assert "%E8%B7%AF%E5%BE%84" in outside[0] and "&" in outside[0]  # non-ASCII encoded, & kept


def _anchors(html: str) -> list:
    found = []

    class _A(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                found.append((tag, attrs))

    _A().feed(html)
    return found


def test_hostile_text_is_shown_not_dropped(hostile_pages):
    html = _html_pages(hostile_pages)[f"cases/{SLUG}.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[a](javascript:alert(3))" in html


def test_live_check_can_fail():
    assert _live('<p><img src=x onerror="a()"><a href="javascript:x">y</a><script>1</script>'
                 '<a href="https://evil.example/">z</a></p>') == [
        "<img>", "<img onerror>", "<a href=javascript:x>", "<script>",
        "<a href=https://evil.example/> (outside host)"]


HOSTILE_TITLES = [
    "岚皋\ntemplate: evil.html\nsearch:\n  exclude: true",  # a newline would add keys
    '"引号开头" & <b>粗</b>',  # starts like a YAML anchor once HTML-escaped (&#34;)
    "&anchor 冒号: 井号 #注释 [x](javascript:alert(1))",
    "*alias",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
@pytest.mark.parametrize("page", ["cases/langao-fixture-mini.md", "models/langao-fixture-1-12-x.md"])
def test_front_matter_keeps_a_hostile_title_as_one_value(title, page):
    case = validate_paths([VALID]).cases[0]
    data = copy.deepcopy(case.data)
    data["title"] = data["models"][0]["name"] = title
    body, front = get_data(build_pages([dataclasses.replace(case, data=data)])[page])
    assert set(front) <= {"title", "tags", "body"} and front.get("body") in (None, "html"), front
    assert front["title"] == str(meta(title))[1:-1].replace('\\"', '"')
    assert "\n" not in front["title"] and "<" not in front["title"]
    assert not any(line.startswith(("template:", "search:")) for line in body.splitlines())


def test_meta_is_one_escaped_quoted_line():
    assert str(meta('a\n"b" <c>')) == '"a &#34;b&#34; &lt;c&gt;"'
