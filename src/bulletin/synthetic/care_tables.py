"""Synthetic: the social care tables (episodes, assessments and their factors, plans,
periods of care), written in the documented format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bulletin.synthetic.socialcare import NO_DAY, Care
from bulletin.synthetic.writer import codes, dates, write_table


def write_care(
    out: Path, care: Care, care_id: npt.NDArray[np.int64], la_codes: list[str]
) -> dict[str, int]:
    """The social care tables, in the documented format."""
    e, labels = care.episodes, care.labels
    la_labels = tuple(la_codes)
    rows = {
        "cin_episodes": write_table(
            out,
            "cin_episodes",
            {
                "episode_id": e["episode_id"],
                "child_id": care_id[e["child"]],
                "la_code": codes(e["la"].astype(np.int32), la_labels).cast(pa.string()),
                "referral_date": dates(e["referral_date"]),
                "referral_source": codes(e["referral_source"], labels["referral_source"]),
                "referral_nfa": e["referral_nfa"],
                "primary_need": codes(e["primary_need"], labels["need"]),
                "disabled": e["disabled"],
                "closure_date": dates(e["closure_date"], empty=NO_DAY),
                "closure_reason": codes(e["closure_reason"], labels["reason"]),
            },
        )
    }
    a = care.assessments
    rows["cin_assessments"] = write_table(
        out,
        "cin_assessments",
        {
            "assessment_id": a["assessment_id"],
            "episode_id": a["episode_id"],
            "start_date": dates(a["start_date"]),
            "authorised_date": dates(a["authorised_date"], empty=NO_DAY),
        },
    )
    f = care.factors
    rows["cin_assessment_factors"] = write_table(
        out,
        "cin_assessment_factors",
        {"assessment_id": f["assessment_id"], "factor": codes(f["factor"], labels["factor"])},
    )
    p = care.plans
    rows["child_protection_plans"] = write_table(
        out,
        "child_protection_plans",
        {
            "plan_id": p["plan_id"],
            "episode_id": p["episode_id"],
            "start_date": dates(p["start_date"]),
            "end_date": dates(p["end_date"], empty=NO_DAY),
            "initial_category": codes(p["initial_category"], labels["category"]),
        },
    )
    c = care.looked_after
    rows["cla_episodes"] = write_table(
        out,
        "cla_episodes",
        {
            "cla_id": c["cla_id"],
            "child_id": care_id[c["child"]],
            "la_code": codes(c["la"].astype(np.int32), la_labels).cast(pa.string()),
            "start_date": dates(c["start_date"]),
            "end_date": dates(c["end_date"], empty=NO_DAY),
            "legal_status": codes(c["legal_status"], labels["legal"]),
            "placement": codes(c["placement"], labels["placement"]),
        },
    )
    return rows
