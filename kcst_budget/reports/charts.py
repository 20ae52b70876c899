"""The SMT paper's two charts as inline SVG: no script, no font or file to fetch, so they
print on A4 as drawn and the PDF needs no network.

Both draw series they are given (the forecast's months, the statement's lines); the only
arithmetic here is the drawing's (scales, ticks), never a figure of the books.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH = 680
ACTUAL, PROJECTED, BUDGET, OVER, GRID, DEFICIT = (
    "#1f5fa8", "#b42318", "#c9d6e8", "#b42318", "#e3e3e3", "#fbeaea")


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 x 10^n) giving about ``ticks`` intervals."""
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _k(value: float) -> str:
    """An axis label: ``£20k``, ``-£5k``, ``£500``."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1000:
        text = f"{value / 1000:,.1f}".removesuffix(".0")
        return f"{sign}£{text}k"
    return f"{sign}£{value:,.0f}"


def _svg(title: str, height: int, body: str, css_class: str) -> str:
    return (f'<svg class="chart {css_class}" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg" '
            f'font-family="DejaVu Sans, Arial, sans-serif">'
            f'<title>{escape(title)}</title>{body}</svg>')


def balance_chart(points: Sequence[tuple[datetime.date, Decimal, bool]], title: str) -> str:
    """The pool balance at each month's end, ``(month, balance, actual)``: actual months
    solid, projected months dashed, below zero shaded (there the host carries a deficit)."""
    if not points:
        return ""
    left, right, top, bottom, height = 64, 16, 34, 34, 250
    values = [float(p[1]) for p in points]
    step = _nice_step(max([0.0, *values]) - min([0.0, *values]))
    low = step * (min([0.0, *values]) // step)
    high = step * -(-max([0.0, *values]) // step)
    if high == low:
        high = low + step
    inner_w, inner_h = WIDTH - left - right, height - top - bottom
    dx = inner_w / max(1, len(points) - 1)

    def x(index: int) -> float:
        return left + index * dx

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * inner_h

    parts = []
    if low < 0:
        parts.append(f'<rect class="deficit" x="{left}" y="{y(0):.1f}" width="{inner_w}" '
                     f'height="{y(low) - y(0):.1f}" fill="{DEFICIT}"/>')
    tick = low
    while tick <= high + step / 2:
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{WIDTH - right}" y2="{y(tick):.1f}" '
                     f'stroke="{"#777" if tick == 0 else GRID}" stroke-width="1"/>'
                     f'<text x="{left - 6}" y="{y(tick) + 3.5:.1f}" font-size="10" '
                     f'text-anchor="end">{_k(tick)}</text>')
        tick += step
    for index, (month, _, _) in enumerate(points):
        if month.month in (1, 4, 7, 10):
            parts.append(f'<line x1="{x(index):.1f}" y1="{top + inner_h}" x2="{x(index):.1f}" '
                         f'y2="{top + inner_h + 4}" stroke="#777"/>'
                         f'<text x="{x(index):.1f}" y="{height - bottom + 16}" font-size="10" '
                         f'text-anchor="middle">{month:%b %Y}</text>')
    coords = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values)]
    actual = [i for i, p in enumerate(points) if p[2]]
    last_actual = actual[-1] if actual else -1
    if last_actual >= 0:
        parts.append(f'<polyline class="actual" points="{" ".join(coords[:last_actual + 1])}" '
                     f'fill="none" stroke="{ACTUAL}" stroke-width="2.2"/>')
    if last_actual < len(points) - 1:
        parts.append(f'<polyline class="projected" points="{" ".join(coords[max(0, last_actual):])}" '
                     f'fill="none" stroke="{PROJECTED}" stroke-width="2.2" '
                     f'stroke-dasharray="6,4"/>')
        as_of_x = x(last_actual + 1)
        parts.append(f'<line class="as-of" x1="{as_of_x:.1f}" y1="{top}" x2="{as_of_x:.1f}" '
                     f'y2="{top + inner_h}" stroke="#555" stroke-dasharray="2,3"/>'
                     f'<text x="{as_of_x + 4:.1f}" y="{top + 10}" font-size="9" fill="#555">'
                     f'as-of month</text>')
    end = values[-1]
    parts.append(f'<circle cx="{x(len(values) - 1):.1f}" cy="{y(end):.1f}" r="3.5" '
                 f'fill="{PROJECTED if last_actual < len(points) - 1 else ACTUAL}"/>')
    parts.append(
        f'<line x1="{left}" y1="12" x2="{left + 24}" y2="12" stroke="{ACTUAL}" stroke-width="2.2"/>'
        f'<text x="{left + 30}" y="15" font-size="10">actual</text>'
        f'<line x1="{left + 90}" y1="12" x2="{left + 114}" y2="12" stroke="{PROJECTED}" '
        f'stroke-width="2.2" stroke-dasharray="6,4"/>'
        f'<text x="{left + 120}" y="15" font-size="10">forecast</text>'
        f'<rect x="{left + 190}" y="6" width="14" height="10" fill="{DEFICIT}" stroke="#ddd"/>'
        f'<text x="{left + 210}" y="15" font-size="10">below zero: the host carries a deficit'
        f'</text>')
    return _svg(title, height, "".join(parts), "balance")


def budget_chart(rows: Sequence[tuple[str, Decimal, Decimal]], title: str) -> str:
    """Spend against budget by line, ``(line, budget for the FY, actual to date)``, as
    paired bars; an actual above its budget is drawn red."""
    if not rows:
        return ""
    label_w, value_w, bar_h, gap, top = 190, 110, 11, 10, 26
    high = max([1.0, *(float(max(b, a)) for _, b, a in rows)])
    inner_w = WIDTH - label_w - value_w
    height = top + len(rows) * (2 * bar_h + gap) + 4
    parts = [
        f'<rect x="{label_w}" y="5" width="14" height="10" fill="{BUDGET}"/>'
        f'<text x="{label_w + 20}" y="14" font-size="10">budget for the year</text>'
        f'<rect x="{label_w + 160}" y="5" width="14" height="10" fill="{ACTUAL}"/>'
        f'<text x="{label_w + 180}" y="14" font-size="10">actual to date</text>'
        f'<rect x="{label_w + 290}" y="5" width="14" height="10" fill="{OVER}"/>'
        f'<text x="{label_w + 310}" y="14" font-size="10">above budget</text>']
    for index, (line, budget, actual) in enumerate(rows):
        y = top + index * (2 * bar_h + gap)
        wb = float(budget) / high * inner_w
        wa = max(0.0, float(actual)) / high * inner_w
        colour = OVER if actual > budget else ACTUAL
        name = line if len(line) <= 30 else line[:29] + "…"
        parts.append(
            f'<g class="line" data-line="{escape(line)}">'
            f'<text x="{label_w - 8}" y="{y + bar_h + 4}" font-size="10.5" text-anchor="end">'
            f'{escape(name)}</text>'
            f'<rect class="budget" x="{label_w}" y="{y}" width="{wb:.1f}" height="{bar_h}" '
            f'fill="{BUDGET}"/>'
            f'<text x="{label_w + wb + 4:.1f}" y="{y + 9}" font-size="9">£{budget:,.0f}</text>'
            f'<rect class="actual" x="{label_w}" y="{y + bar_h}" width="{wa:.1f}" '
            f'height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_w + wa + 4:.1f}" y="{y + bar_h + 9}" font-size="9">'
            f'£{actual:,.0f}</text></g>')
    return _svg(title, height, "".join(parts), "budget")
