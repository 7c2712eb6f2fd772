"""The suite must catch every faulty variant that only a sequence shows (sequence_faults.py), within the
default verify budget: the stateful suite's default number of examples (tests/contract/test_stateful.py),
derandomized and generation only as test_faulty_variants.py runs. Detection times are written to
reports/sequence-fault-detection.json.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import runner
from .sequence_faults import SEQUENCE_FAULTS

REPORTS = Path(__file__).resolve().parents[2] / "reports"
BUDGET_EXAMPLES = 60  # the default verify budget (tests/contract/test_stateful.py DEFAULT_EXAMPLES)
STEPS = 30
DETECTIONS: dict[str, dict] = {}


@pytest.mark.parametrize("fault", SEQUENCE_FAULTS, ids=[f.name for f in SEQUENCE_FAULTS])
@pytest.mark.slow
def test_suite_catches_sequence_fault(fault, monkeypatch, tmp_path):
    violation, run = runner.caught(fault, monkeypatch, tmp_path, base_path="/public/v1", examples=BUDGET_EXAMPLES,
                                   steps=STEPS)
    message, seconds, examples = str(violation), run.seconds, run.record.examples
    assert message.startswith("[CAMP-"), message
    DETECTIONS[fault.name] = {"seconds": round(seconds, 2), "examples": examples + 1, "breaks": fault.breaks,
                              "requirement": message.split("]")[0].lstrip("["), "violation": message.splitlines()[0]}


def teardown_module(module):
    if DETECTIONS:
        REPORTS.mkdir(exist_ok=True)
        (REPORTS / "sequence-fault-detection.json").write_text(json.dumps(DETECTIONS, indent=2, sort_keys=True))
