"""Certificate codes: 16 characters of Crockford base32 (80 random bits), printed in four
groups (``7KQ4-M2XD-9TNE-B1HC``) and read back forgivingly: case, spaces, hyphens and the
letters people confuse with digits (O → 0, I and L → 1) do not matter."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 16  # 16 × 5 bits = 80 bits
_MAX_INPUT = 64  # anything longer is not a code someone typed
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -\t\u00a0\u2010\u2011\u2012\u2013\u2014")
_VALID = frozenset(ALPHABET)


def generate_code() -> str:
    """A new random code, without separators."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(raw: str | None) -> str | None:
    """The canonical form of a typed or scanned code, or None when ``raw`` cannot be one."""
    if not raw or len(raw) > _MAX_INPUT:
        return None
    code = raw.translate(_IGNORED).upper().translate(_CONFUSABLES)
    if len(code) != LENGTH or not set(code) <= _VALID:
        return None
    return code


def format_code(code: str) -> str:
    """``code`` in groups of four for people: ``7KQ4-M2XD-9TNE-B1HC``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
