"""Synthetic: independent random streams, one per component name, spawned from the seed.

Adding a component, or drawing more in one, never moves another component's draws.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stream(seed: int, *name: str | int) -> np.random.Generator:
    """The random generator of one component (and optional sub-part, such as a year)."""
    label = "/".join(str(part) for part in name).encode()
    key = int.from_bytes(hashlib.sha256(label).digest()[:8], "little")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(key,))))
