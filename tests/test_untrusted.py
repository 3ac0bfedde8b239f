"""Hostile case files (issue 10, part A): every read failure is one located line, never a
traceback or a hang; lines are counted as editors count them; inf/NaN are never data;
what reaches the terminal is escaped; only regular `.yaml`/`.yml` files in cases/ are read.

The examples in tests/fixtures/untrusted/<name>/ are copies of ../shared/review/untrusted/
(its README: `cases_X.yaml` goes to `cases/X.yaml`; `expect.json` says what must happen;
`expected.txt`, added here, holds the exact lines printed for the hostile file). The other
tests are inputs of the same kinds that the examples do not show.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.load import MAX_DEPTH, MAX_DIGITS, discover, read_case, text_position
from generator.report import UNSAFE, escape, format_problem
from generator.validate import validate_paths

from .conftest import FIXTURES, INVALID, ROOT, VALID

UNTRUSTED = FIXTURES / "untrusted"
# The README's base case (schema version 1): the positions below are in it. Errors of these
# kinds come from reading, before the schema, so they do not depend on its version.
BASE = UNTRUSTED / "fifo-explicit" / "cases_langao-fixture-mini.yaml"
# The examples of this part's kinds (the others, e.g. URLs and ids, are tested with theirs).
MINE = [
    "raw-nul", "raw-esc", "deep-flow-seq-10k", "depth-500", "huge-int-5000-digits",
    "tag-int-sexagesimal", "unreadable-chmod000", "fifo-explicit", "esc-ansi-key",
    "filename-newline-ansi", "symlink-secret-yaml", "float-1e400-value", "tag-float-nan-lat",
    "filename-upper-ext", "symlink-outside-valid", "u2028-plain-title", "esc-nul-quoted",
    "01-control-char-in-quote", "02-u2028-line-separator", "10-float-overflow-1e400",
]
EXIT = {"fail": {1}, "refuse": {1, 2}, "pass": {0}, "either": {0, 1}}
NOBODY = 65534


def layout(example: Path, root: Path) -> tuple[Path, dict]:
    """Lay an example out as its README says, in root/repo (root/outside for link targets)."""
    spec = json.loads((example / "expect.json").read_text(encoding="utf-8"))
    work, outside = root / "repo", root / "outside"
    (work / "cases").mkdir(parents=True)
    outside.mkdir()
    for f in example.iterdir():
        if f.name.startswith("cases_"):
            shutil.copyfile(f, work / "cases" / f.name.removeprefix("cases_"))
    setup, args = spec.get("setup"), spec.get("setup_args") or {}
    if setup == "place":
        for dest, src in args["files"].items():
            (work / dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(example / src, work / dest)
    elif setup == "symlink":
        for name, src in args["outside_files"].items():
            shutil.copyfile(example / src, outside / name)
        (work / args["link"]).symlink_to(args["target"].replace("@OUTSIDE@", str(outside)))
    elif setup == "fifo":
        (work / args["path"]).unlink(missing_ok=True)
        os.mkfifo(work / args["path"])
    elif setup == "chmod000":
        os.chmod(work / args["path"], 0)
    return work, spec


def cli(work: Path, *args: str) -> tuple[int, str]:
    """Run `casebook ARGS` in its own process in `work` (a hang fails after 20 s)."""
    done = subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=work,
                          capture_output=True, timeout=20)
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", errors="replace")


@pytest.fixture
def open_tmp():
    """A temporary folder every user can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="casebook-untrusted-"))
    os.chmod(folder, 0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)
    shutil.rmtree(folder)


def cli_as_nobody(work: Path, *args: str) -> tuple[int, str]:
    """Run the CLI in a forked child as an unprivileged user (root reads a chmod 000 file).

    `work` must be in a folder that user can enter (see `open_tmp`).
    """
    if os.geteuid() != 0:
        return invoke(work, *args)
    invoke(work, *args)  # imports and caches everything first: the child cannot read /root
    for folder in (work, *work.parents[:2]):
        if folder.stat().st_uid == 0:
            os.chmod(folder, folder.stat().st_mode | 0o055)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(read)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            code, out = invoke(work, *args)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            code, out = 99, f"child failed: {exc!r}"
        try:
            os.write(write, json.dumps([code, out]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    code, out = json.loads(data)
    return code, out


def invoke(work: Path, *args: str) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def assert_clean(code: int, out: str, allowed: set[int] = frozenset({0, 1, 2})) -> None:
    assert code in allowed, out
    assert "Traceback" not in out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", out), out


@pytest.mark.parametrize("name", MINE)
def test_example(name, open_tmp):
    example = UNTRUSTED / name
    work, spec = layout(example, open_tmp)
    # In this process (faster), except what could hang (a FIFO) or needs another user.
    run = {"chmod000": cli_as_nobody, "fifo": cli}.get(spec.get("setup"), invoke)
    code, out = run(work, *spec["cmd"])
    assert_clean(code, out, EXIT[spec["must"]])
    for text in spec["no_echo"]:
        assert text not in out
    if name == "filename-newline-ansi":  # its content fails the schema: see the test below
        return
    lines = out.splitlines()
    expected = (example / "expected.txt").read_text(encoding="utf-8").splitlines()
    # Only the hostile file's lines: another, valid file follows the schema of the day.
    paths = {line.split(":", 1)[0] for line in expected}
    assert [line for line in lines if line.split(":", 1)[0] in paths] == expected
    wanted = spec["line"] if isinstance(spec["line"], list) else [spec["line"]]
    if spec["line"] is not None:
        assert any(int(line.split(":")[1]) in wanted for line in expected)


def test_file_name_with_newline_and_escapes_is_one_escaped_line(tmp_path):
    work, spec = layout(UNTRUSTED / "filename-newline-ansi", tmp_path)
    for fmt in ("text", "github"):
        code, out = cli(work, "validate", "--format", fmt, "cases")
        assert_clean(code, out, {1})
        evil = r"cases/evil\n\x1b[32mcases/ok.yaml:1:1: fine\x1b[0m.yaml"
        lines = out.splitlines()
        if fmt == "text":
            about = [line for line in lines if line.startswith(evil + ":")]
            known = ("cases/langao-fixture-mini.yaml:", evil + ":")
            others = [line for line in lines if not line.startswith(known)]
            assert about and others == [lines[-1]]  # the summary
            assert about[0].startswith(evil + ":1:1: ")
        else:
            assert all(line.startswith("::") for line in lines)
            assert any(r"file=cases/evil\n\x1b[32mcases/ok.yaml%3A1%3A1%3A fine" in line for line in lines)
        assert "\ncases/ok.yaml:1:1" not in out


# ---------------------------------------------------------------------------------------
# Held-out kinds: characters.

def case_with(tmp_path: Path, *edits: tuple[str, str], name: str = "langao-fixture-mini.yaml",
              crlf: bool = False) -> Path:
    """cases/NAME: the base case with each (old, new) replaced once."""
    text = BASE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    if crlf:
        text = text.replace("\n", "\r\n")
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return folder


def lines_of(folder: Path, fmt: str = "text") -> list[str]:
    return [format_problem(p, fmt) for p in validate_paths([folder]).problems]


HEADLINE = "headline: 第一书记按特长组成跨镇服务队，一人一资源、全团共享"
CHAR_CASES = [
    ("\x08", "7:11: control character U+0008 (backspace) is not allowed in a case file; delete it "
             "(it is invisible, and usually comes from copied text)"),
    ("\x7f", "7:11: control character U+007F (delete) is not allowed in a case file; delete it "
             "(it is invisible, and usually comes from copied text)"),
    ("\x0c", "7:11: control character U+000C (form feed) is not allowed in a case file; delete it "
             "(it is invisible, and usually comes from copied text)"),
    ("\x96", "7:11: control character U+0096 (start of guarded area) is not allowed in a case "
             "file; it is often a Windows-1252 quote or dash that was converted wrongly: retype "
             "that character"),
    ("\x9b", "7:11: control character U+009B (control sequence introducer) is not allowed in a "
             "case file; it is often a Windows-1252 quote or dash that was converted wrongly: "
             "retype that character"),
    ("\ufffe", "7:11: U+FFFE (a Unicode noncharacter) is not text; delete it"),
    ("\uffff", "7:11: U+FFFF (a Unicode noncharacter) is not text; delete it"),
    ("\ufdd0", "7:11: U+FDD0 (a Unicode noncharacter) is not text; delete it"),
    ("\U0010ffff", "7:11: U+10FFFF (a Unicode noncharacter) is not text; delete it"),
    ("\u2029", "7:11: U+2029 (paragraph separator) is not allowed: YAML 1.1 reads it as a line "
               "break but editors do not, so lines (and comments) would be read wrongly; replace "
               "it with a normal line break or delete it (it usually comes from text pasted from a "
               "web page)"),
    ("\x85", "7:11: U+0085 (next line, NEL) is not allowed: YAML 1.1 reads it as a line break but "
             "editors do not, so lines (and comments) would be read wrongly; replace it with a "
             "normal line break or delete it (it usually comes from text pasted from a web page)"),
]


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize(("char", "want"), CHAR_CASES, ids=[f"U+{ord(c):04X}" for c, _ in CHAR_CASES])
def test_raw_character_is_named_at_its_line_and_column(tmp_path, char, want, crlf):
    folder = case_with(tmp_path, (HEADLINE, "headline: " + char + HEADLINE[10:]), crlf=crlf)
    got = validate_paths([folder]).problems
    where, message = want.split(": ", 1)
    assert [(f"{p.line}:{p.col}", p.message) for p in got] == [(where, message)]


def test_nel_inside_a_comment_is_reported_not_uncommented(tmp_path):
    # PyYAML would end the comment at the NEL and read `id: injected` as a duplicate key.
    folder = case_with(tmp_path, ("# A trimmed copy", "# note\x85id: injected\n# A trimmed copy"))
    got = validate_paths([folder]).problems
    assert [(p.line, p.col, p.rule) for p in got] == [(2, 7, "character")]
    assert got[0].message.startswith("U+0085 (next line, NEL) is not allowed")


def test_u2029_in_a_double_quoted_string_and_every_later_line_stays_put(tmp_path):
    folder = case_with(tmp_path, ('title_en: "Langao County', 'title_en: "Lan\u2029gao County'),
                       ("    unit: cny", "    unit: c\u2028ny"))
    got = validate_paths([folder]).problems
    assert [(p.line, p.col) for p in got] == [(6, 15), (72, 12)]
    assert all(p.message.startswith(("U+2029 (paragraph separator)", "U+2028 (line separator)"))
               for p in got)


def test_many_bad_characters_are_capped(tmp_path):
    folder = case_with(tmp_path, (HEADLINE, HEADLINE + "\x01" * 80))
    got = validate_paths([folder]).problems
    assert len(got) == 51
    assert got[-1].message == ("and 30 more such characters from here on; was the file saved in "
                               "another encoding?")


ESCAPES = [
    (r"\e[31m", "U+001B (escape)"), (r"\x1b", "U+001B (escape)"), (r"\0", "U+0000 (null)"),
    (r"\a", "U+0007 (bell)"), (r"\u0007", "U+0007 (bell)"), (r"\r", "U+000D (carriage return)"),
    (r"\N", "U+0085 (next line, NEL)"), (r"\L", "U+2028 (line separator)"),
    (r"\P", "U+2029 (paragraph separator)"), (r"\x9b", "U+009B (control sequence introducer)"),
    (r"\uFFFE", "U+FFFE (a Unicode noncharacter)"), (r"\U0010FFFF", "U+10FFFF (a Unicode noncharacter)"),
]


@pytest.mark.parametrize(("escape_text", "named"), ESCAPES, ids=[e for e, _ in ESCAPES])
def test_escape_in_double_quotes_is_named_at_the_backslash(tmp_path, escape_text, named):
    written = escape_text if escape_text != r"\e[31m" else r"\e"
    folder = case_with(tmp_path, (HEADLINE, f'headline: "第一书记{escape_text}按"'))
    got = validate_paths([folder]).problems
    assert [(p.line, p.col, p.rule) for p in got] == [(7, 16, "character")]
    assert got[0].message == (f"the escape `{written}` in double-quoted text writes {named}, which "
                              "is not allowed in a case file; delete it")


def test_escape_on_a_later_line_of_a_quoted_string_and_in_a_key(tmp_path):
    folder = case_with(tmp_path, (HEADLINE, 'headline: "第一书记\n  \\t按特色\\e"'))
    assert [(p.line, p.col) for p in validate_paths([folder]).problems] == [(8, 8)]
    folder = case_with(tmp_path, (HEADLINE, '"a\\x07b": 1\n' + HEADLINE))
    assert [(p.line, p.col) for p in validate_paths([folder]).problems] == [(7, 3)]


def test_tabs_newlines_and_ordinary_escapes_stay_allowed(tmp_path):
    case = read_case_text(tmp_path, 'a: "x\\ty\\nz \\u00e9 \\" \\\\"\nb: \'it\'\'s\'\n')
    assert case.problems == [] and case.data == {"a": 'x\ty\nz é " \\', "b": "it's"}


def read_case_text(tmp_path: Path, text: str, name: str = "x.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return read_case(path)


def test_encodings(tmp_path):
    text = BASE.read_text(encoding="utf-8")
    without = "without a byte-order mark"
    cases = {
        "utf-16-le-bom": (b"\xff\xfe" + text.encode("utf-16-le"),
                          "file is encoded as UTF-16 (little-endian, with a byte-order mark)"),
        "utf-16-be": (text.encode("utf-16-be"), f"file is encoded as UTF-16 (big-endian), {without}"),
        "utf-16-le": (text.encode("utf-16-le"), f"file is encoded as UTF-16 (little-endian), {without}"),
        "utf-32-le": (text.encode("utf-32-le"), f"file is encoded as UTF-32 (little-endian), {without}"),
    }
    for name, (raw, message) in cases.items():
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(raw)
        got = read_case(path).problems
        assert [(p.line, p.col, p.message) for p in got] == [
            (1, 1, f"{message}; save it as UTF-8 (without BOM)")], name
    surrogate = tmp_path / "surrogate.yaml"
    surrogate.write_bytes(b"a: 1\nb: x\xed\xa0\x80y\n")
    got = read_case(surrogate).problems
    assert [(p.line, p.col, p.message) for p in got] == [
        (2, 5, "file holds U+D800 (a lone surrogate, half of a UTF-16 pair), which UTF-8 does not "
               "allow; delete it or retype the character")]
    leading_nul = read_case_text(tmp_path, "\x00a: 1\n", "nul.yaml").problems
    assert [(p.line, p.col, p.rule) for p in leading_nul] == [(1, 1, "character")]


def test_crlf_and_lone_cr_give_the_same_positions_as_lf(tmp_path):
    for rule in ("vocabulary", "metric-value", "yaml-syntax", "duplicate-key"):
        source = next((INVALID / rule).glob("*.yaml"))
        lf, crlf = tmp_path / "lf" / rule, tmp_path / "crlf" / rule
        lf.mkdir(parents=True)
        crlf.mkdir(parents=True)
        raw = source.read_bytes()
        (lf / source.name).write_bytes(raw)
        (crlf / source.name).write_bytes(raw.replace(b"\n", b"\r\n"))
        want = [(p.line, p.col, p.message) for p in validate_paths([lf]).problems]
        assert want and [(p.line, p.col, p.message) for p in validate_paths([crlf]).problems] == want
    assert text_position("a\r\nb\rc\nd\u2028e", 9) == (4, 3)


# ---------------------------------------------------------------------------------------
# Held-out kinds: depth and numbers.

def test_400_levels_of_block_mappings(tmp_path):
    deep = "".join(f"{'  ' * i}k{i}:\n" for i in range(400)) + "  " * 400 + "x: 1\n"
    case = read_case_text(tmp_path, deep)
    assert [(p.line, p.col, p.rule) for p in case.problems] == [(65, 129, "depth")]
    assert case.problems[0].message == (
        f"lists and mappings are nested more than {MAX_DEPTH} deep here; a case needs only a few "
        "levels: check the brackets and indentation")


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "a: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
    "a: " + "[a: " * 5_000 + "1" + "]" * 5_000 + "\n",
    "".join("  " * i + "- " + "\n" for i in range(300)),
    "a: " + "[" * 100_000 + "\n",  # unclosed
], ids=["flow-100k", "flow-maps", "flow-pairs", "block-seqs", "unclosed"])
def test_deep_nesting_never_recurses(tmp_path, text):
    case = read_case_text(tmp_path, text)
    assert [p.rule for p in case.problems] == ["depth"]


def test_nesting_at_the_limit_is_read(tmp_path):
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert read_case_text(tmp_path, text).problems == []
    text = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert [(p.line, p.col) for p in read_case_text(tmp_path, text).problems] == [(1, 3 + MAX_DEPTH)]


NUMBERS = [
    ("-" + "9" * 10_000, "this whole number has 10,000 digits, more than the 15 a case allows "
                         "(spreadsheets keep no more); check the value"),
    ("1" * (MAX_DIGITS + 1), "this whole number has 16 digits, more than the 15 a case allows "
                             "(spreadsheets keep no more); check the value"),
    ("-1e400", "the number -1e400 is too large: it overflows to infinity (the largest number is "
               "about 1.8e308); check the value"),
    ("1" + "0" * 400 + ".5", "the number 100000000000…0000.5 (403 characters) is too large: it "
                             "overflows to infinity (the largest number is about 1.8e308); check the value"),
    ("1e-400", "the number 1e-400 is too close to 0: it would silently become 0 (the smallest is "
               "about 5e-324); check the value"),
    ("!!float .inf", "`!!float .inf`: NaN and infinity are not data; write the number the source "
                     "gives, or leave the field out"),
    ("!!float -.Inf", "`!!float -.Inf`: NaN and infinity are not data; write the number the "
                      "source gives, or leave the field out"),
    ("!!float .NaN", "`!!float .NaN`: NaN and infinity are not data; write the number the source "
                     "gives, or leave the field out"),
    ("!!int 0x1F", "`!!int 0x1F` is not a plain decimal number; YAML 1.1 forms (base 60 such as "
                   "1:30, hex 0x1F, octal 012 or 0o17, 1_000) are not converted: write the number "
                   "in decimal digits without the tag, or drop the tag to keep it as text"),
    ("!!int 1:30", "`!!int 1:30` is not a plain decimal number; YAML 1.1 forms (base 60 such as "
                   "1:30, hex 0x1F, octal 012 or 0o17, 1_000) are not converted: write the number "
                   "in decimal digits without the tag, or drop the tag to keep it as text"),
    ("!!int 012", "`!!int 012` is not a plain decimal number; YAML 1.1 forms (base 60 such as "
                  "1:30, hex 0x1F, octal 012 or 0o17, 1_000) are not converted: write the number "
                  "in decimal digits without the tag, or drop the tag to keep it as text"),
    ("!!float 1_000.5", "`!!float 1_000.5` is not a plain decimal number; YAML 1.1 forms (base 60 "
                        "such as 1:30, hex 0x1F, octal 012 or 0o17, 1_000) are not converted: write "
                        "the number in decimal digits without the tag, or drop the tag to keep it as text"),
    ("!!bool yes", "`!!bool yes` is not converted (YAML 1.1 spelling); write true or false "
                   "without the tag"),
    ("!!null 4000000", "`!!null 4000000` would silently drop the text; remove the tag (or write "
                       "`~` or `null` for an empty value)"),
]


@pytest.mark.parametrize(("value", "message"), NUMBERS, ids=[v[:20] for v, _ in NUMBERS])
def test_numbers_that_cannot_be_data_are_refused_at_the_value(tmp_path, value, message):
    folder = case_with(tmp_path, ("    value: 4000000", f"    value: {value}"))
    got = validate_paths([folder]).problems
    assert [(p.line, p.col, p.message) for p in got] == [(71, 12, message)]


def test_plain_nan_and_inf_stay_text_and_tags_of_core_forms_still_work(tmp_path):
    case = read_case_text(tmp_path, "a: .inf\nb: .NaN\nc: !!int 12\nd: !!float -1.5e3\n"
                                    "e: !!bool false\nf: !!null ~\ng: !!int \"7\"\n")
    assert case.data == {"a": ".inf", "b": ".NaN", "c": 12, "d": -1500.0, "e": False, "f": None,
                         "g": 7}
    folder = case_with(tmp_path, ("    value: 4000000", "    value: .inf"))
    assert read_case(folder / "langao-fixture-mini.yaml").data["metrics"][0]["value"] == ".inf"


# ---------------------------------------------------------------------------------------
# Held-out kinds: files in cases/.

def test_other_entries_in_cases_are_reported_without_being_opened(tmp_path):
    folder = case_with(tmp_path)
    inner = tmp_path / "inner.yaml"
    shutil.copyfile(BASE, inner)
    (folder / "inside.yaml").symlink_to(inner)  # a link to a file of the repository
    (folder / "more").mkdir()
    (folder / "more" / "linked").symlink_to(folder / "more", target_is_directory=True)
    shutil.copyfile(BASE, folder / "draft.yml.txt")
    shutil.copyfile(BASE, folder / "case.json")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "langao-fixture-mini.yaml~").write_bytes(b"\x00")
    os.mkfifo(folder / "pipe.yaml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.yml"))
    try:
        code, out = cli(tmp_path, "validate", "cases")
    finally:
        server.close()
    assert_clean(code, out, {1})
    link = ("is a symbolic link; a case file must be a regular file in the repository (links are "
            "not followed): put the file itself here")
    other = ("not a case file: case files end in .yaml or .yml; rename it if it is a case, "
             "otherwise move it out of the cases folder (it was not read)")
    hidden = ("warning: not a case file (an editor's or the system's hidden or backup file?); "
              "it is not read")
    lines = out.splitlines()
    assert [line for line in lines if ":1:1: " in line and "mini.yaml:" not in line] == [
        f"cases/.DS_Store:1:1: {hidden}",
        f"cases/case.json:1:1: {other}",
        f"cases/draft.yml.txt:1:1: {other}",
        f"cases/inside.yaml:1:1: {link}",
        f"cases/langao-fixture-mini.yaml~:1:1: {hidden}",
        f"cases/more/linked:1:1: {other}",
        "cases/pipe.yaml:1:1: is a named pipe (FIFO), not a regular file, and was not opened; "
        "a case file must be a regular file",
        "cases/sock.yml:1:1: is a socket, not a regular file, and was not opened; a case file "
        "must be a regular file",
    ]


def test_upper_case_extension_is_validated(tmp_path):
    folder = case_with(tmp_path, name="X.YML")
    assert discover([folder]) == [folder / "X.YML"]
    (folder / "notes.txt").write_text("x")
    assert discover([folder]) == [folder / "X.YML", folder / "notes.txt"]
    # Outside a cases folder (the fixtures keep expected.txt next to their cases) only case files.
    assert discover([INVALID / "vocabulary"]) == [INVALID / "vocabulary" / "langao-fixture-mini.yaml"]


def test_fifo_given_explicitly_does_not_hang(tmp_path):
    (tmp_path / "cases").mkdir()
    os.mkfifo(tmp_path / "cases" / "p.yaml")
    code, out = cli(tmp_path, "validate", "cases/p.yaml")
    assert_clean(code, out, {1})
    assert out.splitlines()[0] == (
        "cases/p.yaml:1:1: is a named pipe (FIFO), not a regular file, and was not opened; a case "
        "file must be a regular file")


def test_secret_behind_a_link_is_never_printed_in_any_command(tmp_path):
    work, _ = layout(UNTRUSTED / "symlink-secret-yaml", tmp_path)
    (work / "cases" / "langao-fixture-mini.yaml").unlink()
    for args in (["validate", "cases"], ["validate", "--format", "github", "cases"],
                 ["validate", "cases/x.yaml"], ["export", "--out", "out"]):
        code, out = cli(work, *args)
        assert_clean(code, out, {1})
        assert "FAKE-SECRET" not in out and "oauth" not in out and "outside" not in out, args
    assert not (work / "out").exists()


def test_unreadable_file_is_a_located_problem(tmp_path, monkeypatch):
    folder = case_with(tmp_path)
    locked = folder / "locked.yaml"
    shutil.copyfile(BASE, locked)
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if os.fspath(path).endswith("locked.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    got = [p for p in validate_paths([folder]).problems if p.path.endswith("locked.yaml")]
    assert [(p.line, p.col, p.rule, p.message) for p in got] == [
        (1, 1, "io", "cannot read the file: permission denied; make it readable (e.g. `chmod a+r`) "
                     "or move it out of the cases folder")]


def test_unreadable_folder_is_a_located_problem(open_tmp):
    tmp_path = open_tmp
    folder = case_with(tmp_path)
    (folder / "sub").mkdir()
    shutil.copyfile(BASE, folder / "sub" / "a.yaml")
    os.chmod(folder / "sub", 0)
    try:
        code, out = cli_as_nobody(tmp_path, "validate", "cases")
    finally:
        os.chmod(folder / "sub", 0o755)
    assert_clean(code, out, {1})
    assert ("cases/sub:1:1: is a folder that could not be listed (is it readable?), not a regular "
            "file, and was not opened; a case file must be a regular file") in out.splitlines()


# ---------------------------------------------------------------------------------------
# Every command and the MkDocs plugin show validate's message.

def test_export_build_and_mkdocs_show_the_same_message(tmp_path):
    work, _ = layout(UNTRUSTED / "raw-esc", tmp_path)
    code, out = cli(work, "validate", "cases")
    line = out.splitlines()[0]
    assert line == ("cases/langao-fixture-mini.yaml:7:13: control character U+001B (escape) is "
                    "not allowed in a case file; delete it (it is invisible, and usually comes "
                    "from copied text)")
    code, out = cli(work, "export", "--out", "out")
    assert_clean(code, out, {1})
    assert line in out.splitlines() and not (work / "out").exists()
    shutil.copyfile(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    (work / "site").symlink_to(ROOT / "site", target_is_directory=True)
    code, out = cli(work, "build")
    assert_clean(code, out, {1})
    assert line in out.splitlines()

    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    config = load_config(config_file=str(work / "mkdocs.yml"), strict=True)
    with pytest.raises(PluginError) as raised:
        config.plugins["casebook"].on_config(config)
    message = str(raised.value)
    assert message.splitlines()[1].endswith(line.removeprefix("cases/"))
    assert "\x1b" not in message


# ---------------------------------------------------------------------------------------
# The reporter.

def test_escape_covers_every_control_format_and_separator_character():
    wanted = {chr(cp) for cp in range(0x110000)
              if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs", "Zl", "Zp")
              or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE}
    got = {chr(cp) for cp in range(0x110000) if UNSAFE.match(chr(cp))}
    assert wanted <= got
    # The list follows a newer Unicode than some Pythons: the rest is unassigned here.
    assert {unicodedata.category(c) for c in got - wanted} <= {"Cn"}


def test_escape_shows_invisible_characters_as_python_escapes():
    assert escape("a\x1b[2K\rb\nc\td\x00\x9b\u2028\u202e\u200b\U000e0041 岚皋 \\n") == (
        "a\\x1b[2K\\rb\\nc\\td\\x00\\x9b\\u2028\\u202e\\u200b\\U000e0041 岚皋 \\n")


def test_unknown_key_with_bidi_and_zero_width_characters_is_shown_escaped(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    text = (VALID / "langao-fixture-mini.yaml").read_text(encoding="utf-8")
    text = text.replace("title_en:", "ti\u202etle\u200b_x: 1\ntitle_en:", 1)
    (folder / "langao-fixture-mini.yaml").write_text(text, encoding="utf-8")
    for fmt in ("text", "github"):
        got = lines_of(folder, fmt)
        assert len(got) >= 1 and all("\u202e" not in line and "\u200b" not in line for line in got)
        assert any("ti\\u202etle\\u200b_x" in line for line in got)


def test_fast_byte_check_agrees_with_the_character_class():
    from generator.load import _BAD_IN_FILE, has_bad_chars

    points = [*range(0xD800), *range(0xE000, 0x10000)]
    points += [plane << 16 | low for plane in range(1, 17) for low in (0, 0xFFFD, 0xFFFE, 0xFFFF)]
    for cp in points:
        char = chr(cp)
        raw = f"a{char}b".encode()
        assert has_bad_chars(raw) == bool(_BAD_IN_FILE.search(char)), hex(cp)
