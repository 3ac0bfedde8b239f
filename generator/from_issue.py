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

import io
import os
import re
import sys
import tempfile
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from .load import FileKind, Refused, read_case, read_regular
from .quantities import parse_quantities
from .schema import load_schema
from .skeleton import MODELINE, SkeletonError, check_case_id, current_version, render

NO_RESPONSE = "_No response_"
ID_LABEL = "案例编号 Case id"  # the id field's label in the committed form
DEFAULT_FORM = Path(".github/ISSUE_TEMPLATE/new-case.yml")

_HEADER = """\
# 草稿 Draft made by `casebook from-issue` from an issue form. Before merging: check every
# fact and quote against the source, fill the empty placeholders `casebook validate` points
# at, and delete what the source does not support.
"""


class IssueError(ValueError):
    """The issue body cannot become a case (no id, a bad id); the message says why."""


class FormError(IssueError):
    """The issue form (`--form`) cannot be read or is not an issue form: misuse, exit 2."""


# GitHub caps an issue body at 65,536 characters (up to 4 bytes each in UTF-8); a body file
# (or stdin) over this many bytes is refused, and at most this + 1 bytes are ever read.
BODY_LIMIT = 262_144
BODY_FILE = FileKind("body file", "issue body's", BODY_LIMIT,
                     "(GitHub's own limit is 65,536 characters); is this an issue body?")
FORM_FILE = FileKind("form file", ".github/ISSUE_TEMPLATE", BODY_LIMIT, "for an issue form")


def read_body(name: str, stdin=None) -> bytes:
    """The issue body's bytes from the file `name`, or from `stdin` (binary) when it is `-`.

    A file is read by load.read_regular: a FIFO, device, socket, folder or symbolic link is
    refused without being opened (so nothing hangs) and a file over BODY_LIMIT bytes is
    refused. From stdin at most BODY_LIMIT + 1 bytes are read (`yes |` or `< /dev/zero`
    end). Raises IssueError with a one-line message.
    """
    if name == "-":
        raw = (stdin if stdin is not None else sys.stdin.buffer).read(BODY_LIMIT + 1)
        if len(raw) > BODY_LIMIT:
            raise IssueError(f"the issue body on standard input is over the {BODY_LIMIT:,}-byte "
                             "limit (GitHub's own limit is 65,536 characters); is this an issue body?")
        return raw
    try:
        return read_regular(name, BODY_FILE)
    except Refused as exc:
        raise IssueError(f"{name}: {exc.message}") from None


def load_form(path: Path = DEFAULT_FORM) -> list[dict]:
    """The input fields of an issue form: each with its `id`, `type` and `attributes`.

    Read by load.read_regular (no FIFO, device or link; at most BODY_LIMIT bytes). Raises
    FormError (one line) when the file cannot be read, is not UTF-8 or YAML, or is not an
    issue form: a mapping whose `body` is a list, every item with an `id` having a mapping
    `attributes` with a text `label`.
    """
    shown = Path(path).as_posix()
    try:
        text = read_regular(path, FORM_FILE).decode("utf-8-sig")
        form = yaml.safe_load(text)
    except Refused as exc:
        raise FormError(f"the issue form {shown}: {exc.message}") from None
    except UnicodeDecodeError:
        raise FormError(f"the issue form {shown} is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise FormError(f"the issue form {shown} is not valid YAML{at}: "
                        f"{getattr(exc, 'problem', None) or 'cannot be parsed'}") from None
    body = form.get("body") if isinstance(form, dict) else None
    if not isinstance(body, list):
        raise FormError(f"the issue form {shown} is not an issue form: it has no `body:` list of fields")
    fields = []
    for n, item in enumerate(body, 1):
        if not isinstance(item, dict) or not item.get("id"):
            continue
        attributes = item.get("attributes")
        if (not isinstance(item["id"], str) or not isinstance(attributes, dict)
                or not isinstance(attributes.get("label"), str) or not attributes["label"].strip()):
            raise FormError(f"the issue form {shown} is not an issue form: field {n} of `body:` has "
                            "an `id` but no text `attributes: label:`")
        fields.append(item)
    return fields


_SEPARATORS = {0x2028: "\n", 0x2029: "\n", 0x85: "\n"}


def _headings(body: str, fields: list[dict]) -> tuple[list[str], dict[int, str], list[tuple]]:
    """The body's lines, the lines that start a field (index → field id) and the conflicts.

    GitHub writes each label of the form once, in form order, so the real headings are an
    increasing run of `### <label>` lines. For each label the earliest line that fits after
    the earlier labels' (forward) and the latest that fits before the later labels'
    (backward) are found; where they are the same line for every label the choice is
    unambiguous, and that line starts the field. Where they differ, a label was typed as a
    heading inside an answer next to its real heading: a conflict (label, line, line), 1-based.
    Linear apart from a binary search per label.
    """
    from bisect import bisect_left, bisect_right

    lines = [line.removesuffix("\r") for line in body.split("\n")]
    index = {item["attributes"]["label"].strip(): n for n, item in enumerate(fields)}
    seen: list[list[int]] = [[] for _ in fields]
    for number, line in enumerate(lines):
        if line.startswith("###") and line[3:4] in (" ", "\t"):
            n = index.get(line[3:].strip(" \t"))
            if n is not None:
                seen[n].append(number)
    forward: list[int | None] = [None] * len(fields)
    last = -1
    for n, found in enumerate(seen):
        at = bisect_right(found, last)
        if at < len(found):
            forward[n] = last = found[at]
    backward: list[int | None] = [None] * len(fields)
    limit = len(lines)
    for n in range(len(fields) - 1, -1, -1):
        at = bisect_left(seen[n], limit)
        if at:
            backward[n] = limit = seen[n][at - 1]
    starts = {line: fields[n]["id"] for n, line in enumerate(forward) if line is not None}
    conflicts = [(fields[n]["attributes"]["label"].strip(), *sorted(
                  1 + x for x in (a, b) if x is not None))
                 for n, (a, b) in enumerate(zip(forward, backward, strict=True)) if a != b]
    return lines, starts, conflicts


def check_headings(body: str, fields: list[dict]) -> None:
    """Refuse a body where a form label is a heading twice and either could be the real one.

    Raises IssueError naming the label and both lines (the first conflict in form order).
    A repeated label that can only be text (e.g. an earlier label typed in a later answer)
    is not a conflict.
    """
    conflicts = _headings(body, fields)[2]
    if conflicts:
        label, *where = conflicts[0]
        at = " and ".join(map(str, where))
        raise IssueError(f"the form label “{label}” is a `### ` heading at lines {at} of the issue "
                         "body, and GitHub writes each label once; remove or reword the heading "
                         "typed inside an answer, then run from-issue again")


def parse_body(body: str, fields: list[dict]) -> dict[str, str]:
    """Answers by field id from an issue body; empty and `_No response_` answers are left out.

    See parse_body_at, which also gives each answer's line.
    """
    return parse_body_at(body, fields)[0]


def parse_body_at(body: str, fields: list[dict]) -> tuple[dict[str, str], dict[str, int]]:
    """(answers by field id, as parse_body gives them; the line of each field's answer).

    Lines are 1-based lines of `body` (split at LF): an answer's line is that of its first
    line that is not blank; a field whose answer is empty or `_No response_` has the line of
    its heading, where the answer goes.

    A field's answer runs from its `### <label>` line to the next line that starts a field.
    GitHub writes each label once, in form order; the line that starts a field is the first
    `### <label>` line after the previous field's (see _headings, and check_headings, which
    refuses a body where another line could be it too). Any other `### ` line — a heading
    typed inside an answer, an earlier label typed again — stays in the answer as text.
    Lines are split at LF only (CRLF is read as LF), so a U+2028 never starts a heading;
    inside an answer U+2028, U+2029 and NEL become line feeds. No regular expression:
    linear in the body's length.
    """
    lines, starts, _ = _headings(body, fields)
    answers: dict[str, str] = {}
    at: dict[str, int] = {}
    current, kept, heading = None, [], 0

    def close() -> None:
        # U+2028, U+2029 and NEL (pasted from web pages) are line breaks to a YAML 1.1 reader
        # and are refused in case files: in an answer they become the line break they mean.
        value = "\n".join(kept).translate(_SEPARATORS).strip()
        if not current:
            return
        at[current] = 1 + heading
        if value and value != NO_RESPONSE:
            answers[current] = value
            # the same strip, line by line: the first line that keeps a character
            at[current] += 1 + next(n for n, line in enumerate(kept) if line.translate(_SEPARATORS).strip())

    for number, line in enumerate(lines):
        if number in starts:
            close()
            current, kept, heading = starts[number], [], number
            continue
        kept.append(line)
    close()
    return answers, at


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
    # Only an unambiguous quote fills in the number, and only a number a case can hold (a
    # 309-digit run read as infinity wrote `.inf` into the draft: review).
    if len(found) == 1 and all(v is None or abs(v) <= 1e15 for v in (found[0].value, found[0].value_max)):
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


def draft(answers: dict[str, str], lines: dict[str, int] | None = None,
          id_label: str = ID_LABEL) -> dict:
    """The case data the answers give (placeholders are added when it is rendered).

    Raises IssueError when the case id answer is missing or no valid id; `lines` (field id →
    line of the issue body, as parse_body_at gives them) puts that line in the message, and
    `id_label` is the id field's label in the form.
    """
    case_id = answers.get("id", "").strip()
    if not case_id:
        raise IssueError(f"the issue has no case id (### {id_label}{_at(lines, 'id')}); add one, e.g. "
                         "langao-first-secretary-team-service")
    try:
        pinyin = check_case_id(case_id)
    except SkeletonError as exc:
        raise IssueError(f"the answer to “{id_label}”{_at(lines, 'id')}: {exc}") from exc
    source = f"{case_id}-source"
    data: dict = {"schema_version": current_version(), "id": case_id}
    for field_id, text in answers.items():
        if field_id in ("id", "confirm"):
            continue
        limit = _list_limit(field_id)
        if limit is not None and len(_lines(text)) > limit:
            # Refused before anything is read or rendered: 12,000 figure lines took 100 s and
            # 1.2 GB to turn into a draft no case could be (review).
            raise IssueError(f"the answer to field `{field_id}`{_at(lines, field_id)} has "
                             f"{len(_lines(text)):,} lines; a case has at most {limit} of them "
                             "(one per line): keep the ones the source states")
        if field_id in ("lessons", "models-0-steps"):
            _set(data, _path(field_id), _lines(text))
        elif field_id == "themes":
            data["themes"] = _choices(text)
        elif field_id in ("scope", "case_type", "sources-0-language", "sources-0-evidence_type",
                          "models-0-kind"):
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
    sources = data.setdefault("sources", [{}])  # no source answered: a placeholder to fill
    sources[0] = {"id": source, **sources[0]}
    return data


# Answers read one item per line → their list in the schema, whose maxItems bounds them.
_LIST_FIELDS = {"lessons": ("properties", "lessons"), "metrics": ("properties", "metrics"),
                "people": ("properties", "people"),
                "models-0-steps": ("definitions", "model", "properties", "steps"),
                "models-0-terms": ("definitions", "model", "properties", "terms"),
                "models-0-evidence": ("definitions", "model", "properties", "evidence")}


def _list_limit(field_id: str) -> int | None:
    """The schema's maxItems for an answer read one item per line, or None."""
    node = load_schema()
    for key in _LIST_FIELDS.get(field_id, ("-",)):
        node = node.get(key, {}) if isinstance(node, dict) else {}
    return node.get("maxItems") if isinstance(node, dict) else None


def _at(lines: dict[str, int] | None, field_id: str) -> str:
    """The words ` at line N of the issue body` for the field's answer; "" when not known."""
    line = (lines or {}).get(field_id)
    return f" at line {line} of the issue body" if line else ""


def _path(field_id: str) -> list:
    return [int(p) if p.isdigit() else p for p in field_id.split("-")]


# Characters an answer may not hold: C0 controls other than tab and line feed (CR is read as
# part of CRLF), DEL and C1 controls. NUL or ESC in a case file are refused by validate too.
_CONTROL = frozenset(
    chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)) if chr(c) != "\r"
)


def check_answers(body: str, fields: list[dict]) -> None:
    """Refuse an answer holding a control character (NUL, ESC …): IssueError naming where."""
    labels = {item["id"]: item["attributes"]["label"].strip() for item in fields}
    for field_id, text in parse_body(body, fields).items():
        bad = next((ch for ch in text if ch in _CONTROL), None)
        if bad is not None:
            heading = body.find(f"### {labels[field_id]}")
            line = 1 + body.count("\n", 0, body.find(bad, max(heading, 0)))
            raise IssueError(f"the answer to “{labels[field_id]}” holds the control character "
                             f"U+{ord(bad):04X} ({_CONTROL_NAMES.get(bad, 'control character')}) at "
                             f"line {line} of the issue body; delete it and run from-issue again")


_CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESC, escape", "\x07": "BEL, bell", "\x08": "backspace",
                  "\x0b": "vertical tab", "\x0c": "form feed", "\x7f": "DEL, delete"}


def decode_body(raw: bytes | str) -> str:
    """The issue body as text: IssueError when it is not UTF-8 (GitHub always sends UTF-8)."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        source = "UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "GBK"  # a UTF-16 BOM
        raise IssueError(f"the issue body is not UTF-8 text (byte 0x{raw[exc.start]:02x} at line "
                         f"{line} cannot be read); save it as UTF-8, e.g. "
                         f"`iconv -f {source} -t UTF-8`") from None


def draft_text(data: dict) -> str:
    """The draft file's text, every answer written by a YAML emitter (ruamel.yaml).

    The commented layout (every field of the schema with its comment, placeholders for what
    the form did not give) is rendered from the SHAPE of `data` only, every answer replaced
    by a placeholder; ruamel.yaml then loads that layout round-trip, sets each answer as a
    double-quoted scalar (or a literal block for plain multi-line text) and emits it, so no
    answer is ever pasted into YAML text. The result is read back with the strict loader; if
    it does not give `data` back exactly, the draft is written by PyYAML's emitter instead,
    every string double-quoted (no comments), rather than risk a wrong file.
    """
    layout = render(_shape(data), header=_HEADER)
    emitter = YAML(typ="rt")
    emitter.width = 1_000_000  # never fold a long answer
    emitter.allow_unicode = True
    emitter.preserve_quotes = True  # placeholders stay as the layout wrote them ("")
    tree = emitter.load(layout)
    _assign(tree, data)
    out = io.StringIO()
    emitter.dump(tree, out)
    text = out.getvalue()
    if _reads_back(text, data):
        return text
    dumper = type("_Quoted", (yaml.SafeDumper,), {})
    dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style='"'))
    body = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return MODELINE + "\n" + _HEADER + body


def _shape(node):
    """`node` with every string replaced by a placeholder (numbers and structure kept)."""
    if isinstance(node, dict):
        return {k: _shape(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_shape(v) for v in node]
    return "x" if isinstance(node, str) else node


def _assign(tree, data, top: bool = True) -> None:
    """Set every answer of `data` into the round-trip tree, as a scalar ruamel will quote."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if isinstance(value, dict | list):
            # Items of a top-level list (lessons) still sit where a comment ends their block.
            _assign(tree[key], value, top and isinstance(value, list))
        elif isinstance(value, str):
            tree[key] = _scalar(value, top)
        else:
            tree[key] = value


def _scalar(text: str, top: bool):
    """A multi-line answer of a top-level field as a `|-` block, anything else double-quoted.

    Only at the top level: ruamel.yaml writes the comments that follow a nested block at the
    block's own indentation, where they would be read as more lines of the answer.
    """
    lines = text.split("\n")
    if top and len(lines) > 1 and lines[0] and all(
            line == line.strip() and line.isprintable() for line in lines):
        return LiteralScalarString(text)
    return DoubleQuotedScalarString(text)


def _reads_back(text: str, data: dict) -> bool:
    loaded = read_case(Path("draft.yaml"), text.encode("utf-8"))
    return not loaded.problems and isinstance(loaded.data, dict) and _within(data, loaded.data) and (
        set(loaded.data) <= set(load_schema()["properties"]) | set(data))


def _within(want, got) -> bool:
    """Every value of `want` is in `got` at the same place (placeholders may be added)."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and _within(v, got[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(_within, want, got))
    return want == got and type(want) is type(got)


def write_draft(body: bytes | str, cases_dir: Path, form: Path = DEFAULT_FORM) -> Path:
    """Write `cases_dir/<id>.yaml` from an issue body; refuse to overwrite a file.

    Raises IssueError (never anything else for bad input) when the body is not UTF-8, holds a
    control character, has no usable id, or the file exists. The file appears whole or not
    at all: the text is made first, written to a hidden temporary file, then linked into place.
    """
    text = decode_body(body)
    if "\r" in text:  # CRLF, or CR alone (old Mac editors): line feeds
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    fields = load_form(form)
    check_headings(text, fields)
    check_answers(text, fields)
    answers, lines = parse_body_at(text, fields)
    labels = {item["id"]: item["attributes"]["label"].strip() for item in fields}
    data = draft(answers, lines, labels.get("id", ID_LABEL))
    target = Path(cases_dir) / f"{data['id']}.yaml"
    exists = f"{target} already exists; the case may already be in the collection" + (
        f" (the case id is{_at(lines, 'id')})" if "id" in lines else "")
    if target.exists():
        raise IssueError(exists)
    content = draft_text(data).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".from-issue-", suffix=".tmp", dir=cases_dir)
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # mkstemp makes 0600; a case file is 0644 like `casebook new`'s
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, target)  # fails if target exists: never overwrites
        except FileExistsError:
            raise IssueError(exists) from None
        except OSError:  # a file system without hard links
            with target.open("xb") as out:
                out.write(content)
    except OSError as exc:
        raise IssueError(f"could not write {target}: {exc.strerror or exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
