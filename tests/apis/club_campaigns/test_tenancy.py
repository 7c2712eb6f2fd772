"""Tokens are bound to one tenant (inferred: CLUB-AUTH-003, CLUB-AUTH-004)."""
from __future__ import annotations

import pytest

from .support import OTHER_TENANT, body, decide, world

ITEM_OPERATIONS = ["getCampaign", "updateCampaign", "scheduleCampaign", "executeCampaign", "pauseCampaign",
                   "resumeCampaign", "cancelCampaign", "getCampaignStats", "getCampaignInteractions"]


@pytest.mark.req("CLUB-AUTH-003")
def test_naming_another_tenant_is_forbidden():
    w = world()
    listed = decide(w, "listCampaigns", query={"tenantId": OTHER_TENANT})
    assert (listed.status, body(listed)["code"], body(listed)["tenantId"]) == (403, "CLUB.TENANT_FORBIDDEN",
                                                                               OTHER_TENANT)
    created = decide(w, "createCampaign", body={"tenantId": OTHER_TENANT, "clubId": "club_900", "name": "x",
                                                "type": "ONE_TIME", "channels": ["EMAIL"],
                                                "segmentId": "segment_901"})
    assert (created.status, body(created)["code"]) == (403, "CLUB.TENANT_FORBIDDEN")
    assert created.acceptable == {(403, "CLUB.TENANT_FORBIDDEN")}


@pytest.mark.req("CLUB-AUTH-004", "CLUB-ERR-004")
@pytest.mark.parametrize("operation", ITEM_OPERATIONS)
def test_another_tenants_campaign_answers_as_an_unknown_one(operation):
    w = world()
    theirs = decide(w, operation, "campaign_other_001", body={"name": "x"} if operation == "updateCampaign" else None)
    unknown = decide(w, operation, "campaign_nope", body={"name": "x"} if operation == "updateCampaign" else None)
    assert (theirs.status, body(theirs)["code"]) == (unknown.status, body(unknown)["code"]) == (404,
                                                                                              "CLUB.NOT_FOUND")
    assert theirs.acceptable == {(404, "CLUB.NOT_FOUND")}
    assert decide(w, operation, "campaign_other_001", tenant=OTHER_TENANT,
                  body={"name": "x"} if operation == "updateCampaign" else None).status != 404


@pytest.mark.req("CLUB-AUTH-004")
def test_lists_show_only_the_tokens_tenant():
    w = world()
    mine = {c["id"] for c in decide(w, "listCampaigns", query={"tenantId": "tenant_123"}).data["data"]}
    theirs = {c["id"] for c in decide(w, "listCampaigns", query={"tenantId": OTHER_TENANT},
                                      tenant=OTHER_TENANT).data["data"]}
    assert "campaign_other_001" not in mine and theirs == {"campaign_other_001"}
