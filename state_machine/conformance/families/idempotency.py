"""Idempotency rules, for operations that declare an Idempotency-Key header (and an API with
`plugin.idempotency`): the same key and body answer the first answer again, marked as a replay; the same
key with another body is refused and performs nothing; two simultaneous creates with one key make at most
one resource. The keyed answers to replay are those the engine's `send_keyed` remembered.
"""
from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import multiple, precondition, rule

from contract_spec import Operation, Spec
from state_machine.plugin import ApiPlugin

from ..engine import RESOURCES, json_of
from ..operations import IDEMPOTENCY_HEADER, creating, keyed
from ..oracle import outcome_of
from ..recheck import Recheck, find_pointer
from ..target import Target

REPLAYED_HEADER = "Idempotent-Replayed"
# Keys near the end of the promised replay time are not asked about: a slow call could cross it.
HORIZON_SHARE = 23 / 24


def success_statuses(op: Operation) -> list[int]:
    return [int(s) for s in op.responses if s.isdigit() and s.startswith("2")]


def rules_for(spec: Spec, plugin: ApiPlugin, target: Target) -> type | None:
    keyed_operations = keyed(spec, plugin)
    if not keyed_operations:
        return None
    assert plugin.idempotency is not None
    horizon = timedelta(seconds=plugin.idempotency.ttl_seconds * HORIZON_SHARE)
    creates = [op for op in creating(spec, plugin) if op in keyed_operations]

    class IdempotencyRules:
        @precondition(lambda self: bool(self.keyed))
        @rule(data=st.data(), same_body=st.booleans())
        def repeat_idempotent_request(self, data, same_body):
            now = self.clock.now()
            self.keyed = [e for e in self.keyed if now - e["at"] < horizon]
            if not self.keyed:
                return
            first = data.draw(st.sampled_from(self.keyed), label="first")
            operation = first["operation"]
            body = dict(first["body"])
            other = None if same_body else self.other_body(operation, body)
            same_body = other is None
            body = body if same_body else other
            op = self.spec.operations[operation]
            headers = {IDEMPOTENCY_HEADER: first["key"]}
            path = self.path(operation, first["resource_id"])
            response = self.target.request(op.method, path, token=self.target.profile.token("full"), json_body=body,
                                           headers=headers)
            reused = self.plugin.error(self.plugin.codes.idempotency_key_reused, "")
            expected = f"{first['status']} replay" if same_body else f"{reused.status} {reused.code}"
            self.transcript.record(op.method, path, "full", headers, body, response, expected,
                                   [first["status"]] if same_body else [reused.status])
            exercised = self.catalogue.exercised
            re, now, then = self.recheck, self.step, first["step"]
            if same_body:
                same = response.status_code == first["status"] and json_of(response) == first["response"]
                self.check(exercised(operation, "replay"), same,
                           f"{op.method} {op.path} replayed with the same {IDEMPOTENCY_HEADER} and body: expected "
                           f"the first answer {first['status']} again, got {response.status_code} "
                           f"{response.text[:300]}", holds=replayed(re, now, then))
                if same:
                    self.check(exercised(operation, "replayed-header"),
                               response.headers.get(REPLAYED_HEADER, "").lower() == "true",
                               f"{op.method} {op.path}: a replay lacks {REPLAYED_HEADER}: true",
                               holds=f"({re.header(now, REPLAYED_HEADER)} or '').lower() == 'true'")
            else:
                got = outcome_of(self.plugin, response.status_code, json_of(response) if response.content else None)
                reqs = exercised(operation, "key-reuse")
                if 200 <= got[0] < 300:
                    reqs += exercised(operation, "key-reuse-performed")
                self.check(reqs, got == (reused.status, reused.code),
                           f"{op.method} {op.path} with a used {IDEMPOTENCY_HEADER} and another body: expected "
                           f"{reused.status} {reused.code}, got {got[0]} {got[1] or ''}",
                           holds=f"{re.status(now)} == {reused.status} and error_code({re.body(now)}) == "
                                 f"{reused.code!r}")
            if 200 <= response.status_code < 300 and json_of(response) != first["response"]:
                self.violate(exercised(operation, "key-reuse-performed") + exercised(operation, "key-reuse"),
                             f"a reused {IDEMPOTENCY_HEADER} performed the request again",
                             holds=f"not 200 <= {re.status(now)} < 300 or {re.body(now)} == {re.body(then)}")

        if creates:
            @rule(target=RESOURCES)
            def create_concurrently_with_one_key(self):
                """Two simultaneous creates with one key make at most one resource (no duplicates)."""
                return self._create_concurrently(creates[0])

        def _create_concurrently(self, operation: str) -> Any:
            body = self.fresh_body(operation)
            if body is None:
                return multiple()
            op = self.spec.operations[operation]
            key = str(uuid.uuid4())
            results: list[Any] = [None, None]

            def go(i: int) -> None:
                results[i] = self.target.request(op.method, op.path, token=self.target.profile.token("full"),
                                                 json_body=body, headers={IDEMPOTENCY_HEADER: key})

            threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            in_use = self.plugin.error(self.plugin.codes.idempotency_key_in_use, "")
            answered = [r for r in results if r is not None]
            made = [r for r in answered if 200 <= r.status_code < 300]
            ids = {self.plugin.resource.id_of(self.plugin.envelope.data(json_of(r))) for r in made}
            at_once = self.transcript.concurrent()  # a reproduction sends them at once again
            for r in answered:
                # The first success binds the new resource's placeholder, so a reproduction can use it later.
                new_id = self.plugin.resource.id_of(self.plugin.envelope.data(json_of(r))) \
                    if made and r is made[0] else None
                self.transcript.record(op.method, op.path, "full", {IDEMPOTENCY_HEADER: key}, body, r,
                                       f"2xx (one resource) or {in_use.status} {in_use.code}",
                                       [*success_statuses(op), in_use.status],
                                       creates=self.transcript.placeholder(new_id) if new_id else None,
                                       together=at_once)
            exercised = self.catalogue.exercised
            # The reproduction sends the pair at once too (Transcript.concurrent): it re-creates the race.
            pair = [self.step - 1, self.step] if len(answered) == 2 else []
            # Where the new id is in an answer (found in the answer it came from: `ids` is a set).
            first_id = self.plugin.resource.id_of(self.plugin.envelope.data(json_of(made[0]))) if made else None
            at_id = find_pointer(json_of(made[0]), first_id) if first_id else None
            self.check(exercised(operation, "concurrent-once"), len(ids) <= 1,
                       f"two concurrent creates with one {IDEMPOTENCY_HEADER} made {len(ids)} resources: "
                       f"{sorted(map(str, ids))}",
                       holds=f"len({{str(at(s, {at_id!r})) for s in {pair!r} if 200 <= status(s) < 300}}) <= 1"
                       if pair and at_id else None)
            bad = [r.status_code for r in answered if not 200 <= r.status_code < 300 and r.status_code != in_use.status]
            self.check(exercised(operation, "concurrent-answers"), not bad,
                       f"concurrent creates with one key answered {bad}",
                       holds=f"all(200 <= status(s) < 300 or status(s) == {in_use.status} for s in {pair!r})")
            if not ids:
                return multiple()
            rid = ids.pop()
            window = self.clock.current()
            expectation = self.oracle.predict(operation, self.tenant, window, body=body)
            self.oracle.commit(expectation, self.tenant, window, made[0].status_code, json_of(made[0]), body=body)
            self.transcript.placeholder(rid)
            self.created.append(rid)
            return rid

    return IdempotencyRules


def replayed(re: Recheck, now: int, then: int) -> str:
    """The reproduction's condition for "answered as the first time": status and body."""
    return f"{re.status(now)} == {re.status(then)} and {re.body(now)} == {re.body(then)}"
