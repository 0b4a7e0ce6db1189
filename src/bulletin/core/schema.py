"""Core: the specification of a linked pupil-level extract, as data.

One definition serves every stage that touches pupil-level data: the validator
(`bulletin.data.linked`) checks exactly these fields, the synthetic generator writes
exactly these fields, the findings read these column names, and `docs/linked-data.md`
documents them (a test checks that the document and this module agree both ways).

Names follow the children in need (CIN) census, the looked-after children (SSDA903)
return, the school census and the National Pupil Database (NPD) where that is sensible,
in lower snake case. An extract is a folder holding one file per table,
``<table>.parquet`` or ``<table>.csv``, and a ``dataset.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """The type of a field, as stored (Parquet type; CSV text that parses as it)."""

    ID = "id"  # 64-bit integer identifier
    INT = "int"  # integer
    NUMBER = "number"  # a decimal number (float64 in Parquet)
    BOOL = "bool"  # true/false (CSV: true, false, 1, 0)
    DATE = "date"  # a calendar date (CSV: YYYY-MM-DD)
    CODE = "code"  # text from a fixed list of codes
    TEXT = "text"  # free text (codes checked elsewhere, e.g. local authority codes)


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    meaning: str
    source: str  # the census or dataset the field comes from
    required: bool = True  # False: may be empty (null)
    codes: tuple[str, ...] = ()  # allowed values of a CODE field
    low: float | None = None  # inclusive range of an INT or NUMBER field
    high: float | None = None
    references: str | None = None  # "table.field" every value must exist in


@dataclass(frozen=True)
class Table:
    name: str
    meaning: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # no two rows share these values
    required: bool = True  # False: the file may be absent (treated as empty)
    extra_rules: tuple[str, ...] = field(default=())  # checks across fields, in words

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# -- code lists -------------------------------------------------------------------------

#: The linked window: reporting years 2011-12 to 2017-18 (1 April 2011 to 31 March 2018);
#: school census years 2011/12 to 2017/18. Episodes open on 1 April 2011 are included.
WINDOW_START = "2011-04-01"
WINDOW_END = "2018-03-31"
ACADEMIC_YEARS = tuple(int(f"{y}{(y + 1) % 100:02d}") for y in range(2011, 2018))

GENDERS = {"F": "female", "M": "male", "U": "not known or not stated"}

ETHNICITY_MAJOR = {
    "WHIT": "White",
    "MIXD": "Mixed or multiple ethnic groups",
    "ASIA": "Asian or Asian British (Chinese included)",
    "BLAC": "Black, Black British, Caribbean or African",
    "OTHR": "Any other ethnic group",
    "UNCL": "Unclassified (refused or not obtained)",
}

#: Minor ethnic groups of the censuses, each with its major group.
ETHNICITY_MINOR = {
    "WBRI": "WHIT",
    "WIRI": "WHIT",
    "WIRT": "WHIT",
    "WOTH": "WHIT",
    "WROM": "WHIT",
    "MWBC": "MIXD",
    "MWBA": "MIXD",
    "MWAS": "MIXD",
    "MOTH": "MIXD",
    "AIND": "ASIA",
    "APKN": "ASIA",
    "ABAN": "ASIA",
    "AOTH": "ASIA",
    "CHNE": "ASIA",
    "BCRB": "BLAC",
    "BAFR": "BLAC",
    "BOTH": "BLAC",
    "OOTH": "OTHR",
    "REFU": "UNCL",
    "NOBT": "UNCL",
}

#: What each minor ethnic group code means.
ETHNICITY_MINOR_NAMES = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "any other White background",
    "WROM": "Gypsy or Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "any other Asian background",
    "CHNE": "Chinese",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "any other Black background",
    "OOTH": "any other ethnic group",
    "REFU": "refused",
    "NOBT": "information not yet obtained",
}

MATCH_STATUS = {
    "matched": "in social care records and matched to a pupil record",
    "care_only": "in social care records, not matched to any pupil record",
    "education_only": "in pupil records only (never in social care in the window)",
}

REFERRAL_SOURCES = {
    "1A": "individual: family member",
    "1B": "individual: relative",
    "1C": "individual: self",
    "1D": "individual: other",
    "2A": "schools",
    "2B": "education services",
    "3A": "health: health visitor",
    "3B": "health: general practitioner",
    "3C": "health: hospital",
    "3D": "health: other primary health services",
    "3E": "health: accident and emergency",
    "3F": "health: other",
    "4": "housing",
    "5A": "local authority: social care",
    "5B": "local authority: other internal department",
    "5C": "local authority: external",
    "5D": "local authority: early help",
    "6": "police",
    "7": "other legal agency",
    "8": "other",
    "9": "anonymous",
    "10": "unknown",
}

PRIMARY_NEEDS = {
    "N1": "abuse or neglect",
    "N2": "child's disability or illness",
    "N3": "parental disability or illness",
    "N4": "family in acute stress",
    "N5": "family dysfunction",
    "N6": "socially unacceptable behaviour",
    "N7": "low income",
    "N8": "absent parenting",
    "N9": "cases other than children in need",
}

CLOSURE_REASONS = {
    "RC1": "adopted",
    "RC2": "died",
    "RC3": "child arrangements order",
    "RC4": "special guardianship order",
    "RC5": "transferred to services of another local authority",
    "RC6": "transferred to adult social care services",
    "RC7": "services ceased for any other reason, including the child no longer being in need",
    "RC8": "case closed after assessment, no further action",
    "RC9": "case closed after assessment, referred to early help",
}

#: Factors identified at the end of assessment; the names are the columns of table C3.
ASSESSMENT_FACTORS = {
    "1A": "Alcohol_Misuse_child",
    "1B": "Alcohol_Misuse_parent",
    "1C": "Alcohol_Misuse_person",
    "2A": "Drug_Misuse_child",
    "2B": "Drug_Misuse_parent",
    "2C": "Drug_Misuse_person",
    "3A": "Domestic_Abuse_child",
    "3B": "Domestic_Abuse_parent",
    "3C": "Domestic_Abuse_person",
    "4A": "Mental_Health_child",
    "4B": "Mental_Health_parent",
    "4C": "Mental_Health_person",
    "5A": "Learning_Disability_child",
    "5B": "Learning_Disability_parent",
    "5C": "Learning_Disability_person",
    "6A": "Physical_Disability_child",
    "6B": "Physical_Disability_parent",
    "6C": "Physical_Disability_person",
    "7A": "Young_Carer",
    "8B": "Privately_fostered",
    "8C": "Unaccompanied_asylum_seeker",
    "8F": "Going_missing",
    "9A": "Child_sexual_exploitation",
    "10A": "Trafficking",
    "11A": "Gangs",
    "12A": "Socially_unacceptable_behaviour",
    "13A": "Self_harm",
    "14A": "Neglect",
    "15A": "Emotional_Abuse",
    "16A": "Physical_Abuse",
    "17A": "Sexual_Abuse",
    "22A": "Female_Genital_Mutilation",
    "23A": "Faith_linked_abuse",
    "24A": "Child_criminal_exploitation",
    "21": "Other",
}

ABUSE_CATEGORIES = {
    "NEG": "neglect",
    "PHY": "physical abuse",
    "SAB": "sexual abuse",
    "EMO": "emotional abuse",
    "MUL": "multiple categories",
}

LEGAL_STATUSES = {
    "C1": "interim care order",
    "C2": "full care order",
    "D1": "freeing order granted",
    "E1": "placement order granted",
    "J1": "remanded to local authority accommodation",
    "J2": "placed in local authority accommodation under PACE",
    "J3": "sentenced to a youth rehabilitation order",
    "L1": "under police protection",
    "L2": "emergency protection order",
    "L3": "child assessment order",
    "V2": "single period of accommodation under section 20",
    "V3": "accommodated under an agreed series of short-term breaks (single placements)",
    "V4": "accommodated under an agreed series of short-term breaks (multiple placements)",
}

PLACEMENTS = {
    "A3": "placed for adoption (consent, with current foster carer)",
    "A4": "placed for adoption (consent, not with current foster carer)",
    "A5": "placed for adoption (placement order, with current foster carer)",
    "A6": "placed for adoption (placement order, not with current foster carer)",
    "H5": "semi-independent living accommodation",
    "K1": "secure children's home",
    "K2": "children's home",
    "P1": "placed with own parents",
    "P2": "independent living",
    "P3": "residential employment",
    "R1": "residential care home",
    "R2": "NHS or health trust",
    "R3": "family centre or mother and baby unit",
    "R5": "young offender institution or prison",
    "S1": "residential school",
    "U1": "foster placement with relative or friend (long term)",
    "U2": "foster placement with relative or friend (fostering for adoption)",
    "U3": "foster placement with relative or friend (other)",
    "U4": "foster placement with other carer (long term)",
    "U5": "foster placement with other carer (fostering for adoption)",
    "U6": "foster placement with other carer (other)",
    "Z1": "other placement",
}

ENROLMENT_STATUSES = {
    "C": "current, single registration",
    "M": "main registration of a dual-registered pupil",
    "S": "subsidiary registration of a dual-registered pupil",
}

SEN_PROVISION = {
    "N": "no special educational need",
    "K": "SEN support (school action or school action plus before 2014/15)",
    "E": "statement of special educational needs or education, health and care plan",
}

FIRST_LANGUAGES = {
    "ENG": "English, or believed to be English",
    "OTH": "other than English, or believed to be other than English",
    "UNK": "unclassified: not known, refused or not obtained",
}

SCHOOL_PHASES = {
    "nursery": "state-funded nursery school",
    "primary": "state-funded primary school (academies and free schools included)",
    "secondary": "state-funded secondary school (academies and free schools included)",
    "special": "state-funded special school",
    "pru": "pupil referral unit (alternative provision)",
}

SCHOOL_TYPES = {
    "la_maintained": "community, foundation or voluntary school maintained by the local authority",
    "academy": "academy (converter or sponsored)",
    "free_school": "free school, studio school or university technical college",
}

KS2_LEVELS = {
    "B": "working below the level of the test",
    "N": "not awarded a level",
    "2": "level 2",
    "3": "level 3",
    "4": "level 4",
    "5": "level 5",
    "6": "level 6",
}

KS2_WRITING_TA = {
    "GDS": "working at greater depth within the expected standard",
    "EXS": "working at the expected standard",
    "WTS": "working towards the expected standard",
    "PKF": "pre-key stage: foundations for the expected standard",
    "BLW": "working below the pre-key stage standards",
}

ACTIVITIES_AT_18 = {
    "education": "in sustained education or apprenticeship",
    "employment": "in sustained employment",
    "neet": "not in education, employment or training",
    "unknown": "activity not captured",
}


#: What each code of every code list means, for the documentation and messages.
CODE_MEANINGS: tuple[dict[str, str], ...] = (
    GENDERS,
    ETHNICITY_MAJOR,
    {
        code: f"{ETHNICITY_MINOR_NAMES[code]} (major group {major})"
        for code, major in ETHNICITY_MINOR.items()
    },
    MATCH_STATUS,
    REFERRAL_SOURCES,
    PRIMARY_NEEDS,
    CLOSURE_REASONS,
    {code: name.replace("_", " ") for code, name in ASSESSMENT_FACTORS.items()},
    ABUSE_CATEGORIES,
    LEGAL_STATUSES,
    PLACEMENTS,
    ENROLMENT_STATUSES,
    SEN_PROVISION,
    FIRST_LANGUAGES,
    SCHOOL_PHASES,
    SCHOOL_TYPES,
    KS2_LEVELS,
    KS2_WRITING_TA,
    ACTIVITIES_AT_18,
)


def code_meanings(codes: tuple[str, ...]) -> dict[str, str]:
    """What each code of a CODE field's list means."""
    for mapping in CODE_MEANINGS:
        if tuple(mapping) == codes:
            return mapping
    raise KeyError(f"no code list holds exactly {codes}")


def _codes(mapping: dict[str, str]) -> tuple[str, ...]:
    return tuple(mapping)


# -- the tables ---------------------------------------------------------------------------

CIN = "children in need census"
CLA = "looked-after children return (SSDA903)"
SC = "school census"
NPD = "National Pupil Database"
GIAS = "Get Information about Schools"
LINK = "DfE linking of social care and pupil records"

CHILDREN = Table(
    "children",
    "one row per linked child: in a children in need census or a school census in the window",
    (
        Field("child_id", Kind.ID, "the linked child identifier (pseudonymised)", LINK),
        Field(
            "match_status",
            Kind.CODE,
            "how the child's records were linked",
            LINK,
            codes=_codes(MATCH_STATUS),
        ),
        Field("birth_year", Kind.INT, "year of birth", f"{CIN}; {SC}", low=1992, high=2018),
        Field("birth_month", Kind.INT, "month of birth (1 to 12)", f"{CIN}; {SC}", low=1, high=12),
        Field("gender", Kind.CODE, "gender", f"{CIN}; {SC}", codes=_codes(GENDERS)),
        Field(
            "ethnicity_minor",
            Kind.CODE,
            "ethnicity, minor group",
            f"{CIN}; {SC}",
            codes=_codes(ETHNICITY_MINOR),
        ),
        Field(
            "ethnicity_major",
            Kind.CODE,
            "ethnicity, major group (must agree with the minor group)",
            f"{CIN}; {SC}",
            codes=_codes(ETHNICITY_MAJOR),
        ),
    ),
    key=("child_id",),
    extra_rules=(
        "ethnicity_major is the major group of ethnicity_minor",
        "an education_only child has no children in need or looked-after episodes",
        "a care_only child has no rows in the pupil tables (school_census, absence, exclusions, eyfsp, ks2, ks4, post16)",
        "a matched or care_only child has at least one children in need episode",
    ),
)

CIN_EPISODES = Table(
    "cin_episodes",
    "one row per children in need episode (from referral to closure), reporting years 2011-12 to 2017-18, with episodes open on 1 April 2011",
    (
        Field("episode_id", Kind.ID, "episode identifier", CIN),
        Field("child_id", Kind.ID, "the child", CIN, references="children.child_id"),
        Field("la_code", Kind.TEXT, "the local authority (9-character ONS code)", CIN),
        Field(
            "referral_date",
            Kind.DATE,
            "date of the referral that opened the episode (the episode start)",
            CIN,
        ),
        Field(
            "referral_source",
            Kind.CODE,
            "who made the referral",
            CIN,
            codes=_codes(REFERRAL_SOURCES),
        ),
        Field("referral_nfa", Kind.BOOL, "the referral led to no further action", CIN),
        Field(
            "primary_need",
            Kind.CODE,
            "primary need code at assessment (empty only for a referral with no further action)",
            CIN,
            required=False,
            codes=_codes(PRIMARY_NEEDS),
        ),
        Field("disabled", Kind.BOOL, "the child has a disability recorded in the episode", CIN),
        Field(
            "closure_date",
            Kind.DATE,
            "date the episode closed (empty: open on 31 March 2018)",
            CIN,
            required=False,
        ),
        Field(
            "closure_reason",
            Kind.CODE,
            "reason for closure (empty exactly when closure_date is)",
            CIN,
            required=False,
            codes=_codes(CLOSURE_REASONS),
        ),
    ),
    key=("episode_id",),
    extra_rules=(
        "closure_date is on or after referral_date",
        "closure_reason is empty exactly when closure_date is",
        "the episode overlaps the window: closure_date empty or on or after 2011-04-01, referral_date on or before 2018-03-31",
        "la_code is a local authority in the public data",
        "primary_need is given unless referral_nfa is true",
        "a row that repeats another row in every field is the same episode, counted once",
    ),
)

ASSESSMENTS = Table(
    "cin_assessments",
    "one row per assessment completed in an episode",
    (
        Field("assessment_id", Kind.ID, "assessment identifier", CIN),
        Field("episode_id", Kind.ID, "the episode", CIN, references="cin_episodes.episode_id"),
        Field("start_date", Kind.DATE, "date the assessment started", CIN),
        Field(
            "authorised_date",
            Kind.DATE,
            "date the assessment was completed and authorised (empty: not completed)",
            CIN,
            required=False,
        ),
    ),
    key=("assessment_id",),
    extra_rules=(
        "authorised_date is on or after start_date",
        "start_date is on or after the episode's referral_date",
    ),
)

ASSESSMENT_FACTOR_ROWS = Table(
    "cin_assessment_factors",
    "one row per factor identified at the end of an assessment",
    (
        Field(
            "assessment_id",
            Kind.ID,
            "the assessment",
            CIN,
            references="cin_assessments.assessment_id",
        ),
        Field(
            "factor",
            Kind.CODE,
            "factor identified at the end of assessment",
            CIN,
            codes=_codes(ASSESSMENT_FACTORS),
        ),
    ),
    key=("assessment_id", "factor"),
)

PROTECTION_PLANS = Table(
    "child_protection_plans",
    "one row per child protection plan, within an episode",
    (
        Field("plan_id", Kind.ID, "plan identifier", CIN),
        Field(
            "episode_id",
            Kind.ID,
            "the episode the plan belongs to",
            CIN,
            references="cin_episodes.episode_id",
        ),
        Field("start_date", Kind.DATE, "date the plan started", CIN),
        Field(
            "end_date",
            Kind.DATE,
            "date the plan ended (empty: open on 31 March 2018)",
            CIN,
            required=False,
        ),
        Field(
            "initial_category",
            Kind.CODE,
            "initial category of abuse",
            CIN,
            codes=_codes(ABUSE_CATEGORIES),
        ),
    ),
    key=("plan_id",),
    extra_rules=("end_date is on or after start_date", "the plan lies within its episode"),
)

CLA_EPISODES = Table(
    "cla_episodes",
    "one row per period of being looked after (a change of legal status or placement starts a new row)",
    (
        Field("cla_id", Kind.ID, "looked-after episode identifier", CLA),
        Field("child_id", Kind.ID, "the child", CLA, references="children.child_id"),
        Field("la_code", Kind.TEXT, "the responsible local authority", CLA),
        Field("start_date", Kind.DATE, "date the episode started", CLA),
        Field(
            "end_date",
            Kind.DATE,
            "date the episode ended (empty: looked after on 31 March 2018)",
            CLA,
            required=False,
        ),
        Field("legal_status", Kind.CODE, "legal status", CLA, codes=_codes(LEGAL_STATUSES)),
        Field("placement", Kind.CODE, "placement type", CLA, codes=_codes(PLACEMENTS)),
    ),
    key=("cla_id",),
    extra_rules=(
        "end_date is on or after start_date",
        "la_code is a local authority in the public data",
    ),
)

SCHOOL_CENSUS = Table(
    "school_census",
    "one row per pupil, school and January census, academic years 2011/12 to 2017/18 (dual registrations give two rows)",
    (
        Field("child_id", Kind.ID, "the pupil", SC, references="children.child_id"),
        Field(
            "academic_year",
            Kind.INT,
            "academic year of the January census, as 201718",
            SC,
            low=ACADEMIC_YEARS[0],
            high=ACADEMIC_YEARS[-1],
        ),
        Field(
            "urn", Kind.INT, "the school's unique reference number", SC, references="schools.urn"
        ),
        Field(
            "enrolment_status",
            Kind.CODE,
            "registration at this school",
            SC,
            codes=_codes(ENROLMENT_STATUSES),
        ),
        Field(
            "ncyear",
            Kind.INT,
            "national curriculum year: -2 and -1 nursery, 0 reception, 1 to 14",
            SC,
            low=-2,
            high=14,
        ),
        Field("fsm_eligible", Kind.BOOL, "eligible for free school meals on census day", SC),
        Field(
            "sen_provision",
            Kind.CODE,
            "special educational needs provision",
            SC,
            codes=_codes(SEN_PROVISION),
        ),
        Field("first_language", Kind.CODE, "first language", SC, codes=_codes(FIRST_LANGUAGES)),
    ),
    key=("child_id", "academic_year", "urn"),
    extra_rules=(
        "each pupil has at most one main registration (C or M) per census",
        "a pupil with an S row has an M row in the same census",
        "ncyear fits the pupil's age on 31 August before the academic year (ncyear = age - 4, give or take one year)",
        "the school is open on census day (the third Thursday of January)",
    ),
)

SCHOOLS = Table(
    "schools",
    "one row per school that appears in the school census",
    (
        Field("urn", Kind.INT, "unique reference number", GIAS, low=100000, high=999999),
        Field("la_code", Kind.TEXT, "the local authority the school is in", GIAS),
        Field("region_code", Kind.TEXT, "the region the school is in", GIAS),
        Field("phase", Kind.CODE, "phase of education", GIAS, codes=_codes(SCHOOL_PHASES)),
        Field("school_type", Kind.CODE, "type of establishment", GIAS, codes=_codes(SCHOOL_TYPES)),
        Field("open_date", Kind.DATE, "date the school opened", GIAS),
        Field(
            "close_date", Kind.DATE, "date the school closed (empty: open)", GIAS, required=False
        ),
    ),
    key=("urn",),
    extra_rules=(
        "close_date is after open_date",
        "la_code is a local authority in the public data, and region_code is its region there (for a London authority, its Inner or Outer London code or E12000007)",
    ),
)

ABSENCE = Table(
    "absence",
    "one row per pupil and academic year: sessions (half days) possible and missed, all schools summed",
    (
        Field("child_id", Kind.ID, "the pupil", f"{NPD} absence", references="children.child_id"),
        Field(
            "academic_year",
            Kind.INT,
            "academic year, as 201718",
            f"{NPD} absence",
            low=ACADEMIC_YEARS[0],
            high=ACADEMIC_YEARS[-1],
        ),
        Field(
            "sessions_possible", Kind.INT, "sessions possible", f"{NPD} absence", low=1, high=400
        ),
        Field(
            "sessions_authorised",
            Kind.INT,
            "sessions missed, authorised",
            f"{NPD} absence",
            low=0,
            high=400,
        ),
        Field(
            "sessions_unauthorised",
            Kind.INT,
            "sessions missed, unauthorised",
            f"{NPD} absence",
            low=0,
            high=400,
        ),
    ),
    key=("child_id", "academic_year"),
    extra_rules=(
        "sessions_authorised + sessions_unauthorised <= sessions_possible",
        "the pupil has a school census row at main registration (C or M) in the same "
        "academic year; a row without one is in no count of absence",
    ),
)

EXCLUSIONS = Table(
    "exclusions",
    "one row per pupil and academic year with at least one exclusion",
    (
        Field(
            "child_id", Kind.ID, "the pupil", f"{NPD} exclusions", references="children.child_id"
        ),
        Field(
            "academic_year",
            Kind.INT,
            "academic year, as 201718",
            f"{NPD} exclusions",
            low=ACADEMIC_YEARS[0],
            high=ACADEMIC_YEARS[-1],
        ),
        Field(
            "fixed_period_count",
            Kind.INT,
            "number of fixed-period exclusions",
            f"{NPD} exclusions",
            low=0,
            high=100,
        ),
        Field(
            "fixed_period_sessions",
            Kind.INT,
            "sessions lost to fixed-period exclusions",
            f"{NPD} exclusions",
            low=0,
            high=400,
        ),
        Field("permanent", Kind.BOOL, "permanently excluded in the year", f"{NPD} exclusions"),
    ),
    key=("child_id", "academic_year"),
    extra_rules=("at least one of fixed_period_count > 0 and permanent",),
)

EYFSP = Table(
    "eyfsp",
    "early years foundation stage profile, one row per pupil assessed (end of reception)",
    (
        Field("child_id", Kind.ID, "the pupil", f"{NPD} EYFSP", references="children.child_id"),
        Field(
            "academic_year",
            Kind.INT,
            "academic year of the assessment",
            f"{NPD} EYFSP",
            low=201112,
            high=201718,
        ),
        Field("gld", Kind.BOOL, "achieved a good level of development", f"{NPD} EYFSP"),
    ),
    key=("child_id",),
)

KS2 = Table(
    "ks2",
    "key stage 2 results, one row per pupil at the end of key stage 2",
    (
        Field("child_id", Kind.ID, "the pupil", f"{NPD} KS2", references="children.child_id"),
        Field(
            "academic_year",
            Kind.INT,
            "academic year of the tests",
            f"{NPD} KS2",
            low=200708,
            high=201718,
        ),
        Field(
            "reading_level",
            Kind.CODE,
            "reading test level (before 2015/16)",
            f"{NPD} KS2",
            required=False,
            codes=_codes(KS2_LEVELS),
        ),
        Field(
            "maths_level",
            Kind.CODE,
            "mathematics test level (before 2015/16)",
            f"{NPD} KS2",
            required=False,
            codes=_codes(KS2_LEVELS),
        ),
        Field(
            "reading_fine_points",
            Kind.NUMBER,
            "reading fine points (level 4 = 27; before 2015/16)",
            f"{NPD} KS2",
            required=False,
            low=9,
            high=39,
        ),
        Field(
            "maths_fine_points",
            Kind.NUMBER,
            "mathematics fine points (level 4 = 27; before 2015/16)",
            f"{NPD} KS2",
            required=False,
            low=9,
            high=39,
        ),
        Field(
            "reading_scaled",
            Kind.INT,
            "reading scaled score (from 2015/16)",
            f"{NPD} KS2",
            required=False,
            low=80,
            high=120,
        ),
        Field(
            "maths_scaled",
            Kind.INT,
            "mathematics scaled score (from 2015/16)",
            f"{NPD} KS2",
            required=False,
            low=80,
            high=120,
        ),
        Field(
            "writing_ta",
            Kind.CODE,
            "writing teacher assessment (from 2015/16)",
            f"{NPD} KS2",
            required=False,
            codes=_codes(KS2_WRITING_TA),
        ),
        Field(
            "rwm_expected",
            Kind.BOOL,
            "reached the expected standard in reading, writing and mathematics (from 2015/16; level 4 in all three before)",
            f"{NPD} KS2",
        ),
    ),
    key=("child_id",),
    extra_rules=(
        "levels and fine points are given only before 2015/16, scaled scores and writing_ta only from 2015/16",
    ),
)

KS4 = Table(
    "ks4",
    "key stage 4 results, one row per pupil at the end of key stage 4",
    (
        Field("child_id", Kind.ID, "the pupil", f"{NPD} KS4", references="children.child_id"),
        Field(
            "academic_year",
            Kind.INT,
            "academic year of the examinations",
            f"{NPD} KS4",
            low=201112,
            high=201718,
        ),
        Field(
            "urn",
            Kind.INT,
            "the school at the end of key stage 4",
            f"{NPD} KS4",
            references="schools.urn",
        ),
        Field("attainment8", Kind.NUMBER, "Attainment 8 score", f"{NPD} KS4", low=0, high=90),
        Field(
            "progress8",
            Kind.NUMBER,
            "Progress 8 score (empty: no key stage 2 prior attainment)",
            f"{NPD} KS4",
            required=False,
            low=-7,
            high=7,
        ),
        Field(
            "em_grade4",
            Kind.BOOL,
            "grade 4 or above (A* to C before 2016/17) in English and mathematics",
            f"{NPD} KS4",
        ),
        Field(
            "em_grade5",
            Kind.BOOL,
            "grade 5 or above in English and mathematics (a strong pass)",
            f"{NPD} KS4",
        ),
    ),
    key=("child_id",),
    extra_rules=("em_grade5 implies em_grade4",),
)

POST16 = Table(
    "post16",
    "outcomes after 16, one row per pupil of a key stage 4 cohort followed up",
    (
        Field("child_id", Kind.ID, "the pupil", f"{NPD} post-16", references="children.child_id"),
        Field(
            "ks4_year",
            Kind.INT,
            "academic year the pupil finished key stage 4: the rows of a year are that "
            "cohort, followed up (a pupil with a ks4 row that year but no post16 row is in no "
            "after-16 finding)",
            f"{NPD} post-16",
            low=201112,
            high=201718,
        ),
        Field(
            "level2_by_19",
            Kind.BOOL,
            "level 2 (5 good GCSEs or equivalent) by 19 (empty: not yet 19)",
            f"{NPD} post-16",
            required=False,
        ),
        Field(
            "level3_by_19",
            Kind.BOOL,
            "level 3 (2 A levels or equivalent) by 19",
            f"{NPD} post-16",
            required=False,
        ),
        Field(
            "level2_by_21",
            Kind.BOOL,
            "level 2 by 21 (empty: not yet 21)",
            f"{NPD} post-16",
            required=False,
        ),
        Field("level3_by_21", Kind.BOOL, "level 3 by 21", f"{NPD} post-16", required=False),
        Field(
            "activity_18",
            Kind.CODE,
            "main activity in the year after turning 18",
            f"{NPD} destinations",
            required=False,
            codes=_codes(ACTIVITIES_AT_18),
        ),
        Field(
            "higher_education_18",
            Kind.BOOL,
            "entered higher education at 18",
            f"{NPD} destinations",
            required=False,
        ),
    ),
    key=("child_id",),
    extra_rules=("level2_by_19 implies level2_by_21; level3_by_19 implies level3_by_21",),
)

TABLES: tuple[Table, ...] = (
    CHILDREN,
    CIN_EPISODES,
    ASSESSMENTS,
    ASSESSMENT_FACTOR_ROWS,
    PROTECTION_PLANS,
    CLA_EPISODES,
    SCHOOL_CENSUS,
    SCHOOLS,
    ABSENCE,
    EXCLUSIONS,
    EYFSP,
    KS2,
    KS4,
    POST16,
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

#: Keys of dataset.json, which every extract carries.
DATASET_KEYS = {
    "name": "a short name for the extract",
    "synthetic": "true for generated data, false for a real or hand-made extract",
    "description": "what the extract is",
    "provenance": "where it came from (the generator and its seed, or the data request)",
}
