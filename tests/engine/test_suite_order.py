"""The suite reaches a verdict soonest: its lifecycle machine runs before the scenarios and the slow probes
(campaigns_contract.pytest_plugin.suite_first), so --fail-fast (-x) stops at a fault the machine sees before
any probe has run; every other test keeps its place."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from campaigns_contract.pytest_plugin import suite_dir, suite_first


def _item(path: Path, name: str) -> SimpleNamespace:
    return SimpleNamespace(path=path, name=name)


def test_the_machine_runs_first_then_scenarios_then_probes_and_other_tests_keep_their_places():
    suite = suite_dir()
    other = Path(__file__)
    items = [_item(other, "mine_1"), _item(suite / "test_probes.py", "probe_a"),
             _item(suite / "test_probes.py", "probe_b"), _item(suite / "test_scenarios.py", "scenario"),
             _item(other, "mine_2"), _item(suite / "test_club_scenarios.py", "club_scenario"),
             _item(suite / "test_stateful.py", "machine")]
    suite_first(items)
    assert [i.name for i in items] == ["mine_1", "machine", "scenario", "club_scenario", "mine_2", "probe_a",
                                       "probe_b"]
