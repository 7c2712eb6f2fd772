"""Everything one running mock holds, in one object the routes share."""
from __future__ import annotations

import itertools
import threading
import uuid
from datetime import datetime

from state_machine.model.idempotency import IdempotencyStore
from state_machine.model.records import World

from . import fixtures
from .auth import RateLimiter
from .clock import MockClock


class MockState:
    def __init__(self, clock: MockClock) -> None:
        self.clock = clock
        self.lock = threading.Lock()  # one decision at a time, even under a threaded server
        self.tokens = {t.token: t for t in fixtures.tokens()}
        self.reset()

    def reset(self, now: datetime | None = None) -> None:
        if now is not None:
            self.clock.restart(now)
        fixture = fixtures.build(self.clock.now())
        self.world: World = fixture.world
        self.roles = fixture.campaign_roles
        self.fixture = fixture
        self.idempotency = IdempotencyStore()
        self.rate_limiter = RateLimiter()
        self._touchpoints = itertools.count(1000)

    def new_id(self, kind: str) -> str:
        if kind == "touchpoint":
            return str(next(self._touchpoints))
        return str(uuid.uuid4())
