"""The real cases in cases/: valid, and every quote verbatim from its stored source snapshot."""

from __future__ import annotations

import hashlib

import pytest

from generator import provenance
from generator.load import discover, read_case
from generator.validate import validate_paths

from .conftest import CASES, SNAPSHOTS

CASE_FILES = discover([CASES]) if CASES.is_dir() else []
SEEDS = ("langao", "qiannan", "gaozhou", "yanzhou", "dawang")
# The seed articles as copied from ../shared/sources/ into sources/ (sources/README.md).
SEED_SNAPSHOTS = {
    "langao": "langao-ankang-daily-2024",
    "qiannan": "qiannan-farmers-daily",
    "gaozhou": "gaozhou-zuzhi-fazhi-wang",
    "yanzhou": "yanzhou-wuxian-xuyuchen",
    "dawang": "dawang-sun-aixiang-commentary",
}


def test_real_cases_validate():
    report = validate_paths([CASES])
    assert report.errors == [], "\n".join(map(str, report.errors))


def test_the_five_seed_cases_exist():
    stems = [p.stem for p in CASE_FILES]
    for seed in SEEDS:
        assert any(stem.startswith(seed + "-") for stem in stems), seed


def test_every_seed_source_has_a_snapshot_in_the_repository():
    for seed, source_id in SEED_SNAPSHOTS.items():
        text = SNAPSHOTS / f"{source_id}.txt"
        meta = read_case(SNAPSHOTS / f"{source_id}.yaml").data
        assert meta["sha256"] == hashlib.sha256(text.read_bytes()).hexdigest(), seed
        assert meta["cleaning"]
        assert ("title" in meta) != (meta.get("title_visible") is False), seed  # one or the other


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_quotes_are_verbatim(path):
    """Every quote of every case verifies against sources/ (no skip: the texts are in the repository)."""
    data = read_case(path).data
    verdicts = provenance.verified_quotes(path, data)
    missing = [parts for parts, ok in verdicts.by_quote.items() if not ok]
    assert missing == []
    assert len(verdicts.by_quote) > 10
    assert all(snap is not None for snap in verdicts.snapshots.values())
    findings, problems = provenance.case_findings(0, path, data)
    assert (findings, problems) == ([], [])
