"""Synthetic (beside data): the seeded generator of a synthetic national linked population.

Used only by the CLI, the pipeline's default-data step and the fit script; an
import-linter contract forbids findings, tables, charts, render and qa to import it.

`generate()` writes an extract in exactly the documented format (`core.schema`) into a
folder, plus generator-only files under `_generator/` (the full population of children,
linked or not) that only the fit script reads. Vectorised throughout: arrays over
children, one census year at a time; no per-child Python loops.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bulletin.core.geography import Geography
from bulletin.synthetic import calendar as cal
from bulletin.synthetic.census import SEN_CODES, STATUS_CODES, census_years, expected_pupils
from bulletin.synthetic.params import Parameters, load_parameters
from bulletin.synthetic.population import Population, generate_population
from bulletin.synthetic.schools import PHASES, PRIMARY, TYPES, generate_schools, pools
from bulletin.synthetic.streams import stream
from bulletin.synthetic.traits import (
    LANGUAGES,
    MAJOR_CODES,
    MAJOR_OF_MINOR,
    MINOR_CODES,
    generate_traits,
)
from bulletin.synthetic.writer import (
    TableWriter,
    codes,
    dates,
    write_empty,
    write_json,
    write_table,
)

GENERATOR_VERSION = "1"
GENERATOR_ONLY = "_generator"
EMPTY_UNTIL_LATER = (
    "cin_episodes",
    "cin_assessments",
    "cin_assessment_factors",
    "child_protection_plans",
    "cla_episodes",
    "absence",
    "exclusions",
    "eyfsp",
    "ks2",
    "ks4",
    "post16",
)


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def generate(
    geography: Geography,
    out: Path,
    *,
    seed: int,
    scale: float,
    params: Parameters | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> Summary:
    """Generate the population for (seed, scale) into `out`, which must not exist yet."""
    params = load_parameters() if params is None else params
    summary = Summary()
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = now - clock
        clock = now
        log(f"synthetic: {name} ({summary.seconds[name]:.1f} s)")

    las = geography.authorities
    n_la = len(las)
    region_codes = sorted({la.region_code for la in las})
    la_region = np.array([region_codes.index(la.region_code) for la in las], np.int16)
    london = np.array([la.london_split is not None for la in las])
    log_rate = np.log([float(la.need_rate) for la in las])
    la_effect = float(params["characteristics"]["deprivation_la_sd"]) * (
        (log_rate - log_rate.mean()) / log_rate.std()
    )

    population = generate_population(
        params, seed, scale, np.array([la.children for la in las], np.float64)
    )
    step(f"population: {len(population):,} children")

    schools = generate_schools(params, seed, expected_pupils(population, params, n_la))
    phase_pools = {phase: pools(schools, phase, la_region) for phase in range(len(PHASES))}
    neighbourhood = phase_pools[PRIMARY].draw(stream(seed, "neighbourhood"), population.la)
    traits = generate_traits(
        params,
        seed,
        la=population.la,
        london=london,
        la_effect=la_effect,
        neighbourhood=neighbourhood,
        n_neighbourhoods=len(schools),
    )
    step(f"schools and traits: {len(schools):,} schools")

    out.mkdir(parents=True)
    child_id = (stream(seed, "ids").permutation(len(population)) + 1).astype(np.int64)
    linked = np.zeros(len(population), bool)
    used_school = np.zeros(len(schools), bool)
    census = TableWriter(out, "school_census")
    for year in census_years(
        params,
        seed,
        population=population,
        traits=traits,
        schools=schools,
        pools=phase_pools,
        neighbourhood=neighbourhood,
    ):
        linked[year.child] = True
        used_school[year.school] = True
        census.write(
            {
                "child_id": child_id[year.child],
                "academic_year": np.full(len(year.child), year.academic_year, np.int32),
                "urn": schools.urn[year.school],
                "enrolment_status": codes(year.status, STATUS_CODES),
                "ncyear": year.ncyear.astype(np.int32),
                "fsm_eligible": year.fsm,
                "sen_provision": codes(year.sen, SEN_CODES),
                "first_language": codes(year.language, LANGUAGES),
            }
        )
    summary.rows["school_census"] = census.close()
    step(f"school census: {summary.rows['school_census']:,} rows")

    who = np.flatnonzero(linked)
    years, months = population.birth_year[who], population.birth_month[who]
    summary.rows["children"] = write_table(
        out,
        "children",
        {
            "child_id": child_id[who],
            "match_status": pa.array(["education_only"] * len(who), pa.string()),
            "birth_year": years,
            "birth_month": months,
            "gender": codes(np.where(population.male[who], 1, 0), ("F", "M")),
            "ethnicity_minor": codes(traits.ethnicity[who], MINOR_CODES),
            "ethnicity_major": codes(MAJOR_OF_MINOR[traits.ethnicity[who]], MAJOR_CODES),
        },
    )
    used = np.flatnonzero(used_school)
    summary.rows["schools"] = write_table(
        out,
        "schools",
        {
            "urn": schools.urn[used],
            "la_code": pa.array([las[i].code for i in schools.la[used]], pa.string()),
            "region_code": pa.array([las[i].region_code for i in schools.la[used]], pa.string()),
            "phase": codes(schools.phase[used], PHASES),
            "school_type": codes(schools.school_type[used], TYPES),
            "open_date": dates(schools.open_date[used]),
            "close_date": pa.nulls(len(used), pa.date32()),
        },
    )
    for name in EMPTY_UNTIL_LATER:
        summary.rows[name] = write_empty(out, name)
    step("children and schools written")

    _write_full_population(out / GENERATOR_ONLY, population, child_id, [la.code for la in las])
    write_json(
        out / "dataset.json",
        {
            "name": "synthetic-national",
            "synthetic": True,
            "description": (
                "A synthetic linked population of children in England, generated by "
                "bulletin's behavioural model. It describes no real child."
            ),
            "provenance": {
                "generator": "bulletin.synthetic",
                "generator_version": GENERATOR_VERSION,
                "seed": seed,
                "scale": scale,
                "parameters_sha256": params.digest,
            },
        },
    )
    step("generator-only population written")
    return summary


def _write_full_population(
    folder: Path,
    population: Population,
    child_id: npt.NDArray[np.int64],
    la_codes: list[str],
) -> None:
    """Every child, linked or not, for the population checks (A3, A4) of the fit script."""
    import pyarrow.parquet as pq

    folder.mkdir()
    order = np.arange(len(child_id))
    table = pa.table(
        {
            "child_id": child_id[order],
            "birth_date": dates(population.birth[order]),
            "entry_date": dates(population.entry[order]),
            "exit_date": dates(population.exit[order], empty=cal.NEVER),
            "origin": population.origin[order],
            "la_code": codes(population.la[order].astype(np.int32), tuple(la_codes)),
        }
    )
    pq.write_table(table, folder / "population.parquet", compression="zstd", compression_level=1)
