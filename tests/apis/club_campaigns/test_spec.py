"""The Club Campaigns spec: valid OpenAPI 3.1, its examples valid for their schemas, and the shapes the
brief and 004 fix (operations, security, closed requests, open responses, problem details)."""
from __future__ import annotations

import openapi_spec_validator
import pytest

from .support import spec, validator

METHODS = {"get", "post", "patch", "put", "delete"}


def _operations():
    for path, item in spec()["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def _examples():
    s = spec()
    for name, schema in s["components"]["schemas"].items():
        for i, example in enumerate(schema.get("examples", [])):
            yield f"schemas/{name}[{i}]", {"$ref": f"#/components/schemas/{name}"}, example
        if "example" in schema:
            yield f"schemas/{name}.example", {"$ref": f"#/components/schemas/{name}"}, schema["example"]
    for path, method, op in _operations():
        media = [("request", m) for m in op.get("requestBody", {}).get("content", {}).values()]
        media += [(status, m) for status, r in op["responses"].items() for m in r.get("content", {}).values()]
        for where, m in media:
            if "example" in m:
                yield f"{op['operationId']} {where}", m["schema"], m["example"]
            for key, ex in m.get("examples", {}).items():
                yield f"{op['operationId']} {where} {key}", m["schema"], ex["value"]


@pytest.mark.req("CLUB-VAL-006")
def test_spec_is_valid_openapi_3_1_served_under_club_v1():
    openapi_spec_validator.validate(spec())
    assert spec()["openapi"].startswith("3.1")
    assert spec()["servers"][0]["url"] == "/club/v1"
    assert spec()["components"]["parameters"]["CampaignId"]["name"] == "id"


@pytest.mark.parametrize("where,schema,example", list(_examples()), ids=[e[0] for e in _examples()])
def test_every_example_is_valid_for_its_schema(where, schema, example):
    errors = [e.message for e in validator(schema).iter_errors(example)]
    assert not errors, f"{where}: {errors}"


@pytest.mark.req("CLUB-AUTH-001", "CLUB-AUTH-005")
def test_every_operation_needs_a_bearer_token_without_scopes():
    assert spec()["components"]["securitySchemes"]["bearer"] == {
        **spec()["components"]["securitySchemes"]["bearer"], "type": "http", "scheme": "bearer"}
    for _, _, op in _operations():
        assert op["security"] == [{"bearer": []}], op["operationId"]
        assert "401" in op["responses"], op["operationId"]


@pytest.mark.req("CLUB-VAL-001")
def test_request_bodies_are_closed():
    schemas = spec()["components"]["schemas"]
    for name in ("CreateOneTimeCampaign", "CreateRecurringCampaign", "CreateTriggeredCampaign",
                 "CreateJourneyCampaign", "UpdateCampaignRequest", "ScheduleCampaignRequest", "RecurringSchedule"):
        assert schemas[name]["additionalProperties"] is False, name
    create = validator({"$ref": "#/components/schemas/CreateCampaignRequest"})
    misspelt = {"tenantId": "tenant_123", "clubId": "club_456", "name": "x", "type": "ONE_TIME",
                "channels": ["EMAIL"], "segmentId": "segment_123", "scheduledat": "2025-12-20T09:00:00Z"}
    assert not create.is_valid(misspelt)


@pytest.mark.req("CLUB-VAL-002")
def test_response_schemas_are_open():
    schemas = spec()["components"]["schemas"]
    for name in ("Campaign", "CampaignListItem", "CampaignList", "ScheduleResult", "ExecuteResult", "PauseResult",
                 "ResumeResult", "CancelResult", "CampaignStats", "Interaction", "InteractionPage", "Problem"):
        assert "additionalProperties" not in schemas[name], name
    get = validator({"$ref": "#/components/schemas/Campaign"})
    example = schemas["Campaign"]["examples"][0]
    assert get.is_valid({**example, "somethingNew": 1})


@pytest.mark.req("CLUB-CREATE-004", "CLUB-TYPE-001", "CLUB-TYPE-002", "CLUB-TYPE-003")
def test_create_is_discriminated_by_type_with_each_types_fields():
    request = spec()["components"]["schemas"]["CreateCampaignRequest"]
    assert request["discriminator"]["propertyName"] == "type"
    assert set(request["discriminator"]["mapping"]) == {"ONE_TIME", "RECURRING", "TRIGGERED", "JOURNEY"}
    create = validator({"$ref": "#/components/schemas/CreateCampaignRequest"})
    base = {"tenantId": "tenant_123", "clubId": "club_456", "name": "x", "channels": ["EMAIL"]}
    assert create.is_valid({**base, "type": "ONE_TIME", "segmentId": "s", "scheduledAt": "2025-12-20T09:00:00Z"})
    assert not create.is_valid({**base, "type": "ONE_TIME", "scheduledAt": "2025-12-20T09:00:00Z"})  # no segment
    weekly = {"frequency": "weekly", "dayOfWeek": 1, "time": "09:00", "timezone": "Africa/Johannesburg"}
    assert create.is_valid({**base, "type": "RECURRING", "segmentId": "s", "schedule": weekly})
    assert not create.is_valid({**base, "type": "RECURRING", "segmentId": "s",
                                "schedule": {**weekly, "dayOfWeek": None}})
    assert not create.is_valid({**base, "type": "RECURRING", "segmentId": "s",
                                "schedule": {k: v for k, v in weekly.items() if k != "dayOfWeek"}})
    assert create.is_valid({**base, "type": "TRIGGERED", "triggerEvent": "scl.member.tier.changed",
                            "triggerConditions": {"reason": "upgrade"}})
    assert not create.is_valid({**base, "type": "TRIGGERED", "schedule": weekly, "triggerEvent": "e"})
    assert not create.is_valid({**base, "type": "ONE_TIME", "segmentId": "s", "channels": ["PUSH"]})


@pytest.mark.req("CLUB-LIST-002", "CLUB-LIST-004", "CLUB-LIST-005")
def test_list_requires_tenant_id_and_filters_on_the_documented_values():
    params = {p["name"]: p for p in spec()["paths"]["/campaigns"]["get"]["parameters"]}
    assert params["tenantId"]["required"] is True
    assert {"clubId", "status", "type"} <= set(params)
    schemas = spec()["components"]["schemas"]
    assert schemas["CampaignStatus"]["enum"] == ["DRAFT", "SCHEDULED", "ACTIVE", "PAUSED", "COMPLETED", "CANCELLED"]
    assert schemas["CampaignType"]["enum"] == ["ONE_TIME", "RECURRING", "TRIGGERED", "JOURNEY"]


@pytest.mark.req("CLUB-INTER-002", "CLUB-INTER-003", "CLUB-INTER-004")
def test_interactions_take_type_skip_and_take():
    params = {p.get("name"): p for p in spec()["paths"]["/campaigns/{id}/interactions"]["get"]["parameters"]}
    assert params["take"]["schema"]["default"] == 25 and params["skip"]["schema"]["default"] == 0
    assert spec()["components"]["schemas"]["InteractionType"]["enum"] == [
        "SENT", "DELIVERED", "OPENED", "CLICKED", "CONVERTED", "UNSUBSCRIBED", "BOUNCED"]


@pytest.mark.req("CLUB-ERR-001", "CLUB-ERR-005")
def test_every_error_response_is_problem_details_with_its_codes():
    for _, _, op in _operations():
        for status, response in op["responses"].items():
            if int(status) < 400:
                assert set(response["content"]) == {"application/json"}
                continue
            assert set(response["content"]) == {"application/problem+json"}, (op["operationId"], status)
            assert response.get("x-inferred") is True and response["x-inferred-codes"], (op["operationId"], status)
    method_not_allowed = spec()["components"]["responses"]["MethodNotAllowed"]
    assert method_not_allowed["headers"]["Allow"]["required"] is True


@pytest.mark.req("CLUB-LIFE-011")
def test_invalid_transition_problems_must_name_current_status_and_allowed_actions():
    problem = validator({"$ref": "#/components/schemas/Problem"})
    bare = {"type": "about:blank", "title": "Invalid transition", "status": 409, "code": "CLUB.INVALID_TRANSITION"}
    assert not problem.is_valid(bare)
    assert problem.is_valid({**bare, "currentStatus": "ACTIVE", "allowedActions": ["pause"]})


def test_create_links_to_every_operation_on_the_new_campaign():
    links = spec()["paths"]["/campaigns"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in links.values()} == {
        "getCampaign", "updateCampaign", "scheduleCampaign", "executeCampaign", "pauseCampaign", "resumeCampaign",
        "cancelCampaign", "getCampaignStats", "getCampaignInteractions"}
    assert all(link["parameters"] == {"id": "$response.body#/id"} for link in links.values())


BODY_OPERATIONS = {"createCampaign", "updateCampaign", "scheduleCampaign"}


def _codes(response):
    (media,) = response["content"].values()
    return {c for part in media["schema"]["allOf"] for c in part.get("properties", {}).get("code", {}).get("enum", [])}


@pytest.mark.req("CLUB-AUTH-002", "CLUB-ERR-003", "CLUB-ERR-006", "CLUB-ERR-007", "CLUB-ERR-008")
def test_the_errors_the_engine_answers_are_declared_where_they_can_happen():
    # The model never decides these (the engine does, before asking it): the spec must still declare them.
    for _, _, op in _operations():
        responses = op["responses"]
        assert _codes(responses["401"]) == {"CLUB.UNAUTHENTICATED", "CLUB.INVALID_TOKEN"}
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
        assert _codes(responses["429"]) == {"CLUB.RATE_LIMITED"} and "Retry-After" in responses["429"]["headers"]
        assert _codes(responses["500"]) == {"CLUB.INTERNAL"}
        has_body = op["operationId"] in BODY_OPERATIONS
        assert ("413" in responses and "415" in responses) == has_body, op["operationId"]
        assert ("CLUB.MALFORMED_BODY" in _codes(responses.get("400", {"content": {"x": {"schema": {"allOf": []}}}}))
                ) == has_body, op["operationId"]


@pytest.mark.req("CLUB-VAL-004")
def test_channels_are_closed_to_email_and_sms():
    schemas = spec()["components"]["schemas"]
    assert schemas["Channel"]["enum"] == ["EMAIL", "SMS"] and schemas["Channel"]["x-inferred"] is True
    assert set(schemas["CampaignStats"]["properties"]["byChannel"]["properties"]) == {"EMAIL", "SMS"}
    assert validator({"$ref": "#/components/schemas/Channels"}).is_valid(["EMAIL", "SMS"])
    for bad in ([], ["PUSH"], ["EMAIL", "EMAIL"]):
        assert not validator({"$ref": "#/components/schemas/Channels"}).is_valid(bad)
