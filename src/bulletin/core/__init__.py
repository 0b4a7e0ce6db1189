"""Core (lowest layer): settings, the Measure value type, GSS symbols, formatting, rates, caching."""
