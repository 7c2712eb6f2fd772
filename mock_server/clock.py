"""The mock's clock: real time plus an offset, so a free-running mock moves on by itself and a test can
fast-forward it. `frozen=True` stops it following real time (deterministic tests)."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


class MockClock:
    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        self.frozen = frozen
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at = start or self._real()
        if start is not None and not frozen:
            self._offset = start - self._real()

    @staticmethod
    def _real() -> datetime:
        return datetime.now(timezone.utc)

    def now(self) -> datetime:
        with self._lock:
            return self._frozen_at if self.frozen else self._real() + self._offset

    def advance(self, seconds: float) -> datetime:
        """Move forward; time never runs backwards (states derived from it would regress)."""
        if seconds < 0:
            raise ValueError("advanceSeconds must not be negative: the mock clock only moves forward")
        with self._lock:
            if self.frozen:
                self._frozen_at += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)
        return self.now()

    def move_to(self, moment: datetime) -> datetime:
        now = self.now()
        if moment < now:
            raise ValueError(f"now must not be before the mock's current time {now.isoformat()}: the mock clock "
                             "only moves forward (POST /__mock/reset with a \"now\" restarts it)")
        return self.advance((moment - now).total_seconds())

    def restart(self, moment: datetime | None = None) -> datetime:
        """Back to real time, or to `moment` (reset only: fixtures are rebuilt around it)."""
        with self._lock:
            if self.frozen:
                self._frozen_at = moment or self._real()
            else:
                self._offset = (moment - self._real()) if moment else timedelta(0)
        return self.now()

    def to_data(self) -> dict:
        """What a restart needs (--state-file, the Redis store): frozen or not, and where it stands."""
        with self._lock:
            return {"frozen": self.frozen, "frozenAt": self._frozen_at.isoformat(),
                    "offsetSeconds": self._offset.total_seconds()}

    def load_data(self, data: object) -> None:
        """Restore `to_data`; ValueError (and nothing changed) when it is not one."""
        try:
            frozen, at, offset = data["frozen"], datetime.fromisoformat(data["frozenAt"]), data["offsetSeconds"]  # type: ignore[index]
            if not isinstance(frozen, bool) or at.tzinfo is None or isinstance(offset, bool) \
                    or not isinstance(offset, (int, float)) or abs(offset) > 1000 * 366 * 86400:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            raise ValueError("clock: expected {frozen, frozenAt (ISO 8601 with an offset), offsetSeconds}") from None
        with self._lock:
            self.frozen, self._frozen_at, self._offset = frozen, at, timedelta(seconds=offset)
