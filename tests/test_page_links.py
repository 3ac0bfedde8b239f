"""The "edit this case" line: a link from the configured base, or the file's path without one."""

from __future__ import annotations

import markdown

from generator.pages import build_pages
from generator.validate import validate_paths

from .conftest import VALID

BASE = "https://example.org/casebook/edit/main/"  # a placeholder host: no real repository is implied


def _case_html(edit_base):
    page = build_pages(validate_paths([VALID]).cases, edit_base)["cases/langao-fixture-mini.md"]
    return markdown.markdown(page.split("---", 2)[2])


def test_edit_link_points_at_the_yaml_file():
    html = _case_html(BASE)
    assert f'<a href="{BASE}cases/langao-fixture-mini.yaml">✎ 编辑此案例 Edit this case</a>' in html
    assert ":material-" not in html  # no icon shortcode: the emoji extension is not enabled


def test_without_a_base_the_page_names_the_file():
    html = _case_html(None)
    assert "<code>cases/langao-fixture-mini.yaml</code>" in html and "Edit this case" in html


def _with_source_url(url):
    import copy
    import dataclasses

    case = validate_paths([VALID]).cases[0]
    data = copy.deepcopy(case.data)
    data["sources"][0]["url"] = url
    page = build_pages([dataclasses.replace(case, data=data)])["cases/langao-fixture-mini.md"]
    return markdown.markdown(page.split("---", 2)[2])


def test_a_source_url_is_linked():
    url = "https://example.org/news/2024-08-20/langao.html"
    assert f'<a href="{url}" rel="nofollow noopener noreferrer">{url}</a>' in _with_source_url(url)


def test_a_source_url_cannot_break_out_of_its_link():
    html = _with_source_url('https://example.org/"onmouseover="alert(1)')
    assert 'onmouseover="' not in html and "&#34;onmouseover=&#34;alert(1)" in html  # as text
    assert "<a " not in html.split("来源 Sources")[1].split("引用 Cite")[0]  # shown as text
