"""How the site's search index grows with the number of cases, and what Pagefind would ship.

    python benchmarks/search_scale.py --cases 100 300 1000 3000

A proxy site, independent of the real one so it can run before and beside it: one
Markdown page per synthetic case with every Chinese text field a case page shows (the
narrative, models with their terms and steps, practices, the metrics table with quotes,
people, sources), built by mkdocs-material with the search plugin as issue 5 configures
it (`lang: zh`, jieba segmentation, the widened separator) and case pages out of the nav.
For each size it measures the build, the `search_index.json` a browser downloads (raw and
gzip), the time and memory Node needs to build the lunr index from it (what Material's
search worker does on the phone), and what Pagefind (1.x, extended build for Chinese)
writes for the same HTML and fetches for one query.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (benchmarks/ is not a package)
import synth  # noqa: E402

# Issue 5: the default Chinese separator leaves “1+12+X” as one token with its quotes.
SEPARATOR = r'[\s\u200b\-_,:!=\[\]()"`/“”‘’《》「」（）：]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'

MKDOCS_YML = """site_name: 检索规模测试（合成数据）
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
  font: false
nav:
  - index.md
plugins:
  - search:
      lang: zh
      separator: '{separator}'
"""

LUNR = r"""
const fs = require("fs"), lunr = require("lunr");
const t0 = process.hrtime.bigint();
const data = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const t1 = process.hrtime.bigint();
const sep = new RegExp(data.config.separator, "img");
lunr.tokenizer.separator = sep;
// As Material's worker: title boosted, text, tags; no stemmer for Chinese.
const index = lunr(function () {
  this.pipeline.reset(); this.searchPipeline.reset();
  this.ref("location"); this.field("title", {boost: 1e3}); this.field("text");
  this.field("tags", {boost: 1e6});
  for (const doc of data.docs) this.add(doc);
});
const t2 = process.hrtime.bigint();
if (global.gc) global.gc();
const heap = process.memoryUsage().heapUsed;
const hits = index.search("示例").length;
console.log(JSON.stringify({parse_ms: Number(t1 - t0) / 1e6, build_ms: Number(t2 - t1) / 1e6,
                            heap_mb: heap / 1048576, docs: data.docs.length, hits}));
"""


def case_page(case: dict) -> str:
    """A case page's text, in the order the site shows it (a stand-in for generator.pages)."""
    out = [f"# {case['title']}", "", f"**{case['headline']}**", "", case["summary"], "",
           "## 基本情况", "", case["background"], "", "## 主要做法", "", case["approach"], ""]
    for model in case.get("models", []):
        out += [f"### {model['name']}", "", model["summary"], ""]
        out += [f"- **{t.get('symbol', '')}** {t['name']}：{t['role']}" for t in model.get("terms", [])]
        out += [""] + [f"{i}. {s}" for i, s in enumerate(model.get("steps", []), 1)] + [""]
        out += [f"> {e['quote']}" for e in model["evidence"]] + [""]
    for practice in case.get("practices", []):
        out += [f"### {practice['title']}", "", practice["description"], "", f"> {practice['quote']}", ""]
    out += ["## 取得成效", "", case["outcomes"], "", "| 指标 | 数值 | 单位 | 原文 |", "|---|---|---|---|"]
    out += [f"| {m['indicator']} | {m['value']} | {m['unit']} | {m['quote']} |"
            for m in case.get("metrics", [])]
    out += ["", "## 经验启示", ""] + [f"- {lesson}" for lesson in case["lessons"]] + [""]
    if case.get("people"):
        out += ["## 人物", ""] + [f"- {p['name']}（{p['role']}）：{p['did']}" for p in case["people"]] + [""]
    out += ["## 来源", ""] + [f"- {s['title']}，{s.get('publisher', '')}" for s in case["sources"]]
    return "\n".join(out) + "\n"


def build_site(n: int, out: Path, seed: int) -> Path:
    """Write the proxy site for n synthetic cases; return its folder."""
    return write_site(synth.generate(n, out / f"cases-{n}", seed), out / f"search-{n}")


def write_site(corpus: list[Path], site: Path) -> Path:
    """Write a proxy site with one page per case file; return its folder."""
    import yaml

    shutil.rmtree(site, ignore_errors=True)
    (site / "docs" / "cases").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# 检索规模测试（合成数据）\n", encoding="utf-8")
    for path in corpus:
        case = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        (site / "docs" / "cases" / f"{case['id']}.md").write_text(case_page(case), encoding="utf-8")
    (site / "mkdocs.yml").write_text(MKDOCS_YML.format(separator=SEPARATOR.replace("'", "''")),
                                     encoding="utf-8")
    return site


def pagefind(site: Path, node: Path, logs: Path) -> dict:
    """Index the built HTML with Pagefind; sizes of what it writes and of one query's fetches."""
    binary = node / "node_modules" / ".bin" / "pagefind"
    if not binary.exists():
        return {"note": f"n/a: npm install pagefind in {node}"}
    wall, cpu, peak = run.run_step([str(binary), "--site", str(site / "site")],
                                   logs / f"pagefind-{site.name}.log")
    pf = site / "site" / "pagefind"
    files = [p for p in pf.rglob("*") if p.is_file()]
    chunks = [p.stat().st_size for p in pf.glob("index/*.pf_index")]
    fragments = [p.stat().st_size for p in pf.glob("fragment/*.pf_fragment")]
    fixed = sum(p.stat().st_size for p in files if p.suffix in (".js", ".json", ".pf_meta")
                or p.name.startswith("wasm."))
    # One query for one word fetches the entry, the wasm, the metadata, the index chunk that
    # holds the word, and the fragments of the results shown (5 per page by default).
    wasm = max((p.stat().st_size for p in pf.glob("wasm.*")), default=0)
    meta = sum(p.stat().st_size for p in pf.glob("*.pf_meta"))
    entry = (pf / "pagefind-entry.json").stat().st_size if (pf / "pagefind-entry.json").exists() else 0
    js = (pf / "pagefind.js").stat().st_size if (pf / "pagefind.js").exists() else 0
    per_query = js + entry + wasm + meta + (max(chunks) if chunks else 0) + 5 * (
        sum(fragments) // max(1, len(fragments)))
    total = sum(p.stat().st_size for p in files)
    return {"wall": wall, "cpu": cpu, "peak_mb": peak, "total_kb": total / 1024,
            "files": len(files), "chunks": len(chunks), "chunk_max_kb": max(chunks, default=0) / 1024,
            "fixed_kb": fixed / 1024, "per_query_kb": per_query / 1024}


def real_gzip_ratio(out: Path) -> float | None:
    """gzip ratio of the search index of a proxy site built from the real cases in cases/.

    Synthetic text repeats a small vocabulary and compresses unrealistically well (about
    24×, against about 8× for the index of a real case), so download sizes are estimated from the raw size
    at the real text's ratio.
    """
    real = sorted((ROOT / "cases").glob("*.yaml"))
    if not real:
        return None
    site = write_site(real, out / "search-real")
    run.run_step([str(BIN / "mkdocs"), "build", "-q", "-f", str(site / "mkdocs.yml")],
                 out / "logs" / "search-build-real.log")
    raw = (site / "site" / "search" / "search_index.json").read_bytes()
    return len(raw) / len(gzip.compress(raw, 6))


def measure(n: int, out: Path, seed: int, node: Path) -> dict:
    """Build the proxy site for n cases and measure its search."""
    logs = out / "logs"
    site = build_site(n, out, seed)
    wall, cpu, peak = run.run_step([str(BIN / "mkdocs"), "build", "-q", "-f", str(site / "mkdocs.yml")],
                                   logs / f"search-build-{n}.log")
    index = site / "site" / "search" / "search_index.json"
    raw = index.read_bytes()
    result = {"cases": n, "build_s": wall, "build_cpu_s": cpu, "build_peak_mb": peak,
              "index_kb": len(raw) / 1024, "index_gzip_synthetic_kb": len(gzip.compress(raw, 6)) / 1024}
    if (node / "node_modules" / "lunr").is_dir():
        script = node / "lunr_build.js"
        script.write_text(LUNR, encoding="utf-8")
        done = subprocess.run(["node", "--expose-gc", str(script), str(index)], capture_output=True,
                              text=True, cwd=node, check=True)
        result["lunr"] = json.loads(done.stdout)
    result["pagefind"] = pagefind(site, node, logs)
    return result


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--node", type=Path, default=ROOT / "build" / "bench" / "node",
                        help="folder with node_modules/{lunr,pagefind} (npm install lunr pagefind)")
    args = parser.parse_args()
    out = args.out.resolve()
    ratio = real_gzip_ratio(out) or 1.0
    print(f"gzip ratio of a search index of the real cases: {ratio:.2f}", file=sys.stderr)
    rows = [f"| cases | build s | index KB | gzip KB (at the real text's ratio {ratio:.1f}) | KB/case | "
            "lunr parse+build ms | lunr heap MB | Pagefind total KB | Pagefind per query KB |",
            "|---:" * 9 + "|"]
    results = []
    for n in args.cases:
        r = measure(n, out, args.seed, args.node.resolve())
        r["index_gzip_kb"] = r["index_kb"] / ratio
        r["real_gzip_ratio"] = ratio
        results.append(r)
        lunr = r.get("lunr", {})
        pf = r["pagefind"]
        rows.append(f"| {n:,} | {r['build_s']:.1f} | {r['index_kb']:,.0f} | {r['index_gzip_kb']:,.0f} | "
                    f"{r['index_gzip_kb'] / n:.1f} | "
                    f"{lunr.get('parse_ms', 0) + lunr.get('build_ms', 0):,.0f} | "
                    f"{lunr.get('heap_mb', 0):.0f} | "
                    f"{pf.get('total_kb', 0):,.0f} | {pf.get('per_query_kb', 0):,.0f} |")
        print(rows[-1], file=sys.stderr, flush=True)
    print("\n".join(rows))
    (out / "search_scale.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
