"""The Chinese quantity reader: examples from the issue, then properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.quantities import chinese_to_number, parse_quantities


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "value_max"),
    [
        ("帮销农特产品400余万元", 4_000_000, "at_least", None),
        ("销售额4.57亿元", 457_000_000, "exact", None),
        ("1万余人次", 10_000, "at_least", None),
        ("2.4万平方米", 24_000, "exact", None),
        ("占比29.62%", 29.62, "exact", None),
        ("900多万元", 9_000_000, "at_least", None),
        ("奖励10万元以上", 100_000, "more_than", None),
        ("驻村两年", 2, "exact", None),
        ("每个月抽出三到五天时间", 3, "range", 5),
        ("一个多小时", 1, "at_least", None),
        ("约3000人", 3000, "approximately", None),
        ("近5000户", 5000, "approximately", None),
        ("超过200人", 200, "more_than", None),
        ("3万到5万元", 30_000, "range", 50_000),
        ("一百零八个单位", 108, "exact", None),
        ("1000人左右", 1000, "approximately", None),
        ("每半年至少1次", 1, "at_least", None),
        ("每年不少于1次", 1, "at_least", None),
        ("不低于100万元保额", 1_000_000, "at_least", None),
        ("不超过3人", 3, "at_most", None),
        ("点击率上万", 10_000, "at_least", None),
        ("每月至少办理1件民生实事", 1, "at_least", None),
        ("每月至少到挂点联系村开展1次全民集中劳动日活动", 1, "at_least", None),
        ("至少，3人", 3, "exact", None),
    ],
)
def test_examples(text, value, qualifier, value_max):
    first = parse_quantities(text)[0]
    assert (first.value, first.qualifier, first.value_max) == (value, qualifier, value_max)


def test_several_numbers_in_one_sentence():
    got = [(q.value, q.qualifier) for q in parse_quantities("组织公益捐助3次50万元")]
    assert got == [(3, "exact"), (500_000, "exact")]


def test_words_that_only_look_like_qualifiers():
    assert parse_quantities("最近3年")[0].qualifier == "exact"


DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Write 0 < n < 10^8 the way a Chinese text does (reference implementation for tests)."""
    def below_10000(k: int) -> str:
        out, zero = "", False
        for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            d, k = divmod(k, size)
            if d:
                if zero:
                    out += "零"
                out += DIGITS[d] + unit
                zero = False
            elif out:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    if not high:
        text = below_10000(low)
        return text[1:] if text.startswith("一十") else text
    text = below_10000(high) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10000(low)
    return text


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert chinese_to_number(to_chinese(n)) == n


@given(st.integers(min_value=1, max_value=10**9))
def test_arabic_numbers_read_back(n):
    [q] = parse_quantities(f"共有{n}人")
    assert (q.value, q.qualifier) == (n, "exact")


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["余", "多"]))
def test_wan_with_at_least_marker(n, marker):
    [q] = parse_quantities(f"帮销{n}{marker}万元")
    assert (q.value, q.qualifier) == (n * 10_000, "at_least")


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=99))
def test_ranges(a, b):
    [q] = parse_quantities(f"每月{a}到{b}天")
    assert (q.value, q.value_max, q.qualifier) == (a, b, "range")


@given(st.decimals(min_value="0.01", max_value="999.99", places=2))
def test_yi_scales_decimals(d):
    [q] = parse_quantities(f"实现{d}亿元")
    assert q.value == pytest.approx(float(d) * 1e8)
