"""GET /stats and GET /interactions: 004's funnel figures, the timeline, and one interaction per count."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from state_machine.apis.club_campaigns.model.funnel import rate

from .support import NOW, body, decide, read, world

# 004's Get Campaign Stats example.
DOC_COUNTS = {"targetCount": 500, "sentCount": 485, "deliveredCount": 478, "openedCount": 215, "clickedCount": 89,
              "convertedCount": 12, "unsubscribedCount": 3, "bouncedCount": 7}
DOC_RATES = {"deliveryRate": 0.9856, "openRate": 0.4498, "clickRate": 0.4140, "conversionRate": 0.1348}
DOC_BY_CHANNEL = {"EMAIL": {"sent": 485, "delivered": 478, "opened": 215, "clicked": 89, "bounced": 7},
                  "SMS": {"sent": 380, "delivered": 375, "failed": 5}}
TYPE_COUNT = {"SENT": "sentCount", "DELIVERED": "deliveredCount", "OPENED": "openedCount",
              "CLICKED": "clickedCount", "CONVERTED": "convertedCount", "UNSUBSCRIBED": "unsubscribedCount",
              "BOUNCED": "bouncedCount"}


def _at_sent(w, campaign_id, sent, lo, hi):
    """The first moment the campaign has sent `sent` messages (bisection on the public answer)."""
    while hi - lo > timedelta(microseconds=1):
        mid = lo + (hi - lo) / 2
        lo, hi = (mid, hi) if read(w, campaign_id, mid)["sentCount"] < sent else (lo, mid)
    return hi


def _campaign_like_004s_stats():
    """campaign_123 (500 recipients on EMAIL and SMS) at the moment it has sent 485 messages."""
    w = world()
    start = NOW + timedelta(days=5, hours=23)
    at = _at_sent(w, "campaign_123", 485, start, start + timedelta(days=1))
    return w, at


@pytest.mark.req("CLUB-STATS-002", "CLUB-STATS-003", "CLUB-STATS-004", "CLUB-STATS-005", "CLUB-STATS-006")
def test_rates_from_004s_counts():
    assert rate(478, 485) == 0.9856
    assert rate(215, 478) == 0.4498
    assert rate(89, 215) == 0.4140
    assert rate(12, 89) == 0.1348
    assert rate(0, 0) is None
    assert rate(1, 8) == 0.125 and rate(1, 3) == 0.3333 and rate(2, 3) == 0.6667 and rate(1, 20000) == 0.0001


@pytest.mark.req("CLUB-STATS-001", "CLUB-STATS-002", "CLUB-STATS-003", "CLUB-STATS-004", "CLUB-STATS-005",
                 "CLUB-STATS-007", "CLUB-STATS-008", "CLUB-STATS-009")
def test_stats_of_a_campaign_at_485_sent_are_004s_example():
    w, at = _campaign_like_004s_stats()
    s = decide(w, "getCampaignStats", "campaign_123", now=at).data
    assert s["campaignId"] == "campaign_123"
    assert {k: s[k] for k in DOC_COUNTS} == DOC_COUNTS
    assert {k: s[k] for k in DOC_RATES} == DOC_RATES
    assert s["byChannel"] == DOC_BY_CHANNEL
    assert set(s) == {"campaignId", *DOC_COUNTS, *DOC_RATES, "byChannel", "timeline"}


@pytest.mark.req("CLUB-STATS-007", "CLUB-STATS-002", "CLUB-STATS-003", "CLUB-STATS-004", "CLUB-STATS-005")
def test_the_funnel_holds_at_every_moment_of_a_send():
    w = world()
    decide(w, "executeCampaign", "campaign_draft_001")
    for minute in range(0, 65, 4):
        s = decide(w, "getCampaignStats", "campaign_draft_001", now=NOW + timedelta(minutes=minute)).data
        assert s["deliveredCount"] <= s["sentCount"] <= s["targetCount"]
        assert s["convertedCount"] <= s["clickedCount"] <= s["openedCount"] <= s["deliveredCount"]
        assert s["unsubscribedCount"] <= s["deliveredCount"]
        assert s["bouncedCount"] == s["sentCount"] - s["deliveredCount"]
        for name, (num, den) in {"deliveryRate": ("deliveredCount", "sentCount"),
                                 "openRate": ("openedCount", "deliveredCount"),
                                 "clickRate": ("clickedCount", "openedCount"),
                                 "conversionRate": ("convertedCount", "clickedCount")}.items():
            expected = None if s[den] == 0 else round(s[num] / s[den] + 1e-12, 4)
            assert s[name] == expected, (minute, name)


@pytest.mark.req("CLUB-STATS-008")
def test_by_channel_has_one_entry_per_channel_of_the_campaign():
    w = world()
    assert set(decide(w, "getCampaignStats", "campaign_completed_001").data["byChannel"]) == {"EMAIL", "SMS"}
    assert set(decide(w, "getCampaignStats", "campaign_paused_001").data["byChannel"]) == {"EMAIL"}
    sms = decide(w, "getCampaignStats", "campaign_draft_002").data["byChannel"]
    assert set(sms) == {"SMS"} and sms["SMS"]["failed"] == sms["SMS"]["sent"] - sms["SMS"]["delivered"]


@pytest.mark.req("CLUB-STATS-010", "CLUB-STATS-011")
@pytest.mark.parametrize("campaign_id", ["campaign_active_001", "campaign_paused_001", "campaign_completed_001",
                                         "campaign_recurring_001", "campaign_journey_001"])
def test_the_timeline_is_hourly_and_its_sent_figures_add_up_to_sent_count(campaign_id):
    s = decide(world(), "getCampaignStats", campaign_id).data
    hours = [h["hour"] for h in s["timeline"]]
    assert hours == sorted(set(hours)) and all(h.endswith(":00:00Z") for h in hours)
    assert sum(h["sent"] for h in s["timeline"]) == s["sentCount"] > 0
    assert sum(h["opened"] for h in s["timeline"]) <= s["openedCount"]


@pytest.mark.req("CLUB-STATS-011")
def test_a_send_across_an_hour_boundary_spreads_over_two_hours():
    w, at = _campaign_like_004s_stats()  # started 09:00, 485 sent before 10:00
    timeline = decide(w, "getCampaignStats", "campaign_123", now=at).data["timeline"]
    assert [h["hour"] for h in timeline] == ["2025-12-20T09:00:00Z"]
    later = decide(w, "getCampaignStats", "campaign_123", now=at + timedelta(hours=1)).data["timeline"]
    assert [h["hour"] for h in later] == ["2025-12-20T09:00:00Z", "2025-12-20T10:00:00Z"]
    assert sum(h["sent"] for h in later) == 500


@pytest.mark.req("CLUB-STATS-012")
@pytest.mark.parametrize("campaign_id", ["campaign_draft_001", "campaign_123", "campaign_cancelled_001",
                                         "campaign_triggered_001"])
def test_a_campaign_that_has_sent_nothing_has_zero_counts_and_null_rates(campaign_id):
    s = decide(world(), "getCampaignStats", campaign_id).data
    assert all(s[k] == 0 for k in DOC_COUNTS if k != "targetCount")
    assert all(s[k] is None for k in DOC_RATES) and s["timeline"] == []


@pytest.mark.req("CLUB-INTER-001", "CLUB-INTER-005")
def test_004s_clicked_page_total_equals_clicked_count():
    w, at = _campaign_like_004s_stats()
    page = decide(w, "getCampaignInteractions", "campaign_123", now=at, query={"type": "CLICKED"}).data
    assert page["meta"] == {"total": 89, "skip": 0, "take": 25}  # 004's meta
    first = page["data"][0]
    assert set(first) == {"id", "customerId", "customerEmail", "customerName", "type", "channel", "occurredAt",
                          "metadata"}
    assert (first["type"], first["channel"]) == ("CLICKED", "EMAIL")
    assert set(first["metadata"]) == {"linkId", "linkUrl"}


@pytest.mark.req("CLUB-INTER-005", "CLUB-INTER-002")
@pytest.mark.parametrize("campaign_id", ["campaign_active_001", "campaign_completed_001", "campaign_paused_001",
                                         "campaign_recurring_001", "campaign_draft_002", "campaign_123"])
def test_interactions_per_type_equal_the_stats_counts(campaign_id):
    w = world()
    at = NOW + timedelta(days=6, minutes=30)  # campaign_123 half sent, the others as they stand
    s = decide(w, "getCampaignStats", campaign_id, now=at).data
    for kind, count in TYPE_COUNT.items():
        page = decide(w, "getCampaignInteractions", campaign_id, now=at, query={"type": kind, "take": 1}).data
        assert page["meta"]["total"] == s[count], kind
        assert all(i["type"] == kind for i in page["data"])
    everything = decide(w, "getCampaignInteractions", campaign_id, now=at).data["meta"]["total"]
    assert everything == sum(s[c] for c in TYPE_COUNT.values())


@pytest.mark.req("CLUB-INTER-003", "CLUB-INTER-006")
@pytest.mark.parametrize("take", [1, 7, 25, 100])
def test_skip_and_take_tile_the_list_without_gap_or_overlap(take):
    w = world()
    full = []
    skip = 0
    while True:
        page = decide(w, "getCampaignInteractions", "campaign_paused_001",
                      query={"skip": skip, "take": take}).data
        assert page["meta"]["skip"] == skip and page["meta"]["take"] == take
        if not page["data"]:
            break
        full += page["data"]
        skip += take
    ids = [i["id"] for i in full]
    assert len(ids) == len(set(ids)) == page["meta"]["total"]
    moments = [i["occurredAt"] for i in full]
    assert moments == sorted(moments)
    started = read(w, "campaign_paused_001", NOW)["startedAt"]
    assert all(started <= m <= "2025-12-14T10:00:00Z" for m in moments)


@pytest.mark.req("CLUB-INTER-004")
def test_paging_defaults_maximum_and_past_the_end():
    w = world()
    default = decide(w, "getCampaignInteractions", "campaign_completed_001").data
    assert default["meta"]["skip"] == 0 and default["meta"]["take"] == 25 and len(default["data"]) == 25
    capped = decide(w, "getCampaignInteractions", "campaign_completed_001", query={"take": 500}).data
    assert capped["meta"]["take"] == 100 and len(capped["data"]) == 100
    total = default["meta"]["total"]
    past = decide(w, "getCampaignInteractions", "campaign_completed_001", query={"skip": total + 5}).data
    assert past["data"] == [] and past["meta"]["total"] == total
    for query in ({"skip": -1}, {"take": 0}):
        d = decide(w, "getCampaignInteractions", "campaign_completed_001", query=query)
        assert (d.status, body(d)["code"]) == (400, "CLUB.VALIDATION_FAILED")


@pytest.mark.req("CLUB-PAUSE-002", "CLUB-INTER-005")
def test_interactions_and_stats_stay_frozen_while_paused():
    w = world()
    now = decide(w, "getCampaignInteractions", "campaign_paused_001").data
    later = decide(w, "getCampaignInteractions", "campaign_paused_001", now=NOW + timedelta(days=2)).data
    assert now == later
    assert (decide(w, "getCampaignStats", "campaign_paused_001").data
            == decide(w, "getCampaignStats", "campaign_paused_001", now=NOW + timedelta(days=2)).data)


def test_interaction_ids_are_deterministic():
    a = decide(world(), "getCampaignInteractions", "campaign_active_001", query={"take": 100}).data
    b = decide(world(), "getCampaignInteractions", "campaign_active_001", query={"take": 100}).data
    assert a == b and datetime.fromisoformat(a["data"][0]["occurredAt"].replace("Z", "+00:00"))


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CLUB-STATS-008", "CLUB-STATS-009")
def test_an_sms_only_campaign_counts_its_sms_channel():
    """004: byChannel SMS is {sent, delivered, failed}; inferred (CLUB-STATS-009): without EMAIL the top-level
    counts are the SMS channel's, and SMS has no opens to count."""
    w = world()
    assert decide(w, "executeCampaign", "campaign_draft_002").status == 200
    at = NOW + timedelta(minutes=45)
    stats = decide(w, "getCampaignStats", "campaign_draft_002", now=at).data
    assert set(stats["byChannel"]) == {"SMS"}
    sms = stats["byChannel"]["SMS"]
    assert sms["sent"] == stats["sentCount"] > 0
    assert sms["delivered"] == stats["deliveredCount"] and sms["failed"] == stats["bouncedCount"]
    assert stats["openedCount"] == stats["clickedCount"] == 0
    assert read(w, "campaign_draft_002", at)["openedCount"] == 0
    listed = body(decide(w, "listCampaigns", query={"tenantId": "tenant_123", "clubId": "club_789"}, now=at))["data"]
    assert [row["openRate"] for row in listed if row["id"] == "campaign_draft_002"] == [0.0]
