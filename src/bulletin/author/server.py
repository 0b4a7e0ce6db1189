"""Author (preview server): the preview's pages over HTTP on 127.0.0.1, reloaded when they change.

The standard library's threading HTTP server serves the pages from memory (`Site`): the
last pages that built, never files on disk, so nothing outside them can be reached. As a
page is served, and only then, two things are added to it: the problems panel, when the
last rebuild failed or the prose lint finds something, as the first thing in `<main>`;
and the reload script before `</body>`. The files the build writes never hold either, so
published pages stay the same bytes.

The reload script asks `/_preview/wait` whether its page has changed, with the version it
was served with (a digest of the page as served, panel included); the server answers when
it has, or after `WAIT` seconds, and the script reloads the page or asks again.
"""

from __future__ import annotations

import hashlib
import html
import json
import mimetypes
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

HOST = "127.0.0.1"  # the preview is never served beyond this machine
WAIT_PATH = "/_preview/wait"
WAIT = 20.0  # seconds a reload request waits for a change before it is answered anyway
PANEL_ID = "bulletin-preview-problems"
SCRIPT_ID = "bulletin-preview-reload"
TYPES = {".svg": "image/svg+xml", ".csv": "text/csv", ".txt": "text/plain", ".css": "text/css"}

STYLE = f"""<style id="{PANEL_ID}-style">
.bulletin-preview-panel {{ border: 5px solid #d4351c; padding: 15px 20px; margin: 0 0 30px;
  background: #fff; color: #0b0c0c; }}
.bulletin-preview-panel:focus {{ outline: 3px solid #fd0; outline-offset: 0; }}
.bulletin-preview-panel h2 {{ margin-top: 0; }}
.bulletin-preview-panel pre {{ white-space: pre-wrap; background: #f3f2f1; color: #0b0c0c;
  padding: 10px; font-size: 14px; }}
.bulletin-preview-panel .where {{ font-weight: bold; }}
</style>"""

SCRIPT = """<script id="%(id)s">
(function () {
  var version = "%(version)s";
  var panel = document.getElementById("%(panel)s");
  if (panel) { panel.focus(); }
  function wait() {
    var query = "?path=" + encodeURIComponent(location.pathname) + "&version=" + version;
    fetch("%(wait)s" + query, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.version !== version) { location.reload(); } else { wait(); }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
</script>"""


@dataclass(frozen=True)
class Item:
    """One problem as the panel shows it."""

    where: str  # "templates/x/publication.qmd.jinja, line 12, column 5", or ""
    message: str
    quote: str = ""  # the line quoted, with a caret under the column
    hint: str = ""  # the nearest names, or how to fix it


@dataclass(frozen=True)
class Problems:
    title: str
    intro: str
    items: tuple[Item, ...]


@dataclass
class Site:
    """What the preview serves, changed by the rebuilds and read by the server's threads."""

    files: dict[str, bytes] = field(default_factory=dict)  # by path, such as report/x.html
    home: str = ""  # the page "/" leads to
    building: bool = True  # the first build has not finished
    build: Problems | None = None  # why the last rebuild failed
    lint: Problems | None = None  # what the prose lint found
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _versions: dict[str, str] = field(default_factory=dict)

    def update(self, **changes: Any) -> None:
        """Change what is served (`files`, `home`, `building`, `build`, `lint`) and wake
        the pages waiting for a change."""
        with self._changed:
            for name, value in changes.items():
                setattr(self, name, value)
            self._versions.clear()
            self._changed.notify_all()

    def response(self, path: str) -> tuple[HTTPStatus, str, bytes]:
        """The status, type and body served at `path` (the reload script added)."""
        with self._changed:
            status, kind, body = self._unscripted(path)
        if kind.startswith("text/html"):
            body = _with_script(body, self.version(path))
        return status, kind, body

    def version(self, path: str) -> str:
        """A digest of what `path` serves now (without the reload script)."""
        with self._changed:
            if path not in self._versions:
                self._versions[path] = hashlib.sha256(self._unscripted(path)[2]).hexdigest()[:16]
            return self._versions[path]

    def wait(self, path: str, version: str, timeout: float = WAIT) -> str:
        """The version of `path` once it differs from `version`, or after `timeout`."""
        with self._changed:
            self._changed.wait_for(lambda: self.version(path) != version, timeout)
            return self.version(path)

    def _unscripted(self, path: str) -> tuple[HTTPStatus, str, bytes]:
        key = path.lstrip("/")
        problems = [p for p in (self.build, self.lint) if p is not None]
        if key in self.files:
            kind = _type(key)
            body = self.files[key]
            if kind.startswith("text/html"):
                body = _with_panel(body, problems)
            return HTTPStatus.OK, kind, body
        if not self.files:  # nothing has built yet: say why on any page
            title = "The preview is being built" if self.building else "The preview did not build"
            text = (
                "This page reloads by itself when the first build finishes."
                if self.building
                else "This page reloads by itself when a change mends the problem."
            )
            return HTTPStatus.OK, "text/html; charset=utf-8", _page(title, text, problems)
        text = (
            f"The preview makes the web pages and figures only; {key} is made by "
            "bulletin build, which also makes the PDF, the open data and the site's front page."
        )
        return HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", _page("Not in the preview", text)


def make_server(site: Site, port: int) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1:`port` (0: any free port) serving `site`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            if path == WAIT_PATH:
                query = parse_qs(parts.query)
                page = query.get("path", ["/"])[0]
                version = site.wait(page, query.get("version", [""])[0])
                body = json.dumps({"version": version}).encode()
                self._send(HTTPStatus.OK, "application/json", body)
            elif path == "/" and site.home:
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", f"/{site.home}")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(*site.response(path))

        def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Requests are not logged: the terminal shows the rebuilds."""

    server = ThreadingHTTPServer((HOST, port), Handler)
    server.daemon_threads = True
    return server


# -- the page as served -------------------------------------------------------------------


def _with_panel(page: bytes, problems: Sequence[Problems]) -> bytes:
    if not problems:
        return page
    text = page.decode("utf-8")
    panel = _panel(problems)
    text = text.replace("</head>", f"{STYLE}\n</head>", 1)
    main = re.search(r"<main\b[^>]*>", text)
    at = main.end() if main else text.index(">", text.index("<body")) + 1
    return (text[:at] + "\n" + panel + text[at:]).encode("utf-8")


def _with_script(page: bytes, version: str) -> bytes:
    script = SCRIPT % {"id": SCRIPT_ID, "version": version, "panel": PANEL_ID, "wait": WAIT_PATH}
    text = page.decode("utf-8")
    at = text.rfind("</body>")
    return (text[:at] + script + "\n" + text[at:] if at >= 0 else text + script).encode("utf-8")


def _panel(problems: Sequence[Problems]) -> str:
    """The problems as an alert that takes the focus when the page loads: a heading, what
    to do, and each problem with where it is, the line quoted and the hint."""
    parts = [
        f'<div id="{PANEL_ID}" class="bulletin-preview-panel" role="alert" '
        f'aria-labelledby="{PANEL_ID}-title" tabindex="-1">'
    ]
    for number, group in enumerate(problems):
        tag = f' id="{PANEL_ID}-title"' if number == 0 else ""
        parts += [f"<h2{tag}>{html.escape(group.title)}</h2>", f"<p>{html.escape(group.intro)}</p>"]
        parts.append("<ul>")
        for item in group.items:
            where = f'<span class="where">{html.escape(item.where)}</span>: ' if item.where else ""
            parts.append(f"<li><p>{where}{html.escape(item.message)}</p>")
            if item.quote:
                parts.append(f"<pre><code>{html.escape(item.quote)}</code></pre>")
            if item.hint:
                parts.append(f"<p>{html.escape(item.hint)}</p>")
            parts.append("</li>")
        parts.append("</ul>")
    parts.append("</div>")
    return "\n".join(parts)


def _page(title: str, text: str, problems: Sequence[Problems] = ()) -> bytes:
    """A page of the preview itself (not of the publication)."""
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - bulletin preview</title>
<link rel="stylesheet" href="/assets/screen.css">
</head>
<body>
<div class="width-container">
<main id="main-content">
<h1>{html.escape(title)}</h1>
<p>{html.escape(text)}</p>
</main>
</div>
</body>
</html>
"""
    return _with_panel(page.encode("utf-8"), problems)


def _type(path: str) -> str:
    suffix = path[path.rfind(".") :]
    kind = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith("+xml") else kind
