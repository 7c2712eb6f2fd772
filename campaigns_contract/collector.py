"""A pytest plugin that keeps, for the report, each test's outcome and the requirements it checks.

One difference, one row: a failed test fails only the requirement ids its failure names (the
"[ID, ...]" its assertion or ContractViolation starts with); the test's other requirements are "blocked
by" those ids, not failed. A failure that names no id fails every requirement the test checks (nothing
better is known). A test skipped with "blocked by <id>: ..." (an earlier step departed from an inferred
requirement in a lenient run and the check could not go on) blocks its requirements the same way.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import pytest

from state_machine.conformance.record import RunRecord
from state_machine.conformance.verdict import BLOCKED_PREFIX, ids_in, ids_of

RECORD_KEY = pytest.StashKey[RunRecord]()  # where the contract suite finds the record to write to


@dataclass
class TestOutcome:
    nodeid: str
    outcome: str  # passed | failed | skipped
    requirement_ids: tuple[str, ...]
    detail: str = ""
    failing_ids: tuple[str, ...] = ()  # the ids the failure names (failed) or the block names (skipped)
    reason: str = ""  # one line: why it failed, was skipped or blocked

    @property
    def blocked(self) -> bool:
        return self.outcome == "skipped" and self.reason.startswith(BLOCKED_PREFIX)


@dataclass
class Collector:
    record: RunRecord = field(default_factory=RunRecord)
    outcomes: dict[str, TestOutcome] = field(default_factory=dict)
    collected: int = 0
    done: int = 0
    interrupted: bool = False
    interrupt_requested: bool = False  # Ctrl-C was pressed (request_interrupt), whether or not it got through
    stopped_by_time: bool = False
    progress: bool = False  # print counts and an ETA after each test
    started: float = field(default_factory=time.monotonic)

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[RECORD_KEY] = self.record
        self.config = config

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected = len(session.items)

    def pytest_keyboard_interrupt(self, excinfo) -> None:
        self.interrupted = True

    def request_interrupt(self, signum: int, frame) -> None:
        """The SIGINT handler of a run: remember it, then interrupt as Python does. A KeyboardInterrupt raised
        while a gc callback runs (Hypothesis installs one) is swallowed as "Exception ignored in ...", so the
        remembered request stops the run at the end of the current test instead (pytest_runtest_logfinish)."""
        self.interrupt_requested = True
        raise KeyboardInterrupt

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        deadline = item.config.getoption("--contract-deadline", None)
        if deadline and time.time() >= deadline:
            self.stopped_by_time = True
            item.session.shouldstop = "--max-time reached"
            pytest.skip("--max-time reached before this test")

    def pytest_runtest_logfinish(self, nodeid: str, location) -> None:
        if self.interrupt_requested and not self.interrupted:
            raise KeyboardInterrupt  # a Ctrl-C that was swallowed (request_interrupt): stop now
        if not self.progress or not self.collected:
            return
        elapsed = time.monotonic() - self.started
        n = len(self.outcomes)
        counts = {k: sum(1 for t in self.outcomes.values() if t.outcome == k) for k in ("passed", "failed", "skipped")}
        total = max(self.collected, n)  # the probes add one outcome per operation (subtests)
        eta = elapsed / n * (total - n) if n else 0.0
        line = (f"  [{n}/{total}] {counts['passed']} passed, {counts['failed']} failed, "
                f"{counts['skipped']} skipped · {len(self.record.violations)} violations, "
                f"{len(self.record.advisories)} advisories · {elapsed:.0f} s, ETA ~{eta:.0f} s")
        print(line, file=sys.stderr, flush=True)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call):
        report = yield
        ids = tuple(dict.fromkeys(rid for mark in item.iter_markers("req") for rid in mark.args))
        previous = self.outcomes.get(item.nodeid)
        if report.when == "call" or report.outcome != "passed":
            if previous is None or previous.outcome == "passed":
                detail, reason, failing = "", "", ()
                if report.outcome == "skipped" and isinstance(report.longrepr, tuple):
                    detail = reason = str(report.longrepr[2]).removeprefix("Skipped: ")
                    if reason.startswith(BLOCKED_PREFIX):
                        failing = ids_in("[" + reason[len(BLOCKED_PREFIX):].split(":")[0] + "]")
                elif report.outcome == "failed":
                    detail = report.longreprtext
                    exc = call.excinfo.value if call.excinfo is not None else None
                    failing = ids_of(exc)
                    reason = _one_line(exc) if exc is not None else (detail.strip().splitlines() or [""])[-1]
                self.outcomes[item.nodeid] = TestOutcome(item.nodeid, report.outcome, ids, detail, failing, reason)
        if report.when == "teardown":
            self.done += 1
            if getattr(item, "contract_stopped_by_time", False):
                self.stopped_by_time = True
        return report


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:500]
