"""Reproductions that reproduce: the repro-*.py a failing run writes replays the sequence against any base
URL (times moved to that target's clock), re-checks the failing check, exits non-zero while the fault is
there and zero on a correct server; it needs only httpx and holds no secret (tokens from the environment).
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings

from state_machine.conformance.machine import build_machine
from state_machine.conformance.target import http_target, profile_from_url
from tests.helpers.live_server import live_mock

from . import runner
from .faults import FAULTS
from .runner import frozen_mock, violations_in

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("fault_name", ["pagination_total_off_by_one"])
def test_reproduction_fails_on_the_fault_and_passes_once_fixed(fault_name, monkeypatch, tmp_path):
    fault = next(f for f in FAULTS if f.name == fault_name)
    app = fault.install(monkeypatch, frozen_mock())
    with live_mock(app) as origin:
        with http_target(profile_from_url(origin + "/public/v1")) as target:
            machine = build_machine(target, strict=True, report_dir=tmp_path)
            # Generation only (no shrinking: it costs minutes over HTTP): the first failing sequence's script.
            machine.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None,
                                                 phases=[Phase.generate], database=None,
                                                 derandomize=True, suppress_health_check=list(HealthCheck))
            with pytest.raises(BaseException) as raised:  # the violation  # noqa: B017
                machine.TestCase("runTest").runTest()
    found = violations_in(raised.value)
    assert found, f"the run failed, but not with a contract violation: {raised.value!r}"
    text = runner.reproduction_of(found[0]).read_text()
    assert "mock-token-full" not in text and "CONTRACT_TOKEN_FULL" in text  # no secret, an env var
    runner.assert_reproduces(found[0], monkeypatch, lambda: fault.install(monkeypatch, frozen_mock()), frozen_mock,
                             "/public/v1")
