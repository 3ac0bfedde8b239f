"""Measure validate, export and the site against the parse floor and check-jsonschema.

    python benchmarks/run.py                                   # both corpora, default sizes
    python benchmarks/run.py --synthetic 1000 10000 --real 2000 10000 --build-max 2000

Two corpora, side by side: synthetic cases (benchmarks/synth.py: a spread of sizes, no
warnings, every quote verified against a made-up snapshot) in build/bench/cases-N/cases,
their sources' snapshots in build/bench/cases-N/sources; and cases cloned from the real ones
in cases/ with every id renamed (benchmarks/real_corpus.py: 4× larger files, and every case
carries warnings, as real ones do) in build/bench/real-N. For each corpus and size it runs every step on
the same files, each as its own subprocess so that time and memory belong to that step alone:

  (a) floor            read + parse every file with PyYAML's C loader, one process, nothing else
  (b) validate         `casebook validate`
  (c) check-jsonschema `check-jsonschema --schemafile schema/case.schema.json FILES…`
  (d) export           `casebook export` (when the command exists)
  (e) pages            page generation alone (when generator.pages exists)
  (f) mkdocs build     the full site, synthetic corpus, at sizes up to --site-max
  (g) casebook build   validate + export + site in one command, real corpus, up to --build-max
  (h) phone search     the first search on a phone in the site (g) built (benchmarks/phone_search.py)

plus the reload after a one-file change and a correctness check on a copy with seeded
errors (the run stops with an AssertionError if validate's answer changes). Wall time is
the minimum of --repeat runs for the cheap steps (this machine is a shared VM; the
minimum is the least disturbed run); CPU time and peak memory come from the kernel
(wait4 rusage of the step and everything it started) plus a sampled sum of PSS over the
process tree, so a parent and its workers are counted together.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import real_corpus  # noqa: E402
import synth  # noqa: E402  (benchmarks/ is not a package)

FLOOR = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


@dataclass
class Result:
    """One measured step at one size."""

    step: str
    cases: int
    wall: float | None = None  # seconds, best of the repeats
    cpu: float | None = None  # user + system seconds of the step and its children
    peak_mb: float | None = None  # max(sampled PSS sum of the process tree, largest RSS)
    walls: list[float] = field(default_factory=list)
    note: str = ""
    load: float | None = None  # 1-minute load average after the step: > 2 means others shared the cores
    corpus: str = "synthetic"  # or "real" (benchmarks/real_corpus.py)


# --- running one step ----------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    """All live descendants of pid, read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_step(cmd: list[str], log: Path, cwd: Path = ROOT, expect: tuple[int, ...] = (0,),
             sample: bool = True) -> tuple[float, float, float]:
    """Run cmd; return (wall s, cpu s, peak MB). Fails loudly on an unexpected exit status."""
    log.parent.mkdir(parents=True, exist_ok=True)
    peak_kb = 0
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        next_sample = start
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if sample and now >= next_sample:
                peak_kb = max(peak_kb, sum(_pss_kb(p) for p in _children(proc.pid)))
                next_sample = now + 0.1
            time.sleep(0.02)  # polling costs the measured step little of the 2 cores
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in expect:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(cmd[:3])}… exited {code}, expected {expect}; see {log}\n{tail}")
    peak_kb = max(peak_kb, usage.ru_maxrss)
    return wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024


def measure(step: str, n: int, cmd: list[str], logs: Path, repeat: int = 1, **kw) -> Result:
    """Run a step `repeat` times; keep the fastest wall time and its CPU and memory."""
    runs = [run_step(cmd, logs / f"{step}-{n}-{i}.log", **kw) for i in range(repeat)]
    best = min(runs)
    return Result(step, n, best[0], best[1], max(r[2] for r in runs), [round(r[0], 2) for r in runs],
                  load=os.getloadavg()[0])


# --- the optional steps: present only once their code exists ---------------------------------

def _casebook_has(command: str) -> bool:
    probe = subprocess.run([str(BIN / "casebook"), command, "--help"], capture_output=True, cwd=ROOT)
    return probe.returncode == 0


def _workdir(corpus: Path, n: int, out: Path) -> Path:
    """A folder that looks like the repository but whose cases/ is the corpus (and whose
    sources/ holds the synthetic corpus's snapshots)."""
    work = out / f"work-{n}"
    work.mkdir(parents=True, exist_ok=True)
    cases = work / "cases"  # a real folder (a linked cases folder is refused), of hard links
    if cases.is_symlink():
        cases.unlink()
    shutil.rmtree(cases, ignore_errors=True)
    shutil.copytree(corpus, cases, copy_function=os.link, ignore=shutil.ignore_patterns(".*"))
    # The synthetic corpus brings its snapshots (synth.py writes them next to its cases/): a
    # real folder of hard links too, since a linked sources folder is refused. The real-shaped
    # corpus has none: the clones' source ids are renamed, so no snapshot would match (each
    # source gets the no-snapshot warning).
    sources, snapshots = work / synth.SOURCES, corpus.parent / synth.SOURCES
    shutil.rmtree(sources, ignore_errors=True)
    if corpus.name == synth.CASES and snapshots.is_dir():
        shutil.copytree(snapshots, sources, copy_function=os.link)
    for name, target in (("schema", ROOT / "schema"), ("site", ROOT / "site")):
        link = work / name
        if link.is_symlink() or link.exists():
            link.unlink()
        if target.exists():
            link.symlink_to(target.resolve(), target_is_directory=True)
    for name in ("mkdocs.yml", "DATA_VERSION", "CITATION.cff", "CHANGELOG.md"):  # a data project
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, work / name)
    return work


PAGES = """
import json, sys, time
from generator.pages import build_pages
from generator.validate import validate_paths
report = validate_paths([sys.argv[1]])
t = time.perf_counter(); pages = build_pages(report.cases); spent = time.perf_counter() - t
print(json.dumps({"seconds": spent, "pages": len(pages),
                  "mb": sum(len(v.encode()) for v in pages.values()) / 2**20}))
"""

SITE = """
import json, sys, time
from generator import plugin
from mkdocs.commands.build import build
from mkdocs.config import load_config
spent = {}
def timed(name, method):
    def wrapper(self, *args, **kwargs):
        t = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0) + time.perf_counter() - t
    return wrapper
for name in ("on_config", "on_files"):
    setattr(plugin.CasebookPlugin, name, timed(name, getattr(plugin.CasebookPlugin, name)))
t = time.perf_counter(); build(load_config(sys.argv[1])); total = time.perf_counter() - t
print(json.dumps({"generator": sum(spent.values()), "total": total}))
"""


def _json_tail(log: Path) -> dict:
    return json.loads(log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1])


def measure_pages(corpus: Path, n: int, logs: Path) -> Result:
    """Page generation alone: time of generator.pages.build_pages on loaded cases."""
    try:
        import generator.pages  # noqa: F401
    except ImportError:
        return Result("(e) page generation", n, note="n/a: generator.pages does not exist yet")
    log = logs / f"pages-{n}.log"
    _, cpu, peak = run_step([sys.executable, "-c", PAGES, str(corpus)], log)
    info = _json_tail(log)
    return Result("(e) page generation", n, info["seconds"], None, peak,
                  note=f"{info['pages']:,} pages, {info['mb']:.0f} MB Markdown; time excludes loading")


def measure_site(corpus: Path, n: int, out: Path, logs: Path) -> Result:
    """A full `mkdocs build` of the real site over the corpus, with the search index size."""
    if not (ROOT / "mkdocs.yml").is_file():
        return Result("(f) mkdocs build", n, note="n/a: mkdocs.yml does not exist yet")
    work = _workdir(corpus, n, out)
    log = logs / f"site-{n}.log"
    wall, cpu, peak = run_step([sys.executable, "-c", SITE, str(work / "mkdocs.yml")], log)
    info = _json_tail(log)
    index = work / "build" / "site" / "search" / "search_index.json"
    note = f"generator {info['generator']:.1f} s = {info['generator'] / info['total']:.0%} of the build"
    if index.is_file():
        import gzip

        raw = index.read_bytes()
        packed = len(gzip.compress(raw, 6))
        note += (f"; search index {len(raw) / 2**20:.1f} MB, gzip {packed / 2**20:.1f} MB "
                 f"(synthetic text; real text compresses ~3× less, see README)")
    return Result("(f) mkdocs build", n, wall, cpu, peak, note=note)


def measure_build(corpus: Path, n: int, out: Path, logs: Path, kind: str) -> Result:
    """`casebook build` in a copy of the repository whose cases/ is the corpus: validation,
    the data package and the site (MkDocs, Material, Pagefind), as a contributor's CI runs it."""
    if not (ROOT / "mkdocs.yml").is_file():
        return Result("(g) casebook build", n, corpus=kind, note="n/a: mkdocs.yml does not exist yet")
    work = _workdir(corpus, n, out / kind)
    wall, cpu, peak = run_step([str(BIN / "casebook"), "build"], logs / f"build-{kind}-{n}.log", cwd=work)
    site = work / "build" / "site"
    pages = sum(1 for _ in site.rglob("index.html"))
    mb = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20
    return Result("(g) casebook build", n, wall, cpu, peak, load=os.getloadavg()[0], corpus=kind,
                  note=f"{pages:,} pages, site {mb:,.0f} MB; CPU includes the validation workers "
                       "and Pagefind")


def measure_phone_search(site: Path, n: int, logs: Path) -> Result:
    """The first search on a phone in the site just built (benchmarks/phone_search.py:
    Chromium, CDP, bytes until the first result, two start pages, the issue's queries, CPU
    ×1 and ×4): the largest transfer and the slowest first result after the last fragment."""
    import re

    log = logs / f"phone-search-{n}.log"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "phone_search.py"), "--site", str(site),
                           "--out", str(logs / f"phone-search-{n}")],
                          capture_output=True, text=True, check=False)
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    found = re.search(r"largest first search: (\d+) KB .*?slowest first result after the last fetch: "
                      r"(\d+) ms", done.stdout, re.S)
    if done.returncode or not found:
        raise RuntimeError(f"phone_search.py failed (exit {done.returncode}); see {log}")
    return Result("(h) first phone search", n, load=os.getloadavg()[0],
                  note=f"{found[1]} KB at most (budget 300 KB), first results {found[2]} ms at most "
                       "after the last fragment (budget 1000 ms); table in " + str(log))


# --- correctness on a copy with seeded errors ------------------------------------------------

def seed_errors(corpus: Path, target: Path) -> dict[str, set[str]]:
    """Copy corpus to target and break some files; return {file name: the rules it must break}."""
    import copy

    import yaml

    shutil.rmtree(target, ignore_errors=True)
    # Only the cases, not their snapshots: the duplicated model below carries quotes of
    # another case's source, which its new source's snapshot does not hold. The seeded
    # copy therefore has no-snapshot warnings; the check compares errors only.
    shutil.copytree(corpus, target, ignore=shutil.ignore_patterns(".synth.json"))
    data = {p: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for p in sorted(target.glob("*.yaml"))}
    # Break only cases whose models no other case adopts: a broken case's models vanish
    # from the cross-file checks, and the cases adopting them would fail too.
    adopted = {ref for d in data.values() for ref in d.get("adopts", [])}
    files = [p for p, d in data.items() if not adopted & {m["id"] for m in d["models"]}]
    if len(files) < 40:
        raise SystemExit("the seeded-error check needs at least 40 cases whose models nobody adopts")
    expected: dict[str, set[str]] = {}

    def edit_data(path: Path, change, rule: str) -> None:
        change(data[path])
        path.write_text(synth.to_yaml(data[path]), encoding="utf-8")
        expected[path.name] = {rule}

    def edit_text(path: Path, old: str, new: str, rule: str) -> None:
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise AssertionError(f"cannot seed {rule} into {path.name}")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        expected[path.name] = {rule}

    def metric_value(d):
        d["metrics"][0]["value"] = d["metrics"][0]["value"] * 10 + 1

    def qualifier(d):
        m = next(m for m in d["metrics"] if m["qualifier"] in ("exact", "at_least"))
        m["qualifier"] = "at_least" if m["qualifier"] == "exact" else "exact"

    def unit(d):
        d["metrics"][-1]["unit"] = "yuan"

    def required(d):
        del d["title"]

    def type_error(d):
        d["metrics"][0]["value"] = "四百万"

    def ref_model(d):
        d["adopts"] = ["shili-no-such-model"]

    def period(d):
        d["period"] = {"start": "2024-05", "end": "2020"}

    def duplicate_model(d):
        twin = copy.deepcopy(data[files[0]]["models"][0])  # same id as a model of another case
        for part in (*twin.get("terms", []), *twin["evidence"]):
            if "source" in part:
                part["source"] = d["sources"][0]["id"]
        d["models"].append(twin)

    edit_data(files[3], metric_value, "metric-value")
    edit_data(files[5], qualifier, "metric-qualifier")
    edit_data(files[8], unit, "schema-oneOf")
    edit_data(files[13], required, "schema-required")
    edit_data(files[16], type_error, "schema-type")
    edit_data(files[21], ref_model, "ref-model")
    edit_data(files[24], period, "period-order")
    edit_data(files[30], duplicate_model, "unique-model-id")
    edit_text(files[34], "\nschema_version: 2\n", "\nschema_version: 2\nid: [unclosed\n", "yaml")
    edit_text(files[36], "\nplace:\n  province:", "\nplace:\n\tprovince:", "tabs")
    edit_text(files[38], "\nscope: ", "\nheadline: 重复\nscope: ", "duplicate-key")
    renamed = files[39].with_name("shilixx-renamed.yaml")
    files[39].rename(renamed)
    expected[renamed.name] = {"id-filename"}
    return expected


def check_correctness(corpus: Path, out: Path, logs: Path) -> str:
    """Seed errors; validate must find exactly them, the same way in parallel and serially."""
    from generator.load import discover, read_case
    from generator.report import format_problem
    from generator.validate import check, validate_paths

    seeded = out / "seeded"
    expected = seed_errors(corpus, seeded)
    cli = subprocess.run([str(BIN / "casebook"), "validate", str(seeded)], capture_output=True,
                         text=True, cwd=ROOT)
    assert cli.returncode == 1, cli.stderr
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "seeded-validate.log").write_text(cli.stdout + cli.stderr, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(ROOT)  # the CLI ran here: display paths must match
    try:
        serial = validate_paths([seeded], jobs=1)
        in_memory = check([read_case(p) for p in discover([seeded])])
    finally:
        os.chdir(cwd)
    lines = [format_problem(p) for p in serial.problems]
    assert cli.stdout.splitlines() == lines, "parallel CLI and serial validation disagree"
    assert [format_problem(p) for p in in_memory.problems] == lines, "in-memory check disagrees"
    found: dict[str, set[str]] = {}
    for p in serial.errors:  # warnings (advice) may come and go; errors must be exactly these
        found.setdefault(Path(p.path).name, set()).add(p.rule)
    assert found == expected, f"seeded errors not found as expected:\n{found}\n!=\n{expected}"
    assert len(serial.cases) == len(list(seeded.glob("*.yaml"))) - len(expected)
    return (f"{len(expected)} seeded files, {len(serial.errors)} errors: parallel CLI == serial == "
            f"in-memory, each file exactly its seeded rules")


# --- incremental reload ------------------------------------------------------------------------

RELOAD = """
import json, sys, time
from pathlib import Path
from generator.validate import Checker
try:
    from generator.export import package_files
    from generator.pages import build_pages
except ImportError:
    build_pages = package_files = None
folder = Path(sys.argv[1])
checker = Checker()
t = time.perf_counter(); first = checker.check_paths([folder]); cold = time.perf_counter() - t
page_cache = {}
if build_pages:  # the plugin's first build fills its page cache
    build_pages(first.cases, cache=page_cache)
path = sorted(folder.glob("*.yaml"))[len(list(folder.glob("*.yaml"))) // 2]
text = path.read_text(encoding="utf-8")
path.write_text(text.replace("notes: ", "notes: 改动一处。", 1), encoding="utf-8")
try:
    t = time.perf_counter(); report = checker.check_paths([folder]); warm = time.perf_counter() - t
finally:
    path.write_text(text, encoding="utf-8")
assert report.ok and checker.rechecked == 1, (checker.rechecked, report.problems[:3])
out = {"cold": cold, "warm": warm, "reused": checker.reused}
if build_pages:  # what the plugin's on_config does after validating, on every rebuild
    t = time.perf_counter()
    build_pages(report.cases, cache=page_cache)
    out["pages"] = time.perf_counter() - t
    t = time.perf_counter(); package_files(report.cases); out["package"] = time.perf_counter() - t
print(json.dumps(out))
"""


def measure_reload(corpus: Path, out: Path, logs: Path) -> dict:
    """In-process validation before and after a one-file change, via the Checker cache."""
    copy = out / "reload"
    shutil.rmtree(copy, ignore_errors=True)
    # The cases with their snapshots beside them (cases/, sources/), as synth.py wrote them.
    shutil.copytree(corpus.parent, copy, ignore=shutil.ignore_patterns(".synth.json"))
    done = subprocess.run([sys.executable, "-c", RELOAD, str(copy / corpus.name)], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.splitlines()[-1])


# --- the run -----------------------------------------------------------------------------------

def machine() -> dict:
    """The facts a reader needs to compare these numbers with their own."""
    import yaml

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    cjs = subprocess.run([str(BIN / "check-jsonschema"), "--version"], capture_output=True, text=True)
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory_mb": mem, "python": platform.python_version(),
        "pyyaml": yaml.__version__, "libyaml": yaml.__with_libyaml__,
        "jsonschema_rs": version("jsonschema_rs"), "mkdocs_material": _version("mkdocs-material"),
        "check_jsonschema": cjs.stdout.strip().split()[-1] if cjs.returncode == 0 else "missing",
    }


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "missing"


def _corpus(kind: str, n: int, out: Path, seed: int) -> tuple[Path, list[Path]]:
    """Write the n-case corpus of this kind; return its folder and files."""
    if kind == "real":
        folder = out / f"real-{n}"
        return folder, real_corpus.generate(n, folder)
    folder = out / f"cases-{n}"  # cases-N/cases and cases-N/sources (the snapshots)
    return folder / synth.CASES, synth.generate(n, folder, seed)


def run(kind: str, sizes: list[int], seed: int, out: Path, repeat: int, site_max: int,
        build_max: int, full: bool, cjs_files: int, export: bool = True) -> list[Result]:
    """Measure every step at every size of one corpus; print progress to stderr as it goes."""
    logs = out / "logs" / kind
    results: list[Result] = []
    has_export = export and _casebook_has("export")
    for n in sizes:
        t = time.perf_counter()
        corpus, files = _corpus(kind, n, out, seed)
        kb = sum(p.stat().st_size for p in files) / len(files) / 1024
        _say(f"{kind}: {n} cases ready in {corpus} ({kb:.1f} KB per file, {time.perf_counter() - t:.1f} s)")
        reps = repeat if n <= 2000 else max(1, repeat - 1)
        floor = Result("(a) floor: C-loader parse", n, corpus=kind)
        validate = Result("(b) casebook validate", n, corpus=kind)
        for _ in range(reps):  # interleaved, so a slow spell of the machine hits both
            for res, cmd in ((floor, [sys.executable, "-c", FLOOR, str(corpus)]),
                             (validate, [str(BIN / "casebook"), "validate", str(corpus)])):
                one = measure(res.step, n, cmd, logs)
                res.walls += one.walls
                if res.wall is None or one.wall < res.wall:
                    res.wall, res.cpu = one.wall, one.cpu
                res.peak_mb = max(res.peak_mb or 0, one.peak_mb)
                res.load = one.load
        validate.note = f"{_warnings(logs / f'{validate.step}-{n}-0.log')} warnings"
        results += [floor, validate]
        _say(f"  floor {floor.walls} s, validate {validate.walls} s")
        cjs = BIN / "check-jsonschema"
        if cjs.exists():
            # check-jsonschema takes 70 ms (synthetic) to 300 ms (real) per file here: one
            # process, files one after another, so its cost is per file. Above `cjs_files`
            # files it runs on every k-th file and is scaled by k, unless --full.
            step = 1 if full or n <= cjs_files else max(1, round(n / cjs_files))
            res = measure("(c) check-jsonschema", n, [str(cjs), "--schemafile", "schema/case.schema.json",
                                                      *map(str, files[::step])], logs)
            res.corpus = kind
            if step > 1:
                scale = len(files) / len(files[::step])
                res.note = (f"every {step}th file ({len(files[::step])} files, {res.wall:.1f} s) "
                            f"scaled ×{scale:.0f}; --full runs all")
                res.wall, res.cpu = res.wall * scale, res.cpu * scale
            results.append(res)
            _say(f"  check-jsonschema {res.wall:.1f} s")
        else:
            results.append(Result("(c) check-jsonschema", n, corpus=kind,
                                  note="n/a: pip install -e '.[bench]'"))
        if has_export:
            res = measure("(d) casebook export", n, [str(BIN / "casebook"), "export", str(corpus), "--out",
                                                     str(out / f"export-{kind}-{n}")], logs, repeat=reps)
            res.corpus = kind
            results.append(res)
            _say(f"  export {res.walls} s")
        else:
            results.append(Result("(d) casebook export", n, corpus=kind,
                                  note="left out (--no-export)" if not export
                                  else "n/a: `casebook export` does not exist yet"))
        if kind == "synthetic":
            results.append(_optional("(e) page generation", n, kind, measure_pages, corpus, n, logs))
            _say(f"  pages {results[-1].wall} s")
        if kind == "synthetic" and n <= site_max:
            results.append(_optional("(f) mkdocs build", n, kind, measure_site, corpus, n, out, logs))
            _say(f"  mkdocs build {results[-1].wall} s")
        if kind == "real" and n <= build_max:
            results.append(_optional("(g) casebook build", n, kind, measure_build, corpus, n, out, logs,
                                     kind))
            _say(f"  casebook build {results[-1].wall} s")
            if results[-1].wall is not None:
                results.append(_optional("(h) first phone search", n, kind, measure_phone_search,
                                         out / kind / f"work-{n}" / "build" / "site", n, logs))
                _say(f"  first phone search: {results[-1].note}")
    return results


def _warnings(log: Path) -> str:
    """How many warnings `casebook validate` printed (its last line says)."""
    import re

    found = re.search(r"(\d+) warning", log.read_text(encoding="utf-8", errors="replace"))
    return f"{int(found.group(1)):,}" if found else "no"


def _optional(step: str, n: int, kind: str, fn, *args) -> Result:
    # The site is built by other code that may be mid-change: a failure there is reported
    # in the table, and the measurements of validate and export still stand.
    try:
        res = fn(*args)
    except RuntimeError as exc:
        _say(str(exc))
        return Result(step, n, corpus=kind, note=f"failed: {str(exc).splitlines()[0]}")
    res.corpus = kind
    return res


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def table(results: list[Result]) -> str:
    """The results as a Markdown table, with each step's ratio to the floor at its size."""
    floors = {(r.corpus, r.cases): r.wall for r in results if r.step.startswith("(a)")}
    cjs = {(r.corpus, r.cases): r.wall for r in results if r.step.startswith("(c)") and r.wall}
    rows = ["| corpus | step | cases | wall s | CPU s | peak MB | × floor | load | note |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        load = "–" if r.load is None else f"{r.load:.1f}"
        if r.wall is None:
            rows.append(f"| {r.corpus} | {r.step} | {r.cases:,} | – | – | – | – | {load} | {r.note} |")
            continue
        note = r.note
        if r.step.startswith("(b)") and (r.corpus, r.cases) in cjs:
            faster = f"{cjs[r.corpus, r.cases] / r.wall:.1f}× faster than check-jsonschema"
            note = faster + (f"; {note}" if note else "")
        if len(r.walls) > 1:
            note = f"runs {r.walls}" + (f"; {note}" if note else "")
        cpu = "–" if r.cpu is None else f"{r.cpu:.2f}"
        floor = floors.get((r.corpus, r.cases))
        ratio = f"{r.wall / floor:.2f}" if floor else "–"
        rows.append(f"| {r.corpus} | {r.step} | {r.cases:,} | {r.wall:.2f} | {cpu} | {r.peak_mb:.0f} | "
                    f"{ratio} | {load} | {note} |")
    return "\n".join(rows)


def side_by_side(results: list[Result]) -> str:
    """The targets of issue 13 for both corpora: one row per step and size, ratios from the same run."""
    by = {(r.corpus, r.step, r.cases): r for r in results}
    floors = {(r.corpus, r.cases): r.wall for r in results if r.step.startswith("(a)")}
    cjs = {(r.corpus, r.cases): r.wall for r in results if r.step.startswith("(c)") and r.wall}
    sizes = sorted({r.cases for r in results})
    rows = ["| step | cases | synthetic | real-shaped |", "|---|---:|---|---|"]

    def cell(corpus: str, step: str, n: int) -> str:
        r = by.get((corpus, step, n))
        if r is None or r.wall is None:
            return "–"
        text = f"{r.wall:.1f} s"
        if not step.startswith(("(a)", "(g)", "(f)")) and floors.get((corpus, n)):
            text += f", {r.wall / floors[corpus, n]:.2f}× floor"
        if step.startswith("(b)") and cjs.get((corpus, n)):
            text += f", {cjs[corpus, n] / r.wall:.1f}× faster than check-jsonschema"
        return text + f", {r.peak_mb:.0f} MB"

    for step in sorted({r.step for r in results}):
        for n in sizes:
            a, b = cell("synthetic", step, n), cell("real", step, n)
            if a != "–" or b != "–":
                rows.append(f"| {step} | {n:,} | {a} | {b} |")
    return "\n".join(rows)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, nargs="*", default=[1000, 10000],
                        help="sizes of the synthetic corpus (none: skip it)")
    parser.add_argument("--real", type=int, nargs="*", default=[2000, 10000],
                        help="sizes of the corpus cloned from cases/ (none: skip it)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of floor/validate/export at ≤2,000 cases (one fewer above); best kept")
    parser.add_argument("--site-max", type=int, default=1000,
                        help="largest synthetic size for the full mkdocs build")
    parser.add_argument("--build-max", type=int, default=2000,
                        help="largest real-shaped size for `casebook build`")
    parser.add_argument("--cjs-files", type=int, default=1000,
                        help="above this many files, check-jsonschema runs on a sample and is scaled")
    parser.add_argument("--no-export", action="store_true", help="leave out `casebook export`")
    parser.add_argument("--full", action="store_true",
                        help="run check-jsonschema on every file at every size (10,000 files: ~12 min)")
    args = parser.parse_args()
    out = args.out.resolve()
    started = time.perf_counter()
    info = machine()
    _say(f"machine: {info}")
    results = []
    for kind, sizes in (("real", args.real), ("synthetic", args.synthetic)):
        if sizes:
            results += run(kind, sorted(sizes), args.seed, out, args.repeat, args.site_max,
                           args.build_max, args.full, args.cjs_files, not args.no_export)
    lines = [side_by_side(results), "", table(results), ""]
    if args.synthetic:
        small = out / f"cases-{min(args.synthetic)}" / synth.CASES
        correctness = check_correctness(small, out, out / "logs")
        _say(f"correctness: {correctness}")
        reload = measure_reload(small, out, out / "logs")
        lines += [
            f"reload after a one-file change at {min(args.synthetic):,} synthetic cases: validation "
            f"(Checker) {reload['warm'] * 1000:.0f} ms, {reload['reused']} files reused (cold check "
            f"{reload['cold']:.2f} s)"
            + (f"; then the plugin renders the pages, reusing unchanged case and model pages "
               f"({reload['pages']:.1f} s), and the data package ({reload['package']:.1f} s)"
               if "pages" in reload else ""),
            f"correctness: {correctness}",
        ]
    else:
        reload = {}
    lines += [
        f"machine: {info}",
        "load average after each measured step (2 cores; above 2 other work competed): "
        + ", ".join(f"{r.corpus} {r.step.split()[0]} {r.cases}: {r.load:.1f}" for r in results
                    if r.load is not None),
        f"total benchmark time: {time.perf_counter() - started:.0f} s",
    ]
    text = "\n".join(lines)
    print(text)
    (out / "results.md").write_text(text + "\n", encoding="utf-8")
    (out / "results.json").write_text(json.dumps({"machine": info, "reload": reload,
                                                  "results": [asdict(r) for r in results]}, indent=1))


if __name__ == "__main__":
    main()
