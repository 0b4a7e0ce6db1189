"""QA (ahead): check a publication's page and PDF while the build goes on.

The QA stage checks every page with axe-core in Chromium and every PDF with pdfua and our
checks; on national data that takes seconds a file (axe-core: 3.8 s on the data and
analysis page). The build makes a publication's pages, then spends seconds laying out its
PDF with WeasyPrint, one core busy. Meanwhile `Ahead` prints the print page the PDF is
made from (for the PDF's reading-order check) and checks the screen page, in one
Chromium on a thread of its own; a second thread has each PDF checked as soon as it is
written (pdfua and pikepdf: no browser), in a process of its own, started when the
build first makes a page (or `warm` says one is coming).
Checked in a thread of the build's process, the PDF checks' Python held the interpreter's
lock against the build's own thread, which then waited for it at every file it copied:
the site stage took about 2 s instead of 0.2 s.

The browser and the PDF checks run at the build's own priority. On a cold build the
browser's work (a print and an axe-core run a page, fourteen pages) is what the QA stage
waits for last; at a lower priority (nice 10) a cold small build took 52.0 s against 45.6 s
(means of four, alternated), and a prose change at national scale took no less. Both
remember what passed in the QA memo (`bulletin.qa.memo`), and the QA stage then checks
only what is not there.

One Chromium, not one a thread: on two cores a second browser slows WeasyPrint more than
it gains (`benchmarks/rebuild_change.py`, a prose change: 11.1 s against 9.8 s).

Nothing here decides a verdict: a file is remembered only when it passed, under a key
made of its bytes and of everything it loads or is checked against, laid out as the site
lays it out. If anything differs when the site is made, the key differs and the QA stage
checks the file itself. A check ahead that fails or breaks is forgotten the same way.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from bulletin.core.cache import file_sha256

if TYPE_CHECKING:
    from concurrent.futures import Future

    from bulletin.qa.memo import Memo
    from bulletin.qa.pdf import PrintedPage


PRINT, PAGE = 0, 1  # the browser's work, most urgent first
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent thread ends


class Ahead:
    """Two worker threads that check pages and PDFs into the QA memo, each in the order
    asked: `with Ahead(memo, templates, log) as ahead: ahead.printed(...);
    ahead.page(...); ahead.pdf(...); ahead.wait()`."""

    def __init__(
        self, memo: Path, templates: Path, log: Callable[[str], None] = lambda _: None
    ) -> None:
        self.memo = memo
        self.templates = templates
        self.log = log
        self.passed: list[str] = []  # what was checked ahead and passed
        self._futures: list[tuple[str, Future[bool]]] = []  # (kind of file, its check)
        self._prints: dict[str, Future[tuple[str, PrintedPage]]] = {}  # by PDF
        self._browser_work: list[tuple[tuple[int, int], int, Callable[[], Any], Future[Any]]] = []
        self._asked = itertools.count()  # the order work was asked in: a heap's tie-breaker
        self._browsers = threading.local()  # each thread's Chromium, started when needed
        self._lock = threading.Lock()
        self._workers: _Workers | None = None  # started when first asked: a build that
        # makes no page (nothing changed) starts nothing

    def __enter__(self) -> Ahead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._workers is None:
            return
        for future in [f for _, f in self._futures] + list(self._prints.values()):
            future.cancel()
        self._workers.close(self._close_browser)

    def warm(self) -> None:
        """Start what checks ahead now, before anything is asked: the browser (on its
        thread) and the PDFs' process. A build about to make pages calls this as its first
        stage starts, while one core is free, so that the first page waits for neither."""
        with self._asking("warm-up"):
            if self._workers is None:
                self._started().browser.submit(self._browser)

    def printed(self, print_page: Path, name: str) -> None:
        """Print the print page the PDF `name` will be made from, as its reading-order check
        reads it (before the PDF is there: WeasyPrint is laying it out)."""
        with self._asking(name):
            self._prints[name] = self._in_browser(PRINT, 0, self._print, print_page)

    def page(self, page: Path, name: str, figures: Path) -> None:
        """Check a screen page, to be published as `name` (report/<id>.html), laid out as
        the site lays it out: beside the site's stylesheet and the build's figures."""
        from bulletin.qa import SCREEN_CSS

        with self._asking(name):
            workers = self._started()
            site = Path(tempfile.mkdtemp(prefix="site-", dir=workers.folder))
            target = site / name
            target.parent.mkdir(parents=True)
            shutil.copyfile(page, target)
            (site / "assets").mkdir()
            shutil.copyfile(self.templates / SCREEN_CSS, site / "assets" / "screen.css")
            (site / "figures").symlink_to(figures.resolve(), target_is_directory=True)
            self._submit("page", self._check_page, target, name)

    def site(self, site: Path) -> None:
        """Check every page of a site as it will be published (the site stage's folder,
        which the QA stage checks): those checked before pass from the memo."""
        for page in sorted(site.rglob("*.html")):
            name = page.relative_to(site).as_posix()
            with self._asking(name):
                self._submit("page", self._check_page, page, name)

    def pdf(self, pdf: Path, name: str, print_page: Path) -> None:
        """Check a PDF, to be published as `name`, and its reading order against the print
        page it was made from. Both files must stay as they are until `wait` returns."""
        with self._asking(name):
            self._submit("pdf", self._check_pdf, pdf, name, print_page)

    @contextlib.contextmanager
    def _asking(self, name: str) -> Iterator[None]:
        """Asking for a check never fails the build: what cannot be checked ahead (a file
        gone, a process that cannot start) is logged, and the QA stage checks it."""
        try:
            yield
        except Exception as exc:
            self.log(f"qa ahead: {name}: not checked ahead ({exc})")

    def wait(self, kind: str | None = None) -> None:
        """Wait for every check asked for so far (of pages or of PDFs only, with `kind`
        "page" or "pdf"); a check that broke is only logged."""
        for done, future in list(self._futures):
            if kind is None or done == kind:
                future.result()
        if kind in (None, "pdf") and self._prints:
            import concurrent.futures

            concurrent.futures.wait(list(self._prints.values()))  # one that broke: its PDF says so

    def _started(self) -> _Workers:
        if self._workers is None:
            self._workers = _Workers()
        return self._workers

    def _submit(self, kind: str, check: Callable[..., bool], *args: Any) -> None:
        """Ask for `check(*args)` of a file (`args[0]`, named `args[1]`): a page in the
        browser (the largest of those waiting first), a PDF on the PDFs' thread."""
        name = args[1]

        def guarded() -> bool:
            try:
                if not check(*args):
                    return False
            except Exception as exc:  # the QA stage checks the file itself
                self.log(f"qa ahead: {name}: not checked ahead ({exc})")
                return False
            with self._lock:
                self.passed.append(name)
            return True

        if kind == "page":
            size = args[0].stat().st_size
            self._futures.append((kind, self._in_browser(PAGE, -size, guarded)))
        else:
            self._futures.append((kind, self._started().pdf.submit(guarded)))

    def _in_browser(
        self, kind: int, order: int, work: Callable[..., Any], *args: Any
    ) -> Future[Any]:
        """Run `work(*args)` on the browser's thread. It does one piece of work at a time,
        the most urgent of those waiting: prints first (the PDFs' checks wait for them), in
        the order asked; then pages, by `order`. On two cores the longest page (axe-core
        takes seconds on a long one) is best begun first."""
        from concurrent.futures import Future

        done: Future[Any] = Future()
        workers = self._started()
        with self._lock:
            rank = (kind, order)
            heapq.heappush(self._browser_work, (rank, next(self._asked), lambda: work(*args), done))
        workers.browser.submit(self._most_urgent)
        return done

    def _most_urgent(self) -> None:
        """On the browser's thread: the most urgent piece of work waiting."""
        with self._lock:
            _, _, work, done = heapq.heappop(self._browser_work)
        if not done.set_running_or_notify_cancel():
            return
        try:
            done.set_result(work())
        except BaseException as exc:  # its future says so, to whoever waits for it
            done.set_exception(exc)

    def _browser(self) -> Any:
        """This thread's Chromium."""
        from bulletin.qa.axe import Axe

        if getattr(self._browsers, "axe", None) is None:
            self._browsers.axe = Axe().__enter__()
        return self._browsers.axe

    def _close_browser(self) -> None:
        axe = getattr(self._browsers, "axe", None)
        if axe is not None:
            self._browsers.axe = None
            axe.__exit__(None, None, None)

    def _print(self, print_page: Path) -> tuple[str, PrintedPage]:
        """The print page's sha256, and the page as printed with the print stylesheet."""
        from bulletin.qa import PRINT_CSS

        css = (self.templates / PRINT_CSS).read_text(encoding="utf-8")
        return file_sha256(print_page), self._browser().printed(print_page, css)

    def _check_page(self, page: Path, name: str) -> bool:
        """Check a page into the memo unless it is there; whether it passed."""
        from bulletin.qa import check_pages, loads

        store = _memo(self.memo)
        key = store.key("page", page, name, loads(page))
        if store.get(key) is None:
            found, tools = check_pages([(page, name)], self._browser())
            store.put(key, found[name], tools)
        return store.get(key) is not None

    def _check_pdf(self, pdf: Path, name: str, print_page: Path) -> bool:
        """Check a PDF into the memo unless it is there; whether it passed. Its print page
        as printed ahead, if that print page is still the same (else printed here)."""
        from bulletin.qa import PRINT_CSS, check_pdfs, pdf_needs

        store = _memo(self.memo)
        key = store.key("pdf", pdf, name, pdf_needs(self.templates, print_page))
        if store.get(key) is None:
            css = (self.templates / PRINT_CSS).read_text(encoding="utf-8")
            printed = {}
            ahead = self._prints.pop(name, None)
            if ahead is not None:
                digest, shown = ahead.result()
                if digest == file_sha256(print_page):
                    printed[name] = shown
            pages = {name: print_page}
            checker = self._started().checker
            job = checker.submit(check_pdfs, [(pdf, name)], pages, css, None, printed)
            found, tools = job.result()
            store.put(key, found[name], tools)
        return store.get(key) is not None


class _Workers:
    """What checks ahead: the browser's thread, the PDFs' thread, the process that checks
    the PDFs (its imports started at once) and a folder for the pages laid out."""

    def __init__(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

        self.browser = ThreadPoolExecutor(1, thread_name_prefix="qa-ahead-browser")
        self.pdf = ThreadPoolExecutor(1, thread_name_prefix="qa-ahead-pdf")
        self.checker = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_die_with,
            initargs=(os.getpid(),),
        )
        self.checker.submit(_ready)
        self.folder = Path(tempfile.mkdtemp(prefix="qa-ahead-"))

    def close(self, in_each_thread: Callable[[], None]) -> None:
        """Run `in_each_thread` last in each thread, and stop them all."""
        for thread in (self.browser, self.pdf):
            thread.submit(in_each_thread)
            thread.shutdown(wait=True)
        self.checker.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _die_with(parent: int) -> None:
    """In the process that checks the PDFs: end when the build ends, even killed by
    SIGKILL (else it would wait for work forever, holding the build's output open). Linux
    sends the signal when the thread that started this process ends: the build's main
    thread, which lasts the build."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build ended before the signal was asked for
        os._exit(1)


def _memo(folder: Path) -> Memo:
    from bulletin.qa.memo import Memo

    return Memo(folder)


def _ready() -> None:
    """Import what the PDF checks need, so that the first PDF waits for none of it."""
    import pikepdf  # noqa: F401

    import bulletin.qa.pdf  # noqa: F401
