"""Data: `python -m bulletin.data.linked --write-docs` writes docs/linked-data.md from the schema."""

from __future__ import annotations

import argparse
import sys

from bulletin.core.settings import find_root
from bulletin.data.linked.spec import DOC_PATH, specification_markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bulletin.data.linked")
    parser.add_argument(
        "--write-docs", action="store_true", help=f"write {DOC_PATH} from the schema"
    )
    args = parser.parse_args(argv)
    if not args.write_docs:
        parser.print_help()
        return 2
    path = find_root() / DOC_PATH
    path.write_text(specification_markdown(), encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
