"""Test configuration of this repository: the embedded mock for the tests of each layer.

The contract suite's options and fixtures (--target-profile, --target-url, --api, contract_target, ...)
come from the installed pytest plugin, campaigns_contract/pytest_plugin.py.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from state_machine.conformance.target import Target, asgi_target

# 003's summary example is dated 2026-04-25T10:00Z and 001's examples send on 2026-05-01: a frozen mock
# clock here lets the documents' own examples run unchanged.
DOC_EXAMPLE_NOW = datetime(2026, 4, 25, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def mock_app(request: pytest.FixtureRequest):
    """A fresh embedded mock (of --api, default the registry's default API) whose clock is frozen at
    DOC_EXAMPLE_NOW (moves only when told)."""
    from mock_server import MockClock, create_app

    return create_app(clock=MockClock(DOC_EXAMPLE_NOW, frozen=True), api=request.config.getoption("--api"))


@pytest.fixture
def api(mock_app) -> Iterator[Target]:
    """Synchronous access to the fresh embedded mock, with its profile. Every API response the test
    receives must conform to the spec (status declared, schema valid), or the test fails."""
    from contract_spec import load_spec
    from state_machine.conformance.conformance import SpecConformance

    with asgi_target(mock_app) as target:
        recorder = SpecConformance(load_spec(mock_app.state.plugin.spec_path), target.profile.base_path)
        target.observers.append(recorder)
        yield target
    assert not recorder.problems, "responses the spec does not allow:\n" + "\n".join(recorder.problems)
