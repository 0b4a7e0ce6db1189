"""QA fixtures: tiny pages to check (the one Chromium of the run is tests/conftest.py's)."""

from __future__ import annotations

GOOD_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>A page</title></head>
<body><main><h1>A page</h1>
<figure><img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='2'/%3E" alt="A chart of the data"><figcaption>A chart</figcaption></figure>
<table><caption>A table</caption>
<thead><tr><th scope="col">Area</th><th scope="col" class="num">Children</th></tr></thead>
<tbody><tr><th scope="row">North East</th><td class="num">24,270</td></tr>
<tr><th scope="row">North West</th><td class="num">c</td></tr></tbody></table>
</main></body></html>
"""
