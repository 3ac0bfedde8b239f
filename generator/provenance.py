"""Stage 2c: every quote against the stored snapshot of its source (issue 15).

A source can have a text snapshot in the repository's `sources/` folder (see
sources/README.md): `sources/<source-id>.txt`, the text exactly as seen, and
`sources/<source-id>.yaml`, what the copy shows (title or `title_visible: false`,
publisher, dates, URL, how it was cleaned) and the SHA-256 of the `.txt` file.

`casebook validate` runs this stage on every schema-valid case (`case_findings`):

- a quote of a source with a snapshot must be an exact substring of it; otherwise an
  error at the quote, showing the nearest passage of the snapshot and what differs;
- a quote with an ellipsis (…, ……, ...) joins passages: an error (one passage per
  field), unless the snapshot prints that very text;
- a source without a snapshot: a warning at the source ("quotes of this source are not
  verified"), shown like all advice once the file has no errors;
- the snapshot's SHA-256 must equal the one recorded beside it, and the metadata must
  say what was seen; problems are reported in `sources/<source-id>.yaml` itself.

The snapshot folder is the nearest `sources/` folder, looking from the case file's own
folder upwards (cases/x.yaml → sources/; tests/fixtures/…/x.yaml → tests/fixtures/sources/).
Each snapshot is read once per process and run (cached by path, size and mtime).
`verified_quotes(path, data)` gives the same verdicts to the export and the site.
"""

from __future__ import annotations

import contextvars
import difflib
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .load import (
    MAX_BYTES,
    FileKind,
    Refused,
    _decode_error,
    _wide_encoding,
    kind_name,
    linked_folder,
    read_case,
    read_regular,
)
from .locate import Locator
from .messages import visible
from .problems import ERROR, WARNING, Problem
from .rules import Finding

FOLDER = "sources"
# An ellipsis a writer uses to join two passages: the Chinese 省略号 (…, ……) or three dots.
ELLIPSIS = re.compile(r"…+|\.\.\.+|。。。+")
SHOW = 36  # characters of the snapshot shown around a difference
META_KEYS = ("title", "title_visible", "publisher", "authors", "published", "url", "retrieved",
             "cleaning", "note", "sha256")
_DATE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
_DAY = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_SHA = re.compile(r"^[0-9a-f]{64}$")

# The case whose data is being derived (export rows computed in a validation worker):
# `derive(data)` gets no path, so `check_file` names the case here while it runs.
_CURRENT: contextvars.ContextVar[Path | None] = contextvars.ContextVar("case_path", default=None)


@dataclass(frozen=True)
class Snapshot:
    """One stored source text: its id, files, text and metadata, and the problems found in them."""

    source_id: str
    text_path: Path
    meta_path: Path
    text: str | None  # None: the file could not be read (see problems)
    meta: dict
    sha256: str  # of the .txt file's bytes, as computed now
    problems: tuple[Problem, ...] = ()

    @property
    def display(self) -> str:
        """The snapshot's text file as printed in messages and on the site."""
        return display_path(self.text_path)


def display_path(path) -> str:
    """A snapshot file's path as printed: relative to the working directory (../ if need be)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@lru_cache(maxsize=4096)
def _folder_of(directory: str) -> Path | None:
    here = Path(directory)
    for folder in (here, *here.parents):
        candidate = folder / FOLDER
        # A `sources` that is a symbolic link is found (not followed): `folder_problem` refuses it.
        if candidate.is_symlink() or candidate.is_dir():
            return candidate
    return None


def snapshot_folder(case_path) -> Path | None:
    """The nearest `sources/` folder from the case file's folder upwards, or None."""
    return _folder_of(os.path.dirname(os.path.abspath(case_path)))


# A snapshot is one article's text: the longest seed is about 20,000 characters (60 KB).
# Above the limit it is refused before being read (a quote search in it must stay fast).
MAX_SNAPSHOT_BYTES = 2_000_000
SNAPSHOT_FILE = FileKind("source snapshot", FOLDER, MAX_SNAPSHOT_BYTES,
                         "for one snapshot; keep only the article's own text")
SNAPSHOT_META = FileKind("snapshot metadata file", FOLDER, MAX_BYTES,
                         "for snapshot metadata; keep only the fields of sources/README.md")


def folder_problem(folder: Path | None) -> Problem | None:
    """Why the snapshot folder cannot be used (a link, not a folder, not readable), or None."""
    if folder is None:
        return None
    where = display_path(folder)
    link = linked_folder(folder / "x")
    if link is not None:
        return Problem(display_path(link), 1, 1, "is a symbolic link; the folders holding source "
                       "snapshots must be real folders in the repository (links are not followed), "
                       "so no quote was checked", "", ERROR, "snapshot-file")
    try:
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            return Problem(where, 1, 1, f"is {kind_name(info.st_mode)}, not a folder; the source "
                           "snapshots must be in a real folder `sources/` (links are not followed), "
                           "so no quote was checked", "", ERROR, "snapshot-file")
        # Opening the folder is enough to know it can be listed; reading every name (listdir)
        # cost 146 ms a source at 40,000 snapshots, once per source: quadratic in the collection.
        with os.scandir(folder):
            pass
    except OSError as exc:
        why = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc)).lower()
        return Problem(where, 1, 1, f"the snapshot folder cannot be read: {why}; make it readable "
                       "(e.g. `chmod a+rx`), so that quotes can be checked", "", ERROR, "snapshot-file")
    return None


_cache: dict[Path, tuple[tuple, Snapshot | None]] = {}


def _stamp(path: Path) -> tuple | None:
    """(mode, size, mtime, reader) of a path, not following a link; None when it does not exist.

    The mode and the reading user are part of it: a chmod or another user changes what can be read."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return ("error", exc.errno)
    return (info.st_mode, info.st_size, info.st_mtime_ns, getattr(os, "geteuid", int)())


def snapshot(folder: Path | None, source_id: str) -> Snapshot | None:
    """The snapshot of `source_id` in `folder` (None when there is no `.txt` for it).

    Read once per process while the files are unchanged (mode, size, mtime and reader). Source ids
    are slugs (the schema's pattern), so the file name cannot leave the folder. Both files
    are read with the safe reader of case files (`load.read_regular`): a link, FIFO, device,
    socket or folder is refused without being opened, a text over MAX_SNAPSHOT_BYTES before
    being read. A snapshot that cannot be read has `text` None and says why in `problems`.
    """
    if folder is None:
        return None
    text_path = folder / f"{source_id}.txt"
    meta_path = folder / f"{source_id}.yaml"
    trouble = folder_problem(folder)
    t = None if trouble else _stamp(text_path)
    if trouble is None and t is None:
        return None
    # The working directory is part of the key: the problems carry paths relative to it.
    stamp = (t, None if trouble else _stamp(meta_path), trouble, os.getcwd())
    hit = _cache.get(text_path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    if trouble is not None:
        found = Snapshot(source_id, text_path, meta_path, None, {}, "", (trouble,))
    else:
        found = _read(source_id, text_path, meta_path)
    _cache[text_path] = (stamp, found)
    return found


def _decode(where: str, raw: bytes) -> tuple[str | None, Problem | None]:
    """A snapshot's text, or None and the problem: empty, a BOM, UTF-16/32, not UTF-8."""
    def refused(message, line=1, col=1):
        return None, Problem(where, line, col, message, "", ERROR, "snapshot-encoding")

    if not raw.strip():
        return refused("snapshot is empty; paste the article's text into it (see sources/README.md)")
    if raw.startswith(b"\xef\xbb\xbf"):
        return refused("snapshot starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    wide = _wide_encoding(raw) or _utf16_text(raw)
    if wide:
        return refused(f"snapshot is encoded as {wide}; save it as UTF-8 (without BOM)")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line, col, message = _decode_error(raw, exc)
        return refused(message.replace("file is", "snapshot is", 1), line, col)


_PLAIN = re.compile(r"[\t\n\r -~\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _utf16_text(raw: bytes) -> str | None:
    """Name the encoding of an article saved as UTF-16 without a BOM, or None.

    An article needs no `:` (which `load._wide_encoding` looks for), and Chinese text in
    UTF-16 has no NUL bytes: instead, the bytes are taken as UTF-16 when they are not UTF-8
    and read that way as (at least 90%) ASCII, CJK and CJK punctuation.
    """
    if len(raw) % 2:
        return None
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    for codec, name in (("utf-16-le", "UTF-16 (little-endian)"), ("utf-16-be", "UTF-16 (big-endian)")):
        try:
            text = raw[:20000].decode(codec)
        except UnicodeDecodeError:
            continue
        if text and len(_PLAIN.findall(text)) >= 0.9 * len(text):
            return f"{name}, without a byte-order mark"
    return None


def _for_metadata(problem: Problem) -> Problem:
    """A reader's problem in a snapshot metadata file, worded for that file (not a case)."""
    message = (problem.message.replace("in a case file", "in a snapshot metadata file")
               .replace("a case needs only a few levels", "metadata needs only a few levels"))
    return Problem(problem.path, problem.line, problem.col, message, problem.json_path,
                   problem.severity, problem.rule)


def _read(source_id: str, text_path: Path, meta_path: Path) -> Snapshot:
    problems: list[Problem] = []
    where = display_path(text_path)
    text, actual = None, ""
    try:
        raw = read_regular(text_path, SNAPSHOT_FILE)
    except Refused as exc:
        problems.append(Problem(where, 1, 1, exc.message + "; its quotes were not checked", "",
                                ERROR, "snapshot-file"))
    else:
        actual = hashlib.sha256(raw).hexdigest()
        text, trouble = _decode(where, raw)
        if trouble:
            problems.append(trouble)
    meta: dict = {}
    if _stamp(meta_path) is None:
        problems.append(Problem(where, 1, 1, f"snapshot has no metadata file {display_path(meta_path)}; "
                                f"add one with `cleaning:` and `sha256: {actual or '<its SHA-256>'}` "
                                "and the title as printed or `title_visible: false` (see sources/README.md)",
                                "", ERROR, "snapshot-metadata"))
    else:
        try:
            meta_raw = read_regular(meta_path, SNAPSHOT_META)
        except Refused as exc:
            problems.append(Problem(display_path(meta_path), 1, 1, exc.message, "", ERROR,
                                    "snapshot-metadata"))
        else:
            loaded = read_case(meta_path, meta_raw)
            problems.extend(
                Problem(q.path, q.line, q.col, "snapshot metadata file is empty; add `cleaning:`, "
                        f"`sha256: {actual or '<its SHA-256>'}` and the title as printed or "
                        "`title_visible: false` (see sources/README.md)", "", ERROR, "snapshot-metadata")
                if q.rule == "empty" else _for_metadata(q) for q in loaded.problems)
            if isinstance(loaded.data, dict):
                meta = loaded.data
                if actual:
                    problems.extend(_meta_problems(meta_path, loaded.text, meta, actual))
            elif not loaded.problems:
                problems.append(Problem(display_path(meta_path), 1, 1, "snapshot metadata must be a "
                                        "mapping of fields (see sources/README.md)", "", ERROR,
                                        "snapshot-metadata"))
    return Snapshot(source_id, text_path, meta_path, text, meta, actual, tuple(problems))


def _meta_problems(path: Path, text: str, meta: dict, actual: str) -> list[Problem]:
    """What is wrong in one snapshot's metadata file: each problem at its line."""
    out: list[tuple[tuple, str, str, str]] = []  # (parts, at, message, rule)
    for key in meta:
        if key not in META_KEYS:
            out.append(((key,), "key", f"unknown field `{key}`; use: {', '.join(META_KEYS)}",
                        "snapshot-metadata"))
    for key in ("title", "publisher", "url", "cleaning", "note"):
        if key in meta and not (isinstance(meta[key], str) and meta[key].strip()):
            out.append(((key,), "value", f"`{key}` must be text", "snapshot-metadata"))
    if "title" in meta and "title_visible" in meta:
        out.append((("title_visible",), "key", "give either `title` (as printed) or "
                    "`title_visible: false`, not both", "snapshot-metadata"))
    elif "title" not in meta and meta.get("title_visible") is not False:
        out.append(((), "parent", "no `title`: copy the title as printed, or write "
                    "`title_visible: false` when the copy seen shows none (never an invented title)",
                    "snapshot-metadata"))
    if "authors" in meta and not (isinstance(meta["authors"], list)
                                  and all(isinstance(a, str) and a for a in meta["authors"])):
        out.append((("authors",), "value", "`authors` must be a list of names", "snapshot-metadata"))
    for key, pattern, form in (("published", _DATE, "YYYY, YYYY-MM or YYYY-MM-DD"),
                               ("retrieved", _DAY, "YYYY-MM-DD")):
        if key in meta and not (isinstance(meta[key], str) and pattern.match(meta[key])):
            out.append(((key,), "value", f"`{key}` must be a quoted date {form}", "snapshot-metadata"))
    if "cleaning" not in meta:
        out.append(((), "parent", "no `cleaning`: say how the text was cleaned, or that it is "
                    "unchanged (未改动)", "snapshot-metadata"))
    recorded = meta.get("sha256")
    txt = display_path(path.with_suffix(".txt"))
    if recorded is None:
        out.append(((), "parent", f"no `sha256`: add `sha256: {actual}` (the SHA-256 of {txt})",
                    "snapshot-hash"))
    elif not (isinstance(recorded, str) and _SHA.match(recorded)):
        out.append((("sha256",), "value", f"`sha256` must be 64 lower-case hex digits; {txt} has "
                    f"`sha256: {actual}`", "snapshot-hash"))
    elif recorded != actual:
        out.append((("sha256",), "value", f"{txt} does not match its recorded SHA-256: the file "
                    f"has {actual}. If the text was changed on purpose (a better copy of the "
                    f"article), set `sha256: {actual}` and say what changed in `cleaning`; "
                    "otherwise restore the text as seen", "snapshot-hash"))
    locator = Locator(text)
    shown = display_path(path)
    problems = []
    for parts, at, message, rule in out:
        line, col = locator.position(parts, at) if parts else (1, 1)
        problems.append(Problem(shown, line, col, message, "", ERROR, rule))
    return problems


def stamp(case_paths) -> tuple:
    """What the snapshots of these cases' folders look like now (names, sizes, mtimes).

    A long-lived checker (`validate.Checker`, `mkdocs serve`) compares it between runs: a
    changed, added or removed snapshot changes which quotes verify, even in unchanged cases.
    """
    folders = sorted({f for f in (snapshot_folder(p) for p in case_paths) if f is not None})
    out = []
    for folder in folders:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            out.append((str(folder), entry.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def quotes(data: dict) -> Iterator[tuple[tuple, str | None, str]]:
    """(json path parts of the quote, source id or None, quote) for every `quote` in a case.

    A quote's source is its item's `source`; an item without one (a model term may omit
    it) belongs to the case's only source when it has exactly one, else to none.
    """
    sources = data.get("sources") or []
    only = sources[0].get("id") if len(sources) == 1 and isinstance(sources[0], dict) else None

    found = []

    # Into dicts and lists only, collecting into one list: a generator per node (every
    # string included) was 7% of validate's time on real-shaped cases.
    def walk(node, parts):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "quote" and isinstance(value, str):
                    source = node.get("source")
                    found.append((parts + (key,), source if isinstance(source, str) else only, value))
                elif key != "sources" and isinstance(value, (dict, list)):
                    walk(value, parts + (key,))
        else:
            for i, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    walk(value, parts + (i,))

    walk(data, ())
    yield from found


@dataclass
class Verdicts:
    """What verification found for one case: per quote and per source."""

    by_quote: dict  # json path parts of a quote → True (verified) / False
    snapshots: dict  # source id → Snapshot or None
    source_of: dict = field(default_factory=dict)  # json path parts of a quote → source id

    def verified(self, parts: tuple) -> bool:
        """True when the quote at `parts` is an exact substring of its source's snapshot."""
        return self.by_quote.get(tuple(parts), False)

    def counts(self) -> dict:
        """source id → (verified quotes, all quotes) of that source."""
        out: dict[str, list[int]] = {}
        for parts, ok in self.by_quote.items():
            source = self.source_of.get(parts)
            entry = out.setdefault(source, [0, 0])
            entry[0] += ok
            entry[1] += 1
        return {k: tuple(v) for k, v in out.items()}


def verified_quotes(case_path, data: dict) -> Verdicts:
    """Each quote's verdict for one loaded case (no messages): for the export and the site.

    `case_path` None means the case being derived in `check_file` (see `reading`).
    """
    path = case_path if case_path is not None else _CURRENT.get()
    folder = snapshot_folder(path) if path is not None else None
    snaps: dict[str, Snapshot | None] = {}
    by_quote: dict[tuple, bool] = {}
    verdicts = Verdicts(by_quote, snaps)
    for source in data.get("sources") or []:
        if isinstance(source, dict) and isinstance(source.get("id"), str):
            snaps[source["id"]] = snapshot(folder, source["id"])
    for parts, source_id, quote in quotes(data):
        snap = snaps.get(source_id) if source_id else None
        by_quote[parts] = bool(snap is not None and snap.text is not None and quote in snap.text)
        verdicts.source_of[parts] = source_id
    return verdicts


class reading:  # noqa: N801 - used as `with provenance.reading(path):`
    """Name the case whose data `verified_quotes(None, data)` is about, while a block runs."""

    def __init__(self, path):
        self.path = Path(path) if path is not None else None

    def __enter__(self):
        self._token = _CURRENT.set(self.path)
        return self

    def __exit__(self, *exc):
        _CURRENT.reset(self._token)


def case_findings(index: int, case_path, data: dict) -> tuple[list[Finding], list[Problem]]:
    """Quote verification of one schema-valid case.

    Returns (findings in the case file, to be located there; problems in snapshot files,
    already located). Errors: `quote-not-in-source`, `quote-ellipsis`, and the snapshot's
    own (`snapshot-hash`, `snapshot-metadata`, `snapshot-encoding`, and `snapshot-file` for a
    snapshot or snapshot folder that is a link, not a regular file, too large or unreadable:
    then its quotes are not checked); warning:
    `advice-snapshot` (a source without a snapshot).
    """
    folder = snapshot_folder(case_path)
    findings: list[Finding] = []
    problems: list[Problem] = []
    snaps: dict[str, Snapshot | None] = {}
    for i, source in enumerate(data["sources"]):
        snap = snaps[source["id"]] = snapshot(folder, source["id"])
        if snap is None:
            findings.append(Finding(index, ("sources", i), f"source `{source['id']}` has no snapshot: "
                                    "quotes of this source are not verified; add its text as "
                                    f"sources/{source['id']}.txt with sources/{source['id']}.yaml "
                                    "(see sources/README.md)", "advice-snapshot", "parent", WARNING))
        else:
            said = {(q.path, q.line, q.col, q.message) for q in problems}
            problems.extend(q for q in snap.problems if (q.path, q.line, q.col, q.message) not in said)
    searched = 0
    for parts, source_id, quote in quotes(data):
        snap = snaps.get(source_id) if source_id else None
        if snap is not None and (snap.text is None or quote in snap.text):
            continue  # an unreadable snapshot is one error in its own file, not one per quote
        dots = ELLIPSIS.search(quote)
        if dots:
            findings.append(Finding(index, parts, f"the quote joins passages with “{dots.group()}”; "
                                    "quote one passage per field, verbatim (put each passage in its own "
                                    "item, or keep the one that states the fact)", "quote-ellipsis"))
        elif snap is not None:
            searched += 1
            message = _mismatch(quote, snap) if searched <= MAX_NEAREST else (
                f"the quote is not in {snap.display}, the stored copy of its source (the nearest "
                f"passage is shown for the first {MAX_NEAREST} such quotes of a case); copy the "
                "quote again from the source, character for character")
            findings.append(Finding(index, parts, message, "quote-not-in-source"))
    return findings, problems


def _mismatch(quote: str, snap: Snapshot) -> str:
    """Why a quote is not in the snapshot: the nearest passage and the first difference."""
    text = snap.text
    head = f"the quote is not in {snap.display}, the stored copy of its source"
    i, j, size = _anchor(text, quote)
    if size < max(2, len(quote) // 3):
        return head + "; no passage of it comes close: check the `source` and copy the quote again"
    slack = 8 + len(quote) // 4
    lo = max(0, i - j - slack)
    hi = min(len(text), i - j + len(quote) + slack)
    window = text[lo:hi]
    ops = [op for op in difflib.SequenceMatcher(None, window, quote, autojunk=False).get_opcodes()]
    # Source text before the quote's first character and after its last is context, not a difference.
    while ops and ops[0][0] == "delete":
        ops.pop(0)
    while ops and ops[-1][0] == "delete":
        ops.pop()
    diffs = [op for op in ops if op[0] != "equal"]
    if not ops or not diffs:
        return head
    start, end = ops[0][1], ops[-1][2]
    passage = window[start:end]
    tag, a1, a2, b1, b2 = diffs[0]
    src, got = _show(window[a1:a2]), _show(quote[b1:b2])
    what = {"replace": f"the quote has {got} where the source has {src}",
            "insert": f"the quote adds {got}, which the source does not have",
            "delete": f"the quote leaves out {src}"}[tag]
    more = f" (and {len(diffs) - 1} more difference{'s' if len(diffs) > 2 else ''})" if len(diffs) > 1 else ""
    return (f"{head}; nearest passage: “{_clip(passage, a1 - start)}”; {what}{more}; "
            "copy the quote again from the source, character for character")


PIECES = 16  # pieces of a quote looked up per piece size, spread evenly over the quote
MAX_NEAREST = 10  # quotes of one case shown with their nearest passage; the rest name the file only


def _anchor(text: str, quote: str) -> tuple[int, int, int]:
    """(i, j, size): a longest run text[i:i+size] == quote[j:j+size] near the quote's best place.

    Bounded work, whatever the sizes: at most 3 × PIECES pieces of the quote (8, then 4,
    then 2 characters, spread over it) are looked up in the text with `str.find` (a C scan,
    about 2 ms on a 2 MB snapshot); each piece found votes for where the quote would start.
    Only the three most voted places are compared with difflib, on a window about the
    quote's length. (difflib over the whole snapshot took seconds per quote on a 2 MB text.)
    """
    votes: dict[int, int] = {}
    for n in (8, 4, 2):
        if len(quote) < n:
            continue
        last = len(quote) - n
        for j in sorted({k * last // (PIECES - 1) for k in range(PIECES)}):
            at = text.find(quote[j:j + n])
            if at >= 0:
                votes[at - j] = votes.get(at - j, 0) + n
        if votes:
            break
    best = (0, 0, 0)
    for start in sorted(votes, key=lambda k: (-votes[k], k))[:3]:
        lo = max(0, start - 8)
        hi = min(len(text), start + len(quote) + 8)
        i, j, size = difflib.SequenceMatcher(None, text[lo:hi], quote, autojunk=False).find_longest_match(
            0, hi - lo, 0, len(quote))
        if size > best[2]:
            best = (lo + i, j, size)
    return best


def _show(text: str) -> str:
    if text.strip() == "":
        return {" ": "a space", "\n": "a line break"}.get(text, f"{len(text)} blank characters")
    text = visible(text).replace("\n", "\\n")
    return "“" + (text if len(text) <= 12 else text[:11] + "…") + "”"


def _clip(passage: str, at: int) -> str:
    """The passage, escaped and cut to about SHOW characters around position `at`."""
    if len(passage) > SHOW:
        lo = max(0, min(at - SHOW // 3, len(passage) - SHOW))
        passage = ("…" if lo else "") + passage[lo:lo + SHOW] + ("…" if lo + SHOW < len(passage) else "")
    return visible(passage).replace("\n", "\\n")
