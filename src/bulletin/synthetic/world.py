"""Synthetic: the world before the school census: the children, their traits and social
care, and the schools."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bulletin.core.geography import Geography
from bulletin.synthetic.census import CensusYear, census_years, expected_pupils
from bulletin.synthetic.params import Parameters, load_parameters
from bulletin.synthetic.population import Population, generate_population
from bulletin.synthetic.schools import (
    NURSERY,
    PHASES,
    PRIMARY,
    PRU,
    SECONDARY,
    SPECIAL,
    Pools,
    Schools,
    combine,
    generate_schools,
    pools,
    with_urns,
)
from bulletin.synthetic.socialcare import Care, simulate_care
from bulletin.synthetic.streams import stream
from bulletin.synthetic.traits import Traits, generate_traits


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
