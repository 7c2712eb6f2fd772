"""The suite must catch every faulty variant of the mock (faults.py), and say which rule broke.

Each variant runs the stateful machine against a fresh embedded mock with that one fault, generation
only (no shrinking, to measure detection), until the first violation or the budget runs out. Detection
times are written to reports/fault-detection.json.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import runner
from .faults import FAULTS
from .runner import frozen_mock

REPORTS = Path(__file__).resolve().parents[2] / "reports"
BUDGET_EXAMPLES = 300
DETECTIONS: dict[str, dict] = {}




def run_suite(app, tmp_path) -> tuple[BaseException | None, float]:
    run = runner.run_suite(app, tmp_path, examples=BUDGET_EXAMPLES, steps=30)
    return run.failure, run.seconds

@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
@pytest.mark.slow
def test_suite_catches_faulty_variant(fault, monkeypatch, tmp_path):
    violation, run = runner.caught(fault, monkeypatch, tmp_path, base_path="/public/v1", examples=BUDGET_EXAMPLES,
                                   steps=30)
    message, seconds = str(violation), run.seconds
    assert message.startswith("[CAMP-"), message  # names the requirement it breaks
    DETECTIONS[fault.name] = {"seconds": round(seconds, 2), "breaks": fault.breaks,
                              "requirement": message.split("]")[0].lstrip("["), "violation": message.splitlines()[0]}


@pytest.mark.slow
def test_correct_mock_passes_the_same_run(tmp_path):
    """The same settings on the correct mock find nothing: the variants' failures are theirs."""
    failure, _ = run_suite(frozen_mock(), tmp_path)
    assert failure is None, f"the correct mock failed: {failure}"


def teardown_module(module):
    if DETECTIONS:
        REPORTS.mkdir(exist_ok=True)
        (REPORTS / "fault-detection.json").write_text(json.dumps(DETECTIONS, indent=2, sort_keys=True))
