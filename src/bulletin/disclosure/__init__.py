"""Disclosure (above data): suppression, rounding and the audit that proves protection."""
