"""Lifecycle model: execution states and pipeline counts (003), and preflight (000; response inferred)."""
from __future__ import annotations

import pytest

from state_machine.apis.experiture_v1.model.timing import (
    EXECUTION_RUN_SECONDS,
    EXECUTION_START_SECONDS,
    REACH_EVALUATION_SECONDS,
)

from .model_helpers import (
    AUD_A,
    AUD_EXEC_FAILS,
    TPL_EMAIL_2,
    TPL_EMAIL_DRAFT,
    TPL_EMAIL_NONCOMPLIANT,
    Api,
    at,
    entry,
)

START, RUN = EXECUTION_START_SECONDS, EXECUTION_RUN_SECONDS  # the model's durations (documents give none)
DUE = 3600  # the schedule job below sends at 11:00, an hour after the clock
PIPELINE = ["scheduled", "hydrated", "composed", "injected", "sent"]
COUNT_KEYS = set(PIPELINE) | {"failed"}
CHECK_IDS = ["current_version", "audience_included", "audience_reach", "template_bound", "template_published",
             "template_compliance", "schedule_intent"]


def _scheduled(include: str = AUD_A) -> tuple[Api, str]:
    api = Api()
    cid = api.ready("email", include=(include,))
    assert api.call("createScheduleJob", cid, {"sendAt": "2026-04-25T11:00:00.000Z"}).status == 201
    return api, cid


def _state(api: Api, cid: str, seconds: float) -> str:
    return api.call("getCampaignStatus", cid, when=at(seconds)).data["execution"]["state"]


def _counts(api: Api, cid: str, seconds: float) -> dict[str, int]:
    return api.call("getCampaignMetrics", cid, when=at(seconds)).data["counts"]


# --- states (003) ----------------------------------------------------------------------------------

def test_not_scheduled_before_any_job():
    """003: not_scheduled, no execution history, not scheduled."""
    api = Api()
    cid = api.ready("email")
    status = api.call("getCampaignStatus", cid).data
    assert status["execution"] == {"state": "not_scheduled", "lastExecution": None}
    assert status["schedule"] is None
    latest = api.call("getCampaignSummary", cid).data["latestExecution"]
    assert latest == {"status": "not_scheduled", "lastExecutionAt": None, "counts": None}


def test_scheduled_before_the_send_time():
    """003: scheduled, future scheduled send is pending."""
    api, cid = _scheduled()
    assert _state(api, cid, 0) == "scheduled"
    assert _state(api, cid, DUE - 1) == "scheduled"
    assert api.call("getCampaignStatus", cid).data["schedule"]["active"] is True


def test_pending_or_overdue_after_the_send_time():
    """003: pending_or_overdue, send time passed but execution has not started yet."""
    api, cid = _scheduled()
    assert _state(api, cid, DUE + START / 2) == "pending_or_overdue"
    assert api.call("getCampaignStatus", cid, when=at(DUE + START / 2)).data["execution"]["lastExecution"] is None


def test_running_then_completed():
    """003: running, execution is in progress; completed, execution finished successfully."""
    api, cid = _scheduled()
    assert _state(api, cid, DUE + START + RUN / 2) == "running"
    running = api.call("getCampaignStatus", cid, when=at(DUE + START + RUN / 2)).data
    last = running["execution"]["lastExecution"]
    assert last["status"] == "running" and last["completedAt"] is None
    assert last["startedAt"] == "2026-04-25T11:00:02.000Z"
    assert _state(api, cid, DUE + START + RUN) == "completed"
    done = api.call("getCampaignStatus", cid, when=at(0, days=2)).data
    assert done["execution"]["state"] == "completed"
    assert done["execution"]["lastExecution"]["status"] == "completed"
    assert done["execution"]["lastExecution"]["completedAt"] == "2026-04-25T11:00:12.000Z"
    assert done["schedule"]["active"] is False


def test_execution_targeting_a_failing_audience_ends_failed():
    """003: failed, execution finished with errors."""
    api, cid = _scheduled(AUD_EXEC_FAILS)
    assert _state(api, cid, DUE + START + RUN / 2) == "running"
    assert _state(api, cid, DUE + START + RUN) == "failed"
    summary = api.call("getCampaignSummary", cid, when=at(0, days=1)).data
    assert summary["latestExecution"]["status"] == "failed"


def test_send_job_starts_at_pending_or_overdue():
    """001 send immediately; decisions: a send job starts at pending_or_overdue (003 states)."""
    api = Api()
    cid = api.ready("push")
    api.call("createSendJob", cid)
    assert _state(api, cid, 0) == "pending_or_overdue"
    assert _state(api, cid, START + RUN / 2) == "running"
    assert _state(api, cid, START + RUN + 1) == "completed"


def test_summary_latest_execution_follows_the_run():
    """003: summary latestExecution {status, lastExecutionAt, counts}."""
    api, cid = _scheduled()
    latest = api.call("getCampaignSummary", cid, when=at(DUE + START + RUN + 5)).data["latestExecution"]
    assert latest["status"] == "completed"
    assert latest["lastExecutionAt"] == "2026-04-25T11:00:02.000Z"
    assert set(latest["counts"]) == COUNT_KEYS


# --- counts (003) ----------------------------------------------------------------------------------

def test_counts_are_zero_before_execution_starts():
    """decisions: counts are zeros before any execution; 003: all six count names."""
    api, cid = _scheduled()
    for seconds in (0, DUE - 1, DUE, DUE + START - 0.001):
        assert _counts(api, cid, seconds) == dict.fromkeys(COUNT_KEYS, 0), seconds


def test_counts_have_exactly_the_six_documented_keys():
    """003: scheduled, hydrated, composed, injected, sent, failed."""
    api, cid = _scheduled()
    for seconds in (0, DUE + START + RUN / 3, DUE + START + RUN + 1):
        c = _counts(api, cid, seconds)
        assert set(c) == COUNT_KEYS and all(isinstance(v, int) and v >= 0 for v in c.values())


@pytest.mark.parametrize("audience", [AUD_A, AUD_EXEC_FAILS], ids=["completes", "fails"])
def test_counts_never_increase_along_the_pipeline_and_never_decrease_over_time(audience):
    """decisions (003 pipeline): scheduled >= hydrated >= composed >= injected >= sent at every instant, and
    no count ever decreases over time."""
    api, cid = _scheduled(audience)
    steps = 60
    instants = [DUE + START - 1] + [DUE + START + RUN * i / steps for i in range(steps + 1)] + [DUE + START + RUN + 60]
    previous = None
    for s in instants:
        c = _counts(api, cid, s)
        stages = [c[k] for k in PIPELINE]
        assert stages == sorted(stages, reverse=True), f"pipeline increases at +{s}s: {c}"
        if previous is not None:
            grew = {k: (previous[k], c[k]) for k in COUNT_KEYS if c[k] < previous[k]}
            assert not grew, f"counts decreased at +{s}s: {grew}"
        previous = c
    assert previous["scheduled"] > 0


def test_final_failed_count_is_the_records_dropped():
    """003: failed = records that dropped out at any stage (scheduled - sent once finished)."""
    for audience in (AUD_A, AUD_EXEC_FAILS):
        api, cid = _scheduled(audience)
        c = _counts(api, cid, DUE + START + RUN + 1)
        assert c["failed"] == c["scheduled"] - c["sent"]
    assert c["sent"] < c["scheduled"]  # the failing execution lost records


def test_status_and_metrics_counts_agree():
    """003: /status lastExecution counts and /metrics counts are the same pipeline counts."""
    api, cid = _scheduled()
    when = at(DUE + START + RUN * 0.7)
    status = api.call("getCampaignStatus", cid, when=when).data
    assert status["execution"]["lastExecution"]["counts"] == api.call("getCampaignMetrics", cid, when=when).data["counts"]


# --- preflight -------------------------------------------------------------------------------------

def _preflight(api: Api, cid: str, seconds: float = 0):
    d = api.call("runCampaignPreflight", cid, when=at(seconds))
    assert d.status == 200
    return d.data


def test_preflight_of_a_ready_campaign_passes_with_the_documented_checks():
    """000: run pre-send validation checks; decisions: checks and status passed (warnings do not block)."""
    api = Api()
    cid = api.ready("email")
    data = _preflight(api, cid)
    assert set(data) == {"campaignId", "status", "checks", "evaluatedAt"}
    assert data["status"] == "passed" and data["campaignId"] == cid
    assert [c["id"] for c in data["checks"]] == CHECK_IDS
    by_id = {c["id"]: c["status"] for c in data["checks"]}
    assert by_id["audience_reach"] == "warn" and by_id["schedule_intent"] == "warn"  # reach pending, no intent
    assert all(by_id[i] == "pass" for i in CHECK_IDS if i not in ("audience_reach", "schedule_intent"))


def test_preflight_all_pass_once_reach_ok_and_intent_saved():
    """002: wait for reach ok before running preflight; decisions: every check passes then."""
    api = Api()
    cid = api.ready("email", schedule={"mode": "now"})
    data = _preflight(api, cid, REACH_EVALUATION_SECONDS)
    assert {c["status"] for c in data["checks"]} == {"pass"}


@pytest.mark.parametrize("setup, blocking", [
    ("compliance", "template_compliance"), ("no-audience", "audience_included"),
    ("unpublished", "template_published"), ("no-template", "template_bound"),
])
def test_preflight_blocked_names_the_blocking_check(setup, blocking):
    """001: PREFLIGHT_BLOCKERS exists; decisions: preflight status blocked with a block check."""
    api = Api()
    cid = api.create("email")
    if setup != "no-audience":
        api.call("replaceCampaignAudience", cid, {"include": [entry(AUD_A)]})
    template = {"compliance": TPL_EMAIL_NONCOMPLIANT, "unpublished": TPL_EMAIL_DRAFT}.get(setup, TPL_EMAIL_2)
    if setup != "no-template":
        api.call("replaceCampaignContent", cid, {"templateId": template})
    data = _preflight(api, cid)
    assert data["status"] == "blocked"
    assert {c["id"]: c["status"] for c in data["checks"]}[blocking] == "block"


def test_summary_shows_not_evaluated_then_the_preflight_result():
    """003: summary preflight {status: not_evaluated, checks: []}; decisions: then the last result."""
    api = Api()
    cid = api.ready("email", template=TPL_EMAIL_NONCOMPLIANT)
    assert api.call("getCampaignSummary", cid).data["preflight"] == {"status": "not_evaluated", "checks": []}
    data = _preflight(api, cid, 5)
    shown = api.call("getCampaignSummary", cid, when=at(10)).data["preflight"]
    assert shown == {"status": "blocked", "checks": data["checks"]}


@pytest.mark.parametrize("operation, body", [
    ("replaceCampaignAudience", {"include": [entry(AUD_A)]}),
    ("replaceCampaignContent", {"templateId": TPL_EMAIL_2}),
    ("setCampaignSchedule", {"mode": "now"}),
])
def test_configuration_change_resets_preflight(operation, body):
    """decisions: the preflight result is shown until the next configuration change resets it."""
    api = Api()
    cid = api.ready("email")
    _preflight(api, cid)
    assert api.call("getCampaignSummary", cid).data["preflight"]["status"] == "passed"
    assert api.call(operation, cid, body, when=at(5)).status == 200
    assert api.call("getCampaignSummary", cid, when=at(6)).data["preflight"] == {"status": "not_evaluated",
                                                                                 "checks": []}


def test_preflight_changes_no_configuration():
    """000 preflight only validates; decisions: it changes no configuration (nor updatedAt)."""
    api = Api()
    cid = api.ready("email")
    before = api.call("getCampaign", cid, when=at(20)).data
    _preflight(api, cid, 10)
    assert api.call("getCampaign", cid, when=at(20)).data == before


def test_preflight_is_allowed_after_publishing():
    """decisions: preflight is allowed in any authoringStatus."""
    api = Api()
    cid = api.ready("email")
    api.call("createSendJob", cid)
    assert api.call("runCampaignPreflight", cid, when=at(1)).status == 200


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CAMP-EXEC-006", "CAMP-EXEC-007")
@pytest.mark.parametrize("planned", [0, 1, 499, 500, 999, 1000, 1001, 2000, 123_457, 10**6])
@pytest.mark.parametrize("fails", [False, True], ids=["completes", "fails"])
def test_final_counts_never_increase_along_the_pipeline(planned, fails):
    """003: the counts are scheduled, hydrated, composed, injected, sent, failed, each an integer >= 0
    (CAMP-EXEC-006); inferred (CAMP-EXEC-007): they never increase along scheduled >= hydrated >= composed
    >= injected >= sent, and failed does not exceed scheduled. Audiences of a thousand records and more are
    where a per-mille loss shows, so the sizes go well past the fixtures' ones."""
    from state_machine.apis.experiture_v1.model.execution import final_counts
    c = final_counts(planned, fails)
    assert list(c) == ["scheduled", "hydrated", "composed", "injected", "sent", "failed"]
    assert all(isinstance(v, int) and v >= 0 for v in c.values()), c
    assert planned == c["scheduled"] >= c["hydrated"] >= c["composed"] >= c["injected"] >= c["sent"], c
    assert c["failed"] <= c["scheduled"], c


# --- found by mutation testing (docs/mutation-testing.md) ------------------------------------------

@pytest.mark.req("CAMP-OBS-005", "CAMP-OBS-011")
@pytest.mark.parametrize("seconds", [DUE + START + RUN / 2, DUE + START + RUN + 5], ids=["running", "completed"])
def test_summary_and_metrics_report_the_run_that_status_reports(seconds):
    """003: the summary's latestExecution is {status, lastExecutionAt, counts} and "/status after a campaign
    runs" gives "actual execution counts"; inferred (CAMP-OBS-011): metrics also carry executionState and
    lastExecutionAt. All three views describe the same run at the same instant."""
    api, cid = _scheduled()
    when = at(seconds)
    status = api.call("getCampaignStatus", cid, when=when).data["execution"]
    latest = api.call("getCampaignSummary", cid, when=when).data["latestExecution"]
    metrics = api.call("getCampaignMetrics", cid, when=when).data
    assert latest["counts"] == status["lastExecution"]["counts"] == metrics["counts"]
    assert latest["counts"]["scheduled"] > 0
    assert metrics["executionState"] == latest["status"] == status["state"]
    assert metrics["lastExecutionAt"] == latest["lastExecutionAt"] == status["lastExecution"]["startedAt"]


@pytest.mark.req("CAMP-PREF-003")
def test_preflight_evaluated_at_is_the_time_it_ran():
    """Inferred (CAMP-PREF-003): the preflight response carries evaluatedAt, the instant the checks ran."""
    api = Api()
    cid = api.ready("email")
    assert _preflight(api, cid, 42)["evaluatedAt"] == "2026-04-25T10:00:42.000Z"
