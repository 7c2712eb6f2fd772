"""Ctrl-C always ends a verify run (exit 130 with a partial report): Python swallows a KeyboardInterrupt raised
while a gc callback runs ("Exception ignored in ..."; Hypothesis installs one), so the run's SIGINT handler
remembers the request and the collector stops the run at the end of the test then running."""
from __future__ import annotations

import signal

import pytest

from campaigns_contract.collector import Collector


def test_the_handler_interrupts_and_remembers():
    collector = Collector()
    with pytest.raises(KeyboardInterrupt):
        collector.request_interrupt(signal.SIGINT, None)
    assert collector.interrupt_requested


def test_a_swallowed_interrupt_stops_the_run_after_the_current_test():
    collector = Collector()
    collector.pytest_runtest_logfinish("t::one", ("t", 1, "one"))  # nothing asked: the run goes on
    try:
        collector.request_interrupt(signal.SIGINT, None)
    except KeyboardInterrupt:
        pass  # as a gc callback would swallow it
    with pytest.raises(KeyboardInterrupt):
        collector.pytest_runtest_logfinish("t::two", ("t", 2, "two"))
    collector.interrupted = True  # pytest saw it (pytest_keyboard_interrupt): no second interrupt
    collector.pytest_runtest_logfinish("t::three", ("t", 3, "three"))
