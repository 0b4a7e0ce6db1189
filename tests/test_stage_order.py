"""The order a build runs its stages in, and what it starts early: every page is made
before the first PDF is laid out (each page is then checked while WeasyPrint works), the
numbers manifests and the open data after the last PDF, and the checks ahead are warmed up
only by a stage a page or a print page is made from."""

from __future__ import annotations

from typing import Any

from bulletin.core.settings import load_settings
from bulletin.pipeline import BuildOptions, stages, warm
from tests.conftest import ROOT


def names() -> list[str]:
    return [stage.name for stage in stages(load_settings(ROOT), BuildOptions())]


def test_every_page_comes_before_the_first_pdf_and_manifests_and_open_data_after_the_last() -> None:
    order = names()
    pubs = [name.removeprefix("pages-") for name in order if name.startswith("pages-")]
    assert len(pubs) == 4
    first_pdf = min(order.index(f"pdf-{pub}") for pub in pubs)
    last_pdf = max(order.index(f"pdf-{pub}") for pub in pubs)
    assert all(order.index(f"pages-{pub}") < first_pdf for pub in pubs)
    assert all(order.index(f"numbers-{pub}") > last_pdf for pub in pubs)
    assert all(order.index(f"open-data-{pub}") > last_pdf for pub in pubs)
    assert order[-2:] == ["site", "qa"]
    for pub in pubs:  # and each stage after what it reads
        assert order.index(f"report-{pub}") < order.index(f"pages-{pub}")
        assert order.index(f"print-{pub}") < order.index(f"pdf-{pub}")


class Warmed:
    def __init__(self) -> None:
        self.times = 0

    def warm(self) -> None:
        self.times += 1


def test_only_a_stage_a_page_is_made_from_warms_the_checks_up() -> None:
    built = stages(load_settings(ROOT), BuildOptions())
    warming: dict[str, bool] = {}
    for stage in built:
        ahead: Any = Warmed()
        warm(ahead, built)(stage)
        warming[stage.name] = ahead.times == 1
    page_made_from = {"public-data", "population", "findings", "figures"}
    for name, warms in warming.items():
        expected = name in page_made_from or name.startswith(("report-", "pages-", "print-"))
        assert warms == expected, name
