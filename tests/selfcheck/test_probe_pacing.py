"""--rate-limit holds for the probes of both APIs: every request a probe sends waits for the run's pacer,
counted on both sides (the pacer's waits and the requests the live mock received). That includes the
follow-ups schemathesis's `ignored_auth` check sends on its own (the accepted request again without a
token and with a bogus one), which strip any session on purpose
(schemathesis/specs/openapi/_auth_retry.py, build_retry_transport_kwargs): the pacer sits in the
schema's own rate limit, which the transport consults before every send (probes_support.pace)."""
from __future__ import annotations

import hypothesis
import pytest

from mock_server import create_app
from state_machine.conformance.target import Pacer, profile_from_url
from tests.contract.probes_support import (
    club_probe_case,
    load_club_probe_schema,
    load_probe_schema,
    pace,
    probe_case,
    run_club_stateful_probe,
)
from tests.helpers.live_server import live_mock

pytestmark = pytest.mark.slow


class Counted:
    """An ASGI app that counts the HTTP requests it serves (not the admin surface), and apart those sent
    without the run's token (ignored_auth's follow-ups)."""

    def __init__(self, app) -> None:
        self.app, self.served, self.without_token, self.token = app, 0, 0, ""

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/__mock"):
            self.served += 1
            authorization = dict(scope["headers"]).get(b"authorization", b"").decode()
            if authorization != f"Bearer {self.token}":
                self.without_token += 1
        await self.app(scope, receive, send)


class Recording(Pacer):
    """A fast pacer that counts the times it was waited for."""

    def __init__(self) -> None:
        super().__init__(1000.0)
        self.waits = 0

    def wait(self) -> None:
        self.waits += 1
        super().wait()


def _cases(operation, check) -> None:
    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(max_examples=5, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck), phases=[hypothesis.Phase.generate])
    def per_case(case) -> None:
        try:
            check(case)
        except Exception:  # noqa: BLE001 - what a probe finds is not this test's question
            pass

    per_case()


def test_an_unlimited_pacer_leaves_the_schema_unlimited():
    schema = load_club_probe_schema(token="t", base_url="http://127.0.0.1:9/club/v1", pacer=Pacer(None))
    assert schema.config.rate_limit is None
    assert pace(schema, None) is schema and schema.config.rate_limit is None


def test_club_probes_pace_every_request_ignored_auth_follow_ups_included():
    app = Counted(create_app(api="club-campaigns"))
    pacer = Recording()
    with live_mock(app) as origin:
        profile = profile_from_url(origin + "/club/v1")
        app.token = profile.token("full")
        schema = load_club_probe_schema(token=app.token, base_url=profile.base_url, max_examples=3, pacer=pacer)
        _cases(schema["/campaigns"]["POST"], lambda case: club_probe_case(case, profile=profile, allow_sends=True))
        stateful = load_club_probe_schema(token=app.token, base_url=profile.base_url, pacer=pacer)
        try:
            run_club_stateful_probe(stateful, profile=profile, allow_sends=True, max_examples=2, steps=3)
        except Exception:  # noqa: BLE001
            pass
    assert app.without_token > 0, "ignored_auth sent no follow-up: this test would not see them"
    assert pacer.waits == app.served, (pacer.waits, app.served, app.without_token)


def test_campaign_probes_pace_every_request_ignored_auth_follow_ups_included():
    app = Counted(create_app())
    pacer = Recording()
    with live_mock(app) as origin:
        profile = profile_from_url(origin + "/public/v1")
        app.token = profile.token("full")
        schema = load_probe_schema(token=app.token, base_url=profile.base_url, max_examples=3, pacer=pacer)
        _cases(schema["/campaigns"]["GET"], lambda case: probe_case(case, allow_sends=False))
    assert app.without_token > 0, "ignored_auth sent no follow-up: this test would not see them"
    assert pacer.waits == app.served, (pacer.waits, app.served, app.without_token)
