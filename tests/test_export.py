"""The data package: golden descriptor, round trip, Frictionless validity, determinism, refusal."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from frictionless import validate as frictionless_validate

from generator.cli import main
from generator.export import ZIP_NAME, ExportError, export_package, package_files
from generator.load import discover
from generator.schema import load_schema, resolve
from generator.tables import TABLES
from generator.validate import validate_paths

from .conftest import CASES, INVALID, ROOT, VALID

GOLDEN = ROOT / "tests" / "golden" / "datapackage.json"
# Real cases are written while the suite grows; each one gets its own round-trip test.
REAL = list(discover([CASES])) if CASES.is_dir() else []


def fixture_cases():
    report = validate_paths([VALID])
    assert report.ok
    return report.cases


def test_golden_datapackage_json():
    got = package_files(fixture_cases())["datapackage.json"].decode("utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")


# Columns computed by validation, not written in a case (issue 15: tests/test_provenance.py).
COMPUTED = {"quote_verified", "snapshot_sha256"}


def _read_tables(files: dict[str, bytes]) -> dict[str, list[dict]]:
    types = {t.name: {c.name: c.type for c in t.columns} for t in TABLES}
    out = {}
    for table in TABLES:
        reader = csv.DictReader(io.StringIO(files[f"{table.name}.csv"].decode("utf-8")))
        rows = []
        for raw in reader:
            row = {}
            for key, text in raw.items():
                if text == "" or key in COMPUTED:
                    continue  # missing value: the field was absent in the case
                kind = types[table.name][key]
                row[key] = int(text) if kind == "integer" else float(text) if kind == "number" else text
            rows.append(row)
        out[table.name] = rows
    return out


def _children(rows, key, value):
    return sorted((r for r in rows if r[key] == value), key=lambda r: r["position"])


def _strip(row, *drop):
    return {k: v for k, v in row.items() if k not in drop}


def rebuild(tables) -> list[dict]:
    """Rebuild every case dict from the package's tables (the inverse of tables.rows_of)."""
    cases = []
    for row in tables["cases"]:
        cid = row["id"]
        case = _strip(
            row,
            "province",
            "prefecture",
            "county",
            "town",
            "division_code",
            "place_pinyin",
            "lat",
            "lon",
            "period_start",
            "period_end",
            "period_basis",
            "village",
            "village_code",
            "case_scope",
        )
        case["scope"] = row["case_scope"]
        case["place"] = {
            k: row[c]
            for k, c in [
                ("province", "province"),
                ("prefecture", "prefecture"),
                ("county", "county"),
                ("town", "town"),
                ("village", "village"),
                ("division_code", "division_code"),
                ("village_code", "village_code"),
                ("pinyin", "place_pinyin"),
            ]
            if c in row
        }
        if "lat" in row:
            case["place"]["coordinates"] = {"lat": row["lat"], "lon": row["lon"]}
        if "period_start" in row:
            case["period"] = {"start": row["period_start"]}
            if "period_end" in row:
                case["period"]["end"] = row["period_end"]
            if "period_basis" in row:
                case["period"]["basis"] = row["period_basis"]
        case["lessons"] = [r["text"] for r in _children(tables["case_lessons"], "case_id", cid)]
        case["themes"] = [r["theme"] for r in _children(tables["case_themes"], "case_id", cid)]
        models = []
        for m in _children(tables["models"], "case_id", cid):
            mid = m["id"]
            model = _strip(m, "case_id", "position")
            themes = [r["theme"] for r in _children(tables["model_themes"], "model_id", mid)]
            if themes:
                model["themes"] = themes
            model["terms"] = []
            for t in _children(tables["model_terms"], "model_id", mid):
                term = _strip(t, "model_id", "case_id", "position", "source_id")
                assert t["case_id"] == cid  # the model's case, written beside each term
                if "source_id" in t:
                    term["source"] = t["source_id"]
                model["terms"].append(term)
            for key in ("steps", "conditions"):
                items = [r["text"] for r in _children(tables[f"model_{key}"], "model_id", mid)]
                if items:
                    model[key] = items
            model["evidence"] = [
                {"quote": r["quote"], "source": r["source_id"]}
                for r in _children(tables["model_evidence"], "model_id", mid)
            ]
            assert {r["case_id"] for r in _children(tables["model_evidence"], "model_id", mid)} <= {cid}
            models.append(model)
        if models:
            case["models"] = models
        for relation in ("adopts", "adapted_from"):
            refs = [
                r["model_id"]
                for r in _children(tables["model_links"], "case_id", cid)
                if r["relation"] == relation
            ]
            if refs:
                case[relation] = refs
        practices = []
        for p in _children(tables["practices"], "case_id", cid):
            practice = _strip(p, "case_id", "position", "source_id")
            practice["source"] = p["source_id"]
            practice["themes"] = [
                r["theme"]
                for r in sorted(
                    (
                        r
                        for r in tables["practice_themes"]
                        if r["case_id"] == cid and r["practice_position"] == p["position"]
                    ),
                    key=lambda r: r["position"],
                )
            ]
            practices.append(practice)
        if practices:
            case["practices"] = practices
        for key in ("metrics", "people"):
            items = []
            for r in _children(tables[key], "case_id", cid):
                item = _strip(r, "case_id", "position", "source_id", "model_id", "metric_scope", "metric_id")
                if "metric_id" in r:
                    item = {"id": r["metric_id"], **item}
                item["source"] = r["source_id"]
                if "metric_scope" in r:
                    item["scope"] = r["metric_scope"]
                if "model_id" in r:
                    item["model"] = r["model_id"]
                items.append(item)
            if items:
                case[key] = items
        case["sources"] = []
        for s in _children(tables["sources"], "case_id", cid):
            source = _strip(s, "case_id", "position")
            authors = [r["name"] for r in _children(tables["source_authors"], "source_id", s["id"])]
            if authors:
                source["authors"] = authors
            case["sources"].append(source)
        cases.append(case)
    return cases


@pytest.fixture(scope="module")
def real_package():
    """cases/ validated together (cases may point at each other's models) and exported once."""
    report = validate_paths([CASES])
    return report, rebuild(_read_tables(package_files(report.cases)))


def _leaves(node, path=()):
    """JSON paths of every scalar (or list-of-scalar item) the case schema allows."""
    node = resolve(node)
    if "properties" in node:
        for key, child in node["properties"].items():
            yield from _leaves(child, (*path, key))
    elif "items" in node:
        yield from _leaves(node["items"], (*path, 0))
    else:
        yield path


def test_every_schema_field_has_a_column():
    """A field added to the schema but not to the tables would be lost even where no case uses it yet."""
    columns = {c.schema_path for t in TABLES for c in t.columns}
    # model_links holds adopts and adapted_from in one column, told apart by `relation`.
    columns.add(("adapted_from", 0))
    assert set(_leaves(load_schema())) - columns == set()


def test_round_trip_loses_nothing_fixture():
    cases = fixture_cases()
    assert [c.data for c in cases]  # the comparison below must compare something
    assert rebuild(_read_tables(package_files(cases))) == [c.data for c in cases]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_round_trip_loses_nothing_real(path, real_package):
    report, rebuilt = real_package
    valid = [c.path.resolve() for c in report.cases]
    # An invalid case is not exported; fail on its own test with its messages, not on the others'.
    problems = [p.message for p in report.errors if Path(p.path).resolve() == path.resolve()]
    assert path.resolve() in valid, problems
    index = valid.index(path.resolve())
    assert rebuilt[index] == report.cases[index].data


def test_frictionless_validates_the_package(tmp_path):
    folders = [VALID, CASES] if REAL else [VALID]
    report = validate_paths(folders)
    # Invalid real cases fail their own round-trip test; the valid ones are checked here.
    export_package(report.cases, tmp_path / "pkg")
    result = frictionless_validate(str(tmp_path / "pkg" / "datapackage.json"))
    assert result.valid, result.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_broken_foreign_key(tmp_path):
    """The check above must be able to fail: a metric pointing at no source is caught."""
    export_package(fixture_cases(), tmp_path / "pkg")
    metrics = tmp_path / "pkg" / "metrics.csv"
    broken = metrics.read_bytes().replace(b",langao-fixture-source\r\n", b",no-such-source\r\n", 1)
    assert broken != metrics.read_bytes()
    metrics.write_bytes(broken)
    result = frictionless_validate(str(tmp_path / "pkg" / "datapackage.json"))
    assert not result.valid
    assert "foreign-key" in {row[0] for row in result.flatten(["type"])}


def test_exports_are_byte_identical(tmp_path):
    first = export_package(fixture_cases(), tmp_path / "a")
    second = export_package(fixture_cases(), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    names = zipfile.ZipFile(tmp_path / "a" / ZIP_NAME).namelist()
    # At the zip's root (no folder): frictionless finds datapackage.json and every table.
    assert {"datapackage.json", "metrics.csv", "casebook.sqlite", "casebook.xlsx"} <= set(names)
    assert all("/" not in name for name in names)


def test_the_xlsx_made_beside_the_sqlite_gives_the_same_package():
    # `casebook export` and `casebook build` write the xlsx in a forked child (parallel).
    cases = fixture_cases()
    assert package_files(cases, parallel=True) == package_files(cases)


def test_a_failing_parallel_xlsx_is_an_oserror_and_leaves_no_process(monkeypatch):
    import multiprocessing

    def disk_full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/xlsx")

    monkeypatch.setattr("generator.export.xlsx_bytes", disk_full)  # inherited by the forked child
    with pytest.raises(OSError) as failed:
        package_files(fixture_cases(), parallel=True)
    assert (failed.value.errno, failed.value.filename) == (errno.ENOSPC, "/tmp/xlsx")
    assert multiprocessing.active_children() == []


def test_a_failing_sqlite_ends_the_xlsx_child(monkeypatch):
    import multiprocessing
    import sqlite3
    import time

    def slow_xlsx(*_args):
        time.sleep(60)

    def broken_key(*_args):
        raise sqlite3.IntegrityError("FOREIGN KEY constraint failed")

    monkeypatch.setattr("generator.export.xlsx_bytes", slow_xlsx)
    monkeypatch.setattr("generator.export.sqlite_bytes", broken_key)
    started = time.monotonic()
    with pytest.raises(sqlite3.IntegrityError):
        package_files(fixture_cases(), parallel=True)
    assert time.monotonic() - started < 30  # the child was ended, not waited for
    assert multiprocessing.active_children() == []


def test_created_only_from_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = CliRunner().invoke(main, ["export", str(VALID), "--out", str(tmp_path / "plain")])
    assert result.exit_code == 0, result.output
    assert "created" not in json.loads((tmp_path / "plain" / "datapackage.json").read_bytes())
    with zipfile.ZipFile(tmp_path / "plain" / ZIP_NAME) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = CliRunner().invoke(main, ["export", str(VALID), "--out", str(tmp_path / "dated")])
    assert result.exit_code == 0, result.output
    descriptor = json.loads((tmp_path / "dated" / "datapackage.json").read_bytes())
    assert descriptor["created"] == "2023-11-14T22:13:20Z"
    with zipfile.ZipFile(tmp_path / "dated" / ZIP_NAME) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_a_failed_export_keeps_the_previous_package(tmp_path, monkeypatch):
    out = tmp_path / "data"
    export_package(fixture_cases(), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_write = Path.write_bytes

    def failing_write(self, data):
        if self.name == ZIP_NAME:  # written after datapackage.json, which differs this time
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(ExportError) as failed:
        export_package(fixture_cases(), out, created="2023-11-14T22:13:20Z")
    staging = failed.value.__str__().split(" at ")[1].split(ZIP_NAME)[0]
    assert str(failed.value) == (f"could not write the data package to {out}: No space left on device "
                                 f"(disk full) at {staging}{ZIP_NAME}; the previous package (if any) "
                                 "is unchanged")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no staging folder left behind


def test_broken_case_refuses_and_writes_nothing(tmp_path):
    out = tmp_path / "data"
    result = CliRunner().invoke(main, ["export", str(INVALID / "type"), "--out", str(out)])
    assert result.exit_code == 1
    assert ":72:12: `value` must be a number, not text" in result.output
    assert "nothing was written" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_every_field_is_documented():
    descriptor = json.loads(package_files(fixture_cases())["datapackage.json"])
    for resource in descriptor["resources"]:
        for f in resource["schema"]["fields"]:
            assert f["title"] and f["description"] and f["type"], (resource["name"], f["name"])
    metrics = next(r for r in descriptor["resources"] if r["name"] == "metrics")
    unit = next(f for f in metrics["schema"]["fields"] if f["name"] == "unit")
    assert "cny" in unit["constraints"]["enum"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"


def test_export_into_a_folder_it_cannot_enter_is_one_line(tmp_path, monkeypatch):
    """review rv10b #6: PermissionError from out.is_symlink() (a parent without x permission)."""
    from pathlib import Path

    from generator.export import ExportError, export_package

    def locked(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "is_symlink", locked)
    out = tmp_path / "locked" / "inner" / "pkg"
    with pytest.raises(ExportError) as caught:
        export_package([], out, files={"datapackage.json": b"{}"})
    assert str(caught.value) == (f"cannot export to {out}: Permission denied (no permission) at {out}; "
                                 "nothing was written")


def test_a_write_protected_old_package_is_removed_not_left_as_staging(tmp_path):
    """review rv10b #8: `chmod a-w build/data`; after the swap the old package sits in the
    staging folder and must still be removed (as root permissions do not bite: run as nobody)."""
    import subprocess
    import sys

    stale = tmp_path / ".export-data-x"
    (stale / "sub").mkdir(parents=True)
    (stale / "a.csv").write_text("x", encoding="utf-8")
    (stale / "sub" / "b").write_text("x", encoding="utf-8")
    code = ("import os, sys\nfrom pathlib import Path\nfrom generator.export import _rmtree\n"
            "if os.geteuid() == 0:\n    import pwd\n    pw = pwd.getpwnam('nobody')\n"
            "    os.setgroups([]); os.setgid(pw.pw_gid); os.setuid(pw.pw_uid)\n"
            "_rmtree(Path(sys.argv[1]))\n")
    if os.geteuid() == 0:
        for folder, _, names in os.walk(tmp_path):
            os.chown(folder, 65534, 65534)
            for name in names:
                os.chown(os.path.join(folder, name), 65534, 65534)
        tmp_path.chmod(0o777)
        for parent in tmp_path.parents:  # nobody must reach tmp_path
            if parent.stat().st_mode & 0o001 == 0:
                parent.chmod(parent.stat().st_mode | 0o001)
    (stale / "sub").chmod(0o555)
    stale.chmod(0o555)
    subprocess.run([sys.executable, "-c", code, str(stale)], check=True, cwd=Path(__file__).parent.parent)
    assert list(tmp_path.iterdir()) == []
