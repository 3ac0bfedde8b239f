"""Stage 2: validate loaded cases against the schema and the cross-file rules."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema
import jsonschema_rs

from .load import CaseFile, discover, read_case
from .locate import Locator
from .messages import explain
from .problems import ERROR, Problem, format_json_path
from .rules import Finding, cross_file
from .schema import load_schema

# Below this many files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 200


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
    return jsonschema.Draft7Validator(load_schema())


def schema_findings(index: int, data: object) -> list[Finding]:
    """Every schema violation of one file's data, explained (empty when valid)."""
    if _fast_validator().is_valid(data):
        return []
    found = []
    for error in _explainer().iter_errors(data):
        parts, at, message = explain(error)
        found.append(Finding(index, parts, message, f"schema-{error.validator}", at))
    return found


def read_all(paths: list[Path], jobs: int | None = None) -> list[CaseFile]:
    """Read and parse files, on several processes when there are many."""
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(paths) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(read_case, paths, chunksize=max(1, len(paths) // (jobs * 8))))
    return [read_case(p) for p in paths]


def check(files: list[CaseFile]) -> Report:
    """Validate already-read files together and return one report."""
    problems: list[Problem] = []
    findings: list[Finding] = []
    schema_ok: list[tuple[int, Path, dict]] = []
    for index, case in enumerate(files):
        problems.extend(case.problems)
        if case.data is None:
            continue
        found = schema_findings(index, case.data)
        findings.extend(found)
        if not found:
            schema_ok.append((index, case.path, case.data))
    findings.extend(cross_file(schema_ok))
    problems.extend(locate(files, findings))
    failed = {f.index for f in findings if f.severity == ERROR}
    valid = [files[i] for i, _, _ in schema_ok if i not in failed]
    return Report(valid, sorted(problems), len(files))


def locate(files: list[CaseFile], findings: list[Finding]) -> list[Problem]:
    """Attach line and column to findings, composing only the files that have any."""
    locators: dict[int, Locator] = {}
    out = []
    for f in findings:
        locator = locators.setdefault(f.index, Locator(files[f.index].text))
        line, col = locator.position(f.parts, f.at)
        out.append(Problem(files[f.index].display, line, col, f.message,
                           format_json_path(f.parts), f.severity, f.rule))
    return out


def validate_paths(paths, jobs: int | None = None) -> Report:
    """Discover, read and validate case files under the given files or folders."""
    return check(read_all(discover(paths), jobs))
