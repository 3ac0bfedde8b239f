"""The data release's identity: its version, homepage and citation, separate from the software's.

The data version (`DATA_VERSION`, date-based YYYY.MM.N, e.g. 2026.11.0) names a release of
the cases; it is set by hand in the release commit together with the top entry of
CHANGELOG.md and `version` in CITATION.cff (tests/test_formats.py checks the three agree).
The software version (`generator.__version__`) is a different thing and does not appear in
the data package.

Everything that identifies the data is read from the *project folder* being exported (the
folder `casebook` runs in, holding cases/), never from the installed tool: DATA_VERSION,
CITATION.cff and CHANGELOG.md must be there and agree, else ReleaseError. The case schema
is the installed tool's (its rules and tables are written against it); a project folder
with its own schema/case.schema.json must hold the same schema (`check_schema`), so a
checkout whose schema is newer, older or broken is refused instead of validated against
another schema. Nothing here exits; the CLI turns ReleaseError into one line and exit 2.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

VERSION_PATTERN = r"^[0-9]{4}\.(0[1-9]|1[0-2])\.[0-9]+$"
# The repository's web address is not written anywhere in the project; the release
# workflow knows it (github.server_url/github.repository) and passes it in this variable.
HOMEPAGE_ENV = "CASEBOOK_HOMEPAGE"
EPOCH_ENV = "SOURCE_DATE_EPOCH"
# datetime cannot go past 9999-12-31T23:59:59Z; a larger epoch is a mistake, not a date.
MAX_EPOCH = 253402300799
IDENTITY_FILES = ("DATA_VERSION", "CITATION.cff", "CHANGELOG.md")


class ReleaseError(ValueError):
    """A file or setting that identifies the data release is missing or malformed.

    The message is one line: what is wrong, where, and a valid example.
    """


def project_root(root: Path | str | None = None) -> Path:
    """The project folder: `root`, or the current folder (where `casebook` looks for cases/)."""
    return Path(root) if root is not None else Path.cwd()


def _read(root: Path | str | None, name: str) -> tuple[Path, str]:
    path = project_root(root) / name
    try:
        return path, path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReleaseError(f"{path} is missing: a data project needs {', '.join(IDENTITY_FILES)} "
                           "beside its cases/ folder (copy them from the casebook repository and "
                           "set the version, e.g. 2026.11.0)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReleaseError(f"{path} cannot be read as UTF-8 text: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def data_version(root: Path | str | None = None) -> str:
    """The data release version from the project's DATA_VERSION, e.g. "2026.11.0".

    Raises ReleaseError when the file is missing or is not YYYY.MM.N.
    """
    path, text = _read(root, "DATA_VERSION")
    version = text.strip()
    if not re.fullmatch(VERSION_PATTERN, version):
        shown = json.dumps(version[:40], ensure_ascii=True)
        raise ReleaseError(f"{path} holds {shown}, not a data version YYYY.MM.N such as 2026.11.0")
    return version


def zip_name(version: str | None = None, root: Path | str | None = None) -> str:
    """The release zip's name: village-casebook-data-<data version>.zip."""
    return f"village-casebook-data-{version or data_version(root)}.zip"


def homepage() -> str | None:
    """The package homepage from $CASEBOOK_HOMEPAGE (http/https only), or None when unset.

    Raises ReleaseError for any other value.
    """
    url = os.environ.get(HOMEPAGE_ENV, "").strip()
    if not url:
        return None
    if not re.fullmatch(r"https?://[^\s\"'<>\\]+", url, re.ASCII):
        shown = json.dumps(url[:80], ensure_ascii=True)
        raise ReleaseError(f"{HOMEPAGE_ENV} must be an http(s) URL such as "
                           f"https://github.com/OWNER/REPO, not {shown}")
    return url


def created_from_env() -> str | None:
    """ISO UTC creation time from $SOURCE_DATE_EPOCH (reproducible builds), or None when unset.

    The value must be whole seconds since 1970-01-01 UTC, from 0 to 253402300799
    (9999-12-31); raises ReleaseError otherwise (abc, -5, 1e9, 99999999999999).
    """
    text = os.environ.get(EPOCH_ENV, "").strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,12}", text, re.ASCII) or int(text) > MAX_EPOCH:
        shown = json.dumps(text[:40], ensure_ascii=True)
        raise ReleaseError(f"{EPOCH_ENV} must be whole seconds since 1970-01-01 UTC, from 0 to "
                           f"{MAX_EPOCH}, such as {EPOCH_ENV}=1764460800, not {shown}")
    return datetime.fromtimestamp(int(text), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def citation_cff(root: Path | str | None = None, url: str | None = None) -> bytes:
    """The project's CITATION.cff bytes, shipped in the package so the zip says how to cite it.

    With `url` (the homepage), `repository-code` and `url` are added when the file has none,
    so a zip-only reader can find the repository. Raises ReleaseError when the file is
    missing, is not a YAML mapping with cff-version, title and version, or its version is not
    the project's DATA_VERSION.
    """
    path, text = _read(root, "CITATION.cff")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ReleaseError(f"{path}{where} is not valid YAML: {getattr(exc, 'problem', None) or 'unreadable'}"
                           ) from None
    if not isinstance(data, dict) or any(key not in data for key in ("cff-version", "title", "version")):
        raise ReleaseError(f"{path} must be a CITATION.cff mapping with cff-version, title and "
                           'version (e.g. version: "2026.11.0")')
    version = data_version(root)
    if str(data["version"]) != version:
        raise ReleaseError(f"{path} has version {json.dumps(str(data['version'])[:40])} but "
                           f"DATA_VERSION is {version}; set version: \"{version}\"")
    if url:
        if not text.endswith("\n"):
            text += "\n"
        for key in ("repository-code", "url"):
            if key not in data:
                text += f"{key}: {json.dumps(url)}\n"  # a JSON string is a YAML double-quoted one
    return text.encode("utf-8")


def changelog(root: Path | str | None = None) -> bytes:
    """The project's CHANGELOG.md bytes (shipped in the package).

    Raises ReleaseError when it is missing or its first `## <version> (<date>)` entry is not
    the project's DATA_VERSION.
    """
    path, text = _read(root, "CHANGELOG.md")
    version = data_version(root)
    entries = re.findall(r"^## (\S+)", text, re.M)
    if not entries or entries[0] != version:
        found = json.dumps(entries[0][:40]) if entries else "no entry"
        raise ReleaseError(f"{path}: the first release entry is {found}, not DATA_VERSION {version}; "
                           f"add `## {version} (YYYY-MM-DD)` with what changed")
    return text.encode("utf-8")


def check_schema(root: Path | str | None = None) -> None:
    """Refuse a project whose own schema/case.schema.json is not the installed tool's schema.

    `casebook` validates with the schema it was installed with (its rules and tables are
    written against it). A project folder without schema/ uses it as is; one with a schema
    that is broken JSON or differs would be checked against the wrong rules, so this raises
    ReleaseError (reinstall the tool from that checkout: `pip install -e .`).
    """
    from .schema import load_schema, schema_path

    path = project_root(root) / "schema" / "case.schema.json"
    if not path.is_file():
        return
    try:
        if path.resolve() == schema_path().resolve():
            return  # an editable install: the project's schema is the tool's
    except FileNotFoundError:
        pass
    try:
        own = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ReleaseError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); fix the "
                           "schema, casebook will not validate against a broken one") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReleaseError(f"{path} cannot be read as UTF-8 text: {_one_line(exc)}") from None
    if own != load_schema():
        raise ReleaseError(f"{path} is not the schema this casebook was installed with "
                           f"({schema_path()}); install the tool from this checkout "
                           "(pip install -e .) so cases are validated against this schema")


def check_project(root: Path | str | None = None, url: str | None = None) -> str:
    """Check everything a data release reads from the project folder; return the data version.

    Raises ReleaseError (one line) for the first problem: schema, DATA_VERSION,
    CITATION.cff, CHANGELOG.md, $CASEBOOK_HOMEPAGE or $SOURCE_DATE_EPOCH.
    """
    check_schema(root)
    version = data_version(root)
    citation_cff(root, url)
    changelog(root)
    homepage()
    created_from_env()
    return version
