"""Keyset cursors for listings: a position (listing_key, id) as a short, URL-safe token.

A cursor names the last (or first) card a page showed, so "Older →" stays right while quotes
are added, and a shared link reopens the same slice. Tokens are base-36 "key.id".
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"([0-9a-z]{1,14})\.([0-9a-z]{1,10})")
_MAX_KEY = (1 << 62) - 1
_MAX_ID = (1 << 40) - 1


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def encode(key: int, quote_id: int) -> str:
    """The token for the position (key, quote_id)."""
    return f"{_base36(key)}.{_base36(quote_id)}"


def decode(token: str) -> tuple[int, int] | None:
    """(key, quote id) of a token, or None when it is not one."""
    m = _TOKEN.fullmatch((token or "").strip().lower())
    if not m:
        return None
    key, quote_id = int(m.group(1), 36), int(m.group(2), 36)
    if key > _MAX_KEY or quote_id > _MAX_ID:
        return None
    return key, quote_id
