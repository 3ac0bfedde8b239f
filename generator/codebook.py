"""The codebook: the package's README.md and the site's data page, generated from the schemas."""

from __future__ import annotations

from .schema import VOCABULARIES, vocabulary
from .tables import TABLES, documentation

LOADING = """\
## 如何载入 How to load it

代码、日期与年月（`division_code`、`period_start`、`period_end`、`as_of`、`published`）请按文本读入，
否则 `2023` 会变成数字。Read codes, dates and year-months as text, or `2023` becomes a number.

Python (pandas):

```python
import pandas as pd

text = {"division_code": str, "period_start": str, "period_end": str, "as_of": str, "published": str}
cases = pd.read_csv("cases.csv", dtype=text)
metrics = pd.read_csv("metrics.csv", dtype=text)
table = metrics.merge(cases, left_on="case_id", right_on="id")
print(table[["title", "indicator", "value", "unit", "qualifier", "quote"]])
```

R:

```r
text <- c(division_code = "character", period_start = "character", period_end = "character")
cases <- read.csv("cases.csv", fileEncoding = "UTF-8", na.strings = "", colClasses = text)
metrics <- read.csv("metrics.csv", fileEncoding = "UTF-8", na.strings = "")
head(merge(metrics, cases, by.x = "case_id", by.y = "id"))
# or, typed from datapackage.json: library(frictionless)
# metrics <- read_resource(read_package("datapackage.json"), "metrics")
```

DuckDB:

```sql
SELECT c.title, m.indicator, m.value, m.unit, m.qualifier, m.quote
FROM 'metrics.csv' m
JOIN read_csv('cases.csv', types = {'division_code': 'VARCHAR', 'period_start': 'VARCHAR',
                                    'period_end': 'VARCHAR'}) c ON c.id = m.case_id
ORDER BY c.id, m.position;
```

Frictionless (Python), which reads the types from `datapackage.json` and checks keys:

```python
from frictionless import Package
metrics = Package("datapackage.json").get_resource("metrics").read_rows()
```

```sh
frictionless validate datapackage.json
```
"""

CITE = """\
## 如何引用 How to cite

驻村帮扶案例库（Village Assistance Casebook）数据包，版本 {version}，CC-BY-4.0。
引用具体数字时，请同时引用 `sources` 表中该数字的原始来源。
When you cite a figure, also cite its original source from the `sources` table.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _constraints(column) -> str:
    """Required, vocabulary and pattern of a column, as codebook text."""
    notes = ["required"] if column.required else []
    if column.vocabulary:
        notes.append(f"vocabulary `{column.vocabulary}`")
    if column.pattern:
        notes.append(f"pattern `{column.pattern}`")
    return _cell(", ".join(notes))


def codebook_markdown(version: str | None = None) -> str:
    """Markdown codebook: tables, fields, vocabularies, loading snippets and citation."""
    from . import __version__

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
    for table in TABLES:
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
    out += [LOADING, CITE.format(version=version or __version__)]
    return "\n".join(out)
