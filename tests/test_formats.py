"""The data package as researchers load it: zip, SQLite/Datasette, Excel, README loaders, release.

Everything here reads the exported package of the real cases (tests/test_export.py covers the
round trip and the golden descriptor). The README's loading snippets are taken from README.md
itself and run in a subprocess, in a UTF-8 and in a non-UTF-8 (C) locale.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from frictionless import Package
from frictionless import validate as frictionless_validate

from generator.codebook import LOADING, codebook_markdown
from generator.export import ZIP_NAME, _cell, export_package, package_files
from generator.formats import (
    SQLITE_NAME,
    XLSX_NAME,
    create_statements,
    table_order,
    typed_rows,
    xlsx_bytes,
)
from generator.release import data_version, zip_name
from generator.schema import VOCABULARIES
from generator.tables import PACKAGE_VOCABULARIES, TABLES, Column, Table
from generator.validate import validate_paths

from .conftest import CASES, ROOT, VALID

CREATED = "2026-11-22T11:43:44Z"
# Table Schema type → SQLite column type; a BOOLEAN column holds 0/1 (NUMERIC affinity).
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "BOOLEAN"}
BY_NAME = {t.name: t for t in TABLES}
LOCALES = ["C.UTF-8", "C"]  # C: ASCII, the locale that made R read one case in five


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The real cases (and the fixture case) exported once, with a `created` time."""
    report = validate_paths([VALID, CASES])
    assert report.ok, [p.message for p in report.errors][:5]
    out = tmp_path_factory.mktemp("package") / "data"
    export_package(report.cases, out, CREATED)
    return out


def csv_rows(package: Path, name: str) -> list[list[str]]:
    """A table's CSV as text cells, header first."""
    with (package / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


# --- the zip is a package ---------------------------------------------------------------


def test_zip_validates_every_table_as_a_package(package):
    report = frictionless_validate(str(package / ZIP_NAME))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == [t.name for t in table_order()]


def test_zip_loads_with_frictionless_package(package):
    loaded = Package(str(package / ZIP_NAME))
    assert [r.name for r in loaded.resources] == [t.name for t in table_order()]
    for resource in loaded.resources:
        assert len(resource.read_rows()) == len(csv_rows(package, resource.name)) - 1, resource.name
    assert loaded.version == data_version()


def test_zip_holds_every_file_at_its_root(package):
    with zipfile.ZipFile(package / ZIP_NAME) as archive:
        names = archive.namelist()
        assert names == sorted(p.name for p in package.iterdir() if p.name != ZIP_NAME)
        for name in names:
            assert archive.read(name) == (package / name).read_bytes(), name
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 22, 11, 43, 44)}
    assert {"CITATION.cff", "datapackage.json", SQLITE_NAME, XLSX_NAME, "README.md"} <= set(names)


# --- SQLite and Datasette ---------------------------------------------------------------


def test_sqlite_has_every_table_with_its_keys_and_rows(package):
    db = sqlite3.connect(package / SQLITE_NAME)
    try:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        query = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
        names = [r[0] for r in db.execute(query)]
        assert names == [t.name for t in table_order()]
        for table in TABLES:
            info = db.execute(f'PRAGMA table_info("{table.name}")').fetchall()
            assert [(r[1], r[2], bool(r[3])) for r in info] == [
                (c.name, SQL_TYPES[c.type], c.required)
                for c in table.columns
            ], table.name
            pk = sorted((r[5], r[1]) for r in info if r[5])
            assert [name for _, name in pk] == table.primary_key, table.name
            keys: dict[int, tuple] = {}
            # rows: id, seq, referenced table, from column, to column, on update, on delete, match
            for key_id, _seq, ref, src, dst, *_ in db.execute(f'PRAGMA foreign_key_list("{table.name}")'):
                key = keys.setdefault(key_id, ([], ref, []))
                key[0].append(src)
                key[2].append(dst)
            assert sorted(keys.values()) == sorted(table.foreign_keys + table.sqlite_only_keys), table.name
            # Every foreign key is served by an index whose columns start with it.
            indexes = list(db.execute(f'PRAGMA index_list("{table.name}")'))
            indexed = [[r[2] for r in db.execute(f'PRAGMA index_info("{i[1]}")')] for i in indexes]
            unique = [cols for cols, i in zip(indexed, indexes, strict=True) if i[2] and i[3] == "u"]
            assert unique == [[c.name] for c in table.columns if c.unique], table.name
            for fields, _, _ in table.foreign_keys + table.sqlite_only_keys:
                assert any(cols[: len(fields)] == fields for cols in indexed), (table.name, fields)
            rows = db.execute(f'SELECT * FROM "{table.name}"').fetchall()
            text = csv_rows(package, table.name)
            assert len(rows) == len(text) - 1, table.name
            booleans = [c.type == "boolean" for c in table.columns]
            as_text = [
                [_cell(bool(v) if b and v is not None else v) for v, b in zip(row, booleans, strict=True)]
                for row in rows
            ]
            assert as_text == text[1:], table.name
    finally:
        db.close()


def test_sqlite_is_byte_identical_and_rebuilt_from_the_csvs(package, tmp_path):
    again = export_package(validate_paths([VALID, CASES]).cases, tmp_path / "again", CREATED)
    assert [p.read_bytes() for p in again] == [(package / p.name).read_bytes() for p in again]


def test_datasette_opens_it_with_its_keys(package):
    from datasette.app import Datasette

    async def look():
        ds = Datasette([str(package / SQLITE_NAME)])
        await ds.invoke_startup()
        db = ds.get_database("casebook")
        assert await db.table_names() == [t.name for t in table_order()]
        for table in TABLES:
            assert await db.primary_keys(table.name) == table.primary_key
            single = [(f[0], r, d[0]) for f, r, d in table.foreign_keys if len(f) == 1]
            found = await db.foreign_keys_for_table(table.name)
            assert sorted((k["column"], k["other_table"], k["other_column"]) for k in found) == sorted(
                single
            ), table.name
        response = await ds.client.get("/casebook/metrics.json?_shape=array&_size=max&_labels=on")
        assert response.status_code == 200
        rows = response.json()
        assert len(rows) == len(csv_rows(package, "metrics")) - 1
        # Datasette follows the keys: each metric's source is shown with its title (no label
        # when the copy seen showed no title, see title_note).
        titles = {r[0]: r[3] for r in csv_rows(package, "sources")[1:]}
        labels = {r["source_id"]["value"]: r["source_id"]["label"] for r in rows}
        assert labels == {key: titles[key] or None for key in labels}
        assert any(labels.values())

    # A thread of its own: the session's Playwright (tests/conftest.py) may already run an
    # event loop in this one, where asyncio.run() is refused.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, look()).result()


def test_frictionless_publishes_every_row_to_sqlite(package, tmp_path):
    """Package.publish (frictionless's SQL adapter) keeps every table, row and foreign key."""
    target = tmp_path / "published.db"
    Package(str(package / "datapackage.json")).publish(f"sqlite:///{target}")
    db = sqlite3.connect(target)
    try:
        for table in TABLES:
            count = db.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
            assert count == len(csv_rows(package, table.name)) - 1, table.name
            keys = {r[0] for r in db.execute(f'PRAGMA foreign_key_list("{table.name}")')}
            assert len(keys) == len(table.foreign_keys), table.name
    finally:
        db.close()


def test_frictionless_index_loads_every_table(package, tmp_path):
    """`frictionless index` (the CLI) used to skip cases, metrics and sources."""
    target = tmp_path / "index.db"
    command = [str(Path(sys.executable).with_name("frictionless")), "index",
               str(package / "datapackage.json"), "--database", f"sqlite:///{target}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    db = sqlite3.connect(target)
    try:
        for table in TABLES:
            count = db.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
            assert count == len(csv_rows(package, table.name)) - 1, table.name
    finally:
        db.close()


def test_no_pattern_on_an_optional_field(package):
    """frictionless's SQL adapter applies `pattern` to empty cells and drops the table."""
    descriptor = json.loads((package / "datapackage.json").read_bytes())
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            assert "pattern" not in constraints or constraints.get("required"), (
                resource["name"],
                field["name"],
            )


# --- Excel --------------------------------------------------------------------------------


def test_xlsx_every_cell_equals_the_csv(package):
    from openpyxl import load_workbook

    book = load_workbook(package / XLSX_NAME)
    assert book.sheetnames == [t.name for t in table_order()]
    for table in TABLES:
        sheet = book[table.name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        text = csv_rows(package, table.name)
        got = [list(row) for row in sheet.iter_rows()]
        assert len(got) == len(text), table.name
        assert [c.value for c in got[0]] == text[0]
        for cells, want in zip(got[1:], text[1:], strict=True):
            for column, cell, value in zip(table.columns, cells, want, strict=True):
                if value == "":
                    assert cell.value is None, (table.name, column.name)
                elif column.type == "string":
                    assert (cell.data_type, cell.value) == ("s", value), (table.name, column.name)
                elif column.type == "boolean":
                    assert (cell.data_type, cell.value) == ("b", value == "true"), (table.name, column.name)
                else:
                    assert (cell.data_type, cell.value) == ("n", float(value)), (table.name, column.name)


def test_xlsx_keeps_codes_years_and_formula_like_text_as_text():
    table = Table(
        "t",
        "T",
        "test",
        [Column("code"), Column("year"), Column("note"), Column("n", type="number")],
        ["code"],
    )
    data = "code,year,note,n\r\n610925,2023,=1+1,29.62\r\n000001,2023-05,@SUM(A1),400000\r\n"
    content = xlsx_bytes({"t": data.encode()}, (2026, 11, 22, 11, 43, 44), [table])
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content))["t"]
    rows = [[(c.data_type, c.value) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        [("s", "610925"), ("s", "2023"), ("s", "=1+1"), ("n", 29.62)],
        [("s", "000001"), ("s", "2023-05"), ("s", "@SUM(A1)"), ("n", 400000)],
    ]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 22, 11, 43, 44)}
        assert b"<f>" not in b"".join(archive.read(n) for n in archive.namelist())


def test_codebook_says_why_xlsx():
    book = codebook_markdown()
    assert "## 为什么是 xlsx Why an xlsx file for Excel" in book
    assert "open `casebook.xlsx`" in book


# --- table order, columns --------------------------------------------------------------------


def test_referenced_tables_come_first(package):
    descriptor = json.loads((package / "datapackage.json").read_bytes())
    seen: set[str] = set()
    for resource in descriptor["resources"]:
        for key in resource["schema"].get("foreignKeys", []):
            ref = key["reference"]["resource"]
            assert ref in seen or ref == resource["name"], (resource["name"], ref)
        seen.add(resource["name"])
    assert seen == set(BY_NAME)
    assert [t.name for t in table_order()][:1] == ["cases"]


def test_table_order_refuses_a_cycle():
    a = Table("a", "A", "", [Column("id")], ["id"], [(["id"], "b", ["id"])])
    b = Table("b", "B", "", [Column("id")], ["id"], [(["id"], "a", ["id"])])
    with pytest.raises(ValueError, match="foreign keys form a cycle among: a, b"):
        table_order([a, b])
    with pytest.raises(ValueError, match="table a references unknown table"):
        table_order([a])


def test_duckdb_loads_every_table_with_its_keys_in_package_order(package):
    """A key-enforcing load (DuckDB with PRIMARY KEY/FOREIGN KEY) in datapackage.json's order."""
    import duckdb

    descriptor = json.loads((package / "datapackage.json").read_bytes())
    db = duckdb.connect()
    try:
        for resource in descriptor["resources"]:
            table = BY_NAME[resource["name"]]
            for statement in create_statements(table):
                db.execute(statement)
            types = {c.name: {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE",
                              "boolean": "BOOLEAN"}[c.type] for c in table.columns}
            columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in types.items()) + "}"
            db.execute(
                f'INSERT INTO "{table.name}" SELECT * FROM read_csv(?, header = true, columns = {columns})',
                [str(package / resource["path"])],
            )
            count = db.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
            assert count == len(csv_rows(package, table.name)) - 1
    finally:
        db.close()


def test_joined_tables_share_no_column_name():
    """metrics ⋈ cases (the README's join) gives no scope_x/scope_y: names say what they are."""
    cases = {c.name for c in BY_NAME["cases"].columns}
    metrics = {c.name for c in BY_NAME["metrics"].columns}
    assert cases & metrics == set()
    assert "case_scope" in cases and "metric_scope" in metrics


# --- the README's loaders, as written -------------------------------------------------------


def readme_blocks() -> list[tuple[str, str]]:
    """(language, code) of every fenced block of the README's Data package section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Data package\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


def block(language: str, needle: str) -> str:
    found = [code for lang, code in readme_blocks() if lang == language and needle in code]
    assert len(found) == 1, (language, needle)
    return found[0]


def test_readme_blocks_are_the_codebooks():
    """The README shows the package codebook's pandas, polars, R and DuckDB code, unchanged."""
    blocks = readme_blocks()
    assert [lang for lang, _ in blocks] == ["python", "python", "r", "sql"]
    codebook = dict.fromkeys(re.findall(r"```\w+\n(.*?)```", LOADING, re.S))
    for lang, code in blocks:
        code = "\n".join(line for line in code.split("\n") if not line.startswith("-- "))
        assert code in codebook, lang


def run(command: list[str], cwd: Path, locale: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHON"))}
    env.update(LANG=locale, LC_ALL=locale, PYTHONUTF8="0", PYTHONIOENCODING="")
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Warning" not in done.stderr, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("ascii")


# Each tool dumps what it loaded as JSON (ASCII escapes: any locale can carry it).
PY_DUMP = """
import json
def dump(frame, path):
    rows = frame.to_dicts() if hasattr(frame, "to_dicts") else frame.astype(object).where(
        frame.notna(), None).to_dict("records")
    with open(path, "w", encoding="ascii") as f:
        json.dump({"columns": list(frame.columns), "rows": rows}, f, default=str)
dump(table, "joined.json")
for name in NAMES:
    dump(READ(name), name + ".loaded.json")
"""

PANDAS_READ = """
def READ(name):
    return pd.read_csv(name + ".csv", dtype=text, keep_default_na=False, na_values=[""])
"""

POLARS_READ = """
def READ(name):
    return pl.read_csv(name + ".csv", schema_overrides=text, infer_schema_length=None)
"""


def check_loaded(package: Path, loaded: dict, name: str):
    """Every string cell is the CSV's text exactly; numbers equal; empty cells missing."""
    table = BY_NAME[name]
    text = csv_rows(package, name)
    assert loaded["columns"] == text[0], name
    assert len(loaded["rows"]) == len(text) - 1, name
    for got, want in zip(loaded["rows"], text[1:], strict=True):
        for column in table.columns:
            value, cell = got[column.name], want[text[0].index(column.name)]
            if cell == "":
                assert value is None, (name, column.name, value)
            elif column.type == "string":
                assert value == cell, (name, column.name, value, cell)
            elif column.type == "boolean":  # True, TRUE (R), true: each tool's own boolean
                assert str(value).lower() == cell, (name, column.name, value, cell)
            else:
                assert float(value) == float(cell), (name, column.name, value, cell)


def check_join(package: Path, joined: dict):
    metrics = csv_rows(package, "metrics")
    assert len(joined["rows"]) == len(metrics) - 1
    assert not [c for c in joined["columns"] if re.search(r"(_x|_y|_right|\.x|\.y)$", c)]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("tool", ["pandas", "polars"])
def test_readme_python_loader(tool, locale, package, tmp_path):
    work = tmp_path / "data"
    shutil.copytree(package, work)
    code = block("python", "import pandas" if tool == "pandas" else "import polars")
    read = PANDAS_READ if tool == "pandas" else POLARS_READ
    names = [t.name for t in TABLES]
    script = code + read + f"NAMES = {names!r}\n" + PY_DUMP
    run([sys.executable, "-c", script], work, locale)
    check_join(package, json.loads((work / "joined.json").read_text(encoding="ascii")))
    for name in names:
        check_loaded(package, json.loads((work / f"{name}.loaded.json").read_text(encoding="ascii")), name)


@pytest.mark.parametrize("locale", LOCALES)
def test_readme_duckdb_loader(locale, package, tmp_path):
    work = tmp_path / "data"
    shutil.copytree(package, work)
    sql = block("sql", "read_csv")
    # The README's text columns (its `types`), for every table that has them.
    text = set(re.findall(r"'(\w+)': 'VARCHAR'", sql))
    tables = {t.name: sorted(c.name for c in t.columns if c.name in text) for t in TABLES}
    reads = {
        name: f"SELECT * FROM read_csv('{name}.csv'"
        + (", types = {" + ", ".join(f"'{c}': 'VARCHAR'" for c in text) + "}" if text else "")
        + ")"
        for name, text in tables.items()
    }
    script = (
        "import duckdb, json\n"
        f"rows = duckdb.sql({sql!r}).fetchall()\n"
        "json.dump({'titles': sorted({r[0] for r in rows}), 'rows': len(rows)}, open('joined.json', 'w'))\n"
        f"for name, query in {reads!r}.items():\n"
        "    rel = duckdb.sql(query)\n"
        "    rows = [dict(zip(rel.columns, r)) for r in rel.fetchall()]\n"
        "    out = open(name + '.loaded.json', 'w')\n"
        "    json.dump({'columns': rel.columns, 'rows': rows}, out, default=str)\n"
    )
    run([sys.executable, "-c", script], work, locale)
    joined = json.loads((work / "joined.json").read_text(encoding="ascii"))
    assert joined["rows"] == len(csv_rows(package, "metrics")) - 1
    titles = {row[2] for row in csv_rows(package, "cases")[1:]}  # exact Chinese titles
    assert joined["titles"] and set(joined["titles"]) <= titles
    for name in tables:
        check_loaded(package, json.loads((work / f"{name}.loaded.json").read_text(encoding="ascii")), name)


RSCRIPT = shutil.which("Rscript")

R_DUMP = r"""
esc <- function(x) {
  missing <- is.na(x)
  x <- enc2utf8(as.character(x))
  for (p in list(c("\\", "\\\\"), c("\t", "\\t"), c("\n", "\\n"), c("\r", "\\r")))
    x <- gsub(p[1], p[2], x, fixed = TRUE, useBytes = TRUE)
  x[missing] <- "\\N"
  x
}
dump <- function(frame, path) {
  con <- file(path, open = "wb")
  writeLines(paste(names(frame), collapse = "\t"), con, useBytes = TRUE)
  if (nrow(frame) > 0) {
    cells <- lapply(frame, esc)
    writeLines(do.call(paste, c(cells, sep = "\t")), con, useBytes = TRUE)
  }
  close(con)
}
dump(table, "joined.tsv")
"""


def read_dump(path: Path) -> dict:
    lines = path.read_bytes().decode("utf-8").split("\n")[:-1]
    columns = lines[0].split("\t")

    def unescape(cell: str):
        if cell == "\\N":
            return None
        return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), cell)

    rows = [dict(zip(columns, map(unescape, line.split("\t")), strict=True)) for line in lines[1:]]
    return {"columns": columns, "rows": rows}


@pytest.mark.parametrize("locale", LOCALES)
def test_readme_r_loader(locale, package, tmp_path):
    if RSCRIPT is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI=true but Rscript is missing: .ci/run must install r-base-core")
        pytest.skip("R (Rscript) is not installed")
    work = tmp_path / "data"
    shutil.copytree(package, work)
    code = block("r", "read.csv")
    # The README's text and logical columns (its colClasses), for every table that has them.
    given = dict(re.findall(r'(\w+) = "(character|logical)"', code))
    # R reads lower-case true/false as text unless told: every boolean column must be given.
    assert {c.name for t in TABLES for c in t.columns if c.type == "boolean"} <= {
        name for name, kind in given.items() if kind == "logical"}
    per_table = []
    for table in TABLES:
        mine = [c.name for c in table.columns if c.name in given]
        classes = "c(" + ", ".join(f'{c} = "{given[c]}"' for c in mine) + ")" if mine else "NA"
        per_table.append(
            f'frame <- read.csv("{table.name}.csv", encoding = "UTF-8", na.strings = "", '
            f'colClasses = {classes}); dump(frame, "{table.name}.loaded.tsv"); '
            f'writeLines(sapply(frame, function(x) class(x)[1]), "{table.name}.classes.txt")'
        )
    (work / "load.R").write_text(code + R_DUMP + "\n".join(per_table) + "\n", encoding="utf-8")
    run([RSCRIPT, "--vanilla", "load.R"], work, locale)
    check_join(package, read_dump(work / "joined.tsv"))
    for table in TABLES:
        check_loaded(package, read_dump(work / f"{table.name}.loaded.tsv"), table.name)
        classes = (work / f"{table.name}.classes.txt").read_text(encoding="ascii").split()
        for column, kind in zip(table.columns, classes, strict=True):
            if column.type == "boolean":
                assert kind == "logical", (table.name, column.name, kind)
            elif column.type == "string":
                assert kind in ("character", "logical"), (table.name, column.name, kind)  # all-empty: NA


# --- a citable data release ---------------------------------------------------------------


def test_data_version_is_in_descriptor_zip_changelog_and_citation(package):
    version = data_version()
    assert re.fullmatch(r"[0-9]{4}\.(0[1-9]|1[0-2])\.[0-9]+", version)
    descriptor = json.loads((package / "datapackage.json").read_bytes())
    assert descriptor["version"] == version
    assert ZIP_NAME == zip_name() == f"village-casebook-data-{version}.zip"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+) ", changelog, re.M)[0] == version
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == version
    assert citation["license"] == descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert (package / "CITATION.cff").read_bytes() == (ROOT / "CITATION.cff").read_bytes()
    assert f"data version {version}" in (package / "README.md").read_text(encoding="utf-8")


def _check_cff(path: Path) -> subprocess.CompletedProcess:
    checker = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run(
        [str(checker), "--builtin-schema", "vendor.citation-file-format", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_citation_cff_is_valid_and_the_check_can_fail(tmp_path):
    done = _check_cff(ROOT / "CITATION.cff")
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "CITATION.cff"
    broken.write_text(
        (ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("cff-version: 1.2.0", "cff-version: 9"),
        encoding="utf-8",
    )
    assert _check_cff(broken).returncode == 1


def test_descriptor_is_data_package_v2_with_categories(package):
    descriptor = json.loads((package / "datapackage.json").read_bytes())
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["contributors"] == [
        {"title": "Village Assistance Casebook contributors", "roles": ["creator"]}
    ]
    assert descriptor["created"] == CREATED
    assert "homepage" not in descriptor  # no URL is invented; CASEBOOK_HOMEPAGE sets it
    vocabulary_fields = 0
    for resource in descriptor["resources"]:
        assert resource["$schema"] == "https://datapackage.org/profiles/2.0/dataresource.json"
        assert resource["schema"]["$schema"] == "https://datapackage.org/profiles/2.0/tableschema.json"
        columns = BY_NAME[resource["name"]].columns
        for field, column in zip(resource["schema"]["fields"], columns, strict=True):
            if column.vocabulary:
                vocabulary_fields += 1
                assert [c["value"] for c in field["categories"]] == field["constraints"]["enum"]
                assert all(c["label"].strip() for c in field["categories"])
            else:
                assert "categories" not in field
    assert vocabulary_fields >= len({c.vocabulary for t in TABLES for c in t.columns if c.vocabulary})
    assert {c.vocabulary for t in TABLES for c in t.columns if c.vocabulary} <= {
        *VOCABULARIES, *PACKAGE_VOCABULARIES}


def test_homepage_comes_from_the_environment(monkeypatch):
    cases = validate_paths([VALID]).cases
    monkeypatch.setenv("CASEBOOK_HOMEPAGE", "https://example.org/casebook")
    descriptor = json.loads(package_files(cases)["datapackage.json"])
    assert descriptor["homepage"] == "https://example.org/casebook"
    monkeypatch.setenv("CASEBOOK_HOMEPAGE", "javascript:alert(1)")
    with pytest.raises(ValueError, match="CASEBOOK_HOMEPAGE must be an http"):
        package_files(cases)


def test_typed_rows_refuses_a_wrong_header():
    with pytest.raises(ValueError, match="header"):
        typed_rows(BY_NAME["themes"], b"id,label\r\n")


def test_new_columns_reach_every_format(package):
    """Columns added to tables.TABLES (schema v2, quote verification) appear in every format."""
    from openpyxl import load_workbook

    new = {"metrics": ["indicator_code", "claim_type", "status", "quote_verified"]}
    descriptor = json.loads((package / "datapackage.json").read_bytes())
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    db = sqlite3.connect(package / SQLITE_NAME)
    book = load_workbook(package / XLSX_NAME, read_only=True)
    try:
        for table, columns in new.items():
            header = csv_rows(package, table)[0]
            in_sqlite = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            in_xlsx = [c.value for c in next(book[table].iter_rows(max_row=1))]
            for column in columns:
                assert column in header and column in fields[table], column
                assert column in in_sqlite and column in in_xlsx, column
    finally:
        db.close()
        book.close()


# --- references that must stay inside their case (review rv14, defect 1) ------------------


def _rewrite_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


def _other_case_source(package: Path, case_id: str) -> str:
    return next(s[0] for s in csv_rows(package, "sources")[1:] if s[1] != case_id)


@pytest.mark.parametrize("table", ["metrics", "people", "practices", "model_evidence"])
def test_frictionless_refuses_a_source_of_another_case(table, package, tmp_path):
    """A row citing a source that exists but belongs to another case breaks the
    (case_id, source_id) → sources (case_id, id) key; the single-column key alone let it pass."""
    work = tmp_path / "data"
    shutil.copytree(package, work)
    rows = csv_rows(work, table)
    case, source = rows[0].index("case_id"), rows[0].index("source_id")
    other = _other_case_source(work, rows[1][case])
    rows[1][source] = other
    _rewrite_csv(work / f"{table}.csv", rows)
    report = frictionless_validate(str(work / "datapackage.json"))
    errors = [(task.name, error.type, error.note) for task in report.tasks for error in task.errors]
    assert errors == [(table, "foreign-key", f'for "case_id, source_id": values "{rows[1][case]}, '
                       f'{other}" not found in the lookup table "sources" as "case_id, id"')]


def test_frictionless_refuses_a_source_of_another_case_in_the_zip(package, tmp_path):
    """The reviewer's steps: tamper with metrics.csv inside the release zip, validate the zip."""
    with zipfile.ZipFile(package / ZIP_NAME) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    rows = list(csv.reader(io.StringIO(files["metrics.csv"].decode("utf-8"), newline="")))
    case, source = rows[0].index("case_id"), rows[0].index("source_id")
    row = next(r for r in rows[1:] if r[case].startswith("dawang-"))
    row[source] = "gaozhou-zuzhi-fazhi-wang"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    files["metrics.csv"] = buffer.getvalue().encode("utf-8")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    report = frictionless_validate(str(tampered))
    assert not report.valid
    assert [(t.name, e.type) for t in report.tasks for e in t.errors] == [("metrics", "foreign-key")]


def test_sqlite_foreign_key_check_catches_another_cases_source_and_model(package, tmp_path):
    """Composite keys in casebook.sqlite: (case_id, source_id) → sources (case_id, id) and
    (case_id, model_id) → models (case_id, id), the model's case written beside its terms
    and evidence. Optional parts (a metric's model, a term's source) may stay empty."""
    copy = tmp_path / "tampered.sqlite"
    shutil.copy(package / SQLITE_NAME, copy)
    db = sqlite3.connect(copy)
    try:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        dawang = "dawang-cross-village-joint-construction"
        db.execute("UPDATE metrics SET source_id = 'gaozhou-zuzhi-fazhi-wang', model_id = 'langao-1-12-x' "
                   "WHERE case_id = ? AND position = 0", (dawang,))
        for table in ("people", "practices", "model_evidence", "model_terms"):
            rowid, case = db.execute(f'SELECT rowid, case_id FROM "{table}" WHERE source_id IS NOT NULL '
                                     "ORDER BY rowid LIMIT 1").fetchone()
            other = _other_case_source(package, case)
            db.execute(f'UPDATE "{table}" SET source_id = ? WHERE rowid = ?', (other, rowid))
        db.execute("UPDATE model_evidence SET case_id = 'gaozhou-village-assistance-teams' "
                   "WHERE rowid = (SELECT max(rowid) FROM model_evidence WHERE case_id = ?)", (dawang,))
        db.commit()
        found = sorted({(table, parent) for table, _rowid, parent, _key
                        in db.execute("PRAGMA foreign_key_check")})
        assert found == [("metrics", "models"), ("metrics", "sources"), ("model_evidence", "models"),
                         ("model_evidence", "sources"), ("model_terms", "sources"),
                         ("people", "sources"), ("practices", "sources")]
    finally:
        db.close()


def test_model_link_relation_is_a_vocabulary(package):
    assert [r for r in csv_rows(package, "vocabularies") if r[0] == "model_link_relation"] == [
        ["model_link_relation", "adopts", "采用的模式", "Adopts"],
        ["model_link_relation", "adapted_from", "借鉴改造的模式", "Adapted from"],
    ]
    descriptor = json.loads((package / "datapackage.json").read_bytes())
    links = next(r for r in descriptor["resources"] if r["name"] == "model_links")
    relation = next(f for f in links["schema"]["fields"] if f["name"] == "relation")
    assert relation["constraints"]["enum"] == ["adopts", "adapted_from"]
    assert relation["categories"] == [{"value": "adopts", "label": "采用的模式 Adopts"},
                                      {"value": "adapted_from", "label": "借鉴改造的模式 Adapted from"}]


def test_descriptor_sources_tell_each_source_apart(package):
    """One entry per source: its own title (never its title_note), id, case, publisher, date."""
    entries = json.loads((package / "datapackage.json").read_bytes())["sources"]
    table = [dict(zip(csv_rows(package, "sources")[0], r, strict=True))
             for r in csv_rows(package, "sources")[1:]]
    assert [e["id"] for e in entries] == [s["id"] for s in table]
    assert len({json.dumps(e, sort_keys=True) for e in entries}) == len(entries)  # no duplicates
    for entry, source in zip(entries, table, strict=True):
        assert entry["case_id"] == source["case_id"]
        assert set(entry) <= {"title", "path", "id", "case_id", "publisher", "published", "title_note"}
        for key, column in [("path", "url"), ("publisher", "publisher"), ("published", "published"),
                            ("title_note", "title_note")]:
            assert entry.get(key, "") == source[column], (entry["id"], key)
        if source["title"]:
            assert entry["title"] == source["title"]
        else:
            label = " ".join(filter(None, [source["publisher"], source["published"]]))
            assert entry["title"] == " ".join(filter(None, ["[无标题 untitled]", label, f"({source['id']})"]))
            assert source["title_note"] not in entry["title"]
    gaozhou = next(e for e in entries if e["id"] == "gaozhou-zuzhi-fazhi-wang")
    assert gaozhou["title"] == "[无标题 untitled] 组织法治网 (gaozhou-zuzhi-fazhi-wang)"


# --- the release's identity comes from the project folder (review rv14, defects 2, 5, 9) ---


def _project(root: Path, version: str = "2099.01.0") -> Path:
    """A data project like a second checkout: cases/, DATA_VERSION, CITATION.cff, CHANGELOG.md."""
    shutil.copytree(VALID, root / "cases")
    (root / "DATA_VERSION").write_text(version + "\n", encoding="utf-8")
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    (root / "CITATION.cff").write_text(
        re.sub(r'^version: ".*"$', f'version: "{version}"', citation, flags=re.M), encoding="utf-8")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    (root / "CHANGELOG.md").write_text(
        re.sub(r"^## \S+ ", f"## {version} ", changelog, count=1, flags=re.M), encoding="utf-8")
    return root


def _cli(root: Path, monkeypatch, *args: str):
    from click.testing import CliRunner

    from generator.cli import main

    monkeypatch.chdir(root)
    return CliRunner().invoke(main, list(args))


def test_data_version_citation_and_changelog_come_from_the_project(tmp_path, monkeypatch):
    project = _project(tmp_path / "checkout")
    result = _cli(project, monkeypatch, "export", "--out", "out")
    assert result.exit_code == 0, result.output
    out = project / "out"
    assert json.loads((out / "datapackage.json").read_bytes())["version"] == "2099.01.0"
    assert (out / "village-casebook-data-2099.01.0.zip").is_file()
    assert not list(out.glob(f"village-casebook-data-{data_version(ROOT)}.zip"))
    for name in ("CITATION.cff", "CHANGELOG.md"):
        assert (out / name).read_bytes() == (project / name).read_bytes()
    with zipfile.ZipFile(out / "village-casebook-data-2099.01.0.zip") as archive:
        assert archive.read("CHANGELOG.md") == (project / "CHANGELOG.md").read_bytes()
        assert archive.read("CITATION.cff") == (project / "CITATION.cff").read_bytes()
    assert "data version 2099.01.0" in (out / "README.md").read_text(encoding="utf-8")
    assert result.stdout.splitlines()[-1] == (
        "wrote 26 files to out/ (datapackage.json, 19 CSV tables, casebook.sqlite, casebook.xlsx, "
        "CITATION.cff, CHANGELOG.md, zip)")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("DATA_VERSION", None, "{path} is missing: a data project needs DATA_VERSION, CITATION.cff, "
     "CHANGELOG.md beside its cases/ folder (copy them from the casebook repository and set the "
     "version, e.g. 2026.11.0)"),
    ("DATA_VERSION", "v2\n", '{path} holds "v2", not a data version YYYY.MM.N such as 2026.11.0'),
    ("CITATION.cff", None, "{path} is missing: a data project needs DATA_VERSION, CITATION.cff, "
     "CHANGELOG.md beside its cases/ folder (copy them from the casebook repository and set the "
     "version, e.g. 2026.11.0)"),
    ("CITATION.cff", "title: [unclosed\n", "{path}:2:1 is not valid YAML: expected ',' or ']', but got "
     "'<stream end>'"),
    ("CITATION.cff", "- a list\n", "{path} must be a CITATION.cff mapping with cff-version, title and "
     'version (e.g. version: "2026.11.0")'),
    ("CITATION.cff", 'cff-version: 1.2.0\ntitle: x\nversion: "2026.11.0"\n',
     '{path} has version "2026.11.0" but DATA_VERSION is 2099.01.0; set version: "2099.01.0"'),
    ("CHANGELOG.md", None, "{path} is missing: a data project needs DATA_VERSION, CITATION.cff, "
     "CHANGELOG.md beside its cases/ folder (copy them from the casebook repository and set the "
     "version, e.g. 2026.11.0)"),
    ("CHANGELOG.md", "# Changes\n\n## 2026.11.0 (2026-11-30)\n",
     '{path}: the first release entry is "2026.11.0", not DATA_VERSION 2099.01.0; add '
     "`## 2099.01.0 (YYYY-MM-DD)` with what changed"),
])
@pytest.mark.parametrize("command", ["export", "build"])
def test_a_missing_or_malformed_identity_file_is_one_line_and_exit_2(
        command, name, content, message, tmp_path, monkeypatch):
    project = _project(tmp_path / "checkout")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "site").symlink_to(ROOT / "site", target_is_directory=True)
    path = project / name
    if content is None:
        path.unlink()
    else:
        path.write_text(content, encoding="utf-8")
    result = _cli(project, monkeypatch, command)
    assert result.exit_code == 2
    # Checked after validation (a broken case shows validate's messages first), before writing.
    assert result.stderr.splitlines()[-1] == f"Error: {message.format(path=path)}"
    assert "Traceback" not in result.output and "[2] exporting" not in result.output
    assert not (project / "build").exists() and not (project / "out").exists()


EPOCH_MESSAGE = ("Error: SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, from 0 to "
                 "253402300799, such as SOURCE_DATE_EPOCH=1764460800, not \"{}\"\n")


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("CASEBOOK_HOMEPAGE", "not a url", "Error: CASEBOOK_HOMEPAGE must be an http(s) URL such as "
     'https://github.com/OWNER/REPO, not "not a url"\n'),
    ("CASEBOOK_HOMEPAGE", "javascript:alert(1)", "Error: CASEBOOK_HOMEPAGE must be an http(s) URL such as "
     'https://github.com/OWNER/REPO, not "javascript:alert(1)"\n'),
    ("SOURCE_DATE_EPOCH", "abc", EPOCH_MESSAGE.format("abc")),
    ("SOURCE_DATE_EPOCH", "99999999999999", EPOCH_MESSAGE.format("99999999999999")),
    ("SOURCE_DATE_EPOCH", "253402300800", EPOCH_MESSAGE.format("253402300800")),
    ("SOURCE_DATE_EPOCH", "-5", EPOCH_MESSAGE.format("-5")),
    ("SOURCE_DATE_EPOCH", "1.5", EPOCH_MESSAGE.format("1.5")),
])
def test_a_bad_setting_is_one_line_and_exit_2(variable, value, message, tmp_path, monkeypatch):
    project = _project(tmp_path / "checkout")
    monkeypatch.setenv(variable, value)
    result = _cli(project, monkeypatch, "export", "--out", "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] + "\n" == message
    assert "Traceback" not in result.output and not (project / "out").exists()
    from generator.release import ReleaseError, created_from_env, homepage

    with pytest.raises(ReleaseError, match=f"^{variable} must be"):  # the library raises; it never exits
        homepage() if variable == "CASEBOOK_HOMEPAGE" else created_from_env()


def test_the_largest_and_smallest_epochs_are_dates(monkeypatch):
    from generator.release import created_from_env

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert created_from_env() == "1970-01-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert created_from_env() == "9999-12-31T23:59:59Z"


def test_homepage_reaches_the_shipped_citation(tmp_path, monkeypatch):
    project = _project(tmp_path / "checkout")
    monkeypatch.setenv("CASEBOOK_HOMEPAGE", "https://github.com/example/casebook")
    result = _cli(project, monkeypatch, "export", "--out", "out")
    assert result.exit_code == 0, result.output
    shipped = project / "out" / "CITATION.cff"
    citation = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    assert citation["repository-code"] == citation["url"] == "https://github.com/example/casebook"
    assert shipped.read_bytes().startswith((project / "CITATION.cff").read_bytes())
    done = _check_cff(shipped)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("schema", "message"), [
    ("{broken", "Error: {path}:1:2: not valid JSON (Expecting property name enclosed in double quotes); "
     "fix the schema, casebook will not validate against a broken one\n"),
    ("{}", "Error: {path} is not the schema this casebook was installed with ({installed}); install "
     "the tool from this checkout (pip install -e .) so cases are validated against this schema\n"),
])
@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_project_schema_other_than_the_tools_is_refused(command, schema, message, tmp_path, monkeypatch):
    from generator.schema import schema_path

    project = _project(tmp_path / "checkout")
    (project / "schema").mkdir()
    path = project / "schema" / "case.schema.json"
    path.write_text(schema, encoding="utf-8")
    result = _cli(project, monkeypatch, command)
    assert result.exit_code == 2
    assert result.output == message.format(path=path, installed=schema_path())
    # The same schema as the tool's is fine (a copy of the checkout).
    shutil.copy(schema_path(), path)
    result = _cli(project, monkeypatch, "validate")
    assert result.exit_code == 0, result.output


def test_xlsx_styles_only_text_that_needs_it():
    """Number- and date-like text keeps the Text format "@" (it stays text when edited in
    Excel); prose is written without a per-cell style (General)."""
    table = Table("t", "T", "test", [Column("code"), Column("note")], ["code"])
    data = "code,note\r\n610925,一般文字 plain text\r\n2023-05,#N/A\r\n"
    content = xlsx_bytes({"t": data.encode()}, tables=[table])
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content))["t"]
    rows = [[(c.data_type, c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        [("s", "610925", "@"), ("s", "一般文字 plain text", "General")],
        [("s", "2023-05", "@"), ("s", "#N/A", "@")],
    ]


def _xlsx_of(columns: list, rows: list[list[str]], date_time=(1980, 1, 1, 0, 0, 0), name="t") -> bytes:
    """xlsx_bytes of one table `name` whose CSV holds `rows` under the `columns`' names."""
    table = Table(name, "T", "test", columns, [columns[0].name])
    out = io.StringIO(newline="")
    csv.writer(out).writerows([[c.name for c in columns], *rows])
    return xlsx_bytes({name: out.getvalue().encode()}, date_time, [table])


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


_LOOK_ALIKES = ["610925", "000001", "2023", "-3", "1e5", "+86 10 1234", "12:30", "2023-05-01", "=1+1",
                "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+A1", "-A1", "{=SUM(A1)}", "#N/A", "#DIV/0!",
                "#REF!", "http://x", "https://example.org/a?b=1&c=<2>", "mailto:a@b.c", "ftp://x/y", "TRUE",
                "false", " leading and trailing ", "<b>&amp;</b>", "一般文字"]


def test_xlsx_text_that_looks_like_a_number_formula_url_or_error_stays_text():
    rows = [[str(i), value] for i, value in enumerate(_LOOK_ALIKES)]
    content = _xlsx_of([Column("id"), Column("text")], rows)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content))["t"]
    got = [(c.data_type, c.value) for (c,) in sheet.iter_rows(min_row=2, min_col=2)]
    assert got == [("s", value) for value in _LOOK_ALIKES]
    formats = {c.value: c.number_format for (c,) in sheet.iter_rows(min_row=2, min_col=2)}
    assert {v for v, f in formats.items() if f == "@"} == {
        "610925", "000001", "2023", "-3", "1e5", "+86 10 1234", "12:30", "2023-05-01", "=1+1",
        "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+A1", "-A1", "#N/A", "#DIV/0!", "#REF!", "TRUE", "false"}
    xml = _sheet_xml(content)
    assert "<f>" not in xml and "<hyperlink" not in xml and 't="e"' not in xml
    assert xml.count('t="inlineStr"') == 2 * len(rows) + 2  # every text cell, the header's too
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert not [n for n in archive.namelist() if n.endswith(".rels") and b"/hyperlink" in archive.read(n)]


def test_xlsx_numbers_booleans_and_empty_cells():
    columns = [Column("id"), Column("n", type="integer"), Column("x", type="number"),
               Column("b", type="boolean")]
    rows = [["a", "610925", "29.62", "true"], ["b", "", "", "false"], ["c", "-1", "1e3", ""]]
    content = _xlsx_of(columns, rows)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content))["t"]
    got = [[(c.data_type, c.value) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert got == [
        [("s", "a"), ("n", 610925), ("n", 29.62), ("b", True)],
        [("s", "b"), ("n", None), ("n", None), ("b", False)],
        [("s", "c"), ("n", -1), ("n", 1000.0), ("n", None)],
    ]
    assert '<c r="B3"' not in _sheet_xml(content)  # an empty cell is left out


def test_xlsx_header_bold_frozen_and_sheet_names_cut_to_31():
    name = "a_table_name_longer_than_thirty_one_characters"
    content = _xlsx_of([Column("id"), Column("note")], [["1", "x"]], name=name)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [name[:31]]
    sheet = book[name[:31]]
    assert sheet.freeze_panes == "A2"
    assert [(c.value, c.font.bold) for c in sheet[1]] == [("id", True), ("note", True)]
    assert [c.font.bold for c in sheet[2]] == [False, False]


# Excel decodes _xHHHH_ in cell text as U+HHHH; openpyxl's unescape does the same.
_ESCAPE_LIKE = ["a_x0041_b", "_x0041_x0042_", "_x005F_", "_X0041_ _x00412_ _x004_", "_x00e9_", "_xffff_",
                "tab\there", "line\nbreak", "cr\rlf\r\n", "nul\x00 bel\x07 esc\x1b us\x1f", "del\x7f c1\x85",
                "\ufffe\uffff", "😀 \U0010fffd"]


def test_xlsx_escape_look_alikes_and_control_characters_read_back_as_written():
    from openpyxl import load_workbook
    from openpyxl.utils.escape import unescape

    content = _xlsx_of([Column("id"), Column("text")], [[str(i), v] for i, v in enumerate(_ESCAPE_LIKE)])
    sheet = load_workbook(io.BytesIO(content))["t"]
    stored = [c.value for (c,) in sheet.iter_rows(min_row=2, min_col=2)]
    assert [unescape(v) for v in stored] == _ESCAPE_LIKE  # what Excel shows
    assert stored[:3] == ["a_x005F_x0041_b", "_x005F_x0041_x005F_x0042_", "_x005F_x005F_"]
    assert stored[9] == "nul_x0000_ bel_x0007_ esc_x001B_ us_x001F_"
    xml = _sheet_xml(content)
    assert "a_x005F_x0041_b" in xml and "_x005F_x0041_x005F_x0042_" in xml
    assert "cr_x000D_lf_x000D_\n" in xml  # a raw CR would become LF in any XML reader
    assert not re.search("[\x00-\x08\x0b-\x1f]", xml)


def test_xlsx_keeps_text_longer_than_an_excel_cell_whole():
    """Excel holds 32,767 characters per cell; XlsxWriter would cut the text. The CSV and the
    SQLite keep it whole, and so does the xlsx (Excel offers to repair such a file)."""
    long = "长" * 40_000
    content = _xlsx_of([Column("id"), Column("text")], [["1", long]])
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(content))["t"]["B2"].value == long


def test_xlsx_is_deterministic_and_dated_as_told():
    columns = [Column("id"), Column("n", type="number")]
    rows = [[f"id-{i}", str(i / 7)] for i in range(2000)]
    first = _xlsx_of(columns, rows, (2026, 11, 22, 11, 43, 44))
    assert _xlsx_of(columns, rows, (2026, 11, 22, 11, 43, 44)) == first
    other = _xlsx_of(columns, rows, (1999, 2, 3, 4, 5, 6))
    assert len(other) == len(first) and other != first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 22, 11, 43, 44)}
        assert {i.external_attr for i in archive.infolist()} == {0o644 << 16}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z</dcterms:created>" in core
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core
    with zipfile.ZipFile(io.BytesIO(other)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1999, 2, 3, 4, 5, 6)}


def test_restamp_changes_only_dates_and_modes():
    """_restamp patches the zip in place: the same bytes as rewriting every entry with zipfile
    (which compresses at the same default level as the zip patched)."""
    from generator.formats import _restamp

    source = io.BytesIO()
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [("a.xml", b"<a/>" * 1000), ("dir/b.xml", "一二三".encode() * 99), ("c", b"")]:
            archive.writestr(zipfile.ZipInfo(name, (2011, 5, 6, 7, 8, 10)), text, zipfile.ZIP_DEFLATED)
    when = (2026, 11, 22, 11, 43, 44)
    want = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(want, "w") as new:
        for info in old.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(entry, old.read(info))
    patched = bytearray(source.getvalue())
    _restamp(patched, when)
    assert patched == want.getvalue()
    with pytest.raises(ValueError, match="not a zip"):
        _restamp(bytearray(source.getvalue() + b"comment"), when)
