"""Render (publications): what each publication shows, one small module per publication.

A publication is a folder of templates (`templates/<id>/`) plus a module here, named after
its id (`data-and-analysis` -> `data_and_analysis.py`), with one function::

    def content(inputs: Inputs) -> Content

which builds the figures and tables the publication shows from its three inputs only: the
findings of the linked data (findings.json), the real files' national context (public.json)
and the sourced facts file (DESIGN.md decision 11). `template_context` is everything the
publication's template may read. Adding a publication means adding a template folder and a
module, nothing else (docs/new-publication.md).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bulletin.core.context import Context, Definition, context_from_json
from bulletin.core.provenance import Sourced
from bulletin.core.settings import Publication, Settings
from bulletin.data.facts import Fact, fact_values, load_facts
from bulletin.tables.model import Table


class Chart(Protocol):
    id: str
    alt: str


@dataclass(frozen=True)
class Inputs:
    """The three inputs of a publication, read from the stages that wrote them."""

    publication: Publication
    publications: tuple[Publication, ...]  # every publication of the build, for links
    findings: Context  # findings.json: measures, definitions and tables of the linked data
    dataset: Mapping[str, Any]  # the linked extract's dataset.json, passed through
    synthetic: bool
    real: Context  # public.json: values printed from the real files
    facts: Mapping[str, Sourced | Fact]  # facts.toml: counts as sourced values, texts as facts


@dataclass(frozen=True)
class Content:
    """What a publication shows beside its prose: figures and tables, by id."""

    figures: Mapping[str, Chart] = field(default_factory=dict)
    tables: Mapping[str, Table] = field(default_factory=dict)


def module_name(pub_id: str) -> str:
    return f"bulletin.render.publications.{pub_id.replace('-', '_')}"


def has_module(pub_id: str) -> bool:
    return importlib.util.find_spec(module_name(pub_id)) is not None


def content(inputs: Inputs) -> Content:
    """The publication's figures and tables, built by its module."""
    module = importlib.import_module(module_name(inputs.publication.id))
    built: Content = module.content(inputs)
    return built


def read_inputs(
    settings: Settings,
    publication: Publication,
    publications: tuple[Publication, ...],
    findings_json: Path,
    public_json: Path,
    public_data: Path,
) -> Inputs:
    """A publication's inputs from the findings and public-data stages' files and the facts."""
    from bulletin.findings.context import load

    loaded = load(findings_json.read_text(encoding="utf-8"))
    return Inputs(
        publication=publication,
        publications=publications,
        findings=loaded.context,
        dataset=loaded.dataset,
        synthetic=loaded.synthetic,
        real=context_from_json(public_json.read_text(encoding="utf-8")),
        facts=fact_values(load_facts(public_data)),
    )


def template_context(inputs: Inputs, built: Content) -> dict[str, Any]:
    """Everything a publication's template may read."""
    definitions: dict[str, Definition] = dict(inputs.findings.definitions)
    return {
        "publication": inputs.publication,
        "publications": inputs.publications,
        "m": inputs.findings,
        "real": inputs.real,
        "facts": inputs.facts,
        "figures": built.figures,
        "tables": built.tables,
        "definitions": definitions,
        "synthetic": inputs.synthetic,
        "dataset": inputs.dataset,
        "years": years(inputs.publication),
    }


def years(publication: Publication) -> dict[str, int]:
    """The years a publication's prose names, by role, so that a template does no
    arithmetic: the first and last reporting years of its window, the one before the last,
    and the first cohort followed after 16 (at the end of key stage 4 in the first year)."""
    if publication.first_year is None or publication.last_year is None:
        return {}
    return {
        "first": publication.first_year,
        "last": publication.last_year,
        "previous": publication.last_year - 1,
    }
