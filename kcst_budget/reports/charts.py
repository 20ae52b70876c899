"""The two charts as inline SVG: no script, no font or file to fetch, so they print on A4
as drawn, the PDF needs no network, and the dashboard shows them under Fava's content
security policy without any JavaScript.

Why not Fava's own chart components: Fava's ``<svelte-component type="charts">`` draws a
balance by date or bars by interval; it draws no forecast (dashed after the as-of month),
no band below zero where the host carries the deficit, and no budget against actual by
line, and it draws in the browser only (the SMT paper and the pack are printed without
one). The dashboard links to Fava's own account page for the pool's actual balance.

Every element carries a class (``actual``, ``projected``, ``deficit``, ``budget``,
``over``, ``grid``, ``zero``, ``axis``, ``label``); the colours written on the elements are
the printed ones, and a page's stylesheet may restyle them by class (the dashboard uses
Fava's CSS variables, so the charts follow Fava's light and dark themes). Labels are 12 to
13 units: at least 12 px wherever a chart is drawn at its width or wider. Each point and
bar carries its figures as decimal strings (``data-balance``, ``data-budget``,
``data-actual``) and a tooltip.

Both draw series they are given (the forecast's months, the statement's lines); the only
arithmetic here is the drawing's (scales, ticks), never a figure of the books.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from kcst_budget.amounts import decimal_string, gbp
from kcst_budget.periods import month_words

WIDTH = 720
ACTUAL, PROJECTED, BUDGET, OVER, GRID, DEFICIT, INK, AXIS = (
    "#1f5fa8", "#b42318", "#c9d6e8", "#b42318", "#e3e3e3", "#fbeaea", "#1b1b1b", "#777")
LABEL, SMALL = 13, 12  # font sizes, in the chart's units


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


def _text(x: float, y: float, text: str, size: int = SMALL, anchor: str = "start",
          css: str = "label") -> str:
    return (f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" '
            f'text-anchor="{anchor}">{escape(text)}</text>')


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
    left, right, top, bottom, height = 70, 18, 40, 38, 290
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
        parts.append(f'<line class="{"zero" if tick == 0 else "grid"}" x1="{left}" '
                     f'y1="{y(tick):.1f}" x2="{WIDTH - right}" y2="{y(tick):.1f}" '
                     f'stroke="{AXIS if tick == 0 else GRID}" stroke-width="1"/>'
                     + _text(left - 6, y(tick) + 4.5, _k(tick), anchor="end"))
        tick += step
    quarters = [i for i, (month, _, _) in enumerate(points) if month.month in (1, 4, 7, 10)]
    every = max(1, -(-len(quarters) * 70 // inner_w))  # a label needs about 70 units
    for count, index in enumerate(quarters):
        month = points[index][0]
        parts.append(f'<line class="axis" x1="{x(index):.1f}" y1="{top + inner_h}" '
                     f'x2="{x(index):.1f}" y2="{top + inner_h + 4}" stroke="{AXIS}"/>')
        if count % every == 0:
            parts.append(_text(x(index), height - bottom + 18, f"{month:%b %Y}", anchor="middle"))
    coords = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values)]
    actual = [i for i, p in enumerate(points) if p[2]]
    last_actual = actual[-1] if actual else -1
    if last_actual >= 0:
        parts.append(f'<polyline class="actual" points="{" ".join(coords[:last_actual + 1])}" '
                     f'fill="none" stroke="{ACTUAL}" stroke-width="2.5"/>')
    if last_actual < len(points) - 1:
        parts.append(f'<polyline class="projected" points="{" ".join(coords[max(0, last_actual):])}" '
                     f'fill="none" stroke="{PROJECTED}" stroke-width="2.5" '
                     f'stroke-dasharray="7,5"/>')
        as_of_x = x(last_actual + 1)
        parts.append(f'<line class="as-of" x1="{as_of_x:.1f}" y1="{top}" x2="{as_of_x:.1f}" '
                     f'y2="{top + inner_h}" stroke="{AXIS}" stroke-dasharray="2,3"/>'
                     + _text(as_of_x + 4, top + 12, "as-of month"))
    for index, (month, balance, is_actual) in enumerate(points):
        state = "actual" if is_actual else "forecast"
        parts.append(f'<circle class="point {"actual" if is_actual else "projected"}" '
                     f'cx="{x(index):.1f}" cy="{y(values[index]):.1f}" r="3" '
                     f'fill="{ACTUAL if is_actual else PROJECTED}" data-month="{month:%Y-%m}" '
                     f'data-balance="{decimal_string(balance)}"><title>'
                     f'{escape(month_words(month))}: {escape(gbp(balance))} ({state})</title>'
                     f'</circle>')
    parts.append(
        f'<line class="actual key" x1="{left}" y1="14" x2="{left + 26}" y2="14" stroke="{ACTUAL}" '
        f'stroke-width="2.5"/>' + _text(left + 32, 18.5, "actual", LABEL)
        + f'<line class="projected key" x1="{left + 100}" y1="14" x2="{left + 126}" y2="14" '
        f'stroke="{PROJECTED}" stroke-width="2.5" stroke-dasharray="7,5"/>'
        + _text(left + 132, 18.5, "forecast", LABEL)
        + f'<rect class="deficit key" x="{left + 214}" y="7" width="16" height="13" fill="{DEFICIT}" '
        f'stroke="{GRID}"/>' + _text(left + 236, 18.5, "below zero: the host carries a deficit",
                                      LABEL))
    return _svg(title, height, "".join(parts), "balance")


def budget_chart(rows: Sequence[tuple[str, Decimal, Decimal]], title: str) -> str:
    """Spend against budget by line, ``(line, budget for the period, actual to date)``, as
    paired bars; an actual above its budget is drawn red (class ``over``)."""
    if not rows:
        return ""
    label_w, value_w, bar_h, gap, top = 210, 110, 15, 12, 32
    high = max([1.0, *(float(max(b, a)) for _, b, a in rows)])
    inner_w = WIDTH - label_w - value_w
    height = top + len(rows) * (2 * bar_h + gap) + 4
    parts = [
        f'<rect class="budget key" x="{label_w}" y="6" width="16" height="13" fill="{BUDGET}"/>'
        + _text(label_w + 22, 17.5, "budget", LABEL)
        + f'<rect class="actual key" x="{label_w + 100}" y="6" width="16" height="13" fill="{ACTUAL}"/>'
        + _text(label_w + 122, 17.5, "actual to date", LABEL)
        + f'<rect class="over key" x="{label_w + 250}" y="6" width="16" height="13" fill="{OVER}"/>'
        + _text(label_w + 272, 17.5, "above budget", LABEL)]
    for index, (line, budget, actual) in enumerate(rows):
        y = top + index * (2 * bar_h + gap)
        wb = float(budget) / high * inner_w
        wa = max(0.0, float(actual)) / high * inner_w
        over = actual > budget
        name = line if len(line) <= 28 else line[:27] + "…"
        parts.append(
            f'<g class="line" data-line="{escape(line)}" data-budget="{decimal_string(budget)}" '
            f'data-actual="{decimal_string(actual)}">'
            f'<title>{escape(line)}: budget {escape(gbp(budget))}, actual to date '
            f'{escape(gbp(actual))}</title>'
            + _text(label_w - 8, y + bar_h + 5, name, LABEL, "end")
            + f'<rect class="budget" x="{label_w}" y="{y}" width="{wb:.1f}" height="{bar_h}" '
            f'fill="{BUDGET}"/>'
            + _text(label_w + wb + 5, y + 12, f"£{budget:,.0f}")
            + f'<rect class="{"actual over" if over else "actual"}" x="{label_w}" '
            f'y="{y + bar_h}" width="{wa:.1f}" height="{bar_h}" '
            f'fill="{OVER if over else ACTUAL}"/>'
            + _text(label_w + wa + 5, y + bar_h + 12, f"£{actual:,.0f}") + '</g>')
    return _svg(title, height, "".join(parts), "budget")
