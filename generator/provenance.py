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
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .load import (
    _BAD_IN_FILE,
    MAX_BYTES,
    FileKind,
    Refused,
    _decode_error,
    _leftover,
    _wide_encoding,
    describe_char,
    kind_name,
    linked_folder,
    read_case,
    read_regular,
    text_position,
)
from .locate import Locator
from .messages import _INVISIBLE, visible
from .problems import ERROR, WARNING, Problem
from .rules import Finding, calendar_problem
from .schema import load_schema

FOLDER = "sources"
# An ellipsis a writer uses to join two passages: the Chinese 省略号 (…, ……) or three dots.
ELLIPSIS = re.compile(r"…+|\.\.\.+|。。。+")
SHOW = 36  # characters of the snapshot shown around a difference
META_KEYS = ("title", "title_visible", "publisher", "authors", "published", "url", "retrieved",
             "cleaning", "note", "sha256", "removed")
# A snapshot's dates have the forms of the case's own: `published` as a source's, `retrieved`
# as `last_reviewed` (a day). Taken from the schema, so the two can never drift apart.
_DATE = re.compile(load_schema()["definitions"]["source"]["properties"]["published"]["pattern"])
_DAY = re.compile(load_schema()["properties"]["last_reviewed"]["pattern"])
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
        else:
            problems.extend(_char_problems(where, text))
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
                    problems.extend(_meta_problems(meta_path, loaded.text, meta, actual, text))
            elif not loaded.problems:
                problems.append(Problem(display_path(meta_path), 1, 1, "snapshot metadata must be a "
                                        "mapping of fields (see sources/README.md)", "", ERROR,
                                        "snapshot-metadata"))
    return Snapshot(source_id, text_path, meta_path, text, meta, actual, tuple(problems))


# What a contributor writes when the copy seen shows no title: the README asks for
# `title_visible: false` instead ("never an invented title").
_PLACEHOLDER_TITLE = re.compile(
    r"^[\s（(【\[<《]*(?:(?:原文|所见版本|文章)?(?:无标题|没有标题|未显示标题|未见标题|暂无标题|标题不详|标题未知)"
    r"|未命名|无题|标题|untitled|no title|none|n/?a|[?？]+)[\s）)】\]>》]*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _url_pattern() -> str:
    return load_schema()["definitions"]["source"]["properties"]["url"]["pattern"]


@lru_cache(maxsize=1)
def _url_rule() -> str:
    """The schema's own wording of the URL rule (its English half)."""
    text = load_schema()["definitions"]["source"]["properties"]["url"]["description"]
    return text[text.index("A full http"):]


def _squeezed(text: str) -> str:
    """Text without white space: a title printed on two lines is still the title."""
    return "".join(text.split())


def _char_problems(where: str, text: str) -> list[Problem]:
    """Characters a stored copy must not hold, each at its line and column of the .txt.

    Control characters, U+2028/2029/NEL and noncharacters are errors (the rules of case files,
    sources/README.md): no article shows them, and a quote copied from the article cannot
    match them. Other invisible characters (zero-width spaces, bidi controls, private use) are
    warnings: a web copy may carry them, and a quote matches only if it has them too.
    """
    out = []
    bad = [(m.start(), m.group()) for m in _BAD_IN_FILE.finditer(text)]
    for index, char in bad[:10]:
        line, col = text_position(text, index)
        out.append(Problem(where, line, col, f"{describe_char(char)} is not allowed in a source snapshot: "
                           "no article shows it, and a quote copied from the article cannot match "
                           "it; delete it (or make it a normal line break), then update `sha256` and "
                           "say so in `cleaning`", "", ERROR, "snapshot-character"))
    # One C pass decides: line breaks, tabs and spaces of every kind (U+3000 in Chinese text)
    # are not "printable" to Python but are not what is looked for here.
    if not text.translate(_BREAKS_AND_SPACES).isprintable():
        hidden = [(i, ch) for i, ch in enumerate(text) if ch not in "\t\n\r"
                  and unicodedata.category(ch) in _INVISIBLE and not _BAD_IN_FILE.match(ch)]
        for index, char in hidden[:10]:
            line, col = text_position(text, index)
            out.append(Problem(where, line, col, f"invisible character U+{ord(char):04X} "
                               f"({unicodedata.name(char, 'unnamed').lower()}): a quote copied from the "
                               "article will not have it, so a quote across it does not match; if the "
                               "article does not show it, delete it, then update `sha256` and say so in "
                               "`cleaning`", "", WARNING, "snapshot-character"))
    return out


_BREAKS_AND_SPACES = dict.fromkeys(
    [9, 10, 13] + [cp for cp in range(0x3001) if chr(cp).isspace() and unicodedata.category(chr(cp)) == "Zs"])


@dataclass(frozen=True)
class _Listing:
    """What the snapshot folder holds: problems of its files, the ids with a text, and the ids
    whose text was removed on request (`removed:` in a metadata file without text)."""

    problems: list
    texts: frozenset = frozenset()
    removed: dict = field(default_factory=dict)


def folder_listing(folder: Path | None) -> _Listing:
    """The snapshot folder's files, checked (an empty listing when there is no usable folder).

    Snapshots are `<source id>.txt` with `<source id>.yaml`, in lower case, directly in the
    folder (the source id is a slug); README.md is allowed. Any other file or folder is an
    error, as in cases/: a snapshot saved under a near name (`x.TXT`, `x.txt.txt`, `x.md`,
    `sources/x/`) would otherwise be skipped and its source's quotes left unchecked without a
    word; hidden and backup files are warnings. A `.yaml` without its `.txt` is an error. Two
    `.txt` files with the same bytes are a warning (one article stored twice, or a source
    given another article's text). Listed once per process while the folder is unchanged (its
    mtime); only same-size texts are read.
    """
    if folder is None or folder_problem(folder) is not None:
        return _Listing([])
    try:
        key = (folder, os.lstat(folder).st_mtime_ns, os.getcwd())
    except OSError:
        return _Listing([])
    hit = _folder_cache.get(folder)
    if hit is not None and hit[0] == key:
        return hit[1]
    found = _folder_problems(folder)
    _folder_cache[folder] = (key, found)
    return found


_folder_cache: dict[Path, tuple[tuple, _Listing]] = {}
_SNAPSHOT_NAME = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.(txt|yaml)$")


def _folder_problems(folder: Path) -> _Listing:
    out = []
    texts, metas, sizes = set(), {}, {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return _Listing([])
    for entry in entries:
        name, where = entry.name, display_path(Path(entry.path))
        named = _SNAPSHOT_NAME.match(name)
        if name == "README.md" or (named and not entry.is_dir(follow_symlinks=False)):
            if named:
                # A link, FIFO, device or oversized file is refused whether a case cites it or
                # not (a link to a file outside the repository passed CI when no case cited it:
                # review); the message is the one a cited snapshot gets, so it is said once.
                text = named[2] == "txt"
                refused = _kind_problem(Path(entry.path), SNAPSHOT_FILE if text else SNAPSHOT_META)
                if refused:
                    said = refused + ("; its quotes were not checked" if text else "")
                    out.append(Problem(where, 1, 1, said, "", ERROR,
                                       "snapshot-file" if text else "snapshot-metadata"))
            if named and named[2] == "txt":
                texts.add(named[1])
                try:
                    sizes.setdefault(entry.stat(follow_symlinks=False).st_size, []).append(Path(entry.path))
                except OSError:
                    pass
            elif named:
                metas[named[1]] = where
            continue
        if _leftover(name):
            out.append(Problem(where, 1, 1, "not a snapshot (an editor's or the system's hidden or "
                               "backup file?); it is not read", "", WARNING, "snapshot-file"))
            continue
        if entry.is_dir(follow_symlinks=False):
            if named:  # a folder named like a snapshot: reading it says so, where it is cited
                if named[2] == "txt":
                    texts.add(named[1])
                continue
            why = ("is a folder; snapshots are files directly in the snapshot folder "
                   "(sources/<source id>.txt and sources/<source id>.yaml): move them up, or the "
                   "folder out (nothing in it is read)")
        else:
            stem = name.lower()
            while stem.endswith((".txt", ".yaml", ".yml", ".md", ".text")):
                stem = stem.rsplit(".", 1)[0]
            hint = (f" (`{stem}.txt`?)" if _SNAPSHOT_NAME.match(f"{stem}.txt") and stem != name else "")
            why = ("is not a snapshot file: snapshots are named `<source id>.txt` (the text) and "
                   f"`<source id>.yaml` (what the copy shows), in lower case{hint}; rename it if it "
                   "is one, otherwise move it out of the snapshot folder (it was not read)")
        out.append(Problem(where, 1, 1, why, "", ERROR, "snapshot-file"))
    removed = {}
    for source_id, where in metas.items():
        if source_id in texts:
            continue
        note = _removal(folder / f"{source_id}.yaml")
        if note:
            removed[source_id] = note  # taken down on request: the metadata says when and why
            continue
        out.append(Problem(where, 1, 1, f"snapshot metadata without its text: put the article's "
                           f"text in {display_path(folder / (source_id + '.txt'))} (or, when the text "
                           "was removed on request, say so in `removed:`, see sources/README.md)", "",
                           ERROR, "snapshot-file"))
    for paths in sizes.values():
        if len(paths) > 1:
            out.extend(_same_texts(paths))
    return _Listing(out, frozenset(texts), removed)


def _removal(meta_path: Path) -> str | None:
    """The `removed:` note of a metadata file whose text was taken down, or None."""
    try:
        loaded = read_case(meta_path, read_regular(meta_path, SNAPSHOT_META))
    except Refused:
        return None
    note = loaded.data.get("removed") if isinstance(loaded.data, dict) else None
    return note.strip() if isinstance(note, str) and note.strip() else None


def _kind_problem(path: Path, kind: FileKind) -> str | None:
    """Why the safe reader refuses `path` (not a regular file, over the size limit), or None;
    nothing is opened that it would not open."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISREG(info.st_mode) and info.st_size <= kind.limit:
        return None
    try:
        read_regular(path, kind)
    except Refused as exc:
        return exc.message
    return None


def _same_texts(paths: list[Path]) -> list[Problem]:
    """A warning on each .txt whose bytes equal an earlier one's (paths: same size, in order)."""
    seen: dict[str, Path] = {}
    out = []
    for path in paths:
        try:
            digest = hashlib.sha256(read_regular(path, SNAPSHOT_FILE)).hexdigest()
        except Refused:
            continue  # its own snapshot problem says why
        if digest in seen:
            first = display_path(seen[digest])
            out.append(Problem(display_path(path), 1, 1, f"has the same text as {first}: "
                               "if both are the same article (cited by two cases), "
                               "keep the copies identical and remove both if it is taken down; otherwise "
                               "one of them holds the wrong article's text", "", WARNING,
                               "snapshot-duplicate"))
        else:
            seen[digest] = path
    return out


def _meta_problems(path: Path, text: str, meta: dict, actual: str,
                   article: str | None = None) -> list[Problem]:
    """What is wrong in one snapshot's metadata file: each problem at its line. `article`:
    the snapshot's text, when it could be read."""
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
    elif isinstance(meta.get("title"), str) and _PLACEHOLDER_TITLE.match(meta["title"]):
        out.append((("title",), "value", f"`title` {_show(meta['title'])} is a placeholder, not a "
                    "title: when the copy seen shows no title, write `title_visible: false` instead",
                    "snapshot-metadata"))
    elif isinstance(meta.get("title"), str) and sum(ch.isalnum() for ch in meta["title"]) < MIN_LETTERS:
        out.append((("title",), "value", f"`title` {_show(meta['title'])} is not a title (fewer than "
                    f"{MIN_LETTERS} letters or digits): copy the title as printed, or write "
                    "`title_visible: false`", "snapshot-metadata"))
    elif (isinstance(meta.get("title"), str) and meta["title"].strip() and article is not None
          and _squeezed(meta["title"]) not in _squeezed(article)):
        out.append((("title",), "value", f"`title` {_show(meta['title'])} is not in "
                    f"{display_path(path.with_suffix('.txt'))}: copy the title as the text prints it "
                    "(the stored copy should include it), or write `title_visible: false` when the copy "
                    "seen shows none", "snapshot-title"))
    elif "title" not in meta and meta.get("title_visible") is not False:
        out.append(((), "parent", "no `title`: copy the title as printed, or write "
                    "`title_visible: false` when the copy seen shows none (never an invented title)",
                    "snapshot-metadata"))
    if (isinstance(meta.get("published"), str) and isinstance(meta.get("retrieved"), str)
            and _DATE.match(meta["published"]) and _DAY.match(meta["retrieved"])
            and meta["retrieved"] < meta["published"][:10]):
        out.append((("retrieved",), "value", f"`retrieved` {meta['retrieved']} is before `published` "
                    f"{meta['published']}: a text cannot be copied before it appeared", "snapshot-metadata"))
    if article is not None:
        # What the copy prints, it prints in its text (every seed snapshot does): a publisher
        # (without its bracketed note) or an author missing from the text is a warning.
        squeezed = _squeezed(article)
        publisher = meta.get("publisher")
        if isinstance(publisher, str) and publisher.strip() and _squeezed(
                re.split(r"[（(【\[]", publisher)[0]) not in squeezed:
            out.append((("publisher",), "value", f"`publisher` {_show(publisher)} is not in "
                        f"{display_path(path.with_suffix('.txt'))}: record the publisher the copy prints",
                        "snapshot-printed"))
        for k, author in enumerate(meta.get("authors") or []):
            if isinstance(author, str) and author.strip() and _squeezed(author) not in squeezed:
                out.append((("authors", k), "value", f"author {_show(author)} is not in "
                            f"{display_path(path.with_suffix('.txt'))}: record the names the copy prints",
                            "snapshot-printed"))
    url = meta.get("url")
    if isinstance(url, str) and url.strip() and not re.match(_url_pattern(), url):
        # The same rule as a case's sources[].url: the stored copy's metadata is untrusted input too.
        # Shown whole (up to 200 characters): the fault may be at its end.
        shown = "“" + visible(url if len(url) <= 200 else url[:199] + "…") + "”"
        out.append((("url",), "value", f"`url` {shown} is not a plain http(s) address: "
                    f"{_url_rule()}", "snapshot-metadata"))
    if "authors" in meta and not (isinstance(meta["authors"], list)
                                  and all(isinstance(a, str) and a for a in meta["authors"])):
        out.append((("authors",), "value", "`authors` must be a list of names", "snapshot-metadata"))
    for key, pattern, form in (("published", _DATE, "YYYY, YYYY-MM or YYYY-MM-DD"),
                               ("retrieved", _DAY, "YYYY-MM-DD")):
        if key in meta and not (isinstance(meta[key], str) and pattern.match(meta[key])):
            out.append(((key,), "value", f"`{key}` must be a quoted date {form}", "snapshot-metadata"))
        elif key in meta and len(meta[key]) == 10 and (wrong := calendar_problem(meta[key], key)):
            out.append(((key,), "value", wrong, "snapshot-metadata"))
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
                    f"article), set `sha256: {actual}` and say what changed in `cleaning` (reviewers "
                    "compare a changed copy with the article before merging; never change it to fit "
                    "a quote); otherwise restore the text as seen", "snapshot-hash"))
    locator = Locator(text)
    shown = display_path(path)
    problems = []
    for parts, at, message, rule in out:
        line, col = locator.position(parts, at) if parts else (1, 1)
        advice = rule in ("snapshot-title", "snapshot-printed")  # what the text may print otherwise
        problems.append(Problem(shown, line, col, message, "", WARNING if advice else ERROR, rule))
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
        if source_id is None:  # no `source`, several sources: the one whose stored copy holds it
            source_id = next((k for k, v in snaps.items() if v is not None and v.text is not None
                              and quote in v.text), None)
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
    listing = folder_listing(folder)  # once per case: the folder's files and what they hold
    findings: list[Finding] = []
    problems: list[Problem] = list(listing.problems)
    snaps: dict[str, Snapshot | None] = {}
    for i, source in enumerate(data["sources"]):
        snap = snaps[source["id"]] = snapshot(folder, source["id"])
        if snap is None:
            findings.append(Finding(index, ("sources", i), _no_snapshot(listing, source["id"]),
                                    "advice-snapshot", "parent", WARNING))
        else:
            said = {(q.path, q.line, q.col, q.message) for q in problems}
            problems.extend(q for q in snap.problems if (q.path, q.line, q.col, q.message) not in said)
            findings.extend(_described_as(index, i, source, snap))
    searched = 0
    for parts, source_id, quote in quotes(data):
        letters = sum(ch.isalnum() for ch in quote)
        # The schema counts characters; spaces and punctuation prove nothing. A model term's quote
        # may be the part's own three-character name as printed (“土专家”).
        if letters < MIN_LETTERS and "terms" not in parts:
            findings.append(Finding(index, parts, f"the quote {_show(quote)} has {letters} letter(s) or "
                                    f"digit(s), at least {MIN_LETTERS}: copy the words that state the fact, "
                                    "not punctuation or page furniture", "quote-too-short"))
            continue
        if source_id is None:  # no `source`, and the case has several
            findings.extend(_unsourced(index, parts, quote, snaps))
            continue
        snap = snaps.get(source_id)
        if snap is not None and snap.text is not None and quote in snap.text:
            findings.extend(_in_context(index, parts, quote, snap))
            continue
        if snap is not None and snap.text is None:
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


# Words that qualify a figure from outside it: printed right after the number (以上, 余, 左右)
# or right before it (户均, 近, 超过). A metric's quote cut just inside them verifies as a
# substring but drops what the figure means (review: 其中5个村达到10万元 for …10万元以上,
# 增收1.2万元 for 户均增收1.2万元). Longest first. 余/多/来/许 count only right after a numeral
# (400|余万元), where nothing else can follow; elsewhere they start other words (多次, 来到).
_AFTER = ("以上", "以下", "以内", "之多", "有余", "左右", "上下", "出头", "开外")
_AFTER_NUMERAL = ("余", "多", "来", "许")
_BEFORE = ("户均", "人均", "村均", "年均", "月均", "日均", "平均", "每户", "每人", "每村", "每年", "每月",
           "将近", "接近", "超过", "不到", "不足", "不少于", "不低于", "至少", "最多", "大约", "约", "近",
           "逾")
_NUMERAL = re.compile(r"[0-9０-９一二三四五六七八九十百千万亿两零〇]")
MIN_LETTERS = 4  # letters or digits of any quote (schema: 4 characters)
# A quote shorter than this (letters and digits) that occurs more than once in its stored copy
# points to no one passage.
REPEATED_UNDER = 10


def _in_context(index: int, parts: tuple, quote: str, snap: Snapshot) -> list[Finding]:
    """What a quote found in its stored copy may still hide there (rule quote-context).

    - a metric's quote that, at every place it occurs, ends right before a qualifying word
      (以上, 左右 …; 余/多 after a numeral) or starts with a figure right after one (户均, 近,
      超过 …): an error naming the word, since the figure is checked against the quote alone;
    - a quote (not a model term's: those are the parts' own names) of fewer than
      REPEATED_UNDER letters or digits that occurs more than once in the copy: a warning.
    """
    text, out = snap.text, []
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if parts and parts[0] == "metrics":
        cut = []
        for at in starts:
            after, before = text[at + len(quote):at + len(quote) + 3], text[max(0, at - 3):at]
            tail = next((w for w in _AFTER if after.startswith(w)), None)
            if tail is None and _NUMERAL.match(quote[-1:]):
                tail = next((w for w in _AFTER_NUMERAL if after.startswith(w)), None)
            head = (next((w for w in _BEFORE if before.endswith(w)), None)
                    if _NUMERAL.search(quote[:3]) else None)
            if tail is None and head is None:
                cut = []
                break
            cut.append((tail, head))
        if cut:
            tail, head = cut[0]
            where = (f"stops right before “{tail}”, which {snap.display} prints after it" if tail else
                     f"starts right after “{head}”, which {snap.display} prints before it")
            out.append(Finding(index, parts, f"the quote {where}: the figure is read from the quote alone, "
                               f"so quote it with “{tail or head}” and check the figure again "
                               "(a qualifier or a per-unit word changes what the figure means)",
                               "quote-context"))
    letters = sum(ch.isalnum() for ch in quote)
    if letters < REPEATED_UNDER and len(starts) > 1 and "terms" not in parts:
        out.append(Finding(index, parts, f"the quote occurs {len(starts)} times in {snap.display}, so it "
                           "points to no one passage: quote the sentence that states the fact",
                           "quote-context", "value", WARNING))
    return out


def _no_snapshot(listing: _Listing, source_id: str) -> str:
    """The warning for a source without a stored copy: removed on request (its note), or missing
    (how to add it, and a snapshot under a near id that may be meant for it)."""
    if source_id in listing.removed:
        return (f"source `{source_id}`'s stored copy was removed ({listing.removed[source_id]}): quotes "
                "of this source are not verified")
    near = difflib.get_close_matches(source_id, sorted(listing.texts), n=1, cutoff=0.9)
    hint = (f"; sources/{near[0]}.txt is there: if it is this source's text, name both files after "
            f"the source id" if near else "")
    return (f"source `{source_id}` has no snapshot: quotes of this source are not verified; add its "
            f"text as sources/{source_id}.txt with sources/{source_id}.yaml (see sources/README.md){hint}")


def _unsourced(index: int, parts: tuple, quote: str, snaps: dict) -> list[Finding]:
    """A quote that names no `source` in a case with several: verified when a stored copy of
    the case's sources holds it; an error when every source has a copy and none holds it; a
    warning at the quote when some source has none (it may be there, but nobody checked)."""
    readable = {k: v for k, v in snaps.items() if v is not None and v.text is not None}
    if any(quote in v.text for v in readable.values()):
        return []
    names = ", ".join(f"`{k}`" for k in snaps)
    if len(readable) == len(snaps):
        files = ", ".join(v.display for v in readable.values())
        return [Finding(index, parts, f"the quote names no `source` and is in none of the stored "
                        f"copies of this case's sources ({files}); add `source:` (one of {names}) and "
                        "copy the quote again from it, character for character", "quote-not-in-source")]
    return [Finding(index, parts, f"the quote names no `source`, and no stored copy of this case's "
                    f"sources holds it, so it is not verified; add `source:` (one of {names}) so "
                    "that it is checked against that source", "quote-no-source", "value", WARNING)]


# A case's source fields against what its stored copy's metadata records (sources/README.md).
_DESCRIBED = ("title", "publisher", "authors", "published", "url")


def _described_as(index: int, i: int, source: dict, snap: Snapshot) -> list[Finding]:
    """The case's description of source `i` against its snapshot's metadata.

    Both given and contradicting: an error at the case's field (a title, publisher, URL or
    date the stored copy does not print; an author it does not name). A publisher may be the
    shorter of the two (农民日报·中国农网 for 农民日报·中国农网（转载于…）) and a date the
    coarser (2024 for 2024-08-20). Given in the case only: a warning (the copy seen does not
    show it: where does it come from?). A title where the copy shows none
    (`title_visible: false`) is that warning too.
    """
    meta = snap.meta if isinstance(snap.meta, dict) else {}
    if not meta or snap.text is None:  # unreadable: its own file's problem says why
        return []
    where = display_path(snap.meta_path)
    out = []
    if meta.get("title_visible") is False and source.get("title"):
        out.append(Finding(index, ("sources", i, "title"), f"`title` {_show(source['title'])} is not "
                           f"printed in the stored copy of this source ({where} says `title_visible: "
                           "false`): leave the title out, or store the copy that prints it",
                           "source-described"))
    elif isinstance(meta.get("title"), str) and meta["title"].strip() and not source.get("title"):
        out.append(Finding(index, ("sources", i), f"the stored copy prints a title ({where}: "
                           f"{_show(meta['title'])}); add it as `title`", "source-described", "parent",
                           WARNING))
    for key in _DESCRIBED:
        ours, theirs = source.get(key), meta.get(key)
        if ours in (None, "", []) or (key == "title" and meta.get("title_visible") is False):
            continue
        parts = ("sources", i, key)
        shown = _show(", ".join(ours) if isinstance(ours, list) else str(ours))
        if theirs in (None, "", []):
            out.append(Finding(index, parts, f"`{key}` {shown} is not what the stored copy shows: "
                               f"{where} records no `{key}`; if the article prints it, add it there as "
                               "printed, otherwise leave it out here (never a guess)", "source-described",
                               "value", WARNING))
            continue
        if key == "authors":
            named = {_squeezed(str(a)) for a in theirs} if isinstance(theirs, list) else set()
            wrong = [a for a in ours if _squeezed(str(a)) not in named]
            agree = not wrong
        elif key == "published":
            a, b = str(ours), str(theirs)
            agree = a.startswith(b) or b.startswith(a)
        elif key == "publisher":
            # The case may leave out the copy's bracketed note: 农民日报·中国农网 for
            # 农民日报·中国农网（转载于“大国新村”网站）; never a fragment (报, 陕西) or an addition.
            a, b = _squeezed(str(ours)), _squeezed(str(theirs))
            agree = a == b or (b.startswith(a) and b[len(a):len(a) + 1] in ("（", "(", "【", "["))
        else:
            agree = _squeezed(str(ours)) == _squeezed(str(theirs))
        if not agree:
            mine = ", ".join(ours) if isinstance(ours, list) else str(ours)
            printed = ", ".join(theirs) if isinstance(theirs, list) else str(theirs)
            shown, printed = _show_pair(mine, printed)
            out.append(Finding(index, parts, f"`{key}` {shown} differs from the stored copy of this "
                               f"source: {where} has {printed}; describe the source as that copy "
                               "prints it (or store the copy that prints this)", "source-described"))
    return out


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
    hidden = window[a1:a2]
    if hidden and not set(hidden) & set("\t\n\r ") and all(
            unicodedata.category(ch) in _INVISIBLE for ch in hidden):
        # Copying the quote again cannot bring back a character nobody sees.
        return (f"{head}; nearest passage: “{_clip(passage, a1 - start)}”; the stored copy has the "
                f"invisible character {_code_points(hidden)} there, which a copied quote does not "
                f"keep: if the article does not show it, delete it from {snap.display} (then update "
                "`sha256` and say so in `cleaning`)")
    if tag == "replace" and _look_alike(window[a1:a2], quote[b1:b2]):
        what += f" ({_code_points(quote[b1:b2])} in the quote; {_code_points(window[a1:a2])} in the source)"
    more = f" (and {len(diffs) - 1} more difference{'s' if len(diffs) > 2 else ''})" if len(diffs) > 1 else ""
    fix = ("write the quote in double quotes with \\n where the source breaks the line, or quote one "
           "line" if tag == "delete" and window[a1:a2].strip("\r\n") == "" else
           "copy the quote again from the source, character for character")
    return f"{head}; nearest passage: “{_clip(passage, a1 - start)}”; {what}{more}; {fix}"


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


# Characters a Chinese article and a quote usually consist of; a difference in anything else
# (a Kangxi radical for 一, Cyrillic о, a combining accent) may look the same on screen.
_USUAL = re.compile(r"[\t\n -~\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]*")


def _look_alike(a: str, b: str) -> bool:
    """True when two differing passages may look alike: the same under NFKC, or either holds
    an unusual character."""
    if len(a) > 4 or len(b) > 4:
        return False
    same = unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)
    return same or not (_USUAL.fullmatch(a) and _USUAL.fullmatch(b))


def _code_points(text: str) -> str:
    """`U+2F00 (kangxi radical one)`, one per character, for characters that look alike."""
    return ", ".join(f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed').lower()})" for ch in text[:4])


def _show_pair(a: str, b: str) -> tuple[str, str]:
    """Two texts shown as _show does, but around their first difference when they share a
    beginning longer than _show keeps (two titles that differ only at the end)."""
    same = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if same <= 8:
        return _show(a), _show(b)
    cut = same - 4
    return "“…" + _show(a[cut:])[1:], "“…" + _show(b[cut:])[1:]


def _show(text: str) -> str:
    if text.strip() == "":
        return {" ": "a space", "\n": "a line break"}.get(text, f"{len(text)} blank characters")
    text = visible(text.replace("\n", "\\n"))
    return "“" + (text if len(text) <= 12 else text[:11] + "…") + "”"


def _clip(passage: str, at: int) -> str:
    """The passage, escaped and cut to about SHOW characters around position `at`."""
    if len(passage) > SHOW:
        lo = max(0, min(at - SHOW // 3, len(passage) - SHOW))
        passage = ("…" if lo else "") + passage[lo:lo + SHOW] + ("…" if lo + SHOW < len(passage) else "")
    return visible(passage.replace("\n", "\\n"))
