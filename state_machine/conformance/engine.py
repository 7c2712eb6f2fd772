"""The step engine: the base state machine every API's conformance run is composed on (machine.py).

One step is: send a call the spec describes (valid or not) -> ask the oracle which answers the documents
allow -> compare the target's answer -> commit what really happened to the model -> check the answer
against the spec's schema. Each departure is judged once (verdict.py) against the catalogue's
requirements and comes with the run's transcript as a reproduction. The engine knows no API: it reads the
plug-in (decisions, envelope, resource), the spec (operations) and the catalogue (which requirements an
event exercises). The rules that walk a lifecycle are the API's (plugin.machine), the generic ones are
families switched on by the spec (families/).
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
from hypothesis.stateful import Bundle, RuleBasedStateMachine

from contract_spec import Operation, Spec, check_body, check_parameters, response_problems, response_schema
from state_machine.kernel import Decision
from state_machine.kernel.times import iso
from state_machine.plugin import ApiPlugin

from .clock import TargetClock
from .exchanges import Transcript, token_variable
from .operations import IDEMPOTENCY_HEADER
from .oracle import Expectation, Oracle, outcome_of
from .recheck import Finding, Locate, Recheck, condition, find_pointer
from .record import RunRecord
from .requirements import ANY, Catalogue
from .target import Target
from .verdict import judge

# The resources a run created or found, as a Hypothesis bundle: bundles are matched by name, so an API's
# rules and the generic families draw from the same one.
RESOURCES = Bundle("resources")


class TimeBudgetReached(BaseException):
    """The run's --max-time passed: no new example starts (not an Exception, so Hypothesis does not treat it
    as a failure to shrink)."""


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class Engine(RuleBasedStateMachine):
    """Configured by `machine.build_machine`; the class attributes below are set there."""

    target: Target
    spec: Spec
    plugin: ApiPlugin
    catalogue: Catalogue
    strict: bool = True
    report_dir: Path = Path("reports")
    record: RunRecord  # evidence for the report, shared by every run of the class
    reproduction_name: str = "reproduction.py"
    progress: Callable[[str], None] | None = None  # told how the run goes, every 10 examples
    keyed_operations: tuple[str, ...] = ()  # the operations that take an Idempotency-Key
    delete_operation: Operation | None = None  # how teardown removes what a run created
    deadline: float | None = None  # epoch seconds: past it, no new example starts (verify --max-time)
    stopped_by_time: bool = False

    def __init__(self) -> None:
        if self.deadline is not None and time.time() >= self.deadline:
            type(self).stopped_by_time = True
            raise TimeBudgetReached()  # a BaseException: Hypothesis ends the run at once, without shrinking
        super().__init__()
        profile = self.target.profile
        self.oracle = Oracle(self.plugin, self.plugin.world_from_profile(profile))
        self.clock = TargetClock(self.target)
        self.transcript = Transcript(error_code=self.plugin.envelope.error_code)
        self.recheck = Recheck(self.transcript.names)  # writes the conditions a reproduction re-checks
        self.prefix = f"cc-{uuid.uuid4().hex[:8]}-"  # names what this run creates (and its list filter)
        self.tenant = profile.tokens["full"].get("tenant", "t1")
        self.touched: str | None = None  # the resource the last step touched: read back by the invariant
        self.created: list[str] = []  # deleted at teardown
        self.keyed: list[dict[str, Any]] = []  # keyed answers a later rule may replay
        self.written: list[str] = []  # resources a committed write changed since the last read-back
        self.started = time.perf_counter()  # the run's time counts towards the steps/s rate

    # --- hooks an API's rules override ------------------------------------------------------------

    def committed(self, operation: str, resource_id: str | None, payload: Any, decision: Decision) -> None:
        """A success the model accepted and committed: compare what it answered, if the API can."""

    def still_there(self, resource_id: str) -> bool:
        """Whether teardown still has `resource_id` to delete."""
        return True

    def harmless_body(self, operation: str) -> Any:
        """A body the spec accepts and that changes nothing once refused (access rules), or None."""
        return None

    def other_body(self, operation: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """Another valid body for a keyed operation (a reused key), or None."""
        return None

    def fresh_body(self, operation: str) -> dict[str, Any] | None:
        """A valid body that creates a resource (concurrent keyed creates), or None."""
        return None

    def alter(self, resource_id: str) -> None:
        """Change a resource through the API (between a keyed request and its replay, families/replay.py)."""

    def replacement_bodies(self, operation: str, resource_id: str) -> tuple[Any, Any] | None:
        """Two valid bodies of a replacing operation (PUT), the second a strict subset of the first
        (families/readback.py), or None."""
        return None

    def compare_view(self, operation: str, resource_id: str, data: Any) -> list[tuple[tuple[str, ...], str]]:
        """What a view (`operation`'s answer data; for the list operation, the rows of one page) shows of a
        resource that the model disagrees with: findings (recheck.Finding, whose tests are relative to
        `data`; or (requirement ids, message) pairs, which a reproduction cannot re-check)."""
        return []

    # --- requirements -----------------------------------------------------------------------------

    def unattributed(self) -> tuple[str, ...]:
        return self.catalogue.exercised(ANY, "unattributed")

    def shape_requirements(self, operation: str, status: int) -> tuple[str, ...]:
        """What an answer that does not match its schema breaks."""
        return self.catalogue.exercised(operation, "error-shape" if status >= 400 else "shape")

    # --- one step ---------------------------------------------------------------------------------

    def path(self, operation: str, resource_id: str | None) -> str:
        path = self.spec.operations[operation].path
        return path.replace("{" + self.plugin.resource.path_param + "}", resource_id) if resource_id else path

    def tokens(self) -> dict[str, str]:
        return {name: t["token"] for name, t in self.target.profile.tokens.items()}

    def _reproduce(self, failing: bool) -> tuple[str | None, str]:
        # Secrets never reach a file: the steps and the script name the tokens' environment variables.
        base_url = self.target.profile.base_url
        placeholders = {name: "$" + token_variable(name) for name in self.target.profile.tokens}
        steps = self.transcript.curl(base_url, placeholders)
        if not failing:
            return None, steps
        return str(self.transcript.write(self.report_dir / self.reproduction_name, base_url, placeholders)), steps

    @property
    def step(self) -> int:
        """The transcript index of the last exchange: what a reproduction's condition names (`holds`)."""
        return len(self.transcript.exchanges) - 1

    def violate(self, reqs: tuple[str, ...], message: str, *, pointer: str | None = None,
                expected: Any = None, holds: str | None = None, schema: dict[str, Any] | None = None,
                status_only: bool = False) -> None:
        """Report a departure on `reqs`. For the reproduction to re-check it: `holds`, the condition that
        failed as an expression over the answers (recheck.py), or `pointer`/`expected`, a value of the last
        answer and the value the documents want; `schema`, the schema the last answer must match;
        `status_only` when the last answer's status (and code) is the whole check. With none of them the
        reproduction replays the sequence and says it cannot re-check the check."""
        reqs = tuple(dict.fromkeys(reqs)) or self.unattributed()
        self.record.exercise(reqs)
        if holds is None and pointer is not None:
            holds = f"{self.recheck.at(self.step, pointer)} == {self.recheck.value(expected)}"
        self.transcript.fail_at(message, holds=holds, schema=schema,
                                rechecked=status_only or holds is not None or schema is not None)
        judge(reqs, message, strict=self.strict, catalogue=self.catalogue, record=self.record,
              reproduce=self._reproduce)

    def check(self, reqs: tuple[str, ...], ok: bool, message: str, *, weak: tuple[str, ...] = (),
              pointer: str | None = None, expected: Any = None, holds: str | None = None,
              schema: dict[str, Any] | None = None) -> None:
        """Count `reqs` as exercised (those in `weak` by a check that sees only the form of an answer), and
        report `message` against them unless `ok` (see `violate` for the rest)."""
        self.record.exercise(reqs, weak=weak)
        if not ok:
            self.violate(reqs, message, pointer=pointer, expected=expected, holds=holds, schema=schema)

    def located(self, step: int, data: Any) -> Locate | None:
        """Where a reproduction reads `data`, a part of `step`'s answer (None: not found in it)."""
        base = find_pointer(self.transcript.exchanges[step].response, data) if data is not None else None
        return self.recheck.locator(step, base) if base is not None else None

    def report_findings(self, findings: Iterable[Any], locate: Locate | None, *, earlier: Locate | None = None,
                        also: tuple[str, ...] = (), fallback: tuple[str, ...] = (),
                        success: int | None = None) -> None:
        """Report each finding of a comparison (recheck.Finding: its tests and relations become the
        reproduction's condition). `locate`: where the reproduction reads the compared data (`located`,
        `recheck.locator`); `earlier`: the earlier observation the findings' `Earlier` values read; `also`
        adds requirement ids to each; `fallback`: the ids of a finding that names none (a finding that names
        its own is reported on those alone: one wrong field is one row, not every entry the view serves);
        `success`: the step whose answer was compared only because it is a success, so a replay answering
        another outcome there passes the condition."""
        for finding in findings:
            reqs, message = tuple(finding)
            self.violate((tuple(reqs) + also) or fallback, message,
                         holds=self.condition_of(finding, locate, earlier=earlier, success=success))

    def condition_of(self, finding: Any, locate: Locate | None, *, earlier: Locate | None = None,
                     success: int | None = None) -> str | None:
        """A finding's condition for the reproduction (see `report_findings`), None when it has none."""
        if locate is None or not isinstance(finding, Finding):
            return None
        holds = condition(self.recheck, finding, locate, earlier)
        if holds is not None and success is not None:
            holds = self.recheck.any(f"not 200 <= {self.recheck.status(success)} < 300", holds)
        return holds

    def send(self, operation: str, resource_id: str | None = None, body: Any = None, *, query: Any = None,
             token: str | None = "full", headers: dict[str, str] | None = None,
             expect: set[tuple[int, str | None]] | None = None, reqs: tuple[str, ...] = (),
             commit: bool = True) -> tuple[httpx.Response, Expectation]:
        """One call: send, predict, compare, commit. `expect` replaces the oracle's prediction (and
        commits nothing); `reqs` replaces the requirements the outcome exercises."""
        op = self.spec.operations[operation]
        path = self.path(operation, resource_id)
        self.record.steps += 1
        spec_error = check_body(self.spec, op, body if body is not None else {}, self.plugin) \
            if op.body_pointer else None
        if query is not None:  # an empty query is checked too (a required parameter left out)
            named = {self.plugin.resource.path_param: resource_id} if resource_id else {}
            spec_error = spec_error or check_parameters(self.spec, op, named, query, {}).error(self.plugin)
        with self.clock.window() as holder:
            response = self.target.request(op.method, path, token=self.target.profile.token(token) if token else None,
                                           json_body=body, headers=headers, params=query)
        window = holder[0]
        payload = json_of(response)
        if expect is not None:
            expectation = Expectation(operation, frozenset(expect))
        else:
            expectation = self.oracle.predict(operation, self.tenant, window, resource_id=resource_id, body=body,
                                              query=query, spec_error=spec_error)
        got = outcome_of(self.plugin, response.status_code, payload)
        self.record.coverage[(operation, *got)] += 1
        self.record.exercise(reqs or self.catalogue.outcome(operation, *got),
                             weak=() if reqs else self.catalogue.outcome_shape_only(operation, *got))
        if self.transcript.clock_at is None:  # the target's now as the sequence began: a replay moves times by it
            self.transcript.clock_at = iso(window.start + (window.end - window.start) / 2)
        self.transcript.record(op.method, path, token, headers or {}, body, response, expectation.describe(),
                               expectation.statuses, self._creates(response.status_code, payload, resource_id),
                               acceptable=expectation.acceptable, query=query)
        as_status = response.status_code
        if not expectation.allows(got):
            alternative = self._other_success(expectation, got)
            status_reqs = self.catalogue.exercised(operation, "status") if alternative else ()
            if alternative and status_reqs:
                # One difference, one row: a success answered with another success status than the one the
                # documents (or our inference) give is a departure from the entry that fixes the status
                # only; the run goes on with the answer as the success it is.
                self.violate(status_reqs, f"{op.method} {op.path}: answered {got[0]} where "
                                          f"{expectation.describe()} is expected (the request succeeded)",
                             status_only=True)
                as_status = alternative
            else:
                codes = {c for _, c in expectation.acceptable} | {got[1]}
                moved = got[1] is not None and any(c == got[1] for _, c in expectation.acceptable)
                # The expected code under another status: the first entry about that code fixes its status.
                found = (self.catalogue.about(operation, {got[1]})[:1] if moved else ()) \
                    or self.catalogue.about(operation, codes) or reqs \
                    or self.catalogue.outcome(operation, 200, None) or self.unattributed()
                self.violate(found, f"{op.method} {op.path}: expected {expectation.describe()}, "
                                    f"got {got[0]} {got[1] or ''}", status_only=True)
                self._check_shape(op, response, payload)
                return response, expectation
        if commit and expect is None:
            decision = self.oracle.commit(expectation, self.tenant, window, as_status, payload,
                                          resource_id=resource_id, body=body, query=query)
            if decision is not None:
                self.committed(operation, resource_id, payload, decision)
                changed = self.plugin.resource.id_of(self.plugin.envelope.data(payload)) or resource_id
                if decision.changes and changed and changed not in self.written:
                    self.written.append(changed)
        if resource_id:
            self.touched = resource_id
        self._check_shape(op, response, payload, as_status=as_status)
        return response, expectation

    @staticmethod
    def _other_success(expectation: Expectation, got: tuple[int, str | None]) -> int | None:
        """The success status the documents expect when the target succeeded with another one, else None."""
        successes = {s for s, _ in expectation.acceptable if 200 <= s < 300}
        if 200 <= got[0] < 300 and len(successes) == 1:
            return successes.pop()
        return None

    def _creates(self, status: int, payload: Any, resource_id: str | None) -> str | None:
        """The transcript placeholder of a resource this answer created (so a reproduction can follow it)."""
        if not 200 <= status < 300:
            return None
        new_id = self.plugin.resource.id_of(self.plugin.envelope.data(payload))
        return self.transcript.placeholder(new_id) if new_id and new_id != resource_id else None

    def _check_shape(self, op: Operation, response: httpx.Response, payload: Any, *,
                     as_status: int | None = None) -> None:
        """Checked after the outcome and the values, whose requirements are the more specific. A success
        already reported for its status (`as_status`: the status it stands for) is held to that status's
        schema, so the one difference is not reported twice."""
        status = as_status or response.status_code
        shape = response_problems(self.spec, op, status, payload, response.headers.get("content-type"))
        reqs = self.shape_requirements(op.operation_id, status)
        if not shape:
            self.record.exercise(reqs, weak=reqs)
            return
        schema = response_schema(self.spec, op, status, response.headers.get("content-type"))
        declared = {key: sorted(self.spec.resolve(answer).get("content") or {}) for key, answer in op.responses.items()}
        # Re-checked against the declared schema when the answer's status and media type are declared,
        # else as "a declared status and media type" (`declared` in the reproduction).
        self.check(reqs, False, weak=reqs,
                   holds=None if schema is not None else f"declared({self.step}, {declared!r})",
                   schema=self.spec.schema_bundle(schema) if schema is not None else None,
                   message=f"{op.method} {op.path}: the answer does not match the spec:\n  " + "\n  ".join(shape[:5]))

    def send_keyed(self, operation: str, resource_id: str | None, body: dict[str, Any],
                   with_key: bool) -> httpx.Response:
        """A keyed (idempotent) operation, with a fresh Idempotency-Key when asked and the operation takes
        one; a keyed answer below 500 is remembered so an idempotency rule can replay it."""
        headers = {IDEMPOTENCY_HEADER: str(uuid.uuid4())} if with_key and operation in self.keyed_operations \
            else None
        response, _ = self.send(operation, resource_id, body=body, headers=headers)
        if headers and response.status_code < 500:
            self.keyed.append({"operation": operation, "resource_id": resource_id, "body": body,
                               "key": headers[IDEMPOTENCY_HEADER], "status": response.status_code,
                               "response": response.json(), "at": self.clock.now(), "step": self.step})
        return response

    def advance_by(self, seconds: float) -> None:
        """Move the target's admin clock, as a step of the transcript."""
        now = self.clock.advance(seconds)
        self.transcript.admin("/__mock/clock", {"advanceSeconds": seconds}, {"now": iso(now)})

    # --- end of a run -----------------------------------------------------------------------------

    def teardown(self) -> None:
        self.record.examples += 1
        self.record.stateful_seconds += time.perf_counter() - self.started
        if self.progress is not None and self.record.examples % 10 == 0:
            rate = self.record.steps_per_second
            self.progress(f"stateful suite: {self.record.examples} runs, {sum(self.record.coverage.values())} "
                          f"calls, {len(self.record.violations)} violations"
                          + (f", {rate:.0f} steps/s" if rate else ""))
        # Leave a real target as it was found: delete what this run created (best effort, unchecked); an API
        # without a delete keeps it, and the report says how many.
        if self.delete_operation is None:
            self.record.kept["the lifecycle machine"] += len(self.created)
            return
        interrupted: KeyboardInterrupt | None = None  # Ctrl-C during the cleanup: finish it, then stop
        for rid in self.created:
            try:
                self._remove(rid)
            except KeyboardInterrupt as exc:
                interrupted = exc
        if interrupted is not None:
            raise interrupted

    def _remove(self, rid: str) -> None:
        """Delete one resource this run created, if it is still there (best effort, unchecked)."""
        assert self.delete_operation is not None
        if not self.still_there(rid):
            return
        try:
            response = self.target.request(self.delete_operation.method,
                                           self.path(self.delete_operation.operation_id, rid),
                                           token=self.target.profile.token("full"))
            if not response.is_success and response.status_code != 404:
                self.record.not_removed.append(f"{rid}: {self.delete_operation.method} answered "
                                               f"{response.status_code}")
        except Exception as exc:  # noqa: BLE001 - cleanup must not mask the verdict
            self.record.not_removed.append(f"{rid}: {exc.__class__.__name__}: {exc}")
