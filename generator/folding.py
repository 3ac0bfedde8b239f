"""Folded YAML lines without stray spaces in Chinese (issue 15).

A `>`-folded block scalar joins its lines with a space. Between two Chinese characters
(or after full-width punctuation, or between Chinese and a digit) that space is not in the
text the author meant: 文章说\\n  明 becomes “文章说 明”. The
site used to drop such gaps only when rendering (after full-width punctuation, in
render.paras); the loader now drops every gap that a fold put between two CJK
characters (see `joins_tight`), so validation, the data package and the site see the
same text.

Only fold points change: a space the author typed inside a line stays, and so does any
line break that folding keeps (an empty line, a more-indented line). The loader never
applies this to a `quote`, which must stay exactly as in the source.
"""

from __future__ import annotations

import re

# CJK ideographs and the punctuation written with them: CJK symbols and punctuation
# (。、「」…), full-width forms (，：！？（）), the curly quotes “”‘’, the dash — and …,
# kana and Hangul. ASCII letters and digits are not: 共 12 个 keeps its spaces.
_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff01-\uff60"
    "\uffe0-\uffe6\u2014\u2018\u2019\u201c\u201d\u2026]"
)
_HEADER = re.compile(r">([+-]?)[ \t]*(?:#.*)?$")


# Punctuation written full-width: no space ever follows it in Chinese text (。 2022年 is a fold).
# (Not the curly quotes ” ’: English text uses them too, “…” English keeps its space.)
_FULL_WIDTH_STOP = frozenset("，。；：、！？）」』》〉】")


def is_cjk(ch: str) -> bool:
    """True for a Chinese (CJK) character or full-width punctuation mark."""
    return bool(_CJK.match(ch))


def joins_tight(left: str, right: str) -> bool:
    """True when a fold between `left` and `right` (the characters either side) adds no space.

    Between two CJK characters, after full-width punctuation, and between a CJK character and
    an ASCII digit (去年 9月 → 去年9月); a Latin word next to Chinese keeps its space
    (见 sources/README.md).
    """
    if left in _FULL_WIDTH_STOP:
        return True
    if is_cjk(left):
        return is_cjk(right) or right.isascii() and right.isdigit()
    return left.isascii() and left.isdigit() and is_cjk(right)


def _fold(lines: list[str], indent: int, chomp: str, tight: bool) -> str:
    """YAML 1.2 folding of a block scalar's content lines; `tight` joins CJK without a space."""
    out: list[str] = []
    empties = 0
    prev_spaced: bool | None = None  # None before the first non-empty line
    for raw in lines:
        if raw.strip(" ") == "":
            empties += 1
            continue
        line = raw[indent:]
        spaced = line[:1] in (" ", "\t")
        if prev_spaced is None:
            out.append("\n" * empties)
        elif not spaced and not prev_spaced:
            if empties:
                out.append("\n" * empties)
            else:
                last = out[-1][-1:] if out else ""
                out.append("" if tight and joins_tight(last, line[:1]) else " ")
        else:
            out.append("\n" * (empties + 1))
        out.append(line)
        empties, prev_spaced = 0, spaced
    body = "".join(out)
    if chomp == "-" or not body:
        return body if chomp != "+" else body + "\n" * empties
    return body + "\n" + ("\n" * empties if chomp == "+" else "")


def unfold_cjk(value: str, lines: list[str], start_line: int, start_col: int, end_line: int) -> str:
    """`value` of a `>` block scalar with the spaces folding put between CJK characters removed.

    `lines` is the file's text split on "\\n"; the scalar's indicator is at
    (`start_line`, `start_col`) (0-based) and its content ends before `end_line`. When the
    scalar has a form this function does not rebuild exactly (an explicit indentation
    indicator, tabs, CR line ends), `value` is returned unchanged: it never guesses.
    """
    if " " not in value:
        return value
    header = _HEADER.match(lines[start_line][start_col:]) if start_line < len(lines) else None
    if header is None:
        return value
    body = lines[start_line + 1:end_line]
    filled = [raw for raw in body if raw.strip(" ")]
    if not filled or any("\r" in raw or "\t" in raw for raw in body):
        return value
    indent = len(filled[0]) - len(filled[0].lstrip(" "))
    if any(raw.strip(" ") and raw[:indent].strip(" ") for raw in body):
        return value  # a line less indented than the first: not this scalar's shape
    chomp = header.group(1)
    if _fold(body, indent, chomp, tight=False) != value:
        return value
    return _fold(body, indent, chomp, tight=True)
