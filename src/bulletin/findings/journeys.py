"""Findings (section 2): journeys through social care of the children referred in the
window's first year, followed to its end.

The cohort: children with an episode of need whose referral date falls in the first
reporting year of the window (2012-13); each is followed from that (first) referral to 31
March of the last year (2018). Over that time:

- *episodes per child*: their episodes of need referred from that day on;
- *repeat referrals*: whether their next episode of need was referred within 12 months of
  that referral (before its anniversary), later, or not at all;
- *statuses*: on each day a child is CLA (looked after), else CPP (on a child protection
  plan), else CIN (in an episode of need), else not in need. An interval covers its start
  day up to the day before its end (at least its start day); an open one runs to the end.
  The *sequence* of a child is the order of the statuses they passed through with
  consecutive repeats collapsed, ignoring days out of need between episodes, and ending
  "no longer in need" when they were not in need on 31 March of the last year;
- *durations*: the median length in days of the completed spells at each status (a spell
  is a stretch of days at one status), with the spells still open at the end counted.

Sequences are built in SQL without an ordered aggregate (which Spark lacks): each status
is a digit (CIN 1, CPP 2, CLA 3, no longer in need 4) and a child's sequence is the number
sum(digit x 5^position), positions counted from 0 (the first status is the units digit),
decoded for the most common ones only.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from bulletin.core.measure import Measure, Unit, to_decimal
from bulletin.core.symbols import Symbol
from bulletin.disclosure import Counted, Level, ProtectedTable, grid_table
from bulletin.findings.linked import (
    SOURCE_CIN,
    Linked,
    Params,
    need_episodes,
    plans_of_children,
    query,
    year_end,
    year_start,
)
from bulletin.findings.publish import (
    Entry,
    FindingsTable,
    frame_of,
    of_column,
    protected,
    share_key,
    shares_table,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

CIN, CPP, CLA, ENDED = 1, 2, 3, 4  # status digits; 0 (not in need) only between
STATUS = {CIN: "CIN", CPP: "CPP", CLA: "CLA", ENDED: "no longer in need"}
BASE = 5
#: Each open interval adds its kind's weight: a child never has 1,000 open at once of a kind,
#: so the sum says which kinds are open (1,000,000 or more: looked after; and so on).
WEIGHT = {CIN: 1, CPP: 1_000, CLA: 1_000_000}
LONGEST = 20  # sequences of more statuses are counted among "other sequences"
TOP = 10  # the most common sequences shown
EPISODES = ("1", "2", "3", "4", "5 or more")
WITHIN, AFTER, NONE = "within 12 months", "after 12 months", "not referred again"
ALL, OTHERS, CHILDREN = "all children", "other sequences", "children"
EPISODES_PART, REPEATS_PART, SEQUENCES_PART = "episodes", "repeat", "sequence"
PER_CHILD, SEQUENCES, DURATIONS = "journeys.per_child", "journeys.sequences", "journeys.durations"


@dataclass(frozen=True)
class JourneysFindings:
    children: Measure  # the cohort
    within_12_months: Measure  # share referred again within 12 months
    after_12_months: Measure  # share referred again later
    episodes: FindingsTable  # children by episodes of need
    repeats: FindingsTable  # children by repeat referral
    sequences: FindingsTable  # the most common sequences of statuses
    durations: FindingsTable  # median days at each status

    def entries(self) -> tuple[Entry, ...]:
        medians = [
            Entry(
                f"journeys_median_days_{row['status'].lower()}",
                row["median_days"],
                Counted.EPISODES,
                (DURATIONS,),
            )
            for _, row in self.durations.frame.iterrows()
        ]
        per_child = (PER_CHILD,)
        return (
            Entry("journeys_children", self.children, Counted.CHILDREN, per_child),
            Entry("journeys_within_12_months", self.within_12_months, Counted.CHILDREN, per_child),
            Entry("journeys_after_12_months", self.after_12_months, Counted.CHILDREN, per_child),
            *medians,
        )

    def tables(self) -> tuple[FindingsTable, ...]:
        return (self.episodes, self.repeats, self.sequences, self.durations)


# -- the cohort and its statuses ----------------------------------------------------------------


def _end(params: Params) -> dt.date:
    """The day after the window: intervals end (exclusive) no later than this."""
    return year_end(params.last_year) + dt.timedelta(days=1)


def _cohort(linked: Linked, params: Params) -> ir.Table:
    """Children first referred (an episode of need) in the first year: child_id, start."""

    def build() -> ir.Table:
        e = need_episodes(linked)
        year = params.first_year
        first = e.filter(e.referral_date.between(year_start(year), year_end(year)))
        return first.group_by("child_id").aggregate(start=first.referral_date.min())

    return linked.shared("cohort", params, build)


def _cohort_episodes(linked: Linked, params: Params) -> ir.Table:
    """The cohort's episodes of need referred from their start to the window's end."""
    e = need_episodes(linked)
    cohort = _cohort(linked, params)
    joined = e.join(cohort, "child_id")
    return joined.filter(
        joined.referral_date >= joined.start, joined.referral_date <= year_end(params.last_year)
    )


def _intervals(linked: Linked, params: Params) -> ir.Table:
    """The cohort's intervals at each status (child_id, kind, start, end), from their start,
    each [start, end) with at least its start day, open ones ending the day after the window."""
    import ibis

    cohort = _cohort(linked, params)
    end = _end(params)
    e = need_episodes(linked)
    plans = plans_of_children(linked, params)
    cla = linked["cla_episodes"]
    parts = [
        e.select("child_id", kind=ibis.literal(CIN), a=e.referral_date, b=e.closure_date),
        plans.select("child_id", kind=ibis.literal(CPP), a=plans.start_date, b=plans.end_date),
        cla.select("child_id", kind=ibis.literal(CLA), a=cla.start_date, b=cla.end_date),
    ]
    spans = ibis.union(*parts, distinct=False).join(cohort, "child_id")
    stop = ibis.least(spans.b.fill_null(end), ibis.literal(end))
    spans = spans.mutate(last=ibis.greatest(stop, (spans.a + ibis.interval(days=1)).cast("date")))
    spans = spans.filter(spans.a < end, spans.last > spans.start)
    return spans.select(
        "child_id", "kind", start=ibis.greatest(spans.a, spans.start), end=spans.last
    )


def _runs(linked: Linked, params: Params) -> ir.Table:
    """Each child's status over time as runs (child_id, date, status, until): consecutive days
    at one status (0: not in need), `until` the start of the next run (null: to the end)."""
    return linked.shared("runs", params, lambda: _runs_of(linked, params))


def _runs_of(linked: Linked, params: Params) -> ir.Table:
    import ibis

    spans = _intervals(linked, params)
    end = _end(params)
    weight = ibis.cases(*((spans.kind == k, w) for k, w in WEIGHT.items()))
    events = ibis.union(
        spans.select("child_id", date=spans.start, delta=weight),
        spans.filter(spans.end < end).select("child_id", date=spans.end, delta=-weight),
        distinct=False,
    )
    # after all of a day's events (RANGE takes the day's other events too): the open
    # intervals of each kind, weighted, so that one number says which kinds are open
    day = ibis.window(group_by="child_id", order_by="date", range=(None, 0))
    level = events.delta.sum().over(day)
    status = ibis.cases(
        (level >= WEIGHT[CLA], CLA), (level >= WEIGHT[CPP], CPP), (level > 0, CIN), else_=0
    )
    points = events.select("child_id", "date", status=status)
    order = ibis.window(group_by="child_id", order_by="date")
    marked = points.mutate(before=points.status.lag().over(order))
    runs = marked.filter(marked.before.isnull() | (marked.before != marked.status))
    return runs.select("child_id", "date", "status", until=runs.date.lead().over(order))


@query("journeys.per_child")
def q_per_child(linked: Linked, params: Params) -> ir.Table:
    """The cohort by episodes of need (5 or more together) and repeat referral."""
    import ibis

    eps = _cohort_episodes(linked, params)
    per_child = eps.group_by("child_id").aggregate(
        episodes=eps.episode_id.nunique(),
        start=eps.start.min(),
        next=eps.referral_date.min(where=eps.referral_date > eps.start),
    )
    repeat = ibis.cases(
        (per_child.next.isnull(), NONE),
        (per_child.next < per_child.start + ibis.interval(months=12), WITHIN),
        else_=AFTER,
    )
    return per_child.group_by(
        episodes=ibis.least(per_child.episodes, len(EPISODES)), repeat=repeat
    ).aggregate(children=per_child.count())


@query("journeys.sequences")
def q_sequences(linked: Linked, params: Params) -> ir.Table:
    """The cohort by sequence of statuses, as a number (see the module doc; -1: longer than
    LONGEST statuses)."""
    import ibis

    runs = _runs(linked, params)
    kept = runs.filter((runs.status != 0) | runs.until.isnull())
    order = ibis.window(group_by="child_id", order_by="date")
    digit = ibis.ifelse(kept.status == 0, ENDED, kept.status)
    marked = kept.select("child_id", "date", digit=digit)
    marked = marked.mutate(before=marked.digit.lag().over(order))
    steps = marked.filter(marked.before.isnull() | (marked.before != marked.digit))
    steps = steps.mutate(position=ibis.row_number().over(order))
    per_child = steps.group_by("child_id").aggregate(
        length=steps.count(),
        code=(steps.digit * (ibis.literal(BASE) ** steps.position).cast("int64")).sum(),
    )
    code = ibis.ifelse(per_child.length > LONGEST, -1, per_child.code)
    return per_child.group_by(code=code).aggregate(children=per_child.count())


@query("journeys.durations")
def q_durations(linked: Linked, params: Params) -> ir.Table:
    """Spells at each status: completed (with their median length in days) and still open."""
    runs = _runs(linked, params)
    spells = runs.filter(runs.status != 0)
    done = spells.until.notnull()
    # an open spell's length is null, and a median leaves nulls out: so this is the median
    # of the completed spells (a `where` would not compile for Spark: Ibis filters the
    # percentile's fraction too, which Spark refuses)
    return spells.group_by("status").aggregate(
        completed=done.sum(),
        open=(~done).sum(),
        median_days=spells.until.delta(spells.date, unit="day").median(),
    )


# -- the section --------------------------------------------------------------------------------


def compute(linked: Linked, params: Params) -> JourneysFindings:
    """The journeys. Episodes per child, repeat referrals and sequences split the same
    children three ways: they are one table (sharing its total), protected as one."""
    per_child = linked.run(PER_CHILD, params)
    cohort = f"children referred (an episode of need) in {_year(params.first_year)}"
    follow = f"followed to 31 March {params.last_year}"
    by_episodes = per_child.groupby("episodes")["children"].sum()
    by_repeat = per_child.groupby("repeat")["children"].sum()
    parts = {
        EPISODES_PART: {
            label: int(by_episodes.get(n, 0)) for n, label in enumerate(EPISODES, start=1)
        },
        REPEATS_PART: {label: int(by_repeat.get(label, 0)) for label in (WITHIN, AFTER, NONE)},
        SEQUENCES_PART: _top_sequences(linked.run(SEQUENCES, params)),
    }
    published = _protected_parts(parts, params)
    everyone = (ALL, CHILDREN)
    return JourneysFindings(
        children=replace(published.count(everyone), definition=cohort, source=SOURCE_CIN),
        within_12_months=replace(
            published.rate(share_key((f"{REPEATS_PART}: {WITHIN}", CHILDREN))),
            definition=f"{cohort} referred again within 12 months, as a share of all of them",
            source=SOURCE_CIN,
        ),
        after_12_months=replace(
            published.rate(share_key((f"{REPEATS_PART}: {AFTER}", CHILDREN))),
            definition=f"{cohort} first referred again after 12 months (by 31 March "
            f"{params.last_year}), as a share of all of them",
            source=SOURCE_CIN,
        ),
        episodes=_part_table(
            "tbl-journeys-episodes",
            "Children referred in the window's first year by their episodes of need",
            f"{cohort}, by their episodes of need referred from then until 31 March "
            f"{params.last_year}",
            parts,
            EPISODES_PART,
            published,
            (PER_CHILD,),
        ),
        repeats=_part_table(
            "tbl-journeys-repeats",
            "Children referred in the window's first year by whether they were referred again",
            f"{cohort}, by whether their next episode of need was referred within 12 months "
            f"of that referral, later (by 31 March {params.last_year}), or not at all",
            parts,
            REPEATS_PART,
            published,
            (PER_CHILD,),
        ),
        sequences=_part_table(
            "tbl-journeys-sequences",
            "The most common sequences of statuses of children referred in the window's first year",
            f"{cohort}, {follow}, by the sequence of statuses they passed through (CIN: in "
            "need; CPP: on a child protection plan; CLA: looked after), consecutive repeats "
            f"collapsed, ending 'no longer in need' when not in need at the end; the {TOP} "
            "most common",
            parts,
            SEQUENCES_PART,
            published,
            (SEQUENCES, PER_CHILD),
        ),
        durations=_durations(linked.run(DURATIONS, params), cohort, follow, params),
    )


def _year(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _protected_parts(parts: dict[str, dict[str, int]], params: Params) -> ProtectedTable:
    """One table of the children in each part's categories (rows "part: category"), each
    part adding up to all children, with every count's share of them; protected, the
    cohort and the repeat referrals (headline findings) kept shown unless nothing else
    can protect a count."""
    values = {
        (f"{part}: {row}", CHILDREN): n for part, rows in parts.items() for row, n in rows.items()
    }
    values[(ALL, CHILDREN)] = sum(parts[EPISODES_PART].values())
    return shares_table(
        values,
        of_column(ALL),
        params.disclosure,
        row_relations=[(ALL, [f"{part}: {row}" for row in rows]) for part, rows in parts.items()],
        counted=Counted.CHILDREN,
        headline=[(ALL, CHILDREN)]
        + [(f"{REPEATS_PART}: {row}", CHILDREN) for row in (WITHIN, AFTER)],
    )


def _part_table(
    table_id: str,
    title: str,
    definition: str,
    parts: dict[str, dict[str, int]],
    part: str,
    published: ProtectedTable,
    query: tuple[str, ...],
) -> FindingsTable:
    """One part of the journeys table, with the total, as a table to publish."""
    keys = [*(f"{part}: {row}" for row in parts[part]), ALL]
    labels = [*parts[part], ALL]
    rows = [
        {
            part: label,
            CHILDREN: published.count((key, CHILDREN)),
            "share": published.rate(share_key((key, CHILDREN))),
        }
        for key, label in zip(keys, labels, strict=True)
    ]
    frame = frame_of(rows, [part, CHILDREN, "share"])
    return FindingsTable(
        table_id, title, definition, SOURCE_CIN, Counted.CHILDREN, frame, (part,), query
    )


def sequence_label(code: int) -> str:
    """The statuses of a sequence number, in order: "CIN > CPP > no longer in need"."""
    steps = []
    while code > 0:
        code, digit = divmod(code, BASE)
        steps.append(STATUS[digit])
    return " > ".join(steps)


def _top_sequences(result: pd.DataFrame) -> dict[str, int]:
    """Children by the TOP most common sequences (ties: the smaller number first), and the
    others together."""
    ranked = result.assign(children=result["children"].astype(int)).sort_values(
        ["children", "code"], ascending=[False, True]
    )
    top = ranked[ranked["code"] >= 0].head(TOP)
    counts = {
        sequence_label(int(code)): int(n)
        for code, n in zip(top["code"], top["children"], strict=True)
    }
    counts[OTHERS] = int(ranked["children"].sum()) - sum(counts.values())
    return counts


def _durations(result: pd.DataFrame, cohort: str, follow: str, params: Params) -> FindingsTable:
    t = params.disclosure
    by_status = result.set_index("status")
    values = {}
    for status in (CIN, CPP, CLA):
        name = STATUS[status]
        for column in ("completed", "open"):
            values[(name, column)] = int(by_status[column].get(status, 0))
    table = grid_table(values, levels=Level.NATIONAL, counted=Counted.EPISODES)
    published = protected(table, t)
    rows = []
    for status in (CIN, CPP, CLA):
        name = STATUS[status]
        completed = values[(name, "completed")]
        median = by_status["median_days"].get(status)
        definition = (
            f"median length in days of the completed spells at status {name} of {cohort}, {follow}"
        )
        if completed == 0 or median is None or math.isnan(median):
            days = Measure.hidden(
                Symbol.NOT_APPLICABLE, Unit.DAYS, definition=definition, source=SOURCE_CIN
            )
        elif published.published((name, "completed")) is None or completed < t.min_denominator:
            days = Measure.hidden(
                Symbol.SUPPRESSED, Unit.DAYS, definition=definition, source=SOURCE_CIN
            )
        else:
            days = Measure(
                _half_days(float(median)),
                Unit.DAYS,
                denominator=completed,
                definition=definition,
                source=SOURCE_CIN,
            )
        rows.append(
            {
                "status": name,
                "completed": published.count((name, "completed")),
                "median_days": days,
                "open": published.count((name, "open")),
            }
        )
    return FindingsTable(
        "tbl-journeys-durations",
        "How long children referred in the window's first year spent at each status",
        f"spells (stretches of days at one status) of {cohort}, {follow}: completed spells, "
        "their median length in days, and spells still open at the end",
        SOURCE_CIN,
        Counted.EPISODES,
        frame_of(rows, ["status", "completed", "median_days", "open"]),
        ("status",),
        (DURATIONS,),
    )


def _half_days(x: float) -> Decimal:
    """A median of whole days is a whole or a half number: exact as a Decimal."""
    return to_decimal(Fraction(round(2 * x), 2))
