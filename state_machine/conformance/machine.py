"""The stateful conformance machine: Hypothesis rules that walk the campaign lifecycle on a target.

Each rule makes one call the documents describe (valid or not), asks the oracle which answers the
documents allow, fails when the target's answer is not one of them, and moves the model on by what
really happened. After every step the campaign the step touched is read back (summary, status, metrics)
and the run's campaigns are listed, and what the target shows is compared with the model.

Build a test with `build_machine(target, ...)`, then `TestCase = Machine.TestCase`.
"""
from __future__ import annotations

import threading
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle, RuleBasedStateMachine, initialize, invariant, multiple, precondition, rule,
)

from contract_spec import Spec, check_body, check_parameters, response_problems
from state_machine.apis.experiture_v1.model import execution
from state_machine.apis.experiture_v1.model.records import Campaign
from state_machine.kernel.times import iso
from state_machine.apis.experiture_v1.model.values import CATEGORIES, CHANNELS, DIGITAL_CHANNELS, DIRECT_MAIL

from . import checks
from .exchanges import Transcript
from .oracle import Expectation, Oracle, TargetClock, outcome_of, world_from_profile
from .record import Evidence, RunRecord
from .requirements import documented, load_catalogue
from .target import Target

UNKNOWN_ID = "0badc0de-0000-4000-8000-00000000dead"
REPLAY_HORIZON = timedelta(hours=23)


class ContractAdvisory(UserWarning):
    """A departure from an inferred requirement (behaviour the documents leave open)."""


class ContractViolation(AssertionError):
    """A departure from a documented requirement (or from an inferred one under --contract-strict)."""


def requirements_for(operation: str, codes: set[str | None]) -> tuple[str, ...]:
    """Catalogue entries about this operation and any of these error codes."""
    wanted = {c for c in codes if c}
    return tuple(
        entry_id for entry_id, entry in load_catalogue().items()
        if (operation in entry.get("operations", []) or "all" in entry.get("operations", []))
        and wanted & set(entry.get("codes", []))
    )


# What a 2xx answer of each operation puts to the test: the oracle checked its status, the spec its shape.
SUCCESS_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "createCampaign": ("CAMP-LIFE-001", "CAMP-LIFE-013", "CAMP-TYPE-001", "CAMP-VAL-003", "CAMP-ENV-002"),
    "listCampaigns": ("CAMP-LIST-001", "CAMP-LIST-002", "CAMP-LIST-014"),
    "getCampaign": ("CAMP-OBS-001", "CAMP-OBS-014"),
    "updateCampaign": ("CAMP-META-001", "CAMP-META-003", "CAMP-META-004"),
    "deleteCampaign": ("CAMP-DEL-001", "CAMP-DEL-002", "CAMP-DEL-004"),
    "archiveCampaign": ("CAMP-ARCH-001", "CAMP-ARCH-002"),
    "cloneCampaign": ("CAMP-CLONE-001", "CAMP-CLONE-002"),
    "replaceCampaignAudience": ("CAMP-AUD-001", "CAMP-AUD-005", "CAMP-AUD-010", "CAMP-AUD-012", "CAMP-LIFE-002"),
    "replaceCampaignContent": ("CAMP-CONT-001", "CAMP-CONT-002", "CAMP-LIFE-002"),
    "setCampaignSchedule": ("CAMP-SCHED-011", "CAMP-LIFE-002", "CAMP-LIFE-011"),
    "runCampaignPreflight": ("CAMP-PREF-001", "CAMP-PREF-003", "CAMP-PREF-004", "CAMP-PREF-005"),
    "createScheduleJob": ("CAMP-CHAN-003", "CAMP-JOB-015", "CAMP-JOB-016", "CAMP-JOB-021"),
    "createSendJob": ("CAMP-CHAN-004", "CAMP-SEND-003", "CAMP-SEND-004", "CAMP-JOB-015", "CAMP-JOB-021"),
    "getCampaignSummary": ("CAMP-OBS-002", "CAMP-OBS-003", "CAMP-OBS-004", "CAMP-OBS-005", "CAMP-OBS-006",
                           "CAMP-PREF-002", "CAMP-AUD-012", "CAMP-REACH-006"),
    "getCampaignStatus": ("CAMP-OBS-007", "CAMP-OBS-008", "CAMP-OBS-009", "CAMP-OBS-013"),
    "getCampaignMetrics": ("CAMP-OBS-010", "CAMP-OBS-011"),
}
JOB_OUTCOME_REQUIREMENTS: dict[tuple[str, int], tuple[str, ...]] = {
    ("createScheduleJob", 200): ("CAMP-DRY-001", "CAMP-DRY-002", "CAMP-DRY-005", "CAMP-DRY-006", "CAMP-DRY-007"),
    ("createSendJob", 200): ("CAMP-DRY-003", "CAMP-DRY-004", "CAMP-DRY-005", "CAMP-DRY-006", "CAMP-DRY-007"),
    ("createScheduleJob", 201): ("CAMP-LIFE-008", "CAMP-JOB-013", "CAMP-JOB-014", "CAMP-TZ-007"),
    ("createSendJob", 201): ("CAMP-LIFE-007", "CAMP-SEND-002", "CAMP-SEND-005"),
}
# Which requirements a response that does not match its schema breaks.
SHAPE_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "listCampaigns": ("CAMP-LIST-001", "CAMP-LIST-002", "CAMP-LIST-014"),
    "getCampaignSummary": ("CAMP-OBS-002",), "getCampaignStatus": ("CAMP-OBS-007", "CAMP-OBS-009"),
    "getCampaignMetrics": ("CAMP-OBS-010",), "createScheduleJob": ("CAMP-JOB-013", "CAMP-JOB-014", "CAMP-DRY-005"),
    "createSendJob": ("CAMP-SEND-002", "CAMP-DRY-005"), "deleteCampaign": ("CAMP-DEL-002",),
    "runCampaignPreflight": ("CAMP-PREF-003",),
}


def success_requirements(operation: str, status: int) -> tuple[str, ...]:
    return SUCCESS_REQUIREMENTS.get(operation, ()) + JOB_OUTCOME_REQUIREMENTS.get((operation, status), ())


def shape_requirements(operation: str, status: int) -> tuple[str, ...]:
    if status >= 400:
        return ("CAMP-ENV-004",)
    return SHAPE_REQUIREMENTS.get(operation, ("CAMP-OBS-014", "CAMP-ENV-002"))


class CampaignsMachine(RuleBasedStateMachine):
    """Configured by `build_machine`; the class attributes below are set there."""

    target: Target
    spec: Spec
    strict: bool = True
    report_dir: Path = Path("reports")
    record: RunRecord  # evidence for the report, shared by every run of the class
    reproduction_name: str = "reproduction.py"
    progress: Callable[[str], None] | None = None  # told how the run goes, every 10 examples

    campaigns = Bundle("campaigns")

    def __init__(self) -> None:
        super().__init__()
        profile = self.target.profile
        self.oracle = Oracle(world_from_profile(profile))
        self.clock = TargetClock(self.target)
        self.transcript = Transcript()
        self.prefix = f"cc-{uuid.uuid4().hex[:8]}-"
        self.tenant = profile.tokens["full"].get("tenant", "t1")
        self.touched: str | None = None
        self.created: list[str] = []
        self.prepared: list[str] = []
        self.last_counts: dict[str, dict[str, int]] = {}
        self.last_state: dict[str, str] = {}
        self.idempotent: list[dict[str, Any]] = []
        self.timing_known = bool(profile.timing) and self.clock.control
        self.tenant_zone_known = bool(profile.fixtures.get("tenants"))

    # --- plumbing ---------------------------------------------------------------------------------

    def _path(self, operation: str, campaign_id: str | None) -> str:
        path = self.spec.operations[operation].path
        return path.replace("{campaign_id}", campaign_id) if campaign_id else path

    def violate(self, reqs: tuple[str, ...], message: str) -> None:
        reqs = tuple(dict.fromkeys(reqs)) or ("CAMP-ENV-002",)
        self.record.exercise(reqs)
        tokens = {name: t["token"] for name, t in self.target.profile.tokens.items()}
        if self.strict or documented(reqs):
            script = self.transcript.write(self.report_dir / self.reproduction_name,
                                           self.target.profile.base_url, tokens)
            self.record.violations.append(Evidence(reqs, message, str(script)))
            raise ContractViolation(
                f"[{', '.join(reqs)}] {message}\n\nReproduction ({script} replays it):\n"
                + self.transcript.curl(self.target.profile.base_url, tokens))
        text = f"[{', '.join(reqs)}] (inferred) {message}"
        self.record.advisories.append(Evidence(reqs, message, self.transcript.curl(self.target.profile.base_url,
                                                                                    tokens)))
        warnings.warn(text, ContractAdvisory, stacklevel=2)

    def check(self, reqs: tuple[str, ...], ok: bool, message: str) -> None:
        """Count `reqs` as exercised, and report `message` against them unless `ok`."""
        self.record.exercise(reqs)
        if not ok:
            self.violate(reqs, message)

    def send(self, operation: str, campaign_id: str | None = None, body: Any = None, *, query: Any = None,
             token: str | None = "full", headers: dict[str, str] | None = None,
             expect: set[tuple[int, str | None]] | None = None, reqs: tuple[str, ...] = (),
             commit: bool = True):
        """One call: send, predict, compare, commit. Returns (response, expectation)."""
        op = self.spec.operations[operation]
        path = self._path(operation, campaign_id)
        spec_error = check_body(self.spec, op, body if body is not None else {}) if op.body_pointer else None
        if query:
            spec_error = spec_error or check_parameters(self.spec, op, {}, query, {}).error()
        with self.clock.window() as holder:
            response = self.target.request(op.method, path, token=self.target.profile.token(token) if token else None,
                                           json_body=body, headers=headers, params=query)
        window = holder[0]
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if expect is not None:
            expectation = Expectation(operation, frozenset(expect))
        else:
            expectation = self.oracle.predict(operation, self.tenant, window, campaign_id=campaign_id, body=body,
                                              query=query, spec_error=spec_error)
        got = outcome_of(response.status_code, payload)
        self.record.coverage[(operation, *got)] += 1
        self.record.exercise(reqs or (requirements_for(operation, {got[1]}) if got[1] else
                                      success_requirements(operation, got[0])))
        creates = None
        if 200 <= response.status_code < 300 and operation in ("createCampaign", "cloneCampaign"):
            data = payload.get("data") if isinstance(payload, dict) else None
            new_id = data.get("campaignId") if isinstance(data, dict) else None
            if new_id:
                creates = self.transcript.placeholder(new_id)
        self.transcript.record(op.method, path, token, headers or {}, body, response, expectation.describe(),
                               expectation.statuses, creates)
        if not expectation.allows(got):
            codes = {c for _, c in expectation.acceptable} | {got[1]}
            found = requirements_for(operation, codes) or reqs or success_requirements(operation, 200) \
                or ("CAMP-ENV-002",)
            self.violate(tuple(found) + tuple(reqs) if not found else tuple(found),
                         f"{op.method} {op.path}: expected {expectation.describe()}, got {got[0]} {got[1] or ''}")
            self._check_shape(op, response, payload)
            return response, expectation
        if commit and expect is None:
            decision = self.oracle.commit(expectation, self.tenant, window, response.status_code, payload,
                                          campaign_id=campaign_id, body=body, query=query)
            if decision is not None and operation in checks.OBJECT_OPERATIONS:
                self.record.exercise(("CAMP-CAT-001", "CAMP-CAT-002", "CAMP-CAT-003", "CAMP-CAT-004")
                                     if operation == "createCampaign" else ("CAMP-LIFE-013",))
                data = payload.get("data") if isinstance(payload, dict) else None
                record = self.oracle.campaign((data.get("campaignId") if isinstance(data, dict) else None)
                                              or campaign_id or "")
                if record is not None:
                    for reqs_, message in checks.compare_object(record, data):
                        self.violate(reqs_, f"{op.method} {op.path} answered a campaign whose {message}")
        if campaign_id:
            self.touched = campaign_id
        self._check_shape(op, response, payload)
        return response, expectation

    def _check_shape(self, op, response, payload) -> None:
        """Checked after the outcome and the values, whose requirements are the more specific."""
        shape = response_problems(self.spec, op, response.status_code, payload, response.headers.get("content-type"))
        self.check(shape_requirements(op.operation_id, response.status_code), not shape,
                   f"{op.method} {op.path}: the answer does not match the spec:\n  " + "\n  ".join(shape[:5]))

    def _send_keyed(self, operation: str, campaign_id: str | None, body: dict[str, Any], with_key: bool):
        """An idempotent operation (000), with a fresh Idempotency-Key when asked; a keyed answer below 500
        is remembered so a later rule can replay it (repeat_idempotent_request)."""
        headers = {"Idempotency-Key": str(uuid.uuid4())} if with_key else None
        response, _ = self.send(operation, campaign_id, body=body, headers=headers)
        if headers and response.status_code < 500:
            self.idempotent.append({"operation": operation, "campaign_id": campaign_id, "body": body,
                                    "key": headers["Idempotency-Key"], "status": response.status_code,
                                    "response": response.json(), "at": self.clock.now()})
        return response

    def _ids(self, channel: str | None = None, status: str | None = "published") -> list[str]:
        return [t["id"] for t in self.target.profile.fixtures.get("templates", [])
                if t.get("tenant", self.tenant) == self.tenant and (channel is None or t["channel"] == channel)
                and (status is None or t.get("status") == status) and t.get("role") != "compliance_blocker"]

    def _audiences(self, role: str | None = None) -> list[dict[str, Any]]:
        return [a for a in self.target.profile.fixtures.get("audiences", [])
                if a.get("tenant", self.tenant) == self.tenant and (role is None or a.get("role", "ok") == role
                                                                   or (role == "ok" and "role" not in a))]

    def _live(self, campaign_id: str) -> Campaign | None:
        c = self.oracle.campaign(campaign_id)
        return c if c is not None and c.deleted_at is None else None

    # --- campaign object --------------------------------------------------------------------------

    @initialize(target=campaigns, channel=st.sampled_from(CHANNELS), days=st.integers(1, 5),
                delivery_fails=st.booleans())
    def start_with_a_prepared_campaign(self, channel, days, delivery_fails):
        """Each run starts from a draft configured by the documented happy path, so the later stages of
        the lifecycle (jobs, locked configuration, execution) are reached within a few steps."""
        response, _ = self.send("createCampaign", body={"name": f"{self.prefix}{channel}", "channel": channel})
        if response.status_code != 201:
            return multiple()
        cid = response.json()["data"]["campaignId"]
        self.created.append(cid)
        self._prepare(cid, days, delivery_fails)
        return cid

    @rule(target=campaigns, channel=st.sampled_from(CHANNELS),
          category=st.one_of(st.sampled_from(CATEGORIES), st.just("not-a-category"), st.none()),
          with_key=st.booleans())
    def create_campaign(self, channel, category, with_key):
        body = {"name": f"{self.prefix}{channel}", "channel": channel}
        if category is not None:
            body["category"] = category
        response = self._send_keyed("createCampaign", None, body, with_key)
        if response.status_code != 201:
            return multiple()
        cid = response.json()["data"]["campaignId"]
        self.created.append(cid)
        self.touched = cid
        return cid

    @rule(campaign_type=st.sampled_from(["journey", "triggered", "ab_test"]))
    def create_unsupported_type(self, campaign_type):
        self.send("createCampaign", body={"name": f"{self.prefix}x", "channel": "email", "campaignType": campaign_type})

    @rule(target=campaigns, source=campaigns, named=st.booleans())
    def clone_campaign(self, source, named):
        body = {"name": f"{self.prefix}clone"} if named else None
        response, _ = self.send("cloneCampaign", source, body=body)
        if response.status_code != 201:
            return multiple()
        cid = response.json()["data"]["campaignId"]
        self.created.append(cid)
        self.touched = cid
        return cid

    @rule(campaign=campaigns, fields=st.fixed_dictionaries({}, optional={
        "name": st.just("renamed"), "description": st.one_of(st.none(), st.just("about")),
        "category": st.sampled_from(["retention", "bogus"]), "tags": st.lists(st.sampled_from(["a", "b"]), max_size=2,
                                                                               unique=True)}))
    def patch_campaign(self, campaign, fields):
        if "name" in fields:
            fields["name"] = self.prefix + fields["name"]
        self.send("updateCampaign", campaign, body=fields)

    @rule(campaign=campaigns, data=st.data())
    def archive_campaign(self, campaign, data):
        campaign = self._pick(campaign, data)
        self.send("archiveCampaign", campaign)

    @rule(campaign=campaigns, data=st.data())
    def delete_campaign(self, campaign, data):
        campaign = self._pick(campaign, data)
        self.send("deleteCampaign", campaign)

    # --- configuration ----------------------------------------------------------------------------

    @rule(campaign=campaigns, data=st.data(), variant=st.sampled_from(["valid", "valid", "with_exclude", "reach_fails", "empty",
                                                       "overlap", "too_many", "duplicate"]),
          n=st.integers(1, 3))
    def bind_audience(self, campaign, variant, n, data):
        campaign = self._pick(campaign, data)
        ok = self._audiences("ok") or [{"id": str(uuid.UUID(int=i + 1, version=4)), "type": "segment"}
                                       for i in range(3)]
        entries = [{"audienceId": a["id"], "type": a.get("type", "audience")} for a in ok]
        include = entries[:n]
        body: dict[str, Any] = {"include": include}
        if variant == "with_exclude" and len(entries) > n:
            body["exclude"] = entries[n:n + 1]
        elif variant == "reach_fails" and self._audiences("reach_fails"):
            a = self._audiences("reach_fails")[0]
            body["include"] = include[:1] + [{"audienceId": a["id"], "type": a.get("type", "segment")}]
        elif variant == "empty":
            body["include"] = []
        elif variant == "overlap":
            body["exclude"] = include[:1]
        elif variant == "too_many":
            body["include"] = [{"audienceId": str(uuid.uuid4()), "type": "segment"} for _ in range(26)]
        elif variant == "duplicate":
            body["include"] = include[:1] * 2
        self.send("replaceCampaignAudience", campaign, body=body)

    @rule(campaign=campaigns, data=st.data(), choice=st.sampled_from(["same_channel", "same_channel", "unpublished",
                                                      "other_channel", "unknown"]))
    def bind_content(self, campaign, choice, data):
        campaign = self._pick(campaign, data)
        c = self._live(campaign)
        channel = c.channel if c else "email"
        if choice == "same_channel":
            pool = self._ids(channel)
        elif choice == "unpublished":
            pool = self._ids(channel, status="draft")
        elif choice == "other_channel":
            pool = [t for ch in CHANNELS if ch != channel for t in self._ids(ch)]
        else:
            pool = [UNKNOWN_ID]
        if not pool:
            return
        self.send("replaceCampaignContent", campaign, body={"templateId": pool[0]})

    @rule(campaign=campaigns, data=st.data(), variant=st.sampled_from(
        ["now", "at_future", "at_future", "at_past", "at_missing", "at_malformed", "batch_future", "batch_future",
         "batch_past", "batch_missing", "batch_malformed"]),
        hours=st.integers(1, 72), timezone=st.sampled_from([None, "America/New_York", "Europe/Paris", "Mars/Base"]))
    def set_schedule(self, campaign, variant, hours, timezone, data):
        campaign = self._pick(campaign, data)
        now = self.clock.now()
        body: dict[str, Any] = {}
        if variant == "now":
            body["mode"] = "now"
        elif variant.startswith("at"):
            body["mode"] = "at"
            if variant == "at_future":
                body["sendAt"] = iso(now + timedelta(hours=hours))
            elif variant == "at_past":
                body["sendAt"] = iso(now - timedelta(hours=hours))
            elif variant == "at_malformed":
                body["sendAt"] = "next tuesday"
        else:
            body["mode"] = "batch_on_date"
            if variant == "batch_future":
                body["batchDate"] = (now + timedelta(days=2 + hours // 24)).date().isoformat()
            elif variant == "batch_past":
                body["batchDate"] = (now - timedelta(days=2 + hours // 24)).date().isoformat()
            elif variant == "batch_malformed":
                body["batchDate"] = "01/05/2026"
        if timezone is not None:
            body["timezone"] = timezone
        self.send("setCampaignSchedule", campaign, body=body)

    @rule(campaign=campaigns, days=st.integers(1, 5), delivery_fails=st.booleans())
    def prepare_for_sending(self, campaign, days, delivery_fails):
        """The documented happy path in one step (000's lifecycle): audience, published content, intent."""
        self._prepare(campaign, days, delivery_fails)

    def _prepare(self, campaign: str, days: int, delivery_fails: bool = False) -> None:
        c = self._live(campaign)
        ok = (delivery_fails and self._audiences("execution_fails")) or self._audiences("ok")
        templates = self._ids(c.channel) if c else []
        if c is None or c.authoring_status != "draft" or not ok or not templates:
            return
        self.send("replaceCampaignAudience", campaign,
                  body={"include": [{"audienceId": ok[0]["id"], "type": ok[0].get("type", "audience")}]})
        self.send("replaceCampaignContent", campaign, body={"templateId": templates[0]})
        now = self.clock.now()
        if c.channel == DIRECT_MAIL:
            intent = {"mode": "batch_on_date", "batchDate": (now + timedelta(days=days)).date().isoformat()}
        else:
            intent = {"mode": "at", "sendAt": iso(now + timedelta(hours=days))}
        self.send("setCampaignSchedule", campaign, body=intent)
        self.prepared.append(campaign)

    def _pick(self, campaign: str, data) -> str:
        """Often, a campaign the happy path prepared (and maybe committed) instead of the bundle's draw:
        otherwise the later stages of the lifecycle (jobs, locked configuration, execution) are rarely met."""
        if self.prepared and data.draw(st.integers(0, 3), label="focus") > 0:
            return data.draw(st.sampled_from(self.prepared[-4:]), label="prepared campaign")
        return campaign

    # --- execution --------------------------------------------------------------------------------

    @rule(campaign=campaigns, data=st.data())
    def preflight(self, campaign, data):
        campaign = self._pick(campaign, data)
        self.send("runCampaignPreflight", campaign)

    def _may_commit(self, dry_run: bool) -> bool:
        return dry_run or self.target.profile.can("allow_sends")

    @rule(campaign=campaigns, dry_run=st.booleans(), variant=st.sampled_from(
        ["saved", "saved", "send_at", "send_at_past", "batch_date", "both"]), with_key=st.booleans(), data=st.data())
    def schedule_job(self, campaign, dry_run, variant, with_key, data):
        campaign = self._pick(campaign, data)
        if not self._may_commit(dry_run):
            dry_run = True
        now = self.clock.now()
        body: dict[str, Any] = {"dryRun": True} if dry_run else {}
        if variant in ("send_at", "both"):
            body["sendAt"] = iso(now + timedelta(hours=2))
        if variant == "send_at_past":
            body["sendAt"] = iso(now - timedelta(hours=2))
        if variant in ("batch_date", "both"):
            body["batchDate"] = (now + timedelta(days=3)).date().isoformat()
        self._send_keyed("createScheduleJob", campaign, body, with_key)

    @rule(campaign=campaigns, dry_run=st.booleans(), with_key=st.booleans(), data=st.data())
    def send_job(self, campaign, dry_run, with_key, data):
        campaign = self._pick(campaign, data)
        if not self._may_commit(dry_run):
            dry_run = True
        body = {"dryRun": True} if dry_run else {}
        self._send_keyed("createSendJob", campaign, body, with_key)

    # --- reads ------------------------------------------------------------------------------------

    @rule(campaign=campaigns, data=st.data(), which=st.sampled_from(["getCampaign", "getCampaignSummary", "getCampaignStatus",
                                                     "getCampaignMetrics"]))
    def read(self, campaign, which, data):
        campaign = self._pick(campaign, data)
        self.send(which, campaign)

    @rule(status=st.sampled_from([None, "draft", "published", "archived"]), channel=st.sampled_from([None, *CHANNELS]),
          sort=st.sampled_from([None, "createdAt", "updatedAt", "name"]), direction=st.sampled_from([None, "asc", "desc"]),
          limit=st.sampled_from([None, None, 1, 5, 100, 0, 101]), offset=st.sampled_from([None, None, 0, 3, -1]))
    def list_campaigns(self, status, channel, sort, direction, limit, offset):
        query = {"search": self.prefix}
        for key, value in (("status", status), ("channel", channel), ("sortBy", sort), ("sortDirection", direction),
                           ("limit", limit), ("offset", offset)):
            if value is not None:
                query[key] = str(value)
        response, expectation = self.send("listCampaigns", query=query)
        if response.status_code == 200 and expectation.decisions:
            want = [row["campaignId"] for row in expectation.decisions[-1].data]
            got = [row.get("campaignId") for row in response.json().get("data", [])]
            reqs = ("CAMP-LIST-001", "CAMP-LIST-008", "CAMP-LIST-015") \
                + (("CAMP-LIST-004",) if status else ()) + (("CAMP-LIST-005",) if channel else ()) \
                + ("CAMP-LIST-009", "CAMP-LIST-010")
            self.check(reqs, self._list_matches(want, got, sort), f"list {query}: expected campaigns {want}, got {got}")
            total = response.json().get("pagination", {}).get("total")
            want_total = expectation.decisions[-1].extra["pagination"]["total"]
            self.check(("CAMP-LIST-002", "CAMP-LIST-003"), total == want_total,
                       f"list {query}: pagination.total expected {want_total}, got {total}")

    @staticmethod
    def _list_matches(want: list[str], got: list[str], sort: str | None) -> bool:
        # Equal timestamps may be ordered either way by another implementation; the set must match and,
        # when sorting by name, so must the order.
        return sorted(want) == sorted(got) and (sort != "name" or want == got or len(set(want)) != len(want))

    # --- access -----------------------------------------------------------------------------------

    OPERATIONS_ON_CAMPAIGN = ("getCampaign", "updateCampaign", "deleteCampaign", "archiveCampaign", "cloneCampaign",
                              "replaceCampaignAudience", "replaceCampaignContent", "setCampaignSchedule",
                              "runCampaignPreflight", "createScheduleJob", "createSendJob", "getCampaignSummary",
                              "getCampaignStatus", "getCampaignMetrics")

    def _harmless_body(self, operation: str) -> Any:
        return {"updateCampaign": {"name": self.prefix + "x"}, "replaceCampaignContent": {"templateId": UNKNOWN_ID},
                "replaceCampaignAudience": {"include": [{"audienceId": UNKNOWN_ID, "type": "segment"}]},
                "setCampaignSchedule": {"mode": "now"}, "createScheduleJob": {"dryRun": True},
                "createSendJob": {"dryRun": True}}.get(operation)

    @rule(campaign=campaigns, operation=st.sampled_from(OPERATIONS_ON_CAMPAIGN),
          credentials=st.sampled_from(["token_lacking_scope", "no_token", "unknown_token", "other_tenant"]),
          data=st.data())
    def call_with_the_wrong_credentials(self, campaign, operation, credentials, data):
        """000: every endpoint needs a bearer token with its scope; another tenant's campaign is not found."""
        if credentials == "token_lacking_scope":
            self._call_without_the_scope(campaign, operation, data)
        elif credentials == "other_tenant":
            if "other_tenant" in self.target.profile.tokens:
                self._call_from_another_tenant(campaign, operation)
        else:
            self._call_without_a_valid_token(campaign, operation, bad=credentials == "unknown_token")

    def _call_without_the_scope(self, campaign, operation, data):
        scope = self.spec.operations[operation].scope
        candidates = [name for name, t in self.target.profile.tokens.items()
                      if scope not in t.get("scopes", []) and t.get("tenant", self.tenant) == self.tenant]
        if not candidates:
            return
        token = data.draw(st.sampled_from(sorted(candidates)), label="token")
        self.send(operation, campaign, body=self._harmless_body(operation), token=token,
                  expect={(403, "JOURNEY_API.AUTH.INSUFFICIENT_SCOPE")},
                  reqs=("CAMP-AUTH-002", "CAMP-AUTH-004", "CAMP-AUTH-005"))

    def _call_without_a_valid_token(self, campaign, operation, bad):
        op = self.spec.operations[operation]
        headers = {"Authorization": "Bearer not-a-real-token"} if bad else None
        with self.clock.window():
            response = self.target.request(op.method, self._path(operation, campaign), headers=headers,
                                           json_body=self._harmless_body(operation))
        self.transcript.record(op.method, self._path(operation, campaign), None, headers or {},
                               self._harmless_body(operation), response, "401", [401])
        reqs = ("CAMP-AUTH-001",) if 200 <= response.status_code < 300 else \
            ("CAMP-AUTH-001", "CAMP-AUTH-008" if bad else "CAMP-AUTH-007")
        self.check(reqs, response.status_code == 401,
                   f"{op.method} {op.path} without a valid token: expected 401, got {response.status_code}")

    def _call_from_another_tenant(self, campaign, operation):
        self.send(operation, campaign, body=self._harmless_body(operation), token="other_tenant",
                  expect={(404, "JOURNEY_API.PUBLIC.CAMPAIGNS.NOT_FOUND")}, reqs=("CAMP-ERR-001", "CAMP-ERR-005"))

    @precondition(lambda self: bool(self.target.profile.campaigns_with_role("unsupported_type")))
    @rule(operation=st.sampled_from(OPERATIONS_ON_CAMPAIGN), data=st.data())
    def call_on_unsupported_type(self, operation, data):
        fixture = data.draw(st.sampled_from(self.target.profile.campaigns_with_role("unsupported_type")), label="fixture")
        if operation in ("getCampaign", "getCampaignSummary"):
            code, reqs = "JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_TYPE_UNSUPPORTED", ("CAMP-TYPE-003", "CAMP-TYPE-004")
        else:
            code, reqs = "JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED", ("CAMP-TYPE-005", "CAMP-TYPE-006",
                                                                           "CAMP-TYPE-007")
        body = self._harmless_body(operation)
        op = self.spec.operations[operation]
        if op.body_pointer and check_body(self.spec, op, body or {}) is not None:
            return  # a body the spec refuses could be answered 400 first: not this rule's question
        response, _ = self.send(operation, fixture["id"], body=body, expect={(409, code)}, reqs=reqs)
        if response.status_code == 409:
            details = (response.json().get("error") or {}).get("details") or {}
            self.check(("CAMP-TYPE-013",) if operation in ("getCampaign", "getCampaignSummary") else ("CAMP-TYPE-008",),
                       "campaignType" in details, f"{op.method} {op.path}: 409 without error.details.campaignType")

    # --- time and idempotency ---------------------------------------------------------------------

    @precondition(lambda self: self.clock.control)
    @rule(seconds=st.sampled_from([1, 2, 3, 5, 13, 60, 3600, 6 * 3600, 2 * 86400]))
    def advance_clock(self, seconds):
        now = self.clock.advance(seconds)
        self.transcript.admin("/__mock/clock", {"advanceSeconds": seconds}, {"now": iso(now)})

    def _in_flight(self) -> list[Campaign]:
        now = self.clock.now()
        return [c for cid in self.created if (c := self._live(cid)) is not None and c.job is not None
                and now < execution.ended_at(c.job)]

    @precondition(lambda self: self.timing_known and bool(self._in_flight()))
    @rule()
    def fast_forward_to_the_end_of_executions(self):
        """003: every execution ends completed or failed; jump past the last one in flight."""
        end = max(execution.ended_at(c.job) for c in self._in_flight())
        seconds = (end - self.clock.now()).total_seconds() + 1
        now = self.clock.advance(seconds)
        self.transcript.admin("/__mock/clock", {"advanceSeconds": seconds}, {"now": iso(now)})

    @precondition(lambda self: bool(self.idempotent))
    @rule(data=st.data(), same_body=st.booleans())
    def repeat_idempotent_request(self, data, same_body):
        # 000: replays are promised for 24 hours; keys near or past that age are not asked about.
        now = self.clock.now()
        self.idempotent = [e for e in self.idempotent if now - e["at"] < REPLAY_HORIZON]
        if not self.idempotent:
            return
        first = data.draw(st.sampled_from(self.idempotent), label="first")
        body = dict(first["body"])
        if not same_body:
            body["name" if first["operation"] == "createCampaign" else "dryRun"] = (
                self.prefix + "other" if first["operation"] == "createCampaign" else not body.get("dryRun", False))
        op = self.spec.operations[first["operation"]]
        headers = {"Idempotency-Key": first["key"]}
        path = self._path(first["operation"], first["campaign_id"])
        response = self.target.request(op.method, path, token=self.target.profile.token("full"), json_body=body,
                                       headers=headers)
        expected = f"{first['status']} replay" if same_body else "422 IDEMPOTENCY_KEY_REUSED"
        self.transcript.record(op.method, path, "full", headers, body, response, expected,
                               [first["status"]] if same_body else [422])
        if same_body:
            reqs = ({"createCampaign": "CAMP-IDEM-001", "createScheduleJob": "CAMP-IDEM-003",
                     "createSendJob": "CAMP-IDEM-004"}[first["operation"]], "CAMP-IDEM-007")
            same = response.status_code == first["status"] and response.json() == first["response"]
            self.check(reqs, same, f"{op.method} {op.path} replayed with the same Idempotency-Key and body: "
                       f"expected the first answer {first['status']} again, got {response.status_code} "
                       f"{response.text[:300]}")
            if same:
                self.check(("CAMP-IDEM-011",), response.headers.get("Idempotent-Replayed", "").lower() == "true",
                           f"{op.method} {op.path}: a replay lacks Idempotent-Replayed: true")
        else:
            got = outcome_of(response.status_code, response.json() if response.content else None)
            reqs = ("CAMP-IDEM-009",) if not 200 <= got[0] < 300 else ("CAMP-IDEM-009", "CAMP-IDEM-001")
            self.check(reqs, got == (422, "JOURNEY_API.PUBLIC.CAMPAIGNS.IDEMPOTENCY_KEY_REUSED"),
                       f"{op.method} {op.path} with a used Idempotency-Key and another body: expected "
                       f"422 IDEMPOTENCY_KEY_REUSED, got {got[0]} {got[1] or ''}")
        if 200 <= response.status_code < 300 and response.json() != first["response"]:
            self.violate(("CAMP-IDEM-001", "CAMP-IDEM-009"), "a reused Idempotency-Key performed the request again")

    @rule(target=campaigns)
    def create_concurrently_with_one_key(self):
        """Two simultaneous creates with one key make at most one campaign (000: no duplicates)."""
        body = {"name": f"{self.prefix}concurrent", "channel": "email"}
        key = str(uuid.uuid4())
        results: list[Any] = [None, None]

        def go(i: int) -> None:
            results[i] = self.target.request("POST", "/campaigns", token=self.target.profile.token("full"),
                                             json_body=body, headers={"Idempotency-Key": key})

        threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        ids = {r.json()["data"]["campaignId"] for r in results if r is not None and r.status_code == 201}
        for r in results:
            if r is not None:
                self.transcript.record("POST", "/campaigns", "full", {"Idempotency-Key": key}, body, r,
                                       "201 (one campaign) or 409 IDEMPOTENCY_KEY_IN_USE", [201, 409])
        self.check(("CAMP-IDEM-001",), len(ids) <= 1, f"two concurrent creates with one Idempotency-Key made "
                   f"{len(ids)} campaigns: {sorted(ids)}")
        bad = [r.status_code for r in results if r is not None and r.status_code not in (201, 409)]
        self.check(("CAMP-IDEM-010",), not bad, f"concurrent creates with one key answered {bad}")
        if not ids:
            return multiple()
        cid = ids.pop()
        window = self.clock.current()
        expectation = self.oracle.predict("createCampaign", self.tenant, window, body=body)
        first = next(r for r in results if r is not None and r.status_code == 201)
        self.oracle.commit(expectation, self.tenant, window, 201, first.json(), body=body)
        self.transcript.placeholder(cid)
        self.created.append(cid)
        return cid

    # --- what the target shows must agree with the model --------------------------------------------

    @invariant()
    def target_agrees_with_model(self):
        """The campaign the step touched, and every execution still in flight, read back and compared."""
        watch = [self.touched] if self.touched else []
        watch += [cid for cid in self.created if cid != self.touched and (c := self._live(cid)) is not None
                  and c.job is not None and self.last_state.get(cid) not in ("completed", "failed")]
        for cid in watch:
            self._agrees_with_model(cid)

    def _agrees_with_model(self, cid: str) -> None:
        c = self.oracle.campaign(cid)
        if c is None:
            return
        summary, _ = self.send("getCampaignSummary", cid)
        if c.deleted_at is not None or summary.status_code != 200:
            return
        instants = self.clock.current().instants()
        self.record.exercise(checks.exercised(c))
        for reqs, message in checks.compare_summary(self.oracle.world, c, instants, summary.json()["data"],
                                                    timing_known=self.timing_known,
                                                    tenant_zone_known=self.tenant_zone_known):
            self.violate(reqs, message)
        status, _ = self.send("getCampaignStatus", cid)
        if status.status_code == 200:
            data = status.json()["data"]
            for reqs, message in checks.compare_status(self.oracle.world, c, instants, data,
                                                       timing_known=self.timing_known):
                self.violate(reqs, message)
            state = (data.get("execution") or {}).get("state")
            if checks.state_regressed(self.last_state.get(cid), state):
                self.violate(("CAMP-EXEC-005", "CAMP-EXEC-008"),
                             f"execution state went back from {self.last_state[cid]} to {state}")
            self.last_state[cid] = state
            last = (data.get("execution") or {}).get("lastExecution") or {}
            for reqs, message in checks.count_findings("status", last.get("counts"), self.last_counts.get(cid)):
                self.violate(reqs, message)
            if isinstance(last.get("counts"), dict):
                self.last_counts[cid] = last["counts"]
        metrics, _ = self.send("getCampaignMetrics", cid)
        if metrics.status_code == 200:
            counts = metrics.json()["data"].get("counts")
            for reqs, message in checks.count_findings("metrics", counts, None):
                self.violate(reqs, message)
            if c.job is None and counts != dict.fromkeys(counts or {}, 0):
                self.violate(("CAMP-OBS-012",), f"metrics before any execution: expected zeros, got {counts}")

    def teardown(self):
        self.record.examples += 1
        if self.progress is not None and self.record.examples % 10 == 0:
            self.progress(f"stateful suite: {self.record.examples} runs, {sum(self.record.coverage.values())} "
                          f"calls, {len(self.record.violations)} violations")
        # Leave a real target as it was found: delete what this run created (best effort, unchecked).
        for cid in self.created:
            c = self.oracle.campaign(cid)
            if c is not None and c.deleted_at is None:
                try:
                    self.target.request("DELETE", f"/campaigns/{cid}", token=self.target.profile.token("full"))
                except Exception:  # noqa: BLE001 - cleanup must not mask the verdict
                    pass


def build_machine(target: Target, spec: Spec, *, strict: bool, report_dir: Path | None = None,
                  record: RunRecord | None = None,
                  progress: Callable[[str], None] | None = None) -> type[CampaignsMachine]:
    """A machine class bound to one target."""
    return type("CampaignsConformance", (CampaignsMachine,), {
        "target": target, "spec": spec, "strict": strict, "report_dir": report_dir or Path("reports"),
        "record": record if record is not None else RunRecord(),
        "progress": staticmethod(progress) if progress else None,
        "reproduction_name": f"repro-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}.py",
    })
