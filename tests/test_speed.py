"""Fast paths must give the same answers as the slow ones they replace."""

from __future__ import annotations

import yaml

from generator import load


def test_libyaml_parser_is_used_when_available():
    # `from yaml import CParser` fails silently (CParser lives in yaml.cyaml), which once
    # made every load nine times slower than the C-loader floor.
    if yaml.__with_libyaml__:
        assert load._Parser is not load._PyParser


def test_syntax_errors_use_the_python_parser_wording():
    case = load.read_case("broken.yaml", b"title: a: b\n")
    assert [(p.line, p.col, p.message) for p in case.problems] == [
        (1, 9, "YAML syntax error: mapping values are not allowed here; "
               "check quoting and indentation here"),
    ]
