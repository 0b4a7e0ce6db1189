"""Findings (section 4): GCSE attainment by social care history, taking account of other
factors (B7, B8): a logistic regression and the relative likelihood of each group.

Exactly as "B7 and B8" in calibration-targets.md defines it (docs/methodology.md):

- The cohort: pupils at the end of key stage 4 in the academic year that ends in the last
  reporting year (`ks4` rows of 2017/18). Groups, in order, so that they partition it: CLA
  (looked after at some point in the reporting year 2017-18), else CPPO (on a child
  protection plan at some point in it), else CINO (in need at some point in it), else PREV
  (in need at some point in an earlier year of the window, 2012-13 to 2016-17), else NEVER.
- The outcome: `em_grade5`. The controls, each a documented input column: key stage 2 prior
  attainment five years earlier (the mean of `reading_fine_points` and `maths_fine_points`
  of the `ks2` row of 2012/13), and from the January census of the year at main
  registration `sen_provision`, `fsm_eligible` and `first_language`; `gender`,
  `ethnicity_major` and `birth_month` (12 levels); school moves, the changes of `urn`
  between the censuses of consecutive years in national curriculum years 8 to 11 (0, 1,
  2 or more). Pupils without key stage 2 results (or, then, without a January census
  record) are left out and counted. Each categorical control's reference is the first of
  its levels (in the order of `LEVELS`) that a pupil in the model has; a level no pupil
  has gets no column, and a control with a single level among them is left out of the
  model (the table `tbl-regression-controls` says which were used). The RRs do not
  depend on the choice of reference.
- The model: a logit of the outcome on the group and the controls, fitted by statsmodels on
  a design matrix built once as numpy arrays. For group g, with X_g the matrix with every
  pupil's group set to g and X_0 set to NEVER, RR_g = mean(sigma(X_g b)) / mean(sigma(X_0
  b)), with a delta-method 95% interval on log RR_g (gradient X_g' w_g / sum(p_g) - X_0' w_0
  / sum(p_0), p = sigma(X b), w = p(1 - p), variance gradient' V gradient), and the odds
  ratio exp(b_g) with its Wald interval alongside. A group of fewer than 100 pupils in the
  model is not reported (it stays in the model). RRs and ratios are published to 2 decimal
  places; B7 is the lowest published RR of PREV, CINO, CPPO and CLA, B8 the larger of
  |RR(CINO) - RR(CLA)| and |RR(CPPO) - RR(CLA)| of the published RRs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from bulletin.core import schema
from bulletin.core.formatting import round_half_up
from bulletin.core.measure import Measure, Unit
from bulletin.core.symbols import Symbol
from bulletin.disclosure import Counted
from bulletin.findings.linked import (
    MAIN_REGISTRATION,
    Linked,
    Params,
    academic_year,
    flag,
    left_join,
    meets,
    need_flags,
    plans_of_children,
    query,
    year_end,
    year_start,
)
from bulletin.findings.publish import (
    Entry,
    FindingsTable,
    count,
    frame_of,
    of_row,
    share_key,
    shares_table,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    Floats = npt.NDArray[np.float64]

NEVER, PREV, CINO, CPPO, CLA = "NEVER", "PREV", "CINO", "CPPO", "CLA"
GROUPS = (NEVER, PREV, CINO, CPPO, CLA)  # the reference group first
COMPARED = GROUPS[1:]
ALL = "all pupils"
MIN_PUPILS = 100  # a group with fewer pupils in the model is not reported
Z = 1.96  # the normal quantile of a 95% interval
PLACES = 2  # RRs and odds ratios are published to 2 decimal places
KS2_YEARS_BEFORE = 5  # key stage 2 (year 6) five academic years before key stage 4
MOVES_YEARS = (8, 11)  # school moves between the censuses of these curriculum years
SOURCE = (
    "Key stage 4 and 2 results and the school census linked to the children in need census "
    "and looked-after children return, linked extract"
)

#: The categorical controls and the levels of each, in order: the first a pupil in the model
#: has is the reference (`group`, the social care group, always NEVER); `prior` (key stage 2
#: points) is the one continuous control.
LEVELS: dict[str, tuple[object, ...]] = {
    "group": GROUPS,
    "sen": tuple(schema.SEN_PROVISION),  # N, K (SEN support), E (statement or EHC plan)
    "fsm": (False, True),
    "gender": tuple(schema.GENDERS),
    "ethnicity": tuple(schema.ETHNICITY_MAJOR),  # UNCL its own level
    "language": tuple(schema.FIRST_LANGUAGES),
    "month": (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8),  # September-born (the oldest) first
    "moves": (0, 1, 2),  # 2: two or more
}
#: The estimate cells of NEVER and of all pupils in the table.
NOT_APPLICABLE = Measure.hidden(Symbol.NOT_APPLICABLE, Unit.RATIO)
CONTROLS = ("prior", "sen", "fsm", "gender", "ethnicity", "language", "month", "moves")
MEANINGS = {
    "prior": "key stage 2 prior attainment (mean of reading and maths fine points)",
    "sen": "special educational needs provision (January census)",
    "fsm": "eligible for free school meals (January census)",
    "gender": "gender",
    "ethnicity": "ethnicity (major group)",
    "language": "first language (January census)",
    "month": "month of birth",
    "moves": "school moves in years 8 to 11 (0, 1, 2 or more)",
}
QUERY = ("regression.cohort",)


class ModelError(RuntimeError):
    """The logistic regression could not be fitted (it did not converge, or the design
    matrix is not of full rank)."""


# -- the data ---------------------------------------------------------------------------------


def _years(params: Params) -> tuple[int, int, tuple[int, ...]]:
    """The key stage 4 year (a calendar year: 2018), the key stage 2 year and the earlier
    reporting years of the window (PREV: 2013 to 2017)."""
    last = params.last_year
    return last, last - KS2_YEARS_BEFORE, tuple(range(params.first_year, last))


@query("regression.cohort")
def q_cohort(linked: Linked, params: Params) -> ir.Table:
    """One row per pupil at the end of key stage 4 in the year: child_id, group, passed
    (em_grade5), prior (null without key stage 2 results), in_census (a January census
    record at main registration), sen, fsm, language (null without one), gender,
    ethnicity, month and moves."""
    import ibis

    year, ks2_year, earlier = _years(params)
    first, last = year_start(year), year_end(year)
    ks4 = linked["ks4"]
    cohort = ks4.filter(ks4.academic_year == academic_year(year)).select(
        "child_id", passed=ks4.em_grade5
    )

    cla = linked["cla_episodes"]
    looked_after = (
        cla.filter(meets(cla.start_date, cla.end_date, first, last))
        .select("child_id")
        .distinct()
        .mutate(cla=ibis.literal(True))
    )
    plans = plans_of_children(linked, params)
    on_plan = (
        plans.filter(meets(plans.start_date, plans.end_date, first, last))
        .select("child_id")
        .distinct()
        .mutate(cppo=ibis.literal(True))
    )
    flags = need_flags(linked, params)
    before = [flag(flags, params, f"any_point_{y}") for y in earlier]
    need = flags.select(
        "child_id",
        cino=flag(flags, params, f"any_point_{year}"),
        prev=ibis.or_(*before) if before else ibis.literal(False),
    )

    k = linked["ks2"]
    prior = k.filter(k.academic_year == academic_year(ks2_year)).select(
        "child_id", prior=(k.reading_fine_points + k.maths_fine_points) / 2
    )

    c = linked["school_census"]
    census_years = [academic_year(y) for y in range(year - 3, year + 1)]
    main = c.filter(c.academic_year.isin(census_years), c.enrolment_status.isin(MAIN_REGISTRATION))
    january = main.filter(main.academic_year == academic_year(year)).select(
        "child_id",
        in_census=ibis.literal(True),
        sen=main.sen_provision,
        fsm=main.fsm_eligible,
        language=main.first_language,
    )
    rows = main.filter(main.ncyear.between(*MOVES_YEARS)).select("child_id", "academic_year", "urn")
    previous = rows.select(
        previous_child=rows.child_id, previous_year=rows.academic_year, previous_urn=rows.urn
    )
    pairs = rows.join(
        previous,
        [
            rows.child_id == previous.previous_child,
            rows.academic_year == previous.previous_year + 101,
        ],
    )
    moves = pairs.group_by("child_id").aggregate(
        moves=(pairs.urn != pairs.previous_urn).cast("int64").sum()
    )

    children = linked["children"].select(
        "child_id", "gender", ethnicity="ethnicity_major", month="birth_month"
    )
    joined = cohort
    for table in (looked_after, on_plan, need, prior, january, moves, children):
        joined = left_join(joined, table, "child_id")
    group = ibis.cases(
        (joined.cla.fill_null(False), CLA),
        (joined.cppo.fill_null(False), CPPO),
        (joined.cino.fill_null(False), CINO),
        (joined.prev.fill_null(False), PREV),
        else_=NEVER,
    )
    return joined.select(
        "child_id",
        "passed",
        "prior",
        "sen",
        "fsm",
        "language",
        "gender",
        "ethnicity",
        "month",
        group=group,
        in_census=joined.in_census.fill_null(False),
        moves=ibis.least(joined.moves.fill_null(0), 2),
    )


# -- the model ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Design:
    """The model matrix, built once: x (pupils x columns: the intercept, then each control's
    columns), the outcome y (0 or 1), the column names, the column of each group other
    than the reference (absent when no pupil is in it), each categorical control's
    reference level, and the controls left out (a single level among the pupils)."""

    x: Floats
    y: Floats
    names: tuple[str, ...]
    groups: Mapping[str, int]
    references: Mapping[str, object]
    dropped: tuple[str, ...]


@dataclass(frozen=True)
class Fit:
    params: Floats
    cov: Floats


@dataclass(frozen=True)
class Estimate:
    """One group against NEVER: the relative likelihood of a pass with its 95% interval,
    and the odds ratio with its."""

    rr: float
    rr_low: float
    rr_high: float
    odds: float
    odds_low: float
    odds_high: float


def levels_present(frame: pd.DataFrame, control: str) -> tuple[object, ...]:
    """The levels of a categorical control that pupils in `frame` have, in the order of
    `LEVELS` (the first is the reference; for the group, always NEVER)."""
    present = set(frame[control].unique().tolist())
    unknown = present - set(LEVELS[control])
    if unknown:
        raise ValueError(f"{control}: levels outside the model: {sorted(map(str, unknown))}")
    if control == "group":
        return (NEVER, *(g for g in COMPARED if g in present))
    return tuple(level for level in LEVELS[control] if level in present)


def design_matrix(frame: pd.DataFrame, controls: Sequence[str] = CONTROLS) -> Design:
    """The model matrix of the pupils in `frame` (columns group, passed and `controls`):
    the intercept, a column for each group but NEVER and for each level of a categorical
    control that pupils have but its reference (the first of them), `prior` as it is; a
    categorical control with a single level among the pupils is left out. Built once,
    column by column, in Fortran order (the order the Hessian X' W X is fast in)."""
    import numpy as np

    columns: dict[str, Floats] = {"intercept": np.ones(len(frame))}
    references: dict[str, object] = {}
    dropped: list[str] = []
    for control in ("group", *controls):
        if control not in LEVELS:
            columns[control] = frame[control].to_numpy(dtype=np.float64)
            continue
        levels = levels_present(frame, control)
        if len(levels) < 2 and control != "group":
            dropped.append(control)
            continue
        references[control] = levels[0]
        values = frame[control]
        for level in levels[1:]:
            columns[f"{control}={level}"] = np.asarray(values == level, dtype=np.float64)
    names = tuple(columns)
    x = np.empty((len(frame), len(names)), order="F")
    for j, column in enumerate(columns.values()):
        x[:, j] = column
    groups = {g: names.index(f"group={g}") for g in GROUPS if f"group={g}" in columns}
    y = frame["passed"].to_numpy(dtype=np.float64)
    return Design(x, y, names, groups, references, tuple(dropped))


def fit_logit(design: Design) -> Fit:
    """The logistic regression by Newton's method (statsmodels `Logit` on the arrays)."""
    import numpy as np
    from statsmodels.discrete.discrete_model import Logit

    if np.linalg.matrix_rank(design.x.T @ design.x) < design.x.shape[1]:
        raise ModelError(f"the design matrix is not of full rank: {', '.join(design.names)}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # perfect separation, overflow: no estimate
        try:
            result = Logit(design.y, design.x).fit(method="newton", maxiter=100, disp=False)
        except (Warning, np.linalg.LinAlgError) as e:
            raise ModelError(f"the logistic regression failed: {e}") from e
    if not result.mle_retvals["converged"]:
        raise ModelError("the logistic regression did not converge")
    return Fit(np.asarray(result.params), np.asarray(result.cov_params()))


def relative_likelihoods(design: Design, fit: Fit) -> dict[str, Estimate]:
    """RR_g with its delta-method interval and the odds ratio with its, for each group in
    the design (see the module's docstring)."""
    import numpy as np
    from scipy.special import expit

    b, v = fit.params, fit.cov
    columns = list(design.groups.values())
    counterfactual = design.x.copy(order="F")  # X with every pupil's group set (one buffer)

    def mean_and_gradient(group: str | None) -> tuple[float, Floats]:
        """sum(p_g) and X_g' w_g, with every pupil in `group` (None: NEVER)."""
        counterfactual[:, columns] = 0.0
        if group is not None:
            counterfactual[:, design.groups[group]] = 1.0
        p = expit(counterfactual @ b)
        return float(p.sum()), counterfactual.T @ (p * (1.0 - p))

    total_0, gradient_0 = mean_and_gradient(None)
    out: dict[str, Estimate] = {}
    for group, column in design.groups.items():
        total_g, gradient_g = mean_and_gradient(group)
        log_rr = float(np.log(total_g / total_0))
        gradient = gradient_g / total_g - gradient_0 / total_0
        se = float(np.sqrt(gradient @ v @ gradient))
        coef, coef_se = float(b[column]), float(np.sqrt(v[column, column]))
        out[group] = Estimate(
            rr=float(np.exp(log_rr)),
            rr_low=float(np.exp(log_rr - Z * se)),
            rr_high=float(np.exp(log_rr + Z * se)),
            odds=float(np.exp(coef)),
            odds_low=float(np.exp(coef - Z * coef_se)),
            odds_high=float(np.exp(coef + Z * coef_se)),
        )
    return out


# -- the findings --------------------------------------------------------------------------------

#: The estimates of each group, and the prefix of each one's finding id (rr_cla, or_low_cla)
IDS = {
    "rr": "rr",
    "rr_low": "rr_low",
    "rr_high": "rr_high",
    "odds": "or",
    "odds_low": "or_low",
    "odds_high": "or_high",
}
ESTIMATES = tuple(IDS)


@dataclass(frozen=True)
class RegressionFindings:
    cohort: Measure  # pupils at the end of key stage 4
    without_ks2: Measure  # left out: no key stage 2 results
    without_census: Measure  # left out: no January census record (with key stage 2)
    pupils: Measure  # in the model
    b7: Measure
    b8: Measure
    estimates: Mapping[str, Mapping[str, Measure]]  # group -> rr, rr_low, ... -> Measure
    table: FindingsTable
    controls: FindingsTable  # each control: its reference level, and whether it was used

    def entries(self) -> tuple[Entry, ...]:
        out = [
            Entry("regression_cohort", self.cohort, Counted.PUPILS, QUERY),
            Entry("regression_without_ks2", self.without_ks2, Counted.PUPILS, QUERY),
            Entry("regression_without_census", self.without_census, Counted.PUPILS, QUERY),
            Entry("regression_pupils", self.pupils, Counted.PUPILS, QUERY),
            Entry("B7", self.b7, Counted.PUPILS, QUERY),
            Entry("B8", self.b8, Counted.PUPILS, QUERY),
        ]
        for group in COMPARED:
            for name in ESTIMATES:
                measure = self.estimates[group][name]
                out.append(Entry(f"{IDS[name]}_{group.lower()}", measure, Counted.PUPILS, QUERY))
        return tuple(out)

    def tables(self) -> tuple[FindingsTable, ...]:
        return (self.table, self.controls)


def cohort_frame(linked: Linked, params: Params) -> pd.DataFrame:
    """The cohort as `regression.cohort` gives it, one row per pupil, in order of child_id:
    an engine returns rows in any order, and the fit's floating-point sums follow the rows'
    order, so this order makes the estimates the same to the bit on any engine."""
    import pandas as pd

    frame = pd.DataFrame(linked.run("regression.cohort", params))
    return frame.sort_values("child_id", ignore_index=True)


def compute(linked: Linked, params: Params) -> RegressionFindings:
    return findings_of(cohort_frame(linked, params), params)


def findings_of(frame: pd.DataFrame, params: Params) -> RegressionFindings:
    """The published regression of the cohort in `frame` (`regression.cohort`)."""
    t = params.disclosure
    year, ks2_year, earlier = _years(params)
    with_ks2 = frame[frame["prior"].notna()]
    model = with_ks2[with_ks2["in_census"].astype(bool)]
    sizes = model["group"].value_counts()
    passes = model.loc[model["passed"].astype(bool), "group"].value_counts()
    # a group is reported with 100 pupils or more in the model, and only against a NEVER
    # group of 100 or more
    reported = [g for g in COMPARED if sizes.get(g, 0) >= MIN_PUPILS]
    if sizes.get(NEVER, 0) < MIN_PUPILS:
        reported = []
    estimates: dict[str, Estimate] = {}
    failure = ""
    if reported:
        design = design_matrix(model)
        try:
            estimates = relative_likelihoods(design, fit_logit(design))
        except ModelError as e:  # nothing from the model is published, and the table says why
            reported, failure = [], f"; no estimates: {e}"

    ay = f"{year - 1}/{year % 100:02d}"
    cohort_words = f"pupils at the end of key stage 4 in {ay}"
    in_model = (
        f"{cohort_words} with key stage 2 results in {ks2_year - 1}/{ks2_year % 100:02d} "
        f"and a January {year} school census record"
    )
    dropped = tuple(
        c for c in CONTROLS if c in LEVELS and len(model) and len(levels_present(model, c)) < 2
    )
    definition = _definition(year, ks2_year, earlier, dropped)
    published: dict[str, dict[str, Measure]] = {}
    for group in COMPARED:
        published[group] = {}
        for name in ESTIMATES:
            words = _estimate_words(name, group, definition)
            if group in reported:
                value = getattr(estimates[group], name)
                published[group][name] = ratio(value, words)
            else:
                published[group][name] = Measure.hidden(
                    Symbol.NOT_AVAILABLE, Unit.RATIO, source=SOURCE, definition=words
                )
    rrs = {g: published[g]["rr"] for g in COMPARED}
    b7 = _summary(
        [rrs[g] for g in COMPARED if rrs[g].value is not None],
        min,
        "the lowest relative likelihood of a grade 5 pass in English and maths (RR) of CLA, "
        f"CPPO, CINO and PREV against NEVER, of the published RRs; {definition}",
    )
    b8 = _summary(
        [rrs[g] for g in (CLA, CINO, CPPO)],
        lambda v: max(abs(v[1] - v[0]), abs(v[2] - v[0])),
        "the larger of |RR(CINO) - RR(CLA)| and |RR(CPPO) - RR(CLA)|, of the published RRs; "
        + definition,
        every=True,
    )

    values = {(g, "pupils"): int(sizes.get(g, 0)) for g in GROUPS}
    values |= {(g, "passes"): int(passes.get(g, 0)) for g in GROUPS}
    values[(ALL, "pupils")] = len(model)
    values[(ALL, "passes")] = int(model["passed"].astype(bool).sum())
    safe = shares_table(values, of_row("pupils"), t, row_relations=[(ALL, list(GROUPS))])
    rows = []
    for group in (*GROUPS, ALL):
        row: dict[str, object] = {
            "group": group,
            "pupils": safe.count((group, "pupils")),
            "pass rate": safe.rate(share_key((group, "passes"))),
        }
        for name in ESTIMATES:
            row[name] = published[group][name] if group in published else NOT_APPLICABLE
        rows.append(row)
    return RegressionFindings(
        cohort=count(len(frame), t, Counted.PUPILS, definition=cohort_words, source=SOURCE),
        without_ks2=count(
            len(frame) - len(with_ks2),
            t,
            Counted.PUPILS,
            definition=f"{cohort_words} without key stage 2 results in "
            f"{ks2_year - 1}/{ks2_year % 100:02d} (left out of the model)",
            source=SOURCE,
        ),
        without_census=count(
            len(with_ks2) - len(model),
            t,
            Counted.PUPILS,
            definition=f"{cohort_words} with key stage 2 results but no January {year} school "
            "census record at main registration (left out of the model)",
            source=SOURCE,
        ),
        pupils=count(len(model), t, Counted.PUPILS, definition=in_model, source=SOURCE),
        b7=b7,
        b8=b8,
        estimates=published,
        table=FindingsTable(
            id="tbl-regression",
            title=f"Grade 5 or above in English and maths, {ay}, by social care group, "
            "taking account of other factors",
            definition=f"{in_model}: pupils, the share with a grade 5 pass in English and "
            "maths, the relative likelihood of a pass against NEVER (RR) with its 95% "
            "confidence interval, and the odds ratio with its; " + definition + failure,
            source=SOURCE,
            counted=Counted.PUPILS,
            frame=frame_of(rows, ["group", "pupils", "pass rate", *ESTIMATES]),
            labels=("group",),
            query=QUERY,
        ),
        controls=_controls(model, in_model),
    )


def _controls(model: pd.DataFrame, in_model: str) -> FindingsTable:
    """Each control of the model: what it is, its reference level (the first of its levels
    that a pupil in the model has), and whether it was used (a categorical control with a
    single level among them is left out)."""
    rows: list[dict[str, object]] = []
    for control in CONTROLS:
        if model.empty:
            reference, used = "none", "no: no pupils in the model"
        elif control not in LEVELS:
            reference, used = "none (a number)", "yes"
        else:
            levels = levels_present(model, control)
            first = levels[0]  # as the extract writes it: true/false, codes, numbers
            reference = str(first).lower() if isinstance(first, bool) else str(first)
            used = "yes" if len(levels) > 1 else "no: a single level among the pupils"
        rows.append(
            {
                "control": control,
                "meaning": MEANINGS[control],
                "reference": reference,
                "used": used,
            }
        )
    return FindingsTable(
        id="tbl-regression-controls",
        title="The controls of the regression of grade 5 in English and maths, and whether "
        "each was used",
        definition=f"the controls of the logistic regression of B7 and B8 on the {in_model}: "
        "each categorical control's reference is the first of its levels that a pupil in the "
        "model has; a control with a single level among them is left out of the model",
        source=SOURCE,
        counted=Counted.PUPILS,
        frame=frame_of(rows, ["control", "meaning", "reference", "used"]),
        labels=("control", "meaning", "reference", "used"),
        query=QUERY,
    )


def ratio(value: float, definition: str) -> Measure:
    """A ratio as published: to 2 decimal places (halves up on the float's exact value)."""
    return Measure(
        round_half_up(Fraction(value), PLACES), Unit.RATIO, source=SOURCE, definition=definition
    )


def _summary(
    rrs: Sequence[Measure],
    of: Callable[[list[Decimal]], Decimal],
    definition: str,
    *,
    every: bool = False,
) -> Measure:
    """A number worked out from published RRs (exact Decimals); not available when none is
    shown (or, with `every`, when any is not)."""
    values = [m.value for m in rrs if m.value is not None]
    if not values or (every and len(values) < len(rrs)):
        return Measure.hidden(
            Symbol.NOT_AVAILABLE, Unit.RATIO, source=SOURCE, definition=definition
        )
    return Measure(of(values), Unit.RATIO, source=SOURCE, definition=definition)


def _definition(
    year: int, ks2_year: int, earlier: tuple[int, ...], dropped: tuple[str, ...]
) -> str:
    """The model in words: the groups, the outcome, the controls and the estimand."""

    def reporting(y: int) -> str:
        return f"{y - 1}-{y % 100:02d}"

    def academic(y: int) -> str:
        return f"{y - 1}/{y % 100:02d}"

    before = f"{reporting(earlier[0])} to {reporting(earlier[-1])}" if earlier else "none"
    left_out = ", ".join(MEANINGS[c] for c in dropped)
    if left_out:
        left_out = f"; left out, with a single level among the pupils in the model: {left_out}"
    return (
        f"pupils at the end of key stage 4 in {academic(year)} in groups, in order: CLA, looked "
        f"after at some point in {reporting(year)}; else CPPO, on a child protection plan at "
        f"some point in it; else CINO, in need at some point in it; else PREV, in need at some "
        f"point in {before}; else NEVER. Outcome: grade 5 or above in English and maths. "
        f"Logistic regression on the group and on key stage 2 prior attainment "
        f"({academic(ks2_year)}, the mean of reading and maths fine points), special "
        f"educational needs, free school meals and first language (January {year} census), "
        "gender, ethnicity (major group), month of birth and school moves in years 8 to 11 "
        f"(0, 1, 2 or more){left_out}. RR = the mean predicted probability of a pass with "
        "every pupil in the group over that with every pupil in NEVER; 95% confidence "
        "interval by the "
        "delta method on log RR; odds ratio = exp of the group's coefficient"
    )


def _estimate_words(name: str, group: str, definition: str) -> str:
    what = {
        "rr": "relative likelihood of a grade 5 pass in English and maths (RR)",
        "rr_low": "lower bound of the 95% confidence interval of the RR",
        "rr_high": "upper bound of the 95% confidence interval of the RR",
        "odds": "odds ratio of a grade 5 pass in English and maths",
        "odds_low": "lower bound of the 95% confidence interval of the odds ratio",
        "odds_high": "upper bound of the 95% confidence interval of the odds ratio",
    }[name]
    return f"{group} against NEVER: {what}; {definition}"
