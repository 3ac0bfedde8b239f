"""Stage 3b: turn loaded cases into the site's Markdown pages. No MkDocs import here.

`build_pages(cases)` is a plain function from cases to {docs path: Markdown}; the MkDocs
plugin is a thin adapter around it, so the site generator could move to another engine.
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import posixpath
import re
from collections import Counter, defaultdict
from functools import cache

from markupsafe import Markup, escape

from . import provenance
from .charts import bar_chart
from .codebook import codebook_markdown
from .export import StagedPackage
from .figures import reading
from .history import added_dates
from .render import cell, environment, html_environment
from .schema import VOCABULARIES, load_schema, resolve, vocabulary
from .tables import TABLES

# The facets of the case list and the model library (filters.js): data attribute → label.
FACETS = (("province", "省份"), ("theme", "主题"), ("kind", "模式类型"), ("scope", "范围"),
          ("case_type", "案例类型"), ("evidence", "来源类型"))


@cache
def _env():
    env = environment()
    # Case text inside raw HTML (navigation, filter tables, downloads): HTML-escaped only,
    # on one line. Markdown's backslash escapes would print there (model\\_kind).
    env.filters["h"] = _html
    # A heading's fixed id for attr_list ({#lessons}); `{#` would open a Jinja comment in a template.
    env.globals["anchor"] = lambda name: Markup("{#%s}") % name
    return env


@cache
def _html_env():
    return html_environment()


@cache
def labels() -> dict:
    """Every vocabulary's labels, by vocabulary name."""
    return {name: vocabulary(name) for name in VOCABULARIES}


_HEADING = re.compile(r'<h([123]) id="([^"<>]+)">(.*?)</h\1>', re.S)


def heading_tokens(body: str) -> list[dict]:
    """The table of contents of an HTML page body, as Python-Markdown's toc extension gives it.

    [{"level": 1, "id": "112x", "name": "岚皋“1+12+X”", "html": …, "children": [{"level": 2,
    "id": "steps", …, "children": [h3 …]}]}]: the `<h1 id>`, `<h2 id>` and `<h3 id>` headings of
    a body the generator wrote, each nested under the one before of a higher level (names
    stay HTML-escaped, as toc's are). MkDocs makes page.toc from these (get_toc); Material's
    skip link goes to the first, its table of contents lists the title's children.
    """
    tokens: list[dict] = []
    open_levels: list[dict] = []  # the last heading of each level above, innermost last
    for level, anchor, text in _HEADING.findall(body):
        token = {"level": int(level), "id": anchor, "name": text, "html": text, "children": []}
        while open_levels and open_levels[-1]["level"] >= token["level"]:
            open_levels.pop()
        (open_levels[-1]["children"] if open_levels else tokens).append(token)
        open_levels.append(token)
    return tokens


def title_id(title: str, taken: tuple[str, ...] = ()) -> str:
    """The id Python-Markdown's toc extension gives a page's first heading (its `slugify`,
    then `_1` when the slug is empty or already taken): links saved from Markdown pages
    (models/langao-1-12-x/#112x) still land on an HTML page's title."""
    from markdown.extensions.toc import slugify

    slug = slugify(title, "-")
    return f"{slug}_1" if not slug or slug in taken else slug


def num(value) -> Markup:
    """A number with thousands separators, integers without a decimal point."""
    if value is None:
        return Markup("")
    if float(value).is_integer():
        return Markup(f"{int(value):,}")
    return Markup(f"{value:,}")


def fmt(metric: dict) -> Markup:
    """A metric's figure read the Chinese way, qualifier and unit included (400余万元)."""
    return escape(reading(metric))


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site root) MkDocs gives the page `src` (e.g. cases/x.md → cases/x/)."""
    stem = src[:-3]
    name = posixpath.basename(stem)
    if name in ("index", "README"):
        folder = posixpath.dirname(stem)
        return folder + "/" if folder else ""
    return stem + "/" if directory_urls else stem + ".html"


def href(here: str, target: str, directory_urls: bool = True) -> str:
    """A relative link from page `here` to page or file `target` (both docs paths), for raw HTML.

    MkDocs rewrites links in Markdown but not in raw HTML: pages that build their links in
    HTML (with autoescape) compute them here, the same way MkDocs lays out the site.
    """
    start = page_url(here, directory_urls)
    start_dir = start if start.endswith("/") or not start else posixpath.dirname(start)
    end = page_url(target, directory_urls) if target.endswith(".md") else target
    rel = posixpath.relpath(end or ".", start_dir.rstrip("/") or ".")
    if end.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


def _facets(case: dict, models: list[dict]) -> dict[str, str]:
    """Space-separated facet values of a row (vocabulary codes; the province name as written)."""
    sources = case.get("sources", [])
    return {
        "province": case["place"]["province"].replace(" ", ""),
        "theme": " ".join(dict.fromkeys([*case.get("themes", []),
                                         *(t for m in models for t in m.get("themes", []))])),
        "kind": " ".join(dict.fromkeys(m["kind"] for m in models)),
        "scope": case.get("scope") or "",
        "case_type": case.get("case_type") or "",
        "evidence": " ".join(dict.fromkeys(s["evidence_type"] for s in sources if s.get("evidence_type"))),
    }


def _facet_options(rows: list[dict], lab: dict) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(facet, label, [(value, Chinese label)]) for the values present in `rows`."""
    vocab = {"theme": "theme", "kind": "model_kind", "scope": "scope_level", "case_type": "case_type",
             "evidence": "evidence_type"}
    out = []
    for facet, title in FACETS:
        present = {v for row in rows for v in row[facet].split()}
        if facet in vocab:
            names = lab.get(vocab[facet], {})
            values = [(v, names[v]["zh"]) for v in names if v in present]
        else:
            values = [(v, v) for v in sorted(present)]
        out.append((facet, title, values))
    return out


def _downloads(files) -> list[dict]:
    """One row per file of the data package: name, size, what it is, how many rows.

    `files`: {name: bytes}, or the StagedPackage `casebook build` wrote; only the CSVs are
    read (for their rows), each once; the other files' sizes come from the folder.
    """
    staged = isinstance(files, StagedPackage)
    rows_of, sizes = {}, {}
    for name in files:
        if name.endswith(".csv") or not staged:
            content = files[name]
            sizes[name] = len(content)
            if name.endswith(".csv"):
                rows_of[name] = sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8-sig")))) - 1
        else:
            sizes[name] = files.path(name).stat().st_size
    total = sum(rows_of.values())
    tables = len(rows_of)
    kinds = {".zip": "完整数据包（全部文件）", ".json": "数据包描述（字段、主键、外键、词表）",
             ".sqlite": "SQLite 数据库（全部表，含主键、外键）", ".xlsx": "Excel 工作簿（每表一个工作表）",
             ".csv": "表格（UTF-8 CSV）", ".md": "说明（Markdown）",
             ".cff": "引用信息（Citation File Format）"}
    order = {".zip": 0, ".json": 1, ".xlsx": 2, ".sqlite": 3, ".csv": 4, ".md": 5}
    out = []
    for name, size in sizes.items():
        ext = posixpath.splitext(name)[1]
        if name.endswith(".csv"):
            rows = f"{rows_of[name]:,} 行"
        elif ext in (".zip", ".sqlite", ".xlsx"):
            rows = f"{tables} 个表，共 {total:,} 行"
        elif ext == ".json":
            rows = f"{tables} 个表"
        else:
            rows = ""
        shown = (f"{size / 1048576:.1f} MB" if size >= 1048576
                 else f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} B")
        kind = {"README.md": "数据说明（codebook，Markdown）", "CHANGELOG.md": "数据版本变更记录"}.get(name)
        out.append({"name": name, "kind": kind or kinds.get(ext, ""), "size": shown, "bytes": size,
                    "rows": rows,
                    "ext": ext})
    out.sort(key=lambda r: (order.get(r["ext"], 9), r["name"]))
    return out


def place_of(case: dict) -> str:
    """The place as Chinese readers write it: province, prefecture, county, town."""
    p = case["place"]
    return "".join(p.get(k, "") for k in ("province", "prefecture", "county", "town"))


def source_title(source: dict) -> str:
    """A source's title as printed, or a plain statement that the copy seen shows none."""
    return source.get("title") or "（所见版本未显示标题 title not visible in the copy seen）"


# The mark beside every quote a page shows (figures, practices, model evidence, model terms,
# people; issue 15), one wording and one pair of classes site-wide: a reader must tell an invented
# quote from a checked one wherever it is shown. Not verified on a built site means its source has
# no stored copy, or (a model term may omit `source` in a case with several sources) the quote names
# no source and none of the case's stored copies holds it (a warning): a quote that is not in its
# source's stored copy fails validation (`quote-not-in-source`), and so does an unreadable copy.
VERIFIED_MARK = Markup('<span class="cb-verified" title="原文与仓库保存的来源文本逐字相符 '
                       'Quote matches the stored copy of the source">✓ 已核对</span>')
UNVERIFIED_MARK = Markup('<span class="cb-unverified" title="没有保存来源文本，原文未核对 '
                         'No stored copy of the source: not verified">未核对</span>')

# Same words and class (one status, 未核对), a tooltip that is true for it (review provenance2 #7).
UNATTRIBUTED_MARK = Markup('<span class="cb-unverified" title="引语未注明来源，'
                           '本案例保存的来源文本都不含这段原文，未核对 The quote names no source and '
                           'no stored copy of this case\'s sources holds it: not verified">未核对</span>')


def quote_mark(verified: bool | None) -> Markup:
    """The mark printed beside a quote (fixed HTML, no case text): VERIFIED_MARK for True,
    UNVERIFIED_MARK for False, UNATTRIBUTED_MARK for None (names no source, in no stored copy)."""
    if verified is None:
        return UNATTRIBUTED_MARK
    return VERIFIED_MARK if verified else UNVERIFIED_MARK


def quote_checks(case_path, case: dict) -> dict:
    """Which quotes of a case verify against the stored source snapshots (generator/provenance.py).

    {"metrics": [bool per metric], "practices": [bool per practice], "people": [bool per person],
    "evidence": {model id: [bool per evidence quote of that model]},
    "terms": {model id: [bool, None (its quote names no source and no stored copy holds it: see
    quote_mark) or "" (no quote) per term of that model]},
    "sources": {source id: {"verified": n, "total": m, "file": "sources/<id>.txt" or None}},
    "unattributed": how many quotes name no source and are in no stored copy (they belong to no
    source: with `sources` every quote of the case is counted once),
    "snapshots": (sha256 or None per source)}.
    """
    verdicts = provenance.verified_quotes(case_path, case)
    counts = verdicts.counts()
    sources = {}
    for s in case["sources"]:
        snap = verdicts.snapshots.get(s["id"])
        verified, total = counts.get(s["id"], (0, 0))
        sources[s["id"]] = {"verified": verified, "total": total,
                            "file": f"sources/{s['id']}.txt" if snap is not None else None}

    def term(j, k, t):
        if "quote" not in t:
            return ""
        parts = ("models", j, "terms", k, "quote")
        return None if verdicts.source_of.get(parts) is None else verdicts.verified(parts)

    return {"metrics": [verdicts.verified(("metrics", i, "quote"))
                        for i in range(len(case.get("metrics", [])))],
            "practices": [verdicts.verified(("practices", i, "quote"))
                          for i in range(len(case.get("practices", [])))],
            "people": [verdicts.verified(("people", i, "quote")) for i in range(len(case.get("people", [])))],
            "evidence": {m["id"]: [verdicts.verified(("models", j, "evidence", k, "quote"))
                                   for k in range(len(m["evidence"]))]
                         for j, m in enumerate(case.get("models", []))},
            "terms": {m["id"]: [term(j, k, t) for k, t in enumerate(m["terms"])]
                      for j, m in enumerate(case.get("models", []))},
            "sources": sources,
            "unattributed": counts.get(None, (0, 0))[1],
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


STRUCTURE_NOTES = {
    "hierarchy": "层级：上一级统筹下一级",
    # Drawn side by side; the note claims no more than that (qiannan 1+2+N: the source has the
    # first secretary lead the work team, so "互不隶属" would be false; review rv12 #13).
    "peers": "并列画出：原文未说明各部分之间的隶属关系",
    "pairing": "结对：两方一一结对",
    "list": "清单：逐项列出",
    "cycle": "循环：依次进行，周而复始",
}


def _term_box(term: dict, tag: str = "div", role: str = "") -> str:
    symbol = term.get("symbol")
    # The name is not repeated when it is the symbol itself (龙头企业/龙头企业; review rv12 #14).
    parts = [f'<span class="cb-symbol">{_html(symbol)}</span>' if symbol else "",
             f'<span class="cb-name">{_html(term["name"])}</span>' if term["name"] != symbol else ""]
    if term.get("led_by"):
        parts.append(f'<span class="cb-lead">{_html(term["led_by"])}</span>')
    extra = f' data-role="{role}"' if role else ""
    return f'<{tag} class="cb-term"{extra}>{"".join(parts)}</{tag}>'


def _pair_sides(term: dict) -> tuple[dict, dict] | None:
    """A term that is itself a pair, written `A—B` in its symbol (党群部门—弱村), split in two."""
    symbol = term.get("symbol") or ""
    if "—" not in symbol:
        return None
    left, right = (s.strip() for s in symbol.split("—", 1))
    return {"name": left}, {"name": right}


def _pair(left: str, right: str) -> str:
    return (f'<div class="cb-pair">{left}<span class="cb-join" aria-label="结对">⇄</span>{right}</div>')


def _diagram(model: dict) -> Markup:
    """The model's parts drawn as its `structure` says (HTML boxes: no script, no CDN).

    - hierarchy: levels top-down, an arrow ↓ between them (only where the source says who leads);
    - peers: boxes side by side, no arrows;
    - pairing: the two sides joined by ⇄; terms written `A—B` are pairs of their own; in a
      pair of two terms plus more (1+1+N), the further terms are whom the pair serves,
      drawn outside it (they are not members);
    - list: a numbered list; cycle: numbered steps in a loop back to the first.
    A model without `structure` is drawn as a list: no order or command is implied.
    """
    structure = model.get("structure") or "list"
    terms = model["terms"]
    label = f'aria-label="{_html(model["name"])}"'
    head = f'<div class="cb-diagram" data-structure="{structure}" role="figure" {label}>'
    note = f'<p class="cb-diagram-note">{STRUCTURE_NOTES[structure]}</p>'
    if structure == "hierarchy":
        arrow = '<span class="cb-arrow" aria-hidden="true">↓</span>'
        body = arrow.join(_term_box(t) for t in terms)
    elif structure == "peers":
        body = f'<div class="cb-row">{"".join(_term_box(t) for t in terms)}</div>'
    elif structure == "pairing":
        split = [_pair_sides(t) for t in terms]
        if all(split):
            body = "".join(_pair(_term_box(a), _term_box(b)) for a, b in split)
        elif len(terms) >= 2:
            body = _pair(_term_box(terms[0], role="side"), _term_box(terms[1], role="side"))
            if terms[2:]:
                served = "".join(_term_box(t, role="served") for t in terms[2:])
                body += ('<span class="cb-arrow" aria-hidden="true">↓</span>'
                         f'<div class="cb-served"><span class="cb-served-label">结对双方共同联系、服务</span>'
                         f"{served}</div>")
        else:
            body = "".join(_term_box(t) for t in terms)
    else:  # list, cycle
        items = "".join(_term_box(t, tag="li") for t in terms)
        body = f"<ol>{items}</ol>"
        if structure == "cycle":
            body += '<p class="cb-loop" aria-hidden="true">↻ 回到第一步</p>'
    return Markup(f"{head}{note}{body}</div>")


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


def build_pages(cases, edit_base: str | None = None, cache: dict | None = None,
                data_files: dict[str, bytes] | None = None, directory_urls: bool = True,
                lazy: bool = False) -> dict:
    """All generated pages for these cases (CaseFile objects with .data), path → Markdown.

    With `lazy`, each case and model page is a function of no argument that returns its
    text, to be called where the page is rendered (the render workers of
    generator/render_pool.py, in parallel: 24,000 such pages at 2,000 cases); the pages over
    the whole collection are text as always.

    `data_files` (name → bytes, as `export.package_files` returns them) is listed on the
    download page `data/index.md` with each file's size and row count; without it the page
    lists no file. `directory_urls` must match MkDocs' `use_directory_urls` (links in raw HTML).

    `cache` (a dict the caller keeps between builds, e.g. across `mkdocs serve` rebuilds)
    reuses each case and model page whose case files are unchanged, by content digest;
    pages over the whole collection (indexes, comparisons) are always rendered afresh.
    """
    # The loaded cases are millions of long-lived objects; unfrozen, the cycle collector
    # rescans them again and again while pages render (10,000 cases: 141 s instead of 64 s).
    # unfreeze() hands them back afterwards, so nothing is kept from collection for good.
    gc.freeze()
    try:
        return _build_pages(cases, edit_base, cache, data_files or {}, directory_urls, lazy)
    finally:
        gc.unfreeze()


def _build_pages(cases, edit_base: str | None, cache: dict | None, data_files: dict[str, bytes],
                 directory_urls: bool, lazy: bool) -> dict:
    env = _env()
    # A case or model page now, or the function that makes it when it is read (in a render
    # worker: there, a page cache would only grow with every page written, ~250 MB a worker
    # at 2,000 cases; lazy pages are never made under `mkdocs serve`, which keeps the cache).
    page = functools.partial(functools.partial, _cached) if lazy else _cached
    cache_of_pages, cache = cache, (None if lazy else cache)
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
    common = {"labels": lab, "fmt": fmt, "num": num, "verified": lambda m: id(m) in verified_metrics,
              "quote_mark": quote_mark, "title_id": title_id,
              "href": lambda here, target: escape(href(here, target, directory_urls))}
    pages: dict[str, str] = {}

    for c in data:
        first = c["sources"][0]
        citation = (f"{c['title']}。驻村帮扶案例库 Village Assistance Casebook，案例 {c['id']}。"
                    f"来源：{source_title(first)}"
                    + (f"，{first['publisher']}" if first.get("publisher") else "")
                    + (f"，{first['published']}" if first.get("published") else "") + "。")
        refs = [r for k in ("adopts", "adapted_from") for r in c.get(k, []) if r in by_model]

        checked = checks[c["id"]]

        def case_page(c=c, refs=refs, citation=citation, checked=checked):
            return env.get_template("case.md.j2").render(
                c=c, here=f"cases/{c['id']}.md", place=place_of(c), period=period_of(c),
                adopted=[by_model[r][0] for r in refs], citation=citation, checked=checked,
                edit=_edit_line(c, f"cases/{c['id']}.yaml", edit_base), **common)

        # Its inputs: the case file, the files of the models it adopts, the edit link base.
        key = (digest[c["id"]], edit_base, directory_urls, *(digest[by_model[r][1]["id"]] for r in refs),
               checked["snapshots"])  # a changed snapshot changes which quotes verify
        pages[f"cases/{c['id']}.md"] = page(cache, f"cases/{c['id']}.md", key, case_page)

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
            return _html_env().get_template("model.html.j2").render(
                m=m, case=c, here=f"models/{m['id']}.md", diagram=_diagram(m) if m["terms"] else "",
                figures=metrics_by_model.get(m["id"], []),
                evidence_verified=checks[c["id"]]["evidence"][m["id"]],
                term_verified=checks[c["id"]]["terms"][m["id"]],
                source_title=lambda ref, titles=sources: titles.get(ref, ref),
                adopters=linked["adopts"].get(m["id"], []),
                adapters=linked["adapted_from"].get(m["id"], []), **common)

        # Links in raw HTML depend on directory_urls; the marks of its evidence and figures on the
        # snapshots of its own case and of the cases whose figures it shows.
        key = (directory_urls, *(digest[x["id"]] for x in related),
               *(checks[x["id"]]["snapshots"] for x in related))
        pages[f"models/{m['id']}.md"] = page(cache, f"models/{m['id']}.md", key, model_page)

    kinds = lab["model_kind"]
    groups = [(k, kinds[k], [(m, c) for m, c in models if m["kind"] == k]) for k in kinds]
    groups = [g for g in groups if g[2]]
    # A model row's theme is the model's own (model_themes, as on the theme pages), not its case's.
    model_rows = [(m, c, {**_facets(c, [m]), "theme": " ".join(dict.fromkeys(m.get("themes", [])))})
                  for m, c in models]
    pages["models/index.md"] = env.get_template("models_index.md.j2").render(
        groups=groups, rows=model_rows, facets=_facet_options([f for *_, f in model_rows], lab),
        here="models/index.md", **common)

    theme_counts = Counter(t for c in data for t in c["themes"])
    themes = [(t, lab["theme"][t], theme_counts[t]) for t in lab["theme"]]
    # Newest = most recently added to the collection (git history, else file mtime: history.py).
    added = added_dates([c.path for c in cases])
    when = {c.data["id"]: added[c.path] for c in cases}
    newest = sorted(data, key=lambda c: (when[c["id"]], c["id"]), reverse=True)
    pages["index.md"] = env.get_template("home.md.j2").render(
        counts={"cases": len(data), "models": len(models),
                "provinces": len({c["place"]["province"] for c in data}),
                "metrics": sum(len(c.get("metrics", [])) for c in data)},
        formula_models=[m for m, _ in models if m.get("formula")], themes=themes,
        newest=[(c, when[c["id"]][:10]) for c in newest[:10]], **common)
    case_rows = [(c, place_of(c), period_of(c), _facets(c, c.get("models", []))) for c in data]
    pages["cases/index.md"] = env.get_template("cases_index.md.j2").render(
        rows=case_rows, facets=_facet_options([r[3] for r in case_rows], lab), here="cases/index.md",
        **common)
    pages["themes/index.md"] = env.get_template("themes_index.md.j2").render(themes=themes, **common)
    for t in lab["theme"]:
        pages[f"themes/{t}.md"] = env.get_template("theme.md.j2").render(
            label=lab["theme"][t], cases=[c for c in data if t in c["themes"]],
            models=[m for m, _ in models if t in m.get("themes", [])],
            practices=[(p, c) for c in data for p in c.get("practices", []) if t in p["themes"]],
            here=f"themes/{t}.md", **common)
    provinces = defaultdict(list)
    for c in data:
        provinces[c["place"]["province"]].append(c)
    pages["provinces.md"] = env.get_template("provinces.md.j2").render(
        groups=sorted(provinces.items()), **common)

    all_metrics = [(m, c) for c in data for m in c.get("metrics", [])]
    all_metrics.sort(key=lambda mc: (list(lab["theme"]).index(mc[0]["theme"]), mc[1]["id"]))
    # A chart compares only figures of one indicator (indicator_code) in one unit, with no
    # rate (per) and no part_of (a part would be drawn next to its whole): one chart each,
    # each on its own scale.
    comparable = defaultdict(list)
    for m, c in all_metrics:
        if m.get("indicator_code") and not m.get("per") and not m.get("part_of"):
            comparable[(m["indicator_code"], m["unit"])].append((m, c))
    codes = list(lab.get("indicator_code", {}))
    charts = []
    def order(item):
        code = item[0][0]
        return (codes.index(code) if code in codes else len(codes), item[0])

    for (code, _unit), members in sorted(comparable.items(), key=order):
        if len(members) < 2:
            continue
        bars = [(f"{c['place'].get('county') or c['place']['prefecture']} · {m['indicator']}", m["value"],
                 reading(m)) for m, c in members]
        title = lab.get("indicator_code", {}).get(code, {"zh": code, "en": code})
        charts.append((code, title, bar_chart(bars, title["zh"])))
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
                Markup("{}：{}").format(cell(f["indicator"]), fmt(f))
                for f in metrics_by_model.get(m["id"], []))
            rows.append((m, c, parts, figures))
        compare.append((kind, label, rows))
    pages["compare/models.md"] = env.get_template("compare_models.md.j2").render(groups=compare, **common)

    # The download page and the codebook are two pages, in data/ next to the files. The
    # package's README.md (the codebook) is published as a file, not a page (plugin.DataFile):
    # as a page it would take the download page's URL. plugin.py fails the build on clashes.
    pages["data/index.md"] = env.get_template("data.md.j2").render(
        files=_downloads(data_files), here="data/index.md", tables=len(TABLES), **common)
    # Breadcrumb back to 数据 (nav.js marks the 数据 tab from data-section; review rv12 #11).
    crumbs = (f'<nav class="cb-crumbs" aria-label="位置" data-section="data"><a href="'
              f'{escape(href("data/codebook.md", "data/index.md", directory_urls))}">数据</a> › '
              '<span aria-current="page">数据说明（codebook）</span></nav>\n\n')
    pages["data/codebook.md"] = "---\ntitle: 数据说明（codebook）\n---\n\n" + crumbs + codebook_markdown()
    pages["contribute/fields.md"] = env.get_template("fields.md.j2").render(
        fields=_field_rows(), vocabularies=[(n, load_schema()["definitions"][n].get("title", n).split(" ")[0],
                                             {Markup(k): v for k, v in vocabulary(n).items()})
                                            for n in VOCABULARIES], **common)
    if cache_of_pages is not None:  # forget the pages of removed cases and models
        for path in cache_of_pages.keys() - pages.keys():
            del cache_of_pages[path]
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
