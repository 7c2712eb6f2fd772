"""Lifecycle model: the campaign object operations (create, patch, archive, delete, clone), categories,
unsupported campaign types, NOT_FOUND and SUMMARY_UNAVAILABLE.

Expected values come from the documents (000-003) and openapi/experiture-v1/decisions.md.
"""
from __future__ import annotations

import pytest

from .model_helpers import (
    AUD_A,
    AUD_B,
    NOT_FOUND,
    SUMMARY_TYPE_UNSUPPORTED,
    SUMMARY_UNAVAILABLE,
    T2,
    TPL_EMAIL,
    TYPE_UNSUPPORTED,
    Api,
    assert_error,
    at,
    entry,
    inject,
)

CATEGORIES = ["acquisition", "nurturing", "retention", "reactivation", "seasonal", "product", "event",
              "template", "updates", "general"]

# Every operation on an existing campaign, with a body that would be valid on a ready email draft.
ITEM_OPERATIONS = {
    "getCampaign": {},
    "updateCampaign": {"name": "Renamed"},
    "deleteCampaign": {},
    "archiveCampaign": {},
    "cloneCampaign": {},
    "replaceCampaignAudience": {"include": [entry(AUD_A)]},
    "replaceCampaignContent": {"templateId": TPL_EMAIL},
    "setCampaignSchedule": {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z"},
    "runCampaignPreflight": {},
    "createScheduleJob": {"sendAt": "2026-05-01T09:00:00.000Z"},
    "createSendJob": {},
    "getCampaignSummary": {},
    "getCampaignStatus": {},
    "getCampaignMetrics": {},
}
OBJECT_READS = {"getCampaign", "getCampaignSummary"}
PROJECTING = {"getCampaign", "getCampaignSummary", "updateCampaign", "archiveCampaign", "cloneCampaign",
              "replaceCampaignAudience", "replaceCampaignContent", "setCampaignSchedule"}


# --- categories (000) ------------------------------------------------------------------------------

@pytest.mark.parametrize("category", CATEGORIES)
def test_valid_category_is_kept_and_added_to_tags(category):
    """000: the category is stored in settings and automatically added to the tags array."""
    api = Api()
    d = api.call("createCampaign", body={"name": "C", "channel": "email", "category": category})
    assert d.data["settings"] == {"category": category}
    assert d.data["tags"] == [category]


@pytest.mark.parametrize("body", [{"category": "holiday"}, {"category": "Retention"}, {}],
                         ids=["invalid", "wrong-case", "omitted"])
def test_invalid_or_omitted_category_defaults_to_general(body):
    """000: invalid or omitted categories default to general."""
    api = Api()
    d = api.call("createCampaign", body={"name": "C", "channel": "sms", **body})
    assert d.status == 201
    assert d.data["settings"]["category"] == "general"
    assert "general" in d.data["tags"]


def test_category_is_not_duplicated_in_tags():
    """000: the category is added to tags; decisions: not twice when the client already sent it."""
    api = Api()
    d = api.call("createCampaign", body={"name": "C", "channel": "email", "category": "retention",
                                         "tags": ["vip", "retention"]})
    assert d.data["tags"] == ["vip", "retention"]


def test_patch_category_change_adds_the_new_category_to_tags():
    """000 + decisions: a new category is added to tags (the old one is never removed)."""
    api = Api()
    cid = api.create(category="seasonal")
    d = api.call("updateCampaign", cid, {"category": "product"}, when=at(60))
    assert d.status == 200
    assert d.data["settings"]["category"] == "product"
    assert set(d.data["tags"]) == {"seasonal", "product"}
    assert api.call("getCampaign", cid).data["settings"]["category"] == "product"


def test_patch_new_tags_replace_old_and_category_is_readded():
    """decisions: new tags replace the old ones; the category is then re-added."""
    api = Api()
    cid = api.create(category="event", tags=["a"])
    d = api.call("updateCampaign", cid, {"tags": ["b"]})
    assert d.data["tags"] == ["b", "event"]


def test_patch_invalid_category_defaults_to_general():
    """000: invalid categories default to general (also on update, decisions)."""
    api = Api()
    cid = api.create(category="event")
    d = api.call("updateCampaign", cid, {"category": "nonsense"})
    assert d.data["settings"]["category"] == "general"
    assert "general" in d.data["tags"]


# --- create (000) ----------------------------------------------------------------------------------

@pytest.mark.parametrize("channel", ["email", "sms", "push", "direct_mail"])
def test_create_answers_201_with_a_broadcast_draft(channel):
    """000: create a new campaign; it starts as a draft; v1 supports broadcast only."""
    api = Api()
    d = api.call("createCampaign", body={"name": "Spring", "channel": channel})
    assert d.status == 201 and d.error is None
    assert d.data["authoringStatus"] == "draft"
    assert d.data["campaignType"] == "broadcast"
    assert d.data["channel"] == channel
    assert d.data["name"] == "Spring"
    assert d.data["createdAt"] == d.data["updatedAt"] == "2026-04-25T10:00:00.000Z"
    assert list(d.changes) == [d.data["campaignId"]]


def test_create_with_explicit_broadcast_type_is_accepted():
    """000: broadcast is the supported campaign type."""
    d = Api().call("createCampaign", body={"name": "S", "channel": "email", "campaignType": "broadcast"})
    assert d.status == 201


@pytest.mark.parametrize("campaign_type", ["journey", "triggered"])
def test_create_non_broadcast_type_is_409_type_unsupported(campaign_type):
    """000: unsupported campaign-type operations return a stable 409 TYPE_UNSUPPORTED (details.campaignType, 003)."""
    api = Api()
    d = api.call("createCampaign", body={"name": "S", "channel": "email", "campaignType": campaign_type})
    assert_error(d, 409, TYPE_UNSUPPORTED)
    assert d.error.details["campaignType"] == campaign_type
    assert api.world.campaigns == {}


# --- unsupported types on existing campaigns (000, 003) --------------------------------------------

@pytest.mark.parametrize("operation", sorted(ITEM_OPERATIONS))
def test_unsupported_type_on_existing_campaign_is_409_with_campaign_type(operation):
    """000/003: summary/object reads -> SUMMARY_TYPE_UNSUPPORTED; action/status/metrics -> TYPE_UNSUPPORTED;
    409 not 404; details.campaignType."""
    api = Api()
    cid = inject(api, campaign_type="journey")
    d = api.call(operation, cid, ITEM_OPERATIONS[operation])
    expected = SUMMARY_TYPE_UNSUPPORTED if operation in OBJECT_READS else TYPE_UNSUPPORTED
    assert_error(d, 409, expected)
    assert d.error.details == {"campaignType": "journey"}


# --- NOT_FOUND (001, 002, decisions) ---------------------------------------------------------------

@pytest.mark.parametrize("operation", sorted(ITEM_OPERATIONS))
def test_missing_campaign_is_404_not_found(operation):
    """001/002: NOT_FOUND, campaign not found in this tenant."""
    api = Api()
    d = api.call(operation, "deadbeef-0000-4000-8000-000000000000", ITEM_OPERATIONS[operation])
    assert_error(d, 404, NOT_FOUND)


@pytest.mark.parametrize("operation", sorted(ITEM_OPERATIONS))
def test_deleted_campaign_is_404_not_found(operation):
    """decisions (003's client reads 404 as deleted): every operation on a deleted campaign is 404."""
    api = Api()
    cid = api.ready("email")
    assert api.call("deleteCampaign", cid).status == 200
    assert_error(api.call(operation, cid, ITEM_OPERATIONS[operation], when=at(5)), 404, NOT_FOUND)


@pytest.mark.parametrize("operation", sorted(ITEM_OPERATIONS))
def test_other_tenants_campaign_is_404_not_found(operation):
    """002: "Campaign not found in this tenant"."""
    api = Api()
    cid = api.ready("email")
    assert_error(api.call(operation, cid, ITEM_OPERATIONS[operation], tenant=T2), 404, NOT_FOUND)


def test_not_found_comes_before_unsupported_type():
    """decisions: 404 first, then the type check (another tenant's journey campaign is not found)."""
    api = Api()
    cid = inject(api, campaign_type="journey")
    assert_error(api.call("getCampaignSummary", cid, tenant=T2), 404, NOT_FOUND)


def test_unsupported_type_comes_before_summary_unavailable():
    """decisions: precedence 404 -> type -> summary-unavailable."""
    api = Api()
    cid = inject(api, campaign_type="triggered", state_missing=True)
    assert_error(api.call("getCampaign", cid), 409, SUMMARY_TYPE_UNSUPPORTED)
    assert_error(api.call("archiveCampaign", cid), 409, TYPE_UNSUPPORTED)


# --- SUMMARY_UNAVAILABLE (002) ---------------------------------------------------------------------

@pytest.mark.parametrize("operation", sorted(PROJECTING))
def test_missing_persisted_state_is_409_summary_unavailable(operation):
    """002: SUMMARY_UNAVAILABLE, campaign is missing required persisted state (projecting operations)."""
    api = Api()
    cid = inject(api, state_missing=True)
    assert_error(api.call(operation, cid, ITEM_OPERATIONS[operation]), 409, SUMMARY_UNAVAILABLE)


@pytest.mark.parametrize("operation", ["getCampaignStatus", "getCampaignMetrics", "runCampaignPreflight",
                                       "deleteCampaign"])
def test_missing_persisted_state_does_not_block_non_projecting_operations(operation):
    """decisions: only the operations answering the campaign object or summary need the persisted state."""
    api = Api()
    cid = inject(api, state_missing=True)
    assert api.call(operation, cid).status == 200


# --- archive, delete, clone (decisions) ------------------------------------------------------------

def test_archive_sets_archived_status_and_archived_at():
    """000 archive; decisions: authoringStatus archived, archivedAt set."""
    api = Api()
    cid = api.create()
    d = api.call("archiveCampaign", cid, when=at(60))
    assert d.status == 200
    assert d.data["authoringStatus"] == "archived"
    assert d.data["archivedAt"] == "2026-04-25T10:01:00.000Z"
    assert api.call("getCampaign", cid).data["authoringStatus"] == "archived"


def test_archive_again_is_an_idempotent_200():
    """decisions: archiving again is a no-op 200 (archivedAt unchanged, nothing written)."""
    api = Api()
    cid = api.create()
    api.call("archiveCampaign", cid, when=at(60))
    d = api.call("archiveCampaign", cid, when=at(120))
    assert d.status == 200 and d.changes == {}
    assert d.data["archivedAt"] == "2026-04-25T10:01:00.000Z"


def test_delete_answers_deleted_true_then_404_and_gone_from_list():
    """000 soft delete; decisions: 200 {campaignId, deleted, deletedAt}, then 404 and not listed."""
    api = Api()
    cid = api.create()
    d = api.call("deleteCampaign", cid, when=at(30))
    assert d.status == 200
    assert d.data == {"campaignId": cid, "deleted": True, "deletedAt": "2026-04-25T10:00:30.000Z"}
    assert_error(api.call("getCampaign", cid), 404, NOT_FOUND)
    assert_error(api.call("deleteCampaign", cid), 404, NOT_FOUND)
    assert api.call("listCampaigns").data == []


def test_clone_is_a_new_draft_copying_the_configuration():
    """000: clone a campaign into a new draft; decisions: copies type, channel, description, category, tags,
    audience bindings, content and schedule intent."""
    api = Api()
    cid = api.create("email", name="Spring", description="d", category="seasonal", tags=["x"])
    api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A, "segment")], "exclude": [entry(AUD_B)]})
    api.call("replaceCampaignContent", cid, {"templateId": TPL_EMAIL})
    api.call("setCampaignSchedule", cid, {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z",
                                          "timezone": "America/New_York"})
    original = api.call("getCampaign", cid).data
    d = api.call("cloneCampaign", cid, when=at(60))
    assert d.status == 201
    clone = d.data
    assert clone["campaignId"] != cid and list(d.changes) == [clone["campaignId"]]
    assert clone["authoringStatus"] == "draft"
    for key in ("campaignType", "channel", "description", "settings", "tags", "schedule"):
        assert clone[key] == original[key], key
    assert clone["audience"]["included"] == original["audience"]["included"]
    assert clone["audience"]["excluded"] == original["audience"]["excluded"]
    assert clone["content"]["template"]["id"] == TPL_EMAIL
    assert clone["createdAt"] == "2026-04-25T10:01:00.000Z"


def test_clone_default_name_and_given_name():
    """decisions: default name "<name> (copy)"; a body name is used as given."""
    api = Api()
    cid = api.create(name="Spring")
    assert api.call("cloneCampaign", cid).data["name"] == "Spring (copy)"
    assert api.call("cloneCampaign", cid, {"name": "Summer"}).data["name"] == "Summer"


def test_clone_of_a_published_campaign_does_not_copy_the_job():
    """000: the clone is a new draft; decisions: no execution history."""
    api = Api()
    cid = api.ready("email")
    assert api.call("createSendJob", cid).status == 201
    new = api.call("cloneCampaign", cid, when=at(3600)).data["campaignId"]
    assert api.call("getCampaign", new, when=at(3600)).data["authoringStatus"] == "draft"
    status = api.call("getCampaignStatus", new, when=at(3600)).data
    assert status["execution"] == {"state": "not_scheduled", "lastExecution": None}
    assert status["schedule"] is None
    assert api.call("getCampaignStatus", cid, when=at(3600)).data["execution"]["state"] == "completed"


def test_patch_is_allowed_after_publishing():
    """000 locks configuration only; decisions: PATCH allowed in any authoringStatus."""
    api = Api()
    cid = api.ready("email")
    api.call("createSendJob", cid)
    d = api.call("updateCampaign", cid, {"name": "Renamed"}, when=at(10))
    assert d.status == 200 and d.data["name"] == "Renamed"
    assert d.data["updatedAt"] == "2026-04-25T10:00:10.000Z"


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CAMP-META-001")
def test_patch_changes_the_description():
    """000 (Update Campaign): PATCH changes the campaign's metadata (name, description, category, tags)."""
    api = Api()
    cid = api.create(description="before")
    d = api.call("updateCampaign", cid, {"description": "after"})
    assert d.status == 200 and d.data["description"] == "after"
    assert api.call("getCampaign", cid).data["description"] == "after"


@pytest.mark.req("CAMP-ARCH-002")
def test_archive_is_an_update_of_the_campaign():
    """Inferred (CAMP-ARCH-002, decisions): archiving writes the record, so updatedAt is the archive time."""
    api = Api()
    cid = api.create()
    d = api.call("archiveCampaign", cid, when=at(60))
    assert d.data["updatedAt"] == d.data["archivedAt"] == "2026-04-25T10:01:00.000Z"


@pytest.mark.req("CAMP-CLONE-001", "CAMP-CLONE-003")
def test_clone_is_a_draft_that_can_be_committed_and_restarts_reach():
    """000: clone a campaign into a new draft (a draft that can go on to be sent, so it has a current
    version: 001 refuses a job without one, VERSION_MISSING). Decisions (CAMP-CLONE-003): the audience
    bindings are copied and reach evaluation restarts for them (002: binding an audience resets reach)."""
    api = Api()
    cid = api.ready("email")
    clone = api.call("cloneCampaign", cid, when=at(3600)).data
    assert clone["currentVersionId"] is not None and clone["currentVersionId"] != api.call(
        "getCampaign", cid).data["currentVersionId"]
    assert clone["audience"]["reach"]["status"] == "pending"
    assert api.call("createSendJob", clone["campaignId"], when=at(7200)).status == 201


@pytest.mark.req("CAMP-CLONE-002")
def test_clone_default_name_is_cut_to_200_characters():
    """Inferred (CAMP-CLONE-002): without a name the clone is '<source name> (copy)', cut to 200 characters."""
    api = Api()
    cid = api.create(name="n" * 200)
    assert api.call("cloneCampaign", cid).data["name"] == "n" * 200
    cid = api.create(name="m" * 190)
    assert api.call("cloneCampaign", cid).data["name"] == "m" * 190 + " (copy)"


@pytest.mark.req("CAMP-ARCH-003")
def test_archiving_again_answers_the_current_campaign_object():
    """Inferred (CAMP-ARCH-003): archiving an archived campaign is a no-op answering 200 with the campaign
    object (as getCampaign shows it at that instant, reach included)."""
    api = Api()
    cid = api.ready("email")
    first = api.call("archiveCampaign", cid, when=at(60))
    again = api.call("archiveCampaign", cid, when=at(120))
    assert again.status == 200 and again.changes == {}
    assert again.data == api.call("getCampaign", cid, when=at(120)).data
    assert again.data["archivedAt"] == first.data["archivedAt"]
    assert again.data["audience"]["reach"]["status"] == "ok"
