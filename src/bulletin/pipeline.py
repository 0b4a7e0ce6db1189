"""Pipeline: the one readable script that runs the stages of a build, in order.

    linked data (validated, or the synthetic population) -> findings
    public data -> figures -> report/<pub>.qmd -> pages (screen, print) -> PDF -> site -> QA
    -> publish (_site/, report/, figures/)

Each stage is cached (`bulletin.core.cache`): it runs only when its inputs, settings or
code changed. Heavy libraries are imported inside the stages that need them, so that a
no-change rebuild stays fast. Nothing is published until every QA check has passed.

Safety (DESIGN.md decision 15): `--out` is checked by `bulletin.core.outputs` before
anything is written, and again before the swap; every temporary file lives under the
cache (`bulletin.core.atomic.private_temp`). A build on real data (dataset.json says
`synthetic: false`) marks every page "not yet cleared for publication" unless built with
`--cleared`, and writes the output-checking pack beside the site (`publish`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bulletin.core.atomic import clean_leftovers, private_temp, replace_folder
from bulletin.core.cache import MANIFEST, Pipeline, Stage, StageResult, StageRun
from bulletin.core.outputs import check_folder, protected_folders, write_folder
from bulletin.core.settings import Publication, Settings, SettingsError, clearance

FINDINGS_CODE = ("bulletin.core", "bulletin.data", "bulletin.findings")
LINKED_FINDINGS_CODE = (*FINDINGS_CODE, "bulletin.disclosure")
FINDINGS_FILE = "findings.json"
POPULATION_EXTRACT = "extract"  # the folder the population stage generates into
RENDER_CODE = ("bulletin.core", "bulletin.tables", "bulletin.render")
PROJECT_FILE = "_quarto.yml"
LOCK_FILE = "requirements.lock"  # the versions of every library that draws or renders
SITE_MANIFEST = "manifest.json"
SOURCES_FILE = "sources.json"  # beside the CSV files a stage writes: each one's source
PACK_SUFFIX = "-output-checking"  # the pack's folder: the site's name and this, beside it
#: Thread pools read these when their library is first imported (inside the stages).
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",  # OpenMP, and Arrow's CPU pool
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


@dataclass(frozen=True)
class BuildOptions:
    publication: str | None = None
    public_data: Path | None = None
    linked_data: Path | None = None
    out: Path | None = None
    scale: float | None = None  # of the synthetic population (default: the settings')
    engine: str | None = None  # the findings' compute engine (default: the settings')
    cleared: bool = False  # real data's outputs cleared: no mark (settings' [clearance])


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


# -- what each publication prints ---------------------------------------------------------


def data_and_analysis(settings: Settings, pub: Publication, public_data: Path) -> dict[str, Any]:
    """The findings context of the data and analysis publication."""
    from bulletin.charts.children_in_need import cin_by_year as fig_cin_by_year
    from bulletin.data.public import areas, national_series
    from bulletin.findings.national import compute
    from bulletin.tables.children_in_need import cin_by_region, cin_by_year

    first, last = pub.years()
    cin = compute(national_series(public_data), areas(public_data, last), first, last)
    figures = [fig_cin_by_year(cin)]
    tables = [cin_by_year(cin), cin_by_region(cin)]
    return {
        "cin": cin,
        "figures": {f.id: f for f in figures},
        "tables": {t.id: t for t in tables},
        "rounding_base": settings.disclosure.rounding_base,
    }


CONTEXTS: dict[str, Callable[[Settings, Publication, Path], dict[str, Any]]] = {
    "data-and-analysis": data_and_analysis,
}


def publications(settings: Settings, options: BuildOptions) -> list[Publication]:
    """The publications a build makes: the one asked for, or every one with a template."""
    from bulletin.render.publication import has_template

    templates = settings.paths.templates
    if options.publication is not None:
        pub = settings.publication(options.publication)
        if not has_template(templates, pub.id) or pub.id not in CONTEXTS:
            raise SettingsError(f"{pub.id}: this publication has no templates yet")
        return [pub]
    return [p for p in settings.publications if has_template(templates, p.id) and p.id in CONTEXTS]


# -- the stages -------------------------------------------------------------------------


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


def findings_stage(
    settings: Settings, linked_data: Path | None, public_data: Path, engine: str
) -> Stage:
    """The findings on the linked extract (by default the population stage's), written as
    the findings context, findings.json, with the extract's dataset.json passed through."""

    def run(ctx: StageRun) -> None:
        folder = linked_data or ctx.upstream["population"] / POPULATION_EXTRACT
        for name, text in findings_files(settings, folder, public_data, engine).items():
            _write(ctx.out / name, text)

    first, last = settings.publication("data-and-analysis").years()
    return Stage(
        name="findings",
        run=run,
        outputs=(FINDINGS_FILE,),
        inputs={"public_data": public_data} | ({"linked_data": linked_data} if linked_data else {}),
        settings={
            "engine": engine,
            "threads": settings.threads,
            "disclosure": asdict(settings.disclosure),
            "years": [first, last],
        },
        code=LINKED_FINDINGS_CODE,
        after=("linked-data",) if linked_data else ("population",),
    )


def findings_json(settings: Settings, folder: Path, public_data: Path, engine: str) -> str:
    """The findings context of the extract in `folder` (`bulletin.findings.context`)."""
    return findings_files(settings, folder, public_data, engine)[FINDINGS_FILE]


def findings_files(
    settings: Settings, folder: Path, public_data: Path, engine: str
) -> dict[str, str]:
    """findings.json, and for real data the output-checking pack (its JSON and its cells as
    CSV, `bulletin.findings.checking`), by file name."""
    from bulletin.data.facts import load_facts, whole_number
    from bulletin.data.linked import load
    from bulletin.findings.checking import CELLS_FILE, PACK_FILE, cells_csv, pack, pack_json
    from bulletin.findings.context import compute, to_json
    from bulletin.findings.linked import Params, connect
    from bulletin.findings.publish import recording

    first, last = settings.publication("data-and-analysis").years()
    children = whole_number(load_facts(public_data), "children_in_window")
    params = Params(settings.disclosure, children, first, last)
    with load(folder, settings.threads) as data, recording() as notes:
        found = compute(connect(data, engine), params)
        files = {FINDINGS_FILE: to_json(found, data.dataset, settings.disclosure)}
        if data.dataset.get("synthetic") is not True:
            content = pack(found, notes, data.dataset, settings.disclosure)
            files |= {PACK_FILE: pack_json(content), CELLS_FILE: cells_csv(content)}
        return files


def figures_stage(settings: Settings, pubs: Sequence[Publication], public_data: Path) -> Stage:
    """Draw every figure of the publications: SVG, its data as CSV, its alt text."""

    def run(ctx: StageRun) -> None:
        from bulletin.charts import to_csv
        from bulletin.charts.draw import svg

        charts: dict[str, Any] = {}
        for pub in pubs:
            charts.update(CONTEXTS[pub.id](settings, pub, public_data)["figures"])
        for fig_id, chart in sorted(charts.items()):
            _write(ctx.out / f"{fig_id}.svg", svg(chart))
            _write(ctx.out / f"{fig_id}.csv", to_csv(chart))
            _write(ctx.out / f"{fig_id}.txt", chart.alt + "\n")
        _write(ctx.out / "index.json", json.dumps(sorted(charts), indent=1) + "\n")
        sources = {f"{i}.csv": c.series[0].values[0].source for i, c in charts.items()}
        _write(ctx.out / SOURCES_FILE, json.dumps(sources, indent=1, sort_keys=True) + "\n")

    return Stage(
        name="figures",
        run=run,
        outputs=("index.json",),
        inputs={"public_data": public_data, "lock": settings.root / LOCK_FILE},
        settings=_publication_settings(settings, pubs),
        code=(*FINDINGS_CODE, "bulletin.charts"),
    )


def report_stage(settings: Settings, pub: Publication, public_data: Path) -> Stage:
    """Render the publication's template with its findings into report/<id>.qmd, and write
    the open-data CSV of every table."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.publication import render_qmd
        from bulletin.tables import to_csv

        context = CONTEXTS[pub.id](settings, pub, public_data)
        _write(ctx.out / f"{pub.id}.qmd", render_qmd(settings.paths.templates, pub, context))
        for table_id, table in sorted(context["tables"].items()):
            _write(ctx.out / "data" / f"{table_id}.csv", to_csv(table))
        sources = {f"{i}.csv": t.source for i, t in context["tables"].items()}
        _write(ctx.out / SOURCES_FILE, json.dumps(sources, indent=1, sort_keys=True) + "\n")

    return Stage(
        name=f"report-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.qmd",),
        inputs={"public_data": public_data, "templates": settings.paths.templates},
        settings=_publication_settings(settings, [pub]),
        code=(*FINDINGS_CODE, "bulletin.tables", "bulletin.charts", "bulletin.render"),
    )


def pages_stage(settings: Settings, pub: Publication, uncleared: bool = False) -> Stage:
    """The .qmd as HTML: the screen page and the print page (marked "not yet cleared for
    publication" when `uncleared`)."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.project import read_project
        from bulletin.render.publication import render_pages

        qmd = (ctx.upstream[f"report-{pub.id}"] / f"{pub.id}.qmd").read_text(encoding="utf-8")
        project = read_project(settings.root)
        pages = render_pages(settings.paths.templates, qmd, pub, project, uncleared=uncleared)
        _write(ctx.out / f"{pub.id}.html", pages.screen)
        _write(ctx.out / f"{pub.id}.print.html", pages.print)

    return Stage(
        name=f"pages-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.html", f"{pub.id}.print.html"),
        inputs={
            "templates": settings.paths.templates,
            "project": settings.root / PROJECT_FILE,
        },
        settings=_publication_settings(settings, [pub]) | {"uncleared": uncleared},
        code=RENDER_CODE,
        after=(f"report-{pub.id}",),
    )


def pdf_stage(settings: Settings, pub: Publication) -> Stage:
    """The print page as a tagged PDF/UA-1, and what WeasyPrint logged while making it."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.pdf import write_pdf

        html = (ctx.upstream[f"pages-{pub.id}"] / f"{pub.id}.print.html").read_text("utf-8")
        folders = {
            "figures/": ctx.upstream["figures"],
            "assets/": settings.paths.templates / "css",
        }
        result = write_pdf(html, f"report/{pub.id}.html", folders)
        (ctx.out / f"{pub.id}.pdf").write_bytes(result.pdf)
        log = {"pages": result.pages, "warnings": list(result.warnings)}
        _write(ctx.out / "weasyprint.json", json.dumps(log, indent=1) + "\n")

    return Stage(
        name=f"pdf-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.pdf", "weasyprint.json"),
        inputs={"templates": settings.paths.templates, "lock": settings.root / LOCK_FILE},
        code=RENDER_CODE,
        after=(f"pages-{pub.id}", "figures"),
    )


def site_stage(settings: Settings, pubs: Sequence[Publication], uncleared: bool = False) -> Stage:
    """Lay the site out: front page, stylesheet, pages and PDFs, figures, data files."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.project import read_project
        from bulletin.render.publication import render_index

        project = read_project(settings.root)
        index = render_index(settings.paths.templates, pubs, project, uncleared=uncleared)
        _write(ctx.out / "index.html", index)
        _copy(settings.paths.templates / "css" / "screen.css", ctx.out / "assets" / "screen.css")
        for pub in pubs:
            pages, pdf = ctx.upstream[f"pages-{pub.id}"], ctx.upstream[f"pdf-{pub.id}"]
            _copy(pages / f"{pub.id}.html", ctx.out / "report" / f"{pub.id}.html")
            _copy(pdf / f"{pub.id}.pdf", ctx.out / "report" / f"{pub.id}.pdf")
            for csv in sorted((ctx.upstream[f"report-{pub.id}"] / "data").glob("*.csv")):
                _copy(csv, ctx.out / "data" / pub.id / csv.name)
        for figure in _figure_files(ctx.upstream["figures"]):
            _copy(figure, ctx.out / "figures" / figure.name)

    after = ["figures"]
    for pub in pubs:
        after += [f"report-{pub.id}", f"pages-{pub.id}", f"pdf-{pub.id}"]
    return Stage(
        name="site",
        run=run,
        outputs=("index.html",),
        inputs={
            "templates": settings.paths.templates,
            "project": settings.root / PROJECT_FILE,
        },
        settings=_publication_settings(settings, pubs) | {"uncleared": uncleared},
        code=RENDER_CODE,
        after=tuple(after),
    )


def qa_stage(settings: Settings, pubs: Sequence[Publication]) -> Stage:
    """Every QA check on the site; the stage fails, listing every failure, if any fails."""

    def run(ctx: StageRun) -> None:
        from bulletin.qa import QAError, check_site, summary

        warnings = {
            f"report/{pub.id}.pdf": _read_json(ctx.upstream[f"pdf-{pub.id}"] / "weasyprint.json")[
                "warnings"
            ]
            for pub in pubs
        }
        from bulletin.qa.disclosure import findings_values

        exempt = public_csv_files(ctx.upstream, pubs)
        found = (ctx.upstream["findings"] / FINDINGS_FILE).read_text(encoding="utf-8")
        report = check_site(
            ctx.upstream["site"],
            settings.paths.templates,
            warnings,
            disclosure=settings.disclosure,
            exempt=exempt,
            values=findings_values(found, FINDINGS_FILE),
        )
        if report.failed:
            raise QAError(report.results)
        record = {
            "summary": summary(report.results),
            "tools": {**report.tools, **library_versions()},
            "results": [r.as_dict() for r in report.results],
            "exempt": exempt,
        }
        _write(ctx.out / "qa.json", json.dumps(record, indent=1, sort_keys=True) + "\n")

    return Stage(
        name="qa",
        run=run,
        outputs=("qa.json",),
        inputs={"templates": settings.paths.templates, "lock": settings.root / LOCK_FILE},
        code=("bulletin.core", "bulletin.qa", "bulletin.data.public"),
        after=(
            "site",
            "findings",
            "figures",
            *(f"pdf-{pub.id}" for pub in pubs),
            *(f"report-{pub.id}" for pub in pubs),
        ),
    )


def public_csv_files(upstream: Mapping[str, Path], pubs: Sequence[Publication]) -> dict[str, str]:
    """The site's CSV files whose values come from a public release, which the disclosure
    check exempts (already published): site path -> the release."""
    from bulletin.data.public import RELEASES

    folders = {"figures/": upstream["figures"]}
    folders |= {f"data/{pub.id}/": upstream[f"report-{pub.id}"] for pub in pubs}
    exempt = {}
    for prefix, folder in folders.items():
        for name, source in sorted(_read_json(folder / SOURCES_FILE).items()):
            if source in RELEASES.values():
                exempt[prefix + name] = source
    return exempt


def data_stages(
    settings: Settings, options: BuildOptions, log: Callable[[str], None] = lambda _: None
) -> list[Stage]:
    """The stages up to the findings. A linked extract is validated first, so that a bad
    one stops the build before anything else is written; without one, the default data is
    the synthetic population for the settings' seed and scale."""
    public_data = options.public_data or settings.paths.public_data
    linked_data = options.linked_data or settings.linked_data
    built: list[Stage] = []
    if linked_data is not None:
        built.append(linked_data_stage(linked_data, public_data, settings.threads, log))
    built.append(public_data_stage(public_data))
    if linked_data is None:
        scale = settings.scale if options.scale is None else options.scale
        built.append(population_stage(public_data, settings.seed, scale, log))
    engine = options.engine or settings.engine
    return [*built, findings_stage(settings, linked_data, public_data, engine)]


def stages(
    settings: Settings, options: BuildOptions, log: Callable[[str], None] = lambda _: None
) -> list[Stage]:
    """The stages of a build, in the order they run: the data and findings first."""
    built = data_stages(settings, options, log)
    public_data = options.public_data or settings.paths.public_data
    pubs = publications(settings, options)
    if not pubs:
        return built
    uncleared = real_data(options.linked_data or settings.linked_data) and not options.cleared
    built.append(figures_stage(settings, pubs, public_data))
    for pub in pubs:
        built += [
            report_stage(settings, pub, public_data),
            pages_stage(settings, pub, uncleared),
            pdf_stage(settings, pub),
        ]
    return [*built, site_stage(settings, pubs, uncleared), qa_stage(settings, pubs)]


def real_data(linked_data: Path | None) -> bool:
    """Whether a build reads real data: a linked extract whose dataset.json does not say
    `synthetic: true` (the default population is synthetic)."""
    if linked_data is None:
        return False
    try:
        dataset = json.loads((linked_data / "dataset.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True  # the linked-data stage reports it; until then, treat it as real
    return not (isinstance(dataset, dict) and dataset.get("synthetic") is True)


def findings(settings: Settings, options: BuildOptions, log: Callable[[str], None]) -> str:
    """The findings context (`bulletin findings`): the data stages, cached like a build's,
    with the thread counts of a build (BLAS, for the regression)."""
    fix_environment(settings)
    pipeline = Pipeline(settings.paths.cache / "bulletin", log=log)
    with pipeline.locked(), private_temp(pipeline.cache):
        results = pipeline.run(data_stages(settings, options, log))
    return (results["findings"].out / FINDINGS_FILE).read_text(encoding="utf-8")


def build(
    settings: Settings, options: BuildOptions, log: Callable[[str], None]
) -> dict[str, StageResult]:
    """Run every stage of a build; stages whose inputs have not changed are skipped. The
    public data is checked first (every problem at once): bad data stops the build before
    anything is written. The outputs are published only when every stage, QA included,
    has passed, each folder swapped in whole (see `publish`)."""
    from bulletin.data.public_files import public_inputs, validate_public

    if options.publication is not None:
        settings.publication(options.publication)  # fails early on an unknown id
    if options.cleared:
        clearance(settings)  # fails early without the user's statement
    out, _, _ = output_folders(settings, options)
    check_folder(out, "build", root=settings.root, protected=output_protected(settings, options))
    pubs = publications(settings, options)
    for pub in settings.publications:
        if options.publication is None and pub not in pubs:
            log(f"{pub.id}: no templates yet, not built")
    public_data = options.public_data or settings.paths.public_data
    pipeline = Pipeline(settings.paths.cache / "bulletin", log=log)
    # one build at a time, from the first check to the last swap; its temporary files in
    # the cache, created once the lock's clean-up has run
    with pipeline.locked(), private_temp(pipeline.cache):
        pipeline.check(
            "public-data-check",
            public_inputs(public_data),
            ("bulletin.data", "bulletin.core"),
            lambda: validate_public(public_data),
        )
        fix_environment(settings)
        for folder in output_folders(settings, options):
            clean_leftovers(folder.parent, folder.name)
        results = pipeline.run(stages(settings, options, log))
        if "qa" in results:
            publish(settings, options, results, pubs, log)
    return results


def fix_environment(settings: Settings) -> None:
    """Thread counts and the only time an output may carry, set explicitly (DESIGN.md
    decision 9): BLAS, OpenMP and Arrow size their pools from these variables when first
    imported (inside the stages); DuckDB connections take `settings.threads` directly;
    pandoc and matplotlib read SOURCE_DATE_EPOCH."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(settings.threads)
    os.environ["SOURCE_DATE_EPOCH"] = str(settings.source_date_epoch)


def output_folders(settings: Settings, options: BuildOptions) -> tuple[Path, Path, Path]:
    """The folders a build publishes: the site, report/ and figures/."""
    return (options.out or settings.paths.site, settings.paths.report, settings.paths.figures)


def output_protected(settings: Settings, options: BuildOptions) -> dict[str, Path]:
    """The folders no output of this build may be, hold or sit in (`bulletin.core.outputs`)."""
    return protected_folders(
        settings, given_public_data=options.public_data, given_linked_data=options.linked_data
    )


# -- publishing -------------------------------------------------------------------------


def publish(
    settings: Settings,
    options: BuildOptions,
    results: Mapping[str, StageResult],
    pubs: Sequence[Publication],
    log: Callable[[str], None],
) -> None:
    """Publish _site/, report/*.qmd and figures/. Each folder that changed is built whole
    beside the old one and swapped in by one atomic exchange (`bulletin.core.atomic`), so
    that a kill at any instant leaves each folder the previous version or the new one."""
    site, report, figures = output_folders(settings, options)
    protected = output_protected(settings, options)
    manifest = site_manifest(results, pubs, settings, options)
    check_folder(site, "build", root=settings.root, protected=protected)
    publish_pack(settings, results, site, protected, log)
    current = site / SITE_MANIFEST
    if current.is_file() and current.read_text(encoding="utf-8") == manifest:
        log(f"publish: {site} is up to date")
    else:

        def fill(new: Path) -> None:
            ignore = shutil.ignore_patterns(MANIFEST)
            shutil.copytree(results["site"].out, new, ignore=ignore, dirs_exist_ok=True)
            _write(new / SITE_MANIFEST, manifest)

        replace_folder(site, fill, "publish:site")
        log(f"publish: wrote {site}")
    qmds = [results[f"report-{pub.id}"].out / f"{pub.id}.qmd" for pub in pubs]
    made = _figure_files(results["figures"].out)
    old: set[str] = set()
    if options.publication is None:  # a full build knows every figure: it drops the old ones
        names = {f.name for f in made}
        old = {p.name for p in figures.glob("fig-*") if p.name not in names}
    changed = _publish_files(report, qmds, set(), "publish:report")
    changed |= _publish_files(figures, made, old, "publish:figures")
    log(f"publish: report/ and figures/ {'updated' if changed else 'up to date'}")


def publish_pack(
    settings: Settings,
    results: Mapping[str, StageResult],
    site: Path,
    protected: Mapping[str, Path],
    log: Callable[[str], None],
) -> None:
    """The output-checking pack of a build on real data, beside the site (never in it):
    `<site>-output-checking/`, replaced whole like any output folder."""
    made = sorted(results["findings"].out.glob(PACK_SUFFIX.lstrip("-") + "*"))
    if not made:
        return
    folder = pack_folder(site)
    if all(
        (folder / f.name).is_file() and (folder / f.name).read_bytes() == f.read_bytes()
        for f in made
    ):
        return

    def fill(new: Path) -> None:
        for path in made:
            shutil.copyfile(path, new / path.name)

    write_folder(folder, "output-checking", fill, root=settings.root, protected=protected)
    log(f"publish: wrote the output-checking pack {folder} (unrounded counts: never publish it)")


def pack_folder(site: Path) -> Path:
    return site.with_name(site.name + PACK_SUFFIX)


def _publish_files(folder: Path, files: Sequence[Path], drop: set[str], point: str) -> bool:
    """Put `files` into `folder`, keeping its other files but those named in `drop`: a new
    version of the folder swapped in whole, or nothing when it is already up to date."""
    current = sorted(folder.iterdir()) if folder.is_dir() else []
    made = {f.name: f for f in files}
    dropped = [p for p in current if p.name in drop]
    if not dropped and all(
        (folder / name).is_file() and (folder / name).read_bytes() == path.read_bytes()
        for name, path in made.items()
    ):
        return False

    def fill(new: Path) -> None:
        for path in current:
            if path.name in made or path in dropped:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.copytree(path, new / path.name, symlinks=True)
            else:
                shutil.copy2(path, new / path.name, follow_symlinks=False)
        for name, path in sorted(made.items()):
            shutil.copyfile(path, new / name)

    replace_folder(folder, fill, point)
    return True


def site_manifest(
    results: Mapping[str, StageResult],
    pubs: Sequence[Publication],
    settings: Settings,
    options: BuildOptions,
) -> str:
    """The build manifest: publications, tool versions, QA summary, the public files the
    disclosure check exempts, the user's clearance of real data, every file's sha256."""
    qa = _read_json(results["qa"].out / "qa.json")
    files = _read_json(results["site"].out / MANIFEST)["files"]
    record = {
        "generator": f"bulletin {_version()}",
        "command": "build",
        "disclosure_exempt": qa.get("exempt", {}),
        "publications": [
            {
                "id": pub.id,
                "title": pub.title,
                "date": pub.date.isoformat(),
                "html": f"report/{pub.id}.html",
                "pdf": f"report/{pub.id}.pdf",
                "pdf_pages": _read_json(results[f"pdf-{pub.id}"].out / "weasyprint.json")["pages"],
            }
            for pub in pubs
        ],
        "weasyprint_warnings": {
            f"report/{pub.id}.pdf": _read_json(results[f"pdf-{pub.id}"].out / "weasyprint.json")[
                "warnings"
            ]
            for pub in pubs
        },
        "tools": qa["tools"],
        "qa": qa["summary"],
        "files": {name: record["sha256"] for name, record in sorted(files.items())},
    }
    if options.cleared:
        statement = clearance(settings)
        record["clearance"] = {
            "cleared_by": statement.cleared_by,
            "cleared_on": statement.cleared_on.isoformat(),
            "statement": statement.statement,
        }
    return json.dumps(record, indent=1, sort_keys=True) + "\n"


def library_versions() -> dict[str, str]:
    """The versions of the libraries that make the outputs, for the manifest."""
    from importlib.metadata import version

    names = (
        "weasyprint",
        "pydyf",
        "matplotlib",
        "afcharts",
        "Jinja2",
        "markdown-it-py",
        "pikepdf",
        "pdfua",
        "playwright",
        "axe-playwright-python",
    )
    return {name.lower(): version(name) for name in names}


# -- helpers ----------------------------------------------------------------------------


def _publication_settings(settings: Settings, pubs: Sequence[Publication]) -> dict[str, Any]:
    return {
        "publications": [
            [p.id, p.title, p.date.isoformat(), p.first_year, p.last_year] for p in pubs
        ],
        "rounding_base": settings.disclosure.rounding_base,
    }


def _figure_files(folder: Path) -> list[Path]:
    ids = _read_json(folder / "index.json")
    return [folder / f"{i}{suffix}" for i in ids for suffix in (".svg", ".csv", ".txt")]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _version() -> str:
    from bulletin import __version__

    return __version__


def check(settings: Settings, site: Path | None = None) -> Any:
    """QA on an existing build (`bulletin check`): every check, on the site as it is, with
    the WeasyPrint warnings its manifest recorded. Returns a `bulletin.qa.QAReport`."""
    from bulletin.core.problems import InputError, Problem
    from bulletin.qa import check_site

    folder = site or settings.paths.site
    try:
        manifest = _read_json(folder / SITE_MANIFEST)
    except (OSError, ValueError) as exc:
        problem = Problem(str(folder / SITE_MANIFEST), None, None, f"not a built site: {exc}")
        raise InputError([problem]) from None
    return check_site(
        folder,
        settings.paths.templates,
        manifest.get("weasyprint_warnings", {}),
        disclosure=settings.disclosure,
        exempt=manifest.get("disclosure_exempt", {}),
    )
