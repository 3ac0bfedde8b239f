"""The data package's other formats: SQLite (Datasette) and Excel (xlsx), from the CSV bytes.

Both are built from the very CSV bytes the package ships (`typed_rows` reads them back with
each column's Table Schema type), and both follow `tables.TABLES` column by column, so a
column added there reaches every format with no change here. Both are deterministic: the
same CSVs give the same bytes. Nothing here writes files or exits; `export.py` does.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import re
import sqlite3
import struct
from datetime import datetime
from functools import cache

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
    return list(_iter_typed_rows(table, data))


def _iter_typed_rows(table: Table, data: bytes):
    """`typed_rows` one row at a time (the xlsx holds one row in memory, not the table's)."""
    # Decoded as read, not as a whole: a table's text is never all in memory twice more.
    # Validation bounds every text to 10,000 characters; the csv module's default field limit
    # (131,072) must never be what stops an export with a traceback (review).
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""))
    header = next(reader)
    if header != [c.name for c in table.columns]:
        raise ValueError(f"{table.name}.csv header {header} is not the table's columns")
    kinds = [c.type for c in table.columns]
    for row in reader:
        yield tuple(_typed(kind, text) for kind, text in zip(kinds, row, strict=True))


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
_XLSX_TIME = datetime(2000, 1, 1)  # written as 2000-01-01T00:00:00Z
TEXT_FORMAT = "@"  # Excel's "Text" number format: codes like 610925 and years like 2023 stay text


def xlsx_bytes(
    csvs: dict[str, bytes],
    date_time: tuple[int, ...] = (1980, 1, 1, 0, 0, 0),
    tables: list[Table] | None = None,
) -> bytes:
    """The Excel workbook of the package: one sheet per table (default TABLES), in `table_order`.

    Row 1 holds the column names in bold and stays frozen; sheet names are cut to Excel's 31
    characters. String columns are always written as text cells (inline strings), so 610925,
    2023, "=1+1", "#N/A" or "http://x" stay text and never become numbers, formulas, error
    codes or links; text that looks like a number, date, formula, boolean or error code also
    gets the Text format "@" (kept text when edited in Excel), other text no per-cell style; integer
    and number columns are numbers, boolean ones booleans; an empty cell is left out. `_xHHHH_`
    in text and C0 controls are escaped so Excel shows the text as written (`_excel_escape`).
    Written with XlsxWriter in constant_memory mode: each row goes to a temporary file as it is
    written, so memory stays flat in the number of rows. `date_time` is stamped on every zip
    entry (`_restamp`). Raises ValueError if a CSV header is not its table's columns, OSError
    when the temporary files cannot be written (disk full, `ulimit -f`).
    """
    import xlsxwriter

    buffer = io.BytesIO()
    # strings_to_*: off, though write_string never converts; write() would (belt and braces).
    book = xlsxwriter.Workbook(buffer, {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False,
    })
    try:
        _write_sheets(book, tables, csvs)
    except BaseException:
        with contextlib.suppress(Exception):  # removes the temporary files; the first error counts
            book.close()
        raise
    try:
        book.close()  # writes the zip into `buffer` and removes the temporary files
    except xlsxwriter.exceptions.FileCreateError as exc:
        # XlsxWriter wraps the OSError (disk full, `ulimit -f`); callers report OSErrors.
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        raise OSError(cause.errno if cause else errno.EIO, cause.strerror if cause else str(exc)) from None
    with buffer.getbuffer() as view:  # patched in place: one copy of the file, not three
        _restamp(view, date_time)
    return buffer.getvalue()


def _write_sheets(book, tables, csvs) -> None:
    """Every table of `tables` as a sheet of `book` (see xlsx_bytes)."""
    book.set_properties({"created": _XLSX_TIME, "author": "casebook export"})
    bold = book.add_format({"bold": True})
    as_text = book.add_format({"num_format": TEXT_FORMAT})
    for table in table_order(tables):
        sheet = book.add_worksheet(table.name[:31], _xlsx_sheet_class())  # Excel's limit on sheet names
        sheet.freeze_panes(1, 0)  # A2
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, column.name, bold)
        # The inner loop runs once per cell (2.9 million at 2,000 cases): bound methods, one
        # regex call per text to pick its format.
        write_string, write_number = sheet.write_string, sheet.write_number
        write_boolean = sheet.write_boolean
        needs_format = _TEXT_LIKE.match
        kinds = [column.type for column in table.columns]
        for row, values in enumerate(_iter_typed_rows(table, csvs[table.name]), start=1):
            for col, value in enumerate(values):
                if value is None:
                    continue  # an empty cell is left out
                kind = kinds[col]
                if kind == "string":
                    # write_string, not write(): text is never read as a number, formula or URL.
                    write_string(row, col, value, as_text if needs_format(value) else None)
                elif kind == "boolean":
                    write_boolean(row, col, value)
                else:
                    write_number(row, col, value)


# Text that gets the Text format "@", so it stays text when the cell is edited in Excel: it
# starts like a formula ("=", "+", "-", "@"), is one of Excel's error codes (#N/A …) or
# booleans (TRUE), or looks like a number or date (610925, 2023, 2023-05, 1.5e3, 12:30).
# Plain prose needs no format of its own.
_TEXT_LIKE = re.compile(
    r"[=+\-@]|(?:#NULL!|#DIV/0!|#VALUE!|#REF!|#NAME\?|#NUM!|#N/A|(?i:true|false)|[0-9０-９.,:/+\-eE% ]+)\Z"
)


_OOXML_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def _excel_escape(text: str) -> str:
    """Text as an OOXML string (ECMA-376 part 1, ST_Xstring): Excel decodes `_xHHHH_` as the
    character U+HHHH, so `a_x0041_b` would show as `aAb`. The `_` that starts such a sequence
    is written `_x005F_` (the escaped underscore), overlapping ones included (`_x0041_x0042_`),
    and the characters XML cannot hold (C0 controls but tab and LF; U+FFFE, U+FFFF) as
    `_xHHHH_`. Excel, and openpyxl.utils.escape.unescape, give back `text`. A value that is no
    str (XlsxWriter passes numbers through the same hook) is returned as is."""
    if not isinstance(text, str):
        return text
    if "_x" in text:
        text = _OOXML_ESCAPE_LIKE.sub("_x005F_", text)
    # isprintable() (one C loop) is false for every control character: most text skips the regex.
    return text if text.isprintable() else _XML_UNSAFE.sub(_escaped_char, text)


def _escaped_char(match: re.Match) -> str:
    return f"_x{ord(match[0]):04X}_"


@cache
def _xlsx_sheet_class():
    """XlsxWriter's Worksheet class with our escape (a class made once, on first use: xlsxwriter
    is imported only when a workbook is written)."""
    from xlsxwriter.worksheet import Worksheet

    class XlsxSheet(Worksheet):
        """XlsxWriter's worksheet with two private hooks changed (tests/test_formats.py checks both):

        - its escape of `_xHHHH_` misses overlapping look-alikes: `_x0041_x0042_` became
          `_x005F_x0041_x0042_`, which Excel shows as `_x0041B`; `_excel_escape` does not.
        - it cuts text at Excel's 32,767 characters per cell; the text is kept whole, as
          in the CSV (Excel then offers to repair the file; other readers take it as is).
        """

        _escape_control_characters = staticmethod(_excel_escape)

        def __init__(self) -> None:
            super().__init__()
            self.xls_strmax = 2**31  # never cut

    return XlsxSheet


def _restamp(data: bytearray | memoryview, date_time: tuple[int, ...]) -> None:
    """Date every entry of the zip in `data` (writable, patched in place) `date_time` (year ≥
    1980) and give it the mode 0644; the entries, their order and compressed bytes stay as they
    are (XlsxWriter dates its entries 1980-01-31 and gives them its temporary files' mode 0600).

    The date and attribute fields of each local header and central directory record are
    overwritten (PKWARE APPNOTE 4.3.7, 4.3.12): nothing is decompressed or compressed again
    (recompressing at level 9 cost 9 s at 2,000 cases). Raises ValueError on a zip with a
    comment, Zip64 records or a broken central directory (XlsxWriter writes none of these).
    """
    year, month, day, hour, minute, second = date_time[:6]
    stamp = struct.pack("<HH", hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day)
    end = len(data) - 22  # the end-of-central-directory record, no comment after it
    if end < 0 or bytes(data[end:end + 4]) != b"PK\x05\x06":
        raise ValueError("not a zip without a comment")
    count, size, start = struct.unpack_from("<HLL", data, end + 10)
    if count == 0xFFFF or start == 0xFFFFFFFF or start + size != end:
        raise ValueError("a Zip64 or broken zip")
    at = start
    for _ in range(count):
        if bytes(data[at:at + 4]) != b"PK\x01\x02":
            raise ValueError(f"no central directory record at byte {at}")
        name, extra, comment = struct.unpack_from("<3H", data, at + 28)
        (local,) = struct.unpack_from("<L", data, at + 42)
        if bytes(data[local:local + 4]) != b"PK\x03\x04":
            raise ValueError(f"no local header at byte {local}")
        data[at + 12:at + 16] = data[local + 10:local + 14] = stamp
        struct.pack_into("<L", data, at + 38, 0o644 << 16)  # external attributes: a file, rw-r--r--
        at += 46 + name + extra + comment
