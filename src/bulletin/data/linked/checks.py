"""Data: every check the linked-data validator runs, as data: what, where, blocking, and SQL.

Field checks (type, required, code, range, academic year, date, key, reference) are
derived from `bulletin.core.schema`; each cross-field rule of the schema (`Table.extra_rules`, matched
by its exact words) has one or more SQL checks here. A test checks that every rule of the
schema has a check and every check belongs to the schema, and the documentation
(`docs/linked-data.md`) is generated from the same list.

SQL runs over typed views `t_<table>` (see `read.py`): one row per data row, with `_row`
(the row as a spreadsheet shows the CSV), every field typed (NULL when its text does not
parse), and `_raw_<field>` (the text as given, NULL when empty).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bulletin.core import schema
from bulletin.core.schema import Field, Kind, Table

#: Problems listed per check (table, column, check); the rest are counted.
CAP = 20

#: Fields holding an academic year written as 201718.
ACADEMIC_YEAR_FIELDS = frozenset({"academic_year", "ks4_year"})

#: Tables whose rows are pupil records (a care_only child has none).
PUPIL_TABLES = ("school_census", "absence", "exclusions", "eyfsp", "ks2", "ks4", "post16")

#: The pseudo-table of the public data: local authority codes and their regions.
PUBLIC = "public"

#: Field check kinds, in the order the documentation lists them.
FIELD_CHECKS = ("type", "required", "code", "range", "academic year", "date", "key", "reference")

#: The longest value a message quotes; a longer one is cut (SQL `clip`).
QUOTED = 80

#: Plausible dates (the "date" field check).
#: - An episode of need or a period looked after falls in or after the child's birth month
#:   (the extract gives no day) and no later than the month of the child's 25th birthday
#:   (services for care leavers end at 25). An episode of need may start up to
#:   UNBORN_MONTHS before the birth month: a referral about an unborn child does.
#:   Checked in the pass that already joins each row to its child (`joined`), on whole
#:   months (year x 12 + month), which costs that pass little.
#: - An assessment or a plan falls within its episode's life by the rules of its table
#:   (on or after the referral), so on or after the birth too; its dates fall from
#:   CHILD_DATES[0] (UNBORN_MONTHS before the first birth month the schema allows) to
#:   CHILD_DATES[1] (the end of the year in which the last births it allows turn 25).
#: - The dates of a school fall from SCHOOL_DATES[0] to SCHOOL_DATES[1].
UNBORN_MONTHS = 9
AGE_LIMIT = 25
BIRTH_TABLES = {"cin_episodes": UNBORN_MONTHS, "cla_episodes": 0}  # unborn allowance
_BIRTH_YEARS = schema.TABLES_BY_NAME["children"].field("birth_year")
CHILD_DATES = (
    dt.date(int(_BIRTH_YEARS.low or 0) - 1, 13 - UNBORN_MONTHS, 1).isoformat(),
    dt.date(int(_BIRTH_YEARS.high or 0) + AGE_LIMIT, 12, 31).isoformat(),
)
SCHOOL_DATES = ("1800-01-01", "2099-12-31")


@dataclass(frozen=True)
class Check:
    """One check: rows of `relation` where `condition` holds are problems in `table`."""

    table: str  # the table whose file a problem is reported in
    column: str  # the column a problem names
    kind: str  # one of FIELD_CHECKS, or "rule"
    text: str  # what is checked, in words; for a rule, its exact words in the schema
    blocking: bool
    reads: tuple[str, ...]  # "table.field" the check needs; skipped when one is unreadable
    relation: str  # SQL: the rows checked, each with `_row` (the row in `table`)
    condition: str  # SQL: true on a row with the problem
    message: str  # SQL: a text saying what is wrong on that row
    rule_of: str | None = None  # the table whose extra_rules hold `text` (rules only)
    quick: tuple[str, ...] = ()  # SQL queries each giving a number that is 0 only when
    # no row has the problem: tried in turn, alone, before the slower `relation`

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields of `table` this check reads."""
        prefix = f"{self.table}."
        return tuple(r.removeprefix(prefix) for r in self.reads if r.startswith(prefix))


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def raw(name: str) -> str:
    return q(f"_raw_{name}")


def text_of(expr: str) -> str:
    """SQL: `expr` as text to quote in a message, cut to QUOTED characters."""
    return clip(f"CAST({expr} AS VARCHAR)")


def clip(text: str) -> str:
    """SQL: the text `text` cut to QUOTED characters, ending in an ellipsis when cut."""
    return (
        f"CASE WHEN length({text}) > {QUOTED} THEN left({text}, {QUOTED - 1}) || '\u2026' "
        f"ELSE {text} END"
    )


def number_words(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def view(table: str) -> str:
    return f"t_{table}"


# -- field checks ---------------------------------------------------------------------------

TYPE_WORDS = {
    Kind.ID: "is not a whole number",
    Kind.INT: "is not a whole number",
    Kind.NUMBER: "is not a number (use a decimal point; no NaN or infinity)",
    Kind.BOOL: "is not true or false (write true, false, 1 or 0)",
    Kind.DATE: "is not a date written YYYY-MM-DD",
}


def _field_checks(table: Table, f: Field) -> list[Check]:
    name, base, reads = f.name, view(table.name), (f"{table.name}.{f.name}",)
    checks = [
        Check(
            table.name,
            name,
            "type",
            f"the column is present and every value is {_kind_words(f.kind)}",
            True,
            reads,
            base,
            # text always parses as text: for codes and text only the column is checked
            "FALSE"
            if f.kind in (Kind.CODE, Kind.TEXT)
            else f"{raw(name)} IS NOT NULL AND {q(name)} IS NULL",
            f"concat('''', {text_of(raw(name))}, ''' {TYPE_WORDS.get(f.kind, '')}')",
        )
    ]
    if f.required:
        checks.append(
            Check(
                table.name,
                name,
                "required",
                "every row has a value",
                True,
                reads,
                base,
                f"{raw(name)} IS NULL",
                lit("a value is required"),
            )
        )
    if f.codes:
        allowed = ", ".join(f.codes) if len(f.codes) <= 12 else "see docs/linked-data.md"
        checks.append(
            Check(
                table.name,
                name,
                "code",
                "every value is one of the allowed codes",
                True,
                reads,
                base,
                f"{q(name)} NOT IN ({', '.join(lit(c) for c in f.codes)})",
                f"concat('''', {clip(q(name))}, ''' is not an allowed code (allowed: {allowed})')",
            )
        )
    if f.low is not None and f.high is not None:
        span = f"{number_words(f.low)} to {number_words(f.high)}"
        checks.append(
            Check(
                table.name,
                name,
                "range",
                f"every value is from {span}",
                True,
                reads,
                base,
                f"{q(name)} < {f.low} OR {q(name)} > {f.high}",
                f"concat({text_of(q(name))}, ' is outside the range {span}')",
            )
        )
    if name in ACADEMIC_YEAR_FIELDS:
        checks.append(
            Check(
                table.name,
                name,
                "academic year",
                "every value is an academic year written like 201718",
                True,
                reads,
                base,
                f"{q(name)} % 100 <> ({q(name)} // 100 + 1) % 100",
                f"concat({text_of(q(name))}, ' is not an academic year written like 201718')",
            )
        )
    if f.kind is Kind.DATE:
        checks.append(_date_check(table, f))
    if f.references:
        target, key = f.references.split(".")
        checks.append(
            Check(
                table.name,
                name,
                "reference",
                f"every value is a {f.references}",
                True,
                (*reads, f.references),
                joined(table.name, name),
                f"{q(name)} IS NOT NULL AND ref__row IS NULL",
                f"concat('no {key} ', {text_of(q(name))}, ' in {target}')",
            )
        )
    return checks


def _date_check(table: Table, f: Field) -> Check:
    """A date falls within the life of the child it is about, or a plausible span (see
    the comment on UNBORN_DAYS)."""
    name, reads = f.name, (f"{table.name}.{f.name}",)
    if table.name not in BIRTH_TABLES:
        low, high = SCHOOL_DATES if table.name == "schools" else CHILD_DATES
        span = f"from {low} to {high}"
        return Check(
            table.name,
            name,
            "date",
            f"every date is {span}",
            True,
            reads,
            view(table.name),
            f"{q(name)} < DATE {lit(low)} OR {q(name)} > DATE {lit(high)}",
            f"concat({text_of(q(name))}, ' is not a plausible date: a date is {span}')",
        )
    unborn = BIRTH_TABLES[table.name]
    month = f"(year({q(name)}) * 12 + month({q(name)}))"
    born = "(ref_birth_year * 12 + ref_birth_month)"
    before = "before the child''s birth month" + (
        f" by more than {unborn} months" if unborn else ""
    )
    allowance = f" (or up to {unborn} months before it, for an unborn child)" if unborn else ""
    return Check(
        table.name,
        name,
        "date",
        f"every date is in or after the child's birth month{allowance} and no later than "
        f"the month of the child's {AGE_LIMIT}th birthday",
        True,
        (
            *reads,
            f"{table.name}.child_id",
            "children.child_id",
            "children.birth_year",
            "children.birth_month",
        ),
        joined(table.name, "child_id"),
        f"NOT ({month} BETWEEN {born} - {unborn} AND {born} + {12 * AGE_LIMIT})",
        f"concat({text_of(q(name))}, CASE WHEN {month} < {born} - {unborn} THEN ' is {before}' "
        f"ELSE ' is after the month of the child''s {AGE_LIMIT}th birthday' END, ': born ', "
        f"CAST(ref_birth_year AS VARCHAR), '-', lpad(CAST(ref_birth_month AS VARCHAR), 2, '0'))",
    )


def _kind_words(kind: Kind) -> str:
    return {
        Kind.ID: "a whole number (an identifier)",
        Kind.INT: "a whole number",
        Kind.NUMBER: "a number",
        Kind.BOOL: "true or false",
        Kind.DATE: "a date",
        Kind.CODE: "text (a code)",
        Kind.TEXT: "text",
    }[kind]


def joined(table: str, field_name: str) -> str:
    """Rows of `table` with every field of the row its `field_name` refers to, as ref_<field>.

    A row whose reference is missing has ref__row NULL. Shared by the reference check
    and the rules that compare a row with the row it refers to.
    """
    target, key = (schema.TABLES_BY_NAME[table].field(field_name).references or ".").split(".")
    payload = ", ".join(
        f"b.{q(n)} AS {q('ref_' + n)}" for n in ("_row", *schema.TABLES_BY_NAME[target].names)
    )
    return (
        f"(SELECT a.*, {payload} FROM {view(table)} AS a "
        f"LEFT JOIN {view(target)} AS b ON a.{q(field_name)} = b.{q(key)})"
    )


def duplicates(
    table: str, key: tuple[str, ...], where: str = "TRUE", fields: tuple[str, ...] = ()
) -> str:
    """Rows of `table` (those meeting `where`) with `_previous`: the row before them with the
    same `key`, if any (sorting by the key is faster in DuckDB than grouping by it); and
    `_repeats`: true when that row has the same value as this one in each of `fields`."""
    order = ", ".join([*(q(k) for k in key), "_row"])
    same = " AND ".join(f"{q(k)} = lag({q(k)}) OVER w" for k in key)
    equal = [f"{q(f)} IS NOT DISTINCT FROM lag({q(f)}) OVER w" for f in fields]
    repeats = f"coalesce({' AND '.join([same, *equal])}, FALSE)" if fields else "FALSE"
    return (
        f"(SELECT *, CASE WHEN {same} THEN lag(_row) OVER w END AS _previous, "
        f"{repeats} AS _repeats "
        f"FROM {view(table)} WHERE {where} WINDOW w AS (ORDER BY {order}))"
    )


def maybe_duplicates(table: str, key: tuple[str, ...], where: str = "TRUE") -> tuple[str, str]:
    """Two quick tests that `key` is unique (among rows meeting `where`), cheapest first:
    each SQL query gives 0 only when no two rows share the key.

    1. Rows whose key is not greater than the row read before them: 0 means the keys
       strictly increase in the order read, so are unique. A file sorted by its key passes
       this in one streaming pass.
    2. Rows sharing the 64-bit hash of their key with another (equal keys have equal
       hashes): sorting one hash is about twice as fast as sorting the key's columns.
    """
    keys = ", ".join(q(k) for k in key)
    present = " AND ".join(f"{q(k)} IS NOT NULL" for k in key)
    greater = f"{q(key[-1])} > {q('_p_' + key[-1])}"
    for k in reversed(key[:-1]):
        greater = f"{q(k)} > {q('_p_' + k)} OR ({q(k)} = {q('_p_' + k)} AND ({greater}))"
    previous = ", ".join(f"lag({q(k)}) OVER () AS {q('_p_' + k)}" for k in key)
    in_order = (
        f"SELECT coalesce(sum(CASE WHEN NOT ({greater}) THEN 1 ELSE 0 END), 0) FROM "
        f"(SELECT {keys}, {previous} FROM {view(table)} WHERE {where} AND {present})"
    )
    hashed = (
        f"SELECT coalesce(sum(CASE WHEN h = previous THEN 1 ELSE 0 END), 0) FROM "
        f"(SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM "
        f"(SELECT hash({keys}) AS h FROM {view(table)} WHERE {where} AND {present}))"
    )
    return in_order, hashed


#: Tables where a row that repeats another in every field is a warning (the same record
#: twice, counted once), not a duplicate key: the key blocks only rows that differ.
REPEATS_WARN = ("cin_episodes",)


def _key_check(table: Table) -> Check:
    key = table.key
    values = ", ', ', ".join(text_of(q(k)) for k in key)
    names = ", ".join(key)
    repeats = table.name in REPEATS_WARN
    return Check(
        table.name,
        names,
        "key",
        f"no two rows share ({names})" + (" but rows that repeat each other" if repeats else ""),
        True,
        tuple(f"{table.name}.{k}" for k in key),  # a missing field reads as null: equal
        duplicates(table.name, key, fields=table.names if repeats else ()),
        "_previous IS NOT NULL AND NOT _repeats",
        f"concat('({names}) = (', {values}, ') is also on row ', {text_of('_previous')}"
        + (", ', with other values')" if repeats else ")"),
        quick=maybe_duplicates(table.name, key),
    )


# -- cross-field rules ------------------------------------------------------------------------


def _rule(
    rule_of: str,
    number: int,
    table: str,
    column: str,
    reads: tuple[str, ...],
    *,
    relation: str,
    condition: str,
    message: str,
    blocking: bool = True,
    quick: tuple[str, ...] = (),
) -> Check:
    text = schema.TABLES_BY_NAME[rule_of].extra_rules[number]
    return Check(
        table, column, "rule", text, blocking, reads, relation, condition, message, rule_of, quick
    )


def _reads(table: str, *names: str) -> tuple[str, ...]:
    return tuple(n if "." in n else f"{table}.{n}" for n in names)


def census_day(academic_year: int) -> dt.date:
    """The school census day of an academic year (201718: 18 January 2018): the third
    Thursday of January."""
    jan15 = dt.date(academic_year // 100 + 1, 1, 15)
    return jan15 + dt.timedelta(days=(3 - jan15.weekday()) % 7)


def _census_day(year: str) -> str:
    """SQL: the census day of academic `year` (NULL outside the window), looked up."""
    days = " ".join(
        f"WHEN {y} THEN DATE '{census_day(y).isoformat()}'" for y in schema.ACADEMIC_YEARS
    )
    return f"(CASE {year} {days} END)"


def _public_las(table: str) -> str:
    return (
        f"(SELECT a.*, p.la_code AS pub_la_code, p.region_code AS pub_region_code "
        f"FROM {view(table)} AS a LEFT JOIN public_las AS p ON a.la_code = p.la_code)"
    )


def _la_rule(rule_of: str, number: int) -> Check:
    return _rule(
        rule_of,
        number,
        rule_of,
        "la_code",
        _reads(rule_of, "la_code", f"{PUBLIC}.la_code"),
        relation=_public_las(rule_of),
        condition="la_code IS NOT NULL AND pub_la_code IS NULL",
        message="concat('''', la_code, ''' is not a local authority code in the public data')",
    )


def _rules() -> list[Check]:
    c = "children"
    minor_to_major = " ".join(
        f"WHEN {lit(minor)} THEN {lit(major)}" for minor, major in schema.ETHNICITY_MINOR.items()
    )
    rules = [
        _rule(
            c,
            0,
            c,
            "ethnicity_major",
            _reads(c, "ethnicity_minor", "ethnicity_major"),
            relation=view(c),
            condition=f"ethnicity_major <> (CASE ethnicity_minor {minor_to_major} END)",
            message=f"concat('''', ethnicity_major, ''' is not the major group of ', ethnicity_minor, "
            f"' (', CASE ethnicity_minor {minor_to_major} END, ')')",
        ),
    ]
    for table in ("cin_episodes", "cla_episodes"):
        rules.append(
            _rule(
                c,
                1,
                table,
                "child_id",
                _reads(table, "child_id", "children.child_id", "children.match_status"),
                relation=joined(table, "child_id"),
                condition="ref_match_status = 'education_only'",
                message="concat('child ', CAST(child_id AS VARCHAR), ' is education_only in children, "
                "on row ', CAST(ref__row AS VARCHAR), ', but has this episode')",
            )
        )
    for table in PUPIL_TABLES:
        rules.append(
            _rule(
                c,
                2,
                table,
                "child_id",
                _reads(table, "child_id", "children.child_id", "children.match_status"),
                relation=joined(table, "child_id"),
                condition="ref_match_status = 'care_only'",
                message="concat('child ', CAST(child_id AS VARCHAR), ' is care_only in children, "
                "on row ', CAST(ref__row AS VARCHAR), ', but has this pupil record')",
            )
        )
    rules.append(
        _rule(
            c,
            3,
            c,
            "match_status",
            _reads(c, "child_id", "match_status", "cin_episodes.child_id"),
            relation=f"(SELECT *, child_id IN (SELECT child_id FROM {view('cin_episodes')}) AS has_cin "
            f"FROM {view(c)} WHERE match_status IN ('matched', 'care_only'))",
            condition="NOT has_cin",
            message="concat('the child is ', match_status, ' but has no children in need episode')",
            blocking=False,
        )
    )

    e = "cin_episodes"
    start, end = lit(schema.WINDOW_START), lit(schema.WINDOW_END)
    rules += [
        _rule(
            e,
            0,
            e,
            "closure_date",
            _reads(e, "referral_date", "closure_date"),
            relation=view(e),
            condition="closure_date < referral_date",
            message="concat('the episode closes on ', CAST(closure_date AS VARCHAR), ', before its "
            "referral_date ', CAST(referral_date AS VARCHAR))",
        ),
        _rule(
            e,
            1,
            e,
            "closure_reason",
            _reads(e, "closure_date", "closure_reason"),
            relation=view(e),
            condition="(_raw_closure_date IS NULL) <> (_raw_closure_reason IS NULL)",
            message="CASE WHEN _raw_closure_date IS NULL "
            "THEN 'closure_reason is given, but closure_date is empty' "
            "ELSE 'closure_date is given, but closure_reason is empty' END",
        ),
        _rule(
            e,
            2,
            e,
            "closure_date",
            _reads(e, "closure_date"),
            relation=view(e),
            condition=f"closure_date < DATE {start}",
            message=f"concat('the episode closed on ', CAST(closure_date AS VARCHAR), ', before the "
            f"window starts on ', {start})",
        ),
        _rule(
            e,
            2,
            e,
            "referral_date",
            _reads(e, "referral_date"),
            relation=view(e),
            condition=f"referral_date > DATE {end}",
            message=f"concat('the episode starts on ', CAST(referral_date AS VARCHAR), ', after the "
            f"window ends on ', {end})",
        ),
        _la_rule(e, 3),
        _rule(
            e,
            4,
            e,
            "primary_need",
            _reads(e, "primary_need", "referral_nfa"),
            relation=view(e),
            condition="_raw_primary_need IS NULL AND NOT referral_nfa",
            message=lit("primary_need is empty, but referral_nfa is false"),
            blocking=False,
        ),
        _rule(
            e,
            5,
            e,
            "episode_id",
            _reads(e, "episode_id"),  # the other fields too: a missing one reads as null
            relation=duplicates(e, ("episode_id",), fields=schema.TABLES_BY_NAME[e].names),
            condition="_repeats",
            message="concat('the row repeats row ', CAST(_previous AS VARCHAR), ' in every field: "
            "one episode, counted once')",
            blocking=False,
            quick=maybe_duplicates(e, ("episode_id",)),
        ),
    ]

    a = "cin_assessments"
    rules += [
        _rule(
            a,
            0,
            a,
            "authorised_date",
            _reads(a, "start_date", "authorised_date"),
            relation=view(a),
            condition="authorised_date < start_date",
            message="concat('authorised on ', CAST(authorised_date AS VARCHAR), ', before the "
            "assessment started on ', CAST(start_date AS VARCHAR))",
        ),
        _rule(
            a,
            1,
            a,
            "start_date",
            _reads(
                a,
                "episode_id",
                "start_date",
                "cin_episodes.episode_id",
                "cin_episodes.referral_date",
            ),
            relation=joined(a, "episode_id"),
            condition="start_date < ref_referral_date",
            message="concat('the assessment starts on ', CAST(start_date AS VARCHAR), ', before its "
            "episode''s referral_date ', CAST(ref_referral_date AS VARCHAR), ' (cin_episodes row ', "
            "CAST(ref__row AS VARCHAR), ')')",
        ),
    ]

    p = "child_protection_plans"
    episode = ("cin_episodes.episode_id", "cin_episodes.referral_date", "cin_episodes.closure_date")
    rules += [
        _rule(
            p,
            0,
            p,
            "end_date",
            _reads(p, "start_date", "end_date"),
            relation=view(p),
            condition="end_date < start_date",
            message="concat('the plan ends on ', CAST(end_date AS VARCHAR), ', before it starts on ', "
            "CAST(start_date AS VARCHAR))",
        ),
        _rule(
            p,
            1,
            p,
            "start_date",
            _reads(p, "episode_id", "start_date", *episode),
            relation=joined(p, "episode_id"),
            condition="start_date < ref_referral_date OR start_date > ref_closure_date",
            message="concat('the plan starts on ', CAST(start_date AS VARCHAR), ', outside its episode (',"
            " CAST(ref_referral_date AS VARCHAR), ' to ', coalesce(CAST(ref_closure_date AS VARCHAR), "
            "'open'), ', cin_episodes row ', CAST(ref__row AS VARCHAR), ')')",
        ),
        _rule(
            p,
            1,
            p,
            "end_date",
            _reads(p, "episode_id", "end_date", *episode),
            relation=joined(p, "episode_id"),
            condition="end_date > ref_closure_date OR (_raw_end_date IS NULL AND ref_closure_date IS NOT NULL)",
            message="concat('the plan ', CASE WHEN _raw_end_date IS NULL THEN 'is still open' "
            "ELSE 'ends on ' || CAST(end_date AS VARCHAR) END, ', but its episode closed on ', "
            "CAST(ref_closure_date AS VARCHAR), ' (cin_episodes row ', CAST(ref__row AS VARCHAR), ')')",
        ),
    ]

    la = "cla_episodes"
    rules += [
        _rule(
            la,
            0,
            la,
            "end_date",
            _reads(la, "start_date", "end_date"),
            relation=view(la),
            condition="end_date < start_date",
            message="concat('the episode ends on ', CAST(end_date AS VARCHAR), ', before it starts on ', "
            "CAST(start_date AS VARCHAR))",
        ),
        _la_rule(la, 1),
    ]

    s = "school_census"
    no_main = (
        f"(SELECT a.*, m.child_id IS NULL AS no_main FROM "
        f"(SELECT * FROM {view(s)} WHERE enrolment_status = 'S') AS a LEFT JOIN "
        f"(SELECT DISTINCT child_id, academic_year FROM {view(s)} "
        f"WHERE enrolment_status = 'M') AS m "
        f"ON a.child_id = m.child_id AND a.academic_year = m.academic_year)"
    )
    age = (
        "(academic_year // 100 - ref_birth_year - CASE WHEN ref_birth_month > 8 THEN 1 ELSE 0 END)"
    )
    census_day = _census_day("academic_year")
    rules += [
        _rule(
            s,
            0,
            s,
            "enrolment_status",
            _reads(s, "child_id", "academic_year", "enrolment_status"),
            relation=duplicates(s, ("child_id", "academic_year"), "enrolment_status IN ('C', 'M')"),
            condition="_previous IS NOT NULL",
            message="concat('a second main registration (C or M) of child ', CAST(child_id AS VARCHAR), "
            "' in ', CAST(academic_year AS VARCHAR), ': another is on row ', "
            "CAST(_previous AS VARCHAR))",
            quick=maybe_duplicates(
                s, ("child_id", "academic_year"), "enrolment_status IN ('C', 'M')"
            ),
        ),
        _rule(
            s,
            1,
            s,
            "enrolment_status",
            _reads(s, "child_id", "academic_year", "enrolment_status"),
            relation=no_main,
            condition="no_main",
            message="concat('a subsidiary registration (S) of child ', CAST(child_id AS VARCHAR), "
            "' in ', CAST(academic_year AS VARCHAR), ' with no main registration (M)')",
        ),
        _rule(
            s,
            2,
            s,
            "ncyear",
            _reads(
                s,
                "child_id",
                "academic_year",
                "ncyear",
                "children.child_id",
                "children.birth_year",
                "children.birth_month",
            ),
            relation=joined(s, "child_id"),
            condition=f"abs(ncyear - ({age} - 4)) > 1",
            message=f"concat('ncyear ', CAST(ncyear AS VARCHAR), ' does not fit the pupil''s age: born ', "
            f"CAST(ref_birth_year AS VARCHAR), '-', lpad(CAST(ref_birth_month AS VARCHAR), 2, '0'), "
            f"', aged ', CAST({age} AS VARCHAR), ' on 31 August ', "
            f"CAST(academic_year // 100 AS VARCHAR), ', so year ', CAST({age} - 4 AS VARCHAR), "
            f"' give or take one')",
            blocking=False,
        ),
        _rule(
            s,
            3,
            s,
            "urn",
            _reads(
                s, "urn", "academic_year", "schools.urn", "schools.open_date", "schools.close_date"
            ),
            relation=joined(s, "urn"),
            condition=f"ref_open_date > {census_day} OR ref_close_date < {census_day}",
            message=f"concat('school ', CAST(urn AS VARCHAR), ' was not open on census day ', "
            f"CAST({census_day} AS VARCHAR), ' (open ', CAST(ref_open_date AS VARCHAR), ' to ', "
            f"coalesce(CAST(ref_close_date AS VARCHAR), 'now'), ')')",
            blocking=False,
        ),
    ]

    sc = "schools"
    rules += [
        _rule(
            sc,
            0,
            sc,
            "close_date",
            _reads(sc, "open_date", "close_date"),
            relation=view(sc),
            condition="close_date <= open_date",
            message="concat('the school closes on ', CAST(close_date AS VARCHAR), ', not after it opens "
            "on ', CAST(open_date AS VARCHAR))",
        ),
        _rule(
            sc,
            1,
            sc,
            "la_code",
            _reads(sc, "la_code", f"{PUBLIC}.la_code"),
            relation=_public_las(sc),
            condition="la_code IS NOT NULL AND pub_la_code IS NULL",
            message="concat('''', la_code, ''' is not a local authority code in the public data')",
        ),
        _rule(
            sc,
            1,
            sc,
            "region_code",
            _reads(sc, "la_code", "region_code", f"{PUBLIC}.la_code"),
            relation=_public_las(sc),
            condition="region_code <> pub_region_code AND NOT (region_code = 'E12000007' "
            "AND pub_region_code IN ('E13000001', 'E13000002'))",
            message="concat('''', region_code, ''' is not the region of ', la_code, ' (', "
            "pub_region_code, CASE WHEN pub_region_code LIKE 'E13%' THEN ' or E12000007' ELSE '' "
            "END, ')')",
        ),
    ]

    ab = "absence"
    # the absence rows with no main registration that year (an anti join: DuckDB plans a
    # NOT EXISTS here as a mark join, about three times slower at national scale)
    orphans = (
        f"(SELECT a.* FROM (SELECT * FROM {view(ab)} WHERE child_id IS NOT NULL AND "
        f"academic_year IS NOT NULL) AS a ANTI JOIN (SELECT child_id, academic_year FROM "
        f"{view(s)} WHERE enrolment_status IN ('C', 'M')) AS m "
        f"ON a.child_id = m.child_id AND a.academic_year = m.academic_year)"
    )
    rules += [
        _rule(
            ab,
            0,
            ab,
            "sessions_possible",
            _reads(ab, "sessions_possible", "sessions_authorised", "sessions_unauthorised"),
            relation=view(ab),
            condition="sessions_authorised + sessions_unauthorised > sessions_possible",
            message="concat(CAST(sessions_authorised + sessions_unauthorised AS VARCHAR), ' sessions "
            "missed, more than the ', CAST(sessions_possible AS VARCHAR), ' possible')",
        ),
        _rule(
            ab,
            1,
            ab,
            "child_id",
            _reads(
                ab,
                "child_id",
                "academic_year",
                f"{s}.child_id",
                f"{s}.academic_year",
                f"{s}.enrolment_status",
            ),
            relation=orphans,
            condition="TRUE",
            message="concat('an orphan: child ', CAST(child_id AS VARCHAR), ' has no school census "
            "row at main registration in ', CAST(academic_year AS VARCHAR), ', so the row is in no "
            "count of absence')",
            blocking=False,
        ),
    ]

    ex = "exclusions"
    rules.append(
        _rule(
            ex,
            0,
            ex,
            "fixed_period_count",
            _reads(ex, "fixed_period_count", "permanent"),
            relation=view(ex),
            condition="fixed_period_count = 0 AND NOT permanent",
            message=lit("no exclusion: fixed_period_count is 0 and permanent is false"),
        )
    )

    k2 = "ks2"
    for name, before in (
        ("reading_level", True),
        ("maths_level", True),
        ("reading_fine_points", True),
        ("maths_fine_points", True),
        ("reading_scaled", False),
        ("maths_scaled", False),
        ("writing_ta", False),
    ):
        rules.append(
            _rule(
                k2,
                0,
                k2,
                name,
                _reads(k2, "academic_year", name),
                relation=view(k2),
                condition=f"{raw(name)} IS NOT NULL AND academic_year {'>=' if before else '<'} 201516",
                message=f"concat('{name} is given for ', CAST(academic_year AS VARCHAR), ', but is "
                f"used only {'before' if before else 'from'} 201516')",
            )
        )

    k4 = "ks4"
    rules.append(
        _rule(
            k4,
            0,
            k4,
            "em_grade4",
            _reads(k4, "em_grade4", "em_grade5"),
            relation=view(k4),
            condition="em_grade5 AND NOT em_grade4",
            message=lit("em_grade5 is true, so em_grade4 must be true too"),
        )
    )

    p16 = "post16"
    for level in ("level2", "level3"):
        rules.append(
            _rule(
                p16,
                0,
                p16,
                f"{level}_by_21",
                _reads(p16, f"{level}_by_19", f"{level}_by_21"),
                relation=view(p16),
                condition=f"{level}_by_19 AND NOT {level}_by_21",
                message=lit(f"{level}_by_19 is true, so {level}_by_21 must not be false"),
            )
        )
    return rules


def all_checks() -> tuple[Check, ...]:
    """Every check, table by table: field checks, then the key, then the rules."""
    rules = _rules()
    checks: list[Check] = []
    for table in schema.TABLES:
        for f in table.fields:
            checks += _field_checks(table, f)
        checks.append(_key_check(table))
        checks += [r for r in rules if r.table == table.name]
    return tuple(checks)


CHECKS = all_checks()
