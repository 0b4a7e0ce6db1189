"""Synthetic: the extract: runs the census years over the world and writes every table of
the documented format (`core.schema`), `dataset.json`, and the generator-only files."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bulletin.core.geography import Geography
from bulletin.synthetic import calendar as cal
from bulletin.synthetic.absence import PupilYear, absence_and_exclusions, person_effect
from bulletin.synthetic.care_tables import write_care
from bulletin.synthetic.census import SEN_CODES, STATUS_CODES, CensusYear
from bulletin.synthetic.linking import child_ids, link
from bulletin.synthetic.outcome_tables import OutcomeWriter
from bulletin.synthetic.params import Parameters
from bulletin.synthetic.population import Population
from bulletin.synthetic.schools import PHASES, TYPES
from bulletin.synthetic.traits import LANGUAGES
from bulletin.synthetic.world import World, build_world
from bulletin.synthetic.writer import (
    GENERATOR_ONLY,
    TableWriter,
    codes,
    dates,
    with_ids,
    write_json,
    write_options,
    write_table,
)

GENERATOR_VERSION = "1"


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
    absence: bool = True,
    outcomes: bool = True,
    world: World | None = None,
) -> Summary:
    """Generate the population for (seed, scale) into `out`, which must not exist yet.

    `absence=False` leaves the absence and exclusion tables empty, `outcomes=False` the
    attainment tables (the other components draw from their own random streams, so nothing
    else changes). `world`: the world of (seed, scale) built before, for the fit script,
    which tries outcome parameters (`params`) on one world."""
    summary = Summary()
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = now - clock
        clock = now
        log(f"synthetic: {name} ({summary.seconds[name]:.1f} s)")

    if world is None:
        world = build_world(geography, seed=seed, scale=scale, params=params, step=step)
    elif (world.seed, world.scale) != (seed, scale):
        raise ValueError("the world given was built for another seed or scale")
    elif params is not None:
        world = replace(world, params=params)
    params = world.params
    population, traits, care, schools = world.population, world.traits, world.care, world.schools
    out.mkdir(parents=True)
    n = len(population)
    child_id = child_ids(seed, n)
    workers = ThreadPoolExecutor(max_workers=1)  # a second core: absence, then writing
    in_census = np.zeros(n, bool)
    used_school = np.zeros(len(schools), bool)
    person = person_effect(params, seed, n)
    census = TableWriter(out, "school_census")
    absence_rows, exclusion_rows = TableWriter(out, "absence"), TableWriter(out, "exclusions")
    results = OutcomeWriter(out, world, child_id)
    assessing = ThreadPoolExecutor(max_workers=1)
    assessed: list[Future[None]] = []
    pending: list[Future[tuple[dict[str, Any], dict[str, Any]]]] = []

    def write_absence(rows: tuple[dict[str, Any], dict[str, Any]]) -> None:
        absence_rows.write(with_ids(rows[0], child_id))
        exclusion_rows.write(with_ids(rows[1], child_id))

    def write_census(year: CensusYear) -> None:
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

    recording = ThreadPoolExecutor(max_workers=1)  # the census rows, in order, off this thread
    recorded: list[Future[None]] = []
    for y, year in enumerate(world.census()):
        in_census[year.child] = True
        used_school[year.school] = True
        recorded.append(recording.submit(write_census, year))
        while len(recorded) > 2:  # at most two years wait to be written
            recorded.pop(0).result()
        main = year.status < 2
        pupils = PupilYear(
            year.academic_year,
            year.child[main],
            year.ncyear[main],
            year.sen[main],
            traits.deprivation[year.child[main]],
            care.at_31_march[y][year.child[main]],
        )
        if absence:  # drawn on a second core while this thread goes on; written in order
            pending.append(workers.submit(absence_and_exclusions, params, seed, pupils, person))
        if outcomes:  # in order, on their own thread (each year follows the last)
            assessed.append(assessing.submit(results.write_year, world, y, year, main))
        while pending and (pending[0].done() or len(pending) > 2):
            write_absence(pending.pop(0).result())
    while pending:
        write_absence(pending.pop(0).result())
    for done in assessed + recorded:
        done.result()
    assessing.shutdown()
    recording.shutdown()
    summary.rows["school_census"] = census.close()
    summary.rows["absence"] = absence_rows.close()
    summary.rows["exclusions"] = exclusion_rows.close()
    summary.rows |= results.close()
    step(
        f"school census, absence, exclusions, outcomes: {summary.rows['school_census']:,} census rows"
    )

    full_population = workers.submit(
        _write_full_population, out / GENERATOR_ONLY, population, child_id, list(world.la_codes)
    )
    linked = link(world, child_id, in_census)
    care_tables = ThreadPoolExecutor(max_workers=1)  # beside the children and schools
    care_rows = care_tables.submit(write_care, out, care, linked.care_id, list(world.la_codes))
    summary.rows["children"] = write_table(out, "children", linked.children)
    summary.rows["schools"] = write_table(out, "schools", _school_columns(world, used_school))
    summary.rows |= care_rows.result()
    care_tables.shutdown()
    step("children, social care and schools written")

    full_population.result()
    workers.shutdown()
    write_json(out / "dataset.json", _description(seed, scale, params))
    step("generator-only population written")
    return summary


def _description(seed: int, scale: float, params: Parameters) -> dict[str, Any]:
    """The extract's `dataset.json`: what it is, where it comes from, and which calibration
    rows the generator was fitted to (calibration.json, written by the fit script from its
    declarations: docs/methodology.md documents the keys)."""
    calibration = json.loads(
        resources.files("bulletin.synthetic").joinpath("calibration.json").read_text("utf-8")
    )
    return {
        "calibration": calibration,
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
    }


def _school_columns(world: World, used_school: npt.NDArray[np.bool_]) -> dict[str, Any]:
    """The schools table: every school with a pupil in some census."""
    schools, used = world.schools, np.flatnonzero(used_school)
    return {
        "urn": schools.urn[used],
        "la_code": pa.array([world.la_codes[i] for i in schools.la[used]], pa.string()),
        "region_code": pa.array([world.la_region_codes[i] for i in schools.la[used]], pa.string()),
        "phase": codes(schools.phase[used], PHASES),
        "school_type": codes(schools.school_type[used], TYPES),
        "open_date": dates(schools.open_date[used]),
        "close_date": pa.nulls(len(used), pa.date32()),
    }


def _write_full_population(
    folder: Path,
    population: Population,
    child_id: npt.NDArray[np.int64],
    la_codes: list[str],
) -> None:
    """Every child, linked or not, for the population checks (A3, A4) of the fit script."""
    import pyarrow.parquet as pq

    folder.mkdir(exist_ok=True)
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
    pq.write_table(table, folder / "population.parquet", **write_options(table.schema))
