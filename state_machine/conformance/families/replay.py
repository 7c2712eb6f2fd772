"""Replays over time, for operations that declare an Idempotency-Key header (and an API with
`plugin.idempotency`): a replay answers the first answer (status and JSON body, exactly) whatever happened
since, for as long as the documents promise (`plugin.idempotency.ttl_seconds`), and nothing longer.

    replay_after_a_change   the resource the first request touched or created is changed through the API
                            (the API's `alter` hook), then the request is replayed: still the first answer,
                            error answers included (a stored error is not decided again); as a rule, and
                            riding on every other keyed request right after its step (an invariant)
    replay_at_the_horizon   (targets whose clock the suite moves) just inside the promised time the replay is
                            the first answer; just past it the same request is a new one: decided afresh
                            (the oracle's prediction), not marked as a replay, and a create makes a new resource

Events: `<operation> replay-after-change`, `<operation> replay-at-horizon`, `<operation> forgotten-after-horizon`.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from contract_spec import Spec
from state_machine.plugin import ApiPlugin

from ..clock import TargetClock
from ..engine import json_of
from ..operations import IDEMPOTENCY_HEADER, keyed
from ..recheck import find_pointer
from ..target import Target
from .idempotency import HORIZON_SHARE, REPLAYED_HEADER, replayed

MARGIN_SECONDS = 60  # how far inside / past the promised replay time the horizon rule asks
RIDE_EVERY = 2  # every 2nd keyed answer is replayed after a change right after the step that got it


def rules_for(spec: Spec, plugin: ApiPlugin, target: Target) -> type | None:
    if not keyed(spec, plugin):
        return None
    assert plugin.idempotency is not None
    ttl = timedelta(seconds=plugin.idempotency.ttl_seconds)
    margin = timedelta(seconds=min(MARGIN_SECONDS, plugin.idempotency.ttl_seconds / 100))
    horizon = ttl * HORIZON_SHARE

    class ReplayRules:
        def _fresh_keyed(self) -> list[dict[str, Any]]:
            now = self.clock.now()
            self.keyed = [e for e in self.keyed if now - e["at"] < horizon]
            return self.keyed

        def _replay(self, first: dict[str, Any], what: str, when: str) -> None:
            operation = first["operation"]
            op = self.spec.operations[operation]
            headers = {IDEMPOTENCY_HEADER: first["key"]}
            path = self.path(operation, first["resource_id"])
            response = self.target.request(op.method, path, token=self.target.profile.token("full"),
                                           json_body=first["body"], headers=headers)
            self.transcript.record(op.method, path, "full", headers, first["body"], response,
                                   f"{first['status']} replay", [first["status"]])
            same = response.status_code == first["status"] and json_of(response) == first["response"]
            self.check(self.catalogue.exercised(operation, what), same,
                       f"{op.method} {op.path} replayed with the same {IDEMPOTENCY_HEADER} and body {when}: expected "
                       f"the first answer {first['status']} {str(first['response'])[:300]} again, got "
                       f"{response.status_code} {response.text[:300]}",
                       holds=replayed(self.recheck, self.step, first["step"]))

        def _changed_by(self, first: dict[str, Any]) -> str | None:
            """The resource a keyed request acted on, or created."""
            return first["resource_id"] or self.plugin.resource.id_of(self.plugin.envelope.data(first["response"]))

        @invariant()
        def replay_after_a_change_rides_on_keyed_requests(self):
            """Without waiting for the rule to be drawn: some keyed answers are replayed after a change as
            soon as they are recorded."""
            for first in self.keyed:
                if first.get("ridden"):
                    continue
                first["ridden"] = True
                self.keyed_ridden = getattr(self, "keyed_ridden", 0) + 1
                changed = self._changed_by(first)
                if self.keyed_ridden % RIDE_EVERY == 1 and changed and self.still_there(changed):
                    first["replayed_after_change"] = True
                    self.alter(changed)
                    self._replay(first, "replay-after-change", f"after {changed} changed")

        @precondition(lambda self: bool(self.keyed))
        @rule(data=st.data())
        def replay_after_a_change(self, data):
            if not self._fresh_keyed():
                return
            # each keyed answer once before any twice, on a resource still there to change
            fresh = [e for e in self.keyed if not e.get("replayed_after_change")
                     and (rid := self._changed_by(e)) is not None and self.still_there(rid)] or self.keyed
            first = data.draw(st.sampled_from(fresh), label="first")
            first["replayed_after_change"] = True
            changed = self._changed_by(first)
            if not changed:
                return
            self.alter(changed)
            self._replay(first, "replay-after-change", f"after {changed} changed")

        if TargetClock(target).control:
            @precondition(lambda self: bool(self.keyed))
            @rule(data=st.data())
            def replay_at_the_horizon(self, data):
                if not self._fresh_keyed():
                    return
                first = data.draw(st.sampled_from(self.keyed), label="first")
                inside = first["at"] + ttl - margin - self.clock.now()
                if inside.total_seconds() > 0:
                    self.advance_by(inside.total_seconds())
                self._replay(first, "replay-at-horizon", f"{(ttl - margin).total_seconds():.0f} s after the first")
                self.advance_by((2 * margin).total_seconds())
                self.keyed = [e for e in self.keyed if e is not first]
                self._fresh_keyed()
                self._forgotten(first)

            def _forgotten(self, first: dict[str, Any]) -> None:
                """Past the promised time the key is forgotten: the same request is decided afresh."""
                operation = first["operation"]
                op = self.spec.operations[operation]
                reqs = self.catalogue.exercised(operation, "forgotten-after-horizon")
                response, _ = self.send(operation, first["resource_id"], body=first["body"],
                                        headers={IDEMPOTENCY_HEADER: first["key"]}, reqs=reqs)
                payload = json_of(response)
                created = self.plugin.resource.id_of(self.plugin.envelope.data(payload)) \
                    if 200 <= response.status_code < 300 else None
                was = self.plugin.resource.id_of(self.plugin.envelope.data(first["response"]))
                if created and created != first["resource_id"] and created not in self.created:
                    self.created.append(created)
                at_id = find_pointer(payload, created) if created else None
                self.check(reqs, response.headers.get(REPLAYED_HEADER, "").lower() != "true"
                           and not (created and was and created == was and first["resource_id"] is None),
                           holds=self.recheck.all(
                               f"({self.recheck.header(self.step, REPLAYED_HEADER)} or '').lower() != 'true'",
                               *([f"not 200 <= {self.recheck.status(self.step)} < 300 or "
                                  f"{self.recheck.at(self.step, at_id)} != {self.recheck.at(first['step'], at_id)}"]
                                 if at_id and first["resource_id"] is None else [])),
                           message=
                           f"{op.method} {op.path} sent again with its {IDEMPOTENCY_HEADER} "
                           f"{(ttl + margin).total_seconds():.0f} s after the first: expected a new request, "
                           f"got the first answer replayed ({response.status_code} {response.text[:200]})")

    return ReplayRules
