"""Random UUID v4 identifiers as text, and the test for one, without building `uuid.UUID` objects.

`uuid.uuid4()` then `str()` costs an object, an int conversion and a formatting pass per id; a mock mints
several ids per create and checks a key on every keyed request, so both are done on the bytes here.
Same results: RFC 4122 version 4 with the RFC variant, lower-case canonical form.
"""
from __future__ import annotations

import os
import re

_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.ASCII).fullmatch


_POOL_BYTES = 16 * 256  # random bytes fetched per system call: 256 ids (os.urandom is a syscall each time)


class _Pool:
    """os.urandom bytes handed out 16 at a time, refilled 256 ids at a time. A forked child starts empty
    (os.register_at_fork), so two processes never mint the same ids."""

    def __init__(self) -> None:
        self.data, self.at = b"", 0

    def take16(self) -> bytes:
        if self.at + 16 > len(self.data):
            self.data, self.at = os.urandom(_POOL_BYTES), 0
        start = self.at
        self.at = start + 16
        return self.data[start:start + 16]

    def empty(self) -> None:
        self.data, self.at = b"", 0


_pool = _Pool()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_pool.empty)


def uuid4_text() -> str:
    """A random UUID v4 in canonical form (what `str(uuid.uuid4())` gives)."""
    raw = bytearray(_pool.take16())
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def is_uuid4(text: str) -> bool:
    """`text` is a version-4, RFC-variant UUID in canonical hyphenated form (either case), exactly what
    `uuid.UUID(text)` parses with `.version == 4` and `str(...) == text.lower()`."""
    return _UUID4(text.lower()) is not None if text.isascii() else False


__all__ = ["is_uuid4", "uuid4_text"]
