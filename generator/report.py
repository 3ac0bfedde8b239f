"""Stage 3 for validation: print problems for people (text) or for GitHub Actions."""

from __future__ import annotations

from .problems import Problem


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_problem(problem: Problem, fmt: str = "text") -> str:
    """One problem as `path:line:col: message [json.path]` or a GitHub annotation."""
    tail = f" [{problem.json_path}]" if problem.json_path else ""
    if fmt == "github":
        level = "error" if problem.is_error else "warning"
        return (f"::{level} file={_escape_prop(problem.path)},line={problem.line},"
                f"col={problem.col},title={_escape_prop(problem.rule or 'casebook')}::"
                f"{_escape_data(problem.message + tail)}")
    level = "" if problem.is_error else "warning: "
    return f"{problem.path}:{problem.line}:{problem.col}: {level}{problem.message}{tail}"
