"""The suite must catch every faulty variant of the Club Campaigns mock (club_faults.py) and name the rule
it broke, and must flag none of the conformant variants.

Each variant runs the stateful machine against a fresh embedded Club mock, derandomized and bounded,
generation only (no shrinking: detection is the point), until the first violation or the budget runs out.
Detection times are written to reports/club-fault-detection.json.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from state_machine.conformance.record import RunRecord

from . import runner
from .club_faults import CONFORMANT, FAULTS
from .runner import frozen_mock

API = "club-campaigns"
REPORTS = Path(__file__).resolve().parents[2] / "reports"
BUDGET_EXAMPLES = 40  # a clean run of this budget takes ~10 s; every fault is caught well within it
STEPS = 25
DETECTIONS: dict[str, dict] = {}


def club_mock():
    return frozen_mock(API)


def run_suite(app, tmp_path) -> tuple[BaseException | None, float, RunRecord]:
    assert app.state.plugin.name == API
    run = runner.run_suite(app, tmp_path, examples=BUDGET_EXAMPLES, steps=STEPS)
    return run.failure, run.seconds, run.record

def test_the_variants_are_at_least_fifteen_and_each_names_what_it_breaks():
    assert len(FAULTS) >= 15 and len({f.name for f in FAULTS + CONFORMANT}) == len(FAULTS) + len(CONFORMANT)
    for fault in FAULTS:
        assert fault.breaks.strip() and fault.catches, fault.name


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
@pytest.mark.slow
def test_suite_catches_club_faulty_variant(fault, monkeypatch, tmp_path):
    violation, run = runner.caught(fault, monkeypatch, tmp_path, api=API, base_path="/club/v1",
                                   examples=BUDGET_EXAMPLES, steps=STEPS)
    message, seconds = str(violation), run.seconds
    named = set(message.split("]")[0].lstrip("[").split(", "))
    assert named & set(fault.catches), f"{fault.name}: expected one of {fault.catches}, got {message[:600]}"
    DETECTIONS[fault.name] = {"seconds": round(seconds, 2), "breaks": " ".join(fault.breaks.split()),
                              "requirement": ", ".join(sorted(named)), "violation": message.splitlines()[0]}


@pytest.mark.parametrize("variant", CONFORMANT, ids=[v.name for v in CONFORMANT])
@pytest.mark.slow
def test_conformant_variant_is_not_flagged(variant, monkeypatch, tmp_path):
    failure, _, record = run_suite(variant.install(monkeypatch, club_mock()), tmp_path)
    assert failure is None, f"{variant.name} ({variant.breaks}) was flagged: {str(failure)[:2000]}"
    assert not record.violations and not record.advisories


@pytest.mark.slow
def test_correct_club_mock_passes_the_same_run(tmp_path):
    """The same settings on the correct mock find nothing: the variants' failures are theirs."""
    failure, _, record = run_suite(club_mock(), tmp_path)
    assert failure is None, f"the correct mock failed: {str(failure)[:2000]}"
    assert not record.violations and sum(record.coverage.values()) > 1000


def teardown_module(module):
    if DETECTIONS:
        REPORTS.mkdir(exist_ok=True)
        (REPORTS / "club-fault-detection.json").write_text(json.dumps(DETECTIONS, indent=2, sort_keys=True))
