"""Fast paths must give the same answers as the slow ones they replace."""

from __future__ import annotations

import yaml

from generator import load, validate
from generator.load import discover, read_case
from generator.report import format_problem
from generator.validate import Checker, check, validate_paths

from .conftest import INVALID, VALID


def test_libyaml_parser_is_used_when_available():
    # `from yaml import CParser` fails silently (CParser lives in yaml.cyaml), which once
    # made every load nine times slower than the C-loader floor.
    if yaml.__with_libyaml__:
        assert load._Parser is not load._PyParser


def test_syntax_errors_use_the_python_parser_wording():
    case = load.read_case("broken.yaml", b"title: a: b\n")
    assert [(p.line, p.col, p.message) for p in case.problems] == [
        (1, 9, "YAML syntax error: mapping values are not allowed here; "
               "check quoting and indentation here"),
    ]


# --- parallel and serial validation give the same report ------------------------------

def _all_fixture_dirs():
    return [VALID, INVALID]


def _full(report):
    """Everything a report says, including the fields Problem equality ignores."""
    return ([(format_problem(p), p.rule, p.severity) for p in report.problems],
            [(c.path, c.digest, c.data) for c in report.cases], report.checked)


def test_parallel_and_serial_reports_are_identical(monkeypatch):
    serial = validate_paths(_all_fixture_dirs(), jobs=1)
    pools = []
    real_pool = validate._pool

    def counting_pool(jobs):
        pools.append(jobs)
        return real_pool(jobs)

    monkeypatch.setattr(validate, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(validate, "_pool", counting_pool)
    parallel = validate_paths(_all_fixture_dirs(), jobs=2)
    assert pools == [2]  # the parallel path really ran
    assert _full(parallel) == _full(serial)
    # The invalid fixtures share file names and ids, so cross-file rules fire too.
    assert {"unique-case-id", "schema-type", "yaml", "metric-value"} <= {p.rule for p in serial.problems}


def test_in_memory_check_gives_the_same_problems():
    paths = discover(_all_fixture_dirs())
    in_memory = check([read_case(p) for p in paths])
    from_disk = validate_paths(_all_fixture_dirs(), jobs=1)
    assert _full(in_memory)[0] == _full(from_disk)[0]
    assert [c.path for c in in_memory.cases] == [c.path for c in from_disk.cases]


def test_keep_data_false_keeps_the_verdict():
    lean = validate_paths(_all_fixture_dirs(), jobs=1, keep_data=False)
    full = validate_paths(_all_fixture_dirs(), jobs=1)
    assert _full(lean)[0] == _full(full)[0]
    assert [c.path for c in lean.cases] == [c.path for c in full.cases]
    assert all(c.data is None for c in lean.cases)


# --- the incremental Checker ------------------------------------------------------------

def test_checker_reuses_unchanged_files_and_reruns_cross_file_rules(valid_dir):
    checker = Checker(jobs=1)
    first = checker.check_paths([valid_dir])
    assert (checker.reused, checker.rechecked) == (0, 1) and first.ok
    again = checker.check_paths([valid_dir])
    assert (checker.reused, checker.rechecked) == (1, 0)
    assert again.cases[0] is first.cases[0]  # the same object: renderers may cache by it

    # A second file with the same ids: the unchanged first file is reused, but the
    # cross-file rules still run over both and flag the duplicates.
    original = valid_dir / "langao-fixture-mini.yaml"
    copy = valid_dir / "langao-fixture-copy.yaml"
    copy.write_text(original.read_text(encoding="utf-8").replace(
        "id: langao-fixture-mini", "id: langao-fixture-copy"), encoding="utf-8")
    both = checker.check_paths([valid_dir])
    assert (checker.reused, checker.rechecked) == (1, 1)
    assert _full(both) == _full(validate_paths([valid_dir], jobs=1))
    assert "unique-model-id" in {p.rule for p in both.problems}

    # Editing a file re-checks only that file; deleting one forgets it.
    copy.write_text(copy.read_text(encoding="utf-8").replace("value: 4000000", "value: 400"),
                    encoding="utf-8")
    edited = checker.check_paths([valid_dir])
    assert (checker.reused, checker.rechecked) == (1, 1)
    assert "metric-value" in {p.rule for p in edited.problems}
    copy.unlink()
    after = checker.check_paths([valid_dir])
    assert (checker.reused, checker.rechecked) == (1, 0) and after.ok


def test_export_rows_made_in_workers_give_the_same_package(monkeypatch):
    """`casebook export` flattens each case where it is validated; the bytes must not change."""
    from generator.export import case_rows, package_files

    from .conftest import CASES

    folders = [VALID, CASES]
    from_data = package_files(validate_paths(folders, jobs=1).cases)
    monkeypatch.setattr(validate, "PARALLEL_THRESHOLD", 1)
    lean = validate_paths(folders, jobs=2, keep_data=False, derive=case_rows)
    assert all(c.data is None and c.derived is not None for c in lean.cases)
    assert package_files(lean.cases) == from_data


def test_parallel_path_with_threads_running_uses_a_safe_start(monkeypatch):
    """Under `mkdocs serve` threads run; forking then could deadlock, so forkserver is used."""
    import threading

    serial = validate_paths(_all_fixture_dirs(), jobs=1)
    methods = []
    real_pool = validate._pool

    def recording_pool(jobs):
        pool = real_pool(jobs)
        methods.append(pool._mp_context.get_start_method())
        return pool

    monkeypatch.setattr(validate, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(validate, "_pool", recording_pool)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        parallel = validate_paths(_all_fixture_dirs(), jobs=2)
    finally:
        stop.set()
        thread.join()
    assert methods == ["forkserver"]
    assert _full(parallel) == _full(serial)


# --- each file is composed at most once per run (issue 13) ------------------------------

def _real_clones(folder, n):
    """n clones of the real cases, ids renamed (benchmarks/real_corpus.py): each one carries
    per-file warnings (no coordinates, sources without snapshots) and cross-file ones (the same
    title, division code and period as its siblings)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "real_corpus", Path(__file__).resolve().parent.parent / "benchmarks" / "real_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(n, folder)


def _counting_compose(monkeypatch) -> list[str]:
    from generator import locate

    calls: list[str] = []
    real = locate.compose
    monkeypatch.setattr(locate, "compose", lambda text: calls.append(text) or real(text))
    return calls


def test_warnings_are_located_without_composing_again(tmp_path, monkeypatch):
    """Per-file and cross-file warnings are located from the node tree of the parse that
    built the data: `casebook validate` composes no file a second time."""
    _real_clones(tmp_path / "clones", 10)
    calls = _counting_compose(monkeypatch)
    report = validate_paths([tmp_path / "clones"], jobs=1)
    rules = {p.rule for p in report.warnings}
    assert {"advice-coordinates", "duplicate-place-period", "duplicate-title"} <= rules, rules
    assert report.ok and len(report.warnings) >= 30
    assert calls == []
    # The parallel path: workers send the marks back; the main process composes nothing.
    monkeypatch.setattr(validate, "PARALLEL_THRESHOLD", 1)
    parallel = validate_paths([tmp_path / "clones"], jobs=2)
    assert calls == []
    assert [format_problem(p) for p in parallel.problems] == [format_problem(p) for p in report.problems]


def test_in_memory_check_composes_each_file_at_most_once(tmp_path, monkeypatch):
    """`check` gets files without their node tree: a file with per-file and cross-file
    warnings is composed once, and its cross-file warnings reuse that tree's marks."""
    files = _real_clones(tmp_path / "clones", 10)
    calls = _counting_compose(monkeypatch)
    report = check([read_case(p) for p in files])
    assert len(calls) == len(set(calls)) == 10
    assert [format_problem(p) for p in report.problems] == [
        format_problem(p) for p in validate_paths([tmp_path / "clones"], jobs=1).problems]


def test_node_tree_is_kept_only_when_asked_and_never_pickled(tmp_path):
    import pickle

    path = _real_clones(tmp_path / "clones", 1)[0]
    assert read_case(path).nodes is None
    kept = read_case(path, keep_nodes=True)
    assert isinstance(kept.nodes, yaml.MappingNode) and kept.nodes.value[0][0].value == "schema_version"
    assert pickle.loads(pickle.dumps(kept)).nodes is None
