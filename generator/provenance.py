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
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .load import read_case
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
    text: str
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
        if candidate.is_dir():
            return candidate
    return None


def snapshot_folder(case_path) -> Path | None:
    """The nearest `sources/` folder from the case file's folder upwards, or None."""
    return _folder_of(os.path.dirname(os.path.abspath(case_path)))


_cache: dict[Path, tuple[tuple, Snapshot | None]] = {}


def snapshot(folder: Path | None, source_id: str) -> Snapshot | None:
    """The snapshot of `source_id` in `folder` (None when there is no `.txt` for it).

    Read once per process while the files are unchanged (size and mtime). Source ids are
    slugs (the schema's pattern), so the file name cannot leave the folder.
    """
    if folder is None:
        return None
    text_path = folder / f"{source_id}.txt"
    meta_path = folder / f"{source_id}.yaml"
    try:
        t = text_path.stat()
    except OSError:
        return None
    try:
        m = meta_path.stat()
        stamp = (t.st_size, t.st_mtime_ns, m.st_size, m.st_mtime_ns)
    except OSError:
        stamp = (t.st_size, t.st_mtime_ns, None, None)
    hit = _cache.get(text_path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    found = _read(source_id, text_path, meta_path)
    _cache[text_path] = (stamp, found)
    return found


def _read(source_id: str, text_path: Path, meta_path: Path) -> Snapshot:
    raw = text_path.read_bytes()
    actual = hashlib.sha256(raw).hexdigest()
    problems: list[Problem] = []
    where = display_path(text_path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        problems.append(Problem(where, 1, 1, f"snapshot is not valid UTF-8 (byte {exc.start}); "
                                "save it as UTF-8", "", ERROR, "snapshot-encoding"))
    if text.startswith("\ufeff"):
        problems.append(Problem(where, 1, 1, "snapshot starts with a byte-order mark (BOM); "
                                "save it as UTF-8 without BOM", "", ERROR, "snapshot-encoding"))
    meta: dict = {}
    if not meta_path.is_file():
        problems.append(Problem(where, 1, 1, f"snapshot has no metadata file {display_path(meta_path)}; "
                                f"add one with `cleaning:` and `sha256: {actual}` and the title as "
                                "printed or `title_visible: false` (see sources/README.md)",
                                "", ERROR, "snapshot-metadata"))
    else:
        loaded = read_case(meta_path)
        problems.extend(loaded.problems)
        if isinstance(loaded.data, dict):
            meta = loaded.data
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

    def walk(node, parts):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "quote" and isinstance(value, str):
                    source = node.get("source")
                    yield parts + (key,), source if isinstance(source, str) else only, value
                elif key != "sources":
                    yield from walk(value, parts + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, parts + (i,))

    yield from walk(data, ())


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
        by_quote[parts] = bool(snap is not None and quote in snap.text)
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
    own (`snapshot-hash`, `snapshot-metadata`, `snapshot-encoding`); warning:
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
            problems.extend(snap.problems)
    for parts, source_id, quote in quotes(data):
        snap = snaps.get(source_id) if source_id else None
        if snap is not None and quote in snap.text:
            continue
        dots = ELLIPSIS.search(quote)
        if dots:
            findings.append(Finding(index, parts, f"the quote joins passages with “{dots.group()}”; "
                                    "quote one passage per field, verbatim (put each passage in its own "
                                    "item, or keep the one that states the fact)", "quote-ellipsis"))
        elif snap is not None:
            findings.append(Finding(index, parts, _mismatch(quote, snap), "quote-not-in-source"))
    return findings, problems


def _mismatch(quote: str, snap: Snapshot) -> str:
    """Why a quote is not in the snapshot: the nearest passage and the first difference."""
    text = snap.text
    head = f"the quote is not in {snap.display}, the stored copy of its source"
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    i, j, size = matcher.find_longest_match(0, len(text), 0, len(quote))
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
