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
    # requirement id -> checks made that could see a violation of its guarantee (a value or sequence check,
    # not only the form of an answer); a requirement exercised but never strongly is "weakly exercised"
    strongly: Counter = field(default_factory=Counter)
    violations: list[Evidence] = field(default_factory=list)
    advisories: list[Evidence] = field(default_factory=list)
    coverage: Counter = field(default_factory=Counter)  # (operationId, status, code) -> times seen
    examples: int = 0  # stateful runs (Hypothesis examples) completed
    steps: int = 0  # calls the stateful machine sent (Engine.send)
    stateful_seconds: float = 0.0  # time spent inside stateful runs (from a machine's start to its teardown)
    not_removed: list[str] = field(default_factory=list)  # what the run created and could not delete
    # what the run created where the API has no operation that removes it, counted by who created it
    kept: Counter = field(default_factory=Counter)

    def left_behind(self, resource: str = "resources") -> list[str]:
        """The report's list of what the run could not remove: each resource it failed to delete, then one
        line per creator of what the API offers no way to remove."""
        return [*self.not_removed, *(f"{n} {resource} created by {who}: the API has no operation that removes "
                                     "them" for who, n in self.kept.items() if n)]

    @property
    def steps_per_second(self) -> float | None:
        return self.steps / self.stateful_seconds if self.stateful_seconds > 0 else None

    def exercise(self, ids, *, weak=()) -> None:
        """Count a check of each of `ids`; those in `weak` were checked only for the form of an answer."""
        ids = tuple(ids)
        self.exercised.update(ids)
        self.strongly.update(i for i in ids if i not in weak)

    def weakly_exercised(self, requirement_id: str) -> bool:
        """Checked in this run, but only by checks that cannot see a violation of its guarantee."""
        return bool(self.exercised.get(requirement_id)) and not self.strongly.get(requirement_id)
