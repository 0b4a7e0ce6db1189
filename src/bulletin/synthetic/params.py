"""Synthetic: the generator's parameters, read from `parameters.toml`.

Every parameter is a table with a `value` and a `source` or `rationale`; the loader refuses
a file where one is missing, so that no number enters the model undocumented.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Parameters:
    values: dict[str, dict[str, Any]]  # component -> parameter -> value
    digest: str  # sha256 of the file, part of the population cache key

    def __getitem__(self, component: str) -> dict[str, Any]:
        return self.values[component]


def default_path() -> Path:
    return Path(str(resources.files("bulletin.synthetic").joinpath("parameters.toml")))


def load_parameters(path: Path | None = None) -> Parameters:
    path = default_path() if path is None else path
    text = path.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    problems: list[str] = []
    values: dict[str, dict[str, Any]] = {}
    for component, params in raw.items():
        values[component] = {}
        for name, entry in params.items():
            where = f"{path.name}: [{component}.{name}]"
            if not isinstance(entry, dict) or "value" not in entry:
                problems.append(f"{where} has no value")
                continue
            if not (entry.get("source") or entry.get("rationale")):
                problems.append(f"{where} has neither a source nor a rationale")
            values[component][name] = entry["value"]
    if problems:
        raise ValueError("\n".join(problems))
    return Parameters(values, hashlib.sha256(text.encode()).hexdigest())
