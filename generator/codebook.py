"""The codebook: the package's README.md and the site's data page, generated from the schemas."""

from __future__ import annotations

from .formats import table_order
from .release import data_version
from .schema import VOCABULARIES, vocabulary
from .tables import documentation

LOADING = """\
## 如何载入 How to load it

- **Excel**：请打开 `casebook.xlsx`（每个表一个工作表）。CSV 是不带 BOM 的 UTF-8，在中文版 Windows 上双击
  会显示乱码。Excel users: open `casebook.xlsx`, one sheet per table. The CSVs are UTF-8
  without a byte-order mark, which Excel on Chinese Windows shows as mojibake when double-clicked.
- **SQLite / Datasette**：`casebook.sqlite` 含全部表、主键、外键和索引。`casebook.sqlite` holds every
  table with its primary and foreign keys: `datasette casebook.sqlite`, or any SQLite client.
- CSV 表的排列顺序保证被引用的表在前（外键的拓扑顺序），可按 `datapackage.json` 的顺序逐表载入并检查键。
  Tables are listed in `datapackage.json` so that referenced tables come first: load them in
  that order with keys enforced.

代码、日期与年月请按文本读入，否则 `2023` 会变成数字、`610925` 会失去文本身份；只有空单元格表示缺失。
Read codes, dates and year-months as text, or `2023` becomes a number; only empty cells are missing.

Python (pandas):

```python
import pandas as pd

text = {"division_code": str, "village_code": str, "period_start": str, "period_end": str,
        "as_of": str, "published": str, "symbol": str}
cases = pd.read_csv("cases.csv", dtype=text, keep_default_na=False, na_values=[""])
metrics = pd.read_csv("metrics.csv", dtype=text, keep_default_na=False, na_values=[""])
table = metrics.merge(cases, left_on="case_id", right_on="id")
```

Python (polars): `infer_schema_length=None` guesses each column's type from every row (polars
looks at the first 100 by default, and a decimal such as 29.62 can come later):

```python
import polars as pl

text = {name: pl.String for name in ["division_code", "village_code", "period_start",
                                     "period_end", "as_of", "published", "symbol"]}
cases = pl.read_csv("cases.csv", schema_overrides=text, infer_schema_length=None)
metrics = pl.read_csv("metrics.csv", schema_overrides=text, infer_schema_length=None)
table = metrics.join(cases, left_on="case_id", right_on="id")
```

R: `encoding = "UTF-8"` reads the files as UTF-8 in any locale (`fileEncoding = "UTF-8"`
converts to the locale's character set and, in a non-UTF-8 locale, stops at the first Chinese
character):

```r
text <- c(division_code = "character", village_code = "character",
          period_start = "character", period_end = "character")
cases <- read.csv("cases.csv", encoding = "UTF-8", na.strings = "", colClasses = text)
metrics <- read.csv("metrics.csv", encoding = "UTF-8", na.strings = "",
                    colClasses = c(as_of = "character", quote_verified = "logical"))
table <- merge(metrics, cases, by.x = "case_id", by.y = "id")
```

DuckDB:

```sql
SELECT c.title, m.indicator, m.value, m.unit, m.qualifier, m.quote
FROM read_csv('metrics.csv', types = {'as_of': 'VARCHAR'}) m
JOIN read_csv('cases.csv', types = {'division_code': 'VARCHAR', 'village_code': 'VARCHAR',
                                    'period_start': 'VARCHAR', 'period_end': 'VARCHAR'}) c
  ON c.id = m.case_id
ORDER BY c.id, m.position;
```

Frictionless (Python), which reads the types from `datapackage.json` and checks keys; it
opens the zip as it is:

```python
from frictionless import Package
metrics = Package("datapackage.json").get_resource("metrics").read_rows()
```

```sh
frictionless validate datapackage.json
```
"""

EXCEL = """\
## 为什么是 xlsx Why an xlsx file for Excel

Excel 打开 CSV 时按系统编码读取（中文版 Windows 为 GBK），并自行猜测类型：区划代码 `610925` 变成数字，
12 位村级代码显示为 `6.10925E+11`，`2023-05` 变成日期。加 BOM 的 CSV 副本只解决编码，不解决类型，而且让每个表
多出一份文件。`casebook.xlsx` 由 XlsxWriter 写成，每个表一个工作表，首行为加粗并冻结的字段名，文本字段存为
文本单元格（代码、年份保持原样，以 `=` 开头的文字也不会成为公式），数字字段存为数字；内容与 CSV 逐格相同。
Excel reads a CSV in the system code page (GBK on Chinese Windows) and guesses types: the
division code `610925` becomes a number, a 12-digit village code shows as `6.10925E+11`,
`2023-05` becomes a date. UTF-8-with-BOM copies of the CSVs would fix the encoding only, not
the types, and double the files. `casebook.xlsx`, written with XlsxWriter, has one sheet per
table, the field names in a bold frozen first row, text fields as text cells (codes and years
stay as written; text starting with `=` never becomes a formula) and numbers as numbers; every
cell equals the CSV's.
"""

CITE = """\
## 如何引用 How to cite

驻村帮扶案例库（Village Assistance Casebook）数据包，数据版本 {version}，CC-BY-4.0。
引用方式见数据包中的 `CITATION.cff`，各版本的变化见数据包中的 `CHANGELOG.md`。
引用具体数字时，请同时引用 `sources` 表中该数字的原始来源。
Village Assistance Casebook contributors, *驻村帮扶案例库 Village Assistance Casebook: data
package*, data version {version}, CC-BY-4.0 (see `CITATION.cff`; what changed in each release:
`CHANGELOG.md`, both in this package). When you cite a figure, also cite its original source
from the `sources` table. A package exported locally has no `homepage` or `created` in
`datapackage.json`; a release sets them.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _constraints(column) -> str:
    """Required, vocabulary and pattern of a column, as codebook text."""
    notes = ["required"] if column.required else []
    if column.vocabulary:
        notes.append(f"vocabulary `{column.vocabulary}`")
    if column.pattern:
        # datapackage.json carries the pattern only on required fields (frictionless's SQL
        # adapter would apply it to empty cells); `casebook validate` checks it everywhere.
        where = "" if column.required else " (checked by `casebook validate`, not in datapackage.json)"
        notes.append(f"pattern `{column.pattern}`{where}")
    return _cell(", ".join(notes))


def codebook_markdown(version: str | None = None) -> str:
    """Markdown codebook: tables, fields, vocabularies, loading snippets and citation."""
    out = [
        "# 驻村帮扶案例库数据包 Village Assistance Casebook data package",
        "",
        "每个表一个 CSV 文件（UTF-8，RFC 4180），表结构、主键与外键见 `datapackage.json`。"
        "每个数字都附有报道它的原文句子（`quote`）及其来源（`source_id`）。"
        " One UTF-8 CSV per table; `datapackage.json` holds the Table Schemas, primary and foreign "
        "keys. Every figure carries the verbatim sentence that reports it (`quote`) and its source "
        "(`source_id`).",
        "",
        "空单元格表示案例中没有该字段。顺序重要时，`position` 列从 0 开始给出原顺序。"
        "日期和年月按原样存为文本 `YYYY`、`YYYY-MM`（或 `YYYY-MM-DD`），由正则约束检查："
        "原文常只给出年份，Frictionless 的 `yearmonth`/`date` 类型不能容纳单独的年份。"
        " An empty cell means the case does not have the field. Where order matters, `position` "
        "gives it (0-based). Dates and year-months are kept as written, as text `YYYY`, `YYYY-MM` "
        "(or `YYYY-MM-DD`) checked by a pattern: sources often print only a year, which the "
        "Frictionless `yearmonth` and `date` types cannot hold.",
        "",
        "## 表 Tables",
        "",
    ]
    for table in table_order():  # referenced tables first, as in datapackage.json
        out += [
            f"### `{table.name}.csv` — {table.title}",
            "",
            table.description,
            "",
            f"Primary key: `{', '.join(table.primary_key)}`",
            "",
        ]
        if table.foreign_keys:
            links = [
                f"`{', '.join(fields)}` → `{resource}.{', '.join(ref)}`"
                for fields, resource, ref in table.foreign_keys
            ]
            out += [f"Foreign keys: {'; '.join(links)}", ""]
        out += ["| field | type | constraints | title | description |", "|---|---|---|---|---|"]
        for column in table.columns:
            title, desc = documentation(column)
            cells = [f"`{column.name}`", column.type, _constraints(column), _cell(title), _cell(desc)]
            out.append(f"| {' | '.join(cells)} |")
        out.append("")
    out += ["## 词表 Vocabularies", ""]
    for name in VOCABULARIES:
        out += [f"### `{name}`", "", "| value | 中文 | English |", "|---|---|---|"]
        out += [f"| `{k}` | {_cell(v['zh'])} | {_cell(v['en'])} |" for k, v in vocabulary(name).items()]
        out.append("")
    out += [LOADING, EXCEL, CITE.format(version=version or data_version())]
    return "\n".join(out)
