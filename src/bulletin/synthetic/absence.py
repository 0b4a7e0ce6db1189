"""Synthetic: absence and exclusions, one pupil-year at a time.

A pupil's chance of missing a session follows deprivation, special educational needs,
phase and social care status, with a persistent personal tendency and year-to-year
noise; sessions missed are binomial. Exclusions follow the same drivers. Rows are
written for pupils of compulsory school age (years 1 to 11) at their main registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bulletin.synthetic.params import Parameters
from bulletin.synthetic.socialcare import CIN, CLA, CPP
from bulletin.synthetic.streams import stream


@dataclass
class PupilYear:
    """What absence depends on, for the main registrations of one census."""

    academic_year: int
    child: npt.NDArray[np.int64]
    ncyear: npt.NDArray[np.int16]
    sen: npt.NDArray[np.int8]  # 0 none, 1 support, 2 plan
    deprivation: npt.NDArray[np.float32]
    status_31_march: npt.NDArray[np.int8]  # social care status on 31 March of the year


def person_effect(params: Parameters, seed: int, n_children: int) -> npt.NDArray[np.float32]:
    """Each child's persistent tendency to miss school (log-odds)."""
    sd = float(params["absence"]["rate"]["person_sd"])
    return (sd * stream(seed, "absence-person").standard_normal(n_children)).astype(np.float32)


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-x))


def absence_and_exclusions(
    params: Parameters, seed: int, pupils: PupilYear, person: npt.NDArray[np.float32]
) -> tuple[dict[str, Any], dict[str, Any]]:
    a, care = params["absence"]["rate"], params["absence"]["social_care"]
    rng = stream(seed, "absence", pupils.academic_year)
    keep = (pupils.ncyear >= 1) & (pupils.ncyear <= 11)
    child, nc, sen = pupils.child[keep], pupils.ncyear[keep], pupils.sen[keep]
    dep = pupils.deprivation[keep].astype(np.float64)
    status = pupils.status_31_march[keep]
    n = len(child)
    secondary = (nc >= 7).astype(np.float64)
    social = np.select(
        [status == CIN, status == CPP, status == CLA],
        [float(care["in_need"]), float(care["protection"]), float(care["looked_after"])],
        0.0,
    )
    logit = (
        float(a["intercept"])
        + float(a["deprivation"]) * dep
        + np.where(sen == 1, float(a["sen_support"]), np.where(sen == 2, float(a["sen_plan"]), 0.0))
        + float(a["secondary"]) * secondary
        + social
        + person[child]
        + float(a["year_sd"]) * rng.standard_normal(n)
        + np.where(status > 0, float(a["in_need_sd"]), 0.0) * rng.standard_normal(n)
    )
    spec = params["absence"]["sessions_possible"]
    possible = int(spec["full"]) - rng.integers(0, int(spec["spread"]) + 1, n)
    missed = rng.binomial(possible, _sigmoid(logit))
    u = params["absence"]["unauthorised_share"]
    unauthorised = rng.binomial(
        missed, _sigmoid(float(u["intercept"]) + float(u["deprivation"]) * dep)
    )
    absence = {
        "child": child,
        "academic_year": np.full(n, pupils.academic_year, np.int32),
        "sessions_possible": possible.astype(np.int32),
        "sessions_authorised": (missed - unauthorised).astype(np.int32),
        "sessions_unauthorised": unauthorised.astype(np.int32),
    }

    def risk(spec: dict[str, Any]) -> npt.NDArray[np.float64]:
        return _sigmoid(
            float(spec["intercept"])
            + float(spec["deprivation"]) * dep
            + float(spec["sen"]) * (sen > 0)
            + float(spec["in_need"]) * (status > 0)
            + float(spec["looked_after"]) * (status == CLA)
            + float(spec["secondary"]) * secondary
        )

    fixed_spec, perm_spec = params["exclusions"]["fixed_period"], params["exclusions"]["permanent"]
    fixed = rng.random(n) < risk(fixed_spec)
    permanent = rng.random(n) < risk(perm_spec)
    who = np.flatnonzero(fixed | permanent)
    count = np.where(fixed[who], 1 + rng.poisson(float(fixed_spec["extra_mean"]), len(who)), 0)
    lengths = rng.poisson(float(fixed_spec["sessions_mean"]), len(who)) + 1
    exclusions = {
        "child": child[who],
        "academic_year": np.full(len(who), pupils.academic_year, np.int32),
        "fixed_period_count": count.astype(np.int32),
        "fixed_period_sessions": np.minimum(count * lengths, 380).astype(np.int32),
        "permanent": permanent[who],
    }
    return absence, exclusions
