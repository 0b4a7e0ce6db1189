"""Author (preview): `bulletin preview`, the author's loop. Build, serve, watch,
rebuild what changed, reload the open pages.

It builds the screen pages and figures of the publications (`bulletin.pipeline.preview`:
the build's own cached stages, so a change reruns only the stages that read it) and serves
them on 127.0.0.1 (`bulletin.author.server`). It watches the templates, the public data
(the facts file is in it), the settings file and the Quarto project file with `watchfiles`;
after a change it rebuilds, and every open page that changed reloads itself. The prose lint
runs on each template that changed, after the pages are served.

A failed rebuild never stops the preview: the pages stay the last that built, with the
problems (file, line, column, the line quoted) in a panel at the top; the next change that
mends it brings the pages back. The preview publishes nothing: _site/, report/ and
figures/ are `bulletin build`'s.

Why these libraries: `watchfiles` is maintained, small (Rust's notify through one wheel),
waits for a burst of saves to settle and stops cleanly on an event; the standard library's
`ThreadingHTTPServer` is enough to serve a few pages to one author's browser on the same
machine, and adds no dependency (an ASGI server would bring an event loop and a framework
for one long-polling endpoint).
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

from bulletin.author.server import HOST, Item, Problems, Site, make_server
from bulletin.core.cache import MANIFEST
from bulletin.core.problems import InputError, Problem
from bulletin.core.progress import Reporter
from bulletin.core.settings import SETTINGS_FILE, Settings, SettingsError, load_settings
from bulletin.pipeline import PROJECT_FILE, BuildOptions
from bulletin.render.errors import TemplateProblem

#: Files of the project folder itself that a preview watches (not its subfolders).
ROOT_FILES = (SETTINGS_FILE, PROJECT_FILE)
POLL = 0.5  # seconds between looks for a stop while waiting for changes
BUILD_FAILED = Problems(
    "The preview could not be rebuilt",
    "The page shows the last version that built. Fix the problem and save: the page comes "
    "back by itself.",
    (),
)
LINT_FAILED = Problems(
    "The prose lint would fail the build",
    "bulletin build would publish nothing until these are fixed.",
    (),
)


class Preview:
    """One preview: its site, its server and its watchers. `run` blocks until stopped."""

    def __init__(self, root: Path, options: BuildOptions, port: int, reporter: Reporter) -> None:
        self.root = root
        self.options = options
        self.reporter = reporter
        self.site = Site()
        self.server = make_server(self.site, port)
        self.port = int(self.server.server_address[1])
        self.stop = threading.Event()
        self.changes: queue.Queue[set[Path]] = queue.Queue()
        self.lint: dict[str, list[Any]] = {}

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def run(self) -> None:
        """Serve, build once, then rebuild after each change until `stop` is set (or the
        process is interrupted)."""
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.reporter.log(f"preview: serving {self.url} (Ctrl+C stops it)")
        settings = load_settings(self.root)
        watched = self._watch(settings)
        try:
            self.rebuild(None)
            while not self.stop.is_set():
                try:
                    changed = self.changes.get(timeout=POLL)
                except queue.Empty:
                    continue
                while not self.changes.empty():  # a burst of saves: one rebuild
                    changed |= self.changes.get_nowait()
                self.rebuild(changed)
        finally:
            self.stop.set()
            self.server.shutdown()
            self.server.server_close()
            for thread in watched:
                thread.join(timeout=5)

    def rebuild(self, changed: set[Path] | None) -> bool:
        """Rebuild after `changed` (None: the first build); True when the pages built."""
        if changed:
            names = ", ".join(sorted(self._shown(p) for p in changed))
            self.reporter.log(f"preview: changed: {names}")
        start = time.perf_counter()
        try:
            settings = load_settings(self.root)
            files, home = self._build(settings)
        except Exception as exc:
            if not isinstance(exc, InputError | SettingsError):
                traceback.print_exc()
            self.site.update(building=False, build=replace(BUILD_FAILED, items=_items(exc)))
            self.reporter.log(f"preview: the rebuild failed; the pages show why:\n{exc}")
            return False
        self.site.update(files=files, home=home, building=False, build=None)
        seconds = time.perf_counter() - start
        self.reporter.log(f"preview: pages rebuilt in {seconds:.1f} s: {self.url}{home}")
        self._lint(settings, changed)
        return True

    def _build(self, settings: Settings) -> tuple[dict[str, bytes], str]:
        """The preview's stages, and the files it serves (read into memory, so that a
        cache entry pruned later cannot take a page away)."""
        from bulletin.data.facts import load_facts
        from bulletin.pipeline import preview
        from bulletin.render.project import read_project
        from bulletin.render.publication import STATEMENT, render_statement

        results, pubs = preview(settings, self.options, self.reporter.log, self.reporter)
        files: dict[str, bytes] = {}
        for pub in pubs:
            page = results[f"pages-{pub.id}"].out / f"{pub.id}.html"
            files[f"report/{pub.id}.html"] = page.read_bytes()
        for figure in sorted(results["figures"].out.iterdir()):
            if figure.is_file() and figure.name != MANIFEST:
                files[f"figures/{figure.name}"] = figure.read_bytes()
        templates = settings.paths.templates
        files["assets/screen.css"] = (templates / "css" / "screen.css").read_bytes()
        facts = load_facts(self.options.public_data or settings.paths.public_data)
        statement = render_statement(templates, pubs, read_project(settings.root), facts)
        files[STATEMENT] = statement.encode("utf-8")
        return files, f"report/{pubs[0].id}.html"

    def _lint(self, settings: Settings, changed: set[Path] | None) -> None:
        """The prose lint of the templates that changed (of all of them the first time)."""
        from bulletin.qa import Result
        from bulletin.qa.prose import lint_template

        templates = settings.paths.templates.resolve()
        if changed is None:
            paths = sorted(templates.rglob("*.jinja"))
        else:
            paths = [p for p in changed if p.suffix == ".jinja" and p.is_relative_to(templates)]
        for path in paths:
            name = path.relative_to(templates).as_posix()
            self.lint.pop(name, None)
            if path.is_file():
                found = [r for r in lint_template(path, templates) if r.result is Result.FAIL]
                if found:
                    self.lint[name] = found
        results = [r for name in sorted(self.lint) for r in self.lint[name]]
        items = tuple(Item("", r.message, _unindent(r.quote), r.guidance) for r in results)
        lint = replace(LINT_FAILED, items=items) if items else None
        if lint != self.site.lint:
            self.site.update(lint=lint)
            for result in results:
                self.reporter.log(f"preview: {result}")

    def _watch(self, settings: Settings) -> list[threading.Thread]:
        """Threads that put each settled burst of changes on `changes`: the templates and
        the public data (with everything under them), and the project folder's own files."""
        public = (self.options.public_data or settings.paths.public_data).resolve()
        templates = settings.paths.templates.resolve()
        root_files = {(self.root / name).resolve() for name in ROOT_FILES}
        threads = [
            threading.Thread(
                target=self._watcher, args=([templates, public], True, None), daemon=True
            ),
            threading.Thread(
                target=self._watcher, args=([self.root], False, root_files), daemon=True
            ),
        ]
        for thread in threads:
            thread.start()
        return threads

    def _watcher(self, paths: list[Path], recursive: bool, only: set[Path] | None) -> None:
        import watchfiles

        for batch in watchfiles.watch(
            *paths, recursive=recursive, stop_event=self.stop, raise_interrupt=False
        ):
            found = {Path(path).resolve() for _, path in batch}
            if only is not None:
                found &= only
            if found:
                self.changes.put(found)

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def _items(exc: BaseException) -> tuple[Item, ...]:
    """What the panel shows of a failed rebuild: each problem, where it is, the line."""
    if isinstance(exc, InputError):
        return tuple(_item(p) for p in exc.problems)
    if isinstance(exc, SettingsError):
        return tuple(Item("", line) for line in str(exc).splitlines())
    return (Item("", f"{type(exc).__name__}: {exc}"),)


def _unindent(quote: str) -> str:
    return "\n".join(line.removeprefix("    ") for line in quote.splitlines())


def _item(problem: Problem) -> Item:
    if isinstance(problem, TemplateProblem):
        quote = _unindent("\n".join(problem.quote_lines()))
        return Item(problem.where, problem.message, quote, " ".join(problem.notes()))
    where, _, message = str(problem).partition(": ")
    return Item(where, message)


class ServeError(Exception):
    """The preview cannot be served (its port is taken, or not allowed)."""


def serve(options: BuildOptions, port: int, reporter: Reporter) -> None:
    """`bulletin preview`: from the project of the working directory (or $BULLETIN_ROOT).
    An unknown publication or unreadable settings stop it before it starts (SettingsError);
    once it runs, nothing but an interrupt does."""
    settings = load_settings()
    if options.publication is not None:
        settings.publication(options.publication)
    try:
        preview = Preview(settings.root, options, port, reporter)
    except OSError as exc:
        raise ServeError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}") from None
    preview.run()
