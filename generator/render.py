"""Safe rendering helpers: case text (untrusted) becomes inert Markdown.

Every value printed by a page template goes through `finalize`: it is HTML-escaped (by
Jinja's autoescape) and has Markdown's punctuation backslash-escaped, so `<script>`,
`onerror=`, `[x](javascript:…)` and raw HTML in a case field show as text. Markdown that
the generator itself builds (links, tables) is wrapped in `Markup` and passes unchanged.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

# Markdown-significant punctuation. `<`, `>` and `&` are left to HTML escaping: a
# backslash before an entity would print the entity's text.
# `~` is not among them: no enabled extension gives it a meaning, and Python-Markdown does
# not unescape `\~`, which would print the backslash.
_MD = re.compile(r"([\\`*_\[\](){}#+!|])")
_LINE_START = re.compile(r"(?m)^(\s*)([-=]|\d+\.)")
# Anything md() would change: HTML-special or Markdown-special characters, or a line start
# that reads as a list or heading. Most Chinese sentences have none and pass as they are.
_SPECIAL = re.compile(r"[&<>'\"\\`*_\[\](){}#+!|]|^\s*(?:[-=]|\d+\.)", re.M)
# The stray spaces YAML's folded scalars (>-) put between Chinese characters are dropped by
# the loader (generator/folding.py), so the site shows the same text as the data package.


def md(value) -> Markup:
    """Untrusted text as inert inline Markdown (HTML-escaped, punctuation escaped, one line)."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    if "\n" in text or "\r" in text:  # a line break would end a table row, heading or list item
        text = " ".join(text.split())
    if not _SPECIAL.search(text):  # 3,000 pages render ~340,000 values: skip needless work
        return Markup(text)
    text = _MD.sub(r"\\\1", str(escape(text)))
    # A line starting with "-", "=" or "1." could become a list or heading: escape it too.
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return Markup(text)


def cell(value) -> Markup:
    """Untrusted text for a table cell: one line, pipes escaped."""
    return md(" ".join(str(value).split()))


def paras(value) -> Markup:
    """Untrusted multi-line text (editors' prose, never quotes) as Markdown paragraphs."""
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return Markup("\n\n").join(md(line) for line in lines)


def meta(value) -> Markup:
    """Untrusted text as one YAML front-matter scalar: one line, quoted, HTML-escaped.

    A raw value could end the scalar and add keys (`template:`, `search: exclude`) through
    a newline, or turn into an anchor (`&…`); MkDocs prints `page.title` without escaping.
    """
    return Markup(json.dumps(str(escape(" ".join(str(value).split()))), ensure_ascii=False))


# The schema's URL pattern already refuses whitespace and < > " ' ` ( ) [ ] { } ! \; this is
# the same rule again, so a page never depends on validation having run.
_PLAIN_URL = re.compile(r"https?://[^\s<>\"'`()\[\]{}!\\\x00-\x1f\x7f]+")
# Characters kept as they are in an href; everything else (non-ASCII, `|`, `^` …) is
# percent-encoded. `%` stays so an address already encoded is not encoded twice.
_HREF_SAFE = "/:?#&=+,;@$%*~-._"
# The link is raw HTML built by a template with autoescape, never Markdown link syntax: the
# address cannot become `![x](x)`, attribute lists or a second link, and Markdown does not
# rewrite it. Its text goes through md() like any case text.
_OUTSIDE = Environment(autoescape=True).from_string(
    '<a href="{{ href }}" rel="nofollow noopener noreferrer">{{ text }}</a>')


def outside_link(url) -> Markup:
    """A source's web address (untrusted) as an HTML link, only for a plain http(s) address.

    The href is percent-encoded (urllib.parse.quote, safe set `_HREF_SAFE`) and HTML-escaped;
    anything that is not a plain http(s) address is shown as inert text instead.
    """
    url = str(url).strip()
    if not _PLAIN_URL.fullmatch(url):
        return md(url)
    return Markup(_OUTSIDE.render(href=quote(url, safe=_HREF_SAFE), text=md(url)))


def link(text, url: str) -> Markup:
    """A Markdown link with untrusted text and a generator-built URL (made of slugs), percent-encoded."""
    return Markup(f"[{md(text)}]({quote(url, safe=_HREF_SAFE)})")


def _finalize(value):
    if value is None:
        return ""
    return value if isinstance(value, Markup) else md(value)


def environment() -> Environment:
    """The Jinja environment for page templates: strict, autoescaping, Markdown-safe."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, cell=cell, paras=paras, meta=meta)
    env.globals.update(link=link, outside_link=outside_link)
    return env


def one_line(value) -> Markup:
    """Untrusted text for HTML: HTML-escaped, whitespace runs (newlines too) made one space; None → ""."""
    return escape(" ".join(str(value).split())) if value is not None else Markup("")


def html_paras(value) -> Markup:
    """Untrusted multi-line text as HTML paragraphs, one `<p>` per non-blank line, escaped."""
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(line) for line in lines)


def html_environment() -> Environment:
    """The Jinja environment for pages written as HTML (`*.html.j2`, front matter `body: html`).

    Strict and autoescaping like `environment()`, but nothing is Markdown: values are only
    HTML-escaped (no backslash escapes, which would print), None prints as nothing. The
    plugin gives such a body to MkDocs as the page's HTML, without Python-Markdown.
    """
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=lambda value: "" if value is None else value,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(h=one_line, paras=html_paras, meta=meta)
    return env
