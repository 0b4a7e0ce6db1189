"""Synthetic: what each child brings with them: ethnicity, first language, and two latent
traits, deprivation (area, neighbourhood and family) and learning need, that drive free
school meals, special educational needs and, later, social care and attainment."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bulletin.core.schema import ETHNICITY_MINOR
from bulletin.synthetic.params import Parameters
from bulletin.synthetic.streams import stream

MINOR_CODES = tuple(ETHNICITY_MINOR)
MAJOR_CODES = ("WHIT", "MIXD", "ASIA", "BLAC", "OTHR", "UNCL")
MAJOR_OF_MINOR = np.array([MAJOR_CODES.index(ETHNICITY_MINOR[c]) for c in MINOR_CODES], np.int8)
LANGUAGES = ("ENG", "OTH", "UNK")

Floats = npt.NDArray[np.float32]


@dataclass
class Traits:
    ethnicity: npt.NDArray[np.int8]  # index into MINOR_CODES
    language: npt.NDArray[np.int8]  # index into LANGUAGES
    deprivation: Floats  # latent, mean about 0, variance about 1
    learning: Floats  # latent learning need, N(0, 1)
    independent: npt.NDArray[np.bool_]  # educated outside state-funded schools throughout
    u_school: Floats  # uniform: against participation by year group (persistent)
    u_special: Floats  # uniform: against the chance of a special school (persistent)


def generate_traits(
    params: Parameters,
    seed: int,
    *,
    la: npt.NDArray[np.int16],
    london: npt.NDArray[np.bool_],
    la_effect: npt.NDArray[np.float64],
    neighbourhood: npt.NDArray[np.int32],
    n_neighbourhoods: int,
    small_school: npt.NDArray[np.bool_] | None = None,
) -> Traits:
    p, c = params["characteristics"], params["census"]
    rng = stream(seed, "traits")
    n = len(la)
    ethnicity = np.empty(n, np.int8)
    in_london = london[la]
    for flag, name in ((False, "outside_london"), (True, "london")):
        shares = p["ethnicity_minor_share"][name]
        probs = np.array([shares[code] for code in MINOR_CODES], np.float64)
        where = np.flatnonzero(in_london == flag)
        ethnicity[where] = rng.choice(len(MINOR_CODES), size=len(where), p=probs / probs.sum())
    major = MAJOR_OF_MINOR[ethnicity]
    other = np.array([p["first_language_other"][m] for m in MAJOR_CODES])[major]
    u = rng.random(n)
    unknown = float(p["first_language_unknown"])
    language = np.where(u < unknown, 2, np.where(u < unknown + other, 1, 0)).astype(np.int8)

    nb_effect = rng.normal(0.0, float(p["deprivation_neighbourhood_sd"]), n_neighbourhoods)
    if small_school is not None:  # small rural schools serve less deprived areas
        nb_effect[small_school] += float(p["small_school_deprivation"])
    family = rng.normal(0.0, float(p["deprivation_individual_sd"]), n)
    deprivation = la_effect[la] + nb_effect[neighbourhood] + family
    rho = float(p["learning_need_deprivation_correlation"])
    standard = (deprivation - deprivation.mean()) / deprivation.std()
    learning = rho * standard + np.sqrt(1 - rho**2) * rng.standard_normal(n)

    return Traits(
        ethnicity=ethnicity,
        language=language,
        deprivation=deprivation.astype(np.float32),
        learning=learning.astype(np.float32),
        independent=rng.random(n) < float(c["independent_share"]),
        u_school=rng.random(n, dtype=np.float32),
        u_special=rng.random(n, dtype=np.float32),
    )
