"""Inline SVG charts: drawn at build time, so the site needs no chart script or CDN.

The chart has no viewBox: a scaled drawing shrank its 12 px labels to 5 px on a phone.
Each bar gets its own row, the label above it at full width; bar lengths are percentages
of the chart's width, so the same SVG reads at 390 px and on a desktop.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

ROW = 40  # px per bar: a label line and a bar line
BAR_TOP = 20  # the bar's offset below its label
BAR_HEIGHT = 12
BAR_SHARE = 62  # the longest bar takes this percentage of the width; its value follows it
LABEL_CHARS = 26  # about what a phone shows on one line at 13 px; the full label is the tooltip


LOG_FROM = 20  # when the largest bar is 20 times the smallest or more, the scale is logarithmic


def bar_chart(bars: list[tuple], unit: str) -> Markup:
    """A horizontal bar chart of (label, value[, shown text]) tuples, largest first, as HTML + SVG.

    All bars measure one indicator in one unit (the caller groups them). The scale is the
    chart's own: linear from 0, or logarithmic (labelled 对数刻度) when the values span a
    factor of `LOG_FROM` or more, so small bars stay readable next to large ones.
    """
    bars = sorted(bars, key=lambda b: -b[1])
    top = max(b[1] for b in bars) or 1
    low = min((b[1] for b in bars if b[1] > 0), default=top)
    log = top / low >= LOG_FROM
    rows = []
    for i, bar in enumerate(bars):
        label, value = bar[0], bar[1]
        label = " ".join(label.split())  # case text: a blank line would end the HTML block
        y = i * ROW
        if log and value > 0:
            # log10 from a tenth of the smallest value: the smallest bar still has length.
            share = BAR_SHARE * math.log10(value / (low / 10)) / math.log10(top / (low / 10))
        else:
            share = BAR_SHARE * value / top
        share = max(0.3, share)
        number = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
        shown = bar[2] if len(bar) > 2 else f"{number} {unit}"
        text = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        rows.append(
            f'<g><title>{escape(label)}：{escape(shown)}</title>'
            f'<text x="0" y="{y + 14}">{escape(text)}</text>'
            f'<rect x="0" y="{y + BAR_TOP}" width="{share:.1f}%" height="{BAR_HEIGHT}" rx="2"/>'
            f'<text class="cb-value" x="{share:.1f}%" dx="6" y="{y + BAR_TOP + 11}">'
            f"{escape(shown)}</text></g>"
        )
    height = ROW * len(bars)
    scale = ("对数刻度：每长一格，数值乘以相同倍数 (log scale)" if log
             else "线性刻度，从 0 开始 (linear scale from 0)")
    return Markup(
        f'<div class="cb-chart" data-scale="{"log" if log else "linear"}"><p class="cb-scale">{scale}</p>'
        f'<svg width="100%" height="{height}" role="img" '
        f'aria-label="{escape(unit)}">{"".join(rows)}</svg></div>'
    )
