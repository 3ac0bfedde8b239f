"""Inline SVG charts: drawn at build time, so the site needs no chart script or CDN."""

from __future__ import annotations

from markupsafe import Markup, escape

ROW = 22
LABEL_WIDTH = 300
BAR_WIDTH = 360


def bar_chart(bars: list[tuple[str, float]], unit: str) -> Markup:
    """A horizontal bar chart of (label, value) pairs, largest first, as an SVG element."""
    bars = sorted(bars, key=lambda b: -b[1])
    top = max(v for _, v in bars) or 1
    height = ROW * len(bars) + 10
    width = LABEL_WIDTH + BAR_WIDTH + 120
    rows = []
    for i, (label, value) in enumerate(bars):
        label = " ".join(label.split())  # case text: a blank line would end the HTML block
        y = 5 + i * ROW
        length = max(1.0, BAR_WIDTH * value / top)
        shown = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
        text = label if len(label) <= 24 else label[:23] + "…"
        rows.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{escape(text)}'
            f"<title>{escape(label)}</title></text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" rx="2"/>'
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + 15}">{shown} {escape(unit)}</text>'
        )
    return Markup(
        f'<div class="cb-chart"><svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(unit)}">{"".join(rows)}</svg></div>'
    )
