"""Hostile source snapshots, folders, numbers and --out (issue 10, review rv10).

Source snapshots (sources/<id>.txt and .yaml) are read with the same safe reader as case
files (load.read_regular): links, FIFOs, devices and folders are refused without being
opened, the text has a size limit, and its encoding is checked. A `cases/` or `sources/`
folder that is a link is refused. Numbers have bounds that every output can hold, and
`export --out` never replaces a folder that is not a data package.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import provenance
from generator.load import read_case

from . import test_untrusted as _untrusted
from .conftest import FIXTURES, VALID
from .test_untrusted import cli_as_nobody

MINI = VALID / "langao-fixture-mini.yaml"
SNAPSHOTS = FIXTURES / "sources"
TXT = "sources/langao-fixture-source.txt"
META = "sources/langao-fixture-source.yaml"
LINE_100 = "    quote: 南宫山镇宏大村的驻村第一书记邹天宁是建行陕西分行派驻的"
NOT_CHECKED = "; its quotes were not checked"


@pytest.fixture
def open_tmp():
    """test_untrusted's `open_tmp` fixture: a temporary folder every user can enter."""
    yield from _untrusted.open_tmp.__wrapped__()


def project(root: Path) -> Path:
    """root/cases with the valid fixture and root/sources with its snapshot."""
    (root / "cases").mkdir(parents=True)
    shutil.copy(MINI, root / "cases")
    (root / "sources").mkdir()
    for name in ("langao-fixture-source.txt", "langao-fixture-source.yaml"):
        shutil.copy(SNAPSHOTS / name, root / "sources" / name)
    return root


def run(work: Path, *args: str, env: dict | None = None) -> tuple[int, list[str]]:
    """`casebook ARGS` in its own process in `work` (a hang fails after 20 s)."""
    done = subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=work,
                          capture_output=True, timeout=20, env={**os.environ, **(env or {})})
    out = (done.stdout + done.stderr).decode("utf-8", errors="replace")
    assert "Traceback" not in out, out
    return done.returncode, out.splitlines()


def replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Snapshots that are not regular files are never opened.

def test_a_snapshot_linked_to_a_secret_file_is_refused_and_never_shown(tmp_path):
    work = project(tmp_path)
    replace_line(work / "cases" / "langao-fixture-mini.yaml", LINE_100, "    quote: root:x:0:0:root:/rooX")
    (work / TXT).unlink()
    (work / TXT).symlink_to("/etc/passwd")
    code, out = run(work, "validate")
    assert code == 1
    assert out == [
        # The person's quote must name the person (rule person-quote): said, not the link's target.
        "cases/langao-fixture-mini.yaml:100:12: the quote does not name 邹天宁: quote the passage of the "
        "source that names this person (a case lists only people its sources name) [$.people[0].quote]",
        f"{TXT}:1:1: is a symbolic link; a source snapshot must be a regular file in the repository "
        f"(links are not followed): put the file itself here{NOT_CHECKED}",
        "1 file(s) checked: 2 error(s) in 2 file(s), 0 warning(s)",
    ]


def test_a_snapshot_linked_to_the_environment_leaks_no_secret(tmp_path):
    work = project(tmp_path)
    replace_line(work / "cases" / "langao-fixture-mini.yaml", LINE_100, "    quote: MY_CI_TOKEN=guessX")
    (work / TXT).unlink()
    (work / TXT).symlink_to("/proc/self/environ")
    for fmt in ("text", "github"):
        code, out = run(work, "validate", "--format", fmt, env={"MY_CI_TOKEN": "s3cr3t-value-123"})
        assert code == 1 and not any("s3cr3t" in line for line in out)
    code, out = run(work, "export", "--out", "out", env={"MY_CI_TOKEN": "s3cr3t-value-123"})
    assert code == 1 and not any("s3cr3t" in line for line in out) and not (work / "out").exists()


@pytest.mark.parametrize(("make", "what"), [
    (os.mkfifo, "is a named pipe (FIFO), not a regular file, and was not opened"),
    (os.mkdir, "is a folder, not a regular file, and was not opened"),
    (lambda p: os.symlink("/dev/zero", p), "is a symbolic link; a source snapshot must be a regular "
     "file in the repository (links are not followed): put the file itself here"),
])
def test_a_snapshot_that_is_a_fifo_folder_or_device_link_is_not_opened(tmp_path, make, what):
    work = project(tmp_path)
    (work / TXT).unlink()
    make(work / TXT)
    code, out = run(work, "validate")
    assert code == 1
    tail = "" if "symbolic" in what else "; a source snapshot must be a regular file"
    assert out[0] == f"{TXT}:1:1: {what}{tail}{NOT_CHECKED}"
    assert len(out) == 2  # one error, no quote reported against an unread text


def test_a_snapshot_metadata_file_that_is_a_fifo_is_named_as_such(tmp_path):
    work = project(tmp_path)
    (work / META).unlink()
    os.mkfifo(work / META)
    code, out = run(work, "validate")
    assert code == 1
    assert out[0] == (f"{META}:1:1: is a named pipe (FIFO), not a regular file, and was not opened; "
                      "a snapshot metadata file must be a regular file")


def test_an_unreadable_snapshot_is_a_located_error_not_a_traceback(open_tmp):
    work = project(open_tmp)
    os.chmod(work / TXT, 0)
    code, out = cli_as_nobody(work, "validate")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{TXT}:1:1: cannot read the file: permission denied; make it readable (e.g. `chmod a+r`) "
        f"or move it out of the sources folder{NOT_CHECKED}")


@pytest.mark.parametrize("mode", [0o300, 0o600, 0])
def test_an_unreadable_sources_folder_is_an_error_not_a_silent_skip(open_tmp, mode):
    work = project(open_tmp)
    os.chmod(work / "sources", mode)
    try:
        code, out = cli_as_nobody(work, "validate")
    finally:
        os.chmod(work / "sources", 0o755)
    assert code == 1
    assert out.splitlines()[0] == (
        "sources:1:1: the snapshot folder cannot be read: permission denied; make it readable "
        "(e.g. `chmod a+rx`), so that quotes can be checked")


def test_a_snapshot_over_the_size_limit_is_refused_before_reading(tmp_path):
    work = project(tmp_path)
    (work / TXT).write_bytes(b"a" * (provenance.MAX_SNAPSHOT_BYTES + 1))
    code, out = run(work, "validate")
    assert code == 1
    assert out[0] == (f"{TXT}:1:1: file is 2,000,001 bytes, over the 2,000,000-byte limit for one "
                      f"snapshot; keep only the article's own text{NOT_CHECKED}")


# ---------------------------------------------------------------------------------------
# Linked folders.

def test_a_sources_folder_that_is_a_link_is_refused(tmp_path):
    work = project(tmp_path / "repo")
    outside = tmp_path / "outside"
    shutil.move(work / "sources", outside)
    (work / "sources").symlink_to(outside, target_is_directory=True)
    code, out = run(work, "validate")
    assert code == 1
    assert out == [
        "sources:1:1: is a symbolic link; the folders holding source snapshots must be real folders "
        "in the repository (links are not followed), so no quote was checked",
        "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)",
    ]


def test_a_cases_folder_that_is_a_link_is_refused(tmp_path):
    work = tmp_path / "repo"
    work.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("SECRET_KEY_IN_YAML: 1\n", encoding="utf-8")
    (work / "cases").symlink_to(outside, target_is_directory=True)
    code, out = run(work, "validate")
    assert code == 1
    assert out[0] == ("cases:1:1: is a symbolic link to a folder; the cases folder must be a real "
                      "folder in the repository (links are not followed): put the files themselves here")
    code, out = run(work, "validate", "cases/secret.yaml")
    assert code == 1
    assert out[0] == ("cases/secret.yaml:1:1: its folder cases is a symbolic link; folders in the "
                      "repository must be real folders (links are not followed), so the file was not read")
    assert not any("SECRET" in line for line in out)


def test_one_file_named_by_two_paths_is_read_once(tmp_path):
    work = project(tmp_path)
    code, out = run(work, "validate", "cases/langao-fixture-mini.yaml",
                    "cases/../cases/langao-fixture-mini.yaml")
    assert code == 0 and not any("already used" in line for line in out)
    assert out[-1] == "1 file(s) checked: all valid, 3 warning(s) (advice; they do not fail)"


# ---------------------------------------------------------------------------------------
# Snapshot encodings.

def test_a_byte_that_is_not_utf8_is_reported_at_its_line_and_column(tmp_path):
    work = project(tmp_path)
    with open(work / TXT, "ab") as f:
        f.write(b"\xe9")
    code, out = run(work, "validate")
    assert code == 1
    assert out[0] == (f"{TXT}:59:8: snapshot is not valid UTF-8 (byte 0xe9); save it with UTF-8 "
                      "encoding (GBK/GB2312 files must be converted)")


@pytest.mark.parametrize(("encode", "name"), [
    (lambda t: t.encode("utf-16-le"), "UTF-16 (little-endian), without a byte-order mark"),
    (lambda t: t.encode("utf-16-be"), "UTF-16 (big-endian), without a byte-order mark"),
    (lambda t: t.encode("utf-16"), "UTF-16 (little-endian, with a byte-order mark)"),
    (lambda t: b"", None),
    (lambda t: b"\xef\xbb\xbf" + t.encode(), "BOM"),
])
def test_utf16_empty_and_bom_snapshots_are_named(tmp_path, encode, name):
    work = project(tmp_path)
    (work / TXT).write_bytes(encode((work / TXT).read_text(encoding="utf-8")))
    code, out = run(work, "validate")
    assert code == 1
    first = {
        None: "snapshot is empty; paste the article's text into it (see sources/README.md)",
        "BOM": "snapshot starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
    }.get(name, f"snapshot is encoded as {name}; save it as UTF-8 (without BOM)")
    assert out[0] == f"{TXT}:1:1: {first}"
    assert not any("quote-not-in-source" in line or "comes close" in line for line in out)


# ---------------------------------------------------------------------------------------
# The nearest passage is found with bounded work.

def test_forty_wrong_quotes_against_a_two_megabyte_snapshot_take_little_time(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    random.seed(1)
    chars = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对"
             "成会可主发年动同工也能下过子说产种")
    text = "".join(random.choice(chars) for _ in range(666_000))  # 1,998,000 bytes
    work = project(tmp_path)
    (work / TXT).write_text(text, encoding="utf-8")
    data = read_case(work / "cases" / "langao-fixture-mini.yaml").data
    data["people"] = [{**data["people"][0], "quote": "".join(random.choice(chars) for _ in range(300))}
                      for _ in range(20)]
    near = text[333_000:333_300]  # characters (3 bytes each), in the middle of the copy
    data["people"] += [{**data["people"][0], "quote": near[:150] + "X" + near[151:]} for _ in range(20)]
    start = time.perf_counter()
    findings, _ = provenance.case_findings(0, work / "cases" / "langao-fixture-mini.yaml", data)
    assert time.perf_counter() - start < 5
    messages = [f.message for f in findings if f.rule == "quote-not-in-source"]
    assert len(messages) == len(data["people"]) + 5  # and the fixture's other quotes
    shown = [m for m in messages if "nearest passage: " in m or "comes close" in m]
    assert len(shown) == provenance.MAX_NEAREST
    assert messages[-1] == ("the quote is not in sources/langao-fixture-source.txt, the stored copy of "
                            "its source (the nearest passage is shown for the first 10 such quotes of a "
                            "case); copy the quote again from the source, character for character")


def test_the_nearest_passage_is_found_in_a_large_snapshot(tmp_path):
    random.seed(2)
    chars = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对"
             "成会可主发年动同工也能下过子说产种")
    text = "".join(random.choice(chars) for _ in range(600_000))
    snap = provenance.Snapshot("x", Path("sources/x.txt"), Path("sources/x.yaml"), text, {}, "")
    quote = text[400_000:400_060] + "X" + text[400_061:400_120]
    start = time.perf_counter()
    message = provenance._mismatch(quote, snap)
    assert time.perf_counter() - start < 1
    assert f"the quote has “X” where the source has “{text[400_060]}”" in message


# ---------------------------------------------------------------------------------------
# Numbers: bounds every output holds; no silent rounding.

@pytest.mark.parametrize(("line", "written", "message"), [
    (51, "        count: 1e19",
     "`count` must be at most 1000000000000000, not 1e+19 [$.models[0].terms[1].count]"),
    (51, "        count: 9.3e18",
     "`count` must be at most 1000000000000000, not 9.3e+18 [$.models[0].terms[1].count]"),
    (51, "        count: 1e300",
     "`count` must be at most 1000000000000000, not 1e+300 [$.models[0].terms[1].count]"),
    (51, "        count: 1.0e+16",
     "`count` must be at most 1000000000000000, not 1e+16 [$.models[0].terms[1].count]"),
    (51, "        count: 12345678901234567890.0",
     "the number 12345678901234567890.0 has 19 significant digits, more than the 15 a case allows "
     "(spreadsheets keep no more; it would silently be stored as 1.2345678901234567e+19); check the value"),
    (83, "    value: 2.99999999999999999",
     "the number 2.99999999999999999 has 18 significant digits, more than the 15 a case allows "
     "(spreadsheets keep no more; it would silently be stored as 3.0); check the value"),
])
def test_numbers_outside_the_bounds_are_refused_at_their_line(tmp_path, line, written, message):
    work = project(tmp_path)
    case = work / "cases" / "langao-fixture-mini.yaml"
    lines = case.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = written
    case.write_text("\n".join(lines), encoding="utf-8")
    code, out = run(work, "validate")
    assert code == 1
    col = len(written) - len(written.lstrip()) + len(written.split(":")[0].strip()) + 3
    assert out[0] == f"cases/langao-fixture-mini.yaml:{line}:{col}: {message}"


def test_the_largest_number_validate_accepts_is_exported_to_every_format(tmp_path):
    import sqlite3

    from generator.export import export_package
    from generator.validate import validate_paths

    work = project(tmp_path)
    replace_line(work / "cases" / "langao-fixture-mini.yaml", "        count: 12\n", "        count: 1e15\n")
    replace_line(work / "cases" / "langao-fixture-mini.yaml", "        count: 1\n",
                 "        count: 999999999999999\n")
    report = validate_paths([work / "cases"])
    assert report.ok
    export_package(report.cases, tmp_path / "out")
    with sqlite3.connect(tmp_path / "out" / "casebook.sqlite") as db:
        counts = sorted(row[0] for row in db.execute("SELECT count FROM model_terms WHERE count IS NOT NULL"))
    assert counts == [999999999999999, 1e15]


# ---------------------------------------------------------------------------------------
# export --out never replaces the project's own folders or a folder that is not a package.

def _release_project(root: Path) -> Path:
    from .conftest import ROOT

    work = project(root)
    for name in ("DATA_VERSION", "CITATION.cff", "CHANGELOG.md"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "schema", work / "schema")
    return work


def test_export_out_refuses_the_projects_own_folders(tmp_path):
    work = _release_project(tmp_path / "repo")
    (work / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    before = sorted(str(p.relative_to(work)) for p in work.rglob("*"))
    tail = "and the data package replaces its folder as a whole; use a folder of its own, e.g. build/data"
    for out, why in [
        ("cases", "is the project's cases/ folder,"), ("sources", "is the project's sources/ folder,"),
        ("schema", "is the project's schema/ folder,"),
        ("cases/pkg", "is inside the project's cases/ folder,"),
        (".", "is the project folder or holds it,"), (str(work), "is the project folder or holds it,"),
        (str(tmp_path), "is the project folder or holds it,"),
    ]:
        code, lines = run(work, "export", "--out", out)
        assert (code, lines) == (2, [f"Error: cannot export to {out}: it {why} {tail}"]), out
    code, lines = run(work, "build", "--data-out", "sources")
    assert (code, lines) == (
        2, [f"Error: cannot export to sources: it is the project's sources/ folder, {tail}"])
    assert sorted(str(p.relative_to(work)) for p in work.rglob("*")) == before


def test_export_out_replaces_only_a_previous_data_package(tmp_path):
    work = _release_project(tmp_path / "repo")
    (work / "notes").mkdir()
    (work / "notes" / "mine.txt").write_text("keep me", encoding="utf-8")
    code, lines = run(work, "export", "--out", "notes")
    assert (code, lines) == (2, [
        "Error: cannot export to notes: the folder exists and is not a data package written by casebook "
        "export (it has no datapackage.json of the casebook), and it would be replaced as a whole; choose "
        "another folder, or empty it first"])
    assert (work / "notes" / "mine.txt").read_text(encoding="utf-8") == "keep me"
    (work / "empty").mkdir()
    assert run(work, "export", "--out", "empty")[0] == 0  # an empty folder loses nothing
    assert run(work, "export", "--out", "empty")[0] == 0  # a previous package is replaced
    (work / "empty" / "my-analysis.R").write_text("x", encoding="utf-8")
    code, lines = run(work, "export", "--out", "empty")
    assert (code, lines) == (2, [
        "Error: cannot export to empty: it holds 'my-analysis.R', which is not a file of the data package, "
        "and the folder would be replaced as a whole; move it out, or choose another folder"])
    assert (work / "empty" / "my-analysis.R").exists() and (work / "empty" / "datapackage.json").exists()


def test_an_empty_snapshot_metadata_file_gets_snapshot_advice(tmp_path):
    work = project(tmp_path)
    (work / META).write_bytes(b"")
    code, out = run(work, "validate")
    assert code == 1
    assert out[0] == (f"{META}:1:1: snapshot metadata file is empty; add `cleaning:`, `sha256: "
                      "4c64f447190c92f2114ba5e74a525e8bdf42b36e8ef10fdb6031cab2e7333172` and the title as "
                      "printed or `title_visible: false` (see sources/README.md)")


# ---------------------------------------------------------------------------------------
# Smaller kinds: exit codes, echoed input, invisible and IME characters, unclosed quotes,
# folders in cases/, wrong advice, xlsx escapes.

def test_an_unreadable_case_named_on_the_command_line_is_bad_data_exit_1(open_tmp):
    work = project(open_tmp)
    os.chmod(work / "cases" / "langao-fixture-mini.yaml", 0)
    code, out = cli_as_nobody(work, "validate", "cases/langao-fixture-mini.yaml")
    assert code == 1
    assert out.splitlines()[0] == (
        "cases/langao-fixture-mini.yaml:1:1: cannot read the file: permission denied; make it readable "
        "(e.g. `chmod a+r`) or move it out of the cases folder")


def test_casebook_new_escapes_what_it_echoes(tmp_path):
    (tmp_path / "cases").mkdir()
    code, out = run(tmp_path, "new", "ab\x1b[31mcd\x07")
    assert code == 2 and out[-1].startswith("Error: 'ab\\x1b[31mcd\\x07' is not a valid case id")
    code, out = run(tmp_path, "new", "ab\u202ecd")
    assert code == 2 and out[-1].startswith("Error: 'ab\\u202ecd' is not a valid case id")
    code, out = run(tmp_path, "new", "--dir", "x\x1b[31m\u202e", "langao-zz")
    assert code == 2 and out[-1] == ("Error: there is no x\\x1b[31m\\u202e/ folder here; run from the "
                                     "repository root or pass --dir")


def _mini_with(tmp_path: Path, change) -> Path:
    work = tmp_path / "w"
    (work / "cases").mkdir(parents=True)
    text = MINI.read_text(encoding="utf-8")
    (work / "cases" / "langao-fixture-mini.yaml").write_text(change(text), encoding="utf-8")
    return work


def test_bom_and_zero_width_characters_inside_text_are_warned_at_their_place(tmp_path):
    work = _mini_with(tmp_path, lambda t: t.replace("title: 岚皋", "title: 岚皋\ufeff", 1).replace(
        'title_en: "Langao', 'title_en: "La\\u200bngao', 1).replace(
        "    quote: 帮销", "    quote: 帮\u200b销", 1))
    code, out = run(work, "validate")
    assert code == 0  # warnings: no snapshot here, so the quote is not checked
    shown = [line for line in out if "invisible" in line]
    assert shown == [
        "cases/langao-fixture-mini.yaml:5:10: warning: U+FEFF (byte-order mark, zero width no-break space) "
        "here is invisible: the text looks the same without it, but a search or a quote check does not "
        "match; delete it",
        "cases/langao-fixture-mini.yaml:6:11: warning: an escape in this double-quoted text writes U+200B "
        "(zero width space), which is invisible: the text looks the same without it, but a search or a "
        "quote check does not match; delete the escape",
        "cases/langao-fixture-mini.yaml:79:13: warning: U+200B (zero width space) here is invisible: the "
        "text looks the same without it, but a search or a quote check does not match; delete it",
    ]
    work = _mini_with(tmp_path / "2", lambda t: t.replace("title: 岚皋", "title: 岚皋\u200b", 1))
    code, out = run(work, "validate")
    assert code == 0 and out[0] == (
        "cases/langao-fixture-mini.yaml:5:10: warning: U+200B (zero width space) here is invisible: the "
        "text looks the same without it, but a search or a quote check does not match; delete it")


@pytest.mark.parametrize(("change", "where", "message"), [
    (lambda t: t.replace("\n  county: ", "\n\u3000county: ", 1), "18:1",
     "U+3000 (ideographic space, a full-width space) in the indentation; indent with ASCII spaces"),
    (lambda t: t.replace("\n  county: ", "\n\u00a0 county: ", 1), "18:1",
     "U+00A0 (no-break space) in the indentation; indent with ASCII spaces"),
    (lambda t: t.replace("\nscope: ", "\nscope： ", 1), "21:6",
     "a full-width colon ： after `scope`; use an ASCII colon : followed by a space"),
    (lambda t: t + 'notes: "abc\n', "110:8",
     'YAML syntax error: the quoted text opened here is not closed: the file ends (line 111) before its '
     'closing quote "'),
    (lambda t: t + "notes: [a, b\n", "110:8",
     "YAML syntax error: the list in brackets [ ] opened here is not closed: the file ends (line 111) "
     "before its closing bracket ]"),
])
def test_ime_characters_and_unclosed_quotes_are_reported_where_they_are(tmp_path, change, where, message):
    code, out = run(_mini_with(tmp_path, change), "validate")
    assert code == 1
    assert out[0] == f"cases/langao-fixture-mini.yaml:{where}: {message}"


def test_a_folder_named_like_a_case_and_an_empty_cases_folder_are_reported(tmp_path):
    (tmp_path / "cases").mkdir()
    code, out = run(tmp_path, "validate")
    assert (code, out) == (1, ["cases:1:1: no case files found (.yaml or .yml); add one with "
                               "`casebook new <id>`"])
    code, out = run(tmp_path, "validate", "--format", "github")
    assert (code, out) == (1, ["::error file=cases,line=1,col=1,title=empty-folder::no case files found "
                               "(.yaml or .yml); add one with `casebook new <id>`"])
    (tmp_path / "cases" / "dir.yaml").mkdir()
    code, out = run(tmp_path, "validate")
    assert code == 1 and out[0] == (
        "cases/dir.yaml:1:1: is a folder named like a case file, not a case file; a case file must be a "
        "regular file: rename the folder (the files in it are checked on their own)")


@pytest.mark.parametrize("name", ["-h", "中文", "Langao-X"])
def test_a_file_name_that_is_no_valid_id_is_not_suggested_as_the_id(tmp_path, name):
    shutil.copy(MINI, tmp_path / f"{name}.yaml")
    code, out = run(tmp_path, "validate", "--", f"{name}.yaml")
    assert code == 1
    assert f"{name}.yaml:4:5: id 'langao-fixture-mini' must equal the file name; rename the file to " \
           "langao-fixture-mini.yaml [$.id]" in out


def test_an_ooxml_escape_look_alike_is_shown_in_excel_as_written():
    from openpyxl import load_workbook
    from openpyxl.utils.escape import unescape

    from generator.export import package_files
    from generator.formats import XLSX_NAME
    from generator.validate import validate_paths

    report = validate_paths([VALID])
    (case,) = [c for c in report.cases if c.path.name == "langao-fixture-mini.yaml"]
    written = "a_x0041_b_x001B_c _x0041_x0042_ _x00"
    case.data["title_en"] = written
    case.derived = None
    import io

    files = package_files([case])
    sheet = load_workbook(io.BytesIO(files[XLSX_NAME]))["cases"]
    header = [c.value for c in sheet[1]]
    stored = sheet.cell(row=2, column=header.index("title_en") + 1).value
    assert stored == "a_x005F_x0041_b_x005F_x001B_c _x005F_x0041_x005F_x0042_ _x00"
    assert unescape(stored) == written  # what Excel shows (it decodes _xHHHH_)


@pytest.mark.parametrize(("change", "where", "message"), [
    (lambda t: "...\n", "1:1", "file is empty (only document markers `---`/`...` and comments); start from "
     "`casebook new <id>` for a filled-in skeleton"),
    (lambda t: t.replace("\nscope: ", "\n" + "k" * 1100 + ": x\nscope: ", 1), "21:1",
     "YAML syntax error: a key longer than 1,024 characters (YAML does not read a longer plain key); "
     "field names are short words: check for a missing line break or `:`"),
    (lambda t: t.replace("\n  province: 陕西省", '\n  province: ""', 1), "16:13",
     '`province` must not be empty; e.g. `province: "陕西省"` [$.place.province]'),
])
def test_messages_say_what_is_wrong_once(tmp_path, change, where, message):
    code, out = run(_mini_with(tmp_path, change), "validate")
    assert code == 1
    assert out == [f"cases/langao-fixture-mini.yaml:{where}: {message}",
                   "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)"]


def test_a_problem_of_the_sources_folder_is_reported_once_for_all_cases(tmp_path):
    work = project(tmp_path / "repo")
    text = (work / "cases" / "langao-fixture-mini.yaml").read_text(encoding="utf-8")
    other = text.replace("id: langao-fixture-mini", "id: langao-fixture-minb", 1).replace(
        "id: langao-fixture-source", "id: langao-fixture-sourcb", 1).replace(
        "source: langao-fixture-source", "source: langao-fixture-sourcb").replace(
        "langao-fixture-1-12-x", "langao-fixture-1-12-y")
    (work / "cases" / "langao-fixture-minb.yaml").write_text(other, encoding="utf-8")
    shutil.move(work / "sources", tmp_path / "outside")
    (work / "sources").symlink_to(tmp_path / "outside", target_is_directory=True)
    code, out = run(work, "validate")
    assert code == 1
    assert [line for line in out if "warning:" not in line] == [
        "sources:1:1: is a symbolic link; the folders holding source snapshots must be real folders "
        "in the repository (links are not followed), so no quote was checked",
        "2 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)",
    ]


def test_checking_the_folder_does_not_read_its_names(tmp_path, monkeypatch):
    # Once per source: reading every name made validation quadratic in the collection
    # (146 ms a source at 40,000 snapshots; benchmarks/synth.py found it).
    work = project(tmp_path)
    real = os.scandir

    class Opened:
        def __init__(self, path):
            self.inner = real(path)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.inner.close()

        def __iter__(self):
            raise AssertionError("the folder's names were read")

    monkeypatch.setattr(provenance.os, "scandir", Opened)
    monkeypatch.setattr(provenance.os, "listdir", Opened.__iter__)
    assert provenance.folder_problem(work / "sources") is None
