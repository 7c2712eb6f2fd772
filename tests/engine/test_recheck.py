"""The conditions a reproduction re-checks (state_machine/conformance/recheck.py), evaluated by the very
script a failing run writes (exchanges.py): true on a correct answer, false on the faulty one, whatever
the replay's ids, row order or timestamp precision."""
from __future__ import annotations

from typing import Any

import httpx
import pytest

from contract_spec import load_spec, response_schema
from state_machine import registry
from state_machine.conformance.exchanges import Transcript
from state_machine.conformance.recheck import Earlier, Finding, Recheck, Same, Test, condition, find_pointer

RUN_ID, REPLAY_ID = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"


def script_namespace(transcript: Transcript, answers: dict[int, Any]) -> dict[str, Any]:
    """The reproduction's module namespace (not run as __main__), with replayed answers and ids."""
    namespace: dict[str, Any] = {"__name__": "reproduction"}
    exec(compile(transcript.script("http://127.0.0.1:1/v1", {}), "repro.py", "exec"), namespace)  # noqa: S102
    namespace["answers"].update({step: httpx.Response(200, json=body) for step, body in answers.items()})
    namespace["ids"]["r1"] = REPLAY_ID
    return namespace


def holds(tests: list[Test], answers: dict[int, Any], *, base: str = "/data",
          earlier: tuple[int, str] | None = None) -> bool:
    transcript = Transcript()
    transcript.placeholder(RUN_ID)  # the run's id, "r1": the replay knows it as REPLAY_ID
    recheck = Recheck(transcript.names)
    source = condition(recheck, Finding((), "", tuple(tests)), recheck.locator(max(answers), base),
                       recheck.locator(*earlier) if earlier else None)
    assert source is not None
    return bool(eval(source, script_namespace(transcript, answers)))  # noqa: S307 - the script's own expression


def test_ids_in_expected_values_are_the_replays_own():
    test = [Test(("campaignId",), "==", RUN_ID)]
    assert holds(test, {0: {"data": {"campaignId": REPLAY_ID}}})
    assert not holds(test, {0: {"data": {"campaignId": RUN_ID}}})


def test_a_row_is_found_by_its_id_wherever_the_replay_lists_it():
    test = [Test(({"campaignId": RUN_ID}, "name"), "==", "renamed")]
    rows = [{"campaignId": "other", "name": "x"}, {"campaignId": REPLAY_ID, "name": "renamed"}]
    assert holds(test, {0: {"data": rows}})
    assert holds(test, {0: {"data": rows[::-1]}})
    assert not holds(test, {0: {"data": [{"campaignId": REPLAY_ID, "name": "old"}]}})
    assert not holds(test, {0: {"data": []}})  # no such row: the check fails, it does not crash


def test_membership_of_a_list():
    listed = [Test((), "has", RUN_ID, view="pluck:campaignId")]
    gone = [Test((), "lacks", RUN_ID, view="pluck:campaignId")]
    page = {0: {"data": [{"campaignId": REPLAY_ID}]}}
    assert holds(listed, page) and not holds(gone, page)
    assert holds(gone, {0: {"data": []}}) and not holds(listed, {0: {"data": []}})


def test_relations_inside_one_answer_and_across_reads():
    pipeline = [Test(("sent",), "<=", Same(("scheduled",)))]
    assert holds(pipeline, {0: {"data": {"scheduled": 5, "sent": 5}}})
    assert not holds(pipeline, {0: {"data": {"scheduled": 5, "sent": 6}}})
    never_down = [Test(("sent",), ">=", Earlier(("sent",)))]
    assert holds(never_down, {0: {"data": {"sent": 3}}, 1: {"data": {"sent": 4}}}, earlier=(0, "/data"))
    assert not holds(never_down, {0: {"data": {"sent": 3}}, 1: {"data": {"sent": 2}}}, earlier=(0, "/data"))


def test_views_read_as_the_check_did():
    instant = [Test(("sendAt",), "==", "2026-05-01T10:00:00Z", view="instant")]
    assert holds(instant, {0: {"data": {"sendAt": "2026-05-01T12:00:00.000+02:00"}}})
    assert not holds(instant, {0: {"data": {"sendAt": "2026-05-01T10:00:01Z"}}})
    bindings = [Test(("included",), "==", [["a", "segment"], ["b", "audience"]], view="bindings")]
    assert holds(bindings, {0: {"data": {"included": [{"id": "b", "type": "audience"}, {"id": "a", "type": "segment"}]}}})
    assert not holds(bindings, {0: {"data": {"included": [{"id": "a", "type": "segment"}]}}})


def test_a_missing_value_fails_the_test_instead_of_crashing_the_script():
    with pytest.raises(TypeError):  # None >= 0: the script reports "still false (TypeError ...)"
        holds([Test(("counts", "sent"), ">=", 0)], {0: {"data": {}}})
    assert not holds([Test(("reach", "status"), "in", ["ok"])], {0: {"data": {}}})


def test_values_from_answers_are_quoted_never_pasted_as_code():
    hostile = "x') or True or ('"
    test = [Test(("name",), "==", hostile)]
    assert holds(test, {0: {"data": {"name": hostile}}})
    assert not holds(test, {0: {"data": {"name": "x"}}})


def test_find_pointer_prefers_the_very_object_then_an_equal_one():
    body = {"data": {"a": [1, 2]}, "other": {"a": [1, 2]}}
    assert find_pointer(body, body["other"]) == "/other"
    assert find_pointer(body, {"a": [1, 2]}) == "/data"
    assert find_pointer(body, "absent") is None


@pytest.mark.parametrize("api", ["experiture-v1", "club-campaigns"])
def test_the_schema_a_reproduction_carries_validates_alone(api):
    """Spec.schema_bundle: the answer's schema with every node its $refs reach, checked by jsonschema in
    the script, without the spec."""
    plugin = registry.get(api)
    spec = load_spec(plugin.spec_path)
    op = next(o for o in spec.operations.values() if o.method == "GET" and "{" in o.path)
    pointer = response_schema(spec, op, 200, "application/json")
    assert pointer is not None
    transcript = Transcript()
    transcript.fail_at("shape", schema=spec.schema_bundle(pointer))
    namespace = script_namespace(transcript, {})
    assert namespace["schema_problems"]("not an object")  # what the spec refuses, the script refuses
    assert namespace["schema_problems"]([]) and namespace["SCHEMA"]["$ref"] == "#" + pointer
