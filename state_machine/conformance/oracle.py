"""The model as oracle: what a target may answer to a call, and the model's state after the answer.

Before a call the oracle predicts the set of acceptable (status, code) outcomes; after it, it takes the
target's answer as the truth (adopting the ids the target chose) and moves its world on. Time enters
through a window [start, end] around the call: a decision is made at both ends and either is
accepted, so a free-running target's clock cannot cause a false alarm.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from state_machine.kernel import ApiError, Call, Decision, Outcome
from state_machine.plugin import ApiPlugin

from .clock import Window


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


def outcome_of(plugin: ApiPlugin, status: int, body: Any) -> Outcome:
    """(status, error code) of an answer; a success carries no code."""
    return (status, None) if 200 <= status < 300 else (status, plugin.envelope.error_code(body))


class Oracle:
    """The API's model as oracle, over one world."""

    def __init__(self, plugin: ApiPlugin, world: Any) -> None:
        self.plugin = plugin
        self.world = world

    def call(self, operation: str, tenant: str, now: datetime, resource_id: str | None = None, body: Any = None,
             query: Any = None, new_id=None) -> Call:
        # A prediction's new ids are the API's placeholders (the ids of an answer that names none).
        new_id = new_id or self.plugin.resource.ids_from(None)
        return Call(operation, tenant, now, resource_id=resource_id, body=body or {}, query=query or {},
                    new_id=new_id)

    def predict(self, operation: str, tenant: str, window: Window, *, resource_id: str | None = None,
                body: Any = None, query: Any = None, spec_error: ApiError | None = None) -> Expectation:
        if spec_error is not None:
            # The request is invalid for the spec: the validation error, or a refusal that needs no body
            # (404/409 on the resource itself), are what a target may answer; never a success.
            acceptable = {(spec_error.status, spec_error.code)}
            if resource_id is not None:
                for moment in window.instants():
                    located = self.plugin.locate(self.world, self.call(operation, tenant, moment, resource_id))
                    if isinstance(located, Decision):
                        acceptable |= located.acceptable
            return Expectation(operation, frozenset(acceptable), spec_error=spec_error)
        decisions = [self.plugin.decide(self.world, self.call(operation, tenant, moment, resource_id, body, query))
                     for moment in window.instants()]
        acceptable = frozenset().union(*(d.acceptable for d in decisions))
        return Expectation(operation, acceptable, decisions)

    def commit(self, expectation: Expectation, tenant: str, window: Window, response_status: int,
               response_body: Any, *, resource_id: str | None = None, body: Any = None,
               query: Any = None) -> Decision | None:
        """Move the world on by the answer the target gave (when it was an acceptable success), adopting
        the ids the target assigned."""
        if expectation.spec_error is not None or not 200 <= response_status < 300:
            return None  # refusals change nothing
        new_id = self.plugin.resource.ids_from(self.plugin.envelope.data(response_body))
        for moment in reversed(window.instants()):
            decision = self.plugin.decide(self.world, self.call(expectation.operation, tenant, moment, resource_id,
                                                                body, query, new_id=new_id))
            # Another success status than the model's (reported on its own, by the entry fixing the status)
            # is still that success: the world moves on as it did on the target.
            if decision.status == response_status or 200 <= decision.status < 300:
                self.plugin.world_apply(self.world, decision.changes)
                return decision
        return None
