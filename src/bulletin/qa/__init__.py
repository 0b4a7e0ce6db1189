"""QA (above render): checks on every output: accessibility, disclosure, consistency, wording."""
