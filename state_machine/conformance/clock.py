"""The target's notion of now, as a window around each call (and its admin clock, where it has one)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from state_machine.kernel.times import parse_timestamp

from .target import Target


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    def instants(self) -> tuple[datetime, ...]:
        return (self.start,) if self.start == self.end else (self.start, self.end)


class TargetClock:
    """The target's now: its admin clock when the profile grants clock control, else local time with a
    skew allowance (so a free-running target's clock cannot cause a false alarm)."""

    def __init__(self, target: Target, skew: float = 2.0) -> None:
        self.target = target
        self.control = target.profile.can("clock_control") and target.profile.admin_url is not None
        self.frozen = self.control and target.profile.can("clock_frozen")
        self.skew = timedelta(seconds=0 if self.control else skew)
        self._cached: datetime | None = None

    def now(self) -> datetime:
        if not self.control:
            return datetime.now(timezone.utc) + getattr(self.target, "clock_offset", timedelta(0))
        if self.frozen and self._cached is not None:
            return self._cached
        moment = parse_timestamp(self.target.admin("GET", "/clock").json()["now"])
        self._cached = moment
        return moment

    @contextlib.contextmanager
    def window(self) -> Iterator[list[Window]]:
        holder: list[Window] = []
        start = self.now() - self.skew
        yield holder
        holder.append(Window(start, self.now() + self.skew))

    def current(self) -> Window:
        """The window of the target's now, for reads made between calls."""
        now = self.now()
        return Window(now - self.skew, now + self.skew)

    def calibrate(self, moment: datetime | None, window: Window | None = None) -> None:
        """Without clock control, learn the target's clock from a timestamp it just wrote (e.g. a created
        resource's creation time, taken as the middle of the call's window): every time the suite sends or
        predicts is then the target's, not this machine's. Kept on the target, for every run against it."""
        if self.control or moment is None:
            return
        local = datetime.now(timezone.utc)
        if window is not None:
            offset = getattr(self.target, "clock_offset", timedelta(0))
            local = window.start + (window.end - window.start) / 2 - offset
        self.target.clock_offset = moment - local

    def advance(self, seconds: float) -> datetime:
        response = self.target.admin("POST", "/clock", {"advanceSeconds": seconds})
        response.raise_for_status()
        self._cached = parse_timestamp(response.json()["now"])
        return self._cached
