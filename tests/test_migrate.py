"""`casebook migrate`: every v1 fixture to version 2, comments kept, idempotent, exit codes.

The v1 fixtures are kept as they were in tests/fixtures/v1/ (valid/, invalid/<rule>/,
warnings/<name>/, each with its v1 expected.txt). The contract, per fixture:

- a file the strict loader refuses (YAML syntax, BOM, tabs, duplicate key, alias, empty,
  not UTF-8) is not touched, and migrate reports exactly the loader's problems;
- the v1 `schema-version` fixture already says `schema_version: 2`: migrate leaves it alone;
- every other file becomes version 2; the valid fixture stays valid, and an invalid one
  has exactly the problems (rule, JSON path, message) of its committed version-2 fixture
  in tests/fixtures/ (which is this migration's output, with the `# migrate:` marks
  deleted), so it stays invalid for the same reason and nothing else. The v1 expected.txt
  shows the same places under the v1 rules.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.load import read_case
from generator.migrate import INFERRED, MIGRATED, REFUSED, UNCHANGED, migrate_paths, migrate_text
from generator.validate import validate_paths

from .conftest import FIXTURES, ROOT

V1 = FIXTURES / "v1"
GOLDEN = ROOT / "tests" / "golden" / "migrated-langao-fixture-mini.yaml"
FOLDERS = sorted({p.parent.relative_to(V1).as_posix() for p in V1.rglob("expected.txt")} | {"valid"})
# The loader refuses these before any schema is involved.
# v1 fixtures whose metric no version-2 reading fits: migrate refuses them (rule migrate-metric).
NEEDS_PERSON_RULES = {"metric-qualifier", "metric-value"}
REFUSED_RULES = {"alias", "bom", "duplicate-key", "empty", "not-utf8", "tabs", "yaml-syntax"}


def _copy(folder: str, tmp_path: Path) -> Path:
    target = tmp_path / folder
    shutil.copytree(V1 / folder, target)
    (target / "expected.txt").unlink(missing_ok=True)
    return target


def _v1_value(path: Path):
    return read_case(path).data["metrics"][0]["value"]


def _problems(folder: Path, monkeypatch) -> list[tuple[str, str, str]]:
    """(rule, JSON path, message) of each problem; whether a source snapshot is found
    depends on where the folder is (a copy in tmp_path has none), so that advice is left out."""
    monkeypatch.chdir(folder)
    return [(p.rule, p.json_path, p.message) for p in validate_paths([Path(".")]).problems
            if p.rule != "advice-snapshot"]


def test_every_v1_fixture_folder_is_covered():
    rules = {p.name for p in (V1 / "invalid").iterdir() if p.is_dir()}
    assert rules <= {p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir()}
    assert len(FOLDERS) == len(rules) + 1 + len(list((V1 / "warnings").iterdir()))


@pytest.mark.parametrize("folder", FOLDERS)
def test_migrate_every_v1_fixture(folder, tmp_path, monkeypatch):
    work = _copy(folder, tmp_path)
    before = {p: p.read_bytes() for p in sorted(work.rglob("*.yaml"))}
    results = migrate_paths([work])
    assert [r.path for r in results] == list(before)
    rule = Path(folder).name
    if rule in REFUSED_RULES:
        for result in results:
            assert result.status == REFUSED
            assert result.problems == list(read_case(result.path).problems) != []
            assert result.path.read_bytes() == before[result.path]
        return
    if rule in NEEDS_PERSON_RULES:
        # No version-2 reading fits the metric: migrate does not guess and writes nothing; its
        # message is validate's, at the metric's value, for a person to fix first.
        wanted = [m for r, _path, m in _problems(FIXTURES / folder, monkeypatch) if r == rule]
        for result in results:
            assert result.status == REFUSED
            assert result.path.read_bytes() == before[result.path]
            [problem] = result.problems
            assert (problem.rule, problem.json_path, problem.line) == (
                "migrate-metric", "$.metrics[0].value",
                1 + before[result.path].decode().splitlines().index(f"    value: {_v1_value(result.path)}"))
            assert problem.message == (
                "no version-2 reading of this figure fits its v1 `qualifier: "
                f"{read_case(result.path).data['metrics'][0]['qualifier']}`, so migrate does not "
                f"guess: {wanted[0]}; fix the metric by hand, then run migrate again")
        return
    if rule == "schema-version":  # the v1 fixture was a file that already said 2
        assert [r.status for r in results] == [UNCHANGED]
        assert results[0].path.read_bytes() == before[results[0].path]
        return
    assert {r.status for r in results} == {MIGRATED}
    for result in results:
        assert read_case(result.path).data["schema_version"] == 2
    if folder == "valid":
        assert validate_paths([work]).errors == []
        return
    got = _problems(work, monkeypatch)
    assert got == _problems(FIXTURES / folder, monkeypatch)
    assert bool(validate_paths([work]).errors) == folder.startswith("invalid/")


@pytest.mark.parametrize("folder", [f for f in FOLDERS if Path(f).name not in REFUSED_RULES])
def test_comments_and_lines_are_kept(folder, tmp_path):
    work = _copy(folder, tmp_path)
    before = {p: p.read_text(encoding="utf-8") for p in sorted(work.rglob("*.yaml"))}
    migrate_paths([work])
    for path, old in before.items():
        new = path.read_text(encoding="utf-8")
        comments = [line for line in old.splitlines() if line.lstrip().startswith("#")]
        assert [line for line in new.splitlines() if line.lstrip().startswith("#")] == comments
        # Every old line survives, in order, except the version and the qualifiers it rewrote.
        kept = [line for line in new.splitlines() if not line.endswith("# " + INFERRED)]
        changed = [a for a, b in zip(old.splitlines(), kept, strict=True) if a != b]
        assert all(re.fullmatch(r"schema_version: 1|\s+qualifier: \w+", line) for line in changed)


def test_golden_migrated_file(tmp_path):
    work = _copy("valid", tmp_path)
    migrate_paths([work])
    assert (work / "langao-fixture-mini.yaml").read_text(encoding="utf-8") == GOLDEN.read_text(
        encoding="utf-8")


def test_idempotent(tmp_path):
    work = _copy("valid", tmp_path)
    first = migrate_paths([work])
    text = (work / "langao-fixture-mini.yaml").read_bytes()
    second = migrate_paths([work])
    assert [r.status for r in first] == [MIGRATED]
    assert [(r.status, r.changes) for r in second] == [(UNCHANGED, [])]
    assert (work / "langao-fixture-mini.yaml").read_bytes() == text


def _metric(quote: str, value: float, qualifier: str) -> str:
    return (f"schema_version: 1\nscope: county\nmetrics:\n  - value: {value}\n"
            f"    qualifier: {qualifier}\n    quote: {quote}\n")


@pytest.mark.parametrize(("quote", "value", "v1", "v2"), [
    ("帮销农特产品400余万元", 4000000, "at_least", "plus"),
    ("在开展驻村帮扶的700多天里", 700, "at_least", "plus"),
    ("一场长达一个多小时的践行社会主义核心价值观宣讲", 1, "at_least", "plus"),
    ("每月至少为结对村办理1件民生实事", 1, "at_least", "at_least"),
    ("其中5个村达到10万元以上", 100000, "more_than", "at_least"),
    ("超过300人", 300, "more_than", "more_than"),
    ("近2000亩", 2000, "approximately", "just_under"),
    ("每年举办约200人规模的州级培训班", 200, "approximately", "approximately"),
    ("5万元以下", 50000, "less_than", "at_most"),
    ("不足100户", 100, "less_than", "less_than"),
    ("组织公益捐助3次50万元", 500000, "exact", "exact"),
    ("驻村业务“云端”课堂点击率上万", 10000, "at_least", "vague"),
])
def test_qualifiers_follow_the_civil_code(quote, value, v1, v2):
    text, changes = migrate_text(_metric(quote, value, v1))
    assert f"    qualifier: {v2}\n" in text
    assert (f"metrics[0].qualifier: {v1} → {v2}" in changes) == (v1 != v2)


def test_a_vague_quantity_gets_both_bounds():
    text, changes = migrate_text(_metric("驻村业务“云端”课堂点击率上万", 10000, "at_least"))
    assert "  - value: 10000\n    value_max: 100000\n    qualifier: vague\n" in text
    assert "metrics[0].value_max: 100000 (the upper bound of “上万”)" in changes


def test_half_year_is_inferred_from_the_quote():
    text, changes = migrate_text(_metric("帮扶单位主要领导每半年至少1次", 1, "at_least"))
    assert f"    qualifier: at_least\n    per: half_year  # {INFERRED}\n" in text
    assert "metrics[0].per: half_year (inferred)" in changes


@pytest.mark.parametrize(("quote", "per", "claim", "status"), [
    ("县财政每年为每个服务队预算2万元工作经费", "year", "input", "in_progress"),
    ("兑现驻村干部每月1100元生活补助", "month", "input", "in_progress"),
    ("帮销农特产品400余万元", None, "result", "achieved"),
    ("投资3500万元的农副食品加工项目即将动工", None, "input", "planned"),
    ("帮扶单位主要领导每半年至少1次", None, "rule", "in_progress"),
    ("带动户均增收1.2万元", None, "average", "achieved"),
    ("今年,高州的目标是打造31条典型村", None, "target", "planned"),
])
def test_inferred_fields_are_marked(quote, per, claim, status):
    source = _metric(quote, 1, "exact") + (f"    per: {per}\n" if per else "")
    text, _ = migrate_text(source)
    assert f"    claim_type: {claim}  # {INFERRED}\n" in text
    assert f"    status: {status}  # {INFERRED}\n" in text
    assert f"case_type: first_secretary  # {INFERRED}\n" in text


def run(*args):
    return CliRunner().invoke(main, ["migrate", *map(str, args)])


def test_cli_migrates_and_reports(tmp_path):
    work = _copy("valid", tmp_path)
    result = run(work)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("langao-fixture-mini.yaml: migrated to version 2 (8 change(s), "
                             "6 inferred value(s) marked `# migrate:` to check)")
    assert lines[1:4] == ["  schema_version: 1 → 2", "  case_type: first_secretary (inferred)",
                          "  metrics[0].qualifier: at_least → plus"]
    assert lines[-1] == "1 file(s): 1 migrated, 0 already version 2, 0 not migrated"
    again = run(work)
    assert again.exit_code == 0
    assert again.output.splitlines()[0].endswith("langao-fixture-mini.yaml: already version 2, not changed")


def test_cli_dry_run_writes_nothing(tmp_path):
    work = _copy("valid", tmp_path)
    before = (work / "langao-fixture-mini.yaml").read_bytes()
    result = run("--dry-run", work)
    assert result.exit_code == 0
    assert "would migrate to version 2" in result.output
    assert (work / "langao-fixture-mini.yaml").read_bytes() == before


def test_cli_refused_file_exits_1(tmp_path):
    work = _copy("invalid/bom", tmp_path)
    result = run(work)
    assert result.exit_code == 1
    assert "langao-fixture-mini.yaml: not migrated, fix these first:" in result.output
    assert "file starts with a byte-order mark (BOM)" in result.output


def test_cli_misuse_exits_2(tmp_path, monkeypatch):
    assert run("no/such/file.yaml").exit_code == 2
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 2
    assert "no cases/ folder" in result.output


def test_validate_names_migrate_for_a_v1_file(tmp_path):
    work = _copy("valid", tmp_path)
    result = CliRunner().invoke(main, ["validate", str(work)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if ": " in line and "checked" not in line]
    assert len(problems) == 1
    assert problems[0].endswith(":3:17: this file is in case format version 1; run `casebook migrate "
                                f"{(work / 'langao-fixture-mini.yaml').as_posix()}` to rewrite it to "
                                "version 2 (it keeps your comments and marks the values it had to "
                                "guess) [$.schema_version]")


# --- the second review (rv11): migrate reads with quantities.readings(), never guesses ------


@pytest.mark.parametrize(("quote", "value", "v1", "v2", "value_max"), [
    ("帮销农特产品400余万元", 4000000, "more_than", "plus", None),
    ("惠及群众数十万人", 100000, "more_than", "vague", 1000000),
    ("惠及群众数十万人", 100000, "approximately", "vague", 1000000),
    ("突破100万元", 1000000, "at_least", "more_than", None),
    ("五到十万元", 50000, "approximately", "range", 100000),
])
def test_qualifiers_come_from_the_readings(quote, value, v1, v2, value_max):
    text, changes = migrate_text(_metric(quote, value, v1))
    assert f"    qualifier: {v2}\n" in text
    assert (f"    value_max: {value_max}\n" in text) == (value_max is not None)


def _v1_case(tmp_path, quote: str, value, qualifier: str) -> Path:
    work = _copy("valid", tmp_path)
    path = work / "langao-fixture-mini.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    value: 4000000\n    unit: cny\n    qualifier: at_least\n"
    assert old in text and "    quote: 帮销农特产品400余万元\n" in text
    path.write_text(text.replace(old, f"    value: {value}\n    unit: person\n    qualifier: {qualifier}\n")
                    .replace("    quote: 帮销农特产品400余万元\n", f"    quote: {quote}\n"), encoding="utf-8")
    return work


AT_VALUE = "71:12", "$.metrics[0].value"


@pytest.mark.parametrize(("quote", "value", "qualifier", "why", "at"), [
    ("惠及群众10万人", 100000, "vague",
     "no version-2 reading of this figure fits its v1 `qualifier: vague`, so migrate does not guess: "
     "`qualifier: vague` is not a true reading of 10万 in the quote “惠及群众10万人”: 10万 is written "
     "without a qualifying word; write `value: 100000`, `qualifier: exact` (or `qualifier: "
     "approximately` where the article treats the figure as round); fix the metric by hand, then run "
     "migrate again", AT_VALUE),
    ("近10万人", 100000, "vague",
     "no version-2 reading of this figure fits its v1 `qualifier: vague`, so migrate does not guess: "
     "`qualifier: vague` is not a true reading of 10万 in the quote “近10万人”: 近 means close to 100000 "
     "but below it; write `value: 100000`, `qualifier: just_under` (or `qualifier: approximately`); "
     "fix the metric by hand, then run migrate again", AT_VALUE),
    ("惠及群众数十万人", 100000, "exact",
     "no version-2 reading of this figure fits its v1 `qualifier: exact`, so migrate does not guess: "
     "`qualifier: exact` is not a true reading of 数十万 in the quote “惠及群众数十万人”: 数十万 is vague "
     "(between 100000 and 1000000), so it is never exact, at least or plus; write `value: 100000`, "
     "`value_max: 1000000`, `qualifier: vague`, or leave the figure out; fix the metric by hand, then "
     "run migrate again", AT_VALUE),
    ("惠及群众10万人", 100000, "bogus",
     "`qualifier: bogus` is not a version-1 qualifier (exact, at_least, more_than, approximately, "
     "less_than, at_most, range, vague); fix it by hand, then run migrate again",
     # A message about the qualifier is at the qualifier (hostile review #8).
     ("73:16", "$.metrics[0].qualifier")),
])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_metric_no_reading_fits_is_refused_at_its_value(tmp_path, quote, value, qualifier, why, at,
                                                         dry_run):
    work = _v1_case(tmp_path, quote, value, qualifier)
    before = (work / "langao-fixture-mini.yaml").read_bytes()
    result = run(*(["--dry-run"] if dry_run else []), work)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert lines[0].endswith("langao-fixture-mini.yaml: not migrated, fix these first:")
    assert lines[1].endswith(f"langao-fixture-mini.yaml:{at[0]}: {why} [{at[1]}]")
    assert (work / "langao-fixture-mini.yaml").read_bytes() == before


def test_a_flow_style_metric_becomes_block_style_with_its_comment():
    text, _ = migrate_text("schema_version: 1\nscope: county\nmetrics:\n"
                           "  - {value: 4000000, qualifier: at_least, "
                           "quote: 帮销农特产品400余万元}  # flow\n")
    assert text.split("metrics:\n", 1)[1] == (
        "  - value: 4000000  # flow\n    qualifier: plus\n"
        f"    claim_type: result  # {INFERRED}\n    status: achieved  # {INFERRED}\n"
        "    quote: 帮销农特产品400余万元\n")


# --- the hostile review: line endings are kept (finding 6) ----------------------------------


def _with_endings(tmp_path, monkeypatch, endings) -> Path:
    """The v1 valid fixture with line i ending in endings(i) (0-based); cwd is its folder."""
    work = _copy("valid", tmp_path)
    monkeypatch.chdir(work)
    path = work / "langao-fixture-mini.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_bytes("".join(line + endings(i) for i, line in enumerate(lines[:-1])).encode())
    return path


def test_a_crlf_file_stays_all_crlf(tmp_path, monkeypatch):
    path = _with_endings(tmp_path, monkeypatch, lambda i: "\r\n")
    result = run(path.name)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ("langao-fixture-mini.yaml: migrated to version 2 (8 change(s), "
                                             "6 inferred value(s) marked `# migrate:` to check)")
    assert path.read_bytes() == GOLDEN.read_bytes().replace(b"\n", b"\r\n")
    assert run(path.name).output.splitlines()[0] == "langao-fixture-mini.yaml: already version 2, not changed"


@pytest.mark.parametrize(("endings", "change", "newline"), [
    # The reviewer's file after migrate: the two comment lines CRLF, the rest LF.
    (lambda i: "\r\n" if i < 2 else "\n", "line endings: mixed (2 CRLF, 100 LF) → all LF", b"\n"),
    (lambda i: "\n" if i in (5, 50) else "\r\n", "line endings: mixed (100 CRLF, 2 LF) → all CRLF",
     b"\r\n"),
], ids=["two-crlf-lines", "two-lf-lines"])
def test_a_file_mixing_line_endings_gets_its_most_used_one_and_says_so(tmp_path, monkeypatch, endings,
                                                                       change, newline):
    path = _with_endings(tmp_path, monkeypatch, endings)
    result = run(path.name)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("langao-fixture-mini.yaml: migrated to version 2 (9 change(s), "
                        "6 inferred value(s) marked `# migrate:` to check)")
    assert lines[9] == f"  {change}"
    assert path.read_bytes() == GOLDEN.read_bytes().replace(b"\n", newline)


# --- the hostile review: a message about a value is at the value (finding 8) ----------------


@pytest.mark.parametrize(("old", "new", "message"), [
    # The reviewer's file: `schema_version: 3` on line 3; its value starts at column 17.
    ("schema_version: 1\n", "schema_version: 3\n",
     "langao-fixture-mini.yaml:3:17: `schema_version` is 3, not 1; only version-1 cases can be "
     "migrated [$.schema_version]"),
    ("schema_version: 1\n", 'schema_version: "1"\n',
     'langao-fixture-mini.yaml:3:17: `schema_version` is "1", not 1; only version-1 cases can be '
     "migrated [$.schema_version]"),
    # `true` equals 1 in Python: it was migrated as if it were version 1.
    ("schema_version: 1\n", "schema_version: true\n",
     "langao-fixture-mini.yaml:3:17: `schema_version` is true, not 1; only version-1 cases can be "
     "migrated [$.schema_version]"),
    # No value to point at: the first key, where the field goes (as validate's `required`).
    ("schema_version: 1\n", "",
     "langao-fixture-mini.yaml:3:1: the file has no `schema_version`; only version-1 cases can be "
     "migrated [$]"),
], ids=["3", "quoted-1", "true", "missing"])
def test_a_wrong_schema_version_is_reported_at_its_value(tmp_path, monkeypatch, old, new, message):
    work = _copy("valid", tmp_path)
    monkeypatch.chdir(work)
    path = work / "langao-fixture-mini.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[2] + "\n" == old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = path.read_bytes()
    result = run(path.name)
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == ["langao-fixture-mini.yaml: not migrated, fix these first:",
                                          f"  {message}",
                                          "1 file(s): 0 migrated, 0 already version 2, 1 not migrated"]
    assert path.read_bytes() == before
