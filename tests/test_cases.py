"""The real cases in cases/: valid, and every quote verbatim from its source article."""

from __future__ import annotations

import pytest

from generator.load import discover, read_case
from generator.validate import validate_paths

from .conftest import CASES, SOURCES

CASE_FILES = discover([CASES]) if CASES.is_dir() else []
SEEDS = ("langao", "qiannan", "gaozhou", "yanzhou", "dawang")


def quotes(node, path="$"):
    """Yield (json path, quote) for every `quote` field in a case."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "quote" and isinstance(value, str):
                yield f"{path}.{key}", value
            else:
                yield from quotes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from quotes(value, f"{path}[{i}]")


def test_real_cases_validate():
    report = validate_paths([CASES])
    assert report.errors == [], "\n".join(map(str, report.errors))


def test_the_five_seed_cases_exist():
    stems = [p.stem for p in CASE_FILES]
    for seed in SEEDS:
        assert any(stem.startswith(seed + "-") for stem in stems), seed


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not present in this checkout")
@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_quotes_are_verbatim(path):
    data = read_case(path).data
    source = SOURCES / f"{data['place']['pinyin']}.txt"
    if data["place"]["pinyin"] not in SEEDS:
        pytest.skip(f"no local source text for {path.name}")
    text = source.read_text(encoding="utf-8")
    missing = [(where, q) for where, q in quotes(data) if q not in text]
    assert missing == []
    assert sum(1 for _ in quotes(data)) > 10
