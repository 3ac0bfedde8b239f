"""Deterministic synthetic case files for benchmarks: valid under the real schema and rules.

Every case is clearly synthetic: places are 示例省/样例市/示例×县, people are 示例人员,
and titles, summaries, sources and notes say （合成数据）. Nothing here is a fact about a
real place or person; the files exist only to measure speed at 1,000–10,000 cases.

Sizes vary like real cases do: 5–40 metrics whose quotes write their numbers the Chinese
way (400余万元, 4.57亿元, 1万余人次, 三到五天, 10万元以上…), 1–6 models, 0–10 people and
long Chinese narratives, about 15 KB per file on average. Case format version 2: every
metric's qualifier is a true reading of its quote (余/多 → plus, 以上 → at_least, 约 →
approximately, 三到五天 → range), with claim_type and status; every case has a case_type,
every source an evidence_type.

The corpus is laid out like the repository, so that `casebook validate OUT/cases` finds
OUT/sources as the cases' snapshot folder and verifies every quote:

    OUT/cases/<case id>.yaml       the N cases
    OUT/sources/<source id>.txt    the (made-up) article each source stands for: it holds
                                   every quote of that source verbatim
    OUT/sources/<source id>.yaml   its snapshot metadata, with the text's SHA-256

So no source lacks a snapshot and the corpus validates with no warning at all.

    python benchmarks/synth.py --cases 1000 --out build/bench/cases-1000 [--seed 7]
    casebook validate build/bench/cases-1000/cases
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

MARK = "（合成数据）"
CASES = "cases"  # OUT/cases: the case files
SOURCES = "sources"  # OUT/sources: their snapshots, where provenance looks (next to cases/)

# Synthetic county names (示例 + one syllable) and their pinyin: no real place is meant.
SYLLABLES = [
    ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("中", "zhong"), ("安", "an"),
    ("平", "ping"), ("和", "he"), ("宁", "ning"), ("丰", "feng"), ("泰", "tai"), ("兴", "xing"),
    ("明", "ming"), ("清", "qing"), ("新", "xin"), ("山", "shan"), ("川", "chuan"), ("河", "he"),
    ("林", "lin"), ("泉", "quan"), ("源", "yuan"), ("阳", "yang"), ("远", "yuan"), ("华", "hua"),
]
THEMES = [
    "party_building", "industry", "consumption_assistance", "ecommerce_livestreaming", "health",
    "employment", "tourism", "talent", "governance", "infrastructure_environment",
    "culture_education", "cadre_management",
]
KINDS = [
    "team_structure", "pairing", "activity_checklist", "list_mechanism", "working_method",
    "principle", "joint_construction", "platform", "talent_pool", "management_system",
    "evaluation_incentive",
]
GANZHI = "甲乙丙丁戊己庚辛壬癸"
NAME_CHARS = "禾丰兴旺富强和美安康乐善福润泽惠民宁盛春秋田园山水林茶花果香源溪云星光明德信诚同心合力振翔"
CN_DIGITS = "零一二三四五六七八九"

SUBJECTS = ["驻村第一书记", "驻村工作队", "县级服务团", "镇级服务团", "村“两委”班子", "帮扶单位",
            "示例合作社", "样例村集体经济组织", "消费帮扶服务队", "产业帮扶服务队"]
ACTIONS = ["组织开展入户走访", "统筹整合帮扶资金", "牵头建设产业基地", "联系对接销售渠道",
           "推动完善村规民约", "组织技能培训", "协调修建村内道路", "开展直播带货",
           "建立农特产品联销制度", "梳理群众急难愁盼问题清单", "推行积分制管理", "引进加工项目"]
RESULTS = ["村集体经济逐步壮大", "群众满意度明显提高", "产业链条不断延伸", "村容村貌持续改善",
           "脱贫户就近就业渠道拓宽", "基层组织凝聚力增强", "特色产品打开了销路", "乡风文明蔚然成风"]
CONNECTORS = ["同时", "此外", "在此基础上", "与此同时", "另一方面", "近年来", "通过这一做法"]


def cn_int(n: int) -> str:
    """A small whole number (1–99) in Chinese numerals: 3 → 三, 12 → 十二, 36 → 三十六."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# Each form returns (number text written in the quote, value, value_max, unit, qualifier),
# the qualifier in the version-2 vocabulary: 余/多 → plus, 以上 → at_least (PRC Civil Code
# art. 1259: 以上 includes the number), 约 → approximately, 三到五天 → range.
def _form(rng: random.Random):
    kind = rng.randrange(14)
    if kind == 0:  # 400余万元
        n = rng.randint(2, 990)
        return f"{n}余万元", n * 10_000, None, "cny", "plus"
    if kind == 1:  # 4.57亿元
        n = rng.randint(101, 999) / 100
        return f"{n:.2f}亿元", round(n * 100_000_000), None, "cny", "exact"
    if kind == 2:  # 1万余人次
        n = rng.randint(1, 9)
        return f"{n}万余人次", n * 10_000, None, "person_time", "plus"
    if kind == 3:  # 2.4万平方米
        n = rng.randint(11, 99) / 10
        return f"{n:.1f}万平方米", round(n * 10_000), None, "square_metre", "exact"
    if kind == 4:  # 29.62%
        n = rng.randint(100, 9999) / 100
        return f"{n:.2f}%", n, None, "percent", "exact"
    if kind == 5:  # 900多万元
        n = rng.randint(2, 990)
        return f"{n}多万元", n * 10_000, None, "cny", "plus"
    if kind == 6:  # 10万元以上
        n = rng.randint(2, 99)
        return f"{n}万元以上", n * 10_000, None, "cny", "at_least"
    if kind == 7:  # 三到五天
        a = rng.randint(1, 5)
        b = a + rng.randint(1, 4)
        return f"{cn_int(a)}到{cn_int(b)}天", a, b, "day", "range"
    if kind == 8:  # 两年
        n = rng.choice([2, 3, 4, 5])
        return ("两" if n == 2 else cn_int(n)) + "年", n, None, "year", "exact"
    if kind == 9:  # 约300人
        n = rng.randint(2, 99) * 10
        return f"约{n}人", n, None, "person", "approximately"
    if kind == 10:  # 36个村
        n = rng.randint(2, 60)
        return f"{n}个村", n, None, "village", "exact"
    if kind == 11:  # 三十六户
        n = rng.randint(11, 99)
        return f"{cn_int(n)}户", n, None, "household", "exact"
    if kind == 12:  # 1182次
        n = rng.randint(10, 3000)
        return f"{n}次", n, None, "event", "exact"
    n = rng.randint(100, 9000)  # 2400多亩
    return f"{n}多亩", n, None, "mu", "plus"


# unit → (indicator, English indicator, the words before the figure in the quote). The
# quote does not repeat the indicator: 受益农户数十六户 would read 数十 (a vague figure).
INDICATORS = {
    "cny": ("帮扶资金投入", "Assistance funds invested", "帮扶资金投入"),
    "person_time": ("培训群众人次", "Person-times trained", "培训群众"),
    "square_metre": ("硬化村内地面面积", "Village ground paved", "硬化村内地面"),
    "percent": ("村集体经济收入增幅", "Growth of village collective income", "村集体经济收入增长"),
    "day": ("每月跨村服务天数", "Days per month serving other villages", "每月跨村服务"),
    "year": ("项目持续年数", "Years the project has run", "项目已持续"),
    "person": ("带动就业人数", "People given jobs", "带动就业"),
    "village": ("覆盖村数", "Villages covered", "覆盖"),
    "household": ("受益农户数", "Households benefiting", "受益农户"),
    "event": ("开展志愿服务活动次数", "Volunteer activities held", "开展志愿服务活动"),
    "mu": ("发展特色种植面积", "Area of specialty crops", "发展特色种植"),
}
# unit → (claim_type, status, per): funds are an input, the days a rule of each month, the
# rest results the (made-up) article reports as reached.
CLAIMS = {"cny": ("input", "achieved", None), "day": ("rule", "in_progress", "month")}
CASE_TYPES = ["first_secretary", "village_work_team", "unit_village_pairing",
              "cross_village_joint_construction"]


def _sentence(rng: random.Random, place: str) -> str:
    return (f"{rng.choice(CONNECTORS)}，{place}{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}，"
            f"{rng.choice(ACTIONS)}，{rng.choice(RESULTS)}。")


def _text(rng: random.Random, place: str, sentences: int) -> str:
    return MARK + "".join(_sentence(rng, place) for _ in range(sentences))


def _short(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}，{rng.choice(RESULTS)}。"


class _Writer:
    """A tiny YAML emitter for the subset case files use (block style, like real cases)."""

    _PLAIN = re.compile(r"^[\u4e00-\u9fff（“][^:#\n\"'{}\[\],&*!|>%@`]*$")
    _SLUG = re.compile(r"^(?!(?:true|false|null|yes|no|on|off|y|n)$)[a-z][a-z0-9_-]*$")

    def __init__(self):
        self.lines: list[str] = []

    @classmethod
    def scalar(cls, value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return _num(value)
        if (cls._PLAIN.match(value) or cls._SLUG.match(value)) and not value.endswith(" "):
            return value
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar

    def emit(self, node, indent: int = 0, in_list: bool = False) -> None:
        pad = " " * indent
        if isinstance(node, dict):
            first = True
            for key, value in node.items():
                lead = pad if not (in_list and first) else ""
                first = False
                if isinstance(value, dict | list) and value:
                    self.lines.append(f"{lead}{key}:")
                    self.emit(value, indent + 2)
                elif isinstance(value, list):
                    self.lines.append(f"{lead}{key}: []")
                elif isinstance(value, str) and len(value) > 100:
                    self.lines.append(f"{lead}{key}: >-")
                    self.lines.extend(f"{pad}  {chunk}" for chunk in _wrap(value))
                else:
                    self.lines.append(f"{lead}{key}: {self.scalar(value)}")
        else:
            for item in node:
                if isinstance(item, dict):
                    self.lines.append(f"{pad}- ")
                    before = len(self.lines)
                    self.emit(item, indent + 2, in_list=True)
                    self.lines[before - 1] += self.lines.pop(before)
                else:
                    self.lines.append(f"{pad}- {self.scalar(item)}")


def _wrap(text: str) -> list[str]:
    # Fold only after 。 so the folded scalar reads back unchanged except for the
    # space YAML puts at each fold, which Chinese text tolerates as in the real cases.
    parts = [p + "。" for p in text.split("。") if p]
    if not text.endswith("。") and parts:
        parts[-1] = parts[-1][:-1]
    lines, current = [], ""
    for part in parts:
        if current and len(current) + len(part) > 120:
            lines.append(current)
            current = ""
        current += part
    lines.append(current)
    return lines


def make_case(index: int, seed: int, model_pool: list[str]) -> dict:
    """One synthetic case, reproducible from (index, seed); may adopt models in model_pool."""
    rng = random.Random(f"{seed}:{index}")
    a, b = rng.sample(SYLLABLES, 2)
    county, pinyin = f"示例{a[0]}{b[0]}县", f"shili{a[1]}{b[1]}"
    cid = f"{pinyin}-synthetic-{index:05d}"
    town, village = f"样例{rng.choice('东西南北中')}镇", f"样例{rng.randint(1, 40)}村"
    place = f"{county}{town}{village}"
    src_ids = [f"{cid}-src{k}" for k in range(rng.randint(1, 3))]
    themes = rng.sample(THEMES, rng.randint(1, 6))

    models = []
    for k in range(rng.choices(range(1, 7), weights=[40, 28, 14, 9, 5, 4])[0]):
        n_terms = rng.choice([0, 2, 3, 3, 4])
        formula = "1+" + "+".join(str(rng.randint(2, 12)) for _ in range(max(1, n_terms - 2))) + "+X"
        model = {
            "id": f"{cid}-m{k}",
            "name": f"“{formula}”示例模式{GANZHI[k]}（合成）",
            "name_en": f"Synthetic model {formula} (benchmark data)",
            "formula": formula,
            "kind": rng.choice(KINDS),
            "themes": rng.sample(themes, 1),
            "summary": _text(rng, place, 1),
            "summary_en": "Synthetic benchmark model; not a real program.",
            "terms": [{
                "symbol": str(t + 1),
                "name": f"示例组成部分{GANZHI[t]}",
                "name_en": f"synthetic part {t + 1}",
                "role": _short(rng),
                "quote": f"{MARK}成立示例组成部分{GANZHI[t]}",
                "source": rng.choice(src_ids),
            } for t in range(n_terms)],
            "steps": [_short(rng) for _ in range(rng.randint(1, 4))],
            "conditions": [_short(rng) for _ in range(rng.randint(1, 2))],
            "evidence": [{"quote": MARK + _short(rng), "source": rng.choice(src_ids)}
                         for _ in range(rng.randint(1, 2))],
        }
        if not n_terms:
            model["caveat"] = f"{MARK}示例来源未列出该模式的组成部分。"
        models.append(model)

    start = rng.randint(2018, 2023)
    published = {s: f"{start + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for s in src_ids}
    metrics = []
    for _ in range(5 + int(36 * rng.random() ** 3)):  # 5–40, most cases have few
        text, value, value_max, unit, qualifier = _form(rng)
        indicator, indicator_en, lead = INDICATORS[unit]
        claim_type, status, per = CLAIMS.get(unit, ("result", "achieved", None))
        source = rng.choice(src_ids)
        since = rng.randint(2019, start + 1) if rng.random() < 0.5 else None
        metric = {
            "indicator": indicator + "（合成）",
            "indicator_en": indicator_en + " (synthetic)",
            "value": value,
            **({"value_max": value_max} if value_max is not None else {}),
            "unit": unit,
            "qualifier": qualifier,
            **({"per": per} if per else {}),
            "claim_type": claim_type,
            "status": status,
            # “2021年以来”: the figure stands at the (made-up) article's date, a year the
            # quote does not print, hence inferred.
            **({"period": f"{since}年以来", "as_of": published[source][:4], "as_of_basis": "inferred"}
               if since else {}),
            **({"scope": f"{town}{village}"} if rng.random() < 0.4 else {}),
            "theme": rng.choice(themes),
            **({"model": rng.choice(models)["id"]} if rng.random() < 0.3 else {}),
            "quote": f"{village}{rng.choice(ACTIONS)}，{lead}{text}",
            "source": source,
        }
        metrics.append(metric)

    people = [{
        "name": f"示例人员{GANZHI[p]}{index:05d}",
        "role": f"驻{village}第一书记（合成）",
        "unit": f"{county}示例局",
        "village": f"{town}{village}",
        "did": _short(rng),
        "quote": f"{MARK}{village}驻村第一书记示例人员{GANZHI[p]}{index:05d}",
        "source": rng.choice(src_ids),
    } for p in range(rng.choices(range(11), weights=[30, 22, 15, 10, 7, 5, 4, 3, 2, 1, 1])[0])]

    case = {
        "schema_version": 2,
        "id": cid,
        # A made-up seven-character project name keeps titles apart as real titles are:
        # two synthetic titles never look like one program retold (the duplicate guard's
        # 0.9). Five characters gave 8 duplicate-title warnings at 10,000 cases; with seven
        # the most similar pair among 40 sorted neighbours is 0.87.
        "title": f"{county}{village}“{''.join(rng.sample(NAME_CHARS, 7))}”{rng.choice(ACTIONS)}{MARK}",
        "title_en": f"Synthetic benchmark case {index:05d} (not a real program)",
        "headline": f"{MARK}{rng.choice(ACTIONS)}，{rng.choice(RESULTS)}",
        "summary": _text(rng, place, rng.randint(3, 7)),
        "summary_en": "Synthetic case for performance benchmarks; every name and figure is made up.",
        "background": _text(rng, place, rng.randint(2, 4)),
        "approach": _text(rng, place, rng.randint(2, 6)),
        "outcomes": _text(rng, place, rng.randint(2, 4)),
        "lessons": [_short(rng) for _ in range(rng.randint(1, 4))],
        "place": {"province": "示例省", "prefecture": "样例市", "county": county, "town": town,
                  # 89xxxx is not assigned in GB/T 2260: the code cannot be mistaken for a real one.
                  "division_code": f"89{index % 10000:04d}", "pinyin": pinyin,
                  "coordinates": {"lat": round(rng.uniform(22, 45), 2),
                                  "lon": round(rng.uniform(98, 125), 2)}},
        "scope": rng.choice(["county", "town", "village"]),
        "case_type": rng.choice(CASE_TYPES),
        "period": {"start": f"{start}-{rng.randint(1, 12):02d}", "end": str(start + rng.randint(1, 2))},
        "themes": themes,
        "models": models,
        "practices": [{
            "title": f"示例做法{GANZHI[p]}（合成）",
            "title_en": f"Synthetic practice {p + 1}",
            "description": _text(rng, place, 1),
            "themes": rng.sample(themes, 1),
            "quote": MARK + _short(rng),
            "source": rng.choice(src_ids),
        } for p in range(rng.randint(0, 3))],
        "metrics": metrics,
        "people": people,
        "sources": [{
            "id": s,
            "title": f"{MARK}{county}驻村帮扶示例报道（{k + 1}）",
            "publisher": "示例日报（合成）",
            "authors": ["示例作者"],
            "published": published[s],
            "language": "zh",
            "evidence_type": "news_report",
            "note": "合成数据，仅供性能测试，不指向任何真实文章；快照是生成的虚构文本。",
        } for k, s in enumerate(src_ids)],
        "notes": "本案例为基准测试生成的合成数据，地名、人名、数字均为虚构。",
    }
    if model_pool and rng.random() < 0.3:
        case["adopts"] = sorted(set(rng.sample(model_pool, min(len(model_pool), rng.randint(1, 2)))))
    return case


def to_yaml(case: dict) -> str:
    """Block-style YAML text of one case, as a contributor would write it."""
    writer = _Writer()
    writer.emit(case)
    return "# synthetic benchmark case（合成数据）\n" + "\n".join(writer.lines) + "\n"


def _quotes(node, source=None):
    """(source id, quote) of every quote in a case, in file order (the `sources` list has none)."""
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str):
            yield node.get("source", source), node["quote"]
        for key, value in node.items():
            if key != "sources":
                yield from _quotes(value, source)
    elif isinstance(node, list):
        for item in node:
            yield from _quotes(item, source)


def snapshots(case: dict, seed: int, index: int) -> dict[str, tuple[bytes, str]]:
    """source id → (snapshot text as UTF-8 bytes, metadata YAML) for every source of a case.

    The snapshot is the made-up article the source stands for: its title, then paragraphs
    holding each quote of that source verbatim, between sentences of their own, so that
    `casebook validate` finds every quote in it. The metadata says what the copy shows
    (title, publisher, authors, date), that the text is synthetic and unchanged, and the
    SHA-256 of the bytes, as sources/README.md asks of a real snapshot.
    """
    rng = random.Random(f"{seed}:{index}:sources")
    only = case["sources"][0]["id"] if len(case["sources"]) == 1 else None
    by_source: dict[str, dict[str, None]] = {s["id"]: {} for s in case["sources"]}
    for source, quote in _quotes(case, only):
        by_source[source][quote] = None  # once each, in order
    place = case["place"]["county"] + case["place"]["town"]
    out = {}
    for source in case["sources"]:
        sentences = []
        for quote in by_source[source["id"]]:
            if rng.random() < 0.5:
                sentences.append(_sentence(rng, place))
            sentences.append(quote if quote.endswith("。") else quote + "。")
        sentences.append(_sentence(rng, place))
        paragraphs, at = [], 0
        while at < len(sentences):
            step = rng.randint(3, 6)
            paragraphs.append("".join(sentences[at:at + step]))
            at += step
        byline = "　".join([source["publisher"], "、".join(source["authors"]), source["published"]])
        head = f"{source['title']}\n{byline}"
        raw = "\n\n".join([head, *paragraphs]).encode("utf-8") + b"\n"
        meta = {
            "title": source["title"],
            "publisher": source["publisher"],
            "authors": source["authors"],
            "published": source["published"],
            "cleaning": "未改动。合成数据：benchmarks/synth.py 生成的虚构文本，不是任何真实文章的副本。",
            "note": "合成数据，仅供性能测试；没有网址，文中地名、人名、数字均为虚构。",
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
        writer = _Writer()
        writer.emit(meta)
        out[source["id"]] = raw, "\n".join(["# synthetic snapshot metadata（合成数据）", *writer.lines, ""])
    return out


def generate(n: int, out: Path, seed: int = 7) -> list[Path]:
    """Write n cases into out/cases and a snapshot of each of their sources into out/sources;
    return the case files, sorted. Skipped when the same n, seed and version are already there."""
    out = Path(out)
    cases, sources = out / CASES, out / SOURCES
    stamp = out / ".synth.json"
    # The generator's own source is part of the key: editing it regenerates cached corpora.
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    want = {"n": n, "seed": seed, "version": version}
    if stamp.is_file() and json.loads(stamp.read_text()) == want:
        return sorted(cases.glob("*.yaml"))
    stamp.unlink(missing_ok=True)  # a corpus cut short is never taken for a finished one
    # out/*.yaml: an older corpus, written before cases/ and sources/.
    for folder, pattern in ((out, "*.yaml"), (cases, "*.yaml"), (sources, "*.txt"), (sources, "*.yaml")):
        for old in folder.glob(pattern):
            old.unlink()
    cases.mkdir(parents=True, exist_ok=True)
    sources.mkdir(exist_ok=True)
    pool: list[str] = []
    paths = []
    for i in range(n):
        case = make_case(i, seed, pool)
        pool.extend(m["id"] for m in case["models"])
        path = cases / f"{case['id']}.yaml"
        path.write_text(to_yaml(case), encoding="utf-8")
        paths.append(path)
        for source_id, (raw, meta) in snapshots(case, seed, i).items():
            (sources / f"{source_id}.txt").write_bytes(raw)
            (sources / f"{source_id}.yaml").write_text(meta, encoding="utf-8")
    stamp.write_text(json.dumps(want))
    return sorted(paths)


def main() -> None:
    """Command line: write N synthetic cases into OUT/cases, their snapshots into OUT/sources."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="the corpus is a function of it (default 7)")
    parser.add_argument("--out", type=Path, default=Path("build/bench/cases"),
                        help="folder to write cases/ and sources/ into (default build/bench/cases)")
    args = parser.parse_args()
    paths = generate(args.cases, args.out, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} cases in {args.out / CASES} (snapshots in {args.out / SOURCES}), "
          f"{size / len(paths) / 1024:.1f} KB per file on average; check with "
          f"`casebook validate {args.out / CASES}`")


if __name__ == "__main__":
    main()
