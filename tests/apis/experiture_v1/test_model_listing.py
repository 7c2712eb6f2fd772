"""Lifecycle model: GET /campaigns (003 offset pagination; filters, search and sort per the decisions page)."""
from __future__ import annotations

import pytest

from state_machine.apis.experiture_v1.model.envelope import render

from .model_helpers import AUD_A, T2, TPL_EMAIL, Api, at, entry, inject

LIST_ITEM_KEYS = {"campaignId", "name", "campaignType", "channel", "authoringStatus", "category", "tags",
                  "createdAt", "updatedAt"}


def _seed() -> tuple[Api, dict[str, str]]:
    """Four campaigns created a minute apart; "Bravo" is then updated last; "Delta" published."""
    api = Api()
    ids = {}
    for i, (name, channel) in enumerate([("alpha spring", "email"), ("Bravo", "sms"),
                                         ("Charlie SPRING", "direct_mail"), ("delta", "email")]):
        ids[name] = api.call("createCampaign", body={"name": name, "channel": channel},
                             when=at(60 * i)).data["campaignId"]
    api.call("updateCampaign", ids["Bravo"], {"description": "x"}, when=at(600))
    api.call("replaceCampaignAudience", ids["delta"], {"include": [entry(AUD_A, "segment")]}, when=at(300))
    api.call("replaceCampaignContent", ids["delta"], {"templateId": TPL_EMAIL}, when=at(300))
    assert api.call("createSendJob", ids["delta"], when=at(400)).status == 201
    return api, ids


def _names(d) -> list[str]:
    return [row["name"] for row in d.data]


def test_list_answers_pagination_total_limit_offset_with_default_limit():
    """003: body["pagination"]["total"|"limit"], offset pagination; decisions: default limit 25, offset 0."""
    api, _ = _seed()
    d = api.call("listCampaigns", when=at(700))
    assert d.status == 200
    assert d.extra["pagination"] == {"total": 4, "limit": 25, "offset": 0}
    assert render(d)["pagination"] == {"total": 4, "limit": 25, "offset": 0}
    assert len(d.data) == 4
    assert set(d.data[0]) == LIST_ITEM_KEYS


def test_list_walks_pages_with_limit_and_offset():
    """003: the client walks pages with offset += limit until offset >= total."""
    api, _ = _seed()
    seen, offset = [], 0
    while True:
        d = api.call("listCampaigns", query={"limit": 3, "offset": offset, "sortDirection": "asc"}, when=at(700))
        assert d.extra["pagination"] == {"total": 4, "limit": 3, "offset": offset}
        seen += _names(d)
        offset += 3
        if offset >= 4:
            break
    assert seen == ["alpha spring", "Bravo", "Charlie SPRING", "delta"]


def test_list_offset_past_the_end_is_an_empty_page():
    """decisions: offset past the end -> empty page (total still counted)."""
    api, _ = _seed()
    d = api.call("listCampaigns", query={"offset": 10}, when=at(700))
    assert d.status == 200 and d.data == []
    assert d.extra["pagination"] == {"total": 4, "limit": 25, "offset": 10}


def test_list_filters_by_status():
    """003: ?status=published lists published campaigns only."""
    api, _ = _seed()
    assert _names(api.call("listCampaigns", query={"status": "published"}, when=at(700))) == ["delta"]
    assert sorted(_names(api.call("listCampaigns", query={"status": "draft"}, when=at(700)))) == \
        ["Bravo", "Charlie SPRING", "alpha spring"]


def test_list_filters_archived_status():
    """decisions: archived campaigns are listed and found with status=archived."""
    api, ids = _seed()
    api.call("archiveCampaign", ids["Bravo"], when=at(650))
    assert _names(api.call("listCampaigns", query={"status": "archived"}, when=at(700))) == ["Bravo"]


def test_list_filters_by_channel():
    """003: ?channel=email."""
    api, _ = _seed()
    d = api.call("listCampaigns", query={"channel": "email"}, when=at(700))
    assert sorted(_names(d)) == ["alpha spring", "delta"]
    assert d.extra["pagination"]["total"] == 2


def test_list_search_is_a_case_insensitive_name_substring():
    """decisions: search matches a case-insensitive substring of the name."""
    api, _ = _seed()
    d = api.call("listCampaigns", query={"search": "Spring"}, when=at(700))
    assert sorted(_names(d)) == ["Charlie SPRING", "alpha spring"]


@pytest.mark.parametrize("query, expected", [
    ({}, ["delta", "Charlie SPRING", "Bravo", "alpha spring"]),
    ({"sortBy": "createdAt", "sortDirection": "asc"}, ["alpha spring", "Bravo", "Charlie SPRING", "delta"]),
    ({"sortBy": "createdAt", "sortDirection": "desc"}, ["delta", "Charlie SPRING", "Bravo", "alpha spring"]),
    ({"sortBy": "updatedAt", "sortDirection": "desc"}, ["Bravo", "delta", "Charlie SPRING", "alpha spring"]),
    ({"sortBy": "updatedAt", "sortDirection": "asc"}, ["alpha spring", "Charlie SPRING", "delta", "Bravo"]),
    ({"sortBy": "name", "sortDirection": "asc"}, ["alpha spring", "Bravo", "Charlie SPRING", "delta"]),
    ({"sortBy": "name", "sortDirection": "desc"}, ["delta", "Charlie SPRING", "Bravo", "alpha spring"]),
], ids=["default-createdAt-desc", "createdAt-asc", "createdAt-desc", "updatedAt-desc", "updatedAt-asc",
        "name-asc", "name-desc"])
def test_list_sort(query, expected):
    """003: sortBy updatedAt + sortDirection desc; decisions: createdAt|updatedAt|name, default createdAt desc."""
    api, _ = _seed()
    assert _names(api.call("listCampaigns", query=query, when=at(700))) == expected


def test_list_omits_deleted_campaigns():
    """decisions: deleted campaigns are never listed."""
    api, ids = _seed()
    api.call("deleteCampaign", ids["Bravo"], when=at(650))
    d = api.call("listCampaigns", when=at(700))
    assert "Bravo" not in _names(d) and d.extra["pagination"]["total"] == 3


def test_list_omits_other_tenants_campaigns():
    """003/002: a tenant sees only its own campaigns."""
    api, _ = _seed()
    api.call("createCampaign", body={"name": "theirs", "channel": "email"}, tenant=T2)
    assert _names(api.call("listCampaigns", tenant=T2)) == ["theirs"]
    assert "theirs" not in _names(api.call("listCampaigns", when=at(700)))


def test_list_item_shows_campaign_id_and_category():
    """003: list items are campaign summaries read by campaignId; decisions: item fields."""
    api = Api()
    cid = api.create("push", name="P", category="event")
    (row,) = api.call("listCampaigns").data
    assert row == {"campaignId": cid, "name": "P", "campaignType": "broadcast", "channel": "push",
                   "authoringStatus": "draft", "category": "event", "tags": ["event"],
                   "createdAt": "2026-04-25T10:00:00.000Z", "updatedAt": "2026-04-25T10:00:00.000Z"}


def test_list_includes_other_type_campaigns():
    """decisions: other-type campaigns are listed (003's client skips their 409 on /metrics)."""
    api = Api()
    inject(api, campaign_type="journey", name="Legacy journey")
    (row,) = api.call("listCampaigns").data
    assert (row["name"], row["campaignType"]) == ("Legacy journey", "journey")


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CAMP-LIST-003")
def test_list_total_counts_the_status_filtered_campaigns():
    """003: the client pages "while total is None or offset < total" over params {"status": "published",
    ...}, collecting every published campaign: total is the number of campaigns matching the filter."""
    api, _ = _seed()
    assert api.call("listCampaigns", query={"status": "published"}, when=at(700)).extra["pagination"]["total"] == 1
    assert api.call("listCampaigns", query={"status": "draft"}, when=at(700)).extra["pagination"]["total"] == 3
    d = api.call("listCampaigns", query={"status": "draft", "search": "spring"}, when=at(700))
    assert d.extra["pagination"]["total"] == 2
