"""Figures read the Chinese way: 4.57亿元, 400余万元, 1.1万人次, 超过300人, 约50户.

`reading(metric)` turns a metric (value, value_max, unit, qualifier, per) into the words a
Chinese reader expects, following the qualifier of schema v2 (see schema/case.schema.json,
`definitions/qualifier`; Civil Code art. 1259 for 以上/超过):

- `plus` → the number as the quote writes it (1万余人次, 5万余斤, 一个多月, 900多万元: 余/多 follow
  the last unit digit of the number as written). Without a quote that reads so: N余 with 余 after
  万/亿 when N there is one digit or a decimal (1万余, 1.1万余) and before it otherwise (400余万);
  a one-digit N without 万/亿 reads 超过N (never 1余个月).
- `vague` → the source's words (点击率上万 → 上万次); without a quote that reads so, the lower
  bound with 以上 (1万次以上), never an upper bound the source does not give.
- `at_least` → N以上, `more_than` → 超过N, `just_under` → 近N, `approximately` → 约N,
  `at_most` → 最多N, `less_than` → 不到N, `range` → N–M, `exact` → N.

Measure words: when the metric's `quote` has the figure (a true reading of
generator/quantities.py), the measure word written after it is shown (安装路灯57盏 → 57盏,
600余起, 3次, 29个联合党组织 → 29个, 39家), not the generic word of the unit code (项, 场, 个单位).
Without one, the unit code's word (`UNIT_WORDS`).

Numbers of 10,000 and more are written with 万 (10⁴) or 亿 (10⁸), up to four significant
decimals (457,000,000 → 4.57亿). Money is in 元 (`unit: cny`). Nothing here raises for a
known unit; an unknown unit code is shown as the code itself.
"""

from __future__ import annotations

# The word a number is followed by (the schema's unit titles are explanations, e.g. 支（队伍）).
UNIT_WORDS = {
    "cny": "元", "person": "人", "person_time": "人次", "team": "支", "village": "个村", "town": "个镇",
    "county": "个县", "organisation": "个单位", "household": "户", "mu": "亩", "square_metre": "平方米",
    "project": "个项目", "item": "项", "event": "场", "time": "次", "percent": "%", "hour": "小时",
    "day": "天", "week": "周", "month": "个月", "year": "年", "jin": "斤", "kilogram": "公斤", "ton": "吨",
}
PER_WORDS = {"day": "天", "week": "周", "month": "月", "quarter": "季度", "year": "年", "half_year": "半年"}
_BEFORE = {"more_than": "超过", "just_under": "近", "approximately": "约", "at_most": "最多",
           "less_than": "不到"}
_AFTER = {"at_least": "以上"}


def _plain(number: float) -> str:
    """A number without a trailing .0 and without float noise (4.57, not 4.569999)."""
    text = f"{round(number, 4):.4f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _split(value: float) -> tuple[str, str]:
    """(mantissa, magnitude): 457000000 → ("4.57", "亿"), 11000 → ("1.1", "万"), 350 → ("350", "")."""
    size = abs(value)
    if size >= 1e8:
        return _plain(value / 1e8), "亿"
    if size >= 1e4:
        return _plain(value / 1e4), "万"
    if float(value).is_integer():
        return f"{int(value)}", ""
    return _plain(value), ""


def number(value: float, plus: bool = False) -> str:
    """A number the Chinese way; `plus` adds 余 after the last unit digit (400余万, 1万余, 1.1万余, 30余).

    A one-digit `plus` figure without 万/亿 (1余 is not Chinese) reads 超过1.
    """
    mantissa, magnitude = _split(value)
    if not plus:
        return mantissa + magnitude
    if magnitude and ("." in mantissa or len(mantissa.lstrip("-")) == 1):
        return mantissa + magnitude + "余"
    if not magnitude and len(mantissa.lstrip("-")) == 1:
        return "超过" + mantissa
    return mantissa + "余" + magnitude


# Measure words (量词) a figure may be followed by in a quote; a word outside this set (三大举措)
# leaves the unit code's generic word.
MEASURE_WORDS = set("月个盏起件次集家处条名位场期支项户亩人天年周所座间批轮届款"
                    "种类套台辆头只栋本篇份张元斤吨")


def _as_written(metric: dict):
    """(number as written, measure word, the quote after the number) of the metric's figure
    in its own quote, or None.

    The quantity is the first one of generator.quantities.readings(quote) of which the
    metric's (qualifier, value, value_max) is a true reading. The measure word is the unit word
    the reading found when the quote continues with it (人次, 平方米, 小时), else the single
    measure word (MEASURE_WORDS) right after the number, else "" (上万 with nothing after it).
    """
    quote = metric.get("quote")
    if not isinstance(quote, str) or not quote:
        return None
    from .quantities import is_true_reading, readings  # local: quantities is large, figures small
    qualifier = metric.get("qualifier") or "exact"
    try:
        found = readings(quote).quantities
    except Exception:  # a quote the reader cannot take never breaks a page
        return None
    for quantity in found:
        if not is_true_reading(quantity, qualifier, metric["value"], metric.get("value_max")):
            continue
        rest = quote[quantity.start + len(quantity.text):]
        if quantity.unit and rest.startswith(quantity.unit):
            word = quantity.unit
        elif rest[:1] in MEASURE_WORDS:
            word = rest[:1]
        else:
            word = ""
        return quantity.text, word, rest
    return None


def reading(metric: dict) -> str:
    """A metric's figure with its qualifier, unit and rate as one Chinese phrase.

    >>> reading({"value": 4000000, "unit": "cny", "qualifier": "plus"})
    '400余万元'
    >>> reading({"value": 10000, "unit": "person_time", "qualifier": "plus", "quote": "共培训1万余人次"})
    '1万余人次'
    """
    generic = UNIT_WORDS.get(metric.get("unit"), metric.get("unit") or "")
    qualifier = metric.get("qualifier") or "exact"
    value = metric["value"]
    written = _as_written(metric)
    unit = generic
    if written is not None:
        words, word, rest = written
        if word and not rest.startswith(generic):
            unit = word  # 57盏, 600余起, 3次: the quote's measure word, not 项/场
        if qualifier in ("plus", "vague"):  # the number as written: 1万余, 一个多, 上万
            text = words + unit
            if metric.get("per"):
                text += "/" + PER_WORDS.get(metric["per"], metric["per"])
            return text
    if qualifier == "vague":
        text = number(value) + unit + "以上"
    elif metric.get("value_max") is not None or qualifier == "range":
        top = metric.get("value_max")
        low, high = _split(value), _split(top if top is not None else value)
        if top is None:
            text = number(value)
        elif low[1] == high[1]:  # 3–5天, 10–100万人: the magnitude once, after the range
            text = f"{low[0]}–{high[0]}{high[1]}"
        else:
            text = f"{number(value)}–{number(top)}"
        text += unit
    else:
        figure = number(value, plus=qualifier == "plus")
        before = "" if figure.startswith("超过") else _BEFORE.get(qualifier, "")
        text = before + figure + unit
        text += _AFTER.get(qualifier, "")
    if metric.get("per"):
        text += "/" + PER_WORDS.get(metric["per"], metric["per"])
    return text


def sort_key(metric: dict) -> float:
    """The number a figure sorts by (its value, in the unit's base: 元, 人 …)."""
    return float(metric["value"])
