"""Tables (archive): deterministic ZIP files, for the spreadsheets and "Download all data".

The same members give the same bytes: members sorted by name (or in the order given, for
an OpenDocument file, whose `mimetype` must come first), every time stamp 1980-01-01, fixed
permissions (rw-r--r--), and a fixed compression level.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP file can hold
PERMISSIONS = 0o100644  # a regular file, rw-r--r--
LEVEL = 6


def zip_bytes(
    members: Mapping[str, bytes], *, stored: Iterable[str] = (), sort: bool = True
) -> bytes:
    """A ZIP of `members` (name -> bytes). Members named in `stored` are not compressed."""
    plain = set(stored)
    out = io.BytesIO()
    names = sorted(members) if sort else list(members)
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = PERMISSIONS << 16
            info.create_system = 3  # Unix, so that the permissions are read
            if name in plain:
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, members[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, members[name], compresslevel=LEVEL)
    return out.getvalue()
