"""The `casebook` command line. Only this module exits the process."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import click

from . import __version__
from .report import escape, format_problem
from .validate import Report, validate_paths

CONTEXT = {"help_option_names": ["-h", "--help"]}
DEFAULT_CASES = Path("cases")


def _print_report(report: Report, fmt: str, verbose: bool = False) -> None:
    for problem in report.problems:
        click.echo(format_problem(problem, fmt))
    if fmt == "text":
        errors, warnings = len(report.errors), len(report.warnings)
        files = len({p.path for p in report.errors})
        summary = (f"{report.checked} file(s) checked: {errors} error(s) in {files} file(s), "
                   f"{warnings} warning(s)")
        valid = f"{report.checked} file(s) checked: all valid" + (
            f", {warnings} warning(s) (advice; they do not fail)" if warnings else "")
        click.echo(summary if errors else valid, err=True)


def _print_completeness(report: Report) -> None:
    from .completeness import completeness, missing_items

    for case in report.cases:
        score, _ = completeness(case.data)
        click.echo(f"{escape(case.display)}: completeness {score}/100")
        missing, groups = missing_items(case.data)
        for group, (filled, total) in groups.items():
            if filled < total:
                first = next(m for m in missing if m.group == group)
                click.echo(f"  {first.label}: {total - filled} of {total} missing, "
                           f"e.g. {escape(first.json_path)}")


def _release_or_exit(check) -> None:
    """Run a release.py check of the project folder (the current folder); a ReleaseError
    (missing or malformed DATA_VERSION, CITATION.cff, CHANGELOG.md, a schema/ that is not
    the tool's, a bad $CASEBOOK_HOMEPAGE or $SOURCE_DATE_EPOCH) is one line and exit 2."""
    from .release import ReleaseError

    try:
        check()
    except ReleaseError as exc:
        click.echo(f"Error: {escape(str(exc))}", err=True)
        sys.exit(2)


def _out_or_exit(out: Path) -> None:
    """Refuse (one line, exit 2) an --out the package must not replace: the project folder,
    cases/, sources/, schema/ or a folder that is not a data package (export.out_refusal)."""
    from .export import out_refusal

    refusal = out_refusal(out)
    if refusal:
        click.echo(f"Error: {escape(refusal)}", err=True)
        sys.exit(2)


def _paths_or_default(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    if not DEFAULT_CASES.is_dir():
        raise click.UsageError("no PATHS given and there is no cases/ folder here; "
                               "run from the repository root or pass case files")
    return [DEFAULT_CASES]


class _Commands(click.Group):
    """The command group; Ctrl-C ends a command with exit 130 (128 + SIGINT, as shells do),
    not click's "Aborted!" and exit 1, which scripts would read as invalid data."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("Interrupted (Ctrl-C).", err=True)
            ctx.exit(130)


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="casebook")
def main() -> None:
    """Village Assistance Casebook: validate cases, export the data package, build the site.

    Exit status: 0 done, 1 invalid data (or a step that failed), 2 misuse, 130 interrupted
    (Ctrl-C), 143 terminated (SIGTERM, `casebook build`)."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, readable=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="text for people, github for Actions annotations.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also print each valid case's completeness score (0-100) and what it lacks.")
def validate(paths: tuple[Path, ...], fmt: str, verbose: bool) -> None:
    """Check case files (default: every file in cases/) and report every problem.

    Each problem is printed as `path:line:col: message [json.path]`; warnings (advice:
    recommended fields missing, a case that looks like another) say `warning:` and do not
    fail. Exit status: 0 when valid (warnings allowed), 1 when any file has an error, 2 for misuse.
    """
    from .release import check_schema

    _release_or_exit(check_schema)
    # Only the verdict is needed, unless --verbose scores the valid cases.
    report = validate_paths(_paths_or_default(paths), keep_data=verbose)
    if report.checked == 0:  # an empty cases/ folder: nothing checked is not "all valid"
        from .problems import Problem

        for given in _paths_or_default(paths):
            click.echo(format_problem(Problem(given.as_posix(), 1, 1, "no case files found (.yaml or "
                                              ".yml); add one with `casebook new <id>`", "", "error",
                                              "empty-folder"), fmt))
        sys.exit(1)
    _print_report(report, fmt, verbose)
    if verbose and fmt == "text":
        _print_completeness(report)
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("case_id", metavar="ID")
@click.option("--dir", "cases_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_CASES, show_default=True, help="Folder to write the case into.")
def new(case_id: str, cases_dir: Path) -> None:
    """Write a commented skeleton cases/ID.yaml to fill in (never overwrites a file).

    ID is the place name in pinyin, a hyphen and a short name, e.g.
    langao-first-secretary-team-service. Every field is listed with a comment saying
    what it is and whether it is required; empty placeholders fail `casebook validate`
    at their line until filled. Exit status 2 for a bad ID or an existing file.
    """
    from .skeleton import SkeletonError, new_case_path

    # The id and folder are typed by a person and echoed back: escaped (no raw ESC, BEL or bidi).
    if not cases_dir.is_dir():
        raise click.UsageError(f"there is no {escape(str(cases_dir))}/ folder here; run from the "
                               "repository root or pass --dir")
    try:
        path = new_case_path(case_id, cases_dir)
    except SkeletonError as exc:
        raise click.UsageError(escape(str(exc))) from exc
    shown = escape(path.as_posix())
    click.echo(f"wrote {shown}: fill in the fields marked 必填 required, then run "
               f"`casebook validate {shown}`")


@main.command("from-issue")
@click.argument("body", metavar="FILE")
@click.option("--dir", "cases_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_CASES, show_default=True, help="Folder to write the draft into.")
@click.option("--form", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path(".github/ISSUE_TEMPLATE/new-case.yml"), show_default=True,
              help="The issue form whose labels the body's headings use.")
def from_issue(body, cases_dir: Path, form: Path) -> None:
    """Turn a new-case issue body (FILE, or - for stdin) into a draft case, and validate it.

    FILE is the markdown GitHub writes from the issue form: a `### label` heading per
    field, `_No response_` for empty ones. The draft lands in cases/<id>.yaml; what the
    form did not give stays an empty placeholder, reported below at its line. Exit status:
    0 when the draft is valid, 1 when it still has errors, 2 for misuse.
    """
    from .from_issue import FormError, IssueError, read_body, write_draft
    from .load import linked_folder

    if not cases_dir.is_dir():
        raise click.UsageError(f"there is no {cases_dir}/ folder here; run from the repository "
                               "root or pass --dir")
    if os.path.islink(cases_dir) or linked_folder(cases_dir / "x") is not None:  # as validate
        click.echo(f"Error: {escape(cases_dir.as_posix())} is a symbolic link or lies in a linked "
                   "folder; folders in the repository must be real folders (links are not "
                   "followed), so no draft was written", err=True)
        sys.exit(2)
    try:
        path = write_draft(read_body(body), cases_dir, form)
    except FormError as exc:
        click.echo(f"Error: {escape(str(exc))}", err=True)
        sys.exit(2)
    except IssueError as exc:
        raise click.ClickException(escape(str(exc))) from exc
    click.echo(f"wrote draft {escape(path.as_posix())}")
    # Validate with the other cases, so duplicate ids and look-alike cases show up too.
    report = validate_paths([cases_dir])
    mine = Report([c for c in report.cases if c.path == path],
                  [p for p in report.problems if Path(p.path).resolve() == path.resolve()], 1)
    _print_report(mine, "text")
    sys.exit(0 if mine.ok else 1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, readable=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def migrate(paths: tuple[Path, ...], dry_run: bool) -> None:
    """Rewrite version-1 case files (default: every file in cases/) to case format version 2.

    Comments, key order, quoting and folded text are kept. Qualifiers follow the version-2
    vocabulary (400余万 → plus, 10万元以上 → at_least). The fields version 2 requires that
    only a person can know for sure (case_type, each metric's claim_type and status, each
    source's evidence_type) are filled with a best guess and marked
    `# migrate: inferred, check against the source`: check each against the article and
    delete the comment. Files already in version 2 are not touched. Prints what changed in
    each file. Exit status: 0 when every file is version 2 now (or would be, with
    --dry-run), 1 when a file could not be migrated (its problems are printed), 2 for misuse.
    """
    from .migrate import MIGRATED, REFUSED, UNCHANGED, migrate_paths

    results = migrate_paths(_paths_or_default(paths), write=not dry_run)
    for result in results:
        if result.status == UNCHANGED:
            click.echo(f"{result.display}: already version 2, not changed")
        elif result.status == MIGRATED:
            verb = "would migrate" if dry_run else "migrated"
            inferred = sum(c.endswith("(inferred)") for c in result.changes)
            click.echo(f"{result.display}: {verb} to version 2 ({len(result.changes)} change(s), "
                       f"{inferred} inferred value(s) marked `# migrate:` to check)")
            for change in result.changes:
                click.echo(f"  {change}")
        else:
            click.echo(f"{result.display}: not migrated, fix these first:")
            for problem in result.problems:
                click.echo(f"  {format_problem(problem)}")
    counts = {s: sum(r.status == s for r in results) for s in (MIGRATED, UNCHANGED, REFUSED)}
    click.echo(f"{len(results)} file(s): {counts[MIGRATED]} {'to migrate' if dry_run else 'migrated'}, "
               f"{counts[UNCHANGED]} already version 2, {counts[REFUSED]} not migrated", err=True)
    sys.exit(1 if counts[REFUSED] else 0)


def _valid_cases_or_exit(paths: tuple[Path, ...], step: str, **options) -> Report:
    """Validate; on errors print them exactly as `casebook validate` does and exit 1."""
    click.echo(f"[1] validating {escape(', '.join(map(str, _paths_or_default(paths))))} …", err=True)
    report = validate_paths(_paths_or_default(paths), **options)
    if not report.ok:
        _print_report(report, "text")
        click.echo(f"{step} refused: fix the errors above first; nothing was written.", err=True)
        sys.exit(1)
    click.echo(f"    {len(report.cases)} valid case(s), {len(report.warnings)} warning(s)", err=True)
    return report


def _hand_over(config, report: Report, files: dict[str, bytes]) -> None:
    """Give the site's plugin the cases just validated and the package just written, so the
    site step neither validates nor exports again (each takes as long as the parse floor or
    more at 2,000 cases). The plugin still checks they are for its own cases folder."""
    plugin = config.plugins.get("casebook")
    if plugin is not None and hasattr(plugin, "reuse"):
        plugin.reuse(DEFAULT_CASES.resolve(), report, files)


def _one_line(exc: BaseException | str) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "…"


def _export_or_exit(cases, out: Path, created: str | None,
                    files: dict[str, bytes] | None = None) -> list[Path]:
    """export_package, with its failures (disk full, read-only, `ulimit -f`, a concurrent
    export) as a one-line message and exit 1."""
    import signal

    from .export import ExportError, export_package

    if hasattr(signal, "SIGXFSZ"):
        # Past `ulimit -f` the kernel sends SIGXFSZ, which kills the process outright;
        # ignored, the write fails with EFBIG instead and is reported.
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        return export_package(cases, out, created, files=files)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, readable=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("build/data"),
              show_default=True, help="Folder for the data package (replaced as a whole).")
def export(paths: tuple[Path, ...], out: Path) -> None:
    """Write the Frictionless data package: datapackage.json, one CSV per table, README,
    casebook.sqlite, casebook.xlsx, CITATION.cff, CHANGELOG.md and the zip of them all.

    Cases are validated first; if any has an error, the messages are printed and nothing
    is written (exit 1). The output is byte-identical for the same cases; set
    SOURCE_DATE_EPOCH to record a `created` time and CASEBOOK_HOMEPAGE for `homepage`.
    DATA_VERSION, CITATION.cff and CHANGELOG.md are read from the current folder (exit 2
    when one is missing or malformed, or a setting is bad).
    """
    from .export import case_rows, created_from_env
    from .release import check_project, check_schema

    _out_or_exit(out)
    _release_or_exit(check_schema)
    # Each case is flattened to CSV rows in the worker that validates it; only rows return.
    report = _valid_cases_or_exit(paths, "export", keep_data=False, derive=case_rows)
    _release_or_exit(check_project)  # after validate's messages, before anything is written
    click.echo(f"[2] exporting the data package to {escape(str(out))} …", err=True)
    written = _export_or_exit(report.cases, out, created_from_env())
    names = {p.name for p in written}
    extras = [n for n in ("casebook.sqlite", "casebook.xlsx", "CITATION.cff", "CHANGELOG.md") if n in names]
    click.echo(f"wrote {len(written)} files to {escape(out.as_posix())}/ "
               f"(datapackage.json, {sum(p.suffix == '.csv' for p in written)} CSV tables, "
               f"{', '.join(extras)}, zip)")


@main.command()
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("mkdocs.yml"), show_default=True, help="The MkDocs configuration.")
@click.option("--data-out", type=click.Path(file_okay=False, path_type=Path), default=Path("build/data"),
              show_default=True, help="Folder for the data package.")
def build(config_file: Path, data_out: Path) -> None:
    """Validate cases/, build the site and export the data package, in one go.

    Prints each step and where its output is. Exit 1 (with the validation messages) when
    a case is invalid, before anything is written. Exit 2, before anything is written, when
    mkdocs.yml's site_dir is a folder MkDocs must not empty (export.site_refusal: the
    project, cases/, sources/, schema/, .git/, .github/, the --data-out folder or a folder
    that is not a site it built). The site is built before --data-out is replaced, so a
    failed site step (exit 1) leaves the old package as it was.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .child import ChildError
    from .export import (
        SITE_PREFIX,
        STAGED_PREFIX,
        _swap_in,
        _umask,
        _why,
        created_from_env,
        remove_stale_staging,
        site_refusal,
        stage_package,
    )
    from .release import check_project, check_schema

    _out_or_exit(data_out)
    _release_or_exit(check_schema)
    report = _valid_cases_or_exit((), "build")
    # Everything the site step needs is checked before anything is written: mkdocs.yml
    # loads (strict), its theme and plugins are installed, docs_dir exists, and the site
    # folder can be written. A broken config never leaves a new build/data behind.
    import logging

    said: list[str] = []  # MkDocs logs what is wrong, then raises "Aborted with … error!"
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: said.append(record.getMessage())
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = load_config(config_file=str(config_file), strict=True)
    except (MkDocsException, OSError, ValueError) as exc:
        raise click.ClickException(f"{config_file}: {_one_line(' '.join(said) or exc)}; fix it "
                                   "first (nothing was written)") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    refusal = site_refusal(Path(config.site_dir), data_out)
    if refusal:  # MkDocs empties site_dir first: never cases/, the data package, a stranger's folder
        click.echo(f"Error: {escape(refusal)}", err=True)
        sys.exit(2)
    site_parent = Path(config.site_dir).parent
    while not site_parent.exists() and site_parent != site_parent.parent:
        site_parent = site_parent.parent
    if not os.access(site_parent, os.W_OK):
        raise click.ClickException(f"cannot write the site into {config.site_dir}: {site_parent} "
                                   "is not writable (nothing was written)")
    _release_or_exit(check_project)
    # The package is made first (the site offers it for download), the site is built, and
    # only then are build/site and build/data replaced: a failed or interrupted step leaves
    # the old site and package in place. Each is staged beside its folder (named with this
    # process's id, so the next build removes what a killed one left), and each heavy step
    # runs in a child process (generator/child.py), so their memory never adds up.
    site_dir = Path(config.site_dir)
    for folder in {site_dir.parent, data_out.parent}:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(folder)
    staged = Path(tempfile.mkdtemp(prefix=f"{STAGED_PREFIX}{os.getpid()}-", dir=data_out.parent))
    site_staged = Path(tempfile.mkdtemp(prefix=f"{SITE_PREFIX}{os.getpid()}-", dir=site_dir.parent))
    # mkdtemp makes the folder 0700: once swapped in, a web server running as another user
    # could read nothing (review). The site gets the mode MkDocs would give it.
    site_staged.chmod(0o777 & ~_umask())
    try:
        with _terminated_as_exit():
            click.echo("    making the data package (CSV, SQLite, xlsx, zip) …", err=True)
            try:
                files = stage_package(report.cases, staged, created_from_env())
            except (OSError, ChildError) as exc:
                why = _why(exc) if isinstance(exc, OSError) else _one_line(exc)
                raise click.ClickException(f"could not make the data package: {why}; "
                                           "nothing was written") from None
            _hand_over(config, report, files)
            del report  # the plugin holds it for the MkDocs child, and drops it before Pagefind
            click.echo(f"[2] building the site from {escape(str(config_file))} (strict) …", err=True)
            config.site_dir = str(site_staged)
            try:
                _site_step(config, mkdocs_build)
                _swap_in(site_staged, site_dir)
            except (ChildError, MkDocsException, OSError) as exc:
                said = exc.text if isinstance(exc, ChildError) and exc.text else exc  # as MkDocs put it
                shown = os.path.relpath(site_dir)
                shown = shown if not shown.startswith("..") else site_dir.as_posix()
                raise click.ClickException(f"site build failed: {_one_line(said)}; {shown} and "
                                           f"{data_out} were not changed") from None
            click.echo(f"[3] exporting the data package to {escape(str(data_out))} …", err=True)
            _export_or_exit((), data_out, None, files)  # the files are made: no case is needed
    finally:
        shutil.rmtree(staged, ignore_errors=True)
        shutil.rmtree(site_staged, ignore_errors=True)  # after the swap: the old site
    click.echo(f"data package: {escape(data_out.as_posix())}/datapackage.json")
    site = escape(site_dir.as_posix())
    click.echo(f"site: {site}/index.html (view it with `python -m http.server -d {site}` or `mkdocs serve`)")


def _site_step(config, mkdocs_build) -> None:
    """MkDocs in a child process (its warnings and the plugin's progress relayed), then
    Pagefind in this one once the child has exited: their peaks of memory (~1.5 GB and
    ~1.7 GB at 2,000 cases) come one after the other. Raises ChildError, MkDocsException
    or OSError."""
    import logging

    from .child import run_forked
    from .plugin import INDEXING

    plugin = config.plugins.get("casebook")
    if plugin is not None and hasattr(plugin, "defer_search"):
        plugin.defer_search()
    progress = [("mkdocs.plugins.generator", logging.INFO, logging.WARNING, "    "),
                ("mkdocs", logging.WARNING, None, "")]
    run_forked(mkdocs_build, config, relays=progress, line=lambda text: click.echo(escape(text), err=True))
    if plugin is not None and hasattr(plugin, "index_search"):
        click.echo(f"    casebook: {INDEXING}", err=True)
        plugin.index_search(config)


@contextlib.contextmanager
def _terminated_as_exit():
    """SIGTERM (CI runners, `timeout`) ends the build as SystemExit(143), so the staging
    folders are removed and the children, which die with this process, leave nothing."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    main()
