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
    @property
    def id(self) -> str: ...

    @property
    def alt(self) -> str: ...


@dataclass(frozen=True)
class Inputs:
    """The three inputs of a publication, read from the stages that wrote them."""

    publication: Publication
    publications: tuple[Publication, ...]  # every publication of the build, for links
    window: Publication  # the publication whose linked window the findings cover
    findings: Context  # findings.json: measures, definitions and tables of the linked data
    dataset: Mapping[str, Any]  # the linked extract's dataset.json, passed through
    synthetic: bool
    real: Context  # public.json: values printed from the real files
    facts: Mapping[str, Sourced | Fact]  # facts.toml: counts as sourced values, texts as facts


@dataclass(frozen=True)
class Content:
    """What a publication shows beside its prose: figures and tables, by id; and values
    derived from its inputs (a difference the prose states), each with its provenance."""

    figures: Mapping[str, Chart] = field(default_factory=dict)
    tables: Mapping[str, Table] = field(default_factory=dict)
    derived: Mapping[str, Sourced] = field(default_factory=dict)
    #: Whether it reports the linked data, whose findings tables its open data then holds
    #: (the review's publications); a release from the real files alone publishes only its
    #: own printed tables.
    linked_data: bool = True


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
        window=settings.publication("data-and-analysis"),
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
        "derived": built.derived,
        "tables": built.tables,
        "definitions": definitions,
        "synthetic": inputs.synthetic,
        "dataset": inputs.dataset,
        "years": years(inputs.publication, inputs.window),
    }


def years(publication: Publication, window: Publication) -> dict[str, int]:
    """The years a publication's prose names, by role, so that a template does no
    arithmetic. Reporting years are named by the year they end (2018 is 2017-18):

    - ``first``, ``last``: the publication's own first and last years;
    - ``final_first``, ``final_last``: the linked window of the final data and analysis
      (`window`), which the findings cover;
    - ``previous``: the year before the window's last (the any-point rate of R6);
    - ``d1_first``: the first year of the interim three-year window (ending in ``last``);
    - ``sen``: the year before ``last`` (the interim's attainment and SEN year)."""
    if None in (publication.first_year, publication.last_year, window.last_year):
        return {}
    first, last = publication.years()
    final_first, final_last = window.years()
    return {
        "first": first,
        "last": last,
        "final_first": final_first,
        "final_last": final_last,
        "previous": final_last - 1,
        "d1_first": last - 2,
        "sen": last - 1,
    }
