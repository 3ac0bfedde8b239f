"""The one result type every stage returns: a located problem in a case file."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in one file, at a 1-based line and column, with a fix-telling message."""

    path: str
    line: int = 0
    col: int = 0
    message: str = field(default="", compare=False)
    json_path: str = field(default="", compare=False)
    severity: str = field(default=ERROR, compare=False)
    rule: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        """True when the problem fails validation (warnings do not)."""
        return self.severity == ERROR


def format_json_path(parts) -> str:
    """Render path parts as `$.models[0].terms[1].name`."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
