"""Warnings versus errors, the completeness score and the duplicate guard."""

from __future__ import annotations

import copy
import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from generator.advice import TITLE_THRESHOLD, _lcs, _masks, duplicate_findings, profile_of
from generator.cli import main
from generator.completeness import CHECKS, completeness, missing_items
from generator.load import read_case
from generator.report import format_problem
from generator.validate import validate_paths

from .conftest import INVALID, VALID

WARNINGS = Path(__file__).resolve().parent / "fixtures" / "warnings"
FOLDERS = sorted(p.name for p in WARNINGS.iterdir() if p.is_dir())


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def fixture_data() -> dict:
    return read_case(VALID / "langao-fixture-mini.yaml").data


@pytest.mark.parametrize("folder", FOLDERS)
def test_warning_fixture_reports_exact_lines(folder, monkeypatch):
    monkeypatch.chdir(WARNINGS / folder)
    report = validate_paths([Path(".")])
    assert report.ok and report.errors == []
    assert len(report.cases) == len(list(Path(".").glob("*.yaml")))
    got = [format_problem(p) for p in report.problems]
    assert got == (WARNINGS / folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert all(": warning: " in line for line in got)


def test_recommended_fixture_warns_each_missing_item_at_its_place(monkeypatch):
    monkeypatch.chdir(WARNINGS / "recommended")
    report = validate_paths([Path(".")])
    assert [(p.line, p.col, p.rule) for p in report.warnings] == [
        (4, 1, "advice-period"),  # the case: its first key
        (16, 1, "advice-coordinates"),  # the `place:` key
        (28, 5, "advice-model-summary-en"),  # the model's first key
        (28, 5, "advice-model-steps"),
        (51, 9, "advice-term-name-en"),  # the term "X"
        (60, 5, "advice-practice-title-en"),
        (98, 5, "advice-source-publisher"),
    ]
    text = Path("langao-fixture-mini.yaml").read_text(encoding="utf-8").splitlines()
    assert text[15].startswith("place:") and text[50].strip() == "- symbol: X"


def test_explained_gaps_do_not_warn():
    case = fixture_data()
    del case["period"], case["models"][0]["steps"], case["sources"][0]["publisher"]
    before = {m.group for m in missing_items(case)[0] if m.warn}
    assert {"period", "model-steps", "source-publisher"} <= before
    case["notes"] = "原文未印出年份。"
    case["models"][0]["caveat"] = "原文未说明复制步骤。"
    case["sources"][0]["note"] = "原文未印出发布媒体。"
    after = {m.group for m in missing_items(case)[0] if m.warn}
    assert after == before - {"period", "model-steps", "source-publisher"}


def test_facts_only_a_source_can_give_never_warn():
    # A warning would push contributors to invent a URL, a unit or a date.
    never = {c.group for c in CHECKS if c.warn == "never"}
    assert {"source-url", "person-unit", "person-village", "metric-period"} <= never
    case = fixture_data()
    del case["people"][0]["unit"]
    warned = {m.group for m in missing_items(case)[0] if m.warn}
    assert warned.isdisjoint(never)


def test_warnings_only_with_errors_elsewhere_never_on_a_file_with_errors():
    for folder in sorted(p for p in INVALID.iterdir() if p.is_dir()):
        report = validate_paths([folder])
        broken = {p.path for p in report.errors}
        assert broken, folder
        assert not [p for p in report.warnings if p.path in broken], folder


def test_only_warnings_exit_0_and_say_warning():
    result = run("validate", WARNINGS / "recommended")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(": warning: " in line for line in lines[:-1])
    assert lines[-1] == "1 file(s) checked: all valid, 7 warning(s) (advice; they do not fail)"


def test_invalid_fixture_still_exits_1_at_its_line():
    result = run("validate", INVALID / "metric-value")
    assert result.exit_code == 1
    assert ":72:12: value 400 is not a number written in the quote" in result.output
    assert "warning:" not in result.output


def test_github_format_gives_warning_annotations():
    result = run("validate", "--format", "github", WARNINGS / "duplicate")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines and all(line.startswith("::warning file=") for line in lines)
    assert any(",line=19,col=18,title=duplicate-place-period::looks like" in line for line in lines)


def test_verbose_prints_the_completeness_score():
    result = run("validate", "--verbose", WARNINGS / "recommended")
    assert result.exit_code == 0
    assert "langao-fixture-mini.yaml: completeness 47/100" in result.output
    assert "  复制步骤 Steps: 1 of 1 missing, e.g. $.models[0].steps" in result.output


def test_completeness_is_the_mean_share_of_the_groups_that_apply():
    score, missing = completeness(fixture_data())
    # The valid fixture, group by group (filled / places), worked out by reading the file:
    shares = {
        "coordinates": 0 / 1, "period": 1 / 1, "models": 1 / 1, "metrics": 1 / 1,
        "model-summary-en": 0 / 1, "model-steps": 1 / 1, "model-conditions": 1 / 1,
        "term-name-en": 3 / 3, "term-quote": 1 / 3, "practice-title-en": 0 / 1,
        "metric-period": 0 / 2, "person-unit": 1 / 1, "person-village": 1 / 1,
        "source-publisher": 1 / 1, "source-published": 1 / 1, "source-authors": 1 / 1,
        "source-url": 0 / 1,
    }
    _, groups = missing_items(fixture_data())
    assert {g: f / t for g, (f, t) in groups.items()} == shares
    assert score == round(100 * sum(shares.values()) / len(shares))
    assert [str(m) for m in missing][:2] == ["$.place.coordinates (坐标 Coordinates)",
                                             "$.models[0].summary_en (英文概要 English summary)"]


def test_completeness_reaches_100_only_when_everything_recommended_is_there():
    case = fixture_data()
    # Test data only, not facts about Langao: the fixture is never published.
    case["place"]["coordinates"] = {"lat": 30.0, "lon": 110.0}
    model = case["models"][0]
    model["summary_en"] = "A test summary."
    for term in model["terms"]:
        term.setdefault("quote", "县上成立了由县委副书记任总团长的县级服务团")
        term.setdefault("source", "langao-fixture-source")
    case["practices"][0]["title_en"] = "A test title"
    for metric in case["metrics"]:
        metric["as_of"] = "2024"
    case["sources"][0]["url"] = "https://example.org/test"
    assert completeness(case) == (100, [])
    model["steps"] = []  # an empty list is as good as none
    score, missing = completeness(case)
    assert score < 100 and [m.json_path for m in missing] == ["$.models[0].steps"]


def test_groups_that_do_not_apply_do_not_count():
    case = fixture_data()
    for key in ("models", "practices", "metrics", "people"):
        del case[key]
    _, groups = missing_items(case)
    assert set(groups) == {"coordinates", "period", "models", "metrics", "source-publisher",
                           "source-published", "source-authors", "source-url"}
    assert groups["models"] == (0, 1) and groups["metrics"] == (0, 1)


def profiles(*cases):
    return [(i, f"{c['id']}.yaml", profile_of(c)) for i, c in enumerate(cases)]


def variant(case_id, title=None, code=None, period=None):
    case = copy.deepcopy(fixture_data())
    case["id"] = case_id
    case["title"] = title or case["title"]
    case["place"]["division_code"] = code or case["place"]["division_code"]
    if period is None:
        case.pop("period")
    else:
        case["period"] = period
    return case


@pytest.mark.parametrize("a, b, overlap", [
    ({"start": "2023-09"}, {"start": "2024"}, True),  # open-ended: still running in 2024
    ({"start": "2020", "end": "2021"}, {"start": "2021-12"}, True),  # "2021" ends in December
    ({"start": "2020", "end": "2021"}, {"start": "2022-01"}, False),
    ({"start": "2023-03", "end": "2023-05"}, {"start": "2023-06", "end": "2024"}, False),
    ({"start": "2023"}, None, False),  # no period: cannot overlap
])
def test_same_division_code_and_overlapping_period(a, b, overlap):
    found = duplicate_findings(profiles(variant("langao-a", "示例甲", period=a),
                                        variant("langao-b", "示例乙乙乙", period=b)))
    rules = [(f.index, f.rule) for f in found]
    assert rules == ([(0, "duplicate-place-period"), (1, "duplicate-place-period")] if overlap else [])


def test_different_division_codes_never_match_on_place():
    found = duplicate_findings(profiles(variant("langao-a", "示例甲", period={"start": "2023"}),
                                        variant("langao-b", "示例乙乙乙", "610926", {"start": "2023"})))
    assert found == []


@pytest.mark.parametrize("a, b, similar", [
    # One program retold: 驻村 and the quotes dropped (ratio 0.92).
    ("岚皋县驻村第一书记“组团服务”", "岚皋县第一书记组团服务", True),
    # Two places with two-character names running a program of the same name (ratio 0.875).
    ("示例甲乙县驻村第一书记组团服务", "示例丙丁县驻村第一书记组团服务", False),
])
def test_very_similar_titles(a, b, similar):
    cases = profiles(variant("langao-a", a, "610925"), variant("langao-b", b, "610926"))
    ratio = difflib.SequenceMatcher(None, cases[0][2].key, cases[1][2].key).ratio()  # without punctuation
    assert (ratio >= TITLE_THRESHOLD) == similar
    found = sorted(duplicate_findings(cases), key=lambda f: f.index)
    assert [f.rule for f in found] == (["duplicate-title", "duplicate-title"] if similar else [])
    if similar:
        assert f"“{b}”" in found[0].message and "(similarity 0.92)" in found[0].message


def test_each_case_names_only_its_most_similar_title():
    titles = ["示例县驻村第一书记组团服务甲", "示例县驻村第一书记组团服务乙",
              "示例县驻村第一书记组团服务甲乙"]
    cases = [variant(f"langao-{i}", t, f"61092{i}") for i, t in enumerate(titles)]
    found = sorted(duplicate_findings(profiles(*cases)), key=lambda f: f.index)
    assert [f.index for f in found] == [0, 1, 2]
    # 0 and 1 differ in one character of 14 (0.93); each is closer to 2, which adds one (0.97).
    assert f"“{titles[2]}”" in found[0].message and f"“{titles[2]}”" in found[1].message


@given(st.text(alphabet="甲乙丙丁ab", max_size=30), st.text(alphabet="甲乙丙丁ab", max_size=30))
def test_bit_parallel_lcs_matches_dynamic_programming(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    assert _lcs(_masks(a), len(a), b) == table[len(a)][len(b)]
    # ...and it bounds difflib's ratio from above, which the duplicate guard relies on.
    total = len(a) + len(b)
    if total:
        assert difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() <= 2 * table[-1][-1] / total
