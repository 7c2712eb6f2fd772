"""Lifecycle model: PUT /audience and reach evaluation (002), PUT /content (decisions, 001)."""
from __future__ import annotations

import pytest

from state_machine.apis.experiture_v1.model.timing import REACH_EVALUATION_SECONDS

from .model_helpers import (
    AUD_A,
    AUD_B,
    AUD_C,
    AUD_REACH_FAILS,
    AUD_T2,
    AUD_UNKNOWN,
    CHANNEL_MISMATCH,
    CONTENT_REQUIRED,
    NOT_DRAFT,
    TEMPLATE_FOR,
    TEMPLATE_NOT_FOUND,
    TPL_DM,
    TPL_EMAIL,
    TPL_EMAIL_2,
    TPL_EMAIL_DRAFT,
    TPL_SMS,
    TPL_T2_EMAIL,
    VALIDATION_FAILED,
    Api,
    assert_error,
    at,
    entry,
)

EVAL = REACH_EVALUATION_SECONDS  # the documents give no duration; the model's choice


def _many(n: int, start: int = 1000) -> list[dict[str, str]]:
    """n distinct audience ids (unknown audiences are accepted, decisions)."""
    return [entry(f"00000000-0000-4000-9000-{start + i:012d}") for i in range(n)]


def _reach(api: Api, cid: str, seconds: float) -> dict:
    return api.call("getCampaignSummary", cid, when=at(seconds)).data["audience"]["reach"]


# --- bindings --------------------------------------------------------------------------------------

def test_audience_replacement_is_full_not_a_merge():
    """002: a full replacement; previously bound audiences not in the new payload are removed."""
    api = Api()
    cid = api.create()
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A, "segment"), entry(AUD_B)],
                                              "exclude": [entry(AUD_C)]})
    d = api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_C)]}, when=at(10))
    assert d.status == 200
    assert [b["id"] for b in d.data["audience"]["included"]] == [AUD_C]
    assert d.data["audience"]["excluded"] == []


def test_audience_bindings_show_id_name_type_and_redacted_member_count():
    """003: binding {id, name, type, memberCount: null}; decisions: unknown audience -> name null."""
    api = Api()
    cid = api.create()
    d = api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A, "segment"), entry(AUD_UNKNOWN)],
                                                  "exclude": [entry(AUD_B)]})
    assert d.data["audience"]["included"] == [
        {"id": AUD_A, "name": "Lapsed buyers", "type": "segment", "memberCount": None},
        {"id": AUD_UNKNOWN, "name": None, "type": "audience", "memberCount": None},
    ]
    assert d.data["audience"]["excluded"] == [{"id": AUD_B, "name": "VIP", "type": "audience",
                                               "memberCount": None}]


def test_other_tenants_audience_shows_no_name():
    """decisions: audiences are per tenant; another tenant's id is an unknown id (name null)."""
    api = Api()
    cid = api.create()
    d = api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_T2)]})
    assert d.data["audience"]["included"][0]["name"] is None


@pytest.mark.parametrize("n", [1, 25])
def test_include_accepts_1_to_25_entries(n):
    """002: include has 1-25 entries."""
    api = Api()
    cid = api.create()
    d = api.call("replaceCampaignAudience", cid, {"include": _many(n)})
    assert d.status == 200 and len(d.data["audience"]["included"]) == n


@pytest.mark.parametrize("n", [0, 26])
def test_include_outside_1_to_25_is_rejected(n):
    """002: an empty include is rejected; max 25 entries."""
    api = Api()
    cid = api.create()
    assert_error(api.call("replaceCampaignAudience", cid, {"include": _many(n)}), 400, VALIDATION_FAILED)


@pytest.mark.parametrize("n, ok", [(0, True), (25, True), (26, False)])
def test_exclude_accepts_0_to_25_entries(n, ok):
    """002: exclude has 0-25 entries."""
    api = Api()
    cid = api.create()
    d = api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)], "exclude": _many(n)})
    if ok:
        assert d.status == 200 and len(d.data["audience"]["excluded"]) == n
    else:
        assert_error(d, 400, VALIDATION_FAILED)


def test_include_exclude_overlap_is_validation_failed_with_reason_overlap():
    """002: the same audience ID cannot appear in both include and exclude; decisions: reason "overlap"."""
    api = Api()
    cid = api.create()
    d = api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)], "exclude": [entry(AUD_A)]})
    assert_error(d, 400, VALIDATION_FAILED)
    assert d.error.details["reason"] == "overlap"


@pytest.mark.parametrize("body", [
    {"include": [entry(AUD_A), entry(AUD_A, "segment")]},
    {"include": [entry(AUD_A)], "exclude": [entry(AUD_B), entry(AUD_B)]},
], ids=["include", "exclude"])
def test_repeated_audience_within_a_list_is_rejected(body):
    """decisions: a repeated audienceId within one list -> 400 VALIDATION_FAILED."""
    api = Api()
    cid = api.create()
    assert_error(api.call("replaceCampaignAudience", cid, body), 400, VALIDATION_FAILED)


def test_audience_is_draft_only():
    """002: binding only while draft; a scheduled or sent campaign answers 409 NOT_DRAFT."""
    api = Api()
    cid = api.ready("email")
    assert api.call("createSendJob", cid).status == 201
    assert_error(api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_B)]}, when=at(1)),
                 409, NOT_DRAFT)


# --- reach (002) -----------------------------------------------------------------------------------

def test_reach_is_idle_before_any_binding():
    """002: idle, no evaluation has run since this audience was bound."""
    api = Api()
    cid = api.create()
    assert _reach(api, cid, 0) == {"status": "idle", "evaluatedCount": None, "evaluatedAt": None,
                                   "isStale": False}


def test_reach_is_pending_right_after_binding():
    """002: after updating the audience, reach resets and is re-evaluated asynchronously (pending)."""
    api = Api()
    cid = api.create()
    d = api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)]})
    assert d.data["audience"]["reach"]["status"] == "pending"
    assert _reach(api, cid, EVAL - 0.001)["status"] == "pending"


def test_reach_is_ok_with_count_after_evaluation():
    """002: ok, evaluatedCount and evaluatedAt are current (AUD_A holds 1000 profiles)."""
    api = Api()
    cid = api.create()
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)]})
    assert _reach(api, cid, EVAL) == {"status": "ok", "evaluatedCount": 1000,
                                      "evaluatedAt": "2026-04-25T10:00:03.000Z", "isStale": False}


def test_failed_reach_keeps_previous_count_and_evaluated_at():
    """002: failed, previous count (if any) is preserved in evaluatedCount."""
    api = Api()
    cid = api.create()
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)]})
    ok = _reach(api, cid, 10)
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_REACH_FAILS)]}, when=at(10))
    failed = _reach(api, cid, 10 + EVAL)
    assert failed["status"] == "failed"
    assert failed["evaluatedCount"] == ok["evaluatedCount"] == 1000
    assert failed["evaluatedAt"] == ok["evaluatedAt"] == "2026-04-25T10:00:03.000Z"


def test_failed_reach_without_previous_count_shows_null():
    """002: previous count *if any*; none before the first evaluation."""
    api = Api()
    cid = api.create()
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_REACH_FAILS)]})
    r = _reach(api, cid, EVAL)
    assert r["status"] == "failed" and r["evaluatedCount"] is None and r["evaluatedAt"] is None


def test_reach_resets_on_every_audience_change():
    """002: after updating the audience, audience.reach.status resets (even to the same bindings)."""
    api = Api()
    cid = api.create()
    body = {"include": [entry(AUD_A)]}
    api.call("replaceCampaignAudience", cid, body)
    assert _reach(api, cid, 60)["status"] == "ok"
    d = api.call("replaceCampaignAudience", cid, body, when=at(60))
    r = d.data["audience"]["reach"]
    assert r["status"] == "pending"
    assert r["isStale"] is True and r["evaluatedCount"] == 1000  # decisions: the count shown is an earlier one
    assert _reach(api, cid, 60 + EVAL)["evaluatedAt"] == "2026-04-25T10:01:03.000Z"


# --- content ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("channel", ["email", "sms", "push", "direct_mail"])
def test_content_binds_a_template_of_the_channel(channel):
    """000: assign published template; 003: content.template {id, name, status, channel}, proofStatus."""
    api = Api()
    cid = api.create(channel)
    d = api.call("replaceCampaignContent", cid, {"templateId": TEMPLATE_FOR[channel]})
    assert d.status == 200
    t = d.data["content"]["template"]
    assert (t["id"], t["status"], t["channel"]) == (TEMPLATE_FOR[channel], "published", channel)
    assert set(d.data["content"]) == {"template", "proofStatus"}


def test_content_replaces_the_previous_template():
    """000: PUT /content replaces the content/template binding."""
    api = Api()
    cid = api.create("email")
    api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL})
    d = api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL_2})
    assert d.data["content"]["template"]["id"] == TPL_EMAIL_2


@pytest.mark.parametrize("template_id", ["00000000-0000-4000-8000-999999999999", TPL_T2_EMAIL],
                         ids=["unknown", "other-tenant"])
def test_unknown_template_is_template_not_found(template_id):
    """decisions: unknown template (of this tenant) -> 400 CONTENT.TEMPLATE_NOT_FOUND."""
    api = Api()
    cid = api.create("email")
    assert_error(api.call("replaceCampaignContent", cid, {"templateId": template_id}), 400, TEMPLATE_NOT_FOUND)


@pytest.mark.parametrize("channel, template_id", [("email", TPL_SMS), ("sms", TPL_EMAIL), ("direct_mail", TPL_EMAIL),
                                                  ("email", TPL_DM)])
def test_template_of_another_channel_is_channel_mismatch(channel, template_id):
    """decisions: template of another channel -> 400 CONTENT.CHANNEL_MISMATCH."""
    api = Api()
    cid = api.create(channel)
    assert_error(api.call("replaceCampaignContent", cid, {"templateId": template_id}), 400, CHANNEL_MISMATCH)


@pytest.mark.parametrize("operation, body", [("createScheduleJob", {"sendAt": "2026-05-01T09:00:00.000Z"}),
                                             ("createSendJob", {})])
def test_unpublished_template_is_accepted_but_jobs_answer_content_required(operation, body):
    """decisions + 001: an unpublished template binds; jobs then answer 409 CONTENT.REQUIRED
    ("Published template/content is not configured")."""
    api = Api()
    cid = api.create("email")
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)]})
    d = api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL_DRAFT})
    assert d.status == 200 and d.data["content"]["template"]["status"] == "draft"
    assert_error(api.call(operation, cid, body, when=at(60)), 409, CONTENT_REQUIRED)


def test_content_is_draft_only():
    """000: configuration is only available while the campaign is in draft status -> 409 NOT_DRAFT."""
    api = Api()
    cid = api.ready("email")
    api.call("createSendJob", cid)
    assert_error(api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL_2}, when=at(1)), 409, NOT_DRAFT)


def test_configuration_on_archived_campaign_is_not_draft():
    """000: configuration is draft-only; decisions: an archived campaign is not a draft."""
    api = Api()
    cid = api.create("email")
    api.call("archiveCampaign", cid)
    assert_error(api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL}), 409, NOT_DRAFT)
    assert_error(api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)]}), 409, NOT_DRAFT)
