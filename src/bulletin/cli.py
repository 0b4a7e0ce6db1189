"""CLI: a thin shell over the pipeline. `bulletin --help` lists the commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bulletin import __version__
from bulletin.core.problems import InputError
from bulletin.core.settings import PUBLICATION_IDS, SettingsError, load_settings

EXIT_OK, EXIT_FAILED, EXIT_NOT_BUILT = 0, 1, 2
EXIT_DIFF_ERROR = 2  # `bulletin diff` exits as diff does: 0 the same, 1 different, 2 trouble
ENGINES = ("duckdb",)  # bulletin.findings.linked.ENGINES (not imported here: it is slow)

#: Commands DESIGN.md names that do not exist yet, and what will bring them.
NOT_BUILT = {
    "accessible": "accessible formats on request (a later issue)",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletin",
        description="Rebuild the children in need review publications from data.",
    )
    parser.add_argument("--version", action="version", version=f"bulletin {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build every publication (HTML, PDF, data files)")
    build.add_argument("--publication", choices=PUBLICATION_IDS, help="build only this publication")
    build.add_argument(
        "--public-data", type=Path, metavar="DIR", help="the real public data folder"
    )
    build.add_argument(
        "--linked-data", type=Path, metavar="DIR", help="a linked pupil-level extract"
    )
    build.add_argument("--engine", choices=ENGINES, default=None, help="the compute engine")
    build.add_argument(
        "--scale", type=_scale, help="scale of the default synthetic population (default: settings)"
    )
    build.add_argument("--out", type=Path, metavar="DIR", help="where to write the site")
    build.add_argument(
        "--previous-release",
        type=Path,
        metavar="DIR",
        help="a previous release's site: each publication then lists what has changed since",
    )
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")

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
        "--json", type=Path, metavar="PATH", help="write the JSON here (default: print it)"
    )
    findings.add_argument("--quiet", action="store_true", help="print nothing but errors")

    check = commands.add_parser("check", help="run the QA checks on an existing build")
    check.add_argument("--site", type=Path, metavar="DIR", help="the built site (default _site)")
    check.add_argument("--quiet", action="store_true", help="print only failures")

    diff = commands.add_parser(
        "diff",
        help="show every changed number, cell, sentence, figure and page between two builds",
        description="Compare two builds, each a build folder (a site, or a project folder "
        "holding _site) or a git revision (built in a temporary worktree sharing the stage "
        "cache). Exit status: 0 the same, 1 different, 2 an error.",
    )
    diff.add_argument("old", metavar="OLD", help="the old build: a folder or a git revision")
    diff.add_argument("new", metavar="NEW", help="the new build: a folder or a git revision")
    diff.add_argument("--json", type=Path, metavar="PATH", help="write every change as JSON")
    diff.add_argument(
        "--html", type=Path, metavar="DIR", help="write a self-contained report, DIR/index.html"
    )
    diff.add_argument(
        "--no-images", action="store_true", help="no page or chart images in the HTML report"
    )
    diff.add_argument("--quiet", action="store_true", help="print no summary")

    helps = {
        "accessible": "make an accessible format (large print, Word, braille, audio...)",
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


def _build(args: argparse.Namespace) -> int:
    from bulletin.pipeline import BuildOptions, build

    settings = load_settings()
    log: Callable[[str], None] = (lambda _: None) if args.quiet else _progress
    options = BuildOptions(
        args.publication,
        args.public_data,
        args.linked_data,
        args.out,
        scale=args.scale,
        engine=args.engine,
        previous_release=args.previous_release,
    )
    build(settings, options, log)
    return EXIT_OK


def _findings(args: argparse.Namespace) -> int:
    """Compute the findings (cached, as in a build) and write or print their JSON."""
    from bulletin.core.atomic import atomic_write_text
    from bulletin.pipeline import BuildOptions, findings

    settings = load_settings()
    log: Callable[[str], None] = (lambda _: None) if args.quiet else _progress
    options = BuildOptions(
        public_data=args.public_data, linked_data=args.linked_data, engine=args.engine
    )
    text = findings(settings, options, log)
    if args.json is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(args.json, text)
        log(f"findings: wrote {args.json}")
    return EXIT_OK


def _synthetic(args: argparse.Namespace) -> int:
    """Generate into a temporary folder beside --out, then rename it into place."""
    import os
    import shutil

    from bulletin.data.geography import load_geography
    from bulletin.synthetic import generate

    settings = load_settings()
    out: Path = args.out.resolve()
    if out.exists():
        print(f"bulletin synthetic: {out} already exists; choose a new folder", file=sys.stderr)
        return EXIT_FAILED
    log: Callable[[str], None] = (lambda _: None) if args.quiet else _progress
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
        os.rename(work, out)
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


def _diff(args: argparse.Namespace) -> int:
    """Compare two builds; 0 when they are the same, 1 when they differ, 2 on an error."""
    from bulletin.review import diff
    from bulletin.review.outputs import OutputError
    from bulletin.review.report import write_reports
    from bulletin.review.revisions import RevisionError

    try:
        settings = load_settings()
    except SettingsError:
        settings = None  # two build folders compare outside a project too
    log: Callable[[str], None] = (lambda _: None) if args.quiet else _progress
    try:
        found = diff(
            args.old,
            args.new,
            root=settings.root if settings else None,
            cache=settings.paths.cache if settings else None,
            images=args.html is not None and not args.no_images,
            log=log,
        )
        summary = write_reports(found, settings, json_path=args.json, html_folder=args.html)
    except (InputError, OutputError, RevisionError, OSError, ValueError) as exc:
        print(f"bulletin diff: {exc}", file=sys.stderr)
        return EXIT_DIFF_ERROR
    if not args.quiet:
        sys.stdout.write(summary)
    return EXIT_OK if found.same else EXIT_FAILED


def _progress(message: str) -> None:
    print(f"bulletin: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in NOT_BUILT:
        print(
            f"bulletin {args.command}: not built yet; it arrives with {NOT_BUILT[args.command]}.",
            file=sys.stderr,
        )
        return EXIT_NOT_BUILT
    from bulletin.qa import QAError

    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "check":
            return _check(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "findings":
            return _findings(args)
        return _synthetic(args) if args.command == "synthetic" else _build(args)
    except (InputError, SettingsError) as exc:
        print(f"bulletin {args.command}: bad input, nothing was changed:\n{exc}", file=sys.stderr)
        return EXIT_FAILED
    except QAError as exc:
        print(f"bulletin {args.command}: nothing was published.\n{exc}", file=sys.stderr)
        return EXIT_FAILED
