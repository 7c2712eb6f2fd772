"""Scenario tests through HTTP against the embedded mock: GET /campaigns (003's offset pagination and
client loop; filters, search, sort, limits and visibility per openapi/experiture-v1/decisions.md).

The mock starts with ten t1 fixture campaigns (README): 4130bada-... (direct_mail draft), ...0001 (email
draft), ...0002/...0003 (journey/triggered), ...0004, ...0005, ...0006 (email drafts), ...0007 (email,
published), ...0008 (sms, published), ...0009 (email, published); ...0201 belongs to tenant t2.
"""
from __future__ import annotations

import pytest

FULL = "mock-token-full"
READER = "mock-token-reader"
OTHER_TENANT = "mock-token-other-tenant"
VALIDATION_FAILED = "JOURNEY_API.PUBLIC.CAMPAIGNS.VALIDATION_FAILED"

DM_DRAFT = "4130bada-9264-465f-bc0c-a26bebcfcc81"
EMAIL_DRAFT = "c0000000-0000-4000-8000-000000000001"
JOURNEY = "c0000000-0000-4000-8000-000000000002"
TRIGGERED = "c0000000-0000-4000-8000-000000000003"
PUBLISHED = {"c0000000-0000-4000-8000-000000000007", "c0000000-0000-4000-8000-000000000008",
             "c0000000-0000-4000-8000-000000000009"}
T2_DRAFT = "c0000000-0000-4000-8000-000000000201"
FIXTURE_COUNT = 10
ITEM_KEYS = {"campaignId", "name", "campaignType", "channel", "authoringStatus", "category", "tags",
             "createdAt", "updatedAt"}


def listing(api, token: str = FULL, **params):
    r = api.request("GET", "/campaigns", token=token, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def ids(body) -> list[str]:
    return [row["campaignId"] for row in body["data"]]


def walk(api, token: str = FULL, **params) -> list[str]:
    """003's client loop, verbatim in spirit: offset += pagination.limit until offset >= total."""
    seen: list[str] = []
    offset, total = 0, None
    while total is None or offset < total:
        body = listing(api, token, **{**params, "offset": offset})
        assert body["pagination"]["offset"] == offset
        total = body["pagination"]["total"]
        seen.extend(c["campaignId"] for c in body["data"])
        offset += body["pagination"]["limit"]
    return seen


def create(api, name: str, channel: str = "email", **fields) -> str:
    r = api.request("POST", "/campaigns", token=FULL, json_body={"name": name, "channel": channel, **fields})
    assert r.status_code == 201, r.text
    return r.json()["data"]["campaignId"]


def tick(api, seconds: int = 60) -> None:
    api.admin("POST", "/clock", {"advanceSeconds": seconds})


def publish(api, cid: str) -> None:
    body = {"include": [{"audienceId": "a1b2c3d4-0000-0000-0000-000000000001", "type": "segment"}]}
    assert api.request("PUT", f"/campaigns/{cid}/audience", token=FULL, json_body=body).status_code == 200
    assert api.request("PUT", f"/campaigns/{cid}/content", token=FULL,
                       json_body={"templateId": "5e3a1c2d-0000-4000-8000-000000000001"}).status_code == 200
    assert api.request("POST", f"/campaigns/{cid}/send-jobs", token=FULL, json_body={}).status_code == 201


def err400(r) -> None:
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == VALIDATION_FAILED


# --- shape and pagination --------------------------------------------------------------------------

@pytest.mark.req("CAMP-LIST-001", "CAMP-LIST-002", "CAMP-LIST-014", "CAMP-LIST-011", "CAMP-LIST-012")
def test_list_answers_summaries_and_pagination_with_defaults(api):
    body = listing(api)
    assert body["success"] is True
    assert body["pagination"] == {"total": FIXTURE_COUNT, "limit": 25, "offset": 0}
    assert len(body["data"]) == FIXTURE_COUNT
    for row in body["data"]:
        assert set(row) == ITEM_KEYS
    row = next(r for r in body["data"] if r["campaignId"] == DM_DRAFT)
    assert row["name"] == "Spring Re-engagement Direct Mail" and row["channel"] == "direct_mail"
    assert row["campaignType"] == "broadcast" and row["authoringStatus"] == "draft"
    assert row["category"] == "general" and row["tags"] == ["general"]


@pytest.mark.req("CAMP-LIST-014")
def test_list_item_reflects_category_and_tags_of_the_campaign(api):
    cid = create(api, "Tagged", "push", category="retention", tags=["vip"])
    row = next(r for r in listing(api, limit=100)["data"] if r["campaignId"] == cid)
    assert row["category"] == "retention" and sorted(row["tags"]) == ["retention", "vip"]
    assert row["channel"] == "push" and row["name"] == "Tagged"
    assert row["createdAt"] == row["updatedAt"] == "2026-04-25T10:00:00.000Z"


@pytest.mark.req("CAMP-LIST-003", "CAMP-LIST-002")
@pytest.mark.parametrize("limit", [1, 3, 7, 25])
def test_walking_pages_with_003s_loop_returns_every_campaign_once(api, limit):
    created = []
    for i in range(12):
        created.append(create(api, f"Walk {i:02d}", ["email", "sms", "push", "direct_mail"][i % 4]))
        tick(api, 1)
    seen = walk(api, limit=limit)
    assert len(seen) == len(set(seen)) == FIXTURE_COUNT + 12
    assert set(created) <= set(seen) and DM_DRAFT in seen and T2_DRAFT not in seen
    assert seen[:12] == created[::-1]   # default order: createdAt desc


@pytest.mark.req("CAMP-LIST-003", "CAMP-LIST-004", "CAMP-LIST-005")
def test_walking_a_filtered_list_returns_exactly_the_matching_campaigns(api):
    mine = []
    for i in range(5):
        cid = create(api, f"Pub {i}")
        publish(api, cid)
        mine.append(cid)
    create(api, "Draft email")
    seen = walk(api, status="published", channel="email", limit=2)
    expected = mine + ["c0000000-0000-4000-8000-000000000007", "c0000000-0000-4000-8000-000000000009"]
    assert len(seen) == len(set(seen)) and set(seen) == set(expected)


@pytest.mark.req("CAMP-LIST-012")
@pytest.mark.parametrize("offset", [10, 11, 500])
def test_offset_at_or_past_the_end_is_an_empty_page_with_the_true_total(api, offset):
    body = listing(api, offset=offset)
    assert body["data"] == []
    assert body["pagination"] == {"total": FIXTURE_COUNT, "limit": 25, "offset": offset}


@pytest.mark.req("CAMP-LIST-012")
def test_offset_slices_the_ordered_list(api):
    full = ids(listing(api, limit=100))
    assert ids(listing(api, offset=4, limit=3)) == full[4:7]
    assert ids(listing(api, offset=9, limit=3)) == full[9:]


# --- limits ----------------------------------------------------------------------------------------

@pytest.mark.req("CAMP-LIST-006", "CAMP-LIST-011")
@pytest.mark.parametrize("limit", [1, 50, 100])
def test_limit_up_to_100_is_accepted_and_echoed(api, limit):
    for i in range(45):
        create(api, f"Bulk {i}")
    body = listing(api, limit=limit)
    assert body["pagination"] == {"total": FIXTURE_COUNT + 45, "limit": limit, "offset": 0}
    assert len(body["data"]) == min(limit, FIXTURE_COUNT + 45)


@pytest.mark.req("CAMP-LIST-011")
def test_default_limit_is_25(api):
    for i in range(30):
        create(api, f"Bulk {i}")
    body = listing(api)
    assert body["pagination"] == {"total": FIXTURE_COUNT + 30, "limit": 25, "offset": 0}
    assert len(body["data"]) == 25


@pytest.mark.req("CAMP-LIST-011", "CAMP-LIST-012")
@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 500}, {"limit": 0}, {"limit": -1}, {"limit": "ten"},
                                    {"limit": "2.5"}, {"offset": -1}, {"offset": "x"}],
                         ids=["101", "500", "0", "neg", "word", "fraction", "neg-offset", "word-offset"])
def test_out_of_range_limit_or_offset_is_validation_failed(api, params):
    err400(api.request("GET", "/campaigns", token=FULL, params=params))


# --- filters, search, sort -------------------------------------------------------------------------

@pytest.mark.req("CAMP-LIST-004", "CAMP-LIST-008")
def test_status_filter_selects_by_authoring_status(api):
    published = listing(api, status="published", limit=100)
    assert set(ids(published)) == PUBLISHED and published["pagination"]["total"] == 3
    assert all(r["authoringStatus"] == "published" for r in published["data"])
    drafts = listing(api, status="draft", limit=100)
    assert drafts["pagination"]["total"] == 7 and all(r["authoringStatus"] == "draft" for r in drafts["data"])
    assert listing(api, status="archived")["data"] == []


@pytest.mark.req("CAMP-LIST-005", "CAMP-LIST-008")
@pytest.mark.parametrize("channel,expected", [("sms", {TRIGGERED, "c0000000-0000-4000-8000-000000000008"}),
                                              ("direct_mail", {DM_DRAFT}), ("push", set())])
def test_channel_filter_selects_by_channel(api, channel, expected):
    body = listing(api, channel=channel, limit=100)
    assert set(ids(body)) == expected and body["pagination"]["total"] == len(expected)
    assert all(r["channel"] == channel for r in body["data"])


@pytest.mark.req("CAMP-LIST-004", "CAMP-LIST-005")
def test_filters_combine(api):
    sms_pub = create(api, "Sms promo", "sms")
    body = {"include": [{"audienceId": "a1b2c3d4-0000-0000-0000-000000000001", "type": "segment"}]}
    api.request("PUT", f"/campaigns/{sms_pub}/audience", token=FULL, json_body=body)
    api.request("PUT", f"/campaigns/{sms_pub}/content", token=FULL,
                json_body={"templateId": "5e3a1c2d-0000-4000-8000-000000000002"})
    assert api.request("POST", f"/campaigns/{sms_pub}/send-jobs", token=FULL, json_body={}).status_code == 201
    got = listing(api, status="published", channel="sms", limit=100)
    assert set(ids(got)) == {sms_pub, "c0000000-0000-4000-8000-000000000008"}


@pytest.mark.req("CAMP-LIST-008", "CAMP-LIST-009")
@pytest.mark.parametrize("term", ["spring", "SPRING", "Spring Re", "ring"])
def test_search_is_a_case_insensitive_name_substring(api, term):
    a = create(api, "Late spring sale")
    b = create(api, "SPRINGTIME newsletter")
    create(api, "Summer sale")
    body = listing(api, search=term, limit=100)
    expected = {DM_DRAFT, a, b} if term != "Spring Re" else {DM_DRAFT}
    assert set(ids(body)) == expected and body["pagination"]["total"] == len(expected)


@pytest.mark.req("CAMP-LIST-009")
def test_search_without_match_is_an_empty_list(api):
    body = listing(api, search="no such campaign")
    assert body["data"] == [] and body["pagination"]["total"] == 0


@pytest.mark.req("CAMP-LIST-008", "CAMP-LIST-009")
def test_search_combines_with_filters(api):
    a = create(api, "Spring email")
    create(api, "Spring sms", "sms")
    assert set(ids(listing(api, search="spring", channel="email"))) == {a}
    assert set(ids(listing(api, search="spring", status="draft", channel="direct_mail"))) == {DM_DRAFT}


def _three(api) -> list[str]:
    """Created a minute apart as Bravo, alpha, Charlie; then Bravo is updated last."""
    out = []
    for name in ["Bravo", "alpha", "Charlie"]:
        out.append(create(api, name))
        tick(api)
    assert api.request("PATCH", f"/campaigns/{out[0]}", token=FULL, json_body={"description": "x"}).status_code == 200
    return out


@pytest.mark.req("CAMP-LIST-007", "CAMP-LIST-010")
def test_sort_by_updated_at_desc_puts_most_recently_updated_first(api):
    bravo, alpha, charlie = _three(api)
    tick(api)
    assert api.request("PATCH", f"/campaigns/{DM_DRAFT}", token=FULL, json_body={"name": "Spring DM"}).status_code == 200
    got = ids(listing(api, sortBy="updatedAt", sortDirection="desc", limit=100))
    assert got[:4] == [DM_DRAFT, bravo, charlie, alpha]
    rows = listing(api, sortBy="updatedAt", sortDirection="desc", limit=100)["data"]
    stamps = [r["updatedAt"] for r in rows]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.req("CAMP-LIST-010")
def test_default_sort_is_created_at_desc(api):
    bravo, alpha, charlie = _three(api)
    default = ids(listing(api, limit=100))
    assert default[:3] == [charlie, alpha, bravo]
    assert default == ids(listing(api, sortBy="createdAt", sortDirection="desc", limit=100))
    assert default[3:5] == [DM_DRAFT, EMAIL_DRAFT]


@pytest.mark.req("CAMP-LIST-010")
def test_sort_by_created_at_asc_and_updated_at_asc(api):
    bravo, alpha, charlie = _three(api)
    assert ids(listing(api, sortBy="createdAt", sortDirection="asc", limit=100))[-3:] == [bravo, alpha, charlie]
    assert ids(listing(api, sortBy="updatedAt", sortDirection="asc", limit=100))[-3:] == [alpha, charlie, bravo]
    assert ids(listing(api, sortDirection="asc", limit=100))[-3:] == [bravo, alpha, charlie]


@pytest.mark.req("CAMP-LIST-010")
def test_sort_by_name(api):
    mango, apple, zebra = (create(api, n) for n in ("Mango", "Apple", "Zebra"))
    asc = ids(listing(api, sortBy="name", sortDirection="asc", limit=100))
    assert [c for c in asc if c in (mango, apple, zebra)] == [apple, mango, zebra]
    names = [r["name"] for r in listing(api, sortBy="name", sortDirection="asc", limit=100)["data"]]
    assert names.index("Autumn newsletter") < names.index("Black Friday preview") < names.index("Summer sale")
    desc = ids(listing(api, sortBy="name", limit=100))
    assert [c for c in desc if c in (mango, apple, zebra)] == [zebra, mango, apple]


@pytest.mark.req("CAMP-LIST-013")
@pytest.mark.parametrize("params", [{"status": "sent"}, {"status": "DRAFT"}, {"channel": "fax"},
                                    {"sortBy": "campaignId"}, {"sortBy": "created_at"}, {"sortDirection": "up"},
                                    {"sortDirection": "DESC"}],
                         ids=["status", "status-case", "channel", "sortBy", "sortBy-snake", "dir", "dir-case"])
def test_unknown_enum_query_values_are_validation_failed(api, params):
    err400(api.request("GET", "/campaigns", token=FULL, params=params))


# --- visibility ------------------------------------------------------------------------------------

@pytest.mark.req("CAMP-LIST-015")
def test_deleted_campaigns_are_never_listed(api):
    cid = create(api, "Doomed")
    assert api.request("DELETE", f"/campaigns/{cid}", token=FULL).status_code == 200
    assert api.request("DELETE", f"/campaigns/{EMAIL_DRAFT}", token=FULL).status_code == 200
    for params in ({}, {"status": "draft"}, {"channel": "email"}, {"search": "Doomed"}, {"search": "Autumn"}):
        body = listing(api, limit=100, **params)
        assert cid not in ids(body) and EMAIL_DRAFT not in ids(body)
    assert listing(api)["pagination"]["total"] == FIXTURE_COUNT - 1
    assert cid not in walk(api, limit=3)


@pytest.mark.req("CAMP-LIST-015")
def test_archived_campaigns_are_listed_and_selectable(api):
    assert api.request("POST", f"/campaigns/{EMAIL_DRAFT}/archive", token=FULL).status_code == 200
    archived = listing(api, status="archived")
    assert ids(archived) == [EMAIL_DRAFT] and archived["data"][0]["authoringStatus"] == "archived"
    assert EMAIL_DRAFT in ids(listing(api, limit=100))
    assert EMAIL_DRAFT not in ids(listing(api, status="draft", limit=100))
    assert listing(api)["pagination"]["total"] == FIXTURE_COUNT


def test_other_tenants_campaigns_are_not_listed(api):
    t1 = walk(api, limit=4)
    assert T2_DRAFT not in t1
    mine = create(api, "T1 only")
    t2 = listing(api, OTHER_TENANT, limit=100)
    assert ids(t2) == [T2_DRAFT] and t2["pagination"]["total"] == 1
    assert mine not in ids(t2)
    r = api.request("POST", "/campaigns", token=OTHER_TENANT, json_body={"name": "Globex promo", "channel": "sms"})
    assert r.status_code == 201
    theirs = r.json()["data"]["campaignId"]
    assert theirs not in ids(listing(api, limit=100)) and listing(api)["pagination"]["total"] == FIXTURE_COUNT + 1
    assert set(ids(listing(api, OTHER_TENANT))) == {T2_DRAFT, theirs}


@pytest.mark.req("CAMP-TYPE-011", "CAMP-LIST-001")
def test_non_broadcast_campaigns_are_listed_with_their_type(api):
    rows = {r["campaignId"]: r for r in listing(api, READER, limit=100)["data"]}
    assert rows[JOURNEY]["campaignType"] == "journey" and rows[TRIGGERED]["campaignType"] == "triggered"
    assert rows[JOURNEY]["channel"] == "email" and rows[TRIGGERED]["channel"] == "sms"
    assert {r["campaignType"] for r in rows.values()} == {"broadcast", "journey", "triggered"}
    assert set(ids(listing(api, READER, search="journey"))) == {JOURNEY}


@pytest.mark.req("CAMP-TYPE-011", "CAMP-LIST-003")
def test_003_metrics_pull_skips_the_409_of_listed_non_broadcast_campaigns(api):
    """003 pull_all_metrics: walk the list, fetch metrics, skip 404/409 (deleted / unsupported type)."""
    skipped, pulled = [], []
    for cid in walk(api, READER, limit=100):
        r = api.request("GET", f"/campaigns/{cid}/metrics", token=READER)
        if r.status_code in (404, 409):
            skipped.append((cid, r.status_code, r.json()["error"]["code"]))
            continue
        assert r.status_code == 200, r.text
        pulled.append(r.json()["data"]["campaignId"])
    assert sorted(skipped) == [(JOURNEY, 409, "JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED"),
                               (TRIGGERED, 409, "JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED")]
    assert len(pulled) == FIXTURE_COUNT - 2 and set(PUBLISHED) <= set(pulled)
