"""Charts (above findings): figures drawn from data, with alt text and a data table each."""

from bulletin.charts.model import LineChart, Series, to_csv

__all__ = ["LineChart", "Series", "to_csv"]
