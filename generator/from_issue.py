"""Turn the body of a submitted new-case issue into a draft case.

GitHub writes an issue form's answers as markdown: one `### <label>` heading per field,
then the answer, or `_No response_` when the field was left empty. The labels are read
from the form itself (`.github/ISSUE_TEMPLATE/new-case.yml`), whose field ids are paths
into the case format (`place-division_code` → place.division_code), so the form is the
only place a label is written. Nothing is guessed: what the form does not give stays an
empty placeholder that `casebook validate` points at, and only values read from the
answers are filled in (a metric's value and qualifier are read from its own quote).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .quantities import parse_quantities
from .skeleton import SkeletonError, check_case_id, current_version, render

NO_RESPONSE = "_No response_"
DEFAULT_FORM = Path(".github/ISSUE_TEMPLATE/new-case.yml")

_HEADER = """\
# 草稿 Draft made by `casebook from-issue` from an issue form. Before merging: check every
# fact and quote against the source, fill the empty placeholders `casebook validate` points
# at, and delete what the source does not support.
"""


class IssueError(ValueError):
    """The issue body cannot become a case (no id, a bad id); the message says why."""


def load_form(path: Path = DEFAULT_FORM) -> list[dict]:
    """The input fields of an issue form: each with its `id`, `type` and `attributes`."""
    form = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [item for item in form["body"] if item.get("id")]


def parse_body(body: str, fields: list[dict]) -> dict[str, str]:
    """Answers by field id from an issue body; empty and `_No response_` answers are left out."""
    by_label = {item["attributes"]["label"].strip(): item["id"] for item in fields}
    answers: dict[str, str] = {}
    # Headings are `### label` lines; a field's answer runs to the next heading.
    parts = re.split(r"^###[ \t]+(.+?)[ \t]*$", body.replace("\r\n", "\n"), flags=re.M)
    for label, text in zip(parts[1::2], parts[2::2], strict=True):
        field_id = by_label.get(label.strip())
        value = text.strip()
        if field_id and value and value != NO_RESPONSE:
            answers[field_id] = value
    return answers


def _lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)、])\s+", "", line).strip()  # list markers people type
        if line:
            out.append(line)
    return out


def _choice(text: str) -> str:
    return text.split(" — ")[0].strip()  # options read "county — 县（市、区）"


def _choices(text: str) -> list[str]:
    return re.findall(r"([a-z_]+) — ", text + " ")


def _cells(line: str, names: tuple[str, ...], optional_first: bool = False) -> dict:
    cells = [c.strip() for c in line.split("|")]
    if optional_first and len(cells) < len(names):  # "名称 | 职责" without the symbol
        cells = [""] * (len(names) - len(cells)) + cells
    return {name: cell for name, cell in zip(names, cells, strict=False) if cell}


def _metric(quote: str, source: str) -> dict:
    metric: dict = {"quote": quote}
    found = parse_quantities(quote)
    if len(found) == 1:  # only an unambiguous quote fills in the number
        q = found[0]
        metric["value"] = int(q.value) if float(q.value).is_integer() else q.value
        if q.value_max is not None:
            metric["value_max"] = int(q.value_max) if float(q.value_max).is_integer() else q.value_max
        metric["qualifier"] = q.qualifier
    metric["source"] = source
    return metric


def _set(data: dict, path: list, value) -> None:
    node = data
    for part, following in zip(path, path[1:], strict=False):
        default: list | dict = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            node = node.setdefault(part, default)
    last = path[-1]
    node[last] = value


def draft(answers: dict[str, str]) -> dict:
    """The case data the answers give (placeholders are added when it is rendered)."""
    case_id = answers.get("id", "").strip()
    if not case_id:
        raise IssueError("the issue has no case id (### 案例编号 Case id); add one, e.g. "
                         "langao-first-secretary-team-service")
    try:
        pinyin = check_case_id(case_id)
    except SkeletonError as exc:
        raise IssueError(str(exc)) from exc
    source = f"{case_id}-source"
    data: dict = {"schema_version": current_version(), "id": case_id}
    for field_id, text in answers.items():
        if field_id in ("id", "confirm"):
            continue
        if field_id in ("lessons", "models-0-steps"):
            _set(data, _path(field_id), _lines(text))
        elif field_id == "themes":
            data["themes"] = _choices(text)
        elif field_id in ("scope", "sources-0-language", "models-0-kind"):
            _set(data, _path(field_id), _choice(text))
        elif field_id == "sources-0-authors":
            data.setdefault("sources", [{}])[0]["authors"] = [
                a.strip() for a in re.split(r"[、,，;；\n]", text) if a.strip()]
        elif field_id == "models-0-terms":
            terms = [_cells(line, ("symbol", "name", "role"), optional_first=True)
                     for line in _lines(text)]
            _set(data, ["models", 0, "terms"], terms)
        elif field_id == "models-0-evidence":
            _set(data, ["models", 0, "evidence"], [{"quote": q, "source": source}
                                                   for q in _lines(text)])
        elif field_id == "metrics":
            data["metrics"] = [_metric(q, source) for q in _lines(text)]
        elif field_id == "people":
            data["people"] = [{**_cells(line, ("name", "role", "quote")), "source": source}
                              for line in _lines(text)]
        else:
            _set(data, _path(field_id), text)
    data.setdefault("place", {}).setdefault("pinyin", pinyin)
    data.setdefault("sources", [{}])[0] = {"id": source, **data["sources"][0]}
    return data


def _path(field_id: str) -> list:
    return [int(p) if p.isdigit() else p for p in field_id.split("-")]


def write_draft(body: str, cases_dir: Path, form: Path = DEFAULT_FORM) -> Path:
    """Write `cases_dir/<id>.yaml` from an issue body; refuse to overwrite a file."""
    data = draft(parse_body(body, load_form(form)))
    target = Path(cases_dir) / f"{data['id']}.yaml"
    if target.exists():
        raise IssueError(f"{target} already exists; the case may already be in the collection")
    with target.open("x", encoding="utf-8", newline="\n") as out:
        out.write(render(data, header=_HEADER))
    return target
