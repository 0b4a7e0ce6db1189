"""Tables (open data registry): what each table of the publications is as EES open data.

One `DataFile` per subject and geography, naming the tables (by id) it is made of. A
publication lists the table ids it publishes; `files_for` finds their files. A new table
needs an entry here: `bulletin build` stops, naming the table, until it has one.

Shares are proportions in findings.json; the files give them as percentages (unit "%",
to 1 decimal place), exactly. Filters whose table has no total row say why and which item
EES shows first (see `bulletin.tables.ees`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bulletin.tables.ees import (
    ACADEMIC_YEAR,
    FIRST,
    LATEST,
    LATEST_ACADEMIC,
    REPORTING_YEAR,
    DataFile,
    Filter,
    Indicator,
    OpenDataError,
    Part,
    Spread,
)


def _share(column: str, col_name: str, label: str) -> Indicator:
    return Indicator(column, col_name, label, unit="%", dp=1)


def _count(column: str, col_name: str, label: str) -> Indicator:
    return Indicator(column, col_name, label)


def _group(column: str = "group", *, described: bool = True) -> Filter:
    """The social care group of a pupil (CLA, CPPO, CINO...), with all pupils as its total."""
    return Filter(
        column,
        "social_care_group",
        "Social care group",
        total="all pupils",
        described_by="meaning" if described else "",
        hint="The data guidance says who is in each group",
    )


def _by_year(prefix: str, *years: str) -> tuple[Part, ...]:
    return tuple(Part(f"{prefix}-{year}", time_period=year) for year in years)


B1 = "Department for Education, Characteristics of children in need"
#: The indicators of the tables of pupils by a characteristic, within a group.
PUPILS = (
    _count("pupils", "pupils", "Pupils"),
    _share("share", "pupils_percent", "Percentage of the group's pupils"),
)
#: The indicators of the tables of children referred in the window's first year.
CHILDREN = (
    _count("children", "children", "Children"),
    _share("share", "children_percent", "Percentage of children"),
)

FILES: tuple[DataFile, ...] = (
    DataFile(
        "children_in_need_at_31_march",
        "Children in need at 31 March, England, regions and local authorities",
        "Children in need at 31 March each year and the rate per 10,000 children aged 0 to "
        "17, as the Department for Education published them: England for every year of the "
        "series, and England, its regions and its local authorities in the latest year.",
        REPORTING_YEAR,
        (
            Part("tbl-cin-by-year", time_column="year", ignore=("date",)),
            Part(
                "tbl-cin-by-region",
                time_period=LATEST,
                place_column="area_code",
                ignore=("area_name", "level"),
            ),
        ),
        (
            _count(
                "at_31_march",
                "children_in_need_at_31_march",
                "Children in need at 31 March",
            ),
            Indicator(
                "at_31_march_rate",
                "rate_per_10000_children",
                "Children in need at 31 March per 10,000 children aged 0 to 17",
                dp=1,
            ),
        ),
        notes=(
            f"{B1}: counts and rates are printed exactly as published. National and "
            "regional counts are rounded to the nearest 10.",
        ),
    ),
    DataFile(
        "children_in_need_linked_by_year",
        "Children in need in the linked data, by year",
        "Children in need at any point in each year and at 31 March, counted in the linked data.",
        REPORTING_YEAR,
        (Part("tbl-linked-cin-by-year", time_column="year"),),
        (
            _count(
                "any_point", "in_need_at_any_point", "Children in need at any point in the year"
            ),
            _count("at_31_march", "in_need_at_31_march", "Children in need at 31 March"),
        ),
    ),
    DataFile(
        "characteristics_of_pupils_in_need",
        "Characteristics of pupils who were in need, and of other pupils",
        "Pupils in the January school census by gender, age, major ethnic group, special "
        "educational needs provision and free school meals eligibility, for pupils who were "
        "in need at some point in the window and for all other pupils. Each characteristic "
        "is a filter of its own, at Total in the rows of the others.",
        ACADEMIC_YEAR,
        (Part("tbl-characteristics", time_period=LATEST_ACADEMIC),),
        PUPILS,
        filters=(
            Filter(
                "group",
                "need_status",
                "Whether in need at some point in the window",
                total="all pupils",
            ),
        ),
        spread=Spread(
            "characteristic",
            "category",
            {
                "gender": Filter(
                    "",
                    "gender",
                    "Gender",
                    items={"F": "Female", "M": "Male", "U": "Not known or not stated"},
                ),
                "age": Filter("", "age_group", "Age on 31 August"),
                "ethnicity": Filter(
                    "",
                    "ethnicity_major",
                    "Major ethnic group",
                    items={
                        "WHIT": "White",
                        "MIXD": "Mixed / Multiple ethnic groups",
                        "ASIA": "Asian / Asian British",
                        "BLAC": "Black / African / Caribbean / Black British",
                        "OTHR": "Other ethnic group",
                        "UNCL": "Unknown",
                    },
                ),
                "special educational needs": Filter(
                    "",
                    "sen_provision",
                    "Special educational needs provision",
                    items={
                        "N": "No special educational need",
                        "K": "SEN support",
                        "E": "Statement or education, health and care plan",
                    },
                ),
                "free school meals": Filter(
                    "", "fsm_eligibility", "Eligibility for free school meals"
                ),
            },
            total="all",
        ),
    ),
    DataFile(
        "episodes_by_category_of_need",
        "Episodes of need by the primary need at assessment",
        "Episodes of need open at some point in the window, by the category of need "
        "recorded at assessment (N1 to N9). The latest year of the window is given as the "
        "time period.",
        REPORTING_YEAR,
        (Part("tbl-primary-need", time_period=LATEST),),
        (
            _count("episodes", "episodes", "Episodes of need"),
            _share("share", "episodes_percent", "Percentage of all episodes of need"),
        ),
        filters=(
            Filter(
                "need",
                "category_of_need",
                "Primary need at assessment",
                total="total",
                described_by="meaning",
            ),
        ),
    ),
    DataFile(
        "schools_by_share_of_pupils_in_need",
        "Schools by the share of their pupils who were in need",
        "Schools in the January school census of the window's latest year, by the share of "
        "their pupils who were in need at some point in the window.",
        ACADEMIC_YEAR,
        (Part("tbl-schools", time_period=LATEST_ACADEMIC),),
        (
            _count("schools", "number_of_schools", "Schools"),
            _share("share", "schools_percent", "Percentage of all schools"),
        ),
        filters=(
            Filter(
                "band",
                "share_in_need_band",
                "Share of pupils who were in need",
                total="all schools",
            ),
        ),
    ),
    DataFile(
        "absence_by_social_care_group",
        "Absence by social care group",
        "Overall and persistent absence of pupils, by their social care group at 31 March.",
        ACADEMIC_YEAR,
        _by_year("tbl-absence", "201617", "201718"),
        (
            _count("pupils", "pupils", "Pupils with an absence record"),
            _share("overall", "overall_absence_percent", "Overall absence rate"),
            _count("persistent", "persistent_absentees", "Persistent absentees"),
            _share("persistent_share", "persistent_absentees_percent", "Persistent absence rate"),
        ),
        filters=(_group(described=False),),
    ),
    DataFile(
        "exclusions_by_social_care_group",
        "Exclusions by social care group",
        "Pupils with one or more fixed-period exclusions, and pupils permanently excluded, "
        "by their social care group at 31 March.",
        ACADEMIC_YEAR,
        _by_year("tbl-exclusions", "201617", "201718"),
        (
            _count("pupils", "pupils", "Pupils at main registration"),
            _count("fixed", "fixed_period_excluded", "Pupils with a fixed-period exclusion"),
            _share(
                "fixed_share",
                "fixed_period_excluded_percent",
                "Percentage of pupils with a fixed-period exclusion",
            ),
            _count("permanent", "permanently_excluded", "Pupils permanently excluded"),
            _share(
                "permanent_share",
                "permanently_excluded_percent",
                "Percentage of pupils permanently excluded",
            ),
        ),
        filters=(_group(described=False),),
    ),
    DataFile(
        "early_years_by_social_care_group",
        "Early years foundation stage profile by social care group",
        "Pupils assessed in the early years foundation stage profile, and those who reached "
        "a good level of development, by their social care group in the year.",
        ACADEMIC_YEAR,
        _by_year("tbl-eyfsp", "201516", "201718"),
        (
            _count("pupils", "pupils", "Pupils assessed"),
            _count("gld", "good_level_of_development", "Pupils with a good level of development"),
            _share(
                "gld_share",
                "good_level_of_development_percent",
                "Percentage with a good level of development",
            ),
        ),
        filters=(_group(),),
    ),
    DataFile(
        "key_stage_2_by_social_care_group",
        "Key stage 2 by social care group",
        "Pupils at the end of key stage 2, and those who reached the expected standard in "
        "reading, writing and maths, by their social care group in the year.",
        ACADEMIC_YEAR,
        _by_year("tbl-ks2", "201516", "201718"),
        (
            _count("pupils", "pupils", "Pupils assessed"),
            _count("rwm", "expected_standard_rwm", "Pupils reaching the expected standard"),
            _share(
                "rwm_share",
                "expected_standard_rwm_percent",
                "Percentage reaching the expected standard",
            ),
        ),
        filters=(_group(),),
    ),
    DataFile(
        "key_stage_4_by_social_care_group",
        "Key stage 4 by social care group",
        "Pupils at the end of key stage 4: passes in English and maths, Attainment 8 and "
        "Progress 8, by their social care group in the year.",
        ACADEMIC_YEAR,
        _by_year("tbl-ks4", "201516", "201718"),
        (
            _count("pupils", "pupils", "Pupils at the end of key stage 4"),
            _count("grade4", "grade_4_pass", "Pupils with grade 4 or above in English and maths"),
            _share(
                "grade4_share",
                "grade_4_pass_percent",
                "Percentage with grade 4 or above in English and maths",
            ),
            _count("grade5", "grade_5_pass", "Pupils with grade 5 or above in English and maths"),
            _share(
                "grade5_share",
                "grade_5_pass_percent",
                "Percentage with grade 5 or above in English and maths",
            ),
            Indicator("attainment8", "attainment_8_average", "Average Attainment 8 score", dp=1),
            _count("progress8_pupils", "progress_8_pupils", "Pupils with a Progress 8 score"),
            Indicator("progress8", "progress_8_average", "Average Progress 8 score", dp=2),
        ),
        filters=(_group(),),
    ),
    DataFile(
        "outcomes_after_16_by_need",
        "Outcomes after 16 of pupils at the end of key stage 4, by whether they were in need",
        "Level 2 and level 3 by 19 and by 21, and activity at 18, of pupils at the end of key "
        "stage 4, by whether they were in need in the year of their GCSEs.",
        ACADEMIC_YEAR,
        _by_year("tbl-after16", "201213", "201415"),
        (
            _count("pupils", "pupils", "Pupils at the end of key stage 4"),
            _count("level2_by_19", "level_2_by_19", "Level 2 by 19"),
            _share("level2_by_19_share", "level_2_by_19_percent", "Percentage with level 2 by 19"),
            _count("level3_by_19", "level_3_by_19", "Level 3 by 19"),
            _share("level3_by_19_share", "level_3_by_19_percent", "Percentage with level 3 by 19"),
            _count("level2_by_21", "level_2_by_21", "Level 2 by 21"),
            _share("level2_by_21_share", "level_2_by_21_percent", "Percentage with level 2 by 21"),
            _count("no_level2_by_21", "no_level_2_by_21", "Without level 2 by 21"),
            _share(
                "no_level2_by_21_share",
                "no_level_2_by_21_percent",
                "Percentage without level 2 by 21",
            ),
            _count("level3_by_21", "level_3_by_21", "Level 3 by 21"),
            _share("level3_by_21_share", "level_3_by_21_percent", "Percentage with level 3 by 21"),
            _count("neet_18", "neet_at_18", "Not in education, employment or training at 18"),
            _share(
                "neet_18_share",
                "neet_at_18_percent",
                "Percentage not in education, employment or training at 18",
            ),
            _count("higher_education_18", "higher_education_at_18", "In higher education at 18"),
            _share(
                "higher_education_18_share",
                "higher_education_at_18_percent",
                "Percentage in higher education at 18",
            ),
        ),
        filters=(
            Filter(
                "group",
                "need_status",
                "Whether in need in the year of their GCSEs",
                total="all pupils",
            ),
        ),
    ),
    DataFile(
        "special_educational_needs_by_need",
        "Special educational needs of pupils in need on 31 March",
        "Pupils in the January school census by special educational needs provision, for "
        "pupils in need on 31 March and for other pupils.",
        ACADEMIC_YEAR,
        (Part("tbl-sen-201516", time_period="201516"),),
        PUPILS,
        filters=(
            Filter(
                "group",
                "need_status",
                "Whether in need on 31 March",
                total="all pupils",
            ),
            Filter(
                "sen",
                "sen_provision",
                "Special educational needs provision",
                default="any",
                no_total=(
                    "the table has no row for the group's pupils whatever their special "
                    "educational needs; 'any' counts those with SEN support or a plan"
                ),
                described_by="meaning",
            ),
        ),
    ),
    DataFile(
        "journeys_spell_lengths",
        "How long children referred in the window's first year spent at each status",
        "Spells at each status (in need, on a child protection plan, looked after) of "
        "children referred in the window's first year: completed spells, their median length "
        "in days, and spells still open at the end of the window.",
        REPORTING_YEAR,
        (Part("tbl-journeys-durations", time_period=FIRST),),
        (
            _count("completed", "completed_spells", "Completed spells"),
            Indicator(
                "median_days",
                "median_length_days",
                "Median length of completed spells in days",
                dp=1,
            ),
            _count("open", "open_spells", "Spells still open at the end of the window"),
        ),
        filters=(
            Filter(
                "status",
                "status",
                "Status",
                default="CIN",
                no_total=(
                    "a median length of spells at different statuses would mix different "
                    "things, so none is published"
                ),
            ),
        ),
    ),
    DataFile(
        "journeys_episodes",
        "Children referred in the window's first year by their episodes of need",
        "Children referred in the window's first year, by the number of episodes of need "
        "referred from then to the end of the window.",
        REPORTING_YEAR,
        (Part("tbl-journeys-episodes", time_period=FIRST),),
        CHILDREN,
        filters=(Filter("episodes", "episodes_of_need", "Episodes of need", total="all children"),),
    ),
    DataFile(
        "journeys_referred_again",
        "Children referred in the window's first year by whether they were referred again",
        "Children referred in the window's first year, by whether their next episode of need "
        "was referred within 12 months, later, or not at all.",
        REPORTING_YEAR,
        (Part("tbl-journeys-repeats", time_period=FIRST),),
        CHILDREN,
        filters=(Filter("repeat", "referred_again", "Referred again", total="all children"),),
    ),
    DataFile(
        "journeys_status_sequences",
        "The most common sequences of statuses of children referred in the window's first year",
        "Children referred in the window's first year, by the sequence of statuses they "
        "passed through to the end of the window: the most common sequences, then all others.",
        REPORTING_YEAR,
        (Part("tbl-journeys-sequences", time_period=FIRST),),
        CHILDREN,
        filters=(
            Filter("sequence", "status_sequence", "Sequence of statuses", total="all children"),
        ),
    ),
    DataFile(
        "progress_8_by_local_authority",
        "Progress 8 of pupils in need by local authority",
        "The average Progress 8 score of pupils at the end of key stage 4 who were in need in "
        "the year, by the local authority of their school, with its 95% confidence interval.",
        ACADEMIC_YEAR,
        (
            Part("tbl-progress8-la-201516", time_period="201516", place_column="la_code"),
            Part("tbl-progress8-la-201718", time_period="201718", place_column="la_code"),
        ),
        (
            _count("pupils", "pupils", "Pupils in need with a Progress 8 score"),
            Indicator("progress8", "progress_8_average", "Average Progress 8 score", dp=2),
            Indicator(
                "progress8_low",
                "progress_8_lower_ci",
                "Average Progress 8 score, lower limit of the 95% confidence interval",
                dp=2,
            ),
            Indicator(
                "progress8_high",
                "progress_8_upper_ci",
                "Average Progress 8 score, upper limit of the 95% confidence interval",
                dp=2,
            ),
        ),
    ),
    DataFile(
        "schools_by_share_of_pupils_in_need_detailed",
        "Schools by the share of their pupils who were in need, in steps of 2.5 points",
        "Schools in the January school census of the window's latest year, by the share of "
        "their pupils who were in need at some point in the window, in steps of 2.5 "
        "percentage points.",
        ACADEMIC_YEAR,
        (Part("tbl-school-share-distribution", time_period=LATEST_ACADEMIC),),
        (
            _count("schools", "number_of_schools", "Schools"),
            _share("share", "schools_percent", "Percentage of all schools"),
        ),
        filters=(
            Filter(
                "bin",
                "share_in_need_step",
                "Share of pupils who were in need",
                total="all schools",
            ),
        ),
    ),
    DataFile(
        "gcse_pass_likelihood_by_social_care_group",
        "Grade 5 or above in English and maths by social care group, other factors taken into account",
        "Pupils at the end of key stage 4, the percentage with grade 5 or above in English "
        "and maths, and the relative likelihood and odds of a pass against pupils never in "
        "need, from a logistic regression that takes other factors into account.",
        ACADEMIC_YEAR,
        (Part("tbl-regression", time_period=LATEST_ACADEMIC),),
        (
            _count("pupils", "pupils", "Pupils"),
            _share("pass rate", "pass_percent", "Percentage with grade 5 or above"),
            Indicator("rr", "relative_likelihood", "Relative likelihood of a pass", dp=2),
            Indicator(
                "rr_low", "relative_likelihood_lower", "Relative likelihood, lower 95% limit", dp=2
            ),
            Indicator(
                "rr_high", "relative_likelihood_upper", "Relative likelihood, upper 95% limit", dp=2
            ),
            Indicator("odds", "odds_ratio", "Odds ratio", dp=2),
            Indicator("odds_low", "odds_ratio_lower", "Odds ratio, lower 95% limit", dp=2),
            Indicator("odds_high", "odds_ratio_upper", "Odds ratio, upper 95% limit", dp=2),
        ),
        filters=(_group(described=False),),
    ),
)


# -- the annual release, Characteristics of children in need (real files only) ---------------

CH = "Department for Education, Characteristics of children in need"
#: Printed exactly as the Department's files publish them (the release says which file).
CH_NOTES = (
    f"{CH}: every figure is printed exactly as the Department's open data files publish it. "
    "National and regional counts are rounded to the nearest 10 in those files.",
)


def _rate(column: str, col_name: str, label: str) -> Indicator:
    return Indicator(column, col_name, label, dp=1)


def _percent(column: str, col_name: str, label: str) -> Indicator:
    return Indicator(column, col_name, label, unit="%", dp=1)


def _national(name: str, title: str, summary: str, table: str, *indicators: Indicator) -> DataFile:
    """A national time series of the annual release: a row per reporting year."""
    return DataFile(
        name,
        title,
        summary,
        REPORTING_YEAR,
        (Part(table, time_column="year", ignore=("reporting_year",)),),
        indicators,
        notes=CH_NOTES,
    )


def _by_area(name: str, title: str, summary: str, table: str, *indicators: Indicator) -> DataFile:
    """England, its regions and its local authorities in the release's latest year."""
    return DataFile(
        name,
        title,
        summary,
        REPORTING_YEAR,
        (Part(table, time_period=LATEST, place_column="area_code", ignore=("area_name", "level")),),
        indicators,
        notes=CH_NOTES,
    )


def _bands(
    name: str, title: str, summary: str, table: str, filter: Filter, *indicators: Indicator
) -> DataFile:
    """A national table of the latest year with a row per band."""
    return DataFile(
        name,
        title,
        summary,
        REPORTING_YEAR,
        (Part(table, time_period=LATEST),),
        indicators,
        filters=(filter,),
        notes=CH_NOTES,
    )


CH_CIN = (
    _count("during_year", "children_in_need_during_year", "Children in need during the year"),
    _rate(
        "during_year_rate",
        "children_in_need_during_year_rate",
        "Children in need during the year per 10,000 children aged 0 to 17",
    ),
    _count("started", "episodes_starting", "Episodes of need starting in the year"),
    _count("ended", "episodes_ending", "Episodes of need ending in the year"),
    _count("in_need", "children_in_need_at_31_march", "Children in need at 31 March"),
    _rate(
        "in_need_rate",
        "children_in_need_at_31_march_rate",
        "Children in need at 31 March per 10,000 children aged 0 to 17",
    ),
    _count(
        "awaiting", "awaiting_assessment_at_31_march", "Children awaiting assessment at 31 March"
    ),
)
CH_CIN_AREA = tuple(
    i for i in CH_CIN if i.column in ("in_need", "in_need_rate", "during_year", "during_year_rate")
)
CH_REFERRALS = (
    _count("referrals", "referrals", "Referrals"),
    _rate("referrals_rate", "referrals_rate", "Referrals per 10,000 children aged 0 to 17"),
    _count("re_referrals", "re_referrals", "Re-referrals within 12 months of a previous referral"),
    _percent(
        "re_referrals_percent", "re_referrals_percent", "Re-referrals as a percentage of referrals"
    ),
    _percent(
        "no_further_action_percent",
        "no_further_action_percent",
        "Referrals with no further action, percentage of referrals",
    ),
    _percent(
        "not_in_need_percent",
        "assessed_not_in_need_percent",
        "Referrals assessed as not in need, percentage of referrals",
    ),
    _count("children", "children_referred", "Children referred"),
)
CH_REFERRALS_AREA = tuple(
    i for i in CH_REFERRALS if i.column in ("referrals", "referrals_rate", "re_referrals_percent")
)
CH_S47 = (
    _count("enquiries", "section_47_enquiries", "Section 47 enquiries starting"),
    _count(
        "enquiry_children",
        "children_with_section_47_enquiry",
        "Children with a section 47 enquiry",
    ),
    _count(
        "conferences",
        "initial_child_protection_conferences",
        "Initial child protection conferences",
    ),
    _count(
        "conference_children",
        "children_with_initial_conference",
        "Children with an initial child protection conference",
    ),
    _count(
        "days_lower_quartile",
        "days_to_conference_lower_quartile",
        "Days from the start of the enquiry to the conference, lower quartile",
    ),
    _count(
        "days_median",
        "days_to_conference_median",
        "Days from the start of the enquiry to the conference, median",
    ),
    _count(
        "days_upper_quartile",
        "days_to_conference_upper_quartile",
        "Days from the start of the enquiry to the conference, upper quartile",
    ),
)
CH_S47_AREA = tuple(i for i in CH_S47 if i.column in ("enquiries", "conferences", "days_median"))
CH_PLANS = (
    _count("starting", "plans_starting", "Child protection plans starting"),
    _count("subsequent", "second_or_subsequent_plans", "Second or subsequent plans starting"),
    _percent(
        "subsequent_percent",
        "second_or_subsequent_plans_percent",
        "Second or subsequent plans, percentage of plans starting",
    ),
    _count(
        "on_plan",
        "children_on_plan_at_31_march",
        "Children on a child protection plan at 31 March",
    ),
)
CH_PLANS_AREA = tuple(
    i for i in CH_PLANS if i.column in ("starting", "subsequent_percent", "on_plan")
)
CH_NO_TOTAL = (
    "the bands add up to the total in the release's table by year, which is not repeated here"
)

FILES = (
    *FILES,
    _national(
        "ch_children_in_need_national",
        "Children in need, England, each reporting year",
        "Children in need during the year and at 31 March, with their rates per 10,000 "
        "children, episodes of need starting and ending, and children awaiting assessment.",
        "tbl-ch-cin-by-year",
        *CH_CIN,
    ),
    _by_area(
        "ch_children_in_need_by_area",
        "Children in need by region and local authority",
        "Children in need at 31 March and during the year, with their rates per 10,000 "
        "children, for England, its regions and its local authorities.",
        "tbl-ch-cin-by-area",
        *CH_CIN_AREA,
    ),
    _national(
        "ch_referrals_national",
        "Referrals to children's social care, England, each reporting year",
        "Referrals, their rate per 10,000 children, re-referrals, referrals with no further "
        "action or assessed as not in need, and children referred.",
        "tbl-ch-referrals-by-year",
        *CH_REFERRALS,
    ),
    _by_area(
        "ch_referrals_by_area",
        "Referrals by region and local authority",
        "Referrals, their rate per 10,000 children and the percentage that were re-referrals, "
        "for England, its regions and its local authorities.",
        "tbl-ch-referrals-by-area",
        *CH_REFERRALS_AREA,
    ),
    DataFile(
        "ch_factors_at_end_of_assessment",
        "Factors identified at the end of assessment, England",
        "Episodes of need in which each factor was identified at the end of assessment, by "
        "whether it concerned the child, a parent or another person, or is not split by person.",
        REPORTING_YEAR,
        (Part("tbl-ch-factors", time_period=LATEST, ignore=("factor",)),),
        (
            _count("child", "episodes_factor_child", "Episodes: the factor concerned the child"),
            _count("parent", "episodes_factor_parent", "Episodes: the factor concerned a parent"),
            _count(
                "other_person",
                "episodes_factor_other_person",
                "Episodes: the factor concerned another person",
            ),
            _count(
                "not_split", "episodes_factor_not_split", "Episodes: factor not split by person"
            ),
        ),
        filters=(
            Filter(
                "factor_code",
                "assessment_factor",
                "Factor identified at the end of assessment",
                default="Domestic_Abuse",
                no_total="an assessment can record several factors, so they do not add up to a total",
            ),
        ),
        notes=CH_NOTES,
    ),
    _national(
        "ch_section_47_national",
        "Section 47 enquiries and initial child protection conferences, England, each reporting year",
        "Section 47 enquiries, initial child protection conferences, the children they "
        "concerned, and the days from the start of the enquiry to the conference.",
        "tbl-ch-enquiries-by-year",
        *CH_S47,
    ),
    _by_area(
        "ch_section_47_by_area",
        "Section 47 enquiries and initial conferences by region and local authority",
        "Section 47 enquiries, initial child protection conferences and the median days "
        "between them, for England, its regions and its local authorities.",
        "tbl-ch-enquiries-by-area",
        *CH_S47_AREA,
    ),
    _bands(
        "ch_conferences_by_days",
        "Initial child protection conferences by the days from the start of the enquiry, England",
        "Initial child protection conferences by the days from the start of the section 47 "
        "enquiry to the conference.",
        "tbl-ch-enquiries-days",
        Filter(
            "band",
            "days_to_conference",
            "Days from the start of the enquiry to the conference",
            default="0 to 10 days",
            no_total=CH_NO_TOTAL,
        ),
        _count(
            "conferences",
            "initial_child_protection_conferences",
            "Initial child protection conferences",
        ),
    ),
    _national(
        "ch_plans_national",
        "Child protection plans, England, each reporting year",
        "Child protection plans starting, second or subsequent plans, and children on a plan "
        "at 31 March.",
        "tbl-ch-plans-by-year",
        *CH_PLANS,
    ),
    _by_area(
        "ch_plans_by_area",
        "Child protection plans by region and local authority",
        "Child protection plans starting, the percentage that were second or subsequent "
        "plans, and children on a plan at 31 March, for England, its regions and its local "
        "authorities.",
        "tbl-ch-plans-by-area",
        *CH_PLANS_AREA,
    ),
    _bands(
        "ch_plans_by_duration",
        "Child protection plans at 31 March by how long they had lasted, England",
        "Child protection plans open at 31 March by how long they had lasted.",
        "tbl-ch-plans-duration",
        Filter(
            "band",
            "plan_duration",
            "How long the plan had lasted",
            default="3 months or less",
            no_total=CH_NO_TOTAL,
        ),
        _count("plans", "plans", "Child protection plans at 31 March"),
        _percent("plans_percent", "plans_percent", "Percentage of plans at 31 March"),
    ),
)


def files_for(table_ids: Iterable[str]) -> tuple[DataFile, ...]:
    """The data files holding the tables `table_ids` (a publication's), each with only
    those of its tables. Raises `OpenDataError` naming every table with no file."""
    wanted = list(dict.fromkeys(table_ids))
    known = {t for f in FILES for t in f.tables}
    missing = [t for t in wanted if t not in known]
    if missing:
        raise OpenDataError(
            [
                f"table {t} has no open-data declaration: add it to bulletin.tables.subjects"
                for t in missing
            ]
        )
    chosen = []
    for f in FILES:
        parts = tuple(p for p in f.parts if p.table in wanted)
        if parts:
            chosen.append(f if parts == f.parts else _with_parts(f, parts))
    return tuple(chosen)


def _with_parts(f: DataFile, parts: tuple[Part, ...]) -> DataFile:
    return replace(f, parts=parts)


#: Findings tables that are not open data, and why: each is declared here or in `FILES`.
NOT_OPEN_DATA = {
    "tbl-regression-controls": "the regression's controls, in words: no figures to publish "
    "(the methodology lists them)",
}


def all_tables() -> tuple[str, ...]:
    """Every table with an open-data declaration (a data file, or a reason it has none)."""
    return (*(t for f in FILES for t in f.tables), *NOT_OPEN_DATA)
