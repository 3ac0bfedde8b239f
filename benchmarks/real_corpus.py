"""A benchmark corpus cloned from the real cases in cases/, every id renamed.

Real cases are larger than synthetic ones and carry warnings (no coordinates, look-alike
titles, …); a corpus of clones behaves as the collection will when it grows. Clone k of
case `langao-first-secretary-team-service` is `langao-first-secretary-team-service-r0007`
(file name included); every model id, source id and metric id of the case gets the same
`-rNNNN` suffix, wherever it appears in the file (ids, `model:`/`source:` references,
`part_of`), so the place pinyin still starts every id and references still resolve. The
text is copied byte for byte otherwise: comments, quotes and warnings are kept.
Deterministic: the same cases give the same corpus; clone k of case i is file number
k × len(cases) + i, so the first N of a larger corpus are the N-case corpus.

    python benchmarks/real_corpus.py --cases 2000 --out build/bench/real-2000
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"


def _ids(data: dict) -> list[str]:
    """The case's own ids: the case, its models, sources and (schema v2) metrics."""
    ids = [data["id"]]
    for key in ("models", "sources", "metrics"):
        ids += [item["id"] for item in data.get(key) or [] if isinstance(item, dict) and item.get("id")]
    return sorted(set(ids), key=len, reverse=True)


def renamer(text: str):
    """A function k → the case text with every id suffixed `-r{k:04d}`, and the new case id."""
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    ids = _ids(data)
    pattern = re.compile(r"(?<![A-Za-z0-9_-])(" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z0-9_-])")

    def clone(k: int) -> tuple[str, str]:
        suffix = f"-r{k:04d}"
        return f"{data['id']}{suffix}", pattern.sub(lambda m: m.group(1) + suffix, text)

    return clone


def generate(n: int, out: Path, cases_dir: Path = CASES) -> list[Path]:
    """Write n clones of the cases in cases_dir into out (emptied first); return the files."""
    sources = sorted(cases_dir.glob("*.yaml"))
    if not sources:
        raise SystemExit(f"no case files in {cases_dir}")
    clones = [renamer(p.read_text(encoding="utf-8")) for p in sources]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    files = []
    for number in range(n):
        k, i = divmod(number, len(clones))
        case_id, text = clones[i](k + 1)
        path = out / f"{case_id}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--from", dest="cases_dir", type=Path, default=CASES)
    args = parser.parse_args()
    out = args.out or ROOT / "build" / "bench" / f"real-{args.cases}"
    files = generate(args.cases, out, args.cases_dir)
    print(f"{len(files)} cases in {out}")


if __name__ == "__main__":
    main()
