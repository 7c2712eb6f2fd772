"""Unit tests of the OpenAPI contract openapi/experiture-v1/openapi.yaml.

Expected values are written from the source documents (seed files 000-003) and
openapi/experiture-v1/decisions.md, never read back from the spec.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[3] / "openapi" / "experiture-v1" / "openapi.yaml"
SPEC_URI = "urn:experiture:campaigns-v1"

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

# --------------------------------------------------------------------------- documents
# 000 Endpoint Index: operationId (decisions page) -> (method, path, scope, tag)
OPERATIONS = {
    "createCampaign": ("post", "/campaigns", "campaigns:create", "Campaign Object"),
    "listCampaigns": ("get", "/campaigns", "campaigns:read", "Campaign Object"),
    "getCampaign": ("get", "/campaigns/{campaign_id}", "campaigns:read", "Campaign Object"),
    "updateCampaign": ("patch", "/campaigns/{campaign_id}", "campaigns:update", "Campaign Object"),
    "deleteCampaign": ("delete", "/campaigns/{campaign_id}", "campaigns:delete", "Campaign Object"),
    "archiveCampaign": ("post", "/campaigns/{campaign_id}/archive", "campaigns:delete", "Campaign Object"),
    "cloneCampaign": ("post", "/campaigns/{campaign_id}/clone", "campaigns:create", "Campaign Object"),
    "replaceCampaignAudience": ("put", "/campaigns/{campaign_id}/audience", "campaigns:update", "Configuration"),
    "replaceCampaignContent": ("put", "/campaigns/{campaign_id}/content", "campaigns:update", "Configuration"),
    "setCampaignSchedule": ("put", "/campaigns/{campaign_id}/schedule", "campaigns:update", "Configuration"),
    "runCampaignPreflight": ("post", "/campaigns/{campaign_id}/preflight", "campaigns:read", "Execution"),
    "createScheduleJob": ("post", "/campaigns/{campaign_id}/schedule-jobs", "campaigns:schedule", "Execution"),
    "createSendJob": ("post", "/campaigns/{campaign_id}/send-jobs", "campaigns:send", "Execution"),
    "getCampaignSummary": ("get", "/campaigns/{campaign_id}/summary", "campaigns:read", "Observability"),
    "getCampaignStatus": ("get", "/campaigns/{campaign_id}/status", "campaigns:read", "Observability"),
    "getCampaignMetrics": ("get", "/campaigns/{campaign_id}/metrics", "analytics:read", "Observability"),
}
ITEM_OPERATIONS = {op for op, (_, path, _, _) in OPERATIONS.items() if "{campaign_id}" in path}
COLLECTION_OPERATIONS = set(OPERATIONS) - ITEM_OPERATIONS

# 000 OAuth Scopes table
SCOPES = {
    "campaigns:read": "List, get, summary, status, preflight",
    "campaigns:create": "Create and clone campaigns",
    "campaigns:update": "Update metadata, audience, content, schedule",
    "campaigns:delete": "Soft-delete and archive",
    "campaigns:schedule": "Schedule a send via POST /schedule-jobs",
    "campaigns:send": "Trigger an immediate send via POST /send-jobs",
    "analytics:read": "Read execution metrics via GET /metrics",
}

# 000 Idempotency: create, clone, schedule-jobs, send-jobs
IDEMPOTENT = {"createCampaign", "cloneCampaign", "createScheduleJob", "createSendJob"}

# Operations with a request body (decisions page, "Request bodies")
WITH_BODY = {
    "createCampaign", "updateCampaign", "cloneCampaign", "replaceCampaignAudience",
    "replaceCampaignContent", "setCampaignSchedule", "createScheduleJob", "createSendJob",
}

# 001 "Set Schedule Intent" Errors table: (code, HTTP status)
SCHEDULE_ERRORS_001 = [
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND", "404"),
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_DRAFT", "409"),
    ("JOURNEY_API.SCHEDULE.SEND_AT_REQUIRED", "400"),
    ("JOURNEY_API.SCHEDULE.SEND_AT_INVALID", "400"),
    ("JOURNEY_API.SCHEDULE.BATCH_DATE_REQUIRED", "400"),
    ("JOURNEY_API.SCHEDULE.BATCH_DATE_INVALID", "400"),
    ("JOURNEY_API.SCHEDULE.UNSUPPORTED_CHANNEL", "400"),
    ("JOURNEY_API.AUTH.INSUFFICIENT_SCOPE", "403"),
]
# 001 "Execution Errors" table (schedule-jobs and send-jobs)
EXECUTION_ERRORS_001 = [
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND", "404"),
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED", "409"),
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_DRAFT", "409"),
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.CONTENT.REQUIRED", "409"),
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.AUDIENCE.REQUIRED", "409"),
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.VERSION_MISSING", "409"),
    ("JOURNEY_API.SCHEDULE.SEND_AT_REQUIRED", "400"),
    ("JOURNEY_API.SCHEDULE.SEND_AT_INVALID", "400"),
    ("JOURNEY_API.SCHEDULE.BATCH_DATE_REQUIRED", "400"),
    ("JOURNEY_API.SCHEDULE.BATCH_DATE_INVALID", "400"),
    ("JOURNEY_API.SCHEDULE.INVALID_FOR_CHANNEL", "400"),
    ("JOURNEY_API.SCHEDULE.UNSUPPORTED_CHANNEL", "400"),
    ("JOURNEY_API.SCHEDULE.UNSUPPORTED_TYPE", "500"),
    ("JOURNEY_API.BROADCASTS.SCHEDULE.PREFLIGHT_BLOCKERS", "400"),
    ("JOURNEY_API.AUTH.INSUFFICIENT_SCOPE", "403"),
]
# 002 Errors table
AUDIENCE_ERRORS_002 = [
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND", "404"),
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_DRAFT", "409"),
    ("JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_UNAVAILABLE", "409"),
    ("JOURNEY_API.AUTH.INSUFFICIENT_SCOPE", "403"),
]
TYPE_UNSUPPORTED = ("JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED", "409")
SUMMARY_TYPE_UNSUPPORTED = ("JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_TYPE_UNSUPPORTED", "409")
# 000/003: summary/object reads -> SUMMARY_TYPE_UNSUPPORTED; every other (action/status/metrics) operation on a
# campaign -> TYPE_UNSUPPORTED.
SUMMARY_READS = {"getCampaign", "getCampaignSummary"}
ACTION_OPS = (ITEM_OPERATIONS - SUMMARY_READS) | {"createCampaign"}

DOCUMENTED_CODES: dict[str, list[tuple[str, str]]] = {op: [] for op in OPERATIONS}
DOCUMENTED_CODES["setCampaignSchedule"] += SCHEDULE_ERRORS_001
DOCUMENTED_CODES["createScheduleJob"] += EXECUTION_ERRORS_001
DOCUMENTED_CODES["createSendJob"] += EXECUTION_ERRORS_001
DOCUMENTED_CODES["replaceCampaignAudience"] += AUDIENCE_ERRORS_002
for _op in ACTION_OPS:
    if TYPE_UNSUPPORTED not in DOCUMENTED_CODES[_op]:
        DOCUMENTED_CODES[_op].append(TYPE_UNSUPPORTED)
for _op in SUMMARY_READS:
    DOCUMENTED_CODES[_op].append(SUMMARY_TYPE_UNSUPPORTED)

# Decisions page, cross-cutting table (all inferred)
INFERRED_CROSS_CUTTING = {
    "JOURNEY_API.AUTH.UNAUTHENTICATED": "401",
    "JOURNEY_API.AUTH.INVALID_TOKEN": "401",
    "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED": "400",
    "JOURNEY_API.PUBLIC.CAMPAIGNS.RATE_LIMITED": "429",
}

PIPELINE_COUNTS = ["scheduled", "hydrated", "composed", "injected", "sent", "failed"]  # 003
CHANNELS = ["email", "sms", "push", "direct_mail"]  # 000


# --------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def spec() -> dict:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def registry(spec) -> Registry:
    return Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str) -> str:
    return "/" + "/".join(escape(str(t)) for t in tokens)


def validator_at(registry: Registry, json_pointer: str) -> Draft202012Validator:
    """A validator for the schema at `json_pointer` inside the spec; its `#/components/...` refs resolve."""
    return Draft202012Validator(
        {"$ref": SPEC_URI + "#" + quote(json_pointer, safe="/~")},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def resolve(spec: dict, node):
    while isinstance(node, dict) and "$ref" in node and len(node) == 1:
        target = spec
        for token in node["$ref"].lstrip("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def with_responses_resolved(spec, op):
    """The operation with each response, and each header of a response, followed through `$ref`: the spec
    keeps the answers several operations share in components/responses (headers in components/headers)."""
    responses = {}
    for status, response in op.get("responses", {}).items():
        response = resolve(spec, response)
        if "headers" in response:
            response = {**response, "headers": {name: resolve(spec, h) for name, h in response["headers"].items()}}
        responses[status] = response
    return {**op, "responses": responses}


def iter_operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield path, method, with_responses_resolved(spec, op)


def operation(spec, op_id):
    method, path, _, _ = OPERATIONS[op_id]
    return with_responses_resolved(spec, spec["paths"][path][method])


def op_parameters(spec, op):
    return [resolve(spec, p) for p in op.get("parameters", [])]


def error_code_enum(spec, response) -> list[str]:
    schema = response["content"]["application/json"]["schema"]
    assert "allOf" in schema, "error responses use allOf: [ErrorEnvelope, narrowing]"
    assert {"$ref": "#/components/schemas/ErrorEnvelope"} in schema["allOf"]
    enums = [
        part["properties"]["error"]["properties"]["code"]["enum"]
        for part in schema["allOf"]
        if "properties" in part and "error" in part["properties"]
    ]
    assert len(enums) == 1
    return enums[0]


def error_responses(op):
    return {status: r for status, r in op["responses"].items() if status[0] in "45"}


def response_validator(registry, op_id, status):
    """A validator for the operation's response schema for `status`, wherever the response lives (inline or
    a `$ref` to components/responses)."""
    method, path, _, _ = OPERATIONS[op_id]
    spec = registry.contents(SPEC_URI)
    where = pointer("paths", path, method, "responses", status)
    node = spec["paths"][path][method]["responses"][status]
    while isinstance(node, dict) and "$ref" in node:  # one hop at a time: `where` names the last target
        where = node["$ref"].lstrip("#")
        node = spec
        for token in where.lstrip("/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return validator_at(registry, where + pointer("content", "application/json", "schema"))


def request_validator(registry, op_id):
    method, path, _, _ = OPERATIONS[op_id]
    return validator_at(registry, pointer("paths", path, method, "requestBody", "content", "application/json", "schema"))


# --------------------------------------------------------------------------- validity
def test_spec_validates_as_openapi_31(spec):
    from openapi_spec_validator import validate

    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["servers"][0]["url"] == "https://api.experiture.ai/public/v1"  # 000 Base URL


def test_no_openapi30_nullable(spec):
    def walk(node):
        if isinstance(node, dict):
            assert "nullable" not in node, node
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec["components"])
    walk(spec["paths"])


# --------------------------------------------------------------------------- operations and scopes
def test_exactly_the_sixteen_documented_operations(spec):
    found = {op["operationId"]: (method, path) for path, method, op in iter_operations(spec)}
    assert found == {op_id: (m, p) for op_id, (m, p, _, _) in OPERATIONS.items()}


@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_operation_scope_and_tag(spec, op_id):
    _, _, scope, tag = OPERATIONS[op_id]
    op = operation(spec, op_id)
    assert op["security"] == [{"oauth2": [scope]}]
    assert op["tags"] == [tag]
    assert op["summary"]


def test_security_scheme_declares_the_seven_scopes(spec):
    scheme = spec["components"]["securitySchemes"]["oauth2"]
    assert scheme["type"] == "oauth2"
    flow = scheme["flows"]["clientCredentials"]
    assert flow["scopes"] == SCOPES
    assert flow["tokenUrl"] == "https://api.experiture.ai/oauth/token"
    assert flow["x-inferred"] is True  # the documents give no token URL


def test_tags_are_the_overview_groups(spec):
    assert [t["name"] for t in spec["tags"]] == ["Campaign Object", "Configuration", "Execution", "Observability"]


# --------------------------------------------------------------------------- parameters
def test_idempotency_key_exactly_on_the_four_documented_operations(spec):
    with_key = set()
    for _, _, op in iter_operations(spec):
        for param in op_parameters(spec, op):
            if param["in"] == "header" and param["name"].lower() == "idempotency-key":
                assert param["required"] is False
                schema = param["schema"]
                assert (schema["type"], schema["format"]) == ("string", "uuid")
                # 000/001: the key is a UUID v4
                assert re.fullmatch(schema["pattern"], "33baf422-afc1-4e22-ac3c-652d0bf14a46")
                assert not re.fullmatch(schema["pattern"], "7e6c6075-0fc1-3569-b2f8-980f5aa54280")  # v3
                assert not re.fullmatch(schema["pattern"], "33baf422-afc1-4e22-7c3c-652d0bf14a46")  # bad variant
                with_key.add(op["operationId"])
    assert with_key == IDEMPOTENT
    for op_id in IDEMPOTENT:
        assert {"$ref": "#/components/parameters/IdempotencyKey"} in operation(spec, op_id)["parameters"]


def test_campaign_id_path_parameter_on_item_operations(spec):
    component = spec["components"]["parameters"]["CampaignId"]
    assert component["name"] == "campaign_id"
    assert component["in"] == "path" and component["required"] is True
    assert component["schema"] == {"type": "string", "format": "uuid"}
    for op_id in OPERATIONS:
        refs = operation(spec, op_id).get("parameters", [])
        has = {"$ref": "#/components/parameters/CampaignId"} in refs
        assert has == (op_id in ITEM_OPERATIONS), op_id


def test_list_query_parameters(spec):
    params = {p["name"]: p for p in op_parameters(spec, operation(spec, "listCampaigns"))}
    assert set(params) == {"status", "channel", "search", "sortBy", "sortDirection", "limit", "offset"}
    assert all(p["in"] == "query" and not p.get("required", False) for p in params.values())
    schema = {name: resolve(spec, p["schema"]) for name, p in params.items()}
    assert schema["status"]["enum"] == ["draft", "published", "archived"]
    assert schema["channel"]["enum"] == CHANNELS
    assert schema["search"]["type"] == "string"
    assert set(schema["sortBy"]["enum"]) == {"createdAt", "updatedAt", "name"}
    assert schema["sortBy"]["default"] == "createdAt"
    assert set(schema["sortDirection"]["enum"]) == {"asc", "desc"}
    assert schema["sortDirection"]["default"] == "desc"
    assert (schema["limit"]["type"], schema["limit"]["minimum"], schema["limit"]["maximum"], schema["limit"]["default"]) == (
        "integer", 1, 100, 25)
    assert (schema["offset"]["type"], schema["offset"]["minimum"], schema["offset"]["default"]) == ("integer", 0, 0)


# --------------------------------------------------------------------------- error responses
@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_every_error_response_has_a_code_enum(spec, op_id):
    errors = error_responses(operation(spec, op_id))
    assert errors
    for status, response in errors.items():
        codes = error_code_enum(spec, response)
        assert codes and len(codes) == len(set(codes)), (op_id, status)
        assert all(c.startswith("JOURNEY_API.") for c in codes)


@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_documented_codes_under_documented_status(spec, op_id):
    responses = operation(spec, op_id)["responses"]
    for code, status in DOCUMENTED_CODES[op_id]:
        assert status in responses, (op_id, status)
        assert code in error_code_enum(spec, responses[status]), (op_id, status, code)


def test_unsupported_type_codes_per_operation_kind(spec):
    for op_id in SUMMARY_READS:
        codes = error_code_enum(spec, operation(spec, op_id)["responses"]["409"])
        assert SUMMARY_TYPE_UNSUPPORTED[0] in codes and TYPE_UNSUPPORTED[0] not in codes
    for op_id in ITEM_OPERATIONS - SUMMARY_READS:
        codes = error_code_enum(spec, operation(spec, op_id)["responses"]["409"])
        assert TYPE_UNSUPPORTED[0] in codes and SUMMARY_TYPE_UNSUPPORTED[0] not in codes


@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_cross_cutting_statuses(spec, op_id):
    responses = operation(spec, op_id)["responses"]
    for status in ("400", "401", "403", "429"):
        assert status in responses, (op_id, status)
    assert ("404" in responses) == (op_id in ITEM_OPERATIONS)
    assert ("413" in responses) == (op_id in WITH_BODY)
    assert ("415" in responses) == (op_id in WITH_BODY)
    assert ("422" in responses) == (op_id in IDEMPOTENT)
    assert ("500" in responses) == (op_id in {"createScheduleJob", "createSendJob"})
    codes = {s: error_code_enum(spec, r) for s, r in error_responses(operation(spec, op_id)).items()}
    assert set(codes["401"]) == {"JOURNEY_API.AUTH.UNAUTHENTICATED", "JOURNEY_API.AUTH.INVALID_TOKEN"}
    assert codes["403"] == ["JOURNEY_API.AUTH.INSUFFICIENT_SCOPE"]
    assert codes["429"] == ["JOURNEY_API.PUBLIC.CAMPAIGNS.RATE_LIMITED"]
    assert "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED" in codes["400"]
    if op_id in ITEM_OPERATIONS:
        assert codes["404"] == ["JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND"]
    if op_id in WITH_BODY:
        assert "JOURNEY_API.PUBLIC.CAMPAIGNS.MALFORMED_BODY" in codes["400"]
        assert codes["413"] == ["JOURNEY_API.PUBLIC.CAMPAIGNS.PAYLOAD_TOO_LARGE"]
        assert codes["415"] == ["JOURNEY_API.PUBLIC.CAMPAIGNS.UNSUPPORTED_MEDIA_TYPE"]
    if op_id in IDEMPOTENT:
        assert "JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_INVALID" in codes["400"]
        assert "JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_IN_USE" in codes["409"]
        assert codes["422"] == ["JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_REUSED"]


def test_execution_error_sets_are_exact(spec):
    """schedule-jobs and send-jobs carry the whole 001 Execution Errors table plus the inferred cross-cutting codes."""
    inferred = {
        "400": {"JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED", "JOURNEY_API.PUBLIC.CAMPAIGNS.MALFORMED_BODY",
                "JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_INVALID"},
        "409": {"JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_IN_USE"},
    }
    for op_id in ("createScheduleJob", "createSendJob"):
        responses = operation(spec, op_id)["responses"]
        for status in ("400", "404", "409", "500"):
            expected = {c for c, s in EXECUTION_ERRORS_001 if s == status} | inferred.get(status, set())
            assert set(error_code_enum(spec, responses[status])) == expected, (op_id, status)


def test_success_statuses(spec):
    expected = {
        "createCampaign": {"201"}, "listCampaigns": {"200"}, "getCampaign": {"200"}, "updateCampaign": {"200"},
        "deleteCampaign": {"200"}, "archiveCampaign": {"200"}, "cloneCampaign": {"201"},
        "replaceCampaignAudience": {"200"}, "replaceCampaignContent": {"200"}, "setCampaignSchedule": {"200"},
        "runCampaignPreflight": {"200"}, "createScheduleJob": {"200", "201"}, "createSendJob": {"200", "201"},
        "getCampaignSummary": {"200"}, "getCampaignStatus": {"200"}, "getCampaignMetrics": {"200"},
    }
    for op_id, statuses in expected.items():
        found = {s for s in operation(spec, op_id)["responses"] if s.startswith("2")}
        assert found == statuses, op_id


# --------------------------------------------------------------------------- headers
def test_auth_and_rate_limit_headers(spec):
    for _, _, op in iter_operations(spec):
        r401 = op["responses"]["401"]
        assert r401["headers"]["WWW-Authenticate"]["required"] is True
        r429 = op["responses"]["429"]
        retry = r429["headers"]["Retry-After"]
        assert retry["required"] is True and retry["x-inferred"] is True
        assert retry["schema"]["type"] == "integer"


def test_idempotent_replayed_header_on_success_of_idempotent_ops(spec):
    for _, _, op in iter_operations(spec):
        for status, response in op["responses"].items():
            if not status.startswith("2"):
                continue
            headers = response.get("headers", {})
            if op["operationId"] in IDEMPOTENT:
                header = headers["Idempotent-Replayed"]
                assert header["required"] is False and header["x-inferred"] is True
            else:
                assert "Idempotent-Replayed" not in headers


# --------------------------------------------------------------------------- inferred markers
@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_every_code_is_documented_or_marked_inferred(spec, op_id):
    documented = DOCUMENTED_CODES[op_id]
    for status, response in error_responses(operation(spec, op_id)).items():
        codes = error_code_enum(spec, response)
        doc_here = {c for c, s in documented if s == status}
        inferred_codes = set(response.get("x-inferred-codes", []))
        if response.get("x-inferred") is True:
            assert not doc_here, f"{op_id} {status}: documented codes in a response marked wholly inferred"
            assert not inferred_codes
        else:
            assert set(codes) - doc_here == inferred_codes, (op_id, status)
            assert not (inferred_codes & doc_here)


def test_cross_cutting_inferred_elements_are_marked(spec):
    for _, _, op in iter_operations(spec):
        responses = op["responses"]
        for status in ("401", "413", "415", "422", "429"):
            if status in responses:
                assert responses[status]["x-inferred"] is True, (op["operationId"], status)
        assert responses["401"]["headers"]["WWW-Authenticate"]["x-inferred"] is True
        for code, status in INFERRED_CROSS_CUTTING.items():
            response = responses[status]
            assert response.get("x-inferred") is True or code in response.get("x-inferred-codes", []), (
                op["operationId"], code)
        if op["operationId"] in IDEMPOTENT:
            r409 = responses["409"]
            assert "JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_IN_USE" in r409.get("x-inferred-codes", [])
    # 403 is documented only on schedule (001), jobs (001) and audience (002)
    documented_403 = {"setCampaignSchedule", "createScheduleJob", "createSendJob", "replaceCampaignAudience"}
    for op_id in OPERATIONS:
        marked = operation(spec, op_id)["responses"]["403"].get("x-inferred") is True
        assert marked == (op_id not in documented_403), op_id


def test_inferred_shapes_are_marked(spec):
    schemas = spec["components"]["schemas"]
    for name in ("CreateCampaignRequest", "UpdateCampaignRequest", "CloneCampaignRequest", "ReplaceContentRequest",
                 "Campaign", "CampaignListItem", "PreflightResult", "PreflightCheck", "DeleteResult", "Warning"):
        assert schemas[name]["x-inferred"] is True, name
    for op_id in ("createCampaign", "updateCampaign", "deleteCampaign", "archiveCampaign", "cloneCampaign",
                  "replaceCampaignContent", "runCampaignPreflight"):
        ok = [r for s, r in operation(spec, op_id)["responses"].items() if s.startswith("2")]
        assert all(r["x-inferred"] is True for r in ok), op_id
    params = {p["name"]: p for p in op_parameters(spec, operation(spec, "listCampaigns"))}
    assert params["search"]["x-inferred"] is True
    for name in ("limit", "offset", "sortBy", "sortDirection"):
        assert params[name]["schema"]["x-inferred"] is True, name
    error = schemas["ErrorEnvelope"]["properties"]["error"]["properties"]
    assert error["details"]["x-inferred"] is True
    metrics = schemas["CampaignMetrics"]["properties"]
    assert metrics["executionState"]["x-inferred"] is True and metrics["lastExecutionAt"]["x-inferred"] is True


# --------------------------------------------------------------------------- schemas
def test_error_envelope_shape(spec, registry):
    v = validator_at(registry, "/components/schemas/ErrorEnvelope")
    good = {"success": False, "error": {"code": "X", "message": "m", "details": {}}}
    assert v.is_valid(good)
    assert not v.is_valid({**good, "success": True})
    assert not v.is_valid({"success": False})
    for missing in ("code", "message", "details"):
        bad = {"success": False, "error": {k: val for k, val in good["error"].items() if k != missing}}
        assert not v.is_valid(bad), missing
    # per-status narrowing rejects a code the status cannot carry
    r = response_validator(registry, "createSendJob", "500")
    assert r.is_valid({"success": False, "error": {"code": "JOURNEY_API.SCHEDULE.UNSUPPORTED_TYPE", "message": "", "details": {}}})
    assert not r.is_valid({"success": False, "error": {"code": "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND", "message": "", "details": {}}})


def test_schedule_intent_body(spec, registry):
    body = resolve(spec, operation(spec, "setCampaignSchedule")["requestBody"]["content"]["application/json"]["schema"])
    assert body["discriminator"]["propertyName"] == "mode"
    assert set(body["discriminator"]["mapping"]) == {"now", "at", "batch_on_date"}
    assert len(body["oneOf"]) == 2
    digital = resolve(spec, {"$ref": body["discriminator"]["mapping"]["at"]})
    dm = resolve(spec, {"$ref": body["discriminator"]["mapping"]["batch_on_date"]})
    assert body["discriminator"]["mapping"]["now"] == body["discriminator"]["mapping"]["at"]
    assert digital["properties"]["sendAt"]["x-error-code"] == "JOURNEY_API.SCHEDULE.SEND_AT_INVALID"
    assert digital["properties"]["sendAt"]["format"] == "date-time"
    assert digital["if"] == {"properties": {"mode": {"const": "at"}}, "required": ["mode"]}
    assert digital["then"]["required"] == ["sendAt"]
    assert digital["then"]["x-error-code"] == "JOURNEY_API.SCHEDULE.SEND_AT_REQUIRED"
    assert dm["properties"]["batchDate"]["x-error-code"] == "JOURNEY_API.SCHEDULE.BATCH_DATE_INVALID"
    assert dm["properties"]["batchDate"]["format"] == "date"
    assert dm["x-required-codes"] == {"batchDate": "JOURNEY_API.SCHEDULE.BATCH_DATE_REQUIRED"}
    assert digital["additionalProperties"] is False and dm["additionalProperties"] is False

    v = request_validator(registry, "setCampaignSchedule")
    assert v.is_valid({"mode": "now"})
    assert v.is_valid({"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z", "timezone": None})
    assert not v.is_valid({"mode": "at"})  # 001: SEND_AT_REQUIRED
    assert not v.is_valid({"mode": "at", "sendAt": None})
    assert not v.is_valid({"mode": "at", "sendAt": "tomorrow"})  # 001: SEND_AT_INVALID
    assert v.is_valid({"mode": "batch_on_date", "batchDate": "2026-05-01"})
    assert not v.is_valid({"mode": "batch_on_date"})  # 001: BATCH_DATE_REQUIRED
    assert not v.is_valid({"mode": "batch_on_date", "batchDate": "2026-05-01T00:00:00Z"})  # YYYY-MM-DD (001)
    assert not v.is_valid({"mode": "later"})
    assert not v.is_valid({"mode": "now", "extra": 1})


def test_schedule_job_bodies(spec, registry):
    props = resolve(spec, operation(spec, "createScheduleJob")["requestBody"]["content"]["application/json"]["schema"])["properties"]
    assert props["sendAt"]["x-error-code"] == "JOURNEY_API.SCHEDULE.SEND_AT_INVALID"
    assert props["batchDate"]["x-error-code"] == "JOURNEY_API.SCHEDULE.BATCH_DATE_INVALID"
    for op_id in ("createScheduleJob", "createSendJob", "cloneCampaign"):
        assert operation(spec, op_id)["requestBody"]["required"] is False  # all fields optional (001)
    v = request_validator(registry, "createScheduleJob")
    assert v.is_valid({})
    assert v.is_valid({"sendAt": None, "batchDate": None, "timezone": None, "dryRun": True})
    assert not v.is_valid({"dryRun": "yes"})
    assert not v.is_valid({"batchDate": "05/01/2026"})
    s = request_validator(registry, "createSendJob")
    assert s.is_valid({}) and s.is_valid({"dryRun": False}) and not s.is_valid({"dryRun": 1})


def test_audience_body(registry):
    v = request_validator(registry, "replaceCampaignAudience")

    def entries(n, kind="segment"):
        return [{"audienceId": f"a1b2c3d4-0000-0000-0000-{i:012d}", "type": kind} for i in range(n)]

    assert v.is_valid({"include": entries(1)})
    assert v.is_valid({"include": entries(25), "exclude": entries(25, "audience")})
    assert not v.is_valid({"include": []})  # 002: at least one
    assert not v.is_valid({"include": entries(26)})  # 002: max 25
    assert not v.is_valid({"include": entries(1), "exclude": entries(26)})
    assert not v.is_valid({"exclude": entries(1)})
    assert not v.is_valid({"include": entries(1, "list")})
    assert not v.is_valid({"include": [{"audienceId": "not-a-uuid", "type": "segment"}]})


def test_inferred_request_bodies(registry):
    create = request_validator(registry, "createCampaign")
    assert create.is_valid({"name": "n", "channel": "email"})
    assert create.is_valid({"name": "n", "channel": "sms", "category": "whatever", "campaignType": "journey"})
    assert not create.is_valid({"name": "n"})
    assert not create.is_valid({"name": "", "channel": "email"})
    assert not create.is_valid({"name": "n", "channel": "fax"})
    assert not create.is_valid({"name": "n", "channel": "email", "unknown": 1})
    update = request_validator(registry, "updateCampaign")
    assert update.is_valid({"name": "x"}) and not update.is_valid({}) and not update.is_valid({"channel": "sms"})
    content = request_validator(registry, "replaceCampaignContent")
    assert content.is_valid({"templateId": "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"}) and not content.is_valid({})


def test_pipeline_counts(registry):
    v = validator_at(registry, "/components/schemas/PipelineCounts")
    zero = dict.fromkeys(PIPELINE_COUNTS, 0)
    assert v.is_valid(zero)
    for name in PIPELINE_COUNTS:
        assert not v.is_valid({k: val for k, val in zero.items() if k != name}), name
        assert not v.is_valid({**zero, name: -1}), name
        assert not v.is_valid({**zero, name: 1.5}), name


def test_schedule_object_variants(spec, registry):
    schedule = spec["components"]["schemas"]["ScheduleObject"]
    assert schedule["discriminator"]["propertyName"] == "kind"
    assert set(schedule["discriminator"]["mapping"]) == {"digital_send", "direct_mail_batch"}
    v = validator_at(registry, "/components/schemas/ScheduleObject")
    # 001 "Schedule Object Variants"
    assert v.is_valid({"kind": "digital_send", "mode": "at", "sendAt": "2026-05-01T09:00:00.000Z",
                       "timezone": "America/New_York", "scheduled": True})
    assert v.is_valid({"kind": "direct_mail_batch", "mode": "batch_on_date", "batchDate": "2026-05-01",
                       "timezone": "America/New_York", "timezoneSource": "request", "scheduled": True})
    assert not v.is_valid({"kind": "direct_mail_batch", "mode": "batch_on_date", "batchDate": "2026-05-01",
                           "timezone": "UTC", "timezoneSource": "guess", "scheduled": True})
    # 003's summary example has no `kind`: only the looser summary schedule admits it
    kindless = {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z", "timezone": "America/New_York", "scheduled": True}
    assert not v.is_valid(kindless)
    assert validator_at(registry, "/components/schemas/SummarySchedule").is_valid(kindless)


def test_list_response_shape(registry):
    v = response_validator(registry, "listCampaigns", "200")
    item = {"campaignId": "4130bada-9264-465f-bc0c-a26bebcfcc81", "name": "n", "campaignType": "broadcast",
            "channel": "email", "authoringStatus": "published", "category": "general", "tags": ["general"],
            "createdAt": "2026-04-25T10:00:00.000Z", "updatedAt": "2026-04-25T10:30:00.000Z"}
    page = {"success": True, "data": [item], "pagination": {"total": 1, "limit": 25, "offset": 0}}
    assert v.is_valid(page)
    for key in ("success", "data", "pagination"):
        assert not v.is_valid({k: val for k, val in page.items() if k != key}), key
    for key in ("total", "limit", "offset"):
        bad = {**page, "pagination": {k: val for k, val in page["pagination"].items() if k != key}}
        assert not v.is_valid(bad), key


def test_job_responses(registry):
    dry = response_validator(registry, "createScheduleJob", "200")
    committed = response_validator(registry, "createScheduleJob", "201")
    base = {"journeyId": "4130bada-9264-465f-bc0c-a26bebcfcc81", "versionId": "11111111-1111-1111-1111-111111111111",
            "status": "published", "warnings": [], "bindings": []}
    assert dry.is_valid({"success": True, "data": {**base, "dryRun": True}})
    assert not dry.is_valid({"success": True, "data": base})
    extra = {"manifestId": "33333333-3333-3333-3333-333333333333", "scheduleId": "44444444-4444-4444-4444-444444444444",
             "touchpointId": 123, "timezone": "UTC"}
    assert committed.is_valid({"success": True, "data": {**base, **extra, "sendAt": "2026-05-01T09:00:00Z"}})
    assert committed.is_valid({"success": True, "data": {**base, **extra, "batchDate": "2026-05-01"}})
    assert not committed.is_valid({"success": True, "data": {**base, **extra}})


# --------------------------------------------------------------------------- examples
def _collect_examples(spec):
    """(description, value, pointer of the schema it must satisfy) for every example in the spec."""
    found = []

    def walk(node, tokens):
        if isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, tokens + [str(i)])
            return
        if not isinstance(node, dict):
            return
        here = pointer(*tokens) if tokens else ""
        if "schema" in node and isinstance(node["schema"], dict):
            target = pointer(*tokens, "schema")
            if "example" in node:
                found.append((here + " example", node["example"], target))
            if isinstance(node.get("examples"), dict):
                for name, ex in node["examples"].items():
                    ex = resolve(spec, ex)
                    assert "value" in ex, f"{here}/examples/{name} has no value"
                    found.append((f"{here} examples/{name}", ex["value"], target))
        else:
            if isinstance(node.get("examples"), list):
                for i, value in enumerate(node["examples"]):
                    found.append((f"{here} examples[{i}]", value, here))
            if "example" in node:
                found.append((here + " example", node["example"], here))
        for key, value in node.items():
            if key in ("example", "examples"):
                continue
            walk(value, tokens + [key])

    walk(spec["paths"], ["paths"])
    walk(spec["components"], ["components"])
    return found


def test_every_example_validates_against_its_schema(spec, registry):
    examples = _collect_examples(spec)
    # 001: 2 schedule-intent requests, dry run, 2 committed (+ send-jobs reuse), 2 schedule variants;
    # 002: audience request; 003: summary and status.
    assert len(examples) >= 12
    failures = []
    for where, value, target in examples:
        errors = list(validator_at(registry, target).iter_errors(value))
        if errors:
            failures.append(f"{where}: {[e.message for e in errors]}")
    assert not failures, "\n".join(failures)


def test_documented_examples_are_present(spec):
    ops = {op_id: operation(spec, op_id) for op_id in OPERATIONS}

    def values(media):
        return [ex["value"] for ex in media.get("examples", {}).values()]

    schedule_req = values(ops["setCampaignSchedule"]["requestBody"]["content"]["application/json"])
    assert {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z", "timezone": "America/New_York"} in schedule_req
    assert {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": "America/New_York"} in schedule_req
    audience_req = values(ops["replaceCampaignAudience"]["requestBody"]["content"]["application/json"])
    assert audience_req and audience_req[0]["exclude"][0]["audienceId"] == "a1b2c3d4-0000-0000-0000-000000000099"
    job = ops["createScheduleJob"]["responses"]
    assert values(job["200"]["content"]["application/json"])[0]["data"]["dryRun"] is True
    committed = values(job["201"]["content"]["application/json"])
    assert {"sendAt" in c["data"] for c in committed} == {True, False}
    summary = values(ops["getCampaignSummary"]["responses"]["200"]["content"]["application/json"])
    assert summary[0]["data"]["audience"]["reach"]["evaluatedCount"] == 18432
    status = values(ops["getCampaignStatus"]["responses"]["200"]["content"]["application/json"])
    assert status[0]["data"]["execution"]["lastExecution"]["counts"]["sent"] == 17480


# --------------------------------------------------------------------------- links
@pytest.mark.parametrize("source", ["createCampaign", "cloneCampaign"])
def test_links_resolve(spec, source):
    op_params = {
        op["operationId"]: {p["name"] for p in op_parameters(spec, op)} for _, _, op in iter_operations(spec)
    }
    links = operation(spec, source)["responses"]["201"]["links"]
    targets = set()
    for name, link in links.items():
        assert "operationRef" not in link
        assert link["operationId"] in op_params, name
        assert link["parameters"] == {"campaign_id": "$response.body#/data/campaignId"}
        assert set(link["parameters"]) <= op_params[link["operationId"]], name
        targets.add(link["operationId"])
    assert targets == ITEM_OPERATIONS
    # the linked field exists and is required in the 201 body
    campaign = spec["components"]["schemas"]["Campaign"]
    assert "campaignId" in campaign["required"] and campaign["properties"]["campaignId"]["format"] == "uuid"


def test_schemathesis_loads_spec_and_builds_state_machine():
    schemathesis = pytest.importorskip("schemathesis")
    schema = schemathesis.openapi.from_path(str(SPEC_PATH))
    assert len(list(schema.get_all_operations())) == len(OPERATIONS)
    schema.as_state_machine()  # raises InvalidStateMachine on a broken link
