"""Stage 3a: export the loaded cases as a Frictionless Data Package (CSV + datapackage.json).

`tables(cases)` flattens cases into tidy tables; `package_files(cases)` returns every file of
the package as bytes (deterministic); `export_package(cases, out)` writes them atomically.
Field titles and descriptions come from the case JSON Schema, never written twice.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from .codebook import codebook_markdown
from .formats import SQLITE_NAME, XLSX_NAME, sqlite_bytes, table_order, xlsx_bytes
from .release import citation_cff, data_version, homepage, zip_name
from .schema import vocabulary
from .tables import TABLES, Column, documentation, rows_of

ZIP_NAME = zip_name()  # village-casebook-data-<data version>.zip
# Data Package v2 profiles (https://datapackage.org/standard/)
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
# Zip entries need a timestamp. Without SOURCE_DATE_EPOCH we store 1980-01-01, the earliest
# date zip can hold, so the bytes never depend on the clock.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _field(column: Column) -> dict:
    """A Table Schema field for a column, documented from the case schema."""
    title, description = documentation(column)
    out = {"name": column.name, "type": column.type, "title": title, "description": description}
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.vocabulary:
        labels = vocabulary(column.vocabulary)
        constraints["enum"] = list(labels)
        out["categories"] = [{"value": k, "label": f"{v['zh']} {v['en']}"} for k, v in labels.items()]
    # A pattern only on required fields: frictionless's SQL adapter (Package.publish,
    # `frictionless index`) applies it to empty cells too and drops the table. Optional
    # patterned fields (dates, year-months) are checked by the case JSON Schema instead,
    # and the codebook still states their pattern.
    if column.pattern and column.required:
        constraints["pattern"] = column.pattern
    if constraints:
        out["constraints"] = constraints
    return out


def _csv(columns: list[Column], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_cell(row.get(c.name)) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def descriptor(cases, created: str | None = None) -> dict:
    """The datapackage.json descriptor for these cases."""
    resources = []
    for table in table_order():  # referenced tables first
        schema = {
            "$schema": TABLE_SCHEMA_PROFILE,
            "fields": [_field(c) for c in table.columns],
            "primaryKey": table.primary_key,
            "missingValues": [""],
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": fields, "reference": {"resource": resource, "fields": ref}}
                for fields, resource, ref in table.foreign_keys
            ]
        resources.append(
            {
                "$schema": RESOURCE_PROFILE,
                "name": table.name,
                "type": "table",
                "path": f"{table.name}.csv",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    sources = []
    for case in cases:
        derived = getattr(case, "derived", None)
        for source in derived["sources"] if derived is not None else case.data["sources"]:
            entry = {"title": source.get("title") or source["title_note"]}  # title_note: none seen
            if "url" in source:
                entry["path"] = source["url"]
            sources.append(entry)
    package = {
        "$schema": PACKAGE_PROFILE,
        "name": "village-casebook",
        "title": "驻村帮扶案例库 Village Assistance Casebook",
        "description": (
            "中国驻村第一书记与驻村工作队帮扶案例：可复制模式、做法、指标（每个数字附原文引语）、人物与来源。"
            " Cases of village assistance by first secretaries and village work teams in China: "
            "reusable models, practices, metrics (each figure with its verbatim source sentence), "
            "people and sources. See README.md for the codebook."
        ),
        "version": data_version(),  # the data release, not the software version
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "contributors": [{"title": "Village Assistance Casebook contributors", "roles": ["creator"]}],
        "sources": sources,
        "keywords": ["驻村第一书记", "驻村工作队", "乡村振兴", "first secretary", "village assistance"],
        "resources": resources,
    }
    if homepage():
        package["homepage"] = homepage()
    if created:
        package["created"] = created
    return package


def created_from_env() -> str | None:
    """ISO creation time from SOURCE_DATE_EPOCH (reproducible builds), or None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _One:
    def __init__(self, data: dict):
        self.data = data


def case_rows(data: dict) -> dict:
    """One case's share of the package: its CSV lines per table (no header) and sources.

    Pass it as `validate_paths(..., keep_data=False, derive=case_rows)`: each case is then
    flattened in the worker that validated it, and only these bytes come back.
    """
    rows = rows_of([_One(data)])
    csv = {t.name: _csv(t.columns, rows[t.name]).split(b"\r\n", 1)[1]  # drop the header line
           for t in TABLES if t.name not in _shared_tables()}
    return {"csv": csv, "sources": data["sources"]}


@cache
def _shared_tables() -> frozenset[str]:
    # Tables filled from the schema's vocabularies, not from cases (themes, vocabularies).
    return frozenset(name for name, rows in rows_of([]).items() if rows)


def _case_tables(cases) -> dict[str, bytes]:
    """Every table's CSV: from each case's `derived` share when all have one, else from data."""
    if not cases or any(getattr(c, "derived", None) is None for c in cases):
        data = rows_of(cases)
        return {t.name: _csv(t.columns, data[t.name]) for t in TABLES}
    shared = rows_of([])
    out = {}
    for t in TABLES:
        if t.name in _shared_tables():
            out[t.name] = _csv(t.columns, shared[t.name])
        else:
            out[t.name] = _csv(t.columns, []) + b"".join(c.derived["csv"][t.name] for c in cases)
    return out


def package_files(cases, created: str | None = None) -> dict[str, bytes]:
    """Every file of the data package, name → bytes, the zip included. Deterministic.

    `created` (ISO UTC, e.g. from `created_from_env()`) is the only time recorded: in
    datapackage.json and as the zip entries' date. Without it, no time is recorded.
    Cases carry `.data`, or a `.derived` share from `case_rows` (the same bytes result).
    """
    tables = _case_tables(cases)
    files: dict[str, bytes] = {}
    for table in TABLES:
        files[f"{table.name}.csv"] = tables[table.name]
    files["datapackage.json"] = (
        json.dumps(descriptor(cases, created), ensure_ascii=False, indent=2) + "\n"
    ).encode("utf-8")
    files["README.md"] = codebook_markdown().encode("utf-8")
    date_time = _zip_date(created)
    files[SQLITE_NAME] = sqlite_bytes(tables)
    files[XLSX_NAME] = xlsx_bytes(tables, date_time)
    citation = citation_cff()
    if citation is not None:
        files["CITATION.cff"] = citation
    # The zip holds everything (the SQLite and xlsx files are small: 5 cases ≈ 0.3 MB).
    files[ZIP_NAME] = _zip(files, date_time)
    return dict(sorted(files.items()))


def _zip_date(created: str | None) -> tuple[int, ...]:
    """The zip entries' timestamp: `created` (UTC) when given, else the zip epoch."""
    if not created:
        return _ZIP_EPOCH
    when = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").timetuple()[:6]
    return max(when, _ZIP_EPOCH)  # zip cannot store dates before 1980


def _zip(files: dict[str, bytes], date_time: tuple[int, ...]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=date_time)  # at the root, no folder prefix
            info.external_attr = 0o644 << 16  # same permissions on every machine
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def export_package(cases, out: Path, created: str | None = None) -> list[Path]:
    """Write the package into `out`, replacing it whole; a failure leaves `out` untouched."""
    out = Path(out)
    files = package_files(cases, created)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        if out.exists():
            # Two renames in one folder: `out` is never half-written, and if the second
            # rename fails the previous package is put back.
            old = staging.with_name(staging.name + "-old")
            out.rename(old)
            try:
                staging.rename(out)
            except BaseException:
                old.rename(out)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / name for name in files]
