"""Findings (section 4): the attainment of pupils who needed a social worker, stage by stage.

Early years (a good level of development in the foundation stage profile), key stage 2 (the
expected standard in reading, writing and maths) and key stage 4 (grade 4 and grade 5 or
above in English and maths, Attainment 8, Progress 8) by group in the year (CLA, CPPO,
CINO, PREV, NEVER; CLA, CPPO and CINO together are the children in need in the year), for
the final publications' academic year (2017/18) and the interim findings' (2015/16). The
cohort of a stage is the rows of its table in the academic year. From those tables: B6
(grade 5 in English and maths, 2017/18: children in need against all pupils), C3, C4 and C5
(the three stages in 2015/16, with their ratios) and C7 (the gaps in percentage points and
how they widen). Besides: Progress 8 of children in need by the local authority of their
school (authorities with at least `LA_MINIMUM` such pupils with a score), each mean with a
95% confidence interval, in both years (C6: the highest and lowest mean in 2015/16), and
C2, special educational needs among pupils in need on 31 March, in the January census
before.

Scores are summed in hundredths, and their squares in ten-thousandths, as whole numbers,
so that every mean and interval is exact and the same on any engine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bulletin.core import schema
from bulletin.core.formatting import round_half_up
from bulletin.core.measure import Measure, Unit
from bulletin.core.symbols import Symbol
from bulletin.disclosure import Counted, Level, ProtectedTable, grid_table
from bulletin.findings.linked import (
    CINO,
    CLA,
    CPPO,
    GROUPS,
    MAIN_REGISTRATION,
    NEVER,
    PREV,
    SOURCE_ATTAINMENT,
    SOURCE_PUPILS,
    Linked,
    Params,
    academic_year,
    flag,
    groups_in_year,
    left_join,
    need_flags,
    query,
)
from bulletin.findings.publish import (
    Entry,
    FindingsTable,
    frame_of,
    of_row,
    points,
    protected,
    ratio,
    read_share,
    score,
    shares_table,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

IN_NEED, ALL, OTHER = "children in need", "all pupils", "other pupils"
ROWS = (CLA, CPPO, CINO, IN_NEED, PREV, NEVER, ALL)
PARTS = (CLA, CPPO, CINO, PREV, NEVER)  # the groups that partition the pupils
#: C6: the fewest pupils in need with a Progress 8 score for an authority to be compared.
LA_MINIMUM = 30
Z = Decimal("1.96")  # the normal quantile of a 95% confidence interval
SEN_ANY = "any"  # SEN support or a statement or plan
EYFSP, KS2, KS4 = ("attainment.eyfsp",), ("attainment.ks2",), ("attainment.ks4",)
BY_LA, SEN = ("attainment.progress8_by_la",), ("attainment.sen",)
QUERY_OF_PART = {"C3": EYFSP, "C4": KS2, "C5": KS4}


@dataclass(frozen=True)
class Stage:
    """A stage of assessment: its table, the outcomes counted (column: words) and the
    scores averaged (ks4)."""

    id: str
    name: str
    outcomes: dict[str, str]


STAGES = {
    "eyfsp": Stage(
        "eyfsp",
        "early years foundation stage profile",
        {"gld": "achieved a good level of development"},
    ),
    "ks2": Stage(
        "ks2",
        "key stage 2",
        {"rwm": "reached the expected standard in reading, writing and maths"},
    ),
    "ks4": Stage(
        "ks4",
        "key stage 4",
        {
            "grade4": "achieved grade 4 or above (A* to C before 2016/17) in English and maths",
            "grade5": "achieved grade 5 or above in English and maths",
        },
    ),
}


@dataclass(frozen=True)
class StageTable:
    """A stage in a year: the published table and the protected counts it shows."""

    table: FindingsTable
    published: ProtectedTable


@dataclass(frozen=True)
class AttainmentFindings:
    stages: dict[tuple[str, int], StageTable]  # (stage, year) -> table; years latest first
    b6_cin: Measure  # grade 5 E&M, final year: children in need in the year
    b6_all: Measure  # ... all pupils
    parts: dict[str, tuple[Measure, Measure, Measure]]  # C3, C4, C5: in need, all, ratio
    gaps: dict[str, Measure]  # C7 gap at each stage (eyfsp, ks2, ks4), points
    c7: Measure  # the smallest widening of the gap from a stage to the next
    c6_max: Measure
    c6_min: Measure
    progress8_by_la: tuple[FindingsTable, ...]  # one a year, latest first
    c2_cin: Measure
    c2_all: Measure
    sen: FindingsTable

    def entries(self) -> tuple[Entry, ...]:
        out = [
            Entry("B6_cin", self.b6_cin, Counted.PUPILS, KS4),
            Entry("B6_all", self.b6_all, Counted.PUPILS, KS4),
        ]
        for key, (cin, every, ratio_) in self.parts.items():
            query = QUERY_OF_PART[key]
            out += [
                Entry(f"{key}_cin", cin, Counted.PUPILS, query),
                Entry(f"{key}_all", every, Counted.PUPILS, query),
                Entry(f"{key}_ratio", ratio_, Counted.PUPILS, query),
            ]
        stages = {"eyfsp": EYFSP, "ks2": KS2, "ks4": KS4}
        out += [
            Entry(f"C7_{stage}", gap, Counted.PUPILS, stages[stage])
            for stage, gap in self.gaps.items()
        ]
        out += [
            Entry("C7", self.c7, Counted.PUPILS, (*EYFSP, *KS2, *KS4)),
            Entry("C6_max", self.c6_max, Counted.PUPILS, BY_LA),
            Entry("C6_min", self.c6_min, Counted.PUPILS, BY_LA),
            Entry("C2_cin", self.c2_cin, Counted.PUPILS, SEN),
            Entry("C2_all", self.c2_all, Counted.PUPILS, SEN),
        ]
        return tuple(out)

    def tables(self) -> tuple[FindingsTable, ...]:
        return (
            *(s.table for s in self.stages.values()),
            *self.progress8_by_la,
            self.sen,
        )


# -- queries ----------------------------------------------------------------------------------


def _hundredths(x: ir.NumericValue) -> ir.IntegerValue:
    """A score in hundredths, as a whole number (scores have at most 2 decimal places)."""
    return (x * 100).round().cast("int64")


def _by_group(linked: Linked, params: Params, table: str, counts: dict[str, Any]) -> ir.Table:
    """The rows of `table` in each attainment year by group in the year (NEVER for a
    child of no group): pupils and `counts` (functions of a table giving aggregates)."""
    import ibis

    parts = []
    for year in params.attainment_years:
        rows = linked[table]
        rows = rows.filter(rows.academic_year == academic_year(year))
        joined = left_join(rows, groups_in_year(linked, params, year), "child_id")
        parts.append(
            joined.group_by(group=joined.group.fill_null(NEVER))
            .aggregate(pupils=joined.count(), **{k: f(joined) for k, f in counts.items()})
            .mutate(year=ibis.literal(year, "int64"))
        )
    return ibis.union(*parts, distinct=False)


@query("attainment.eyfsp")
def q_eyfsp(linked: Linked, params: Params) -> ir.Table:
    """Pupils assessed in the early years foundation stage profile, and those with a good
    level of development, by year and group."""
    return _by_group(linked, params, "eyfsp", {"gld": lambda r: r.gld.sum()})


@query("attainment.ks2")
def q_ks2(linked: Linked, params: Params) -> ir.Table:
    """Pupils at the end of key stage 2, and those at the expected standard in reading,
    writing and maths, by year and group."""
    return _by_group(linked, params, "ks2", {"rwm": lambda r: r.rwm_expected.sum()})


@query("attainment.ks4")
def q_ks4(linked: Linked, params: Params) -> ir.Table:
    """Pupils at the end of key stage 4: grade 4 and grade 5 passes in English and maths,
    Attainment 8 (sum in hundredths), pupils with a Progress 8 score and its sum, by year
    and group."""
    return _by_group(
        linked,
        params,
        "ks4",
        {
            "grade4": lambda r: r.em_grade4.sum(),
            "grade5": lambda r: r.em_grade5.sum(),
            "attainment8": lambda r: _hundredths(r.attainment8).sum(),
            "progress8_pupils": lambda r: r.progress8.count(),
            "progress8": lambda r: _hundredths(r.progress8).sum(),
        },
    )


@query("attainment.progress8_by_la")
def q_progress8_by_la(linked: Linked, params: Params) -> ir.Table:
    """Children in need in each attainment year with a Progress 8 score at the end of key
    stage 4 that year, by year and the local authority of their school: the authorities
    with at least `LA_MINIMUM` of them, their count, the sum of their scores (hundredths)
    and of their squares (ten-thousandths)."""
    import ibis

    parts = []
    for year in params.attainment_years:
        k = linked["ks4"]
        k = k.filter(k.academic_year == academic_year(year), k.progress8.notnull())
        groups = groups_in_year(linked, params, year)
        in_need = groups.filter(groups.group.isin(GROUPS)).select("child_id")
        schools = linked["schools"].select("urn", "la_code")
        joined = k.join(in_need, "child_id").join(schools, "urn")
        score = _hundredths(joined.progress8)
        by_la = joined.group_by("la_code").aggregate(
            pupils=joined.count(),
            progress8=score.sum(),
            progress8_squares=(score * score).sum(),
        )
        parts.append(
            by_la.filter(by_la.pupils >= LA_MINIMUM).mutate(year=ibis.literal(year, "int64"))
        )
    return ibis.union(*parts, distinct=False)


@query("attainment.sen")
def q_sen(linked: Linked, params: Params) -> ir.Table:
    """Pupils at main registration in the January census of the interim attainment year,
    by whether they were in need on the 31 March after it and by SEN provision."""
    import ibis

    year = params.attainment_years[1]
    c = linked["school_census"]
    pupils = c.filter(
        c.academic_year == academic_year(year), c.enrolment_status.isin(MAIN_REGISTRATION)
    ).select("child_id", "sen_provision")
    flags = need_flags(linked, params)
    on_day = flags.filter(flag(flags, params, f"at_31_march_{year}"))
    joined = left_join(pupils, on_day.select("child_id", in_need=ibis.literal(1)), "child_id")
    return joined.group_by(in_need=joined.in_need.notnull(), sen=joined.sen_provision).aggregate(
        pupils=joined.count()
    )


# -- the section ------------------------------------------------------------------------------


def compute(linked: Linked, params: Params) -> AttainmentFindings:
    import pandas as pd

    final, interim = params.attainment_years
    stages: dict[tuple[str, int], StageTable] = {}
    for spec in STAGES.values():
        frame = pd.DataFrame(linked.run(f"attainment.{spec.id}", params))
        for year in params.attainment_years:
            stages[(spec.id, year)] = _stage_table(spec, frame[frame["year"] == year], year, params)

    def share(stage: str, year: int, outcome: str, row: str, words: str) -> Measure:
        published = stages[(stage, year)].published
        return read_share(published, (row, outcome), words, SOURCE_ATTAINMENT)

    ay, ry = _ay(final), _ry(final)
    b6 = STAGES["ks4"].outcomes["grade5"]
    b6_cin = share(
        "ks4",
        final,
        "grade5",
        IN_NEED,
        f"pupils at the end of key stage 4 in {ay} who were in need at some point in {ry} and "
        f"{b6}, as a share of those pupils",
    )
    b6_all = share(
        "ks4",
        final,
        "grade5",
        ALL,
        f"pupils at the end of key stage 4 in {ay} who {b6}, as a share of all of them",
    )
    ay, ry = _ay(interim), _ry(interim)
    parts: dict[str, tuple[Measure, Measure, Measure]] = {}
    for key, (stage, outcome) in {
        "C3": ("eyfsp", "gld"),
        "C4": ("ks2", "rwm"),
        "C5": ("ks4", "grade4"),
    }.items():
        name, words = STAGES[stage].name, STAGES[stage].outcomes[outcome]
        cin = share(
            stage,
            interim,
            outcome,
            IN_NEED,
            f"pupils assessed in the {name} in {ay} who were in need at some point in {ry} "
            f"and {words}, as a share of those pupils",
        )
        every = share(
            stage,
            interim,
            outcome,
            ALL,
            f"pupils assessed in the {name} in {ay} who {words}, as a share of all of them",
        )
        parts[key] = (
            cin,
            every,
            ratio(
                cin,
                every,
                definition=f"{key}_cin / {key}_all: how likely pupils in need in {ry} were to "
                f"have {words.removeprefix('achieved ').removeprefix('reached ')} in the {name}"
                f" in {ay}, relative to all pupils",
                source=SOURCE_ATTAINMENT,
            ),
        )
    stage_of = {"C3": "eyfsp", "C4": "ks2", "C5": "ks4"}
    gaps: dict[str, Measure] = {}
    exact: list[Fraction] = []
    for key, (cin, every, _) in parts.items():
        shown = cin.shown and every.shown
        if shown:
            exact.append(every.exact - cin.exact)
        gaps[stage_of[key]] = points(
            every.exact - cin.exact if shown else None,
            (cin, every),
            definition=f"{key}_all less {key}_cin: the gap in percentage points between all "
            f"pupils and pupils in need in {ry}, {STAGES[stage_of[key]].name} {ay}",
            source=SOURCE_ATTAINMENT,
        )
    widening = min(exact[1] - exact[0], exact[2] - exact[1]) if len(exact) == len(parts) else None
    c7 = points(
        widening,
        [m for cin, every, _ in parts.values() for m in (cin, every)],
        definition=f"the smaller of the widening of the gap (C7_ks2 less C7_eyfsp) and (C7_ks4 "
        f"less C7_ks2), in percentage points, {ay}",
        source=SOURCE_ATTAINMENT,
    )
    by_la = pd.DataFrame(linked.run("attainment.progress8_by_la", params))
    la_tables = {
        year: _progress8_by_la(by_la[by_la["year"] == year], year, params)
        for year in params.attainment_years
    }
    c6_max, c6_min = _extremes(*la_tables[interim], params)
    c2_cin, c2_all, sen = _sen(pd.DataFrame(linked.run("attainment.sen", params)), params)
    return AttainmentFindings(
        stages=stages,
        b6_cin=b6_cin,
        b6_all=b6_all,
        parts=parts,
        gaps=gaps,
        c7=c7,
        c6_max=c6_max,
        c6_min=c6_min,
        progress8_by_la=tuple(table for table, _, _ in la_tables.values()),
        c2_cin=c2_cin,
        c2_all=c2_all,
        sen=sen,
    )


def _ay(year: int) -> str:
    """The academic year ending in `year`: 2017/18."""
    return f"{year - 1}/{year % 100:02d}"


def _ry(year: int) -> str:
    """The reporting year ending 31 March `year`: 2017-18."""
    return f"{year - 1}-{year % 100:02d}"


def group_meanings(year: int, params: Params, pupils: str) -> dict[str, str]:
    """What each row of a table by group in reporting year `year` holds."""
    ry = _ry(year)
    earlier = (
        f"in need at some point in {_ry(params.first_year)} to {_ry(year - 1)}, not in {ry}"
        if year > params.first_year
        else "none (the window starts this year)"
    )
    return {
        CLA: f"looked after at some point in {ry}",
        CPPO: f"on a child protection plan at some point in {ry}, not looked after",
        CINO: f"in need at some point in {ry}, not looked after or on a plan",
        IN_NEED: f"CLA, CPPO and CINO: in need at some point in {ry}",
        PREV: earlier,
        NEVER: f"not in need at any point in {_ry(params.first_year)} to {ry}",
        ALL: pupils,
    }


def _stage_table(stage: Stage, frame: pd.DataFrame, year: int, params: Params) -> StageTable:
    t = params.disclosure
    counts = ["pupils", *stage.outcomes]
    if stage.id == "ks4":
        counts.append("progress8_pupils")
    by_group = frame.set_index("group").fillna(0)  # a sum of no scores is null
    values = _group_values(by_group, counts)
    sums = _group_values(by_group, ["attainment8", "progress8"] if stage.id == "ks4" else [])
    published = shares_table(
        values,
        lambda key: (key[0], "pupils") if key[1] in stage.outcomes else None,
        t,
        row_relations=[(IN_NEED, [CLA, CPPO, CINO]), (ALL, [IN_NEED, PREV, NEVER])],
        headline=[key for key in values if key[0] in (IN_NEED, ALL)],
    )
    ay = _ay(year)
    meanings = group_meanings(year, params, f"all pupils assessed in the {stage.name} in {ay}")
    rows = []
    for group in ROWS:
        row: dict[str, object] = {
            "group": group,
            "meaning": meanings[group],
            "pupils": published.count((group, "pupils")),
        }
        for outcome, words in stage.outcomes.items():
            row[outcome] = published.count((group, outcome))
            row[f"{outcome}_share"] = read_share(
                published,
                (group, outcome),
                f"pupils assessed in the {stage.name} in {ay} who {words}, {group}, as a share "
                "of the group's pupils",
                SOURCE_ATTAINMENT,
            )
        if stage.id == "ks4":
            row["attainment8"] = score(
                Fraction(sums[(group, "attainment8")], 100),
                values[(group, "pupils")],
                t,
                places=1,
                shown=published.count((group, "pupils")).shown,
                definition=f"mean Attainment 8 score, key stage 4 {ay}, {group}",
                source=SOURCE_ATTAINMENT,
            )
            row["progress8_pupils"] = published.count((group, "progress8_pupils"))
            row["progress8"] = score(
                Fraction(sums[(group, "progress8")], 100),
                values[(group, "progress8_pupils")],
                t,
                places=2,
                shown=published.count((group, "progress8_pupils")).shown,
                definition=f"mean Progress 8 score of the pupils with one, key stage 4 {ay}, "
                f"{group}",
                source=SOURCE_ATTAINMENT,
            )
        rows.append(row)
    columns = ["group", "meaning", "pupils"]
    for outcome in stage.outcomes:
        columns += [outcome, f"{outcome}_share"]
    if stage.id == "ks4":
        columns += ["attainment8", "progress8_pupils", "progress8"]
    found = FindingsTable(
        id=f"tbl-{stage.id}-{academic_year(year)}",
        title=f"{stage.name.capitalize()} {ay} by social care group",
        definition=(
            f"pupils assessed in the {stage.name} in {ay} (its results for that year), by their "
            f"group in {_ry(year)}: looked after (CLA), else on a child protection plan (CPPO), "
            f"else in need (CINO), else in need in an earlier year (PREV), else never (NEVER); "
            "shares of the group's pupils"
        ),
        source=SOURCE_ATTAINMENT,
        counted=Counted.PUPILS,
        frame=frame_of(rows, columns),
        labels=("group", "meaning"),
        query=(f"attainment.{stage.id}",),
    )
    return StageTable(found, published)


def _group_values(by_group: pd.DataFrame, columns: list[str]) -> dict[tuple[str, str], int]:
    """{(group, column): whole number} for the groups that partition the pupils (none: 0),
    the children in need (CLA, CPPO and CINO) and all pupils."""
    values: dict[tuple[str, str], int] = {}
    for column in columns:
        for group in PARTS:
            values[(group, column)] = int(by_group[column].get(group, 0))
        values[(IN_NEED, column)] = sum(values[(g, column)] for g in (CLA, CPPO, CINO))
        values[(ALL, column)] = sum(values[(g, column)] for g in PARTS)
    return values


def _progress8_by_la(
    frame: pd.DataFrame, year: int, params: Params
) -> tuple[FindingsTable, ProtectedTable, dict[str, Fraction]]:
    """Progress 8 of the pupils in need by the local authority of their school in `year`:
    the table (each mean with its 95% confidence interval, mean +/- 1.96 sd / sqrt(n), sd the
    sample standard deviation of the pupils' scores), the protected counts (a local
    authority's are not rounded), and each authority's exact mean."""
    t = params.disclosure
    ay, ry = _ay(year), _ry(year)
    frame = frame.sort_values("la_code")
    las = [str(la) for la in frame["la_code"]]
    pupils = dict(zip(las, (int(n) for n in frame["pupils"]), strict=True))
    totals = dict(zip(las, (int(s) for s in frame["progress8"]), strict=True))
    squares = dict(zip(las, (int(s) for s in frame["progress8_squares"]), strict=True))
    values = {(la, "pupils"): n for la, n in pupils.items()}
    published = protected(
        grid_table(values, levels=Level.LOCAL_AUTHORITY, counted=Counted.PUPILS), t
    )
    such = _by_la_pupils(year)
    rows = []
    for la in las:
        count = published.count((la, "pupils"))
        words = f"Progress 8 score of the {such}, schools in {la}"
        mean = score(
            Fraction(totals[la], 100),
            pupils[la],
            t,
            places=2,
            shown=count.shown,
            definition=f"mean {words}",
            source=SOURCE_ATTAINMENT,
        )
        low, high = _interval(mean, totals[la], squares[la], pupils[la], words)
        rows.append(
            {
                "la_code": la,
                "pupils": count,
                "progress8": mean,
                "progress8_low": low,
                "progress8_high": high,
            }
        )
    table = FindingsTable(
        id=f"tbl-progress8-la-{academic_year(year)}",
        title=f"Progress 8 of pupils in need by the local authority of their school, {ay}",
        definition=(
            f"{such}, by the local authority of their school at the end of key stage 4: the "
            f"authorities with at least {LA_MINIMUM} of them; their mean Progress 8 score with "
            "its 95% confidence interval, mean +/- 1.96 x sd / sqrt(n), sd the standard "
            "deviation of those pupils' scores (n - 1 in its denominator); in need at some "
            f"point in {ry}"
        ),
        source=SOURCE_ATTAINMENT,
        counted=Counted.PUPILS,
        frame=frame_of(rows, ["la_code", "pupils", "progress8", "progress8_low", "progress8_high"]),
        labels=("la_code",),
        query=BY_LA,
    )
    exact = {la: Fraction(totals[la], 100 * pupils[la]) for la in las}
    return table, published, exact


def _by_la_pupils(year: int) -> str:
    return (
        f"pupils at the end of key stage 4 in {_ay(year)} who were in need at some point in "
        f"{_ry(year)} and have a Progress 8 score"
    )


def _interval(
    mean: Measure, total: int, squares: int, n: int, words: str
) -> tuple[Measure, Measure]:
    """The 95% confidence interval of a mean score, mean +/- 1.96 sd / sqrt(n), from the sum
    of the scores (`total`, hundredths) and of their squares (ten-thousandths): each bound
    to 2 places, halves away from zero, hidden with the mean (or `z` for fewer than 2)."""
    definitions = (
        f"lower bound of the 95% confidence interval of the mean {words}",
        f"upper bound of the 95% confidence interval of the mean {words}",
    )
    if mean.value is None or n < 2:
        symbol = mean.symbol or Symbol.NOT_APPLICABLE
        low, high = (
            Measure.hidden(symbol, Unit.SCORE, definition=d, source=SOURCE_ATTAINMENT)
            for d in definitions
        )
        return low, high
    # the variance of the mean, in ten-thousandths: (n Q - S^2) / (n^2 (n - 1))
    variance = Fraction(n * squares - total * total, n * n * (n - 1))
    with localcontext() as exact:
        exact.prec = 40
        half = Z * (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt() / 100
        middle = Decimal(total) / Decimal(100 * n)
        bounds = (middle - half, middle + half)
    low, high = (
        Measure(round_half_up(b, 2), Unit.SCORE, definition=d, source=SOURCE_ATTAINMENT)
        for b, d in zip(bounds, definitions, strict=True)
    )
    return low, high


def _extremes(
    table: FindingsTable, published: ProtectedTable, exact: dict[str, Fraction], params: Params
) -> tuple[Measure, Measure]:
    """C6: the highest and the lowest mean Progress 8 of the authorities shown (interim year)."""
    year = params.attainment_years[1]
    shown: dict[str, Measure] = {
        str(row["la_code"]): row["progress8"]
        for _, row in table.frame.iterrows()
        if published.count((str(row["la_code"]), "pupils")).shown
    }

    def extreme(pick: Any, words: str) -> Measure:
        definition = (
            f"the {words} mean Progress 8 score of the {_by_la_pupils(year)}, by the local "
            f"authority of their school, among the authorities with at least {LA_MINIMUM} such "
            "pupils"
        )
        if not shown:
            symbol = Symbol.SUPPRESSED if exact else Symbol.NOT_APPLICABLE
            return Measure.hidden(
                symbol, Unit.SCORE, definition=definition, source=SOURCE_ATTAINMENT
            )
        la = pick(shown, key=lambda code: exact[code])
        return replace(shown[la], definition=definition)

    return extreme(max, "highest"), extreme(min, "lowest")


def _sen(frame: pd.DataFrame, params: Params) -> tuple[Measure, Measure, FindingsTable]:
    """C2: pupils in the January census by whether they were in need on the 31 March after
    and by special educational needs provision, protected as one table."""
    t = params.disclosure
    year = params.attainment_years[1]
    day = f"31 March {year}"
    in_need = f"in need on {day}"
    codes = tuple(schema.SEN_PROVISION)
    values: dict[tuple[str, str], int] = {}
    for row, flag_value in ((in_need, True), (OTHER, False)):
        part = frame[frame["in_need"] == flag_value]
        sums = part.groupby("sen")["pupils"].sum()
        for code in codes:
            values[(row, code)] = int(sums.get(code, 0))
    for code in codes:
        values[(ALL, code)] = values[(in_need, code)] + values[(OTHER, code)]
    for row in (in_need, OTHER, ALL):
        values[(row, SEN_ANY)] = sum(values[(row, c)] for c in codes if c != "N")
        values[(row, "pupils")] = values[(row, "N")] + values[(row, SEN_ANY)]
    columns = (*codes, SEN_ANY)
    published = shares_table(
        values,
        of_row("pupils"),
        t,
        row_relations=[(ALL, [in_need, OTHER])],
        column_relations=[("pupils", ["N", SEN_ANY]), (SEN_ANY, [c for c in codes if c != "N"])],
        headline=[(row, c) for row in (in_need, ALL) for c in (SEN_ANY, "pupils")],
    )
    census = f"the January {year} school census"
    meanings = schema.SEN_PROVISION | {SEN_ANY: "any special educational need (K or E)"}
    rows = [
        {
            "group": row,
            "sen": c,
            "meaning": meanings[c],
            "pupils": published.count((row, c)),
            "share": read_share(
                published,
                (row, c),
                f"pupils at main registration in {census}, {row}, with {meanings[c]}, as a "
                "share of the group's pupils",
                SOURCE_PUPILS,
            ),
        }
        for row in (in_need, OTHER, ALL)
        for c in columns
    ]

    def c2(row: str, who: str) -> Measure:
        return read_share(
            published,
            (row, SEN_ANY),
            f"{who} at main registration in {census} with special educational needs (SEN "
            "support, or a statement or an education, health and care plan), as a share of "
            "them",
            SOURCE_PUPILS,
        )

    found = FindingsTable(
        id=f"tbl-sen-{academic_year(year)}",
        title=f"Special educational needs of pupils in need on {day}, January {year}",
        definition=(
            f"pupils at main registration in {census}, by whether they were in need on {day} "
            "(an episode of need open that day) and by special educational needs provision; "
            "share of the group's pupils"
        ),
        source=SOURCE_PUPILS,
        counted=Counted.PUPILS,
        frame=frame_of(rows, ["group", "sen", "meaning", "pupils", "share"]),
        labels=("group", "sen", "meaning"),
        query=SEN,
    )
    return c2(in_need, f"pupils in need on {day}"), c2(ALL, "all pupils"), found
