"""Tables (above findings): accessible table models and the open-data files behind them."""

from bulletin.tables.model import Cell, Column, Row, Table, to_csv

__all__ = ["Cell", "Column", "Row", "Table", "to_csv"]
