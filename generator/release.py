"""The data release's identity: its version, homepage and citation, separate from the software's.

The data version (`DATA_VERSION`, date-based YYYY.MM.N, e.g. 2026.11.0) names a release of
the cases; it is set by hand in the release commit together with the top entry of
CHANGELOG.md and `version` in CITATION.cff (tests/test_formats.py checks the three agree).
The software version (`generator.__version__`) is a different thing and does not appear in
the data package.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_HERE = Path(__file__).resolve().parent
VERSION_PATTERN = r"^[0-9]{4}\.(0[1-9]|1[0-2])\.[0-9]+$"
# The repository's web address is not written anywhere in the project; the release
# workflow knows it (github.server_url/github.repository) and passes it in this variable.
HOMEPAGE_ENV = "CASEBOOK_HOMEPAGE"


def _project_file(name: str) -> Path | None:
    """A file shipped next to the package (wheel) or at the checkout's root."""
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_file():
            return candidate
    return None


def data_version() -> str:
    """The data release version from DATA_VERSION, e.g. "2026.11.0".

    Raises FileNotFoundError when the file is missing and ValueError when it is not
    YYYY.MM.N.
    """
    path = _project_file("DATA_VERSION")
    if path is None:
        raise FileNotFoundError("DATA_VERSION not found next to the generator package")
    version = path.read_text(encoding="utf-8").strip()
    if not re.fullmatch(VERSION_PATTERN, version):
        raise ValueError(f"DATA_VERSION {version!r} is not YYYY.MM.N, e.g. 2026.11.0")
    return version


def zip_name(version: str | None = None) -> str:
    """The release zip's name: village-casebook-data-<data version>.zip."""
    return f"village-casebook-data-{version or data_version()}.zip"


def homepage() -> str | None:
    """The package homepage from $CASEBOOK_HOMEPAGE (http/https only), or None when unset."""
    url = os.environ.get(HOMEPAGE_ENV, "").strip()
    if not url:
        return None
    if not re.match(r"^https?://[^\s]+$", url):
        raise ValueError(f"{HOMEPAGE_ENV} must be an http(s) URL, not {url!r}")
    return url


def citation_cff() -> bytes | None:
    """CITATION.cff's bytes, shipped inside the package so the zip says how to cite it."""
    path = _project_file("CITATION.cff")
    return path.read_bytes() if path else None
