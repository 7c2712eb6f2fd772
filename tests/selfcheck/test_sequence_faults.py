"""The suite must catch every faulty variant that only a sequence shows (sequence_faults.py), within the
default verify budget: the stateful suite's default number of examples (tests/contract/test_stateful.py),
derandomized and generation only as test_faulty_variants.py runs. Detection times are written to
reports/sequence-fault-detection.json.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mock_server import MockClock, create_app

from . import runner
from .runner import violations_in
from .sequence_faults import SEQUENCE_FAULTS

REPORTS = Path(__file__).resolve().parents[2] / "reports"
BUDGET_EXAMPLES = 60  # the default verify budget (tests/contract/test_stateful.py DEFAULT_EXAMPLES)
STEPS = 30
DETECTIONS: dict[str, dict] = {}


def frozen_mock():
    return create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True))


def run_suite(app, tmp_path) -> tuple[BaseException | None, float, int]:
    run = runner.run_suite(app, tmp_path, examples=BUDGET_EXAMPLES, steps=STEPS)
    return run.failure, run.seconds, run.record.examples

@pytest.mark.parametrize("fault", SEQUENCE_FAULTS, ids=[f.name for f in SEQUENCE_FAULTS])
@pytest.mark.slow
def test_suite_catches_sequence_fault(fault, monkeypatch, tmp_path):
    app = fault.install(monkeypatch, frozen_mock())
    failure, seconds, examples = run_suite(app, tmp_path)
    assert failure is not None, f"{fault.name} was not detected in {BUDGET_EXAMPLES} examples ({fault.breaks})"
    found = violations_in(failure)
    assert found, f"{fault.name}: the run failed, but not with a contract violation: {failure!r}"
    message = str(found[0])
    assert message.startswith("[CAMP-"), message
    assert "Reproduction" in message and list(tmp_path.glob("repro-*.py")), "no reproduction written"
    runner.assert_reproduces(found[0], monkeypatch, lambda: fault.install(monkeypatch, frozen_mock()), frozen_mock,
                             "/public/v1")
    DETECTIONS[fault.name] = {"seconds": round(seconds, 2), "examples": examples + 1, "breaks": fault.breaks,
                              "requirement": message.split("]")[0].lstrip("["), "violation": message.splitlines()[0]}


def teardown_module(module):
    if DETECTIONS:
        REPORTS.mkdir(exist_ok=True)
        (REPORTS / "sequence-fault-detection.json").write_text(json.dumps(DETECTIONS, indent=2, sort_keys=True))
