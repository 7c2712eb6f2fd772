"""Everything one running mock holds, in one object the routes share.

Every read or change of the state happens inside `state.transaction()`: the store (mock_server/store.py)
makes it exclusive (a lock in memory, a Redis lock across workers), brings the state up to date first
(Redis: another worker may have changed it) and makes what was changed durable before the answer leaves
(`apply(changes)` for a decision's changes, `changed()` for any other change of the world or the clock,
`recorded()` for idempotency records). `transaction(write=False)` promises that the section changes
nothing: the Redis store then takes no lock (it still brings the state up to date first).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from state_machine.plugin import ApiPlugin, Fixture

from .clock import MockClock
from .store import MemoryStore, Store


class MockState:
    def __init__(self, plugin: ApiPlugin, clock: MockClock, store: Store | None = None) -> None:
        self.plugin = plugin
        self.clock = clock
        self.store = store or MemoryStore()
        self.version: int | None = None  # the shared version this copy reflects (Redis store)
        self.dirty = False  # the world or the clock changed in this transaction (other than by `apply`)
        self.applied: list[Mapping[str, Any]] = []  # the decisions' changes `apply` committed in it, in order
        self.records_dirty = False  # idempotency records changed in this transaction
        ttl = plugin.idempotency.ttl_seconds if plugin.idempotency else 0
        self.idempotency = self.store.idempotency(plugin, ttl)
        self.rate_limiter = self.store.rate_limiter(plugin)
        self._build(None)
        self.store.open(self)

    # -- what the routes use
    def transaction(self, *, write: bool = True) -> Any:
        """`with state.transaction():` an exclusive, up-to-date view; changes are durable on exit.
        write=False: a section that only reads (no lock across workers; a change in it is refused at exit if
        another worker wrote meanwhile)."""
        return self.store.transaction(self, write=write)

    def apply(self, changes: Mapping[str, Any]) -> None:
        """Commit a decision's changes to the world (the Redis store ships them, not the whole world)."""
        if changes:
            self.plugin.world_apply(self.world, changes)
            self.applied.append(changes)

    def changed(self) -> None:
        self.dirty = True

    def recorded(self) -> None:
        self.records_dirty = True

    @property
    def lock(self) -> Any:  # the old name: one decision at a time
        return self.transaction()

    def reset(self, now: datetime | None = None) -> None:
        """Back to the fixtures (inside a transaction)."""
        self._build(now)
        self.idempotency.clear()
        self.rate_limiter.clear()
        self.changed()
        self.recorded()

    def _build(self, now: datetime | None) -> None:
        if now is not None:
            self.clock.restart(now)
        self.fixture: Fixture = self.plugin.fixtures(self.clock.now())
        self.world: Any = self.fixture.world
        self.tokens = {t.token: t for t in self.fixture.tokens}
        self._id_source: Callable[[str], str] = self.plugin.new_ids()
        self.id_counts: dict[str, int] = {}

    # -- fresh identifiers, counted so a restart or another worker continues the same sequence
    def new_id(self, kind: str) -> str:
        self.id_counts[kind] = self.id_counts.get(kind, 0) + 1
        return self._id_source(kind)

    def sync_ids(self, counts: dict[str, int]) -> None:
        """Continue the id sequence from `counts` draws per kind (another worker's or a saved state's)."""
        if any(self.id_counts.get(kind, 0) > n for kind, n in counts.items()) or set(self.id_counts) - set(counts):
            self._id_source, self.id_counts = self.plugin.new_ids(), {}
        for kind, n in counts.items():
            for _ in range(n - self.id_counts.get(kind, 0)):
                self._id_source(kind)
            self.id_counts[kind] = n
