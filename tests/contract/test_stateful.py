"""The stateful conformance suite: the lifecycle walked by Hypothesis, the model as oracle."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FlakyStrategyDefinition
from hypothesis.internal.conjecture import engine

from state_machine.conformance.engine import TimeBudgetReached
from state_machine.conformance.machine import build_machine

DEFAULT_EXAMPLES = 60
STEPS = 30
# No explain phase: it re-runs the shrunk failure under a line tracer (sys.settrace: every request of the replay
# several times slower) to name arguments that "did not matter"; the reproduction script says more, cheaper.
PHASES = [phase for phase in Phase if phase is not Phase.explain]


def test_lifecycle_conforms(contract_target, contract_report_dir, contract_api, contract_strict, contract_examples,
                            contract_record, request, capsys,
                            monkeypatch):
    """Every answer is one the documents allow, and what the target shows agrees with the model."""
    # Hypothesis documents this limit as monkeypatchable; against a remote target each shrink step costs
    # real requests, so a failure's minimisation is bounded (default 60 s instead of 300 s).
    monkeypatch.setattr(engine, "MAX_SHRINKING_SECONDS", request.config.getoption("--contract-shrink-seconds"))

    def progress(message: str) -> None:
        with capsys.disabled():
            print(f"\n  {message}", end="", flush=True)

    machine = build_machine(contract_target, plugin=contract_api, strict=contract_strict,
                            report_dir=contract_report_dir,
                            record=contract_record,
                            progress=progress if request.config.getoption("--contract-progress") else None,
                            deadline=request.config.getoption("--contract-deadline"))
    seed = request.config.getoption("--contract-seed")
    test = machine.TestCase
    # A seed (verify --seed, with --hypothesis-seed) makes the run repeatable: no example database replays.
    test.settings = settings(max_examples=contract_examples or DEFAULT_EXAMPLES, stateful_step_count=STEPS,
                             deadline=None, suppress_health_check=list(HealthCheck), print_blob=True, phases=PHASES,
                             **({"database": None} if seed is not None else {}))
    try:
        test("runTest").runTest()
    except (TimeBudgetReached, FlakyStrategyDefinition):
        if not machine.stopped_by_time:
            raise
        # The run's --max-time (Hypothesis may report the cut-short example as flaky generation): what ran
        # so far is in the record and the report.
        request.node.contract_stopped_by_time = True
        if not contract_record.examples:
            pytest.skip("--max-time reached before a stateful example could run")
