"""When each case was added to the collection, for the home page's 最新案例 (newest cases).

"Newest" means most recently ADDED, not the latest source date: the date of the first
commit that added the case file (`git log --diff-filter=A`), read for all files of a
folder with one `git log` call. A file outside a git checkout, or not yet committed,
falls back to its modification time (a file being added now is the newest). Dates are
UTC, ISO 8601 (YYYY-MM-DDTHH:MM:SS+00:00). Never raises: without git, every date is the mtime.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path


def _git_added(folder: Path) -> dict[Path, str]:
    """{resolved path: first commit date} for files under `folder` that git knows."""
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "log", "--diff-filter=A", "--format=@%cI", "--name-only",
             "--relative", "--no-renames", "--", "."],
            capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if out.returncode != 0:
        return {}
    added: dict[Path, str] = {}
    when = ""
    for line in out.stdout.splitlines():
        if line.startswith("@"):
            when = datetime.fromisoformat(line[1:]).astimezone(UTC).isoformat(timespec="seconds")
        elif line.strip():
            added[(folder / line.strip()).resolve()] = when  # log runs newest first: the oldest wins
    return added


def _mtime(path: Path) -> str:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = 0
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def added_dates(paths) -> dict[Path, str]:
    """{path: date added} for case files (Path objects), from git history or else mtime."""
    paths = [Path(p) for p in paths]
    known: dict[Path, str] = {}
    for folder in sorted({p.resolve().parent for p in paths}):
        known.update(_git_added(folder))
    return {p: known.get(p.resolve()) or _mtime(p) for p in paths}
