"""One derandomized, generation-only run of the stateful suite against an in-process app: how the
self-checks measure whether (and how fast) a faulty variant is caught."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings

from state_machine.conformance.machine import build_machine
from state_machine.conformance.record import RunRecord
from state_machine.conformance.target import asgi_target
from state_machine.conformance.verdict import ContractViolation


@dataclass
class SuiteRun:
    failure: BaseException | None  # what ended the run (a violation, normally), None when it conformed
    seconds: float
    record: RunRecord


def run_suite(app, report_dir: Path, *, examples: int, steps: int) -> SuiteRun:
    record = RunRecord()
    with asgi_target(app) as target:
        machine = build_machine(target, strict=True, report_dir=report_dir, record=record)
        test = machine.TestCase
        test.settings = settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                                 phases=[Phase.generate], database=None, derandomize=True,
                                 suppress_health_check=list(HealthCheck))
        started = time.perf_counter()
        try:
            test("runTest").runTest()
        except BaseException as exc:  # noqa: BLE001 - a violation arrives as the test's failure
            return SuiteRun(exc, time.perf_counter() - started, record)
        return SuiteRun(None, time.perf_counter() - started, record)


def violations_in(exc: BaseException | None) -> list[ContractViolation]:
    if isinstance(exc, ContractViolation):
        return [exc]
    if isinstance(exc, BaseExceptionGroup):
        return [v for e in exc.exceptions for v in violations_in(e)]
    return []
