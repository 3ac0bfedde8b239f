"""benchmarks/synth.py: the synthetic benchmark corpus is valid case format 2 with no warning."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import yaml

from generator import provenance
from generator.report import format_problem
from generator.validate import validate_paths

ROOT = Path(__file__).resolve().parent.parent


def _synth():
    spec = importlib.util.spec_from_file_location("synth", ROOT / "benchmarks" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_corpus_validates_with_no_warning(tmp_path):
    """Every case passes `casebook validate` with no error and no warning: version-2 fields,
    qualifiers that are true readings of their quotes, and a snapshot for every source (in
    OUT/sources, next to OUT/cases) that holds every quote of that source."""
    files = _synth().generate(40, tmp_path / "corpus")
    assert [p.parent for p in files] == [tmp_path / "corpus" / "cases"] * 40
    report = validate_paths([tmp_path / "corpus" / "cases"], jobs=1)
    assert [format_problem(p) for p in report.problems] == []
    assert len(report.cases) == 40
    quotes = 0
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        assert data["schema_version"] == 2
        verdicts = provenance.verified_quotes(path, data)
        assert verdicts.by_quote and all(verdicts.by_quote.values()), path.name
        quotes += len(verdicts.by_quote)
    assert quotes > 200


def test_synthetic_corpus_is_made_up_and_says_so(tmp_path):
    """Made-up places and 89xxxx codes, （合成数据） in titles and snapshots, no URL; the
    snapshots' metadata says the text is synthetic."""
    out = tmp_path / "corpus"
    files = _synth().generate(30, out)
    for path in files:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        assert re.fullmatch(r"89[0-9]{4}", data["place"]["division_code"])
        assert data["place"]["province"] == "示例省" and data["place"]["prefecture"] == "样例市"
        assert "（合成数据）" in data["title"]
        assert all("（合成数据）" in s["title"] and "url" not in s for s in data["sources"])
        assert 5 <= len(data["metrics"]) <= 40 and 1 <= len(data["models"]) <= 6
        assert "http" not in text
    for snapshot in (out / "sources").glob("*.txt"):
        assert "（合成数据）" in snapshot.read_text(encoding="utf-8")
        meta = (out / "sources" / f"{snapshot.stem}.yaml").read_text(encoding="utf-8")
        assert "合成数据" in meta and "http" not in meta


def test_first_cases_of_a_larger_corpus_are_the_smaller_corpus(tmp_path):
    """Deterministic from the seed: the first N of a larger corpus, snapshots included, are
    the N-case corpus byte for byte."""
    synth = _synth()
    small, large = tmp_path / "small", tmp_path / "large"
    synth.generate(12, small)
    synth.generate(25, large)
    for sub in ("cases", "sources"):
        names = sorted(p.name for p in (small / sub).iterdir())
        assert names
        for name in names:
            assert (small / sub / name).read_bytes() == (large / sub / name).read_bytes(), name


def test_a_changed_quote_is_caught_by_its_snapshot(tmp_path):
    """The snapshots are checked, not decoration: a quote edited in a case is an error."""
    files = _synth().generate(3, tmp_path / "corpus")
    text = files[0].read_text(encoding="utf-8")
    quote = re.search(r"\n    quote: (样例[0-9]+村\S+)\n", text).group(1)
    files[0].write_text(text.replace(quote, quote + "左右", 1), encoding="utf-8")
    report = validate_paths([tmp_path / "corpus" / "cases"], jobs=1)
    assert "quote-not-in-source" in {p.rule for p in report.errors}
