"""Pipeline: the one readable script that runs the stages of a build, in order.

Each stage is cached (`bulletin.core.cache`): it runs only when its inputs, settings or
code changed. Heavy libraries are imported inside the stages that need them, so that a
no-change rebuild stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bulletin.core.cache import Pipeline, Stage, StageResult, StageRun
from bulletin.core.settings import Settings


@dataclass(frozen=True)
class BuildOptions:
    publication: str | None = None
    public_data: Path | None = None
    linked_data: Path | None = None
    out: Path | None = None
    scale: float | None = None  # of the synthetic population (default: the settings')


def population_stage(
    public_data: Path, seed: int, scale: float, log: Callable[[str], None]
) -> Stage:
    """The default linked data: the synthetic national population for the settings' seed
    and scale, generated once per (seed, scale, generator code and parameters)."""

    def run(ctx: StageRun) -> None:
        from bulletin.data.geography import load_geography
        from bulletin.synthetic import generate

        log(f"population: generating the synthetic population (seed {seed}, scale {scale})")
        generate(load_geography(public_data), ctx.out / "extract", seed=seed, scale=scale, log=log)

    return Stage(
        name="population",
        run=run,
        outputs=(
            "extract/dataset.json",
            "extract/children.parquet",
            "extract/school_census.parquet",
        ),
        inputs={"public_data": public_data},
        settings={"seed": seed, "scale": scale},
        code=("bulletin.synthetic", "bulletin.core.schema", "bulletin.data.geography"),
    )


def public_data_stage(public_data: Path) -> Stage:
    """Read and check the real public files; write the national series the publications use."""

    def run(ctx: StageRun) -> None:
        from bulletin.data.public import national_series

        series = [
            {k: str(v) for k, v in asdict(year).items()} for year in national_series(public_data)
        ]
        text = json.dumps({"national_series": series}, indent=1, sort_keys=True) + "\n"
        (ctx.out / "public.json").write_text(text, encoding="utf-8")

    return Stage(
        name="public-data",
        run=run,
        outputs=("public.json",),
        inputs={"public_data": public_data},
        code=("bulletin.data", "bulletin.core"),
    )


def linked_data_stage(
    linked_data: Path, public_data: Path, threads: int, log: Callable[[str], None]
) -> Stage:
    """Validate the linked extract (`bulletin.data.linked`); any blocking problem stops the
    build before anything is written. Writes what later stages need to know of it: its
    dataset.json and rows per table, never a record."""

    def run(ctx: StageRun) -> None:
        from bulletin.core.problems import InputError
        from bulletin.data.linked import validate

        report = validate(linked_data, public_data, threads)
        if report.blocking:
            raise InputError(report.blocking)
        if report.warnings:
            log(
                f"linked-data: {len(report.warnings)} warnings; "
                f"`bulletin validate --linked-data {linked_data}` lists them"
            )
        summary = {
            "dataset": report.dataset,
            "rows": dict(sorted(report.rows.items())),
            "warnings": len(report.warnings),
        }
        text = json.dumps(summary, indent=1, sort_keys=True) + "\n"
        (ctx.out / "linked-data.json").write_text(text, encoding="utf-8")

    return Stage(
        name="linked-data",
        run=run,
        outputs=("linked-data.json",),
        inputs={"linked_data": linked_data, "public_data": public_data},
        settings={"threads": threads},
        code=("bulletin.data", "bulletin.core"),
    )


def stages(
    settings: Settings, options: BuildOptions, log: Callable[[str], None] = lambda _: None
) -> list[Stage]:
    """The stages of a build, in the order they run. A linked extract is validated first,
    so that a bad one stops the build before anything else is written."""
    public_data = options.public_data or settings.paths.public_data
    linked_data = options.linked_data or settings.linked_data
    found: list[Stage] = []
    if linked_data is not None:
        found.append(linked_data_stage(linked_data, public_data, settings.threads, log))
    found.append(public_data_stage(public_data))
    if linked_data is None:
        scale = settings.scale if options.scale is None else options.scale
        found.append(population_stage(public_data, settings.seed, scale, log))
    return found


def build(
    settings: Settings, options: BuildOptions, log: Callable[[str], None]
) -> dict[str, StageResult]:
    """Run every stage of a build; stages whose inputs have not changed are skipped."""
    if options.publication is not None:
        settings.publication(options.publication)  # fails early on an unknown id
    pipeline = Pipeline(settings.paths.cache / "bulletin", log=log)
    return pipeline.run(stages(settings, options, log))
