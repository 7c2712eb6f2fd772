"""004's status transitions, tested from the document's own table (not the model's).

    | From      | To        | Action                           |
    | DRAFT     | SCHEDULED | POST /campaigns/:id/schedule     |
    | DRAFT     | ACTIVE    | POST /campaigns/:id/execute      |
    | SCHEDULED | ACTIVE    | Automatic at scheduled time      |
    | SCHEDULED | CANCELLED | POST /campaigns/:id/cancel       |
    | ACTIVE    | PAUSED    | POST /campaigns/:id/pause        |
    | ACTIVE    | COMPLETED | Automatic when all messages sent |
    | PAUSED    | ACTIVE    | POST /campaigns/:id/resume       |
    | PAUSED    | CANCELLED | POST /campaigns/:id/cancel       |
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from .support import NOW, SECOND, body, decide, read, world

ACTIONS = {"schedule": "scheduleCampaign", "execute": "executeCampaign", "pause": "pauseCampaign",
           "resume": "resumeCampaign", "cancel": "cancelCampaign"}
# 004's table, the rows with an action.
TABLE = {("DRAFT", "schedule"): "SCHEDULED", ("DRAFT", "execute"): "ACTIVE", ("SCHEDULED", "cancel"): "CANCELLED",
         ("ACTIVE", "pause"): "PAUSED", ("PAUSED", "resume"): "ACTIVE", ("PAUSED", "cancel"): "CANCELLED"}
# A fixture campaign (ONE_TIME) in each status at NOW.
IN_STATUS = {"DRAFT": "campaign_draft_001", "SCHEDULED": "campaign_123", "ACTIVE": "campaign_active_001",
             "PAUSED": "campaign_paused_001", "COMPLETED": "campaign_completed_001",
             "CANCELLED": "campaign_cancelled_001"}
REQ_OF = {("DRAFT", "schedule"): "CLUB-LIFE-002", ("DRAFT", "execute"): "CLUB-LIFE-003",
          ("SCHEDULED", "cancel"): "CLUB-LIFE-005", ("ACTIVE", "pause"): "CLUB-LIFE-006",
          ("PAUSED", "resume"): "CLUB-LIFE-008", ("PAUSED", "cancel"): "CLUB-LIFE-009"}
FUTURE = {"scheduledAt": "2025-12-20T09:00:00Z"}  # 004's schedule body


def _act(w, status, action, **kw):
    return decide(w, ACTIONS[action], IN_STATUS[status], body=FUTURE if action == "schedule" else None, **kw)


@pytest.mark.req("CLUB-LIFE-001")
def test_the_fixtures_hold_a_campaign_in_each_status_of_004():
    w = world()
    assert {s: read(w, cid, NOW)["status"] for s, cid in IN_STATUS.items()} == {s: s for s in IN_STATUS}


@pytest.mark.req("CLUB-LIFE-002", "CLUB-LIFE-003", "CLUB-LIFE-005", "CLUB-LIFE-006", "CLUB-LIFE-008",
                 "CLUB-LIFE-009", "CLUB-SCHED-001", "CLUB-EXEC-001", "CLUB-PAUSE-001", "CLUB-RESUME-001",
                 "CLUB-CANCEL-001")
@pytest.mark.parametrize("status,action", sorted(TABLE), ids=[f"{s}-{a}" for s, a in sorted(TABLE)])
def test_each_transition_of_the_table_succeeds(status, action):
    w = world()
    d = _act(w, status, action)
    assert d.status == 200 and d.data["status"] == TABLE[(status, action)], body(d)
    assert d.data["id"] == IN_STATUS[status]
    assert read(w, IN_STATUS[status], NOW)["status"] == TABLE[(status, action)]
    # The fields 004's answer to each action shows.
    fields = {"schedule": {"scheduledAt", "targetCount"}, "execute": {"startedAt", "targetCount"},
              "pause": {"pausedAt", "sentCount"}, "resume": {"resumedAt"},
              "cancel": {"cancelledAt", "sentCount"}}[action]
    assert set(d.data) == {"id", "status"} | fields


OTHERS = [(s, a) for s in IN_STATUS for a in ACTIONS if (s, a) not in TABLE]


@pytest.mark.req("CLUB-LIFE-011", "CLUB-LIFE-013")
@pytest.mark.parametrize("status,action", OTHERS, ids=[f"{s}-{a}" for s, a in OTHERS])
def test_every_other_action_is_an_invalid_transition_naming_status_and_allowed_actions(status, action):
    w = world()
    before = read(w, IN_STATUS[status], NOW)
    d = _act(w, status, action)
    assert (409, "CLUB.INVALID_TRANSITION") in d.acceptable
    if (status, action) == ("ACTIVE", "cancel"):
        return  # both readings: test_cancel_of_an_active_campaign_accepts_both_readings
    assert d.status == 409, body(d)
    problem = body(d)
    assert problem["code"] == "CLUB.INVALID_TRANSITION" and problem["status"] == 409
    assert problem["currentStatus"] == status
    assert problem["allowedActions"] == [a for a in ACTIONS if (status, a) in TABLE]
    assert read(w, IN_STATUS[status], NOW) == before  # nothing changed


@pytest.mark.req("CLUB-LIFE-010", "CLUB-CANCEL-001")
def test_cancel_of_an_active_campaign_accepts_both_readings():
    # 004's text: "Cancels a scheduled or active campaign"; its table: no ACTIVE -> CANCELLED.
    w = world()
    d = _act(w, "ACTIVE", "cancel")
    assert d.acceptable == {(200, None), (409, "CLUB.INVALID_TRANSITION")}
    assert d.status == 409 and body(d)["allowedActions"] == ["pause"]  # the mock follows the table


@pytest.mark.req("CLUB-LIFE-004", "CLUB-LIFE-012")
def test_a_scheduled_campaign_turns_active_at_its_scheduled_time():
    w = world()
    scheduled_at = NOW + timedelta(days=5, hours=23)  # 004: 2025-12-20T09:00:00Z
    assert read(w, "campaign_123", NOW)["scheduledAt"] == "2025-12-20T09:00:00Z"
    assert read(w, "campaign_123", scheduled_at - SECOND)["status"] == "SCHEDULED"
    at = read(w, "campaign_123", scheduled_at)
    assert at["status"] == "ACTIVE" and at["startedAt"] == "2025-12-20T09:00:00Z"


@pytest.mark.req("CLUB-LIFE-004", "CLUB-LIST-006")
def test_the_automatic_transition_shows_in_the_list_and_its_status_filter():
    w = world()
    at = NOW + timedelta(days=5, hours=23)
    listed = decide(w, "listCampaigns", query={"tenantId": "tenant_123", "status": "ACTIVE"}, now=at).data["data"]
    assert "campaign_123" in [c["id"] for c in listed]
    before = decide(w, "listCampaigns", query={"tenantId": "tenant_123", "status": "SCHEDULED"},
                    now=at - SECOND).data["data"]
    assert [c["id"] for c in before] == ["campaign_123"]


@pytest.mark.req("CLUB-LIFE-004", "CLUB-PAUSE-001")
def test_an_action_after_the_scheduled_time_acts_on_the_active_campaign():
    w = world()
    at = NOW + timedelta(days=5, hours=23, minutes=30)
    d = decide(w, "pauseCampaign", "campaign_123", now=at)
    assert d.status == 200 and d.data["sentCount"] > 0
    assert read(w, "campaign_123", at + timedelta(days=1))["startedAt"] == "2025-12-20T09:00:00Z"


@pytest.mark.req("CLUB-LIFE-007", "CLUB-DELIV-001", "CLUB-DELIV-002")
def test_delivery_rises_monotonically_and_completes_when_all_messages_are_sent():
    w = world()
    decide(w, "executeCampaign", "campaign_draft_001")
    target = read(w, "campaign_draft_001", NOW)["targetCount"]
    assert target == 1200  # segment_123's size
    seen = []
    for minute in range(0, 24 * 60, 7):
        c = read(w, "campaign_draft_001", NOW + timedelta(minutes=minute))
        assert 0 <= c["sentCount"] <= target
        assert (c["status"] == "COMPLETED") == (c["sentCount"] == target), c
        seen.append(c["sentCount"])
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == target
    done = read(w, "campaign_draft_001", NOW + timedelta(days=1))
    assert done["status"] == "COMPLETED" and done["completedAt"] is not None
    from datetime import datetime
    completed_at = datetime.fromisoformat(done["completedAt"].replace("Z", "+00:00"))
    just_before = read(w, "campaign_draft_001", completed_at - timedelta(microseconds=1))
    assert just_before["status"] == "ACTIVE" and just_before["sentCount"] == target - 1
    at = read(w, "campaign_draft_001", completed_at)
    assert at["status"] == "COMPLETED" and at["sentCount"] == target


@pytest.mark.req("CLUB-PAUSE-001", "CLUB-RESUME-001", "CLUB-EXEC-001", "CLUB-EXEC-002")
def test_execute_pause_resume_answer_as_in_004s_examples():
    # 004: execute at 2025-12-14T10:00, pause at 10:30 with sentCount 250 (targetCount 500), resume at 11:00.
    w = world()
    decide(w, "updateCampaign", "campaign_draft_001", body={"segmentId": "segment_456"})
    executed = decide(w, "executeCampaign", "campaign_draft_001").data
    assert executed == {"id": "campaign_draft_001", "status": "ACTIVE", "startedAt": "2025-12-14T10:00:00Z",
                        "targetCount": 500}
    paused = decide(w, "pauseCampaign", "campaign_draft_001", now=NOW + timedelta(minutes=30)).data
    assert paused == {"id": "campaign_draft_001", "status": "PAUSED", "pausedAt": "2025-12-14T10:30:00Z",
                      "sentCount": 250}
    resumed = decide(w, "resumeCampaign", "campaign_draft_001", now=NOW + timedelta(hours=1)).data
    assert resumed == {"id": "campaign_draft_001", "status": "ACTIVE", "resumedAt": "2025-12-14T11:00:00Z"}


@pytest.mark.req("CLUB-PAUSE-002", "CLUB-RESUME-002")
def test_pause_freezes_sent_count_across_a_clock_move_and_resume_continues_from_it():
    w, plain = world(), world()
    for x in (w, plain):
        decide(x, "executeCampaign", "campaign_draft_001")
    t_pause = NOW + timedelta(minutes=20)
    frozen = decide(w, "pauseCampaign", "campaign_draft_001", now=t_pause).data["sentCount"]
    later = t_pause + timedelta(days=3)
    c = read(w, "campaign_draft_001", later)
    assert (c["status"], c["sentCount"]) == ("PAUSED", frozen)
    stats = decide(w, "getCampaignStats", "campaign_draft_001", now=later).data
    assert stats["sentCount"] == frozen == sum(h["sent"] for h in stats["timeline"])
    decide(w, "resumeCampaign", "campaign_draft_001", now=later)
    assert read(w, "campaign_draft_001", later)["sentCount"] == frozen  # nothing skipped, nothing twice
    assert read(w, "campaign_draft_001", later + timedelta(minutes=10))["sentCount"] > frozen
    # The rest of the send moved later by exactly the pause's length.
    end_paused = read(w, "campaign_draft_001", later + timedelta(days=1))["completedAt"]
    end_plain = read(plain, "campaign_draft_001", NOW + timedelta(days=1))["completedAt"]
    from datetime import datetime
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))  # noqa: E731
    assert parse(end_paused) - parse(end_plain) == later - t_pause


@pytest.mark.req("CLUB-CANCEL-002", "CLUB-LIFE-013")
def test_cancel_freezes_counts_for_good():
    w = world()
    d = decide(w, "cancelCampaign", "campaign_paused_001", now=NOW + timedelta(hours=1))
    sent = d.data["sentCount"]
    assert sent == read(w, "campaign_paused_001", NOW)["sentCount"]
    c = read(w, "campaign_paused_001", NOW + timedelta(days=30))
    assert (c["status"], c["sentCount"], c["cancelledAt"]) == ("CANCELLED", sent, "2025-12-14T11:00:00Z")
    # 004's cancel example: a scheduled campaign cancelled at 10:00 before sending has sentCount 0.
    cancelled = decide(w, "cancelCampaign", "campaign_123").data
    assert cancelled == {"id": "campaign_123", "status": "CANCELLED", "cancelledAt": "2025-12-14T10:00:00Z",
                         "sentCount": 0}
    assert read(w, "campaign_123", NOW + timedelta(days=30))["status"] == "CANCELLED"


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CLUB-GET-003", "CLUB-PAUSE-001", "CLUB-RESUME-001")
def test_the_campaign_shows_when_it_was_paused_and_resumed():
    """004: pause answers pausedAt, resume answers resumedAt; inferred (CLUB-GET-003): the campaign carries
    pausedAt and resumedAt too."""
    w = world()
    paused = decide(w, "pauseCampaign", "campaign_active_001", now=NOW + SECOND).data["pausedAt"]
    assert read(w, "campaign_active_001", NOW + 2 * SECOND)["pausedAt"] == paused == "2025-12-14T10:00:01Z"
    resumed = decide(w, "resumeCampaign", "campaign_active_001", now=NOW + 3 * SECOND).data["resumedAt"]
    campaign = read(w, "campaign_active_001", NOW + 4 * SECOND)
    assert campaign["resumedAt"] == resumed == "2025-12-14T10:00:03Z"
    assert campaign["status"] == "ACTIVE"
