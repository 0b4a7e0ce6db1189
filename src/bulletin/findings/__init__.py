"""Findings (above disclosure): pure functions from data to Measures, one per section."""
