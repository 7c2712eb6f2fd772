"""The plug-in value, the error rendering, the world's serialization and the model's import hygiene."""
from __future__ import annotations

import ast
import json
from datetime import timedelta

import pytest

from state_machine import registry
from state_machine.apis.club_campaigns import fixtures, plugin
from state_machine.apis.club_campaigns.model import codes

from .support import NOW, ROOT, decide, spec, validator, world

MODEL = ROOT / "state_machine" / "apis" / "club_campaigns" / "model"


def test_the_registry_serves_the_plugin():
    assert registry.get("club-campaigns") is plugin
    assert plugin.spec_path.is_file() and plugin.catalogue_path.is_file()
    assert plugin.resource.path_param == "id" and plugin.resource.collection_path == "/campaigns"
    assert plugin.idempotency is None and plugin.machine is not None
    assert plugin.machine().__name__ == "ClubRules"  # the lifecycle rules, loaded lazily
    assert plugin.codes.insufficient_scope is None and plugin.codes.rate_limited == "CLUB.RATE_LIMITED"
    assert plugin.envelope.error_media_type == "application/problem+json"
    assert plugin.capabilities["second_tenant"] is True


def test_fixtures_name_their_roles_and_tokens():
    fx = plugin.fixtures(NOW)
    roles = {c["role"]: c for c in fx.profile_fixtures["campaigns"]}
    assert {"doc_example", "draft", "active", "paused", "completed", "cancelled", "recurring", "triggered",
            "journey", "other_tenant"} <= set(roles)
    assert {(t.name, t.token, t.tenant, t.scopes) for t in fx.tokens} >= {
        ("full", "club-token-full", "tenant_123", ()), ("other_tenant", "club-token-other-tenant", "tenant_456", ())}
    assert {s["id"]: s["size"] for s in fx.profile_fixtures["segments"]}["segment_456"] == 500
    assert {t["id"]: t["channel"] for t in fx.profile_fixtures["templates"]}.items() >= {
        "template_email_123": "EMAIL", "template_sms_456": "SMS"}.items()


def test_a_profiles_world_holds_its_reference_data():
    fx = plugin.fixtures(NOW)

    class Profile:
        tokens = {t.name: {"token": t.token, "tenant": t.tenant, "scopes": list(t.scopes)} for t in fx.tokens}
        fixtures = fx.profile_fixtures

    w = plugin.world_from_profile(Profile())
    assert set(w.tenants) == {"tenant_123", "tenant_456"}
    assert w.segments["segment_456"].size == 500 and w.templates["template_sms_456"].channel == "SMS"
    assert w.clubs["club_456"].timezone == "Africa/Johannesburg" and w.campaigns == {}


@pytest.mark.req("CLUB-ERR-001", "CLUB-ERR-002")
@pytest.mark.parametrize("code", codes.ALL)
def test_every_error_renders_as_problem_details(code):
    err = codes.error(code, "something is wrong", {"errors": [{"field": "name", "message": "required"}],
                                                   "status": 999, "type": "overwrite?"}
                      if code == codes.VALIDATION_FAILED else
                      {"currentStatus": "ACTIVE", "allowedActions": ["pause"]}
                      if code == codes.INVALID_TRANSITION else {})
    problem = plugin.envelope.render_error(err)
    assert problem["status"] == err.status == codes.STATUS[code] and problem["code"] == code
    assert problem["type"].startswith("https://errors.club-campaigns.example/") and problem["title"]
    assert problem["detail"] == "something is wrong"
    assert plugin.envelope.error_code(problem) == code
    assert not list(validator({"$ref": "#/components/schemas/Problem"}).iter_errors(problem))


def test_success_bodies_are_the_raw_data():
    d = decide(world(), "getCampaign", "campaign_123")
    assert plugin.envelope.render(d) is d.data and plugin.envelope.data(d.data) is d.data
    assert plugin.envelope.error_code(d.data) is None


@pytest.mark.req("CLUB-VAL-005")
def test_timestamps_are_whole_seconds_unless_the_time_has_a_fraction():
    w = world()
    d = decide(w, "scheduleCampaign", "campaign_draft_001", body={"scheduledAt": "2025-12-20T11:00:00.250+02:00"})
    assert d.data["scheduledAt"] == "2025-12-20T09:00:00.25Z"
    assert decide(w, "getCampaign", "campaign_123").data["createdAt"] == "2025-12-14T10:00:00Z"


def test_the_world_survives_a_json_round_trip():
    w = world()
    decide(w, "executeCampaign", "campaign_draft_001")
    decide(w, "pauseCampaign", "campaign_draft_001", now=NOW + timedelta(minutes=10))
    decide(w, "resumeCampaign", "campaign_draft_001", now=NOW + timedelta(minutes=20))
    data = json.loads(json.dumps(plugin.world_to_data(w)))
    back = plugin.world_from_data(data)
    assert back == w
    later = NOW + timedelta(minutes=40)
    for op in ("getCampaignStats", "getCampaignInteractions"):
        for cid in w.campaigns:
            assert decide(back, op, cid, now=later).data == decide(w, op, cid, now=later).data


@pytest.mark.parametrize("bad", [None, [], {"formatVersion": 2}, {"formatVersion": 1, "campaigns": {}},
                                 {"formatVersion": 1, "campaigns": [{"id": "x"}]},
                                 {"formatVersion": 1, "extra": []}])
def test_an_export_that_is_not_one_is_refused(bad):
    with pytest.raises(ValueError):
        plugin.world_from_data(bad)


def test_the_model_imports_only_the_standard_library_and_the_kernel():
    import sys
    allowed = set(sys.stdlib_module_names) | {"state_machine"}
    for path in MODEL.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    continue
                assert node.module == "__future__" or node.module.split(".")[0] in allowed, (path.name, node.module)
                if node.module.startswith("state_machine"):
                    assert node.module.startswith("state_machine.kernel"), (path.name, node.module)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] in allowed - {"state_machine"}, (path.name, alias.name)


def test_fixture_build_is_deterministic_at_any_moment():
    later = NOW + timedelta(days=200, hours=3, microseconds=17)
    assert plugin.world_to_data(fixtures.build(later).world) == plugin.world_to_data(fixtures.build(later).world)
    w = fixtures.build(later).world
    for cid in w.campaigns:
        tenant = w.campaigns[cid].tenant
        assert decide(w, "getCampaign", cid, now=later, tenant=tenant).status == 200
    assert spec()["info"]["title"] == plugin.title
