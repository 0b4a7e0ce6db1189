"""The cached pipeline on a small two-stage example: skip what has not changed, rerun
exactly what depends on a change, detect and rebuild damaged outputs."""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from pathlib import Path

import pytest

from bulletin.core.cache import Pipeline, Stage, StageError, StageRun, code_digest


class Example:
    """Stage `upper` reads a.txt; stage `join` reads upper's output and b.txt."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.a = root / "a.txt"
        self.b = root / "b.txt"
        self.a.write_text("hello")
        self.b.write_text("world")
        self.settings = {"separator": " "}
        self.ran: list[str] = []
        self.log: list[str] = []
        self.pipeline = Pipeline(root / "cache", log=self.log.append)

    def stages(self) -> list[Stage]:
        def upper(ctx: StageRun) -> None:
            self.ran.append("upper")
            (ctx.out / "upper.txt").write_text(self.a.read_text().upper())

        def join(ctx: StageRun) -> None:
            self.ran.append("join")
            first = (ctx.upstream["upper"] / "upper.txt").read_text()
            text = first + self.settings["separator"] + self.b.read_text()
            (ctx.out / "joined.txt").write_text(text)

        return [
            Stage("upper", upper, ("upper.txt",), inputs={"a": self.a}),
            Stage(
                "join",
                join,
                ("joined.txt",),
                inputs={"b": self.b},
                settings=dict(self.settings),
                after=("upper",),
            ),
        ]

    def run(self) -> list[str]:
        self.ran.clear()
        self.log.clear()
        results = self.pipeline.run(self.stages())
        self.output = (results["join"].out / "joined.txt").read_text()
        self.upper_out = results["upper"].out
        return list(self.ran)


@pytest.fixture
def example(tmp_path: Path) -> Example:
    return Example(tmp_path)


def test_first_run_runs_both_stages(example: Example) -> None:
    assert example.run() == ["upper", "join"]
    assert example.output == "HELLO world"


def test_second_run_with_nothing_changed_runs_nothing(example: Example) -> None:
    example.run()
    assert example.run() == []
    assert [line.split(":")[0] for line in example.log if "skipped" in line] == ["upper", "join"]
    assert example.output == "HELLO world"


def test_changing_a_downstream_input_reruns_only_that_stage(example: Example) -> None:
    example.run()
    example.b.write_text("there")
    assert example.run() == ["join"]
    assert example.output == "HELLO there"


def test_changing_an_upstream_input_reruns_both(example: Example) -> None:
    example.run()
    example.a.write_text("goodbye")
    assert example.run() == ["upper", "join"]
    assert example.output == "GOODBYE world"


def test_an_upstream_rerun_with_identical_output_does_not_rerun_downstream(
    example: Example,
) -> None:
    example.run()
    example.a.write_text("HELLO")  # upper's output stays "HELLO"
    assert example.run() == ["upper"]


def test_changing_a_setting_reruns_the_stage_that_declares_it(example: Example) -> None:
    example.run()
    example.settings["separator"] = ", "
    assert example.run() == ["join"]
    assert example.output == "HELLO, world"


def test_going_back_to_an_earlier_input_uses_its_cached_outputs(example: Example) -> None:
    example.run()
    example.b.write_text("there")
    example.run()
    example.b.write_text("world")
    assert example.run() == []
    assert example.output == "HELLO world"


def test_the_version_used_last_is_kept_not_the_one_made_last(example: Example) -> None:
    """Two versions of a stage are kept: the one a run used and the one used before it.
    An author tries a wording, goes back, tries another, goes back: the original is the
    one used before each trial, and is never made again, however long ago it was made."""
    example.run()  # the original
    for trial in ("there", "you", "all"):
        example.b.write_text(trial)
        assert example.run() == ["join"]
        example.b.write_text("world")
        assert example.run() == []  # back to the original, from the cache
    assert example.output == "HELLO world"
    assert len(list((example.root / "cache/stages/join").iterdir())) == 2


def test_older_versions_are_deleted_when_the_run_ends_not_while_it_goes_on(
    example: Example,
) -> None:
    """A third version of `upper`: while `join` runs, the two before it are still there;
    once the run ends, only the new one and the one used before it are."""
    upper = example.root / "cache/stages/upper"
    seen: list[int] = []
    stages = example.stages
    for text in ("one", "two"):
        example.a.write_text(text)
        example.run()

    def watched() -> list[Stage]:
        first, join = stages()

        def run(ctx: StageRun) -> None:
            seen.append(len(list(upper.iterdir())))
            join.run(ctx)

        return [first, dataclasses.replace(join, run=run)]

    example.stages = watched  # type: ignore[method-assign]
    example.a.write_text("three")
    assert example.run() == ["upper", "join"]
    assert seen == [3]
    assert sorted(p.read_text() for p in upper.glob("*/upper.txt")) == ["THREE", "TWO"]


def test_a_damaged_cached_output_is_detected_and_rebuilt(example: Example) -> None:
    example.run()
    (example.upper_out / "upper.txt").write_text("HELXO")  # same size, different bytes
    assert example.run() == ["upper"]  # rebuilt to the same bytes, so join is still valid
    assert any("damaged" in line for line in example.log)
    assert (example.upper_out / "upper.txt").read_text() == "HELLO"


def test_a_missing_cached_output_is_rebuilt(example: Example) -> None:
    example.run()
    (example.upper_out / "upper.txt").unlink()
    assert example.run() == ["upper"]


def test_a_damaged_manifest_is_rebuilt(example: Example) -> None:
    example.run()
    (example.upper_out / ".manifest.json").write_text("{not json")
    assert example.run() == ["upper"]


def test_a_failing_stage_leaves_the_cache_as_it_was(example: Example) -> None:
    example.run()
    before = sorted(p.relative_to(example.root) for p in (example.root / "cache").rglob("*"))

    def broken(ctx: StageRun) -> None:
        (ctx.out / "upper.txt").write_text("half")
        raise RuntimeError("boom")

    example.a.write_text("changed")
    with pytest.raises(RuntimeError, match="boom"):
        example.pipeline.run([Stage("upper", broken, ("upper.txt",), inputs={"a": example.a})])
    after = sorted(
        p.relative_to(example.root)
        for p in (example.root / "cache").rglob("*")
        if p.name != "file-hashes.json"
    )
    assert after == [p for p in before if p.name != "file-hashes.json"]


def test_a_stage_must_write_what_it_declares(example: Example) -> None:
    def lazy(ctx: StageRun) -> None:
        pass

    with pytest.raises(StageError, match=r"did not write upper\.txt"):
        example.pipeline.run([Stage("upper", lazy, ("upper.txt",))])


def test_a_stage_cannot_run_before_what_it_reads(example: Example) -> None:
    _, join = example.stages()
    with pytest.raises(StageError, match="runs after upper"):
        example.pipeline.run([join])


def test_a_code_change_reruns_the_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "examplecode"
    package.mkdir()
    (package / "__init__.py").write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    ran: list[int] = []

    def stage() -> Stage:
        def run(ctx: StageRun) -> None:
            ran.append(1)
            (ctx.out / "o.txt").write_text("x")

        return Stage("coded", run, ("o.txt",), code=("examplecode",))

    pipeline = Pipeline(tmp_path / "cache")
    pipeline.run([stage()])
    pipeline.run([stage()])
    assert len(ran) == 1
    (package / "__init__.py").write_text(textwrap.dedent("VERSION = 2\n"))
    pipeline.run([stage()])
    assert len(ran) == 2
    sys.modules.pop("examplecode", None)


def test_a_package_without_a_subpackage_ignores_only_that_subpackage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "pkg - pkg.sub" is every file of pkg but those under pkg/sub: a change there moves
    the digest of pkg alone; a change elsewhere in pkg moves both."""
    package = tmp_path / "layered"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("A = 1\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "one.py").write_text("B = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    whole, without = "layered", "layered - layered.sub"
    before = code_digest(whole), code_digest(without)
    assert before[0] != before[1]

    (package / "sub" / "two.py").write_text("C = 1\n")  # a new module in the subpackage
    assert code_digest(whole) != before[0]
    assert code_digest(without) == before[1]

    (package / "__init__.py").write_text("A = 2\n")
    assert code_digest(without) != before[1]
    with pytest.raises(StageError, match="is not in layered"):
        code_digest("layered - other.sub")
    with pytest.raises(StageError, match=r"cannot find the package layered\.none"):
        code_digest("layered - layered.none")
    sys.modules.pop("layered", None)


def test_a_system_component_change_reruns_exactly_the_stages_that_name_it(
    tmp_path: Path,
) -> None:
    ran: list[str] = []

    def stage(name: str, system: tuple[str, ...]) -> Stage:
        def run(ctx: StageRun) -> None:
            ran.append(name)
            (ctx.out / "o.txt").write_text(name)

        return Stage(name, run, ("o.txt",), system=system)

    stages = [stage("data", ()), stage("pdf", ("fonts", "pango")), stage("qa", ("chromium",))]
    machine = {"fonts": "3 files", "pango": "1.50", "chromium": "156", "espeak-ng": "1.51"}

    def build(**changed: str) -> list[str]:
        ran.clear()
        Pipeline(tmp_path / "cache", system=machine | changed).run(stages)
        return list(ran)

    assert build() == ["data", "pdf", "qa"]
    assert build() == []
    assert build(fonts="4 files") == ["pdf"]
    assert build(fonts="4 files", chromium="157") == ["qa"]
    assert build(fonts="4 files", chromium="157", pango="1.51") == ["pdf"]
    assert build(fonts="4 files", chromium="157", pango="1.51", **{"espeak-ng": "1.52"}) == []


def test_a_stage_cannot_depend_on_a_component_that_was_not_read(tmp_path: Path) -> None:
    stage = Stage("pdf", lambda ctx: None, (), system=("fonts", "pango"))
    with pytest.raises(StageError, match="system components pango, which were not read"):
        Pipeline(tmp_path / "cache", system={"fonts": "3 files"}).run([stage])


def test_starting_is_told_of_each_stage_about_to_run_and_of_none_skipped(
    example: Example,
) -> None:
    told: list[str] = []
    example.pipeline.run(example.stages(), starting=lambda stage: told.append(stage.name))
    assert told == ["upper", "join"]
    told.clear()
    example.b.write_text("there")
    example.pipeline.run(example.stages(), starting=lambda stage: told.append(stage.name))
    assert told == ["join"]
