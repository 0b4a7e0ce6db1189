"""Synthetic: attainment at each stage and outcomes after 16, written year by year as each
census is made, and the key stage 4 model's own probabilities (generator-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bulletin.synthetic.census import CensusYear
from bulletin.synthetic.traits import MAJOR_OF_MINOR
from bulletin.synthetic.world import World
from bulletin.synthetic.writer import GENERATOR_ONLY, TableWriter, codes, with_ids


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
        self.writers["eyfsp"].write(with_ids(rows, ids))
        groups = [6] if y > 0 else [6, 7, 8, 9, 10]  # before the window: first seen later
        for group in groups:
            rows = o.ks2(params, seed, self.state, pupils, year_group=group)
            self.writers["ks2"].write(
                with_ids(
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
            with_ids(
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
            with_ids(
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
