"""How complete a schema-valid case is: recommended fields that are filled, as a 0–100 score.

Required fields are the schema's business; this module looks only at fields the schema
leaves optional but a good case has. Each kind of item is one group (coordinates, a
model's steps, a metric's period, a source's publisher…); a group's share is the fraction
of its places that are filled, and the score is the mean share over the groups that apply
to the case, so forty metrics without a period weigh as much as one missing map point.

Some items can always be added (English names, coordinates); `casebook validate` warns
about those (`warn=True`). Others exist only if the source prints them (a source's URL,
a person's dispatching unit): they lower the score but never warn, because a warning
would push contributors to invent facts. A few warn unless the case explains the gap
where the schema says to (a missing period in `notes`, missing steps in the model's
`caveat`, unprinted publication facts in the source's `note`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .problems import format_json_path
from .schema import field_schema


@dataclass(frozen=True)
class Missing:
    """One recommended item a case lacks: where it belongs, what it is, how to add it."""

    parts: tuple  # JSON path of the mapping the field belongs in
    field: str
    group: str
    warn: bool  # `casebook validate` prints it as a warning
    hint: str

    @property
    def json_path(self) -> str:
        """`$.models[0].steps`."""
        return format_json_path(self.parts + (self.field,))

    @property
    def label(self) -> str:
        """The field's title from the schema, e.g. `复制步骤 Steps`."""
        node = field_schema(self.parts + (self.field,)) or {}
        return node.get("title", self.field)

    def __str__(self) -> str:
        return f"{self.json_path} ({self.label})"


@dataclass(frozen=True)
class _Slot:
    parts: tuple
    field: str
    filled: bool
    explained: bool = False  # the case says why it is absent, where the schema asks it to


def _has(node: dict, key: str) -> bool:
    return node.get(key) not in (None, "", [], {})


def _items(case: dict, key: str) -> Iterator[tuple[tuple, dict]]:
    for i, item in enumerate(case.get(key, [])):
        yield (key, i), item


def _case(field: str, explained_by: str | None = None):
    def slots(case: dict) -> Iterator[_Slot]:
        yield _Slot((), field, _has(case, field), bool(explained_by and _has(case, explained_by)))
    return slots


def _place_coordinates(case: dict) -> Iterator[_Slot]:
    yield _Slot(("place",), "coordinates", _has(case["place"], "coordinates"))


def _models_any(case: dict) -> Iterator[_Slot]:
    yield _Slot((), "models", any(_has(case, k) for k in ("models", "adopts", "adapted_from")))


def _each(key: str, field: str, explained_by: str | None = None, also: str | None = None):
    def slots(case: dict) -> Iterator[_Slot]:
        for parts, item in _items(case, key):
            filled = _has(item, field) or bool(also and _has(item, also))
            yield _Slot(parts, field, filled, bool(explained_by and _has(item, explained_by)))
    return slots


def _terms(field: str):
    def slots(case: dict) -> Iterator[_Slot]:
        for (key, i), model in _items(case, "models"):
            for j, term in enumerate(model.get("terms", [])):
                yield _Slot((key, i, "terms", j), field, _has(term, field))
    return slots


@dataclass(frozen=True)
class Check:
    """One group of recommended items: where they go, and whether missing ones warn."""

    group: str
    slots: Callable[[dict], Iterator[_Slot]]
    warn: str  # "always", "unexplained" (warn unless explained) or "never"
    hint: str


CHECKS: tuple[Check, ...] = (
    Check("coordinates", _place_coordinates, "always",
          "add its WGS84 `lat` and `lon` (e.g. read from a map) so the case can be placed on a map"),
    Check("period", _case("period", explained_by="notes"), "unexplained",
          "add `start` (and `end` if known) as the source prints them, e.g. "
          "`period: {start: \"2023-09\"}`; if the source prints no year, say so in `notes`"),
    Check("models", _models_any, "never", "document a reusable model here, or point at one "
          "in another case with `adopts`"),
    Check("metrics", _case("metrics"), "never", "record every figure the source reports"),
    Check("model-summary-en", _each("models", "summary_en"), "always",
          "add one or two English sentences so foreign readers can use the model"),
    Check("model-steps", _each("models", "steps", explained_by="caveat"), "unexplained",
          "list the steps to replicate the model, as far as the source supports them; if the "
          "source gives none, say so in the model's `caveat`"),
    Check("model-conditions", _each("models", "conditions"), "never",
          "add the conditions the model needs, if the source states them"),
    Check("term-name-en", _terms("name_en"), "always", "add the English name of this part"),
    Check("term-quote", _terms("quote"), "never",
          "add a verbatim quote (and its `source`) for this part, if the source describes it"),
    Check("practice-title-en", _each("practices", "title_en"), "always",
          "add an English title for this practice"),
    Check("metric-period", _each("metrics", "period", also="as_of"), "never",
          "add the `period` (or `as_of`) the figure refers to, if the source prints it"),
    Check("person-unit", _each("people", "unit"), "never",
          "add the dispatching unit, if the source prints it"),
    Check("person-village", _each("people", "village"), "never",
          "add the village, if the source prints it"),
    Check("source-publisher", _each("sources", "publisher", explained_by="note"), "unexplained",
          "add the publisher as printed; if the source does not print one, say so in its `note`"),
    Check("source-published", _each("sources", "published", explained_by="note"), "unexplained",
          "add the publication date as printed; if the source does not print one, say so in its `note`"),
    Check("source-authors", _each("sources", "authors", explained_by="note"), "unexplained",
          "add the authors as printed; if the source does not print them, say so in its `note`"),
    Check("source-url", _each("sources", "url"), "never",
          "add the URL only if you know it for certain; never guess one"),
)


def missing_items(case: dict) -> tuple[list[Missing], dict[str, tuple[int, int]]]:
    """Every missing recommended item, and per group (filled, total) places."""
    missing: list[Missing] = []
    groups: dict[str, tuple[int, int]] = {}
    for check in CHECKS:
        filled = total = 0
        for slot in check.slots(case):
            total += 1
            if slot.filled:
                filled += 1
                continue
            warn = check.warn == "always" or (check.warn == "unexplained" and not slot.explained)
            missing.append(Missing(slot.parts, slot.field, check.group, warn, check.hint))
        if total:
            groups[check.group] = (filled, total)
    return missing, groups


def completeness(case: dict) -> tuple[int, list[Missing]]:
    """Score 0–100 (mean filled share over the groups that apply) and the missing items.

    `case` must be schema-valid. A low score is not a fault when the source does not print
    the facts: never invent one to raise it.
    """
    missing, groups = missing_items(case)
    if not groups:
        return 100, missing
    share = sum(filled / total for filled, total in groups.values()) / len(groups)
    return round(100 * share), missing
