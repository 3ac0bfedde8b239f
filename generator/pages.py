"""Stage 3b: turn loaded cases into the site's Markdown pages. No MkDocs import here.

`build_pages(cases)` is a plain function from cases to {docs path: Markdown}; the MkDocs
plugin is a thin adapter around it, so the site generator could move to another engine.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from functools import cache

from markupsafe import Markup, escape

from . import provenance
from .charts import bar_chart
from .codebook import codebook_markdown
from .completeness import completeness
from .render import cell, environment
from .schema import VOCABULARIES, load_schema, resolve, vocabulary
from .tables import TABLES

ZIP_NAME = "village-casebook-datapackage.zip"
CHART_UNITS = ("cny", "person", "person_time", "village", "team", "mu")


@cache
def _env():
    return environment()


@cache
def labels() -> dict:
    """Every vocabulary's labels, by vocabulary name."""
    return {name: vocabulary(name) for name in VOCABULARIES}


def num(value) -> Markup:
    """A number with thousands separators, integers without a decimal point."""
    if value is None:
        return Markup("")
    if float(value).is_integer():
        return Markup(f"{int(value):,}")
    return Markup(f"{value:,}")


def fmt(metric: dict) -> Markup:
    """A metric's value, or its range."""
    if metric.get("value_max") is not None:
        return Markup(f"{num(metric['value'])}–{num(metric['value_max'])}")
    return num(metric["value"])


def place_of(case: dict) -> str:
    """The place as Chinese readers write it: province, prefecture, county, town."""
    p = case["place"]
    return "".join(p.get(k, "") for k in ("province", "prefecture", "county", "town"))


def source_title(source: dict) -> str:
    """A source's title as printed, or a plain statement that the copy seen shows none."""
    return source.get("title") or "（所见版本未显示标题 title not visible in the copy seen）"


def quote_checks(case_path, case: dict) -> dict:
    """Which quotes of a case verify against the stored source snapshots (generator/provenance.py).

    {"metrics": [bool per metric], "sources": {source id: {"verified": n, "total": m,
    "file": "sources/<id>.txt" or None}}, "snapshots": (sha256 or None per source)}.
    """
    verdicts = provenance.verified_quotes(case_path, case)
    counts = verdicts.counts()
    sources = {}
    for s in case["sources"]:
        snap = verdicts.snapshots.get(s["id"])
        verified, total = counts.get(s["id"], (0, 0))
        sources[s["id"]] = {"verified": verified, "total": total,
                            "file": f"sources/{s['id']}.txt" if snap is not None else None}
    return {"metrics": [verdicts.verified(("metrics", i, "quote"))
                        for i in range(len(case.get("metrics", [])))],
            "sources": sources,
            "snapshots": tuple(s.sha256 if s is not None else None for s in verdicts.snapshots.values())}


def period_of(case: dict) -> str:
    """The period, or a note that the source prints none."""
    period = case.get("period")
    if not period:
        return "原文未印出 not printed"
    return f"{period['start']}–{period.get('end', '')}"


def _html(text) -> Markup:
    """Case text inside a raw HTML block: escaped, on one line (a blank line would end the block)."""
    return escape(" ".join(str(text).split()))


def _diagram(model: dict) -> Markup:
    """The structure of a model's terms as an HTML flow of boxes (no script, no CDN)."""
    arrow = "→" if model["kind"] == "team_structure" else "·"
    boxes = []
    for term in model["terms"]:
        parts = [f'<span class="cb-symbol">{_html(term.get("symbol") or "")}</span>',
                 f'<span class="cb-name">{_html(term["name"])}</span>']
        if term.get("led_by"):
            parts.append(f'<span class="cb-lead">{_html(term["led_by"])}</span>')
        boxes.append(f'<div class="cb-term">{"".join(parts)}</div>')
    joiner = f'<span class="cb-arrow" aria-hidden="true">{arrow}</span>'
    levels = " data-levels" if model["kind"] == "team_structure" else ""  # stacked on a phone
    return Markup(f'<div class="cb-diagram"{levels} role="figure" aria-label="{_html(model["name"])}">'
                  f"{joiner.join(boxes)}</div>")


def _edit_line(case: dict, path_in_repo: str, edit_base: str | None) -> Markup:
    if edit_base:
        return Markup(f"[✎ 编辑此案例 Edit this case]({escape(edit_base)}{path_in_repo})")
    return Markup(f"编辑此案例 Edit this case: `{path_in_repo}`（见 CONTRIBUTING.md）")


def _cached(cache: dict | None, path: str, key: tuple, render) -> str:
    """The page at `path` from `cache` if it was rendered from the same inputs (`key`), else render it."""
    if cache is None:
        return render()
    hit = cache.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    text = render()
    cache[path] = (key, text)
    return text


def build_pages(cases, edit_base: str | None = None, cache: dict | None = None) -> dict[str, str]:
    """All generated pages for these cases (CaseFile objects with .data), path → Markdown.

    `cache` (a dict the caller keeps between builds, e.g. across `mkdocs serve` rebuilds)
    reuses each case and model page whose case files are unchanged, by content digest;
    pages over the whole collection (indexes, comparisons) are always rendered afresh.
    """
    # The loaded cases are millions of long-lived objects; unfrozen, the cycle collector
    # rescans them again and again while pages render (10,000 cases: 141 s instead of 64 s).
    # unfreeze() hands them back afterwards, so nothing is kept from collection for good.
    gc.freeze()
    try:
        return _build_pages(cases, edit_base, cache)
    finally:
        gc.unfreeze()


def _build_pages(cases, edit_base: str | None, cache: dict | None) -> dict[str, str]:
    env = _env()
    data = [c.data for c in cases]
    digest = {c.data["id"]: c.digest for c in cases}
    case_paths = {c.data["id"]: getattr(c, "path", None) for c in cases}  # to find source snapshots
    # Which quotes verify against the stored source snapshots (issue 15), once per case.
    checks = {c["id"]: quote_checks(case_paths[c["id"]], c) for c in data}
    verified_metrics = {id(m) for c in data
                        for m, ok in zip(c.get("metrics", []), checks[c["id"]]["metrics"], strict=True) if ok}
    lab = labels()
    models = [(m, c) for c in data for m in c.get("models", [])]
    by_model = {m["id"]: (m, c) for m, c in models}
    metrics_by_model = defaultdict(list)
    metric_cases = defaultdict(dict)  # model id → the cases whose figures it shows (ordered set)
    for c in data:
        for metric in c.get("metrics", []):
            if metric.get("model"):
                metrics_by_model[metric["model"]].append(metric)
                metric_cases[metric["model"]][c["id"]] = None
    by_id = {c["id"]: c for c in data}
    common = {"labels": lab, "fmt": fmt, "num": num, "verified": lambda m: id(m) in verified_metrics}
    pages: dict[str, str] = {}

    for c in data:
        first = c["sources"][0]
        citation = (f"{c['title']}。驻村帮扶案例库 Village Assistance Casebook，案例 {c['id']}。"
                    f"来源：{source_title(first)}" + (f"，{first['publisher']}" if first.get("publisher") else "")
                    + (f"，{first['published']}" if first.get("published") else "") + "。")
        refs = [r for k in ("adopts", "adapted_from") for r in c.get(k, []) if r in by_model]

        checked = checks[c["id"]]

        def case_page(c=c, refs=refs, citation=citation, checked=checked):
            return env.get_template("case.md.j2").render(
                c=c, place=place_of(c), period=period_of(c), score=completeness(c)[0],
                adopted=[by_model[r][0] for r in refs], citation=citation, checked=checked,
                edit=_edit_line(c, f"cases/{c['id']}.yaml", edit_base), **common)

        # Its inputs: the case file, the files of the models it adopts, the edit link base.
        key = (digest[c["id"]], edit_base, *(digest[by_model[r][1]["id"]] for r in refs),
               checked["snapshots"])  # a changed snapshot changes which quotes verify
        pages[f"cases/{c['id']}.md"] = _cached(cache, f"cases/{c['id']}.md", key, case_page)

    # Who adopts or adapts each model, in one pass: asking every case for every model is
    # quadratic (10,000 cases with 24,000 models would take minutes).
    linked: dict[str, dict[str, list]] = {"adopts": defaultdict(list), "adapted_from": defaultdict(list)}
    for x in data:
        for key, table in linked.items():
            for ref in dict.fromkeys(x.get(key, [])):
                table[ref].append(x)

    for m, c in models:
        sources = {s["id"]: source_title(s) for s in c["sources"]}
        # Its inputs: its own case file and those that cite, adopt or adapt it.
        related = [c, *(by_id[i] for i in metric_cases.get(m["id"], {})),
                   *linked["adopts"].get(m["id"], []), *linked["adapted_from"].get(m["id"], [])]

        def model_page(m=m, c=c, sources=sources):
            return env.get_template("model.md.j2").render(
                m=m, case=c, diagram=_diagram(m) if m["terms"] else "",
                figures=metrics_by_model.get(m["id"], []),
                source_title=lambda ref, titles=sources: titles.get(ref, ref),
                adopters=linked["adopts"].get(m["id"], []),
                adapters=linked["adapted_from"].get(m["id"], []), **common)

        key = tuple(digest[x["id"]] for x in related)
        pages[f"models/{m['id']}.md"] = _cached(cache, f"models/{m['id']}.md", key, model_page)

    kinds = lab["model_kind"]
    groups = [(k, kinds[k], [(m, c) for m, c in models if m["kind"] == k]) for k in kinds]
    groups = [g for g in groups if g[2]]
    pages["models/index.md"] = env.get_template("models_index.md.j2").render(groups=groups, **common)

    theme_counts = Counter(t for c in data for t in c["themes"])
    themes = [(t, lab["theme"][t], theme_counts[t]) for t in lab["theme"]]
    newest = sorted(data, key=lambda c: (c.get("period", {}).get("start", ""), c["id"]), reverse=True)
    pages["index.md"] = env.get_template("home.md.j2").render(
        counts={"cases": len(data), "models": len(models),
                "provinces": len({c["place"]["province"] for c in data}),
                "metrics": sum(len(c.get("metrics", [])) for c in data)},
        formula_models=[m for m, _ in models if m.get("formula")], themes=themes,
        newest=newest[:10], **common)
    pages["cases/index.md"] = env.get_template("cases_index.md.j2").render(
        rows=[(c, place_of(c), period_of(c)) for c in data], **common)
    pages["themes/index.md"] = env.get_template("themes_index.md.j2").render(themes=themes, **common)
    for t in lab["theme"]:
        pages[f"themes/{t}.md"] = env.get_template("theme.md.j2").render(
            label=lab["theme"][t], cases=[c for c in data if t in c["themes"]],
            models=[m for m, _ in models if t in m.get("themes", [])],
            practices=[(p, c) for c in data for p in c.get("practices", []) if t in p["themes"]], **common)
    provinces = defaultdict(list)
    for c in data:
        provinces[c["place"]["province"]].append(c)
    pages["provinces.md"] = env.get_template("provinces.md.j2").render(
        groups=sorted(provinces.items()), **common)

    all_metrics = [(m, c) for c in data for m in c.get("metrics", [])]
    all_metrics.sort(key=lambda mc: (list(lab["theme"]).index(mc[0]["theme"]), mc[1]["id"]))
    charts = []
    for unit in CHART_UNITS:
        bars = [(f"{c.get('place', {}).get('county') or c['place']['prefecture']} · {m['indicator']}",
                 m["value"]) for m, c in all_metrics if m["unit"] == unit and not m.get("per")]
        if len(bars) >= 2:
            charts.append((unit, lab["unit"][unit], bar_chart(bars, lab["unit"][unit]["zh"])))
    pages["compare/metrics.md"] = env.get_template("compare_metrics.md.j2").render(
        charts=charts, metrics=all_metrics, **common)
    compare = []
    for kind, label, members in groups:
        rows = []
        for m, c in members:
            # Markup.format only HTML-escapes: case text also needs Markdown escaping (cell),
            # or a term named [x](javascript:…) becomes a live link.
            parts = Markup("<br>").join(
                Markup("**{}** {}{}").format(cell(t.get("symbol") or ""), cell(t["name"]),
                                             cell(f"（{t['led_by']}）") if t.get("led_by") else "")
                for t in m["terms"]) or Markup("（原文未列出 not listed）")
            figures = Markup("<br>").join(
                Markup("{}：{} {}").format(cell(f["indicator"]), fmt(f), lab["unit"][f["unit"]]["zh"])
                for f in metrics_by_model.get(m["id"], []))
            rows.append((m, c, parts, figures))
        compare.append((kind, label, rows))
    pages["compare/models.md"] = env.get_template("compare_models.md.j2").render(groups=compare, **common)

    codebook = "\n".join("#" + line if line.startswith("#") else line
                         for line in codebook_markdown().splitlines())
    pages["data.md"] = env.get_template("data.md.j2").render(
        zip_name=ZIP_NAME, csvs=[f"{t.name}.csv" for t in TABLES], codebook=Markup(codebook), **common)
    pages["contribute/fields.md"] = env.get_template("fields.md.j2").render(
        fields=_field_rows(), vocabularies=[(n, {Markup(k): v for k, v in vocabulary(n).items()})
                                            for n in VOCABULARIES], **common)
    if cache is not None:  # forget the pages of removed cases and models
        for path in cache.keys() - pages.keys():
            del cache[path]
    return pages


def _field_rows() -> list[tuple]:
    rows = []

    def walk(node: dict, prefix: str):
        required = set(node.get("required", []))
        for name, prop in node.get("properties", {}).items():
            full = resolve(prop)
            kind = full.get("type", "vocabulary" if "oneOf" in full else "")
            rows.append((Markup(prefix + name), name in required, kind, full.get("title", name),
                         full.get("description", "")))
            if full.get("type") == "object":
                walk(full, f"{prefix}{name}.")
            elif full.get("type") == "array" and resolve(full.get("items", {})).get("type") == "object":
                walk(resolve(full["items"]), f"{prefix}{name}[].")

    walk(resolve(load_schema()), "")
    return rows
