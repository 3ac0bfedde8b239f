"""Stage 2: validate loaded cases against the schema and the cross-file rules."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import islice
from pathlib import Path

import jsonschema_rs

from . import provenance
from .advice import Profile, advice, bidi_findings, duplicate_findings, profile_of
from .load import CaseFile, Refused, discover, read_bytes, read_case
from .locate import Locator
from .messages import explain
from .problems import ERROR, Problem, format_json_path
from .rules import Finding, Keys, cross_findings, file_findings, keys_of
from .schema import load_schema

# Below this many files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 200

V1_MESSAGE = ("this file is in case format version 1; run `casebook migrate {path}` to rewrite it "
              "to version 2 (it keeps your comments and marks the values it had to guess)")


@dataclass
class Report:
    """What validation found: the valid cases (in path order) and every problem."""

    cases: list[CaseFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        """Problems that fail validation."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that are advice only."""
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors


@cache
def _fast_validator():
    # The compiled validator answers "valid?" for every file; python-jsonschema
    # explains only the files that fail. Formats are advisory in both.
    return jsonschema_rs.Draft7Validator(load_schema(), validate_formats=False)


@cache
def _explainer():
    import jsonschema  # 0.15 s to import, and needed only when a file fails the schema

    return jsonschema.Draft7Validator(load_schema())


def schema_findings(index: int, data: object, display: str = "FILE") -> list[Finding]:
    """Every schema violation of one file's data, explained (empty when valid).

    A version-1 file gets one problem, at its `schema_version`, naming the fix
    (`casebook migrate`), instead of one per field that version 2 added; plus its pattern
    violations (which migrating cannot fix) and bidi warnings, at their own lines.
    """
    if _fast_validator().is_valid(data):
        return []
    # `true == 1` in Python: a boolean is no version (the schema explains it as a wrong type).
    if isinstance(data, dict) and data.get("schema_version") == 1 and data["schema_version"] is not True:
        # Besides the version, the violations `casebook migrate` cannot fix: text in a form no
        # version accepts (an id with a zero-width space, a URL with markup, a leading `=`).
        # Bidi controls are flagged too (a warning, as in a version-2 file).
        return [Finding(index, ("schema_version",), V1_MESSAGE.format(path=display), "schema-version")] + [
            Finding(index, *_explained(error)) for error in _explainer().iter_errors(data)
            if error.validator == "pattern"] + bidi_findings(index, data)
    # At most MAX_SCHEMA_ERRORS, computed lazily: a file just under the size limit can hold a
    # list of 300,000 wrong items (review: 44 s, 1.4 GB and 316,000 lines for one file).
    errors = list(islice(_explainer().iter_errors(data), MAX_SCHEMA_ERRORS + 1))
    more = len(errors) > MAX_SCHEMA_ERRORS
    errors = errors[:MAX_SCHEMA_ERRORS]
    # An empty value breaks its pattern too: one error ("must not be empty") is enough, not a
    # second that would say it holds a space (`province: ""`).
    empty = {tuple(e.absolute_path) for e in errors if e.validator == "minLength" and e.instance == ""}
    found = [Finding(index, *_explained(error)) for error in errors
             if not (error.validator == "pattern" and tuple(error.absolute_path) in empty)]
    if more:
        found.append(Finding(index, (), f"more schema errors follow; only the first {MAX_SCHEMA_ERRORS} "
                             "are shown: fix these and validate again", "schema-more", "parent"))
    return found


# Schema errors reported per file: beyond this many, the file's structure is wrong as a whole.
MAX_SCHEMA_ERRORS = 100


def _explained(error) -> tuple:
    """(parts, message, rule, at) of a schema error, in Finding's field order."""
    parts, at, message = explain(error)
    return parts, message, f"schema-{error.validator}", at


def read_all(paths: list[Path], jobs: int | None = None) -> list[CaseFile]:
    """Read and parse files, on several processes when there are many."""
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(paths) >= PARALLEL_THRESHOLD:
        with _pool(jobs) as pool:
            return list(pool.map(read_case, paths, chunksize=_chunksize(len(paths), jobs)))
    return [read_case(p) for p in paths]


@dataclass
class Checked:
    """One file checked on its own: the case (text dropped), its located problems, and
    the keys the cross-file rules need (None unless the schema accepted the file)."""

    case: CaseFile
    problems: list[Problem]
    keys: Keys | None = None
    failed: bool = False  # an error in the file itself (load, schema or per-file rule)
    advice: list[Problem] = field(default_factory=list)  # warnings, reported once the file is valid
    profile: Profile | None = None  # what the duplicate guard compares
    # {json path parts: (line, col)} of the values the cross-file rules may point at (ids,
    # model references, title, division code), from the same parse: the main process
    # locates cross-file problems with it, without reading or composing the file again.
    marks: dict | None = None


def check_file(case: CaseFile, keep_data: bool = True, derive=None) -> Checked:
    """Check one read file alone: schema, then per-file rules; locate what it finds.

    `derive(data)`, if given, runs on a file the schema accepts; its result is kept as
    `CaseFile.derived` (computed in the worker, in parallel, while the data is at hand).
    """
    keys, findings, hints, profile, snapshot_problems = None, [], [], None, []
    if case.data is not None:
        findings = schema_findings(0, case.data, case.display)
        if not findings:
            keys = keys_of(case.data)
            findings = file_findings(0, case.path, case.data)
            # Quotes against the stored source snapshots (issue 15); snapshot files' own
            # problems come back located in those files.
            quoted, snapshot_problems = provenance.case_findings(0, case.path, case.data)
            findings += quoted
            profile = profile_of(case.data)
            if not any(f.severity == ERROR for f in findings):
                hints = advice(0, case.data)
            else:  # spoofing characters are said even beside errors (a reversed name is one)
                hints = bidi_findings(0, case.data)
    # Positions are computed here, from the parse's node tree when the reader kept it
    # (read_case(keep_nodes=True)); otherwise the text is composed once, if anything is found.
    locator = Locator(case.text, case.nodes)
    problems = list(case.problems) + _located(case.display, locator, findings + hints) + snapshot_problems
    marks = None
    if keys is not None and (case.nodes is not None or findings or hints):
        marks = locator.marks(cross_paths(keys))
    advised = [p for p in problems if p.rule.startswith("advice-")]
    problems = [p for p in problems if not p.rule.startswith("advice-")]
    failed = any(p.is_error for p in problems)  # the reader's warnings (invisible characters) pass
    derived = None
    if derive and keys is not None:
        with provenance.reading(case.path):  # derive(data) may ask which quotes verify
            derived = derive(case.data)
    slim = CaseFile(case.path, "", case.digest, case.data if keep_data else None, case.problems,
                    derived)
    return Checked(slim, problems, keys, failed, advised, profile, marks)


def cross_paths(keys: Keys) -> list[tuple]:
    """The JSON paths at which the cross-file rules (rules.cross_findings, the duplicate guard
    in advice.duplicate_findings) can report a problem in a case with these keys."""
    return [("id",), ("title",), ("place", "division_code"), *(parts for parts, _ in keys.models),
            *(parts for parts, _ in keys.sources), *(parts for parts, _, _ in keys.model_refs)]


def _check_path(path: Path, keep_data: bool = True, derive=None) -> Checked:
    # The node tree of the parse locates this file's problems; it is dropped before the
    # result leaves the worker (CaseFile never pickles it).
    return check_file(read_case(path, keep_nodes=True), keep_data, derive)


def check_all(paths: list[Path], jobs: int | None = None, keep_data: bool = True,
              derive=None) -> list[Checked]:
    """Read and check each file alone, on every core when there are many files.

    Workers parse, validate and locate, and send back only the small result (and the data
    when `keep_data`), never the text: pickling is then a small fraction of the parse.
    """
    jobs = jobs or os.cpu_count() or 1
    work = partial(_check_path, keep_data=keep_data, derive=derive)  # derive: a module-level function
    if jobs > 1 and len(paths) >= PARALLEL_THRESHOLD:
        with _pool(jobs) as pool, _no_gc():
            return list(pool.map(work, paths, chunksize=_chunksize(len(paths), jobs)))
    return [work(p) for p in paths]


@contextmanager
def _no_gc():
    # Unpickled case data is millions of acyclic objects; the cycle collector would
    # rescan them again and again as they arrive (about 1.4 s of 10,000 cases), for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pool(jobs: int) -> ProcessPoolExecutor:
    # fork starts workers in milliseconds but is unsafe once threads run (mkdocs serve's
    # server, for one): a thread may hold a lock the child then waits on forever.
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "forkserver"
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_worker_init, initargs=(os.getcwd(),))


def _worker_init(cwd: str) -> None:
    # A forkserver started earlier (by another pool) keeps the working directory it had then;
    # messages show paths relative to the caller's.
    os.chdir(cwd)
    # A worker builds thousands of objects per file and drops them all; the cycle collector
    # would keep rescanning the imported modules (and, after fork, touch every inherited page).
    # Frozen modules and a larger first generation save about a tenth of the parse time.
    gc.freeze()
    gc.set_threshold(50_000)


def _chunksize(n: int, jobs: int) -> int:
    return max(1, min(64, n // (jobs * 8)))


def combine(results: list[Checked], text_of=None) -> tuple[list[Problem], list[int]]:
    """Run the cross-file rules over checked files: (sorted problems, indices of valid files).

    `text_of(index)` gives a file's text to locate cross-file problems; by default the
    file is read again, which happens only for files with such a problem.
    """
    text_of = text_of or (lambda i: _read_text(results[i].case.path))
    keyed = [(i, r.case.display, r.keys) for i, r in enumerate(results) if r.keys is not None]
    cross = cross_findings(keyed)
    # A problem in a shared file (a source snapshot, the sources/ folder) comes back from
    # every case that uses it: reported once.
    problems = list({(p.path, p.line, p.col, p.message): p for r in results for p in r.problems}.values())
    failed = {f.index for f in cross if f.severity == ERROR}
    valid = [i for i, r in enumerate(results) if r.keys is not None and not r.failed and i not in failed]
    # Advice (warnings) only for files without errors: what must be fixed comes first.
    problems += [p for i in valid for p in results[i].advice]
    cross += duplicate_findings([(i, results[i].case.display, results[i].profile) for i in valid
                                 if results[i].profile is not None])
    locators: dict[int, Locator] = {}
    for f in cross:
        marks = results[f.index].marks
        if marks is not None and f.at == "value" and f.parts in marks:
            line, col = marks[f.parts]
        else:  # a path the worker did not foresee: compose the file (once) to find it
            locator = locators.get(f.index) or locators.setdefault(f.index, Locator(text_of(f.index)))
            line, col = locator.position(f.parts, f.at)
        problems.append(Problem(results[f.index].case.display, line, col, f.message,
                                format_json_path(f.parts), f.severity, f.rule))
    return sorted(problems), valid


def _read_text(path: Path) -> str:
    try:  # the same safe read as the first time (no link followed, no FIFO opened)
        return read_bytes(path).decode("utf-8", errors="replace")
    except Refused:
        return ""


def check(files: list[CaseFile]) -> Report:
    """Validate already-read files together and return one report."""
    problems, valid = combine([check_file(f) for f in files], lambda i: files[i].text)
    return Report([files[i] for i in valid], problems, len(files))


def locate(files: list[CaseFile], findings: list[Finding]) -> list[Problem]:
    """Attach line and column to findings, composing only the files that have any (and
    none whose reader kept the node tree, `CaseFile.nodes`)."""
    locators: dict[int, Locator] = {}
    out = []
    for f in findings:
        locator = locators.get(f.index) or locators.setdefault(
            f.index, Locator(files[f.index].text, files[f.index].nodes))
        out += _located(files[f.index].display, locator, [f])
    return out


def _located(display: str, locator: Locator, findings: list[Finding]) -> list[Problem]:
    """Findings of one file as Problems at their line and column."""
    out = []
    for f in findings:
        line, col = locator.position(f.parts, f.at)
        out.append(Problem(display, line, col, f.message, format_json_path(f.parts), f.severity, f.rule))
    return out


def validate_paths(paths, jobs: int | None = None, keep_data: bool = True, derive=None) -> Report:
    """Discover, read and validate case files under the given files or folders.

    The valid cases in the report carry their data (unless `keep_data` is false, which
    saves memory when only the verdict matters) but not their text; `derive` as in
    `check_file`.
    """
    results = check_all(discover(paths), jobs, keep_data, derive)
    problems, valid = combine(results)
    return Report([results[i].case for i in valid], problems, len(results))


class Checker:
    """Validate the same files again and again, re-checking only files whose bytes changed.

    Meant for `mkdocs serve` and other long-lived processes: keep one Checker and call
    `check_paths` on every rebuild. A file whose path and SHA-256 digest are unchanged
    reuses its per-file result (parse, schema, per-file rules and data, the same
    `CaseFile` object); the cross-file rules are cheap and run over all files every time,
    so editing one case can still flag another (a duplicate id, a model now missing).
    After each call, `reused` and `rechecked` count the files of each kind. The schema is
    read once per process, so a schema change needs a new Checker (restart the server).
    Not thread-safe: use one Checker per build thread.
    """

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs
        self._cache: dict[Path, Checked] = {}
        self._snapshots: tuple | None = None  # provenance.stamp of the last run
        self.reused = 0
        self.rechecked = 0

    def check_paths(self, paths) -> Report:
        """Validate the case files under `paths`, reusing results for unchanged files."""
        files = discover(paths)
        fresh: dict[Path, Checked] = {}
        stale: list[Path] = []
        snapshots = provenance.stamp(files)  # a changed source snapshot re-checks every case
        if snapshots != self._snapshots:
            self._cache, self._snapshots = {}, snapshots
        for path in files:
            cached = self._cache.get(path)
            if cached is not None and cached.case.digest and _digest(path) == cached.case.digest:
                fresh[path] = cached
            else:
                stale.append(path)
        fresh.update(zip(stale, check_all(stale, self.jobs), strict=True))
        self._cache = fresh  # files that are gone are forgotten
        results = [fresh[p] for p in files]
        problems, valid = combine(results)
        self.reused, self.rechecked = len(files) - len(stale), len(stale)
        return Report([results[i].case for i in valid], problems, len(results))


def _digest(path: Path) -> str | None:
    try:  # a file swapped for a FIFO or a link since the last build is not opened
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except Refused:
        return None
