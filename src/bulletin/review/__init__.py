"""Review (above QA): `bulletin diff`, what changed between two builds, by meaning.

OLD and NEW are build folders or git revisions (each then built in a temporary worktree
that shares the stage cache: `revisions`). They are compared as a reviewer reads them
(DESIGN.md decision 14; `compare`): numbers by id, tables by cell, prose by sentence (a
sentence whose only change is a number is reported once, under numbers), figures by their
data points, PDF pages by their text (a reflow is one shift), files by the manifests.
`report` writes the result for the terminal, as JSON and as an accessible HTML page.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from bulletin.core.problems import InputError, Problem
from bulletin.review.compare import Diff, compare
from bulletin.review.site import Site, open_site

__all__ = ["Diff", "diff"]


def diff(
    old: str,
    new: str,
    *,
    root: Path | None,
    cache: Path | None,
    images: bool,
    log: Callable[[str], None] = lambda _: None,
) -> Diff:
    """Compare two builds: each of `old` and `new` a build folder, or a revision of the git
    repository at `root` (built with the stage cache `cache`)."""
    from bulletin.review.revisions import built, commit_of, explain_missing

    with contextlib.ExitStack() as stack:
        sites: dict[str, Site] = {}  # by folder or commit: a commit is built once
        found: list[Site] = []
        for side in (old, new):
            folder = Path(side)
            if folder.is_dir() or root is None or cache is None:
                found.append(open_site(folder))
                continue
            commit = commit_of(root, side)
            if commit is None:
                raise InputError([Problem(side, None, None, explain_missing(root, side))])
            if commit not in sites:
                sites[commit] = open_site(
                    stack.enter_context(built(root, cache, side, commit, log))
                )
            found.append(sites[commit])
        return compare(found[0], found[1], images=images, labels=(old, new))
