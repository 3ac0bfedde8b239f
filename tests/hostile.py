"""A hostile case: hostile text in EVERY string field of the case schema, ids and URLs included.

The list of fields is read from schema/case.schema.json (`string_fields`), so a field added
to the schema is made hostile without anyone editing this file. A free-text field gets
HOSTILE (script, event handlers, javascript: links, raw HTML, Markdown and front-matter
tricks); a field the schema holds to a pattern gets the most hostile value that pattern
admits (HOSTILE_BY_PATTERN; a new pattern without an entry fails the tests that use this).
The case stays schema-valid, so the site builds it through `casebook validate` too.
"""

from __future__ import annotations

import copy
import re

from generator.schema import load_schema, resolve

HOSTILE = ('<script>alert(1)</script> <img src=x onerror="alert(2)"> [a](javascript:alert(3)) '
           '<javascript:alert(4)> <a href="javascript:alert(5)">b</a> {: onclick="alert(6)" } '
           '![i](https://evil.example/pixel.png) <iframe src="https://evil.example/"></iframe>\n'
           "template: evil.html\n| x | y |\n# h\n- li")
# For fields with a length limit (titles: 120 characters).
SHORT = '<script>alert(1)</script><img src=x onerror="alert(2)">[a](javascript:alert(3))'
SLUG = "javascript-alert-1-onerror-script"  # every id and reference: they then resolve
HOSTILE_BY_PATTERN = {
    "^[a-z][a-z0-9]*(-[a-z0-9]+)*$": SLUG,
    "^[a-z]+$": "javascript",  # place.pinyin: the case id starts with it
    # Place names: anything but whitespace.
    "^[^\\s\\u115f\\u1160\\u2800\\u3164\\uffa0]+$": (
        '<script>alert(1)</script><img/src=x/onerror="alert(2)">[a](javascript:alert(3))'),
    "^[1-8][0-9]{11}$": "610925000000",
    "^[1-8][0-9]{5}$": "610925",
    "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$": "2024-08-20",
    "^(19|20)[0-9]{2}(-(0[1-9]|1[0-2]))?$": "2023-09",
    "^(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$": "2024-08-20",
    # The URL pattern admits entities, `&`, `;`, `:`, `*`, `_`, `|`, `#` and non-ASCII.
    "^https?://[-A-Za-z0-9.:\\u4e00-\\u9fff]+(?:[/?#][^\\s<>\"'`()\\[\\]{}!\\\\\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0]*)?$":
        # (host: ASCII or CJK, no user name; no invisible characters in the rest)
        "https://evil.example/javascript:alert%281%29/&lt;script&gt;&quot;onerror=alert%282%29"
        "?a=1&b=&#34;x&#34;&c=**bold**_i_|~^$@;,+=路径#:onclick=alert%283%29",
}


def string_fields(node: dict | None = None, path: tuple = ()) -> list[tuple[tuple, str | None, int | None]]:
    """Every free or patterned string field of the schema: (path with "[]" for list items,
    pattern, maxLength). Vocabulary fields (oneOf/enum/const) are left out: they hold codes."""
    node = resolve(load_schema() if node is None else node)
    out: list = []
    if node.get("type") == "object" or "properties" in node:
        for key, sub in node.get("properties", {}).items():
            out += string_fields(sub, path + (key,))
    elif node.get("type") == "array":
        out += string_fields(node.get("items", {}), path + ("[]",))
    elif node.get("type") == "string" and not any(k in node for k in ("oneOf", "enum", "const")):
        out.append((path, node.get("pattern"), node.get("maxLength")))
    return out


def hostile_value(path: tuple, pattern: str | None, max_length: int | None) -> str:
    """The most hostile value a field admits."""
    if pattern is not None:
        value = HOSTILE_BY_PATTERN[pattern]  # KeyError: add the new pattern's hostile value
        assert re.search(pattern, value), (path, value)
        return value
    if path[-1] == "quote" or max_length is None or max_length >= len(HOSTILE):
        return HOSTILE
    return SHORT


def hostile_case(valid: dict) -> dict:
    """`valid` (a schema-valid case) with every string field of the schema set hostile.

    Fields `valid` lacks are added (lists of text get one item); list items present in
    `valid` are each made hostile. A metric's quote keeps its figure at the end, so the
    value is still written in it; metric ids are numbered, and each metric after the
    first in the same unit is `part_of` the first, so ids stay unique and references resolve. The case
    adopts its own model (every id is SLUG), which the rules allow.
    """
    data = copy.deepcopy(valid)
    for path, pattern, max_length in string_fields():
        _fill(data, path, hostile_value(path, pattern, max_length), max_length)
    data["sources"] = data["sources"][:1]  # one source id: every reference resolves to it
    data["models"] = data["models"][:1]
    for i, metric in enumerate(data.get("metrics", [])):
        metric["id"] = f"{SLUG}-{i}"
        if i and metric["unit"] == data["metrics"][0]["unit"]:  # a part has its whole's unit
            metric["part_of"] = f"{SLUG}-0"
        else:
            metric.pop("part_of", None)
    for metric, original in zip(data.get("metrics", []), valid.get("metrics", []), strict=False):
        metric["quote"] = HOSTILE + " " + original["quote"]
        if metric.get("as_of"):
            metric.setdefault("as_of_basis", "printed")
    return data


def _fill(node, path: tuple, value: str, max_length: int | None) -> None:
    key, rest = path[0], path[1:]
    if key == "[]":
        if not node:
            node.append({} if rest else value)
        for i, item in enumerate(node):
            if rest:
                _fill(item, rest, value, max_length)
            else:
                node[i] = value if i == 0 else f"{value} {i}"  # list items are unique
        return
    if not rest:
        node[key] = value
        return
    default: list | dict = [] if rest[0] == "[]" else {}
    child = node.setdefault(key, default)
    _fill(child, rest, value, max_length)
