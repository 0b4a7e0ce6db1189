"""Review (images): before, after and difference images of a changed page or chart.

PDF pages are drawn by poppler's `pdftoppm`; a chart's SVG is first laid on a page of its
own size by WeasyPrint (which draws the PDF too), then drawn the same way. On a changed
page, the words the text diff found are shaded where `pdftotext -bbox-layout` put them:
removed words red on the old page, added words yellow on the new page (the difference
image), each line with a magenta bar at the left edge, so that the text stays readable and
a word that only moved is not marked. A chart's difference image is the new chart faded,
with every pixel that changed in magenta. Pillow and NumPy do the pixel work.
"""

from __future__ import annotations

import base64
import io
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.review.pdf import Box, page_png

if TYPE_CHECKING:
    from PIL import Image

RESOLUTION = 110  # dots per inch for PDF pages: 9 pt text stays readable
CHART_RESOLUTION = 144
THRESHOLD = 24  # a pixel changed when a channel moved by more than this
BAND = 2  # pixels of margin around a marked word
TINT = (255, 226, 110)  # added words are multiplied by this yellow (dark text stays dark)
REMOVED_TINT = (255, 190, 190)  # removed words, on the old page, by this red
MARK = (204, 0, 102)  # a bar at the left edge beside each marked line; changed chart pixels
BAR = 10  # pixels
_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"', re.S)


@dataclass(frozen=True)
class Triptych:
    """Before, after and difference, as PNG bytes (an empty side is a missing page)."""

    before: bytes
    after: bytes
    difference: bytes
    changed_share: float  # of the pixels of the larger image


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def pages(
    old_pdf: Path,
    old_page: int | None,
    new_pdf: Path,
    new_page: int | None,
    old_marks: Sequence[tuple[int, Box]],
    new_marks: Sequence[tuple[int, Box]],
) -> Triptych:
    """A changed page: the old page with its removed words shaded red, the new page, and
    the new page with its added words shaded yellow (the difference image)."""
    from PIL import Image

    before = (
        _marked(_drawn(old_pdf, old_page), old_page, old_marks, REMOVED_TINT) if old_page else None
    )
    after = _drawn(new_pdf, new_page) if new_page else None
    marked = _marked(after, new_page, new_marks, TINT) if after and new_page else None
    shown = marked or before or Image.new("RGB", (1, 1), "white")
    return Triptych(
        _png(before) if before else b"",
        _png(after) if after else b"",
        _png(shown),
        _share(shown),
    )


def _drawn(pdf: Path, page: int | None) -> Image.Image:
    return _open(page_png(pdf, page or 1, RESOLUTION))


def _marked(
    image: Image.Image,
    page: int | None,
    marks: Sequence[tuple[int, Box]],
    tint: tuple[int, int, int],
) -> Image.Image:
    """The page's image with each marked word (its box, in points) tinted, and a bar at the
    left edge beside it."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image, dtype=np.float64).copy()
    scale = RESOLUTION / 72
    for where, (x0, y0, x1, y1) in marks:
        if where != page:
            continue
        rows = slice(max(0, int(y0 * scale) - BAND), int(y1 * scale) + BAND)
        columns = slice(max(0, int(x0 * scale) - BAND), int(x1 * scale) + BAND)
        pixels[rows, columns] *= np.array(tint) / 255.0
        pixels[rows, :BAR] = MARK
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def _share(image: Image.Image) -> float:
    """The share of the image's rows that carry the mark."""
    import numpy as np

    bar = np.asarray(image)[:, 0]
    return float((bar == np.array(MARK)).all(axis=1).mean())


def charts(old_svg: bytes | None, new_svg: bytes | None) -> Triptych:
    before = svg_png(old_svg) if old_svg else b""
    after = svg_png(new_svg) if new_svg else b""
    return triptych(before, after)


def svg_png(svg: bytes) -> bytes:
    """An SVG drawn as a PNG, at its own size."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    match = _SIZE.search(svg[:4000].decode("utf-8", "replace"))
    width, height = (
        (f"{match[1]}{match[2] or 'px'}", f"{match[3]}{match[4] or 'px'}")
        if match
        else ("16cm", "12cm")
    )
    page = (
        f"<style>@page {{ size: {width} {height}; margin: 0 }} body {{ margin: 0 }}"
        f" img {{ display: block; width: {width}; height: {height} }}</style>"
        f'<img alt="" src="data:image/svg+xml;base64,{base64.b64encode(svg).decode("ascii")}">'
    )
    with tempfile.TemporaryDirectory(prefix="bulletin-diff-") as folder:
        pdf = Path(folder) / "chart.pdf"
        HTML(string=page, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf(pdf)
        return page_png(pdf, 1, CHART_RESOLUTION)


def triptych(before: bytes, after: bytes) -> Triptych:
    """Two versions of a chart, and the new one faded with every changed pixel in magenta."""
    import numpy as np
    from PIL import Image

    old, new = _open(before), _open(after)
    width, height = max(old.width, new.width), max(old.height, new.height)
    a = np.asarray(_padded(old, width, height), dtype=np.int16)
    b = np.asarray(_padded(new, width, height), dtype=np.int16)
    changed = (np.abs(a - b) > THRESHOLD).any(axis=2)
    faded = 170 + b.mean(axis=2, keepdims=True).repeat(3, axis=2) * 85 / 255
    faded[changed] = MARK
    return Triptych(
        _png(old) if before else b"",
        _png(new) if after else b"",
        _png(Image.fromarray(faded.astype(np.uint8), "RGB")),
        float(changed.mean()) if changed.size else 0.0,
    )


def _open(png: bytes) -> Image.Image:
    from PIL import Image

    if not png:
        return Image.new("RGB", (1, 1), "white")
    return Image.open(io.BytesIO(png)).convert("RGB")


def _padded(image: Image.Image, width: int, height: int) -> Image.Image:
    from PIL import Image

    if image.size == (width, height):
        return image
    canvas = Image.new("RGB", (width, height), "white")
    canvas.paste(image, (0, 0))
    return canvas


def _png(image: Image.Image) -> bytes:
    """A small PNG: 64 colours are plenty for text and charts."""
    out = io.BytesIO()
    image.quantize(colors=64).save(out, format="PNG", optimize=False)
    return out.getvalue()
