"""The metric rule: a metric's figure must be a true reading of its own quote.

A metric records (qualifier, value, value_max). `quantities.readings(quote)` gives, for
every quantity written in the quote, the set of its true readings; the metric is right
when its triple is one of them. Otherwise the message, pointed at the metric's `value`,
says what the words mean and proposes only true readings as YAML lines to paste
(`value: 4000000`, `qualifier: plus`), or says to leave the figure out when the quote
supports none. Qualifier words follow PRC Civil Code art. 1259 (以上、以下、以内 include
the number; 不满、超过、以外 exclude it); see `generator/quantities.py` for the table.
"""

from __future__ import annotations

import math
import re
import unicodedata

from .quantities import (
    FOREIGN_CURRENCIES,
    METRIC_UNITS,
    OTHER_MEASURES,
    UNIT_WORDS,
    NotQuantity,
    Quantity,
    Reading,
    bounds,
    is_true_reading,
    readings,
    simplified,
)

CIVIL_CODE = "PRC Civil Code art. 1259"
_INCLUSIVE = ("以上", "以下", "以内", "之内")
_EXCLUSIVE = ("超过", "不满", "以外")
_KINDS = {
    "ordinal": "an ordinal (a rank, not a count)",
    "enumeration": "an enumeration marker (一是, 二是 …), not a count",
    "date": "a date, not a count",
    "name": "part of a name or set phrase, not a count",
    "discount": ("a discount (八折 is 80% of the price, 七五折 75%): a price ratio, not a count "
                 "or a share of anything measured, so it backs no metric"),
    "ago": ("a point in time (…年前/…年后 dates an event from the article's day), not a length "
            "or a count: leave the figure out, or say when in the metric's `period` (as written) "
            "and `as_of`"),
    "restated": "the bound restated in brackets (以上（不含200元）), not another figure",
    "negated": ("a count under a negation (并非300户 is \"not 300\", 没有300户 \"not even 300\"), "
                "not a figure the article states"),
}
# What each unit word counts, for messages: 户 counts households (`unit: household`).
_UNIT_NAMES = {"cny": "yuan", "person": "persons", "person_time": "person-times",
               "household": "households", "mu": "mu", "square_metre": "square metres",
               "village": "villages", "town": "towns", "county": "counties", "team": "teams",
               "project": "projects", "item": "items", "event": "events", "time": "times", "day": "days",
               "hour": "hours", "week": "weeks", "month": "months", "year": "years",
               "kilogram": "kilograms", "jin": "jin", "ton": "tonnes", "percent": "percent"}
_MAX_SIGNIFICANT = 15
_MAX_LISTED = 4
_SHORT = 30  # quotes up to this many characters are echoed whole


def check_metric(metric: dict) -> list[tuple[str, str]]:
    """Problems of one schema-valid metric as (rule, message); empty when it is right.

    Rules: `metric-value` (the value is no number written in the quote, or not a finite
    number), `metric-not-quantity` (the value is an ordinal, enumeration, date or name),
    `metric-qualifier` (the number is written but the qualifier or value_max is not a
    true reading of it). Every problem is reported at the metric's `value`.
    """
    quote = metric["quote"]
    value, value_max, qualifier = metric["value"], metric.get("value_max"), metric["qualifier"]
    unit = metric.get("unit")
    read = readings(quote)
    true = [q for q in read.quantities if is_true_reading(q, qualifier, value, value_max)]
    if any(fits(q, unit) for q in true):
        q = next(q for q in true if fits(q, unit))
        return _too_precise(value, value_max) + _as_of(metric) + _per_unit(metric, q, read.quantities)
    if true:
        q = true[0]
        return [("metric-unit", f"`unit: {unit}` does not fit {_with_unit(q)} in the quote "
                 f"{_echo(quote, q.start, q.end + len(q.unit))}: {_counts(q.unit)}; "
                 + _in_unit(read.quantities, unit))]
    if not _finite(value) or (value_max is not None and not _finite(value_max)):
        bad = value if not _finite(value) else value_max
        field = "value" if not _finite(value) else "value_max"
        return [("metric-value", f"{field} {_num(bad)} is not a finite number (YAML reads 1e400 "
                 "as infinity); the figure must be one the quote writes: the quote "
                 + _what_it_reads(quote, read.quantities))]
    fraction = next((q for q in read.quantities if any(_same(p, value) for p in q.parts)
                     and not _same(q.value, value)), None)
    if fraction is not None:  # 三分之一 recorded as 3 or 1
        return [("metric-value", f"value {_num(value)} is a digit of the fraction "
                 f"{_show(fraction.text)} in the quote {_echo(quote, fraction.start, fraction.end)}, "
                 f"not a count: a fraction is a share, recorded in percent ({_meaning(fraction)}); "
                 f"{_proposal(fraction)} with `unit: percent`, or leave the figure out")]
    same = [q for q in read.quantities if any(_same(r.value, value) for r in q.readings)]
    multiple = next((q for q in same if UNIT_WORDS.get(q.unit) == () and unit in METRIC_UNITS), None)
    if multiple is not None:  # 增长2倍 recorded as 2 with another qualifier: still no metric
        return [("metric-unit", f"`unit: {unit}` does not fit {_with_unit(multiple)} in the quote "
                 f"{_echo(quote, multiple.start, multiple.end + len(multiple.unit))}: "
                 f"{_counts(multiple.unit)}; " + _in_unit(read.quantities, unit))]
    if same:
        # Of several numbers with this value (一场…一个多小时), the one whose wording is
        # nearest to the recorded qualifier: a plain number for exact, a qualified one else.
        plain = qualifier in ("exact", "approximately")
        q = min(same, key=lambda x: (not x.word) != plain)
        recorded = f"`qualifier: {qualifier}`" + (
            f" with `value_max: {_num(value_max)}`" if value_max is not None else "")
        return [("metric-qualifier", f"{recorded} is not a true reading of {_show(q.text)} in "
                 f"the quote {_echo(quote, q.start, q.end)}: {_meaning(q)}; {_proposal(q)}")]
    none = next((q for q in read.quantities if q.value == 0 and q.word and q.text[-1:] in ("1", "一")
                 and _same(value, 1)), None)
    if none is not None:  # 没有1户返贫 recorded as 1
        return [("metric-value", f"value 1 is not a count in the quote {_echo(quote, none.start, none.end)}: "
                 f"{_meaning(none)}; {_proposal(none)}, or leave the figure out")]
    nots = [n for n in read.not_quantities if any(_same(v, value) for v in n.values)]
    if nots:
        n = nots[0]
        return [("metric-not-quantity", f"value {_num(value)} is not a quantity in the quote "
                 f"{_echo(quote, n.start, n.start + len(n.text))}: {_show(n.text)} is "
                 f"{_KINDS[n.kind]}; " + _others(read.quantities))]
    return [("metric-value", f"value {_num(value)} is not a number written in the quote "
             + _what_it_reads(quote, read.quantities, unit)
             + ("; money is in yuan (40万元 → 400000) and 万 = 10000"
                if read.quantities and metric.get("unit") in (None, "cny") else ""))]


# 户均增收3000元, 人均2000元, 每户补助5000元, 每年为每队预算2万元, 3000元/户: a figure for each
# household (person, team …), not the whole program's total. The schema's `denominator` says so;
# mu has no `denominator` value, so 每亩/亩均 figures are not checked here.
_PER_BEFORE = re.compile(r"每(?:一)?(?P<pc>名|位)"  # 每名第一书记, 每位队员: 名/位 count persons
                         r"|每(?:一)?(?:个|支|家)?(?:农|贫困|脱贫|困难|低保|监测|结对)?"  # 每家农户
                         r"(?P<u>人|户|村|服务队|工作队|帮扶队|队|乡镇|镇|乡|县|项目)|(?P<avg>人均|户均|村均)")
# 15万元每户, 3000元/户; 一户15万元 (one household, 150000 yuan: per household)
_PER_AFTER = re.compile(r"\s*(?:[/／](?:每)?|每(?:一)?)(?:个|名|位)?(?P<u>人|户|村|队|镇|乡|县)")
_ONE_PER = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千万亿第])一(?:个|名|位)?"
                      r"(?P<u>人|户|村|队|镇|乡|县)(?:一个?[年月天周])?\s*$")  # 一人一月300元
# 人均纯收入由3000元增加到1.2万元: the second figure continues the first (same per word).
_CHANGE_TO = re.compile(r"[^\d，。；;]{0,3}?"
                        r"(?:增加|提高|提升|增长|上升|跃升|攀升|下降|减少|降低|翻番|增|升|降)?(?:到|至|为)了?\s*$")
_DENOMINATORS = {"人": "person", "户": "household", "村": "village", "服务队": "team", "工作队": "team",
                 "帮扶队": "team", "队": "team", "乡镇": "town", "镇": "town", "乡": "town",
                 "县": "county", "项目": "project", "人均": "person", "户均": "household",
                 "村均": "village"}
_CLAUSE_END = re.compile(r"[，。；;！？,!?：:\n]")


def _per_unit(metric: dict, q: Quantity, quantities: tuple[Quantity, ...]) -> list[tuple[str, str]]:
    """A figure the quote gives per household (户均, 每户, 3000元/户), person, village, team, town,
    county or project must say so in `denominator`; rule metric-denominator, at `value`. The
    per word stands in the figure's clause, after any other figure (为每户发放5000元共计150万元:
    150万 is a total). Only schema-valid metrics (with their required `unit`) are checked: a
    partial dict is read only."""
    if "unit" not in metric or metric.get("denominator"):
        return []
    written = metric["quote"]
    quote = simplified(written)  # 每戶 is 每户; same positions, the message echoes 每戶
    if q.unit == "%" or metric.get("unit") == "percent":  # 人均收入增长15%: a rate, not per person
        return []
    starts = [m.end() for m in _CLAUSE_END.finditer(quote, 0, q.start)]
    starts += [other.end for other in quantities if other.end <= q.start
               and not _CHANGE_TO.match(quote, other.end + len(other.unit), q.start)]
    head_at = max(starts, default=0)
    found = list(_PER_BEFORE.finditer(quote, head_at, q.start))
    one = _ONE_PER.search(quote, max(0, q.start - 5), q.start)
    found += [one] if one else []
    after = _PER_AFTER.match(quote, q.end + len(q.unit))
    words = [written[m.start():m.end()].strip() for m in found] + (
        [written[after.start():after.end()].strip()] if after else [])
    units = ["person" if m.re is _PER_BEFORE and m["pc"] else _DENOMINATORS[m["u"] or m["avg"]]
             for m in found]
    units += [_DENOMINATORS[after["u"]]] if after else []
    if not units:
        return []
    den = units[-1]  # the nearest: 每户每人 → person
    head = quote[head_at:q.start] + quote[q.end:q.end + len(q.unit) + 3]
    time = None if metric.get("per") else _PER_TIME.search(head)
    per = f" and `per: {_PERIODS[time['t'] or time['a'] or time['s']]}`" if time else ""
    return [("metric-denominator", f"{_show(q.text)} in the quote {_echo(written, q.start, q.end)} is a "
             f"figure for each {den.replace('_', ' ')} ({'、'.join(dict.fromkeys(words))}), not a "
             f"total: add `denominator: {den}`{per}")]


# 每年为每队预算2万元: the figure is per team and per year, so the message names both fields.
_PER_TIME = re.compile(r"每(?:一)?个?(?P<t>半年|季度|年|月|周|星期|天|日)(?!常)|(?P<a>年均|月均|日均)"
                       r"|[/／](?P<s>年|月|天|日)")
_PERIODS = {"半年": "half_year", "季度": "quarter", "年": "year", "月": "month", "周": "week",
            "星期": "week", "天": "day", "日": "day", "年均": "year", "月均": "month", "日均": "day"}


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[-—~～至到]\s*((?:19|20)?\d{2}))?(?=\s*年)")


def _as_of(metric: dict) -> list[tuple[str, str]]:
    """`as_of` marked printed must be a year the quote prints when the quote prints years
    (2023年, 2022-2023年); rule metric-as-of, reported at `as_of`."""
    as_of, basis = metric.get("as_of"), metric.get("as_of_basis")
    if not isinstance(as_of, str) or basis != "printed" or "年" not in metric["quote"]:
        return []
    printed = []
    for m in _YEAR.finditer(metric["quote"]):
        first = int(m[1])
        last = int(m[2]) if m[2] and len(m[2]) == 4 else first // 100 * 100 + int(m[2]) if m[2] else first
        printed += range(first, last + 1)
    if not printed or int(as_of[:4]) in printed:
        return []
    years = ", ".join(str(y) for y in dict.fromkeys(printed))
    return [("metric-as-of", f"`as_of: \"{as_of}\"` is marked printed, but the quote "
             f"{_echo(metric['quote'], 0, 0)} prints {years}: write the year the quote prints, "
             "or, if the figure's year comes from elsewhere, `as_of_basis: inferred`")]


def part_larger_than_whole(part: dict, whole: dict, whole_id: str) -> str | None:
    """Why `part` (a metric with `part_of: whole_id`) cannot be part of `whole`, the two in
    the same unit: its figure's lower bound is above the whole's upper bound (900万 inside a
    whole of 400余万, below 5,000,000). None when the figures allow it."""
    low, low_open = bounds(part["qualifier"], part["value"], part.get("value_max"))[0:2]
    high, high_open = bounds(whole["qualifier"], whole["value"], whole.get("value_max"))[2:4]
    if low is None or high is None or low < high or (low == high and not (low_open or high_open)):
        return None
    return (f"this figure ({_num(part['value'])}, {part['qualifier']}) is at least {_num(low)}, but "
            f"part_of '{whole_id}' ({_num(whole['value'])}, {whole['qualifier']}) is "
            f"{'below' if high_open else 'at most'} {_num(high)}: a part cannot be larger than its "
            "whole; check both figures against the quotes, or drop part_of")


def fits(q: Quantity, unit: str | None) -> bool:
    """True when a metric in `unit` may read the quantity: the unit word written after the
    number (户, 元, 人次 …) counts in that unit; a number without a known unit word fits any."""
    return unit not in METRIC_UNITS or not q.unit or unit in UNIT_WORDS[q.unit]


def _counts(word: str) -> str:
    units = UNIT_WORDS[word]
    if word in FOREIGN_CURRENCIES:
        return (f"{word} is a foreign currency, and `unit: cny` is for 元, 人民币 and 块 only; do not "
                "convert (the quote gives no rate): leave the figure out, or record it in the case's "
                "`notes`")
    if word in OTHER_MEASURES:
        return (f"{word} counts {OTHER_MEASURES[word]}, which no `unit` measures: leave the figure out "
                "(a converted figure is not one the quote writes)")
    if word == "夜":
        return "夜 counts nights, which no `unit` measures (5天4夜 is 5 days), so leave the figure out"
    if not units:
        what = "percentage points (a difference of two percents)" if "百分点" in word else "a multiple"
        return f"{word} counts {what}, which no `unit` measures, so leave the figure out"
    return f"{word} counts {_UNIT_NAMES[units[0]]} (" + " or ".join(f"`unit: {u}`" for u in units) + ")"


def _in_unit(quantities: tuple[Quantity, ...], unit: str) -> str:
    mine = [q for q in quantities if q.unit and unit in UNIT_WORDS[q.unit]]
    if not mine:
        return f"the quote writes no figure in {_UNIT_NAMES.get(unit, unit)}: leave the figure out"
    return (f"its figures in {_UNIT_NAMES.get(unit, unit)}: "
            + "; ".join(f"{_with_unit(q)} → {_yaml(q.readings[0])}" for q in mine[:_MAX_LISTED]))


def _with_unit(q: Quantity) -> str:
    """The number with its unit word (200户); 三成, 5‰ and 百分之三十 already say percent."""
    if q.unit == "%" and q.text and not q.text[-1].isdigit() and q.text[-1] not in "%％":
        return _show(q.text)
    if q.unit == "元" and any(ch in q.text for ch in "角毛分块") or q.unit == "米" and "米" in q.text:
        return _show(q.text)  # 5毛, 3块5, 1米8: the unit is written inside
    return _show(q.text) + q.unit


def _too_precise(value: float, value_max: float | None) -> list[tuple[str, str]]:
    """A float past 15 significant digits (1.234567890123456e15): spreadsheets change it."""
    for name, x in (("value", value), ("value_max", value_max)):
        if isinstance(x, float) and abs(x) >= 10 ** _MAX_SIGNIFICANT and float(f"{x:.15g}") != x:
            return [("metric-value", f"{name} {_num(x)} has more than {_MAX_SIGNIFICANT} "
                     "significant digits, more than a case allows (spreadsheets keep no more); "
                     "check the value")]
    return []


def _what_it_reads(quote: str, quantities: tuple[Quantity, ...], unit: str | None = None) -> str:
    """`“quote”, which reads: …` (the caller has just written "the quote")."""
    if not quantities:
        return (f"{_echo(quote, 0, 0)}, which states no figure: leave the figure out, "
                "or quote the sentence that states it")
    return f"{_echo(quote, quantities[0].start, quantities[-1].end)}, which reads: " + (
        _listing(quantities, unit))


def _others(quantities: tuple[Quantity, ...]) -> str:
    if not quantities:
        return "the quote states no figure: leave the figure out"
    if len(quantities) == 1:
        q = quantities[0]
        if q.qualifier == "vague":  # the meaning starts with the words themselves
            return f"the quote's only figure: {_meaning(q)}; {_proposal(q)}"
        return f"the quote's only figure is {_show(q.text)}: {_meaning(q)}; {_proposal(q)}"
    return "its figures read: " + _listing(quantities)


def _listing(quantities: tuple[Quantity, ...], unit: str | None = None) -> str:
    """Each figure's first reading; in a unit word other than the metric's `unit` (半个月 for a
    metric in days), the figure with its unit word and the `unit` it is counted in."""
    items = [f"{_with_unit(q)} → no metric ({_counts(q.unit)})" if UNIT_WORDS.get(q.unit) == ()
             else f"{_with_unit(q)} → {_yaml(q.readings[0])} with `unit: {UNIT_WORDS[q.unit][0]}`"
             if not fits(q, unit) else f"{_show(q.text)} → {_yaml(q.readings[0])}"
             + (" (or leave the figure out)" if q.qualifier == "vague" else "")
             for q in quantities[:_MAX_LISTED]]
    if len(quantities) > _MAX_LISTED:
        items.append("…")
    return "; ".join(items)


def _meaning(q: Quantity) -> str:
    """What the words around the number say, in English, with the bounds they give."""
    w, v = q.word, _num(q.value)
    at = simplified(q.text).find(w) if w else -1
    if at >= 0 and q.text[at:at + len(w)] != w:  # 數十萬 as written, not the simplified 数十万
        w = q.text[at:at + len(w)]
    kind = q.readings[0].qualifier
    if q.parts:  # 三分之一: one third, about 33.33 percent
        share = q.parts[0] / q.parts[1] * 100
        return (f"{_show(q.text)} is {_num(q.parts[0])}/{_num(q.parts[1])}, "
                + (f"{_num(round(share, 6))} percent" if _same(share, round(share, 2))
                   else f"about {v} percent (never exact)")
                + (f", and {w} means {_BOUND.get(kind, kind.replace('_', ' '))} that" if w else ""))
    if kind == "vague":
        return (f"{_show(w)} is vague (between {_num(q.lower)} and {_num(q.upper)}), "
                "so it is never exact, at least or plus")
    if kind == "range":
        return f"{_show(q.text)} is a range from {v} to {_num(q.value_max)}"
    if kind == "plus":
        return f"{w} means more than {v} and below {_num(q.upper)}"
    if kind == "just_under":
        return f"{w} means close to {v} but below it"
    if kind == "approximately":
        return f"{w} means about {v}"
    if kind == "exact" and q.value == 0 and w and q.text[-1] in "1一":  # 没有1户, 无一人, 未发生1起
        return f"{_show(w)} {_show(q.text)} is a negation (not one): none, so 0"
    if kind == "exact" and w.startswith("近"):  # 近3年来, 近3年累计: a period, not "nearly"
        span = (_UNIT_NAMES[UNIT_WORDS[q.unit][0]] if UNIT_WORDS.get(q.unit)
                else "quarters" if "季度" in w else "days" if "日" in w else "units")
        return f"{_show(w)} names a period (the last {v} {span}), not a length of nearly {v}"
    if kind == "exact" and w:  # 满2年, 15天…期满: a completed term
        return f"{w} names a completed term of {v} (inclusive)"
    if kind == "exact":
        return f"{_show(q.text)} is written without a qualifying word"
    if w in _INCLUSIVE:
        return f"{w} includes the number itself ({CIVIL_CODE}), so {_BOUND[kind]} {v}"
    if w in _EXCLUSIVE:
        return f"{w} excludes the number itself ({CIVIL_CODE}), so {_BOUND[kind]} {v}"
    return f"{w} means {_BOUND[kind]} {v}"


_BOUND = {"at_least": "at least", "more_than": "more than", "at_most": "at most",
          "less_than": "less than"}


def _proposal(q: Quantity) -> str:
    first, *rest = q.readings
    text = f"write {_yaml(first)}"
    if first.qualifier == "vague":
        return text + ", or leave the figure out"
    alternatives = [r for r in rest if r.value_max is None and _same(r.value, first.value)]
    if alternatives:
        text += " (or " + " or ".join(
            f"`qualifier: {r.qualifier}`" + (_ROUND if first.qualifier == "exact"
                                             and r.qualifier == "approximately" else "")
            for r in alternatives) + ")"
    return text


_ROUND = " where the article treats the figure as round"


def _yaml(r: Reading) -> str:
    lines = [f"`value: {_num(r.value)}`"]
    if r.value_max is not None:
        lines.append(f"`value_max: {_num(r.value_max)}`")
    lines.append(f"`qualifier: {r.qualifier}`")
    return ", ".join(lines)


def _echo(quote: str, start: int, end: int) -> str:
    """The quote, escaped and short: whole up to 30 characters, else 30 around the number."""
    if len(quote) <= _SHORT:
        return f"“{_visible(quote)}”"
    a = max(0, min(start - 8, len(quote) - _SHORT))
    b = a + _SHORT
    return "“" + ("…" if a else "") + _visible(quote[a:b]) + ("…" if b < len(quote) else "") + "”"


def _show(text: str) -> str:
    return _visible(text)


# Characters a reader cannot see or that reorder the text around them (controls, format
# characters such as U+200B and U+202E, line/paragraph separators, private use, unassigned).
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"))


def _visible(text: str) -> str:
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _INVISIBLE else ch
                   for ch in text)


def _finite(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _same(x: float, y: float) -> bool:
    return _finite(x) and _finite(y) and abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def _num(x: float | None) -> str:
    if x is None:
        return ""
    if not math.isfinite(x):
        return str(x)
    return str(int(x)) if float(x).is_integer() else repr(float(x))


__all__ = ["check_metric", "NotQuantity"]
