"""Two small inline SVG charts (no script, no network): they print on A4 as drawn."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH, HEIGHT, PAD = 640, 220, 48


def _scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if high == low:
        high = low + 1
    return low, high


def _label(value: Decimal) -> str:
    return f"£{value / 1000:,.0f}k" if abs(value) >= 1000 else f"£{value:,.0f}"


def balance_chart(points: Sequence[tuple[str, Decimal, bool]], title: str) -> str:
    """The pool balance month by month: ``(YYYY-MM, balance, actual)``; actual solid,
    projected dashed, zero line marked (below it the host carries the deficit)."""
    if not points:
        return ""
    low, high = _scale([p[1] for p in points])
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(1, len(points) - 1)

    def xy(index: int, value: Decimal) -> tuple[float, float]:
        return (PAD + index * step, PAD + float((high - value) / (high - low)) * inner_h)

    coords = [xy(i, p[1]) for i, p in enumerate(points)]
    last_actual = max((i for i, p in enumerate(points) if p[2]), default=-1)
    actual = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords[:last_actual + 1])
    projected = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords[max(0, last_actual):])
    zero_y = xy(0, Decimal(0))[1]
    ticks = "".join(
        f'<text x="{xy(i, low)[0]:.1f}" y="{HEIGHT - PAD + 16}" font-size="10" '
        f'text-anchor="middle">{escape(p[0])}</text>'
        for i, p in enumerate(points) if i % 3 == 0)
    return (
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)}</title>'
        f'<line x1="{PAD}" y1="{zero_y:.1f}" x2="{WIDTH - PAD}" y2="{zero_y:.1f}" stroke="#888" '
        f'stroke-width="1"/>'
        f'<text x="{PAD - 4}" y="{PAD:.1f}" font-size="10" text-anchor="end">{_label(high)}</text>'
        f'<text x="{PAD - 4}" y="{zero_y:.1f}" font-size="10" text-anchor="end">£0</text>'
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD:.1f}" font-size="10" text-anchor="end">'
        f'{_label(low)}</text>'
        + (f'<polyline class="actual" points="{actual}" fill="none" stroke="#1f5fa8" '
           f'stroke-width="2"/>' if actual else "")
        + (f'<polyline class="projected" points="{projected}" fill="none" stroke="#b42318" '
           f'stroke-width="2" stroke-dasharray="5,4"/>' if last_actual < len(points) - 1 else "")
        + ticks
        + f'<text x="{WIDTH - PAD}" y="14" font-size="10" text-anchor="end">solid: actual; '
          f'dashed: projected</text></svg>'
    )


def budget_chart(rows: Sequence[tuple[str, Decimal, Decimal]], title: str) -> str:
    """Spend against budget by line: ``(line, budget, actual)`` as paired bars."""
    if not rows:
        return ""
    high = max([Decimal(1), *(max(b, a) for _, b, a in rows)])
    bar_h, gap, label_w = 12, 12, 200
    height = PAD + len(rows) * (2 * bar_h + gap)
    inner_w = WIDTH - label_w - 80
    parts = []
    for i, (line, budget, actual) in enumerate(rows):
        y = 24 + i * (2 * bar_h + gap)
        wb = float(budget / high) * inner_w
        wa = float(actual / high) * inner_w
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h + 4}" font-size="11" text-anchor="end">'
            f'{escape(line[:32])}</text>'
            f'<rect class="budget" x="{label_w}" y="{y}" width="{wb:.1f}" height="{bar_h}" '
            f'fill="#c9d6e8"/><text x="{label_w + wb + 4:.1f}" y="{y + 10}" font-size="9">'
            f'budget {_label(budget)}</text>'
            f'<rect class="actual" x="{label_w}" y="{y + bar_h}" width="{wa:.1f}" height="{bar_h}" '
            f'fill="{"#b42318" if actual > budget else "#1f5fa8"}"/>'
            f'<text x="{label_w + wa + 4:.1f}" y="{y + bar_h + 10}" font-size="9">'
            f'actual {_label(actual)}</text>')
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
            f'<title>{escape(title)}</title>{"".join(parts)}</svg>')
