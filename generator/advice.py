"""Warnings, not errors: recommended fields a valid case lacks, and cases that look alike.

Warnings never fail validation. They are computed only for files without errors, so a
first-time contributor sees what must be fixed before what could be better.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from .completeness import Missing, missing_items
from .load import _INVISIBLE as _READER_WARNS
from .messages import visible
from .problems import WARNING
from .report import BLANK_LOOKING, DEFAULT_IGNORABLE, DEFAULT_IGNORABLE_BMP
from .rules import Finding

# Two titles are "very similar" at a difflib ratio of 0.9 or more (after dropping spaces
# and punctuation), i.e. about one character in ten differs. Titles in this field share
# long stock phrases (驻村第一书记, 组团服务, 帮扶), so two counties running the same kind of
# program differ only in their 2–3-character place name: in a 14-character title that is a
# ratio of about 0.86, and a lower threshold would flag every such pair. One program
# retold under a reworded title (驻村 dropped, quotes removed, 县 added) stays above 0.9.
TITLE_THRESHOLD = 0.9
# Titles are compared with their nearest neighbours in two sorted orders (by the text and
# by the text reversed) instead of with every other title: near-identical titles share a
# long beginning or ending and sort next to each other, and the work stays linear in the
# number of cases (a full comparison at 10,000 cases is 50 million pairs).
NEIGHBOURS = 5


def advice(index: int, case: dict) -> list[Finding]:
    """Warnings for the recommended items one schema-valid, error-free case lacks."""
    missing, _ = missing_items(case)
    # The path names the missing field; the locator, finding no such key, stops at the
    # mapping it belongs in and points at that mapping's key (or its first line).
    return [Finding(index, m.parts + (m.field,), _message(case, m), f"advice-{m.group}", "key",
                    WARNING) for m in missing if m.warn] + bidi_findings(index, case)


# Bidirectional embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069;
# U+200E, U+200F, U+061C): they make the text after them display in another order, so a
# title can read backwards on the page ("Trojan Source", CVE-2021-42574). Ids refuse them
# outright (the slug pattern); in titles, names and other text they are flagged, since a
# source could in principle print one.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Other characters drawn as nothing (soft hyphen, joiners, variation selectors, tag
# characters, Hangul fillers: report.DEFAULT_IGNORABLE) or as a blank (U+2800): the text
# looks the same without them, but a search or a quote check does not match. The few the
# reader already warns about at their character (load._INVISIBLE: U+200B, U+FEFF …) are left
# to it, so that none is reported twice.
_HIDDEN = re.compile(
    f"(?![{''.join(_READER_WARNS)}]|{_BIDI.pattern})[{DEFAULT_IGNORABLE}{BLANK_LOOKING}]")
# The test of the whole case, one pass over its JSON text, for both kinds (bidi controls are
# default-ignorable too). The astral ones are one wide range U+1BCA0–U+E0FFF: three exact
# ranges made the pass half as slow again (0.25 s instead of 0.15 s for 400 cases), one is as
# fast as the old bidi-only test; a rare character inside it (an emoji, a CJK Extension B
# ideograph) only costs a walk that finds nothing.
_ANY = re.compile(f"[{DEFAULT_IGNORABLE_BMP}{BLANK_LOOKING}\U0001bca0-\U000e0fff]")


def bidi_findings(index: int, case: dict) -> list[Finding]:
    """A warning at every text field of the case that holds a bidi control character, and
    one at every text field that holds another invisible or blank-looking character.

    Rules `bidi` and `invisible`, not `advice-…`: reported even beside errors (e.g. in a
    version-1 file).
    """
    if not _may_hold_hidden(case):  # almost every case: one pass in C instead of a walk in Python
        return []
    found = []
    for parts, text in _strings(case, ()):
        for pattern, what, rule in _HIDDEN_KINDS:
            hit = pattern.search(text)
            if hit:
                found.append(Finding(index, parts, f"`{_field(parts)}` contains {_char(hit)}, {what}; "
                                     "delete it", rule, "value", WARNING))
    return found


def _field(parts: tuple) -> str:
    return next((p for p in reversed(parts) if isinstance(p, str)), "text")


def _char(hit: re.Match) -> str:
    """`U+200F RIGHT-TO-LEFT MARK (兖州\\u200f区驻村…)`: the character and ten on each side."""
    ch, text = hit.group(), hit.string
    name = unicodedata.name(ch, "(unassigned, default ignorable)")
    return f"U+{ord(ch):04X} {name} ({visible(text[max(0, hit.start() - 10):hit.start() + 11])})"


# (pattern, what a reader is told, rule) for bidi_findings.
_HIDDEN_KINDS = (
    (_BIDI, "an invisible character that makes the text after it display in another order on the "
            "page", "bidi"),
    (_HIDDEN, "which is invisible: the text looks the same without it, but a search or a quote check "
              "does not match", "invisible"),
)


def _may_hold_hidden(case) -> bool:
    """False when no text of the case holds a bidi control or another invisible character
    (the JSON text keeps them as written)."""
    try:
        return bool(_ANY.search(json.dumps(case, ensure_ascii=False)))
    except (TypeError, ValueError):  # not JSON data: walk it
        return True


def _strings(node, parts: tuple):
    if isinstance(node, str):
        yield parts, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, parts + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, parts + (i,))


def _subject(case: dict, parts: tuple) -> str:
    if not parts:
        return "the case"
    if parts == ("place",):
        return "`place`"
    key, i = parts[0], parts[1]
    item = case[key][i]
    if len(parts) == 4:  # a model's term
        return f"term “{item['terms'][parts[3]]['name']}” of model `{item['id']}`"
    return {"models": lambda: f"model `{item['id']}`",
            "practices": lambda: f"practice “{item['title']}”",
            "sources": lambda: f"source `{item['id']}`"}[key]()


def _message(case: dict, m: Missing) -> str:
    return f"{_subject(case, m.parts)} has no `{m.field}`; {m.hint}"


@dataclass(frozen=True)
class Profile:
    """What the duplicate guard compares: small and picklable, one per valid case."""

    case_id: str
    title: str  # as written
    key: str  # the title without spaces and punctuation, NFKC-normalised
    division_code: str
    start: str | None  # "YYYY-MM"
    end: str | None  # "YYYY-MM"; "9999-12" when the case has a start and no end (ongoing)
    period: str = ""  # as written, e.g. "2023-09–2024" or "2023–"


def profile_of(case: dict) -> Profile:
    """The duplicate-guard profile of one schema-valid case."""
    period = case.get("period")
    start = end = None
    if period:
        start = period["start"] if len(period["start"]) == 7 else period["start"] + "-01"
        last = period.get("end", "9999-12")
        end = last if len(last) == 7 else last + "-12"
    key = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", case["title"])).lower()
    written = f"{period['start']}–{period.get('end', '')}" if period else ""
    return Profile(case["id"], case["title"], key, case["place"]["division_code"], start, end, written)


def duplicate_findings(cases: list[tuple[int, str, Profile]]) -> list[Finding]:
    """Warn on each case that shares division code and period, or a title, with another.

    `cases` holds (index, display path, profile) of valid cases. A case with no period
    cannot overlap: the title check still applies to it.
    """
    found: list[Finding] = []
    names = {index: name for index, name, _ in cases}
    by_code: dict[str, list[tuple[int, Profile]]] = defaultdict(list)
    for index, _name, profile in cases:
        if profile.start:
            by_code[profile.division_code].append((index, profile))
    for group in by_code.values():
        for index, profile in group:
            others = [(i, p) for i, p in group if i != index and _overlap(profile, p)]
            if not others:
                continue
            listed = ", ".join(f"{names[i]} ({p.period})" for i, p in others[:3])
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            found.append(Finding(
                index, ("place", "division_code"),
                f"looks like {listed}{more}: same division code {profile.division_code} and an "
                f"overlapping period ({profile.period}); if it is the same program, merge the "
                "cases into one file; if not, make the title and headline say how they differ",
                "duplicate-place-period", "value", WARNING))
    for index, (ratio, other) in _similar_titles(cases).items():
        o_index, o_profile = other
        found.append(Finding(
            index, ("title",),
            f"title is very similar to “{o_profile.title}” in {names[o_index]} (similarity "
            f"{ratio:.2f}); if it is the same program, merge the cases into one file; if not, "
            "make the title say what is distinctive", "duplicate-title", "value", WARNING))
    return found


def _overlap(a: Profile, b: Profile) -> bool:
    return bool(a.start and b.start and a.start <= b.end and b.start <= a.end)


def _similar_titles(cases: list[tuple[int, str, Profile]]) -> dict[int, tuple[float, tuple]]:
    """For each case whose title is very similar to a neighbour's: (ratio, (index, profile)) of
    the most similar one."""
    best: dict[int, tuple[float, tuple]] = {}
    entries = [(index, profile) for index, _name, profile in cases]
    masks = [_masks(p.key) for _, p in entries]
    for reverse in (False, True):
        order = sorted(range(len(entries)), key=lambda k: entries[k][1].key[::-1] if reverse
                       else entries[k][1].key)
        for pos, k in enumerate(order):
            a = entries[k][1].key
            matcher = None
            for m in order[pos + 1:pos + 1 + NEIGHBOURS]:
                b = entries[m][1].key
                total = len(a) + len(b)
                # Cheap upper bounds first: difflib's ratio never exceeds 2·LCS/total, and
                # the LCS never exceeds the shorter title.
                if not total or 2 * min(len(a), len(b)) < TITLE_THRESHOLD * total:
                    continue
                if 2 * _lcs(masks[k], len(a), b) < TITLE_THRESHOLD * total:
                    continue
                if matcher is None:
                    matcher = difflib.SequenceMatcher(None, autojunk=False)
                    matcher.set_seq2(a)
                matcher.set_seq1(b)
                ratio = matcher.ratio()
                if ratio < TITLE_THRESHOLD:
                    continue
                for x, y in ((k, m), (m, k)):
                    index = entries[x][0]
                    if ratio > best.get(index, (0.0, None))[0]:
                        best[index] = (ratio, entries[y])
    return best


def _masks(text: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for i, ch in enumerate(text):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    return masks


def _lcs(masks: dict[str, int], length: int, other: str) -> int:
    """Length of the longest common subsequence, bit-parallel (Hyyrö 2004)."""
    full = v = (1 << length) - 1
    for ch in other:
        u = v & masks.get(ch, 0)
        v = (v + u) | (v - u)
    return length - bin(v & full).count("1")
