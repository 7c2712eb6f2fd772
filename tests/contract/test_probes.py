"""Schemathesis probes of the contract target: every operation (examples, coverage and fuzzing phases,
positive and negative data) and the spec's OpenAPI links, with the profile's `full` token, against the
same target as the stateful suite (the embedded mock in-process, or the profile's base_url). Checks and
why each is configured as it is: probes_support.py.

Sends: when the profile's capabilities lack `allow_sends`, every createScheduleJob/createSendJob request
the probes make carries `dryRun: true`; a negative job case that cannot carry it (body not an object,
`dryRun` not a boolean) is not sent at all. tests/selfcheck/test_probes_catch_faults.py checks this, and that
each probe can fail.
"""
from __future__ import annotations

import functools
import uuid

import pytest
import schemathesis

from state_machine.conformance.requirements import load_catalogue
from state_machine.conformance.verdict import judge

from . import cleanup
from .probes_support import (
    API,
    CLUB_API,
    JUDGE,
    NAMING,
    READ_ONLY,
    club_probe_case,
    count_created,
    load_club_probe_schema,
    load_probe_schema,
    probe_case,
    remember_created,
    run_club_stateful_probe,
    run_stateful_probe,
    use_campaign_pool,
    use_club_campaign_pool,
)

CHANNELS = ("email", "sms", "push", "direct_mail")


def _budget(contract_examples: int | None) -> tuple[int, int, int]:
    """(examples per operation, stateful runs, steps per run); --contract-examples N scales them."""
    if contract_examples:
        return contract_examples, max(2, contract_examples // 2), 12
    return 15, 10, 10  # ~15-20 s for the whole file on 2 cores against the embedded mock


def _judges(contract_api, contract_strict, contract_record) -> dict:
    """How the probes judge a departure the catalogue attributes (probes_support.JUDGE)."""
    catalogue = load_catalogue(contract_api.catalogue_path)

    def other_success(operation_id: str, message: str) -> None:
        ids = catalogue.exercised(operation_id, "status")
        if not ids:
            raise AssertionError(message)
        contract_record.exercise(ids)
        judge(ids, message, strict=contract_strict, catalogue=catalogue, record=contract_record)

    def moved_code(operation_id: str, code: str, message: str) -> None:
        ids = catalogue.about(operation_id, {code})[:1]  # the first entry about the code fixes its status
        if not ids:
            raise AssertionError(message)
        contract_record.exercise(ids)
        judge(ids, message, strict=contract_strict, catalogue=catalogue, record=contract_record)

    return {"other_success": other_success, "moved_code": moved_code}


@pytest.fixture(scope="session")
def probe_target(contract_target, contract_app, contract_api, contract_strict, contract_record, contract_pacer):
    if contract_api.name != API:
        pytest.skip(f"the probes are configured for {API}, not {contract_api.name}")
    profile = contract_target.profile
    JUDGE.update(_judges(contract_api, contract_strict, contract_record))
    NAMING["prefix"] = f"cc-probe-{uuid.uuid4().hex[:8]}-"
    made: list[str] = []  # every campaign the probes created, by id (remember_created)
    try:
        yield {"profile": profile, "app": contract_app, "token": profile.token("full"), "made": made,
               "allow_sends": profile.can("allow_sends"),
               "pacer": None if contract_app is not None else contract_pacer or contract_target.pacer}
    finally:
        JUDGE.clear()
        _remove_what_the_probes_made(contract_target, profile.token("full"), NAMING["prefix"], made, contract_record)


def _remove_what_the_probes_made(target, token: str, prefix: str, made: list[str], record) -> None:
    """Every campaign the probes created is deleted, or archived where the target refuses the delete: by id
    (their own drafts and whatever fuzzing created or cloned, remember_created: fuzzing may rename one),
    then whatever is still named with this run's prefix (tests/contract/cleanup.py). What can be neither is
    left to the report (contract_record.not_removed). Runs in the fixture's finally: after a failure or
    Ctrl-C too."""
    handled = set(made)
    cleanup.through_interrupts([*(functools.partial(cleanup.remove, target, cid, token, record) for cid in made),
                                functools.partial(cleanup.sweep, target, token, prefix, handled, record)])


@pytest.fixture(scope="session")
def probe_schema(probe_target, contract_target, contract_examples):
    examples, _, _ = _budget(contract_examples)
    schema = load_probe_schema(token=probe_target["token"], app=probe_target["app"],
                               base_url=probe_target["profile"].base_url, max_examples=examples,
                               pacer=probe_target["pacer"])
    # Drafts of the probes' own, which fuzzing may change in any way; fixtures only for reading.
    own = []
    for i in range(2):
        for channel in CHANNELS:
            response = contract_target.request("POST", "/campaigns", token=probe_target["token"],
                                               json_body={"name": f"{NAMING['prefix']}{channel}-{i}",
                                                          "channel": channel})
            assert response.is_success, f"[CAMP-LIFE-001] {response.status_code} {response.text}"
            own.append(response.json()["data"]["campaignId"])
    probe_target["made"].extend(own)
    remember_created(schema, probe_target["made"])
    fixtures = [c["id"] for c in probe_target["profile"].fixtures.get("campaigns", [])]
    use_campaign_pool(schema, lambda op: own + fixtures if op in READ_ONLY else own)
    return schema


schema = schemathesis.pytest.from_fixture("probe_schema")


@schema.parametrize()
def test_operation(case, probe_target):
    probe_case(case, allow_sends=probe_target["allow_sends"])


def test_links(probe_target, contract_examples):
    _, runs, steps = _budget(contract_examples)
    stateful = load_probe_schema(token=probe_target["token"], app=probe_target["app"],
                                 base_url=probe_target["profile"].base_url, pacer=probe_target["pacer"])
    remember_created(stateful, probe_target["made"])
    run_stateful_probe(stateful, allow_sends=probe_target["allow_sends"], max_examples=runs, steps=steps)


# --- the Club Campaigns API: the same probes, configured from its plug-in and spec -------------------------

@pytest.fixture(scope="session")
def club_probe_target(contract_target, contract_app, contract_api, contract_pacer, contract_strict, contract_record):
    if contract_api.name != CLUB_API:
        pytest.skip(f"the Club probes run against {CLUB_API}, not {contract_api.name}")
    profile = contract_target.profile
    JUDGE.update(_judges(contract_api, contract_strict, contract_record))
    yield {"profile": profile, "app": contract_app, "token": profile.token("full"),
            "allow_sends": profile.can("allow_sends"),
            "pacer": None if contract_app is not None else contract_pacer or contract_target.pacer}
    JUDGE.clear()


@pytest.fixture(scope="session")
def club_probe_schema(club_probe_target, contract_target, contract_examples, contract_record):
    examples, _, _ = _budget(contract_examples)
    profile = club_probe_target["profile"]
    schema = load_club_probe_schema(token=club_probe_target["token"], app=club_probe_target["app"],
                                    base_url=profile.base_url, max_examples=examples,
                                    pacer=club_probe_target["pacer"])
    tenant = profile.tokens["full"].get("tenant")
    club = next(c["id"] for c in profile.fixtures["clubs"] if c.get("tenant", tenant) == tenant)
    segment = next(s["id"] for s in profile.fixtures["segments"] if s.get("tenant", tenant) == tenant)
    own = []
    for i in range(4):  # the probes' own drafts, which fuzzing may change or move on in any way
        response = contract_target.request("POST", "/campaigns", token=club_probe_target["token"], json_body={
            "tenantId": tenant, "clubId": club, "name": f"probe {i}", "type": "ONE_TIME", "channels": ["EMAIL"],
            "segmentId": segment})
        # The probes' own drafts: any success will do (its status is the stateful suite's and the scenarios'
        # to judge, CLUB-CREATE-001); a refusal is CLUB-CREATE-001's row, not an unattributed failure.
        assert response.is_success, f"[CLUB-CREATE-001] create answered {response.status_code}: {response.text[:600]}"
        own.append(response.json()["id"])
    use_club_campaign_pool(schema, own)
    # 004 has no delete: the report counts what the probes leave (their drafts and what fuzzing creates)
    contract_record.kept["the probes"] += len(own)
    count_created(schema, contract_record.kept, "the probes")
    return schema


club_schema = schemathesis.pytest.from_fixture("club_probe_schema")


@club_schema.parametrize()
def test_club_operation(case, club_probe_target):
    club_probe_case(case, profile=club_probe_target["profile"], allow_sends=club_probe_target["allow_sends"])


def test_club_links(club_probe_target, contract_examples, contract_record):
    _, runs, steps = _budget(contract_examples)
    profile = club_probe_target["profile"]
    stateful = load_club_probe_schema(token=club_probe_target["token"], app=club_probe_target["app"],
                                      base_url=profile.base_url, pacer=club_probe_target["pacer"])
    count_created(stateful, contract_record.kept, "the probes")
    run_club_stateful_probe(stateful, profile=profile, allow_sends=club_probe_target["allow_sends"],
                            max_examples=runs, steps=steps)
