"""Inline SVG charts: drawn at build time, so the site needs no chart script or CDN.

The chart has no viewBox: a scaled drawing shrank its 12 px labels to 5 px on a phone.
Each bar gets its own row, the label above it at full width; bar lengths are percentages
of the chart's width, so the same SVG reads at 390 px and on a desktop.
"""

from __future__ import annotations

from markupsafe import Markup, escape

ROW = 40  # px per bar: a label line and a bar line
BAR_TOP = 20  # the bar's offset below its label
BAR_HEIGHT = 12
BAR_SHARE = 62  # the longest bar takes this percentage of the width; its value follows it
LABEL_CHARS = 26  # about what a phone shows on one line at 13 px; the full label is the tooltip


def bar_chart(bars: list[tuple[str, float]], unit: str) -> Markup:
    """A horizontal bar chart of (label, value) pairs, largest first, as an SVG element."""
    bars = sorted(bars, key=lambda b: -b[1])
    top = max(v for _, v in bars) or 1
    rows = []
    for i, (label, value) in enumerate(bars):
        label = " ".join(label.split())  # case text: a blank line would end the HTML block
        y = i * ROW
        share = max(0.3, BAR_SHARE * value / top)
        shown = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
        text = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        rows.append(
            f'<g><title>{escape(label)}：{shown} {escape(unit)}</title>'
            f'<text x="0" y="{y + 14}">{escape(text)}</text>'
            f'<rect x="0" y="{y + BAR_TOP}" width="{share:.1f}%" height="{BAR_HEIGHT}" rx="2"/>'
            f'<text class="cb-value" x="{share:.1f}%" dx="6" y="{y + BAR_TOP + 11}">'
            f"{shown} {escape(unit)}</text></g>"
        )
    height = ROW * len(bars)
    return Markup(
        f'<div class="cb-chart"><svg width="100%" height="{height}" role="img" '
        f'aria-label="{escape(unit)}">{"".join(rows)}</svg></div>'
    )
