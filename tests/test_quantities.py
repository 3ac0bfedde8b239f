"""The Chinese quantity reader and the metric rule built on it.

1. every row of ../shared/review/figures.md (exact message; the refused rows also as
   fixtures under tests/fixtures/invalid/, where the line is checked too);
2. readings of each kind: Civil Code qualifiers, 余/多, 近, vague words, ranges, numerals;
3. non-quantities: ordinals, enumerations, dates, names and set phrases;
4. held-out-style examples of every kind, with the exact message;
5. properties (hypothesis).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.metric_check import check_metric
from generator.quantities import (
    Reading,
    chinese_to_number,
    is_true_reading,
    parse_quantities,
    readings,
)
from generator.validate import validate_paths

from .conftest import ROOT, VALID

NUM = "数十万 is vague (between 100000 and 1000000), so it is never exact, at least or plus"
SHI_WAN = "目前，全国有数十万名驻村第一书记和工作队员在岗"


def metric(quote: str, value, qualifier: str, value_max=None) -> dict:
    out = {"quote": quote, "value": value, "qualifier": qualifier}
    if value_max is not None:
        out["value_max"] = value_max
    return out


def messages(quote: str, value, qualifier: str, value_max=None) -> list[str]:
    return [message for _rule, message in check_metric(metric(quote, value, qualifier, value_max))]


# --- 1. figures.md, row by row -------------------------------------------------------------

FIGURES = [
    (SHI_WAN, 100000, "exact", None, [
        f"`qualifier: exact` is not a true reading of 数十万 in the quote “{SHI_WAN}”: {NUM}; "
        "write `value: 100000`, `value_max: 1000000`, `qualifier: vague`, or leave the figure out"]),
    (SHI_WAN, 1, "exact", None, [
        f"value 1 is not a quantity in the quote “{SHI_WAN}”: 第一 is an ordinal (a rank, not a "
        f"count); the quote's only figure: {NUM}; write `value: 100000`, `value_max: 1000000`, "
        "`qualifier: vague`, or leave the figure out"]),
    ("几十个村参与", 10, "exact", None, [
        "`qualifier: exact` is not a true reading of 几十 in the quote “几十个村参与”: 几十 is vague "
        "(between 10 and 100), so it is never exact, at least or plus; write `value: 10`, "
        "`value_max: 100`, `qualifier: vague`, or leave the figure out"]),
    ("2025年接待游客近40万人次", 400000, "approximately", None, []),
    ("2025年接待游客近40万人次", 400000, "just_under", None, []),
    ("2025年接待游客近40万人次", 400000, "exact", None, [
        "`qualifier: exact` is not a true reading of 40万 in the quote “2025年接待游客近40万人次”: "
        "近 means close to 400000 but below it; write `value: 400000`, `qualifier: just_under` "
        "(or `qualifier: approximately`)"]),
    ("帮销农特产品400余万元", 4000000, "exact", None, [
        "`qualifier: exact` is not a true reading of 400余万 in the quote “帮销农特产品400余万元”: "
        "余 means more than 4000000 and below 5000000; write `value: 4000000`, `qualifier: plus`"]),
    ("资金10万元以上", 100000, "more_than", None, [
        "`qualifier: more_than` is not a true reading of 10万 in the quote “资金10万元以上”: 以上 "
        "includes the number itself (PRC Civil Code art. 1259), so at least 100000; write "
        "`value: 100000`, `qualifier: at_least`"]),
    ("超过100人", 100, "at_least", None, [
        "`qualifier: at_least` is not a true reading of 100 in the quote “超过100人”: 超过 excludes "
        "the number itself (PRC Civil Code art. 1259), so more than 100; write `value: 100`, "
        "`qualifier: more_than`"]),
    ("每个月抽出三到五天时间跨镇服务", 3, "range", 5, []),
    ("涉及资金4.57亿元", 457000000, "exact", None, []),
    ("帮销农特产品400余万元", math.inf, "plus", None, [
        "value inf is not a finite number (YAML reads 1e400 as infinity); the figure must be one "
        "the quote writes: the quote “帮销农特产品400余万元”, which reads: 400余万 → "
        "`value: 4000000`, `qualifier: plus`"]),
]


@pytest.mark.parametrize(("quote", "value", "qualifier", "value_max", "want"), FIGURES)
def test_figures_review_rows(quote, value, qualifier, value_max, want):
    assert messages(quote, value, qualifier, value_max) == want


def test_figures_review_refused_rows_are_fixtures_with_lines():
    """The refused rows are fixtures in tests/fixtures/invalid/ (lines checked by test_validate)."""
    invalid = VALID.parent / "invalid"
    expected = {
        "metric-vague": "73:12: `qualifier: exact` is not a true reading of 数十万",
        "metric-ordinal": "73:12: value 1 is not a quantity in the quote",
        "metric-vague-tens": "73:12: `qualifier: exact` is not a true reading of 几十",
        "metric-just-under": "73:12: `qualifier: exact` is not a true reading of 40万",
        "metric-qualifier": "72:12: `qualifier: exact` is not a true reading of 400余万",
        "metric-inclusive": "73:12: `qualifier: more_than` is not a true reading of 10万",
        "metric-exclusive": "73:12: `qualifier: at_least` is not a true reading of 100",
        "metric-not-finite": "73:12: the number 1e400 is too large",
    }
    for folder, start in expected.items():
        text = (invalid / folder / "expected.txt").read_text(encoding="utf-8")
        assert text.startswith("langao-fixture-mini.yaml:" + start), folder


def _case_with(tmp_path: Path, quote: str, value: str, qualifier: str,
               value_max: str | None = None, unit: str = "person") -> Path:
    folder = tmp_path / "cases"
    shutil.copytree(VALID, folder)
    path = folder / "langao-fixture-mini.yaml"
    text = path.read_text(encoding="utf-8")
    old = ("    value: 4000000\n    unit: cny\n    qualifier: plus\n    claim_type: result\n"
           "    status: achieved\n    theme: consumption_assistance\n"
           "    quote: 帮销农特产品400余万元\n    source: langao-fixture-source\n")
    assert old in text
    new = (f"    value: {value}\n" + (f"    value_max: {value_max}\n" if value_max else "")
           + f"    unit: {unit}\n    qualifier: {qualifier}\n    claim_type: result\n"
           f"    status: achieved\n    theme: consumption_assistance\n    quote: {quote}\n"
           "    source: figures-review-examples\n")
    text = text.replace(old, new).rstrip("\n") + (
        "\n  - id: figures-review-examples\n    title: 数字读法审查示例\n    publisher: 审查示例\n"
        "    language: zh\n    evidence_type: editorial\n")
    path.write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("quote", "value", "qualifier", "value_max", "unit"), [
    ("2025年接待游客近40万人次", "400000", "approximately", None, "person_time"),
    ("2025年接待游客近40万人次", "400000", "just_under", None, "person_time"),
    ("每个月抽出三到五天时间跨镇服务", "3", "range", "5", "day"),
    ("涉及资金4.57亿元", "457000000", "exact", None, "cny"),
    (SHI_WAN, "100000", "vague", "1000000", "person"),
])
def test_figures_review_accepted_rows_validate(tmp_path, quote, value, qualifier, value_max, unit):
    report = validate_paths([_case_with(tmp_path, quote, value, qualifier, value_max, unit)])
    assert report.errors == []


def test_a_refused_row_fails_validation_at_the_value_line(tmp_path):
    report = validate_paths([_case_with(tmp_path, "几十个村参与", "10", "exact")])
    assert [(p.line, p.col, p.rule) for p in report.errors] == [(73, 12, "metric-qualifier")]


# --- 2. readings of each kind --------------------------------------------------------------


def reads(text: str) -> list[tuple[str, list[tuple]]]:
    return [(q.text, [(r.qualifier, r.value, r.value_max) for r in q.readings])
            for q in readings(text).quantities]


@pytest.mark.parametrize(("text", "want"), [
    # plain cardinals: exact, or approximately where the article treats them as round
    ("将97个村划设29个联合党组织", [("97", [("exact", 97, None), ("approximately", 97, None)]),
                                ("29", [("exact", 29, None), ("approximately", 29, None)])]),
    ("两年前", []),  # a point in time: see test_points_in_time_are_no_lengths
    # Civil Code art. 1259: 以上/以下/以内 inclusive, 超过/不满/以外 exclusive
    ("奖励10万元以上", [("10万", [("at_least", 100000, None)])]),
    ("至少3人", [("3", [("at_least", 3, None)])]),
    ("不少于1次", [("1", [("at_least", 1, None)])]),
    ("不低于100万元保额", [("100万", [("at_least", 1000000, None)])]),
    ("超过200人", [("200", [("more_than", 200, None)])]),
    ("多于5个", [("5", [("more_than", 5, None)])]),
    ("高于80分", [("80", [("more_than", 80, None)])]),
    ("三公里以外", [("三", [("more_than", 3, None)])]),
    ("60岁以下", [("60", [("at_most", 60, None)])]),
    ("10公里以内", [("10", [("at_most", 10, None)])]),
    ("最多3人", [("3", [("at_most", 3, None)])]),
    ("不超过3人", [("3", [("at_most", 3, None)])]),
    ("不满18周岁", [("18", [("less_than", 18, None)])]),
    ("不到100人", [("100", [("less_than", 100, None)])]),
    ("不足10%", [("10", [("less_than", 10, None)])]),
    ("少于5户", [("5", [("less_than", 5, None)])]),
    # 余/多: more than N, below the next step of N's last unit
    ("帮销农特产品400余万元", [("400余万", [("plus", 4000000, None)])]),
    ("40余人", [("40余", [("plus", 40, None)])]),
    ("700多天", [("700多", [("plus", 700, None)])]),
    ("1万余人次", [("1万余", [("plus", 10000, None)])]),
    ("一个多小时", [("一个多", [("plus", 1, None)])]),
    ("两年多", [("两年多", [("plus", 2, None)])]),
    ("百余人", [("百余", [("plus", 100, None)])]),
    # 近/将近/接近: just under (and about)
    ("近5000户", [("5000", [("just_under", 5000, None), ("approximately", 5000, None)])]),
    ("将近百人", [("百", [("just_under", 100, None), ("approximately", 100, None)])]),
    ("接近90%", [("90", [("just_under", 90, None), ("approximately", 90, None)])]),
    ("驻村近两年", [("两", [("just_under", 2, None), ("approximately", 2, None)])]),
    # 近两年来 is "the last two years", not "nearly"
    ("近两年来", [("两", [("exact", 2, None), ("approximately", 2, None)])]),
    # 约/大约/左右/上下
    ("约3000人", [("3000", [("approximately", 3000, None)])]),
    ("大约50户", [("50", [("approximately", 50, None)])]),
    ("1000人左右", [("1000", [("approximately", 1000, None)])]),
    ("100人上下", [("100", [("approximately", 100, None)])]),
    ("十来个人", [("十来", [("approximately", 10, None)])]),
    # 满/届满/期满: a completed term, inclusive
    ("驻村满2年", [("2", [("exact", 2, None), ("at_least", 2, None)])]),
    ("15天交接期满", [("15", [("exact", 15, None), ("at_least", 15, None)])]),
    ("任期2年届满", [("2", [("exact", 2, None), ("at_least", 2, None)])]),
    # ranges keep both ends
    ("每个月抽出三到五天", [("三到五", [("range", 3, 5)])]),
    ("3至5人", [("3至5", [("range", 3, 5)])]),
    ("3—5人", [("3—5", [("range", 3, 5)])]),
    ("3万到5万元", [("3万到5万", [("range", 30000, 50000)])]),
    ("3到5万元", [("3到5万", [("range", 30000, 50000)])]),
    ("三五天", [("三五", [("range", 3, 5)])]),
    ("三四天", [("三四", [("range", 3, 4)])]),
    ("一两天", [("一两", [("range", 1, 2)])]),
    ("七八十人", [("七八十", [("range", 70, 80)])]),
    ("十五六岁", [("十五六", [("range", 15, 16)])]),
    # vague: value = lower bound, value_max = upper bound, nothing else
    ("数十万名", [("数十万", [("vague", 100000, 1000000)])]),
    ("数万人", [("数万", [("vague", 10000, 100000)])]),
    ("几十个村", [("几十", [("vague", 10, 100)])]),
    ("十几个村", [("十几", [("vague", 10, 20)])]),
    ("二十几万", [("二十几万", [("vague", 200000, 300000)])]),
    ("几百人", [("几百", [("vague", 100, 1000)])]),
    ("数百名", [("数百", [("vague", 100, 1000)])]),
    ("几千元", [("几千", [("vague", 1000, 10000)])]),
    ("上百人", [("上百", [("vague", 100, 1000)])]),
    ("上百万元", [("上百万", [("vague", 1000000, 10000000)])]),
    ("几十亿", [("几十亿", [("vague", 1000000000, 10000000000)])]),
    ("数以千计", [("数以千计", [("vague", 1000, 10000)])]),
    ("上千户", [("上千", [("vague", 1000, 10000)])]),
    ("点击率上万", [("上万", [("vague", 10000, 100000)])]),
    ("成百上千", [("成百上千", [("vague", 100, 10000)])]),
    ("成千上万", [("成千上万", [("vague", 1000, 100000)])]),
    ("数以万计", [("数以万计", [("vague", 10000, 100000)])]),
    ("几个村", [("几", [("vague", 1, 10)])]),
    # numerals
    ("销售额4.57亿元", [("4.57亿", [("exact", 457000000, None), ("approximately", 457000000, None)])]),
    ("1.1万人次", [("1.1万", [("exact", 11000, None), ("approximately", 11000, None)])]),
    ("１２人", [("１２", [("exact", 12, None), ("approximately", 12, None)])]),
    ("1,000元", [("1,000", [("exact", 1000, None), ("approximately", 1000, None)])]),
    ("廿三人", [("廿三", [("exact", 23, None), ("approximately", 23, None)])]),
    ("一百零八个单位", [("一百零八", [("exact", 108, None), ("approximately", 108, None)])]),
    ("两万元", [("两万", [("exact", 20000, None), ("approximately", 20000, None)])]),
    ("百分之三十", [("百分之三十", [("exact", 30, None), ("approximately", 30, None)])]),
    ("占比29.62%", [("29.62", [("exact", 29.62, None), ("approximately", 29.62, None)])]),
    ("七成以上", [("七成", [("at_least", 70, None)])]),
    ("一年半", [("一年半", [("exact", 1.5, None), ("approximately", 1.5, None)])]),
    ("两个半月", [("两个半", [("exact", 2.5, None), ("approximately", 2.5, None)])]),
    # adverbs reach over a verb phrase in the same clause, not over punctuation
    ("每月至少到挂点联系村开展1次全民集中劳动日活动", [("1", [("at_least", 1, None)])]),
    ("至少，3人", [("3", [("exact", 3, None), ("approximately", 3, None)])]),
    # words that only look like qualifiers
    ("最近3年", [("3", [("exact", 3, None), ("approximately", 3, None)])]),
    ("延伸到临近三个村", [("三", [("exact", 3, None), ("approximately", 3, None)])]),
    ("节约100万元", [("100万", [("exact", 1000000, None), ("approximately", 1000000, None)])]),
])
def test_readings(text, want):
    assert reads(text) == want


def test_several_numbers_in_one_sentence():
    got = [(q.value, q.qualifier) for q in parse_quantities("组织公益捐助3次50万元")]
    assert got == [(3, "exact"), (500_000, "exact")]


def test_bounds_of_plus_and_inclusive_words():
    [q] = parse_quantities("帮销农特产品400余万元")
    assert (q.lower, q.upper, q.lower_open, q.upper_open) == (4_000_000, 5_000_000, True, True)
    [q] = parse_quantities("资金10万元以上")
    assert (q.lower, q.upper, q.lower_open) == (100_000, None, False)
    [q] = parse_quantities("超过100人")
    assert (q.lower, q.lower_open) == (100, True)
    [q] = parse_quantities("不满18周岁")
    assert (q.upper, q.upper_open) == (18, True)
    [q] = parse_quantities("10公里以内")
    assert (q.upper, q.upper_open) == (10, False)


# --- 3. non-quantities ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "phrase"), [
    ("第一书记", "ordinal", "第一"),
    ("第一批", "ordinal", "第一"),
    ("第二书记", "ordinal", "第二"),
    ("中央1号文件", "ordinal", "1号"),
    ("一是加强组织", "enumeration", "一是"),
    ("二是壮大集体经济", "enumeration", "二是"),
    ("一村一品", "name", "一村一品"),
    ("一人一资源", "name", "一人一资源"),
    ("一户一策", "name", "一户一策"),
    ("推行“五个一”工作法", "name", "五个一"),
    ("五个一工作法", "name", "五个一"),
    ("两优一先", "name", "两优一先"),
    ("一线", "name", "一线"),
    ("统一部署", "name", "统一"),
    ("一起", "name", "一起"),
    ("措施之一", "name", "之一"),
    ("唯一", "name", "唯一"),
    ("一体推进", "name", "一体"),
    ("一站式服务", "name", "一站式"),
    ("千方百计", "name", "千方百计"),
    ("老百姓", "name", "百姓"),
    ("村两委", "name", "两委"),
    ("“1+12+X”服务模式", "name", "1+12+X"),
    ("“90后”", "name", "90后"),
    ("5年如一日", "name", "如一日"),
    ("“十四五”时期", "name", "十四五"),
    ("5G基站", "name", "5G"),
    ("7×24小时服务", "name", "7×24"),
    ("联系电话:023-85238885", "name", "023-85238885"),
    ("晚上9点", "date", "9点"),
    ("扫一扫分享", "name", "扫一扫"),
    ("一扫即查", "name", "一扫即"),
    ("促进农业与二三产业交叉融合", "name", "二三产业"),
    ("2022年", "date", "2022年"),
    ("二〇二三年", "date", "二〇二三年"),
    ("去年9月起", "date", "9月"),
    ("1—9月", "date", "1—9月"),
])
def test_not_quantities(text, kind, phrase):
    read = readings(text)
    assert [(n.kind, n.text) for n in read.not_quantities] == [(kind, phrase)]
    blocked = range(text.index(phrase), text.index(phrase) + len(phrase))
    assert not [q for q in read.quantities if q.start in blocked]


# --- 4. held-out-style examples, one or more per kind, exact messages -----------------------

HELD_OUT = [
    ("数百名党员干部下沉", 100, "at_least", None, [
        "`qualifier: at_least` is not a true reading of 数百 in the quote “数百名党员干部下沉”: "
        "数百 is vague (between 100 and 1000), so it is never exact, at least or plus; write "
        "`value: 100`, `value_max: 1000`, `qualifier: vague`, or leave the figure out"]),
    ("数百名党员干部下沉", 100, "vague", 1000, []),
    ("几千元", 1000, "exact", None, [
        "`qualifier: exact` is not a true reading of 几千 in the quote “几千元”: 几千 is vague "
        "(between 1000 and 10000), so it is never exact, at least or plus; write `value: 1000`, "
        "`value_max: 10000`, `qualifier: vague`, or leave the figure out"]),
    ("十几个村", 10, "plus", None, [
        "`qualifier: plus` is not a true reading of 十几 in the quote “十几个村”: 十几 is vague "
        "(between 10 and 20), so it is never exact, at least or plus; write `value: 10`, "
        "`value_max: 20`, `qualifier: vague`, or leave the figure out"]),
    ("带动成千上万群众增收", 1000, "at_least", None, [
        "`qualifier: at_least` is not a true reading of 成千上万 in the quote “带动成千上万群众增收”: "
        "成千上万 is vague (between 1000 and 100000), so it is never exact, at least or plus; "
        "write `value: 1000`, `value_max: 100000`, `qualifier: vague`, or leave the figure out"]),
    ("第二书记", 2, "exact", None, [
        "value 2 is not a quantity in the quote “第二书记”: 第二 is an ordinal (a rank, not a "
        "count); the quote states no figure: leave the figure out"]),
    ("一是加强组织建设，二是壮大集体经济", 2, "exact", None, [
        "value 2 is not a quantity in the quote “一是加强组织建设，二是壮大集体经济”: 二是 is an "
        "enumeration marker (一是, 二是 …), not a count; the quote states no figure: leave the "
        "figure out"]),
    ("推行一村一品", 1, "exact", None, [
        "value 1 is not a quantity in the quote “推行一村一品”: 一村一品 is part of a name or set "
        "phrase, not a count; the quote states no figure: leave the figure out"]),
    ("推行“五个一”工作法", 5, "exact", None, [
        "value 5 is not a quantity in the quote “推行“五个一”工作法”: 五个一 is part of a name or "
        "set phrase, not a count; the quote states no figure: leave the figure out"]),
    ("每月三四天", 3, "exact", None, [
        "`qualifier: exact` is not a true reading of 三四 in the quote “每月三四天”: 三四 is a range "
        "from 3 to 4; write `value: 3`, `value_max: 4`, `qualifier: range`"]),
    ("每月三四天", 3, "range", 4, []),
    ("驻村近两年", 2, "exact", None, [
        "`qualifier: exact` is not a true reading of 两 in the quote “驻村近两年”: 近 means close "
        "to 2 but below it; write `value: 2`, `qualifier: just_under` (or `qualifier: "
        "approximately`)"]),
    ("近两年来培训1万余人次", 2, "exact", None, []),
    ("将近百人报名", 100, "exact", None, [
        "`qualifier: exact` is not a true reading of 百 in the quote “将近百人报名”: 将近 means "
        "close to 100 but below it; write `value: 100`, `qualifier: just_under` (or `qualifier: "
        "approximately`)"]),
    ("贫困发生率不足10%", 10, "at_most", None, [
        "`qualifier: at_most` is not a true reading of 10 in the quote “贫困发生率不足10%”: 不足 "
        "means less than 10; write `value: 10`, `qualifier: less_than`"]),
    ("服务半径在10公里以内", 10, "less_than", None, [
        "`qualifier: less_than` is not a true reading of 10 in the quote “服务半径在10公里以内”: "
        "以内 includes the number itself (PRC Civil Code art. 1259), so at most 10; write "
        "`value: 10`, `qualifier: at_most`"]),
    ("任期2年届满", 2, "more_than", None, [
        "`qualifier: more_than` is not a true reading of 2 in the quote “任期2年届满”: 届满 names a "
        "completed term of 2 (inclusive); write `value: 2`, `qualifier: exact` (or `qualifier: "
        "at_least`)"]),
    ("未成年人不满18周岁", 18, "at_most", None, [
        "`qualifier: at_most` is not a true reading of 18 in the quote “未成年人不满18周岁”: 不满 "
        "excludes the number itself (PRC Civil Code art. 1259), so less than 18; write "
        "`value: 18`, `qualifier: less_than`"]),
    ("县财政每年为每个服务队预算2万元工作经费", 20000, "at_least", None, [
        "`qualifier: at_least` is not a true reading of 2万 in the quote “县财政每年为每个服务队预算2万元"
        "工作经费”: 2万 is written without a qualifying word; write `value: 20000`, `qualifier: "
        "exact` (or `qualifier: approximately` where the article treats the figure as round)"]),
    ("这一幕,是两年前贵州省黔南州乡村振兴驻村工作队出征仪式的现场", 2, "approximately", None, [
        "value 2 is not a quantity in the quote “这一幕,是两年前贵州省黔南州乡村振兴驻村工作队出征仪式的现场”"
        ": 两年前 is a point in time (…年前/…年后 dates an event from the article's day), not a "
        "length or a count: leave the figure out, or say when in the metric's `period` (as "
        "written) and `as_of`; the quote states no figure: leave the figure out"]),
    ("在开展驻村帮扶的700多天里", 700, "at_least", None, [
        "`qualifier: at_least` is not a true reading of 700多 in the quote “在开展驻村帮扶的700多天里”: "
        "多 means more than 700 and below 800; write `value: 700`, `qualifier: plus`"]),
    ("在开展驻村帮扶的700多天里", 700, "approximately", None, [
        "`qualifier: approximately` is not a true reading of 700多 in the quote “在开展驻村帮扶的700多天"
        "里”: 多 means more than 700 and below 800; write `value: 700`, `qualifier: plus`"]),
    ("本村推行网格化管理", 3, "exact", None, [
        "value 3 is not a number written in the quote “本村推行网格化管理”, which states no figure: "
        "leave the figure out, or quote the sentence that states it"]),
    ("帮销农特产品400余万元", 400, "plus", None, [
        "value 400 is not a number written in the quote “帮销农特产品400余万元”, which reads: "
        "400余万 → `value: 4000000`, `qualifier: plus`; money is in yuan (40万元 → 400000) and "
        "万 = 10000"]),
    ("本村有三个\u202e网格", 3, "plus", None, [
        "`qualifier: plus` is not a true reading of 三 in the quote “本村有三个\\u202e网格”: 三 is "
        "written without a qualifying word; write `value: 3`, `qualifier: exact` (or `qualifier: "
        "approximately` where the article treats the figure as round)"]),
    ("每个月抽出三到五天时间跨镇服务", 3, "range", 6, [
        "`qualifier: range` with `value_max: 6` is not a true reading of 三到五 in the quote "
        "“每个月抽出三到五天时间跨镇服务”: 三到五 is a range from 3 to 5; write `value: 3`, "
        "`value_max: 5`, `qualifier: range`"]),
    ("一场长达一个多小时的践行社会主义核心价值观宣讲", 1, "at_least", None, [
        "`qualifier: at_least` is not a true reading of 一个多 in the quote “一场长达一个多小时的践行"
        "社会主义核心价值观宣讲”: 多 means more than 1 and below 2; write `value: 1`, "
        "`qualifier: plus`"]),
]


@pytest.mark.parametrize(("quote", "value", "qualifier", "value_max", "want"), HELD_OUT)
def test_held_out_examples(quote, value, qualifier, value_max, want):
    assert messages(quote, value, qualifier, value_max) == want


def test_a_long_quote_is_echoed_short():
    quote = "在全镇现有168个网格的基础上，将97个村划设29个联合党组织，由21名科级干部联系39家合作社"
    [message] = messages(quote, 5, "exact")
    assert message == (
        "value 5 is not a number written in the quote “在全镇现有168个网格的基础上，将97个村划设29个"
        "联合党组…”, which reads: 168 → `value: 168`, `qualifier: exact`; 97 → `value: 97`, "
        "`qualifier: exact`; 29 → `value: 29`, `qualifier: exact`; 21 → `value: 21`, "
        "`qualifier: exact`; …; money is in yuan (40万元 → 400000) and 万 = 10000")


# --- 5. properties -------------------------------------------------------------------------

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


@given(st.integers(min_value=1, max_value=10**9), st.booleans(), st.booleans())
def test_arabic_numbers_round_trip(n, commas, wide):
    written = f"{n:,}" if commas else str(n)
    if wide:
        written = written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    [q] = parse_quantities(f"共有{written}人")
    assert (q.value, q.qualifier) == (n, "exact")
    assert q.text == written  # the text echoed is the quote's own


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["余", "多"]))
def test_plus_is_above_n_and_below_the_next_step(n, marker):
    [q] = parse_quantities(f"帮销{n}{marker}万元")
    step = 10 ** (len(str(n)) - len(str(n).rstrip("0")))
    assert (q.value, q.qualifier) == (n * 10_000, "plus")
    assert (q.lower, q.upper, q.lower_open, q.upper_open) == (
        n * 10_000, (n + step) * 10_000, True, True)


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=99))
def test_ranges(a, b):
    [q] = parse_quantities(f"每月{a}到{b}天")
    assert (q.value, q.value_max, q.qualifier) == (a, b, "range")


@given(st.decimals(min_value="0.01", max_value="999.99", places=2))
def test_yi_scales_decimals(d):
    [q] = parse_quantities(f"实现{d}亿元")
    assert q.value == pytest.approx(float(d) * 1e8)


PHRASES = st.sampled_from([
    "帮销农特产品400余万元", "资金10万元以上", "超过100人", "近40万人次", "约3000人", "不满18周岁",
    "10公里以内", "三到五天", "三四天", "数十万名", "几十个村", "十几个村", "上万", "成千上万",
    "数以万计", "驻村满2年", "1000人左右", "700多天", "4.57亿元", "一百零八个", "两年前", "几个村",
])


@given(st.lists(PHRASES, min_size=1, max_size=4), st.sampled_from(["，", "；", "、", "和"]))
def test_bounds_always_contain_the_value(phrases, joint):
    for q in parse_quantities(joint.join(phrases)):
        assert q.lower is None or q.lower <= q.value
        assert q.upper is None or q.value <= q.upper
        if q.value_max is not None:
            assert q.value <= q.value_max
            assert q.upper is None or q.value_max <= q.upper
        for r in q.readings:
            assert r.value == q.value
            assert r.value_max == (q.value_max if r.qualifier in ("range", "vague") else None)


VAGUE = st.sampled_from(["数十万", "数万", "几十", "十几", "几百", "上百", "上千", "上万", "成百上千",
                         "成千上万", "数以万计", "数百", "几千", "二十几", "几十万", "十几万", "数百万"])


@given(VAGUE, st.sampled_from(["", "有", "带动", "全国共"]), st.sampled_from(["名", "人", "个村", "元"]),
       st.sampled_from(["exact", "at_least", "plus", "more_than", "approximately"]))
def test_exact_is_never_offered_for_a_vague_word(word, before, after, qualifier):
    quote = f"{before}{word}{after}"
    [q] = parse_quantities(quote)
    assert [r.qualifier for r in q.readings] == ["vague"]
    [(rule, message)] = check_metric(metric(quote, q.value, qualifier))
    proposal = message.split("; write ", 1)[1]
    assert proposal == (f"`value: {int(q.value)}`, `value_max: {int(q.value_max)}`, "
                        "`qualifier: vague`, or leave the figure out")
    assert check_metric(metric(quote, q.value, "vague", q.value_max)) == []


ORDINAL_NUMBERS = st.integers(min_value=1, max_value=99).map(to_chinese)


@given(ORDINAL_NUMBERS, st.sampled_from(["书记", "批", "名", "次", "届"]))
def test_ordinals_back_no_reading(numeral, noun):
    quote = f"第{numeral}{noun}"
    assert parse_quantities(quote) == []
    [(rule, message)] = check_metric(metric(quote, chinese_to_number(numeral), "exact"))
    assert rule == "metric-not-quantity"
    assert message.endswith("the quote states no figure: leave the figure out")


@given(PHRASES, st.sampled_from([math.inf, -math.inf, math.nan]),
       st.sampled_from(["exact", "plus", "vague", "range"]))
def test_non_finite_values_never_match(phrase, bad, qualifier):
    for q in parse_quantities(phrase):
        assert not is_true_reading(q, qualifier, bad)
        assert not is_true_reading(q, qualifier, q.value, bad)
    [(rule, _message)] = check_metric(metric(phrase, bad, qualifier))
    assert rule == "metric-value"


def test_every_true_reading_is_accepted_and_every_message_proposes_true_readings():
    quotes = [row[0] for row in FIGURES + HELD_OUT]
    for quote in quotes:
        for q in parse_quantities(quote):
            for r in q.readings:
                assert check_metric(metric(quote, r.value, r.qualifier, r.value_max)) == [], (quote, r)
            first: Reading = q.readings[0]
            assert is_true_reading(q, first.qualifier, first.value, first.value_max)


ALPHABET = st.sampled_from(list("0123456789０１.,%％一二两三四五六七八九十百千万亿零〇廿"
                                "余多来几数上成以下内超过近约左右满第是、，个年天月号后+X“”")
                           + ["不足", "不满", "至少", "将近", "百分之", "届满", "上下", "之一"])


@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_any_text_reads_without_error_and_readings_are_consistent(text):
    read = readings(text)
    for q in read.quantities:
        assert text[q.start:q.end] == q.text
        assert q.readings and q.readings[0].qualifier == q.qualifier
        assert all(math.isfinite(r.value) for r in q.readings)
        assert q.lower is None or q.lower <= q.value
        assert q.upper is None or q.value <= q.upper
    for n in read.not_quantities:
        assert text[n.start:n.start + len(n.text)] == n.text


# --- 6. the second review's kinds (rv11): each kind, with held-out phrasings -------------------

A = "approximately"


def ex(n):  # a plain figure: exact, or approximately where the article treats it as round
    return [("exact", n, None), (A, n, None)]


@pytest.mark.parametrize(("text", "want"), [
    # colloquial short forms: a last digit after a unit counts in the next lower unit
    ("一万二", [("一万二", ex(12000))]), ("两万五", [("两万五", ex(25000))]),
    ("三千五", [("三千五", ex(3500))]), ("一千二", [("一千二", ex(1200))]),
    ("三万二千五", [("三万二千五", ex(32500))]), ("一百五十人", [("一百五十", ex(150))]),
    ("一百五", [("一百五", ex(150))]), ("一千零五十", [("一千零五十", ex(1050))]),
    # Arabic digits with units inside one compound
    ("3万5千元", [("3万5千", ex(35000))]), ("1万2千元", [("1万2千", ex(12000))]),
    ("1亿2000万元", [("1亿2000万", ex(120000000))]), ("2万3千人", [("2万3千", ex(23000))]),
    # 点 as the decimal point
    ("四点五七亿元", [("四点五七亿", ex(457000000))]), ("三点五万元", [("三点五万", ex(35000))]),
    ("一点二万人", [("一点二万", ex(12000))]),
    # financial numerals; 陆续 and 大陆 stay words
    ("壹佰万元", [("壹佰万", ex(1000000))]), ("贰拾叁人", [("贰拾叁", ex(23))]), ("陆续建成", []),
    # 万亿; nonsense reads as nothing
    ("一万亿元", [("一万亿", ex(1000000000000))]), ("一万亿亿元", []), ("亿万", []),
    # ranges: a unit written once after the upper end belongs to both ends
    ("五到十万元", [("五到十万", [("range", 50000, 100000)])]),
    ("三至五万元", [("三至五万", [("range", 30000, 50000)])]),
    ("三五万元", [("三五万", [("range", 30000, 50000)])]),
    ("三到五千元", [("三到五千", [("range", 3000, 5000)])]),
    ("十到二十万元", [("十到二十万", [("range", 100000, 200000)])]),
    ("五到十天", [("五到十", [("range", 5, 10)])]),
    # fractions and halves are shares, in percent; 三分之一 has no exact decimal
    ("三分之一", [("三分之一", [(A, 33.33, None), (A, 33.3, None), (A, 33, None)])]),
    ("三分之二的村", [("三分之二", [(A, 66.67, None), (A, 66.7, None), (A, 67, None)])]),
    ("五分之一", [("五分之一", ex(20))]), ("千分之五", [("千分之五", ex(0.5))]),
    ("十分之一", [("十分之一", ex(10))]),
    ("2/3的村", [("2/3", [(A, 66.67, None), (A, 66.7, None), (A, 67, None)])]),
    ("约三分之一", [("三分之一", [(A, 33.33, None), (A, 33.3, None), (A, 33, None)])]),
    ("超过三分之一", [("三分之一", [("more_than", 33.33, None), ("more_than", 33.3, None),
                              ("more_than", 33, None)])]),
    ("不到三分之一", [("三分之一", [("less_than", 33.34, None), ("less_than", 33.4, None),
                              ("less_than", 34, None)])]),
    ("一半村民", [("一半", ex(50))]), ("将近一半", [("一半", [("just_under", 50, None), (A, 50, None)])]),
    ("半数以上", [("半数", [("at_least", 50, None)])]), ("过半村民", [("半", [("more_than", 50, None)])]),
    ("半年", [("半", ex(0.5))]), ("上半年", []),
    # 过/破/突破: the figure has passed N (exclusive, like 超过)
    ("过万人", [("万", [("more_than", 10000, None)])]), ("破亿元", [("亿", [("more_than", 1e8, None)])]),
    ("破万人次", [("万", [("more_than", 10000, None)])]),
    ("销售额过万", [("万", [("more_than", 10000, None)])]),
    ("突破100万元", [("100万", [("more_than", 1000000, None)])]),
    ("突破了5000人", [("5000", [("more_than", 5000, None)])]),
    ("逾百户", [("百", [("more_than", 100, None)])]),
    ("过了3天", [("3", ex(3))]), ("通过3年", [("3", ex(3))]), ("打破3项纪录", [("3", ex(3))]),
    # 把: "or so"
    ("千把人", [("千把", [(A, 1000, None)])]), ("万把块钱", [("万把", [(A, 10000, None)])]),
    ("百把户", [("百把", [(A, 100, None)])]), ("个把月", [("个把", [(A, 1, None)])]),
    ("三把椅子", [("三", ex(3))]),
    # held-out phrasings of the same kinds
    ("两万三千元", [("两万三千", ex(23000))]), ("五万八", [("五万八", ex(58000))]),
    ("四五十万元", [("四五十万", [("range", 400000, 500000)])]),
    ("四分之三", [("四分之三", ex(75))]), ("近六成", [("六成", [("just_under", 60, None), (A, 60, None)])]),
    ("过千人", [("千", [("more_than", 1000, None)])]), ("破千万元", [("千万", [("more_than", 1e7, None)])]),
    ("突破一亿元", [("一亿", [("more_than", 1e8, None)])]),
])
def test_rv11_readings(text, want):
    assert reads(text) == want


@pytest.mark.parametrize(("text", "kind", "phrase"), [
    ("13912345678", "name", "13912345678"), ("联系电话：18700001111", "name", "18700001111"),
    ("0915-5212345", "name", "0915-5212345"), ("拨打12345热线", "name", "拨打12345"),
    ("拨打110报警", "name", "拨打110"), ("12345政务服务热线", "name", "12345"),
    ("G210国道", "name", "G210"), ("108国道", "name", "108"), ("S312省道", "name", "S312"),
    ("2.0版", "name", "2.0"), ("乡村振兴3.0模式", "name", "3.0"), ("3.15晚会", "date", "3.15"),
    ("12·5事件", "date", "12·5"), ("3:1的比例", "name", "3:1"), ("双11", "name", "双11"),
    ("双十二", "name", "双十二"),
    ("一季度", "date", "一季度"), ("三季度", "date", "三季度"), ("4季度", "date", "4季度"),
    ("前三季度", "date", "前三季度"), ("第三季度", "ordinal", "第三"),
    ("20世纪80年代", "date", "20世纪80年代"), ("九十年代", "date", "九十年代"),
    ("党的二十大", "name", "二十大"), ("党的十八大以来", "name", "十八大"),
    ("十九届四中全会", "name", "十九届四中全会"), ("八项规定", "name", "八项规定"),
    ("三变改革", "name", "三变改革"), ("召开两会", "name", "两会"), ("4A级景区", "name", "4A"),
    ("万元户", "name", "万元户"), ("万亩茶园", "name", "万亩"), ("建成千亩基地", "name", "千亩"),
    ("五一期间接待游客", "date", "五一"), ("七一表彰", "date", "七一"), ("十一期间", "date", "十一"),
    ("六一儿童节", "date", "六一"), ("国庆、五四前后", "date", "五四"), ("三八妇女节", "date", "三八"),
    ("八一建军节", "date", "八一"), ("半年前", "ago", "半年前"), ("几年前", "ago", "几年前"),
    ("十年前", "ago", "十年前"), ("一年后", "ago", "一年后"),
    ("3年前项目正式投产", "ago", "3年前"), ("两年前出征仪式", "ago", "两年前"),
    ("三个月后", "ago", "三个月后"), ("翻两番", "name", "翻两番"),
    ("这一幕", "name", "这一"), ("同一天", "name", "同一"), ("下午三点五十分", "date", "三点五十分"),
])
def test_rv11_not_quantities(text, kind, phrase):
    read = readings(text)
    assert read.quantities == ()
    assert [(n.kind, n.text) for n in read.not_quantities] == [(kind, phrase)]


@pytest.mark.parametrize(("text", "want"), [
    ("3A级景区5个", [("5", ex(5))]), ("十一个村", [("十一", ex(11))]), ("三个季度", [("三", ex(3))]),
    ("发展茶叶万亩，", [("万", ex(10000))]), ("十大工程", []), ("三百零五天", [("三百零五", ex(305))]),
])
def test_rv11_genuine_counts_beside_them(text, want):
    assert reads(text) == want


@pytest.mark.parametrize(("text", "unit"), [
    ("200户", "户"), ("50万元", "元"), ("3000人次", "人次"), ("97名", "名"), ("20亩", "亩"),
    ("3个村", "村"), ("12个镇级服务团", ""), ("4个村级党组织", ""), ("3倍", "倍"),
    ("5个百分点", "个百分点"), ("30%", "%"), ("三成", "%"), ("3个月", "个月"),
    ("万把块钱", "块钱"), ("2支队伍", "支"),
])
def test_the_unit_word_after_the_number(text, unit):
    [q] = readings(text).quantities
    assert q.unit == unit


def umsg(quote, value, qualifier, unit, value_max=None):
    m = metric(quote, value, qualifier, value_max)
    m["unit"] = unit
    return check_metric(m)


@pytest.mark.parametrize(("quote", "value", "qualifier", "unit", "want"), [
    ("一万二", 10002, "exact", "cny", [(
        "metric-value", "value 10002 is not a number written in the quote “一万二”, which reads: 一万二 → "
        "`value: 12000`, `qualifier: exact`; money is in yuan (40万元 → 400000) and 万 = 10000")]),
    ("3万5千元", 5000, "exact", "cny", [(
        "metric-value", "value 5000 is not a number written in the quote “3万5千元”, which reads: 3万5千 → "
        "`value: 35000`, `qualifier: exact`; money is in yuan (40万元 → 400000) and 万 = 10000")]),
    ("三分之一的村", 3, "exact", "percent", [(
        "metric-value", "value 3 is a digit of the fraction 三分之一 in the quote “三分之一的村”, not a "
        "count: a fraction is a share, recorded in percent (三分之一 is 1/3, about 33.33 percent "
        "(never exact)); write `value: 33.33`, `qualifier: approximately` with `unit: percent`, or "
        "leave the figure out")]),
    ("约三分之一", 33.3, "exact", "percent", [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 三分之一 in the quote “约三分之一”: "
        "三分之一 is 1/3, about 33.33 percent (never exact), and 约 means approximately that; write "
        "`value: 33.33`, `qualifier: approximately`")]),
    ("一半村民", 1, "exact", "percent", [(
        "metric-value", "value 1 is not a number written in the quote “一半村民”, which reads: 一半 → "
        "`value: 50`, `qualifier: exact`")]),
    ("过万人", 10000, "exact", "person", [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 万 in the quote “过万人”: 过 means "
        "more than 10000; write `value: 10000`, `qualifier: more_than`")]),
    ("千把人", 1000, "exact", "person", [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 千把 in the quote “千把人”: "
        "把 means about 1000; write `value: 1000`, `qualifier: approximately`")]),
    ("帮助200户增收50万元", 200, "exact", "cny", [(
        "metric-unit", "`unit: cny` does not fit 200户 in the quote “帮助200户增收50万元”: "
        "户 counts households (`unit: household`); its figures in yuan: 50万元 → `value: 500000`, "
        "`qualifier: exact`")]),
    ("帮助200户增收50万元", 500000, "exact", "household", [(
        "metric-unit", "`unit: household` does not fit 50万元 in the quote “帮助200户增收50万元”: "
        "元 counts yuan (`unit: cny`); its figures in households: 200户 → `value: 200`, "
        "`qualifier: exact`")]),
    ("帮助200户增收50万元", 500000, "exact", "cny", []),
    ("增长3倍", 3, "exact", "time", [(
        "metric-unit", "`unit: time` does not fit 3倍 in the quote “增长3倍”: 倍 counts a multiple, which "
        "no `unit` measures, so leave the figure out; the quote writes no figure in times: leave the "
        "figure out")]),
    ("下降了5个百分点", 5, "exact", "percent", [(
        "metric-unit", "`unit: percent` does not fit 5个百分点 in the quote “下降了5个百分点”: "
        "个百分点 counts percentage points (a difference of two percents), which no `unit` measures, "
        "so leave the figure out; the quote writes no figure in percent: leave the figure out")]),
    ("3年前项目正式投产", 3, "exact", "year", [(
        "metric-not-quantity", "value 3 is not a quantity in the quote “3年前项目正式投产”: 3年前 is a point "
        "in time (…年前/…年后 dates an event from the article's day), not a length or a count: leave "
        "the figure out, or say when in the metric's `period` (as written) and `as_of`; the quote "
        "states no figure: leave the figure out")]),
    ("五一期间接待游客", 1, "exact", "person", [(
        "metric-not-quantity", "value 1 is not a quantity in the quote “五一期间接待游客”: 五一 is a date, "
        "not a count; the quote states no figure: leave the figure out")]),
    ("拨打12345热线", 12345, "exact", "time", [(
        "metric-not-quantity", "value 12345 is not a quantity in the quote “拨打12345热线”: 拨打12345 is "
        "part of a name or set phrase, not a count; the quote states no figure: leave the figure out")]),
    ("1234567890123456人", 1.234567890123456e15, "exact", "person", [(
        "metric-value", "value 1234567890123456 has more than 15 significant digits, more than a "
        "case allows (spreadsheets keep no more); check the value")]),
    ("一万亿亿元", 1.0001e20, "exact", "cny", [(
        "metric-value", "value 100010000000000000000 is not a number written in the quote “一万亿亿元”, "
        "which states no figure: leave the figure out, or quote the sentence that states it")]),
])
def test_rv11_messages(quote, value, qualifier, unit, want):
    assert umsg(quote, value, qualifier, unit) == want


def test_as_of_must_be_a_year_the_quote_prints():
    m = {**metric("2023年帮销农特产品400余万元", 4000000, "plus"), "unit": "cny", "as_of": "2021",
         "as_of_basis": "printed"}
    assert check_metric(m) == [(
        "metric-as-of", "`as_of: \"2021\"` is marked printed, but the quote “2023年帮销农特产品400余万元” "
        "prints 2023: write the year the quote prints, or, if the figure's year comes from "
        "elsewhere, `as_of_basis: inferred`")]
    assert check_metric({**m, "as_of": "2023"}) == []
    assert check_metric({**m, "as_of_basis": "inferred"}) == []
    assert check_metric({**m, "quote": "2022-2023年帮销农特产品400余万元", "as_of": "2022"}) == []


def test_a_part_is_never_larger_than_its_whole():
    from generator.metric_check import part_larger_than_whole
    whole = {"qualifier": "plus", "value": 4000000}
    assert part_larger_than_whole({"qualifier": "exact", "value": 9000000}, whole, "sales") == (
        "this figure (9000000, exact) is at least 9000000, but part_of 'sales' (4000000, plus) is "
        "below 5000000: a part cannot be larger than its whole; check both figures against the "
        "quotes, or drop part_of")
    assert part_larger_than_whole({"qualifier": "exact", "value": 4500000}, whole, "sales") is None
    assert part_larger_than_whole({"qualifier": "plus", "value": 400000}, whole, "sales") is None
    assert part_larger_than_whole({"qualifier": "exact", "value": 5},
                                  {"qualifier": "exact", "value": 5}, "w") is None
    assert part_larger_than_whole({"qualifier": "exact", "value": 9},
                                  {"qualifier": "at_least", "value": 5}, "w") is None


def _validate_with(tmp_path, monkeypatch, edit):
    folder = _case_with(tmp_path, "2023年帮销农特产品400余万元", "4000000", "plus", unit="cny")
    path = folder / "langao-fixture-mini.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return [(p.line, p.rule, p.message) for p in validate_paths([folder]).errors]


def test_as_of_basis_needs_as_of(tmp_path, monkeypatch):
    got = _validate_with(tmp_path, monkeypatch, lambda t: t.replace(
        "    qualifier: plus\n    claim_type", "    qualifier: plus\n    as_of_basis: printed\n"
        "    claim_type", 1))
    assert got == [(76, "schema-required", "`as_of_basis` says how the year of `as_of` was found, "
                    "but there is no `as_of`: add `as_of` (YYYY or YYYY-MM, in quotes) or delete "
                    "`as_of_basis`")]


def test_a_printed_as_of_is_checked_at_its_line(tmp_path, monkeypatch):
    got = _validate_with(tmp_path, monkeypatch, lambda t: t.replace(
        "    qualifier: plus\n    claim_type", "    qualifier: plus\n    as_of: \"2021\"\n"
        "    as_of_basis: printed\n    claim_type", 1))
    assert [(line, rule) for line, rule, _ in got] == [(76, "metric-as-of")]


@pytest.mark.parametrize(("word", "hint"), [
    ("more_than_or_equal", " (did you mean `at_least`?)"), ("less_or_equal", " (did you mean `at_most`?)"),
    ("approx", " (did you mean `approximately`?)"), ("about_less", ""),
    ("morethan", " (did you mean `more_than`?)"),
])
def test_qualifier_did_you_mean_goes_by_meaning(tmp_path, monkeypatch, word, hint):
    got = _validate_with(tmp_path, monkeypatch, lambda t: t.replace(
        "    qualifier: plus\n", f"    qualifier: {word}\n", 1))
    [(line, rule, message)] = got
    assert message.startswith(
        f"`qualifier` \"{word}\" is not in the qualifier vocabulary{hint}; use one of: ")


def test_nan_and_infinity_spelled_as_text_are_not_data(tmp_path, monkeypatch):
    got = _validate_with(tmp_path, monkeypatch, lambda t: t.replace(
        "  pinyin: langao\n", "  pinyin: langao\n  coordinates:\n    lat: .nan\n    lon: 108.9\n", 1))
    assert [m for _line, _rule, m in got] == [
        "`lat` \".nan\": NaN and infinity are not data; write the number the source gives, or "
        "leave the field out"]


def test_reading_a_long_quote_stays_fast():
    """No catastrophic pattern: a 3,000-character article and 5,000 characters of one repeated
    numeral read in well under a second each (measured 2026-11: about 5 ms and 25 ms)."""
    import time
    article = (ROOT / "sources" / "qiannan-farmers-daily.txt").read_text(encoding="utf-8")[:3000]
    for text in (article, "一" * 5000, "1" * 5000, "过" * 3000 + "万", "三分之" * 1000):
        start = time.process_time()
        readings.__wrapped__(text)
        assert time.process_time() - start < 1.0, text[:10]


# --- 7. the figures review's kinds: each kind, the reviewer's phrasing and made-up ones ----------

P = "percent"


@pytest.mark.parametrize(("text", "want"), [
    # 1. 成 is tenths, in percent: a second digit counts in percent, 多/余 is plus, 七八成 a range
    ("七八成", [("七八成", [("range", 70, 80)])]), ("三四成", [("三四成", [("range", 30, 40)])]),
    ("八九成的村", [("八九成", [("range", 80, 90)])]), ("五六成", [("五六成", [("range", 50, 60)])]),
    ("两成多", [("两成多", [("plus", 20, None)])]), ("六成多", [("六成多", [("plus", 60, None)])]),
    ("三成余", [("三成余", [("plus", 30, None)])]),
    ("九成九的村", [("九成九", ex(99))]), ("七成五", [("七成五", ex(75))]), ("八成三", [("八成三", ex(83))]),
    ("两成半", [("两成半", ex(25))]), ("七成五左右", [("七成五", [(A, 75, None)])]),
    ("三成五个村", [("三成", ex(30)), ("五", ex(5))]),
    # 2. ‰ is per mille: recorded in percent, a tenth of the figure
    ("5‰", [("5‰", ex(0.5))]), ("3‰", [("3‰", ex(0.3))]), ("1.2‰左右", [("1.2‰", [(A, 0.12, None)])]),
    ("不足5‰", [("5‰", [("less_than", 0.5, None)])]), ("3-5‰", [("3-5‰", [("range", 0.3, 0.5)])]),
    # 3. 百八十, 千儿八百, 万儿八千: colloquial "about 100 / 1000 / 10000", never 180/800/8000
    ("百八十人", [("百八十", [(A, 100, None)])]), ("百儿八十块钱", [("百儿八十", [(A, 100, None)])]),
    ("千儿八百元", [("千儿八百", [(A, 1000, None)])]), ("千八百块钱", [("千八百", [(A, 1000, None)])]),
    ("万儿八千元", [("万儿八千", [(A, 10000, None)])]), ("一百八十人", [("一百八十", ex(180))]),
    ("三千八百元", [("三千八百", ex(3800))]),
    # 4. a range whose ends carry their own units: each end keeps its own unit
    ("每户补助5000至2万元", [("5000至2万", [("range", 5000, 20000)])]),
    ("每户补助5000元至2万元", [("5000元至2万", [("range", 5000, 20000)])]),
    ("五千到两万元", [("五千到两万", [("range", 5000, 20000)])]),
    ("三五千元至1万元", [("三五千元至1万", [("range", 3000, 10000)])]),
    ("3万元至5万元", [("3万元至5万", [("range", 30000, 50000)])]),
    ("3个村至5个村", [("3个村至5", [("range", 3, 5)])]), ("3%-5%", [("3%-5", [("range", 3, 5)])]),
    ("三成至五成", [("三成至五成", [("range", 30, 50)])]),
    ("收入5万元-3万元", [("5万", ex(50000)), ("3万", ex(30000))]),  # not a range: falls
    # 7. "about" words: 约合/约有/约占/约达/大约有 before, 许 after, N个来月
    ("约合人民币50万元", [("50万", [(A, 500000, None)])]), ("约有300人", [("300", [(A, 300, None)])]),
    ("约有一半", [("一半", [(A, 50, None)])]), ("约占三成", [("三成", [(A, 30, None)])]),
    ("大约有50户", [("50", [(A, 50, None)])]), ("投资约达3000万元", [("3000万", [(A, 3e7, None)])]),
    ("300人许", [("300", [(A, 300, None)])]), ("三十米许", [("三十", [(A, 30, None)])]),
    ("3个来月", [("3个来", [(A, 3, None)])]), ("两个来小时", [("两个来", [(A, 2, None)])]),
    ("允许3人", [("3", ex(3))]), ("3人许多", [("3", ex(3))]), ("3个来自", [("3", ex(3))]),
    ("签合约5万元", [("5万", ex(50000))]),
    # 8. 近N年 heading a clause is a period ("the last N years"), as 近N年来 is; N年多前 a point
    ("近3年累计投入1200万元", [("3", ex(3)), ("1200万", ex(12000000))]),
    ("近三年全县新增", [("三", ex(3))]), ("近3个月新增", [("3", ex(3))]), ("近5年来", [("5", ex(5))]),
    ("驻村近两年时间里", [("两", [("just_under", 2, None), (A, 2, None)])]),
    ("已近3年", [("3", [("just_under", 3, None), (A, 3, None)])]),
    ("近两年的时间", [("两", [("just_under", 2, None), (A, 2, None)])]),
    ("两年多前", []), ("一年半前", []), ("两个多月前", []), ("3年多后", []),
    # 6. 折: a discount is a price ratio, no quantity (but 折合 converts: 折合人民币5万元 is one)
    ("打八折销售", []), ("七五折优惠", []), ("打8.5折", []), ("九折", []),
    ("折合人民币5万元", [("5万", ex(50000))]), ("产品打八折，带动300户", [("300", ex(300))]),
    # 9. a space inside a figure (copied from a PDF or web page) does not split it
    ("400 余万元", [("400 余万", [("plus", 4000000, None)])]), ("1 200人", [("1 200", ex(1200))]),
    ("帮销 4.57 亿元", [("4.57 亿", ex(457000000))]), ("12 345 678元", [("12 345 678", ex(12345678))]),
    ("１ ２００人", [("１ ２００", ex(1200))]),
    ("2023 年帮销400余万元", [("400余万", [("plus", 4000000, None)])]),
    # 11. compound vague words: 数百上千, 数十上百, 十数 (ten-odd), 大几十; 三两个 is 2 to 3
    ("数百上千户受益", [("数百上千", [("vague", 100, 10000)])]),
    ("数十上百人", [("数十上百", [("vague", 10, 1000)])]),
    ("几百上千元", [("几百上千", [("vague", 100, 10000)])]),
    ("十数个村", [("十数", [("vague", 10, 20)])]), ("十数万元", [("十数万", [("vague", 100000, 200000)])]),
    ("大几十个村参与", [("大几十", [("vague", 50, 100)])]),
    ("大几百人", [("大几百", [("vague", 500, 1000)])]),
    ("三两个村", [("三两", [("range", 2, 3)])]), ("三两天", [("三两", [("range", 2, 3)])]),
    # held-out phrasings of kinds 1 and 7 found in self-review
    ("三至五成", [("三至五成", [("range", 30, 50)])]), ("3至5成", [("3至5成", [("range", 30, 50)])]),
    ("百分之七八十的村", [("百分之七八十", [("range", 70, 80)])]),
    ("大约在300人", [("300", [(A, 300, None)])]), ("估计有300人", [("300", [(A, 300, None)])]),
    ("3年以前", []), ("两年多以前", []), ("400 余 万元", [("400 余 万", [("plus", 4000000, None)])]),
    ("数百上千万元", [("数百上千万", [("vague", 1000000, 100000000)])]),
    ("几十上百万元", [("几十上百万", [("vague", 100000, 10000000)])]),
])
def test_figures_review_readings(text, want):
    assert reads(text) == want


@pytest.mark.parametrize(("quote", "value", "qualifier", "unit", "value_max", "want"), [
    ("七八成", 7, "range", P, 8, [(
        "metric-value", "value 7 is not a number written in the quote “七八成”, which reads: 七八成 → "
        "`value: 70`, `value_max: 80`, `qualifier: range`")]),
    ("七八成", 70, "range", P, 80, []),
    ("两成多", 20, "exact", P, None, [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 两成多 in the quote “两成多”: "
        "多 means more than 20 and below 30; write `value: 20`, `qualifier: plus`")]),
    ("九成九的村", 90, "exact", P, None, [(
        "metric-value", "value 90 is not a number written in the quote “九成九的村”, which reads: 九成九 → "
        "`value: 99`, `qualifier: exact`")]),
    ("5‰", 5, "exact", P, None, [(
        "metric-value", "value 5 is not a number written in the quote “5‰”, which reads: 5‰ → "
        "`value: 0.5`, `qualifier: exact`")]),
    ("出生率3‰", 0.3, "exact", P, None, []),
    ("出生率3‰", 0.3, "exact", "person", None, [(
        "metric-unit", "`unit: person` does not fit 3‰ in the quote “出生率3‰”: % counts percent "
        "(`unit: percent`); the quote writes no figure in persons: leave the figure out")]),
    ("百八十人", 180, "exact", "person", None, [(
        "metric-value", "value 180 is not a number written in the quote “百八十人”, which reads: 百八十 → "
        "`value: 100`, `qualifier: approximately`")]),
    ("千儿八百元", 1000, "exact", "cny", None, [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 千儿八百 in the quote “千儿八百元”: "
        "千儿八百 means about 1000; write `value: 1000`, `qualifier: approximately`")]),
    ("万儿八千元", 10000, "approximately", "cny", None, []),
    ("补助5000至2万元", 5000, "range", "cny", 20000, []),
    ("每户补助5000元至2万元", 5000, "range", "cny", 20000, [(  # the range is read; 每户 wants its field
        "metric-denominator", "5000元至2万 in the quote “每户补助5000元至2万元” is a figure for each "
        "household (每户), not a total: add `denominator: household`")]),
    ("每户补助5000至2万元", 50000000, "range", "cny", 20000, [(
        "metric-value", "value 50000000 is not a number written in the quote “每户补助5000至2万元”, which "
        "reads: 5000至2万 → `value: 5000`, `value_max: 20000`, `qualifier: range`; money is in yuan "
        "(40万元 → 400000) and 万 = 10000")]),
    ("每户补助5000元至2万元", 5000, "exact", "cny", None, [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 5000元至2万 in the quote "
        "“每户补助5000元至2万元”: 5000元至2万 is a range from 5000 to 20000; write `value: 5000`, "
        "`value_max: 20000`, `qualifier: range`")]),
    ("约合人民币50万元", 500000, "exact", "cny", None, [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 50万 in the quote "
        "“约合人民币50万元”: 约合 means about 500000; write `value: 500000`, `qualifier: approximately`")]),
    ("约有一半", 50, "exact", P, None, [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 一半 in the quote “约有一半”: "
        "约有 means about 50; write `value: 50`, `qualifier: approximately`")]),
    ("300人许", 300, "exact", "person", None, [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 300 in the quote “300人许”: "
        "许 means about 300; write `value: 300`, `qualifier: approximately`")]),
    ("3个来月", 3, "approximately", "month", None, []),
    ("近3年累计投入1200万元", 3, "just_under", "year", None, [(
        "metric-qualifier", "`qualifier: just_under` is not a true reading of 3 in the quote “近3年累计投入"
        "1200万元”: 近3年 names a period (the last 3 years), not a length of nearly 3; write `value: 3`, "
        "`qualifier: exact` (or `qualifier: approximately` where the article treats the figure as round)")]),
    ("近5年来", 5, "just_under", "year", None, [(
        "metric-qualifier", "`qualifier: just_under` is not a true reading of 5 in the quote “近5年来”: "
        "近5年来 names a period (the last 5 years), not a length of nearly 5; write `value: 5`, "
        "`qualifier: exact` (or `qualifier: approximately` where the article treats the figure as round)")]),
    ("两年多前", 2, "plus", "year", None, [(
        "metric-not-quantity", "value 2 is not a quantity in the quote “两年多前”: 两年多前 is a point in "
        "time (…年前/…年后 dates an event from the article's day), not a length or a count: leave the "
        "figure out, or say when in the metric's `period` (as written) and `as_of`; the quote states no "
        "figure: leave the figure out")]),
    ("打八折销售", 8, "exact", "item", None, [(
        "metric-not-quantity", "value 8 is not a quantity in the quote “打八折销售”: 打八折 is a discount "
        "(八折 is 80% of the price, 七五折 75%): a price ratio, not a count or a share of anything "
        "measured, so it backs no metric; the quote states no figure: leave the figure out")]),
    ("打八折销售", 80, "exact", P, None, [(
        "metric-not-quantity", "value 80 is not a quantity in the quote “打八折销售”: 打八折 is a discount "
        "(八折 is 80% of the price, 七五折 75%): a price ratio, not a count or a share of anything "
        "measured, so it backs no metric; the quote states no figure: leave the figure out")]),
    ("七五折优惠", 75, "exact", P, None, [(
        "metric-not-quantity", "value 75 is not a quantity in the quote “七五折优惠”: 七五折 is a discount "
        "(八折 is 80% of the price, 七五折 75%): a price ratio, not a count or a share of anything "
        "measured, so it backs no metric; the quote states no figure: leave the figure out")]),
    ("400 余万元", 4000000, "plus", "cny", None, []), ("1 200人", 1200, "exact", "person", None, []),
    ("帮销400 余万元", 400, "plus", "cny", None, [(
        "metric-value", "value 400 is not a number written in the quote “帮销400 余万元”, which reads: "
        "400 余万 → `value: 4000000`, `qualifier: plus`; money is in yuan (40万元 → 400000) and "
        "万 = 10000")]),
    ("收入增长2倍", 200, "exact", P, None, [(
        "metric-value", "value 200 is not a number written in the quote “收入增长2倍”, which reads: 2倍 → no "
        "metric (倍 counts a multiple, which no `unit` measures, so leave the figure out)")]),
    ("增加了一倍", 100, "exact", P, None, [(
        "metric-value", "value 100 is not a number written in the quote “增加了一倍”, which reads: 一倍 → no "
        "metric (倍 counts a multiple, which no `unit` measures, so leave the figure out)")]),
    ("收入增长到2倍", 2, "at_least", P, None, [(
        "metric-unit", "`unit: percent` does not fit 2倍 in the quote “收入增长到2倍”: 倍 counts a multiple, "
        "which no `unit` measures, so leave the figure out; the quote writes no figure in percent: "
        "leave the figure out")]),
    ("提高5个百分点", 5, "plus", P, None, [(
        "metric-unit", "`unit: percent` does not fit 5个百分点 in the quote “提高5个百分点”: 个百分点 counts "
        "percentage points (a difference of two percents), which no `unit` measures, so leave the figure "
        "out; the quote writes no figure in percent: leave the figure out")]),
    ("带动300户，收入翻了3倍", 300, "exact", P, None, [(
        "metric-unit", "`unit: percent` does not fit 300户 in the quote “带动300户，收入翻了3倍”: 户 counts "
        "households (`unit: household`); the quote writes no figure in percent: leave the figure out")]),
    ("半个月", 15, "exact", "day", None, [(
        "metric-value", "value 15 is not a number written in the quote “半个月”, which reads: 半个月 → "
        "`value: 0.5`, `qualifier: exact` with `unit: month`")]),
    ("半年", 6, "exact", "month", None, [(
        "metric-value", "value 6 is not a number written in the quote “半年”, which reads: 半年 → "
        "`value: 0.5`, `qualifier: exact` with `unit: year`")]),
    ("驻村半年", 0.5, "exact", "year", None, []), ("半个月", 0.5, "exact", "month", None, []),
    ("培训半小时", 30, "exact", "day", None, [(
        "metric-value", "value 30 is not a number written in the quote “培训半小时”, which reads: 半小时 → "
        "`value: 0.5`, `qualifier: exact` with `unit: hour`")]),
    ("带动200户增收50万元", 5, "exact", "cny", None, [(
        "metric-value", "value 5 is not a number written in the quote “带动200户增收50万元”, which reads: "
        "200户 → `value: 200`, `qualifier: exact` with `unit: household`; 50万 → `value: 500000`, "
        "`qualifier: exact`; money is in yuan (40万元 → 400000) and 万 = 10000")]),
    ("数百上千户受益", 100, "vague", "household", 1000, [(
        "metric-qualifier", "`qualifier: vague` with `value_max: 1000` is not a true reading of 数百上千 "
        "in the quote “数百上千户受益”: 数百上千 is vague (between 100 and 10000), so it is never exact, "
        "at least or plus; write `value: 100`, `value_max: 10000`, `qualifier: vague`, or leave the "
        "figure out")]),
    ("十数个村", 1, "vague", "village", 10, [(
        "metric-value", "value 1 is not a number written in the quote “十数个村”, which reads: 十数 → "
        "`value: 10`, `value_max: 20`, `qualifier: vague` (or leave the figure out)")]),
    ("三两个村", 2, "range", "village", 3, []), ("大几十个村参与", 50, "vague", "village", 100, []),
])
def test_figures_review_messages(quote, value, qualifier, unit, value_max, want):
    assert umsg(quote, value, qualifier, unit, value_max) == want


# 12. a figure per household (户均, 每户, 元/户), person, team … needs `denominator`
@pytest.mark.parametrize(("quote", "value", "qualifier", "unit", "words", "den", "per"), [
    ("户均增收3000余元", 3000, "plus", "cny", "户均", "household", ""),
    ("人均增收2000元", 2000, "exact", "cny", "人均", "person", ""),
    ("每年为每队预算2万元", 20000, "exact", "cny", "每队", "team", " and `per: year`"),
    ("每村选派3名干部", 3, "exact", "person", "每村", "village", ""),
    ("为每户发放慰问金500元", 500, "exact", "cny", "每户", "household", ""),
    ("补助标准3000元/户", 3000, "exact", "cny", "/户", "household", ""),
    ("每人每月1100元", 1100, "exact", "cny", "每人", "person", " and `per: month`"),
    ("户均年增收3000元", 3000, "exact", "cny", "户均", "household", ""),
    ("每半年为每户发放500元", 500, "exact", "cny", "每户", "household", " and `per: half_year`"),
    ("人均月均收入2000元", 2000, "exact", "cny", "人均", "person", " and `per: month`"),
])
def test_a_per_unit_figure_needs_its_denominator(quote, value, qualifier, unit, words, den, per):
    m = {**metric(quote, value, qualifier), "unit": unit}
    [(rule, message)] = check_metric(m)
    assert rule == "metric-denominator"
    assert message.endswith(f"is a figure for each {den} ({words}), not a total: add `denominator: "
                            f"{den}`{per}")
    assert check_metric({**m, "denominator": den}) == []


@pytest.mark.parametrize(("quote", "value", "unit"), [
    ("带动300户，户均增收3000元", 300, "household"),  # 300 is the count of households, a total
    ("带动300户户均增收3000元", 300, "household"),
    ("为每户发放5000元共计150万元", 1500000, "cny"),  # the 150万 after the per-household figure
    ("每亩增收500元", 500, "cny"),  # no `denominator` value for mu: not checked
    ("每个月抽出三到五天时间跨镇服务", 3, "day"),  # per month: `per` is not required (figures.md row)
])
def test_totals_beside_per_unit_words_need_no_denominator(quote, value, unit):
    m = {**metric(quote, value, "exact"), "unit": unit}
    if quote.startswith("每个月"):
        m.update(qualifier="range", value_max=5)
    assert check_metric(m) == []


def test_a_per_unit_figure_fails_validation_at_the_value_line(tmp_path):
    report = validate_paths([_case_with(tmp_path, "户均增收3000余元", "3000", "plus", unit="cny")])
    assert [(p.line, p.col, p.rule, p.message) for p in report.errors] == [(
        73, 12, "metric-denominator", "3000余 in the quote “户均增收3000余元” is a figure for each "
        "household (户均), not a total: add `denominator: household`")]


@given(st.lists(ALPHABET | st.sampled_from([" ", "\u3000", "\u00a0", "1 200", "400 余万"]), max_size=30)
       .map("".join))
def test_spaced_text_reads_at_the_quote_positions(text):
    read = readings(text)
    for q in read.quantities:
        assert text[q.start:q.end] == q.text
    for n in read.not_quantities:
        assert text[n.start:n.start + len(n.text)] == n.text


# 13. road numbers, ratings, plan names and listed months are no quantities
@pytest.mark.parametrize(("text", "kind", "phrase"), [
    ("沿国道318线", "name", "国道318线"), ("沿318线", "name", "318线"), ("省道S312", "name", "S312"),
    ("县道X105", "name", "X105"), ("五星支部", "name", "五星"), ("评为三星级", "name", "三星级"),
    ("5星", "name", "5星"), ("五年规划", "name", "五年规划"), ("3、4月份", "date", "3、4月"),
    ("在三、四月份", "date", "三、四月"), ("11、12月", "date", "11、12月"),
])
def test_figures_review_not_quantities(text, kind, phrase):
    read = readings(text)
    assert read.quantities == ()
    assert [(n.kind, n.text) for n in read.not_quantities] == [(kind, phrase)]


@pytest.mark.parametrize(("quote", "value", "want"), [
    ("沿国道318线", 318, "value 318 is not a quantity in the quote “沿国道318线”: 国道318线 is part of a "
     "name or set phrase, not a count; the quote states no figure: leave the figure out"),
    ("第十四个五年规划", 5, "value 5 is not a quantity in the quote “第十四个五年规划”: 五年规划 is part "
     "of a name or set phrase, not a count; the quote states no figure: leave the figure out"),
    ("3、4月份", 3, "value 3 is not a quantity in the quote “3、4月份”: 3、4月 is a date, not a count; the "
     "quote states no figure: leave the figure out"),
])
def test_figures_review_not_quantity_messages(quote, value, want):
    assert messages(quote, value, "exact") == [want]


@pytest.mark.parametrize(("text", "want"), [
    ("全县3个村", [("3", ex(3))]), ("建成3条线路", [("3", ex(3))]), ("十五星", [("十五", ex(15))]),
    ("在3、4月份共接待5000人", [("5000", ex(5000))]),
])
def test_figures_review_counts_beside_names(text, want):
    assert reads(text) == want


# 14. 余 after a unit counts below that unit (十万余 is 100000 to 110000); 零元 is 0; 一千万亿 is 10**15
@pytest.mark.parametrize(("text", "bounds"), [
    ("十万余元", (100000, 110000)), ("10万余元", (100000, 110000)), ("1.5万余元", (15000, 16000)),
    ("3万余人", (30000, 40000)), ("10亿余元", (1e9, 1.1e9)), ("400余万元", (4000000, 5000000)),
    ("二十多万元", (200000, 300000)), ("百余万元", (1000000, 2000000)), ("三十余人", (30, 40)),
])
def test_plus_after_a_unit_stays_below_that_unit(text, bounds):
    [q] = readings(text).quantities
    assert (q.qualifier, q.lower, q.upper) == ("plus", *bounds)


def test_figures_review_minor_readings():
    assert reads("零元") == [("零", ex(0))]
    assert reads("零户") == [("零", ex(0))]
    assert reads("零事故") == []
    assert reads("一千万亿元") == [("一千万亿", ex(1e15))]
    assert messages("十万余元", 100000, "exact") == [
        "`qualifier: exact` is not a true reading of 十万余 in the quote “十万余元”: 余 means more than "
        "100000 and below 110000; write `value: 100000`, `qualifier: plus`"]
    assert umsg("零元", 0, "exact", "cny") == []
    assert umsg("一千万亿元", 1e15, "exact", "cny") == []


def test_a_figure_scaled_past_ten_to_the_fifteen_is_no_figure():
    quote = "１２３４５６７８９０１２３４５６７８９０万亿亿亿元"
    assert reads(quote) == [] and reads("2000万亿元") == []
    assert umsg(quote, 1, "exact", "cny") == [(
        "metric-value", f"value 1 is not a number written in the quote “{quote}”, which states no "
        "figure: leave the figure out, or quote the sentence that states it")]


# Second figures review (figures2). 1. traditional characters read through OpenCC's character table
@pytest.mark.parametrize(("text", "want"), [
    ("年收入達到5萬元", [("5萬", ex(50000))]), ("投入資金3億元", [("3億", ex(300000000))]),
    ("帶動1.2萬人就業", [("1.2萬", ex(12000))]), ("年收入5萬元以上", [("5萬", [("at_least", 50000, None)])]),
    ("幫銷農特產品400餘萬元", [("400餘萬", [("plus", 4000000, None)])]),
    ("數十萬名第一書記", [("數十萬", [("vague", 100000, 1000000)])]),
    ("年收入約5萬元", [("5萬", [(A, 50000, None)])]),
    ("超過兩萬人參與", [("兩萬", [("more_than", 20000, None)])]),
    # held out: other traditional spellings of the same words
    ("惠及幾萬戶群眾", [("幾萬", [("vague", 10000, 100000)])]),
    ("不少於100人", [("100", [("at_least", 100, None)])]),
    ("資金達1.5億餘元", [("1.5億餘", [("plus", 150000000, None)])]), ("3年後", []),
    ("近兩萬名黨員", [("兩萬", [("just_under", 20000, None), (A, 20000, None)])]),
])
def test_traditional_characters_read_as_simplified(text, want):
    assert reads(text) == want


def test_the_gb2312_traditional_gate_matches_opencc():
    from generator.quantities import _GB_TRADITIONAL
    from generator.site_search import _opencc_chars

    def in_gb2312(ch):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return True

    assert _GB_TRADITIONAL == {ch for ch in _opencc_chars() if in_gb2312(ch)}


def test_traditional_messages_quote_the_contributors_text():
    assert umsg("年收入達到5萬元", 5, "exact", "cny") == [(
        "metric-value", "value 5 is not a number written in the quote “年收入達到5萬元”, which reads: 5萬 → "
        "`value: 50000`, `qualifier: exact`; money is in yuan (40万元 → 400000) and 万 = 10000")]
    m = {**metric("每戶增收2000元", 2000, "exact"), "unit": "cny"}
    assert check_metric(m) == [(
        "metric-denominator", "2000 in the quote “每戶增收2000元” is a figure for each household (每戶), not "
        "a total: add `denominator: household`")]
    assert umsg("為每戶發放慰問金500元", 500, "exact", "cny")[0][1].endswith("(每戶), not a total: add "
                                                                   "`denominator: household`")


# 2. a count a negation governs: "not one" is none (0, exact); 并非N / 没有300户 state no figure
@pytest.mark.parametrize(("text", "want"), [
    ("未发生1起安全事故", [("1", [("exact", 0, None)])]),
    ("没有1户因病返贫", [("1", [("exact", 0, None)])]),
    ("无1例返贫", [("1", [("exact", 0, None)])]), ("全年没发生过1次事故", [("1", [("exact", 0, None)])]),
    ("未有1名干部违纪", [("1", [("exact", 0, None)])]), ("无一人违纪", [("一", [("exact", 0, None)])]),
    ("没有一户掉队", [("一", [("exact", 0, None)])]), ("全村未出现一户返贫", [("一", [("exact", 0, None)])]),
    ("贫困户全部脱贫无一返贫", [("一", [("exact", 0, None)])]),
    ("从未缺席过1次例会", [("1", [("exact", 0, None)])]),
    ("全年未发生一起安全事故", [("一", [("exact", 0, None)])]),
    # held out
    ("不曾有一人上访", [("一", [("exact", 0, None)])]),
    ("全村没有出现过一例", [("一", [("exact", 0, None)])]),
    ("未曾发生1起纠纷", [("1", [("exact", 0, None)])]), ("尚未发现1户漏报", [("1", [("exact", 0, None)])]),
    ("并非300户参与", []), ("参加的没有300户", []), ("并非两万人", []),
    # not negations: 无偿, 未来, 未满 keep their readings
    ("无偿献血300人次", [("300", ex(300))]), ("未来3年投入", [("3", ex(3))]),
    ("未满18岁", [("18", [("less_than", 18, None)])]),
])
def test_a_negated_count_is_none_or_no_figure(text, want):
    assert reads(text) == want


def test_negated_count_messages():
    assert umsg("未发生1起安全事故", 1, "exact", "event") == [(
        "metric-value", "value 1 is not a count in the quote “未发生1起安全事故”: 未发生 1 is a negation "
        "(not one): none, so 0; write `value: 0`, `qualifier: exact`, or leave the figure out")]
    assert umsg("没有一户掉队", 1, "exact", "household")[0][1].startswith(
        "value 1 is not a count in the quote “没有一户掉队”: 没有 一 is a negation (not one): none, so 0")
    assert umsg("没有1户因病返贫", 0, "exact", "household") == []
    assert umsg("并非300户参与", 300, "exact", "household") == [(
        "metric-not-quantity", "value 300 is not a quantity in the quote “并非300户参与”: 并非300 is a "
        "count "
        "under a negation (并非300户 is \"not 300\", 没有300户 \"not even 300\"), not a figure the article "
        "states; the quote states no figure: leave the figure out")]


# 3. a negated bound: 未超过/没有超过/不超 N is at most N, 未达到 N fewer than N
@pytest.mark.parametrize(("text", "want"), [
    ("参会人数未超过100人", [("100", [("at_most", 100, None)])]),
    ("参会人数没有超过100人", [("100", [("at_most", 100, None)])]),
    ("参会人数不超100人", [("100", [("at_most", 100, None)])]),
    ("参会人数未达到100人", [("100", [("less_than", 100, None)])]),
    # held out
    ("每户补助未超出5000元", [("5000", [("at_most", 5000, None)])]),
    ("贷款额度不超5万元", [("5万", [("at_most", 50000, None)])]),
    ("收入没有达到3000元", [("3000", [("less_than", 3000, None)])]),
    ("全年未超过两次", [("两", [("at_most", 2, None)])]),
    ("投资未低于200万元", [("200万", [("at_least", 2000000, None)])]),
    ("未超过时限30天", [("30", [("at_most", 30, None)])]),
])
def test_a_negated_bound_reads_the_other_way(text, want):
    assert reads(text) == want


def test_negated_bound_message():
    assert umsg("参会人数未超过100人", 100, "more_than", "person") == [(
        "metric-qualifier", "`qualifier: more_than` is not a true reading of 100 in the quote “参会人数未超过"
        "100人”: 未超过 means at most 100; write `value: 100`, `qualifier: at_most`")]


# 11 (part). idioms with numerals are no quantities
@pytest.mark.parametrize("text", ["无一例外", "一个都不能少", "三天两头下村", "七嘴八舌", "保障一日三餐",
                                  "一年四季", "文化科技卫生三下乡", "一户不落", "全员参与，一人不落",
                                  "一个也不能少"])
def test_idioms_with_numerals_are_no_quantities(text):
    assert reads(text) == []
    assert [n.kind for n in readings(text).not_quantities] == ["name"]


# 4. foreign money is no yuan: `unit: cny` is refused for 美元, 欧元, 港元, 日元, 美金 …
FOREIGN = ("is a foreign currency, and `unit: cny` is for 元, 人民币 and 块 only; do not convert (the quote "
           "gives no rate): leave the figure out, or record it in the case's `notes`")


@pytest.mark.parametrize(("quote", "value", "word"), [
    ("引进外资50万美元", 500000, "美元"), ("捐款2000欧元", 2000, "欧元"),
    ("捐赠物资价值50万港元", 500000, "港元"),
    ("捐赠物资价值50万日元", 500000, "日元"), ("捐赠物资价值5万美金", 50000, "美金"),
    # held out
    ("援助约200万港币", 2000000, "港币"), ("收到捐款1000英镑", 1000, "英镑"),
    ("投资300万澳元", 3000000, "澳元"),
])
def test_foreign_money_is_no_yuan(quote, value, word):
    [(rule, message)] = umsg(quote, value, "exact", "cny")
    assert rule == "metric-unit" and f"{word} {FOREIGN}" in message
    assert [q.unit for q in readings(quote).quantities] == [word]


def test_foreign_money_message_and_yuan_still_read():
    assert umsg("引进外资50万美元", 500000, "exact", "cny") == [(
        "metric-unit", f"`unit: cny` does not fit 50万美元 in the quote “引进外资50万美元”: 美元 {FOREIGN}; "
        "the quote writes no figure in yuan: leave the figure out")]
    assert umsg("投入资金人民币300万元", 3000000, "exact", "cny") == []
    assert umsg("卖了3000块钱", 3000, "exact", "cny") == []


# 5. money below the yuan: 角/毛 tenths, 分(钱) hundredths, 3块5 = 3.5
@pytest.mark.parametrize(("text", "want"), [
    ("每斤涨了5毛钱", [("5毛", ex(0.5))]), ("每斤卖到2元5角", [("2元5角", ex(2.5))]),
    ("每斤售价3块5", [("3块5", ex(3.5))]), ("每度电3分钱", [("3分", ex(0.03))]),
    # held out
    ("五毛钱一斤", [("五毛", ex(0.5)), ("一", ex(1))]), ("两块五毛", [("两块五毛", ex(2.5))]),
    ("每斤3元2角5分", [("3元2角5分", ex(3.25))]), ("每斤约1块2", [("1块2", [(A, 1.2, None)])]),
    ("12元8角以上", [("12元8角", [("at_least", 12.8, None)])]), ("八分钱", [("八分", ex(0.08))]),
    ("每斤不到5毛", [("5毛", [("less_than", 0.5, None)])]),
    # not money below the yuan
    ("补助2000元5户", [("2000", ex(2000)), ("5", ex(5))]), ("比赛得了3分", [("3", ex(3))]),
    ("投资5万块钱", [("5万", ex(50000))]),
])
def test_money_below_the_yuan(text, want):
    assert reads(text) == want


def test_money_below_the_yuan_message():
    assert umsg("每斤涨了5毛钱", 5, "exact", "cny") == [(
        "metric-value", "value 5 is not a number written in the quote “每斤涨了5毛钱”, which reads: 5毛 → "
        "`value: 0.5`, `qualifier: exact`; money is in yuan (40万元 → 400000) and 万 = 10000")]
    assert umsg("每斤售价3块5", 3.5, "exact", "cny") == []
    assert umsg("每斤售价3块5", 3.5, "exact", "person") == [(
        "metric-unit", "`unit: person` does not fit 3块5 in the quote “每斤售价3块5”: 元 counts yuan "
        "(`unit: cny`); the quote writes no figure in persons: leave the figure out")]


# 6. 千克, 千米, 千瓦(时) are unit words (kilo-), not the multiplier 千
@pytest.mark.parametrize(("text", "want"), [
    ("收获茶叶50千克", [("50", ex(50))]), ("收获茶叶3万千克", [("3万", ex(30000))]),
    ("收获茶叶500千克以上", [("500", [("at_least", 500, None)])]), ("修建道路12千米长", [("12", ex(12))]),
    ("发电12万千瓦时", [("12万", ex(120000))]),
    # held out
    ("装机容量5000千瓦", [("5000", ex(5000))]), ("三千千克", [("三千", ex(3000))]),
    ("收获茶叶50 千克", [("50", ex(50))]), ("每天摄入2000千卡", [("2000", ex(2000))]),
    ("收获茶叶3千公斤", [("3千", ex(3000))]),  # 千 before 公斤 is still the multiplier
])
def test_kilo_unit_words_are_not_the_multiplier(text, want):
    assert reads(text) == want


def test_kilo_unit_message():
    assert [q.unit for q in readings("收获茶叶3万千克").quantities] == ["千克"]
    assert [q.unit for q in readings("收获茶叶50 千克").quantities] == ["千克"]
    assert umsg("收获茶叶50千克", 50, "exact", "kilogram") == []
    assert umsg("收获茶叶50千克", 50000, "exact", "kilogram") == [(
        "metric-value", "value 50000 is not a number written in the quote “收获茶叶50千克”, which reads: "
        "50 → `value: 50`, `qualifier: exact`")]


# 7. 最多时/最多的一天/最少时 name the peak (trough): the figure then is exact
@pytest.mark.parametrize(("text", "want"), [
    ("最多时一天接待游客3000人次", [("一", ex(1)), ("3000", ex(3000))]),
    ("最多的一天接待游客3000人次", [("一", ex(1)), ("3000", ex(3000))]),
    ("最少时也有30人参加", [("30", ex(30))]),
    # held out
    ("最多时达到5000人", [("5000", ex(5000))]), ("最少的时候只有10人", [("10", ex(10))]),
    ("最多的年份收入20万元", [("20万", ex(200000))]), ("最少那天也来了80人", [("80", ex(80))]),
    # a bound still: 最多/最少 before the verb phrase
    ("每月最多开展3次", [("3", [("at_most", 3, None)])]),
    ("最少投入100万元", [("100万", [("at_least", 1000000, None)])]),
])
def test_a_peak_or_trough_is_exact(text, want):
    assert reads(text) == want


def test_peak_message():
    assert umsg("最多时一天接待游客3000人次", 3000, "at_most", "person_time") == [(
        "metric-qualifier", "`qualifier: at_most` is not a true reading of 3000 in the quote “最多时一天"
        "接待游客3000人次”: 3000 is written without a qualifying word; write `value: 3000`, "
        "`qualifier: exact` (or `qualifier: approximately` where the article treats the figure as round)")]


# 8. 不下 (at least), 不止/远不止 (more than), N有余/出头/挂零 (plus), 差不多/大致/大体/小N (about)
@pytest.mark.parametrize(("text", "want"), [
    ("不下200户参与", [("200", [("at_least", 200, None)])]),
    ("不止200户参与", [("200", [("more_than", 200, None)])]),
    ("年收入远不止5万元", [("5万", [("more_than", 50000, None)])]),
    ("年收入5万有余", [("5万", [("plus", 50000, None)])]),
    ("年收入5万元出头", [("5万", [("plus", 50000, None)])]),
    ("年收入5万挂零", [("5万", [("plus", 50000, None)])]),
    ("差不多200户参与", [("200", [(A, 200, None)])]), ("大致200户参与", [("200", [(A, 200, None)])]),
    ("年收入大体5万元", [("5万", [(A, 50000, None)])]), ("小200户参与", [("200", [(A, 200, None)])]),
    # held out
    ("不下三千人次", [("三千", [("at_least", 3000, None)])]),
    ("不止一次", [("一", [("more_than", 1, None)])]),
    ("三十出头的年轻人", [("三十", [("plus", 30, None)])]), ("驻村1年有余", [("1", [("plus", 1, None)])]),
    ("小两万元", [("两万", [(A, 20000, None)])]), ("大致有300人", [("300", [(A, 300, None)])]),
    ("差不多有五十户", [("五十", [(A, 50, None)])]),
    # not 小 "about": a class, a reduction
    ("小3班", [("3", ex(3))]), ("差距缩小200元", [("200", ex(200))]), ("他们有余力", []),
])
def test_more_qualifying_words(text, want):
    assert reads(text) == want


def test_more_qualifying_words_messages():
    assert umsg("年收入5万元出头", 50000, "exact", "cny") == [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 5万 in the quote “年收入5万元出头”: "
        "出头 means more than 50000 and below 60000; write `value: 50000`, `qualifier: plus`")]
    assert umsg("不下200户参与", 200, "exact", "household") == [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 200 in the quote “不下200户参与”: "
        "不下 means at least 200; write `value: 200`, `qualifier: at_least`")]


# 9. （含）以上 includes N, （不含）以上 and 以上（不含N） exclude it; 200元内, 三年内 are within (at most)
@pytest.mark.parametrize(("text", "want"), [
    ("200元（含）以上", [("200", [("at_least", 200, None)])]),
    ("200元（不含）以上", [("200", [("more_than", 200, None)])]),
    ("200元以上（不含200元）", [("200", [("more_than", 200, None)])]),
    ("200元内", [("200", [("at_most", 200, None)])]), ("三年内实现盈利", [("三", [("at_most", 3, None)])]),
    # held out
    ("60岁（不含）以下", [("60", [("less_than", 60, None)])]),
    ("1000元(不包含)以上", [("1000", [("more_than", 1000, None)])]),
    ("每户补助200元以上（含200元）", [("200", [("at_least", 200, None)])]),
    ("一年内完成", [("一", [("at_most", 1, None)])]),
    ("5000元以下（不含5000元）", [("5000", [("less_than", 5000, None)])]),
    # not "within": a period (近三年内), a place (室内, 县内, 内部)
    ("近三年内", [("三", [("exact", 3, None), (A, 3, None)])]), ("3间室内", [("3", ex(3))]),
    ("5人内部", [("5", ex(5))]),
])
def test_included_excluded_and_within(text, want):
    assert reads(text) == want


def test_excluded_bound_message():
    assert umsg("200元以上（不含200元）", 200, "at_least", "cny") == [(
        "metric-qualifier", "`qualifier: at_least` is not a true reading of 200 in the quote "
        "“200元以上（不含200元）”: 以上（不含本数） means more than 200; write `value: 200`, "
        "`qualifier: more_than`")]
    assert umsg("三年内实现盈利", 3, "at_most", "year") == []


# 10. 百分之三十几 is vague 30-40, 百八十万 about 1000000, 约占全县的30% about, 3‱ = 0.03 percent
@pytest.mark.parametrize(("text", "want"), [
    ("群众满意率达到百分之三十几", [("百分之三十几", [("vague", 30, 40)])]),
    ("百八十万元投入", [("百八十万", [(A, 1000000, None)])]), ("约占全县的30%", [("30", [(A, 30, None)])]),
    ("贫困发生率3‱", [("3‱", ex(0.03))]),
    # held out
    ("百分之十几的农户", [("百分之十几", [("vague", 10, 20)])]),
    ("百分之几的人", [("百分之几", [("vague", 1, 10)])]),
    ("百分之几十", [("百分之几十", [("vague", 10, 100)])]),
    ("千儿八百万元", [("千儿八百万", [(A, 10000000, None)])]),
    ("发生率降至2-3‱", [("2-3‱", [("range", 0.02, 0.03)])]), ("约为全县的一半", [("一半", [(A, 50, None)])]),
    ("约占总数的三分之一", [("三分之一", [(A, 33.33, None), (A, 33.3, None), (A, 33, None)])]),
    ("百分之三十多", [("百分之三十多", [("plus", 30, None)])]),
])
def test_vague_percent_rough_millions_and_per_ten_thousand(text, want):
    assert reads(text) == want


def test_vague_percent_message():
    assert umsg("群众满意率达到百分之三十几", 30, "exact", "percent") == [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 百分之三十几 in the quote "
        "“群众满意率达到百分之三十几”: 百分之三十几 is vague (between 30 and 40), so it is never exact, at "
        "least or plus; write `value: 30`, `value_max: 40`, `qualifier: vague`, or leave the figure out")]
    assert umsg("贫困发生率3‱", 0.03, "exact", "percent") == []


# 11. 2年零3个月 is 27 months; lunar dates and N天M夜's nights are no counts of days (idioms above)
@pytest.mark.parametrize(("text", "want"), [
    ("驻村工作2年零3个月", [("2年零3", ex(27))]),
    ("腊月二十三举办年货节", []), ("农历八月十五举办丰收节", []),
    ("每周驻村5天4夜", [("5", ex(5)), ("4", ex(4))]),
    # held out
    ("两年又三个月", [("两年又三", ex(27))]), ("驻村1年6个月", [("1年6", ex(18))]),
    ("驻村2年零3个月以上", [("2年零3", [("at_least", 27, None)])]), ("正月初五", []), ("冬月十八", []),
    ("三月二十多个村", [("二十多", [("plus", 20, None)])]), ("2023年3个月", [("3", ex(3))]),
])
def test_years_and_months_lunar_dates_and_nights(text, want):
    assert reads(text) == want


def test_years_months_and_nights_messages():
    assert umsg("驻村工作2年零3个月", 2, "exact", "year") == [(
        "metric-value", "value 2 is not a number written in the quote “驻村工作2年零3个月”, which reads: "
        "2年零3个月 → `value: 27`, `qualifier: exact` with `unit: month`")]
    assert umsg("驻村工作2年零3个月", 27, "exact", "month") == []
    assert umsg("每周驻村5天4夜", 4, "exact", "day") == [(
        "metric-unit", "`unit: day` does not fit 4夜 in the quote “每周驻村5天4夜”: 夜 counts nights, "
        "which no `unit` measures (5天4夜 is 5 days), so leave the figure out; its figures in days: "
        "5天 → `value: 5`, `qualifier: exact`")]
    assert [n.kind for n in readings("腊月二十三举办年货节").not_quantities] == ["date"]


# 12. per-unit figures: 由A增加到B keeps A's per word, 15万元每户, 一户15万元, 每名…; a percent is a rate
@pytest.mark.parametrize(("quote", "value", "words", "den"), [
    ("人均纯收入由3000元增加到1.2万元", 12000, "人均", "person"), ("15万元每户", 150000, "每户", "household"),
    ("一户15万元", 150000, "一户", "household"), ("每名第一书记15万元", 150000, "每名", "person"),
    # held out
    ("户均收入从8000元提高到1.5万元", 15000, "户均", "household"),
    ("每位队员补助2000元", 2000, "每位", "person"),
    ("补贴标准为500元每人", 500, "每人", "person"), ("一村20万元", 200000, "一村", "village"),
    ("人均收入由5000元增至8000元", 8000, "人均", "person"),
])
def test_more_per_unit_figures_need_their_denominator(quote, value, words, den):
    m = {**metric(quote, value, "exact"), "unit": "cny"}
    [(rule, message)] = check_metric(m)
    assert rule == "metric-denominator"
    assert message.endswith(f"is a figure for each {den} ({words}), not a total: add `denominator: {den}`")
    assert check_metric({**m, "denominator": den}) == []


@pytest.mark.parametrize(("quote", "value", "unit"), [
    ("人均收入增长15%", 15, "percent"), ("户均增收幅度达20%", 20, "percent"),  # a rate, not per household
    ("第一户5万元", 50000, "cny"),  # an ordinal, not "one household"
    ("为每户发放5000元共计150万元", 1500000, "cny"),  # still a total after the per-household figure
])
def test_rates_and_totals_need_no_denominator(quote, value, unit):
    assert check_metric({**metric(quote, value, "exact"), "unit": unit}) == []


def test_per_unit_change_message():
    assert umsg("人均纯收入由3000元增加到1.2万元", 12000, "exact", "cny") == [(
        "metric-denominator", "1.2万 in the quote “人均纯收入由3000元增加到1.2万元” is a figure for each "
        "person (人均), not a total: add `denominator: person`")]


# 13. measures no metric unit counts (公顷, 顷, 担, 公里, 千米, 平方公里, 立方米, 千瓦时): never mu, jin …
MEASURE = "which no `unit` measures: leave the figure out (a converted figure is not one the quote writes)"


@pytest.mark.parametrize(("quote", "value", "unit", "word", "what"), [
    ("流转土地1200公顷", 1200, "mu", "公顷", "hectares (1 公顷 = 15 亩)"),
    ("收获茶叶50担", 50, "jin", "担", "dan (1 担 = 100 斤)"),
    # held out
    ("新修公路3.5公里", 3.5, "item", "公里", "kilometres"),
    ("修建道路12千米", 12, "item", "千米", "kilometres"),
    ("发电12万千瓦时", 120000, "item", "千瓦时", "kilowatt-hours"),
    ("良田三百顷", 300, "mu", "顷", "qing (1 顷 = 100 亩)"),
    ("治理面积5平方公里", 5, "square_metre", "平方公里", "square kilometres"),
])
def test_other_measures_fit_no_metric_unit(quote, value, unit, word, what):
    [(rule, message)] = umsg(quote, value, "exact", unit)
    assert rule == "metric-unit" and f": {word} counts {what}, {MEASURE};" in message


def test_other_measure_message_and_mu_still_fits():
    assert umsg("流转土地1200公顷", 1200, "exact", "mu") == [(
        "metric-unit", f"`unit: mu` does not fit 1200公顷 in the quote “流转土地1200公顷”: 公顷 counts "
        f"hectares (1 公顷 = 15 亩), {MEASURE}; the quote writes no figure in mu: leave the figure out")]
    assert umsg("流转土地1200亩", 1200, "exact", "mu") == [] and umsg("负担3人", 3, "exact", "person") == []


# 14. 近半 (nearly half), 五、六十 (50-60), a full-width space inside a figure, 1米8 (1.8 m),
# 百十来 (about 100)
@pytest.mark.parametrize(("text", "want"), [
    ("近半农户参与了合作社", [("半", [("just_under", 50, None), (A, 50, None)])]),
    ("有五、六十户参与", [("五、六十", [("range", 50, 60)])]),
    ("有3\u3000000户参与", [("3\u3000000", ex(3000))]),
    ("身高1米8的小伙子", [("1米8", ex(1.8))]), ("有3·5万人参与", []),
    ("百十来个人参与", [("百十来", [(A, 100, None)])]),
    # held out
    ("近半村民", [("半", [("just_under", 50, None), (A, 50, None)])]),
    ("有七、八百人", [("七、八百", [("range", 700, 800)])]),
    ("带动1\u3000200人就业", [("1\u3000200", ex(1200))]), ("个子1米7", [("1米7", ex(1.7))]),
    ("百十户人家", [("百十", [(A, 100, None)])]),
    ("近半年", [("半", [("just_under", 0.5, None), (A, 0.5, None)])]),
])
def test_small_readings_of_the_second_review(text, want):
    assert reads(text) == want


def test_small_readings_messages():
    assert umsg("近半农户参与了合作社", 50, "just_under", "percent") == []
    assert umsg("有五、六十户参与", 50, "exact", "household") == [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 五、六十 in the quote "
        "“有五、六十户参与”: 五、六十 is a range from 50 to 60; write `value: 50`, `value_max: 60`, "
        "`qualifier: range`")]
    assert umsg("身高1米8的小伙子", 1, "exact", "item")[0][1].startswith(
        "value 1 is not a number written in the quote “身高1米8的小伙子”, which reads: 1米8 → no metric "
        "(米 counts metres")


# More held-out phrasings of the second review's kinds (#3, #5, #8, #9, #12, #14)
@pytest.mark.parametrize(("text", "want"), [
    ("未能达到100户", [("100", [("less_than", 100, None)])]),
    ("一块五一斤", [("一块五", ex(1.5)), ("一", ex(1))]), ("两毛五", [("两毛五", ex(0.25))]),
    ("大体上300户", [("300", [(A, 300, None)])]),
    ("1000元（不含1000元）以上", [("1000", [("more_than", 1000, None)])]),
    ("七、八十人", [("七、八十", [("range", 70, 80)])]), ("八、九成", [("八、九成", [("range", 80, 90)])]),
    ("1米75", [("1米75", ex(1.75))]), ("百十号人", [("百十", [(A, 100, None)])]),
    ("几十号人", [("几十", [("vague", 10, 100)])]), ("5号楼", []), ("一毛不拔", [("一", ex(1))]),
])
def test_more_held_out_phrasings(text, want):
    assert reads(text) == want


def test_per_unit_with_a_noun_before_the_unit_word():
    assert umsg("每家农户3000元", 3000, "exact", "cny") == [(
        "metric-denominator", "3000 in the quote “每家农户3000元” is a figure for each household (每家农户), "
        "not a total: add `denominator: household`")]


@pytest.mark.parametrize(("text", "want"), [
    ("群众无一不满意", [("一", ex(1))]), ("没有一户不受益", [("一", ex(1))]),
    ("全村没有一个人不知道", [("一", ex(1))]), ("从未有过1次", [("1", [("exact", 0, None)])]),
])
def test_a_double_negation_is_not_none(text, want):
    assert reads(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("分成3块5亩的地", [("3", ex(3)), ("5", ex(5))]),  # 3 plots of 5 mu, not 3.5 yuan
    ("100元绰绰有余", [("100", ex(100))]),  # "more than enough", not 100 plus
    ("容不下100人", [("100", ex(100))]),  # 容不下 is no 不下 (no fewer than)
])
def test_new_words_keep_out_of_their_lookalikes(text, want):
    assert reads(text) == want


def test_one_per_person_per_month_and_item_names():
    assert umsg("一人一月300元", 300, "exact", "cny") == [(
        "metric-denominator", "300 in the quote “一人一月300元” is a figure for each person (一人一月), "
        "not a total: add `denominator: person`")]
    assert umsg("修路5.6公里", 5.6, "exact", "item")[0][1].endswith(
        "the quote writes no figure in items: leave the figure out")


def test_traditional_words_inside_the_figure_are_quoted_as_written():
    assert umsg("數十萬名第一書記", 100000, "exact", "person") == [(
        "metric-qualifier", "`qualifier: exact` is not a true reading of 數十萬 in the quote "
        "“數十萬名第一書記”: 數十萬 is vague (between 100000 and 1000000), so it is never exact, at "
        "least or plus; write `value: 100000`, `value_max: 1000000`, `qualifier: vague`, or leave "
        "the figure out")]
    assert umsg("400餘萬元", 4000000, "exact", "cny")[0][1].endswith(
        "400餘萬 in the quote “400餘萬元”: 餘 means more than 4000000 and below 5000000; write "
        "`value: 4000000`, `qualifier: plus`")
