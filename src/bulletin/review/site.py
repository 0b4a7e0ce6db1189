"""Review (sites): a built site as the diff reads it, from its manifest and its files.

A build folder is a `_site/` written by `bulletin build` (its `manifest.json` names the
generator), or a project folder whose `_site/` is one. The diff reads only what the build
published: the manifest (publications, every file's sha256), each publication's screen
page, numbers manifest and PDF, the tables' CSV files and the figures' SVG, CSV and alt
text. Nothing of the code that made the build is needed, so builds of two revisions of
the project compare alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.core.problems import InputError, Problem

MANIFEST = "manifest.json"
SITE = "_site"


@dataclass(frozen=True)
class Site:
    root: Path
    manifest: dict[str, Any]

    @property
    def publications(self) -> tuple[str, ...]:
        return tuple(str(p["id"]) for p in self.manifest.get("publications", []))

    def publication(self, pub: str) -> dict[str, Any]:
        return next((p for p in self.manifest["publications"] if p["id"] == pub), {})

    @property
    def files(self) -> dict[str, str]:
        """Every file of the site and its sha256, as the manifest lists them."""
        return {str(k): str(v) for k, v in self.manifest.get("files", {}).items()}

    def numbers(self, pub: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = read_json(self.root / "report" / f"{pub}.numbers.json")
        return entries

    def page(self, pub: str) -> str:
        return (self.root / "report" / f"{pub}.html").read_text(encoding="utf-8")

    def pdf(self, pub: str) -> Path:
        return self.root / "report" / f"{pub}.pdf"

    def tables(self, pub: str) -> dict[str, Path]:
        """The publication's printed tables, by id: `data/<pub>/<table>.csv`."""
        return {p.stem: p for p in sorted((self.root / "data" / pub).glob("*.csv"))}

    def figures(self) -> dict[str, Path]:
        """Every figure's folder entry by id (`figures/<id>.svg`, with `.csv` and `.txt`)."""
        return {p.stem: p for p in sorted((self.root / "figures").glob("*.svg"))}


def open_site(folder: Path) -> Site:
    """The built site in `folder` (a site, or a project folder holding `_site/`);
    `InputError` naming the folder when it is neither."""
    for root in (folder, folder / SITE):
        path = root / MANIFEST
        if path.is_file():
            try:
                manifest = read_json(path)
            except (OSError, ValueError) as exc:
                raise InputError([Problem(str(path), None, None, f"unreadable: {exc}")]) from None
            if isinstance(manifest, dict) and str(manifest.get("generator", "")).startswith(
                "bulletin"
            ):
                return Site(root.resolve(), manifest)
    message = f"not a build: no {MANIFEST} of bulletin build here or in {SITE}/"
    raise InputError([Problem(str(folder), None, None, message)])


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
