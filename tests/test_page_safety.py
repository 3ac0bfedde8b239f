"""Hostile text in any case field stays inert in every generated page.

Rendered here with the site's own Markdown extensions (read from mkdocs.yml), so the check
covers every field without a full MkDocs build; tests/test_site.py builds one too.
"""

from __future__ import annotations

import copy
import dataclasses
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from mkdocs.utils.meta import get_data

from generator.pages import build_pages
from generator.render import meta
from generator.validate import validate_paths

from .conftest import ROOT, VALID

# Keys whose values are ids, references, vocabulary codes or dates: the schema holds them
# to patterns and lists, so hostile text cannot reach them (and pages look them up).
CODED = {"id", "source", "model", "unit", "qualifier", "theme", "themes", "kind", "scope", "language",
         "division_code", "pinyin", "start", "end", "as_of", "published", "adopts", "adapted_from",
         "per", "url", "schema_version", "value", "value_max", "count", "lat", "lon"}
HOSTILE = ('<script>alert(1)</script> <img src=x onerror="alert(2)"> [a](javascript:alert(3)) '
           '<javascript:alert(4)> <a href="javascript:alert(5)">b</a> {: onclick="alert(6)" }\n'
           "template: evil.html\n| x | y |\n# h\n- li")


def _hostile(node, key=""):
    if isinstance(node, dict):
        return {k: v if k in CODED else _hostile(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_hostile(v, key) for v in node]
    return HOSTILE if isinstance(node, str) else node


def _markdown() -> markdown.Markdown:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, conf = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if conf:
            options[name] = conf
    return markdown.Markdown(extensions=names, extension_configs=options)


class _Live(HTMLParser):
    """Markup that would run or navigate: scripts, frames, event handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "img"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


def _live(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def hostile_pages() -> dict[str, str]:
    case = validate_paths([VALID]).cases[0]
    data = copy.deepcopy(case.data)
    data["metrics"].append(copy.deepcopy(data["metrics"][0]))  # two figures in CNY draw a chart
    return build_pages([dataclasses.replace(case, data=_hostile(data))])


def test_every_field_was_made_hostile(hostile_pages):
    case = hostile_pages["cases/langao-fixture-mini.md"]
    assert case.count("javascript:alert\\(3\\)") >= 10  # the check below is not vacuous
    assert "<svg" in hostile_pages["compare/metrics.md"] and "cb-diagram" in hostile_pages[
        "models/langao-fixture-1-12-x.md"]


def test_hostile_fields_stay_inert_on_every_page(hostile_pages):
    md = _markdown()
    for path, text in hostile_pages.items():
        body, front = get_data(text)
        assert set(front) <= {"title", "tags", "hide"}, (path, front)
        assert _live(md.reset().convert(body)) == [], path


def test_hostile_text_is_shown_not_dropped(hostile_pages):
    html = _markdown().convert(get_data(hostile_pages["cases/langao-fixture-mini.md"])[0])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[a](javascript:alert(3))" in html


def test_live_check_can_fail():
    assert _live('<p><img src=x onerror="a()"><a href="javascript:x">y</a><script>1</script>') == [
        "<img>", "<img onerror>", "<a href=javascript:x>", "<script>"]


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
    assert set(front) <= {"title", "tags"}, front
    assert front["title"] == str(meta(title))[1:-1].replace('\\"', '"')
    assert "\n" not in front["title"] and "<" not in front["title"]
    assert not any(line.startswith(("template:", "search:")) for line in body.splitlines())


def test_meta_is_one_escaped_quoted_line():
    assert str(meta('a\n"b" <c>')) == '"a &#34;b&#34; &lt;c&gt;"'
