"""Core: how a run reports its progress: a live display on a terminal, plain lines elsewhere.

On a terminal, each stage that runs shows a live line (rich): a spinner, the stage, a bar
against an estimate, the time elapsed, the time left, and its latest sub-step (what the
stage last logged). The estimate is the seconds the stage took the last time it ran,
which the cache records (`bulletin.core.cache.TIMINGS`); a stage that never ran has none.
Every message is still printed as a line above the live display, so a terminal shows what
a log file shows.

When the output is not a terminal, in CI (`CI` set) or with `TERM=dumb`, a run prints the
plain lines it always printed, one a message; with `--quiet`, nothing.
"""

from __future__ import annotations

import os
import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

PREFIX = "bulletin: "
REFRESH = 4  # redraws a second


def is_live(stream: TextIO) -> bool:
    """Whether `stream` gets the live display: a terminal, not CI, not a dumb terminal."""
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    dumb = os.environ.get("TERM", "") == "dumb"
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return terminal and not ci and not dumb


class Reporter:
    """The log and the stage progress of one run (`bulletin.core.cache.StageProgress`):
    ``with Reporter() as r: Pipeline(cache, r.log, r)``."""

    def __init__(
        self, stream: TextIO | None = None, *, quiet: bool = False, live: bool | None = None
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.live = (not quiet and is_live(self.stream)) if live is None else live
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.RLock()

    def __enter__(self) -> Reporter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def log(self, message: str) -> None:
        """One message: a line; on a terminal also the sub-step of the running stage."""
        if self.quiet:
            return
        with self._lock:
            if self._progress is not None and self._tasks:
                stage = next(reversed(self._tasks))
                self._progress.update(self._tasks[stage], step=message.removeprefix(f"{stage}: "))
                if message == f"{stage}: running":  # the live line says so already
                    return
                self._progress.console.print(PREFIX + message, markup=False, highlight=False)
                return
        print(PREFIX + message, file=self.stream, flush=True)

    def started(self, stage: str, estimate: float | None) -> None:
        if not self.live:
            return
        with self._lock:
            if self._progress is None:
                self._progress = _progress(self.stream)
                self._progress.start()
            self._tasks[stage] = self._progress.add_task(stage, step="", estimate=estimate)

    def finished(self, stage: str, seconds: float) -> None:
        with self._lock:
            task = self._tasks.pop(stage, None)
            if self._progress is None or task is None:
                return
            self._progress.remove_task(task)
            if not self._tasks:
                self.close()

    def close(self) -> None:
        with self._lock:
            if self._progress is not None:
                self._progress.stop()
            self._progress = None
            self._tasks.clear()


def _progress(stream: TextIO) -> Progress:
    from rich.console import Console, RenderableType
    from rich.progress import (
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress_bar import ProgressBar
    from rich.table import Column
    from rich.text import Text

    class EstimateBar(ProgressColumn):
        """The time elapsed against the estimate; a pulse when there is none."""

        def render(self, task: Task) -> RenderableType:
            estimate: Any = task.fields.get("estimate")
            if not estimate:
                return ProgressBar(total=None, pulse=True, width=24)
            return ProgressBar(
                total=estimate, completed=min(task.elapsed or 0.0, estimate), width=24
            )

    class Remaining(ProgressColumn):
        """What the estimate says is left, or why there is no estimate."""

        def render(self, task: Task) -> RenderableType:
            estimate: Any = task.fields.get("estimate")
            if not estimate:
                return Text("no estimate yet (first run)", style="dim")
            left = estimate - (task.elapsed or 0.0)
            if left > 0:
                return Text(f"about {max(1, round(left))} s left of {estimate:.0f} s", style="cyan")
            return Text(f"longer than last time ({estimate:.0f} s)", style="yellow")

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False, style="bold"),
        EstimateBar(),
        TimeElapsedColumn(),
        Remaining(),
        TextColumn(
            "{task.fields[step]}",
            markup=False,
            table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis"),
        ),
        console=Console(file=stream),
        transient=True,
        refresh_per_second=REFRESH,
        expand=True,
    )
