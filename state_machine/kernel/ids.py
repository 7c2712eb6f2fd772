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
_pool: dict[str, object] = {"pid": None, "bytes": b"", "at": 0}


def _random16() -> bytes:
    """16 bytes of os.urandom, taken from a pool refilled 256 ids at a time; a forked child never reuses its
    parent's pool (the process id is checked), so two processes never mint the same ids."""
    pool, at = _pool["bytes"], _pool["at"]
    assert isinstance(pool, bytes) and isinstance(at, int)
    if at + 16 > len(pool) or _pool["pid"] != os.getpid():
        pool, at = os.urandom(_POOL_BYTES), 0
        _pool.update(pid=os.getpid(), bytes=pool)
    _pool["at"] = at + 16
    return pool[at:at + 16]


def uuid4_text() -> str:
    """A random UUID v4 in canonical form (what `str(uuid.uuid4())` gives)."""
    raw = bytearray(_random16())
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def is_uuid4(text: str) -> bool:
    """`text` is a version-4, RFC-variant UUID in canonical hyphenated form (either case), exactly what
    `uuid.UUID(text)` parses with `.version == 4` and `str(...) == text.lower()`."""
    return _UUID4(text.lower()) is not None if text.isascii() else False


__all__ = ["is_uuid4", "uuid4_text"]
