"""`bulletin preview` end to end, in Debian's Chromium: one preview of the interim findings
on the hand-made extract for the module. A sentence changed in the template shows in the
open page by itself; a broken template shows the problem in a panel over the last page that
built; mending it brings the page back. The pages pass axe, panel included."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bulletin.qa.axe import Axe
from tests.conftest import make_project
from tests.data.linked_helpers import FIXTURE

PUB = "interim-findings"
TEMPLATE = f"templates/{PUB}/publication.qmd.jinja"
SENTENCE = "Yet some children in need do well"
CHANGED = "Yet many children in need do well"
TAGS = "(wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa, best-practice)"
PANEL = "#bulletin-preview-problems"
SHOWN_WITHIN = 15.0  # seconds from saving the template to seeing it in the open page
START_WITHIN = 600.0  # the first build: findings of the extract, figures, pages


@dataclass
class Running:
    root: Path
    url: str  # of the publication's page
    lines: list[str]
    process: subprocess.Popen[str]

    @property
    def template(self) -> Path:
        return self.root / TEMPLATE

    def edit(self, old: str, new: str) -> float:
        """Replace `old` by `new` in the template, as an editor saves; return the time."""
        text = self.template.read_text(encoding="utf-8")
        assert old in text
        self.template.write_text(text.replace(old, new, 1), encoding="utf-8")
        return time.perf_counter()


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = make_project(tmp_path_factory.mktemp("preview") / "project")
    env = dict(os.environ, BULLETIN_ROOT=str(root))
    command = [sys.executable, "-m", "bulletin", "preview", "--publication", PUB, "--port", "0"]
    process = subprocess.Popen(
        [*command, "--linked-data", str(FIXTURE)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    lines: list[str] = []
    assert process.stderr is not None
    stream = process.stderr
    reader = threading.Thread(target=lambda: lines.extend(iter(stream.readline, "")), daemon=True)
    reader.start()
    deadline = time.monotonic() + START_WITHIN
    url = None
    while url is None and time.monotonic() < deadline and process.poll() is None:
        found = [re.search(r"pages rebuilt in .* s: (http://\S+)", line) for line in lines]
        url = next((m.group(1) for m in found if m), None)
        time.sleep(0.2)
    assert url is not None, "".join(lines)
    yield Running(root, url, lines, process)
    process.terminate()
    process.wait(timeout=30)
    reader.join(timeout=30)
    stream.close()


def listening(port: int) -> list[str]:
    """The local addresses listening on `port` (IPv4 and IPv6), from the kernel's tables."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_it_serves_on_127_0_0_1_only(preview: Running) -> None:
    port = int(re.search(r":(\d+)/", preview.url).group(1))  # type: ignore[union-attr]
    assert preview.url.startswith("http://127.0.0.1:")
    assert listening(port) == ["0100007F"]  # 127.0.0.1, little-endian; nothing else


def test_it_publishes_nothing(preview: Running) -> None:
    """_site/, report/ and figures/ are the build's: the preview writes only its cache."""
    assert not (preview.root / "_site").exists()
    assert [p.name for p in (preview.root / "report").iterdir()] == ["README.md"]
    assert [p.name for p in (preview.root / "figures").iterdir()] == ["README.md"]


def test_a_changed_sentence_shows_in_the_open_page_then_a_broken_template_shows_the_problem(
    preview: Running, axe: Axe
) -> None:
    page = axe.new_page()
    try:
        page.goto(preview.url)
        assert SENTENCE in page.inner_text("main")
        assert page.locator(PANEL).count() == 0
        results = axe.check_open(page, "preview page")
        assert [r.message for r in results] == [f"preview page: no violations {TAGS}"]

        # a sentence changed: the page shows it by itself
        saved = preview.edit(SENTENCE, CHANGED)
        page.wait_for_function(
            f"document.querySelector('main').innerText.includes({CHANGED!r})",
            timeout=SHOWN_WITHIN * 1000,
        )
        latency = time.perf_counter() - saved
        print(f"\nsentence change seen in the page after {latency:.2f} s")
        assert latency < SHOWN_WITHIN

        # an undefined name: the panel names file, line and column over the last good page
        lines = preview.template.read_text(encoding="utf-8").splitlines()
        line = next(
            i for i, text in enumerate(lines) if "m.D2 | at_least_one_in_n }} pupils" in text
        )
        column = lines[line].index("D2 | at_least_one_in_n }} pupils") + 1
        saved = preview.edit(
            "m.D2 | at_least_one_in_n }} pupils", "m.D22 | at_least_one_in_n }} pupils"
        )
        panel = page.locator(PANEL)
        panel.wait_for(timeout=SHOWN_WITHIN * 1000)
        print(f"error panel seen after {time.perf_counter() - saved:.2f} s")
        text = panel.inner_text()
        assert f"{TEMPLATE}, line {line + 1}, column {column}: m has no 'D22'" in text
        assert "m.D22 | at_least_one_in_n" in text  # the line quoted
        assert "Did you mean m.D2?" in text
        assert panel.get_attribute("role") == "alert"
        assert page.evaluate("document.activeElement.id") == "bulletin-preview-problems"
        assert CHANGED in page.inner_text("main")  # the last page that built stays
        results = axe.check_open(page, "preview page with the problems panel")
        assert [r.message for r in results] == [
            f"preview page with the problems panel: no violations {TAGS}"
        ]

        # mended: the page comes back without the panel
        saved = preview.edit("m.D22 | at_least_one_in_n", "m.D2 | at_least_one_in_n")
        panel.wait_for(state="detached", timeout=SHOWN_WITHIN * 1000)
        print(f"page back after {time.perf_counter() - saved:.2f} s")
        assert CHANGED in page.inner_text("main")
    finally:
        page.close()


def test_an_unclosed_block_shows_where_it_opened(preview: Running, axe: Axe) -> None:
    page = axe.new_page()
    try:
        page.goto(preview.url)
        source = preview.template.read_text(encoding="utf-8")
        start = source.index("{% call c.table(")
        end = source.index("{%- endcall %}", start)
        opened = source[:start].count("\n") + 1
        preview.edit(source[start : end + len("{%- endcall %}")], source[start:end])
        panel = page.locator(PANEL)
        panel.wait_for(timeout=SHOWN_WITHIN * 1000)
        assert (
            f"{TEMPLATE}, line {opened}, column 1: the {{% call %}} block opened here is never "
            "closed: add {% endcall %} where it ends"
        ) in panel.inner_text()
        preview.template.write_text(source, encoding="utf-8")
        panel.wait_for(state="detached", timeout=SHOWN_WITHIN * 1000)
    finally:
        page.close()


def test_the_published_build_holds_no_reload_script(built: Path) -> None:
    pages = sorted((built / "_site").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "bulletin-preview" not in text, page
        assert "<script" not in text, page


def test_a_port_in_use_or_an_unknown_publication_stops_it_at_once(project: Path) -> None:
    import socket

    from tests.conftest import run_cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_cli("preview", "--port", port, root=project)
    assert result.returncode == 1
    assert f"bulletin preview: cannot serve on 127.0.0.1:{port}: " in result.stderr
    assert "choose another with --port" in result.stderr
    result = run_cli("preview", "--publication", "nope", "--port", "0", root=project)
    assert result.returncode == 1
    assert "unknown publication 'nope'" in result.stderr
