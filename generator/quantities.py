"""Read the quantities written in a Chinese sentence: `400余万元`, `4.57亿元`, `三到五天`.

Used to check that each metric's value and qualifier agree with its own quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {**SMALL_UNITS, **BIG_UNITS}

_CN = "零〇一二两三四五六七八九十百千万亿"
_NUM = rf"(?:\d+(?:\.\d+)?|[{_CN}]+)"
_RANGE_SEP = r"(?:到|至|-|~|～|—|－)"
_PATTERN = re.compile(
    rf"(?P<a>{_NUM})"
    rf"(?:(?P<amult>[万亿千百]+)?{_RANGE_SEP}(?P<b>{_NUM}))?"
    r"(?P<approx1>[余多])?"
    r"(?P<mult>[万亿千百]+)?"
    r"(?P<approx2>[余多])?"
    r"(?:个(?P<approx3>[余多]))?"
)
_BEFORE = (  # longest first: 超过 before 超
    ("不少于", "at_least"), ("不低于", "at_least"), ("不超过", "at_most"), ("不高于", "at_most"),
    ("至少", "at_least"), ("最多", "at_most"), ("超过", "more_than"), ("大约", "approximately"),
    ("不到", "less_than"), ("不足", "less_than"), ("约", "approximately"), ("近", "approximately"),
    ("逾", "more_than"), ("超", "more_than"),
)
# Words that end in 近/超 but do not qualify the number after them (最近3年, 就近).
_NOT_BEFORE = ("最近", "就近", "附近", "临近", "接近于")
_AFTER = re.compile(r"[^\d，。,；;、！？\s]{0,4}?(以上|左右|以下|以内)")  # used with match(text, pos)
# Every word in _BEFORE ends in one of these: most numbers are preceded by none of them.
_BEFORE_LAST = frozenset(word[-1] for word, _ in _BEFORE)


@dataclass(frozen=True)
class Quantity:
    """A number read from text, with its qualifier and where it was written."""

    value: float
    qualifier: str  # exact | approximately | at_least | more_than | less_than | at_most | range
    text: str
    start: int
    value_max: float | None = None


def chinese_to_number(text: str) -> float | None:
    """Convert a Chinese numeral such as `一百零八`, `两`, `十二` or `3千` to a number."""
    if not text:
        return None
    total = 0.0
    section = 0.0  # the part below the current 万/亿
    digit: float | None = None
    for ch in text:
        if ch in DIGITS:
            if digit is not None:  # "一二" is not a numeral we read
                return None
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            section += digit or 0
            if section == 0:
                section = 1
            if BIG_UNITS[ch] == 100_000_000:
                total = (total + section) * BIG_UNITS[ch]
            else:
                total += section * BIG_UNITS[ch]
            section, digit = 0.0, None
        else:
            return None
        if ch in "零〇":
            digit = None
    return total + section + (digit or 0)


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text)
    return chinese_to_number(text)


def _scale(mult: str | None) -> float:
    factor = 1.0
    for ch in mult or "":
        factor *= MULTIPLIERS[ch]
    return factor


# 至少/最多 are adverbs: a verb phrase may stand between them and the number, within the
# same clause (每月至少到挂点联系村开展1次).
_ADVERB = re.compile(r"(至少|最少|最多|至多)[^\d，。,；;、！？\s]{0,10}$")
_ADVERB_QUALIFIER = {"至少": "at_least", "最少": "at_least", "最多": "at_most", "至多": "at_most"}


def _before(text: str, start: int) -> str | None:
    adverb = _ADVERB.search(text, max(0, start - 12), start)
    if adverb:
        return _ADVERB_QUALIFIER[adverb.group(1)]
    if start == 0 or text[start - 1] not in _BEFORE_LAST:
        return None
    head = text[max(0, start - 3):start]
    if any(head.endswith(word) for word in _NOT_BEFORE):
        return None
    for word, qualifier in _BEFORE:
        if head.endswith(word):
            return qualifier
    return None


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity written in `text`, in order of appearance."""
    found = []
    for m in _PATTERN.finditer(text):
        a = _number(m["a"])
        if a is None:
            continue
        scale = _scale(m["mult"])
        value_max = None
        if m["b"] is not None:
            b = _number(m["b"])
            if b is None:
                continue
            # 3万到5万 scales each end; 3到5万 scales both by the trailing 万.
            value_max = b * scale
            a *= _scale(m["amult"]) if m["amult"] else scale
        else:
            a *= scale
        after = _AFTER.match(text, m.end())
        if value_max is not None:
            qualifier = "range"
        elif m["approx1"] or m["approx2"] or m["approx3"]:
            qualifier = "at_least"
        elif after and after.group(1) == "以上":
            qualifier = "more_than"
        elif after and after.group(1) == "左右":
            qualifier = "approximately"
        elif after and after.group(1) == "以下":
            qualifier = "less_than"
        elif after and after.group(1) == "以内":
            qualifier = "at_most"
        elif m.start() and text[m.start() - 1] == "上" and m["a"][0] in "十百千万亿":
            qualifier = "at_least"  # 上万 / 上千: "ten thousand and more"
        else:
            qualifier = _before(text, m.start()) or "exact"
        found.append(Quantity(_clean(a), qualifier, m.group(0), m.start(), _clean(value_max)))
    return found


def _clean(value: float | None) -> float | None:
    # 4.57 * 1e8 is 456999999.99999994 in binary floating point; round off the noise.
    return None if value is None else round(value, 6)


def agrees(quantity: Quantity, value: float, value_max: float | None = None) -> bool:
    """True when a metric's value (and upper value) equals what the quantity says."""
    def same(x: float, y: float) -> bool:
        return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))

    if not same(quantity.value, value):
        return False
    if value_max is None or quantity.value_max is None:
        return value_max is None and quantity.value_max is None
    return same(quantity.value_max, value_max)
