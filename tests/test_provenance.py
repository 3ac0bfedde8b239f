"""Quotes against stored source snapshots (issue 15): verdicts, messages, export and site."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from generator import provenance
from generator.export import package_files
from generator.load import read_case
from generator.pages import build_pages
from generator.validate import validate_paths

from .conftest import FIXTURES, VALID

SNAPSHOTS = FIXTURES / "sources"


def _table(files: dict[str, bytes], name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode("utf-8"))))


def _copy(tmp_path: Path, with_snapshots: bool) -> Path:
    """The valid fixture in tmp_path/cases, with or without tmp_path/sources beside it."""
    cases = tmp_path / "cases"
    shutil.copytree(VALID, cases)
    if with_snapshots:
        (tmp_path / "sources").mkdir()
        for name in ("langao-fixture-source.txt", "langao-fixture-source.yaml"):
            shutil.copy(SNAPSHOTS / name, tmp_path / "sources" / name)
    return cases


def test_snapshot_folder_is_the_nearest_sources_folder(tmp_path):
    cases = _copy(tmp_path, with_snapshots=True)
    assert provenance.snapshot_folder(cases / "x.yaml") == tmp_path / "sources"
    assert provenance.snapshot_folder(VALID / "x.yaml") == SNAPSHOTS


def test_every_quote_of_the_valid_fixture_is_verified_and_exported_as_such(tmp_path):
    report = validate_paths([_copy(tmp_path, with_snapshots=True)])
    assert report.ok and [p.rule for p in report.warnings if p.rule == "advice-snapshot"] == []
    files = package_files(report.cases)
    for name in ("metrics", "practices", "people", "model_evidence"):
        assert {r["quote_verified"] for r in _table(files, name)} == {"true"}, name
    terms = _table(files, "model_terms")
    assert [r["quote_verified"] for r in terms] == ["true", "", ""]  # only the first term has a quote
    (source,) = _table(files, "sources")
    assert len(source["snapshot_sha256"]) == 64


def test_without_a_snapshot_quotes_are_not_verified_and_the_site_says_so(tmp_path):
    report = validate_paths([_copy(tmp_path, with_snapshots=False)])
    assert report.ok
    (warning,) = [p for p in report.warnings if p.rule == "advice-snapshot"]
    assert "quotes of this source are not verified" in warning.message
    files = package_files(report.cases)
    assert {r["quote_verified"] for r in _table(files, "metrics")} == {"false"}
    assert _table(files, "sources")[0]["snapshot_sha256"] == ""
    page = build_pages(report.cases)["cases/langao-fixture-mini.md"]
    assert page.count(">未核对</span>") == 4  # each figure (2), the practice's and the person's quote
    assert "仓库没有保存此来源的文本，6 条原文引语未核对" in page


def test_the_case_page_counts_verified_quotes_per_source_and_marks_each_figure():
    report = validate_paths([VALID])
    pages = build_pages(report.cases)
    page = pages["cases/langao-fixture-mini.md"]
    assert "6 条原文引语中 6 条与仓库保存的来源文本 sources/langao-fixture-source.txt 逐字相符" in page
    assert page.count("✓ 已核对") == 4  # each figure (2), the practice's and the person's quote
    assert "| 最近核对 Last reviewed | 未记录 not recorded |" in page
    assert pages["compare/metrics.md"].count("✓ 已核对") == 2


def test_a_wrong_character_is_shown_with_the_nearest_passage():
    data = read_case(VALID / "langao-fixture-mini.yaml").data
    data["metrics"][0]["quote"] = "帮销农特产品400多万元"
    findings, problems = provenance.case_findings(0, VALID / "langao-fixture-mini.yaml", data)
    assert problems == []
    (finding,) = findings
    assert finding.parts == ("metrics", 0, "quote") and finding.rule == "quote-not-in-source"
    assert "nearest passage: “帮销农特产品400余万元”" in finding.message
    assert "the quote has “多” where the source has “余”" in finding.message


def test_an_ellipsis_the_source_itself_prints_is_a_verbatim_quote(tmp_path):
    cases = _copy(tmp_path, with_snapshots=True)
    text = tmp_path / "sources" / "langao-fixture-source.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\n他说：“我们……一定做好。”\n", encoding="utf-8")
    data = read_case(cases / "langao-fixture-mini.yaml").data
    data["practices"][0]["quote"] = "我们……一定做好"
    findings, problems = provenance.case_findings(0, cases / "langao-fixture-mini.yaml", data)
    assert findings == []
    assert [p.rule for p in problems] == ["snapshot-hash"]  # the text changed: its sha256 must follow
    assert "set `sha256: " in problems[0].message


def test_snapshot_metadata_must_say_what_was_seen(tmp_path):
    cases = _copy(tmp_path, with_snapshots=True)
    meta = tmp_path / "sources" / "langao-fixture-source.yaml"
    meta.write_text("title: （无标题）\ntitle_visible: false\nlink: x\n", encoding="utf-8")
    data = read_case(cases / "langao-fixture-mini.yaml").data
    _, problems = provenance.case_findings(0, cases / "langao-fixture-mini.yaml", data)
    assert [(p.line, p.col, p.rule) for p in problems] == [
        (3, 1, "snapshot-metadata"),  # unknown field
        (2, 1, "snapshot-metadata"),  # title and title_visible both
        (1, 1, "snapshot-metadata"),  # no cleaning
        (1, 1, "snapshot-hash"),  # no sha256
    ]


def test_a_long_lived_checker_rechecks_cases_when_a_snapshot_changes(tmp_path):
    from generator.validate import Checker

    cases = _copy(tmp_path, with_snapshots=True)
    checker = Checker(jobs=1)
    assert checker.check_paths([cases]).ok
    checker.check_paths([cases])
    assert (checker.reused, checker.rechecked) == (1, 0)
    text = tmp_path / "sources" / "langao-fixture-source.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("县上成立了", "县里成立了"), encoding="utf-8")
    report = checker.check_paths([cases])
    assert (checker.reused, checker.rechecked) == (0, 1)
    assert {p.rule for p in report.errors} == {"snapshot-hash", "quote-not-in-source"}
