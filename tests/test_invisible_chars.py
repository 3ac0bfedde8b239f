"""Invisible characters in case text (hostile-contributor review, finding 3).

Every default-ignorable code point (Unicode's Default_Ignorable_Code_Point: bidi marks,
joiners, soft hyphen, invisible operators, variation selectors, tag characters, Hangul
fillers) and the blank-looking U+2800 in any string of a case gets a warning at that
string's value; bidi marks are named as bidi. Every message that echoes input, file names
included, shows these characters escaped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.advice import _may_hold_hidden
from generator.cli import main
from generator.load import read_case
from generator.messages import visible
from generator.report import escape, format_problem
from generator.validate import validate_paths

from .conftest import CASES, VALID

FIXTURE = "langao-fixture-mini.yaml"
HEADLINE = "headline: 第一书记按特长组成跨镇服务队，一人一资源、全团共享"
BIDI = ("an invisible character that makes the text after it display in another order on the "
        "page; delete it")
INVISIBLE = ("which is invisible: the text looks the same without it, but a search or a quote "
             "check does not match; delete it")

# The reviewer's characters (and a few more of the property), with the name the warning gives.
CHARS = {
    "\u200f": ("RIGHT-TO-LEFT MARK", BIDI),
    "\u200e": ("LEFT-TO-RIGHT MARK", BIDI),
    "\u061c": ("ARABIC LETTER MARK", BIDI),
    "\u200c": ("ZERO WIDTH NON-JOINER", INVISIBLE),
    "\u200d": ("ZERO WIDTH JOINER", INVISIBLE),
    "\u00ad": ("SOFT HYPHEN", INVISIBLE),
    "\u2061": ("FUNCTION APPLICATION", INVISIBLE),
    "\u034f": ("COMBINING GRAPHEME JOINER", INVISIBLE),
    "\U000e0041": ("TAG LATIN CAPITAL LETTER A", INVISIBLE),
    "\u115f": ("HANGUL CHOSEONG FILLER", INVISIBLE),
    "\u1160": ("HANGUL JUNGSEONG FILLER", INVISIBLE),
    "\u3164": ("HANGUL FILLER", INVISIBLE),
    "\uffa0": ("HALFWIDTH HANGUL FILLER", INVISIBLE),
    "\u2800": ("BRAILLE PATTERN BLANK", INVISIBLE),
    "\u17b4": ("KHMER VOWEL INHERENT AQ", INVISIBLE),
    "\u180b": ("MONGOLIAN FREE VARIATION SELECTOR ONE", INVISIBLE),
    "\ufe0f": ("VARIATION SELECTOR-16", INVISIBLE),
    "\U0001bca0": ("SHORTHAND FORMAT LETTER OVERLAP", INVISIBLE),
    "\U0001d173": ("MUSICAL SYMBOL BEGIN BEAM", INVISIBLE),
    "\U000e0100": ("VARIATION SELECTOR-17", INVISIBLE),
}


def _escaped(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _case_with(tmp_path: Path, ch: str, name: str = FIXTURE) -> Path:
    """The valid fixture case in tmp_path/cases/, `ch` inside its headline (line 7)."""
    folder = tmp_path / "cases"
    folder.mkdir()
    text = (VALID / FIXTURE).read_text(encoding="utf-8")
    assert text.splitlines()[6] == HEADLINE
    text = text.replace("headline: 第一书记", f"headline: 第一书记{ch}", 1)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _lines(folder: Path, monkeypatch) -> list[str]:
    monkeypatch.chdir(folder.parent)
    report = validate_paths([Path("cases")])
    return [format_problem(p) for p in report.problems if p.rule in ("bidi", "invisible")]


@pytest.mark.parametrize("ch", list(CHARS), ids=[f"U+{ord(c):04X}" for c in CHARS])
def test_each_invisible_character_is_warned_at_its_text(ch, tmp_path, monkeypatch):
    name, why = CHARS[ch]
    got = _lines(_case_with(tmp_path, ch), monkeypatch)
    assert got == [
        f"cases/{FIXTURE}:7:11: warning: `headline` contains U+{ord(ch):04X} {name} "
        f"(第一书记{_escaped(ch)}按特长组成跨镇服务队), {why} [$.headline]"]
    assert all(ch not in line for line in got)


def test_the_reviewers_exact_case_exits_0_with_the_bidi_warning(tmp_path, monkeypatch):
    """make.py 200F: U+200F in the seed case's headline; a warning, still valid."""
    folder = tmp_path / "cases"
    folder.mkdir()
    name = "yanzhou-first-secretary-alliance.yaml"
    text = (CASES / name).read_text(encoding="utf-8").replace("headline: 兖州区", "headline: 兖州\u200f区", 1)
    (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", f"cases/{name}"])
    assert result.exit_code == 0, result.output
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("headline:"))
    assert (f"cases/{name}:{line}:11: warning: `headline` contains U+200F RIGHT-TO-LEFT MARK "
            f"(兖州\\u200f区驻村第一书记以“三), {BIDI} [$.headline]") in result.output.splitlines()
    assert "\u200f" not in result.output


def test_a_character_the_reader_already_warns_about_is_warned_once(tmp_path, monkeypatch):
    got = _lines(_case_with(tmp_path, "\u200b"), monkeypatch)
    assert got == [f"cases/{FIXTURE}:7:15: warning: U+200B (zero width space) here is invisible: "
                   "the text looks the same without it, but a search or a quote check does not "
                   "match; delete it"]


def test_clean_cases_give_no_invisible_warning_and_take_the_fast_path(monkeypatch):
    report = validate_paths([CASES, VALID])
    assert report.cases
    assert [p for p in report.problems if p.rule in ("bidi", "invisible")] == []
    for case in report.cases:  # one search of the JSON text, no walk over the strings
        assert not _may_hold_hidden(case.data), case.display


@pytest.mark.parametrize("ch", ["\U00020000", "\U0001f600", "\u3000", "\u00b7"])
def test_visible_characters_near_the_ranges_give_no_warning(ch, tmp_path, monkeypatch):
    """A CJK Extension B ideograph or an emoji lies in the fast test's wide astral range: the
    walk finds nothing. An ideographic space and a middle dot are seen."""
    assert _lines(_case_with(tmp_path, ch), monkeypatch) == []


@pytest.mark.parametrize("ch", ["\u3164", "\u2800", "\u115f", "\uffa0"])
def test_file_name_with_a_blank_looking_character_is_printed_escaped(ch, tmp_path, monkeypatch):
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(VALID / FIXTURE, folder / f"ab{ch}cd.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "cases"])
    assert result.exit_code == 1  # the file name is not the id
    assert f"cases/ab{_escaped(ch)}cd.yaml:" in result.output
    assert ch not in result.output


def test_place_name_with_a_hangul_filler_is_echoed_escaped(tmp_path, monkeypatch):
    folder = tmp_path / "cases"
    folder.mkdir()
    text = (VALID / FIXTURE).read_text(encoding="utf-8")
    county = read_case(VALID / FIXTURE).data["place"]["county"]
    text = text.replace(f"county: {county}", f"county: {county[:-1]}\u3164{county[-1]}", 1)
    (folder / FIXTURE).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "cases"])
    assert result.exit_code == 1
    assert f'`county` "{county[:-1]}\\u3164{county[-1]}"' in result.output
    assert "\u3164" not in result.output


def test_escape_and_visible_show_every_default_ignorable_and_blank_character():
    hidden = "".join(CHARS) + "\ufff0\U000e0000\U000e0fff\u206f"
    for ch in hidden:
        shown = _escaped(ch) if ord(ch) > 0xFF else "\\xad"  # the report writes U+00AD as \\xad
        assert escape(f"a{ch}b") == f"a{shown}b"
        assert visible(f"岚{ch}皋") == f"岚{_escaped(ch)}皋"
    assert escape("岚皋 ㄱ 가") == "岚皋 ㄱ 가"  # Hangul letters, not fillers, stay as they are
