"""Clock rules, for targets whose profile grants clock control (an admin clock): time moves by steps
from seconds to days, so time-driven behaviour (expiry, scheduled work) is met within a run."""
from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import rule

from contract_spec import Spec
from state_machine.plugin import ApiPlugin

from ..clock import TargetClock
from ..target import Target

STEPS_SECONDS = [1, 2, 3, 5, 13, 60, 3600, 6 * 3600, 2 * 86400]


def rules_for(spec: Spec, plugin: ApiPlugin, target: Target) -> type | None:
    if not TargetClock(target).control:
        return None

    class ClockRules:
        @rule(seconds=st.sampled_from(STEPS_SECONDS))
        def advance_clock(self, seconds):
            self.advance_by(seconds)

    return ClockRules
