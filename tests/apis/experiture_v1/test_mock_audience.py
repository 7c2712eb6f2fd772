"""Audience binding (PUT /audience) and reach evaluation, through HTTP against the embedded mock.

Expected values come from the documents (002 audience binding, 003 summary) and
openapi/experiture-v1/decisions.md ("Reach evaluation"); the mock clock is frozen and only moves when a test
advances it, by the profile's timing.reachEvaluationSeconds.
"""
from __future__ import annotations

import uuid
from datetime import datetime

import pytest

VALIDATION_FAILED = "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED"

# 002's example ids (fixtures of the mock, tenant t1)
SEG_1 = "a1b2c3d4-0000-0000-0000-000000000001"
AUD_2 = "a1b2c3d4-0000-0000-0000-000000000002"
AUD_99 = "a1b2c3d4-0000-0000-0000-000000000099"
PUBLISHED_CAMPAIGN = "c0000000-0000-4000-8000-000000000007"
SUMMARY_UNAVAILABLE_CAMPAIGN = "c0000000-0000-4000-8000-000000000004"

BINDING_KEYS = {"id", "name", "type", "memberCount"}           # 003
REACH_KEYS = {"status", "evaluatedCount", "evaluatedAt", "isStale"}  # 003 / 002


# --------------------------------------------------------------------------- helpers
def tok(api) -> str:
    return api.profile.token("full")


def create(api, channel: str = "email") -> str:
    r = api.request("POST", "/campaigns", token=tok(api), json_body={"name": "Audience test", "channel": channel})
    assert r.status_code == 201, r.text
    return r.json()["data"]["campaignId"]


def put_audience(api, cid: str, body):
    return api.request("PUT", f"/campaigns/{cid}/audience", token=tok(api), json_body=body)


def get(api, cid: str) -> dict:
    r = api.request("GET", f"/campaigns/{cid}", token=tok(api))
    assert r.status_code == 200, r.text
    return r.json()["data"]


def summary(api, cid: str) -> dict:
    r = api.request("GET", f"/campaigns/{cid}/summary", token=tok(api))
    assert r.status_code == 200, r.text
    return r.json()["data"]


def reach(api, cid: str) -> dict:
    return summary(api, cid)["audience"]["reach"]


def advance(api, seconds: float) -> None:
    r = api.admin("POST", "/clock", {"advanceSeconds": seconds})
    assert r.status_code == 200, r.text


def now(api) -> datetime:
    return ts(api.admin("GET", "/clock").json()["now"])


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def delay(api) -> float:
    return api.profile.timing["reachEvaluationSeconds"]


def fails_segment(api) -> str:
    [entry] = [a for a in api.profile.fixtures["audiences"] if a.get("role") == "reach_fails"]
    return entry["id"]


def entry(audience_id: str, kind: str = "audience") -> dict:
    return {"audienceId": audience_id, "type": kind}


def ids(bindings: list[dict]) -> list[str]:
    return [b["id"] for b in bindings]


def bound(api, cid: str) -> tuple[list[str], list[str]]:
    aud = get(api, cid)["audience"]
    return ids(aud["included"]), ids(aud["excluded"])


def assert_refused(r, code: str = VALIDATION_FAILED, status: int = 400) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == code
    return body["error"]


DOC_EXAMPLE_BODY = {  # 002's example request
    "include": [entry(SEG_1, "segment"), entry(AUD_2, "audience")],
    "exclude": [entry(AUD_99, "audience")],
}


# --------------------------------------------------------------------------- binding constraints
@pytest.mark.req("CAMP-AUD-001", "CAMP-AUD-010", "CAMP-AUD-014")
def test_put_audience_is_a_full_replacement_answered_with_the_campaign_object(api):
    cid = create(api)
    r = put_audience(api, cid, DOC_EXAMPLE_BODY)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["campaignId"] == cid and data["channel"] == "email" and data["authoringStatus"] == "draft"
    assert ids(data["audience"]["included"]) == [SEG_1, AUD_2]
    assert ids(data["audience"]["excluded"]) == [AUD_99]
    assert data == get(api, cid)

    # no merge: a PUT without exclude (omitted = empty list) and naming only AUD_2 removes the rest
    r = put_audience(api, cid, {"include": [entry(AUD_2)]})
    assert r.status_code == 200, r.text
    assert ids(r.json()["data"]["audience"]["included"]) == [AUD_2]
    assert r.json()["data"]["audience"]["excluded"] == []
    assert bound(api, cid) == ([AUD_2], [])


@pytest.mark.req("CAMP-AUD-002")
def test_adding_a_segment_means_resubmitting_the_full_list(api):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(SEG_1, "segment")]}).status_code == 200
    assert put_audience(api, cid, {"include": [entry(AUD_2)]}).status_code == 200
    assert bound(api, cid) == ([AUD_2], [])  # only the new one
    r = put_audience(api, cid, {"include": [entry(SEG_1, "segment"), entry(AUD_2)]})
    assert r.status_code == 200
    assert sorted(bound(api, cid)[0]) == sorted([SEG_1, AUD_2])


@pytest.mark.req("CAMP-AUD-003", "CAMP-AUD-013", "CAMP-AUD-014")
@pytest.mark.parametrize("body", [
    {"include": []},
    {"include": [], "exclude": [{"audienceId": AUD_99, "type": "audience"}]},
    {"exclude": [{"audienceId": AUD_99, "type": "audience"}]},  # include is required
    {},
], ids=["empty-include", "empty-include-with-exclude", "missing-include", "empty-body"])
def test_include_needs_at_least_one_entry_and_a_refusal_changes_nothing(api, body):
    cid = create(api)
    assert put_audience(api, cid, DOC_EXAMPLE_BODY).status_code == 200
    before = get(api, cid)
    assert_refused(put_audience(api, cid, body))
    assert get(api, cid) == before


@pytest.mark.req("CAMP-AUD-004", "CAMP-AUD-013", "CAMP-AUD-016")
def test_include_holds_at_most_25_entries(api):
    cid = create(api)
    many = [str(uuid.uuid4()) for _ in range(26)]
    r = put_audience(api, cid, {"include": [entry(a) for a in many[:25]]})
    assert r.status_code == 200, r.text
    assert ids(r.json()["data"]["audience"]["included"]) == many[:25]
    assert_refused(put_audience(api, cid, {"include": [entry(a) for a in many]}))
    assert bound(api, cid) == (many[:25], [])


@pytest.mark.req("CAMP-AUD-005")
def test_exclude_may_be_an_empty_list(api):
    cid = create(api)
    r = put_audience(api, cid, {"include": [entry(SEG_1, "segment")], "exclude": []})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["audience"]["excluded"] == []
    assert bound(api, cid) == ([SEG_1], [])


@pytest.mark.req("CAMP-AUD-006", "CAMP-AUD-013")
def test_exclude_holds_at_most_25_entries(api):
    cid = create(api)
    many = [str(uuid.uuid4()) for _ in range(26)]
    r = put_audience(api, cid, {"include": [entry(SEG_1, "segment")], "exclude": [entry(a) for a in many[:25]]})
    assert r.status_code == 200, r.text
    assert ids(r.json()["data"]["audience"]["excluded"]) == many[:25]
    assert_refused(put_audience(api, cid, {"include": [entry(AUD_2)], "exclude": [entry(a) for a in many]}))
    assert bound(api, cid) == ([SEG_1], many[:25])


@pytest.mark.req("CAMP-AUD-007", "CAMP-AUD-013")
def test_the_same_audience_cannot_be_included_and_excluded(api):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(SEG_1, "segment")]}).status_code == 200
    before = get(api, cid)
    error = assert_refused(put_audience(api, cid, {
        "include": [entry(AUD_2), entry(AUD_99)], "exclude": [entry(AUD_99)]}))
    assert error["details"]["reason"] == "overlap"
    # also when the two entries give different types for the same id
    error = assert_refused(put_audience(api, cid, {
        "include": [entry(AUD_2, "segment")], "exclude": [entry(AUD_2, "audience")]}))
    assert error["details"]["reason"] == "overlap"
    assert get(api, cid) == before


@pytest.mark.req("CAMP-AUD-008", "CAMP-AUD-013")
@pytest.mark.parametrize("bad", [
    {"type": "audience"},
    {"audienceId": AUD_2},
    {"audienceId": "not-a-uuid", "type": "audience"},
    {"audienceId": 12345, "type": "segment"},
    {},
], ids=["no-audienceId", "no-type", "non-uuid", "number-id", "empty-entry"])
@pytest.mark.parametrize("where", ["include", "exclude"])
def test_an_entry_needs_a_uuid_audience_id_and_a_type(api, bad, where):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(SEG_1, "segment")]}).status_code == 200
    before = get(api, cid)
    body = {"include": [bad], "exclude": []} if where == "include" else {
        "include": [entry(AUD_99)], "exclude": [bad]}
    assert_refused(put_audience(api, cid, body))
    assert get(api, cid) == before


@pytest.mark.req("CAMP-AUD-009")
def test_entry_type_is_audience_or_segment(api):
    cid = create(api)
    r = put_audience(api, cid, {"include": [entry(SEG_1, "segment"), entry(AUD_2, "audience")]})
    assert r.status_code == 200, r.text
    assert [b["type"] for b in r.json()["data"]["audience"]["included"]] == ["segment", "audience"]
    before = get(api, cid)
    for bad_type in ("list", "Segment", "", None):
        assert_refused(put_audience(api, cid, {"include": [entry(AUD_99, bad_type)]}))
    assert get(api, cid) == before


@pytest.mark.req("CAMP-AUD-015")
@pytest.mark.parametrize("body", [
    {"include": [entry(AUD_2), entry(AUD_2)]},
    {"include": [entry(SEG_1, "segment")], "exclude": [entry(AUD_99), entry(AUD_99)]},
], ids=["include", "exclude"])
def test_a_repeated_audience_id_within_one_list_is_refused(api, body):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(SEG_1, "segment")]}).status_code == 200
    before = get(api, cid)
    assert_refused(put_audience(api, cid, body))
    assert get(api, cid) == before


@pytest.mark.req("CAMP-AUD-016")
def test_unknown_audience_ids_are_accepted_with_name_null(api):
    cid = create(api)
    unknown = str(uuid.uuid4())
    r = put_audience(api, cid, {"include": [entry(unknown, "segment")]})
    assert r.status_code == 200, r.text
    for view in (r.json()["data"], get(api, cid), summary(api, cid)):
        assert view["audience"]["included"] == [
            {"id": unknown, "name": None, "type": "segment", "memberCount": None}]


@pytest.mark.req("CAMP-AUD-011")
def test_missing_persisted_state_answers_summary_unavailable(api):
    r = put_audience(api, SUMMARY_UNAVAILABLE_CAMPAIGN, {"include": [entry(SEG_1, "segment")]})
    assert_refused(r, "JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_UNAVAILABLE", 409)


def test_put_audience_on_a_published_campaign_is_not_draft(api):
    before = get(api, PUBLISHED_CAMPAIGN)
    r = put_audience(api, PUBLISHED_CAMPAIGN, {"include": [entry(AUD_2)]})
    assert_refused(r, "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_DRAFT", 409)
    assert get(api, PUBLISHED_CAMPAIGN) == before


@pytest.mark.req("CAMP-AUD-012")
def test_bindings_in_responses_are_id_name_type_with_member_count_redacted(api):
    cid = create(api)
    r = put_audience(api, cid, DOC_EXAMPLE_BODY)
    assert r.status_code == 200
    for view in (r.json()["data"], get(api, cid), summary(api, cid)):
        bindings = view["audience"]["included"] + view["audience"]["excluded"]
        assert [(b["id"], b["type"]) for b in bindings] == [
            (SEG_1, "segment"), (AUD_2, "audience"), (AUD_99, "audience")]
        for b in bindings:
            assert set(b) == BINDING_KEYS
            assert b["memberCount"] is None
            assert b["name"] is None or isinstance(b["name"], str)
    advance(api, delay(api))  # still redacted once reach has a count
    assert all(b["memberCount"] is None for b in summary(api, cid)["audience"]["included"])


# --------------------------------------------------------------------------- reach evaluation
@pytest.mark.req("CAMP-REACH-003", "CAMP-REACH-006", "CAMP-REACH-008")
def test_reach_of_a_fresh_draft_is_idle_with_no_count(api):
    cid = create(api)
    for view in (get(api, cid), summary(api, cid)):
        assert view["audience"]["reach"] == {
            "status": "idle", "evaluatedCount": None, "evaluatedAt": None, "isStale": False}


@pytest.mark.req("CAMP-REACH-002", "CAMP-REACH-003", "CAMP-REACH-004", "CAMP-REACH-006", "CAMP-REACH-007")
def test_binding_is_pending_then_ok_after_the_evaluation_delay(api):
    cid = create(api)
    bound_at = now(api)
    r = put_audience(api, cid, DOC_EXAMPLE_BODY)
    assert r.status_code == 200
    # the PUT answers before the evaluation completes
    first = r.json()["data"]["audience"]["reach"]
    assert set(first) == REACH_KEYS
    assert first["status"] == "pending" and first["evaluatedCount"] is None and first["evaluatedAt"] is None
    advance(api, delay(api) - 1)
    assert reach(api, cid)["status"] == "pending"
    advance(api, 1)
    for view in (summary(api, cid), get(api, cid)):
        done = view["audience"]["reach"]
        assert set(done) == REACH_KEYS
        assert done["status"] == "ok"
        assert isinstance(done["evaluatedCount"], int) and done["evaluatedCount"] >= 0
        assert done["evaluatedAt"] is not None and bound_at <= ts(done["evaluatedAt"]) <= now(api)
        assert done["isStale"] is False
    # stays ok while nothing changes
    advance(api, 600)
    assert reach(api, cid)["status"] == "ok"


@pytest.mark.req("CAMP-REACH-001", "CAMP-REACH-004", "CAMP-REACH-007", "CAMP-REACH-009")
def test_every_audience_change_resets_and_restarts_the_evaluation(api):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(SEG_1, "segment")]}).status_code == 200
    advance(api, delay(api))
    first = reach(api, cid)
    assert first["status"] == "ok"

    advance(api, 60)
    rebound_at = now(api)
    r = put_audience(api, cid, DOC_EXAMPLE_BODY)
    after_put = r.json()["data"]["audience"]["reach"]
    assert after_put["status"] == "pending"  # no longer ok from the previous binding
    # a count still shown belongs to the earlier binding
    assert after_put["isStale"] is (after_put["evaluatedCount"] is not None)
    assert reach(api, cid)["status"] == "pending"

    # a second change just before the deadline restarts the clock
    advance(api, delay(api) - 1)
    restarted_at = now(api)
    assert put_audience(api, cid, {"include": [entry(AUD_2)]}).status_code == 200
    advance(api, 1)  # the first rebind's deadline has passed, the second's has not
    assert reach(api, cid)["status"] == "pending"
    advance(api, delay(api) - 1)
    done = reach(api, cid)
    assert done["status"] == "ok" and done["isStale"] is False and done["evaluatedCount"] is not None
    assert ts(done["evaluatedAt"]) >= restarted_at > rebound_at > ts(first["evaluatedAt"])


@pytest.mark.req("CAMP-REACH-005", "CAMP-REACH-008", "CAMP-REACH-009", "CAMP-REACH-002")
def test_failed_evaluation_keeps_the_previous_count_and_time(api):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(SEG_1, "segment")]}).status_code == 200
    advance(api, delay(api))
    ok = reach(api, cid)
    assert ok["status"] == "ok" and ok["evaluatedCount"] is not None

    advance(api, 30)
    r = put_audience(api, cid, {"include": [entry(fails_segment(api), "segment")]})
    assert r.status_code == 200
    pending = r.json()["data"]["audience"]["reach"]
    assert pending["status"] == "pending"
    if pending["evaluatedCount"] is not None:  # a kept count belongs to the earlier binding
        assert pending["isStale"] is True and pending["evaluatedCount"] == ok["evaluatedCount"]
    advance(api, delay(api))
    for view in (summary(api, cid), get(api, cid)):
        failed = view["audience"]["reach"]
        assert failed == {"status": "failed", "evaluatedCount": ok["evaluatedCount"],
                          "evaluatedAt": ok["evaluatedAt"], "isStale": True}
    advance(api, 600)  # failed is final for this binding
    assert reach(api, cid)["status"] == "failed"


@pytest.mark.req("CAMP-REACH-005", "CAMP-REACH-008", "CAMP-REACH-009")
def test_failed_evaluation_without_an_earlier_success_has_no_count(api):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(fails_segment(api), "segment")]}).status_code == 200
    assert reach(api, cid)["status"] == "pending"
    advance(api, delay(api))
    assert reach(api, cid) == {"status": "failed", "evaluatedCount": None, "evaluatedAt": None, "isStale": False}


@pytest.mark.req("CAMP-REACH-001", "CAMP-REACH-004", "CAMP-REACH-009")
def test_rebinding_after_a_failure_evaluates_afresh(api):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(fails_segment(api), "segment")]}).status_code == 200
    advance(api, delay(api))
    assert reach(api, cid)["status"] == "failed"
    rebound_at = now(api)
    assert put_audience(api, cid, {"include": [entry(SEG_1, "segment")]}).status_code == 200
    assert reach(api, cid)["status"] == "pending"
    advance(api, delay(api))
    done = reach(api, cid)
    assert done["status"] == "ok" and done["isStale"] is False
    assert done["evaluatedCount"] is not None and ts(done["evaluatedAt"]) >= rebound_at


@pytest.mark.req("CAMP-REACH-001")
def test_a_refused_audience_put_does_not_reset_reach(api):
    cid = create(api)
    assert put_audience(api, cid, {"include": [entry(SEG_1, "segment")]}).status_code == 200
    advance(api, delay(api))
    ok = reach(api, cid)
    assert ok["status"] == "ok"
    assert_refused(put_audience(api, cid, {"include": [entry(AUD_2)], "exclude": [entry(AUD_2)]}))
    assert_refused(put_audience(api, cid, {"include": []}))
    assert reach(api, cid) == ok
