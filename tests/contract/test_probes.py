"""Schemathesis probes of the contract target: every operation (examples, coverage and fuzzing phases,
positive and negative data) and the spec's OpenAPI links, with the profile's `full` token, against the
same target as the stateful suite (the embedded mock in-process, or the profile's base_url). Checks and
why each is configured as it is: probes_support.py.

Sends: when the profile's capabilities lack `allow_sends`, every createScheduleJob/createSendJob request
the probes make carries `dryRun: true`; a negative job case that cannot carry it (body not an object,
`dryRun` not a boolean) is not sent at all. test_send_guard_keeps_every_job_a_dry_run checks this.
"""
from __future__ import annotations

import json

import pytest
import schemathesis

from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from state_machine.conformance.target import asgi_target

from .probes_support import (
    API, CLUB_API, READ_ONLY, JobRecorder, club_probe_case, load_club_probe_schema, run_club_stateful_probe,
    use_club_campaign_pool, NamelessCreateAccepted, ReadsLagBehindWrites, SummaryMissingFields, load_probe_schema, probe_case,
    probe_operation, run_stateful_probe, use_campaign_pool,
)

CHANNELS = ("email", "sms", "push", "direct_mail")


def _budget(contract_examples: int | None) -> tuple[int, int, int]:
    """(examples per operation, stateful runs, steps per run); --contract-examples N scales them."""
    if contract_examples:
        return contract_examples, max(2, contract_examples // 2), 12
    return 15, 10, 10  # ~15-20 s for the whole file on 2 cores against the embedded mock


@pytest.fixture(scope="session")
def probe_target(contract_target, contract_app, contract_api):
    if contract_api.name != API:
        pytest.skip(f"the probes are configured for {API}, not {contract_api.name}")
    profile = contract_target.profile
    return {"profile": profile, "app": contract_app, "token": profile.token("full"),
            "allow_sends": profile.can("allow_sends")}


@pytest.fixture(scope="session")
def probe_schema(probe_target, contract_target, contract_examples):
    examples, _, _ = _budget(contract_examples)
    schema = load_probe_schema(token=probe_target["token"], app=probe_target["app"],
                               base_url=probe_target["profile"].base_url, max_examples=examples)
    # Drafts of the probes' own, which fuzzing may change in any way; fixtures only for reading.
    own = []
    for i in range(2):
        for channel in CHANNELS:
            response = contract_target.request("POST", "/campaigns", token=probe_target["token"],
                                               json_body={"name": f"probe {channel} {i}", "channel": channel})
            assert response.status_code == 201, response.text
            own.append(response.json()["data"]["campaignId"])
    fixtures = [c["id"] for c in probe_target["profile"].fixtures.get("campaigns", [])]
    use_campaign_pool(schema, lambda op: own + fixtures if op in READ_ONLY else own)
    return schema


schema = schemathesis.pytest.from_fixture("probe_schema")


@schema.parametrize()
def test_operation(case, probe_target):
    probe_case(case, allow_sends=probe_target["allow_sends"])


def test_links(probe_target, contract_examples):
    _, runs, steps = _budget(contract_examples)
    stateful = load_probe_schema(token=probe_target["token"], app=probe_target["app"],
                                 base_url=probe_target["profile"].base_url)
    run_stateful_probe(stateful, allow_sends=probe_target["allow_sends"], max_examples=runs, steps=steps)


# --- the Club Campaigns API: the same probes, configured from its plug-in and spec -------------------------

@pytest.fixture(scope="session")
def club_probe_target(contract_target, contract_app, contract_api):
    if contract_api.name != CLUB_API:
        pytest.skip(f"the Club probes run against {CLUB_API}, not {contract_api.name}")
    profile = contract_target.profile
    return {"profile": profile, "app": contract_app, "token": profile.token("full"),
            "allow_sends": profile.can("allow_sends")}


@pytest.fixture(scope="session")
def club_probe_schema(club_probe_target, contract_target, contract_examples):
    examples, _, _ = _budget(contract_examples)
    profile = club_probe_target["profile"]
    schema = load_club_probe_schema(token=club_probe_target["token"], app=club_probe_target["app"],
                                    base_url=profile.base_url, max_examples=examples)
    tenant = profile.tokens["full"].get("tenant")
    club = next(c["id"] for c in profile.fixtures["clubs"] if c.get("tenant", tenant) == tenant)
    segment = next(s["id"] for s in profile.fixtures["segments"] if s.get("tenant", tenant) == tenant)
    own = []
    for i in range(4):  # the probes' own drafts, which fuzzing may change or move on in any way
        response = contract_target.request("POST", "/campaigns", token=club_probe_target["token"], json_body={
            "tenantId": tenant, "clubId": club, "name": f"probe {i}", "type": "ONE_TIME", "channels": ["EMAIL"],
            "segmentId": segment})
        assert response.status_code == 201, response.text
        own.append(response.json()["id"])
    use_club_campaign_pool(schema, own)
    return schema


club_schema = schemathesis.pytest.from_fixture("club_probe_schema")


@club_schema.parametrize()
def test_club_operation(case, club_probe_target):
    club_probe_case(case, profile=club_probe_target["profile"], allow_sends=club_probe_target["allow_sends"])


def test_club_links(club_probe_target, contract_examples):
    _, runs, steps = _budget(contract_examples)
    profile = club_probe_target["profile"]
    stateful = load_club_probe_schema(token=club_probe_target["token"], app=club_probe_target["app"],
                                      base_url=profile.base_url)
    run_club_stateful_probe(stateful, profile=profile, allow_sends=club_probe_target["allow_sends"],
                            max_examples=runs, steps=steps)


# --- the probes can fail, and the send guard holds (unit-style, on fresh embedded mocks) --------------------

@pytest.fixture
def mock_app():
    """A fresh embedded mock of the API these probes are configured for (whatever --api names), its clock
    frozen at the documents' example moment."""
    from mock_server import MockClock, create_app

    from conftest import DOC_EXAMPLE_NOW

    return create_app(clock=MockClock(DOC_EXAMPLE_NOW, frozen=True), api=API)


def _mock_profile(app):
    with asgi_target(app) as target:
        return target.profile


def _fixture_id(profile, role: str) -> str:
    return profile.with_role("campaigns", role)[0]["id"]


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
