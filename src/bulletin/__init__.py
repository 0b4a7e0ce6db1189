"""bulletin: reproducible, accessible statistical bulletins built from data."""

__version__ = "0.1.0"
