"""The one verdict on a departure: a failure when a documented requirement is broken (or the run is
strict), an advisory otherwise (the documents leave the behaviour open, so the report says so and the run
goes on). The stateful engine and the scenario tests both judge here.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable

from .record import Evidence, RunRecord
from .requirements import Catalogue


class ConformanceError(Exception):
    """The root of the suite's own errors."""


class ContractViolation(ConformanceError, AssertionError):
    """A departure from a documented requirement (or from an inferred one in a strict run). An
    AssertionError too, so pytest and Hypothesis report it as a failed check."""


class ContractAdvisory(UserWarning):
    """A departure from an inferred requirement in a lenient run (behaviour the documents leave open)."""


def fails(ids: Iterable[str], *, strict: bool, catalogue: Catalogue) -> bool:
    """True when a departure on `ids` fails the run: strict, or any of them documented."""
    return strict or catalogue.documented(ids)


def judge(ids: Iterable[str], message: str, *, strict: bool, catalogue: Catalogue, record: RunRecord,
          reproduce: Callable[[bool], tuple[str | None, str]] | None = None) -> None:
    """Report a departure on `ids`: raise ContractViolation when it fails the run, else record an advisory
    and warn. `reproduce(failing)` gives (path of a written reproduction or None, steps to show)."""
    ids = tuple(ids)
    label = f"[{', '.join(ids)}]"
    script, steps = reproduce(fails(ids, strict=strict, catalogue=catalogue)) if reproduce else (None, "")
    if fails(ids, strict=strict, catalogue=catalogue):
        record.violations.append(Evidence(ids, message, script))
        where = f"\n\nReproduction ({script} replays it):\n{steps}" if script else ""
        raise ContractViolation(f"{label} {message}{where}")
    record.advisories.append(Evidence(ids, message, steps or None))
    warnings.warn(ContractAdvisory(f"{label} (inferred) {message}"), stacklevel=3)
