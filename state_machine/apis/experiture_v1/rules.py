"""The Campaigns v1 lifecycle as rules of the conformance engine (state_machine.conformance).

Each rule makes one call the documents describe (valid or not) through the engine's `send`, which asks the
model which answers the documents allow, fails when the target's answer is not one of them, and moves the
model on by what really happened. After every step the campaign the step touched is read back (summary,
status, metrics) and what the target shows is compared with the model (checks.py). Access, idempotency
and clock rules are the engine's generic families; the hooks below give them this API's bodies.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, multiple, precondition, rule

from contract_spec import check_body, load_spec
from state_machine.conformance.engine import RESOURCES
from state_machine.conformance.operations import answering_resource, on_resource
from state_machine.conformance.recheck import Earlier, Finding, Test, find_pointer
from state_machine.kernel import Decision
from state_machine.kernel.times import iso, parse_timestamp

from . import checks, plugin
from .model import execution, reach
from .model.records import Campaign
from .model.values import CATEGORIES, CHANNELS, COUNT_NAMES, DIRECT_MAIL

UNKNOWN_ID = "0badc0de-0000-4000-8000-00000000dead"
_SPEC = load_spec(plugin.spec_path)
ON_CAMPAIGN = on_resource(_SPEC, plugin)  # the operations on one campaign
OBJECT_OPERATIONS = answering_resource(_SPEC, plugin)  # the operations that answer the campaign object


class CampaignsRules:
    """A mixin of the engine (`plugin.machine`): the engine supplies send/check/violate, the oracle, the
    clock and the transcript; build_machine composes the two."""

    campaigns = RESOURCES
    # read after every step by target_agrees_with_model (the read-back family reads the other views)
    views_read_by_api = ("getCampaignSummary", "getCampaignStatus", "getCampaignMetrics")

    def __init__(self) -> None:
        super().__init__()
        profile = self.target.profile
        self.prepared: list[str] = []
        self.last_counts: dict[str, tuple[int, dict[str, int]]] = {}  # (transcript step, counts) last read
        self.high_counts: dict[str, dict[str, int]] = {}  # per campaign, the highest counts any view showed
        # per campaign, the last summary read: (binding instant, reach status, transcript step, summary data)
        self.last_reach: dict[str, tuple[Any, str, int, dict[str, Any]]] = {}
        self.alterations = 0  # how many times alter() renamed a campaign (each name differs)
        self.last_state: dict[str, str] = {}
        self.last_state_step: dict[str, int] = {}
        self.timing_known = bool(profile.timing) and self.clock.control
        self.tenant_zone_known = bool(profile.fixtures.get("tenants"))

    # --- the engine's hooks -----------------------------------------------------------------------

    def committed(self, operation: str, resource_id: str | None, payload: Any, decision: Decision) -> None:
        """A campaign object a committed success answered is compared with the model's."""
        if operation not in OBJECT_OPERATIONS:
            return
        self.record.exercise(("CAMP-CAT-001", "CAMP-CAT-002", "CAMP-CAT-003", "CAMP-CAT-004")
                             if operation == "createCampaign" else ("CAMP-LIFE-013",))
        data = self.plugin.envelope.data(payload)
        if operation == "createCampaign" and isinstance(data, dict):
            self.clock.calibrate(parse_timestamp(data.get("createdAt")))  # the target's clock, not ours
        record = self._campaign(self.plugin.resource.id_of(data) or resource_id or "")
        if record is not None:
            op = self.spec.operations[operation]
            self.report_findings([replace(f, message=f"{op.method} {op.path} answered a campaign whose {f.message}")
                                  for f in checks.compare_object(record, data)], self.located(self.step, data))

    def still_there(self, resource_id: str) -> bool:
        return self._live(resource_id) is not None

    def harmless_body(self, operation: str) -> Any:
        return {"updateCampaign": {"name": self.prefix + "x"}, "replaceCampaignContent": {"templateId": UNKNOWN_ID},
                "replaceCampaignAudience": {"include": [{"audienceId": UNKNOWN_ID, "type": "segment"}]},
                "setCampaignSchedule": {"mode": "now"}, "createScheduleJob": {"dryRun": True},
                "createSendJob": {"dryRun": True}}.get(operation)

    def other_body(self, operation: str, body: dict[str, Any]) -> dict[str, Any] | None:
        if operation == "createCampaign":
            return {**body, "name": self.prefix + "other"}
        return {**body, "dryRun": not body.get("dryRun", False)}

    def fresh_body(self, operation: str) -> dict[str, Any] | None:
        return {"name": f"{self.prefix}concurrent", "channel": "email"} if operation == "createCampaign" else None

    def alter(self, resource_id: str) -> None:
        """A draft not yet configured is configured (so a job refused as not ready would now be accepted);
        every campaign is renamed (so a re-rendered object would differ)."""
        c = self._live(resource_id)
        if c is None:
            return
        if c.authoring_status == "draft" and resource_id not in self.prepared:
            self._prepare(resource_id, 1)
        self.alterations += 1
        self.send("updateCampaign", resource_id, body={"name": f"{self.prefix}altered-{self.alterations}"})

    def replacement_bodies(self, operation: str, resource_id: str) -> tuple[Any, Any] | None:
        """002: audience include [a, b] + exclude [c], then include [a] alone; content: one template, then
        another of the campaign's channel (a published one first, so a second PUT must replace it)."""
        c = self._live(resource_id)
        if c is None or c.authoring_status != "draft":
            return None
        if operation == "replaceCampaignAudience":
            ok = [{"audienceId": a["id"], "type": a.get("type", "audience")} for a in self._audiences("ok")]
            if len(ok) < 3:
                return None
            return {"include": ok[:2], "exclude": ok[2:3]}, {"include": ok[:1]}
        if operation == "replaceCampaignContent":
            pool = self._ids(c.channel, status=None)
            return ({"templateId": pool[0]}, {"templateId": pool[1]}) if len(pool) >= 2 else None
        return None

    def compare_view(self, operation: str, resource_id: str, data: Any) -> list[tuple[tuple[str, ...], str]]:
        c = self._campaign(resource_id)
        if c is None:
            return []
        if operation == "getCampaign":
            return checks.compare_full_object(self.oracle.world, c, self.clock.current().end, data)
        if operation == "listCampaigns":
            return checks.compare_list_row(c, self.prefix, data if isinstance(data, list) else [])
        return []

    # --- plumbing ---------------------------------------------------------------------------------

    def _campaign(self, campaign_id: str) -> Campaign | None:
        return self.oracle.world.campaigns.get(campaign_id)

    def _live(self, campaign_id: str) -> Campaign | None:
        c = self._campaign(campaign_id)
        return c if c is not None and c.deleted_at is None else None

    def _fixtures_with_role(self, role: str) -> list[dict[str, Any]]:
        return self.target.profile.with_role("campaigns", role)

    def _ids(self, channel: str | None = None, status: str | None = "published") -> list[str]:
        return [t["id"] for t in self.target.profile.fixtures.get("templates", [])
                if t.get("tenant", self.tenant) == self.tenant and (channel is None or t["channel"] == channel)
                and (status is None or t.get("status") == status) and t.get("role") != "compliance_blocker"]

    def _audiences(self, role: str | None = None) -> list[dict[str, Any]]:
        return [a for a in self.target.profile.fixtures.get("audiences", [])
                if a.get("tenant", self.tenant) == self.tenant and (role is None or a.get("role", "ok") == role
                                                                   or (role == "ok" and "role" not in a))]

    # --- campaign object --------------------------------------------------------------------------

    @initialize(target=campaigns, channel=st.sampled_from(CHANNELS), days=st.integers(1, 5),
                delivery_fails=st.booleans())
    def start_with_a_prepared_campaign(self, channel, days, delivery_fails):
        """Each run starts from a draft configured by the documented happy path, so the later stages of
        the lifecycle (jobs, locked configuration, execution) are reached within a few steps."""
        response, _ = self.send("createCampaign", body={"name": f"{self.prefix}{channel}", "channel": channel})
        if not response.is_success:
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
        response = self.send_keyed("createCampaign", None, body, with_key)
        if not response.is_success:
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
        if not response.is_success:
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
        # Each binding replaces a broader one first (002: "a full replacement, not a merge"; 000: "Replace
        # content/template binding"), so every run's read-back sees a replacement, not only a first binding.
        if (broader := self.replacement_bodies("replaceCampaignAudience", campaign)) is not None:
            self.send("replaceCampaignAudience", campaign, body=broader[0])
        self.send("replaceCampaignAudience", campaign,
                  body={"include": [{"audienceId": ok[0]["id"], "type": ok[0].get("type", "audience")}]})
        others = [t for t in self._ids(c.channel, status=None) if t != templates[0]]
        if others:
            self.send("replaceCampaignContent", campaign, body={"templateId": others[0]})
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
        self.send_keyed("createScheduleJob", campaign, body, with_key)

    @rule(campaign=campaigns, dry_run=st.booleans(), with_key=st.booleans(), data=st.data())
    def send_job(self, campaign, dry_run, with_key, data):
        campaign = self._pick(campaign, data)
        if not self._may_commit(dry_run):
            dry_run = True
        body = {"dryRun": True} if dry_run else {}
        self.send_keyed("createSendJob", campaign, body, with_key)

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
            listed = f"pluck({self.recheck.at(self.step, '/data')}, 'campaignId')"
            self.check(reqs, self._list_matches(want, got, sort), f"list {query}: expected campaigns {want}, got {got}",
                       holds=self.recheck.all(f"sorted_({listed}) == sorted_({self.recheck.value(want)})",
                                              *([f"{listed} == {self.recheck.value(want)}"]
                                                if sort == "name" and len(set(want)) == len(want) else [])))
            total = response.json().get("pagination", {}).get("total")
            want_total = expectation.decisions[-1].extra["pagination"]["total"]
            self.check(("CAMP-LIST-002", "CAMP-LIST-003"), total == want_total,
                       f"list {query}: pagination.total expected {want_total}, got {total}",
                       pointer="/pagination/total", expected=want_total)

    @staticmethod
    def _list_matches(want: list[str], got: list[str], sort: str | None) -> bool:
        # Equal timestamps may be ordered either way by another implementation; the set must match and,
        # when sorting by name, so must the order.
        return sorted(want) == sorted(got) and (sort != "name" or want == got or len(set(want)) != len(want))

    # --- other types of campaign ---------------------------------------------------------------

    @precondition(lambda self: bool(self._fixtures_with_role("unsupported_type")))
    @rule(operation=st.sampled_from(ON_CAMPAIGN), data=st.data())
    def call_on_unsupported_type(self, operation, data):
        fixture = data.draw(st.sampled_from(self._fixtures_with_role("unsupported_type")), label="fixture")
        if operation in ("getCampaign", "getCampaignSummary"):
            code, reqs = "JOURNEY_API.PUBLIC.CAMPAIGNS.SUMMARY_TYPE_UNSUPPORTED", ("CAMP-TYPE-003", "CAMP-TYPE-004")
        else:
            code, reqs = "JOURNEY_API.PUBLIC.CAMPAIGNS.TYPE_UNSUPPORTED", ("CAMP-TYPE-005", "CAMP-TYPE-006",
                                                                           "CAMP-TYPE-007")
        body = self.harmless_body(operation)
        op = self.spec.operations[operation]
        if op.body_pointer and check_body(self.spec, op, body or {}, self.plugin) is not None:
            return  # a body the spec refuses could be answered 400 first: not this rule's question
        response, _ = self.send(operation, fixture["id"], body=body, expect={(409, code)}, reqs=reqs)
        if response.status_code == 409:
            details = (response.json().get("error") or {}).get("details") or {}
            self.check(("CAMP-TYPE-013",) if operation in ("getCampaign", "getCampaignSummary") else ("CAMP-TYPE-008",),
                       "campaignType" in details, f"{op.method} {op.path}: 409 without error.details.campaignType",
                       holds=f"'campaignType' in ({self.recheck.at(self.step, '/error/details')} or {{}})")

    # --- time ----------------------------------------------------------------------------------------

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
        self.advance_by(seconds)

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
        c = self._campaign(cid)
        if c is None:
            return
        summary, _ = self.send("getCampaignSummary", cid)
        if c.deleted_at is not None or summary.status_code != 200:
            return
        instants = self.clock.current().instants()
        self.record.exercise(checks.exercised(c))
        sdata = summary.json()["data"]
        at = self.step
        self.report_findings(checks.compare_summary(self.oracle.world, c, instants, sdata,
                                                    timing_known=self.timing_known,
                                                    tenant_zone_known=self.tenant_zone_known), self.located(at, sdata))
        high = self.high_counts.setdefault(cid, {})
        latest = (sdata.get("latestExecution") or {}).get("counts")
        self.report_findings(checks.high_water("summary latestExecution", latest, high), self.located(at, latest))
        self._reach_moves_forward(cid, c, sdata, at)
        status, _ = self.send("getCampaignStatus", cid)
        if status.status_code == 200:
            data, at = status.json()["data"], self.step
            self.report_findings(checks.compare_status(self.oracle.world, c, instants, data,
                                                       timing_known=self.timing_known), self.located(at, data))
            state = (data.get("execution") or {}).get("state")
            if checks.state_regressed(self.last_state.get(cid), state):
                before = self.last_state[cid]
                onward = [s for s in checks.STATE_ORDER if not checks.state_regressed(before, s)]
                self.violate(("CAMP-EXEC-005", "CAMP-EXEC-008"), f"execution state went back from {before} to {state}",
                             holds=f"{self.recheck.at(at, (find_pointer(status.json(), data) or '/data') + '/execution/state')} in "
                                   f"{self.recheck.value(onward)}")
            self.last_state[cid] = state
            last = (data.get("execution") or {}).get("lastExecution") or {}
            previous = self.last_counts.get(cid)
            self.report_findings(checks.count_findings("status", last.get("counts"), previous and previous[1]),
                                 self.located(at, last.get("counts")),
                                 earlier=self.located(*previous) if previous else None)
            self.report_findings(checks.high_water("status lastExecution", last.get("counts"), high),
                                 self.located(at, last.get("counts")))
            if isinstance(last.get("counts"), dict):
                self.last_counts[cid] = (at, last["counts"])
        metrics, _ = self.send("getCampaignMetrics", cid)
        if metrics.status_code == 200:
            counts, at = metrics.json()["data"].get("counts"), self.step
            self.report_findings(checks.count_findings("metrics", counts, None), self.located(at, counts))
            if c.job is not None:
                self.report_findings(checks.high_water("metrics", counts, high), self.located(at, counts))
            if c.job is None and isinstance(counts, dict) and any(counts.get(k) != 0 for k in COUNT_NAMES):
                self.report_findings([Finding(("CAMP-OBS-012",), f"metrics before any execution: expected zeros, got "
                                              f"{counts}", tuple(Test((k,), "==", 0) for k in COUNT_NAMES))],
                                     self.located(at, counts))

    def _reach_moves_forward(self, cid: str, c: Campaign, summary: dict[str, Any], step: int) -> None:
        """002: an evaluation of one binding ends ok or failed and stays there until the audience changes."""
        status = ((summary.get("audience") or {}).get("reach") or {}).get("status")
        before = self.last_reach.get(cid)
        self.last_reach[cid] = (c.audience_bound_at, status, step, summary)
        if before is not None and before[0] == c.audience_bound_at and before[1] in ("ok", "failed") \
                and status != before[1]:
            self.report_findings([Finding(("CAMP-REACH-002", "CAMP-REACH-007"),
                                          f"audience.reach.status went from {before[1]} to {status} without a new "
                                          f"binding", (Test(("audience", "reach", "status"), "==",
                                                            Earlier(("audience", "reach", "status"))),))],
                                 self.located(step, summary), earlier=self.located(before[2], before[3]))

    # --- time-driven states: a clock step inside every window ---------------------------------------

    def _next_instants(self) -> list[Any]:
        """Instants inside the next window of each time-driven state still to come: reach pending -> done;
        execution scheduled -> pending_or_overdue -> running -> completed/failed."""
        now = self.clock.now()
        out = []
        for cid in self.created:
            c = self._live(cid)
            if c is None:
                continue
            done = reach.finished_at(c)
            if done is not None and c.include:
                out += [c.audience_bound_at + (done - c.audience_bound_at) / 2, done + timedelta(seconds=1)]
            if c.job is not None:
                start, end = execution.started_at(c.job), execution.ended_at(c.job)
                out += [c.job.due_at - timedelta(seconds=1), c.job.due_at + (start - c.job.due_at) / 2,
                        start + (end - start) / 2, end + timedelta(seconds=1)]
        return sorted(t for t in out if t > now)

    @precondition(lambda self: self.timing_known and bool(self._next_instants()))
    @rule()
    def step_into_the_next_window(self):
        """The clock moves to the next instant inside a time-driven state's window (before, during and after
        each transition), so the read-back that follows observes it there."""
        self.advance_by((self._next_instants()[0] - self.clock.now()).total_seconds())
