"""Access rules through HTTP against the embedded mock: scopes (000's endpoint table), authentication
(401), tenant isolation and NOT_FOUND (404), the response envelopes, unknown paths (404) and methods (405).

Expected values come from the documents (000 endpoint index and OAuth scopes, 001/002 error tables,
003 envelopes) and openapi/experiture-v1/decisions.md (cross-cutting table, "Precedence in the mock").
"""
from __future__ import annotations

import pytest

from contract_spec import load_spec
from state_machine.apis.experiture_v1 import plugin

INSUFFICIENT_SCOPE = "JOURNEY_API.AUTH.INSUFFICIENT_SCOPE"
UNAUTHENTICATED = "JOURNEY_API.AUTH.UNAUTHENTICATED"
INVALID_TOKEN = "JOURNEY_API.AUTH.INVALID_TOKEN"
NOT_FOUND = "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND"
METHOD_NOT_ALLOWED = "JOURNEY_API.PUBLIC.CAMPAIGNS.METHOD_NOT_ALLOWED"

# 000 Endpoint Index: operationId (decisions page) -> (method, path, scope)
OPERATIONS = {
    "createCampaign": ("POST", "/campaigns", "campaigns:create"),
    "listCampaigns": ("GET", "/campaigns", "campaigns:read"),
    "getCampaign": ("GET", "/campaigns/{campaign_id}", "campaigns:read"),
    "updateCampaign": ("PATCH", "/campaigns/{campaign_id}", "campaigns:update"),
    "deleteCampaign": ("DELETE", "/campaigns/{campaign_id}", "campaigns:delete"),
    "archiveCampaign": ("POST", "/campaigns/{campaign_id}/archive", "campaigns:delete"),
    "cloneCampaign": ("POST", "/campaigns/{campaign_id}/clone", "campaigns:create"),
    "replaceCampaignAudience": ("PUT", "/campaigns/{campaign_id}/audience", "campaigns:update"),
    "replaceCampaignContent": ("PUT", "/campaigns/{campaign_id}/content", "campaigns:update"),
    "setCampaignSchedule": ("PUT", "/campaigns/{campaign_id}/schedule", "campaigns:update"),
    "runCampaignPreflight": ("POST", "/campaigns/{campaign_id}/preflight", "campaigns:read"),
    "createScheduleJob": ("POST", "/campaigns/{campaign_id}/schedule-jobs", "campaigns:schedule"),
    "createSendJob": ("POST", "/campaigns/{campaign_id}/send-jobs", "campaigns:send"),
    "getCampaignSummary": ("GET", "/campaigns/{campaign_id}/summary", "campaigns:read"),
    "getCampaignStatus": ("GET", "/campaigns/{campaign_id}/status", "campaigns:read"),
    "getCampaignMetrics": ("GET", "/campaigns/{campaign_id}/metrics", "analytics:read"),
}
ITEM_OPERATIONS = [op for op, (_, path, _) in OPERATIONS.items() if "{campaign_id}" in path]
# 000 OAuth Scopes
SCOPES = ["campaigns:read", "campaigns:create", "campaigns:update", "campaigns:delete",
          "campaigns:schedule", "campaigns:send", "analytics:read"]
SCOPE_REQS = {op: f"CAMP-SCOPE-{i:03d}" for i, op in enumerate(OPERATIONS, start=1)}
# Requirements that restate the 403 rule per operation (001/002 tables, inferred for the rest)
AUTH_403_REQS = {"replaceCampaignAudience": "CAMP-AUTH-002", "setCampaignSchedule": "CAMP-AUTH-003",
                 "createScheduleJob": "CAMP-AUTH-004", "createSendJob": "CAMP-AUTH-004"}
NOT_FOUND_REQS = {"replaceCampaignAudience": "CAMP-ERR-001", "setCampaignSchedule": "CAMP-ERR-002",
                  "createScheduleJob": "CAMP-ERR-003", "createSendJob": "CAMP-ERR-003"}

EMAIL_DRAFT = "c0000000-0000-4000-8000-000000000001"
JOURNEY = "c0000000-0000-4000-8000-000000000002"
SUMMARY_UNAVAILABLE_CAMPAIGN = "c0000000-0000-4000-8000-000000000004"
PUBLISHED = "c0000000-0000-4000-8000-000000000007"
OTHER_TENANT_DRAFT = "c0000000-0000-4000-8000-000000000201"
UNKNOWN = "9f1c2e3d-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
SEGMENT = "a1b2c3d4-0000-0000-0000-000000000001"
EMAIL_TEMPLATE = "5e3a1c2d-0000-4000-8000-000000000001"
SMS_TEMPLATE = "5e3a1c2d-0000-4000-8000-000000000002"

FULL, READER, NO_SCOPES = "mock-token-full", "mock-token-reader", "mock-token-no-scopes"
OTHER_TENANT = "mock-token-other-tenant"

# A body each operation accepts on a ready email draft.
BODIES = {
    "createCampaign": {"name": "Access probe", "channel": "email"},
    "updateCampaign": {"name": "Renamed"},
    "cloneCampaign": {},
    "replaceCampaignAudience": {"include": [{"audienceId": SEGMENT, "type": "segment"}]},
    "replaceCampaignContent": {"templateId": EMAIL_TEMPLATE},
    "setCampaignSchedule": {"mode": "at", "sendAt": "2026-05-01T09:00:00Z"},
    "createScheduleJob": {},
    "createSendJob": {},
}
SUCCESS = {"createCampaign": 201, "cloneCampaign": 201, "createScheduleJob": 201, "createSendJob": 201}


# --------------------------------------------------------------------------- helpers
def scope_token(scope: str) -> str:
    return "mock-token-scope-" + scope.replace(":", "-")


def call(api, op: str, cid: str = EMAIL_DRAFT, token: str | None = FULL, **kw):
    method, path, _ = OPERATIONS[op]
    if op in BODIES and "json_body" not in kw and "content" not in kw:
        kw["json_body"] = BODIES[op]
    return api.request(method, path.replace("{campaign_id}", cid), token=token, **kw)


def make_ready(api, cid: str = EMAIL_DRAFT) -> None:
    """Bind audience, published template and a future schedule intent, so every operation can succeed."""
    for op in ("replaceCampaignAudience", "replaceCampaignContent", "setCampaignSchedule"):
        r = call(api, op, cid)
        assert r.status_code == 200, r.text


def state(api) -> dict:
    r = api.admin("GET", "/state")
    assert r.status_code == 200
    return r.json()


def error_of(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def assert_insufficient_scope(r, scope: str) -> None:
    err = error_of(r, 403, INSUFFICIENT_SCOPE)
    assert err["details"]["requiredScope"] == scope
    challenge = r.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert 'error="insufficient_scope"' in challenge and f'scope="{scope}"' in challenge


def create(api, token: str = FULL) -> str:
    r = api.request("POST", "/campaigns", token=token, json_body={"name": "Scratch", "channel": "email"})
    assert r.status_code == 201, r.text
    return r.json()["data"]["campaignId"]


# --------------------------------------------------------------------------- scopes (000)
@pytest.mark.req("CAMP-AUTH-006", "CAMP-ENV-002")
@pytest.mark.parametrize("op", [
    pytest.param(op, marks=pytest.mark.req(*([SCOPE_REQS[op], AUTH_403_REQS.get(op, "CAMP-AUTH-005")]
                                            + (["CAMP-SCOPE-018"] if op in ("createScheduleJob", "createSendJob")
                                               else []))))
    for op in OPERATIONS])
def test_each_operation_accepts_exactly_its_documented_scope(api, op):
    scope = OPERATIONS[op][2]
    make_ready(api)
    before = state(api)
    for other in [s for s in SCOPES if s != scope]:
        assert_insufficient_scope(call(api, op, token=scope_token(other)), scope)
    assert_insufficient_scope(call(api, op, token=NO_SCOPES), scope)
    assert state(api) == before, "a request refused with 403 changed the state"

    r = call(api, op, token=scope_token(scope))
    assert r.status_code == SUCCESS.get(op, 200), r.text
    body = r.json()
    assert body["success"] is True and "data" in body  # 001/003 success envelope


@pytest.mark.req("CAMP-SCOPE-017")
def test_reporting_token_reads_but_cannot_write(api):
    """000: a reporting client needs only campaigns:read and analytics:read."""
    make_ready(api)
    reads = ["listCampaigns", "getCampaign", "getCampaignSummary", "getCampaignStatus", "runCampaignPreflight",
             "getCampaignMetrics"]
    for op in reads:
        r = call(api, op, token=READER)
        assert r.status_code == 200, (op, r.text)
    before = state(api)
    for op in [o for o in OPERATIONS if o not in reads]:
        assert_insufficient_scope(call(api, op, token=READER), OPERATIONS[op][2])
    assert state(api) == before


@pytest.mark.req("CAMP-SCOPE-016")
def test_metrics_needs_analytics_read_not_campaigns_read(api):
    assert_insufficient_scope(call(api, "getCampaignMetrics", token=scope_token("campaigns:read")), "analytics:read")
    assert call(api, "getCampaignMetrics", token=scope_token("analytics:read")).status_code == 200


@pytest.mark.req("CAMP-SCOPE-018", "CAMP-AUTH-004")
def test_schedule_and_send_scopes_are_not_interchangeable(api):
    make_ready(api)
    assert_insufficient_scope(call(api, "createScheduleJob", token=scope_token("campaigns:send")),
                              "campaigns:schedule")
    assert_insufficient_scope(call(api, "createSendJob", token=scope_token("campaigns:schedule")), "campaigns:send")
    assert call(api, "getCampaign", token=FULL).json()["data"]["authoringStatus"] == "draft"


@pytest.mark.req("CAMP-SCOPE-019", "CAMP-AUTH-009")
def test_spec_declares_oauth2_with_the_seven_scopes_and_one_scope_per_operation():
    spec = load_spec(plugin.spec_path)
    schemes = spec.document["components"]["securitySchemes"]
    assert list(schemes) == ["oauth2"]
    assert schemes["oauth2"]["type"] == "oauth2"
    assert set(schemes["oauth2"]["flows"]) == {"clientCredentials"}
    assert set(schemes["oauth2"]["flows"]["clientCredentials"]["scopes"]) == set(SCOPES)
    assert set(spec.operations) == set(OPERATIONS)
    for op_id, (method, path, scope) in OPERATIONS.items():
        raw = spec.document["paths"][path][method.lower()]
        assert raw["security"] == [{"oauth2": [scope]}], op_id
        assert spec.operations[op_id].scopes == (scope,)


# --------------------------------------------------------------------------- authentication (401)
@pytest.mark.req("CAMP-AUTH-001", "CAMP-AUTH-007", "CAMP-ENV-004")
@pytest.mark.parametrize("op", list(OPERATIONS))
def test_request_without_bearer_token_is_401_unauthenticated(api, op):
    make_ready(api)
    before = state(api)
    r = call(api, op, token=None)
    err = error_of(r, 401, UNAUTHENTICATED)
    assert err["details"] == {}
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="experiture"'
    assert state(api) == before


@pytest.mark.req("CAMP-AUTH-001", "CAMP-AUTH-008", "CAMP-ENV-004")
@pytest.mark.parametrize("op", list(OPERATIONS))
def test_unknown_bearer_token_is_401_invalid_token(api, op):
    make_ready(api)
    before = state(api)
    r = call(api, op, token="mock-token-does-not-exist")
    err = error_of(r, 401, INVALID_TOKEN)
    assert err["details"] == {}
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="experiture", error="invalid_token"'
    assert state(api) == before


@pytest.mark.req("CAMP-AUTH-001", "CAMP-AUTH-008")
@pytest.mark.parametrize("authorization", ["Basic bW9jay10b2tlbi1mdWxsOg==", "Bearer", "Bearer ",
                                           "Token mock-token-full", "mock-token-full"])
def test_malformed_authorization_is_401_invalid_token(api, authorization):
    before = state(api)
    r = api.request("POST", "/campaigns", headers={"Authorization": authorization},
                    json_body={"name": "Nope", "channel": "email"})
    error_of(r, 401, INVALID_TOKEN)
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="experiture", error="invalid_token"'
    assert state(api) == before


@pytest.mark.req("CAMP-AUTH-010")
def test_authentication_is_checked_before_scope_validation_and_lookup(api):
    # no / invalid token: 401 even when the body is malformed, the id is not a UUID, or the campaign unknown
    r = api.request("POST", "/campaigns", content=b"{", headers={"Content-Type": "application/json"})
    error_of(r, 401, UNAUTHENTICATED)
    r = api.request("PUT", "/campaigns/not-a-uuid/audience", token="mock-token-bogus", json_body={"include": []})
    error_of(r, 401, INVALID_TOKEN)
    error_of(api.request("GET", f"/campaigns/{UNKNOWN}", token="mock-token-bogus"), 401, INVALID_TOKEN)
    error_of(api.request("POST", "/campaigns", token=None, json_body={"name": "x", "channel": "email"},
                         headers={"Idempotency-Key": "123"}), 401, UNAUTHENTICATED)


@pytest.mark.req("CAMP-AUTH-010")
def test_scope_is_checked_before_body_parameters_and_lookup(api):
    before = state(api)
    # a valid token without the scope: 403 before media type, JSON, schema, path and campaign lookup
    assert_insufficient_scope(api.request("POST", "/campaigns", token=READER, content=b"{",
                                          headers={"Content-Type": "application/json"}), "campaigns:create")
    assert_insufficient_scope(api.request("POST", "/campaigns", token=READER, content=b"name=x",
                                          headers={"Content-Type": "text/plain"}), "campaigns:create")
    assert_insufficient_scope(api.request("POST", "/campaigns", token=READER, json_body={"name": ""}),
                              "campaigns:create")
    assert_insufficient_scope(call(api, "replaceCampaignAudience", token=READER, json_body={"include": []}),
                              "campaigns:update")
    assert_insufficient_scope(call(api, "updateCampaign", cid="not-a-uuid", token=scope_token("campaigns:read")),
                              "campaigns:update")
    assert_insufficient_scope(call(api, "getCampaign", cid=UNKNOWN, token=NO_SCOPES), "campaigns:read")
    assert_insufficient_scope(api.request("GET", "/campaigns", token=scope_token("analytics:read"),
                                          params={"limit": 500}), "campaigns:read")
    assert state(api) == before


# --------------------------------------------------------------------------- base path and envelopes
@pytest.mark.req("CAMP-ENV-001")
def test_operations_are_served_under_public_v1(api):
    spec = load_spec(plugin.spec_path)
    assert spec.document["servers"][0]["url"] == "https://api.experiture.ai/public/v1"
    assert all(path.startswith("/campaigns") for path in spec.document["paths"])
    assert api.profile.base_url.endswith("/public/v1")
    assert api.request("GET", "/campaigns", token=FULL).status_code == 200
    origin = api.profile.base_url[: -len("/public/v1")]
    r = api.request("GET", origin + "/campaigns", token=FULL)  # the same path without the base path
    assert r.status_code == 404


@pytest.mark.req("CAMP-ENV-002")
def test_list_success_envelope_adds_pagination(api):
    body = api.request("GET", "/campaigns", token=FULL).json()
    assert body["success"] is True and isinstance(body["data"], list)
    assert set(body["pagination"]) == {"total", "limit", "offset"}
    assert body["pagination"]["limit"] == 25 and body["pagination"]["offset"] == 0  # defaults


@pytest.mark.req("CAMP-ENV-003")
def test_spec_campaign_id_is_a_uuid_path_parameter():
    spec = load_spec(plugin.spec_path)
    for op_id in ITEM_OPERATIONS:
        op = spec.operations[op_id]
        assert op.path == OPERATIONS[op_id][1]
        [param] = [p for p in op.parameters if p.location == "path"]
        assert param.name == "campaign_id" and param.required
        assert spec.resolve(param.schema) == {"type": "string", "format": "uuid"}


@pytest.mark.req("CAMP-ENV-004")
def test_error_envelope_has_code_message_and_empty_details(api):
    cases = [
        (api.request("GET", "/campaigns/" + EMAIL_DRAFT + "/nowhere", token=FULL), 404),
        (api.request("DELETE", "/campaigns", token=FULL), 405),
        (api.request("POST", "/campaigns", token=FULL, content=b"{", headers={"Content-Type": "application/json"}),
         400),
        (api.request("POST", "/campaigns", token=FULL, content=b"{}", headers={"Content-Type": "text/plain"}), 415),
        (api.request("GET", "/campaigns", token=None), 401),
    ]
    for r, status in cases:
        assert r.status_code == status, r.text
        body = r.json()
        assert set(body) == {"success", "error"} and body["success"] is False
        assert set(body["error"]) == {"code", "message", "details"}
        assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
        assert body["error"]["details"] == {}


# --------------------------------------------------------------------------- 404 (002, 001, inferred)
@pytest.mark.parametrize("op", [
    pytest.param(op, marks=pytest.mark.req(NOT_FOUND_REQS.get(op, "CAMP-ERR-005"))) for op in ITEM_OPERATIONS])
def test_missing_deleted_or_other_tenants_campaign_is_404(api, op):
    deleted = create(api)
    assert api.request("DELETE", f"/campaigns/{deleted}", token=FULL).status_code == 200
    make_ready(api)
    before = state(api)
    attempts = [
        call(api, op, cid=UNKNOWN),                            # never existed
        call(api, op, cid=deleted),                            # soft-deleted
        call(api, op, cid=OTHER_TENANT_DRAFT),                 # t2's campaign with a t1 token
        call(api, op, cid=EMAIL_DRAFT, token=OTHER_TENANT),    # t1's campaign with a t2 token
    ]
    for r in attempts:
        error_of(r, 404, NOT_FOUND)  # never 403, never another code
    assert state(api) == before
    # the other tenant's campaign is still there for its owner
    assert api.request("GET", f"/campaigns/{OTHER_TENANT_DRAFT}", token=OTHER_TENANT).status_code == 200


# --------------------------------------------------------------------------- namespace (000)
ALLOWED_PREFIXES = ("JOURNEY_API.PUBLIC.CAMPAIGNS.", "JOURNEY_API.AUTH.", "JOURNEY_API.SCHEDULE.",
                    "JOURNEY_API.BROADCASTS.SCHEDULE.")


def _declared_codes(node, spec=None):
    """The `code` enums under `node`; a response shared through components/responses is followed there."""
    if isinstance(node, dict):
        if spec is not None and str(node.get("$ref", "")).startswith("#/components/responses/"):
            yield from _declared_codes(spec.resolve(node), spec)
            return
        code = node.get("properties", {}).get("code") if isinstance(node.get("properties"), dict) else None
        if isinstance(code, dict) and "enum" in code:
            yield from code["enum"]
        for value in node.values():
            yield from _declared_codes(value, spec)
    elif isinstance(node, list):
        for value in node:
            yield from _declared_codes(value, spec)


@pytest.mark.req("CAMP-ERR-004")
def test_spec_error_codes_live_in_the_documented_namespaces():
    spec = load_spec(plugin.spec_path)
    codes = set(_declared_codes(spec.document["paths"], spec))
    assert "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND" in codes and INSUFFICIENT_SCOPE in codes
    outside = {c for c in codes if not c.startswith("JOURNEY_API.PUBLIC.CAMPAIGNS.")}
    assert all(c.startswith(ALLOWED_PREFIXES) for c in outside), outside
    # the documented codes outside JOURNEY_API.PUBLIC.CAMPAIGNS.* (001, 002) are all there
    assert {"JOURNEY_API.SCHEDULE.SEND_AT_REQUIRED", "JOURNEY_API.SCHEDULE.INVALID_FOR_CHANNEL",
            "JOURNEY_API.BROADCASTS.SCHEDULE.PREFLIGHT_BLOCKERS"} <= outside


@pytest.mark.req("CAMP-ERR-004")
def test_mock_error_codes_live_in_the_documented_namespaces(api):
    responses = [
        call(api, "getCampaign", cid=UNKNOWN),
        call(api, "replaceCampaignAudience", cid=PUBLISHED),
        call(api, "getCampaignStatus", cid=JOURNEY),
        call(api, "createSendJob"),
        call(api, "setCampaignSchedule", json_body={"mode": "at"}),
        call(api, "replaceCampaignContent", json_body={"templateId": SMS_TEMPLATE}),
        call(api, "createCampaign", token=READER),
        call(api, "replaceCampaignAudience", json_body={"include": []}),
        api.request("PUT", "/campaigns", token=FULL),
    ]
    seen = set()
    for r in responses:
        assert r.status_code >= 400, r.text
        code = r.json()["error"]["code"]
        assert code.startswith(ALLOWED_PREFIXES), code
        seen.add(code)
    assert len(seen) == len(responses)


# --------------------------------------------------------------------------- unknown paths and methods
@pytest.mark.req("CAMP-ERR-006", "CAMP-ENV-004")
@pytest.mark.parametrize("path", ["/nope", "/", "/campaign", f"/campaigns/{EMAIL_DRAFT}/nowhere",
                                  f"/campaigns/{EMAIL_DRAFT}/audience/extra", "/campaigns/a/b/c/d"])
@pytest.mark.parametrize("token", [FULL, None], ids=["token", "no-token"])
def test_unknown_path_is_404_not_found_in_the_error_envelope(api, path, token):
    r = api.request("GET", path, token=token)
    err = error_of(r, 404, NOT_FOUND)
    assert err["details"] == {}


@pytest.mark.req("CAMP-ERR-007")
@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/campaigns", {"GET", "POST"}),
    ("PUT", "/campaigns", {"GET", "POST"}),
    ("POST", f"/campaigns/{EMAIL_DRAFT}", {"GET", "PATCH", "DELETE"}),
    ("PUT", f"/campaigns/{EMAIL_DRAFT}", {"GET", "PATCH", "DELETE"}),
    ("GET", f"/campaigns/{EMAIL_DRAFT}/audience", {"PUT"}),
    ("POST", f"/campaigns/{EMAIL_DRAFT}/content", {"PUT"}),
    ("GET", f"/campaigns/{EMAIL_DRAFT}/archive", {"POST"}),
    ("GET", f"/campaigns/{EMAIL_DRAFT}/preflight", {"POST"}),
    ("DELETE", f"/campaigns/{EMAIL_DRAFT}/send-jobs", {"POST"}),
    ("POST", f"/campaigns/{EMAIL_DRAFT}/summary", {"GET"}),
])
def test_undefined_method_is_405_with_allow_header(api, method, path, allowed):
    before = state(api)
    for token in (FULL, None):  # the route is decided before authentication
        r = api.request(method, path, token=token)
        error_of(r, 405, METHOD_NOT_ALLOWED)
        assert {m.strip() for m in r.headers["Allow"].split(",")} == allowed
    assert state(api) == before


# --------------------------------------------------------------------------- model precedence
@pytest.mark.req("CAMP-ERR-008")
def test_non_job_operations_check_found_then_type_then_missing_state(api):
    before = state(api)
    # 404 before type: t2 cannot see t1's journey campaign
    error_of(call(api, "replaceCampaignAudience", cid=JOURNEY, token=OTHER_TENANT), 404, NOT_FOUND)
    # type before the operation's own rules (unknown template)
    err = error_of(call(api, "replaceCampaignContent", cid=JOURNEY, json_body={"templateId": UNKNOWN}), 409,
                   "JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED")
    assert err["details"]["campaignType"] == "journey"
    err = error_of(call(api, "getCampaign", cid=JOURNEY), 409, "JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_TYPE_UNSUPPORTED")
    assert err["details"]["campaignType"] == "journey"
    # missing persisted state before the operation's own rules (channel mismatch)
    error_of(call(api, "replaceCampaignContent", cid=SUMMARY_UNAVAILABLE_CAMPAIGN,
                  json_body={"templateId": SMS_TEMPLATE}), 409, "JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_UNAVAILABLE")
    assert state(api) == before


@pytest.mark.req("CAMP-ERR-008")
def test_non_job_operations_check_draft_before_their_own_rules(api):
    before = state(api)
    overlap = {"include": [{"audienceId": SEGMENT, "type": "segment"}],
               "exclude": [{"audienceId": SEGMENT, "type": "segment"}]}
    attempts = [
        call(api, "replaceCampaignContent", cid=PUBLISHED, json_body={"templateId": UNKNOWN}),
        call(api, "replaceCampaignContent", cid=PUBLISHED, json_body={"templateId": SMS_TEMPLATE}),
        call(api, "setCampaignSchedule", cid=PUBLISHED, json_body={"mode": "batch_on_date", "batchDate": "2026-05-01"}),
        call(api, "setCampaignSchedule", cid=PUBLISHED, json_body={"mode": "at", "sendAt": "2020-01-01T00:00:00Z"}),
        call(api, "replaceCampaignAudience", cid=PUBLISHED, json_body=overlap),
    ]
    assert state(api) == before
    for r in attempts:
        error_of(r, 409, "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_DRAFT")
