"""The suite must catch every faulty variant of the mock (faults.py), and say which rule broke.

Each variant runs the stateful machine against a fresh embedded mock with that one fault, generation
only (no shrinking, to measure detection), until the first violation or the budget runs out. Detection
times are written to reports/fault-detection.json.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from mock_server import MockClock, create_app
from state_machine.conformance.machine import build_machine
from state_machine.conformance.target import asgi_target
from state_machine.conformance.verdict import ContractViolation

from .faults import FAULTS

REPORTS = Path(__file__).resolve().parents[2] / "reports"
BUDGET_EXAMPLES = 300
DETECTIONS: dict[str, dict] = {}


def violations_in(exc: BaseException) -> list[ContractViolation]:
    if isinstance(exc, ContractViolation):
        return [exc]
    if isinstance(exc, BaseExceptionGroup):
        return [v for e in exc.exceptions for v in violations_in(e)]
    return []


def run_suite(app, tmp_path) -> tuple[BaseException | None, float]:
    with asgi_target(app) as target:
        machine = build_machine(target, strict=True, report_dir=tmp_path)
        test = machine.TestCase
        test.settings = settings(max_examples=BUDGET_EXAMPLES, stateful_step_count=30, deadline=None,
                                 phases=[Phase.generate], database=None, derandomize=True,
                                 suppress_health_check=list(HealthCheck))
        started = time.perf_counter()
        try:
            test("runTest").runTest()
        except BaseException as exc:  # noqa: BLE001 - a violation arrives as the test's failure
            return exc, time.perf_counter() - started
        return None, time.perf_counter() - started


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
@pytest.mark.slow
def test_suite_catches_faulty_variant(fault, monkeypatch, tmp_path):
    app = fault.install(monkeypatch, create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True)))
    failure, seconds = run_suite(app, tmp_path)
    assert failure is not None, f"{fault.name} was not detected in {BUDGET_EXAMPLES} examples ({fault.breaks})"
    found = violations_in(failure)
    assert found, f"{fault.name}: the run failed, but not with a contract violation: {failure!r}"
    message = str(found[0])
    assert message.startswith("[CAMP-"), message  # names the requirement it breaks
    assert "Reproduction" in message and list(tmp_path.glob("repro-*.py")), "no reproduction written"
    DETECTIONS[fault.name] = {"seconds": round(seconds, 2), "breaks": fault.breaks,
                              "requirement": message.split("]")[0].lstrip("["), "violation": message.splitlines()[0]}


@pytest.mark.slow
def test_correct_mock_passes_the_same_run(tmp_path):
    """The same settings on the correct mock find nothing: the variants' failures are theirs."""
    failure, _ = run_suite(create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True)), tmp_path)
    assert failure is None, f"the correct mock failed: {failure}"


def teardown_module(module):
    if DETECTIONS:
        REPORTS.mkdir(exist_ok=True)
        (REPORTS / "fault-detection.json").write_text(json.dumps(DETECTIONS, indent=2, sort_keys=True))
