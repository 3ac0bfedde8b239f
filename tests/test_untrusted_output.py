"""Untrusted text on its way out (issue 10, part B): URLs never become markup, ids cannot
take a generated page or hide characters, no text starts a spreadsheet formula, derived files
(jieba dictionary, CSV, JSON) cannot be broken from case text, `casebook from-issue` reads any
body safely and in linear time, and export/build fail with one line and keep the old package.

The examples are copies of ../shared/review/untrusted/ in tests/fixtures/untrusted/<name>/:
case files migrated to schema version 2 with `casebook migrate` (and as given, version 1, in
<name>-v1/), with `expected.txt` holding the exact lines `casebook validate` prints (advice
about missing fields left out); issue bodies in tests/fixtures/untrusted/issue-<name>/body.md.
The other tests are held-out inputs of the same kinds.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import errno
import fcntl
import io
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import jieba
import pytest
import yaml
from click.testing import CliRunner

from generator import export as export_module
from generator.cli import main
from generator.export import ExportError, export_package, package_files
from generator.from_issue import IssueError, draft_text, load_form, parse_body, write_draft
from generator.load import read_case
from generator.pages import build_pages
from generator.report import format_problem
from generator.rules import RESERVED_IDS
from generator.search import FREQ, WORD_CAP, search_terms, user_dict
from generator.validate import schema_findings, validate_paths

from .conftest import FIXTURES, ROOT, VALID
from .hostile import HOSTILE, hostile_case, string_fields

UNTRUSTED = FIXTURES / "untrusted"
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "new-case.yml"
BODY = FIXTURES / "issues" / "dawang-new-case.md"
CASE_ID = "dawang-cross-village-joint-building"
CASE_EXAMPLES = ["url-markdown-payload", "model-id-index", "zwsp-in-id", "bidi-rlo-title",
                 "jieba-newline-town"]
EXIT = {"url-markdown-payload": 1, "model-id-index": 1, "zwsp-in-id": 1, "bidi-rlo-title": 1,
        "jieba-newline-town": 1}


def run(*args, stdin=None):
    return CliRunner().invoke(main, list(map(str, args)), input=stdin)


def valid_data() -> dict:
    return copy.deepcopy(validate_paths([VALID]).cases[0].data)


def problems_of(data: dict, tmp_path: Path, name: str | None = None) -> list[str]:
    """validate a case written from `data`; its lines, advice about missing fields left out."""
    path = tmp_path / f"{name or data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = validate_paths([path])
    return [format_problem(p).split(": ", 1)[1] for p in report.problems
            if not p.rule.startswith("advice-") or p.rule == "bidi"]


# --- the examples: case files --------------------------------------------------------------

@pytest.mark.parametrize("name", CASE_EXAMPLES)
def test_case_example_gives_its_exact_lines_and_exit_code(name, monkeypatch):
    folder = UNTRUSTED / name
    monkeypatch.chdir(folder)
    report = validate_paths([Path(".")])
    got = [format_problem(p) for p in report.problems
           if not p.rule.startswith("advice-") or p.rule == "bidi"]
    assert got == (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    result = run("validate", ".")
    assert result.exit_code == EXIT[name]
    assert "\u200b" not in result.output and "\u202e" not in result.output  # shown escaped


@pytest.mark.parametrize("name", CASE_EXAMPLES)
def test_case_example_as_given_in_version_1_still_shows_its_problem_at_its_line(name, monkeypatch):
    """The examples as written (schema version 1): besides the migrate message, what migrating
    cannot fix (a pattern violation) and bidi warnings are reported at their own lines."""
    folder = UNTRUSTED / f"{name}-v1"
    monkeypatch.chdir(folder)
    report = validate_paths([Path(".")])
    got = [format_problem(p) for p in report.problems if not p.rule.startswith("advice-")]
    assert got == (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert got[0].startswith("langao-fixture-mini.yaml:3:17: this file is in case format version 1")
    at = {"url-markdown-payload": ":103:10: `url`", "zwsp-in-id": ":4:5: `id`",
          "bidi-rlo-title": ":5:8: warning: `title`", "jieba-newline-town": ":19:9: `town`"}
    assert name == "model-id-index" or at[name] in got[1]
    assert run("validate", ".").exit_code == 1


def test_zwsp_example_points_at_the_id_and_shows_the_character():
    line = (UNTRUSTED / "zwsp-in-id" / "expected.txt").read_text(encoding="utf-8")
    assert line.startswith("langao-fixture-mini.yaml:4:5: `id` \"langao-fixture\\u200b-mini\"")


def test_model_called_index_would_have_replaced_the_catalogue():
    data = read_case(UNTRUSTED / "model-id-index" / "langao-fixture-mini.yaml").data
    assert data["models"][0]["id"] == "index"
    # Generated pages that are not a case or model page: their names are the reserved ids.
    pages = build_pages(validate_paths([VALID]).cases)
    case_ids = {c.data["id"] for c in validate_paths([VALID]).cases}
    model_ids = {m["id"] for c in validate_paths([VALID]).cases for m in c.data["models"]}
    own = {f"cases/{i}.md" for i in case_ids} | {f"models/{i}.md" for i in model_ids}
    generated = {Path(p).stem for p in pages if p.startswith(("cases/", "models/")) and p not in own}
    assert "index" in generated and generated <= RESERVED_IDS  # a new one must be reserved too


def test_jieba_example_could_not_break_the_dictionary_even_if_accepted():
    data = read_case(UNTRUSTED / "jieba-newline-town" / "langao-fixture-mini.yaml").data
    assert "\n" in data["place"]["town"] and len(data["place"]["town"]) > 5000
    text = user_dict(search_terms([dataclasses.make_dataclass("C", ["data"])(data)]))
    _assert_dictionary_is_safe(text)
    assert "南宫山镇" not in text.split()  # the whole "name" had whitespace: not one word


# --- kind 4: a URL never becomes markup ------------------------------------------------------

BAD_URLS = [
    "https://evil.example/![x](x){:onerror=alert(document.domain)}",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/a b",
    "https://evil.example/\"onmouseover=alert(1)",
    "https://evil.example/'x",
    "https://evil.example/<img>",
    "https://evil.example/`x`",
    "https://evil.example/[x]",
    "https://evil.example/x\\y",
    "https://evil.example/\tx",
    "ftp://example.org/file",
    "https://",
    "http://www.gov.cn@evil.example/",  # review rv10b #11: a user name before @ spoofs the host
    "http://user@example.org/",
    "https://\u0430.example/x",  # Cyrillic а: a look-alike host
    "https://a.example/x\u200by",  # zero-width space
    "https://a.example/x\u202ey",  # right-to-left override
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_url_that_is_not_plain_is_refused_at_its_line(url, tmp_path):
    data = valid_data()
    data["sources"][0]["url"] = url
    problems = problems_of(data, tmp_path)
    assert problems[0].startswith("`url` ")
    assert len(problems) == 1 or (len(problems) == 2 and "\u200b" in url)  # + an invisible-char warning
    assert (" is not in the expected form (以 http:// 或 https:// 开头的完整网址：主机名只用 ASCII 字母、"
            "数字、点、连字符（或汉字域名），不带 @ 前的用户名；不含空白、看不见的字符（零宽、双向控制）"
            "和 < > \" ' ` ( ) [ ] { } ! \\（这些字符须百分号编码，如空格写 %20、括号写 %28 %29）)"
            ) in problems[0]
    assert problems[0].endswith(
        "; e.g. `url: \"https://www.gov.cn/zhengce/2021-05/11/content_5605841.htm\"` [$.sources[0].url]")
    if "\t" in url:
        assert "; it contains U+0009 TAB, which cannot be seen: delete it;" in problems[0]
    if "\u200b" in url:
        assert "; it contains U+200B ZERO WIDTH SPACE, which cannot be seen: delete it;" in problems[0]


@pytest.mark.parametrize("url", [
    "https://www.gov.cn/zhengce/2021-05/11/content_5605841.htm",
    "http://example.org/a_b*c|d?x=1&y=2#z",
    "https://例子.中国/路径?q=驻村",
    "https://example.org/a%20b%28c%29",
    "https://medium.example/@user/post",  # @ in the path is not a user name
    "https://example.org:8080/x",
])
def test_plain_urls_pass(url, tmp_path):
    data = valid_data()
    data["sources"][0]["url"] = url
    assert problems_of(data, tmp_path) == []


# --- kind 5: reserved and deceptive ids ------------------------------------------------------

@pytest.mark.parametrize("reserved", sorted(RESERVED_IDS))
def test_a_model_id_that_names_a_generated_page_is_refused(reserved, tmp_path):
    data = valid_data()
    old = data["models"][0]["id"]
    data["models"][0]["id"] = reserved
    for metric in data["metrics"]:
        if metric.get("model") == old:
            metric["model"] = reserved
    why = {"index": "the site writes its own page models/index.md (the list of all models) there",
           "readme": "MkDocs would take models/readme.md as the folder's index page, in place of the "
                     "site's own models/index.md (the list of all models)"}[reserved]
    assert problems_of(data, tmp_path) == [
        f"model id '{reserved}' is reserved: {why}; pick another id, e.g. `id: langao-{reserved}-model` "
        "[$.models[0].id]"]


@pytest.mark.parametrize(("char", "name"), [
    ("\u200c", "ZERO WIDTH NON-JOINER"), ("\u200d", "ZERO WIDTH JOINER"), ("\u2060", "WORD JOINER"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"), ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066", "LEFT-TO-RIGHT ISOLATE"), ("\u200f", "RIGHT-TO-LEFT MARK"),
])
def test_invisible_characters_in_ids_are_refused_and_shown(char, name, tmp_path):
    data = valid_data()
    data["sources"][0]["id"] = "langao" + char + "-source"
    problems = [p for p in problems_of(data, tmp_path) if "[$.sources[0].id]" in p]
    code = f"{ord(char):04x}"
    assert problems == [
        f"`id` \"langao\\u{code}-source\" is not in the expected form (小写 ASCII 连字符标识); it "
        f"contains U+{code.upper()} {name}, which cannot be seen: delete it; e.g. "
        "`id: \"langao-ankang-daily-2024\"` [$.sources[0].id]"]


@pytest.mark.parametrize(("where", "char"), [
    (("models", 0, "name"), "\u2067"), (("practices", 0, "title"), "\u202a"),
    (("people", 0, "role"), "\u2069"), (("title_en",), "\u202d"),
])
def test_bidi_controls_in_text_are_flagged_escaped(where, char, tmp_path):
    data = valid_data()
    node = data
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = "前" + char + "后"
    path = "$." + ".".join(f"{p}" if isinstance(p, str) else f"[{p}]" for p in where).replace(".[", "[")
    name = {"\u2067": "RIGHT-TO-LEFT ISOLATE", "\u202a": "LEFT-TO-RIGHT EMBEDDING",
            "\u2069": "POP DIRECTIONAL ISOLATE", "\u202d": "LEFT-TO-RIGHT OVERRIDE"}[char]
    assert problems_of(data, tmp_path) == [
        f"warning: `{where[-1]}` contains U+{ord(char):04X} {name} (前\\u{ord(char):04x}后), an "
        "invisible character that makes the text after it display in another order on the page; "
        f"delete it [{path}]"]


# --- kind 8: spreadsheet formulas ------------------------------------------------------------

FORMULA_MESSAGE = ("starts with {first}: no text may start with = + - @, a tab or a carriage "
                   "return, because a spreadsheet opening the exported CSV runs it as a formula "
                   "(CSV injection, see OWASP); reword it so it starts with a word or a digit")


@pytest.mark.parametrize(("lead", "first"), [
    ("=", "`=`"), ("+", "`+`"), ("-", "`-`"), ("@", "`@`"), ("\t", "a tab"),
])
def test_text_starting_like_a_formula_is_refused_with_the_reason(lead, first, tmp_path):
    data = valid_data()
    data["title"] = lead + "HYPERLINK(\"https://evil.example\")"
    problems = problems_of(data, tmp_path)
    shown = json.dumps(data["title"], ensure_ascii=False)
    assert problems == [f"`title` {shown} " + FORMULA_MESSAGE.format(first=first) + " [$.title]"]


def test_a_leading_carriage_return_is_refused_by_the_schema_too():
    # In a file the loader refuses a CR escape first (issue 10 part A); the schema holds anyway.
    data = valid_data()
    data["headline"] = "\r=cmd"
    assert [f.message for f in schema_findings(0, data)] == [
        '`headline` "\\r=cmd" ' + FORMULA_MESSAGE.format(first="a carriage return")]


def _set_first(data: dict, path: tuple, value: str) -> tuple:
    """Set the first occurrence of a schema path ("[]" = item 0); the JSON path parts."""
    node, parts = data, []
    for key, following in zip(path, path[1:] + (None,), strict=True):
        if key == "[]":
            key = 0
            if not node:
                node.append({} if following is not None else value)
        if following is None:
            node[key] = value
        elif isinstance(node, dict):
            node = node.setdefault(key, [] if following == "[]" else {})
        else:
            node = node[key]
        parts.append(key)
    return tuple(parts)


@pytest.mark.parametrize("field", [path for path, pattern, _ in string_fields() if pattern is None],
                         ids=lambda path: ".".join(path))
def test_every_text_field_of_the_schema_refuses_a_formula(field):
    data = valid_data()
    parts = _set_first(data, field, "=1+1")
    found = [f for f in schema_findings(0, data) if f.parts == parts]
    assert [f.message for f in found] == [
        f"`{[p for p in parts if isinstance(p, str)][-1]}` \"=1+1\" " + FORMULA_MESSAGE.format(first="`=`")]


def test_no_real_text_starts_like_a_formula():
    """The five cases and every valid fixture pass: 1+12+X and negative-looking text do not."""
    report = validate_paths([ROOT / "cases", VALID])
    assert [p for p in report.problems if "spreadsheet" in p.message] == []
    assert any(m.get("formula", "").startswith("1+") for c in report.cases for m in c.data.get("models", []))


# --- kind 9: derived files -------------------------------------------------------------------

def _assert_dictionary_is_safe(text: str) -> None:
    lines = text.split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        assert re.fullmatch(rf"[^\s]{{2,{WORD_CAP}}} {FREQ}", line), repr(line)
    jieba.load_userdict(io.BytesIO(text.encode("utf-8")))  # jieba reads it without complaint


def test_dictionary_words_cannot_add_lines_or_frequencies():
    words = ["岚皋", "南宫山镇\n第一 " + "9" * 5000, "a b", "tab\there", "行\u2028分隔", "零\u200b宽",
             "x" * (WORD_CAP + 1), "\r\n", "", " 佐龙 ", "1+12+X"]
    text = user_dict(words)
    _assert_dictionary_is_safe(text)
    assert text.split("\n")[:-1] == [f"{w} {FREQ}" for w in
                                     sorted(["岚皋", "ab", "tabhere", "行分隔", "零宽", "佐龙", "1+12+X"])]


def test_hostile_case_gives_safe_dictionary_csv_and_json():
    case = validate_paths([VALID]).cases[0]
    hostile = dataclasses.replace(case, data=hostile_case(case.data))
    _assert_dictionary_is_safe(user_dict(search_terms([hostile])))
    files = package_files([hostile])
    descriptor = json.loads(files["datapackage.json"])
    for resource_ in descriptor["resources"]:
        rows = list(csv.reader(io.StringIO(files[resource_["path"]].decode("utf-8"), newline="")))
        names = [f["name"] for f in resource_["schema"]["fields"]]
        assert rows[0] == names and all(len(r) == len(names) for r in rows), resource_["path"]
    cases_rows = list(csv.DictReader(io.StringIO(files["cases.csv"].decode("utf-8"), newline="")))
    assert len(cases_rows) == 1 and cases_rows[0]["summary"] == HOSTILE  # exact, newlines kept


# --- kind 10: casebook from-issue ------------------------------------------------------------

@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    return tmp_path


def from_issue(body_path: Path):
    return run("from-issue", "--form", FORM, body_path)


def example(name: str) -> Path:
    return UNTRUSTED / f"issue-{name}" / "body.md"


def test_issue_example_typed_case_id_heading_does_not_win(repo):
    result = from_issue(example("id-newline-yaml"))
    assert result.exit_code == 1
    assert [p.name for p in (repo / "cases").iterdir()] == [f"{CASE_ID}.yaml"]
    data = read_case(repo / "cases" / f"{CASE_ID}.yaml").data
    assert data["id"] == CASE_ID
    assert data["background"] == "广饶县大王镇。\n\n### 案例编号 Case id\n\ndawang-hijacked"


def test_issue_example_no_response_everywhere_gives_a_draft_to_fill(repo):
    result = from_issue(example("no-response-everywhere"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    (draft,) = (repo / "cases").iterdir()
    data = read_case(draft).data
    assert data["sources"][0]["id"] == f"{data['id']}-source" and data["title"] == ""
    assert f"wrote draft cases/{draft.name}" in result.output


def test_issue_example_not_utf8_is_a_message(repo):
    result = from_issue(example("not-utf8-body"))
    assert result.exit_code == 1
    assert result.output == ("Error: the issue body is not UTF-8 text (byte 0xb0 at line 1 cannot be "
                             "read); save it as UTF-8, e.g. `iconv -f GBK -t UTF-8`\n")
    assert list((repo / "cases").iterdir()) == []


def test_issue_example_nul_is_a_message_and_leaves_no_file(repo):
    result = from_issue(example("nul-in-answer"))
    assert result.exit_code == 1
    assert result.output == ("Error: the answer to “标题 Title” holds the control character U+0000 "
                             "(NUL) at line 7 of the issue body; delete it and run from-issue again\n")
    assert list((repo / "cases").iterdir()) == []
    # Fixed and run again, it works: nothing was left behind to block it.
    fixed = repo / "fixed.md"
    fixed.write_bytes(example("nul-in-answer").read_bytes().replace(b"\x00", b""))
    assert "wrote draft" in from_issue(fixed).output


def test_issue_example_long_heading_line_is_parsed_fast():
    fields = load_form(FORM)
    body = example("redos-heading-spaces").read_text(encoding="utf-8")
    start = time.perf_counter()
    answers = parse_body(body, fields)
    assert time.perf_counter() - start < 0.1
    assert answers["id"] == CASE_ID


def test_issue_example_u2028_adds_no_key(repo):
    result = from_issue(example("yaml-inject-u2028"))
    assert result.exit_code == 1
    data = read_case(repo / "cases" / f"{CASE_ID}.yaml").data
    assert "INJECTED" not in data.get("notes", "")
    assert data["summary"].splitlines()[-1] == "notes: INJECTED-BY-U2028"  # kept, as text


def test_issue_example_heading_typed_in_a_textarea_stays_in_it(repo):
    result = from_issue(example("textarea-with-heading"))
    assert result.exit_code == 1
    data = read_case(repo / "cases" / f"{CASE_ID}.yaml").data
    assert data["notes"] == ("标题称“解读广饶县2023年乡村振兴政策”，正文称“今年以来”，"
                             "据此记时期起点为2023年。"
                             "\n\n### 待核对\n\n原文未给出29个联合党组织的名单，需维护者核对。")


@pytest.mark.parametrize("body", [
    "### x" + " " * 60_000 + "y",
    "### \t" * 16_000,
    "#" * 65_536,
    ("### 案例编号 Case id\n\n" + "### 标题 Title\n" * 4_000)[:65_536],
    "###" + "\t " * 32_000 + "\n### 案例编号 Case id\n\nx",
], ids=["spaces", "tabs", "hashes", "repeated-labels", "mixed-blanks"])
def test_parsing_a_65536_character_body_is_linear(body):
    fields = load_form(FORM)
    start = time.perf_counter()
    parse_body(body, fields)
    assert time.perf_counter() - start < 0.2


def _body(**changes: str) -> str:
    text = BODY.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_escape_and_other_controls_in_answers_are_refused(repo):
    title = "大王镇“跨村联建”新模式"
    for char, name in (("\x1b", "ESC, escape"), ("\x07", "BEL, bell"), ("\x0b", "vertical tab"),
                       ("\x9b", "control character")):
        body = _body(**{title: title + "\u2028" + char + "[2K"})
        with pytest.raises(IssueError) as refused:
            write_draft(body.encode("utf-8"), repo / "cases", FORM)
        line = 1 + body[:body.index(char)].count("\n")
        assert str(refused.value) == (f"the answer to “标题 Title” holds the control character "
                                      f"U+{ord(char):04X} ({name}) at line {line} of the issue body; "
                                      "delete it and run from-issue again")
        assert list((repo / "cases").iterdir()) == []


def test_line_separators_in_answers_become_line_feeds_and_never_headings(repo):
    summary = "大王镇按照“地域相邻、产业相近、治理相融、优势互补”的原则"
    body = _body(**{summary: summary + "\u2029### 编者说明 Notes\u0085notes: x\u2028id: evil"})
    path = write_draft(body, repo / "cases", FORM)
    data = read_case(path).data
    assert data["id"] == CASE_ID and data.get("notes") != "x"
    assert data["summary"].split("\n")[:3] == [summary, "### 编者说明 Notes", "notes: x"]
    assert data["summary"].split("\n")[3].startswith("id: evil，")


@pytest.mark.parametrize("answer", [
    "yes", "null", "~", "1:30", "0x1F", "2023-09", "- 列表", "key: value", "a #注释", "\"引号\" 'single'",
    "反斜杠 \\ 和 \\n", "&anchor *alias !tag %percent", "  前有空格", "行一\n  行二缩进\n行三 ",
    "|\n> folded", "{a: 1, b: [2]}", "末尾冒号:", "制表\t符", "ß ü 中文 😀", "第一行\n第二行",
])
def test_every_answer_reads_back_exactly_from_the_draft(answer):
    data = {"schema_version": 2, "id": CASE_ID, "title": answer, "lessons": [answer, "二"],
            "models": [{"name": answer, "steps": [answer]}], "notes": answer}
    text = draft_text(data)
    loaded = read_case(Path("d.yaml"), text.encode("utf-8"))
    assert loaded.problems == []
    got = loaded.data
    assert (got["title"], got["lessons"], got["notes"]) == (answer, [answer, "二"], answer)
    assert (got["models"][0]["name"], got["models"][0]["steps"]) == (answer, [answer])
    assert text.startswith("# yaml-language-server:") and "# 标题 Title" in text  # commented layout


def test_a_draft_that_would_not_read_back_is_written_by_the_plain_emitter(monkeypatch):
    from generator import from_issue

    checks = iter([False, True])
    monkeypatch.setattr(from_issue, "_reads_back", lambda text, data: next(checks))
    data = {"schema_version": 2, "id": CASE_ID, "title": "一\n二", "models": [{"steps": ["三"]}]}
    text = draft_text(data)
    assert read_case(Path("d.yaml"), text.encode("utf-8")).data == data
    assert '"title": "一\\n二"' in text


def test_a_later_label_typed_in_an_answer_is_the_only_ambiguity_and_an_earlier_one_stays(repo):
    fields = load_form(FORM)
    answers = parse_body(_body(**{"### 标题 Title": "### 标题 Title\n\n### 案例编号 Case id\n"}), fields)
    assert answers["id"] == CASE_ID and answers["title"].startswith("### 案例编号 Case id")


def test_unknown_headings_and_crlf_bodies(repo):
    fields = load_form(FORM)
    crlf = _body().replace("\n", "\r\n")
    assert parse_body(crlf, fields) == parse_body(_body(), fields)
    answers = parse_body(_body(**{"### 英文标题 English title":
                                  "### 不是标签\nx\n### 英文标题 English title"}),
                         fields)
    assert answers["title"].endswith("### 不是标签\nx")


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "latin-1"])
def test_bodies_in_other_encodings_are_a_message(encoding, repo):
    (repo / "issue.md").write_bytes(_body().replace("案例", "案例é").encode(encoding, errors="replace"))
    result = run("from-issue", "--form", FORM, repo / "issue.md")
    assert result.exit_code == 1
    assert result.output.startswith("Error: the issue body is not UTF-8 text (byte 0x")
    assert list((repo / "cases").iterdir()) == []


def test_no_source_answers_give_a_placeholder_source_not_a_keyerror(repo):
    fields = load_form(FORM)
    source_labels = [f["attributes"]["label"] for f in fields if f["id"].startswith("sources-")]
    body = _body()
    for label in source_labels:
        start = body.index(f"### {label}\n")
        end = body.index("\n### ", start + 4)
        body = body[:start] + f"### {label}\n\n_No response_\n" + body[end:]
    result = run("from-issue", "--form", FORM, "-", stdin=body)
    assert result.exit_code == 1 and "Traceback" not in result.output
    data = read_case(repo / "cases" / f"{CASE_ID}.yaml").data
    assert data["sources"][0]["id"] == f"{CASE_ID}-source"


def test_a_failed_write_leaves_no_draft(repo, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(IssueError) as failed:
        write_draft(_body(), repo / "cases", FORM)
    assert str(failed.value) == f"could not write {repo / 'cases' / CASE_ID}.yaml: No space left on device"
    assert list((repo / "cases").iterdir()) == []


def test_a_draft_written_meanwhile_is_not_overwritten(repo, monkeypatch):
    target = repo / "cases" / f"{CASE_ID}.yaml"
    real_link = os.link

    def racing(src, dst):
        Path(dst).write_text("theirs", encoding="utf-8")
        return real_link(src, dst)

    monkeypatch.setattr(os, "link", racing)
    with pytest.raises(IssueError, match="already exists"):
        write_draft(_body(), repo / "cases", FORM)
    assert target.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in (repo / "cases").iterdir()] == [target.name]


# --- kind 11: export and build fail cleanly --------------------------------------------------

@pytest.fixture
def exported(tmp_path):
    out = tmp_path / "build" / "data"
    assert run("export", VALID, "--out", out).exit_code == 0
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


def _unchanged(out: Path, before: dict) -> None:
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in out.parent.iterdir()] == ["data"]  # no staging folder left


def test_disk_full_is_one_line_and_the_old_package_stays(exported, monkeypatch):
    out, before = exported
    real = Path.write_bytes

    def full(self, data):
        if self.name == "datapackage.json":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = run("export", VALID, "--out", out)
    assert result.exit_code == 1
    last = result.output.splitlines()[-1]
    assert re.fullmatch(rf"Error: could not write the data package to {re.escape(str(out))}: No space "
                        rf"left on device \(disk full\) at {re.escape(str(out.parent))}/\.export-data-"
                        r"\w+/datapackage\.json; the previous package \(if any\) is unchanged", last)
    _unchanged(out, before)


def test_read_only_folder_is_one_line(exported, monkeypatch):
    out, before = exported

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(out.parent))

    monkeypatch.setattr(export_module.tempfile, "mkdtemp", read_only)
    result = run("export", VALID, "--out", out)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: could not write the data package to {out}: Read-only file system (read-only file "
        f"system) at {out.parent}; the previous package (if any) is unchanged")
    _unchanged(out, before)


def test_file_size_limit_is_one_line_not_a_killed_process(exported):
    out, before = exported

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_384, 16_384))  # `ulimit -f 16`

    done = subprocess.run([sys.executable, "-m", "generator.cli", "export", str(VALID), "--out", str(out)],
                          capture_output=True, text=True, preexec_fn=limit, timeout=120, cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    last = done.stderr.splitlines()[-1]
    assert (last.startswith("Error: could not ")
            and "File too large (file size limit, e.g. `ulimit -f`)" in last)
    _unchanged(out, before)


def test_a_concurrent_export_loses_with_one_line(exported):
    out, before = exported
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running export holds it
        result = run("export", VALID, "--out", out)
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (f"Error: another export is writing to {out.parent} right "
                                              "now; wait for it to finish, then run this one again")
    _unchanged(out, before)


def test_staging_left_by_a_killed_run_is_cleaned_up(exported):
    out, _ = exported
    stale = out.parent / ".export-data-k1ll3d"
    stale.mkdir()
    (stale / "cases.csv").write_text("half", encoding="utf-8")
    assert run("export", VALID, "--out", out).exit_code == 0
    assert [p.name for p in out.parent.iterdir()] == ["data"]


def test_out_as_a_symlink_updates_its_target(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "data"
    link.symlink_to(real)
    assert run("export", VALID, "--out", link).exit_code == 0
    assert link.is_symlink() and (real / "datapackage.json").is_file()
    assert oct(real.stat().st_mode & 0o777) == oct(0o777 & ~_umask())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "real"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_out_that_is_a_file_is_refused(tmp_path):
    out = tmp_path / "data"
    out.write_text("not a folder", encoding="utf-8")
    result = run("export", VALID, "--out", out)
    assert result.exit_code == 2 and "is a file" in result.output  # misuse, caught by the option
    with pytest.raises(ExportError) as refused:
        export_package(validate_paths([VALID]).cases, out)
    assert str(refused.value) == f"cannot export to {out}: it exists and is not a folder"
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_the_package_folder_never_goes_missing_during_a_replace(exported, monkeypatch):
    out, _ = exported
    cases = validate_paths([VALID]).cases
    renames: list[tuple] = []
    real_rename = os.rename
    monkeypatch.setattr(os, "rename", lambda a, b: (renames.append((a, b)), real_rename(a, b)))
    missing, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            if not (out / "datapackage.json").is_file():
                missing.append(time.perf_counter())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(5):
            export_package(cases, out, created=f"2024-01-0{n + 1}T00:00:00Z")
    finally:
        stop.set()
        watcher.join()
    assert missing == []
    assert renames == []  # swapped by renameat2(RENAME_EXCHANGE), never renamed away
    assert json.loads((out / "datapackage.json").read_bytes())["created"] == "2024-01-05T00:00:00Z"


def test_without_rename_exchange_two_renames_still_keep_the_package(exported, monkeypatch):
    out, _ = exported
    monkeypatch.setattr(export_module, "_exchange", lambda a, b: False)
    export_package(validate_paths([VALID]).cases, out, created="2024-01-01T00:00:00Z")
    assert json.loads((out / "datapackage.json").read_bytes())["created"] == "2024-01-01T00:00:00Z"
    assert [p.name for p in out.parent.iterdir()] == ["data"]


def _project(tmp_path: Path) -> Path:
    import shutil

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    shutil.copytree(VALID, tmp_path / "cases")
    return tmp_path


@pytest.mark.parametrize(("change", "message"), [
    (("name: material", "name: no-such-theme"),
     "Error: mkdocs.yml: Config value 'theme': Unrecognised theme name: 'no-such-theme'. The available "
     "installed themes are: mkdocs, readthedocs, material; fix it first (nothing was written)"),
    (("plugins:", "plugins:\n  - no-such-plugin"),
     "Error: mkdocs.yml: Config value 'plugins': The \"no-such-plugin\" plugin is not installed; fix it "
     "first (nothing was written)"),
])
def test_build_checks_the_site_config_before_writing_anything(change, message, tmp_path, monkeypatch):
    project = _project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert change[0] in text
    config.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    monkeypatch.chdir(project)
    result = run("build")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == message
    assert not (project / "build").exists()


SUMMARY = "大王镇按照“地域相邻、产业相近、治理相融、优势互补”的原则"


@pytest.mark.parametrize("typed", ["### 编者说明 Notes\n\n注", "### 网址 URL\n\njavascript:alert(1)",
                                   "```\n### 编者说明 Notes\n```"])
def test_a_later_label_typed_in_an_answer_stays_in_it_when_the_real_one_is_certain(repo, typed):
    """review rv10b #3: the labels between keep their headings, so only the real one fits."""
    fields = load_form(FORM)
    plain = parse_body(_body(), fields)
    answers = parse_body(_body(**{SUMMARY: f"{SUMMARY}\n\n{typed}\n"}), fields)
    assert f"{SUMMARY}\n\n{typed}\n，" in answers["summary"]
    assert {k: v for k, v in answers.items() if k != "summary"} == {
        k: v for k, v in plain.items() if k != "summary"}
    path = write_draft(_body(**{SUMMARY: f"{SUMMARY}\n\n{typed}\n"}), repo / "cases", FORM)
    assert read_case(path).data["sources"][0].get("url") == plain.get("sources-0-url")


def test_a_label_typed_next_to_its_real_heading_is_a_conflict_not_a_guess(repo):
    """review rv10b #3: `### 英文概要 English summary` typed at the end of the Summary answer."""
    body = _body(**{SUMMARY: f"{SUMMARY}\n\n### 英文概要 English summary\n\n自己写的"})
    (repo / "issue.md").write_text(body, encoding="utf-8")
    result = from_issue(repo / "issue.md")
    assert result.exit_code == 1
    assert result.output == ("Error: the form label “英文概要 English summary” is a `### ` heading at "
                             "lines 21 and 25 of the issue body, and GitHub writes each label once; "
                             "remove or reword the heading typed inside an answer, then run from-issue "
                             "again\n")
    assert list((repo / "cases").iterdir()) == []


def test_a_body_with_cr_only_line_ends_is_read(repo):
    """review rv10b #14g: old editors end lines with CR alone."""
    (repo / "issue.md").write_bytes(_body().replace("\n", "\r").encode("utf-8"))
    result = from_issue(repo / "issue.md")
    assert "wrote draft" in result.output, result.output
    assert read_case(repo / "cases" / f"{CASE_ID}.yaml").data["id"] == CASE_ID


def test_a_body_that_is_not_a_regular_file_is_refused_without_hanging(repo):
    """review rv10b #4: a FIFO with no writer, /dev/zero."""
    os.mkfifo(repo / "pipe")
    for name, what in (("pipe", "a named pipe (FIFO)"), ("/dev/zero", "a character device")):
        result = run("from-issue", "--form", FORM, name)
        assert result.exit_code == 1
        assert result.output == (f"Error: {name}: is {what}, not a regular file, and was not opened; "
                                 "a body file must be a regular file\n")
    assert list((repo / "cases").iterdir()) == []


def test_a_body_over_the_limit_is_refused_from_a_file_and_from_stdin(repo):
    """review rv10b #4: at most 262,144 + 1 bytes are read (GitHub: 65,536 characters)."""
    (repo / "big.md").write_bytes(b"a" * 300_000)
    result = run("from-issue", "--form", FORM, repo / "big.md")
    assert result.exit_code == 1
    assert result.output == (f"Error: {repo / 'big.md'}: file is 300,000 bytes, over the 262,144-byte "
                             "limit (GitHub's own limit is 65,536 characters); is this an issue body?\n")
    result = run("from-issue", "--form", FORM, "-", stdin="y\n" * 200_000)
    assert result.exit_code == 1
    assert result.output == ("Error: the issue body on standard input is over the 262,144-byte limit "
                             "(GitHub's own limit is 65,536 characters); is this an issue body?\n")
    assert list((repo / "cases").iterdir()) == []


@pytest.mark.parametrize(("content", "message"), [
    (b"body: [\n", "is not valid YAML at line 2: expected the node content, but found '<stream end>'"),
    (b"name: x\n", "is not an issue form: it has no `body:` list of fields"),
    (b"body: 5\n", "is not an issue form: it has no `body:` list of fields"),
    (b"[]\n", "is not an issue form: it has no `body:` list of fields"),
    (b"body: [{type: input, id: id}]\n",
     "is not an issue form: field 1 of `body:` has an `id` but no text `attributes: label:`"),
    (b"\xff\xfe", "is not UTF-8 text"),
])
def test_a_malformed_form_is_one_line_and_exit_2(repo, content, message):
    """review rv10b #5: a pull request can change the repository's own form."""
    (repo / "form.yml").write_bytes(content)
    result = run("from-issue", "--form", "form.yml", BODY)
    assert result.exit_code == 2
    assert result.output == f"Error: the issue form form.yml {message}\n"


def test_a_form_that_is_a_device_is_refused(repo):
    result = run("from-issue", "--form", "/dev/zero", BODY)
    assert result.exit_code == 2
    assert result.output == ("Error: the issue form /dev/zero: is a character device, not a regular "
                             "file, and was not opened; a form file must be a regular file\n")


@pytest.mark.parametrize("linked", ["cases", "other"])
def test_a_linked_cases_folder_gets_no_draft(repo, tmp_path_factory, linked):
    """review rv10b #7: refused as validate refuses it; nothing is written through the link."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (repo / "cases").rmdir()
    (repo / linked).symlink_to(elsewhere)
    args = ("--dir", linked) if linked != "cases" else ()
    if linked != "cases":
        (repo / "cases").mkdir()
    result = run("from-issue", "--form", FORM, *args, BODY)
    assert result.exit_code == 2
    assert result.output == (f"Error: {linked} is a symbolic link or lies in a linked folder; folders "
                             "in the repository must be real folders (links are not followed), so no "
                             "draft was written\n")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("filler", ["\u3164", "\u2800", "\u115f", "\u1160", "\uffa0", "\u3000", " "])
def test_blank_looking_fillers_in_place_names_are_whitespace(filler, tmp_path):
    """review rv10b #12: U+3164 HANGUL FILLER and U+2800 BRAILLE PATTERN BLANK look like spaces."""
    data = valid_data()
    data["place"]["county"] = f"岚皋{filler}县"
    problems = problems_of(data, tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith("`county` ")
    assert " holds a space or a line break; a place name is one word as printed, with nothing after it" in (
        problems[0])
    assert problems[0].endswith("[$.place.county]")


def test_a_source_without_a_title_gets_a_title_note_not_an_invented_title(repo):
    """review rv10b #14d: the form no longer says to write “（无标题）” (CONTRIBUTING forbids it)."""
    form = FORM.read_text(encoding="utf-8")
    assert "无标题" not in form and "id: sources-0-title_note" in form
    title = "【评论员文章】解读广饶县2023年乡村振兴政策——跨村联建激发乡村振兴新动能"
    body = _body(**{f"{title}\n\n### 标题说明 Title note\n\n_No response_":
                    "_No response_\n\n### 标题说明 Title note\n\n所见版本未显示标题。"})
    source = read_case(write_draft(body, repo / "cases", FORM)).data["sources"][0]
    assert source["title_note"] == "所见版本未显示标题。" and not source.get("title")


def test_a_draft_is_written_with_the_mode_of_casebook_new(repo):
    """review rv10b #14e: 0644 under umask 022, not mkstemp's 0600."""
    old = os.umask(0o022)
    try:
        path = write_draft(_body(), repo / "cases", FORM)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_utf16_body_gets_the_utf16_hint(repo):
    """review rv10b #14f: not `iconv -f GBK` for a body with a UTF-16 byte order mark."""
    (repo / "issue.md").write_bytes("### 案例编号 Case id\n".encode("utf-16"))
    result = run("from-issue", "--form", FORM, repo / "issue.md")
    assert result.exit_code == 1
    assert result.output == ("Error: the issue body is not UTF-8 text (byte 0xff at line 1 cannot be "
                             "read); save it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`\n")
