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

#: Commands DESIGN.md names that do not exist yet, and what will bring them.
NOT_BUILT = {
    "validate": "the linked-data specification (issue 6)",
    "findings": "the findings modules (issue 9)",
    "synthetic": "the synthetic population generator (issue 7)",
    "diff": "comparing two builds (a later issue)",
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
    build.add_argument("--engine", choices=("duckdb",), default=None, help="the compute engine")
    build.add_argument("--out", type=Path, metavar="DIR", help="where to write the site")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")

    check = commands.add_parser("check", help="run the QA checks on an existing build")
    check.add_argument("--site", type=Path, metavar="DIR", help="the built site (default _site)")
    check.add_argument("--quiet", action="store_true", help="print only failures")

    helps = {
        "validate": "check a linked pupil-level extract, reporting every problem",
        "findings": "compute the findings and write them as JSON",
        "synthetic": "generate a synthetic national linked population",
        "diff": "show every changed number, cell, sentence and figure between two builds",
        "accessible": "make an accessible format (large print, Word, braille, audio...)",
    }
    for name, text in helps.items():
        sub = commands.add_parser(name, help=f"{text} [not built yet]")
        sub.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _build(args: argparse.Namespace) -> int:
    from bulletin.pipeline import BuildOptions, build

    settings = load_settings()
    log: Callable[[str], None] = (lambda _: None) if args.quiet else _progress
    options = BuildOptions(args.publication, args.public_data, args.linked_data, args.out)
    build(settings, options, log)
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
        return _check(args) if args.command == "check" else _build(args)
    except (InputError, SettingsError) as exc:
        print(f"bulletin {args.command}: bad input, nothing was changed:\n{exc}", file=sys.stderr)
        return EXIT_FAILED
    except QAError as exc:
        print(f"bulletin {args.command}: nothing was published.\n{exc}", file=sys.stderr)
        return EXIT_FAILED
