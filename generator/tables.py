"""The tidy tables of the data package: their columns, keys, and the cases ↔ rows mapping.

Each column names the case-schema field it comes from (`schema_path`), so the package's
field titles and descriptions are taken from the JSON Schema. `rows_of` flattens cases;
tests/test_export.py rebuilds them from the CSVs on its own (an independent inverse) to
prove nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import provenance
from .schema import VOCABULARIES, field_schema, load_schema, vocabulary

PERIOD = r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$"
DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


@dataclass(frozen=True)
class Column:
    """One CSV column and where its meaning is documented."""

    name: str
    schema_path: tuple = ()
    type: str = "string"
    required: bool = False
    vocabulary: str | None = None
    pattern: str | None = None
    title: str | None = None
    description: str | None = None
    unique: bool = False  # every value unique in the table (a key other tables reference)


def _pos(what: str) -> Column:
    return Column(
        "position",
        type="integer",
        required=True,
        title="顺序 Position",
        description=f"在所属 {what} 列表中的顺序（从 0 开始）。Order within its {what} list (0-based).",
    )


def documentation(column: Column) -> tuple[str, str]:
    """(title, description) of a column: its own, or the case-schema field it comes from."""
    path = column.schema_path
    node = field_schema(path) if path else {}
    # List items such as lessons[0] have no title of their own: use the list's.
    while path and isinstance(path[-1], int) and not (node or {}).get("title"):
        path = path[:-1]
        node = field_schema(path)
    node = node or {}
    return (column.title or node.get("title", column.name), column.description or node.get("description", ""))


CASE_ID = Column("case_id", ("id",), required=True)
LABEL_ZH = Column(
    "label_zh", required=True, title="中文标签 Chinese label", description="中文标签。Chinese label."
)
LABEL_EN = Column(
    "label_en", required=True, title="英文标签 English label", description="英文标签。English label."
)
MODEL_ID = Column("model_id", ("models", 0, "id"), required=True)
CASE_ID_OF_MODEL = Column(
    "case_id",
    ("id",),
    required=True,
    title="案例编号 Case id",
    description="模式所属案例的 id（与 models.case_id 相同）：引用的来源必须属于该案例。"
    "Id of the case the model belongs to (as models.case_id): the cited source must be one of its sources.",
)

QUOTE_VERIFIED = Column(
    "quote_verified",
    type="boolean",
    title="引语已核对 Quote verified",
    description=(
        "引语是否逐字出现在仓库保存的来源快照（sources/<来源编号>.txt）中；"
        "未注明来源的引语（source_id 为空）看本案例保存的任一来源快照。"
        "false 表示未核对：来源没有快照，或引语未注明来源而本案例保存的来源快照都不含它。"
        "与网站上该引语的“已核对/未核对”标记一致。"
        "True when the quote is an exact substring of the source's snapshot stored in the repository "
        "(sources/<source-id>.txt); a quote that names no source (empty source_id) is looked for in each of "
        "the case's stored snapshots. false: not found in a stored copy of its source — the source has no "
        "snapshot, or the quote names no source and none of the case's stored copies holds it. The same "
        "status as the quote's mark on the site. Computed by casebook validate, not written by authors."
    ),
)


@dataclass(frozen=True)
class Table:
    """A table of the package: name, columns, keys and documentation."""

    name: str
    title: str
    description: str
    columns: list[Column]
    primary_key: list[str]
    foreign_keys: list[tuple[list[str], str, list[str]]] = field(default_factory=list)
    # Keys declared in SQLite only (formats.py), not in datapackage.json: composite keys whose
    # second field is optional. SQLite skips a row whose key has any empty part; frictionless
    # (5.x) skips only a wholly empty key and would flag every row with the optional part empty.
    # casebook validate checks these references (rules.py); the SQLite file enforces them.
    sqlite_only_keys: list[tuple[list[str], str, list[str]]] = field(default_factory=list)


TO_CASE = (["case_id"], "cases", ["id"])
TO_MODEL = (["model_id"], "models", ["id"])
TO_SOURCE = (["source_id"], "sources", ["id"])
# A reference that must stay inside its case: (case_id, x_id) → x(case_id, id). Source and model
# ids are unique across all cases (rules.py), so `id` alone stays unique (and labels the single-
# column keys Datasette expands); the (case_id, id) primary key of sources and models lets the
# composite keys name it, so a metric citing another case's source breaks a declared key.
TO_CASE_SOURCE = (["case_id", "source_id"], "sources", ["case_id", "id"])
TO_CASE_MODEL = (["case_id", "model_id"], "models", ["case_id", "id"])


def _text_list(name: str, owner: Column, key: tuple, title: str, what: str, fk) -> Table:
    return Table(
        name,
        title,
        f"{what}，每行一条。One row per item, in order.",
        [owner, _pos(what), Column("text", key, required=True)],
        [owner.name, "position"],
        [fk],
    )


TABLES: list[Table] = [
    Table(
        "cases",
        "案例 Cases",
        "每个案例一行。One row per case.",
        [
            Column("id", ("id",), required=True),
            Column("schema_version", ("schema_version",), "integer", required=True),
            Column("title", ("title",), required=True),
            Column("title_en", ("title_en",), required=True),
            Column("headline", ("headline",), required=True),
            Column("summary", ("summary",), required=True),
            Column("summary_en", ("summary_en",), required=True),
            Column("background", ("background",), required=True),
            Column("approach", ("approach",), required=True),
            Column("outcomes", ("outcomes",), required=True),
            Column("province", ("place", "province"), required=True),
            Column("prefecture", ("place", "prefecture"), required=True),
            Column("county", ("place", "county")),
            Column("town", ("place", "town")),
            Column("village", ("place", "village")),
            Column("division_code", ("place", "division_code"), required=True, pattern=r"^[1-8][0-9]{5}$"),
            Column("village_code", ("place", "village_code"), pattern=r"^[1-8][0-9]{11}$"),
            Column("place_pinyin", ("place", "pinyin"), required=True),
            Column("lat", ("place", "coordinates", "lat"), "number"),
            Column("lon", ("place", "coordinates", "lon"), "number"),
            Column("case_scope", ("scope",), required=True, vocabulary="scope_level"),
            Column("case_type", ("case_type",), required=True, vocabulary="case_type"),
            Column("period_start", ("period", "start"), pattern=PERIOD),
            Column("period_end", ("period", "end"), pattern=PERIOD),
            Column("period_basis", ("period", "basis"), vocabulary="date_basis"),
            Column("last_reviewed", ("last_reviewed",), pattern=DAY),
            Column("notes", ("notes",)),
        ],
        ["id"],
    ),
    _text_list("case_lessons", CASE_ID, ("lessons", 0), "经验启示 Lessons", "经验启示 lessons", TO_CASE),
    Table(
        "themes",
        "主题词表 Themes",
        "受控主题词表及中英文标签。The theme vocabulary with labels.",
        [
            Column(
                "id",
                required=True,
                vocabulary="theme",
                title="主题 Theme",
                description="主题代码。Theme code.",
            ),
            LABEL_ZH,
            LABEL_EN,
        ],
        ["id"],
    ),
    Table(
        "vocabularies",
        "词表 Vocabularies",
        "全部受控词表（单位、限定词、模式类型等）及中英文标签。Every controlled vocabulary with labels.",
        [
            Column(
                "vocabulary", required=True, title="词表 Vocabulary", description="词表名称。Vocabulary name."
            ),
            Column(
                "value", required=True, title="值 Value", description="取值。Value as used in the tables."
            ),
            LABEL_ZH,
            LABEL_EN,
        ],
        ["vocabulary", "value"],
    ),
    Table(
        "indicator_codes",
        "共用指标代码 Indicator codes",
        "共用指标词表：代码、中英文定义及其要求的计量单位（metrics.indicator_code 引用）。"
        "The shared indicator vocabulary: code, labels and the unit of measure it expects "
        "(referenced by metrics.indicator_code).",
        [
            Column(
                "id",
                required=True,
                vocabulary="indicator_code",
                title="指标代码 Indicator code",
                description="共用指标代码。Indicator code.",
            ),
            LABEL_ZH,
            LABEL_EN,
            Column(
                "unit",
                required=True,
                vocabulary="unit",
                title="计量单位 Unit",
                description="使用该代码的指标必须采用的计量单位。The unit a metric with this code must use.",
            ),
        ],
        ["id"],
    ),
    Table(
        "case_themes",
        "案例主题 Case themes",
        "案例与主题的对应。Which themes each case covers.",
        [
            CASE_ID,
            _pos("themes"),
            Column("theme", ("themes", 0), required=True, vocabulary="theme"),
        ],
        ["case_id", "position"],
        [TO_CASE, (["theme"], "themes", ["id"])],
    ),
    Table(
        "models",
        "可复制模式 Models",
        "每个模式一行。One row per reusable model.",
        [
            Column("id", ("models", 0, "id"), required=True, unique=True),
            CASE_ID,
            _pos("models"),
            Column("name", ("models", 0, "name"), required=True),
            Column("name_en", ("models", 0, "name_en"), required=True),
            Column("formula", ("models", 0, "formula")),
            Column("kind", ("models", 0, "kind"), required=True, vocabulary="model_kind"),
            Column("structure", ("models", 0, "structure"), vocabulary="structure"),
            Column("summary", ("models", 0, "summary"), required=True),
            Column("summary_en", ("models", 0, "summary_en")),
            Column("caveat", ("models", 0, "caveat")),
        ],
        ["case_id", "id"],
        [TO_CASE],
    ),
    Table(
        "model_themes",
        "模式主题 Model themes",
        "模式与主题的对应。Themes of each model.",
        [
            MODEL_ID,
            _pos("themes"),
            Column("theme", ("models", 0, "themes", 0), required=True, vocabulary="theme"),
        ],
        ["model_id", "position"],
        [TO_MODEL, (["theme"], "themes", ["id"])],
    ),
    Table(
        "model_terms",
        "模式组成部分 Model terms",
        "模式公式或清单的每个组成部分，按顺序。One row per part.",
        [
            MODEL_ID,
            CASE_ID_OF_MODEL,
            _pos("terms"),
            Column("symbol", ("models", 0, "terms", 0, "symbol")),
            Column("name", ("models", 0, "terms", 0, "name"), required=True),
            Column("name_en", ("models", 0, "terms", 0, "name_en")),
            Column("role", ("models", 0, "terms", 0, "role"), required=True),
            Column("led_by", ("models", 0, "terms", 0, "led_by")),
            Column("count", ("models", 0, "terms", 0, "count"), "number"),
            Column("frequency", ("models", 0, "terms", 0, "frequency")),
            Column("quote", ("models", 0, "terms", 0, "quote")),
            QUOTE_VERIFIED,
            Column("source_id", ("models", 0, "terms", 0, "source")),
        ],
        ["model_id", "position"],
        [TO_MODEL, TO_CASE_MODEL, TO_SOURCE],
        [TO_CASE_SOURCE],  # source is optional on a term
    ),
    _text_list(
        "model_steps", MODEL_ID, ("models", 0, "steps", 0), "复制步骤 Model steps", "复制步骤 steps", TO_MODEL
    ),
    _text_list(
        "model_conditions",
        MODEL_ID,
        ("models", 0, "conditions", 0),
        "适用条件 Model conditions",
        "适用条件 conditions",
        TO_MODEL,
    ),
    Table(
        "model_evidence",
        "模式证据 Model evidence",
        "支持模式的原文引语。Verbatim quotes for each model.",
        [
            MODEL_ID,
            CASE_ID_OF_MODEL,
            _pos("evidence"),
            Column("quote", ("models", 0, "evidence", 0, "quote"), required=True),
            QUOTE_VERIFIED,
            Column("source_id", ("models", 0, "evidence", 0, "source"), required=True),
        ],
        ["model_id", "position"],
        [TO_MODEL, TO_CASE_MODEL, TO_SOURCE, TO_CASE_SOURCE],
    ),
    Table(
        "model_links",
        "模式关联 Model links",
        "案例采用（adopts）或借鉴改造（adapted_from）其他案例的模式。Cases adopting or adapting models.",
        [
            CASE_ID,
            Column(
                "relation",
                required=True,
                vocabulary="model_link_relation",
                title="关系 Relation",
                description="adopts 采用 / adapted_from 借鉴改造。How the case uses the model.",
            ),
            _pos("links"),
            Column("model_id", ("adopts", 0), required=True),
        ],
        ["case_id", "relation", "position"],
        [TO_CASE, TO_MODEL],
    ),
    Table(
        "practices",
        "具体做法 Practices",
        "不构成模式的具体做法。One row per practice.",
        [
            CASE_ID,
            _pos("practices"),
            Column("title", ("practices", 0, "title"), required=True),
            Column("title_en", ("practices", 0, "title_en")),
            Column("description", ("practices", 0, "description"), required=True),
            Column("quote", ("practices", 0, "quote"), required=True),
            QUOTE_VERIFIED,
            Column("source_id", ("practices", 0, "source"), required=True),
        ],
        ["case_id", "position"],
        [TO_CASE, TO_SOURCE, TO_CASE_SOURCE],
    ),
    Table(
        "practice_themes",
        "做法主题 Practice themes",
        "做法与主题的对应。Themes of each practice.",
        [
            CASE_ID,
            Column(
                "practice_position",
                type="integer",
                required=True,
                title="做法顺序 Practice position",
                description="做法在案例中的顺序。Position of the practice in its case.",
            ),
            _pos("themes"),
            Column("theme", ("practices", 0, "themes", 0), required=True, vocabulary="theme"),
        ],
        ["case_id", "practice_position", "position"],
        [
            (["case_id", "practice_position"], "practices", ["case_id", "position"]),
            (["theme"], "themes", ["id"]),
        ],
    ),
    Table(
        "metrics",
        "指标 Metrics",
        "来源报告的每一个数字及其原文引语。Every figure with its verbatim quote.",
        [
            CASE_ID,
            _pos("metrics"),
            Column("metric_id", ("metrics", 0, "id")),
            Column("indicator", ("metrics", 0, "indicator"), required=True),
            Column("indicator_en", ("metrics", 0, "indicator_en"), required=True),
            Column("indicator_code", ("metrics", 0, "indicator_code"), vocabulary="indicator_code"),
            Column("part_of", ("metrics", 0, "part_of")),
            Column("value", ("metrics", 0, "value"), "number", required=True),
            Column("value_max", ("metrics", 0, "value_max"), "number"),
            Column("unit", ("metrics", 0, "unit"), required=True, vocabulary="unit"),
            Column("denominator", ("metrics", 0, "denominator"), vocabulary="denominator"),
            Column("qualifier", ("metrics", 0, "qualifier"), required=True, vocabulary="qualifier"),
            Column("per", ("metrics", 0, "per"), vocabulary="per"),
            Column("claim_type", ("metrics", 0, "claim_type"), required=True, vocabulary="claim_type"),
            Column("status", ("metrics", 0, "status"), required=True, vocabulary="status"),
            Column("period", ("metrics", 0, "period")),
            Column("as_of", ("metrics", 0, "as_of"), pattern=PERIOD),
            Column("as_of_basis", ("metrics", 0, "as_of_basis"), vocabulary="date_basis"),
            Column("metric_scope", ("metrics", 0, "scope")),
            Column("theme", ("metrics", 0, "theme"), required=True, vocabulary="theme"),
            Column("model_id", ("metrics", 0, "model")),
            Column("quote", ("metrics", 0, "quote"), required=True),
            QUOTE_VERIFIED,
            Column("source_id", ("metrics", 0, "source"), required=True),
        ],
        ["case_id", "position"],
        # part_of → metric_id within the case is checked by casebook validate (rules.py):
        # (case_id, metric_id) is not the primary key, so SQLite could not enforce it.
        [TO_CASE, TO_SOURCE, TO_CASE_SOURCE, TO_MODEL, (["indicator_code"], "indicator_codes", ["id"])],
        [TO_CASE_MODEL],  # model is optional on a metric
    ),
    Table(
        "people",
        "人物 People",
        "来源点名的帮扶人员。One row per named person.",
        [
            CASE_ID,
            _pos("people"),
            Column("name", ("people", 0, "name"), required=True),
            Column("role", ("people", 0, "role"), required=True),
            Column("unit", ("people", 0, "unit")),
            Column("village", ("people", 0, "village")),
            Column("did", ("people", 0, "did"), required=True),
            Column("quote", ("people", 0, "quote"), required=True),
            QUOTE_VERIFIED,
            Column("source_id", ("people", 0, "source"), required=True),
        ],
        ["case_id", "position"],
        [TO_CASE, TO_SOURCE, TO_CASE_SOURCE],
    ),
    Table(
        "sources",
        "来源 Sources",
        "案例依据的文章。One row per source article.",
        [
            Column("id", ("sources", 0, "id"), required=True, unique=True),
            CASE_ID,
            _pos("sources"),
            Column("title", ("sources", 0, "title")),
            Column("title_note", ("sources", 0, "title_note")),
            Column("evidence_type", ("sources", 0, "evidence_type"), required=True,
                   vocabulary="evidence_type"),
            Column(
                "snapshot_sha256",
                title="快照 SHA-256 Snapshot SHA-256",
                description=(
                    "仓库中该来源文本快照（sources/<来源编号>.txt）的 SHA-256；为空表示没有快照，引语未核对。"
                    "SHA-256 of the source's text snapshot in the repository (sources/<source-id>.txt); "
                    "empty when there is none and its quotes are not verified."
                ),
            ),
            Column("publisher", ("sources", 0, "publisher")),
            Column("published", ("sources", 0, "published"), pattern=DATE),
            Column("url", ("sources", 0, "url")),
            Column("language", ("sources", 0, "language"), required=True, vocabulary="language"),
            Column("note", ("sources", 0, "note")),
        ],
        ["case_id", "id"],
        [TO_CASE],
    ),
    Table(
        "source_authors",
        "来源作者 Source authors",
        "来源的作者，按顺序。Authors of each source.",
        [
            Column("source_id", ("sources", 0, "id"), required=True),
            _pos("authors"),
            Column("name", ("sources", 0, "authors", 0), required=True),
        ],
        ["source_id", "position"],
        [TO_SOURCE],
    ),
]

_CASE_FIELDS = [
    "id",
    "schema_version",
    "title",
    "title_en",
    "headline",
    "summary",
    "summary_en",
    "background",
    "approach",
    "outcomes",
    "case_type",
    "last_reviewed",
    "notes",
]
_PLACE_FIELDS = {
    "province": "province",
    "prefecture": "prefecture",
    "county": "county",
    "town": "town",
    "village": "village",
    "division_code": "division_code",
    "village_code": "village_code",
    "place_pinyin": "pinyin",
}


# Vocabularies of the package that are not a schema definition: model_links.relation names the
# case field a link comes from (adopts, adapted_from); labels are those fields' schema titles.
PACKAGE_VOCABULARIES = ("model_link_relation",)


def column_vocabulary(name: str) -> dict[str, dict[str, str]]:
    """A column's vocabulary as {value: {"zh": label, "en": label}}: a schema vocabulary
    (schema.VOCABULARIES) or one of PACKAGE_VOCABULARIES. Raises KeyError for another name."""
    if name == "model_link_relation":
        out = {}
        for key in ("adopts", "adapted_from"):
            zh, _, en = field_schema((key,))["title"].partition(" ")
            out[key] = {"zh": zh, "en": en}
        return out
    return vocabulary(name)


def _pick(item: dict, names, **extra) -> dict:
    return {**{n: item.get(n) for n in names}, **extra}


def rows_of(cases) -> dict[str, list[dict]]:
    """Flatten cases (CaseFile objects with .data) into rows per table name."""
    out: dict[str, list[dict]] = {t.name: [] for t in TABLES}
    out["themes"] = [
        {"id": k, "label_zh": v["zh"], "label_en": v["en"]} for k, v in vocabulary("theme").items()
    ]
    out["indicator_codes"] = [
        {"id": item["const"], "label_zh": item["title"], "label_en": item["description"],
         "unit": item["unit"]}
        for item in load_schema()["definitions"]["indicator_code"]["oneOf"]
    ]
    out["vocabularies"] = [
        {"vocabulary": name, "value": k, "label_zh": v["zh"], "label_en": v["en"]}
        for name in (*VOCABULARIES, *PACKAGE_VOCABULARIES)
        for k, v in column_vocabulary(name).items()
    ]
    for case_file in cases:
        case = case_file.data
        cid, place = case["id"], case["place"]
        # Which quotes are in their source's stored snapshot (issue 15): marked after the rows.
        verdicts = provenance.verified_quotes(getattr(case_file, "path", None), case)
        first_row = {name: len(out[name]) for name in _QUOTED}
        row = _pick(case, _CASE_FIELDS)
        row.update({col: place.get(key) for col, key in _PLACE_FIELDS.items()})
        row["lat"] = place.get("coordinates", {}).get("lat")
        row["lon"] = place.get("coordinates", {}).get("lon")
        row["period_start"] = case.get("period", {}).get("start")
        row["period_end"] = case.get("period", {}).get("end")
        row["period_basis"] = case.get("period", {}).get("basis")
        row["case_scope"] = case["scope"]  # named apart from metrics.metric_scope
        out["cases"].append(row)
        out["case_lessons"] += [
            {"case_id": cid, "position": i, "text": t} for i, t in enumerate(case["lessons"])
        ]
        out["case_themes"] += [
            {"case_id": cid, "position": i, "theme": t} for i, t in enumerate(case["themes"])
        ]
        for i, m in enumerate(case.get("models", [])):
            mid = m["id"]
            out["models"].append(
                _pick(
                    m,
                    ["id", "name", "name_en", "formula", "kind", "structure", "summary", "summary_en",
                     "caveat"],
                    case_id=cid,
                    position=i,
                )
            )
            out["model_themes"] += [
                {"model_id": mid, "position": j, "theme": t} for j, t in enumerate(m.get("themes", []))
            ]
            out["model_terms"] += [
                _pick(
                    t,
                    ["symbol", "name", "name_en", "role", "led_by", "count", "frequency", "quote"],
                    model_id=mid,
                    case_id=cid,
                    position=j,
                    source_id=t.get("source"),
                )
                for j, t in enumerate(m["terms"])
            ]
            for key in ("steps", "conditions"):
                out[f"model_{key}"] += [
                    {"model_id": mid, "position": j, "text": t} for j, t in enumerate(m.get(key, []))
                ]
            out["model_evidence"] += [
                {"model_id": mid, "case_id": cid, "position": j, "quote": e["quote"],
                 "source_id": e["source"]}
                for j, e in enumerate(m["evidence"])
            ]
        for relation in ("adopts", "adapted_from"):
            out["model_links"] += [
                {"case_id": cid, "relation": relation, "position": j, "model_id": ref}
                for j, ref in enumerate(case.get(relation, []))
            ]
        for i, p in enumerate(case.get("practices", [])):
            out["practices"].append(
                _pick(
                    p,
                    ["title", "title_en", "description", "quote"],
                    case_id=cid,
                    position=i,
                    source_id=p["source"],
                )
            )
            out["practice_themes"] += [
                {"case_id": cid, "practice_position": i, "position": j, "theme": t}
                for j, t in enumerate(p["themes"])
            ]
        for i, m in enumerate(case.get("metrics", [])):
            out["metrics"].append(
                _pick(
                    m,
                    [
                        "indicator",
                        "indicator_en",
                        "indicator_code",
                        "part_of",
                        "value",
                        "value_max",
                        "unit",
                        "denominator",
                        "qualifier",
                        "per",
                        "claim_type",
                        "status",
                        "period",
                        "as_of",
                        "as_of_basis",
                        "theme",
                        "quote",
                    ],
                    case_id=cid,
                    position=i,
                    metric_id=m.get("id"),
                    metric_scope=m.get("scope"),
                    model_id=m.get("model"),
                    source_id=m["source"],
                )
            )
        for i, p in enumerate(case.get("people", [])):
            out["people"].append(
                _pick(
                    p,
                    ["name", "role", "unit", "village", "did", "quote"],
                    case_id=cid,
                    position=i,
                    source_id=p["source"],
                )
            )
        for i, s in enumerate(case["sources"]):
            out["sources"].append(
                _pick(
                    s,
                    ["id", "title", "title_note", "evidence_type", "publisher", "published", "url",
                     "language", "note"],
                    case_id=cid,
                    position=i,
                )
            )
            out["source_authors"] += [
                {"source_id": s["id"], "position": j, "name": a} for j, a in enumerate(s.get("authors", []))
            ]
        _mark_verified(out, first_row, verdicts, case)
    return out


_QUOTED = ("model_terms", "model_evidence", "practices", "metrics", "people", "sources")


def _mark_verified(out: dict, first_row: dict, verdicts, case: dict) -> None:
    """Fill `quote_verified` of one case's rows and `snapshot_sha256` of its sources.

    Each row's verdict is the one the site shows (`verdicts`, provenance.verified_quotes), found by
    the row's place in the case: one status per quote (review provenance2 #7). A term quote that
    names no source keeps its empty source_id, and is verified when a stored copy of the case holds it.
    """
    for row in out["sources"][first_row["sources"]:]:
        snap = verdicts.snapshots.get(row["id"])
        row["snapshot_sha256"] = snap.sha256 if snap is not None else None
    model_at = {m["id"]: j for j, m in enumerate(case.get("models", []))}
    where = {"model_terms": lambda r: ("models", model_at[r["model_id"]], "terms", r["position"]),
             "model_evidence": lambda r: ("models", model_at[r["model_id"]], "evidence", r["position"]),
             "practices": lambda r: ("practices", r["position"]),
             "metrics": lambda r: ("metrics", r["position"]),
             "people": lambda r: ("people", r["position"])}
    for name in _QUOTED[:-1]:
        for row in out[name][first_row[name]:]:
            if row.get("quote") is not None:
                row["quote_verified"] = verdicts.verified((*where[name](row), "quote"))
