"""The probes can fail (each broken app is reported by the check that names its fault), and the send guard
keeps every job request a dry run. Unit-style, on fresh embedded mocks."""
from __future__ import annotations

import json

import pytest
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from state_machine.conformance.target import asgi_target
from tests.contract.probes_support import load_probe_schema, probe_operation, run_stateful_probe

from .broken_apps import JobRecorder, NamelessCreateAccepted, ReadsLagBehindWrites, SummaryMissingFields


@pytest.fixture
def mock_app():
    """A fresh embedded Campaigns mock (the API these broken apps break, whatever --api names), its clock
    frozen at the documents' example moment."""
    from conftest import DOC_EXAMPLE_NOW
    from mock_server import MockClock, create_app

    return create_app(clock=MockClock(DOC_EXAMPLE_NOW, frozen=True), api="experiture-v1")


def _fixture_id(profile, role: str) -> str:
    return profile.with_role("campaigns", role)[0]["id"]


def _mock_profile(app):
    with asgi_target(app) as target:
        return target.profile


def test_probe_reports_a_response_missing_required_fields(mock_app):
    """GET /summary answering 200 without the documented fields fails response_schema_conformance."""
    profile = _mock_profile(mock_app)
    broken = load_probe_schema(token=profile.token("full"), app=SummaryMissingFields(mock_app))
    with pytest.raises(FailureGroup) as failed:
        probe_operation(broken, "/campaigns/{campaign_id}/summary", "GET", GenerationMode.POSITIVE,
                        allow_sends=True, max_examples=5,
                        path_parameters={"campaign_id": _fixture_id(profile, "draft_email")})
    report = str(failed.value)
    assert [type(e).__name__ for e in failed.value.exceptions] == ["JsonSchemaError"], report
    assert "Response violates schema" in report and "curl -X GET" in report, report


def test_probe_reports_an_invalid_body_accepted(mock_app):
    """POST /campaigns taking a body without `name` (201 instead of 400) fails negative_data_rejection."""
    profile = _mock_profile(mock_app)
    broken = load_probe_schema(token=profile.token("full"), app=NamelessCreateAccepted(mock_app))
    with pytest.raises(FailureGroup) as failed:
        probe_operation(broken, "/campaigns", "POST", GenerationMode.NEGATIVE, allow_sends=True, max_examples=10,
                        where=lambda case: isinstance(case.body, dict) and "name" not in case.body)
    report = str(failed.value)
    assert "AcceptedNegativeData" in [type(e).__name__ for e in failed.value.exceptions], report
    assert "curl -X POST" in report, report


def test_links_probe_reports_a_created_campaign_not_found(mock_app):
    """Following a createCampaign/cloneCampaign link to a read that answers 404 fails
    ensure_resource_availability: the links phase can fail too."""
    broken = load_probe_schema(token=_mock_profile(mock_app).token("full"), app=ReadsLagBehindWrites(mock_app))
    with pytest.raises(FailureGroup) as failed:
        # Derandomized with room to spare: a random 6-run walk sometimes never followed a link after a 201,
        # which made this check of the check flaky.
        run_stateful_probe(broken, allow_sends=True, max_examples=25, steps=8, derandomize=True)
    report = str(failed.value)
    assert "EnsureResourceAvailability" in [type(e).__name__ for e in failed.value.exceptions], report
    assert "curl -X GET" in report, report


def _ready_email_draft(api, profile) -> str:
    """A draft that a committed job would really publish: audience, published template, a future sendAt."""
    token = profile.token("full")
    audience = next(a for a in profile.fixtures["audiences"] if a.get("role") == "ok" and a["tenant"] == "t1")
    template = next(t for t in profile.fixtures["templates"]
                    if t["channel"] == "email" and t.get("role") == "published" and t["tenant"] == "t1")
    cid = api.request("POST", "/campaigns", token=token,
                      json_body={"name": "guard", "channel": "email"}).json()["data"]["campaignId"]
    for path, body in (("/audience", {"include": [{"audienceId": audience["id"], "type": audience["type"]}]}),
                       ("/content", {"templateId": template["id"]}),
                       ("/schedule", {"mode": "at", "sendAt": "2026-05-01T09:00:00Z"})):  # after DOC_EXAMPLE_NOW
        response = api.request("PUT", f"/campaigns/{cid}{path}", token=token, json_body=body)
        assert response.status_code == 200, response.text
    return cid


def test_send_guard_keeps_every_job_a_dry_run(mock_app):
    """Without `allow_sends`, every job request the probes send is a dry run, in both generation modes;
    the control run (sends allowed) shows that the same probe would otherwise have published the campaign."""
    recorder = JobRecorder(mock_app)
    with asgi_target(mock_app) as api:
        profile = api.profile
        guarded, control = _ready_email_draft(api, profile), _ready_email_draft(api, profile)
        schema = load_probe_schema(token=profile.token("full"), app=recorder)
        for path in ("/campaigns/{campaign_id}/schedule-jobs", "/campaigns/{campaign_id}/send-jobs"):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                probe_operation(schema, path, "POST", mode, allow_sends=False, max_examples=15,
                                path_parameters={"campaign_id": guarded})
        assert recorder.job_bodies
        assert all(json.loads(body).get("dryRun") is True for body in recorder.job_bodies), recorder.job_bodies

        def status(cid: str) -> str:
            return api.request("GET", f"/campaigns/{cid}", token=profile.token("full")).json()["data"][
                "authoringStatus"]

        assert status(guarded) == "draft"
        probe_operation(schema, "/campaigns/{campaign_id}/send-jobs", "POST", GenerationMode.POSITIVE,
                        allow_sends=True, max_examples=15, path_parameters={"campaign_id": control})
        assert status(control) == "published"
