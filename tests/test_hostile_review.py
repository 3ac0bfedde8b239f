"""Hostile case files: the kinds a second hostile-contributor review found (issue 10 review).

A file just under the size limit holding a list of 300,000 items (minutes of CPU, gigabytes,
one message per item), full-width spreadsheet operators, days that are not in the calendar or
after today, a `javascript:` URL in a snapshot's metadata, and an anchor that no alias uses.
Each test asserts the exact lines `casebook validate` prints (warnings, which are advice about
the fixture itself, are left out).
"""

from __future__ import annotations

from datetime import date, timedelta

from generator.load import MAX_ITEMS
from generator.report import format_problem
from generator.validate import MAX_SCHEMA_ERRORS, validate_paths

from .conftest import VALID
from .test_untrusted_sources import project, run

LESSONS = "lessons:\n  - 把分散的第一书记组织起来，资源共享、合作共赢。\n"
HEADLINE = "headline: 第一书记按特长组成跨镇服务队，一人一资源、全团共享"


def case_with(root, *edits: tuple[str, str]):
    """root/cases/langao-fixture-mini.yaml: the valid fixture with each (old, new) replaced once."""
    text = (VALID / "langao-fixture-mini.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    folder = root / "cases"
    folder.mkdir(parents=True)
    (folder / "langao-fixture-mini.yaml").write_text(text, encoding="utf-8")
    return folder


def errors(folder) -> list[str]:
    """The errors of validating `folder`, each line without the file's path before `:line:col`."""
    prefix = f"{folder}/langao-fixture-mini.yaml"
    lines = [format_problem(p) for p in validate_paths([folder]).problems if p.is_error]
    assert all(line.startswith(prefix) for line in lines)
    return [line[len(prefix):] for line in lines]


def test_a_list_longer_than_any_case_needs_is_one_error_not_one_per_item(tmp_path):
    folder = case_with(tmp_path, (LESSONS, "lessons: [" + "[]," * 300_000 + "a]\n"))
    assert errors(folder) == [
        f":13:10: this list has 300,001 items; no list of a case "
        f"needs more than a few hundred (the limit is {MAX_ITEMS:,}): check the brackets, or split the "
        "program into several cases"]


def test_a_mapping_with_thousands_of_keys_is_one_error(tmp_path):
    keys = "".join(f"k{i}: 1, " for i in range(MAX_ITEMS + 1))
    folder = case_with(tmp_path, (LESSONS, LESSONS + "extra: {" + keys + "}\n"))
    assert errors(folder) == [
        f":15:8: this mapping has 1,001 keys; no part of a case "
        f"needs more than a few dozen (the limit is {MAX_ITEMS:,}): check the indentation"]


def test_a_list_over_its_schema_limit_says_so(tmp_path):
    folder = case_with(tmp_path, (LESSONS, "lessons:\n" + "".join(f"  - 经验{i}\n" for i in range(31))))
    assert errors(folder) == [
        ":14:3: `lessons` has 31 items, at most 30: a case keeps "
        "what its sources state, and no article states that many; split the program into several cases "
        "or keep the main ones [$.lessons]"]


def test_schema_errors_stop_at_the_cap_with_one_line_saying_more_follow(tmp_path):
    themes = "themes:\n  - party_building\n  - consumption_assistance\n"
    folder = case_with(tmp_path, (themes, "themes:\n" + "".join(f"  - t{i}\n" for i in range(150))))
    found = errors(folder)
    assert len(found) == MAX_SCHEMA_ERRORS + 1
    assert found[0] == (f":3:1: more schema errors follow; only the "
                        f"first {MAX_SCHEMA_ERRORS} are shown: fix these and validate again [$]")


def test_full_width_spreadsheet_operators_are_refused_like_ascii_ones(tmp_path):
    for wide in "＝＋－＠﹦﹢﹣﹫":
        folder = case_with(tmp_path / f"u{ord(wide):x}", (HEADLINE, f"headline: {wide}1+1 第一书记"))
        assert errors(folder) == [
            f":7:11: `headline` \"{wide}1+1 第一书记\" starts with "
            f"`{wide}`: no text may start with = + - @, a tab or a carriage return (the full-width "
            f"`{wide}` too: Excel in Chinese, Japanese and Korean reads it as the operator), because a "
            "spreadsheet opening the exported CSV runs it as a formula (CSV injection, see OWASP); "
            "reword it so it starts with a word or a digit [$.headline]"]


def test_days_that_are_not_in_the_calendar_or_after_today_are_refused(tmp_path):
    later = (date.today() + timedelta(days=2)).isoformat()  # 'today' somewhere east is still allowed
    folder = case_with(tmp_path, ('    published: "2024-08-20"', '    published: "2024-02-30"'),
                       (LESSONS, LESSONS + f'last_reviewed: "{later}"\n'))
    assert errors(folder) == [
        f":15:16: `last_reviewed` {later} is after today; write the day the case was checked "
        "against its sources (today or earlier) [$.last_reviewed]",
        ":108:16: `published` 2024-02-30 is not a day of the calendar (2024-02 has 29 days); "
        "write the date as printed [$.sources[0].published]"]


def test_a_year_outside_1900_to_2099_is_refused(tmp_path):
    folder = case_with(tmp_path, ('  start: "2023-09"', '  start: "0000"'))
    assert errors(folder) == [
        ":24:10: `start` \"0000\" is not in the expected form (“YYYY”或“YYYY-MM”（1900–2099 年），须加引号); "
        "e.g. `start: \"2023\"` [$.period.start]"]


def test_a_script_url_in_a_snapshots_metadata_is_refused(tmp_path):
    work = project(tmp_path)
    meta = work / "sources/langao-fixture-source.yaml"
    meta.write_text(meta.read_text(encoding="utf-8")
                    + "url: 'javascript:alert(document.domain)//\"><img src=x onerror=alert(1)>'\n",
                    encoding="utf-8")
    code, out = run(work, "validate")
    assert code == 1
    assert out[0].startswith("sources/langao-fixture-source.yaml:8:6: `url` “javascript:alert("
                             "document.domain)//\"><img src=x onerror=alert(1)>” is not a plain "
                             "http(s) address: A full http:// or https:// address whose host is")


def test_an_anchor_without_alias_is_refused_as_the_readme_says(tmp_path):
    folder = case_with(tmp_path, ("scope: county", "scope: &s county"))
    assert errors(folder) == [
        ":21:8: YAML aliases (*name) and anchors (&name) are not "
        "allowed in case files; write the value out in full"]


def test_tomorrow_is_still_today_in_china_and_passes(tmp_path):
    # A contributor in UTC+8 writes the day it is there; a UTC runner may still be a day behind.
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    folder = case_with(tmp_path, (LESSONS, LESSONS + f'last_reviewed: "{tomorrow}"\n'))
    assert errors(folder) == []


# ---------------------------------------------------------------------------------------
# Second review round.

def test_every_text_is_bounded_so_a_valid_case_cannot_stall_the_build(tmp_path):
    background = "background: 去年9月起，岚皋县开展驻村第一书记“组团服务”。"
    folder = case_with(tmp_path, (background, "background: " + "岚皋县" * 3400))
    assert errors(folder) == [
        ":10:13: `background` is too long (10200 characters, at most 10000); shorten it [$.background]"]


def test_a_quote_with_a_number_longer_than_any_figure_is_refused_not_skipped(tmp_path):
    quote = "    quote: 帮销农特产品400余万元"
    folder = case_with(tmp_path, (quote, quote + "，编号" + "9" * 309))
    assert errors(folder) == [
        ":79:12: the quote holds a number of 309 digits, more than any figure has (at most 15): its figures "
        "cannot be checked; quote the sentence that states the figure, without the long number "
        "[$.metrics[0].quote]"]


def test_schema_version_true_is_a_wrong_type_not_version_one(tmp_path):
    folder = case_with(tmp_path, ("schema_version: 2", "schema_version: true"))
    assert errors(folder) == [":3:17: `schema_version` must be 2, not true [$.schema_version]"]


def test_interlinear_annotation_marks_are_warned_as_invisible(tmp_path):
    folder = case_with(tmp_path, (LESSONS, "lessons:\n  - 岚皋\ufff9县的做法\n"))
    warned = [format_problem(p) for p in validate_paths([folder]).problems if p.rule == "invisible"]
    assert [line.split(": warning: ", 1)[1] for line in warned] == [
        "`lessons` contains U+FFF9 INTERLINEAR ANNOTATION ANCHOR (岚皋\\ufff9县的做法), which is invisible: "
        "the text looks the same without it, but a search or a quote check does not match; delete it "
        "[$.lessons[0]]"]


def test_a_link_in_the_snapshot_folder_is_refused_even_when_no_case_cites_it(tmp_path):
    work = project(tmp_path)
    (work / "sources/pw.txt").symlink_to("/etc/passwd")
    code, out = run(work, "validate")
    assert code == 1
    assert ("sources/pw.txt:1:1: is a symbolic link; a source snapshot must be a regular file in the "
            "repository (links are not followed): put the file itself here; its quotes were not "
            "checked") in out
    assert not any("root:" in line for line in out)


def test_the_out_folder_is_printed_escaped(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main

    out = tmp_path / "zz\x1b[2K\rALL VALID\nline2"
    result = CliRunner().invoke(main, ["export", str(VALID), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\r" not in result.output
    assert "zz\\x1b[2K\\rALL VALID\\nline2" in result.output


def test_a_field_longer_than_the_csv_modules_default_limit_is_read_back(tmp_path):
    from generator.formats import typed_rows
    from generator.tables import TABLES

    table = next(t for t in TABLES if t.name == "case_lessons")
    header = ",".join(c.name for c in table.columns)
    row = ",".join("x" * 200_000 if c.type == "string" else "1" for c in table.columns)
    rows = typed_rows(table, f"{header}\r\n{row}\r\n".encode())
    assert len(rows) == 1 and max(len(v) for v in rows[0] if isinstance(v, str)) == 200_000
