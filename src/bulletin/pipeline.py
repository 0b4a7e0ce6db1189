"""Pipeline: the one readable script that runs the stages of a build, in order.

    linked data (validated, or the synthetic population) -> findings
    public data -> figures -> report/<pub>.qmd -> pages (screen, print) -> PDF -> site -> QA
    -> publish (_site/, report/, figures/)

Each stage is cached (`bulletin.core.cache`): it runs only when its inputs, settings,
code or the system components it depends on (text libraries, fonts, browser) changed.
Heavy libraries are imported inside the stages that need them, so that a no-change
rebuild stays fast. Nothing is published until every QA check has passed.

Safety (DESIGN.md decision 15): `--out` is checked by `bulletin.core.outputs` before
anything is written, and again before the swap; every temporary file lives under the
cache (`bulletin.core.atomic.private_temp`). A build on real data (dataset.json says
`synthetic: false`) marks every page "not yet cleared for publication" unless built with
`--cleared`, and writes the output-checking pack beside the site (`publish`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core.atomic import clean_leftovers, private_temp, replace_folder
from bulletin.core.cache import (
    MANIFEST,
    Pipeline,
    Stage,
    StageProgress,
    StageResult,
    StageRun,
    file_sha256,
)
from bulletin.core.measure import Measure
from bulletin.core.outputs import check_folder, protected_folders, write_folder
from bulletin.core.settings import Publication, Settings, SettingsError, clearance

if TYPE_CHECKING:
    from bulletin.qa.ahead import Ahead

FINDINGS_CODE = ("bulletin.core", "bulletin.data", "bulletin.findings")
LINKED_FINDINGS_CODE = (*FINDINGS_CODE, "bulletin.disclosure")
FINDINGS_FILE = "findings.json"
PUBLIC_FILE = "public.json"
FACTS = "facts.toml"  # the sourced facts file, in the public data folder
POPULATION_EXTRACT = "extract"  # the folder the population stage generates into
RENDER_CODE = ("bulletin.core", "bulletin.tables", "bulletin.render")
#: The code of the stages that lay a publication out (pages, PDF, site, formats): never the
#: publications' own modules, which only the figures, report and open-data stages run; so
#: adding or changing one publication's module lays out no other publication again.
LAYOUT_CODE = (
    "bulletin.core",
    "bulletin.tables",
    "bulletin.render - bulletin.render.publications",
)
PROJECT_FILE = "_quarto.yml"
FACTS = "facts.toml"  # bulletin.data.facts.FACTS_FILE, in the public data folder
LAYOUTS, CSS = "layouts", "css"  # the templates' folders of page layouts and stylesheets
LOCK_FILE = "requirements.lock"  # the versions of every library that draws or renders
SITE_MANIFEST = "manifest.json"
#: The system components (`bulletin.core.system`) that lay text out: WeasyPrint draws the
#: PDF with them, and Debian's Chromium links the same libraries and fonts to lay out the
#: pages that axe-core judges. The PDF checkers are Python packages, in the lock file.
TEXT_SYSTEM = ("pango", "harfbuzz", "harfbuzz-subset", "fontconfig", "freetype", "fribidi", "fonts")
QA_SYSTEM = ("chromium", "axe-core", *TEXT_SYSTEM)
#: Beside the CSV files a stage writes: each one's public release ("" if none) and columns
#: of counts, for the disclosure check.
SOURCES_FILE = "sources.json"
PACK_SUFFIX = "-output-checking"  # the pack's folder: the site's name and this, beside it
PAGE_STARTS = "page-starts.json"  # the PDF's page of each block of the print page
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
    previous_release: Path | None = None  # a previous release's site: each publication
    # then ends with what has changed since it (`bulletin.review.changes`)
    formats: bool = False  # also every accessible format of each publication, which the site links


def population_stage(
    public_data: Path, seed: int, scale: float, log: Callable[[str], None]
) -> Stage:
    """The default linked data: the synthetic national population for the settings' seed
    and scale, generated once per (seed, scale, generator code and parameters, and the
    geography it is drawn on: `bulletin.data.geography`'s two files)."""
    from bulletin.data.geography import GEOGRAPHY_FILES

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
        inputs={name: public_data / name for name in GEOGRAPHY_FILES},
        settings={"seed": seed, "scale": scale},
        code=("bulletin.synthetic", "bulletin.core.schema", "bulletin.data.geography"),
    )


def publications(settings: Settings, options: BuildOptions) -> list[Publication]:
    """The publications a build makes: the one asked for, or every one with a template."""
    from bulletin.render.publication import has_template
    from bulletin.render.publications import has_module

    templates = settings.paths.templates
    if options.publication is not None:
        pub = settings.publication(options.publication)
        if not has_template(templates, pub.id) or not has_module(pub.id):
            raise SettingsError(f"{pub.id}: this publication has no templates yet")
        return [pub]
    return [p for p in settings.publications if has_template(templates, p.id) and has_module(p.id)]


# -- the stages -------------------------------------------------------------------------


def public_data_stage(settings: Settings, public_data: Path) -> Stage:
    """Read the real public files; write the values the publications print from them, each
    with its file, row and column, as public.json (`public_json`)."""
    first, last = settings.publication("data-and-analysis").years()

    def run(ctx: StageRun) -> None:
        _write(ctx.out / PUBLIC_FILE, public_json(settings, public_data))

    from bulletin.data.characteristics import FILES as RELEASE_FILES
    from bulletin.data.real import FILES

    return Stage(
        name="public-data",
        run=run,
        outputs=(PUBLIC_FILE,),
        inputs={name: public_data / name for name in sorted({*FILES, *RELEASE_FILES})},
        settings={"years": [first, last], "rates_release": _rates_release(settings)},
        code=("bulletin.data", "bulletin.core"),
    )


def _rates_release(settings: Settings) -> int:
    """The release whose B1 file the annual release prints (2023 unless a publication of
    the settings names another)."""
    named = [p.rates_release for p in settings.publications if p.rates_release is not None]
    return named[0] if named else 2023


def public_json(settings: Settings, public_data: Path) -> str:
    """The real context of the window's years: the review's values (`bulletin.data.real`)
    and the annual release's tables (`bulletin.data.characteristics`)."""
    from bulletin.core.context import Context, context_to_json
    from bulletin.data.characteristics import release_context
    from bulletin.data.real import real_context

    first, last = settings.publication("data-and-analysis").years()
    review, release = (
        real_context(public_data, first, last),
        release_context(public_data, first, last, _rates_release(settings)),
    )
    if set(review.tables) & set(release.tables):
        raise ValueError(f"tables of two readers: {set(review.tables) & set(release.tables)}")
    return context_to_json(Context(review.measures, {}, {**review.tables, **release.tables}))


def linked_data_stage(
    linked_data: Path, public_data: Path, threads: int, log: Callable[[str], None]
) -> Stage:
    """Validate the linked extract (`bulletin.data.linked`); any blocking problem stops the
    build before anything is written. Writes what later stages need to know of it: its
    dataset.json and rows per table, never a record. Of the public data, it reads the
    population file (the valid local authority codes)."""
    from bulletin.data.population import POPULATION_FILE

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
        inputs={"linked_data": linked_data, POPULATION_FILE: public_data / POPULATION_FILE},
        settings={"threads": threads},
        code=("bulletin.data", "bulletin.core"),
    )


def findings_stage(
    settings: Settings,
    linked_data: Path | None,
    public_data: Path,
    engine: str,
    log: Callable[[str], None] = lambda _: None,
) -> Stage:
    """The findings on the linked extract (by default the population stage's), written as
    the findings context, findings.json, with the extract's dataset.json passed through."""

    def run(ctx: StageRun) -> None:
        folder = linked_data or ctx.upstream["population"] / POPULATION_EXTRACT
        for name, text in findings_files(settings, folder, public_data, engine, log).items():
            _write(ctx.out / name, text)

    first, last = settings.publication("data-and-analysis").years()
    return Stage(
        name="findings",
        run=run,
        outputs=(FINDINGS_FILE,),
        inputs={"facts": public_data / FACTS}
        | ({"linked_data": linked_data} if linked_data else {}),
        settings={
            "engine": engine,
            "threads": settings.threads,
            "disclosure": asdict(settings.disclosure),
            "years": [first, last],
        },
        code=LINKED_FINDINGS_CODE,
        after=("linked-data",) if linked_data else ("population",),
    )


def findings_json(
    settings: Settings,
    folder: Path,
    public_data: Path,
    engine: str,
    log: Callable[[str], None] = lambda _: None,
) -> str:
    """The findings context of the extract in `folder` (`bulletin.findings.context`)."""
    return findings_files(settings, folder, public_data, engine, log)[FINDINGS_FILE]


def findings_files(
    settings: Settings,
    folder: Path,
    public_data: Path,
    engine: str,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, str]:
    """findings.json, and for real data the output-checking pack (its JSON and its cells as
    CSV, `bulletin.findings.checking`), by file name."""
    from bulletin.data.facts import load_facts, whole_number
    from bulletin.findings.checking import CELLS_FILE, PACK_FILE, cells_csv, pack, pack_json
    from bulletin.findings.context import compute, to_json
    from bulletin.findings.linked import Params, opened
    from bulletin.findings.publish import recording

    first, last = settings.publication("data-and-analysis").years()
    children = whole_number(load_facts(public_data), "children_in_window")
    params = Params(settings.disclosure, children, first, last)
    scratch = settings.paths.cache / "spark"  # Spark's scratch files, when it runs
    with (
        opened(folder, engine, settings.threads, settings.spark, scratch) as (linked, dataset),
        recording() as notes,
    ):
        found = compute(linked, params, log)
        files = {FINDINGS_FILE: to_json(found, dataset, settings.disclosure)}
        if dataset.get("synthetic") is not True:
            content = pack(found, notes, dataset, settings.disclosure)
            files |= {PACK_FILE: pack_json(content), CELLS_FILE: cells_csv(content)}
        return files


def publication_templates(settings: Settings, pub: Publication) -> dict[str, Path]:
    """The template folders a publication's report reads: its own and the shared macros
    (`bulletin.render.publication.render_qmd` refuses any other), so that a change to one
    publication's prose rebuilds that publication alone."""
    from bulletin.render.publication import TEMPLATE_FOLDERS

    templates = settings.paths.templates
    return {f"templates/{name}": templates / name.format(id=pub.id) for name in TEMPLATE_FOLDERS}


def publication_inputs(
    settings: Settings,
    pub: Publication,
    pubs: Sequence[Publication],
    ctx: StageRun,
    public_data: Path,
) -> Any:
    """A publication's three inputs (`bulletin.render.publications.Inputs`), read from the
    findings and public-data stages' outputs and the facts file."""
    from bulletin.render.publications import read_inputs

    return read_inputs(
        settings,
        pub,
        tuple(pubs),
        ctx.upstream["findings"] / FINDINGS_FILE,
        ctx.upstream["public-data"] / PUBLIC_FILE,
        public_data,
    )


def figures_stage(settings: Settings, pubs: Sequence[Publication], public_data: Path) -> Stage:
    """Draw every figure of the publications (in `settings.threads` processes): SVG, its
    data as CSV, its alt text and its long description. A figure two publications show is
    drawn once (and must be the same in both)."""

    def run(ctx: StageRun) -> None:
        from bulletin.charts import to_csv
        from bulletin.charts.draw import draw_all
        from bulletin.render.publications import content

        charts: dict[str, Any] = {}
        for pub in pubs:
            inputs = publication_inputs(settings, pub, pubs, ctx, public_data)
            for fig_id, chart in content(inputs).figures.items():
                if charts.setdefault(fig_id, chart) != chart:
                    raise ValueError(f"{fig_id}: two publications draw it differently")
        ordered = [chart for _, chart in sorted(charts.items())]
        for chart, svg in zip(ordered, draw_all(ordered, settings.threads), strict=True):
            _write(ctx.out / f"{chart.id}.svg", svg)
            _write(ctx.out / f"{chart.id}.csv", to_csv(chart))
            _write(ctx.out / f"{chart.id}.txt", chart.alt + "\n")
            _write(ctx.out / f"{chart.id}.description.txt", chart.description)
        _write(ctx.out / "index.json", json.dumps(sorted(charts), indent=1) + "\n")
        from bulletin.charts.model import count_columns, measures_of

        sources = {
            f"{i}.csv": {"release": public_release(measures_of(c)), "counts": count_columns(c)}
            for i, c in charts.items()
        }
        _write(ctx.out / SOURCES_FILE, json.dumps(sources, indent=1, sort_keys=True) + "\n")

    return Stage(
        name="figures",
        run=run,
        outputs=("index.json",),
        inputs={"facts": public_data / FACTS, "lock": settings.root / LOCK_FILE},
        settings=_publication_settings(settings, pubs),
        code=(*FINDINGS_CODE, "bulletin.charts", "bulletin.tables", "bulletin.render"),
        after=("findings", "public-data"),
    )


def report_stage(
    settings: Settings,
    pub: Publication,
    pubs: Sequence[Publication],
    public_data: Path,
    previous: Path | None = None,
) -> Stage:
    """Render the publication's template with its inputs into report/<id>.qmd; write the
    values it printed with their sources (<id>.sources.json), and every table as CSV. With
    a `previous` release (a built site), the publication ends with its corrections and
    revisions: what has changed since that release."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.numbers import Registry
        from bulletin.render.publication import render_changes, render_qmd
        from bulletin.render.publications import content, template_context
        from bulletin.review.changes import changes_table, read_release
        from bulletin.tables import to_csv
        from bulletin.tables.model import count_columns as table_counts

        inputs = publication_inputs(settings, pub, pubs, ctx, public_data)
        built = content(inputs)
        registry = Registry()
        templates = settings.paths.templates
        qmd = render_qmd(templates, pub, template_context(inputs, built), registry)
        tables = dict(built.tables)
        release = read_release(previous, pub.id) if previous is not None else None
        if release is not None:
            changes = changes_table(release, dict(registry.values))
            about = {"title": release.title, "date": release.date}
            qmd += render_changes(templates, pub, changes, about, registry)
            tables[changes.id] = changes
        _write(ctx.out / f"{pub.id}.qmd", qmd)
        _write(ctx.out / f"{pub.id}.sources.json", registry.to_json())
        for table_id, table in sorted(tables.items()):
            _write(ctx.out / "data" / f"{table_id}.csv", to_csv(table))
        sources = {
            f"{i}.csv": {
                "release": public_release(
                    c.sourced.measure for r in table.rows for c in r.cells if c.sourced
                ),
                "counts": table_counts(table),
            }
            for i, table in built.tables.items()
        }
        _write(
            ctx.out / "data" / SOURCES_FILE, json.dumps(sources, indent=1, sort_keys=True) + "\n"
        )

    release_files = (
        {
            "previous_manifest": previous / SITE_MANIFEST,
            "previous_numbers": previous / "report" / f"{pub.id}.numbers.json",
        }
        if previous is not None
        else {}
    )

    return Stage(
        name=f"report-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.qmd", f"{pub.id}.sources.json"),
        inputs={
            "facts": public_data / FACTS,
            **publication_templates(settings, pub),
            **release_files,
        },
        settings=_publication_settings(settings, pubs),
        code=(
            *FINDINGS_CODE,
            "bulletin.tables",
            "bulletin.charts",
            "bulletin.render",
            *(("bulletin.review",) if previous is not None else ()),
        ),
        after=("findings", "public-data"),
    )


def open_data_stage(
    settings: Settings,
    pub: Publication,
    pubs: Sequence[Publication],
    public_data: Path,
    uncleared: bool = False,
) -> Stage:
    """The publication's open data (`bulletin.tables.open_data`): EES files with their
    metadata, the data guidance (text and a page, marked as the publication's pages are),
    a spreadsheet of its printed tables and a ZIP of all of them."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.guidance import render_guidance
        from bulletin.render.project import read_project
        from bulletin.render.publications import content
        from bulletin.tables.open_data import GUIDANCE_PAGE, GUIDANCE_TEXT, places_of, release
        from bulletin.tables.open_data import Publication as Released

        inputs = publication_inputs(settings, pub, pubs, ctx, public_data)
        built = content(inputs)
        made = release(
            Released(pub.id, pub.title, pub.date, pub.years()),
            _read_json(ctx.upstream["findings"] / FINDINGS_FILE) if built.linked_data else {},
            built.tables,
            places_of(public_data, inputs.real),
        )
        for name, data in made.files.items():
            (ctx.out / name).write_bytes(data)
        page = render_guidance(
            settings.paths.templates,
            made.guidance,
            read_project(settings.root),
            made.spreadsheet,
            made.archive,
            GUIDANCE_TEXT,
            synthetic=inputs.synthetic and bool(built.linked_data),  # as its pages say
            uncleared=uncleared,
        )
        _write(ctx.out / GUIDANCE_PAGE, page)
        _write(ctx.out / "index.json", json.dumps(sorted([*made.files, GUIDANCE_PAGE])) + "\n")

    return Stage(
        name=f"open-data-{pub.id}",
        run=run,
        outputs=("index.json",),
        inputs={
            "public_data": public_data,
            # the data guidance page's; not the publication's own templates: its tables
            # and their titles are built by its module (`content`), so a change to its prose
            # makes the same open data and does not run this stage again
            "layouts": settings.paths.templates / LAYOUTS,
            "project": settings.root / PROJECT_FILE,
            "lock": settings.root / LOCK_FILE,
        },
        settings=_publication_settings(settings, pubs) | {"uncleared": uncleared},
        code=(*FINDINGS_CODE, "bulletin.tables", "bulletin.charts", "bulletin.render"),
        after=("findings", "public-data"),
    )


def pages_stage(
    settings: Settings,
    pub: Publication,
    pubs: Sequence[Publication],
    uncleared: bool = False,
    formats: Sequence[str] = (),
) -> Stage:
    """The .qmd as HTML: the screen page (which links the accessible `formats` the build
    makes; marked "not yet cleared for publication" when `uncleared`) and the print page.
    Its numbers manifest is a stage of its own (`numbers_stage`)."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.formats import FORMATS
        from bulletin.render.project import read_project
        from bulletin.render.publication import render_pages

        report = ctx.upstream[f"report-{pub.id}"]
        qmd = (report / f"{pub.id}.qmd").read_text(encoding="utf-8")
        project = read_project(settings.root)
        links = [(FORMATS[name].label, FORMATS[name].file_name(pub.id)) for name in formats]
        pages = render_pages(
            settings.paths.templates, qmd, pub, project, pubs, links, uncleared=uncleared
        )
        _write(ctx.out / f"{pub.id}.html", pages.screen)
        _write(ctx.out / f"{pub.id}.print.html", pages.print)

    return Stage(
        name=f"pages-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.html", f"{pub.id}.print.html"),
        inputs={
            "layouts": settings.paths.templates / LAYOUTS,
            "project": settings.root / PROJECT_FILE,
        },
        settings=_publication_settings(settings, pubs)
        | {"uncleared": uncleared}
        | ({"formats": [*formats]} if formats else {}),
        code=LAYOUT_CODE,
        after=(f"report-{pub.id}",),
    )


def numbers_stage(pub: Publication) -> Stage:
    """The numbers manifest of the screen page (`bulletin.render.numbers`): every number it
    prints, with its sentence and source. A stage of its own, run after the PDFs: parsing a
    national page takes a quarter of a second, which the pages stage would add before the
    print page is printed, the page checked and the PDF laid out."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.numbers import manifest, manifest_json

        screen = (ctx.upstream[f"pages-{pub.id}"] / f"{pub.id}.html").read_text("utf-8")
        sources = _read_json(ctx.upstream[f"report-{pub.id}"] / f"{pub.id}.sources.json")
        _write(ctx.out / f"{pub.id}.numbers.json", manifest_json(manifest(screen, sources)))

    return Stage(
        name=f"numbers-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.numbers.json",),
        code=LAYOUT_CODE,
        after=(f"report-{pub.id}", f"pages-{pub.id}"),
    )


def print_stage(pub: Publication) -> Stage:
    """The print page alone, copied from the pages stage, with the figures it shows
    (`figures/`), copied from the figures stage. The PDF is made from this stage alone, so
    that a change to the screen page only (its links to the other publications, when one
    is added, or to the accessible formats) or to another publication's figures lays out
    no PDF again. A figure the page names that the figures stage did not make is left for
    WeasyPrint to report."""

    def run(ctx: StageRun) -> None:
        name = f"{pub.id}.print.html"
        page = ctx.upstream[f"pages-{pub.id}"] / name
        _copy(page, ctx.out / name)
        shown = set(re.findall(r'src="\.\./figures/([^"/]+)"', page.read_text("utf-8")))
        for figure in sorted(shown):
            made = ctx.upstream["figures"] / figure
            if made.is_file():
                _copy(made, ctx.out / "figures" / figure)

    return Stage(
        name=f"print-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.print.html",),
        code=("bulletin.pipeline",),
        after=(f"pages-{pub.id}", "figures"),
    )


def pdf_stage(settings: Settings, pub: Publication) -> Stage:
    """The print page as a tagged PDF/UA-1, what WeasyPrint logged while making it, and the
    page each block of the print page starts on (for the EPUB's page list)."""

    def run(ctx: StageRun) -> None:
        from bulletin.render.pdf import write_pdf

        printed = ctx.upstream[f"print-{pub.id}"]
        html = (printed / f"{pub.id}.print.html").read_text("utf-8")
        folders = {
            "figures/": printed / "figures",
            "assets/": settings.paths.templates / CSS,
        }
        result = write_pdf(html, f"report/{pub.id}.html", folders)
        (ctx.out / f"{pub.id}.pdf").write_bytes(result.pdf)
        log = {"pages": result.pages, "warnings": list(result.warnings)}
        _write(ctx.out / "weasyprint.json", json.dumps(log, indent=1) + "\n")
        _write(ctx.out / PAGE_STARTS, json.dumps(result.starts, indent=0) + "\n")

    return Stage(
        name=f"pdf-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.pdf", "weasyprint.json", PAGE_STARTS),
        inputs={"css": settings.paths.templates / CSS, "lock": settings.root / LOCK_FILE},
        code=LAYOUT_CODE,
        after=(f"print-{pub.id}",),
        system=TEXT_SYSTEM,
    )


def format_names() -> tuple[str, ...]:
    """Every accessible format, by the name the command line takes."""
    from bulletin.render.formats import FORMATS

    return tuple(FORMATS)


def reading_stage(pub: Publication) -> Stage:
    """What the accessible formats read of a built publication, copied from the pages and
    pdf stages: the print page, the numbers manifest, the PDF's pages and the page each
    block starts on. The formats come after this stage alone (and the figures), so that a
    change to the screen page only (the formats it links, say) does not make them again."""

    def run(ctx: StageRun) -> None:
        pages, pdf = ctx.upstream[f"pages-{pub.id}"], ctx.upstream[f"pdf-{pub.id}"]
        _copy(pages / f"{pub.id}.print.html", ctx.out / f"{pub.id}.print.html")
        numbers = f"{pub.id}.numbers.json"
        _copy(ctx.upstream[f"numbers-{pub.id}"] / numbers, ctx.out / numbers)
        for name in ("weasyprint.json", PAGE_STARTS):
            _copy(pdf / name, ctx.out / name)

    return Stage(
        name=f"reading-{pub.id}",
        run=run,
        outputs=(f"{pub.id}.print.html", f"{pub.id}.numbers.json", "weasyprint.json", PAGE_STARTS),
        code=("bulletin.pipeline",),
        after=(f"pages-{pub.id}", f"numbers-{pub.id}", f"pdf-{pub.id}"),
    )


def format_stage(settings: Settings, pub: Publication, name: str) -> Stage:
    """One accessible format of a publication (`bulletin.render.formats`), made from the
    built publication (print page, figures, the PDF's page starts) and checked by its
    validator and against the numbers manifest (`bulletin.qa.formats`): a format that fails
    a check is neither cached nor published. The versions of the programs that make and
    check it are part of its key."""
    from bulletin.render.formats import FORMATS

    made = FORMATS[name]

    def run(ctx: StageRun) -> None:
        import tempfile

        from bulletin.qa import QAError, failures
        from bulletin.qa.formats import check
        from bulletin.render.formats import Job, write
        from bulletin.render.formats.document import read_built

        built = ctx.upstream[f"reading-{pub.id}"]
        doc = read_built(pub.id, built, built, ctx.upstream["figures"])
        entries = _read_json(built / f"{pub.id}.numbers.json")
        settings.paths.cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{name}-", dir=settings.paths.cache) as work:
            path = write(name, Job(doc, ctx.out, Path(work), settings.paths.templates))
            results = check(name, path, doc, entries, Path(work))
        if failures(results):
            raise QAError(results)
        _write(
            ctx.out / f"{name}.qa.json", json.dumps([r.as_dict() for r in results], indent=1) + "\n"
        )

    return Stage(
        name=f"format-{name}-{pub.id}",
        run=run,
        outputs=(made.file_name(pub.id), f"{name}.qa.json"),
        inputs={
            "templates": settings.paths.templates,
            "lock": settings.root / LOCK_FILE,
            "ace": Path(__file__).parent / "qa" / "ace" / "package-lock.json",
        },
        system=(*TEXT_SYSTEM, *made.system),  # text is laid out for large print and SVG to PNG
        code=(*LAYOUT_CODE, "bulletin.qa.formats", "bulletin.qa.results"),
        after=(f"reading-{pub.id}", "figures"),
    )


def site_stage(
    settings: Settings,
    pubs: Sequence[Publication],
    public_data: Path,
    uncleared: bool = False,
    formats: Sequence[str] = (),
) -> Stage:
    """Lay the site out: front page, accessibility statement, stylesheet, pages and PDFs,
    figures, data files (marked "not yet cleared for publication" when `uncleared`)."""

    def run(ctx: StageRun) -> None:
        from bulletin.data.facts import load_facts
        from bulletin.render.formats import FORMATS
        from bulletin.render.project import read_project
        from bulletin.render.publication import STATEMENT, render_index, render_statement

        project = read_project(settings.root)
        listed = [
            (
                pub,
                _read_json(ctx.upstream[f"pdf-{pub.id}"] / "weasyprint.json")["pages"],
                (ctx.upstream[f"pdf-{pub.id}"] / f"{pub.id}.pdf").stat().st_size,
            )
            for pub in sorted(pubs, key=lambda p: p.date)
        ]
        _write(
            ctx.out / "index.html",
            render_index(settings.paths.templates, listed, project, uncleared=uncleared),
        )
        facts = load_facts(public_data)
        statement = render_statement(
            settings.paths.templates, pubs, project, facts, uncleared=uncleared
        )
        _write(ctx.out / STATEMENT, statement)
        _copy(settings.paths.templates / "css" / "screen.css", ctx.out / "assets" / "screen.css")
        for pub in pubs:
            pages, pdf = ctx.upstream[f"pages-{pub.id}"], ctx.upstream[f"pdf-{pub.id}"]
            _copy(pages / f"{pub.id}.html", ctx.out / "report" / f"{pub.id}.html")
            numbers = f"{pub.id}.numbers.json"
            _copy(ctx.upstream[f"numbers-{pub.id}"] / numbers, ctx.out / "report" / numbers)
            _copy(pdf / f"{pub.id}.pdf", ctx.out / "report" / f"{pub.id}.pdf")
            for csv in sorted((ctx.upstream[f"report-{pub.id}"] / "data").glob("*.csv")):
                _copy(csv, ctx.out / "data" / pub.id / csv.name)
            opened = ctx.upstream[f"open-data-{pub.id}"]
            for name in _read_json(opened / "index.json"):
                _copy(opened / name, ctx.out / "data" / pub.id / name)
            for name in formats:
                made = FORMATS[name].file_name(pub.id)
                _copy(ctx.upstream[f"format-{name}-{pub.id}"] / made, ctx.out / "report" / made)
        for figure in _figure_files(ctx.upstream["figures"]):
            _copy(figure, ctx.out / "figures" / figure.name)

    after = ["figures"]
    for pub in pubs:
        after += [f"report-{pub.id}", f"pages-{pub.id}", f"numbers-{pub.id}", f"pdf-{pub.id}"]
        after += [f"open-data-{pub.id}"]
        after += [f"format-{name}-{pub.id}" for name in formats]
    return Stage(
        name="site",
        run=run,
        outputs=("index.html",),
        inputs={
            "layouts": settings.paths.templates / LAYOUTS,
            "css": settings.paths.templates / CSS,
            "project": settings.root / PROJECT_FILE,
            "facts": public_data / FACTS,
        },
        settings=_publication_settings(settings, pubs)
        | {"uncleared": uncleared}
        | ({"formats": [*formats]} if formats else {}),
        code=(*LAYOUT_CODE, "bulletin.data.facts"),
        after=tuple(after),
    )


def qa_stage(
    settings: Settings,
    pubs: Sequence[Publication],
    ahead: Ahead | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> Stage:
    """Every QA check on the site; the stage fails, listing every failure, if any fails.
    What `ahead` checked and passed is in the QA memo, and not checked again."""

    def run(ctx: StageRun) -> None:
        from bulletin.qa import QAError, check_site, summary

        warnings = {
            f"report/{pub.id}.pdf": _read_json(ctx.upstream[f"pdf-{pub.id}"] / "weasyprint.json")[
                "warnings"
            ]
            for pub in pubs
        }
        from bulletin.qa.disclosure import findings_values

        print_pages = {
            f"report/{pub.id}.pdf": ctx.upstream[f"pages-{pub.id}"] / f"{pub.id}.print.html"
            for pub in pubs
        }
        exempt, counts = public_csv_files(ctx.upstream, pubs)
        found = (ctx.upstream["findings"] / FINDINGS_FILE).read_text(encoding="utf-8")
        report = check_site(
            ctx.upstream["site"],
            settings.paths.templates,
            warnings,
            print_pages,
            disclosure=settings.disclosure,
            exempt=exempt,
            counts=counts,
            values=findings_values(found, FINDINGS_FILE),
            memo=qa_memo(settings),  # pages and PDFs that passed
            wait=ahead.wait if ahead is not None else None,
        )
        if ahead is not None and ahead.passed:
            log(f"qa: passed while the build went on: {', '.join(sorted(set(ahead.passed)))}")
        if report.failed:
            raise QAError(report.results)
        record = {
            "summary": summary(report.results),
            "tools": {**report.tools, **library_versions()},
            "results": [r.as_dict() for r in report.results],
            "exempt": exempt,
            "counts": counts,
        }
        _write(ctx.out / "qa.json", json.dumps(record, indent=1, sort_keys=True) + "\n")

    return Stage(
        name="qa",
        run=run,
        outputs=("qa.json",),
        inputs={"templates": settings.paths.templates, "lock": settings.root / LOCK_FILE},
        code=("bulletin.core", "bulletin.qa", "bulletin.data.real"),
        after=(
            "site",
            "findings",
            "figures",
            *(f"{stage}-{pub.id}" for pub in pubs for stage in ("report", "pages", "pdf")),
        ),
        system=QA_SYSTEM,
    )


def public_release(measures: Iterable[Measure]) -> str:
    """The public releases all of `measures` come from (tables the Department published,
    `bulletin.data.real.reference`), or "" when any does not (or there are none)."""
    from bulletin.data.population import POPULATION_FILE
    from bulletin.data.public_files import PUBLIC_FILES
    from bulletin.data.real import reference

    releases = {reference(spec.path) for spec in PUBLIC_FILES if spec.path != POPULATION_FILE}
    sources = {m.source for m in measures}
    return "; ".join(sorted(sources)) if sources and sources <= releases else ""


def public_csv_files(
    upstream: Mapping[str, Path], pubs: Sequence[Publication]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """For the disclosure check, from the figures and report stages' `SOURCES_FILE`s: the
    site's CSV files whose values all come from one public release (already published,
    exempt): site path -> the release; and each CSV file's columns of counts."""
    folders = {"figures/": upstream["figures"]}
    folders |= {f"data/{pub.id}/": upstream[f"report-{pub.id}"] / "data" for pub in pubs}
    exempt, counts = {}, {}
    for prefix, folder in folders.items():
        for name, about in sorted(_read_json(folder / SOURCES_FILE).items()):
            counts[prefix + name] = list(about["counts"])
            if about["release"]:
                exempt[prefix + name] = about["release"]
    return exempt, counts


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
    built.append(public_data_stage(settings, public_data))
    if linked_data is None:
        scale = settings.scale if options.scale is None else options.scale
        built.append(population_stage(public_data, settings.seed, scale, log))
    engine = options.engine or settings.engine
    return [*built, findings_stage(settings, linked_data, public_data, engine, log)]


def stages(
    settings: Settings,
    options: BuildOptions,
    log: Callable[[str], None] = lambda _: None,
    ahead: Ahead | None = None,
) -> list[Stage]:
    """The stages of a build, in the order they run: the data and findings first. The QA
    stage waits for the checks asked of `ahead`."""
    built = data_stages(settings, options, log)
    public_data = options.public_data or settings.paths.public_data
    pubs = publications(settings, options)
    if not pubs:
        return built
    uncleared = real_data(options.linked_data or settings.linked_data) and not options.cleared
    built.append(figures_stage(settings, pubs, public_data))
    previous = None
    if options.previous_release is not None:
        from bulletin.review.site import open_site

        previous = open_site(options.previous_release).root
    names = format_names() if options.formats else ()
    # Every page first: each is checked ahead (`check_ahead`) while WeasyPrint lays out
    # the PDFs, one after another; the numbers manifests and the open data (which no page
    # or PDF needs) while the last PDF is checked.
    for pub in pubs:
        built += [
            report_stage(settings, pub, pubs, public_data, previous),
            pages_stage(settings, pub, pubs, uncleared, names),
            print_stage(pub),
        ]
    built += [pdf_stage(settings, pub) for pub in pubs]
    built += [numbers_stage(pub) for pub in pubs]
    built += [open_data_stage(settings, pub, pubs, public_data, uncleared) for pub in pubs]
    for pub in pubs:
        built += [
            *([reading_stage(pub)] if names else []),
            *(format_stage(settings, pub, name) for name in names),
        ]
    site = site_stage(settings, pubs, public_data, uncleared, names)
    return [*built, site, qa_stage(settings, pubs, ahead, log)]


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


def findings(
    settings: Settings,
    options: BuildOptions,
    log: Callable[[str], None],
    progress: StageProgress | None = None,
) -> str:
    """The findings context (`bulletin findings`): the data stages, cached like a build's,
    with the thread counts of a build (BLAS, for the regression)."""
    fix_environment(settings)
    system = system_components(settings, log)
    pipeline = Pipeline(
        settings.paths.cache / "bulletin", log=log, system=system, progress=progress
    )
    with pipeline.locked(), private_temp(pipeline.cache):
        results = pipeline.run(data_stages(settings, options, log))
    return (results["findings"].out / FINDINGS_FILE).read_text(encoding="utf-8")


def build(
    settings: Settings,
    options: BuildOptions,
    log: Callable[[str], None],
    progress: StageProgress | None = None,
) -> dict[str, StageResult]:
    """Run every stage of a build; stages whose inputs have not changed are skipped. The
    public data is checked first (every problem at once): bad data stops the build before
    anything is written. The outputs are published only when every stage, QA included,
    has passed, each folder swapped in whole (see `publish`)."""
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
    system = system_components(settings, log)
    pipeline = Pipeline(
        settings.paths.cache / "bulletin", log=log, system=system, progress=progress
    )
    # one build at a time, from the first check to the last swap; its temporary files in
    # the cache, created once the lock's clean-up has run
    with pipeline.locked(), private_temp(pipeline.cache):
        check_public_data(pipeline, public_data)
        fix_environment(settings)
        for folder in output_folders(settings, options):
            clean_leftovers(folder.parent, folder.name)
        from bulletin.qa.ahead import Ahead

        with Ahead(qa_memo(settings), settings.paths.templates, log) as ahead:
            built = stages(settings, options, log, ahead)
            results = pipeline.run(
                built, done=check_ahead(ahead, pubs), starting=warm(ahead, built)
            )
        if "qa" in results:
            publish(settings, options, results, pubs, log, system)
    return results


def warm(ahead: Ahead, built: Sequence[Stage]) -> Callable[[Stage], None]:
    """Warm `ahead` up (`Ahead.warm`) as soon as a stage starts that a page or a print
    page (with its figures) is made from: not for a PDF, open data, the site or the QA
    stage alone."""
    roots = [stage.name for stage in built if stage.name.startswith("print-")]
    pages = _upstream(built, roots)

    def starting(stage: Stage) -> None:
        if stage.name in pages:
            ahead.warm()

    return starting


def _upstream(built: Sequence[Stage], names: Iterable[str]) -> set[str]:
    """The stages `names` and every stage they come after, directly or not."""
    after = {stage.name: stage.after for stage in built}
    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += after[name]
    return found


def check_ahead(
    ahead: Ahead, pubs: Sequence[Publication]
) -> Callable[[StageResult, Mapping[str, StageResult]], None]:
    """What to check ahead of the QA stage once a stage has run (`bulletin.qa.ahead`): a
    publication's page, during its PDF's layout; its PDF, while the build goes on; the
    site's other pages, while the QA stage runs its other checks."""

    def done(result: StageResult, results: Mapping[str, StageResult]) -> None:
        if not result.ran:
            return
        for pub in pubs:
            if result.name == f"pages-{pub.id}" and "figures" in results:
                # the print page first: the PDF's check, which needs it, comes soonest
                ahead.printed(result.out / f"{pub.id}.print.html", f"report/{pub.id}.pdf")
                page = result.out / f"{pub.id}.html"
                ahead.page(page, f"report/{pub.id}.html", results["figures"].out)
            elif result.name == f"pdf-{pub.id}" and f"pages-{pub.id}" in results:
                printed = results[f"pages-{pub.id}"].out / f"{pub.id}.print.html"
                ahead.pdf(result.out / f"{pub.id}.pdf", f"report/{pub.id}.pdf", printed)
        if result.name == "site":  # its other pages (front page, data guidance...)
            ahead.site(result.out)

    return done


def system_components(settings: Settings, log: Callable[[str], None]) -> dict[str, str]:
    """Every system component that shapes an output or a verdict, read once for the build
    (`bulletin.core.system`); stages name the ones their keys include."""
    from bulletin.core.system import Machine, read_components

    start = time.perf_counter()
    memo = settings.paths.cache / "bulletin" / "system-components.json"
    components = read_components(machine=Machine(memo=memo))
    log(f"system: {len(components)} components read in {time.perf_counter() - start:.2f} s")
    return components


def preview_stages(
    settings: Settings, options: BuildOptions, log: Callable[[str], None] = lambda _: None
) -> list[Stage]:
    """The stages `bulletin preview` runs: the screen pages of a build, the figures they
    show and what those need; no PDF, open data, site or QA (those are the build's)."""
    built = stages(settings, options, log)
    shown = [s.name for s in built if s.name == "figures" or s.name.startswith("pages-")]
    needed = _upstream(built, shown)
    return [stage for stage in built if stage.name in needed]


def preview(
    settings: Settings,
    options: BuildOptions,
    log: Callable[[str], None],
    progress: StageProgress | None = None,
) -> tuple[dict[str, StageResult], list[Publication]]:
    """Run the preview's stages (`preview_stages`), cached like a build's, after the same
    check of the public data; publish nothing. Returns the results and the publications."""
    if options.publication is not None:
        settings.publication(options.publication)  # fails early on an unknown id
    pubs = publications(settings, options)
    if not pubs:
        raise SettingsError("no publication has a template folder and a module to preview")
    public_data = options.public_data or settings.paths.public_data
    return run_checked(
        settings, public_data, preview_stages(settings, options, log), log, progress
    ), pubs


def run_checked(
    settings: Settings,
    public_data: Path,
    todo: Sequence[Stage],
    log: Callable[[str], None],
    progress: StageProgress | None = None,
    first: Callable[[], object] = lambda: None,
) -> dict[str, StageResult]:
    """Run the stages `todo` as a build runs its own, under the cache's lock: the system
    components read, the public data checked (every problem at once), the environment
    fixed, and `first` called, before the first stage."""
    system = system_components(settings, log)
    pipeline = Pipeline(
        settings.paths.cache / "bulletin", log=log, system=system, progress=progress
    )
    with pipeline.locked():
        check_public_data(pipeline, public_data)
        fix_environment(settings)
        first()
        return pipeline.run(todo)


def check_public_data(pipeline: Pipeline, public_data: Path) -> None:
    """Check the public data (every problem at once), unless it passed before unchanged."""
    from bulletin.data.public_files import public_inputs, validate_public

    pipeline.check(
        "public-data-check",
        public_inputs(public_data),
        ("bulletin.data", "bulletin.core"),
        lambda: validate_public(public_data),
    )


ACCESSIBLE_MARKER = ".bulletin-accessible.json"  # in a folder `bulletin accessible` wrote


def accessible(
    settings: Settings,
    pub_id: str,
    names: Sequence[str],
    options: BuildOptions,
    log: Callable[[str], None],
    progress: StageProgress | None = None,
) -> list[Path]:
    """`bulletin accessible`: the formats `names` of one publication, made by the stages a
    `build --formats` on the same data (`options`: public and linked data) runs, sharing
    its cache (the data, figures, pages and PDF stages of a full build, then one stage a
    format), then copied into `options.out` (default: _accessible/<publication> beside the
    site). Returns the files written."""
    from bulletin.render.formats import FORMATS

    pub = settings.publication(pub_id)
    pubs = publications(settings, BuildOptions())
    if pub not in pubs:
        raise SettingsError(f"{pub.id}: this publication has no templates yet")
    folder = options.out or settings.paths.site.with_name("_accessible") / pub.id
    _check_output_folder(settings, folder)
    public_data = options.public_data or settings.paths.public_data
    built = data_stages(settings, options, log)
    built += [
        figures_stage(settings, pubs, public_data),
        report_stage(settings, pub, pubs, public_data),
        pages_stage(settings, pub, pubs),
        print_stage(pub),
        pdf_stage(settings, pub),
        numbers_stage(pub),
        reading_stage(pub),
        *(format_stage(settings, pub, name) for name in names),
    ]
    results = run_checked(
        settings,
        public_data,
        built,
        log,
        progress,
        lambda: clean_leftovers(folder.parent, folder.name),
    )
    made = {
        FORMATS[n].file_name(pub.id): results[f"format-{n}-{pub.id}"].out
        / FORMATS[n].file_name(pub.id)
        for n in names
    }
    _publish_accessible(folder, made)
    log(f"accessible: wrote {', '.join(sorted(made))} into {folder}")
    return [folder / name for name in sorted(made)]


def _check_output_folder(settings: Settings, folder: Path) -> None:
    """`folder` must be missing, empty, or one `bulletin accessible` wrote (its marker);
    never the project, its inputs, outputs or cache, nor inside or above one of them."""
    from bulletin.core.problems import InputError, Problem

    target = folder.resolve()
    paths = settings.paths
    root = settings.root.resolve()
    guarded = [paths.public_data, paths.templates, paths.report, paths.figures, paths.site]
    for path in [p.resolve() for p in [*guarded, paths.cache]]:
        if target == path or path in target.parents or target in path.parents:
            message = f"refused: it is, holds or is inside {path}"
            raise InputError([Problem(str(folder), None, None, message)])
    if target == root or target in root.parents:
        raise InputError([Problem(str(folder), None, None, "refused: the project or above it")])
    if target.is_dir() and any(target.iterdir()) and not (target / ACCESSIBLE_MARKER).is_file():
        message = "refused: not empty, and not a folder `bulletin accessible` wrote"
        raise InputError([Problem(str(folder), None, None, message)])
    if target.exists() and not target.is_dir():
        raise InputError([Problem(str(folder), None, None, "refused: not a folder")])


def _publish_accessible(folder: Path, made: Mapping[str, Path]) -> None:
    """Put the `made` files into `folder`, keeping the formats it already holds: a new
    version of the folder, with its marker listing every file, swapped in whole."""
    marker = folder / ACCESSIBLE_MARKER
    kept = _read_json(marker)["files"] if marker.is_file() else {}

    def fill(new: Path) -> None:
        files = {}
        for name in sorted({*kept, *made}):
            source = made.get(name, folder / name)
            shutil.copyfile(source, new / name)
            files[name] = file_sha256(new / name)
        _write(
            new / ACCESSIBLE_MARKER, json.dumps({"files": files}, indent=1, sort_keys=True) + "\n"
        )

    replace_folder(folder, fill, "publish:accessible")


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
    system: Mapping[str, str],
) -> None:
    """Publish _site/, report/*.qmd and figures/. Each folder that changed is built whole
    beside the old one and swapped in by one atomic exchange (`bulletin.core.atomic`), so
    that a kill at any instant leaves each folder the previous version or the new one."""
    site, report, figures = output_folders(settings, options)
    protected = output_protected(settings, options)
    manifest = site_manifest(results, pubs, system, settings, options)
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
    system: Mapping[str, str],
    settings: Settings,
    options: BuildOptions,
) -> str:
    """The build manifest: publications, tool versions, the system components (Debian
    package versions, the fonts' digest), QA summary, the public files the disclosure
    check exempts, the user's clearance of real data, every file's sha256."""
    qa = _read_json(results["qa"].out / "qa.json")
    files = _read_json(results["site"].out / MANIFEST)["files"]
    record = {
        "generator": f"bulletin {_version()}",
        "command": "build",
        "disclosure_exempt": qa.get("exempt", {}),
        "disclosure_counts": qa.get("counts", {}),
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
        "system": dict(sorted(system.items())),
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
            [p.id, p.title, p.date.isoformat(), p.first_year, p.last_year, p.release_type]
            for p in pubs
        ],
        "rounding_base": settings.disclosure.rounding_base,
    }


def _figure_files(folder: Path) -> list[Path]:
    ids = _read_json(folder / "index.json")
    suffixes = (".svg", ".csv", ".txt", ".description.txt")
    return [folder / f"{i}{suffix}" for i in ids for suffix in suffixes]


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


def qa_memo(settings: Settings) -> Path:
    """The folder of the pages and PDFs that passed QA (`bulletin.qa.memo`), which the
    build's QA stage and `bulletin check` share."""
    return settings.paths.cache / "bulletin" / "qa"


def check(settings: Settings, site: Path | None = None, *, remember: bool = True) -> Any:
    """QA on an existing build (`bulletin check`): every check, on the site as it is, with
    the WeasyPrint warnings its manifest recorded. A page or PDF that passed before, byte for
    byte the same and checked by the same code and tools, passes again without being opened
    (the build's memo, `bulletin.qa.memo`), unless `remember` is false. Returns a
    `bulletin.qa.QAReport`."""
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
        _print_pages(settings, folder),
        disclosure=settings.disclosure,
        exempt=manifest.get("disclosure_exempt", {}),
        counts=manifest.get("disclosure_counts"),
        memo=qa_memo(settings) if remember else None,
    )


def _print_pages(settings: Settings, site: Path) -> dict[str, Path]:
    """The print page each PDF of a built site was made from, found in the pages stage's
    cache: the entry whose screen page is the site's, byte for byte."""
    found = {}
    for page in sorted((site / "report").glob("*.html")):
        entries = settings.paths.cache / "bulletin" / "stages" / f"pages-{page.stem}"
        for entry in sorted(entries.glob(f"*/{page.stem}.print.html")):
            screen = entry.with_name(page.name)
            if screen.is_file() and screen.read_bytes() == page.read_bytes():
                found[f"report/{page.stem}.pdf"] = entry
    return found
