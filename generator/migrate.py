"""`casebook migrate`: rewrite case files from format version 1 to version 2.

The file is edited in place with ruamel.yaml's round-trip mode, so comments, key order,
quoting, flow lists and folded (`>-`) scalars stay as written; only these change:

- `schema_version: 1` becomes `2`;
- metric qualifiers follow the version-2 vocabulary (PRC Civil Code art. 1259: 以上、以下、
  以内 include the number, 超过、不满 exclude it): v1 `at_least` written as 余/多 becomes
  `plus`, v1 `more_than` written as 以上 becomes `at_least` (超过 stays `more_than`), v1
  `approximately` written as 近/将近/接近 becomes `just_under`, v1 `less_than` written as
  以下 becomes `at_most`, and a v1 `at_least` read from a vague word (上万) becomes `vague`
  with `value_max`, the word's upper bound;
- a metric whose quote says 每半年 and that has no `per` gets `per: half_year` (new in v2);
- the fields version 2 requires and only a person can know for sure — `case_type`, each
  metric's `claim_type` and `status`, each source's `evidence_type` — are filled with a best
  guess from the case's own words, each marked with the end-of-line comment
  `# migrate: inferred, check against the source` for a person to check and then delete.

Files that are already version 2 are left untouched (byte for byte). Files the strict
loader refuses (YAML errors, duplicate keys, BOM, tabs …) are not touched either: their
problems are returned, exactly as `casebook validate` reports them. This module returns
results; only the command line exits.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from .load import discover, read_case
from .problems import Problem
from .quantities import parse_quantities

INFERRED = "migrate: inferred, check against the source"

MIGRATED, UNCHANGED, REFUSED = "migrated", "unchanged", "refused"


@dataclass
class Migration:
    """What `migrate_file` did to one file.

    `status` is "migrated" (rewritten to version 2), "unchanged" (already version 2,
    not touched) or "refused" (not rewritten: see `problems`). `changes` lists each edit
    as "json.path: what changed", in file order.
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


def migrate_text(text: str) -> tuple[str, list[str]]:
    """Rewrite the text of one version-1 case (already known to load) to version 2.

    Returns (new text, changes). Raises ValueError when the text is not a version-1 case
    (not a mapping, or `schema_version` is not 1).
    """
    yaml = _yaml()
    data = yaml.load(text)
    if not isinstance(data, CommentedMap) or data.get("schema_version") != 1:
        raise ValueError("not a version-1 case")
    changes: list[str] = []
    data["schema_version"] = 2
    changes.append("schema_version: 1 → 2")
    if "case_type" not in data:
        guess = _case_type(data)
        _insert_after(data, "scope", "case_type", guess)
        changes.append(f"case_type: {guess} (inferred)")
    metrics = data.get("metrics")
    if isinstance(metrics, list):
        for i, metric in enumerate(metrics):
            if isinstance(metric, CommentedMap):
                changes += [f"metrics[{i}].{c}" for c in _migrate_metric(metric)]
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
    return text, changes


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
    if version != 1:
        problem = Problem(case.display, 1, 1, f"`schema_version` is {version!r}, not 1; "
                          "only version-1 cases can be migrated", "$.schema_version", "error",
                          "migrate-version")
        return Migration(path, REFUSED, problems=[problem])
    text, changes = migrate_text(case.text)
    if write:
        path.write_text(text, encoding="utf-8", newline="\n")
    return Migration(path, MIGRATED, changes)


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
    new = _qualifier_v2(metric)
    if new == "vague":  # 上万, 数十万: version 2 records both bounds, read from the quote
        quantity = _quantity(metric)
        metric.insert(list(metric).index("value") + 1, "value_max", _whole(quantity.value_max))
        changes.append(f"value_max: {_whole(quantity.value_max)} (the upper bound of “{quantity.text}”)")
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


def _quantity(metric: CommentedMap):
    """The quantity of the quote that the metric's value is, or None."""
    quote, value = metric.get("quote"), metric.get("value")
    if not isinstance(quote, str) or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    same = [q for q in parse_quantities(quote) if abs(q.value - value) < 1e-6]
    # 一场长达一个多小时: the value 1 is written twice; the qualified one is meant.
    return next((q for q in same if q.qualifier != "exact"), same[0] if same else None)


def _qualifier_v2(metric: CommentedMap) -> object:
    """The v2 qualifier for a v1 one, read from the words around the number in the quote."""
    qualifier, quote = metric.get("qualifier"), metric.get("quote")
    if qualifier not in ("at_least", "more_than", "approximately", "less_than"):
        return qualifier
    quantity = _quantity(metric)
    if quantity is None:
        return qualifier
    if qualifier == "at_least" and quantity.qualifier == "vague" and quantity.value_max is not None \
            and "value_max" not in metric:
        return "vague"  # v1 read 上万 as "ten thousand and more"
    start, end = quantity.start, quantity.start + len(quantity.text)
    before, after = quote[max(0, start - 2):start], quote[end:end + 6]
    if qualifier == "at_least":
        # v1 used at_least for 余/多 as well as for 至少/不少于.
        return "plus" if re.search("[余多]", quantity.text) else "at_least"
    if qualifier == "more_than":
        # v1 used more_than for 以上 (inclusive) as well as for 超过 (exclusive).
        if re.match(r"[^\d，。,；;、]{0,4}?以上", after):
            return "at_least"
        return "more_than"
    if qualifier == "approximately":
        return "just_under" if before.endswith(("近", "将近", "接近")) else "approximately"
    # less_than: 以下 includes the number (at_most); 不到/不足 stay less_than.
    return "at_most" if re.match(r"[^\d，。,；;、]{0,4}?以下", after) else "less_than"
