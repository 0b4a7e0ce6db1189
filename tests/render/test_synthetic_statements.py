"""The statements for readers of a publication built on synthetic data (docs/methodology.md,
"Synthetic data: what the numbers can and cannot show"), from the extract's calibration:
every publication's note on synthetic data says which figures were fitted, which findings
recover effects the model was given and which it predicts; the regression is presented as
a demonstration of the method; a real extract gets none of it."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from bulletin.core.settings import load_settings
from bulletin.render.publication import render_qmd
from bulletin.render.publications import Inputs, content, template_context
from tests.conftest import ROOT

SETTINGS = load_settings(ROOT)
#: The publications the hand-made extract can fill (the concluding review needs more data:
#: tests/test_publications.py checks it, and all three, in the built publications).
PUBLICATIONS = ("data-and-analysis", "interim-findings")
CALIBRATION = json.loads(
    (ROOT / "src/bulletin/synthetic/calibration.json").read_text(encoding="utf-8")
)
FITTED = "Most linked figures match the published ones because the model was fitted to them."
PLANTED = (
    "The model was given each social care group's likelihood of a strong pass at GCSE, so the "
    "regression recovers what it was given."
)
DEMONSTRATION = "This section demonstrates the method: it is not evidence about real pupils."


def _qmd(inputs: Inputs, dataset: dict[str, Any]) -> str:
    changed = dataclasses.replace(inputs, dataset=dataset, synthetic=bool(dataset["synthetic"]))
    context = template_context(changed, content(changed))
    text = render_qmd(SETTINGS.paths.templates, changed.publication, context)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def rendered(small_inputs: Callable[[str], Inputs]) -> dict[str, str]:
    dataset = {"name": "synthetic-national", "synthetic": True, "calibration": CALIBRATION}
    return {pub: _qmd(small_inputs(pub), dataset) for pub in PUBLICATIONS}


@pytest.mark.parametrize("pub", PUBLICATIONS)
def test_every_publication_says_what_was_fitted_given_and_predicted(
    pub: str, rendered: dict[str, str]
) -> None:
    text = rendered[pub]
    assert FITTED in text
    assert PLANTED in text
    # the emergent rows of calibration.json (C5, C6, B9 to B11, D1 and D2), named for readers
    # (benchmarks/fit_generator.py, EMERGENT_FOR_READERS)
    assert (
        "Nothing was fitted to GCSE results in earlier years, the spread of Progress 8 between "
        "local authorities, what pupils did after 16 or the counts of the interim findings: "
        "the model predicts those figures."
    ) in text


def test_the_regression_is_a_demonstration_of_the_method(rendered: dict[str, str]) -> None:
    text = rendered["data-and-analysis"]
    assert text.count(DEMONSTRATION) == 1
    # the note is in the section of the regression, before its figure
    section = text.index("## Social care history and GCSE attainment")
    assert section < text.index(DEMONSTRATION) < text.index('id="fig-adjusted-likelihood"')
    assert DEMONSTRATION not in rendered["interim-findings"]  # it shows no regression


def test_the_methodology_says_what_a_fitted_and_a_predicted_figure_show(
    rendered: dict[str, str],
) -> None:
    text = rendered["data-and-analysis"]
    methodology = text.index("## Methodology")
    assert methodology < text.index("### Synthetic data") < text.index("## Notes")
    assert (
        "A fitted figure agrees with the published figure by construction, so it is not evidence."
    ) in text
    assert "that is a limit of the model, not a finding about children." in text


def test_the_statements_follow_the_calibration_not_the_template(
    small_inputs: Callable[[str], Inputs],
) -> None:
    """With nothing planted and only the outcomes after 16 emergent, the sentences say so."""
    calibration = CALIBRATION | {
        "recovers_planted": [],
        "emergent": ["B9", "B11"],
        "emergent_named": ["what pupils did after 16"],
    }
    text = _qmd(
        small_inputs("data-and-analysis"),
        {"name": "x", "synthetic": True, "calibration": calibration},
    )
    assert FITTED in text
    assert PLANTED not in text
    assert DEMONSTRATION not in text
    assert (
        "Nothing was fitted to what pupils did after 16: the model predicts those figures." in text
    )


@pytest.mark.parametrize("pub", PUBLICATIONS)
def test_a_real_extract_gets_no_statement_about_synthetic_data(
    pub: str, small_inputs: Callable[[str], Inputs]
) -> None:
    text = _qmd(small_inputs(pub), {"name": "real", "synthetic": False})
    assert FITTED not in text
    assert PLANTED not in text
    assert DEMONSTRATION not in text
    assert "### Synthetic data" not in text
