"""Page generation reuses a case or model page while the case files it shows are unchanged."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from generator.load import discover
from generator.pages import build_pages
from generator.validate import validate_paths

from .conftest import CASES, VALID


def _changed(case, **fields):
    """The same case file after an edit: new data, new content digest."""
    data = copy.deepcopy(case.data)
    data.update(fields)
    return dataclasses.replace(case, data=data, digest=case.digest + "-edited")


@pytest.fixture(scope="module")
def two_cases():
    """The fixture case and a second case that adopts its model."""
    a = validate_paths([VALID]).cases[0]
    data = copy.deepcopy(a.data)
    data.update(id="langao-fixture-adopter", title="采用者案例", models=[], adopts=["langao-fixture-1-12-x"])
    for metric in data["metrics"]:
        metric.pop("model", None)
    b = dataclasses.replace(a, data=data, digest="b-digest")
    return a, b


def _mark(cache: dict) -> None:
    """Replace every cached text by a marker, so a reused page is recognisable."""
    for path, (key, _) in cache.items():
        cache[path] = (key, f"CACHED {path}")


def test_cached_build_equals_a_fresh_one():
    files = discover([CASES]) or sorted(VALID.glob("*.yaml"))
    cases = validate_paths(files).cases
    cache: dict = {}
    first = build_pages(cases, cache=cache)
    assert build_pages(cases, cache=cache) == first == build_pages(cases)
    assert any(p.startswith("cases/") for p in cache) and any(p.startswith("models/") for p in cache)


def test_an_edit_rerenders_the_case_its_models_and_who_adopts_them(two_cases):
    a, b = two_cases
    cache: dict = {}
    build_pages([a, b], cache=cache)
    _mark(cache)
    pages = build_pages([_changed(a, title="改过的标题"), b], cache=cache)
    assert "改过的标题" in pages["cases/langao-fixture-mini.md"]
    assert not pages["models/langao-fixture-1-12-x.md"].startswith("CACHED")
    assert not pages["cases/langao-fixture-adopter.md"].startswith("CACHED")  # shows a's model
    assert "改过的标题" in pages["cases/index.md"]  # collection pages are always fresh


def test_an_adopter_edit_leaves_the_documenting_case_alone(two_cases):
    a, b = two_cases
    cache: dict = {}
    build_pages([a, b], cache=cache)
    _mark(cache)
    pages = build_pages([a, _changed(b, title="采用者改名")], cache=cache)
    assert pages["cases/langao-fixture-mini.md"] == "CACHED cases/langao-fixture-mini.md"
    assert "采用者改名" in pages["models/langao-fixture-1-12-x.md"]  # lists its adopters
    assert "采用者改名" in pages["cases/langao-fixture-adopter.md"]


def test_unchanged_build_reuses_every_case_and_model_page(two_cases):
    cache: dict = {}
    build_pages(list(two_cases), cache=cache)
    _mark(cache)
    pages = build_pages(list(two_cases), cache=cache)
    assert all(pages[p] == f"CACHED {p}" for p in cache)


def test_removed_case_leaves_the_cache(two_cases):
    a, b = two_cases
    cache: dict = {}
    build_pages([a, b], cache=cache)
    build_pages([a], cache=cache)
    assert "cases/langao-fixture-adopter.md" not in cache
    assert "cases/langao-fixture-mini.md" in cache
