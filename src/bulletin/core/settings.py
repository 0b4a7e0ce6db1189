"""Core: the one settings object, frozen, loaded from `bulletin.toml` at the project root.

Paths are resolved from the project root (the folder holding `bulletin.toml`), never from
the working directory. Restricted data paths come from the command line or the environment
(`BULLETIN_LINKED_DATA`), never from the settings file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SETTINGS_FILE = "bulletin.toml"
#: The publication whose linked window the findings cover: every settings file declares it.
WINDOW_PUBLICATION = "data-and-analysis"
#: A publication's id names its template folder, its module and its pages: lower-case words
#: of letters and digits joined by hyphens.
PUBLICATION_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class SettingsError(ValueError):
    """The settings file is missing or wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Publication:
    id: str
    title: str
    date: dt.date
    first_year: int | None = None  # reporting years (ending 31 March) the publication covers
    last_year: int | None = None
    release_type: str = "Research and analysis"  # as GOV.UK labels it
    #: A release from the real files: the release whose children in need file (B1) it
    #: prints (characteristics-2018: 2023, the rates as first published; 2024, re-based).
    rates_release: int | None = None

    def years(self) -> tuple[int, int]:
        """The first and last reporting years; SettingsError when the settings give none."""
        if self.first_year is None or self.last_year is None:
            raise SettingsError(
                f"[publications.{self.id}] needs first_year and last_year to be built"
            )
        return self.first_year, self.last_year


@dataclass(frozen=True)
class Disclosure:
    suppress_min: int = 1
    suppress_max: int = 5
    min_denominator: int = 10
    rounding_base: int = 10


@dataclass(frozen=True)
class Spark:
    """The `--engine spark` settings: the master (empty: `local[threads]`) and the Spark
    settings of a session that bulletin starts (a running one, under spark-submit, keeps
    its own)."""

    master: str = ""
    conf: tuple[tuple[str, str], ...] = ()

    def master_for(self, threads: int) -> str:
        return self.master or f"local[{threads}]"


@dataclass(frozen=True)
class Paths:
    root: Path
    public_data: Path
    templates: Path
    report: Path
    figures: Path
    site: Path
    cache: Path


@dataclass(frozen=True)
class Settings:
    root: Path
    seed: int
    scale: float
    engine: str
    threads: int
    source_date_epoch: int
    publications: tuple[Publication, ...]
    disclosure: Disclosure
    paths: Paths
    spark: Spark = Spark()
    linked_data: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def publication(self, pub_id: str) -> Publication:
        for pub in self.publications:
            if pub.id == pub_id:
                return pub
        known = ", ".join(p.id for p in self.publications)
        raise SettingsError(f"unknown publication {pub_id!r}; known: {known}")


def find_root(start: Path | None = None) -> Path:
    """The project root: $BULLETIN_ROOT, else the nearest folder upwards holding bulletin.toml."""
    env = os.environ.get("BULLETIN_ROOT")
    if env:
        root = Path(env).resolve()
        if not (root / SETTINGS_FILE).is_file():
            raise SettingsError(f"BULLETIN_ROOT={env} holds no {SETTINGS_FILE}")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise SettingsError(f"no {SETTINGS_FILE} in {here} or any folder above it")


def load_settings(root: Path | None = None) -> Settings:
    """Read and check `bulletin.toml`; every problem is reported at once."""
    root = find_root() if root is None else root.resolve()
    path = root / SETTINGS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}") from None

    problems: list[str] = []

    def get(table: str, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        value = raw.get(table, {}).get(key, default)
        if value is None or isinstance(value, bool) or not isinstance(value, kind):
            problems.append(f"{path}: [{table}] {key} must be {_kind_name(kind)}, got {value!r}")
            return default
        return value

    build = {
        "seed": get("build", "seed", int, 0),
        "scale": float(get("build", "scale", (int, float), 1.0)),
        "engine": get("build", "engine", str, "duckdb"),
        "threads": get("build", "threads", int, 2),
        "source_date_epoch": get("build", "source_date_epoch", int, 0),
    }
    if not 0 < build["scale"] <= 1.0:
        problems.append(f"{path}: [build] scale must be in (0, 1], got {build['scale']}")

    tables = raw.get("publications", {})
    if not isinstance(tables, dict):
        tables = {}
        problems.append(f"{path}: [publications] must be a table of publications")
    if WINDOW_PUBLICATION not in tables:
        problems.append(
            f"{path}: [publications.{WINDOW_PUBLICATION}] is missing: the findings cover its "
            "linked window"
        )
    publications = []
    for pub_id, entry in tables.items():
        pub = _publication(pub_id, entry, f"{path}: [publications.{pub_id}]", problems)
        if pub is not None:
            publications.append(pub)

    disclosure = Disclosure(
        **{k: get("disclosure", k, int, v) for k, v in Disclosure().__dict__.items()}
    )
    spark_conf = get("spark", "conf", dict, {})
    for key, value in spark_conf.items():
        if not isinstance(value, str):
            problems.append(f"{path}: [spark] conf.{key} must be text, got {value!r}")
    spark = Spark(get("spark", "master", str, ""), tuple(sorted(spark_conf.items())))
    path_keys = ("public_data", "templates", "report", "figures", "site", "cache")
    paths = Paths(root, **{k: root / get("paths", k, str, k) for k in path_keys})

    if problems:
        raise SettingsError("\n".join(problems))
    linked = os.environ.get("BULLETIN_LINKED_DATA")
    return Settings(
        root=root,
        publications=tuple(publications),
        disclosure=disclosure,
        paths=paths,
        spark=spark,
        linked_data=Path(linked).resolve() if linked else None,
        raw=raw,
        **build,
    )


def _publication(pub_id: str, entry: Any, where: str, problems: list[str]) -> Publication | None:
    """One `[publications.<id>]` table, checked; None when it cannot be read (its problems
    are added to `problems`). Any id is a publication: a build makes the ones that have a
    template folder and a module (`bulletin.pipeline.publications`)."""
    if not PUBLICATION_ID.fullmatch(pub_id):
        problems.append(
            f"{where} is not a publication id: use lower-case words of letters and digits "
            "joined by hyphens, such as new-release"
        )
        return None
    if not isinstance(entry, dict):
        problems.append(f"{where} must be a table with a title and a date")
        return None
    title, date = entry.get("title"), entry.get("date")
    if not isinstance(title, str) or not title:
        problems.append(f"{where} title must be text")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        problems.append(f"{where} date must be a date such as 2019-06-18")
    years = {k: entry.get(k) for k in ("first_year", "last_year")}
    for key, year in years.items():
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            problems.append(f"{where} {key} must be a year")
            years[key] = None
    first, last = years["first_year"], years["last_year"]
    if first is not None and last is not None and first > last:
        problems.append(f"{where} first_year is after last_year")
    release_type = entry.get("release_type", Publication.release_type)
    if not isinstance(release_type, str) or not release_type:
        problems.append(f"{where} release_type must be text")
    rates_release = entry.get("rates_release")
    if rates_release is not None and (
        isinstance(rates_release, bool) or not isinstance(rates_release, int)
    ):
        problems.append(f"{where} rates_release must be a year, such as 2023")
        rates_release = None
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        return None
    return Publication(pub_id, str(title), date, first, last, str(release_type), rates_release)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "a whole number", float: "a number", str: "text", dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


@dataclass(frozen=True)
class Clearance:
    """The user's own statement that an output checker cleared the outputs of real data:
    who, when, and any words they add (`[clearance]` in bulletin.toml)."""

    cleared_by: str
    cleared_on: dt.date
    statement: str = ""


def clearance(settings: Settings) -> Clearance:
    """The `[clearance]` statement of the settings, which `bulletin build --cleared`
    records; SettingsError when it is missing or incomplete. bulletin never fills it in."""
    path = settings.root / SETTINGS_FILE
    table = settings.raw.get("clearance")
    if not isinstance(table, dict):
        raise SettingsError(
            f"{path}: --cleared needs a [clearance] table with your own statement of who "
            "cleared these outputs (cleared_by) and when (cleared_on = 2019-06-10); "
            "bulletin never fills it in"
        )
    by, on, words = table.get("cleared_by"), table.get("cleared_on"), table.get("statement", "")
    if not isinstance(by, str) or not by.strip():
        by = None
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        on = None
    if not isinstance(words, str):
        words = None
    if by is None or on is None or words is None:
        problems = [
            f"{path}: [clearance] {text}"
            for text, bad in (
                ("cleared_by must name who cleared the outputs", by is None),
                ("cleared_on must be a date such as 2019-06-10", on is None),
                ("statement must be text", words is None),
            )
            if bad
        ]
        raise SettingsError("\n".join(problems))
    return Clearance(by.strip(), on, words)
