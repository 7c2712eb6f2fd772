"""A pytest plugin that keeps, for the report, each test's outcome and the requirements it checks."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from state_machine.conformance.record import RunRecord

RECORD_KEY = pytest.StashKey[RunRecord]()  # where the contract suite finds the record to write to


@dataclass
class TestOutcome:
    nodeid: str
    outcome: str  # passed | failed | skipped
    requirement_ids: tuple[str, ...]
    detail: str = ""


@dataclass
class Collector:
    record: RunRecord = field(default_factory=RunRecord)
    outcomes: dict[str, TestOutcome] = field(default_factory=dict)
    collected: int = 0

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[RECORD_KEY] = self.record

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected = len(session.items)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call):
        report = yield
        ids = tuple(rid for mark in item.iter_markers("req") for rid in mark.args)
        previous = self.outcomes.get(item.nodeid)
        if report.when == "call" or report.outcome != "passed":
            if previous is None or previous.outcome == "passed":
                detail = ""
                if report.outcome == "skipped" and isinstance(report.longrepr, tuple):
                    detail = str(report.longrepr[2])
                elif report.outcome == "failed":
                    detail = report.longreprtext[-3000:]
                self.outcomes[item.nodeid] = TestOutcome(item.nodeid, report.outcome, ids, detail)
        return report
