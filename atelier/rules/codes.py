"""Join codes: short, read aloud and typed on a phone without ambiguity."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 5/S, 2/Z: a code read from the back of a room must not be mistyped.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
JOIN_CODE_LENGTH = 5


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalised_join_code(typed: str | None) -> str:
    """What a person typed, as a code to look up: case and spaces do not matter."""
    return "".join((typed or "").split()).upper()
