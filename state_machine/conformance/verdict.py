"""The one verdict on a departure: a failure when a documented requirement is broken (or the run is
strict), an advisory otherwise (the documents leave the behaviour open, so the report says so and the run
goes on). The stateful engine and the scenario tests both judge here.
"""
from __future__ import annotations

import re
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


# A failure message names the requirements it breaks first: "[CAMP-LIFE-013, CAMP-VAL-003] ...".
_IDS = re.compile(r"\[([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?:,\s*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)*)\]")
BLOCKED_PREFIX = "blocked by "


def ids_in(text: str) -> tuple[str, ...]:
    """The requirement ids a failure message names in its first bracket, or ()."""
    match = _IDS.search(text or "")
    return tuple(i.strip() for i in match.group(1).split(",")) if match else ()


def ids_of(exc: BaseException | None) -> tuple[str, ...]:
    """The requirement ids an exception (or the failures of an exception group) names."""
    if exc is None:
        return ()
    if isinstance(exc, BaseExceptionGroup):
        return tuple(dict.fromkeys(i for e in exc.exceptions for i in ids_of(e)))
    return ids_in(str(exc).lstrip().split("\n", 1)[0]) or ids_in(str(exc)[:400])


def blocked_reason(ids: Iterable[str], message: str) -> str:
    """The skip reason of a check that could not go on because an earlier step departed (on `ids`)."""
    return f"{BLOCKED_PREFIX}{', '.join(ids)}: {message}"


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
