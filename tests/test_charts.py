"""Inline SVG bar charts: largest first, readable at any width, case text escaped."""

from __future__ import annotations

import re

from generator.charts import BAR_SHARE, LABEL_CHARS, bar_chart


def test_bars_run_largest_first_with_percent_lengths():
    svg = str(bar_chart([("甲县 · 小", 3_000), ("乙县 · 大", 4_000)], "元"))
    assert svg.index("乙县") < svg.index("甲县")
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)%"', svg)]
    assert widths == [BAR_SHARE, round(BAR_SHARE * 3_000 / 4_000, 1)]
    assert "4,000 元" in svg and "viewBox" not in svg  # no scaling: labels keep their size
    assert 'data-scale="linear"' in svg and "线性刻度" in svg


def test_values_far_apart_get_a_labelled_log_scale_where_the_small_bar_stays_readable():
    svg = str(bar_chart([("甲县 · 小", 1_000), ("乙县 · 大", 4_000_000, "400万元")], "元"))
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)%"', svg)]
    # log10 from a tenth of the smallest value: 1,000 → 1 decade of 4.6 → 13.5 %
    assert widths == [BAR_SHARE, 13.5]
    assert 'data-scale="log"' in svg and "对数刻度" in svg and "400万元" in svg


def test_long_labels_are_cut_and_kept_whole_in_the_tooltip():
    label = "黔南布依族苗族自治州 · 驻村工作队协调争取项目涉及资金总额"
    svg = str(bar_chart([(label, 457_000_000), ("短", 1)], "元"))
    shown = re.search(r'<text x="0" y="14">([^<]*)</text>', svg).group(1)
    assert len(shown) == LABEL_CHARS and shown.endswith("…")
    assert f"<title>{label}：457,000,000 元</title>" in svg


def test_case_text_in_labels_is_escaped_and_on_one_line():
    svg = str(bar_chart([('<script>alert(1)</script>\n\n"x"', 2), ("b", 1)], "元"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "\n" not in svg
