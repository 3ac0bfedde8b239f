"""Figures read the Chinese way: 4.57亿元, 400余万元, 1.1万人次, 超过300人, 约50户.

`reading(metric)` turns a metric (value, value_max, unit, qualifier, per) into the words a
Chinese reader expects, following the qualifier of schema v2 (see schema/case.schema.json,
`definitions/qualifier`; Civil Code art. 1259 for 以上/超过):

- `plus` → N余 (余 before 万/亿 when N is whole there: 400余万元; after it otherwise: 1.1万余人次)
- `at_least` → N以上, `more_than` → 超过N, `just_under` → 近N, `approximately` → 约N,
  `at_most` → 最多N, `less_than` → 不到N, `range` and `vague` → N–M, `exact` → N.

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
    """A number the Chinese way; `plus` adds 余 (400余万, 1.1万余, 30余)."""
    mantissa, magnitude = _split(value)
    if not plus:
        return mantissa + magnitude
    if magnitude and "." in mantissa:
        return mantissa + magnitude + "余"
    return mantissa + "余" + magnitude


def reading(metric: dict) -> str:
    """A metric's figure with its qualifier, unit and rate as one Chinese phrase.

    >>> reading({"value": 4000000, "unit": "cny", "qualifier": "plus"})
    '400余万元'
    """
    unit = UNIT_WORDS.get(metric.get("unit"), metric.get("unit") or "")
    qualifier = metric.get("qualifier") or "exact"
    value = metric["value"]
    if metric.get("value_max") is not None or qualifier in ("range", "vague"):
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
        text = _BEFORE.get(qualifier, "") + number(value, plus=qualifier == "plus") + unit
        text += _AFTER.get(qualifier, "")
    if metric.get("per"):
        text += "/" + PER_WORDS.get(metric["per"], metric["per"])
    return text


def sort_key(metric: dict) -> float:
    """The number a figure sorts by (its value, in the unit's base: 元, 人 …)."""
    return float(metric["value"])
