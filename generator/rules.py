"""Stage 2b: rules across fields and files that JSON Schema cannot express."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .load import display_path
from .problems import ERROR
from .quantities import agrees, parse_quantities


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


def cross_file(cases: list[tuple[int, Path, dict]]) -> list[Finding]:
    """Check ids, references and periods across schema-valid cases: (index, path, data)."""
    found: list[Finding] = []
    case_ids: dict[str, int] = {}
    model_ids: dict[str, int] = {}
    source_ids: dict[str, int] = {}
    names = {index: display_path(path) for index, path, _ in cases}

    def unique(table: dict, key: str, index: int, parts: tuple, what: str):
        if key in table:
            where = "this file" if table[key] == index else names[table[key]]
            found.append(Finding(index, parts, f"{what} id '{key}' is already used in {where}; "
                                 "ids must be unique, pick another", f"unique-{what}-id"))
        else:
            table[key] = index

    for index, path, case in cases:
        cid, stem = case["id"], path.stem
        if cid != stem:
            found.append(Finding(index, ("id",), f"id '{cid}' must equal the file name; "
                                 f"rename the file to {cid}.yaml or set `id: {stem}`", "id-filename"))
        pinyin = case["place"]["pinyin"]
        if not cid.startswith(pinyin + "-"):
            found.append(Finding(index, ("id",), f"id '{cid}' must start with the place pinyin "
                                 f"'{pinyin}-', e.g. `id: {pinyin}-{cid}`", "id-place"))
        unique(case_ids, cid, index, ("id",), "case")
        for i, model in enumerate(case.get("models", [])):
            unique(model_ids, model["id"], index, ("models", i, "id"), "model")
        for i, source in enumerate(case["sources"]):
            unique(source_ids, source["id"], index, ("sources", i, "id"), "source")
        period = case.get("period", {})  # optional: some sources print no year
        if "end" in period and period["end"] < period["start"]:
            found.append(Finding(index, ("period", "end"), f"period ends ({period['end']}) before "
                                 f"it starts ({period['start']}); swap them", "period-order"))

    for index, _stem, case in cases:
        own_sources = [s["id"] for s in case["sources"]]
        for parts, ref in _sources_refs(case):
            if ref not in own_sources:
                found.append(Finding(index, parts, f"source '{ref}' is not one of this case's "
                                     f"sources; use one of: {', '.join(own_sources)}", "ref-source"))
        for key in ("adopts", "adapted_from"):
            for i, ref in enumerate(case.get(key, [])):
                if ref not in model_ids:
                    found.append(Finding(index, (key, i), f"model '{ref}' is not defined in any "
                                         "case; use the id of a model from cases/", "ref-model"))
        for i, metric in enumerate(case.get("metrics", [])):
            ref = metric.get("model")
            if ref is not None and ref not in model_ids:
                found.append(Finding(index, ("metrics", i, "model"), f"model '{ref}' is not "
                                     "defined in any case; use a model id from `models`",
                                     "ref-model"))
            found.extend(_check_metric(index, i, metric))
    return found


_QUALIFIER_WORDS = {
    "exact": "no qualifier", "approximately": "约/近/左右", "at_least": "余/多",
    "more_than": "以上/超过", "less_than": "不到/不足/以下", "at_most": "以内", "range": "a range",
}


def _check_metric(index: int, i: int, metric: dict) -> list[Finding]:
    """A metric's value must be a number written in its quote, with the quote's qualifier."""
    quantities = parse_quantities(metric["quote"])
    value, value_max = metric["value"], metric.get("value_max")
    matches = [q for q in quantities if agrees(q, value, value_max)]
    parts = ("metrics", i)
    if not matches:
        read = ", ".join(f"{_num(q.value)}{'–' + _num(q.value_max) if q.value_max else ''}"
                         f" ({q.text})" for q in quantities) or "no numbers"
        return [Finding(index, parts + ("value",), f"value {_num(value)} is not a number written "
                        f"in the quote, which reads as: {read}; money is in yuan "
                        "(40万元 → 400000) and 万 = 10000", "metric-value")]
    qualifier = metric["qualifier"]
    if any(q.qualifier == qualifier for q in matches):
        return []
    said = matches[0]
    return [Finding(index, parts + ("qualifier",), f"qualifier is `{qualifier}` but the quote "
                    f"writes “{said.text}” ({_QUALIFIER_WORDS[said.qualifier]}); "
                    f"set `qualifier: {said.qualifier}`", "metric-qualifier")]


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)
