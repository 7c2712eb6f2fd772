"""The Club Campaigns lifecycle (004) as rules of the conformance engine (state_machine.conformance).

Each rule makes one call 004 describes (valid or not) through the engine's `send`, which asks the model
which answers are allowed, fails when the target's answer is not one of them, and moves the model on by
what really happened. Action answers are compared with the model's at the instants of the call's window;
after every step the campaign the step touched is read back (get, stats, interactions of one type) and
compared with the model (checks.py). Access and clock rules are the engine's generic families (the Club
API has no scopes and no Idempotency-Key); the hooks below give them this API's bodies.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, multiple, precondition, rule

from state_machine.conformance.engine import RESOURCES
from state_machine.conformance.recheck import Locate
from state_machine.kernel.times import parse_timestamp

from . import checks
from .model import codes, delivery
from .model.records import Campaign
from .model.values import (
    ACTIVE,
    CANCELLED,
    DRAFT,
    EMAIL,
    INTERACTION_TYPES,
    JOURNEY,
    ONE_TIME,
    PAUSED,
    RECURRING,
    SCHEDULED,
    SMS,
    STATUSES,
    TRIGGERED,
    TYPES,
)
from .model.views import stamp

UNKNOWN_ID = "campaign_does_not_exist_0000"
UNKNOWN_CLUB = "club_does_not_exist"
ACTION_OPERATIONS = ("executeCampaign", "pauseCampaign", "resumeCampaign", "cancelCampaign")
CHANNEL_SETS = ((EMAIL,), (SMS,), (EMAIL, SMS))
WEEKLY = {"frequency": "weekly", "dayOfWeek": 1, "time": "09:00"}
CREATE_VARIANTS = ("valid", "valid", "valid", "scheduled_future", "scheduled_past", "unknown_segment",
                   "other_tenant_segment", "other_channel_template", "other_tenant_id", "missing_name",
                   "bad_timezone", "unknown_field", "journey")
# The statuses 004's table moves on by each action.
FROM = {"scheduleCampaign": {DRAFT}, "executeCampaign": {DRAFT}, "pauseCampaign": {ACTIVE},
        "resumeCampaign": {PAUSED}, "cancelCampaign": {SCHEDULED, PAUSED}}
TYPE_REQS = {ONE_TIME: "CLUB-TYPE-001", RECURRING: "CLUB-TYPE-002", TRIGGERED: "CLUB-TYPE-003",
             JOURNEY: "CLUB-TYPE-004"}
# (status seen, status seen later) pairs 004's moves allow (the same status included): CLUB-LIFE-011.
REACHABLE = [[a, b] for a in STATUSES for b in STATUSES if a == b or checks.reachable(a, b)]
PATCH_FIELDS = ("name", "description", "segmentId", "emailTemplateId", "smsTemplateId", "channels", "timezone",
                "scheduledAt", "same_segment", "unknown_segment", "unknown_field")


class ClubRules:
    """A mixin of the engine (`plugin.machine`): the engine supplies send/check/violate, the oracle, the
    clock and the transcript; build_machine composes the two."""

    campaigns = RESOURCES

    def __init__(self) -> None:
        super().__init__()
        profile = self.target.profile
        fixtures = profile.fixtures
        # Counts are compared by value only when the target paces delivery as the model does.
        self.timing_known = self.clock.control and dict(profile.timing) == dict(self.plugin.timing)
        self.sizes_known = bool(fixtures.get("segments")) and all("size" in s for s in fixtures["segments"])
        # Each observation with where a reproduction reads it again (recheck source), to compare later reads with.
        self.seen_status: dict[str, tuple[str, str]] = {}
        self.seen_sent: dict[str, tuple[int, str]] = {}  # the most sentCount seen
        self.paused_sent: dict[str, tuple[int, str]] = {}  # the pause answer's sentCount, while the model says PAUSED
        # The user the full token acts for, when the profile names it (createdBy, CLUB-GET-004).
        self.creator = next((t.get("user") for t in fixtures.get("tenants", []) if t.get("id") == self.tenant), None)
        self.reads = 0
        self._align_clock()

    def _align_clock(self) -> None:
        """A controlled clock is moved (forward) to a whole second: its admin surface reports milliseconds, and
        a start, pause or send moment the model places a fraction of a millisecond off could flip a count."""
        if not self.clock.control:
            return
        now = self.clock.now()
        whole = now.replace(microsecond=0) + timedelta(seconds=1)
        response = self.target.admin("POST", "/clock", {"now": stamp(whole)})
        if response.status_code == 200:
            self.transcript.admin("/__mock/clock", {"now": stamp(whole)}, response.json())
            self.clock.advance(0)  # re-read the (frozen) clock

    # --- the engine's hooks -----------------------------------------------------------------------

    def committed(self, operation: str, resource_id: str | None, payload: Any, decision: Any) -> None:
        """A created or updated campaign object is compared with the model's record."""
        if operation not in ("createCampaign", "updateCampaign"):
            return
        data = self.plugin.envelope.data(payload)
        c = self._campaign(self.plugin.resource.id_of(data) or resource_id or "")
        if c is None:
            return
        self.record.exercise(("CLUB-CREATE-002", "CLUB-CREATE-003", TYPE_REQS[c.type]) if operation == "createCampaign"
                             else ("CLUB-UPDATE-007",))
        where = "POST /campaigns" if operation == "createCampaign" else "PATCH /campaigns/{id}"
        extra = ("CLUB-CREATE-003",) if operation == "createCampaign" else ("CLUB-UPDATE-007",)
        self.report_findings(checks.compare_campaign(self.oracle.world, c, self.clock.current().instants(), data,
                                             timing_known=self.timing_known, sizes_known=self.sizes_known,
                                             where=where, creator=self.creator), self._at(self.step), also=extra,
                     success=self.step)

    def still_there(self, resource_id: str) -> bool:
        return False  # 004 has no delete

    def harmless_body(self, operation: str) -> Any:
        far = stamp(self.clock.now() + timedelta(days=400))
        return {"updateCampaign": {"name": self.prefix + "x"}, "scheduleCampaign": {"scheduledAt": far}}.get(operation)

    # --- where a reproduction reads what a comparison compared (recheck.py) ---------------------------

    def _at(self, step: int) -> Locate:
        """A Club answer is the data itself: key paths from the root of `step`'s answer."""
        return self.recheck.locator(step, "")

    def _row(self, step: int, cid: str) -> Locate:
        """Campaign `cid`'s row in `step`'s list answer, found by its id (rows of one createdAt are in id
        order, and the replay's ids are others)."""
        return self.recheck.locator(step, "/data", ({"id": cid},))

    # --- plumbing ---------------------------------------------------------------------------------

    def _campaign(self, campaign_id: str) -> Campaign | None:
        return self.oracle.world.campaigns.get(campaign_id)

    def _status(self, campaign_id: str, moment: datetime | None = None) -> str | None:
        c = self._campaign(campaign_id)
        return delivery.status(self.oracle.world, c, moment or self.clock.now()) if c is not None else None

    def _own(self, kind: str, **match: Any) -> list[dict[str, Any]]:
        return [f for f in self.target.profile.fixtures.get(kind, [])
                if f.get("tenant", self.tenant) == self.tenant and all(f.get(k) == v for k, v in match.items())]

    def _foreign(self, kind: str) -> list[dict[str, Any]]:
        return [f for f in self.target.profile.fixtures.get(kind, []) if f.get("tenant", self.tenant) != self.tenant]

    def _template(self, channel: str) -> str | None:
        found = self._own("templates", channel=channel)
        return found[0]["id"] if found else None

    def _channels(self, channels: tuple[str, ...]) -> tuple[str, ...]:
        """The channels asked for that the profile has a template of (else the first that has one)."""
        usable = tuple(ch for ch in channels if self._template(ch))
        return usable or tuple(ch for ch in (EMAIL, SMS) if self._template(ch))[:1] or (EMAIL,)

    def _other_tenant(self) -> str | None:
        other = self.target.profile.tokens.get("other_tenant")
        tenant = other.get("tenant") if other else None
        return tenant if tenant and tenant != self.tenant else None

    def _pick(self, campaign: str, data: Any, operation: str | None = None) -> str:
        """Often, a campaign of a status drawn first, so every (status, action) pair is met within a run;
        for an action, half of the time one of a status the table moves on by it."""
        focus = data.draw(st.integers(0, 3), label="focus") if self.created else 0
        if focus == 0:
            return campaign
        if operation in FROM and focus >= 1:
            now = self.clock.now()
            fitting = [cid for cid in self.created if self._status(cid, now) in FROM[operation]]
            if fitting:
                return data.draw(st.sampled_from(fitting[-4:]), label="fitting campaign")
            if FROM[operation] == {DRAFT}:  # a fresh draft, rather than no transition at all
                fresh = self._create(self._create_body(ONE_TIME, (EMAIL,), "valid", 0))
                if fresh is not None:
                    return fresh
        now = self.clock.now()
        by_status: dict[str, list[str]] = {}
        for cid in self.created:
            c = self._campaign(cid)
            if c is not None:
                by_status.setdefault(delivery.status(self.oracle.world, c, now), []).append(cid)
        if not by_status:
            return campaign
        status = data.draw(st.sampled_from(sorted(by_status)), label="status")
        return data.draw(st.sampled_from(by_status[status][-4:]), label=f"{status} campaign")

    def _windowed(self, operation: str, resource_id: str | None = None, **kw: Any):
        """send, and the window around it (to compare time-dependent values with the model)."""
        with self.clock.window() as holder:
            response, expectation = self.send(operation, resource_id, **kw)
        return response, expectation, holder[0].instants()

    # --- create -----------------------------------------------------------------------------------

    def _create_body(self, kind: str, channels: tuple[str, ...], variant: str, segment: int) -> dict[str, Any]:
        clubs = self._own("clubs")
        segments = self._own("segments")
        # Prefer the small segments: a send of a big one makes long interaction lists.
        segments = sorted(segments, key=lambda s: s.get("size", 0))[:2]
        channels = self._channels(channels)
        body: dict[str, Any] = {"tenantId": self.tenant, "clubId": clubs[0]["id"] if clubs else "club_unknown",
                                "name": f"{self.prefix}{kind.lower()}", "type": kind, "channels": list(channels)}
        if EMAIL in channels:
            body["emailTemplateId"] = self._template(EMAIL)
        if SMS in channels:
            body["smsTemplateId"] = self._template(SMS)
        if kind in (ONE_TIME, RECURRING, JOURNEY) and segments:
            body["segmentId"] = segments[segment % len(segments)]["id"]
        if kind == RECURRING:
            body["schedule"] = dict(WEEKLY)
        if kind == TRIGGERED:
            body["triggerEvent"] = "scl.member.tier.changed"
            body["triggerConditions"] = {"reason": "upgrade"}
        now = self.clock.now()
        if variant == "scheduled_future" and kind == ONE_TIME:
            body["scheduledAt"] = stamp(now + timedelta(hours=2))
        elif variant == "scheduled_past" and kind == ONE_TIME:
            body["scheduledAt"] = stamp(now - timedelta(hours=2))
        elif variant == "unknown_segment":
            body["segmentId"] = "segment_does_not_exist"
        elif variant == "other_tenant_segment" and self._foreign("segments"):
            body["segmentId"] = self._foreign("segments")[0]["id"]
        elif variant == "other_channel_template" and EMAIL in channels and self._template(SMS):
            body["emailTemplateId"] = self._template(SMS)
        elif variant == "other_tenant_id" and self._other_tenant():
            body["tenantId"] = self._other_tenant()
        elif variant == "missing_name":
            del body["name"]
        elif variant == "bad_timezone":
            body["timezone"] = "Mars/Olympus_Mons"
        elif variant == "unknown_field":
            body["priority"] = "high"
        return body

    def _create(self, body: dict[str, Any]) -> str | None:
        response, _ = self.send("createCampaign", body=body)
        if response.status_code != 201:
            return None
        cid = self.plugin.resource.id_of(self.plugin.envelope.data(response.json()))
        if cid is None or self._campaign(cid) is None:
            return None
        self.created.append(cid)
        self.touched = cid
        return cid

    @initialize(target=campaigns, channels=st.sampled_from(CHANNEL_SETS), segment=st.integers(0, 2),
                start=st.sampled_from(["draft", "execute", "execute", "schedule"]))
    def start_with_a_campaign(self, channels, segment, start):
        """Each run starts from a ONE_TIME campaign, often already sending or scheduled, so the later
        statuses (ACTIVE, PAUSED, COMPLETED) are reached within a few steps."""
        cid = self._create(self._create_body(ONE_TIME, channels, "valid", segment))
        if cid is None:
            return multiple()
        if start == "execute":
            self._action("executeCampaign", cid)
        elif start == "schedule":
            self._schedule(cid, {"scheduledAt": stamp(self.clock.now() + timedelta(minutes=30))})
        return cid

    @rule(target=campaigns, kind=st.sampled_from(TYPES), channels=st.sampled_from(CHANNEL_SETS),
          variant=st.sampled_from(CREATE_VARIANTS), segment=st.integers(0, 2))
    def create_campaign(self, kind, channels, variant, segment):
        if variant == "journey":
            kind = JOURNEY
        elif kind == JOURNEY:
            kind = ONE_TIME
        cid = self._create(self._create_body(kind, channels, variant, segment))
        return cid if cid is not None else multiple()

    # --- update -----------------------------------------------------------------------------------

    @rule(campaign=campaigns, field=st.sampled_from(PATCH_FIELDS), data=st.data())
    def patch_campaign(self, campaign, field, data):
        campaign = self._pick(campaign, data)
        c = self._campaign(campaign)
        if c is None:
            return
        segments = [s["id"] for s in self._own("segments")]
        body: dict[str, Any]
        if field == "name":
            body = {"name": self.prefix + "renamed"}
        elif field == "description":
            body = {"description": data.draw(st.sampled_from([None, "about"]), label="description")}
        elif field == "segmentId":
            others = [s for s in segments if s != c.segment_id] or segments
            if not others:
                return
            body = {"segmentId": others[0]}
        elif field == "same_segment":
            if c.segment_id is None:
                return
            body = {"segmentId": c.segment_id, "name": self.prefix + "same"}
        elif field in ("emailTemplateId", "smsTemplateId"):
            template = self._template(EMAIL if field == "emailTemplateId" else SMS)
            if template is None:
                return
            body = {field: template}
        elif field == "channels":
            body = {"channels": list(self._channels(data.draw(st.sampled_from(CHANNEL_SETS), label="channels")))}
        elif field == "timezone":
            body = {"timezone": data.draw(st.sampled_from(["Europe/London", "Africa/Johannesburg", "Nowhere/Zone"]),
                                          label="timezone")}
        elif field == "scheduledAt":
            body = {"scheduledAt": stamp(self.clock.now() + timedelta(hours=3))}
        elif field == "unknown_segment":
            body = {"segmentId": "segment_does_not_exist"}
        else:
            body = {"priority": "high"}
        self.send("updateCampaign", campaign, body=body)

    # --- lifecycle --------------------------------------------------------------------------------

    @rule(campaign=campaigns, variant=st.sampled_from(["future", "future", "soon", "past", "missing", "malformed"]),
          data=st.data())
    def schedule_campaign(self, campaign, variant, data):
        campaign = self._pick(campaign, data, "scheduleCampaign")
        now = self.clock.now()
        body: dict[str, Any] = {
            "future": {"scheduledAt": stamp(now + timedelta(hours=5))},
            "soon": {"scheduledAt": stamp(now + timedelta(seconds=90))},
            "past": {"scheduledAt": stamp(now - timedelta(minutes=10))},
            "missing": {}, "malformed": {"scheduledAt": "next tuesday"}}[variant]
        self._schedule(campaign, body)

    def _schedule(self, campaign: str, body: dict[str, Any]) -> None:
        response, expectation, _ = self._windowed("scheduleCampaign", campaign, body=body)
        self._compare_action("scheduleCampaign", response, expectation)

    # One rule per action, so that actions are drawn as often as the rest (each from every status).
    @rule(campaign=campaigns, data=st.data())
    def execute_campaign(self, campaign, data):
        self._action("executeCampaign", self._pick(campaign, data, "executeCampaign"))

    @rule(campaign=campaigns, data=st.data())
    def pause_campaign(self, campaign, data):
        self._action("pauseCampaign", self._pick(campaign, data, "pauseCampaign"))

    @rule(campaign=campaigns, data=st.data())
    def resume_campaign(self, campaign, data):
        self._action("resumeCampaign", self._pick(campaign, data, "resumeCampaign"))

    @rule(campaign=campaigns, data=st.data())
    def cancel_campaign(self, campaign, data):
        self._action("cancelCampaign", self._pick(campaign, data, "cancelCampaign"))

    def _action(self, operation: str, campaign: str) -> None:
        before = self._campaign(campaign)
        response, expectation, instants = self._windowed(operation, campaign)
        if (operation == "cancelCampaign" and response.status_code == 200 and before is not None
                and self._campaign(campaign) is before):
            self._adopt_cancel(campaign, response, instants)  # CLUB-LIFE-010: the text's reading of cancel
            return
        self._compare_action(operation, response, expectation)
        if operation == "pauseCampaign" and response.status_code == 200:
            sent = response.json().get("sentCount")
            if isinstance(sent, int):
                self.paused_sent[campaign] = (sent, self._at(self.step)(("sentCount",)))
                self._saw_sent(campaign, sent, "pause answer", self._at(self.step)(("sentCount",)))
        if operation == "cancelCampaign" and response.status_code == 200:
            sent = response.json().get("sentCount")
            if isinstance(sent, int):
                self._saw_sent(campaign, sent, "cancel answer", self._at(self.step)(("sentCount",)))

    def _adopt_cancel(self, campaign: str, response: Any, instants: tuple[datetime, ...]) -> None:
        """The target cancelled an ACTIVE campaign (004's text; the table does not list it): both readings are
        accepted (CLUB-LIFE-010), so the model follows the target's."""
        c = self._campaign(campaign)
        assert c is not None
        answer = response.json() if isinstance(response.json(), dict) else {}
        moment = parse_timestamp(answer.get("cancelledAt")) if isinstance(answer.get("cancelledAt"), str) else None
        if moment is None or not instants[0] <= moment <= instants[-1]:
            moment = instants[-1]
        settled = delivery.settle(self.oracle.world, c, moment)
        # Checked on a 200 answer: of an ACTIVE campaign, with status CANCELLED; of any other (the model's status
        # there, which the replay reaches again), the 200 is the departure.
        answered = self.recheck.status(self.step)
        self.check(("CLUB-LIFE-010", "CLUB-CANCEL-001"), settled.status == ACTIVE and answer.get("status") == CANCELLED,
                   f"cancel of a {settled.status} campaign answered 200 {answer.get('status')!r}",
                   holds=self.recheck.any(f"{answered} != 200", f"{self.recheck.at(self.step, '/status')} == "
                                                                 f"{self.recheck.value(CANCELLED)}")
                   if settled.status == ACTIVE else f"{answered} != 200")
        self.oracle.world.apply({c.id: settled.but(status=CANCELLED, cancelled_at=moment, updated_at=moment)})

    def _compare_action(self, operation: str, response: Any, expectation: Any) -> None:
        if not 200 <= response.status_code < 300 or not expectation.decisions:
            return
        allowed = [d.data for d in expectation.decisions if d.status == response.status_code and d.data is not None]
        if not allowed:
            return
        self.report_findings(checks.compare_action(operation, response.json(), allowed, timing_known=self.timing_known,
                                           sizes_known=self.sizes_known), self._at(self.step), success=self.step)
        self.record.exercise(checks.ACTION_REQS[operation] + (("CLUB-EXEC-002",) if operation == "executeCampaign"
                                                              else ()))

    def _fixtures(self, role: str) -> list[dict[str, Any]]:
        return self.target.profile.with_role("campaigns", role)

    @rule(whose=st.sampled_from(["journey", "journey", "other_tenant", "unknown"]),
          operation=st.sampled_from(("getCampaign", "updateCampaign", "scheduleCampaign", *ACTION_OPERATIONS,
                                     "getCampaignStats")))
    def call_a_campaign_not_ours(self, whose, operation):
        """A JOURNEY campaign is managed via the Journeys API (CLUB-TYPE-005); another tenant's campaign
        answers as an unknown one (CLUB-AUTH-004, CLUB-ERR-004)."""
        if whose == "unknown":
            self.send(operation, UNKNOWN_ID, body=self.harmless_body(operation))
            return
        fixtures = [f for f in self._fixtures(whose) if (f.get("tenant", self.tenant) == self.tenant) ==
                    (whose == "journey")]
        if not fixtures:
            return
        if whose == "other_tenant":
            self.send(operation, fixtures[0]["id"], body=self.harmless_body(operation),
                      expect={(404, codes.NOT_FOUND)}, reqs=("CLUB-AUTH-004", "CLUB-ERR-004"))
        elif operation not in ("getCampaign", "getCampaignStats"):
            allowed = {(409, codes.MANAGED_BY_JOURNEY)}
            if operation != "updateCampaign":
                allowed.add((409, codes.INVALID_TRANSITION))
            self.send(operation, fixtures[0]["id"], body=self.harmless_body(operation), expect=allowed,
                      reqs=("CLUB-TYPE-004", "CLUB-TYPE-005"))

    # --- reads ------------------------------------------------------------------------------------

    @rule(campaign=campaigns, kind=st.sampled_from([None, *INTERACTION_TYPES]),
          skip=st.sampled_from([None, None, 0, 1, 5, 10_000, -1]), take=st.sampled_from([None, None, 1, 3, 100, 500, 0]),
          data=st.data())
    def read_interactions(self, campaign, kind, skip, take, data):
        campaign = self._pick(campaign, data)
        query = {k: str(v) for k, v in (("type", kind), ("skip", skip), ("take", take)) if v is not None}
        response, _ = self.send("getCampaignInteractions", campaign, query=query or None)
        page_step = self.step
        if response.status_code == 200 and kind is not None:
            stats, _ = self.send("getCampaignStats", campaign)
            if stats.status_code == 200 and self._still(campaign):
                self.report_findings(checks.compare_interactions(kind, response.json(), query, stats.json()),
                             self._at(page_step), earlier=self._at(self.step))

    @rule(campaign=campaigns, operation=st.sampled_from(["getCampaign", "getCampaignStats"]), data=st.data())
    def read(self, campaign, operation, data):
        self.send(operation, self._pick(campaign, data))

    @rule(tenant=st.sampled_from(["own", "own", "own", "missing", "other"]),
          club=st.sampled_from([None, None, 0, 1, "unknown"]), status=st.sampled_from([None, None, *STATUSES]),
          kind=st.sampled_from([None, None, *TYPES]))
    def list_campaigns(self, tenant, club, status, kind):
        query: dict[str, str] = {}
        if tenant == "own":
            query["tenantId"] = self.tenant
        elif tenant == "other":
            query["tenantId"] = self._other_tenant() or "tenant_nobody"
        clubs = self._own("clubs")
        if club == "unknown":
            query["clubId"] = UNKNOWN_CLUB
        elif club is not None and clubs:
            query["clubId"] = clubs[club % len(clubs)]["id"]
        if status:
            query["status"] = status
        if kind:
            query["type"] = kind
        response, _, instants = self._windowed("listCampaigns", query=query)
        if response.status_code == 200:
            self._compare_list(query, response.json(), instants, self.step)

    def _compare_list(self, query: dict[str, str], body: Any, instants: tuple[datetime, ...], step: int) -> None:
        items = body.get("data") if isinstance(body, dict) else None
        rows = self.recheck.at(step, "/data")
        if not isinstance(items, list):
            self.violate(("CLUB-LIST-001",), f"list {query}: expected {{data: [...]}}, got {str(body)[:300]}",
                         holds=f"isinstance({rows}, list)")
            return
        items = [i for i in items if isinstance(i, dict)]
        filters = (("status", "CLUB-LIST-004"), ("type", "CLUB-LIST-005"))
        for key, req in filters:
            if key in query:
                wrong = [i.get("id") for i in items if i.get(key) != query[key]]
                self.check((req,), not wrong, f"list {query}: items whose {key} is not {query[key]}: {wrong[:5]}",
                           holds=f"not [i for i in {rows} if isinstance(i, dict) and i.get({key!r}) != "
                                 f"{self.recheck.value(query[key])}]")
        if query.get("clubId") == UNKNOWN_CLUB:
            self.check(("CLUB-LIST-008",), not items, f"list {query}: an unknown club matches nothing, got "
                                                      f"{[i.get('id') for i in items][:5]}",
                       holds=f"not [i for i in {rows} if isinstance(i, dict)]")
        listed_ids = f"[i.get('id') for i in {rows} if isinstance(i, dict)]"
        listed = {i.get("id"): i for i in items}
        world = self.oracle.world
        for cid in self.created:
            c = self._campaign(cid)
            if c is None:
                continue
            matches = {self._matches(c, query, t) for t in instants}
            reqs = ("CLUB-LIST-001", "CLUB-LIST-003" if "clubId" in query else "CLUB-LIST-001") \
                + (("CLUB-LIST-004", "CLUB-LIST-006") if "status" in query else ()) \
                + (("CLUB-LIST-005",) if "type" in query else ())
            if matches == {True}:
                self.check(reqs, cid in listed, f"list {query}: campaign {cid} is missing",
                           holds=f"{self.recheck.value(cid)} in {listed_ids}")
            elif matches == {False}:
                self.check(reqs, cid not in listed, f"list {query}: campaign {cid} should not be listed",
                           holds=f"{self.recheck.value(cid)} not in {listed_ids}")
            if cid in listed:
                row = self._row(step, cid)
                self.report_findings(checks.compare_list_item(world, c, instants, listed[cid], timing_known=self.timing_known,
                                                      sizes_known=self.sizes_known), row)
                sent = listed[cid].get("sentCount")
                if isinstance(sent, int):
                    self._saw_sent(cid, sent, "list item", row(("sentCount",)))

    def _list_back(self, c: Campaign) -> None:
        """The touched campaign listed back, filtered on its status (or another one), its type or its club."""
        status = delivery.status(self.oracle.world, c, self.clock.now())
        turn = (self.reads // 2) % 4
        query = {"tenantId": self.tenant}
        if turn == 0:
            query["status"] = status
        elif turn == 1:
            query["status"] = STATUSES[(STATUSES.index(status) + 1 + self.reads % 5) % len(STATUSES)]
        elif turn == 2:
            query["type"] = c.type
        else:
            query["clubId"] = c.club
        response, _, instants = self._windowed("listCampaigns", query=query)
        if response.status_code == 200:
            self._compare_list(query, response.json(), instants, self.step)

    def _matches(self, c: Campaign, query: dict[str, str], moment: datetime) -> bool:
        return (("clubId" not in query or c.club == query["clubId"]) and ("type" not in query or c.type == query["type"])
                and ("status" not in query or delivery.status(self.oracle.world, c, moment) == query["status"]))

    # --- time -------------------------------------------------------------------------------------

    def _upcoming(self) -> list[datetime]:
        now = self.clock.now()
        return [c.scheduled_at for cid in self.created if (c := self._campaign(cid)) is not None
                and c.status == SCHEDULED and c.scheduled_at is not None and c.scheduled_at > now]

    def _finishing(self) -> list[datetime]:
        now, world = self.clock.now(), self.oracle.world
        ends = []
        for cid in self.created:
            c = self._campaign(cid)
            if c is not None and delivery.status(world, c, now) == ACTIVE:
                done = delivery.completion(world, delivery.settle(world, c, now))
                if done is not None and done > now:
                    ends.append(done)
        return ends

    @precondition(lambda self: self.clock.control)
    @rule(seconds=st.sampled_from([30, 300, 900, 1800]))
    def advance_into_delivery(self, seconds):
        """Time passes within a send (004's pause example: 30 minutes in, half of it sent)."""
        self.advance_by(seconds)
        self._touch_active()

    @precondition(lambda self: self.clock.control and bool(self._upcoming()))
    @rule(exact=st.booleans())
    def fast_forward_to_a_scheduled_time(self, exact):
        """004: SCHEDULED -> ACTIVE automatically at the scheduled time (read exactly then, or a second later)."""
        when = min(self._upcoming())
        self.advance_by((when - self.clock.now()).total_seconds() + (0 if exact else 1))
        self.touched = next((cid for cid in self.created if (c := self._campaign(cid)) is not None
                             and c.scheduled_at == when), self.touched)

    @precondition(lambda self: self.clock.control and bool(self._finishing()))
    @rule()
    def fast_forward_to_a_completion(self):
        """004: ACTIVE -> COMPLETED automatically when all messages are sent."""
        when = min(self._finishing())
        self.advance_by((when - self.clock.now()).total_seconds() + 1)
        self._touch_active(finished_at=when)

    def _touch_active(self, finished_at: datetime | None = None) -> None:
        world = self.oracle.world
        for cid in reversed(self.created):
            c = self._campaign(cid)
            if c is None:
                continue
            if finished_at is not None:
                settled = delivery.settle(world, c, self.clock.now())
                if settled.completed_at == finished_at:
                    self.touched = cid
                    return
            elif c.started_at is not None and c.status in (ACTIVE, SCHEDULED):
                self.touched = cid
                return

    # --- what the target shows must agree with the model ------------------------------------------------

    def _still(self, cid: str) -> bool:
        return self._campaign(cid) is not None

    def _saw_sent(self, cid: str, sent: int, where: str, read: str) -> None:
        """A sentCount seen (`read`: where a reproduction reads it), compared with the most seen before and,
        while the model says PAUSED, with the pause answer's."""
        c = self._campaign(cid)
        if c is None:
            return
        before = self.seen_sent.get(cid)
        self.check(checks.sent_reqs(c), before is None or sent >= before[0],
                   f"{where}: sentCount went down from {before[0] if before else None} to {sent}",
                   holds=f"{before[1]} <= {read}" if before else None)
        if before is None or sent >= before[0]:
            self.seen_sent[cid] = (sent, read)
        if cid in self.paused_sent and self._status(cid) == PAUSED:
            paused, paused_read = self.paused_sent[cid]
            self.check(("CLUB-PAUSE-002",), sent == paused,
                       f"{where}: sentCount {sent} of a PAUSED campaign, paused at {paused}",
                       holds=f"{read} == {paused_read}")

    def _saw_status(self, cid: str, status: Any, read: str) -> None:
        """A status seen (`read`: where a reproduction reads it), compared with the one seen before."""
        before = self.seen_status.get(cid)
        if status not in STATUSES:
            return
        if before is not None and before[0] != status:
            self.check(("CLUB-LIFE-011", "CLUB-LIFE-013"), checks.reachable(before[0], status),
                       f"status went from {before[0]} to {status}, which 004's transitions do not lead to",
                       holds=f"{read} not in {self.recheck.value(list(STATUSES))} or "
                             f"[{before[1]}, {read}] in {self.recheck.value(REACHABLE)}")
        self.seen_status[cid] = (status, read)

    @invariant()
    def target_agrees_with_model(self):
        """The campaign the step touched, read back: get, stats and one interaction type's total."""
        if self.touched and self._campaign(self.touched) is not None:
            self._agrees_with_model(self.touched)

    def _agrees_with_model(self, cid: str) -> None:
        world = self.oracle.world
        c = self._campaign(cid)
        assert c is not None
        self.reads += 1
        got, _, instants = self._windowed("getCampaign", cid)
        if got.status_code == 200:
            data = got.json()
            read = self._at(self.step)
            self.record.exercise(checks.exercised(c, delivery.status(world, c, instants[-1]),
                                                  sizes_known=self.sizes_known, creator=self.creator is not None))
            self.report_findings(checks.compare_campaign(world, c, instants, data, timing_known=self.timing_known,
                                                 sizes_known=self.sizes_known, creator=self.creator), read)
            if isinstance(data, dict):
                self._saw_status(cid, data.get("status"), read(("status",)))
                if isinstance(data.get("sentCount"), int):
                    self._saw_sent(cid, data["sentCount"], "GET /campaigns/{id}", read(("sentCount",)))
        stats, _, stats_instants = self._windowed("getCampaignStats", cid)
        if stats.status_code != 200:
            return
        body = stats.json()
        at_stats = self._at(self.step)
        self.report_findings(checks.compare_stats(c, body), at_stats)
        if isinstance(body, dict):
            self.report_findings(checks.compare_counts(world, c, stats_instants, body, timing_known=self.timing_known,
                                               sizes_known=self.sizes_known, where="stats"), at_stats)
            if isinstance(body.get("sentCount"), int):
                self._saw_sent(cid, body["sentCount"], "stats", at_stats(("sentCount",)))
        if self.reads % 2 == 0:
            self._list_back(c)
        kind = INTERACTION_TYPES[self.reads % len(INTERACTION_TYPES)]
        query = {"type": kind, "take": "1"}
        page, _, page_instants = self._windowed("getCampaignInteractions", cid, query=query)
        # The totals are compared when nothing could be sent between the two reads.
        span = (stats_instants[0], page_instants[-1])
        steady = len(checks.model_sent(world, c, span)) == 1 if self.timing_known \
            else ACTIVE not in checks.model_status(world, c, span)
        if page.status_code == 200:
            self.report_findings(checks.compare_interactions(kind, page.json(), query,
                                                     body if steady and isinstance(body, dict) else None),
                         self._at(self.step), earlier=at_stats)

