"""Render (data and analysis): the figures and tables of the statistical publication."""

from __future__ import annotations

from bulletin.charts.children_in_need import cin_by_year as fig_cin_by_year
from bulletin.render.publications import Content, Inputs
from bulletin.tables.children_in_need import cin_by_region, cin_by_year


def content(inputs: Inputs) -> Content:
    series = inputs.real.tables["real-cin-by-year"]
    areas = inputs.real.tables["real-cin-by-area"]
    figures = [fig_cin_by_year(series)]
    tables = [cin_by_year(series), cin_by_region(areas)]
    return Content({f.id: f for f in figures}, {t.id: t for t in tables})
