"""Scenario tests through HTTP against the embedded mock: the campaign object operations (create, patch,
archive, delete, clone), categories and tags, the draft lock, channels and unsupported campaign types.

Expected statuses, codes and values are written from the documents (seeds 000-003) and
openapi/experiture-v1/decisions.md, never computed by the model.
"""
from __future__ import annotations

import itertools

import pytest

FULL = "mock-token-full"
OTHER_TENANT = "mock-token-other-tenant"

NOT_FOUND = "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND"
NOT_DRAFT = "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_DRAFT"
TYPE_UNSUPPORTED = "JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED"
SUMMARY_TYPE_UNSUPPORTED = "JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_TYPE_UNSUPPORTED"
VALIDATION_FAILED = "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED"
INVALID_FOR_CHANNEL = "JOURNEY_API.SCHEDULE.INVALID_FOR_CHANNEL"

EMAIL_DRAFT = "c0000000-0000-4000-8000-000000000001"
PUBLISHED_COMPLETED = "c0000000-0000-4000-8000-000000000007"
PUBLISHED_SCHEDULED = "c0000000-0000-4000-8000-000000000009"
SEGMENT = "a1b2c3d4-0000-0000-0000-000000000001"
AUDIENCE_2 = "a1b2c3d4-0000-0000-0000-000000000002"
TEMPLATE = {"email": "5e3a1c2d-0000-4000-8000-000000000001", "sms": "5e3a1c2d-0000-4000-8000-000000000002",
            "push": "5e3a1c2d-0000-4000-8000-000000000003",
            "direct_mail": "5e3a1c2d-0000-4000-8000-000000000004"}
SEND_AT = "2026-05-01T09:00:00.000Z"   # after the frozen clock (2026-04-25T10:00Z)
CATEGORIES = ["acquisition", "nurturing", "retention", "reactivation", "seasonal", "product", "event",
              "template", "updates", "general"]
CHANNELS = ["email", "sms", "push", "direct_mail"]


# --- helpers ---------------------------------------------------------------------------------------

def err(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == code, r.text
    return body["error"]


def create(api, channel: str = "email", **fields) -> str:
    r = api.request("POST", "/campaigns", token=FULL, json_body={"name": "Scenario", "channel": channel, **fields})
    assert r.status_code == 201, r.text
    return r.json()["data"]["campaignId"]


def get(api, cid: str) -> dict:
    r = api.request("GET", f"/campaigns/{cid}", token=FULL)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def call(api, method: str, cid: str, suffix: str = "", body=None, token: str = FULL):
    return api.request(method, f"/campaigns/{cid}{suffix}", token=token, json_body=body)


def ready(api, cid: str, channel: str = "email") -> None:
    """Bind an included segment and the channel's published template."""
    assert call(api, "PUT", cid, "/audience", {"include": [{"audienceId": SEGMENT, "type": "segment"}]}).status_code == 200
    assert call(api, "PUT", cid, "/content", {"templateId": TEMPLATE[channel]}).status_code == 200


def schedule_job_body(channel: str) -> dict:
    return {"batchDate": "2026-05-01"} if channel == "direct_mail" else {"sendAt": SEND_AT}


def configuration(data: dict) -> tuple:
    return (data["audience"]["included"], data["audience"]["excluded"], data["content"]["template"],
            data["schedule"], data["authoringStatus"])


# Every operation on an existing campaign: (method, suffix, body valid on a ready email draft).
ACTIONS = {
    "updateCampaign": ("PATCH", "", {"name": "Renamed"}),
    "deleteCampaign": ("DELETE", "", None),
    "archiveCampaign": ("POST", "/archive", None),
    "cloneCampaign": ("POST", "/clone", None),
    "replaceCampaignAudience": ("PUT", "/audience", {"include": [{"audienceId": SEGMENT, "type": "segment"}]}),
    "replaceCampaignContent": ("PUT", "/content", {"templateId": TEMPLATE["email"]}),
    "setCampaignSchedule": ("PUT", "/schedule", {"mode": "at", "sendAt": SEND_AT}),
    "runCampaignPreflight": ("POST", "/preflight", None),
    "createScheduleJob": ("POST", "/schedule-jobs", {"sendAt": SEND_AT}),
    "createSendJob": ("POST", "/send-jobs", {}),
    "getCampaignStatus": ("GET", "/status", None),
    "getCampaignMetrics": ("GET", "/metrics", None),
}
READS = {"getCampaign": ("GET", "", None), "getCampaignSummary": ("GET", "/summary", None)}
CONFIG = {k: ACTIONS[k] for k in ("replaceCampaignAudience", "replaceCampaignContent", "setCampaignSchedule")}


# --- create, lifecycle, draft lock -----------------------------------------------------------------

@pytest.mark.req("CAMP-LIFE-001", "CAMP-LIFE-013", "CAMP-TYPE-001")
def test_create_answers_201_with_a_broadcast_draft(api):
    r = api.request("POST", "/campaigns", token=FULL, json_body={"name": "Autumn promo", "channel": "email"})
    assert r.status_code == 201
    d = r.json()["data"]
    assert d["authoringStatus"] == "draft" and d["campaignType"] == "broadcast"
    assert d["name"] == "Autumn promo" and d["channel"] == "email" and d["archivedAt"] is None
    again = get(api, d["campaignId"])
    assert again["authoringStatus"] == "draft" and again["campaignType"] == "broadcast"
    summary = call(api, "GET", d["campaignId"], "/summary").json()["data"]
    assert summary["campaignType"] == "broadcast" and summary["authoringStatus"] == "draft"
    assert get(api, create(api, campaignType="broadcast"))["campaignType"] == "broadcast"


@pytest.mark.req("CAMP-LIFE-002", "CAMP-LIFE-013")
@pytest.mark.parametrize("order", list(itertools.permutations(CONFIG)), ids=lambda o: ">".join(s[7:15] for s in o))
def test_configuration_steps_are_accepted_in_any_order_on_a_draft(api, order):
    cid = create(api)
    for op in order:
        method, suffix, body = CONFIG[op]
        r = call(api, method, cid, suffix, body)
        assert r.status_code == 200, r.text
        assert r.json()["data"]["campaignId"] == cid
    d = get(api, cid)
    assert [b["id"] for b in d["audience"]["included"]] == [SEGMENT]
    assert d["content"]["template"]["id"] == TEMPLATE["email"]
    assert d["schedule"]["mode"] == "at" and d["schedule"]["sendAt"] == SEND_AT
    assert d["authoringStatus"] == "draft"


@pytest.mark.req("CAMP-LIFE-003", "CAMP-LIFE-004", "CAMP-LIFE-005", "CAMP-LIFE-006")
@pytest.mark.parametrize("op", list(CONFIG))
def test_configuration_on_a_published_campaign_is_refused_not_draft(api, op):
    before = get(api, PUBLISHED_COMPLETED)
    method, suffix, _ = CONFIG[op]
    body = {"replaceCampaignAudience": {"include": [{"audienceId": AUDIENCE_2, "type": "audience"}]},
            "replaceCampaignContent": {"templateId": "5e3a1c2d-0000-4000-8000-000000000006"},
            "setCampaignSchedule": {"mode": "now"}}[op]
    err(call(api, method, PUBLISHED_COMPLETED, suffix, body), 409, NOT_DRAFT)
    assert configuration(get(api, PUBLISHED_COMPLETED)) == configuration(before)


@pytest.mark.req("CAMP-LIFE-007", "CAMP-LIFE-009", "CAMP-LIFE-010", "CAMP-CHAN-004")
@pytest.mark.parametrize("channel", ["email", "sms", "push"])
def test_committed_send_job_publishes_and_locks_configuration(api, channel):
    cid = create(api, channel)
    ready(api, cid, channel)
    r = call(api, "POST", cid, "/send-jobs", {})
    assert r.status_code == 201 and r.json()["data"]["status"] == "published"
    before = get(api, cid)
    assert before["authoringStatus"] == "published"
    other = {"email": "5e3a1c2d-0000-4000-8000-000000000006"}.get(channel, TEMPLATE[channel])
    err(call(api, "PUT", cid, "/audience", {"include": [{"audienceId": AUDIENCE_2, "type": "audience"}]}), 409, NOT_DRAFT)
    err(call(api, "PUT", cid, "/content", {"templateId": other}), 409, NOT_DRAFT)
    err(call(api, "PUT", cid, "/schedule", {"mode": "at", "sendAt": SEND_AT}), 409, NOT_DRAFT)
    err(call(api, "POST", cid, "/send-jobs", {}), 409, NOT_DRAFT)
    err(call(api, "POST", cid, "/schedule-jobs", {"sendAt": SEND_AT}), 409, NOT_DRAFT)
    assert configuration(get(api, cid)) == configuration(before)


@pytest.mark.req("CAMP-LIFE-008", "CAMP-LIFE-009", "CAMP-LIFE-010", "CAMP-CHAN-003")
@pytest.mark.parametrize("channel", CHANNELS)
def test_committed_schedule_job_publishes_and_locks_configuration(api, channel):
    cid = create(api, channel)
    ready(api, cid, channel)
    r = call(api, "POST", cid, "/schedule-jobs", schedule_job_body(channel))
    assert r.status_code == 201, r.text
    assert r.json()["data"]["status"] == "published"
    before = get(api, cid)
    assert before["authoringStatus"] == "published"
    sched = {"mode": "batch_on_date", "batchDate": "2026-05-02"} if channel == "direct_mail" else {"mode": "now"}
    err(call(api, "PUT", cid, "/schedule", sched), 409, NOT_DRAFT)
    err(call(api, "PUT", cid, "/audience", {"include": [{"audienceId": AUDIENCE_2, "type": "audience"}]}), 409, NOT_DRAFT)
    err(call(api, "PUT", cid, "/content", {"templateId": TEMPLATE[channel]}), 409, NOT_DRAFT)
    err(call(api, "POST", cid, "/schedule-jobs", schedule_job_body(channel)), 409, NOT_DRAFT)
    assert configuration(get(api, cid)) == configuration(before)
    assert call(api, "GET", cid, "/status").json()["data"]["execution"]["state"] == "scheduled"


@pytest.mark.req("CAMP-CHAN-004")
def test_send_job_on_direct_mail_is_invalid_for_channel_and_changes_nothing(api):
    cid = create(api, "direct_mail")
    ready(api, cid, "direct_mail")
    err(call(api, "POST", cid, "/send-jobs", {}), 400, INVALID_FOR_CHANNEL)
    assert get(api, cid)["authoringStatus"] == "draft"
    assert call(api, "GET", cid, "/status").json()["data"]["execution"]["state"] == "not_scheduled"


@pytest.mark.req("CAMP-LIFE-011")
@pytest.mark.parametrize("channel,body", [("email", {"mode": "at", "sendAt": SEND_AT}), ("sms", {"mode": "now"}),
                                          ("direct_mail", {"mode": "batch_on_date", "batchDate": "2026-05-01"})])
def test_schedule_intent_does_not_publish_schedule_or_send(api, channel, body):
    cid = create(api, channel)
    ready(api, cid, channel)
    r = call(api, "PUT", cid, "/schedule", body)
    assert r.status_code == 200 and r.json()["data"]["authoringStatus"] == "draft"
    api.admin("POST", "/clock", {"advanceSeconds": 8 * 86400})
    assert get(api, cid)["authoringStatus"] == "draft"
    status = call(api, "GET", cid, "/status").json()["data"]
    assert status["authoringStatus"] == "draft" and status["execution"]["state"] == "not_scheduled"


@pytest.mark.req("CAMP-LIFE-012")
def test_authoring_status_takes_draft_published_archived_only(api):
    from contract_spec import load_spec
    from state_machine.apis.experiture_v1 import plugin
    assert load_spec(plugin.spec_path).document["components"]["schemas"]["AuthoringStatus"]["enum"] == ["draft", "published", "archived"]
    archived = create(api)
    assert call(api, "POST", archived, "/archive").json()["data"]["authoringStatus"] == "archived"
    seen = {row["authoringStatus"] for row in
            api.request("GET", "/campaigns", token=FULL, params={"limit": 100}).json()["data"]}
    assert seen == {"draft", "published", "archived"}
    for cid, expected in [(EMAIL_DRAFT, "draft"), (PUBLISHED_COMPLETED, "published"), (archived, "archived")]:
        assert get(api, cid)["authoringStatus"] == expected
        assert call(api, "GET", cid, "/summary").json()["data"]["authoringStatus"] == expected
        assert call(api, "GET", cid, "/status").json()["data"]["authoringStatus"] == expected


# --- metadata (PATCH) ------------------------------------------------------------------------------

@pytest.mark.req("CAMP-META-001", "CAMP-META-004", "CAMP-LIFE-013")
def test_patch_changes_metadata_and_keeps_absent_fields(api):
    cid = create(api, "sms", description="old", category="seasonal", tags=["vip"])
    api.admin("POST", "/clock", {"advanceSeconds": 60})
    r = call(api, "PATCH", cid, "", {"name": "Renamed"})
    assert r.status_code == 200
    d = r.json()["data"]
    assert d["campaignId"] == cid and d["name"] == "Renamed"
    assert d["description"] == "old" and d["settings"] == {"category": "seasonal"} and d["channel"] == "sms"
    assert sorted(d["tags"]) == ["seasonal", "vip"]
    assert d["updatedAt"] == "2026-04-25T10:01:00.000Z" and d["createdAt"] == "2026-04-25T10:00:00.000Z"
    assert get(api, cid) == d
    d2 = call(api, "PATCH", cid, "", {"description": None}).json()["data"]
    assert d2["description"] is None and d2["name"] == "Renamed"


@pytest.mark.req("CAMP-META-004", "CAMP-CAT-004")
def test_patch_tags_replace_old_ones_and_category_is_readded(api):
    cid = create(api, category="retention", tags=["vip", "spring"])
    d = call(api, "PATCH", cid, "", {"tags": ["autumn"]}).json()["data"]
    assert sorted(d["tags"]) == ["autumn", "retention"]
    assert d["settings"]["category"] == "retention"
    assert sorted(get(api, cid)["tags"]) == ["autumn", "retention"]


@pytest.mark.req("CAMP-META-002")
@pytest.mark.parametrize("body", [{}, {"channel": "sms"}, {"campaignType": "journey"}, {"name": "x", "status": "draft"},
                                  {"name": ""}, {"tags": "vip"}],
                         ids=["empty", "channel", "campaignType", "unknown-field", "empty-name", "tags-not-array"])
def test_patch_body_outside_name_description_category_tags_is_validation_failed(api, body):
    before = get(api, EMAIL_DRAFT)
    err(call(api, "PATCH", EMAIL_DRAFT, "", body), 400, VALIDATION_FAILED)
    assert get(api, EMAIL_DRAFT) == before


@pytest.mark.req("CAMP-META-003")
def test_patch_is_allowed_in_every_authoring_status(api):
    archived = create(api)
    call(api, "POST", archived, "/archive")
    for cid, status in [(EMAIL_DRAFT, "draft"), (PUBLISHED_COMPLETED, "published"), (archived, "archived")]:
        r = call(api, "PATCH", cid, "", {"name": f"Renamed {status}"})
        assert r.status_code == 200, r.text
        assert r.json()["data"]["authoringStatus"] == status
        assert get(api, cid)["name"] == f"Renamed {status}"


# --- categories and tags (000) ---------------------------------------------------------------------

@pytest.mark.req("CAMP-CAT-001", "CAMP-CAT-004")
@pytest.mark.parametrize("category", CATEGORIES)
def test_valid_category_is_stored_in_settings_and_added_to_tags(api, category):
    cid = create(api, category=category, tags=["vip"])
    d = get(api, cid)
    assert d["settings"] == {"category": category}
    assert sorted(d["tags"]) == sorted(["vip", category])


@pytest.mark.req("CAMP-CAT-002", "CAMP-CAT-003", "CAMP-CAT-004", "CAMP-CAT-005")
@pytest.mark.parametrize("extra", [{"category": "holiday"}, {"category": "Retention"}, {"category": ""}, {}],
                         ids=["invalid", "wrong-case", "empty", "omitted"])
def test_invalid_or_omitted_category_defaults_to_general(api, extra):
    r = api.request("POST", "/campaigns", token=FULL, json_body={"name": "C", "channel": "push", **extra})
    assert r.status_code == 201, r.text
    d = get(api, r.json()["data"]["campaignId"])
    assert d["settings"] == {"category": "general"} and d["tags"] == ["general"]


@pytest.mark.req("CAMP-CAT-005")
def test_category_request_field_is_a_plain_string_in_the_spec(api):
    from contract_spec import load_spec
    from state_machine.apis.experiture_v1 import plugin
    schemas = load_spec(plugin.spec_path).document["components"]["schemas"]
    for name in ("CreateCampaignRequest", "UpdateCampaignRequest"):
        prop = schemas[name]["properties"]["category"]
        assert prop.get("type") == "string" and "enum" not in prop and "$ref" not in prop
    cid = create(api, category="seasonal")
    r = call(api, "PATCH", cid, "", {"category": "not-a-category"})
    assert r.status_code == 200
    assert r.json()["data"]["settings"] == {"category": "general"}
    assert "general" in get(api, cid)["tags"]


@pytest.mark.req("CAMP-CAT-004")
def test_category_already_in_tags_is_not_added_twice(api):
    d = get(api, create(api, category="retention", tags=["retention", "vip"]))
    assert sorted(d["tags"]) == ["retention", "vip"]


@pytest.mark.req("CAMP-CAT-006", "CAMP-CAT-004")
def test_category_change_adds_the_new_tag_and_keeps_the_old_one(api):
    cid = create(api, category="seasonal", tags=["vip"])
    d = call(api, "PATCH", cid, "", {"category": "retention"}).json()["data"]
    assert d["settings"] == {"category": "retention"}
    assert sorted(d["tags"]) == ["retention", "seasonal", "vip"]
    assert sorted(get(api, cid)["tags"]) == ["retention", "seasonal", "vip"]


# --- channels --------------------------------------------------------------------------------------

@pytest.mark.req("CAMP-CHAN-001")
@pytest.mark.parametrize("channel", CHANNELS)
def test_created_campaign_keeps_its_channel(api, channel):
    from contract_spec import load_spec
    from state_machine.apis.experiture_v1 import plugin
    assert load_spec(plugin.spec_path).document["components"]["schemas"]["Channel"]["enum"] == CHANNELS
    cid = create(api, channel)
    assert get(api, cid)["channel"] == channel
    assert call(api, "GET", cid, "/summary").json()["data"]["channel"] == channel
    rows = api.request("GET", "/campaigns", token=FULL, params={"channel": channel, "limit": 100}).json()["data"]
    assert cid in [row["campaignId"] for row in rows]


@pytest.mark.req("CAMP-CHAN-002")
@pytest.mark.parametrize("body", [{"name": "C"}, {"name": "C", "channel": "fax"}, {"name": "C", "channel": "Email"},
                                  {"name": "C", "channel": None}], ids=["missing", "fax", "wrong-case", "null"])
def test_create_without_a_valid_channel_is_validation_failed(api, body):
    total = api.request("GET", "/campaigns", token=FULL).json()["pagination"]["total"]
    err(api.request("POST", "/campaigns", token=FULL, json_body=body), 400, VALIDATION_FAILED)
    assert api.request("GET", "/campaigns", token=FULL).json()["pagination"]["total"] == total


# --- unsupported campaign types (000, 003) ---------------------------------------------------------

def unsupported(api) -> list[dict]:
    found = api.profile.campaigns_with_role("unsupported_type")
    assert found, "the profile names no unsupported_type campaign"
    return found


@pytest.mark.req("CAMP-TYPE-002", "CAMP-TYPE-008")
@pytest.mark.parametrize("ctype", ["journey", "triggered", "Broadcast"])
def test_create_with_a_non_broadcast_type_is_type_unsupported(api, ctype):
    total = api.request("GET", "/campaigns", token=FULL).json()["pagination"]["total"]
    r = api.request("POST", "/campaigns", token=FULL, json_body={"name": "J", "channel": "email", "campaignType": ctype})
    assert err(r, 409, TYPE_UNSUPPORTED)["details"]["campaignType"] == ctype
    assert api.request("GET", "/campaigns", token=FULL).json()["pagination"]["total"] == total


@pytest.mark.req("CAMP-TYPE-003", "CAMP-TYPE-004", "CAMP-TYPE-012", "CAMP-TYPE-013", "CAMP-TYPE-014")
@pytest.mark.parametrize("op", list(READS))
def test_object_reads_of_unsupported_types_are_summary_type_unsupported(api, op):
    method, suffix, _ = READS[op]
    for c in unsupported(api):
        assert isinstance(c["campaignType"], str) and c["campaignType"] != "broadcast"
        for _ in range(2):
            e = err(call(api, method, c["id"], suffix), 409, SUMMARY_TYPE_UNSUPPORTED)
            assert e["details"]["campaignType"] == c["campaignType"]
        # the 409 is for the owning tenant; another tenant does not see the campaign at all
        err(call(api, method, c["id"], suffix, token=OTHER_TENANT), 404, NOT_FOUND)


@pytest.mark.req("CAMP-TYPE-005", "CAMP-TYPE-006", "CAMP-TYPE-007", "CAMP-TYPE-008", "CAMP-TYPE-009", "CAMP-TYPE-010")
@pytest.mark.parametrize("op", list(ACTIONS))
def test_actions_on_unsupported_types_are_stable_type_unsupported(api, op):
    method, suffix, body = ACTIONS[op]
    for c in unsupported(api):
        for _ in range(2):   # stable: the same answer again, and nothing changed in between
            e = err(call(api, method, c["id"], suffix, body), 409, TYPE_UNSUPPORTED)
            assert e["details"]["campaignType"] == c["campaignType"]
        rows = api.request("GET", "/campaigns", token=FULL, params={"limit": 100}).json()["data"]
        row = next(r for r in rows if r["campaignId"] == c["id"])
        assert row["authoringStatus"] == "draft" and row["name"] != "Renamed"
        assert row["campaignType"] == c["campaignType"]


@pytest.mark.req("CAMP-TYPE-012")
def test_non_broadcast_type_names_are_plain_strings_in_the_spec(api):
    from contract_spec import load_spec
    from state_machine.apis.experiture_v1 import plugin
    schemas = load_spec(plugin.spec_path).document["components"]["schemas"]
    # where a non-broadcast campaign can appear (a list row, a create request) the type is a free string;
    # the object and summary reads only ever project broadcast campaigns.
    for name in ("CampaignListItem", "CreateCampaignRequest"):
        prop = schemas[name]["properties"]["campaignType"]
        assert prop.get("type") == "string" and "enum" not in prop and "const" not in prop
    for name in ("Campaign", "CampaignSummary"):
        assert schemas[name]["properties"]["campaignType"] == {"const": "broadcast"}
    assert {c["campaignType"] for c in unsupported(api)} == {"journey", "triggered"}


# --- archive ---------------------------------------------------------------------------------------

@pytest.mark.req("CAMP-ARCH-001", "CAMP-ARCH-002", "CAMP-LIFE-013")
@pytest.mark.parametrize("cid", [EMAIL_DRAFT, PUBLISHED_COMPLETED], ids=["draft", "published"])
def test_archive_sets_archived_status_and_archived_at(api, cid):
    r = call(api, "POST", cid, "/archive")
    assert r.status_code == 200
    d = r.json()["data"]
    assert d["campaignId"] == cid and d["authoringStatus"] == "archived"
    assert d["archivedAt"] == "2026-04-25T10:00:00.000Z"
    assert get(api, cid)["authoringStatus"] == "archived" and get(api, cid)["archivedAt"] == "2026-04-25T10:00:00.000Z"


@pytest.mark.req("CAMP-ARCH-003")
def test_archiving_again_is_a_no_op(api):
    first = call(api, "POST", EMAIL_DRAFT, "/archive").json()["data"]
    api.admin("POST", "/clock", {"advanceSeconds": 3600})
    r = call(api, "POST", EMAIL_DRAFT, "/archive")
    assert r.status_code == 200
    d = r.json()["data"]
    assert d["authoringStatus"] == "archived" and d["archivedAt"] == "2026-04-25T10:00:00.000Z"
    assert get(api, EMAIL_DRAFT)["archivedAt"] == first["archivedAt"]


@pytest.mark.req("CAMP-ARCH-004")
def test_archive_keeps_committed_execution_and_locks_configuration(api):
    before = get(api, PUBLISHED_SCHEDULED)
    assert call(api, "POST", PUBLISHED_SCHEDULED, "/archive").status_code == 200
    assert call(api, "GET", PUBLISHED_SCHEDULED, "/status").json()["data"]["execution"]["state"] == "scheduled"
    for op, (method, suffix, body) in CONFIG.items():
        err(call(api, method, PUBLISHED_SCHEDULED, suffix, body), 409, NOT_DRAFT)
    after = get(api, PUBLISHED_SCHEDULED)
    assert configuration(after)[:4] == configuration(before)[:4]
    api.admin("POST", "/clock", {"advanceSeconds": 8 * 86400})
    status = call(api, "GET", PUBLISHED_SCHEDULED, "/status").json()["data"]
    assert status["execution"]["state"] == "completed" and status["authoringStatus"] == "archived"


@pytest.mark.req("CAMP-ARCH-004")
def test_archived_draft_is_not_a_draft_for_configuration(api):
    cid = create(api)
    call(api, "POST", cid, "/archive")
    for op, (method, suffix, body) in CONFIG.items():
        err(call(api, method, cid, suffix, body), 409, NOT_DRAFT)
    d = get(api, cid)
    assert d["audience"]["included"] == [] and d["content"]["template"] is None and d["schedule"] is None


# --- delete ----------------------------------------------------------------------------------------

@pytest.mark.req("CAMP-DEL-001", "CAMP-DEL-002")
def test_delete_answers_the_deletion_record(api):
    cid = create(api)
    r = call(api, "DELETE", cid)
    assert r.status_code == 200
    assert r.json()["data"] == {"campaignId": cid, "deleted": True, "deletedAt": "2026-04-25T10:00:00.000Z"}
    err(call(api, "GET", cid), 404, NOT_FOUND)


@pytest.mark.req("CAMP-DEL-003")
@pytest.mark.parametrize("op", list(ACTIONS) + list(READS))
def test_every_operation_on_a_deleted_campaign_is_not_found(api, op):
    cid = create(api)
    ready(api, cid)
    assert call(api, "DELETE", cid).status_code == 200
    method, suffix, body = {**ACTIONS, **READS}[op]
    err(call(api, method, cid, suffix, body), 404, NOT_FOUND)
    err(call(api, method, cid, suffix, body), 404, NOT_FOUND)


@pytest.mark.req("CAMP-DEL-004")
@pytest.mark.parametrize("state", ["draft", "published", "archived"])
def test_delete_is_allowed_from_every_authoring_status(api, state):
    cid = {"draft": EMAIL_DRAFT, "published": PUBLISHED_COMPLETED}.get(state) or create(api)
    if state == "archived":
        call(api, "POST", cid, "/archive")
    assert get(api, cid)["authoringStatus"] == state
    r = call(api, "DELETE", cid)
    assert r.status_code == 200 and r.json()["data"]["deleted"] is True
    err(call(api, "GET", cid, "/status"), 404, NOT_FOUND)


# --- clone -----------------------------------------------------------------------------------------

@pytest.mark.req("CAMP-CLONE-001", "CAMP-LIFE-013")
@pytest.mark.parametrize("source", [EMAIL_DRAFT, PUBLISHED_COMPLETED, "archived"], ids=["draft", "published", "archived"])
def test_clone_is_a_new_draft(api, source):
    if source == "archived":
        source = create(api)
        assert call(api, "POST", source, "/archive").status_code == 200
    before = get(api, source)
    r = call(api, "POST", source, "/clone")
    assert r.status_code == 201
    d = r.json()["data"]
    assert d["campaignId"] != source and d["authoringStatus"] == "draft" and d["archivedAt"] is None
    assert get(api, d["campaignId"])["authoringStatus"] == "draft"
    assert get(api, source) == before


@pytest.mark.req("CAMP-CLONE-002")
def test_clone_name_defaults_to_copy_suffix_cut_to_200(api):
    src = create(api, name="Autumn promo")
    assert call(api, "POST", src, "/clone").json()["data"]["name"] == "Autumn promo (copy)"
    assert call(api, "POST", src, "/clone", {}).json()["data"]["name"] == "Autumn promo (copy)"
    assert call(api, "POST", src, "/clone", {"name": "Winter promo"}).json()["data"]["name"] == "Winter promo"
    long_src = create(api, name="x" * 195)
    assert call(api, "POST", long_src, "/clone").json()["data"]["name"] == "x" * 195 + " (cop"


@pytest.mark.req("CAMP-CLONE-002")
@pytest.mark.parametrize("body", [{"name": ""}, {"name": "y" * 201}, {"name": 5}], ids=["empty", "too-long", "number"])
def test_clone_with_an_invalid_name_is_validation_failed(api, body):
    total = api.request("GET", "/campaigns", token=FULL).json()["pagination"]["total"]
    err(call(api, "POST", EMAIL_DRAFT, "/clone", body), 400, VALIDATION_FAILED)
    assert api.request("GET", "/campaigns", token=FULL).json()["pagination"]["total"] == total


@pytest.mark.req("CAMP-CLONE-003")
def test_clone_copies_configuration_without_execution_history(api):
    src = create(api, "email", description="d", category="retention", tags=["vip"])
    ready(api, src)
    call(api, "PUT", src, "/schedule", {"mode": "at", "sendAt": SEND_AT})
    assert call(api, "POST", src, "/send-jobs", {}).status_code == 201
    api.admin("POST", "/clock", {"advanceSeconds": 60})
    assert call(api, "GET", src, "/status").json()["data"]["execution"]["state"] == "completed"
    s = get(api, src)
    d = call(api, "POST", src, "/clone").json()["data"]
    assert (d["campaignType"], d["channel"], d["description"]) == ("broadcast", "email", "d")
    assert d["settings"] == {"category": "retention"} and sorted(d["tags"]) == ["retention", "vip"]
    assert d["audience"]["included"] == s["audience"]["included"] and d["audience"]["excluded"] == []
    assert d["audience"]["reach"]["status"] in ("pending", "idle")   # reach restarts (002: an evaluation per binding)
    api.admin("POST", "/clock", {"advanceSeconds": 5})
    assert get(api, d["campaignId"])["audience"]["reach"]["status"] == "ok"
    assert d["content"]["template"] == s["content"]["template"]
    assert d["schedule"] == s["schedule"]
    st = call(api, "GET", d["campaignId"], "/status").json()["data"]
    assert st["execution"] == {"state": "not_scheduled", "lastExecution": None}
    assert call(api, "GET", d["campaignId"], "/summary").json()["data"]["latestExecution"]["status"] == "not_scheduled"
