"""Support for the scenario tests (test_scenarios.py): one run against any contract target.

Everything a scenario needs from the target comes from its profile: tokens by name (`full`, `reader`,
`other_tenant`, `scope_<scope with : as _>`), fixture templates/audiences/campaigns by role and channel,
and capabilities (`clock_control`, `allow_sends`). When a scenario needs something the profile does not
give, it is skipped with a reason naming what is missing; it never passes silently.

Safety on a real target: the run creates only campaigns named `cc-scn-<run id>-...`, deletes them at the
end (with the token that created them), commits jobs only when the profile allows sends (dry runs
otherwise), moves time only through the admin clock when the profile grants `clock_control`, and every
wait is bounded.

Checks go through `Scenario.soft`, which asks the engine's one verdict (state_machine.conformance.verdict):
with --contract-strict every departure fails; otherwise (the default, against every target) a departure
from inferred requirements only is recorded as an advisory for the report (the documents leave the
behaviour open) and the scenario goes on. A check later steps depend on (`require`) ends the scenario as
"blocked by <id>" instead, so one difference gives one row. Checks are open-world (standards.md, "Judging
another implementation"): extra fields and headers, message wording, key order and timestamp precision
never fail a check; a failure names the catalogue id(s) of the sentence it enforces, in brackets first.
"""
from __future__ import annotations

import functools
import math
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from state_machine.conformance.record import RunRecord
from state_machine.conformance.requirements import load_catalogue
from state_machine.conformance.target import Target
from state_machine.conformance.verdict import blocked_reason, judge
from state_machine.plugin import ApiPlugin

from . import cleanup

API = "experiture-v1"  # the plug-in these scenarios are written for (other APIs skip them)
P = "JOURNEY_API.PUBLIC.CAMPAIGNS."
S = "JOURNEY_API.SCHEDULE."
AUTH = "JOURNEY_API.AUTH."
INSUFFICIENT_SCOPE = AUTH + "INSUFFICIENT_SCOPE"
VALIDATION_FAILED = P + "VALIDATION_FAILED"

# 000, "OAuth Scopes" / "Endpoint Index": each operation and the one scope it needs.
OPERATION_SCOPES: dict[str, str] = {
    "createCampaign": "campaigns:create", "listCampaigns": "campaigns:read", "getCampaign": "campaigns:read",
    "updateCampaign": "campaigns:update", "deleteCampaign": "campaigns:delete",
    "archiveCampaign": "campaigns:delete", "cloneCampaign": "campaigns:create",
    "replaceCampaignAudience": "campaigns:update", "replaceCampaignContent": "campaigns:update",
    "setCampaignSchedule": "campaigns:update", "runCampaignPreflight": "campaigns:read",
    "createScheduleJob": "campaigns:schedule", "createSendJob": "campaigns:send",
    "getCampaignSummary": "campaigns:read", "getCampaignStatus": "campaigns:read",
    "getCampaignMetrics": "analytics:read",
}
# The entry a scenario's read of a campaign view stands on (by the path after /campaigns/{id}): the one
# saying that view answers 200 for an existing campaign.
READS: dict[str, tuple[str, ...]] = {"": ("CAMP-OBS-001",), "/summary": ("CAMP-OBS-002",),
                                     "/status": ("CAMP-OBS-007",), "/metrics": ("CAMP-OBS-010",)}
DIGITAL = ("email", "sms", "push")
# 000 "Error Namespace" + the codes 001/002 document outside it.
ERROR_NAMESPACES = (P, AUTH, S, "JOURNEY_API.BROADCASTS.SCHEDULE.")


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def body_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def data_of(response: httpx.Response) -> Any:
    body = body_of(response)
    return body.get("data") if isinstance(body, dict) else None


def error_code(response: httpx.Response) -> str | None:
    body = body_of(response)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("code")
    return None


def describe(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url} -> {response.status_code} {response.text[:600]}"


CREATE_SETTLE_SECONDS = 1.0  # how long cleanup waits for a create an interrupt left in flight

class Scenario:
    """One run of the scenarios against one target: calls, fixtures from the profile, time, cleanup."""

    def __init__(self, target: Target, *, strict: bool, record: RunRecord, plugin: ApiPlugin) -> None:
        if plugin.name != API:
            pytest.skip(f"the scenarios are written for {API}, not {plugin.name}")
        self.target = target
        self.catalogue = load_catalogue(plugin.catalogue_path)
        self.profile = target.profile
        self.strict = strict
        self.record = record
        self.prefix = f"cc-scn-{uuid.uuid4().hex[:8]}-"
        self.created: list[tuple[str, str]] = []  # (campaignId, token) to delete at the end
        self.creators: dict[str, None] = {}  # tokens (that may delete) of the tenants this run created in
        self.creating = False  # a create or clone is in flight (its answer not read yet)
        self.error_codes: dict[str, str] = {}  # error code -> one exchange that answered it
        self._offset: timedelta | None = None
        if not self.profile.token("full"):
            pytest.skip("the profile has no `full` token")
        self.full = self.profile.token("full")
        self.tenant = self.profile.tokens["full"].get("tenant")

    # --- capabilities -------------------------------------------------------------------------------

    @property
    def clock_control(self) -> bool:
        return self.profile.can("clock_control") and self.profile.admin_url is not None

    @property
    def allow_sends(self) -> bool:
        return self.profile.can("allow_sends")

    def need_sends(self) -> None:
        if not self.allow_sends:
            pytest.skip("the profile's capabilities lack allow_sends: only dry runs are made")

    def need_clock(self) -> None:
        if not self.clock_control:
            pytest.skip("the profile lacks clock_control (or an admin_url) to move the target's clock")

    # --- checks -------------------------------------------------------------------------------------

    def soft(self, ids: Iterable[str], ok: bool, message: str) -> bool:
        """A check of `ids`: a failure, unless all of them are inferred and the run is not strict,
        in which case the departure is recorded as an advisory and the scenario continues."""
        if ok:
            return True
        judge(ids, message, strict=self.strict, catalogue=self.catalogue, record=self.record)
        return False

    def require(self, ids: Iterable[str], ok: bool, message: str) -> None:
        """A check later steps depend on: a failure as `soft`; when the departure is only advisory (lenient
        run, inferred ids) the rest of the scenario cannot go on, so it ends as "blocked by <ids>" (a skip
        the report shows as blocked, never as a failure of the scenario's other requirements)."""
        if not self.soft(ids, ok, message):
            pytest.skip(blocked_reason(tuple(ids), message[:300]))

    def created_by(self, response: httpx.Response, ids: Iterable[str]) -> dict[str, Any]:
        """The resource a create/clone answered: any success is a creation (its status is held to the entry
        fixing it, CAMP-LIFE-013, on its own); a refusal fails `ids`."""
        self.succeeded(response, 201, ids)
        return data_of(response)

    def succeeded(self, response: httpx.Response, status: int, ids: Iterable[str],
                  status_ids: Iterable[str] | None = None) -> None:
        """The request succeeded (else `ids` fail, and the scenario stops); a success with another status
        than `status` is held only to `status_ids` (default: the entry fixing the status of creates and
        updates, CAMP-LIFE-013, for those; `ids` otherwise) and the scenario goes on."""
        ids = tuple(ids)
        assert response.is_success, f"[{', '.join(ids)}] expected {status}, got {describe(response)}"
        if response.status_code != status:
            if status_ids is None:
                status_ids = ("CAMP-LIFE-013",) if _fixes_status(response.request) else ids
            self.soft(status_ids, False, f"{response.request.method} {response.request.url.path} answered "
                                         f"{response.status_code}, not {status} (the request succeeded)")

    def expect(self, response: httpx.Response, status: int, code: str | None, ids: Iterable[str],
               status_ids: Iterable[str] | None = None) -> bool:
        """The response is `status` with error `code` (None: any body), checked as `ids`. With `status_ids`,
        the right code under another status is held to `status_ids` only (the entry fixing that status)."""
        got = (response.status_code, error_code(response) if code else None)
        if status_ids is not None and code is not None and got[1] == code and got[0] != status:
            return self.soft(status_ids, False, f"expected {status} {code}, got {describe(response)}")
        if code is None and status_ids is None and 200 <= status < 300 and response.is_success \
                and _fixes_status(response.request):
            self.succeeded(response, status, ids)
            return True
        return self.soft(ids, got == (status, code),
                         f"expected {status}{' ' + code if code else ''}, got {describe(response)}")

    def expect_one_of(self, response: httpx.Response, allowed: set[tuple[int, str | None]],
                      ids: Iterable[str]) -> bool:
        got = (response.status_code, None if response.status_code < 300 else error_code(response))
        wanted = " or ".join(f"{s} {c or ''}".strip() for s, c in sorted(allowed, key=str))
        return self.soft(ids, got in allowed, f"expected {wanted}, got {describe(response)}")

    # --- calls --------------------------------------------------------------------------------------

    def observe(self, response: httpx.Response) -> None:
        """Target observer: remembers every error code the target answered during the run."""
        if response.status_code >= 400:
            code = error_code(response)
            if code is not None:
                self.error_codes.setdefault(code, f"{response.request.method} {response.request.url} -> "
                                                  f"{response.status_code}")

    def call(self, method: str, path: str, *, token: str | None | bool = True, json: Any = None,
             content: bytes | None = None, headers: dict[str, str] | None = None,
             params: dict[str, Any] | None = None) -> httpx.Response:
        """A call with the `full` token by default (token=None: no Authorization header). Any campaign
        a create or clone answers is registered for deletion at the end of the run."""
        raw = self.full if token is True else token
        creating = method == "POST" and (path == "/campaigns" or path.endswith("/clone"))
        if creating:
            self.creators[self._deleter(raw)] = None  # before it is sent: an interrupt may lose the answer
            self.creating = True
        response = self.target.request(method, path, token=raw, json_body=json, content=content,
                                       headers=headers, params=params)
        self.creating = False
        if method == "POST" and response.is_success and (path == "/campaigns" or path.endswith("/clone")):
            cid = (data_of(response) or {}).get("campaignId")
            if cid and cid not in [c for c, _ in self.created]:
                self.created.append((cid, self._deleter(raw)))
        return response

    def _deleter(self, raw: str | None) -> str:
        """A token of the same tenant as `raw` that may delete (the creator may lack campaigns:delete)."""
        entries = list(self.profile.tokens.values())
        tenant = next((t.get("tenant") for t in entries if t["token"] == raw), self.tenant)
        for t in [t for t in entries if t["token"] == raw] + entries:
            if t.get("tenant") == tenant and "campaigns:delete" in t.get("scopes", []):
                return t["token"]
        return self.full

    def name(self, label: str) -> str:
        return f"{self.prefix}{label}"

    def create(self, channel: str = "email", *, token: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {"name": self.name(fields.pop("label", channel)), "channel": channel, **fields}
        return self.created_by(self.call("POST", "/campaigns", token=token or self.full, json=body), ("CAMP-LIFE-001",))

    def get(self, cid: str, what: str = "", token: str | None = None) -> dict[str, Any]:
        """A read a scenario goes on from: a refusal fails the read's own entry (READS), and the scenario's
        other requirements are blocked by it."""
        response = self.call("GET", f"/campaigns/{cid}{what}", token=token or self.full)
        self.succeeded(response, 200, READS[what])
        return data_of(response)

    def put(self, cid: str, what: str, body: Any, token: str | None = None) -> dict[str, Any]:
        """A configuration step (audience, content, schedule) of a draft a scenario goes on from: a refusal
        fails CAMP-LIFE-002 (002: the three steps are accepted on a draft, in any order), another success
        status is CAMP-LIFE-013's alone (succeeded)."""
        response = self.call("PUT", f"/campaigns/{cid}/{what}", token=token or self.full, json=body)
        self.succeeded(response, 200, ("CAMP-LIFE-002",))
        return data_of(response)

    def job(self, cid: str, kind: str, body: dict[str, Any] | None = None, *, commit: bool = False,
            headers: dict[str, str] | None = None, token: str | None = None) -> httpx.Response:
        """POST /schedule-jobs or /send-jobs: a dry run unless `commit` (which needs allow_sends)."""
        body = dict(body or {})
        if commit:
            assert self.allow_sends, "a committed job without allow_sends"
            body.pop("dryRun", None)
        else:
            body["dryRun"] = True
        return self.call("POST", f"/campaigns/{cid}/{kind}", token=token or self.full, json=body, headers=headers)

    def cleanup(self) -> None:
        """Delete what the run created (archive what cannot be deleted), by id, then whatever its tenants list
        under the run's prefix (a create interrupted in flight, whose answer the run never read); what remains
        is listed in the report (record.not_removed). Runs in the fixture's finally: after a failure or Ctrl-C."""
        handled = {cid for cid, _ in self.created}
        settle = [lambda: time.sleep(CREATE_SETTLE_SECONDS)] if self.creating else []  # a create left in flight
        cleanup.through_interrupts([
            *(functools.partial(cleanup.remove, self.target, cid, token, self.record)
              for cid, token in reversed(self.created)),
            *settle,
            *(functools.partial(cleanup.sweep, self.target, token, self.prefix, handled, self.record)
              for token in dict.fromkeys([self._deleter(self.full), *self.creators])),  # each tenant once
        ])
        self.created.clear()

    # --- fixtures of the profile --------------------------------------------------------------------

    def _mine(self, entry: dict[str, Any], tenant: str | None = None) -> bool:
        want = tenant if tenant is not None else self.tenant
        return entry.get("tenant") in (None, want)

    def audiences(self, n: int = 1, tenant: str | None = None) -> list[dict[str, Any]]:
        """`n` audiences whose reach evaluation and delivery succeed, as include entries."""
        found = [a for a in self.profile.fixtures.get("audiences", [])
                 if self._mine(a, tenant) and a.get("reach", "ok") == "ok" and a.get("execution", "ok") == "ok"
                 and a.get("role", "ok") == "ok"]
        if len(found) < n:
            pytest.skip(f"the profile lists fewer than {n} audience fixture(s) with reach ok and delivery ok")
        return [{"audienceId": a["id"], "type": a.get("type", "audience")} for a in found[:n]]

    def audience_with(self, **wanted: str) -> dict[str, Any]:
        for a in self.profile.fixtures.get("audiences", []):
            if self._mine(a) and all(a.get(k) == v for k, v in wanted.items()):
                return {"audienceId": a["id"], "type": a.get("type", "audience")}
        pytest.skip(f"the profile lists no audience fixture with {wanted}")

    def template(self, channel: str, *, published: bool = True, tenant: str | None = None) -> str:
        for t in self.profile.fixtures.get("templates", []):
            if not self._mine(t, tenant) or t.get("channel") != channel:
                continue
            usable = t.get("role", "published") in ("published", "doc_example")  # not compliance-blocked
            if published and t.get("status") == "published" and usable:
                return t["id"]
            if not published and t.get("status") not in (None, "published"):
                return t["id"]
        pytest.skip(f"the profile lists no {'published' if published else 'unpublished'} {channel} template fixture")

    def fixture_campaigns(self, role: str) -> list[dict[str, Any]]:
        found = [c for c in self.profile.with_role("campaigns", role) if self._mine(c)]
        if not found:
            pytest.skip(f"the profile has no campaign fixture with role {role!r}")
        return found

    def token_named(self, name: str) -> str:
        token = self.profile.token(name)
        if not token:
            pytest.skip(f"the profile has no {name!r} token")
        return token

    def scopes_of(self, name: str) -> set[str]:
        return set(self.profile.tokens[name].get("scopes", []))

    def single_scope_token(self, scope: str) -> str:
        name = "scope_" + scope.replace(":", "_")
        token = self.token_named(name)
        if self.scopes_of(name) != {scope}:
            pytest.skip(f"the profile's {name!r} token does not hold exactly {scope}")
        return token

    def tokens_lacking(self, scope: str) -> dict[str, str]:
        """Tokens of the `full` token's tenant that do not hold `scope` (name -> token)."""
        return {name: t["token"] for name, t in sorted(self.profile.tokens.items())
                if scope not in t.get("scopes", []) and t.get("tenant") in (None, self.tenant)}

    # --- ready campaigns ----------------------------------------------------------------------------

    def ready(self, channel: str = "email", *, label: str | None = None, **fields: Any) -> dict[str, Any]:
        """A draft with an included audience and a published template of its channel (no intent)."""
        include = self.audiences(1)
        template = self.template(channel)
        campaign = self.create(channel, label=label or f"ready-{channel}", **fields)
        self.put(campaign["campaignId"], "audience", {"include": include})
        return self.put(campaign["campaignId"], "content", {"templateId": template})

    # --- time ---------------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The target's now: its admin clock where there is one, else local time corrected once by the
        createdAt of a campaign created for the purpose."""
        if self.clock_control:
            response = self.target.admin("GET", "/clock")
            if response.status_code == 200:
                return parse_timestamp_or(response.json().get("now"))
        if self._offset is None:
            before = datetime.now(timezone.utc)
            created = parse_time(self.create("email", label="clock")["createdAt"])
            self._offset = created - before
        return datetime.now(timezone.utc) + self._offset

    def future(self, days: int = 30) -> datetime:
        return (self.now() + timedelta(days=days)).replace(microsecond=0)

    def future_date(self, tz: str, days: int = 30) -> date:
        from zoneinfo import ZoneInfo

        return (self.now().astimezone(ZoneInfo(tz)) + timedelta(days=days)).date()

    def advance(self, seconds: float) -> None:
        """Moves the target's clock forward (clock_control), or waits that long in real time."""
        if self.clock_control:
            response = self.target.admin("POST", "/clock", {"advanceSeconds": math.ceil(seconds)})
            if response.status_code != 200:  # the admin surface is no requirement: no verdict, not a failure
                pytest.skip(f"the target's admin clock did not move ({response.status_code} {response.text[:200]}): "
                            "no verdict on what needed the time")
        else:
            assert seconds <= 5, "a real-time wait of more than 5 s"
            time.sleep(seconds)

    def wait_for(self, probe: Callable[[], Any], done: Callable[[Any], bool], *, step: float,
                 limit: float) -> Any:
        """Calls `probe` until `done(result)`, moving the clock by `step` seconds (clock_control) or
        polling in real time, for at most `limit` seconds of target time; returns the last result."""
        result = probe()
        waited = 0.0
        while not done(result) and waited < limit:
            if self.clock_control:
                self.advance(step)
                waited += step
            else:
                time.sleep(0.5)
                waited += 0.5
            result = probe()
        return result

    def timing(self, key: str, default: float) -> float:
        return float(self.profile.timing.get(key, default))


def _fixes_status(request: httpx.Request) -> bool:
    """A create or clone (POST /campaigns, POST .../clone): the status of their success is CAMP-LIFE-013's."""
    path = request.url.path.rstrip("/")
    return request.method == "POST" and (path.endswith("/campaigns") or path.endswith("/clone"))


def parse_timestamp_or(value: Any) -> datetime:
    if isinstance(value, str):
        return parse_time(value)
    return datetime.now(timezone.utc)


def matches(actual: Any, expected: Any) -> bool:
    """Open-world equality: every key `expected` names has its value in `actual` (recursively); fields
    `actual` has beyond them are a compatible extension and do not count."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and matches(actual[k], v) for k, v in expected.items())
    return actual == expected


def keys(data: Any) -> set[str]:
    return set(data) if isinstance(data, dict) else set()
