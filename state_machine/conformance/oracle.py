"""The model as oracle: what a target may answer to a call, and the model's state after the answer.

Before a call the oracle predicts the set of acceptable (status, code) outcomes; after it, it takes the
target's answer as the truth (adopting the ids the target chose) and moves its world on. Time enters
through a window [start, end] around the call: a decision is made at both ends and either is
accepted, so a free-running target's clock cannot cause a false alarm.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from state_machine.apis.experiture_v1.model import operations
from state_machine.apis.experiture_v1.model.codes import ApiError
from state_machine.apis.experiture_v1.model.operations import Call, Decision, Outcome, decide
from state_machine.apis.experiture_v1.model.records import Audience, Campaign, Template, Tenant, World
from state_machine.kernel.times import parse_timestamp

from .target import Profile, Target

@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    def instants(self) -> tuple[datetime, ...]:
        return (self.start,) if self.start == self.end else (self.start, self.end)


class TargetClock:
    """The target's notion of now, as a window around each call."""

    def __init__(self, target: Target, skew: float = 2.0) -> None:
        self.target = target
        self.control = target.profile.can("clock_control") and target.profile.admin_url is not None
        self.frozen = self.control and target.profile.can("clock_frozen")
        self.skew = timedelta(seconds=0 if self.control else skew)
        self._cached: datetime | None = None

    def now(self) -> datetime:
        if not self.control:
            return datetime.now(timezone.utc)
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

    def advance(self, seconds: float) -> datetime:
        response = self.target.admin("POST", "/clock", {"advanceSeconds": seconds})
        response.raise_for_status()
        self._cached = parse_timestamp(response.json()["now"])
        return self._cached


@dataclass
class Expectation:
    operation: str
    acceptable: frozenset[Outcome]
    decisions: list[Decision] = field(default_factory=list)
    spec_error: ApiError | None = None

    def allows(self, outcome: Outcome) -> bool:
        return outcome in self.acceptable

    def describe(self) -> str:
        return " or ".join(f"{s} {c}" if c else f"{s}" for s, c in sorted(self.acceptable, key=str))

    @property
    def statuses(self) -> list[int]:
        return sorted({s for s, _ in self.acceptable})


def outcome_of(status: int, body: Any) -> Outcome:
    if 200 <= status < 300:
        return (status, None)
    code = body.get("error", {}).get("code") if isinstance(body, dict) and isinstance(body.get("error"), dict) else None
    return (status, code)


def _placeholder_ids(kind: str) -> str:
    return "0" if kind == "touchpoint" else "00000000-0000-4000-8000-000000000000"


def _ids_from(body: Any):
    data = body.get("data") if isinstance(body, dict) else None
    data = data if isinstance(data, dict) else {}
    known = {"campaign": data.get("campaignId"), "version": data.get("currentVersionId") or data.get("versionId"),
             "schedule": data.get("scheduleId"), "manifest": data.get("manifestId"),
             "touchpoint": str(data["touchpointId"]) if data.get("touchpointId") is not None else None}

    def new_id(kind: str) -> str:
        return known.get(kind) or _placeholder_ids(kind)

    return new_id


class Oracle:
    def __init__(self, world: World) -> None:
        self.world = world

    def call(self, operation: str, tenant: str, now: datetime, campaign_id: str | None = None,
             body: Any = None, query: Any = None, new_id=_placeholder_ids) -> Call:
        return Call(operation, tenant, now, campaign_id=campaign_id, body=body or {}, query=query or {},
                    new_id=new_id)

    def predict(self, operation: str, tenant: str, window: Window, *, campaign_id: str | None = None,
                body: Any = None, query: Any = None, spec_error: ApiError | None = None) -> Expectation:
        if spec_error is not None:
            # The request is invalid for the spec: the validation error, or a refusal that needs no body
            # (404/409 on the campaign itself), are what a target may answer; never a success.
            acceptable = {(spec_error.status, spec_error.code)}
            if campaign_id is not None:
                for moment in window.instants():
                    located = operations.locate(self.world, self.call(operation, tenant, moment, campaign_id))
                    if isinstance(located, Decision):
                        acceptable |= located.acceptable
            return Expectation(operation, frozenset(acceptable), spec_error=spec_error)
        decisions = [decide(self.world, self.call(operation, tenant, moment, campaign_id, body, query))
                     for moment in window.instants()]
        acceptable = frozenset().union(*(d.acceptable for d in decisions))
        return Expectation(operation, acceptable, decisions)

    def commit(self, expectation: Expectation, tenant: str, window: Window, response_status: int,
               response_body: Any, *, campaign_id: str | None = None, body: Any = None,
               query: Any = None) -> Decision | None:
        """Move the world on by the answer the target gave (when it was an acceptable success)."""
        if expectation.spec_error is not None or not 200 <= response_status < 300:
            return None  # refusals change nothing
        for moment in reversed(window.instants()):
            decision = decide(self.world, self.call(expectation.operation, tenant, moment, campaign_id, body, query,
                                                    new_id=_ids_from(response_body)))
            if decision.status == response_status:
                self.world.apply(decision.changes)
                return decision
        return None

    def campaign(self, campaign_id: str) -> Campaign | None:
        return self.world.campaigns.get(campaign_id)
