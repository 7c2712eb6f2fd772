"""The toy API (tests/engine/toy_api) through the engine: the mock serves it with no engine change."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from mock_server import MockClock, create_app
from state_machine import registry
from state_machine.conformance.target import Target, asgi_target

from .toy_api import plugin as toy

NOW = "2026-04-25T10:00:00Z"


@pytest.fixture
def toy_api() -> Iterator[Target]:
    from datetime import datetime, timezone

    registry.register(toy)
    app = create_app(api="toy-notes", clock=MockClock(datetime(2026, 4, 25, 10, tzinfo=timezone.utc), frozen=True))
    with asgi_target(app) as target:
        yield target


def test_the_registry_finds_a_registered_api():
    registry.register(toy)
    assert registry.get("toy-notes") is toy and "toy-notes" in registry.names()
    with pytest.raises(registry.UnknownApi, match="petstore"):
        registry.get("petstore-v9")


def test_the_profile_names_the_api_and_its_tokens(toy_api):
    profile = toy_api.profile
    assert profile.api == "toy-notes" and profile.base_url.endswith("/toy/v1")
    assert profile.token("full") == "toy-token"


def test_an_operation_without_security_needs_no_token(toy_api):
    response = toy_api.request("GET", "/health")
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_a_secured_operation_refuses_a_missing_or_unknown_token_in_the_api_envelope(toy_api):
    missing = toy_api.request("POST", "/notes", json_body={"text": "hi"})
    assert missing.status_code == 401 and missing.json()["error"] == "UNAUTHENTICATED"
    assert missing.headers["www-authenticate"] == 'Bearer realm="toy"'
    unknown = toy_api.request("GET", "/notes/0badc0de-0000-4000-8000-00000000dead", token="nope")
    assert unknown.status_code == 401 and unknown.json()["error"] == "BAD_TOKEN"


def test_create_read_and_tenancy(toy_api):
    created = toy_api.request("POST", "/notes", token="toy-token", json_body={"text": "hi"})
    assert created.status_code == 201
    note = created.json()
    assert created.headers["location"] == f"/toy/v1/notes/{note['id']}"
    assert toy_api.request("GET", f"/notes/{note['id']}", token="toy-token").json() == note
    other = toy_api.request("GET", f"/notes/{note['id']}", token="toy-token-other")
    assert other.status_code == 404 and other.json()["error"] == "NOTE_NOT_FOUND"


def test_validation_route_and_method_errors_use_the_api_codes(toy_api):
    invalid = toy_api.request("POST", "/notes", token="toy-token", json_body={"text": ""})
    assert invalid.status_code == 400 and invalid.json()["error"] == "BAD_REQUEST"
    bad_id = toy_api.request("GET", "/notes/not-a-uuid", token="toy-token")
    assert bad_id.status_code == 400 and bad_id.json()["error"] == "BAD_REQUEST"
    wrong = toy_api.request("DELETE", "/notes", token="toy-token")
    assert wrong.status_code == 405 and wrong.json()["error"] == "NOT_ALLOWED" and wrong.headers["allow"] == "POST"
    nowhere = toy_api.request("GET", "/nothing", token="toy-token")
    assert nowhere.status_code == 404 and nowhere.json()["error"] == "NO_ROUTE"


def test_idempotency_follows_the_spec_and_the_plugin(toy_api):
    headers = {"Idempotency-Key": "key-0001"}
    first = toy_api.request("POST", "/notes", token="toy-token", json_body={"text": "a"}, headers=headers)
    again = toy_api.request("POST", "/notes", token="toy-token", json_body={"text": "a"}, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = toy_api.request("POST", "/notes", token="toy-token", json_body={"text": "b"}, headers=headers)
    assert other.status_code == 422 and other.json()["error"] == "KEY_REUSED"
    short = toy_api.request("POST", "/notes", token="toy-token", json_body={"text": "a"},
                            headers={"Idempotency-Key": "k"})
    assert short.status_code == 400 and short.json()["error"] == "KEY_BAD"


def test_state_export_and_import_round_trip(toy_api):
    toy_api.request("POST", "/notes", token="toy-token", json_body={"text": "kept"})
    exported = toy_api.admin("GET", "/state").json()
    assert [n["text"] for n in exported["world"]["notes"]] == ["kept"]
    toy_api.admin("POST", "/reset")
    assert toy_api.admin("GET", "/state").json()["world"] == {"notes": []}
    assert toy_api.request("PUT", toy_api.profile.admin_url + "/state", json_body=exported).status_code == 200
    assert toy_api.admin("GET", "/state").json()["world"] == exported["world"]


def test_the_machine_and_the_report_run_the_toy_api(tmp_path, capsys):
    """`campaigns-contract verify --api toy-notes`: the stateful machine (the toy's two rules plus the generic
    access and idempotency families the spec switches on) and the report, with no engine change."""
    from campaigns_contract import cli

    registry.register(toy)
    status = cli.main(["verify", "--api", "toy-notes", "--examples", "10", "--report", str(tmp_path / "toy")])
    out = capsys.readouterr().out
    assert status == 0, out[-3000:]
    assert "CONFORMS" in out.splitlines()[-1]
    rows = {r["id"]: r["result"] for r in __import__("json").loads((tmp_path / "toy.json").read_text())["rows"]}
    assert rows["TOY-NOTE-001"] == "pass" and rows["TOY-NOTE-002"] == "pass", rows


def test_the_machine_catches_a_toy_fault(tmp_path):
    """A toy server that never stores its notes is caught, so the toy's verdict above is not vacuous."""
    import dataclasses

    from hypothesis import HealthCheck, Phase, settings

    from state_machine.conformance.machine import build_machine

    forgetful = registry.register(dataclasses.replace(toy, name="toy-notes-forgetful",
                                                      world_apply=lambda world, changes: None))
    with asgi_target(create_app(api=forgetful.name)) as target:
        machine = build_machine(target, plugin=toy, strict=True, report_dir=tmp_path)
        test = machine.TestCase
        test.settings = settings(max_examples=20, stateful_step_count=10, deadline=None, phases=[Phase.generate],
                                 database=None, derandomize=True, suppress_health_check=list(HealthCheck))
        with pytest.raises(BaseException) as failed:
            test("runTest").runTest()
    message = str(failed.value)
    assert "expected 200, got 404 NOTE_NOT_FOUND" in message and "[TOY-NOTE-" in message, message[:3000]
