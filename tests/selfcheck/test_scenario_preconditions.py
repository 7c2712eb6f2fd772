"""One difference, one row, through the scenarios' helpers too: a step a scenario goes on from (create,
read, configure) that the target refuses fails the requirement id of that step, and the scenario's other
requirements are blocked by it, never failed (collector: a failure naming no id fails every requirement
its test checks)."""
from __future__ import annotations

import json

import pytest

from state_machine import registry
from state_machine.conformance.record import RunRecord
from state_machine.conformance.target import asgi_target
from state_machine.conformance.verdict import ids_of
from tests.contract.scenario_support import Scenario
from tests.helpers.live_server import live_mock
from tests.helpers.rewrite_answers import RewriteAnswers

from .club_faults import FAULTS as CLUB_FAULTS
from .runner import frozen_mock
from .test_cli import verify

REFUSED = {"success": False, "error": {"code": "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED", "message": "no"}}


def _refusing(suffix: str, method: str):
    def fn(m, path, status, body):
        return (400, REFUSED) if m == method and path.endswith(suffix) and status == 200 else (status, body)
    return fn


@pytest.mark.parametrize(("method", "suffix", "step", "ids"), [
    ("PUT", "/audience", lambda scn, cid: scn.put(cid, "audience", {"include": scn.audiences(1)}), ("CAMP-LIFE-002",)),
    ("PUT", "/schedule", lambda scn, cid: scn.put(cid, "schedule", {"timezone": "UTC"}), ("CAMP-LIFE-002",)),
    ("GET", "/summary", lambda scn, cid: scn.get(cid, "/summary"), ("CAMP-OBS-002",)),
    ("GET", "/status", lambda scn, cid: scn.get(cid, "/status"), ("CAMP-OBS-007",)),
])
def test_a_refused_step_fails_the_id_of_that_step(method, suffix, step, ids):
    app = RewriteAnswers(frozen_mock(), _refusing(suffix, method))
    with asgi_target(app) as target:
        scn = Scenario(target, strict=True, record=RunRecord(), plugin=registry.get("experiture-v1"))
        cid = scn.create("email")["campaignId"]
        try:
            with pytest.raises(AssertionError) as failed:
                step(scn, cid)
        finally:
            scn.cleanup()
    assert ids_of(failed.value) == ids, str(failed.value)


@pytest.mark.slow
def test_club_create_answering_200_is_one_row(monkeypatch, tmp_path):
    """004's create answers 201; a server answering 200 departs from CLUB-CREATE-001 only: the scenarios
    that create first (every one) and the probes' own drafts report the rest as blocked by it."""
    fault = next(f for f in CLUB_FAULTS if f.name == "create_answers_200")
    with live_mock(fault.install(monkeypatch, frozen_mock("club-campaigns"))) as origin:
        done = verify("--api", "club-campaigns", "--target-url", origin + "/club/v1", "--examples", "5",
                      "--shrink-seconds", "3", "--report", str(tmp_path / "conformance"))
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads((tmp_path / "conformance.json").read_text())
    rows = report["rows"]
    assert [r["id"] for r in rows if r["result"] == "fail"] == ["CLUB-CREATE-001"], done.stdout[-1500:]
    assert not report["unattributed_failures"], report["unattributed_failures"]
    assert all(set(r["blocked_by"]) <= {"CLUB-CREATE-001", "an earlier step"} for r in rows)
    assert sum(r["result"] == "blocked" for r in rows) > 10  # the scenarios ran, and stood on the create
