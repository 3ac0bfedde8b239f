"""`casebook migrate`: rewrite case files from format version 1 to version 2.

The file is edited in place with ruamel.yaml's round-trip mode, so comments, key order,
quoting, flow lists and folded (`>-`) scalars stay as written; only these change:

- `schema_version: 1` becomes `2`;
- metric qualifiers follow the version-2 vocabulary (PRC Civil Code art. 1259: 以上、以下、
  以内 include the number, 超过、不满 exclude it). The new qualifier is always one of the
  true readings `quantities.readings()` gives for the metric's value in its quote (the same
  reader `casebook validate` uses), picked by the v1 word's meaning: v1 `at_least` or
  `more_than` written as 余/多 becomes `plus`, v1 `more_than` written as 以上 becomes
  `at_least` (超过 stays `more_than`), v1 `approximately` written as 近/将近/接近 becomes
  `just_under`, v1 `less_than` written as 以下 becomes `at_most`, and a v1 `at_least`,
  `more_than` or `approximately` read from a vague word (上万, 数十万) becomes `vague` with
  `value_max`, the word's upper bound. A metric no v2 reading fits (v1 `vague` on a plain
  10万人, a qualifier that is no word of v1, 两年前 as a length) is not guessed: the file is
  refused with the validate message for that metric, at its `value` (a qualifier that is no
  word of v1 at the `qualifier`), for a person to fix;
- a metric whose quote says 每半年 and that has no `per` gets `per: half_year` (new in v2);
- the fields version 2 requires and only a person can know for sure — `case_type`, each
  metric's `claim_type` and `status`, each source's `evidence_type` — are filled with a best
  guess from the case's own words, each marked with the end-of-line comment
  `# migrate: inferred, check against the source` for a person to check and then delete.

Line endings are kept: a file with CRLF (Windows) line endings stays all CRLF, an LF file
all LF. A file that mixes them is written with the ending most of its lines use (LF on a
tie), and migrate says so among its changes (`line endings: mixed (2 CRLF, 106 LF) → all
LF`): ruamel.yaml reads every line break as LF, so each line's own ending cannot be kept.

Files that are already version 2 are left untouched (byte for byte). So migrate never reports
success on a file whose figures `casebook validate` would then refuse. Files the strict
loader refuses (YAML errors, duplicate keys, BOM, tabs …) are not touched either: their
problems are returned, exactly as `casebook validate` reports them. This module returns
results; only the command line exits.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from .load import discover, read_case
from .locate import Locator
from .messages import visible
from .metric_check import check_metric, fits
from .problems import Problem
from .quantities import readings

INFERRED = "migrate: inferred, check against the source"

MIGRATED, UNCHANGED, REFUSED = "migrated", "unchanged", "refused"


@dataclass
class Migration:
    """What `migrate_file` did to one file.

    `status` is "migrated" (rewritten to version 2), "unchanged" (already version 2,
    not touched) or "refused" (not rewritten: see `problems`). `changes` lists each edit
    as "json.path: what changed", in file order, then, for a file that mixed line endings,
    "line endings: mixed (…) → all LF" (or CRLF).
    """

    path: Path
    status: str
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def display(self) -> str:
        """The path as printed in reports."""
        return self.path.as_posix()


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


class NeedsPerson(ValueError):
    """Metrics no version-2 reading fits: `fixes` lists (line, col, json path, message),
    1-based, at each metric's `value` (at its `qualifier` when that is no word of v1)."""

    def __init__(self, fixes: list[tuple[int, int, str, str]]):
        super().__init__("; ".join(f[3] for f in fixes))
        self.fixes = fixes


def migrate_text(text: str, check: bool = False) -> tuple[str, list[str]]:
    """Rewrite the text of one version-1 case (already known to load) to version 2.

    Returns (new text, changes). The new text keeps the old one's line endings (see
    `_newline`: a file mixing them gets its most used one, and a change saying so). Raises
    ValueError when the text is not a version-1 case (not a mapping, or `schema_version` is
    not 1), and, with `check`, NeedsPerson (a ValueError) when a metric's figure has no true
    version-2 reading for migrate to pick (without `check` such a metric keeps its
    qualifier, for validate to report); its lines are the text's, whatever its line endings.
    """
    newline, mixed = _newline(text)
    if "\r" in text:  # ruamel keeps a CR in comments: give it LF only, put the ending back after
        text = _BREAK.sub("\n", text)  # one break for one: line numbers stay the file's
    yaml = _yaml()
    data = yaml.load(text)
    if not isinstance(data, CommentedMap) or not _is_one(data.get("schema_version")):
        raise ValueError("not a version-1 case")
    changes: list[str] = []
    data["schema_version"] = 2
    changes.append("schema_version: 1 → 2")
    if "case_type" not in data:
        guess = _case_type(data)
        _insert_after(data, "scope", "case_type", guess)
        changes.append(f"case_type: {guess} (inferred)")
    metrics = data.get("metrics")
    fixes = []
    if isinstance(metrics, list):
        for i, metric in enumerate(metrics):
            if isinstance(metric, CommentedMap):
                if metric.fa.flow_style():  # `- {…}  # note`: block style, the note on its first line
                    metric.fa.set_block_style()
                    note = metrics.ca.items.pop(i, None)
                    if note and note[0] is not None and len(metric):
                        metric.yaml_add_eol_comment(note[0].value.strip(), next(iter(metric)))
                problem = _unreadable(metric) if check else None
                if problem:
                    key, message = problem  # a key _unreadable found in the metric
                    line, col = metric.lc.value(key)
                    fixes.append((line + 1, col + 1, f"$.metrics[{i}].{key}", message))
                    continue
                changes += [f"metrics[{i}].{c}" for c in _migrate_metric(metric)]
    if fixes:
        raise NeedsPerson(fixes)
    sources = data.get("sources")
    if isinstance(sources, list):
        for i, source in enumerate(sources):
            if isinstance(source, CommentedMap) and "evidence_type" not in source:
                guess = _evidence_type(source)
                _insert_after(source, "language", "evidence_type", guess)
                changes.append(f"sources[{i}].evidence_type: {guess} (inferred)")
    out = io.StringIO()
    yaml.dump(data, out)
    # ruamel puts one or two spaces before an inserted comment; always two (PEP 8 style).
    text = re.sub(r"(?<=\S) ?# " + re.escape(INFERRED), "  # " + INFERRED, out.getvalue())
    if mixed:
        changes.append(mixed)
    return text.replace("\n", newline) if newline != "\n" else text, changes


_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks of YAML (and of load.text_position)
_ENDING_NAMES = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}


def _newline(text: str) -> tuple[str, str | None]:
    """The line ending to write `text` with, and for a text mixing endings the change to
    report: (its only ending, None), or (its most used one — LF, then CRLF, on a tie —,
    "line endings: mixed (2 CRLF, 106 LF) → all LF"). A text without a break gets LF."""
    counts = Counter(_BREAK.findall(text))
    if not counts:
        return "\n", None
    newline = max(counts, key=lambda b: (counts[b], b == "\n", b == "\r\n"))
    if len(counts) == 1:
        return newline, None
    found = ", ".join(f"{counts[b]} {name}" for b, name in _ENDING_NAMES.items() if counts[b])
    return newline, f"line endings: mixed ({found}) → all {_ENDING_NAMES[newline]}"


def migrate_file(path: Path, write: bool = True) -> Migration:
    """Migrate one file in place (when `write`); see the module docstring for what changes."""
    path = Path(path)
    case = read_case(path)
    if case.problems:
        return Migration(path, REFUSED, problems=list(case.problems))
    data = case.data
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version == 2:
        return Migration(path, UNCHANGED)
    if not _is_one(version):
        return Migration(path, REFUSED, problems=[_not_version_1(case, data)])
    try:
        text, changes = migrate_text(case.text, check=True)
    except NeedsPerson as err:
        return Migration(path, REFUSED, problems=[
            Problem(case.display, line, col, message, where, "error", "migrate-metric")
            for line, col, where, message in err.fixes])
    if write:  # the text has the file's own line endings (see migrate_text): no translation
        path.write_text(text, encoding="utf-8", newline="")
    return Migration(path, MIGRATED, changes)


def _not_version_1(case, data: object) -> Problem:
    """Why a file that loads is no version-1 case, located as `casebook validate` locates:
    at the `schema_version` value, at the first key when there is none, at the start of a
    document that is no mapping."""
    locator = Locator(case.text)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the single value {_shown(data)}"
        line, col = locator.position(())
        message, where = f"the file holds {kind}, not a mapping of fields", "$"
    elif "schema_version" not in data:
        line, col = locator.position((), at="parent")
        message, where = "the file has no `schema_version`", "$"
    else:
        line, col = locator.position(("schema_version",))
        message, where = f"`schema_version` is {_shown(data['schema_version'])}, not 1", "$.schema_version"
    return Problem(case.display, line, col, message + "; only version-1 cases can be migrated", where,
                   "error", "migrate-version")


def _shown(value: object) -> str:
    """A value as YAML/JSON writes it (3, "1", true, null), invisible characters escaped."""
    text = visible(json.dumps(value, ensure_ascii=False, default=str))
    return text if len(text) <= 60 else text[:57] + "…"


def _is_one(version: object) -> bool:
    """`schema_version` is 1 (the number: `true` equals 1 in Python, but is no version)."""
    return version == 1 and not isinstance(version, bool)


def migrate_paths(paths, write: bool = True) -> list[Migration]:
    """Migrate every case file under the given files or folders, in path order."""
    return [migrate_file(p, write) for p in discover(paths)]


# --- guesses -------------------------------------------------------------------------


def _insert_after(mapping: CommentedMap, after: str, key: str, value: str) -> None:
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(position, key, value, comment=INFERRED)


def _case_type(case: CommentedMap) -> str:
    title = str(case.get("title", ""))
    text = title + str(case.get("summary", ""))
    if "联建" in title or "联合党组织" in text:
        return "cross_village_joint_construction"
    if "工作队" in title or "帮扶队" in title:
        return "village_work_team"
    if "结对" in title:
        return "unit_village_pairing"
    if "第一书记" in text:
        return "first_secretary"
    if "结对" in text or "单位" in text:
        return "unit_village_pairing"
    return "first_secretary"


def _evidence_type(source: CommentedMap) -> str:
    words = str(source.get("title", "")) + str(source.get("note", ""))
    if any(w in words for w in ("评论", "述评", "社论", "时评")):
        return "editorial"
    if any(w in words for w in ("通知", "方案", "意见", "办法")) and "报" not in words:
        return "official_document"
    return "news_report"


_TARGET = ("目标", "计划", "要打造", "将要", "拟", "力争", "争取到")
_PLANNED = ("即将", "将于", "拟", "计划", "目标", "要打造", "力争")
_INPUT = ("预算", "经费", "补助", "报销", "保险", "保额", "投入", "投资")
_RULE = ("至少", "不少于", "不低于", "每月", "每周", "每季度", "每半年", "每年", "任期", "占")


def _claim(metric: CommentedMap) -> tuple[str, str]:
    quote = str(metric.get("quote", ""))
    if any(w in quote for w in ("户均", "人均")):
        return "average", "achieved"
    if any(w in quote for w in _PLANNED):
        kind = "input" if any(w in quote for w in ("投资", "资金")) else "target"
        return kind, "planned"
    if any(w in quote for w in _TARGET):
        return "target", "planned"
    if any(w in quote for w in _INPUT):
        return "input", "in_progress"
    if "per" in metric or any(w in quote for w in _RULE[:3]):
        return "rule", "in_progress"
    return "result", "achieved"


def _migrate_metric(metric: CommentedMap) -> list[str]:
    changes = []
    qualifier = metric.get("qualifier")
    new, value_max, words = _v2_reading(metric) or (qualifier, None, "")
    if new in ("vague", "range") and "value_max" not in metric and value_max is not None:
        # 上万, 数十万: version 2 records both bounds, read from the quote
        metric.insert(list(metric).index("value") + 1, "value_max", _whole(value_max))
        changes.append(f"value_max: {_whole(value_max)} (the upper bound of “{words}”)")
    if new != qualifier:
        metric["qualifier"] = new
        changes.append(f"qualifier: {qualifier} → {new}")
    if "per" not in metric and "每半年" in str(metric.get("quote", "")):  # version 2 has half_year
        _insert_after(metric, "qualifier", "per", "half_year")
        changes.append("per: half_year (inferred)")
    claim, status = _claim(metric)
    anchor = "per" if "per" in metric else "qualifier"
    if "claim_type" not in metric:
        _insert_after(metric, anchor, "claim_type", claim)
        changes.append(f"claim_type: {claim} (inferred)")
        anchor = "claim_type"
    if "status" not in metric:
        _insert_after(metric, anchor, "status", status)
        changes.append(f"status: {status} (inferred)")
    return changes


def _whole(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


# For each v1 qualifier, the v2 qualifiers it may have meant, most likely first: v1 used
# at_least for 余/多 as well as for 至少, more_than for 以上 as well as for 超过, and read
# vague words (上万) as at_least.
_V1_MEANT = {
    "exact": ("exact",),
    "at_least": ("plus", "at_least", "vague", "more_than"),
    "more_than": ("at_least", "more_than", "plus", "vague"),
    "approximately": ("just_under", "approximately", "vague", "range"),
    "less_than": ("at_most", "less_than", "just_under"),
    "at_most": ("at_most", "less_than"),
    "range": ("range",),
    "vague": ("vague",),
}


def _numeric(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _v2_reading(metric: CommentedMap) -> tuple[str, float | None, str] | None:
    """The v2 (qualifier, value_max) for a v1 metric: the first true reading of its value in
    its quote (unit word fitting its unit) that the v1 qualifier may have meant; None when
    none fits or the metric is not one migrate can read (validate then reports it)."""
    quote, value = metric.get("quote"), metric.get("value")
    qualifier, value_max = metric.get("qualifier"), metric.get("value_max")
    unit = metric.get("unit") if isinstance(metric.get("unit"), str) else None
    if not isinstance(quote, str) or not _numeric(value) or qualifier not in _V1_MEANT:
        return None
    if qualifier == "range" and not _numeric(value_max):
        return None  # the schema asks for value_max: validate says so
    found = [(q, r) for q in readings(quote).quantities if fits(q, unit)
             for r in q.readings if abs(r.value - value) <= 1e-9 * max(1.0, abs(value))]
    for meant in _V1_MEANT[qualifier]:
        for q, r in found:
            if r.qualifier == meant and (r.value_max is None or not _numeric(value_max)
                                         or abs(r.value_max - value_max) <= 1e-6):
                return meant, r.value_max, q.text
    return None


def _unreadable(metric: CommentedMap) -> tuple[str, str] | None:
    """Why no v2 reading fits this v1 metric, or None: (the key the message is about,
    `value` or `qualifier`; the message validate would give)."""
    quote, value, qualifier = metric.get("quote"), metric.get("value"), metric.get("qualifier")
    if not isinstance(quote, str) or not _numeric(value) or not isinstance(qualifier, str) or (
            qualifier == "range" and not _numeric(metric.get("value_max"))):
        return None  # a schema problem: validate reports it after migration
    if qualifier not in _V1_MEANT:
        return "qualifier", (f"`qualifier: {qualifier}` is not a version-1 qualifier "
                             f"({', '.join(_V1_MEANT)}); fix it by hand, then run migrate again")
    if _v2_reading(metric) is not None:
        return None
    as_v2 = {k: metric[k] for k in ("quote", "value", "value_max", "unit") if k in metric}
    as_v2["qualifier"] = qualifier
    if not _numeric(as_v2.get("value_max", 0)):
        as_v2.pop("value_max")
    found = check_metric(as_v2)
    why = found[0][1] if found else f"`qualifier: {qualifier}` has no version-2 reading here"
    return "value", (f"no version-2 reading of this figure fits its v1 `qualifier: {qualifier}`, "
                     f"so migrate does not guess: {why}; fix the metric by hand, then run migrate again")
