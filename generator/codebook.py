"""The codebook: the package's README.md and the site's data page, generated from the schemas."""

from __future__ import annotations

from .schema import VOCABULARIES, vocabulary
from .tables import TABLES, documentation

LOADING = """\
## 如何载入 How to load it

Python (pandas):

```python
import pandas as pd
metrics = pd.read_csv("metrics.csv")
cases = pd.read_csv("cases.csv")
table = metrics.merge(cases, left_on="case_id", right_on="id")
print(table[["title", "indicator", "value", "unit", "qualifier", "quote"]])
```

R:

```r
metrics <- read.csv("metrics.csv", encoding = "UTF-8")
cases <- read.csv("cases.csv", encoding = "UTF-8")
head(merge(metrics, cases, by.x = "case_id", by.y = "id"))
```

DuckDB:

```sql
SELECT c.title, m.indicator, m.value, m.unit, m.qualifier, m.quote
FROM 'metrics.csv' m JOIN 'cases.csv' c ON c.id = m.case_id
ORDER BY c.id, m.position;
```

With the Frictionless framework: `frictionless validate datapackage.json`.
"""

CITE = """\
## 如何引用 How to cite

驻村帮扶案例库（Village Assistance Casebook）数据包，版本 {version}，CC-BY-4.0。
引用具体数字时，请同时引用 `sources` 表中该数字的原始来源。
When you cite a figure, also cite its original source from the `sources` table.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codebook_markdown(version: str | None = None) -> str:
    """Markdown codebook: tables, fields, vocabularies, loading snippets and citation."""
    from . import __version__

    out = [
        "# 驻村帮扶案例库数据包 Village Assistance Casebook data package",
        "",
        "每个表一个 CSV 文件（UTF-8），表结构见 `datapackage.json`。"
        "One UTF-8 CSV per table; `datapackage.json` holds the Table Schemas, keys and constraints.",
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
        out += ["| field | type | title | description |", "|---|---|---|---|"]
        for column in table.columns:
            title, desc = documentation(column)
            if column.vocabulary:
                desc += f" (vocabulary: `{column.vocabulary}`)"
            out.append(f"| `{column.name}` | {column.type} | {_cell(title)} | {_cell(desc)} |")
        out.append("")
    out += ["## 词表 Vocabularies", ""]
    for name in VOCABULARIES:
        out += [f"### `{name}`", "", "| value | 中文 | English |", "|---|---|---|"]
        out += [f"| `{k}` | {_cell(v['zh'])} | {_cell(v['en'])} |" for k, v in vocabulary(name).items()]
        out.append("")
    out += [LOADING, CITE.format(version=version or __version__)]
    return "\n".join(out)
