"""QA (downloads): each "Download all data" ZIP is deterministic and holds the site's files.

A ZIP's members are sorted, carry the fixed time 1980-01-01 and fixed permissions, and each
is byte for byte the file of the same name published beside the ZIP: the download holds
exactly what the site shows.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from bulletin.qa.results import CheckResult, Result

CHECK = "zip"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def check_zip(path: Path, label: str) -> CheckResult:
    problems = []
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        if names != sorted(names):
            problems.append("members are not sorted")
        for info in infos:
            if info.date_time != FIXED_TIME or (info.external_attr >> 16) & 0o777 != 0o644:
                problems.append(f"{info.filename} has another time or permissions")
            beside = path.parent / Path(info.filename).name
            if not beside.is_file() or beside.read_bytes() != archive.read(info):
                problems.append(f"{info.filename} is not the file {beside.name} of the site")
    if problems:
        return CheckResult(CHECK, Result.FAIL, f"{label}: {'; '.join(problems)}")
    return CheckResult(CHECK, Result.PASS, f"{label}: {len(infos)} members, deterministic")


def check_site_zips(site: Path) -> list[CheckResult]:
    return [check_zip(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*.zip"))]
