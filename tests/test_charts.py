"""Inline SVG bar charts: largest first, readable at any width, case text escaped."""

from __future__ import annotations

import re

from generator.charts import BAR_SHARE, LABEL_CHARS, bar_chart


def test_bars_run_largest_first_with_percent_lengths():
    svg = str(bar_chart([("甲县 · 小", 1_000), ("乙县 · 大", 4_000_000)], "元"))
    assert svg.index("乙县") < svg.index("甲县")
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)%"', svg)]
    assert widths == [BAR_SHARE, max(0.3, BAR_SHARE * 1_000 / 4_000_000)]
    assert "4,000,000 元" in svg and "viewBox" not in svg  # no scaling: labels keep their size


def test_long_labels_are_cut_and_kept_whole_in_the_tooltip():
    label = "黔南布依族苗族自治州 · 驻村工作队协调争取项目涉及资金总额"
    svg = str(bar_chart([(label, 457_000_000), ("短", 1)], "元"))
    shown = re.search(r'<text x="0" y="14">([^<]*)</text>', svg).group(1)
    assert len(shown) == LABEL_CHARS and shown.endswith("…")
    assert f"<title>{label}：457,000,000 元</title>" in svg


def test_case_text_in_labels_is_escaped_and_on_one_line():
    svg = str(bar_chart([('<script>alert(1)</script>\n\n"x"', 2), ("b", 1)], "元"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "\n" not in svg
