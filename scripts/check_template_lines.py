"""Fail if a template line is longer than the Python's (100 characters): prints file:line:length.

Usage: python scripts/check_template_lines.py [FILE ...]   (no FILE: every templates/**/*.html)
"""

import sys
from pathlib import Path

LIMIT = 100


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(Path("templates").rglob("*.html"))
    bad = 0
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if len(line) > LIMIT:
                print(f"{path}:{number}:{len(line)}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
