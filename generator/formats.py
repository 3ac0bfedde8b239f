"""The data package's other formats: SQLite (Datasette) and Excel (xlsx), from the CSV bytes.

Both are built from the very CSV bytes the package ships (`typed_rows` reads them back with
each column's Table Schema type), and both follow `tables.TABLES` column by column, so a
column added there reaches every format with no change here. Both are deterministic: the
same CSVs give the same bytes. Nothing here writes files or exits; `export.py` does.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import zipfile
from datetime import datetime

from .tables import TABLES, Table

SQLITE_NAME = "casebook.sqlite"
XLSX_NAME = "casebook.xlsx"

# Table Schema type → SQLite column type (affinity).
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "BOOLEAN"}  # 0/1


def table_order(tables: list[Table] | None = None) -> list[Table]:
    """The tables with every referenced table before the tables that reference it.

    A stable topological sort of the foreign keys (ties keep the `tables` order), so a
    key-enforcing load (SQLite with foreign keys on, DuckDB with constraints) can insert
    them in this order. A table's reference to itself is allowed. Raises ValueError on a
    cycle between tables or a reference to a table that does not exist. Default: TABLES.
    """
    tables = TABLES if tables is None else tables
    by_name = {t.name: t for t in tables}
    needs = {t.name: {r for _, r, _ in t.foreign_keys if r != t.name} for t in tables}
    for name, refs in needs.items():
        missing = refs - by_name.keys()
        if missing:
            raise ValueError(f"table {name} references unknown table(s): {', '.join(sorted(missing))}")
    done: list[str] = []
    while len(done) < len(tables):
        ready = [t.name for t in tables if t.name not in done and needs[t.name] <= set(done)]
        if not ready:
            left = [t.name for t in tables if t.name not in done]
            raise ValueError(f"foreign keys form a cycle among: {', '.join(left)}")
        done.append(ready[0])
    return [by_name[name] for name in done]


def typed_rows(table: Table, data: bytes) -> list[tuple]:
    """A table's CSV bytes as tuples in column order, typed by the Table Schema.

    Empty cell → None; integer → int; number → int when whole, else float; boolean
    ("true"/"false") → bool; string → str. Raises ValueError if the header is not the
    table's columns.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader)
    if header != [c.name for c in table.columns]:
        raise ValueError(f"{table.name}.csv header {header} is not the table's columns")
    kinds = [c.type for c in table.columns]
    return [tuple(_typed(kind, text) for kind, text in zip(kinds, row, strict=True)) for row in reader]


def _typed(kind: str, text: str):
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        number = float(text)
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    if kind == "boolean":
        return text == "true"
    return text


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _names(columns) -> str:
    return ", ".join(_quote(c) for c in columns)


def create_statements(table: Table) -> list[str]:
    """CREATE TABLE (columns typed from the Table Schema, NOT NULL for required columns,
    UNIQUE for unique ones, PRIMARY KEY, FOREIGN KEY … REFERENCES for the table's foreign keys
    and its SQLite-only keys) and one CREATE INDEX per foreign key.

    Composite keys such as (case_id, source_id) → sources (case_id, id) keep a reference inside
    its case; SQLite skips a composite key with an empty part (an optional model or source)."""
    lines = [
        f"{_quote(c.name)} {_SQL_TYPES[c.type]}{' NOT NULL' if c.required else ''}"
        f"{' UNIQUE' if c.unique else ''}"
        for c in table.columns
    ]
    lines.append(f"PRIMARY KEY ({_names(table.primary_key)})")
    keys = [*table.foreign_keys, *table.sqlite_only_keys]
    lines += [
        f"FOREIGN KEY ({_names(fields)}) REFERENCES {_quote(ref)} ({_names(ref_fields)})"
        for fields, ref, ref_fields in keys
    ]
    out = [f"CREATE TABLE {_quote(table.name)} (\n  " + ",\n  ".join(lines) + "\n)"]
    seen = set()
    for fields, _, _ in keys:
        if tuple(fields) in seen or fields == table.primary_key[: len(fields)]:
            continue  # the primary key's index already serves a key that starts it
        seen.add(tuple(fields))
        index = f"{table.name}__{'__'.join(fields)}"
        out.append(f"CREATE INDEX {_quote(index)} ON {_quote(table.name)} ({_names(fields)})")
    return out


def sqlite_bytes(csvs: dict[str, bytes], tables: list[Table] | None = None) -> bytes:
    """The SQLite database of the package: one table per CSV (`csvs`: table name → bytes;
    `tables`: default TABLES).

    Tables are created and filled in `table_order`, with foreign keys enforced while
    inserting; raises sqlite3.IntegrityError if a row breaks a key, and ValueError if
    `PRAGMA foreign_key_check` finds a dangling reference. Built in memory and serialized,
    so the bytes depend only on the rows (and the SQLite library's file format).
    """
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA foreign_keys = ON")
        for table in table_order(tables):
            for statement in create_statements(table):
                db.execute(statement)
            marks = ", ".join("?" for _ in table.columns)
            db.executemany(
                f"INSERT INTO {_quote(table.name)} VALUES ({marks})", typed_rows(table, csvs[table.name])
            )
        db.commit()
        dangling = db.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise ValueError(f"foreign_key_check: {dangling[:5]}")
        db.execute("VACUUM")
        return db.serialize()
    finally:
        db.close()


# Fixed document times in the xlsx (docProps/core.xml), so the bytes never depend on the clock.
_XLSX_TIME = datetime(2000, 1, 1)
TEXT_FORMAT = "@"  # Excel's "Text" number format: codes like 610925 and years like 2023 stay text


def xlsx_bytes(
    csvs: dict[str, bytes],
    date_time: tuple[int, ...] = (1980, 1, 1, 0, 0, 0),
    tables: list[Table] | None = None,
) -> bytes:
    """The Excel workbook of the package: one sheet per table (default TABLES), in `table_order`.

    Row 1 holds the column names in bold and stays frozen; string columns are written as
    text cells (type "s"), so 610925, 2023 or a value starting with "=" stay text and never
    become numbers or formulas; text that looks like a number or date also gets the Text
    format "@" (kept text when edited in Excel), other text no per-cell style (a styled cell
    costs openpyxl time per cell); integer and number columns are numbers. `date_time` is
    stamped on every zip entry of the file (openpyxl would use the clock), each compressed once.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    # Write-only mode streams rows (memory and time grow with the rows, not their square).
    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = _XLSX_TIME
    book.properties.creator = "casebook export"
    bold = Font(bold=True)
    for table in table_order(tables):
        sheet = book.create_sheet(table.name[:31])  # Excel's limit on sheet names
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column.name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        text = [c.type == "string" for c in table.columns]
        for row in typed_rows(table, csvs[table.name]):
            # Plain text is written as is (openpyxl stores a str as a string cell); only text
            # that openpyxl or Excel would read as something else gets its own styled cell.
            sheet.append([_text_cell(sheet, value) if is_text and value is not None
                          and _needs_text_cell(value) else value
                          for value, is_text in zip(row, text, strict=True)])
    # Workbook.save() would stamp the current time as `modified`; ExcelWriter keeps ours.
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    # Stored, not compressed: _restamp compresses each entry once, with its fixed date.
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED)).save()  # closes the zip
    return _restamp(buffer.getvalue(), date_time)


# Text Excel would turn into a number or date when the cell is edited (610925, 2023, 2023-05,
# 1.5e3, 12:30): kept under the Text format "@". Plain prose needs no format of its own.
_NUMBER_LIKE = re.compile(r"[0-9０-９.,:/+\-eE% ]+")


def _needs_text_cell(value: str) -> bool:
    """Whether a text value needs a cell of its own: it starts with "=" (openpyxl would write
    a formula), is one of Excel's error codes (#N/A …, written as an error), or looks like a
    number or date (format "@" keeps it text when edited)."""
    from openpyxl.cell.cell import ERROR_CODES

    return (value.startswith("=") or value in ERROR_CODES or bool(_NUMBER_LIKE.fullmatch(value))
            or "_x" in value)  # an OOXML escape look-alike: _text_cell escapes it


_OOXML_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def _text_cell(sheet, value: str):
    """A text cell: type "s" whatever the text starts with (never a formula), format "@".

    Excel decodes `_xHHHH_` in cell text as the character U+HHHH (ECMA-376 part 1, ST_Xstring),
    so `a_x0041_b` would show as `aAb`; openpyxl writes it as is. The `_` that starts such a
    sequence is written as `_x005F_` (the escaped underscore), so Excel shows the text as written.
    """
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_OOXML_ESCAPE_LIKE.sub("_x005F_", value))
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    return cell


def _restamp(data: bytes, date_time: tuple[int, ...]) -> bytes:
    """The same zip with every entry dated `date_time`, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info), compresslevel=9)
    return out.getvalue()
