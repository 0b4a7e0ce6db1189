"""Render (project): `_quarto.yml`, checked against the small schema beside this module.

The Quarto project file describes report/ as Quarto would render it; bulletin's renderer
reads the site title, language, author and render list from it. Its keys are checked
against `quarto-schema.json` (a subset of JSON Schema: type, enum, required, properties,
additionalProperties, items), and every problem is reported at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from bulletin.core.problems import InputError, Problem

PROJECT_FILE = "_quarto.yml"
TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
}


@dataclass(frozen=True)
class Project:
    title: str  # the site's title
    lang: str
    author: str
    output_dir: str
    render: tuple[str, ...]  # report/*.qmd, relative to the project root


def schema() -> dict[str, Any]:
    text = resources.files("bulletin.render").joinpath("quarto-schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema_problems(value: Any, rule: dict[str, Any], where: str = "") -> list[str]:
    """Every way `value` breaks `rule`, each located by its key path."""
    here = where or "(top)"
    if "enum" in rule and value not in rule["enum"]:
        return [f"{here}: {value!r} is not one of {rule['enum']}"]
    kind = rule.get("type")
    if kind is not None and (
        not isinstance(value, TYPES[kind]) or (kind != "boolean" and isinstance(value, bool))
    ):
        return [f"{here}: must be {'an' if kind[0] in 'aeiou' else 'a'} {kind}"]
    problems: list[str] = []
    if isinstance(value, dict):
        properties = rule.get("properties", {})
        problems += [
            f"{where}.{k}".lstrip(".") + ": is required"
            for k in rule.get("required", ())
            if k not in value
        ]
        for key, item in value.items():
            path = f"{where}.{key}".lstrip(".")
            if key in properties:
                problems += schema_problems(item, properties[key], path)
            elif rule.get("additionalProperties", True) is False:
                problems.append(f"{path}: is not a key bulletin knows")
    if isinstance(value, list) and "items" in rule:
        for i, item in enumerate(value):
            problems += schema_problems(item, rule["items"], f"{where}[{i}]")
    return problems


def read_project(root: Path) -> Project:
    """Read and check the project file; InputError lists every problem."""
    import yaml

    path = root / PROJECT_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([Problem(PROJECT_FILE, None, None, "file not found")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(PROJECT_FILE, None, None, f"not YAML: {exc}")]) from None
    problems = schema_problems(data, schema())
    if problems:
        raise InputError(Problem(PROJECT_FILE, None, None, p) for p in problems)
    return Project(
        title=data["website"]["title"],
        lang=data["lang"],
        author=data["author"],
        output_dir=data["project"]["output-dir"],
        render=tuple(data["project"]["render"]),
    )
