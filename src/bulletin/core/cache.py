"""Core: cached stages. A stage runs only when what it reads has changed.

Each `Stage` declares its inputs (files or folders), the settings it depends on, the code
it runs (module names, whose source is hashed), the system components it depends on (names
of `bulletin.core.system.COMPONENTS`, whose values the pipeline is given, read once per
build) and the stages whose outputs it reads. Its key is a hash of all of those; upstream
stages count by the digest of their outputs, so a stage that reruns with identical results
does not rerun what follows it.

Outputs live in ``<cache>/stages/<name>/<key>/`` beside a manifest of their sizes and
sha256 digests. A stage is skipped when that folder exists and verifies; a damaged or
missing output is detected and the stage rebuilt. A stage writes into a private temporary
folder that is renamed into place only when complete, so an interrupted run (even by
`kill -9`) leaves either the old entry or the new one, never half of one; old entries are
renamed aside before they are deleted, and what killed runs left behind is cleaned at the
start of the next run (`bulletin.core.atomic`). `file-hashes.json` is written atomically.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bulletin.core.atomic import (
    atomic_write_text,
    clean_leftovers,
    discard,
    kill_point,
    sibling,
    swap_in,
)

MANIFEST = ".manifest.json"
#: Cached entries kept per stage: the one the run used and the one used before it (an
#: entry's folder is touched when a run uses it from the cache: `_prune`).
KEEP_PER_STAGE = 2
TIMINGS = "timings.json"  # in the cache: the seconds each stage took the last time it ran


class StageProgress(Protocol):
    """Told when a stage starts running (with the seconds it took the last time it ran, if
    it ever did) and when it is done; a live display on a terminal (`bulletin.core.progress`)."""

    def started(self, stage: str, estimate: float | None) -> None: ...

    def finished(self, stage: str, seconds: float) -> None: ...


@dataclass(frozen=True)
class StageRun:
    """What a running stage gets: where to write, and where its upstream outputs are."""

    out: Path
    upstream: Mapping[str, Path]


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[StageRun], None]
    outputs: tuple[str, ...]
    inputs: Mapping[str, Path] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    code: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    system: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageResult:
    name: str
    key: str
    ran: bool
    out: Path
    digest: str  # digest of the outputs, which downstream keys include
    seconds: float


class StageError(RuntimeError):
    """A stage failed or broke its contract; the cache is left as it was."""


class Pipeline:
    """Runs stages in order against one cache folder."""

    def __init__(
        self,
        cache: Path,
        log: Callable[[str], None] = lambda _: None,
        progress: StageProgress | None = None,
        *,
        system: Mapping[str, str] | None = None,
    ) -> None:
        self.cache = cache
        self.log = log
        self.system = dict(system or {})  # the system components' values, by name
        self.progress = progress
        self._hashes = FileHashes(cache / "file-hashes.json")
        self._timings: dict[str, float] = {}
        with contextlib.suppress(OSError, ValueError):
            self._timings = dict(json.loads((cache / TIMINGS).read_text(encoding="utf-8")))
        self._depth = 0

    def run(
        self,
        stages: Sequence[Stage],
        done: Callable[[StageResult, Mapping[str, StageResult]], None] | None = None,
        starting: Callable[[Stage], None] | None = None,
    ) -> dict[str, StageResult]:
        """Run `stages` in order, each unless its outputs are cached; `starting` is told of
        each stage about to run (not of one skipped), `done` of each stage's result (and
        the results so far) as soon as it has one."""
        results: dict[str, StageResult] = {}
        with self.locked():
            try:
                for stage in stages:
                    results[stage.name] = self._run_one(stage, results, starting)
                    if done is not None:
                        done(results[stage.name], results)
            finally:
                self._hashes.save()
                ran = {name: round(r.seconds, 2) for name, r in results.items() if r.ran}
                if ran:
                    self._timings |= ran
                    atomic_write_text(
                        self.cache / TIMINGS, json.dumps(self._timings, indent=1, sort_keys=True)
                    )
                # each stage that ran: its older entries, deleted now, not while later
                # stages ran (deleting the site's previous folder, hundreds of files, took
                # half a second beside the checks of the PDF and the page)
                for result in (r for r in results.values() if r.ran):
                    try:
                        _prune(result.out.parent, keep=result.out)
                    except OSError as exc:  # never hides how the run ended
                        self.log(f"{result.name}: older cached outputs not deleted ({exc})")
        return results

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cache's lock (one build at a time per cache; re-entrant). Taking it
        first cleans up what killed runs left in the cache."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        with _locked(self.cache / ".lock"):
            self._depth = 1
            try:
                self.clean()
                yield
            finally:
                self._depth = 0

    def clean(self) -> list[Path]:
        """Delete the leftovers of killed runs: temporary stage folders and files."""
        folders = [self.cache, *self.cache.glob("*/"), *self.cache.glob("stages/*/")]
        return [path for folder in sorted(folders) for path in clean_leftovers(folder)]

    def check(
        self, name: str, inputs: Mapping[str, Path], code: tuple[str, ...], run: Callable[[], None]
    ) -> bool:
        """Run a check that writes nothing (such as validating input data) unless it passed
        before on exactly these inputs and code; only a pass is remembered. True if it ran."""
        key = self.key(Stage(name, lambda _: None, (), inputs, code=code), {})
        memo = self.cache / "checks" / name
        with contextlib.suppress(OSError):
            if memo.read_text(encoding="utf-8") == key:
                self.log(f"{name}: skipped, passed before ({key[:12]})")
                return False
        run()
        self.log(f"{name}: passed ({key[:12]})")
        atomic_write_text(memo, key)
        self._hashes.save()
        return True

    def key(self, stage: Stage, results: Mapping[str, StageResult]) -> str:
        missing = [name for name in stage.after if name not in results]
        if missing:
            raise StageError(
                f"stage {stage.name} runs after {', '.join(missing)}, which did not run first"
            )
        parts = {
            "stage": stage.name,
            "inputs": {
                label: self._hashes.digest(path) for label, path in sorted(stage.inputs.items())
            },
            "settings": stage.settings,
            "code": {module: code_digest(module) for module in sorted(stage.code)},
            "after": {name: results[name].digest for name in sorted(stage.after)},
        }
        if stage.system:  # only then, so that the keys of other stages stay as they were
            unknown = [name for name in stage.system if name not in self.system]
            if unknown:
                raise StageError(
                    f"stage {stage.name} depends on the system components {', '.join(unknown)}, "
                    "which were not read"
                )
            parts["system"] = {name: self.system[name] for name in sorted(stage.system)}
        blob = json.dumps(parts, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    def _run_one(
        self,
        stage: Stage,
        results: Mapping[str, StageResult],
        starting: Callable[[Stage], None] | None = None,
    ) -> StageResult:
        start = time.perf_counter()
        key = self.key(stage, results)
        home = self.cache / "stages" / stage.name
        entry = home / key
        upstream = {name: results[name].out for name in stage.after}
        digest = verify(entry, stage.outputs)
        if digest is not None:
            with contextlib.suppress(OSError):  # used now: kept before those used earlier
                os.utime(entry)
            self.log(f"{stage.name}: skipped, outputs cached ({key[:12]})")
            return StageResult(stage.name, key, False, entry, digest, time.perf_counter() - start)
        if entry.exists():
            self.log(f"{stage.name}: cached outputs damaged or incomplete, rebuilding")
        if starting is not None:
            starting(stage)
        if self.progress is not None:
            self.progress.started(stage.name, self._timings.get(stage.name))
        self.log(f"{stage.name}: running")
        home.mkdir(parents=True, exist_ok=True)
        work = sibling(entry, "tmp")
        discard(work)
        work.mkdir()
        try:
            kill_point(f"{stage.name}:start")
            stage.run(StageRun(work, upstream))
            kill_point(f"{stage.name}:ran")
            absent = [name for name in stage.outputs if not (work / name).is_file()]
            if absent:
                raise StageError(f"stage {stage.name} did not write {', '.join(absent)}")
            digest = write_manifest(work)
            kill_point(f"{stage.name}:manifest")
            swap_in(work, entry, stage.name)  # a damaged entry is replaced in one step
            kill_point(f"{stage.name}:entry")
        finally:
            discard(work)
            if self.progress is not None:
                self.progress.finished(stage.name, time.perf_counter() - start)
        seconds = time.perf_counter() - start
        self.log(f"{stage.name}: ran in {seconds:.2f} s ({key[:12]})")
        return StageResult(stage.name, key, True, entry, digest, seconds)


# -- digests -----------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class FileHashes:
    """sha256 of input files, remembered by (size, mtime, inode) so unchanged files are not
    read again (as git's index does)."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self._memo: dict[str, list[Any]] = {}
        self._dirty = False
        with contextlib.suppress(OSError, ValueError):
            self._memo = json.loads(store.read_text(encoding="utf-8"))

    def digest(self, path: Path) -> str:
        """Digest of a file, or of a folder (its files' relative paths and digests)."""
        if path.is_dir():
            lines = [
                f"{p.relative_to(path).as_posix()}\0{self._file(p)}"
                for p in sorted(path.rglob("*"))
                if p.is_file()
            ]
            return hashlib.sha256("\n".join(lines).encode()).hexdigest()
        if path.is_file():
            return self._file(path)
        return "absent"

    def _file(self, path: Path) -> str:
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        name = str(path.resolve())
        known = self._memo.get(name)
        if known is not None and known[:3] == stamp:
            return str(known[3])
        sha = file_sha256(path)
        self._memo[name] = [*stamp, sha]
        self._dirty = True
        return sha

    def save(self) -> None:
        if self._dirty:
            atomic_write_text(self.store, json.dumps(self._memo, sort_keys=True))
            self._dirty = False


#: In a stage's code, "package - subpackage" is the package without that subpackage.
WITHOUT = " - "


def code_digest(module: str) -> str:
    """Digest of a module's source, or of every .py and data file in a package; of
    "package - package.sub", every such file of the package but those of the subpackage
    (for a stage whose code never runs it)."""
    module, _, left_out = module.partition(WITHOUT)
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise StageError(f"cannot find the code of {module}")
    origin = Path(spec.origin)
    if spec.submodule_search_locations:
        skipped: Path | None = None
        if left_out:
            if not left_out.startswith(f"{module}."):
                raise StageError(f"{left_out} is not in {module}")
            skipped = origin.parent.joinpath(*left_out.split(".")[module.count(".") + 1 :])
            if not skipped.is_dir():
                raise StageError(f"cannot find the package {left_out}")
        files = sorted(
            p
            for p in origin.parent.rglob("*")
            if p.is_file()
            and p.suffix in {".py", ".toml", ".json", ".csv"}
            and "__pycache__" not in p.parts
            and (skipped is None or not p.is_relative_to(skipped))
        )
        lines = [f"{p.relative_to(origin.parent).as_posix()}\0{file_sha256(p)}" for p in files]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return file_sha256(origin)


# -- manifests ---------------------------------------------------------------------------


def write_manifest(folder: Path) -> str:
    """Record the size, mtime and sha256 of every file in `folder`; return their digest."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            st = path.stat()
            files[path.relative_to(folder).as_posix()] = {
                "size": st.st_size,
                "mtime_ns": st.st_mtime_ns,
                "sha256": file_sha256(path),
            }
    digest = _outputs_digest(files)
    atomic_write_text(
        folder / MANIFEST, json.dumps({"digest": digest, "files": files}, indent=1, sort_keys=True)
    )
    return digest


def verify(folder: Path, required: Sequence[str]) -> str | None:
    """The outputs' digest if `folder` holds a complete, undamaged entry; else None.

    A file whose size and mtime match its manifest record is trusted; any other is read
    and its sha256 compared.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files: dict[str, dict[str, Any]] = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(name not in files for name in required):
        return None
    for name, record in files.items():
        path = folder / name
        try:
            st = path.stat()
        except OSError:
            return None
        if st.st_size != record["size"]:
            return None
        if st.st_mtime_ns != record["mtime_ns"] and file_sha256(path) != record["sha256"]:
            return None
    digest = _outputs_digest(files)
    return digest if digest == manifest.get("digest") else None


def _outputs_digest(files: Mapping[str, Mapping[str, Any]]) -> str:
    lines = [f"{name}\0{record['sha256']}" for name, record in sorted(files.items())]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# -- housekeeping ------------------------------------------------------------------------


def _prune(home: Path, keep: Path) -> None:
    """Keep `keep` and the entries of a stage used most recently (made, or touched when a
    run found them cached); delete older ones."""
    entries = sorted(
        (p for p in home.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in [p for p in entries if p != keep][KEEP_PER_STAGE - 1 :]:
        discard(old)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache for the whole run (one build at a time)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
