"""The suite reaches a verdict soonest: its quick scenarios, then its lifecycle machine, then the slow probes
(campaigns_contract.pytest_plugin.suite_first), so --fail-fast (-x) stops at a fault a scenario or the machine
sees before any probe has run; every other test keeps its place."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from campaigns_contract.pytest_plugin import suite_dir, suite_first


def _item(path: Path, name: str) -> SimpleNamespace:
    return SimpleNamespace(path=path, name=name)


def test_scenarios_run_first_then_the_machine_then_probes_and_other_tests_keep_their_places():
    suite = suite_dir()
    other = Path(__file__)
    items = [_item(other, "mine_1"), _item(suite / "test_probes.py", "probe_a"),
             _item(suite / "test_probes.py", "probe_b"), _item(suite / "test_scenarios.py", "scenario"),
             _item(other, "mine_2"), _item(suite / "test_club_scenarios.py", "club_scenario"),
             _item(suite / "test_stateful.py", "machine")]
    suite_first(items)
    assert [i.name for i in items] == ["mine_1", "scenario", "club_scenario", "machine", "mine_2", "probe_a",
                                       "probe_b"]
