"""Idempotency-Key rules of the Campaigns API (000 "Idempotency"; the rest per the decisions page)."""
from __future__ import annotations

import pytest

from contract_spec import load_spec
from state_machine.apis.experiture_v1 import plugin
from state_machine.apis.experiture_v1.model.idempotency import IDEMPOTENCY_TTL_SECONDS, key_problem

from .model_helpers import IDEMPOTENCY_KEY_IN_USE, IDEMPOTENCY_KEY_INVALID, IDEMPOTENCY_KEY_REUSED

KEY = "9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40"  # a UUID v4


def test_idempotent_operations_are_create_clone_schedule_and_send_jobs():
    """000: create, clone, schedule-jobs, and send-jobs support the Idempotency-Key header."""
    spec = load_spec(plugin.spec_path)
    keyed = {op.operation_id for op in spec.operations.values() if op.header("Idempotency-Key") is not None}
    assert keyed == {"createCampaign", "cloneCampaign", "createScheduleJob", "createSendJob"}


def test_replay_is_promised_for_24_hours():
    """000: "return the cached response for 24 hours"."""
    assert IDEMPOTENCY_TTL_SECONDS == 24 * 3600 == plugin.idempotency.ttl_seconds


def test_reuse_and_in_flight_codes_and_statuses():
    """decisions (IETF draft): another body with a used key -> 422 IDEMPOTENCY_KEY_REUSED; a key whose first
    request is in flight -> 409 IDEMPOTENCY_KEY_IN_USE."""
    assert (plugin.codes.idempotency_key_reused, plugin.error(plugin.codes.idempotency_key_reused, "m").status) \
        == (IDEMPOTENCY_KEY_REUSED, 422)
    assert (plugin.codes.idempotency_key_in_use, plugin.error(plugin.codes.idempotency_key_in_use, "m").status) \
        == (IDEMPOTENCY_KEY_IN_USE, 409)


@pytest.mark.parametrize("key", [KEY, KEY.upper(), "00000000-0000-4000-8000-000000000000"])
def test_key_problem_accepts_a_uuid_v4(key):
    """000: the Idempotency-Key header is a UUID v4 (hex digits are case-insensitive, RFC 9562)."""
    assert key_problem(key) is None


@pytest.mark.parametrize("key", [
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8",   # v1
    "6ba7b811-9dad-31d1-80b4-00c04fd430c8",   # v3
    "not-a-uuid", "", "9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b4", "{9b2f0c4e-6a7d-4c1b-8e3f-2a5d7c9e1b40}",
])
def test_key_problem_refuses_other_versions_and_garbage(key):
    """000: UUID v4 only; decisions: otherwise 400 IDEMPOTENCY_KEY_INVALID."""
    problem = key_problem(key)
    assert problem is not None and problem.code == IDEMPOTENCY_KEY_INVALID and problem.status == 400
