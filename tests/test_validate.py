"""One invalid fixture per rule: the exact line, column and message are part of the contract."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest

from generator.load import read_case
from generator.report import format_problem
from generator.schema import load_schema
from generator.validate import validate_paths

from .conftest import INVALID, VALID

RULES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def test_every_rule_has_a_fixture():
    expected = {
        "alias", "bom", "duplicate-key", "empty", "id-filename", "id-place", "max-needs-range",
        "metric-qualifier", "metric-value", "min-items", "model-caveat", "not-utf8", "pattern",
        "period-order", "range-needs-max", "ref-model", "ref-source", "required",
        "schema-version", "tabs", "type", "unique-case-id", "unique-items", "unique-model-id",
        "unknown-field", "unquoted-number", "vocabulary", "yaml-syntax", "yaml11-no",
        # issue 15: quotes against the stored source snapshots (tests/fixtures/sources/)
        "quote-not-in-source", "quote-ellipsis", "snapshot-hash",
        # review of issue 15: a quote too short to prove anything (minLength 4)
        "quote-too-short",
        # issue 11: figures read truthfully (the refused rows of ../shared/review/figures.md)
        "metric-vague", "metric-ordinal", "metric-vague-tens", "metric-just-under",
        "metric-inclusive", "metric-exclusive", "metric-not-finite", "vague-needs-max",
        # the second review of issue 11: a figure's unit is the unit word after its number
        "metric-unit",
        # the figures review: a figure per team (每个服务队) says so in `denominator`
        "metric-denominator",
        # issue 11 part B: part_of names another metric of the case, no cycles; codes and units
        "part-of", "metric-id", "indicator-unit", "as-of-basis",
        # issue 14: a metric's source and model belong to its own case (two cases citing each other's)
        "ref-source-case", "ref-model-case",
        # issue 10 part B: leading = + - @ (CSV injection), plain URLs, one-word place names,
        # ids that would overwrite a generated page
        "formula", "url", "place-name", "reserved-id",
        # review of issue 10: a day that is not in the calendar, or after today
        "date",
    }
    assert set(RULES) == expected


@pytest.mark.parametrize("rule", RULES)
def test_invalid_fixture_reports_exact_positions(rule, monkeypatch):
    folder = INVALID / rule
    monkeypatch.chdir(folder)
    report = validate_paths([Path(".")])
    got = [format_problem(p) for p in report.problems]
    want = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert got == want
    assert not report.ok
    assert report.cases == [] or rule.startswith("unique-")


def test_valid_fixtures_pass():
    report = validate_paths([VALID])
    assert report.errors == []  # warnings (advice) are allowed; tests/test_advice.py pins them
    assert [c.data["id"] for c in report.cases] == ["langao-fixture-mini"]


def test_oversized_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "langao-big.yaml"
    big.write_bytes(b"a: " + b"x" * 1_000_001)
    problems = read_case(big).problems
    assert [(p.line, p.col, p.rule) for p in problems] == [(1, 1, "size")]
    assert "over the 1,000,000-byte limit" in problems[0].message


@pytest.mark.parametrize("rule", RULES)
def test_fast_and_explaining_validators_agree(rule):
    """jsonschema-rs answers valid/invalid; python-jsonschema explains. They must agree."""
    fast = jsonschema_rs.Draft7Validator(load_schema(), validate_formats=False)
    slow = jsonschema.Draft7Validator(load_schema())
    for path in sorted((INVALID / rule).rglob("*.yaml")) + sorted(VALID.glob("*.yaml")):
        data = read_case(path).data
        if data is None:
            continue
        assert fast.is_valid(data) == (not list(slow.iter_errors(data))), path


def test_all_problems_of_all_files_in_one_run():
    folders = [INVALID / "type", INVALID / "vocabulary", INVALID / "bom"]
    report = validate_paths(folders)
    assert {p.rule for p in report.problems} == {"schema-type", "schema-oneOf", "encoding"}
