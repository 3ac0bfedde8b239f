"""The case JSON Schema: where it lives, its vocabularies and per-field documentation."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# A wheel carries the schema inside the package; a checkout keeps it in schema/.
_CANDIDATES = (_HERE / "schema" / "case.schema.json", _HERE.parent / "schema" / "case.schema.json")


def schema_path() -> Path:
    """Path of `case.schema.json`."""
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("case.schema.json not found next to the generator package")


@cache
def load_schema() -> dict:
    """The parsed case schema (cached; treat as read-only)."""
    return json.loads(schema_path().read_text(encoding="utf-8"))


def resolve(node: dict, root: dict | None = None) -> dict:
    """Merge a `$ref` target under the referring schema's own keywords (title, examples)."""
    root = root or load_schema()
    for _ in range(20):  # bounded: a $ref cycle in the schema must not hang the loader
        if "$ref" not in node:
            break
        target = root
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        # The target's own $ref (if any) survives the merge and is followed next round.
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def vocabulary(name: str) -> dict[str, dict[str, str]]:
    """A controlled vocabulary as {value: {"zh": label, "en": label}}, in schema order."""
    definition = load_schema()["definitions"][name]
    return {item["const"]: {"zh": item["title"], "en": item["description"]} for item in definition["oneOf"]}


VOCABULARIES = ("theme", "unit", "qualifier", "per", "model_kind", "scope_level", "language",
                "case_type", "claim_type", "status", "denominator", "indicator_code", "date_basis",
                "evidence_type", "structure")


def vocab_name(node: dict) -> str | None:
    """The vocabulary a (resolved) schema node draws its values from, if any."""
    if "oneOf" in node and all("const" in item for item in node["oneOf"]):
        defs = load_schema()["definitions"]
        for name in VOCABULARIES:
            if defs[name]["oneOf"] == node["oneOf"]:
                return name
    return None


def field_schema(parts) -> dict | None:
    """The resolved schema of the field at a JSON path such as ('models', 0, 'terms')."""
    node = resolve(load_schema())
    for part in parts:
        if isinstance(part, int):
            if "items" not in node:
                return None
            node = resolve(node["items"])
        else:
            props = node.get("properties", {})
            if part not in props:
                return None
            node = resolve(props[part])
    return node


def example_of(node: dict | None) -> object | None:
    """A valid example value for a field, from its `examples` or its vocabulary."""
    if not node:
        return None
    if node.get("examples"):
        return node["examples"][0]
    if "oneOf" in node and node["oneOf"] and "const" in node["oneOf"][0]:
        return node["oneOf"][0]["const"]
    if "const" in node:
        return node["const"]
    return None
