"""Data (above core): load and validate the real public files and linked pupil-level extracts."""
