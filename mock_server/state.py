"""Everything one running mock holds, in one object the routes share."""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from state_machine.kernel.idempotency import IdempotencyStore
from state_machine.plugin import ApiPlugin, Fixture

from .auth import RateLimiter
from .clock import MockClock


class MockState:
    def __init__(self, plugin: ApiPlugin, clock: MockClock) -> None:
        self.plugin = plugin
        self.clock = clock
        self.lock = threading.Lock()  # one decision at a time, even under a threaded server
        self.reset()

    def reset(self, now: datetime | None = None) -> None:
        if now is not None:
            self.clock.restart(now)
        self.fixture: Fixture = self.plugin.fixtures(self.clock.now())
        self.world: Any = self.fixture.world
        self.tokens = {t.token: t for t in self.fixture.tokens}
        ttl = self.plugin.idempotency.ttl_seconds if self.plugin.idempotency else 0
        self.idempotency = IdempotencyStore(ttl)
        self.rate_limiter = RateLimiter(self.plugin)
        self.new_id = self.plugin.new_ids()
