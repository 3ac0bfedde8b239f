"""The strict loader: YAML 1.1 surprises keep their text, and the schema is itself valid."""

from __future__ import annotations

import jsonschema

from generator.load import read_case
from generator.schema import load_schema, vocabulary


def load(tmp_path, text: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return read_case(path)


def test_yaml11_values_stay_as_written(tmp_path):
    case = load(tmp_path, "a: no\nb: 2024-08-20\nc: 1:20\nd: 012\ne: on\nf: 0o17\n")
    assert case.data == {"a": "no", "b": "2024-08-20", "c": "1:20", "d": "012", "e": "on",
                         "f": "0o17"}


def test_core_scalars_still_resolve(tmp_path):
    case = load(tmp_path, "a: true\nb: 12\nc: 1.5\nd: ~\ne: -3\n")
    assert case.data == {"a": True, "b": 12, "c": 1.5, "d": None, "e": -3}


def test_billion_laughs_is_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
    case = load(tmp_path, "\n".join(lines) + "\n")
    assert case.data is None
    assert "aliases" in case.problems[0].message


def test_explicit_tags_are_refused(tmp_path):
    case = load(tmp_path, "a: !!python/object:os.system x\n")
    assert case.data is None
    assert case.problems[0].line == 1


def test_digest_is_content_hash(tmp_path):
    assert load(tmp_path, "a: 1\n").digest == load(tmp_path, "a: 1\n").digest


def test_schema_is_valid_draft7():
    schema = load_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


def test_every_property_has_title_and_description():
    def walk(node, where):
        for name, prop in node.get("properties", {}).items():
            assert prop.get("title") and prop.get("description"), f"{where}.{name}"
            walk(prop, f"{where}.{name}")
        for name, sub in node.get("definitions", {}).items():
            walk(sub, f"definitions.{name}")
    walk(load_schema(), "$")


def test_vocabularies_have_both_labels():
    for name in ("theme", "unit", "qualifier", "model_kind", "scope_level"):
        for value, labels in vocabulary(name).items():
            assert labels["zh"] and labels["en"], (name, value)
    assert len(vocabulary("theme")) == 12
