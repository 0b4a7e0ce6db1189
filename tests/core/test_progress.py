"""Progress of a run: a live display on a (pseudo-)terminal with each stage, its sub-step, the
time elapsed and an estimate from the last run's timings; plain lines elsewhere."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import threading
import time
from pathlib import Path

import pytest

from bulletin.core.cache import TIMINGS, Pipeline, Stage, StageRun
from bulletin.core.progress import Reporter, is_live

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
SLOW = 1.2  # seconds the example stage takes: a few redraws of the live display


def stages(source: Path, log: list[Reporter]) -> list[Stage]:
    """One slow stage that logs two sub-steps, reading `source` (change it to rerun)."""

    def slow(ctx: StageRun) -> None:
        log[0].log("slow: reading the source")
        time.sleep(SLOW / 2)
        log[0].log("slow: writing the result")
        time.sleep(SLOW / 2)
        (ctx.out / "out.txt").write_text(source.read_text())

    return [Stage("slow", slow, ("out.txt",), inputs={"source": source})]


class Terminal:
    """A pseudo-terminal: what is written to `stream` is read back, ANSI codes and all."""

    def __init__(self) -> None:
        self.master, slave = pty.openpty()
        self.stream = open(slave, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
        self.chunks: list[bytes] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    def output(self) -> str:
        self.stream.flush()
        time.sleep(0.3)  # let the reader drain the terminal
        return b"".join(self.chunks).decode("utf-8", "replace")

    def close(self) -> None:
        self.stream.close()
        os.close(self.master)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    made = Terminal()
    yield made  # type: ignore[misc]
    made.close()


def run(root: Path, reporter: Reporter) -> None:
    holder = [reporter]
    with reporter:
        Pipeline(root / "cache", reporter.log, reporter).run(stages(root / "source.txt", holder))


def test_on_a_terminal_a_stage_shows_live_its_sub_steps_elapsed_time_and_estimate(
    tmp_path: Path, terminal: Terminal
) -> None:
    (tmp_path / "source.txt").write_text("first")
    reporter = Reporter(terminal.stream)
    assert reporter.live
    run(tmp_path, reporter)
    first = terminal.output()
    terminal.chunks.clear()
    text = ANSI.sub("\n", first)
    assert "\x1b[?25l" in first  # the live display hides the cursor while it draws
    assert "slow" in text
    assert "reading the source" in text  # the sub-step on the stage's live line
    assert "no estimate yet (first run)" in text
    assert re.search(r"0:00:0[0-9]", text)  # the time elapsed
    # the lines a log holds are printed too, above the live display
    assert "bulletin: slow: reading the source" in text
    assert re.search(r"bulletin: slow: ran in \d+\.\d\d s", text)
    assert "bulletin: slow: running" not in text  # the live line says it

    # the second run has the first run's time as its estimate
    recorded = json.loads((tmp_path / "cache" / TIMINGS).read_text())["slow"]
    assert SLOW <= recorded < SLOW + 30
    (tmp_path / "source.txt").write_text("second")
    run(tmp_path, Reporter(terminal.stream))
    text = ANSI.sub("\n", terminal.output())
    assert re.search(rf"about \d+ s left of {recorded:.0f} s", text)
    assert "no estimate yet" not in text


def test_without_a_terminal_the_lines_are_plain(tmp_path: Path) -> None:
    (tmp_path / "source.txt").write_text("first")
    out = io.StringIO()
    reporter = Reporter(out)
    assert not reporter.live
    run(tmp_path, reporter)
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "bulletin: slow: running",
        "bulletin: slow: reading the source",
        "bulletin: slow: writing the result",
    ]
    assert re.fullmatch(r"bulletin: slow: ran in \d+\.\d\d s \([0-9a-f]{12}\)", lines[3])
    assert len(lines) == 4
    assert "\x1b" not in out.getvalue()


def test_quiet_prints_nothing(tmp_path: Path, terminal: Terminal) -> None:
    (tmp_path / "source.txt").write_text("first")
    reporter = Reporter(terminal.stream, quiet=True)
    assert not reporter.live
    run(tmp_path, reporter)
    assert terminal.output() == ""


def test_in_ci_or_on_a_dumb_terminal_the_lines_are_plain(
    terminal: Terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert is_live(terminal.stream)
    monkeypatch.setenv("CI", "true")
    assert not is_live(terminal.stream)
    monkeypatch.delenv("CI")
    monkeypatch.setenv("TERM", "dumb")
    assert not is_live(terminal.stream)
