"""The two inline SVG charts draw the series they are given, and nothing else."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

from kcst_budget.reports.charts import balance_chart, budget_chart

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


def test_the_balance_chart_draws_actual_months_solid_and_forecast_dashed() -> None:
    points = [(D(2019, 1, 1), Decimal("30000"), True), (D(2019, 2, 1), Decimal("20000"), True),
              (D(2019, 3, 1), Decimal("9000"), False), (D(2019, 4, 1), Decimal("-2000"), False)]
    svg = ET.fromstring(balance_chart(points, "Pool balance"))
    lines = {p.get("class"): p for p in svg.iter(f"{SVG}polyline")}
    assert len(lines["actual"].get("points").split()) == 2
    assert len(lines["projected"].get("points").split()) == 3  # joined at the last actual month
    assert lines["projected"].get("stroke-dasharray")
    assert svg.find(f"{SVG}rect[@class='deficit']") is not None  # a month below zero
    assert svg.find(f"{SVG}title").text == "Pool balance"
    marks = [(c.get("data-month"), c.get("data-balance")) for c in svg.iter(f"{SVG}circle")]
    assert marks == [("2019-01", "30000.00"), ("2019-02", "20000.00"), ("2019-03", "9000.00"),
                     ("2019-04", "-2000.00")]


def test_every_chart_label_is_at_least_12_units() -> None:
    """Drawn at its width (as the dashboard and the A4 page draw it), 12 px or more."""
    points = [(D(2018, 4, 1) .replace(month=m), Decimal(1000 * m), True) for m in range(4, 13)]
    rows = [("KCST Coordinator", Decimal("45000.00"), Decimal("11250.00"))]
    for svg in (ET.fromstring(balance_chart(points, "x")), ET.fromstring(budget_chart(rows, "x"))):
        sizes = [float(t.get("font-size")) for t in svg.iter(f"{SVG}text")]
        assert sizes and min(sizes) >= 12


def test_a_balance_chart_never_below_zero_has_no_deficit_band_and_no_forecast() -> None:
    points = [(D(2018, 4, 1), Decimal("100"), True), (D(2018, 5, 1), Decimal("50"), True)]
    svg = ET.fromstring(balance_chart(points, "Pool balance"))
    assert svg.find(f"{SVG}rect[@class='deficit']") is None
    assert [p.get("class") for p in svg.iter(f"{SVG}polyline")] == ["actual"]


def test_the_budget_chart_draws_a_pair_of_bars_per_line_and_marks_an_overspend() -> None:
    rows = [("KCST Coordinator", Decimal("45000.00"), Decimal("11250.00")),
            ("Hot desking", Decimal("8000.00"), Decimal("8400.00"))]
    svg = ET.fromstring(budget_chart(rows, "Spend against budget"))
    groups = list(svg.iter(f"{SVG}g"))
    assert [g.get("data-line") for g in groups] == ["KCST Coordinator", "Hot desking"]
    actual = {g.get("data-line"): next(r for r in g.iter(f"{SVG}rect")
                                       if "actual" in r.get("class").split())
              for g in groups}
    assert actual["Hot desking"].get("fill") != actual["KCST Coordinator"].get("fill")  # red
    assert actual["Hot desking"].get("class") == "actual over"  # a page may restyle it by class
    assert [(g.get("data-budget"), g.get("data-actual")) for g in groups] == [
        ("45000.00", "11250.00"), ("8000.00", "8400.00")]  # decimal strings, never floats
    widths = [float(g.find(f"{SVG}rect[@class='budget']").get("width")) for g in groups]
    assert widths[0] > widths[1]


def test_no_series_draws_no_chart() -> None:
    assert balance_chart([], "x") == "" and budget_chart([], "x") == ""
