"""Where a mock's state lives: in this process (`MemoryStore`, the default, optionally saved to a file) or
in Redis for several worker processes (`mock_server.redis_store.RedisStore`). Both offer one interface:

    open(state)          load what there is (a state file, the shared Redis state) or start from fixtures
    transaction(state, write=True)   an exclusive, up-to-date section; what it changed is durable before it
                         ends (write=False: a section that changes nothing, which the Redis store runs
                         without its lock)
    idempotency(...)     the Idempotency-Key records (the kernel's store, or Redis keys)
    rate_limiter(...)    the rate-limit windows
    close(state)         at shutdown

The state's snapshot (`snapshot` / `restore`) is the same for a state file and for Redis: a format version,
the API, the clock (frozen or not, offset), the world (the API's own export), the id sequence, and (state
file only: Redis keeps them as keys of their own) the idempotency records and rate-limit windows.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from state_machine.kernel.idempotency import IdempotencyStore
from state_machine.plugin import ApiPlugin

from .auth import RateLimiter

if TYPE_CHECKING:
    from .state import MockState

FORMAT_VERSION = 1


class StoreError(RuntimeError):
    """A state file or store that cannot be used (the mock refuses to start, saying why)."""


def snapshot(state: MockState, *, records: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "formatVersion": FORMAT_VERSION,
        "api": state.plugin.name,
        "clock": state.clock.to_data(),
        "world": state.plugin.world_to_data(state.world),
        "ids": dict(state.id_counts),
    }
    if records:
        data["idempotency"] = state.idempotency.export()
        data["rateLimits"] = state.rate_limiter.export()
    return data


def check_world(plugin: ApiPlugin, data: Any) -> Any:
    """The API's world from its export, or ValueError naming the first problem (the API's own checks)."""
    try:
        return plugin.world_from_data(data)
    except ValueError:
        raise
    except (KeyError, TypeError, AttributeError, OverflowError) as exc:
        raise ValueError(f"not a world of {plugin.name}: {exc!r}") from None


def restore(state: MockState, data: Any, *, records: bool = True) -> None:
    """Replace the state with a `snapshot`, all or nothing: ValueError naming the first problem."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    if data.get("formatVersion") != FORMAT_VERSION:
        raise ValueError(f"formatVersion must be {FORMAT_VERSION}, not {data.get('formatVersion')!r}")
    if data.get("api") != state.plugin.name:
        raise ValueError(f"this state is of api {data.get('api')!r}, not {state.plugin.name!r}")
    world = check_world(state.plugin, data.get("world"))
    ids = data.get("ids", {})
    if not isinstance(ids, dict) or not all(isinstance(k, str) and type(v) is int and 0 <= v < 10**7
                                            for k, v in ids.items()):
        raise ValueError("ids: expected {kind: count}")
    clock = type(state.clock)()
    clock.load_data(data.get("clock"))
    idempotency = rate = None
    if records:
        idempotency = type(state.idempotency)(state.idempotency.ttl.total_seconds())
        idempotency.load(data.get("idempotency", []))
        rate = RateLimiter(state.plugin)
        rate.load(data.get("rateLimits", {}))
    # Everything is valid: now replace.
    state.clock.load_data(data["clock"])
    state.world = world
    state.sync_ids(ids)
    if idempotency is not None and rate is not None:
        state.idempotency.entries = idempotency.entries
        state.rate_limiter.seen = rate.seen


def write_atomic(path: Path, content: bytes) -> None:
    """Replace `path` with `content` so that a crash leaves the old file or the new one, never a mix:
    a temporary file in the same directory, fsync, rename, fsync of the directory."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class Store:
    """The interface (and the in-memory behaviour both stores share)."""

    name = "memory"

    def idempotency(self, plugin: ApiPlugin, ttl_seconds: float) -> Any:
        return IdempotencyStore(ttl_seconds)

    def rate_limiter(self, plugin: ApiPlugin) -> Any:
        return RateLimiter(plugin)

    def open(self, state: MockState) -> None:
        return None

    def transaction(self, state: MockState, *, write: bool = True) -> Any:
        raise NotImplementedError

    def close(self, state: MockState) -> None:
        return None


class MemoryStore(Store):
    """The state in this process, one transaction at a time. With `state_file`, the state is loaded from
    it at start and saved to it (atomically, synchronously) after every transaction that changed anything
    and at shutdown: an answer that reports a change leaves only once the change is on disk."""

    def __init__(self, state_file: str | Path | None = None) -> None:
        self.lock = threading.RLock()
        self.path = Path(state_file).resolve() if state_file else None
        self.depth = 0
        self.saves = 0
        self.save_seconds = 0.0

    def open(self, state: MockState) -> None:
        if self.path is None:
            return
        if not self.path.parent.is_dir():
            raise StoreError(f"--state-file {self.path}: directory {self.path.parent} does not exist")
        if not self.path.exists():
            self.save(state)  # fail now, not at the first write, when the file cannot be written
            return
        try:
            data = json.loads(self.path.read_bytes())
            restore(state, data)
        except (OSError, ValueError, RecursionError) as exc:
            raise StoreError(f"--state-file {self.path} cannot be loaded: {exc}") from None

    @contextmanager
    def transaction(self, state: MockState, *, write: bool = True) -> Iterator[None]:
        with self.lock:
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0:
                    if (state.dirty or state.applied or state.records_dirty) and self.path is not None:
                        self.save(state)
                    state.dirty = state.records_dirty = False
                    state.applied.clear()

    def save(self, state: MockState) -> None:
        assert self.path is not None
        started = time.perf_counter()
        write_atomic(self.path, json.dumps(snapshot(state), ensure_ascii=False, separators=(",", ":"))
                     .encode("utf-8", "surrogatepass"))
        self.saves += 1
        self.save_seconds += time.perf_counter() - started

    def close(self, state: MockState) -> None:
        if self.path is not None:
            with self.lock:
                self.save(state)


def open_store(url: str | None, state_file: str | Path | None = None, *, namespace: str | None = None) -> Store:
    """`memory` (default) or `redis://HOST:PORT/DB`; a state file goes with the memory store only."""
    if not url or url == "memory":
        return MemoryStore(state_file)
    if url.startswith(("redis://", "rediss://", "unix://")):
        if state_file:
            raise StoreError("--state-file goes with the memory store; with --store redis:// the state is "
                             "Redis's (configure Redis persistence instead)")
        from .redis_store import RedisStore

        return RedisStore(url, namespace=namespace)
    raise StoreError(f"--store {url!r}: expected memory or redis://HOST:PORT/DB")
