"""Stage 3a: export the loaded cases as a Frictionless Data Package (CSV + datapackage.json).

`tables(cases)` flattens cases into tidy tables; `package_files(cases)` returns every file of
the package as bytes (deterministic); `export_package(cases, out)` writes them atomically.
Field titles and descriptions come from the case JSON Schema, never written twice.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import fcntl
import gc
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import datetime
from functools import cache, partial
from pathlib import Path

from .codebook import codebook_markdown
from .formats import SQLITE_NAME, XLSX_NAME, sqlite_bytes, table_order, xlsx_bytes
from .release import changelog, citation_cff, data_version, homepage, zip_name
from .release import created_from_env as created_from_env  # re-exported for the CLI and plugin
from .tables import TABLES, Column, column_vocabulary, documentation, rows_of


def __getattr__(name: str):
    """`ZIP_NAME`: village-casebook-data-<data version>.zip, the version read from the
    project folder (the current folder) when asked, not when this module is imported."""
    if name == "ZIP_NAME":
        return zip_name()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# Data Package v2 profiles (https://datapackage.org/standard/)
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
# Zip entries need a timestamp. Without SOURCE_DATE_EPOCH we store 1980-01-01, the earliest
# date zip can hold, so the bytes never depend on the clock.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _field(column: Column) -> dict:
    """A Table Schema field for a column, documented from the case schema."""
    title, description = documentation(column)
    out = {"name": column.name, "type": column.type, "title": title, "description": description}
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.vocabulary:
        labels = column_vocabulary(column.vocabulary)
        constraints["enum"] = list(labels)
        out["categories"] = [{"value": k, "label": f"{v['zh']} {v['en']}"} for k, v in labels.items()]
    # A pattern only on required fields: frictionless's SQL adapter (Package.publish,
    # `frictionless index`) applies it to empty cells too and drops the table. Optional
    # patterned fields (dates, year-months) are checked by the case JSON Schema instead,
    # and the codebook still states their pattern.
    if column.pattern and column.required:
        constraints["pattern"] = column.pattern
    if constraints:
        out["constraints"] = constraints
    return out


def _csv(columns: list[Column], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_cell(row.get(c.name)) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def descriptor(cases, created: str | None = None, project: Path | None = None) -> dict:
    """The datapackage.json descriptor for these cases; `version` is the DATA_VERSION of
    `project` (default: the current folder). Raises release.ReleaseError (see release.py)."""
    resources = []
    for table in table_order():  # referenced tables first
        schema = {
            "$schema": TABLE_SCHEMA_PROFILE,
            "fields": [_field(c) for c in table.columns],
            "primaryKey": table.primary_key,
            "missingValues": [""],
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": fields, "reference": {"resource": resource, "fields": ref}}
                for fields, resource, ref in table.foreign_keys
            ]
        resources.append(
            {
                "$schema": RESOURCE_PROFILE,
                "name": table.name,
                "type": "table",
                "path": f"{table.name}.csv",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    sources = _descriptor_sources(cases)
    package = {
        "$schema": PACKAGE_PROFILE,
        "name": "village-casebook",
        "title": "驻村帮扶案例库 Village Assistance Casebook",
        "description": (
            "中国驻村第一书记与驻村工作队帮扶案例：可复制模式、做法、指标（每个数字附原文引语）、人物与来源。"
            " Cases of village assistance by first secretaries and village work teams in China: "
            "reusable models, practices, metrics (each figure with its verbatim source sentence), "
            "people and sources. See README.md for the codebook."
        ),
        "version": data_version(project),  # the data release, not the software version
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "contributors": [{"title": "Village Assistance Casebook contributors", "roles": ["creator"]}],
        "sources": sources,
        "keywords": ["驻村第一书记", "驻村工作队", "乡村振兴", "first secretary", "village assistance"],
        "resources": resources,
    }
    if homepage():
        package["homepage"] = homepage()
    if created:
        package["created"] = created
    return package


def _descriptor_sources(cases) -> list[dict]:
    """The descriptor's `sources`: one entry per source article, in case order.

    Data Package fields `title` (the article's title; for a source whose title the copy seen
    does not show, "[无标题 untitled] <publisher> <date> (<source id>)", never its title_note)
    and `path` (its URL), plus what tells entries apart: `id` (the sources table's id), `case_id`,
    `publisher`, `published` and `title_note` when the source has them.
    """
    out, seen = [], set()
    for case in cases:
        derived = getattr(case, "derived", None)
        case_id = derived["case_id"] if derived is not None and "case_id" in derived else case.data["id"]
        for source in derived["sources"] if derived is not None else case.data["sources"]:
            if source["id"] in seen:
                continue
            seen.add(source["id"])
            label = " ".join(str(source[k]) for k in ("publisher", "published") if source.get(k))
            untitled = " ".join(filter(None, ["[无标题 untitled]", label, f"({source['id']})"]))
            entry = {"title": source.get("title") or untitled}
            if "url" in source:
                entry["path"] = source["url"]
            entry["id"] = source["id"]
            entry["case_id"] = case_id
            for key in ("publisher", "published", "title_note"):
                if source.get(key):
                    entry[key] = str(source[key])
            out.append(entry)
    return out


class _One:
    def __init__(self, data: dict):
        self.data = data


def case_rows(data: dict) -> dict:
    """One case's share of the package: its CSV lines per table (no header) and sources.

    Pass it as `validate_paths(..., keep_data=False, derive=case_rows)`: each case is then
    flattened in the worker that validated it, and only these bytes come back.
    """
    rows = rows_of([_One(data)])
    csv = {t.name: _csv(t.columns, rows[t.name]).split(b"\r\n", 1)[1]  # drop the header line
           for t in TABLES if t.name not in _shared_tables()}
    return {"csv": csv, "sources": data["sources"], "case_id": data["id"]}


@cache
def _shared_tables() -> frozenset[str]:
    # Tables filled from the schema's vocabularies, not from cases (themes, vocabularies).
    return frozenset(name for name, rows in rows_of([]).items() if rows)


def _case_tables(cases) -> dict[str, bytes]:
    """Every table's CSV: from each case's `derived` share when all have one, else from data."""
    if not cases or any(getattr(c, "derived", None) is None for c in cases):
        data = rows_of(cases)
        return {t.name: _csv(t.columns, data[t.name]) for t in TABLES}
    shared = rows_of([])
    out = {}
    for t in TABLES:
        if t.name in _shared_tables():
            out[t.name] = _csv(t.columns, shared[t.name])
        else:
            out[t.name] = _csv(t.columns, []) + b"".join(c.derived["csv"][t.name] for c in cases)
    return out


def package_files(cases, created: str | None = None, project: Path | None = None, *,
                  parallel: bool = False) -> dict[str, bytes]:
    """Every file of the data package, name → bytes, the zip included. Deterministic.

    `created` (ISO UTC, e.g. from `created_from_env()`) is the only time recorded: in
    datapackage.json and as the zip entries' date. Without it, no time is recorded.
    Cases carry `.data`, or a `.derived` share from `case_rows` (the same bytes result).
    The release's identity (DATA_VERSION, CITATION.cff, CHANGELOG.md) comes from `project`
    (default: the current folder); raises release.ReleaseError if one is missing or malformed.
    `parallel`: write the xlsx in a forked child while this process builds the SQLite file
    (same bytes; the xlsx is the longest step, ≈ 11 ms of CPU a real-shaped case, so on two
    cores the package takes ≈ its time instead of the two added: benchmarks/README). Not
    under `mkdocs serve` (its server threads and fork do not mix). Raises OSError from either
    format (disk full under the xlsx writer's temporary files), child.ChildError when the
    child fails otherwise.
    """
    tables = _case_tables(cases)
    files: dict[str, bytes] = {}
    for table in TABLES:
        files[f"{table.name}.csv"] = tables[table.name]
    files["datapackage.json"] = (
        json.dumps(descriptor(cases, created, project), ensure_ascii=False, indent=2) + "\n"
    ).encode("utf-8")
    files["README.md"] = codebook_markdown().encode("utf-8")
    date_time = _zip_date(created)
    from .child import Forked

    # With `parallel`, the xlsx is written in a forked child beside the SQLite step (the child
    # inherits the tables: nothing is pickled to it).
    xlsx = Forked(xlsx_bytes, tables, date_time) if parallel else None
    try:
        files[SQLITE_NAME] = sqlite_bytes(tables)
        files[XLSX_NAME] = xlsx.result() if xlsx else xlsx_bytes(tables, date_time)
    finally:
        if xlsx:
            xlsx.cancel()  # only does something when the SQLite step failed or was interrupted
    files["CITATION.cff"] = citation_cff(project, homepage())
    files["CHANGELOG.md"] = changelog(project)
    # The zip holds everything (the SQLite and xlsx files are small: 5 cases ≈ 0.3 MB).
    files[zip_name(data_version(project))] = _zip(files, date_time)
    return dict(sorted(files.items()))


def _zip_date(created: str | None) -> tuple[int, ...]:
    """The zip entries' timestamp: `created` (UTC) when given, else the zip epoch."""
    if not created:
        return _ZIP_EPOCH
    when = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").timetuple()[:6]
    return max(when, _ZIP_EPOCH)  # zip cannot store dates before 1980


def _zip(files: dict[str, bytes], date_time: tuple[int, ...]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=date_time)  # at the root, no folder prefix
            info.external_attr = 0o644 << 16  # same permissions on every machine
            info.compress_type = zipfile.ZIP_DEFLATED
            # Level 6 (zlib's default): level 9 took 3× the time at 2,000 cases (9.5 s against
            # 3.2 s of CPU) for a zip 3% smaller.
            archive.writestr(info, files[name], compresslevel=6)
    return buffer.getvalue()


class ExportError(Exception):
    """The package could not be written (disk full, read-only folder, file size limit, another
    export running, `out` not a folder); the message is one line and the old package is kept."""


# `casebook build`'s package and site while they are made, each followed by the build's
# process id: `remove_stale_staging` removes those whose process is gone.
STAGED_PREFIX = ".casebook-build-"
SITE_PREFIX = ".casebook-site-"
_STALE = re.compile(r"^\.+casebook-(?:build|site)-(\d+)-")


def remove_stale_staging(folder: Path, pattern: re.Pattern = _STALE) -> list[Path]:
    """Remove the staging folders a killed `casebook build` left in `folder` (its package,
    its site, the site's Pagefind staging): those named for a process that no longer runs.
    A running build's folders are left alone. Returns what was removed. `pattern`: matches
    the names to consider, group 1 the process id (default: `casebook build`'s folders)."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = pattern.match(entry.name)
        if not found or not entry.is_dir(follow_symlinks=False) or _running(int(found[1])):
            continue
        _rmtree(Path(entry.path))
        removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it runs
        return True
    return True
STAGING_PREFIX = ".export-"  # staging folders next to `out`: .export-<out name>-<random>
# The project's own folders: `--out` (and the site's `site_dir`) never is, holds or lies inside one
# of them (or the project).
PROTECTED = ("cases", "sources", "schema", ".git", ".github")
PACKAGE_EXTRAS = ("datapackage.json", "README.md", SQLITE_NAME, XLSX_NAME, "CITATION.cff", "CHANGELOG.md")
SITE_MARK = "assets/casebook.css"  # every site `casebook build` wrote holds it
# Written by the plugin into site_dir before MkDocs empties it (MkDocs keeps hidden files), so
# a site whose build was interrupted half-way is still known as ours.
SITE_BEGUN = ".casebook-site"


def place_refusal(out: Path, project: Path | None = None, *, verb: str = "export to",
                  what: str = "data package", example: str = "build/data") -> str | None:
    """Why a folder that is replaced as a whole must not be `out`, by place alone, or None.

    The folder rules shared by `export --out` and the site's `site_dir` (`casebook build`):
    `out` must not be the project folder (default: the current folder) or hold it, and must
    not be, hold or lie inside the project's cases/, sources/, schema/, .git/ or .github/.
    Symbolic links are followed. `verb`, `what` and `example` word the one-line message.
    """
    real = Path(os.path.realpath(out))
    root = Path(os.path.realpath(project or Path.cwd()))
    shown = os.fspath(out)
    if real == root or real in root.parents:
        return (f"cannot {verb} {shown}: it is the project folder or holds it, and the {what} "
                f"replaces its folder as a whole; use a folder of its own, e.g. {example}")
    for name in PROTECTED:
        folder = root / name
        if real == folder or folder.is_relative_to(real) or real.is_relative_to(folder):
            where = "is" if real == folder else "holds" if folder.is_relative_to(real) else "is inside"
            return (f"cannot {verb} {shown}: it {where} the project's {name}/ folder, and the {what} "
                    f"replaces its folder as a whole; use a folder of its own, e.g. {example}")
    return None


def site_refusal(site_dir: Path, data_out: Path, project: Path | None = None) -> str | None:
    """Why MkDocs must not write (and first empty) `site_dir` in `casebook build`, or None.

    MkDocs deletes what `site_dir` holds before it writes the site, so `site_dir` is refused
    (one line) by the folder rules of `export --out` (place_refusal), when it is, holds or
    lies inside the data package folder `data_out` (either would delete the other), and when
    it exists, is not empty and is not a site this tool built (no assets/casebook.css).
    """
    refusal = place_refusal(site_dir, project, verb="write the site into", what="site build",
                            example="build/site")
    if refusal:
        return refusal
    real, data = Path(os.path.realpath(site_dir)), Path(os.path.realpath(data_out))
    shown = os.fspath(site_dir)
    if real == data or data.is_relative_to(real) or real.is_relative_to(data):
        where = "is" if real == data else "holds" if data.is_relative_to(real) else "is inside"
        return (f"cannot write the site into {shown}: it {where} the data package folder "
                f"{os.fspath(data_out)}, and each replaces its folder as a whole; give site_dir "
                "(mkdocs.yml) and --data-out folders apart, e.g. build/site and build/data")
    try:
        with os.scandir(real) as entries:
            empty = next(entries, None) is None
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot write the site into {shown}: {exc.strerror or exc}"
    if not empty and not (real / SITE_MARK).is_file() and not (real / SITE_BEGUN).is_file():
        return (f"cannot write the site into {shown}: the folder exists and is not a site built by "
                f"casebook build (it has no {SITE_MARK}), and MkDocs empties it first; choose "
                "another site_dir in mkdocs.yml, or empty it first")
    return None


def out_refusal(out: Path, project: Path | None = None) -> str | None:
    """Why `out` must not be replaced by a data package, or None when it may.

    `out` is replaced as a whole, so it is refused (data loss otherwise) by the folder rules
    of place_refusal (the project folder, cases/, sources/, schema/, .git/, .github/), and
    when it exists and is not empty but is not recognisably a data package this tool wrote:
    no `datapackage.json` named `village-casebook`, or an entry that is not one of the
    package's files (a folder, or a file of another name). Symbolic links are followed,
    as the export follows them.
    """
    refusal = place_refusal(out, project)
    if refusal:
        return refusal
    real = Path(os.path.realpath(out))
    shown = os.fspath(out)
    try:
        entries = list(os.scandir(real))
    except FileNotFoundError:
        return None
    except OSError:
        return None  # not a folder, or unreadable: export_package says so
    if not entries:
        return None
    names = {f"{t.name}.csv" for t in TABLES} | set(PACKAGE_EXTRAS)
    try:
        descriptor = json.loads((real / "datapackage.json").read_bytes())
        ours = isinstance(descriptor, dict) and descriptor.get("name") == "village-casebook"
        names |= {r["path"] for r in descriptor.get("resources", ()) if isinstance(r, dict)
                  and isinstance(r.get("path"), str)}
    except (OSError, ValueError, TypeError, AttributeError):
        ours = False
    if not ours:
        return (f"cannot export to {shown}: the folder exists and is not a data package written by "
                "casebook export (it has no datapackage.json of the casebook), and it would be replaced "
                "as a whole; choose another folder, or empty it first")
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name.startswith(STAGING_PREFIX):
            continue
        package_zip = entry.name.startswith("village-casebook-data-") and entry.name.endswith(".zip")
        if not entry.is_file(follow_symlinks=False) or not (entry.name in names or package_zip):
            return (f"cannot export to {shown}: it holds {entry.name!r}, which is not a file of the data "
                    "package, and the folder would be replaced as a whole; move it out, or choose "
                    "another folder")
    return None


def export_package(cases, out: Path, created: str | None = None, project: Path | None = None,
                   files: dict[str, bytes] | None = None) -> list[Path]:
    """Write the package into `out`, replacing it whole; a failure leaves `out` untouched.

    - Atomic swap, no missing-folder window: the package is written into a staging folder
      beside `out`, then exchanged with `out` in one step by Linux's renameat2(RENAME_EXCHANGE)
      (`out` stays a real folder; readers see the old package or the new one, never
      nothing). Where that call is missing (other systems, file systems without it) two
      renames are used, and `out` is missing for the instant between them.
    - `out` a symlink: the folder it points to is replaced (the link is kept).
    - One export at a time per folder: an advisory lock (flock) on the folder holding `out`;
      an export that finds it held stops with ExportError instead of racing.
    - Staging folders left by a killed run (`.export-<out name>-*`) are removed by the next.
    - Any OSError (ENOSPC, EROFS, EACCES, EFBIG under `ulimit -f` once SIGXFSZ is ignored …)
      becomes ExportError with a one-line message; the staging folder is removed and `out`
      is left as it was. A write-protected old package (or staging folder) is made writable
      so that it can be removed.
    - `files`: the package's files already made (package_files), as `casebook build` does.
    """
    if files is None:
        try:
            # The xlsx writer uses temporary files; it runs beside the SQLite step (parallel).
            files = _quietly(partial(package_files, parallel=True), cases, created, project)
        except OSError as exc:
            raise ExportError(f"could not make the data package: {_why(exc)}; nothing was written") from None
    out = Path(out)
    try:
        if out.is_symlink():
            out = Path(os.path.realpath(out))  # update the folder the link points to
        if out.exists() and not out.is_dir():
            raise ExportError(f"cannot export to {out}: it exists and is not a folder")
    except OSError as exc:
        raise ExportError(f"cannot export to {out}: {_why(exc)}; nothing was written") from None
    refusal = out_refusal(out, project)
    if refusal:
        raise ExportError(refusal)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _export_lock(out):
            _remove_stale_staging(out)
            staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{out.name}-", dir=out.parent))
            try:
                staging.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700; a package is for everyone
                for name, content in files.items():
                    (staging / name).write_bytes(content)
                _swap_in(staging, out)
            finally:
                _rmtree(staging)  # after a swap: the old package
    except OSError as exc:
        raise ExportError(f"could not write the data package to {out}: {_why(exc)}; "
                          f"the previous package (if any) is unchanged") from None
    return [out / name for name in files]


class StagedPackage(Mapping):
    """The package's files written in a folder, read back one at a time: {name: bytes}.

    `casebook build` makes the package in a child process that writes it here
    (`stage_package`), so the megabytes of rows, SQLite and xlsx it takes to make (1.1 GB of
    the build's memory at 2,000 cases) never stay in the process that builds the site; the
    site copies the files from `path(name)`, and export_package reads each when it writes it.
    """

    def __init__(self, folder: Path, names: list[str]):
        self.folder, self._names = Path(folder), list(names)

    def path(self, name: str) -> Path:
        return self.folder / name

    def __getitem__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        return self.path(name).read_bytes()

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _write_package(cases, folder: Path, created: str | None, project: Path | None) -> list[str]:
    files = _quietly(partial(package_files, parallel=True), cases, created, project)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return list(files)


def stage_package(cases, folder: Path, created: str | None = None,
                  project: Path | None = None) -> StagedPackage:
    """Make the package (package_files) in a forked child process and write it into `folder`.

    The child inherits the cases (nothing is pickled) and sends back only the file names
    (generator/child.py). Returns the files as a StagedPackage. Raises OSError (disk full,
    unwritable folder …) as the child met it, child.ChildError for anything else.
    """
    from .child import run_forked

    folder = Path(folder)
    return StagedPackage(folder, run_forked(_write_package, cases, folder, created, project))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _quietly(function, *args):
    """Call `function`; if it fails, collect what it abandoned without printing tracebacks.

    A writer that fails mid-stream (the xlsx writer under a full disk) leaves generators whose
    cleanup raises again; Python would print each as "Exception ignored in …".
    """
    try:
        return function(*args)
    except OSError as exc:
        # A fresh error without the traceback, whose frames would keep the writer alive.
        failure = OSError(exc.errno, exc.strerror, exc.filename)
    hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise failure


def _why(exc: OSError) -> str:
    name = errno.errorcode.get(exc.errno or 0, "")
    hint = {"ENOSPC": " (disk full)", "EFBIG": " (file size limit, e.g. `ulimit -f`)",
            "EROFS": " (read-only file system)", "EACCES": " (no permission)"}.get(name, "")
    where = f" at {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{hint}{where}"


@contextlib.contextmanager
def _export_lock(out: Path):
    """Hold an advisory lock on the folder that holds `out` (no lock file is left behind)."""
    fd = os.open(out.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(f"another export is writing to {out.parent} right now; wait for it "
                              "to finish, then run this one again") from None
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove_stale_staging(out: Path) -> None:
    """Remove staging folders a killed export left beside `out` (we hold the lock: none is live)."""
    for stale in out.parent.glob(f"{STAGING_PREFIX}{out.name}-*"):
        if stale.is_dir() and not stale.is_symlink():
            _rmtree(stale)


def _rmtree(folder: Path) -> None:
    """Remove `folder`, making write-protected folders in it writable first (an old package
    someone made read-only is swapped into the staging folder and must still go)."""
    def retry(function, path, _exc_info):
        with contextlib.suppress(OSError):
            parent = os.path.dirname(path)
            os.chmod(parent, os.stat(parent).st_mode | 0o700)
            if os.path.isdir(path) and not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o700)
            function(path)

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=retry)
    else:
        shutil.rmtree(folder, onerror=retry)


_RENAME_EXCHANGE = 2  # linux/fs.h


def _swap_in(staging: Path, out: Path) -> None:
    """Put `staging` at `out`; afterwards `staging` holds the old package (or nothing)."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return
    old = staging.with_name(staging.name + "-old")  # fallback: two renames in one folder
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(old, out)
        raise
    os.rename(old, staging)  # so the caller's cleanup removes it


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc = _libc()
    if libc is None:
        return False
    at_fdcwd = -100
    if libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # kernel or file system without RENAME_EXCHANGE
    raise OSError(err, os.strerror(err), str(b))


@cache
def _libc():
    if sys.platform != "linux":
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                   ctypes.c_uint]
        return libc
    except (OSError, AttributeError):  # no renameat2 in this C library (glibc < 2.28, musl)
        return None
