"""Stage 2b: rules across fields and files that JSON Schema cannot express."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .load import display_path
from .messages import hidden
from .metric_check import check_metric, part_larger_than_whole
from .problems import ERROR

# Ids the site cannot give a page: a case page is cases/<id>.md and a model page models/<id>.md,
# and the site writes its own catalogue pages cases/index.md and models/index.md (MkDocs
# would also read `README` as a folder's index). A model called `index` would overwrite the
# model catalogue (tests/test_untrusted_output.py checks this list against build_pages).
RESERVED_IDS = frozenset({"index", "readme"})


@dataclass(frozen=True)
class Finding:
    """A problem before it is located: which file, which JSON path, and the message."""

    index: int  # position of the file in the checked list
    parts: tuple
    message: str
    rule: str
    at: str = "value"
    severity: str = ERROR


def _sources_refs(case: dict) -> Iterator[tuple[tuple, str]]:
    for i, model in enumerate(case.get("models", [])):
        for j, ev in enumerate(model.get("evidence", [])):
            yield ("models", i, "evidence", j, "source"), ev["source"]
        for j, term in enumerate(model.get("terms", [])):
            if "source" in term:
                yield ("models", i, "terms", j, "source"), term["source"]
    for key in ("practices", "metrics", "people"):
        for i, item in enumerate(case.get(key, [])):
            yield (key, i, "source"), item["source"]


@dataclass(frozen=True)
class Keys:
    """What the cross-file rules need from one schema-valid case: ids and model references.

    Small and picklable, so a worker process checks a file alone and sends back only this.
    """

    case_id: str
    models: tuple[tuple[tuple, str], ...]  # (json path parts, model id)
    sources: tuple[tuple[tuple, str], ...]  # (json path parts, source id)
    model_refs: tuple[tuple[tuple, str, str], ...]  # (parts, model id, "case" | "metric")


def keys_of(case: dict) -> Keys:
    """The ids and model references of one schema-valid case."""
    refs = [((key, i), ref, "case") for key in ("adopts", "adapted_from")
            for i, ref in enumerate(case.get(key, []))]
    refs += [(("metrics", i, "model"), metric["model"], "metric")
             for i, metric in enumerate(case.get("metrics", [])) if metric.get("model") is not None]
    return Keys(
        case["id"],
        tuple((("models", i, "id"), m["id"]) for i, m in enumerate(case.get("models", []))),
        tuple((("sources", i, "id"), s["id"]) for i, s in enumerate(case["sources"])),
        tuple(refs),
    )


_SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")  # schema definitions/slug


def file_findings(index: int, path: Path, case: dict) -> list[Finding]:
    """Rules that need only this one schema-valid case: id and file name, periods, quotes."""
    found: list[Finding] = []
    cid, stem = case["id"], Path(path).stem
    if cid != stem:
        # Suggest `id: <file name>` only when the file name is itself a valid id (not `-h`, `中文`).
        also = f" or set `id: {stem}`" if _SLUG.match(stem) and len(stem) <= 80 else ""
        found.append(Finding(index, ("id",), f"id '{cid}' must equal the file name; "
                             f"rename the file to {cid}.yaml{also}", "id-filename"))
    pinyin = case["place"]["pinyin"]
    if not cid.startswith(pinyin + "-"):
        found.append(Finding(index, ("id",), f"id '{cid}' must start with the place pinyin "
                             f"'{pinyin}-', e.g. `id: {pinyin}-{cid}`", "id-place"))
    found += _reserved(index, case)
    period = case.get("period", {})  # optional: some sources print no year
    if "end" in period and period["end"] < period["start"]:
        found.append(Finding(index, ("period", "end"), f"period ends ({period['end']}) before "
                             f"it starts ({period['start']}); swap them", "period-order"))
    found += _date_findings(index, case)
    for i, person in enumerate(case.get("people", [])):
        # Only people the source names are listed (privacy): the quote is where it names them.
        name, quote = person.get("name"), person.get("quote")
        if isinstance(name, str) and isinstance(quote, str) and _seen(name) not in _seen(quote):
            found.append(Finding(index, ("people", i, "quote"), f"the quote does not name {name}: quote "
                                 "the passage of the source that names this person (a case lists only "
                                 "people its sources name)", "person-quote"))
    own_sources = [s["id"] for s in case["sources"]]
    for parts, ref in _sources_refs(case):
        if ref not in own_sources:
            found.append(Finding(index, parts, f"source '{ref}' is not one of this case's "
                                 f"sources; use one of: {', '.join(own_sources)}", "ref-source"))
    for i, metric in enumerate(case.get("metrics", [])):
        found.extend(_check_metric(index, i, metric))
    found += part_of_findings(index, case.get("metrics", []))
    return found


def _seen(text: str) -> str:
    """The text as a reader sees it: no white space, no invisible or bidi character (a name
    written "\u202a邹天宁\u202c" is 邹天宁; one reversed by an override, "\u202e宁天邹", is not)."""
    return "".join(ch for ch in text if not ch.isspace() and not hidden(ch))


def calendar_problem(value: str, field: str) -> str | None:
    """Why a YYYY-MM-DD string that fits the schema's pattern is no day of the calendar, or is
    after today (a review or a publication cannot be in the future; one day of slack for time
    zones: tomorrow passes), or None."""
    year, month, day = (int(part) for part in value.split("-"))
    days = calendar.monthrange(year, month)[1]
    fix = {"last_reviewed": "write the day the case was checked against its sources",
           "retrieved": "write the day the text was copied"}.get(field, "write the date as printed")
    if day > days:
        return f"`{field}` {value} is not a day of the calendar ({year}-{month:02d} has {days} days); {fix}"
    # One day of slack: in China (UTC+8) the day starts 8 hours before it does on a UTC runner.
    if date(year, month, day) > date.today() + timedelta(days=1):
        return f"`{field}` {value} is after today; {fix} (today or earlier)"
    return None


def _date_findings(index: int, case: dict) -> list[Finding]:
    """The case's day-precision dates: each a real calendar day, none in the future (rule date).
    The schema's patterns take month 01–12 and day 01–31 only; February 30 fits them."""
    dated = [(("last_reviewed",), case.get("last_reviewed"))]
    dated += [(("sources", i, "published"), s.get("published")) for i, s in enumerate(case["sources"])]
    found = []
    for parts, value in dated:
        if isinstance(value, str) and len(value) == 10:
            problem = calendar_problem(value, parts[-1])
            if problem:
                found.append(Finding(index, parts, problem, "date"))
    return found


def part_of_findings(index: int, metrics: list[dict]) -> list[Finding]:
    """Metric ids are unique in the case; each `part_of` names another metric of the same
    case, in the same unit, and following `part_of` never comes back (no cycles).

    Errors point at the duplicate `id` or at the `part_of` value; rules metric-id and part-of.
    """
    found: list[Finding] = []
    ids: dict[str, int] = {}
    for i, metric in enumerate(metrics):
        mid = metric.get("id")
        if mid is None:
            continue
        if mid in ids:
            found.append(Finding(index, ("metrics", i, "id"), f"metric id '{mid}' is already used by "
                                 f"metrics[{ids[mid]}]; metric ids must be unique in the case, pick "
                                 "another", "metric-id"))
        else:
            ids[mid] = i
    for i, metric in enumerate(metrics):
        whole = metric.get("part_of")
        if whole is None:
            continue
        parts = ("metrics", i, "part_of")
        if whole not in ids:
            known = ", ".join(ids) or "none: give the whole an `id` first"
            found.append(Finding(index, parts, f"part_of '{whole}' is not the id of a metric in this "
                                 f"case; use one of: {known}", "part-of"))
            continue
        chain, at = [metric.get("id") or f"metrics[{i}]"], whole
        while at is not None and at not in chain:
            chain.append(at)
            at = metrics[ids[at]].get("part_of") if at in ids else None
        if at is not None:
            loop = " → ".join(chain[chain.index(at):] + [at])
            found.append(Finding(index, parts, f"part_of makes a cycle ({loop}); a figure cannot be "
                                 "part of itself: point part_of at the larger figure only", "part-of"))
        elif metrics[ids[whole]]["unit"] != metric["unit"]:
            found.append(Finding(index, parts, f"part_of '{whole}' is counted in "
                                 f"`{metrics[ids[whole]]['unit']}` but this figure in `{metric['unit']}`; "
                                 "a part must be in the same unit as its whole", "part-of"))
        elif message := part_larger_than_whole(metric, metrics[ids[whole]], whole):
            found.append(Finding(index, parts, message, "part-of"))
    return found


def _reserved(index: int, case: dict) -> list[Finding]:
    """Case and model ids that would overwrite a page the site generates (RESERVED_IDS)."""
    found = []
    ids = [(("id",), "cases", "case", case["id"])]
    ids += [(("models", i, "id"), "models", "model", m["id"]) for i, m in enumerate(case.get("models", []))]
    for parts, folder, what, ident in ids:
        if ident in RESERVED_IDS:
            why = (f"the site writes its own page {folder}/{ident}.md (the list of all {folder}) there"
                   if ident == "index" else
                   f"MkDocs would take {folder}/{ident}.md as the folder's index page, in place of "
                   f"the site's own {folder}/index.md (the list of all {folder})")
            found.append(Finding(index, parts, f"{what} id '{ident}' is reserved: {why}; pick "
                                 f"another id, e.g. `id: {case['place']['pinyin']}-{ident}-{what}`",
                                 "reserved-id"))
    return found


def cross_findings(cases: list[tuple[int, str, Keys]]) -> list[Finding]:
    """Rules across files: unique case, model and source ids; model references resolve, and a
    metric's `model` is a model of its own case (rule ref-model-case; its `source` is checked
    to be the case's own by ref-source in file_findings).

    `cases` holds (index, display path, keys) of the schema-valid cases, in path order.
    """
    found: list[Finding] = []
    case_ids: dict[str, int] = {}
    model_ids: dict[str, int] = {}
    source_ids: dict[str, int] = {}
    names = {index: name for index, name, _ in cases}

    def unique(table: dict, key: str, index: int, parts: tuple, what: str):
        if key in table:
            where = "this file" if table[key] == index else names[table[key]]
            found.append(Finding(index, parts, f"{what} id '{key}' is already used in {where}; "
                                 "ids must be unique, pick another", f"unique-{what}-id"))
        else:
            table[key] = index

    for index, _name, keys in cases:
        unique(case_ids, keys.case_id, index, ("id",), "case")
        for parts, model_id in keys.models:
            unique(model_ids, model_id, index, parts, "model")
        for parts, source_id in keys.sources:
            unique(source_ids, source_id, index, parts, "source")
    for index, _name, keys in cases:
        for parts, ref, where in keys.model_refs:
            own_ids = {m for _, m in keys.models}
            if ref in model_ids and where == "metric" and ref not in own_ids:
                # A figure describes a model of its own case (issue 14); adopts and
                # adapted_from are the fields that point at other cases' models.
                own = ", ".join(m for _, m in keys.models) or "none: this case has no `models`"
                found.append(Finding(index, parts, f"model '{ref}' belongs to {names[model_ids[ref]]}, "
                                     "not to this case; a metric describes a model of its own case: "
                                     f"use one of: {own}", "ref-model-case"))
                continue
            if ref in model_ids:
                continue
            hint = ("use the id of a model from cases/" if where == "case"
                    else "use a model id from `models`")
            found.append(Finding(index, parts, f"model '{ref}' is not defined in any case; {hint}",
                                 "ref-model"))
    return found


def cross_file(cases: list[tuple[int, Path, dict]]) -> list[Finding]:
    """All rules beyond the schema for schema-valid cases given as (index, path, data)."""
    found = [f for index, path, case in cases for f in file_findings(index, path, case)]
    keyed = [(index, display_path(path), keys_of(case)) for index, path, case in cases]
    return found + cross_findings(keyed)


# A run of more digits than a figure can have (the schema bounds values to ±10^15, and Excel
# keeps 15 significant digits). Such a run overflowed the reader (309 nines became infinity and
# the quote's other figures went unchecked: review), so the quote is refused before it is read.
_LONG_DIGITS = re.compile(r"[0-9０-９]{16,}")


def _check_metric(index: int, i: int, metric: dict) -> list[Finding]:
    """A metric's figure must be a true reading of its own quote (see metric_check.py)."""
    quote = metric.get("quote")
    long = _LONG_DIGITS.search(quote) if isinstance(quote, str) else None
    if long:
        return [Finding(index, ("metrics", i, "quote"), f"the quote holds a number of {len(long[0]):,} "
                        "digits, more than any figure has (at most 15): its figures cannot be checked; "
                        "quote the sentence that states the figure, without the long number",
                        "metric-value")]
    return [Finding(index, ("metrics", i, "as_of" if rule == "metric-as-of" else "value"), message, rule)
            for rule, message in check_metric(metric)]
