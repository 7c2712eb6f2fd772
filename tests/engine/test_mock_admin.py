"""The mock's admin surface under /__mock/ (issue: profile, reset, clock, state export/import)."""
from __future__ import annotations

import yaml


def test_profile_describes_the_mock_with_the_request_origin(api):
    profile = api.admin("GET", "/profile").json()
    assert profile["api"] == "experiture-v1"
    assert profile["base_url"] == "http://mock.local/public/v1"  # the host the request came in on
    tokens = profile["tokens"]
    assert set(tokens["full"]["scopes"]) == {"campaigns:read", "campaigns:create", "campaigns:update",
                                             "campaigns:delete", "campaigns:schedule", "campaigns:send",
                                             "analytics:read"}
    assert set(tokens["reader"]["scopes"]) == {"campaigns:read", "analytics:read"}
    assert tokens["other_tenant"]["tenant"] != tokens["full"]["tenant"]
    singles = [t for name, t in tokens.items() if name.startswith("scope_")]
    assert len(singles) == 7 and all(len(t["scopes"]) == 1 for t in singles)
    roles = {c["role"] for c in profile["fixtures"]["campaigns"]}
    assert {"unsupported_type", "summary_unavailable", "version_missing", "preflight_blockers"} <= roles
    assert {a["reach"] for a in profile["fixtures"]["audiences"]} == {"ok", "fails"}
    assert {t["channel"] for t in profile["fixtures"]["templates"] if t["status"] == "published"} == {
        "email", "sms", "push", "direct_mail"}
    assert profile["capabilities"]["clock_control"] is True
    yaml.safe_dump(profile)  # a profile can be saved as YAML and given back with --target-profile


def test_clock_reads_and_moves_forward_only(api):
    assert api.admin("GET", "/clock").json() == {"now": "2026-04-25T10:00:00.000Z"}
    assert api.admin("POST", "/clock", {"advanceSeconds": 90}).json() == {"now": "2026-04-25T10:01:30.000Z"}
    assert api.admin("POST", "/clock", {"now": "2026-05-01T09:00:00Z"}).json() == {"now": "2026-05-01T09:00:00.000Z"}
    back = api.admin("POST", "/clock", {"now": "2026-04-01T00:00:00Z"})
    assert back.status_code == 400 and "only moves forward" in back.json()["error"]["message"]
    for bad in ({"advanceSeconds": -1}, {"advanceSeconds": "10"}, {"advanceSeconds": True}, {"now": "tomorrow"},
                {}, {"advanceSeconds": 1, "now": "2026-05-02T00:00:00Z"}):
        r = api.admin("POST", "/clock", bad)
        assert r.status_code == 400 and r.json()["success"] is False, bad
    assert api.admin("GET", "/clock").json() == {"now": "2026-05-01T09:00:00.000Z"}  # refusals moved nothing


def test_reset_restores_fixtures_and_can_restart_the_clock(api):
    created = api.request("POST", "/campaigns", token="mock-token-full", json_body={"name": "x", "channel": "sms"})
    cid = created.json()["data"]["campaignId"]
    api.admin("POST", "/clock", {"advanceSeconds": 3600})
    assert api.admin("POST", "/reset").json()["reset"] is True
    assert api.request("GET", f"/campaigns/{cid}", token="mock-token-full").status_code == 404
    assert api.request("GET", "/campaigns/4130bada-9264-465f-bc0c-a26bebcfcc81",
                       token="mock-token-full").status_code == 200
    restarted = api.admin("POST", "/reset", {"now": "2026-01-01T00:00:00Z"}).json()
    assert restarted["now"] == "2026-01-01T00:00:00.000Z"
    assert api.admin("POST", "/reset", {"now": "soon"}).status_code == 400


def test_state_exports_and_imports_whole(api):
    cid = api.request("POST", "/campaigns", token="mock-token-full",
                      json_body={"name": "kept", "channel": "email"}).json()["data"]["campaignId"]
    exported = api.admin("GET", "/state").json()
    assert exported["now"] == "2026-04-25T10:00:00.000Z"
    api.admin("POST", "/reset")
    assert api.request("GET", f"/campaigns/{cid}", token="mock-token-full").status_code == 404
    assert api.request("PUT", api.profile.admin_url + "/state", json_body=exported).json()["imported"] is True
    again = api.request("GET", f"/campaigns/{cid}", token="mock-token-full")
    assert again.status_code == 200 and again.json()["data"]["name"] == "kept"


def test_state_import_refuses_what_is_not_an_export_and_keeps_the_state(api):
    for bad in ({}, {"world": {"formatVersion": 99}}, {"world": {"formatVersion": 1, "campaigns": [{"id": 1}]}},
                {"world": {"formatVersion": 1, "campaigns": "nope"}}):
        r = api.request("PUT", api.profile.admin_url + "/state", json_body=bad)
        assert r.status_code == 400 and r.json()["error"]["code"].endswith("VALIDATION_FAILED"), bad
    r = api.request("PUT", api.profile.admin_url + "/state", content=b"{", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"].endswith("MALFORMED_BODY")
    assert api.request("GET", "/campaigns/4130bada-9264-465f-bc0c-a26bebcfcc81",
                       token="mock-token-full").status_code == 200
