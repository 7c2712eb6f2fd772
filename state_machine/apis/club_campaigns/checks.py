"""Comparisons of what a Club Campaigns target shows with what the model holds, each tied to catalogue ids.

Only what 004 fixes (or the catalogue infers) is judged, with open-world tolerance: extra fields are fine,
timestamps are compared as instants, and a value that depends on time is compared with the model at every
instant of the call's window. Counts the mock chooses (the delivery pace, the funnel's fractions) are never
compared by value unless the profile says the target paces delivery as the model does (`timing_known`);
otherwise only their documented properties are: the funnel's order, the rates as ratios of the counts,
byChannel per channel, the timeline adding up to sentCount, never decreasing.

Each finding carries what it tested (recheck.Test, and a Relation where a test needs arithmetic, a type or
every item of a list) on the data it compared, so that the rules give a reproduction the same condition.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import permutations
from typing import Any

from state_machine.conformance.recheck import Earlier, Finding, Relation, Same, Test
from state_machine.kernel.times import parse_timestamp

from .model import delivery, funnel
from .model.records import Campaign, World
from .model.values import (
    ACTIVE,
    CANCEL,
    CANCELLED,
    COMPLETED,
    DRAFT,
    EMAIL,
    EXECUTE,
    INTERACTION_TYPES,
    PAUSE,
    PAUSED,
    RESUME,
    SCHEDULE,
    SCHEDULED,
    SMS,
    STATUSES,
)

MS = timedelta(milliseconds=1)


def finding(reqs: tuple[str, ...], message: str, *tests: Test, relations: tuple[Relation, ...] = ()) -> Finding:
    return Finding(reqs, message, tuple(tests), relations)


def is_a(path: tuple[str | int, ...], kind: str) -> Relation:
    """The value at `path` is a `kind` ("dict", "list", "int")."""
    return Relation(f"isinstance({{v}}, {kind})", (("v", path),))


# The value {v} is a timestamp within [{low}, {high}] (model instants, written to the microsecond).
WITHIN = "(isinstance(instant({v}), datetime) and instant({low}) <= instant({v}) <= instant({high}))"


def instants_between(path: tuple[str | int, ...], low: datetime, high: datetime) -> Relation:
    """The timestamp at `path` is an instant within [low, high]."""
    return Relation(WITHIN, (("v", path),), (("low", _iso(low)), ("high", _iso(high))))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def orders_of(values: Iterable[str]) -> list[list[str]]:
    """Every order of a list of values (what `sorted(got) == sorted(want)` accepts; channels are 1 or 2)."""
    return [list(p) for p in dict.fromkeys(permutations(sorted(values)))]


# What a wrong status breaks, by the status the model expects.
STATUS_REQS: dict[str, tuple[str, ...]] = {
    DRAFT: ("CLUB-CREATE-003", "CLUB-LIFE-001"),
    SCHEDULED: ("CLUB-LIFE-002", "CLUB-LIFE-004", "CLUB-LIFE-012"),
    ACTIVE: ("CLUB-LIFE-003", "CLUB-LIFE-004", "CLUB-LIFE-008", "CLUB-LIFE-012"),
    PAUSED: ("CLUB-LIFE-006", "CLUB-PAUSE-001"),
    COMPLETED: ("CLUB-LIFE-007", "CLUB-DELIV-002", "CLUB-LIFE-012"),
    CANCELLED: ("CLUB-LIFE-005", "CLUB-LIFE-009", "CLUB-CANCEL-001", "CLUB-LIFE-013"),
}
# The moves 004's table makes (actions and automatic), and the text's cancel on ACTIVE (CLUB-LIFE-010).
MOVES: dict[str, set[str]] = {
    DRAFT: {SCHEDULED, ACTIVE}, SCHEDULED: {ACTIVE, CANCELLED}, ACTIVE: {PAUSED, COMPLETED, CANCELLED},
    PAUSED: {ACTIVE, CANCELLED}, COMPLETED: set(), CANCELLED: set(),
}
COUNT_FIELDS = {"SENT": "sentCount", "DELIVERED": "deliveredCount", "OPENED": "openedCount",
                "CLICKED": "clickedCount", "CONVERTED": "convertedCount", "UNSUBSCRIBED": "unsubscribedCount",
                "BOUNCED": "bouncedCount"}
RATES = (("deliveryRate", "deliveredCount", "sentCount", "CLUB-STATS-002"),
         ("openRate", "openedCount", "deliveredCount", "CLUB-STATS-003"),
         ("clickRate", "clickedCount", "openedCount", "CLUB-STATS-004"),
         ("conversionRate", "convertedCount", "clickedCount", "CLUB-STATS-005"))
ACTION_ANSWER = {"scheduleCampaign": ("scheduledAt", "targetCount"), "executeCampaign": ("startedAt", "targetCount"),
                 "pauseCampaign": ("pausedAt", "sentCount"), "resumeCampaign": ("resumedAt",),
                 "cancelCampaign": ("cancelledAt", "sentCount")}
ACTION_REQS = {"scheduleCampaign": ("CLUB-SCHED-001", "CLUB-LIFE-002"),
               "executeCampaign": ("CLUB-EXEC-001", "CLUB-LIFE-003"),
               "pauseCampaign": ("CLUB-PAUSE-001", "CLUB-LIFE-006"),
               "resumeCampaign": ("CLUB-RESUME-001", "CLUB-LIFE-008"),
               "cancelCampaign": ("CLUB-CANCEL-001", "CLUB-LIFE-005", "CLUB-LIFE-009")}
ACTION_OF = {"scheduleCampaign": SCHEDULE, "executeCampaign": EXECUTE, "pauseCampaign": PAUSE,
             "resumeCampaign": RESUME, "cancelCampaign": CANCEL}


def same_instant(a: Any, b: Any) -> bool:
    pa, pb = parse_timestamp(a) if isinstance(a, str) else a, parse_timestamp(b) if isinstance(b, str) else b
    return a == b if pa is None or pb is None else pa == pb


def reachable(before: str, after: str) -> bool:
    """Whether 004's moves lead from `before` to `after` (in any number of steps)."""
    seen, todo = {before}, [before]
    while todo:
        for nxt in MOVES.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return after in seen


def model_status(world: World, c: Campaign, instants: Iterable[datetime]) -> set[str]:
    return {delivery.status(world, c, t) for t in instants}


def model_sent(world: World, c: Campaign, instants: Iterable[datetime]) -> set[int]:
    return {delivery.sent_count(world, c, t) for t in instants}


def sent_reqs(c: Campaign) -> tuple[str, ...]:
    """What a wrong sentCount of this campaign breaks."""
    reqs = ["CLUB-DELIV-001", "CLUB-LIFE-012"]
    if c.pauses:
        reqs += ["CLUB-PAUSE-002"] + (["CLUB-RESUME-002"] if c.resumed_at is not None else [])
    if c.status == CANCELLED:
        reqs.append("CLUB-CANCEL-002")
    return tuple(reqs)


def compare_status(world: World, c: Campaign, instants: tuple[datetime, ...], got: Any, where: str) -> list[Finding]:
    want = model_status(world, c, instants)
    if got in want:
        return []
    reqs = tuple(r for s in sorted(want) for r in STATUS_REQS[s])
    if got not in STATUSES:
        reqs = ("CLUB-LIFE-001", *reqs)
    return [finding(reqs, f"{where} status: expected {' or '.join(sorted(want))}, got {got!r}",
                    Test(("status",), "in", sorted(want)))]


def compare_campaign(world: World, c: Campaign, instants: tuple[datetime, ...], actual: Any, *,
                     timing_known: bool, sizes_known: bool, where: str = "GET /campaigns/{id}",
                     creator: str | None = None) -> list[Finding]:
    """A campaign object (get, create, update) against the model's record."""
    if not isinstance(actual, dict):
        return [finding(("CLUB-GET-001",), f"{where}: expected a campaign object, got {actual!r}",
                        relations=(is_a((), "dict"),))]
    found = compare_status(world, c, instants, actual.get("status"), where)
    settled = delivery.settle(world, c, instants[-1])
    fixed = {"id": (c.id, ("CLUB-GET-001",)), "tenantId": (c.tenant, ("CLUB-GET-001", "CLUB-AUTH-003")),
             "clubId": (c.club, ("CLUB-GET-001",)), "name": (c.name, ("CLUB-GET-001", "CLUB-UPDATE-001")),
             "type": (c.type, ("CLUB-GET-001", "CLUB-CREATE-002")),
             "segmentId": (c.segment_id, ("CLUB-GET-001", "CLUB-UPDATE-001", "CLUB-UPDATE-002")),
             "emailTemplateId": (c.email_template_id, ("CLUB-GET-001", "CLUB-UPDATE-002")),
             "smsTemplateId": (c.sms_template_id, ("CLUB-GET-001", "CLUB-UPDATE-002"))}
    if "description" in actual or c.description is not None:
        fixed["description"] = (c.description, ("CLUB-GET-001", "CLUB-UPDATE-001"))
    for key, (want, reqs) in fixed.items():
        if actual.get(key) != want:
            found.append(finding(reqs, f"{where} {key}: expected {want!r}, got {actual.get(key)!r}",
                                 Test((key,), "==", want)))
    if c.timezone is not None and actual.get("timezone") != c.timezone:
        found.append(finding(("CLUB-GET-001", "CLUB-CREATE-005"),
                             f"{where} timezone: expected {c.timezone!r}, got {actual.get('timezone')!r}",
                             Test(("timezone",), "==", c.timezone)))
    if creator is not None and actual.get("createdBy") != creator:
        found.append(finding(("CLUB-GET-004",), f"{where} createdBy: expected {creator!r}, got "
                                                f"{actual.get('createdBy')!r}", Test(("createdBy",), "==", creator)))
    found += _moments(settled, actual, where)
    if sorted(actual.get("channels") or []) != sorted(c.channels):
        found.append(finding(("CLUB-GET-001", "CLUB-CREATE-002"),
                             f"{where} channels: expected {list(c.channels)}, got {actual.get('channels')!r}",
                             Test(("channels",), "in", orders_of(c.channels))))
    if c.scheduled_at is not None and settled.status in (SCHEDULED, DRAFT) \
            and not same_instant(actual.get("scheduledAt"), c.scheduled_at):
        found.append(finding(("CLUB-SCHED-001", "CLUB-TYPE-001"),
                             f"{where} scheduledAt: expected {c.scheduled_at.isoformat()}, got "
                             f"{actual.get('scheduledAt')!r}", Test(("scheduledAt",), "==", _iso(c.scheduled_at),
                                                                    "instant")))
    found += compare_counts(world, c, instants, actual, timing_known=timing_known, sizes_known=sizes_known,
                            where=where)
    return found


MOMENTS = (("startedAt", "started_at", ("CLUB-GET-003", "CLUB-EXEC-002")),
           ("pausedAt", "paused_at", ("CLUB-GET-003", "CLUB-PAUSE-001")),
           ("resumedAt", "resumed_at", ("CLUB-GET-003", "CLUB-RESUME-001")),
           ("cancelledAt", "cancelled_at", ("CLUB-GET-003", "CLUB-CANCEL-001")),
           ("completedAt", "completed_at", ("CLUB-GET-003", "CLUB-DELIV-002")))


def _moments(settled: Campaign, actual: dict, where: str) -> list[Finding]:
    """The lifecycle moments a campaign object carries (CLUB-GET-003), as instants; absent is tolerated."""
    found: list[Finding] = []
    for key, attribute, reqs in MOMENTS:
        if key not in actual:
            continue
        want, got = getattr(settled, attribute), actual[key]
        moment = parse_timestamp(got) if isinstance(got, str) else None
        ok = got is None if want is None else moment is not None and abs(moment - want) <= MS
        if not ok:
            # Absent is tolerated: the reproduction re-checks the key only where the answer has it.
            held = Relation("{v} is None or {v} is ABSENT", (("v", (key,)),)) if want is None \
                else Relation("{v} is ABSENT or " + WITHIN, (("v", (key,)),),
                              (("low", _iso(want - MS)), ("high", _iso(want + MS))))
            found.append(finding(reqs, f"{where} {key}: expected {want.isoformat() if want else None}, got {got!r}",
                                 relations=(held,)))
    return found


def compare_counts(world: World, c: Campaign, instants: tuple[datetime, ...], actual: dict, *, timing_known: bool,
                   sizes_known: bool, where: str) -> list[Finding]:
    """sentCount and targetCount (of a campaign object, list item or stats answer) against the model."""
    found: list[Finding] = []
    sent, target = actual.get("sentCount"), actual.get("targetCount")
    if isinstance(sent, int) and isinstance(target, int) and sent > target:
        found.append(finding(("CLUB-DELIV-001",), f"{where}: sentCount {sent} exceeds targetCount {target}",
                             relations=(Relation("not (isinstance({sent}, int) and isinstance({target}, int)) "
                                                 "or {sent} <= {target}",
                                                 (("sent", ("sentCount",)), ("target", ("targetCount",)))),)))
    if sizes_known:
        want_target = {delivery.target_count(world, delivery.settle(world, c, t)) for t in instants}
        if target not in want_target:
            found.append(finding(("CLUB-GET-002",), f"{where} targetCount: expected {sorted(want_target)}, "
                                                    f"got {target!r}",
                                 Test(("targetCount",), "in", sorted(want_target))))
    want_sent = model_sent(world, c, instants)
    frozen = model_status(world, c, instants) <= {DRAFT, SCHEDULED, PAUSED, COMPLETED, CANCELLED}
    if (timing_known or (frozen and c.started_at is None)) and sent not in want_sent:
        found.append(finding(sent_reqs(c), f"{where} sentCount: expected "
                                           f"{' or '.join(map(str, sorted(want_sent)))}, got {sent!r}",
                             Test(("sentCount",), "in", sorted(want_sent))))
    return found


def compare_action(operation: str, answer: Any, allowed: list[dict[str, Any]], *, timing_known: bool,
                   sizes_known: bool) -> list[Finding]:
    """A lifecycle action's answer (004's schedule/execute/pause/resume/cancel examples) against the
    model's answers at the instants of the call's window."""
    reqs = ACTION_REQS[operation]
    if not isinstance(answer, dict):
        return [finding(reqs, f"{operation}: expected an object, got {answer!r}", relations=(is_a((), "dict"),))]
    if not allowed:
        return []
    found: list[Finding] = []
    want_status = {a["status"] for a in allowed}
    if answer.get("status") not in want_status:
        found.append(finding(reqs, f"{operation} answered status {answer.get('status')!r}, expected "
                                   f"{sorted(want_status)}", Test(("status",), "in", sorted(want_status))))
    if answer.get("id") != allowed[0]["id"]:
        found.append(finding(reqs, f"{operation} answered id {answer.get('id')!r}, expected {allowed[0]['id']!r}",
                             Test(("id",), "==", allowed[0]["id"])))
    for key in ACTION_ANSWER[operation]:
        wants = [a.get(key) for a in allowed]
        got = answer.get(key)
        if key.endswith("At"):
            moments = sorted(parse_timestamp(w) for w in wants if w is not None)
            moment = parse_timestamp(got) if isinstance(got, str) else None
            # Precision is not contract (CLUB-VAL-005): a millisecond either side of the window is the same moment.
            ok = moment is not None and bool(moments) and moments[0] - MS <= moment <= moments[-1] + MS
            # (no moment allowed at all: nothing the answer could show passes, as in the comparison)
            within = instants_between((key,), moments[0] - MS, moments[-1] + MS) if moments else Relation("False")
            if key == "scheduledAt":
                ok = moment is not None and any(abs(moment - m) <= MS for m in moments)
                within = Relation("isinstance(instant({v}), datetime) and any(abs(instant({v}) - instant(m)) "
                                  "<= timedelta(milliseconds=1) for m in {moments})", (("v", (key,)),),
                                  (("moments", [_iso(m) for m in moments]),))
            if not ok:
                expected = " to ".join(str(w) for w in dict.fromkeys(wants))
                found.append(finding(reqs + (("CLUB-EXEC-002",) if key == "startedAt" else ()),
                                     f"{operation} {key}: expected {expected}, got {got!r}", relations=(within,)))
        elif key == "targetCount" and sizes_known and got not in wants:
            found.append(finding(reqs + ("CLUB-GET-002",), f"{operation} targetCount: expected {wants}, got {got!r}",
                                 Test((key,), "in", wants)))
        elif key == "sentCount" and timing_known and got not in wants:
            found.append(finding(reqs + ("CLUB-DELIV-001",), f"{operation} sentCount: expected {wants}, got {got!r}",
                                 Test((key,), "in", wants)))
        elif key == "sentCount" and not isinstance(got, int):
            found.append(finding(reqs, f"{operation} sentCount: expected an integer, got {got!r}",
                                 relations=(is_a((key,), "int"),)))
    return found


def rate_of(numerator: Any, denominator: Any) -> float | None:
    return funnel.rate(numerator, denominator) if isinstance(numerator, int) and isinstance(denominator, int) \
        else None


# funnel.rate over the answer's counts: numerator / denominator rounded half up to 4 decimals (in integers),
# null (None or left out, as `.get` reads it) on a denominator of 0.
RATE_SOURCE = ("({rate} is None or {rate} is ABSENT) if {den} == 0 else (isinstance({rate}, (int, float)) "
               "and abs({rate} - ({num} * 20000 + {den}) // (2 * {den}) / 10000) < 1e-9)")


def compare_stats(c: Campaign, actual: Any) -> list[Finding]:
    """The properties 004's stats answer has whatever the target's pace and funnel (CLUB-STATS-*)."""
    if not isinstance(actual, dict):
        return [finding(("CLUB-STATS-001",), f"stats: expected an object, got {actual!r}",
                        relations=(is_a((), "dict"),))]
    found: list[Finding] = []
    n = {k: actual.get(k) for k in COUNT_FIELDS.values()}
    if not all(isinstance(v, int) and v >= 0 for v in n.values()):
        return [finding(("CLUB-STATS-001",), f"stats counts must be integers >= 0: {n}",
                        relations=tuple(Relation("isinstance({v}, int) and {v} >= 0", (("v", (k,)),)) for k in n))]
    if actual.get("campaignId") != c.id:
        found.append(finding(("CLUB-STATS-001",), f"stats campaignId: expected {c.id!r}, got "
                                                  f"{actual.get('campaignId')!r}", Test(("campaignId",), "==", c.id)))
    funnel_ok = (n["deliveredCount"] <= n["sentCount"] and n["openedCount"] <= n["deliveredCount"]
                 and n["clickedCount"] <= n["openedCount"] and n["convertedCount"] <= n["clickedCount"]
                 and n["unsubscribedCount"] <= n["deliveredCount"]
                 and n["bouncedCount"] == n["sentCount"] - n["deliveredCount"])
    if not funnel_ok:
        found.append(finding(("CLUB-STATS-007",), f"stats counts do not follow the funnel: {n}",
                             Test(("deliveredCount",), "<=", Same(("sentCount",))),
                             Test(("openedCount",), "<=", Same(("deliveredCount",))),
                             Test(("clickedCount",), "<=", Same(("openedCount",))),
                             Test(("convertedCount",), "<=", Same(("clickedCount",))),
                             Test(("unsubscribedCount",), "<=", Same(("deliveredCount",))),
                             relations=(Relation("{bounced} == {sent} - {delivered}",
                                                 (("bounced", ("bouncedCount",)), ("sent", ("sentCount",)),
                                                  ("delivered", ("deliveredCount",)))),)))
    for name, num, den, req in RATES:
        want, got = rate_of(n[num], n[den]), actual.get(name)
        ok = got is None if want is None else isinstance(got, (int, float)) and abs(got - want) < 1e-9
        if not ok:
            found.append(finding((req, "CLUB-STATS-006"), f"stats {name}: expected {want!r} ({num} {n[num]} / {den} "
                                                          f"{n[den]}, 4 decimals, null on 0), got {got!r}",
                                 relations=(Relation(RATE_SOURCE, (("rate", (name,)), ("num", (num,)),
                                                                   ("den", (den,)))),)))
    found += _by_channel(c, actual.get("byChannel"), n)
    found += _timeline(actual.get("timeline"), n)
    if isinstance(actual.get("targetCount"), int) and n["sentCount"] > actual["targetCount"]:
        found.append(finding(("CLUB-DELIV-001",), f"stats sentCount {n['sentCount']} exceeds targetCount "
                                                  f"{actual['targetCount']}",
                             relations=(Relation("not isinstance({target}, int) or {sent} <= {target}",
                                                 (("sent", ("sentCount",)), ("target", ("targetCount",)))),)))
    return found


BY_CHANNEL_KEYS = {EMAIL: ("sent", "delivered", "opened", "clicked", "bounced"), SMS: ("sent", "delivered", "failed")}


def _by_channel(c: Campaign, by: Any, n: dict[str, int]) -> list[Finding]:
    if not isinstance(by, dict) or set(by) != set(c.channels):
        return [finding(("CLUB-STATS-008",), f"stats byChannel: expected one entry per channel {sorted(c.channels)}, "
                                             f"got {sorted(by) if isinstance(by, dict) else by!r}",
                        relations=(Relation("isinstance({by}, dict) and sorted(set({by})) == {channels}",
                                            (("by", ("byChannel",)),), (("channels", sorted(set(c.channels))),)),))]
    found: list[Finding] = []
    keys = BY_CHANNEL_KEYS
    for channel, entry in by.items():
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), int) for k in keys.get(channel, ())):
            found.append(finding(("CLUB-STATS-008",), f"stats byChannel.{channel}: expected integers "
                                                      f"{keys.get(channel)}, got {entry!r}",
                                 relations=(is_a(("byChannel", channel), "dict"),
                                            *(is_a(("byChannel", channel, k), "int") for k in keys.get(channel, ())))))
            continue
        if channel == SMS and entry["failed"] != entry["sent"] - entry["delivered"]:
            found.append(finding(("CLUB-STATS-008",), f"stats byChannel.SMS: failed must be sent - delivered: {entry}",
                                 relations=(_difference(("byChannel", SMS), "failed"),)))
        if channel == EMAIL and entry["bounced"] != entry["sent"] - entry["delivered"]:
            found.append(finding(("CLUB-STATS-008",), f"stats byChannel.EMAIL: bounced must be sent - delivered: "
                                                      f"{entry}", relations=(_difference(("byChannel", EMAIL),
                                                                                         "bounced"),)))
    primary = delivery.primary_channel(c)
    entry = by.get(primary)
    if isinstance(entry, dict) and not found:
        pairs = [("sent", "sentCount"), ("delivered", "deliveredCount")]
        if primary == EMAIL:
            pairs += [("opened", "openedCount"), ("clicked", "clickedCount"), ("bounced", "bouncedCount")]
        wrong = {k: (entry[k], n[f]) for k, f in pairs if entry[k] != n[f]}
        if wrong:
            found.append(finding(("CLUB-STATS-009",), f"stats byChannel.{primary} must repeat the top-level counts: "
                                                      f"(byChannel, top level) {wrong}",
                                 *(Test(("byChannel", primary, k), "==", Same((f,))) for k, f in pairs)))
    return found


def _difference(entry: tuple[str, ...], rest: str) -> Relation:
    """byChannel's `rest` (failed, bounced) is sent - delivered of the same entry."""
    return Relation("{rest} == {sent} - {delivered}", (("rest", (*entry, rest)), ("sent", (*entry, "sent")),
                                                       ("delivered", (*entry, "delivered"))))


# The timeline as _timeline reads it: hours that start UTC hours, oldest first; its sent (and opened) summed.
HOURS_SOURCE = ("all(isinstance(h.get('hour'), str) and isinstance(instant(h.get('hour')), datetime) "
                "and (instant(h.get('hour')).minute, instant(h.get('hour')).second, "
                "instant(h.get('hour')).microsecond) == (0, 0, 0) for h in {timeline}) "
                "and [instant(h.get('hour')) for h in {timeline}] "
                "== sorted(instant(h.get('hour')) for h in {timeline})")


def _summed(key: str) -> str:
    return f"sum(h.get({key!r}) or 0 for h in {{timeline}} if isinstance(h.get({key!r}), int))"


def _timeline(timeline: Any, n: dict[str, int]) -> list[Finding]:
    whole = ("timeline", ("timeline",))
    if not isinstance(timeline, list) or not all(isinstance(h, dict) for h in timeline):
        return [finding(("CLUB-STATS-010",), f"stats timeline: expected a list of hours, got {timeline!r}",
                        relations=(Relation("isinstance({timeline}, list) and all(isinstance(h, dict) "
                                            "for h in {timeline})", (whole,)),))]
    found: list[Finding] = []
    hours = [parse_timestamp(h.get("hour")) if isinstance(h.get("hour"), str) else None for h in timeline]
    if any(h is None or (h.minute, h.second, h.microsecond) != (0, 0, 0) for h in hours) \
            or hours != sorted(hours, key=lambda h: h or datetime.min):  # type: ignore[arg-type, return-value]
        found.append(finding(("CLUB-STATS-010",), f"stats timeline: hours must start UTC hours, oldest first: "
                                                  f"{[h.get('hour') for h in timeline]}",
                             relations=(Relation(HOURS_SOURCE, (whole,)),)))
    sent = sum(h.get("sent") or 0 for h in timeline if isinstance(h.get("sent"), int))
    opened = sum(h.get("opened") or 0 for h in timeline if isinstance(h.get("opened"), int))
    if sent != n["sentCount"]:
        found.append(finding(("CLUB-STATS-011",), f"stats timeline: sent adds up to {sent}, sentCount is "
                                                  f"{n['sentCount']}",
                             relations=(Relation(_summed("sent") + " == {count}",
                                                 (whole, ("count", ("sentCount",)))),)))
    if opened > n["openedCount"]:
        found.append(finding(("CLUB-STATS-011",), f"stats timeline: opened adds up to {opened} > openedCount "
                                                  f"{n['openedCount']}",
                             relations=(Relation(_summed("opened") + " <= {count}",
                                                 (whole, ("count", ("openedCount",)))),)))
    if n["sentCount"] == 0 and timeline:
        found.append(finding(("CLUB-STATS-012",), f"stats of a campaign that sent nothing has a timeline: {timeline}",
                             relations=(Relation("{count} != 0 or not {timeline}",
                                                 (whole, ("count", ("sentCount",)))),)))
    return found


def compare_interactions(kind: str, page: Any, query: dict[str, str], stats: dict[str, Any] | None) -> list[Finding]:
    """An interactions page of one type against 004's meta and the stats count of that type (`stats`, the
    earlier observation a reproduction reads through recheck.Earlier)."""
    if not isinstance(page, dict) or not isinstance(page.get("meta"), dict) or not isinstance(page.get("data"), list):
        return [finding(("CLUB-INTER-001",), f"interactions: expected {{data, meta}}, got {page!r}",
                        relations=(is_a((), "dict"), is_a(("meta",), "dict"), is_a(("data",), "list")))]
    found: list[Finding] = []
    meta, data = page["meta"], page["data"]
    total = meta.get("total")
    if stats is not None and total != stats.get(COUNT_FIELDS[kind]):
        found.append(finding(("CLUB-INTER-005",), f"interactions type={kind}: meta.total {total!r}, stats "
                                                  f"{COUNT_FIELDS[kind]} {stats.get(COUNT_FIELDS[kind])!r}",
                             Test(("meta", "total"), "==", Earlier((COUNT_FIELDS[kind],)))))
    skip, take = int(query.get("skip", 0)), min(int(query.get("take", 25)), 100)
    if meta.get("skip") != skip or meta.get("take") != take:
        found.append(finding(("CLUB-INTER-004",), f"interactions meta: expected skip {skip} and take {take}, "
                                                  f"got {meta}",
                             Test(("meta", "skip"), "==", skip), Test(("meta", "take"), "==", take)))
    if len(data) > take:
        found.append(finding(("CLUB-INTER-003", "CLUB-INTER-004"), f"interactions: {len(data)} items for take {take}",
                             Test(("data",), "<=", take, "count")))
    if any(isinstance(i, dict) and i.get("type") != kind for i in data):
        types = sorted({str(i.get("type")) for i in data if isinstance(i, dict)})
        found.append(finding(("CLUB-INTER-002",), f"interactions type={kind}: got types {types}",
                             relations=(Relation("not any(isinstance(i, dict) and i.get('type') != {kind} "
                                                 "for i in {data})", (("data", ("data",)),), (("kind", kind),)),)))
    if isinstance(total, int) and len(data) != max(0, min(take, total - skip)):
        found.append(finding(("CLUB-INTER-003", "CLUB-INTER-004"),
                             f"interactions: {len(data)} items with skip {skip}, take {take}, total {total}",
                             relations=(Relation("not isinstance({total}, int) or "
                                                 "count({data}) == max(0, min({take}, {total} - {skip}))",
                                                 (("total", ("meta", "total")), ("data", ("data",))),
                                                 (("take", take), ("skip", skip))),)))
    return found


def compare_list_item(world: World, c: Campaign, instants: tuple[datetime, ...], item: dict, *, timing_known: bool,
                      sizes_known: bool) -> list[Finding]:
    found = [replace(f, reqs=("CLUB-LIST-006",) + f.reqs)
             for f in compare_status(world, c, instants, item.get("status"), "list item")]
    found += compare_counts(world, c, instants, item, timing_known=timing_known, sizes_known=sizes_known,
                            where="list item")
    if item.get("sentCount") == 0 and item.get("openRate") is not None:
        found.append(finding(("CLUB-STATS-006",), f"list item {c.id}: openRate {item.get('openRate')!r} with nothing "
                                                  f"sent", relations=(Relation("{sent} != 0 or {rate} is None or "
                                                                               "{rate} is ABSENT",
                                                                               (("sent", ("sentCount",)),
                                                                                ("rate", ("openRate",)))),)))
    if item.get("type") != c.type or sorted(item.get("channels") or []) != sorted(c.channels):
        found.append(finding(("CLUB-LIST-001",), f"list item {c.id}: type/channels {item.get('type')!r} "
                                                 f"{item.get('channels')!r}, expected {c.type} {list(c.channels)}",
                             Test(("type",), "==", c.type), Test(("channels",), "in", orders_of(c.channels))))
    return found


def exercised(c: Campaign, status: str, *, sizes_known: bool = False, creator: bool = False) -> tuple[str, ...]:
    """The requirements a read-back of this campaign (get, stats, interactions) puts to the test."""
    ids = ["CLUB-GET-003", "CLUB-AUTH-005"] + (["CLUB-GET-002"] if sizes_known else []) \
        + (["CLUB-GET-004"] if creator else []) + (["CLUB-CREATE-005"] if c.timezone else [])
    ids += ["CLUB-GET-001", "CLUB-LIFE-001", "CLUB-LIFE-012", "CLUB-DELIV-001", "CLUB-STATS-001", "CLUB-STATS-002",
           "CLUB-STATS-003", "CLUB-STATS-004", "CLUB-STATS-005", "CLUB-STATS-006", "CLUB-STATS-007",
           "CLUB-STATS-008", "CLUB-STATS-009", "CLUB-STATS-010", "CLUB-STATS-011", "CLUB-INTER-001",
           "CLUB-INTER-002", "CLUB-INTER-003", "CLUB-INTER-004", "CLUB-INTER-005"]
    ids += list(STATUS_REQS[status])
    if c.started_at is None:
        ids.append("CLUB-STATS-012")
    if c.pauses:
        ids += ["CLUB-PAUSE-002"] + (["CLUB-RESUME-002"] if c.resumed_at is not None else [])
    if c.status == CANCELLED:
        ids.append("CLUB-CANCEL-002")
    return tuple(dict.fromkeys(ids))


__all__ = ["ACTION_OF", "INTERACTION_TYPES", "MOVES", "STATUS_REQS", "Finding", "Relation", "compare_action",
           "compare_campaign", "compare_interactions", "compare_list_item", "compare_stats", "compare_status",
           "exercised", "reachable"]
