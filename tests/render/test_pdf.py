"""WeasyPrint through the virtual base URL: tagged PDF/UA-1, location-independent bytes, no
network, and every warning caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin.render.pdf import write_pdf

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#12436D"/></svg>'
PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>T</title>
<meta name="dcterms.created" content="2019-06-18T00:00:00+00:00">
<link rel="stylesheet" href="../assets/print.css"></head>
<body><main><h1>T</h1><figure><img src="../figures/f.svg" alt="A blue box"><figcaption>F</figcaption></figure></main></body></html>"""


def folder(root: Path) -> dict[str, Path]:
    (root / "figures").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "figures" / "f.svg").write_text(SVG, encoding="utf-8")
    (root / "assets" / "print.css").write_text("@page { size: A4; }", encoding="utf-8")
    return {"figures/": root / "figures", "assets/": root / "assets"}


def test_the_same_page_from_two_folders_gives_the_same_bytes(tmp_path: Path) -> None:
    one = write_pdf(PAGE, "report/t.html", folder(tmp_path / "one"))
    two = write_pdf(PAGE, "report/t.html", folder(tmp_path / "a" / "different" / "place"))
    assert one.warnings == two.warnings == ()
    assert one.pdf == two.pdf
    assert one.pages == 1
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(one.pdf)) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20190618000000")


def test_a_missing_alt_text_is_caught(tmp_path: Path) -> None:
    page = PAGE.replace(' alt="A blue box"', "")
    result = write_pdf(page, "report/t.html", folder(tmp_path))
    assert result.warnings == (
        'ERROR: Image "https://bulletin.invalid/figures/f.svg" has no required alt description',
    ) or any("has no required alt description" in w for w in result.warnings)


def test_an_unsupported_css_property_is_caught(tmp_path: Path) -> None:
    folders = folder(tmp_path)
    (tmp_path / "assets" / "print.css").write_text("p { colour: red; }", encoding="utf-8")
    result = write_pdf(PAGE, "report/t.html", folders)
    assert any("colour" in w for w in result.warnings)


def test_nothing_is_fetched_from_outside_the_given_folders(tmp_path: Path) -> None:
    folders = folder(tmp_path)
    secret = tmp_path / "secret.svg"
    shutil.copy(tmp_path / "figures" / "f.svg", secret)
    for src in ("../figures/../secret.svg", "https://example.org/f.svg", f"file://{secret}"):
        page = PAGE.replace("../figures/f.svg", src)
        result = write_pdf(page, "report/t.html", folders)
        assert any("Failed to load image" in w for w in result.warnings), src


def test_the_garbage_collector_is_paused_only_while_rendering(tmp_path: Path) -> None:
    import gc

    folders = folder(tmp_path)
    assert gc.isenabled()
    write_pdf(PAGE, "report/t.html", folders)
    assert gc.isenabled()  # switched back on
    gc.disable()  # a caller that manages the collector itself keeps it off
    try:
        write_pdf(PAGE, "report/t.html", folders)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(AttributeError):  # a folder given as text, not a Path: the render fails
        write_pdf(PAGE, "report/t.html", {"figures/": "figures"})  # type: ignore[dict-item]
    assert gc.isenabled()  # switched back on after a failed render too
