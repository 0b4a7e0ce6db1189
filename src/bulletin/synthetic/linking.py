"""Synthetic: the extract's identifiers, and the linking of social care records to pupil
records (the children table): a few children in need of school age are not matched to
their pupil record, and appear twice, once on each side, under different identifiers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bulletin.synthetic.streams import stream
from bulletin.synthetic.traits import MAJOR_CODES, MAJOR_OF_MINOR, MINOR_CODES
from bulletin.synthetic.world import World
from bulletin.synthetic.writer import codes


def child_ids(seed: int, n: int) -> npt.NDArray[np.int64]:
    """The extract's child identifiers: a random permutation of 1..n."""
    return (stream(seed, "ids").permutation(n) + 1).astype(np.int64)


@dataclass(frozen=True)
class Linked:
    care_id: npt.NDArray[np.int64]  # each child's identifier on the social care side
    children: dict[str, Any]  # the columns of the children table


def link(world: World, child_id: npt.NDArray[np.int64], in_census: npt.NDArray[np.bool_]) -> Linked:
    """The identifiers of social care records, and the children table: one row per child
    in social care or in the census, plus a second row for each unmatched child."""
    population, care, n = world.population, world.care, len(world.population)
    in_care = np.zeros(n, bool)
    in_care[care.episodes["child"]] = True
    in_care[care.looked_after["child"]] = True
    unmatched = in_care & in_census & world.unlinkable
    care_id = child_id.copy()
    care_id[unmatched] = n + 1 + stream(world.seed, "linking-ids").permutation(int(unmatched.sum()))
    matched = in_care & in_census & ~unmatched
    status = np.where(matched, 0, np.where(in_census, 2, 1)).astype(np.int8)
    both = np.flatnonzero(in_care | in_census)
    twins = np.flatnonzero(unmatched)
    rows = np.concatenate([both, twins])
    ids = np.concatenate([np.where(in_census[both], child_id[both], care_id[both]), care_id[twins]])
    match = np.concatenate([status[both], np.ones(len(twins), np.int8)])
    ethnicity = world.traits.ethnicity[rows]
    return Linked(
        care_id,
        {
            "child_id": ids,
            "match_status": codes(match, ("matched", "care_only", "education_only")),
            "birth_year": population.birth_year[rows],
            "birth_month": population.birth_month[rows],
            "gender": codes(np.where(population.male[rows], 1, 0), ("F", "M")),
            "ethnicity_minor": codes(ethnicity, MINOR_CODES),
            "ethnicity_major": codes(MAJOR_OF_MINOR[ethnicity], MAJOR_CODES),
        },
    )
