"""The preview's server: pages from memory, the panel and the reload script added only as
they are served, a version per page that changes when the page does, on 127.0.0.1 only."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bulletin.author.server import (
    PANEL_ID,
    SCRIPT_ID,
    WAIT_PATH,
    Item,
    Problems,
    Site,
    make_server,
)

PAGE = b"""<!DOCTYPE html>
<html lang="en-GB"><head><title>A page</title></head>
<body><main id="main-content"><h1>A page</h1><p>First words.</p></main></body></html>
"""
BROKEN = Problems(
    "The preview could not be rebuilt",
    "Fix it.",
    (Item("templates/x/publication.qmd.jinja, line 3, column 7", "m has no 'B99' <b>", "3 | x"),),
)


@pytest.fixture
def served() -> Iterator[tuple[Site, str]]:
    site = Site()
    site.update(files={"report/x.html": PAGE, "figures/f.svg": b"<svg/>"}, home="report/x.html")
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield site, f"http://{host!s}:{port}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_the_server_listens_on_127_0_0_1_only(served: tuple[Site, str]) -> None:
    _, url = served
    assert url.startswith("http://127.0.0.1:")


def test_a_page_gets_the_reload_script_and_the_stored_page_does_not(
    served: tuple[Site, str],
) -> None:
    site, url = served
    status, kind, body = get(f"{url}/report/x.html")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert f'<script id="{SCRIPT_ID}">'.encode() in body
    assert body.index(b"<script") > body.index(b"</main>")
    assert site.files["report/x.html"] == PAGE  # what the build wrote is unchanged
    assert f'var version = "{site.version("/report/x.html")}"'.encode() in body
    # other files are served as they are
    assert get(f"{url}/figures/f.svg") == (200, "image/svg+xml; charset=utf-8", b"<svg/>")


def test_the_front_page_leads_to_the_first_publication(served: tuple[Site, str]) -> None:
    _, url = served
    status, _, body = get(f"{url}/")
    assert status == 200
    assert b"<h1>A page</h1>" in body  # urllib followed the redirect


def test_what_the_preview_does_not_make_is_a_page_that_says_so(served: tuple[Site, str]) -> None:
    _, url = served
    status, _, body = get(f"{url}/report/x.pdf")
    assert status == 404
    assert b"report/x.pdf is made by bulletin build" in body
    assert b'<html lang="en-GB">' in body


def test_problems_show_in_a_panel_first_in_main_escaped(served: tuple[Site, str]) -> None:
    site, url = served
    site.update(build=BROKEN)
    _, _, body = get(f"{url}/report/x.html")
    text = body.decode()
    panel = text.index(f'<div id="{PANEL_ID}"')
    assert text.index('<main id="main-content">') < panel < text.index("<h1>A page</h1>")
    assert 'role="alert"' in text[panel : panel + 200]
    assert "templates/x/publication.qmd.jinja, line 3, column 7" in text
    assert "m has no &#x27;B99&#x27; &lt;b&gt;" in text  # escaped, never markup
    assert "<pre><code>3 | x</code></pre>" in text
    assert "<p>First words.</p>" in text  # the last page that built stays


def test_a_waiting_page_hears_of_a_change_at_once(served: tuple[Site, str]) -> None:
    site, url = served
    version = site.version("/report/x.html")
    answers: list[dict[str, str]] = []

    def wait() -> None:
        _, _, body = get(f"{url}{WAIT_PATH}?path=/report/x.html&version={version}")
        answers.append(json.loads(body))

    waiting = threading.Thread(target=wait)
    waiting.start()
    time.sleep(0.5)
    assert not answers  # nothing changed yet: the request waits
    start = time.perf_counter()
    site.update(files={**site.files, "report/x.html": PAGE.replace(b"First", b"New")})
    waiting.join(timeout=30)
    assert time.perf_counter() - start < 5
    assert answers == [{"version": site.version("/report/x.html")}]
    assert answers[0]["version"] != version


def test_a_change_to_another_page_leaves_a_page_waiting(served: tuple[Site, str]) -> None:
    site, _ = served
    version = site.version("/report/x.html")
    site.update(files={**site.files, "figures/f.svg": b"<svg></svg>"})
    assert site.wait("/report/x.html", version, timeout=0.2) == version


def test_before_the_first_build_every_page_says_it_is_building() -> None:
    site = Site()
    status, _, body = site.response("/report/x.html")
    assert status == 200
    assert b"<h1>The preview is being built</h1>" in body
    site.update(building=False, build=BROKEN)
    _, _, body = site.response("/report/x.html")
    assert b"<h1>The preview did not build</h1>" in body
    assert PANEL_ID.encode() in body
