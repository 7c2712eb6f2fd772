"""Scenario tests through HTTP against the embedded mock: preflight, summary, status, metrics (003) and
execution states over mock time.

Expected statuses, codes and values come from the documents (000-003) and openapi/experiture-v1/decisions.md.
Instants are sampled from the mock's published timing (profile `timing`), never from the model.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from contract_spec import load_spec, response_problems
from state_machine.apis.experiture_v1 import plugin

NOW = "2026-04-25T10:00:00.000Z"  # the frozen mock clock (conftest)
T0 = datetime(2026, 4, 25, 10, 0, tzinfo=timezone.utc)
FUTURE = "2026-05-01T09:00:00.000Z"
TPL = {"email": "5e3a1c2d-0000-4000-8000-000000000001", "sms": "5e3a1c2d-0000-4000-8000-000000000002",
       "push": "5e3a1c2d-0000-4000-8000-000000000003", "direct_mail": "5e3a1c2d-0000-4000-8000-000000000004"}
TPL_UNPUBLISHED = "5e3a1c2d-0000-4000-8000-000000000005"
TPL_SPRING_DM = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"
SEG = "a1b2c3d4-0000-0000-0000-000000000001"
AUD = "a1b2c3d4-0000-0000-0000-000000000002"
DM_SEG = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
REACH_FAILS = "a1b2c3d4-0000-4000-8000-0000000000f1"
DELIVERY_FAILS = "a1b2c3d4-0000-4000-8000-0000000000f2"
DOC_DM = "4130bada-9264-465f-bc0c-a26bebcfcc81"
SUMMARY_UNAVAILABLE = "JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_UNAVAILABLE"

STATES = ["not_scheduled", "scheduled", "pending_or_overdue", "running", "completed", "failed"]  # 003
PIPELINE = ["scheduled", "hydrated", "composed", "injected", "sent"]  # 003
COUNT_KEYS = {*PIPELINE, "failed"}
ZERO = dict.fromkeys(COUNT_KEYS, 0)
SUMMARY_KEYS = {"campaignId", "name", "campaignType", "channel", "authoringStatus", "createdAt", "updatedAt",
                "schedule", "audience", "content", "preflight", "latestExecution", "links"}
OBJECT_KEYS = {"campaignId", "name", "description", "campaignType", "channel", "authoringStatus", "settings",
               "tags", "currentVersionId", "audience", "content", "schedule", "createdAt", "updatedAt",
               "archivedAt", "links"}
CHECK_IDS = {"current_version", "audience_included", "audience_reach", "template_bound", "template_published",
             "template_compliance", "schedule_intent"}


# --- helpers ---------------------------------------------------------------------------------------

def call(api, method, path, body=None, token="full"):
    return api.request(method, path, token=api.profile.token(token), json_body=body)


def ok(r, status=200):
    assert r.status_code == status, r.text
    return r.json()["data"]


def create(api, channel="email", name="Scenario") -> str:
    return ok(call(api, "POST", "/campaigns", {"name": name, "channel": channel}), 201)["campaignId"]


def bind_audience(api, cid, aud=SEG, kind="segment"):
    return ok(call(api, "PUT", f"/campaigns/{cid}/audience", {"include": [{"audienceId": aud, "type": kind}]}))


def bind_template(api, cid, tpl):
    return ok(call(api, "PUT", f"/campaigns/{cid}/content", {"templateId": tpl}))


def set_intent(api, cid, body):
    return ok(call(api, "PUT", f"/campaigns/{cid}/schedule", body))


def ready(api, channel="email", aud=SEG, kind="segment") -> str:
    cid = create(api, channel)
    bind_audience(api, cid, aud, kind)
    bind_template(api, cid, TPL[channel])
    return cid


def get(api, cid, what="", token="full"):
    return ok(call(api, "GET", f"/campaigns/{cid}{what}", token=token))


def preflight(api, cid):
    return ok(call(api, "POST", f"/campaigns/{cid}/preflight"))


def move_to(api, moment: datetime):
    r = api.admin("POST", "/clock", {"now": moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"})
    assert r.status_code == 200, r.text


def role(api, name) -> str:
    return api.profile.campaigns_with_role(name)[0]["id"]


def timing(api):
    t = api.profile.timing
    return t["executionStartSeconds"], t["executionRunSeconds"]


def assert_counts(counts):
    """003: six integer counts >= 0; decisions: never increasing along the pipeline, failed <= scheduled."""
    assert set(counts) == COUNT_KEYS
    assert all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counts.values()), counts
    assert all(counts[a] >= counts[b] for a, b in zip(PIPELINE, PIPELINE[1:])), counts
    assert counts["failed"] <= counts["scheduled"], counts


def checks(result):
    return {c["id"]: c["status"] for c in result["checks"]}


# --- preflight ---------------------------------------------------------------------------------------

@pytest.mark.req("CAMP-PREF-001", "CAMP-PREF-003", "CAMP-PREF-004")
def test_preflight_on_a_ready_campaign_passes(api):
    cid = ready(api)
    set_intent(api, cid, {"mode": "at", "sendAt": FUTURE})
    api.admin("POST", "/clock", {"advanceSeconds": api.profile.timing["reachEvaluationSeconds"] + 1})
    data = preflight(api, cid)
    assert set(data) == {"campaignId", "status", "checks", "evaluatedAt"}
    assert data["campaignId"] == cid and data["status"] == "passed"
    assert data["evaluatedAt"] == "2026-04-25T10:00:04.000Z"
    assert all(set(c) == {"id", "status", "message"} and isinstance(c["message"], str) for c in data["checks"])
    assert checks(data) == dict.fromkeys(CHECK_IDS, "pass") and len(data["checks"]) == len(CHECK_IDS)


@pytest.mark.req("CAMP-PREF-003", "CAMP-PREF-004")
def test_preflight_on_a_fresh_draft_is_blocked(api):
    cid = create(api)
    data = preflight(api, cid)
    c = checks(data)
    assert set(c) == CHECK_IDS and data["status"] == "blocked"
    assert c["current_version"] == "pass"
    assert c["audience_included"] == "block"
    assert c["template_bound"] == "block" and c["template_published"] == "block"
    assert c["audience_reach"] == "warn" and c["schedule_intent"] == "warn"


@pytest.mark.req("CAMP-PREF-003", "CAMP-PREF-004")
def test_preflight_warnings_alone_do_not_block(api):
    cid = ready(api)  # reach still pending, no schedule intent
    data = preflight(api, cid)
    c = checks(data)
    assert c["audience_reach"] == "warn" and c["schedule_intent"] == "warn"
    assert "block" not in c.values() and data["status"] == "passed"


@pytest.mark.req("CAMP-PREF-004")
def test_preflight_audience_reach_warns_unless_reach_is_ok(api):
    wait = api.profile.timing["reachEvaluationSeconds"] + 1
    good, bad = ready(api), ready(api, aud=REACH_FAILS)
    assert checks(preflight(api, good))["audience_reach"] == "warn"  # pending
    api.admin("POST", "/clock", {"advanceSeconds": wait})
    assert get(api, good)["audience"]["reach"]["status"] == "ok"
    assert checks(preflight(api, good))["audience_reach"] == "pass"
    assert get(api, bad)["audience"]["reach"]["status"] == "failed"
    assert checks(preflight(api, bad))["audience_reach"] == "warn"


@pytest.mark.req("CAMP-PREF-003", "CAMP-PREF-004", "CAMP-PREF-007")
@pytest.mark.parametrize("case,blocked_check", [("version_missing", "current_version"),
                                                ("unpublished", "template_published"),
                                                ("preflight_blockers", "template_compliance")])
def test_preflight_blocks_on_the_failing_check(api, case, blocked_check):
    if case == "unpublished":
        cid = create(api)
        bind_audience(api, cid)
        bind_template(api, cid, TPL_UNPUBLISHED)
    else:
        cid = role(api, case)
    data = preflight(api, cid)
    c = checks(data)
    assert data["status"] == "blocked"
    assert [k for k, v in c.items() if v == "block"] == [blocked_check]
    if case == "unpublished":
        assert c["template_bound"] == "pass"


@pytest.mark.req("CAMP-PREF-005")
@pytest.mark.parametrize("case", ["draft", "completed", "failed", "scheduled", "archived"])
def test_preflight_changes_no_configuration_in_any_authoring_status(api, case):
    if case == "draft":
        cid = ready(api)
    elif case == "archived":
        cid = ready(api)
        ok(call(api, "POST", f"/campaigns/{cid}/archive"))
    else:
        cid = role(api, case)
    before, status_before = get(api, cid), get(api, cid, "/status")
    data = preflight(api, cid)
    assert data["campaignId"] == cid and data["status"] in ("passed", "blocked")
    assert get(api, cid) == before and get(api, cid, "/status") == status_before


@pytest.mark.req("CAMP-PREF-002", "CAMP-PREF-006")
@pytest.mark.parametrize("change", ["audience", "content", "schedule"])
def test_summary_shows_last_preflight_until_a_configuration_change(api, change):
    cid = ready(api)
    assert get(api, cid, "/summary")["preflight"] == {"status": "not_evaluated", "checks": []}
    result = preflight(api, cid)
    shown = get(api, cid, "/summary")["preflight"]
    assert shown == {"status": result["status"], "checks": result["checks"]}
    ok(call(api, "PATCH", f"/campaigns/{cid}", {"name": "Renamed"}))  # metadata is not configuration
    assert get(api, cid, "/summary")["preflight"] == shown
    {"audience": lambda: bind_audience(api, cid, AUD, "audience"),
     "content": lambda: bind_template(api, cid, TPL_UNPUBLISHED),
     "schedule": lambda: set_intent(api, cid, {"mode": "now"})}[change]()
    assert get(api, cid, "/summary")["preflight"] == {"status": "not_evaluated", "checks": []}


# --- summary (003) -------------------------------------------------------------------------------------

@pytest.mark.req("CAMP-OBS-002", "CAMP-OBS-003", "CAMP-OBS-004", "CAMP-OBS-005", "CAMP-OBS-006", "CAMP-PREF-002")
def test_summary_of_a_fresh_draft(api):
    cid = create(api, "push", name="Fresh")
    data = get(api, cid, "/summary")
    assert set(data) == SUMMARY_KEYS
    assert data["campaignId"] == cid and data["name"] == "Fresh" and data["campaignType"] == "broadcast"
    assert data["channel"] == "push" and data["authoringStatus"] == "draft"
    assert data["createdAt"] == NOW and data["schedule"] is None
    assert set(data["audience"]) == {"included", "excluded", "reach"}
    assert data["audience"]["included"] == [] and data["audience"]["excluded"] == []
    assert data["content"]["template"] is None
    assert data["preflight"] == {"status": "not_evaluated", "checks": []}
    assert data["latestExecution"] == {"status": "not_scheduled", "lastExecutionAt": None, "counts": None}
    assert data["links"] == {"self": f"/public/v1/campaigns/{cid}/summary"}


@pytest.mark.req("CAMP-OBS-002", "CAMP-OBS-003", "CAMP-OBS-006")
def test_summary_of_the_documents_example_campaign(api):
    """003's summary example: the direct-mail campaign with segment aaaa… and template "Spring DM v3"."""
    bind_audience(api, DOC_DM, DM_SEG)
    bind_template(api, DOC_DM, TPL_SPRING_DM)
    set_intent(api, DOC_DM, {"mode": "batch_on_date", "batchDate": "2026-05-01", "timezone": "America/New_York"})
    api.admin("POST", "/clock", {"advanceSeconds": api.profile.timing["reachEvaluationSeconds"] + 1})
    data = get(api, DOC_DM, "/summary")
    assert set(data) == SUMMARY_KEYS
    assert data["name"] == "Spring Re-engagement Direct Mail" and data["channel"] == "direct_mail"
    assert data["campaignType"] == "broadcast" and data["authoringStatus"] == "draft"
    included = data["audience"]["included"]
    assert len(included) == 1 and included[0]["id"] == DM_SEG and included[0]["type"] == "segment"
    assert included[0]["memberCount"] is None  # 003: member counts are redacted
    assert data["audience"]["excluded"] == []
    reach = data["audience"]["reach"]
    assert reach["status"] == "ok" and reach["evaluatedCount"] == 18432 and reach["isStale"] is False
    assert data["content"] == {"template": {"id": TPL_SPRING_DM, "name": "Spring DM v3", "status": "published",
                                            "channel": "direct_mail"}, "proofStatus": "unavailable"}
    assert data["schedule"]["batchDate"] == "2026-05-01" and data["schedule"]["timezone"] == "America/New_York"
    assert data["links"]["self"] == f"/public/v1/campaigns/{DOC_DM}/summary"


@pytest.mark.req("CAMP-OBS-001", "CAMP-OBS-014")
def test_campaign_object_is_a_superset_of_the_summary_setup_fields(api):
    cid = ready(api, "sms")
    set_intent(api, cid, {"mode": "at", "sendAt": FUTURE})
    obj, summary = get(api, cid), get(api, cid, "/summary")
    assert set(obj) == OBJECT_KEYS
    for key in ("campaignId", "name", "campaignType", "channel", "authoringStatus", "createdAt", "updatedAt",
                "schedule", "audience", "content"):
        assert obj[key] == summary[key], key
    assert obj["campaignId"] == cid and obj["channel"] == "sms" and obj["archivedAt"] is None
    assert obj["content"]["template"]["id"] == TPL["sms"] and obj["schedule"]["sendAt"] == FUTURE


@pytest.mark.req("CAMP-OBS-014")
def test_every_campaign_object_operation_answers_the_same_shape(api):
    responses = [call(api, "POST", "/campaigns", {"name": "Shape", "channel": "email"})]
    cid = responses[0].json()["data"]["campaignId"]
    responses += [
        call(api, "GET", f"/campaigns/{cid}"),
        call(api, "PATCH", f"/campaigns/{cid}", {"description": "d"}),
        call(api, "PUT", f"/campaigns/{cid}/audience", {"include": [{"audienceId": SEG, "type": "segment"}]}),
        call(api, "PUT", f"/campaigns/{cid}/content", {"templateId": TPL["email"]}),
        call(api, "PUT", f"/campaigns/{cid}/schedule", {"mode": "now"}),
        call(api, "POST", f"/campaigns/{cid}/clone"),
        call(api, "POST", f"/campaigns/{cid}/archive"),
    ]
    for r in responses:
        assert r.status_code in (200, 201), r.text
        assert set(r.json()["data"]) == OBJECT_KEYS, r.request.url


@pytest.mark.req("CAMP-OBS-016")
def test_missing_persisted_state_is_summary_unavailable(api):
    cid = role(api, "summary_unavailable")
    before = api.request("GET", "/campaigns", token=api.profile.token("full"), params={"limit": 100}).json()
    attempts = [
        call(api, "GET", f"/campaigns/{cid}"),
        call(api, "GET", f"/campaigns/{cid}/summary"),
        call(api, "PATCH", f"/campaigns/{cid}", {"name": "Renamed"}),
        call(api, "POST", f"/campaigns/{cid}/archive"),
        call(api, "POST", f"/campaigns/{cid}/clone"),
        call(api, "PUT", f"/campaigns/{cid}/audience", {"include": [{"audienceId": SEG, "type": "segment"}]}),
        call(api, "PUT", f"/campaigns/{cid}/content", {"templateId": TPL["email"]}),
        call(api, "PUT", f"/campaigns/{cid}/schedule", {"mode": "at", "sendAt": FUTURE}),
    ]
    for r in attempts:
        assert r.status_code == 409 and r.json()["error"]["code"] == SUMMARY_UNAVAILABLE, (r.request.url, r.text)
    after = api.request("GET", "/campaigns", token=api.profile.token("full"), params={"limit": 100}).json()
    assert after == before  # nothing renamed, archived or cloned
    assert any(c["campaignId"] == cid for c in after["data"])


# --- status and metrics (003) ----------------------------------------------------------------------

@pytest.mark.req("CAMP-OBS-007", "CAMP-OBS-010", "CAMP-OBS-011", "CAMP-OBS-012", "CAMP-OBS-013",
                 "CAMP-EXEC-002")
@pytest.mark.parametrize("intent", [None, {"mode": "at", "sendAt": FUTURE}], ids=["no-intent", "intent-at"])
def test_status_and_metrics_before_any_execution(api, intent):
    cid = ready(api)
    if intent:
        set_intent(api, cid, intent)
    st = get(api, cid, "/status")
    assert set(st) == {"campaignId", "name", "authoringStatus", "schedule", "execution"}
    assert st["campaignId"] == cid and st["name"] == "Scenario" and st["authoringStatus"] == "draft"
    assert st["schedule"] is None  # an intent is not a committed schedule
    assert st["execution"] == {"state": "not_scheduled", "lastExecution": None}
    m = get(api, cid, "/metrics", token="reader")
    assert m == {"campaignId": cid, "counts": ZERO, "executionState": "not_scheduled", "lastExecutionAt": None}


@pytest.mark.req("CAMP-OBS-008", "CAMP-OBS-009", "CAMP-OBS-010", "CAMP-OBS-011", "CAMP-EXEC-005",
                 "CAMP-EXEC-006", "CAMP-EXEC-007")
@pytest.mark.parametrize("fixture_role,state", [("completed", "completed"), ("failed", "failed")])
def test_finished_fixture_campaigns(api, fixture_role, state):
    cid = role(api, fixture_role)
    st = get(api, cid, "/status")
    assert st["authoringStatus"] == "published"
    assert set(st["schedule"]) == {"scheduleId", "sendAt", "timezone", "active"}
    assert isinstance(st["schedule"]["scheduleId"], str) and st["schedule"]["active"] is False  # 003 example
    assert st["execution"]["state"] == state
    last = st["execution"]["lastExecution"]
    assert set(last) == {"executionId", "startedAt", "completedAt", "status", "counts"}
    assert last["status"] == state and last["completedAt"] is not None and last["startedAt"] <= last["completedAt"]
    assert_counts(last["counts"])
    assert last["counts"]["scheduled"] > 0
    m = get(api, cid, "/metrics", token="reader")
    assert set(m) == {"campaignId", "counts", "executionState", "lastExecutionAt"}
    assert m["campaignId"] == cid and m["executionState"] == state and m["counts"] == last["counts"]
    assert m["lastExecutionAt"] is not None
    s = get(api, cid, "/summary")
    assert s["latestExecution"] == {"status": state, "lastExecutionAt": m["lastExecutionAt"], "counts": m["counts"]}
    api.admin("POST", "/clock", {"advanceSeconds": 30 * 86400})  # terminal: nothing changes any more
    assert get(api, cid, "/status") == st and get(api, cid, "/metrics") == m


@pytest.mark.req("CAMP-OBS-013", "CAMP-EXEC-003", "CAMP-EXEC-004", "CAMP-EXEC-005")
def test_scheduled_fixture_campaign_runs_when_due(api):
    cid = role(api, "scheduled")
    start, run = timing(api)
    st = get(api, cid, "/status")
    assert st["execution"] == {"state": "scheduled", "lastExecution": None}
    assert st["schedule"] is not None and isinstance(st["schedule"]["active"], bool)
    assert get(api, cid, "/metrics")["counts"] == ZERO
    due = datetime.fromisoformat(st["schedule"]["sendAt"].replace("Z", "+00:00"))
    assert due > T0
    move_to(api, due + timedelta(seconds=start / 2))
    assert get(api, cid, "/status")["execution"]["state"] == "pending_or_overdue"
    move_to(api, due + timedelta(seconds=start + run + 1))
    st = get(api, cid, "/status")
    assert st["execution"]["state"] == "completed" and st["schedule"]["active"] is False


# --- execution over mock time (003) ----------------------------------------------------------------

def _sample(api, cid, moments):
    """(state, status counts or None, metrics counts) at each moment, in order."""
    out = []
    for moment in moments:
        move_to(api, moment)
        st = get(api, cid, "/status")
        m = get(api, cid, "/metrics")
        assert st["execution"]["state"] in STATES and m["executionState"] == st["execution"]["state"]
        last = st["execution"]["lastExecution"]
        if last is not None:
            assert last["counts"] == m["counts"]
        assert_counts(m["counts"])
        latest = get(api, cid, "/summary")["latestExecution"]
        assert latest["status"] == m["executionState"] and latest["lastExecutionAt"] == m["lastExecutionAt"]
        out.append((st["execution"]["state"], m["counts"]))
    return out


def _assert_forward_and_growing(samples):
    ranks = [STATES.index(s) for s, _ in samples]
    assert ranks == sorted(ranks), [s for s, _ in samples]  # states only move forward
    for (_, earlier), (_, later) in zip(samples, samples[1:]):
        assert all(later[k] >= earlier[k] for k in COUNT_KEYS), (earlier, later)  # never decreasing


@pytest.mark.req("CAMP-EXEC-001", "CAMP-EXEC-003", "CAMP-EXEC-004", "CAMP-EXEC-005", "CAMP-EXEC-006",
                 "CAMP-EXEC-007", "CAMP-EXEC-008")
def test_schedule_job_moves_scheduled_pending_running_completed(api):
    start, run = timing(api)
    cid = ready(api)
    due = T0 + timedelta(hours=1)
    ok(call(api, "POST", f"/campaigns/{cid}/schedule-jobs", {"sendAt": "2026-04-25T11:00:00.000Z"}), 201)
    moments = [T0, due - timedelta(seconds=1), due + timedelta(seconds=start / 2)]
    moments += [due + timedelta(seconds=start + run * k / 8) for k in range(1, 8)]
    moments += [due + timedelta(seconds=start + run + 1), due + timedelta(days=30)]
    samples = _sample(api, cid, moments)
    states = [s for s, _ in samples]
    assert states[:3] == ["scheduled", "scheduled", "pending_or_overdue"]
    assert set(states[3:10]) == {"running"}
    assert states[10:] == ["completed", "completed"]
    assert samples[0][1] == ZERO and samples[-1][1]["sent"] > 0
    assert samples[-1][1] == samples[-2][1]  # completed is terminal
    _assert_forward_and_growing(samples)
    last = get(api, cid, "/status")["execution"]["lastExecution"]
    assert last["status"] == "completed" and last["completedAt"] is not None


@pytest.mark.req("CAMP-EXEC-005", "CAMP-EXEC-007", "CAMP-EXEC-008")
@pytest.mark.parametrize("aud,kind,final", [(SEG, "segment", "completed"), (DELIVERY_FAILS, "audience", "failed")],
                         ids=["completes", "execution_fails"])
def test_send_job_starts_pending_or_overdue_and_ends(api, aud, kind, final):
    start, run = timing(api)
    cid = ready(api, "sms", aud=aud, kind=kind)
    ok(call(api, "POST", f"/campaigns/{cid}/send-jobs", {}), 201)
    moments = [T0, T0 + timedelta(seconds=start / 2)]
    moments += [T0 + timedelta(seconds=start + run * k / 5) for k in range(1, 5)]
    moments += [T0 + timedelta(seconds=start + run + 1), T0 + timedelta(days=2)]
    samples = _sample(api, cid, moments)
    states = [s for s, _ in samples]
    assert states[:2] == ["pending_or_overdue", "pending_or_overdue"]
    assert set(states[2:6]) == {"running"}
    assert states[6:] == [final, final]
    assert samples[-1][1] == samples[-2][1]
    _assert_forward_and_growing(samples)
    assert get(api, cid, "/status")["execution"]["lastExecution"]["status"] == final
    assert get(api, cid, "/summary")["latestExecution"]["status"] == final


@pytest.mark.req("CAMP-EXEC-009", "CAMP-OBS-013")
@pytest.mark.parametrize("tz,saved,due", [
    ("America/New_York", False, datetime(2026, 5, 1, 4, tzinfo=timezone.utc)),
    ("Asia/Tokyo", False, datetime(2026, 4, 30, 15, tzinfo=timezone.utc)),
    ("America/New_York", True, datetime(2026, 5, 1, 4, tzinfo=timezone.utc)),  # tenant default, via the intent
], ids=["new-york", "tokyo", "saved-intent-tenant-default"])
def test_direct_mail_is_due_at_midnight_of_batch_date_in_its_timezone(api, tz, saved, due):
    start, _ = timing(api)
    cid = ready(api, "direct_mail")
    if saved:
        intent = set_intent(api, cid, {"mode": "batch_on_date", "batchDate": "2026-05-01"})["schedule"]
        assert intent["timezone"] == tz and intent["timezoneSource"] == "tenant_default"
        ok(call(api, "POST", f"/campaigns/{cid}/schedule-jobs", {}), 201)
    else:
        ok(call(api, "POST", f"/campaigns/{cid}/schedule-jobs", {"batchDate": "2026-05-01", "timezone": tz}), 201)
    sched = get(api, cid, "/status")["schedule"]
    assert sched["batchDate"] == "2026-05-01" and sched["timezone"] == tz
    move_to(api, due - timedelta(seconds=1))
    assert get(api, cid, "/status")["execution"]["state"] == "scheduled"
    move_to(api, due + timedelta(seconds=start / 2))
    assert get(api, cid, "/status")["execution"]["state"] == "pending_or_overdue"


# --- the spec document: 003's own examples are valid answers ------------------------------------------

DOC_SUMMARY = {"success": True, "data": {
    "campaignId": DOC_DM, "name": "Spring Re-engagement Direct Mail", "campaignType": "broadcast",
    "channel": "direct_mail", "authoringStatus": "draft", "createdAt": "2026-04-25T10:00:00.000Z",
    "updatedAt": "2026-04-25T10:30:00.000Z",
    "schedule": {"mode": "at", "sendAt": "2026-05-01T09:00:00.000Z", "timezone": "America/New_York",
                 "scheduled": True},
    "audience": {"included": [{"id": DM_SEG, "name": None, "type": "segment", "memberCount": None}],
                 "excluded": [], "reach": {"status": "ok", "evaluatedCount": 18432,
                                           "evaluatedAt": "2026-04-25T10:20:00.000Z", "isStale": False}},
    "content": {"template": {"id": TPL_SPRING_DM, "name": "Spring DM v3", "status": "published",
                             "channel": "direct_mail"}, "proofStatus": "unavailable"},
    "preflight": {"status": "not_evaluated", "checks": []},
    "latestExecution": {"status": "not_scheduled", "lastExecutionAt": None, "counts": None},
    "links": {"self": f"/public/v1/campaigns/{DOC_DM}/summary"}}}
DOC_STATUS = {"success": True, "data": {
    "campaignId": DOC_DM, "name": "Spring Re-engagement — Direct Mail", "authoringStatus": "published",
    "schedule": {"scheduleId": "sch-00000000-0000-0000-0000-000000000001", "sendAt": "2026-05-01T09:00:00.000Z",
                 "timezone": "America/New_York", "active": False},
    "execution": {"state": "completed", "lastExecution": {
        "executionId": "exec-00000000-0000-0000-0000-000000000001", "startedAt": "2026-05-01T09:00:05.000Z",
        "completedAt": "2026-05-01T09:47:22.000Z", "status": "completed",
        "counts": {"scheduled": 17491, "hydrated": 17491, "composed": 17485, "injected": 17485, "sent": 17480,
                   "failed": 5}}}}}


@pytest.mark.req("CAMP-OBS-015", "CAMP-OBS-002")
def test_spec_accepts_the_documents_summary_example_without_kind():
    spec = load_spec(plugin.spec_path)
    assert response_problems(spec, spec.operations["getCampaignSummary"], 200, DOC_SUMMARY) == []


@pytest.mark.req("CAMP-OBS-007", "CAMP-OBS-008", "CAMP-OBS-009", "CAMP-EXEC-006")
def test_spec_accepts_the_documents_status_example():
    spec = load_spec(plugin.spec_path)
    assert response_problems(spec, spec.operations["getCampaignStatus"], 200, DOC_STATUS) == []
