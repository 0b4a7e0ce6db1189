"""CLI: a thin shell over the pipeline. `bulletin --help` lists the commands.

Every failure is a message, never a traceback: bad input lists its problems (at most
`PRINT_CAP` of each kind per file on the terminal, every one in a report file under the
cache, which is also where problems quoting pupil-level values may go); an output the
rule of `bulletin.core.outputs` refuses, or a file system that cannot be written, is one
message; anything unexpected is one line naming the log file that holds its traceback.
Each says that nothing was changed, or that nothing was published.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bulletin import __version__
from bulletin.core.outputs import OutputError
from bulletin.core.problems import InputError, Problem
from bulletin.core.progress import Reporter
from bulletin.core.settings import Settings, SettingsError, load_settings

EXIT_OK, EXIT_FAILED = 0, 1
PREVIEW_PORT = 8765
EXIT_DIFF_ERROR = 2  # `bulletin diff` exits as diff does: 0 the same, 1 different, 2 trouble
ENGINES = ("duckdb", "spark")  # bulletin.findings.linked.ENGINES (not imported here: slow)

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
    build.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where to write the site: a new or empty folder, or a site bulletin built",
    )
    build.add_argument(
        "--cleared",
        action="store_true",
        help="real data only: the outputs were cleared; record [clearance] of the settings "
        "and leave out the 'not yet cleared' mark",
    )
    build.add_argument(
        "--previous-release",
        type=Path,
        metavar="DIR",
        help="a previous release's site: each publication then lists what has changed since",
    )
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
    synthetic.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="a new or empty folder, or one this command wrote before",
    )
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
    findings.add_argument(
        "--force", action="store_true", help="let --json replace a file bulletin did not write"
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
    check.add_argument(
        "--afresh",
        action="store_true",
        help="check every page and PDF again, even those that passed before unchanged",
    )

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
        cleared=args.cleared,
        previous_release=args.previous_release,
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
    """Compute the findings (cached, as in a build) and write or print their JSON. --json
    may replace only a findings file bulletin wrote, unless --force."""
    from bulletin.core.atomic import atomic_write_text
    from bulletin.core.outputs import check_file
    from bulletin.findings.context import GENERATOR
    from bulletin.pipeline import BuildOptions, findings, output_protected

    settings = _settings(args)
    options = BuildOptions(
        public_data=args.public_data, linked_data=args.linked_data, engine=args.engine
    )
    if args.json is not None:
        check_file(
            args.json,
            recognise=lambda found: isinstance(found, dict) and found.get("generator") == GENERATOR,
            force=args.force,
            root=settings.root,
            protected=output_protected(settings, options),
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
    """Generate into a new folder beside --out, then swap it in whole: --out must be
    missing, empty, or a folder this command wrote before (`bulletin.core.outputs`)."""
    from bulletin.core.atomic import private_temp
    from bulletin.core.outputs import protected_folders, write_folder
    from bulletin.data.geography import load_geography
    from bulletin.synthetic import Summary, generate

    settings = load_settings()
    protected = protected_folders(settings, given_public_data=args.public_data)
    log = Reporter(quiet=args.quiet).log
    made: list[Summary] = []

    def fill(folder: Path) -> None:
        geography = load_geography(args.public_data or settings.paths.public_data)
        seed = settings.seed if args.seed is None else args.seed
        scale = settings.scale if args.scale is None else args.scale
        folder.rmdir()  # `generate` makes the folder it writes
        made.append(generate(geography, folder, seed=seed, scale=scale, log=log))

    with private_temp(settings.paths.cache / "bulletin"):
        write_folder(args.out, "synthetic", fill, root=settings.root, protected=protected)
    summary = made[0]
    for table, rows in summary.rows.items():
        log(f"{table}: {rows:,} rows")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    """Print every problem of a linked extract, blocking ones first (at most PRINT_CAP of a
    kind per file; every one in the report file under the cache); write nothing else."""
    from bulletin.core.atomic import private_temp
    from bulletin.core.problems import printed
    from bulletin.data.linked import validate

    settings = load_settings()
    with private_temp(settings.paths.cache / "bulletin"):
        report = validate(
            args.linked_data, args.public_data or settings.paths.public_data, settings.threads
        )
    lines = printed(report.problems)
    for line in lines:
        print(line)
    if lines != [str(p) for p in report.problems]:  # some were left out: the whole list
        where = _problem_report(settings, "validate", report.problems)
        print(f"bulletin validate: every problem is listed in {where}", file=sys.stderr)
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

    report = check(load_settings(), args.site, remember=not args.afresh)
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


def _os_problem(exc: OSError) -> str:
    """'FILE: why' for an error of the file system (the first of a copy's errors)."""
    import shutil

    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list):
        _, target, why = exc.args[0][0]
        return f"{target}: {why}"
    return f"{exc.filename or 'a file'}: {exc.strerror or exc}"


def _problem_report(settings: Settings | None, command: str, problems: Sequence[Problem]) -> str:
    """Write every problem to `<cache>/bulletin/reports/<command>-problems.txt` (never in
    the site: they may quote pupil-level values); its path, or why it was not written."""
    from bulletin.core.atomic import atomic_write_text
    from bulletin.core.problems import report_text

    if settings is None:
        return "no report file (the settings could not be read)"
    path = settings.paths.cache / "bulletin" / "reports" / f"{command}-problems.txt"
    try:
        atomic_write_text(path, report_text(problems))
    except OSError as exc:
        return f"no report file ({path}: {exc.strerror})"
    return str(path)


def _settings_or_none() -> Settings | None:
    try:
        return load_settings()
    except SettingsError:
        return None


def _bad_input(command: str, exc: InputError) -> None:
    from bulletin.core.problems import printed

    lines = printed(exc.problems)
    print(f"bulletin {command}: bad input, nothing was changed:", file=sys.stderr)
    print("\n".join(lines), file=sys.stderr)
    if lines != [str(p) for p in exc.problems]:  # some were left out: the whole list
        where = _problem_report(_settings_or_none(), command, exc.problems)
        print(f"bulletin {command}: every problem is listed in {where}", file=sys.stderr)


def _unexpected(command: str, exc: BaseException) -> None:
    """One line for an exception no check foresaw; its traceback goes to a log file."""
    import traceback

    from bulletin.core.atomic import atomic_write_text

    text = "".join(traceback.format_exception(exc))
    settings = _settings_or_none()
    where = None
    if settings is not None:
        path = settings.paths.cache / "bulletin" / "logs" / f"{command}-error.log"
        try:
            atomic_write_text(path, text)
            where = path
        except OSError:
            where = None
    what = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
    if where is None:
        print(text, file=sys.stderr)
        where_words = "the traceback is above"
    else:
        where_words = f"the traceback is in {where}"
    print(
        f"bulletin {command}: unexpected error ({what}); {where_words}. Nothing was published.",
        file=sys.stderr,
    )


def _diff(args: argparse.Namespace) -> int:
    """Compare two builds; 0 when they are the same, 1 when they differ, 2 on an error."""
    from bulletin.review import diff
    from bulletin.review.report import write_reports
    from bulletin.review.revisions import RevisionError

    try:
        settings = load_settings()
    except SettingsError:
        settings = None  # two build folders compare outside a project too
    log = Reporter(quiet=args.quiet).log
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from bulletin.data.linked.spark import SparkUnavailableError
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
        if args.command == "preview":
            return _preview(args)
        if args.command == "new":
            return _new(args)
        if args.command == "accessible":
            return _accessible(args)
        return _synthetic(args) if args.command == "synthetic" else _build(args)
    except InputError as exc:
        _bad_input(args.command, exc)
    except SettingsError as exc:
        print(f"bulletin {args.command}: bad input, nothing was changed:\n{exc}", file=sys.stderr)
    except OutputError as exc:
        print(f"bulletin {args.command}: refused: {exc}", file=sys.stderr)
    except QAError as exc:
        print(f"bulletin {args.command}: nothing was published.\n{exc}", file=sys.stderr)
        return EXIT_FAILED
    except SparkUnavailableError as exc:
        print(f"bulletin {args.command}: nothing was changed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(
            f"bulletin {args.command}: cannot write or read {_os_problem(exc)}. Nothing was "
            "published: every output is as it was.",
            file=sys.stderr,
        )
    except Exception as exc:  # the catch-all: one line, the traceback in a log file
        _unexpected(args.command, exc)
    return EXIT_FAILED
