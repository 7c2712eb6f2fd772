"""What a conformance run found, beyond pass/fail of its tests: per-requirement evidence.

The machine writes here; the report (campaigns_contract.report) reads it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Evidence:
    requirement_ids: tuple[str, ...]
    message: str
    reproduction: str | None = None  # path of a runnable script


@dataclass
class RunRecord:
    exercised: Counter = field(default_factory=Counter)  # requirement id -> checks made
    violations: list[Evidence] = field(default_factory=list)
    advisories: list[Evidence] = field(default_factory=list)
    coverage: Counter = field(default_factory=Counter)  # (operationId, status, code) -> times seen
    examples: int = 0  # stateful runs (Hypothesis examples) completed
    not_removed: list[str] = field(default_factory=list)  # what the run created and could not delete

    def exercise(self, ids) -> None:
        self.exercised.update(ids)
