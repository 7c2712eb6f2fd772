"""Lifecycle model: a Hypothesis property over random call sequences on one campaign.

For any sequence of audience / content / schedule / job / preflight calls (and reads), the model never
raises, every error code is a catalogued one travelling with its status (codes.STATUS), the answer is one of
`Decision.acceptable`, and a refused call changes nothing.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from state_machine.apis.experiture_v1.model.codes import STATUS

from .model_helpers import (
    AUD_A,
    AUD_B,
    AUD_C,
    AUD_EXEC_FAILS,
    AUD_REACH_FAILS,
    AUD_UNKNOWN,
    T1,
    T2,
    TPL_DM,
    TPL_EMAIL,
    TPL_EMAIL_DRAFT,
    TPL_EMAIL_NONCOMPLIANT,
    TPL_PUSH,
    TPL_SMS,
    TPL_T2_EMAIL,
    Api,
    at,
    entry,
)

AUDIENCES = [AUD_A, AUD_B, AUD_C, AUD_REACH_FAILS, AUD_EXEC_FAILS, AUD_UNKNOWN]
TEMPLATES = [TPL_EMAIL, TPL_EMAIL_DRAFT, TPL_EMAIL_NONCOMPLIANT, TPL_SMS, TPL_PUSH, TPL_DM, TPL_T2_EMAIL,
             "00000000-0000-4000-8000-999999999999"]
SEND_ATS = ["2026-05-01T09:00:00.000Z", "2026-04-25T10:00:30Z", "2026-04-01T00:00:00Z", "garbage", None]
BATCH_DATES = ["2026-05-01", "2026-04-25", "2026-04-01", "01/05/2026", None]
ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "No/Such_Zone", None]


def _optional(**choices):
    """A body whose keys are each present or absent (present values may be null)."""
    return st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in choices.items()})


entries = st.builds(entry, st.sampled_from(AUDIENCES), st.sampled_from(["audience", "segment"]))
audience_body = st.fixed_dictionaries({"include": st.lists(entries, max_size=3)},
                                      optional={"exclude": st.lists(entries, max_size=2)})
content_body = st.fixed_dictionaries({"templateId": st.sampled_from(TEMPLATES)})
schedule_body = st.fixed_dictionaries(
    {"mode": st.sampled_from(["now", "at", "batch_on_date", "later"])},
    optional={"sendAt": st.sampled_from(SEND_ATS), "batchDate": st.sampled_from(BATCH_DATES),
              "timezone": st.sampled_from(ZONES)})
schedule_job_body = _optional(sendAt=SEND_ATS, batchDate=BATCH_DATES, timezone=ZONES, dryRun=[True, False])
send_job_body = _optional(dryRun=[True, False])

calls = st.one_of(
    st.tuples(st.just("replaceCampaignAudience"), audience_body),
    st.tuples(st.just("replaceCampaignContent"), content_body),
    st.tuples(st.just("setCampaignSchedule"), schedule_body),
    st.tuples(st.just("createScheduleJob"), schedule_job_body),
    st.tuples(st.just("createSendJob"), send_job_body),
    st.tuples(st.just("runCampaignPreflight"), st.just({})),
    st.tuples(st.sampled_from(["getCampaignSummary", "getCampaignStatus", "getCampaignMetrics", "getCampaign"]),
              st.just({})),
)
steps = st.lists(st.tuples(calls, st.sampled_from([0, 1, 3, 60, 3600, 7 * 86400])), min_size=1, max_size=12)


def _check(d, cid: str, operation: str) -> None:
    for status, code in d.acceptable:
        if code is not None:
            assert code in STATUS and STATUS[code] == status, f"{operation}: acceptable {(status, code)} mismatched"
    assert d.outcome in d.acceptable, f"{operation}: {d.outcome} not in {set(d.acceptable)}"
    if d.error is not None:
        assert d.error.code in STATUS, f"{operation}: uncatalogued code {d.error.code}"
        assert d.status == STATUS[d.error.code], f"{operation}: {d.error.code} with status {d.status}"
        assert d.changes == {}, f"{operation}: refused ({d.error.code}) but changes {list(d.changes)}"
        assert isinstance(d.error.details, dict)
    else:
        assert 200 <= d.status < 300
        assert set(d.changes) <= {cid}, f"{operation}: changed other campaigns {list(d.changes)}"


@settings(max_examples=50, deadline=None, database=None)
@given(channel=st.sampled_from(["email", "sms", "push", "direct_mail"]), tenant=st.sampled_from([T1, T2]),
       sequence=steps)
def test_random_call_sequences_keep_the_model_consistent(channel, tenant, sequence):
    """000-003 + decisions: every answer is a catalogued, acceptable one; refusals change nothing."""
    api = Api(tenant=tenant)
    cid = api.create(channel)
    elapsed = 0
    for (operation, body), wait in sequence:
        elapsed += wait
        d = api.call(operation, cid, body, when=at(elapsed))
        _check(d, cid, operation)
        if operation in ("createScheduleJob", "createSendJob") and d.status == 201:
            assert api.world.campaigns[cid].authoring_status == "published"
        if operation.startswith(("replace", "set")) and d.ok:
            assert api.world.campaigns[cid].authoring_status == "draft"
