"""Test configuration: which target the contract suite runs against, and the embedded mock.

    pytest                                   # unit tests + contract suite against the embedded mock
    pytest --target-url http://127.0.0.1:8080/public/v1     # a running mock (profile read from it)
    pytest --target-profile target.yaml      # any server described by a target profile
    pytest --api NAME                        # the API (plug-in) to check and mock (default: the profile's
                                             # `api`, else the registry's default)
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from state_machine import registry
from state_machine.conformance.target import Profile, Target, asgi_target, http_target, profile_from_url
from state_machine.plugin import ApiPlugin

# 003's summary example is dated 2026-04-25T10:00Z and 001's examples send on 2026-05-01: a frozen mock
# clock here lets the documents' own examples run unchanged.
DOC_EXAMPLE_NOW = datetime(2026, 4, 25, 10, 0, tzinfo=timezone.utc)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("campaigns-contract")
    group.addoption("--target-profile", default=os.environ.get("CONTRACT_TARGET_PROFILE"),
                    help="YAML/JSON target profile of the server to test (default: the embedded mock)")
    group.addoption("--api", default=os.environ.get("CONTRACT_API"),
                    help="the API (a registered plug-in) to check and to mock (default: the target profile's "
                         f"`api`, else {registry.DEFAULT_API})")
    group.addoption("--target-url", default=os.environ.get("CONTRACT_TARGET_URL"),
                    help="base URL of a running mock; its profile is read from /__mock/profile")
    group.addoption("--contract-strict", action="store_true", default=False,
                    help="fail (not warn) on mismatches with inferred requirements")
    group.addoption("--contract-examples", type=int, default=None,
                    help="Hypothesis examples per stateful test (default: a budget that fits CI)")
    group.addoption("--contract-shrink-seconds", type=float, default=60.0,
                    help="how long Hypothesis may shrink a failure to its minimal reproduction (default 60)")
    group.addoption("--contract-progress", action="store_true", default=False,
                    help="print the stateful suite's progress while it runs")


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
    from state_machine.apis.experiture_v1 import plugin
    from state_machine.conformance.conformance import SpecConformance

    with asgi_target(mock_app) as target:
        recorder = SpecConformance(load_spec(mock_app.state.plugin.spec_path), target.profile.base_path)
        target.observers.append(recorder)
        yield target
    assert not recorder.problems, "responses the spec does not allow:\n" + "\n".join(recorder.problems)


@pytest.fixture(scope="session")
def contract_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The target the contract suite checks: a profile's server, a running mock, or the embedded mock."""
    config = request.config
    if config.getoption("--target-profile"):
        profile = Profile.from_file(config.getoption("--target-profile"))
        with http_target(profile) as target:
            yield target
    elif config.getoption("--target-url"):
        with http_target(profile_from_url(config.getoption("--target-url"))) as target:
            yield target
    else:
        from mock_server import MockClock, create_app

        # Frozen at real time: the embedded run is deterministic, time moves only by the suite's rules.
        app = create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True), api=config.getoption("--api"))
        with asgi_target(app) as target:
            target.app = app  # for in-process clients of the same mock (contract_app)
            yield target


@pytest.fixture(scope="session")
def contract_api(request: pytest.FixtureRequest, contract_target: Target) -> ApiPlugin:
    """The plug-in of the API under test: --api, else the one the target's profile names."""
    return registry.get(request.config.getoption("--api") or contract_target.profile.api)


@pytest.fixture(scope="session")
def contract_app(contract_target: Target):
    """The embedded mock's ASGI app behind contract_target, or None when the target is a remote server."""
    return getattr(contract_target, "app", None)
