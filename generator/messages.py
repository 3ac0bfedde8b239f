"""Turn JSON Schema errors into messages that say what was expected and how to fix it."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from typing import TYPE_CHECKING

from .report import BLANK_LOOKING, DEFAULT_IGNORABLE
from .schema import example_of, field_schema, load_schema, resolve, vocab_name, vocabulary

if TYPE_CHECKING:  # importing jsonschema costs 0.15 s; valid files never need it
    from jsonschema.exceptions import ValidationError

_TYPES = {
    "string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
    "array": "a list", "object": "a mapping of fields", "null": "empty",
}


# A place name: one word as printed. Blank-looking fillers (Hangul fillers U+115F, U+1160,
# U+3164, U+FFA0; Braille blank U+2800) are not whitespace to Unicode but look like a space.
PLACE_NAME = r"^[^\s\u115f\u1160\u2800\u3164\uffa0]+$"


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__


def _show(value: object) -> str:
    text = visible(json.dumps(value, ensure_ascii=False))
    return text if len(text) <= 60 else text[:57] + "…"


# Characters a reader cannot see or that reorder the text around them: controls (Cc),
# format characters such as U+200B ZERO WIDTH SPACE and U+202E RIGHT-TO-LEFT OVERRIDE (Cf),
# line and paragraph separators (Zl, Zp), private-use, surrogate and unassigned code points.
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"))
# Invisible or blank-looking characters of other categories: Hangul fillers (U+3164, Lo),
# variation selectors (Mn), U+2800 BRAILLE PATTERN BLANK (So) … (see report.DEFAULT_IGNORABLE).
_HIDDEN = re.compile(f"[{DEFAULT_IGNORABLE}{BLANK_LOOKING}]")


def hidden(ch: str) -> bool:
    """True for a character a reader cannot see or that reorders the text around it."""
    return unicodedata.category(ch) in _INVISIBLE or _HIDDEN.match(ch) is not None


def visible(text: str) -> str:
    """`text` with every invisible, blank-looking or reordering character written as an
    escape (\\u200b, \\u3164)."""
    if text.isprintable() and text.isascii():
        return text
    return "".join(_escape(ch) if hidden(ch) else ch for ch in text)


def _name(ch: str) -> str:
    """The Unicode name of a character; controls, which have none, by their usual name."""
    return unicodedata.name(ch, "") or {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN",
                                        "\x1b": "ESCAPE", "\x00": "NULL"}.get(ch, "CONTROL CHARACTER")


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _field(parts) -> str:
    names = [p for p in parts if isinstance(p, str)]
    return names[-1] if names else "the case"


def _example(parts, node: dict | None = None) -> str:
    example = example_of(field_schema(parts)) if parts else None
    if example is None and node is not None:
        example = example_of(node)
    if example is None:
        return ""
    return f"; e.g. `{_field(parts)}: {_show(example)}`"


_UP = ("more", "great", "above", "over", "least", "min", "exceed", "plus")
_DOWN = ("less", "below", "under", "most", "max", "fewer")


# YAML 1.1's spellings of NaN and infinity, which the loader keeps as text (.nan, -.inf).
_NOT_FINITE = re.compile(r"[-+]?\.?(?:nan|inf|infinity)\Z", re.IGNORECASE)


def _qualifier_meaning(value: str) -> str | None | bool:
    """The qualifier an unknown word means: ≥ words with or_equal/inclusive → at_least, ≤ →
    at_most (以上/以下 include the number), about/approx → approximately. None when its words
    point two ways (about_less); False when it names no direction (left to spelling)."""
    v = value.lower()
    up, down = any(w in v for w in _UP), any(w in v for w in _DOWN)
    about = any(w in v for w in ("about", "approx", "around", "circa"))
    inclusive = any(w in v for w in ("equal", "incl", "_eq", "or_"))
    if about + up + down > 1:
        return None
    if about:
        return "approximately"
    if inclusive and (up or down):
        return "at_least" if up else "at_most"
    return False


def _vocab_hint(name: str, value: object) -> str:
    labels = vocabulary(name)
    hint = ""
    if isinstance(value, str) and name == "qualifier" and _qualifier_meaning(value) is not False:
        meant = _qualifier_meaning(value)  # by meaning, not spelling (PRC Civil Code art. 1259)
        hint = f" (did you mean `{meant}`?)" if meant else ""
    elif isinstance(value, str):
        close = difflib.get_close_matches(value, list(labels), n=1, cutoff=0.6)
        # Match labels too: `yuan` finds cny ("yuan (CNY)"), `人次` finds person_time.
        by_label = [k for k, v in labels.items()
                    if value == v["zh"] or value.lower() in v["en"].lower().split(" ")]
        if by_label:
            hint = f" (did you mean `{by_label[0]}`?)"
        elif close:
            hint = f" (did you mean `{close[0]}`?)"
    options = ", ".join(f"{k} ({v['zh']})" for k, v in labels.items())
    return f"{hint}; use one of: {options}"


def explain(error: ValidationError) -> tuple[tuple, str, str]:
    """Return (json path parts, where to point: 'value'|'key'|'parent', message)."""
    parts = tuple(error.absolute_path)
    field = _field(parts)
    v, value = error.validator, error.instance
    node = resolve(error.schema) if isinstance(error.schema, dict) else {}
    if v == "required":
        missing = error.message.split("'")[1]
        where = "" if not parts else f" in `{'.'.join(map(str, parts))}`"
        if "then" in error.schema_path and missing == "value_max":
            if isinstance(value, dict) and value.get("qualifier") == "vague":
                return parts, "parent", (
                    "`qualifier: vague` needs `value_max`, the upper bound of the vague quantity "
                    "(e.g. `value: 100000` and `value_max: 1000000` for 数十万)"
                )
            return parts, "parent", (
                "`qualifier: range` needs `value_max`, the upper end of the range "
                "(e.g. 5 for 三到五天)"
            )
        if "then" in error.schema_path and missing == "as_of_basis":
            return parts + ("as_of",), "key", (
                "`as_of` needs `as_of_basis`: `printed` when the article prints that year, "
                "`inferred` when you worked it out (e.g. 今年 in an article dated 2024-08-20)"
            )
        if "then" in error.schema_path and missing == "as_of":
            return parts + ("as_of_basis",), "key", (
                "`as_of_basis` says how the year of `as_of` was found, but there is no `as_of`: "
                "add `as_of` (YYYY or YYYY-MM, in quotes) or delete `as_of_basis`"
            )
        if "then" in error.schema_path and missing == "caveat":
            return parts, "parent", (
                "a model with `terms: []` must say in `caveat` why its parts are not listed, "
                "e.g. `caveat: 原文只提到名称，未说明其具体内容。`"
            )
        return parts, "parent", (
            f"missing required field `{missing}`{where}" + _example(parts + (missing,))
        )
    if v == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in value if k not in allowed]
        extra = extras[0] if extras else "?"
        close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else f"; allowed fields: {', '.join(allowed)}"
        return parts + (extra,), "key", f"unknown field `{extra}`{hint}"
    if v == "not":  # the metric's if/then/else: value_max without a range or vague quantity
        qualifier = value.get("qualifier") if isinstance(value, dict) else None
        return parts + ("value_max",), "key", (
            f"`value_max` is only for `qualifier: range` (三到五天) and `qualifier: vague` "
            f"(数十万){f', not `{qualifier}`' if isinstance(qualifier, str) else ''}; remove "
            "`value_max`, or set one of those if the quote "
            "writes both ends or a vague quantity"
        )
    if v == "oneOf":
        name = vocab_name(node) or vocab_name(error.schema)
        if name:
            return parts, "value", f"`{field}` {_show(value)} is not in the {name} vocabulary" + (
                _vocab_hint(name, value))
    if v == "const" and field == "unit" and "allOf" in error.schema_path:  # the indicator code's unit
        metric = error.parent.instance if error.parent is not None else None
        code = metric.get("indicator_code") if isinstance(metric, dict) else None
        if code is None:
            path = list(error.schema_path)
            rule = resolve(load_schema()["definitions"]["metric"])["allOf"][path[path.index("allOf") + 1]]
            code = rule["if"]["properties"]["indicator_code"]["const"]
        return parts, "value", (
            f"`indicator_code: {code}` counts in `{error.validator_value}`, but `unit` is "
            f"{_show(value)}; use that unit, another code whose unit fits, or no code"
        )
    if v == "const":
        return parts, "value", f"`{field}` must be {_show(error.validator_value)}, not {_show(value)}"
    if v == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, str) else expected[0]
        hint = ""
        if expected == "number" and isinstance(value, str) and _NOT_FINITE.match(value):
            return parts, "value", (f"`{field}` {_show(value)}: NaN and infinity are not data; write "
                                    "the number the source gives, or leave the field out")
        if expected == "string" and isinstance(value, int | float | bool):
            hint = "; put it in quotes so YAML keeps it as text"
        elif expected == "number" and isinstance(value, str):
            hint = "; write digits only, without units or quotes (money in yuan: 40万元 → 400000)"
        return parts, "value", (
            f"`{field}` must be {_TYPES.get(expected, expected)}, not {_kind(value)}{hint}"
            + _example(parts, node)
        )
    if (v == "pattern"
            and error.validator_value == load_schema()["definitions"]["no_formula"]["then"]["pattern"]):
        first = {"\t": "a tab", "\r": "a carriage return"}.get(value[:1], f"`{value[:1]}`")
        wide = (f" (the full-width `{value[:1]}` too: Excel in Chinese, Japanese and Korean reads it "
                "as the operator)") if value[:1] in "＝＋－＠﹦﹢﹣﹫" else ""
        return parts, "value", (
            f"`{field}` {_show(value)} starts with {first}: no text may start with = + - @, a tab "
            f"or a carriage return{wide}, because a spreadsheet opening the exported CSV runs it as a "
            "formula (CSV injection, see OWASP); reword it so it starts with a word or a digit"
        )
    if v == "pattern" and error.validator_value == PLACE_NAME:  # place names
        return parts, "value", (
            f"`{field}` {_show(value)} holds a space or a line break; a place name is one word "
            "as printed, with nothing after it" + _example(parts, node)
        )
    if v == "pattern":
        desc = node.get("description", "")
        unseen_chars = [ch for ch in value if hidden(ch)]
        unseen = (f"; it contains U+{ord(unseen_chars[0]):04X} {_name(unseen_chars[0])}, which cannot "
                  "be seen: delete it") if unseen_chars else ""
        return parts, "value", (
            f"`{field}` {_show(value)} is not in the expected form ({desc.split('。')[0]})"
            + unseen + _example(parts, node)
        )
    if v == "minLength":
        if error.validator_value > 1 and value:
            why = ("; copy it with the words that say what it is about (学校2个, not 2个): a "
                   "fragment that short is found in almost any article, so finding it proves nothing"
                   if field == "quote" else "")
            return parts, "value", (
                f"`{field}` {_show(value)} is too short ({len(value)} characters, at least "
                f"{error.validator_value}){why}" + _example(parts, node))
        return parts, "value", f"`{field}` must not be empty" + _example(parts, node)
    if v == "maxLength":
        return parts, "value", (
            f"`{field}` is too long ({len(value)} characters, at most {error.validator_value}); "
            "shorten it"
        )
    if v == "minItems":
        return parts, "value", (
            f"`{field}` needs at least {error.validator_value} item(s)" + _example(parts, node)
        )
    if v == "maxItems":
        return parts, "value", (
            f"`{field}` has {len(value):,} items, at most {error.validator_value}: a case keeps what its "
            "sources state, and no article states that many; split the program into several cases "
            "or keep the main ones"
        )
    if v == "uniqueItems":
        seen, dup = set(), None
        for item in value:
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                dup = item
                break
            seen.add(key)
        return parts, "value", f"`{field}` lists {_show(dup)} twice; keep it once"
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        return parts, "value", f"`{field}` must be {word} {error.validator_value}, not {_show(value)}"
    return parts, "value", f"`{field}`: {error.message}" + _example(parts, node)
