"""CLI: a thin shell over the pipeline. `bulletin --help` lists the commands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bulletin import __version__
from bulletin.core.problems import InputError
from bulletin.core.progress import Reporter
from bulletin.core.settings import Settings, SettingsError, load_settings

EXIT_OK, EXIT_FAILED, EXIT_NOT_BUILT = 0, 1, 2
PREVIEW_PORT = 8765
ENGINES = ("duckdb", "spark")  # bulletin.findings.linked.ENGINES (not imported here: slow)

#: Commands DESIGN.md names that do not exist yet, and what will bring them.
NOT_BUILT = {
    "diff": "comparing two builds (a later issue)",
}
#: bulletin.render.formats.FORMATS, by name (not imported here: the CLI starts fast), and "all".
FORMAT_NAMES = ("large-print", "docx", "odt", "epub", "text", "braille", "audio")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletin",
        description="Rebuild the children in need review publications from data.",
    )
    parser.add_argument("--version", action="version", version=f"bulletin {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build every publication (HTML, PDF, data files)")
    build.add_argument("--publication", metavar="ID", help="build only this publication")
    build.add_argument(
        "--public-data", type=Path, metavar="DIR", help="the real public data folder"
    )
    build.add_argument(
        "--linked-data", type=Path, metavar="DIR", help="a linked pupil-level extract"
    )
    build.add_argument("--engine", choices=ENGINES, default=None, help="the compute engine")
    build.add_argument(
        "--spark-master", metavar="URL", help="Spark's master (default: settings, local[threads])"
    )
    build.add_argument(
        "--scale", type=_scale, help="scale of the default synthetic population (default: settings)"
    )
    build.add_argument("--out", type=Path, metavar="DIR", help="where to write the site")
    build.add_argument(
        "--formats",
        action="store_true",
        help="also make every accessible format; the site links them",
    )
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")

    accessible = commands.add_parser(
        "accessible", help="make a publication in an accessible format, checked by its validator"
    )
    accessible.add_argument("publication", metavar="PUBLICATION", help="a publication's id")
    accessible.add_argument(
        "--format",
        dest="formats",
        action="append",
        required=True,
        choices=(*FORMAT_NAMES, "all"),
        help="large-print, docx, odt, epub, text, braille, audio or all (may be repeated)",
    )
    accessible.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write (default _accessible/PUBLICATION)"
    )
    accessible.add_argument(
        "--public-data", type=Path, metavar="DIR", help="the real public data folder"
    )
    accessible.add_argument(
        "--linked-data", type=Path, metavar="DIR", help="the linked extract the build read"
    )
    accessible.add_argument("--quiet", action="store_true", help="print nothing but errors")

    synthetic = commands.add_parser(
        "synthetic", help="generate a synthetic national linked population"
    )
    synthetic.add_argument("--scale", type=_scale, help="share of the national population")
    synthetic.add_argument("--seed", type=int, help="random seed (default: the settings')")
    synthetic.add_argument("--out", type=Path, required=True, metavar="DIR", help="a new folder")
    synthetic.add_argument("--public-data", type=Path, metavar="DIR", help="the public data")
    synthetic.add_argument("--quiet", action="store_true", help="print nothing but errors")

    validate = commands.add_parser(
        "validate", help="check a linked pupil-level extract, reporting every problem"
    )
    validate.add_argument(
        "--linked-data", type=Path, metavar="DIR", required=True, help="the extract's folder"
    )
    validate.add_argument(
        "--public-data",
        type=Path,
        metavar="DIR",
        help="the real public data folder (its local authorities are the valid la_codes)",
    )

    findings = commands.add_parser(
        "findings", help="compute the findings and write them as JSON (the findings context)"
    )
    findings.add_argument(
        "--public-data", type=Path, metavar="DIR", help="the real public data folder"
    )
    findings.add_argument(
        "--linked-data", type=Path, metavar="DIR", help="a linked pupil-level extract"
    )
    findings.add_argument("--engine", choices=ENGINES, default=None, help="the compute engine")
    findings.add_argument(
        "--spark-master", metavar="URL", help="Spark's master (default: settings, local[threads])"
    )
    findings.add_argument(
        "--json", type=Path, metavar="PATH", help="write the JSON here (default: print it)"
    )
    findings.add_argument("--quiet", action="store_true", help="print nothing but errors")

    preview = commands.add_parser(
        "preview",
        help="build the web pages, serve them on 127.0.0.1 and rebuild and reload on each change",
    )
    preview.add_argument("--publication", metavar="ID", help="preview only this publication")
    preview.add_argument(
        "--port", type=int, default=PREVIEW_PORT, help=f"the port (default {PREVIEW_PORT})"
    )
    preview.add_argument(
        "--public-data", type=Path, metavar="DIR", help="the real public data folder"
    )
    preview.add_argument(
        "--linked-data", type=Path, metavar="DIR", help="a linked pupil-level extract"
    )
    preview.add_argument(
        "--scale", type=_scale, help="scale of the default synthetic population (default: settings)"
    )
    preview.add_argument("--quiet", action="store_true", help="print nothing but errors")

    new = commands.add_parser(
        "new", help="write a new publication's template folder, module and settings entry"
    )
    new.add_argument("id", metavar="PUBLICATION-ID", help="lower-case words joined by hyphens")
    new.add_argument("--title", help="the publication's title (default: from its id)")
    new.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="its publication date (default: the data and analysis publication's)",
    )

    check = commands.add_parser("check", help="run the QA checks on an existing build")
    check.add_argument("--site", type=Path, metavar="DIR", help="the built site (default _site)")
    check.add_argument("--quiet", action="store_true", help="print only failures")

    helps = {
        "diff": "show every changed number, cell, sentence and figure between two builds",
    }
    for name, text in helps.items():
        sub = commands.add_parser(name, help=f"{text} [not built yet]")
        sub.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _scale(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"scale must be above 0 and at most 1, got {text}")
    return value


def _settings(args: argparse.Namespace) -> Settings:
    """The settings, with --spark-master in place of theirs when given."""
    settings = load_settings()
    if args.spark_master:
        settings = replace(settings, spark=replace(settings.spark, master=args.spark_master))
    return settings


def _build(args: argparse.Namespace) -> int:
    from bulletin.pipeline import BuildOptions, build

    settings = _settings(args)
    options = BuildOptions(
        args.publication,
        args.public_data,
        args.linked_data,
        args.out,
        scale=args.scale,
        engine=args.engine,
        formats=args.formats,
    )
    with Reporter(quiet=args.quiet) as reporter:
        build(settings, options, reporter.log, reporter)
    return EXIT_OK


def _accessible(args: argparse.Namespace) -> int:
    """Make the formats asked for (cached stages, each checked), into --out."""
    from bulletin.pipeline import BuildOptions, accessible

    settings = load_settings()
    names = FORMAT_NAMES if "all" in args.formats else tuple(dict.fromkeys(args.formats))
    options = BuildOptions(public_data=args.public_data, linked_data=args.linked_data, out=args.out)
    with Reporter(quiet=args.quiet) as reporter:
        made = accessible(settings, args.publication, names, options, reporter.log, reporter)
    for path in made:
        print(path)
    return EXIT_OK


def _findings(args: argparse.Namespace) -> int:
    """Compute the findings (cached, as in a build) and write or print their JSON."""
    from bulletin.core.atomic import atomic_write_text
    from bulletin.pipeline import BuildOptions, findings

    settings = _settings(args)
    options = BuildOptions(
        public_data=args.public_data, linked_data=args.linked_data, engine=args.engine
    )
    with Reporter(quiet=args.quiet) as reporter:
        text = findings(settings, options, reporter.log, reporter)
        if args.json is None:
            sys.stdout.write(text)
        else:
            atomic_write_text(args.json, text)
            reporter.log(f"findings: wrote {args.json}")
    return EXIT_OK


def _synthetic(args: argparse.Namespace) -> int:
    """Generate into a temporary folder beside --out, then put it in place in one step
    (--out may be missing, or an empty folder, as for `bulletin build`)."""
    import os
    import shutil

    from bulletin.core.atomic import swap_in
    from bulletin.data.geography import load_geography
    from bulletin.synthetic import generate

    settings = load_settings()
    out: Path = args.out.resolve()
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        print(
            f"bulletin synthetic: {out} already exists and is not empty; "
            "choose a new or an empty folder",
            file=sys.stderr,
        )
        return EXIT_FAILED
    log = Reporter(quiet=args.quiet).log
    geography = load_geography(args.public_data or settings.paths.public_data)
    work = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        summary = generate(
            geography,
            work,
            seed=settings.seed if args.seed is None else args.seed,
            scale=settings.scale if args.scale is None else args.scale,
            log=log,
        )
        swap_in(work, out, "synthetic")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for table, rows in summary.rows.items():
        log(f"{table}: {rows:,} rows")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    """Print every problem of a linked extract, blocking ones first; write nothing."""
    from bulletin.data.linked import validate

    settings = load_settings()
    report = validate(
        args.linked_data, args.public_data or settings.paths.public_data, settings.threads
    )
    for problem in report.problems:
        print(problem)
    rows = sum(report.rows.values())
    print(
        f"bulletin validate: {args.linked_data}: {rows:,} rows in {len(report.rows)} tables; "
        f"{len(report.blocking):,} blocking problems, {len(report.warnings):,} warnings",
        file=sys.stderr,
    )
    return EXIT_FAILED if report.blocking else EXIT_OK


def _preview(args: argparse.Namespace) -> int:
    """Serve the preview until interrupted (Ctrl+C): a failed rebuild never stops it."""
    from bulletin.author.preview import ServeError, serve
    from bulletin.pipeline import BuildOptions

    options = BuildOptions(args.publication, args.public_data, args.linked_data, scale=args.scale)
    with Reporter(quiet=args.quiet) as reporter:
        try:
            serve(options, args.port, reporter)
        except KeyboardInterrupt:
            reporter.log("preview: stopped")
        except ServeError as exc:
            print(f"bulletin preview: {exc}; choose another with --port", file=sys.stderr)
            return EXIT_FAILED
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    """Write a new publication's skeleton (`bulletin.author.skeleton`), or refuse."""
    from bulletin.author.skeleton import NewError, new_publication

    try:
        made = new_publication(args.id, args.title, args.date)
    except NewError as exc:
        print(f"bulletin new: {exc}. Nothing was changed.", file=sys.stderr)
        return EXIT_FAILED
    root = made.settings.parent
    for path in (made.template, made.module):
        print(f"bulletin new: wrote {path.relative_to(root)}", file=sys.stderr)
    print(
        f"bulletin new: added [publications.{args.id}] to {made.settings.name}. Next: "
        f"bulletin preview --publication {args.id}, and docs/new-publication.md",
        file=sys.stderr,
    )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from bulletin.pipeline import check
    from bulletin.qa import Result, summary

    report = check(load_settings(), args.site)
    for result in report.results:
        if result.result is not Result.PASS or not args.quiet:
            print(result, file=sys.stderr if result.result is Result.FAIL else sys.stdout)
    counts = summary(report.results)
    if not args.quiet or report.failed:
        print(
            f"bulletin check: {counts['pass']} passed, {counts['warning']} warnings, "
            f"{counts['fail']} failed",
            file=sys.stderr,
        )
    return EXIT_FAILED if report.failed else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in NOT_BUILT:
        print(
            f"bulletin {args.command}: not built yet; it arrives with {NOT_BUILT[args.command]}.",
            file=sys.stderr,
        )
        return EXIT_NOT_BUILT
    from bulletin.data.linked.spark import SparkUnavailableError
    from bulletin.qa import QAError

    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "check":
            return _check(args)
        if args.command == "findings":
            return _findings(args)
        if args.command == "preview":
            return _preview(args)
        if args.command == "new":
            return _new(args)
        if args.command == "accessible":
            return _accessible(args)
        return _synthetic(args) if args.command == "synthetic" else _build(args)
    except (InputError, SettingsError) as exc:
        print(f"bulletin {args.command}: bad input, nothing was changed:\n{exc}", file=sys.stderr)
        return EXIT_FAILED
    except QAError as exc:
        print(f"bulletin {args.command}: nothing was published.\n{exc}", file=sys.stderr)
        return EXIT_FAILED
    except SparkUnavailableError as exc:
        print(f"bulletin {args.command}: nothing was changed: {exc}", file=sys.stderr)
        return EXIT_FAILED
