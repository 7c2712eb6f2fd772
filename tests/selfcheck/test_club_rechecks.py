"""The conditions the Club rules give their reproductions (recheck.py) test what the checks test.

A short run against the correct Club mock; every comparison the rules make (checks.py) is made again on
mutated copies of the answer it compared (a key dropped, a count off by one, a timestamp moved, a status
changed, ...). Each finding a mutation produces must have a condition that is FALSE on the mutated answers
and TRUE on the real ones, evaluated with the reproduction script's own helpers (exchanges._SCRIPT). And
every `check` the rules make must have a condition that agrees with its verdict on the real answers.
"""
from __future__ import annotations

import copy
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from mock_server import MockClock, create_app
from state_machine.apis.club_campaigns import checks
from state_machine.conformance.engine import Engine
from state_machine.conformance.exchanges import Transcript

from . import runner

DATA_ARGUMENT = {"compare_campaign": 3, "compare_stats": 1, "compare_counts": 3, "compare_action": 1,
                 "compare_interactions": 1, "compare_list_item": 3}
OTHER = {"ACTIVE": "PAUSED", "PAUSED": "ACTIVE", "DRAFT": "SCHEDULED", "SCHEDULED": "ACTIVE", "COMPLETED": "ACTIVE",
         "CANCELLED": "DRAFT", "EMAIL": "SMS", "SMS": "EMAIL", "CLICKED": "OPENED"}


class Answer:
    """What the script's helpers read of a replayed answer."""

    def __init__(self, payload: Any, status: int) -> None:
        self.payload, self.status_code, self.headers = payload, status, {}

    def json(self) -> Any:
        if self.payload is None:
            raise ValueError("no JSON")
        return copy.deepcopy(self.payload)


def script_namespace() -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "recheck"}
    exec(Transcript().script("http://127.0.0.1/club/v1", {}), namespace)  # noqa: S102 - our own template
    namespace["ids"] = {}
    return namespace


def evaluate(namespace: dict[str, Any], holds: str, answers: dict[int, Answer]) -> Any:
    namespace["answers"] = answers
    try:
        return bool(eval(holds, namespace))  # noqa: S307 - recheck source, as the script evaluates it
    except Exception as exc:  # noqa: BLE001 - the script counts a raising condition as failed
        return f"raised {exc!r}"


def _moved(value: str, how: str) -> str:
    delta = {"+2ms": timedelta(milliseconds=2), "+1h": timedelta(hours=1), "-30m": timedelta(minutes=-30)}[how]
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) + delta
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def mutations(data: Any):
    """(label, mutated copy) pairs: one change each."""
    yield "the whole answer null", None
    yield "the whole answer a list", [data]

    def places(node: Any, path: tuple):
        if isinstance(node, dict):
            for key in list(node):
                yield path + (key,), "drop"
                yield from places(node[key], path + (key,))
        elif isinstance(node, list):
            if node:
                yield path, "droplast"
                yield path, "reverse"
                yield path, "dup"
            for i, item in enumerate(node[:3]):
                yield from places(item, path + (i,))
        if not path:
            return
        yield path, "null"
        if node is None:
            yield path, "from null"
        elif isinstance(node, bool):
            return
        elif isinstance(node, int):
            yield from ((path, how) for how in ("+1", "-1", "+0.5", "str"))
        elif isinstance(node, float):
            yield path, "+0.001"
        elif isinstance(node, str):
            yield path, "x"
            yield path, "other"
            if re.match(r"\d{4}-\d\d-\d\dT", node):
                yield from ((path, how) for how in ("+2ms", "+1h", "-30m"))

    for path, how in places(data, ()):
        new = copy.deepcopy(data)
        parent = new
        for part in path[:-1]:
            parent = parent[part]
        key, value = path[-1], parent[path[-1]]
        changed = {"drop": None, "droplast": lambda: value[:-1], "reverse": lambda: value[::-1],
                   "dup": lambda: value + value[-1:], "null": lambda: None,
                   "from null": lambda: "2025-01-01T00:00:00Z" if str(key).endswith("At") else "x",
                   "+1": lambda: value + 1, "-1": lambda: value - 1, "+0.5": lambda: value + 0.5,
                   "str": lambda: str(value), "+0.001": lambda: value + 0.001, "x": lambda: value + "x",
                   "other": lambda: OTHER.get(value, value + "y")}.get(how, lambda: _moved(value, how))
        if changed is None:
            del parent[key]
        else:
            parent[key] = changed()
        yield f"{'/'.join(map(str, path))} {how}", new


@pytest.mark.slow
def test_each_finding_condition_is_false_on_the_fault_and_true_on_the_correct_answer(monkeypatch, tmp_path):
    namespace = script_namespace()
    made: list[tuple[str, Any, tuple, dict]] = []
    depth = [0]

    def remembered(name: str, original: Any) -> Any:
        def compare(*args, **kwargs):  # the outermost comparison is the one the rules report
            depth[0] += 1
            try:
                if depth[0] == 1:
                    made.append((name, original, args, kwargs))
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1
        return compare

    for name in DATA_ARGUMENT:
        monkeypatch.setattr(checks, name, remembered(name, getattr(checks, name)))
    tried: Counter[str] = Counter()
    wrong: list[str] = []
    report = Engine.report_findings

    def mutated_report(self, findings, locate, *, earlier=None, also=(), fallback=(), success=None):
        if made:
            name, original, args, kwargs = made.pop()
            made.clear()
            where = locate(())
            step = int(re.search(r"at\((\d+),", where).group(1))
            real = {n: Answer(x.response, x.status) for n, x in enumerate(self.transcript.exchanges)}
            data = args[DATA_ARGUMENT[name]]
            for label, mutated in mutations(data):
                changed = list(args)
                changed[DATA_ARGUMENT[name]] = mutated
                try:
                    found = original(*changed, **kwargs)
                except (AttributeError, TypeError):
                    continue  # a shape the rules never hand this comparison (the schema check comes first)
                if "find(" in where:  # a list row, found by its id
                    if not isinstance(mutated, dict) or mutated.get("id") != data.get("id"):
                        continue  # no row of that id: the "is missing" check, not this one
                    whole = copy.deepcopy(self.transcript.exchanges[step].response)
                    whole["data"] = [mutated if isinstance(r, dict) and r.get("id") == data["id"] else r
                                     for r in whole["data"]]
                else:
                    whole = mutated
                for finding in found:
                    holds = self.condition_of(finding, locate, earlier=earlier, success=success)
                    tried[name] += 1
                    faulty = evaluate(namespace, holds, {**real, step: Answer(whole, 200)}) if holds else None
                    correct = evaluate(namespace, holds, real) if holds else None
                    if faulty is not False or correct is not True:
                        wrong.append(f"{name} ({label}): {finding.message[:160]}\n  on the mutated answer "
                                     f"{faulty}, on the real one {correct}: {str(holds)[:300]}")
        return report(self, findings, locate, earlier=earlier, also=also, fallback=fallback, success=success)

    monkeypatch.setattr(Engine, "report_findings", mutated_report)
    app = create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True), api="club-campaigns")
    run = runner.run_suite(app, tmp_path, examples=4, steps=25)
    assert run.failure is None, str(run.failure)[:2000]
    assert not wrong, f"{len(wrong)} conditions disagree with their findings:\n" + "\n".join(wrong[:10])
    assert set(tried) >= {"compare_campaign", "compare_stats", "compare_counts", "compare_interactions",
                          "compare_action"}, tried


@pytest.mark.slow
def test_each_check_condition_agrees_with_its_verdict(monkeypatch, tmp_path):
    namespace = script_namespace()
    seen: Counter[tuple[str, bool]] = Counter()
    wrong: list[str] = []
    check = Engine.check

    def agreeing_check(self, reqs, ok, message, **kwargs):
        if kwargs.get("holds"):
            real = {n: Answer(x.response, x.status) for n, x in enumerate(self.transcript.exchanges)}
            held = evaluate(namespace, kwargs["holds"], real)
            seen[(reqs[0], bool(ok))] += 1
            if held is not bool(ok):
                wrong.append(f"{reqs} {message[:160]}: checked {ok}, condition {held}: {kwargs['holds'][:300]}")
        return check(self, reqs, ok, message, **kwargs)

    monkeypatch.setattr(Engine, "check", agreeing_check)
    app = create_app(clock=MockClock(datetime.now(timezone.utc), frozen=True), api="club-campaigns")
    run = runner.run_suite(app, tmp_path, examples=6, steps=25)
    assert run.failure is None, str(run.failure)[:2000]
    assert not wrong, "\n".join(wrong[:10])
    assert {req for req, _ in seen} >= {"CLUB-LIST-001", "CLUB-DELIV-001"}, seen
