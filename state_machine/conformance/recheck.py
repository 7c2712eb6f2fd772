"""What a reproduction re-checks: the failing check as a Python expression over the replayed answers.

A check that fails hands the transcript (exchanges.py) the condition it tested, written with the helpers
below, so that the reproduction script evaluates the same condition on the answers it gets:

    re = Recheck(transcript.names)
    holds = f"{re.at(7, '/pagination/total')} == len({re.at(7, '/data')})"

In the script, `at(step, pointer)` is the value at a JSON pointer of that step's answer (ABSENT, a false
value that is not None, when there is none), `status(step)` its status, `header(step, name)` a header,
`body(step)` the whole JSON answer.
`Recheck.value` writes a literal: every resource id the run knew is replaced by the replay's own
(`ids['r2']`) and every timestamp and date is moved to the target's clock (`moved(...)`), so an
expectation computed by the model still holds on a correct server replayed later or elsewhere.

Conditions are written with this builder only (the checks' Test and Relation, the rules' f-strings over
`at`/`status`/...): every value goes through `repr` or `value` (an id placeholder), so nothing an answer
contains is ever pasted into the script as code. `condition` writes a Finding's tests and relations where a
`Locate` (from `Recheck.locator`) says the compared data is.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Locate = Callable[[tuple[Any, ...]], str]  # a key path of compared data -> where a reproduction reads it


def pointer_of(path: Iterable[str | int]) -> str:
    """A JSON pointer (RFC 6901) from a key path, e.g. ("data", 0, "id") -> "/data/0/id"."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def find_path(node: Any, target: Any) -> tuple[str | int, ...] | None:
    """The key path of `target` inside `node` (by identity first, then by equality; breadth first: the
    shallowest), or None."""
    for same in (lambda a, b: a is b, lambda a, b: a == b):
        queue: list[tuple[tuple[str | int, ...], Any]] = [((), node)]
        while queue:
            where, item = queue.pop(0)
            if same(item, target):
                return where
            if isinstance(item, dict):
                queue += [((*where, k), v) for k, v in item.items()]
            elif isinstance(item, list):
                queue += [((*where, i), v) for i, v in enumerate(item)]
    return None


def find_pointer(node: Any, target: Any) -> str | None:
    """The JSON pointer of `target` inside `node` (see find_path), or None."""
    path = find_path(node, target)
    return pointer_of(path) if path is not None else None


class Recheck:
    """Expression source for one transcript (its resource placeholders)."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names  # resource id -> placeholder, the transcript's (it grows as the run goes)

    @staticmethod
    def at(step: int, pointer: str) -> str:
        return f"at({int(step)}, {str(pointer)!r})"

    @staticmethod
    def status(step: int) -> str:
        return f"status({int(step)})"

    @staticmethod
    def header(step: int, name: str) -> str:
        return f"header({int(step)}, {str(name)!r})"

    @staticmethod
    def body(step: int) -> str:
        return f"body({int(step)})"

    def value(self, value: Any) -> str:
        """A JSON value as source: resource ids as the replay's, times moved to the target's clock."""
        return f"moved({self._literal(value)})"

    def _literal(self, value: Any) -> str:
        if isinstance(value, str):
            name = self.names.get(value)
            return f"ids.get({name!r}, {value!r})" if name else repr(value)
        if isinstance(value, dict):
            return "{" + ", ".join(f"{self._literal(str(k))}: {self._literal(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(self._literal(v) for v in value) + "]"
        if value is None or isinstance(value, (bool, int, float)):
            return repr(value)
        return repr(str(value))

    def reach(self, step: int, base: str, path: tuple[Any, ...]) -> str:
        """The value at key path `path` below pointer `base` of `step`'s answer. A path element that is a
        one-item dict {key: value} selects the item of a list whose `key` is `value` (ids as the replay's),
        so a row is found by its id whatever its position on the replayed page."""
        plain = 0
        while plain < len(path) and not isinstance(path[plain], dict):
            plain += 1
        source = self.at(step, base + pointer_of(path[:plain]))
        for element in path[plain:]:
            if isinstance(element, dict):
                (key, value), = element.items()
                source = f"find({source}, {str(key)!r}, {self.value(value)})"
            else:
                source = f"get({source}, {element!r})"
        return source

    def locator(self, step: int, base: str, within: tuple[Any, ...] = ()) -> Locate:
        """Where a reproduction reads key paths of the data at pointer `base` of `step`'s answer (`within`:
        a path prefix, e.g. ({"id": cid},) for one row of a list found by its id)."""
        return lambda path: self.reach(step, base, (*within, *path))

    @staticmethod
    def all(*conditions: str) -> str:
        return " and ".join(f"({c})" for c in conditions) if conditions else "True"

    @staticmethod
    def any(*conditions: str) -> str:
        return " or ".join(f"({c})" for c in conditions) if conditions else "False"


# --- findings: what a comparison found, with the test a reproduction re-runs -------------------------

@dataclass(frozen=True)
class Same:
    """A test's value: the value at `path` of the same compared data (a relation inside one answer)."""

    path: tuple[str | int, ...]


@dataclass(frozen=True)
class Earlier:
    """A test's value: the value at `path` of an earlier observation of the same thing (the rule that
    compares knows which step that was)."""

    path: tuple[str | int, ...]


OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "in", "not in", "has", "lacks")  # has: a list holds the value
VIEWS = ("bindings", "instant", "count", "keys", "sorted")  # how the script reads a value first (`view`)


@dataclass(frozen=True)
class Test:
    """One condition a comparison tested on the data it compared: view(value at `path`) `op` view(`value`).
    `view` (VIEWS) reads both sides as the comparison did: "bindings" sorted [id, type] pairs, "instant"
    a timestamp as an instant, "count" the length of a list, "keys" the sorted keys, "sorted" a list
    sorted, "pluck:<key>" each item's <key>. A path element {key: value} is the list item whose key is
    value."""

    __test__ = False  # not a pytest test class, whatever its name

    path: tuple[Any, ...]
    op: str
    value: Any = None
    view: str | None = None

    def __post_init__(self) -> None:
        if self.op not in OPERATORS or (self.view is not None and self.view not in VIEWS
                                        and not self.view.startswith("pluck:")):
            raise ValueError(f"not a re-checkable test: {self.op!r} {self.view!r}")


@dataclass(frozen=True)
class Relation:
    """A condition a comparison tested that a Test cannot write (arithmetic, a type, every item of a list):
    `source` is Python in which `{name}` stands for the value at a key path of the compared data (`paths`)
    or for a literal the model computed (`values`); `condition` writes both with the Recheck builder, so no
    value of an answer is ever pasted into the source. A missing key reads as ABSENT."""

    source: str
    paths: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Finding:
    """What a comparison found wrong: the requirement ids, the message, and the tests and relations that
    failed (all of them hold on a correct answer). Unpacks as (reqs, message)."""

    reqs: tuple[str, ...]
    message: str
    tests: tuple[Test, ...] = ()
    relations: tuple[Relation, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter((self.reqs, self.message))


def condition(recheck: Recheck, finding: Finding, locate: Locate, earlier: Locate | None = None) -> str | None:
    """The source of a finding's tests and relations on the compared data (`locate`: where the reproduction
    reads its key paths; `earlier`: the earlier observation `Earlier` values read); None when there is
    nothing to test or an `Earlier` value has no observation to read."""
    parts = []
    for test in finding.tests:
        left = locate(test.path)
        if isinstance(test.value, Same):
            right = locate(test.value.path)
        elif isinstance(test.value, Earlier):
            if earlier is None:
                return None
            right = earlier(test.value.path)
        else:
            right = recheck.value(test.value)
            if test.op in ("in", "not in") and isinstance(test.value, list) and None in test.value:
                right = f"({right} + [ABSENT])"  # a missing key reads as None, as `.get` reads it
        if test.view:  # both sides read alike (a literal in the view's form reads as itself)
            left, right = f"{_view(test.view, left)}", f"{_view(test.view, right)}"
        if test.op in ("has", "lacks"):
            parts.append(f"{right} {'in' if test.op == 'has' else 'not in'} ({left} or [])")
        elif test.op in ("==", "!=") and test.value is None:
            # read as the comparison did (`.get`): a missing key counts as None
            parts.append(f"{left} {'in' if test.op == '==' else 'not in'} (None, ABSENT)")
        else:
            parts.append(f"{left} {test.op} {right}")
    for relation in finding.relations:
        names = {name: locate(path) for name, path in relation.paths}
        names.update({name: recheck.value(value) for name, value in relation.values})
        parts.append(relation.source.format(**names))
    return recheck.all(*parts) if parts else None


def _view(view: str, source: str) -> str:
    if view.startswith("pluck:"):
        return f"pluck({source}, {view[len('pluck:'):]!r})"
    return f"{'sorted_' if view == 'sorted' else view}({source})"
