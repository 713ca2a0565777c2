"""The shape of the one-time passwords the app generates (new accounts, import, reset).

A secretary reads them out on the phone, prints them or sends them in a chat, so they are made
of lower-case letters and digits without the ones people mix up (0/o, 1/l/i), in groups of four:
`k7mw-3prt-9zqa-h2ve`. 16 characters of a 31-letter alphabet are 79 bits, well above the 60 the
sign-in lockout and the forced change at first sign-in need.

A person may type one without the hyphens, with spaces or in capitals: `canonical` gives the
form it was generated in, and the one-time hasher (members/hashers.py) checks that form too.
"""

from __future__ import annotations

import math
import re
import secrets

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS = 4
GROUP_SIZE = 4
SEPARATOR = "-"
LENGTH = GROUPS * GROUP_SIZE  # characters drawn, separators not counted

_NOISE = re.compile(r"[\s\-‐‑–—_.]+")  # hyphens and dashes a chat or a phone may substitute


def generate() -> str:
    """A new one-time password: GROUPS groups of GROUP_SIZE characters drawn with `secrets`."""
    drawn = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return SEPARATOR.join(drawn[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def entropy_bits() -> float:
    return LENGTH * math.log2(len(ALPHABET))


def canonical(typed: str) -> str | None:
    """The generated form of `typed` if it has the shape of one (any case, spacing or hyphens)."""
    letters = _NOISE.sub("", typed).lower()
    if len(letters) != LENGTH or any(c not in ALPHABET for c in letters):
        return None
    return SEPARATOR.join(letters[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))
