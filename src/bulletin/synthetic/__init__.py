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
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bulletin.core.geography import Geography
from bulletin.synthetic import calendar as cal
from bulletin.synthetic.absence import PupilYear, absence_and_exclusions, person_effect
from bulletin.synthetic.census import (
    SEN_CODES,
    STATUS_CODES,
    CensusYear,
    census_years,
    expected_pupils,
)
from bulletin.synthetic.params import Parameters, load_parameters
from bulletin.synthetic.population import Population, generate_population
from bulletin.synthetic.schools import (
    NURSERY,
    PHASES,
    PRIMARY,
    PRU,
    SECONDARY,
    SPECIAL,
    TYPES,
    Pools,
    Schools,
    combine,
    generate_schools,
    pools,
    with_urns,
)
from bulletin.synthetic.socialcare import NO_DAY, Care, simulate_care
from bulletin.synthetic.streams import stream
from bulletin.synthetic.traits import (
    LANGUAGES,
    MAJOR_CODES,
    MAJOR_OF_MINOR,
    MINOR_CODES,
    Traits,
    generate_traits,
)
from bulletin.synthetic.writer import (
    TableWriter,
    codes,
    dates,
    write_empty,
    write_json,
    write_options,
    write_table,
)

GENERATOR_VERSION = "1"
GENERATOR_ONLY = "_generator"
EMPTY_UNTIL_LATER: tuple[str, ...] = ()


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class World:
    """Everything the generator decides before the school census: the children, their
    traits and social care, and the schools."""

    params: Parameters
    seed: int
    scale: float
    la_codes: tuple[str, ...]
    la_region_codes: tuple[str, ...]
    population: Population
    traits: Traits
    care: Care
    schools: Schools
    pools: dict[int, Pools]
    neighbourhood: npt.NDArray[np.int32]
    in_need_so_far: npt.NDArray[np.bool_]  # (reporting year, child): in need in it or before
    unlinkable: npt.NDArray[np.bool_]  # social care record that will not match a pupil record

    def census(self) -> Iterator[CensusYear]:
        return census_years(
            self.params,
            self.seed,
            population=self.population,
            traits=self.traits,
            schools=self.schools,
            pools=self.pools,
            neighbourhood=self.neighbourhood,
            in_need_so_far=self.in_need_so_far,
        )


def build_world(
    geography: Geography,
    *,
    seed: int,
    scale: float,
    params: Parameters | None = None,
    step: Callable[[str], None] = lambda _: None,
) -> World:
    params = load_parameters() if params is None else params
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

    # primary and nursery schools first: a primary school's catchment is a neighbourhood
    local = generate_schools(
        params, seed, expected_pupils(population, params, n_la), (NURSERY, PRIMARY)
    )
    neighbourhood = pools(local, PRIMARY, la_region).draw(
        stream(seed, "neighbourhood"), population.la
    )
    traits = generate_traits(
        params,
        seed,
        la=population.la,
        london=london,
        la_effect=la_effect,
        neighbourhood=neighbourhood,
        n_neighbourhoods=len(local),
        small_school=local.small,
    )
    care = simulate_care(params, seed, population, traits)
    step(f"social care: {len(care.episodes['episode_id']):,} referrals in the window")

    # then secondary schools, special schools and pupil referral units, from the pupils
    # expected once social care (which brings special needs to light) is known
    in_need_so_far = np.maximum.accumulate(care.any_point > 0, axis=0)
    expected = expected_pupils(population, params, n_la, traits.learning, in_need_so_far[-1])
    schools = with_urns(
        combine(local, generate_schools(params, seed, expected, (SECONDARY, SPECIAL, PRU))), seed
    )
    phase_pools = {phase: pools(schools, phase, la_region) for phase in range(len(PHASES))}
    unlinkable = stream(seed, "linking").random(len(population)) < float(
        params["care"]["link_failure"]
    )
    step(f"schools: {len(schools):,}")
    return World(
        params=params,
        seed=seed,
        scale=scale,
        la_codes=tuple(la.code for la in las),
        la_region_codes=tuple(la.region_code for la in las),
        population=population,
        traits=traits,
        care=care,
        schools=schools,
        pools=phase_pools,
        neighbourhood=neighbourhood,
        in_need_so_far=in_need_so_far,
        unlinkable=unlinkable,
    )


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
) -> Summary:
    """Generate the population for (seed, scale) into `out`, which must not exist yet.

    `absence=False` leaves the absence and exclusion tables empty, `outcomes=False` the
    attainment tables (the other components draw from their own random streams, so nothing
    else changes)."""
    summary = Summary()
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = now - clock
        clock = now
        log(f"synthetic: {name} ({summary.seconds[name]:.1f} s)")

    world = build_world(geography, seed=seed, scale=scale, params=params, step=step)
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
        absence_rows.write(_with_ids(rows[0], child_id))
        exclusion_rows.write(_with_ids(rows[1], child_id))

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

    # linking: a few children in need of school age are not matched to their pupil
    # record, and appear twice, once on each side, under different identifiers
    in_care = np.zeros(n, bool)
    in_care[care.episodes["child"]] = True
    in_care[care.looked_after["child"]] = True
    unmatched = in_care & in_census & world.unlinkable
    care_id = child_id.copy()
    care_id[unmatched] = n + 1 + stream(seed, "linking-ids").permutation(int(unmatched.sum()))
    matched = in_care & in_census & ~unmatched
    status = np.where(matched, 0, np.where(in_census, 2, 1)).astype(np.int8)
    both = np.flatnonzero(in_care | in_census)
    twins = np.flatnonzero(unmatched)
    rows = np.concatenate([both, twins])
    ids = np.concatenate([np.where(in_census[both], child_id[both], care_id[both]), care_id[twins]])
    match = np.concatenate([status[both], np.ones(len(twins), np.int8)])
    care_tables = ThreadPoolExecutor(max_workers=1)  # beside the children and schools
    care_rows = care_tables.submit(write_care, out, care, care_id, list(world.la_codes))
    summary.rows["children"] = write_table(
        out,
        "children",
        {
            "child_id": ids,
            "match_status": codes(match, ("matched", "care_only", "education_only")),
            "birth_year": population.birth_year[rows],
            "birth_month": population.birth_month[rows],
            "gender": codes(np.where(population.male[rows], 1, 0), ("F", "M")),
            "ethnicity_minor": codes(traits.ethnicity[rows], MINOR_CODES),
            "ethnicity_major": codes(MAJOR_OF_MINOR[traits.ethnicity[rows]], MAJOR_CODES),
        },
    )
    used = np.flatnonzero(used_school)
    summary.rows["schools"] = write_table(
        out,
        "schools",
        {
            "urn": schools.urn[used],
            "la_code": pa.array([world.la_codes[i] for i in schools.la[used]], pa.string()),
            "region_code": pa.array(
                [world.la_region_codes[i] for i in schools.la[used]], pa.string()
            ),
            "phase": codes(schools.phase[used], PHASES),
            "school_type": codes(schools.school_type[used], TYPES),
            "open_date": dates(schools.open_date[used]),
            "close_date": pa.nulls(len(used), pa.date32()),
        },
    )
    for name in EMPTY_UNTIL_LATER:
        summary.rows[name] = write_empty(out, name)
    summary.rows |= care_rows.result()
    care_tables.shutdown()
    step("children, social care and schools written")

    full_population.result()
    workers.shutdown()
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


def child_ids(seed: int, n: int) -> npt.NDArray[np.int64]:
    """The extract's child identifiers: a random permutation of 1..n."""
    return (stream(seed, "ids").permutation(n) + 1).astype(np.int64)


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


def _with_ids(rows: dict[str, Any], child_id: npt.NDArray[np.int64]) -> dict[str, Any]:
    """Rows keyed by population index, re-keyed by the extract's child identifier."""
    out = {k: v for k, v in rows.items() if k != "child"}
    return {"child_id": child_id[rows["child"]]} | out


def write_care(
    out: Path, care: Care, care_id: npt.NDArray[np.int64], la_codes: list[str]
) -> dict[str, int]:
    """The social care tables, in the documented format."""
    e, labels = care.episodes, care.labels
    la_labels = tuple(la_codes)
    rows = {
        "cin_episodes": write_table(
            out,
            "cin_episodes",
            {
                "episode_id": e["episode_id"],
                "child_id": care_id[e["child"]],
                "la_code": codes(e["la"].astype(np.int32), la_labels).cast(pa.string()),
                "referral_date": dates(e["referral_date"]),
                "referral_source": codes(e["referral_source"], labels["referral_source"]),
                "referral_nfa": e["referral_nfa"],
                "primary_need": codes(e["primary_need"], labels["need"]),
                "disabled": e["disabled"],
                "closure_date": dates(e["closure_date"], empty=NO_DAY),
                "closure_reason": codes(e["closure_reason"], labels["reason"]),
            },
        )
    }
    a = care.assessments
    rows["cin_assessments"] = write_table(
        out,
        "cin_assessments",
        {
            "assessment_id": a["assessment_id"],
            "episode_id": a["episode_id"],
            "start_date": dates(a["start_date"]),
            "authorised_date": dates(a["authorised_date"], empty=NO_DAY),
        },
    )
    f = care.factors
    rows["cin_assessment_factors"] = write_table(
        out,
        "cin_assessment_factors",
        {"assessment_id": f["assessment_id"], "factor": codes(f["factor"], labels["factor"])},
    )
    p = care.plans
    rows["child_protection_plans"] = write_table(
        out,
        "child_protection_plans",
        {
            "plan_id": p["plan_id"],
            "episode_id": p["episode_id"],
            "start_date": dates(p["start_date"]),
            "end_date": dates(p["end_date"], empty=NO_DAY),
            "initial_category": codes(p["initial_category"], labels["category"]),
        },
    )
    c = care.looked_after
    rows["cla_episodes"] = write_table(
        out,
        "cla_episodes",
        {
            "cla_id": c["cla_id"],
            "child_id": care_id[c["child"]],
            "la_code": codes(c["la"].astype(np.int32), la_labels).cast(pa.string()),
            "start_date": dates(c["start_date"]),
            "end_date": dates(c["end_date"], empty=NO_DAY),
            "legal_status": codes(c["legal_status"], labels["legal"]),
            "placement": codes(c["placement"], labels["placement"]),
        },
    )
    return rows


class OutcomeWriter:
    """Attainment at each stage and outcomes after 16, written as each census is made."""

    def __init__(self, out: Path, world: World, child_id: npt.NDArray[np.int64]) -> None:
        from bulletin.synthetic import outcomes

        self.world, self.child_id = world, child_id
        self.state = outcomes.start(
            world.params, world.seed, world.traits.deprivation, world.traits.learning
        )
        self.writers = {name: TableWriter(out, name) for name in ("eyfsp", "ks2", "ks4", "post16")}
        self.major = MAJOR_OF_MINOR[world.traits.ethnicity]
        self.out = out
        self.linear: dict[str, Any] = {}

    def write_year(
        self, world: World, y: int, year: CensusYear, main: npt.NDArray[np.bool_]
    ) -> None:
        from bulletin.synthetic import outcomes as o

        params, seed, care = world.params, world.seed, world.care
        child = year.child[main]
        earlier = np.zeros(len(child), bool)
        if y > 1:
            earlier = np.asarray(care.any_point[1:y][:, child].any(axis=0), bool)
        pupils = o.Pupils(
            year.academic_year,
            child,
            year.ncyear[main],
            year.school[main],
            year.sen[main],
            year.fsm[main],
            year.language[main],
            care.any_point[y][child],
            earlier,
        )
        o.track_moves(self.state, pupils)
        ids = self.child_id
        rows = o.eyfsp(params, seed, self.state, pupils)
        self.writers["eyfsp"].write(_with_ids(rows, ids))
        groups = [6] if y > 0 else [6, 7, 8, 9, 10]  # before the window: first seen later
        for group in groups:
            rows = o.ks2(params, seed, self.state, pupils, year_group=group)
            self.writers["ks2"].write(
                _with_ids(
                    {
                        "child": rows["child"],
                        "academic_year": rows["academic_year"],
                        "reading_level": codes(rows["reading_level"], o.KS2_LEVELS),
                        "maths_level": codes(rows["maths_level"], o.KS2_LEVELS),
                        "reading_fine_points": pa.array(
                            rows["reading_fine_points"], mask=np.isnan(rows["reading_fine_points"])
                        ),
                        "maths_fine_points": pa.array(
                            rows["maths_fine_points"], mask=np.isnan(rows["maths_fine_points"])
                        ),
                        "reading_scaled": pa.array(
                            rows["reading_scaled"], mask=rows["reading_scaled"] < 0
                        ),
                        "maths_scaled": pa.array(
                            rows["maths_scaled"], mask=rows["maths_scaled"] < 0
                        ),
                        "writing_ta": codes(rows["writing_ta"], o.WRITING_TA),
                        "rwm_expected": rows["rwm_expected"],
                    },
                    ids,
                )
            )
        population = world.population
        rows = o.ks4(
            params,
            seed,
            self.state,
            pupils,
            population.birth_month,
            population.male,
            self.major,
            world.schools.la,
        )
        if year.academic_year == 201718:  # the model's own probabilities, for the fit script
            self.linear = {
                "child_id": ids[rows["child"]],
                "base": rows["base"],
                "group": rows["group"],
                "has_prior": rows["has_prior"],
            }
        self.writers["ks4"].write(
            _with_ids(
                {
                    "child": rows["child"],
                    "academic_year": rows["academic_year"],
                    "urn": world.schools.urn[rows["school"]],
                    "attainment8": rows["attainment8"],
                    "progress8": pa.array(rows["progress8"], mask=np.isnan(rows["progress8"])),
                    "em_grade4": rows["em_grade4"],
                    "em_grade5": rows["em_grade5"],
                },
                ids,
            )
        )
        after = o.post16(params, seed, rows)
        self.writers["post16"].write(
            _with_ids(
                {
                    k: (pa.array(v[0], mask=v[1]) if isinstance(v, tuple) else v)
                    for k, v in after.items()
                    if k != "activity_18"
                }
                | {"activity_18": codes(after["activity_18"], o.ACTIVITIES)},
                ids,
            )
        )

    def close(self) -> dict[str, int]:
        import pyarrow.parquet as pq

        if self.linear:  # generator-only: never part of the extract
            folder = self.out / GENERATOR_ONLY
            folder.mkdir(exist_ok=True)
            pq.write_table(pa.table(self.linear), folder / "ks4_2018_model.parquet")
        return {name: writer.close() for name, writer in self.writers.items()}
