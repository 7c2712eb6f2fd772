"""Settings of the contract suite: strictness, budget, where reproductions go."""
from __future__ import annotations

import pytest

from campaigns_contract.collector import RECORD_KEY
from state_machine.conformance.record import RunRecord

@pytest.fixture(scope="session")
def contract_strict(request: pytest.FixtureRequest, contract_target) -> bool:
    """Against the mock the suite is always strict; elsewhere inferred requirements are advisory
    unless --contract-strict."""
    is_mock = contract_target.profile.admin_url is not None and contract_target.profile.can("clock_control")
    return bool(request.config.getoption("--contract-strict")) or is_mock


@pytest.fixture(scope="session")
def contract_record(request: pytest.FixtureRequest) -> RunRecord:
    """Where the machine leaves its evidence; the verify command's report plugin reads it."""
    if RECORD_KEY not in request.config.stash:
        request.config.stash[RECORD_KEY] = RunRecord()
    return request.config.stash[RECORD_KEY]


@pytest.fixture(scope="session")
def contract_examples(request: pytest.FixtureRequest) -> int | None:
    return request.config.getoption("--contract-examples")
