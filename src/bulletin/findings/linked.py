"""Findings (shared): the linked extract as Ibis tables, the parameters, the definitions every
section shares, and the registry of the queries the sections run.

Every query a section runs is a function `(Linked, Params) -> ibis.Table` registered with
`@query("section.name")`, and runs only through `Linked.run(name, params)`. So the registry
holds every findings query, and a test compiles each one for Spark
(`spark_sql`: `ibis.to_sql(expr, dialect="pyspark")`) on `unbound()` tables, with no
database.

Tables that several queries use (each child's need flags, the pupils of a census, the groups
on a 31 March, the journeys' runs) are built by `Linked.shared`: on a backend, computed once
per run and kept as a temporary table; unbound, the expression itself, so that the Spark
SQL of a query holds all of its logic.

Definitions (docs/methodology.md):

- An *episode of need* is a `cin_episodes` row that is not `referral_nfa` and whose
  `closure_reason` is not RC8 (assessed, not in need): as the children in need statistics
  count. A child is *in need at some point* in [a, b] when referral_date <= b and
  (closure_date is null or closure_date >= a); *in need on* day d when referral_date <= d
  and (closure_date is null or closure_date > d). On a plan or looked after on a day: the
  same with the plan's or the `cla_episodes` row's start and end.
- *Groups at 31 March*: CLA (looked after), else CPPO (on a child protection plan), else
  CINO (in need only).
- *Groups in a year* (attainment and outcomes after 16): CLA (looked after at some point in
  the reporting year), else CPPO (on a plan at some point in it), else CINO (in need at some
  point in it), else PREV (in need at some point in an earlier reporting year of the
  window), else NEVER. CLA, CPPO and CINO together are the *children in need in the year*.
- *Pupils* are `school_census` rows at main registration (C or M), once per census:
  the population of every count of pupils from a census (characteristics, schools,
  absence, exclusions, SEN). An absence or exclusions row of a child with no such row
  that year is in no count.
- An episode row that repeats another in every field is the same episode: episodes are
  counted by distinct `episode_id` (primary needs, episodes per child), and every flag,
  status and group is an "or" or a "max" over episodes, which a repeat cannot change.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core import schema
from bulletin.core.settings import Disclosure, Spark

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

    from bulletin.data.linked import LinkedData
    from bulletin.data.linked.spark import SparkExtract

ENGINES = ("duckdb", "spark")
MAIN_REGISTRATION = ("C", "M")
CLA, CPPO, CINO, OTHER = "CLA", "CPPO", "CINO", "other pupils"
PREV, NEVER = "PREV", "NEVER"
GROUPS = (CLA, CPPO, CINO)  # in order of precedence
YEAR_GROUPS = (*GROUPS, PREV, NEVER)  # groups in a year, in order of precedence
#: The status of a child on a day, as a number (higher wins): used by groups and journeys.
RANK = {CINO: 1, CPPO: 2, CLA: 3}

SOURCE_CIN = "Children in need census and looked-after children return, linked extract"
SOURCE_PUPILS = "School census linked to the children in need census, linked extract"
SOURCE_ABSENCE = "School census, absence and exclusions linked to the children in need census"
SOURCE_ATTAINMENT = (
    "National Pupil Database (early years foundation stage profile, key stage 2 and key stage "
    "4) linked to the children in need census"
)
SOURCE_AFTER16 = (
    "National Pupil Database (key stage 4, attainment at 19 and 21, destinations at 18) "
    "linked to the children in need census"
)

_DTYPES = {
    schema.Kind.ID: "int64",
    schema.Kind.INT: "int64",
    schema.Kind.NUMBER: "float64",
    schema.Kind.BOOL: "boolean",
    schema.Kind.DATE: "date",
    schema.Kind.CODE: "string",
    schema.Kind.TEXT: "string",
}


@dataclass(frozen=True)
class Params:
    """What the findings need besides the data: the disclosure thresholds, the public
    estimate of all children in the window (facts file) and the reporting years.

    `first_year` and `last_year` are the reporting years (ending 31 March) of the linked
    window of the final publications (2013 and 2018: 2012-13 to 2017-18); the interim
    findings' windows end a year earlier.
    """

    disclosure: Disclosure
    children_in_window: int
    first_year: int = 2013
    last_year: int = 2018

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        return year_start(self.first_year), year_end(self.last_year)

    @property
    def interim_year(self) -> int:
        """The last reporting year of the interim findings' evidence (2016-17)."""
        return self.last_year - 1

    @property
    def attainment_years(self) -> tuple[int, int]:
        """The academic years (by the year they end) of the attainment findings: the
        window's last (2017/18, the final publications') and the interim findings' (2015/16:
        the year before their last reporting year, the latest results linked then)."""
        return self.last_year, self.interim_year - 1

    @property
    def after16_years(self) -> tuple[int, int]:
        """The key stage 4 cohorts (by the year their academic year ends) followed after 16:
        the one that is 21 by the end of the window (2012/13: level 2 by 21) and the latest
        whose outcomes at 19 are known (2014/15: activity and higher education at 18)."""
        return self.last_year - 5, self.last_year - 3

    @property
    def status_years(self) -> tuple[int, ...]:
        """Every reporting year whose groups (`groups_in_year`) the findings use."""
        return tuple(sorted({*self.attainment_years, *self.after16_years}))


def year_start(year: int) -> dt.date:
    """1 April that opens the reporting year ending 31 March `year`."""
    return dt.date(year - 1, 4, 1)


def year_end(year: int) -> dt.date:
    """31 March that closes the reporting year `year`."""
    return dt.date(year, 3, 31)


def academic_year(year: int) -> int:
    """The academic year code of the January census in calendar year `year` (2018: 201718)."""
    return (year - 1) * 100 + year % 100


@dataclass(frozen=True)
class Linked:
    """The tables of a linked extract as Ibis tables, on a backend (or unbound, to compile)."""

    tables: Mapping[str, ir.Table]
    backend: Any = None  # an Ibis backend; None for unbound tables
    _kept: dict[tuple[str, Params], ir.Table] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> ir.Table:
        return self.tables[name]

    def shared(self, name: str, params: Params, build: Callable[[], ir.Table]) -> ir.Table:
        """A table that several queries use: on a backend, `build()` computed once and kept
        as a temporary table (in Spark, which has none, a temporary view cached when first
        used); unbound, the expression itself."""
        if self.backend is None:
            return build()
        key = (name, params)
        if key not in self._kept:
            table = f"shared_{name}_{len(self._kept)}"
            if self.backend.name == "pyspark":
                self._kept[key] = self.backend.create_view(table, build(), overwrite=True)
                self.backend.raw_sql(f"CACHE LAZY TABLE `{table}`")
            else:
                self._kept[key] = self.backend.create_table(table, build(), temp=True)
        return self._kept[key]

    def run(self, name: str, params: Params) -> pd.DataFrame:
        """Run the registered query `name`; its (small) result as a pandas frame. On Spark,
        the query's name is the job description, so Spark's own record of what it ran (its
        UI, event log and history server) names each query."""
        if self.backend is None:
            raise RuntimeError("these tables are unbound: they compile but do not run")
        expr = QUERIES[name](self, params)
        if self.backend.name != "pyspark":
            frame: pd.DataFrame = self.backend.execute(expr)
            return frame
        from pandas.errors import Pandas4Warning
        from pyspark.sql import SparkSession

        context = SparkSession.active().sparkContext
        context.setJobDescription(f"{SPARK_JOB_PREFIX}{name}")
        try:
            with warnings.catch_warnings():
                # pyspark 4.0 hands its results to pandas with a keyword pandas 3 deprecates
                warnings.filterwarnings("ignore", category=Pandas4Warning, module="pyspark")
                frame = self.backend.execute(expr)
        finally:
            context.setJobDescription(None)
        return frame


#: Each findings query's job description on Spark: this and the query's name.
SPARK_JOB_PREFIX = "bulletin query "


@contextmanager
def opened(
    folder: Path, engine: str, threads: int, spark: Spark, scratch: Path
) -> Iterator[tuple[Linked, dict[str, Any]]]:
    """The validated extract in `folder` as Ibis tables on `engine`, with its dataset.json:
    in DuckDB (`threads` threads), or in Spark (`spark`: its master and the settings of a
    session started here, whose scratch files go under `scratch`)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    if engine == "spark":
        from bulletin.data.linked.spark import spark_extract

        master = spark.master_for(threads)
        with spark_extract(folder, master, scratch, dict(spark.conf)) as extract:
            yield connect(extract), extract.dataset
        return
    from bulletin.data.linked import load

    with load(folder, threads) as data:
        yield connect(data), data.dataset


def connect(data: LinkedData | SparkExtract) -> Linked:
    """The extract as Ibis tables: opened in DuckDB by `bulletin.data.linked.load`, or as
    Spark views by `bulletin.data.linked.spark.spark_extract`."""
    import ibis

    from bulletin.data.linked import LinkedData

    if isinstance(data, LinkedData):
        # every result is aggregated and read by key, so row order never matters: let
        # DuckDB stream without keeping it (less memory, faster)
        data.con.execute("SET preserve_insertion_order = false")
        backend = ibis.duckdb.from_connection(data.con)
    else:
        backend = ibis.pyspark.connect(data.session)
    return Linked({t.name: backend.table(t.name) for t in schema.TABLES}, backend)


def unbound() -> Linked:
    """The tables of the schema with no data behind them: for compiling queries to SQL."""
    import ibis

    return Linked(
        {
            t.name: ibis.table({f.name: _DTYPES[f.kind] for f in t.fields}, name=t.name)
            for t in schema.TABLES
        }
    )


def spark_sql(expr: ir.Expr) -> str:
    """`expr` as Spark SQL (`ibis.to_sql(expr, dialect="pyspark")`), with no Spark here.

    The PySpark compiler reads the PySpark backend's options, which only exist once that
    backend (and so pyspark itself) is imported; without them any floating-point column
    fails to compile. So its one option is set here to the backend's own default
    (`treat_nan_as_null = False`) when it is missing."""
    import ibis
    from ibis.config import Config

    if ibis.options.pyspark is None:

        class PySparkOptions(Config):  # type: ignore[misc]  # ibis's Config is untyped
            treat_nan_as_null: bool = False

        ibis.options.pyspark = PySparkOptions()
    return str(ibis.to_sql(expr, dialect="pyspark"))


# -- the registry --------------------------------------------------------------------------

Query = Callable[[Linked, Params], "ir.Table"]
QUERIES: dict[str, Query] = {}


def query(name: str) -> Callable[[Query], Query]:
    """Register a findings query under `name` (section.what)."""

    def register(fn: Query) -> Query:
        if name in QUERIES:
            raise ValueError(f"query {name} is registered twice")
        QUERIES[name] = fn
        return fn

    return register


# -- shared definitions ---------------------------------------------------------------------


def need_episodes(linked: Linked) -> ir.Table:
    """Episodes of need: not a referral with no further action, not closed RC8."""
    e = linked["cin_episodes"]
    return e.filter(~e.referral_nfa, e.closure_reason.fill_null("") != "RC8")


def meets(start: ir.DateValue, end: ir.DateValue, first: dt.date, last: dt.date) -> ir.BooleanValue:
    """An interval [start, end] (end null: still open) meets the days first to last."""
    return (start <= last) & (end.isnull() | (end >= first))


def open_on(start: ir.DateValue, end: ir.DateValue, day: dt.date) -> ir.BooleanValue:
    """An interval is open on `day`: started by then and not ended by then."""
    return (start <= day) & (end.isnull() | (end > day))


def need_windows(params: Params) -> dict[str, tuple[dt.date, dt.date]]:
    """The windows of `need_flags`: the window (B1), the interim window (D1), the six years
    up to the interim year (D2), and each reporting year of the window (A1)."""
    interim = params.interim_year
    windows = {
        "window": params.window,
        "interim": (year_start(interim - 2), year_end(interim)),
        "previous": (year_start(interim - 5), year_end(interim)),
    }
    for year in range(params.first_year, params.last_year + 1):
        windows[f"any_point_{year}"] = (year_start(year), year_end(year))
    return windows


def need_flag_names(params: Params) -> tuple[str, ...]:
    """The flags of `need_flags`, in the order of their bits."""
    days = [f"at_31_march_{y}" for y in range(params.first_year, params.last_year + 1)]
    return (*need_windows(params), *days, "disabled")


def need_flags(linked: Linked, params: Params) -> ir.Table:
    """Each child with an episode of need, once (shared): child_id and `mask`, whose bits
    (`flag`) say whether they were in need at some point in each of `need_windows`, on each
    31 March of the window (at_31_march_<year>), and whether a disability was recorded in an
    episode of need that meets the window ("disabled"). Each episode sets its own bits; a
    child's mask is their episodes' bitwise or (BIT_OR in DuckDB and in Spark)."""

    def build() -> ir.Table:
        import ibis

        e = need_episodes(linked)
        conditions = {
            name: meets(e.referral_date, e.closure_date, first, last)
            for name, (first, last) in need_windows(params).items()
        }
        for year in range(params.first_year, params.last_year + 1):
            day = year_end(year)
            conditions[f"at_31_march_{year}"] = open_on(e.referral_date, e.closure_date, day)
        first, last = params.window
        conditions["disabled"] = e.disabled & meets(e.referral_date, e.closure_date, first, last)
        names = need_flag_names(params)
        mask = sum(
            (ibis.ifelse(conditions[name], 1 << bit, 0) for bit, name in enumerate(names)),
            ibis.literal(0, "int64"),
        )
        episodes = e.select("child_id", mask=mask.cast("int64"))
        return episodes.group_by("child_id").aggregate(mask=_bit_or(episodes.mask))

    return linked.shared("need_flags", params, build)


def flag(flags: ir.Table, params: Params, name: str) -> ir.BooleanValue:
    """One flag of `need_flags` (see `need_flag_names`) as a boolean."""
    bit = need_flag_names(params).index(name)
    return (flags.mask & (1 << bit)) != 0


def _bit_or(column: ir.IntegerValue) -> ir.IntegerValue:
    """The bitwise or of a column: BIT_OR, a built-in aggregate of DuckDB and of Spark."""
    import ibis

    def bit_or(x: int) -> int:
        """BIT_OR(x): the engine's own function, never run in Python."""
        raise NotImplementedError

    return ibis.udf.agg.builtin(bit_or, name="bit_or")(column)


def in_need_between(linked: Linked, params: Params, window: str = "window") -> ir.Table:
    """Distinct children (child_id, in_need = 1) in need at some point in one of the
    windows of `need_windows`."""
    import ibis

    flags = need_flags(linked, params)
    return flags.filter(flag(flags, params, window)).select("child_id", in_need=ibis.literal(1))


def plans_of_children(linked: Linked, params: Params) -> ir.Table:
    """Child protection plans with the child they belong to (shared): child_id, start_date,
    end_date."""

    def build() -> ir.Table:
        plans = linked["child_protection_plans"]
        episodes = linked["cin_episodes"].select("episode_id", "child_id")
        return plans.join(episodes, "episode_id").select("child_id", "start_date", "end_date")

    return linked.shared("plans", params, build)


def group_years(params: Params) -> tuple[int, ...]:
    """The 31 Marches on which groups are taken: the last year's and the interim year's."""
    return (params.last_year, params.interim_year)


def groups_at(linked: Linked, params: Params, year: int) -> ir.Table:
    """Each child in need, on a plan or looked after on 31 March `year` (one of
    `group_years`), with their group (child_id, group): CLA, else CPPO, else CINO."""
    import ibis

    ranks = _group_ranks(linked, params)
    rank = ranks[f"rank_{year}"]
    return ranks.filter(rank > 0).select(
        "child_id", group=ibis.cases(*((rank == r, g) for g, r in RANK.items()))
    )


def _group_ranks(linked: Linked, params: Params) -> ir.Table:
    """Each child in need, on a plan or looked after on a 31 March of `group_years`, with
    the rank of their status on each (0 none, 1 CINO, 2 CPPO, 3 CLA): shared."""

    def on_31_march(start: ir.DateValue, end: ir.DateValue, y: int) -> ir.BooleanValue:
        return open_on(start, end, year_end(y))

    return _ranks(linked, params, "group_ranks", group_years(params), on_31_march)


def groups_in_year(linked: Linked, params: Params, year: int) -> ir.Table:
    """Each child of a group in reporting year `year` (one of `Params.status_years`) but
    NEVER, with their group (child_id, group): CLA (looked after at some point in the year),
    else CPPO (on a plan), else CINO (in need), else PREV (in need at some point in an
    earlier reporting year of the window). Every other child is NEVER."""
    import ibis

    ranks = _year_ranks(linked, params)
    rank = ranks[f"rank_{year}"]
    current = ranks.filter(rank > 0).select("child_id", rank=rank)
    earlier = [f"any_point_{y}" for y in range(params.first_year, year)]
    if earlier:
        flags = need_flags(linked, params)
        bits = sum(1 << need_flag_names(params).index(name) for name in earlier)
        before = flags.filter((flags.mask & bits) != 0).select(
            "child_id", rank=ibis.literal(0, "int64")
        )
        both = ibis.union(current, before, distinct=False)
        current = both.group_by("child_id").aggregate(rank=both.rank.max())
    rank = current.rank
    return current.select(
        "child_id",
        group=ibis.cases(*((rank == r, g) for g, r in RANK.items()), else_=PREV),
    )


def _year_ranks(linked: Linked, params: Params) -> ir.Table:
    """Each child in need, on a plan or looked after at some point in a reporting year of
    `Params.status_years`, with the rank of their status in each (0 none, 1 CINO, 2 CPPO,
    3 CLA): shared."""

    def during(start: ir.DateValue, end: ir.DateValue, y: int) -> ir.BooleanValue:
        return meets(start, end, year_start(y), year_end(y))

    return _ranks(linked, params, "year_ranks", params.status_years, during)


def _ranks(
    linked: Linked,
    params: Params,
    name: str,
    years: Sequence[int],
    holds: Callable[[ir.DateValue, ir.DateValue, int], ir.BooleanValue],
) -> ir.Table:
    """Each child with a status (need, plan, care) that `holds` in one of `years`, with the
    rank of their highest such status in each (rank_{year}: 0 none, 1 CINO, 2 CPPO,
    3 CLA), shared under `name`."""
    import ibis

    def build() -> ir.Table:
        need = need_episodes(linked)
        plans = plans_of_children(linked, params)
        cla = linked["cla_episodes"]
        sources = (
            (need, need.referral_date, need.closure_date, RANK[CINO]),
            (plans, plans.start_date, plans.end_date, RANK[CPPO]),
            (cla, cla.start_date, cla.end_date, RANK[CLA]),
        )
        ranked = ibis.union(
            *(
                table.filter(ibis.or_(*(holds(start, end, y) for y in years))).select(
                    "child_id",
                    **{
                        f"rank_{y}": ibis.ifelse(holds(start, end, y), rank, 0).cast("int64")
                        for y in years
                    },
                )
                for table, start, end, rank in sources
            ),
            distinct=False,
        )
        return ranked.group_by("child_id").aggregate(
            **{f"rank_{y}": ranked[f"rank_{y}"].max() for y in years}
        )

    return linked.shared(name, params, build)


def main_pupils(linked: Linked, params: Params, year: int) -> ir.Table:
    """Pupils at their main registration in the January census of calendar year `year` (one
    of `group_years`): child_id, urn, sen_provision, fsm_eligible."""
    pupils = _census_pupils(linked, params)
    return pupils.filter(pupils.academic_year == academic_year(year)).drop("academic_year")


def _census_pupils(linked: Linked, params: Params) -> ir.Table:
    """Pupils at their main registration in the January censuses of `group_years` (shared)."""

    def build() -> ir.Table:
        c = linked["school_census"]
        years = [academic_year(y) for y in group_years(params)]
        rows = c.filter(c.academic_year.isin(years), c.enrolment_status.isin(MAIN_REGISTRATION))
        return rows.select("academic_year", "child_id", "urn", "sen_provision", "fsm_eligible")

    return linked.shared("pupils", params, build)


def left_join(left: ir.Table, right: ir.Table, key: str) -> ir.Table:
    """`left` with the other columns of `right` on `key` (null where `right` has no row)."""
    joined = left.left_join(right, key)
    return joined.select(*left.columns, *(joined[c] for c in right.columns if c != key))
