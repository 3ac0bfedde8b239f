"""Safe rendering helpers: case text (untrusted) becomes inert Markdown.

Every value printed by a page template goes through `finalize`: it is HTML-escaped (by
Jinja's autoescape) and has Markdown's punctuation backslash-escaped, so `<script>`,
`onerror=`, `[x](javascript:…)` and raw HTML in a case field show as text. Markdown that
the generator itself builds (links, tables) is wrapped in `Markup` and passes unchanged.
"""

from __future__ import annotations

import re

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

# Markdown-significant punctuation. `<`, `>` and `&` are left to HTML escaping: a
# backslash before an entity would print the entity's text.
_MD = re.compile(r"([\\`*_\[\](){}#+!|~])")


def md(value) -> Markup:
    """Untrusted text as inert inline Markdown (HTML-escaped, punctuation escaped)."""
    if isinstance(value, Markup):
        return value
    text = _MD.sub(r"\\\1", str(escape(str(value))))
    # A line starting with "-", "=" or "1." could become a list or heading: escape it too.
    text = re.sub(r"(?m)^(\s*)([-=]|\d+\.)", lambda m: m.group(1) + "\\" + m.group(2), text)
    return Markup(text)


def cell(value) -> Markup:
    """Untrusted text for a table cell: one line, pipes escaped."""
    return md(" ".join(str(value).split()))


def paras(value) -> Markup:
    """Untrusted multi-line text as Markdown paragraphs."""
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return Markup("\n\n").join(md(line) for line in lines)


def link(text, url: str) -> Markup:
    """A Markdown link with untrusted text and a generator-built (trusted) URL."""
    return Markup(f"[{md(text)}]({url})")


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
    env.filters.update(md=md, cell=cell, paras=paras)
    env.globals.update(link=link)
    return env
