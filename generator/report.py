"""Stage 3 for validation: print problems for people (text) or for GitHub Actions.

Everything printed passes through `escape`, once, here: case text, keys and file names
come from strangers, and a raw ESC, CR or newline in them could recolour or erase the
terminal's lines or forge a `path:line:col` line of its own.
"""

from __future__ import annotations

import re

from .problems import Problem

# Characters shown escaped: controls (C0, DEL, C1), the format characters (Unicode
# category Cf: bidi controls such as U+202E, zero-width characters, soft hyphen …), the
# line and paragraph separators, surrogates and noncharacters. The list follows Unicode
# 14 (Python 3.11's unicodedata); tests/test_untrusted.py checks it against unicodedata.
_UNSAFE_RANGES = (
    "\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
)
UNSAFE = re.compile(f"[{_UNSAFE_RANGES}]")
# Unicode's Default_Ignorable_Code_Point property, which Python's unicodedata does not give:
# characters drawn as nothing (soft hyphen, joiners, bidi marks, variation selectors, tag
# characters, Hangul fillers), copied from DerivedCoreProperties.txt of Unicode 15.1. Most
# are format characters (in UNSAFE too); the rest are letters, marks or unassigned, and look
# like nothing or like a space.
DEFAULT_IGNORABLE_BMP = (
    "\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
)
DEFAULT_IGNORABLE = DEFAULT_IGNORABLE_BMP + "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
# Not default-ignorable but drawn as a blank or as nothing: U+2800 BRAILLE PATTERN BLANK (So);
# the interlinear annotation marks U+FFF9–U+FFFB (Cf), which browsers draw as nothing (review).
BLANK_LOOKING = "\u2800\ufff9-\ufffb"
# What `escape` writes as an escape: the unsafe characters and the invisible ones.
_SHOWN_ESCAPED = re.compile(f"[{_UNSAFE_RANGES}{DEFAULT_IGNORABLE}{BLANK_LOOKING}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    cp = ord(char)
    if cp < 0x100:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def escape(text: str) -> str:
    """Text safe to print on one terminal line: controls, invisible format characters and
    other invisible or blank-looking characters (`DEFAULT_IGNORABLE`, `BLANK_LOOKING`)
    escaped the way Python writes them (`\\x1b`, `\\n`, `\\r`, `\\u2028`, `\\u202e`,
    `\\u3164`).

    Printable text, Chinese included, is unchanged; so is a backslash.
    """
    if _SHOWN_ESCAPED.search(text) is None:  # one pass in C: almost every message
        return text
    return _SHOWN_ESCAPED.sub(_escaped, text)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_problem(problem: Problem, fmt: str = "text") -> str:
    """One problem as `path:line:col: message [json.path]` or a GitHub annotation.

    The path, message and JSON path are escaped (see `escape`), so one problem is always
    exactly one line, in both formats.
    """
    path, message = escape(problem.path), escape(problem.message)
    tail = f" [{escape(problem.json_path)}]" if problem.json_path else ""
    if fmt == "github":
        level = "error" if problem.is_error else "warning"
        return (f"::{level} file={_escape_prop(path)},line={problem.line},"
                f"col={problem.col},title={_escape_prop(escape(problem.rule) or 'casebook')}::"
                f"{_escape_data(message + tail)}")
    level = "" if problem.is_error else "warning: "
    return f"{path}:{problem.line}:{problem.col}: {level}{message}{tail}"
