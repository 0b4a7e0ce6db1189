"""Render (accessible formats: audio): the publication read aloud by espeak-ng, as Ogg Opus
with a chapter for each section.

The script (`script`) is what is sent to the speech engine, one chapter for the title
and each level-2 section. It is the publication's text, said as a person would say it:

- numbers are left as printed, which espeak-ng reads as a person would ("1.6 million",
  "341.0" as "341 point 0", "10,000" as "10 thousand"); a reporting or academic year
  ("2016-17", "2017/18") is read as two years ("2016 17"), a date as "18th June 2019";
- a GSS symbol standing for a value ("c", "x", "z", "low", "u") is read as its meaning;
  an abbreviation in capitals ("CIN", "CLA") is spelt out, letter by letter; an arrow
  between statuses (">") is read "then";
- a figure is its caption and its alt text: its table, read next, gives its values;
- a table of at most `LONG_TABLE` rows is read row by row, each value after its column
  header; a longer table is summarised: its size, its columns, its first row and where
  every row is (the text version, the web page and the PDF's page).

Each chapter is spoken into a WAV file (`espeak-ng -w`, byte-identical run to run); the
chapters are joined and encoded once with `opusenc`, with a fixed stream serial (else it
is random) and the chapters as Vorbis comments (CHAPTER001=00:00:00.000,
CHAPTER001NAME=...), which players read as chapter marks. The bytes are the same for the
same script, engine and encoder.
"""

from __future__ import annotations

import re
import subprocess
import wave
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from bulletin.core.formatting import symbol_meaning
from bulletin.core.symbols import Symbol
from bulletin.render.formats import Job
from bulletin.render.formats.document import Block, Document, Figure, Heading, Paragraph, Table

SUFFIX = ".opus"
VOICE = "en-gb"
WORDS_PER_MINUTE = 165
BITRATE = 24  # kbit/s: clear speech, mono
COMPLEXITY = 5  # opusenc's 10 takes 3 times as long for the same speech
FRAME = 60  # ms: speech's usual Opus frame; a third less CPU than 20 ms, for the same size
WORKERS = 2  # chapters spoken at once
WHOLE = "speech.wav"  # in the work folder: the whole speech, before it is encoded
LONG_TABLE = 20  # rows: a longer table is summarised, not read row by row
SAID_AS_WORDS = {"NEET"}  # abbreviations read as a word, not letter by letter
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@dataclass(frozen=True)
class Chapter:
    title: str
    text: str  # what the speech engine is given (plain text)


# -- what is said ------------------------------------------------------------------------

_YEAR_PAIR = re.compile(r"\b((?:19|20)\d\d)[-/](\d\d)\b")
_DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTHS})\b")
_CAPITALS = re.compile(r"\b([A-Z]{2,5})(\d*)\b")
_ARROW = re.compile(r"\s+>\s+")
_SYMBOLS = {s.value for s in Symbol}


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def _spell(match: re.Match[str]) -> str:
    letters, digits = match.group(1), match.group(2)
    said = letters if letters in SAID_AS_WORDS else " ".join(letters)
    return f"{said} {digits}" if digits else said


def spoken(text: str) -> str:
    """`text` as it is sent to the speech engine (see the module doc)."""
    text = _YEAR_PAIR.sub(r"\1 \2", text)
    text = _DATE.sub(lambda m: f"{_ordinal(int(m.group(1)))} {m.group(2)}", text)
    text = _ARROW.sub(" then ", text)
    text = _CAPITALS.sub(_spell, text)
    return " ".join(text.replace("[", "").replace("]", "").split())


def value(text: str) -> str:
    """A table cell as said: a GSS symbol as its meaning, else the text (`spoken`)."""
    return symbol_meaning(text) if text in _SYMBOLS else spoken(text)


def script(doc: Document) -> list[Chapter]:
    """The chapters of the recording: the title's, then one for each level-2 section."""
    chapters: list[Chapter] = []
    for title, blocks in doc.sections():
        said = list(_said(blocks, doc))
        if not chapters:
            said.insert(1, _opening(doc))
        chapters.append(Chapter(spoken(title), "\n\n".join(s for s in said if s)))
    return chapters


def _opening(doc: Document) -> str:
    sections = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    return spoken(
        f"This is the audio version of {doc.title}, published by the {doc.author}, read by "
        f"a speech synthesiser. Each section is a chapter. Short tables are read row by "
        f"row; long tables are summarised, and every row is in the text version. "
        f"The sections are: {'; '.join(sections)}."
    )


def _said(blocks: Sequence[Block], doc: Document) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Heading):
            yield spoken(block.text) + "."
        elif isinstance(block, Paragraph):
            yield spoken(block.text)
        elif isinstance(block, Figure):
            yield spoken(f"Chart: {block.caption}.")  # its table is read next
            yield spoken(block.alt)
        elif isinstance(block, Table):
            yield table_said(block, doc)


def table_said(table: Table, doc: Document) -> str:
    """A table as said: row by row when short, else a summary saying where it is whole."""
    size = f"It has {len(table.rows)} rows, by {table.headers[0]}, and these columns: "
    size += "; ".join(table.headers[1:]) + "."
    said = [f"Table: {spoken(table.caption)}.", spoken(size)]
    rows = table.rows if len(table.rows) <= LONG_TABLE else table.rows[:1]
    if len(table.rows) > LONG_TABLE:
        where = f" and on page {table.page} of the PDF" if table.page else " and in the PDF"
        said.append(
            spoken(
                f"The table is too long to read out: every row is in the text version of "
                f"this publication, in the table on the web page{where}. Its first row:"
            )
        )
    for row in rows:
        cells = [
            f"{spoken(column)}: {value(text)}."
            for column, text in zip(table.headers[1:], row.cells, strict=False)
        ]
        said.append(f"{spoken(row.header)}. " + " ".join(cells))
    if len(table.rows) <= LONG_TABLE:
        said.append("End of table.")
    return "\n".join(said)


# -- speaking and encoding ---------------------------------------------------------------


def ssml(chapter: Chapter) -> str:
    """A chapter as the SSML espeak-ng reads: each block a paragraph, a pause between."""
    paragraphs = [f"<p>{escape(part)}</p>" for part in chapter.text.split("\n") if part.strip()]
    body = '<break time="700ms"/>'.join(paragraphs)
    return f"<speak>{body}</speak>"


def speak(chapter: Chapter, wav: Path) -> None:
    source = wav.with_suffix(".ssml")
    source.write_text(ssml(chapter), encoding="utf-8")
    command = ["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-m", "-f", str(source)]
    run = subprocess.run([*command, "-w", str(wav)], capture_output=True, text=True, check=False)
    if run.returncode != 0 or not wav.is_file():
        raise RuntimeError(f"espeak-ng failed ({run.returncode}): {run.stderr.strip()}")


def timestamp(seconds: float) -> str:
    """HH:MM:SS.mmm, as chapter comments give a time."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def join(parts: Sequence[Path], target: Path) -> list[float]:
    """Join WAV files of one format into `target`; the start of each part, in seconds."""
    starts: list[float] = []
    frames = 0
    with wave.open(str(target), "wb") as out:
        for i, part in enumerate(parts):
            with wave.open(str(part), "rb") as one:
                if i == 0:
                    out.setparams(one.getparams())
                    rate = one.getframerate()
                starts.append(frames / rate)
                data = one.readframes(one.getnframes())
                frames += one.getnframes()
                out.writeframes(data)
    return starts


def serial(doc: Document) -> int:
    """The Ogg stream serial: fixed for the publication (opusenc picks a random one)."""
    return zlib.crc32(doc.id.encode()) & 0x7FFFFFFF


def encode(
    doc: Document, chapters: Sequence[Chapter], wav: Path, starts: Sequence[float], target: Path
) -> None:
    comments: list[str] = []
    for n, (chapter, start) in enumerate(zip(chapters, starts, strict=True), start=1):
        comments += ["--comment", f"CHAPTER{n:03d}={timestamp(start)}"]
        comments += ["--comment", f"CHAPTER{n:03d}NAME={chapter.title}"]
    command = [
        "opusenc",
        "--quiet",
        "--serial",
        str(serial(doc)),
        "--bitrate",
        str(BITRATE),
        "--comp",
        str(COMPLEXITY),
        "--framesize",
        str(FRAME),
        "--title",
        doc.title,
        "--artist",
        doc.author,
        "--album",
        doc.description,
        "--date",
        doc.date,
        "--comment",
        f"LANGUAGE={doc.lang}",
        *comments,
        str(wav),
        str(target),
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"opusenc failed ({run.returncode}): {run.stderr.strip()}")


def write(job: Job) -> Path:
    doc, work = job.doc, job.work
    path = job.folder / f"{doc.id}{SUFFIX}"
    chapters = script(doc)
    parts = [work / f"chapter-{n:03d}.wav" for n in range(1, len(chapters) + 1)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(speak, chapters, parts))
    whole = work / WHOLE
    starts = join(parts, whole)
    encode(doc, chapters, whole, starts, path)
    return path
