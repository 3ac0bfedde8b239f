"""Schema version 2: its vocabularies are documented, indicator codes carry their unit, and the
five cases use the new fields as their articles say (../shared/review/figures.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import read_case
from generator.schema import VOCABULARIES, load_schema, resolve, vocabulary
from generator.search import search_terms
from generator.validate import validate_paths

from .conftest import CASES, VALID

NEW = ("case_type", "claim_type", "status", "denominator", "indicator_code", "date_basis",
       "evidence_type", "structure")


@pytest.mark.parametrize("name", NEW)
def test_new_vocabularies_are_documented(name):
    definition = load_schema()["definitions"][name]
    assert name in VOCABULARIES
    assert " " in definition["title"] and definition["description"]
    for item in definition["oneOf"]:
        assert item["title"] and item["description"], item  # Chinese title, English description


def test_every_indicator_code_has_a_unit_and_its_rule():
    schema = load_schema()
    units = set(vocabulary("unit"))
    rules = {r["if"]["properties"]["indicator_code"]["const"]: r["then"]["properties"]["unit"]["const"]
             for r in resolve(schema["definitions"]["metric"])["allOf"]
             if "indicator_code" in r["if"].get("properties", {})}
    codes = {item["const"]: item["unit"] for item in schema["definitions"]["indicator_code"]["oneOf"]}
    assert set(codes.values()) <= units
    assert rules == codes
    assert {"first_secretaries", "work_teams", "work_team_members", "cadres_trained", "funds_secured",
            "donations", "sales_helped", "jobs", "projects", "industry_area", "villages_covered",
            "households_helped", "events_held", "medical_consultations"} <= set(codes)


def test_results_chain_and_statistical_terms_are_defined():
    defs = load_schema()["definitions"]
    claim = defs["claim_type"]["description"]
    for term in ("input", "output", "outcome", "投入", "产出", "成效"):
        assert term in claim
    metric = resolve(defs["metric"])["properties"]
    assert "reference period" in metric["period"]["description"]
    assert "unit of measure" in metric["unit"]["description"]
    assert "half_year" in vocabulary("per")


def _metric(case: str, quote: str, unit: str | None) -> dict:
    """The metric of a case with this quote (and unit, where two figures share a quote)."""
    data = read_case(next(CASES.glob(f"{case}-*.yaml"))).data
    found = [m for m in data["metrics"] if quote in m["quote"] and unit in (None, m["unit"])]
    assert len(found) == 1, quote
    return found[0]


@pytest.mark.parametrize(("case", "quote", "want"), [
    ("langao", "县财政每年为每个服务队预算2万元工作经费",
     {"claim_type": "input", "denominator": "team", "per": "year", "indicator_code": "work_funds"}),
    ("qiannan", "每月1100元生活补助", {"claim_type": "input", "denominator": "person", "per": "month"}),
    ("langao", "帮销农特产品400余万元",
     {"claim_type": "result", "status": "achieved", "denominator": None, "qualifier": "plus",
      "indicator_code": "sales_helped", "as_of": "2024-08", "as_of_basis": "inferred"}),
    ("gaozhou", "投资3500万元的农副食品加工项目即将动工",
     {"claim_type": "input", "status": "planned", "denominator": "project"}),
    ("qiannan", "帮扶单位主要领导每半年至少1次", {"claim_type": "rule", "per": "half_year"}),
    ("yanzhou", "其中5个村达到10万元以上",
     {"claim_type": "threshold", "qualifier": "at_least", "unit": "cny"}),
    ("qiannan", "2022年,全州驻村工作队共协调争取项目4031个",
     {"unit": "project", "as_of": "2022", "as_of_basis": "printed", "indicator_code": "projects"}),
    ("langao", "仅今年春季就帮全镇销售茶叶40余万元",
     # one town's figure, not linked to the county's 帮销农特产品400余万元 by the article (second review)
     {"part_of": None, "period": "今年春季", "as_of": "2024", "as_of_basis": "inferred"}),
])
def test_figures_say_what_they_are(case, quote, want):
    metric = _metric(case, quote, want.get("unit"))
    assert {key: metric.get(key) for key in want} == want


def test_no_inferred_mark_is_left_in_the_cases():
    for path in CASES.glob("*.yaml"):
        assert "# migrate:" not in path.read_text(encoding="utf-8"), path


def test_the_cases_are_valid_version_2():
    report = validate_paths([CASES])
    assert report.errors == []
    assert {c.data["schema_version"] for c in report.cases} == {2}


def test_a_village_name_enters_the_search_dictionary(tmp_path):
    text = (VALID / "langao-fixture-mini.yaml").read_text(encoding="utf-8")
    path = tmp_path / "langao-fixture-mini.yaml"
    path.write_text(text.replace("  pinyin: langao\n", "  pinyin: langao\n  village: 马郢村\n"),
                    encoding="utf-8")
    report = validate_paths([path])
    assert report.errors == []
    words = search_terms(report.cases)
    assert {"马郢村", "马郢"} <= set(words)


def test_a_village_code_has_twelve_digits(tmp_path):
    text = (VALID / "langao-fixture-mini.yaml").read_text(encoding="utf-8")
    path = tmp_path / "langao-fixture-mini.yaml"
    path.write_text(text.replace('  division_code: "610925"\n',
                                 '  division_code: "610925"\n  village_code: "6109251032"\n'),
                    encoding="utf-8")
    problems = validate_paths([path]).errors
    assert [(p.json_path, p.rule) for p in problems] == [("$.place.village_code", "schema-pattern")]
    assert Path(problems[0].path).name == "langao-fixture-mini.yaml"
