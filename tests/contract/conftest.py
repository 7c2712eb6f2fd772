"""Settings of the contract suite: strictness, budget, where reproductions go."""
from __future__ import annotations

import pytest

from campaigns_contract.collector import RECORD_KEY
from state_machine.conformance.record import RunRecord


@pytest.fixture(scope="session")
def contract_strict(request: pytest.FixtureRequest) -> bool:
    """Strictness is the user's choice, never inferred from the target: inferred requirements are advisory
    against every target (the mock included) unless --contract-strict (or CONTRACT_STRICT=1; `make test`
    sets it, so the project's own run holds its mock to every inferred requirement)."""
    return bool(request.config.getoption("--contract-strict"))


@pytest.fixture(scope="session")
def contract_record(request: pytest.FixtureRequest) -> RunRecord:
    """Where the machine leaves its evidence; the verify command's report plugin reads it."""
    if RECORD_KEY not in request.config.stash:
        request.config.stash[RECORD_KEY] = RunRecord()
    return request.config.stash[RECORD_KEY]


@pytest.fixture(scope="session")
def contract_examples(request: pytest.FixtureRequest) -> int | None:
    return request.config.getoption("--contract-examples")
